"""refkit as a library: one function per command, doing exactly what the command line does.

Each returns a result: what the command found, one `Summary` that every format and reporter
renders, and `exit_status`, the status the command line ends with (0 all is well, 1 the wiki has
problems, per command as documented). Nothing here prints or exits: skipped pages, warnings and
progress go to the callbacks in `Hooks`, and refkit's own exceptions (`RefkitError`) are raised
when refkit cannot go on.

    from refkit import api
    from refkit.config import load_settings

    settings = load_settings(wiki_root=Path("content"), options={"offline": True})
    result = api.check(["content"], settings)
    for finding in result.findings: ...
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .errors import PageError
from .model import Citation, Finding, Page, Resolution
from .reporters import SkippedPage, Summary, fails, sorted_findings

if TYPE_CHECKING:
    from .fix import PageFix
    from .references import Bibliography, LeftOut
    from .store import Cleared, StoreInfo

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2
"""Exit statuses (public API): 0 all is well; 1 the wiki has problems; 2 usage or configuration
error, or refkit itself could not go on."""


@dataclass(frozen=True)
class Hooks:
    """Where a command reports as it goes; every one is optional."""

    on_skip: Callable[[PageError], None] | None = None
    """A page that cannot be read (the run goes on without it)."""
    warn: Callable[[str], None] | None = None
    """Something the user should know, said once (no mailto, no network)."""
    progress: Callable[[int, int], None] | None = None
    """(done, total) as identifiers are resolved through the network."""
    on_left_out: Callable[[LeftOut], None] | None = None
    """A cited identifier `export` leaves out (no registry knows it, or a broken DOI), before
    anything is written."""


@dataclass
class ScanRun:
    """What `scan` gives: iterate it for each readable page and its citations, streamed as pages
    are read (never all held); `summary()` counts what has been read so far."""

    _pages: Iterator[tuple[Page, list[Citation]]]
    files: list[str] = field(default_factory=list)
    skipped: list[PageError] = field(default_factory=list)
    citations_by_kind: Counter[str] = field(default_factory=Counter)

    def __iter__(self) -> Iterator[tuple[Page, list[Citation]]]:
        for page, citations in self._pages:
            self.files.append(page.file)
            self.citations_by_kind.update(citation.kind for citation in citations)
            yield page, citations

    def summary(self) -> Summary:
        return Summary(
            command="scan",
            files=tuple(self.files),
            citations=sum(self.citations_by_kind.values()),
            dois=self.citations_by_kind["doi"],
            skipped=len(self.skipped),
            identifiers=dict(self.citations_by_kind),
        )

    @property
    def exit_status(self) -> int:
        return EXIT_PROBLEMS if self.skipped else EXIT_OK


def scan(
    paths: Sequence[str | Path],
    settings: Settings,
    hooks: Hooks = Hooks(),
    *,
    all_occurrences: bool = False,
    read_listings: bool = True,
    select: Callable[[Path], bool] | None = None,
) -> ScanRun:
    """The citations on every page under `paths` (files or folders), only the files `select`
    keeps if given. `read_listings=False` skips reading what pages list about each work (most of
    a scan's time) when only the identifiers are wanted. Pages unchanged since an earlier scan
    are taken from the store, not read again, unless `settings.no_cache` (`page_cache`)."""
    from .scan import scan_paths

    run: ScanRun

    def on_skip(error: PageError) -> None:
        run.skipped.append(error)
        if hooks.on_skip is not None:
            hooks.on_skip(error)

    run = ScanRun(
        scan_paths(
            paths, settings, on_skip, all_occurrences=all_occurrences, read_listings=read_listings, select=select,
            cache=not settings.no_cache, warn=hooks.warn,
        )  # fmt: skip
    )
    return run


def _cited(
    paths: Sequence[str | Path],
    settings: Settings,
    hooks: Hooks,
    *,
    tags: Sequence[str] = (),
    categories: Sequence[str] = (),
    select: Callable[[Path], bool] | None = None,
) -> tuple[ScanRun, list[Citation]]:
    """Scan, keeping the citations of the pages with `tags` / `categories`."""
    from .references import restrict_pages

    run = scan(paths, settings, hooks, select=select)
    return run, restrict_pages(run, tags=tags, categories=categories)


def resolve_keys(
    keys: Iterable[str], settings: Settings, hooks: Hooks = Hooks(), *, probes: Iterable[str] = ()
) -> dict[str, Resolution]:
    """What the store, else the network, says of each identifier (`model.id_key`), in the order
    given, and of each probe that exists (`resolve.resolve_identifiers`)."""
    from .resolve import resolve_identifiers
    from .store import Store

    wanted = list(dict.fromkeys(keys))
    probing = list(dict.fromkeys(probes))
    if not wanted and not probing:
        return {}
    with Store(settings.store) as store:
        return resolve_identifiers(wanted, settings, store, probes=probing, progress=hooks.progress, warn=hooks.warn)


def resolve_citations(citations: Sequence[Citation], settings: Settings, hooks: Hooks = Hooks()) -> dict[str, Resolution]:
    """Every cited identifier resolved, with the repair candidates of damaged DOIs asked in the
    same requests, and the repairs the registry and the pages' listings confirm
    (`reconcile.confirm_repairs`)."""
    from .reconcile import confirm_repairs

    keys = (citation.key for citation in citations if citation.kind != "broken")
    probes = (candidate for citation in citations for candidate in citation.candidates)
    return confirm_repairs(citations, resolve_keys(keys, settings, hooks, probes=probes))


@dataclass(frozen=True)
class ResolveResult:
    resolutions: Mapping[str, Resolution]
    """By identifier key, in order of first citation."""
    citing: Mapping[str, tuple[str, ...]]
    """The files citing each identifier."""
    summary: Summary

    @property
    def exit_status(self) -> int:
        unresolved = any(resolution.status == "unresolved" for resolution in self.resolutions.values())
        return EXIT_PROBLEMS if self.summary.skipped or unresolved else EXIT_OK


def resolve(paths: Sequence[str | Path], settings: Settings, hooks: Hooks = Hooks()) -> ResolveResult:
    """Every distinct identifier cited under `paths`, resolved."""
    run, citations = _cited(paths, settings, hooks)
    citing: dict[str, list[str]] = {}
    for citation in citations:
        if citation.kind != "broken":
            files = citing.setdefault(citation.key, [])
            if citation.file not in files:
                files.append(citation.file)
    # Asked as check and export ask (candidates of damaged DOIs too), so a later `--offline` run
    # on this store finds everything they need.
    answered = resolve_citations(citations, settings, hooks)
    resolutions = {key: answered[key] for key in citing}
    statuses = Counter(resolution.status for resolution in resolutions.values())
    summary = _with(run.summary(), command="resolve", resolutions=dict(statuses))
    return ResolveResult(resolutions, {key: tuple(files) for key, files in citing.items()}, summary)


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    """What to report, sorted by file and position (known findings of a baseline left out), each
    mismatch with `details["suggestion"]`, each unreadable page as a `page-unreadable` finding."""
    summary: Summary
    baseline_entries: int | None = None
    """How many entries the baseline written with `write_baseline` holds (None when none was)."""

    @property
    def exit_status(self) -> int:
        """1 when a finding reaches `fail_on` (an unreadable page is a `page-unreadable` error
        unless [rules] says otherwise); always 0 after writing a baseline, which records them."""
        if self.summary.fail_on == "never" or self.baseline_entries is not None:
            return EXIT_OK
        return EXIT_PROBLEMS if any(fails(finding, self.summary.fail_on) for finding in self.findings) else EXIT_OK


def check(
    paths: Sequence[str | Path],
    settings: Settings,
    hooks: Hooks = Hooks(),
    *,
    fail_on: str = "error",
    changed_since: str | None = None,
    baseline: str | Path | None = None,
    write_baseline: str | Path | None = None,
) -> CheckResult:
    """Compare what the pages say with the registries. `changed_since`: only pages git says
    changed since that revision (and untracked ones); `baseline`: leave out the findings it
    records; `write_baseline`: record the current findings there (keeping the entries of pages
    this run did not check)."""
    from .baseline import read_baseline, without_known
    from .baseline import write_baseline as record_baseline
    from .model import PageLink
    from .reporters import summarise

    known = read_baseline(baseline, settings.config_file) if baseline else None
    select = _changed_since(changed_since) if changed_since is not None else None
    run, citations, findings = _reconciled(paths, settings, hooks, select=select, page_links=True)
    entries = None
    if write_baseline:
        checked = [*run.files, *(error.file for error in run.skipped)]
        entries = record_baseline(write_baseline, findings, checked, settings.config_file)
    reported = tuple(sorted_findings(without_known(findings, known)))
    scanned = run.summary()
    summary = _with(
        summarise(
            reported, scanned.files, scanned.citations, len({c.id for c in citations if c.kind == "doi"}), scanned.skipped, fail_on,
            baselined=len(findings) - len(reported),
            skipped_pages=[SkippedPage(error.file, error.reason, error.line) for error in run.skipped],
            page_links={c.file: PageLink(c.page_url, c.page_title, c.file) for c in citations},
        ),
        identifiers=scanned.identifiers,
    )  # fmt: skip
    return CheckResult(reported, summary, entries)


def _reconciled(
    paths: Sequence[str | Path],
    settings: Settings,
    hooks: Hooks,
    *,
    select: Callable[[Path], bool] | None = None,
    page_links: bool = False,
) -> tuple[ScanRun, list[Citation], list[Finding]]:
    """Scan, resolve and reconcile; a `page-unreadable` finding for each page that could not be
    read. `page_links`: the report links to the pages, so relative page URLs are worth a warning."""
    from .reconcile import reconcile
    from .rules import severities, unreadable_findings

    severities(settings.rules)  # an unknown rule id is a configuration error before any work is done
    run, citations = _cited(paths, settings, hooks, select=select)
    if page_links:
        _warn_relative_urls((citation.page_url for citation in citations), hooks)
    resolutions = resolve_citations(citations, settings, hooks)
    return run, citations, [*reconcile(citations, resolutions, settings.rules), *unreadable_findings(run.skipped, settings.rules)]


@dataclass(frozen=True)
class FixResult:
    fixes: tuple[PageFix, ...]
    """The pages with something to fix, each with its bytes before and after and its edits."""
    suggestions: tuple[Finding, ...]
    """Findings with a suggestion refkit does not apply (listing corrections: a person decides)."""
    written: bool
    summary: Summary

    @property
    def exit_status(self) -> int:
        """1 when fixes were found but not written, or a page could not be read (it went unfixed)."""
        return EXIT_PROBLEMS if self.summary.skipped or (self.fixes and not self.written) else EXIT_OK


def fix(
    paths: Sequence[str | Path],
    settings: Settings,
    hooks: Hooks = Hooks(),
    *,
    write: bool = False,
    on_page: Callable[[PageFix], None] | None = None,
) -> FixResult:
    """The fixes refkit is sure of for every page under `paths` (see `refkit.fix`): DOI repairs
    the registry confirmed and resolver links in the canonical form. With `write`, each page is
    replaced atomically as it is fixed (a run killed half-way leaves every page old or new);
    `on_page` hears of each page with fixes, written or not."""
    from .fix import plan_fix, write_fix
    from .rules import AUTOMATIC_FIXES

    run, _citations, findings = _reconciled(paths, settings, hooks)
    repairs: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.rule in AUTOMATIC_FIXES:
            repairs.setdefault(finding.file, []).append(finding)
    fixes = []
    skipped = [SkippedPage(error.file, error.reason, error.line) for error in run.skipped]
    for file in run.files:
        try:
            page = plan_fix(file, repairs.get(file, ()))
        except PageError as error:  # changed since it was read moments ago
            skipped.append(SkippedPage(error.file, error.reason, error.line))
            if hooks.on_skip is not None:
                hooks.on_skip(error)
            continue
        if page.new == page.old:
            continue
        if write:
            write_fix(page)
        if on_page is not None:
            on_page(page)
        fixes.append(page)
    suggestions = tuple(finding for finding in findings if "suggestion" in finding.details and finding.rule not in AUTOMATIC_FIXES)
    kinds = Counter(edit.kind for page in fixes for edit in page.edits)
    summary = _with(
        run.summary(), command="fix", fixes=dict(kinds), fixed_pages=len(fixes), skipped=len(skipped),
        skipped_pages=tuple(skipped), destination="the pages" if write else "a diff",
    )  # fmt: skip
    return FixResult(tuple(fixes), suggestions, write, summary)


def _warn_relative_urls(page_urls: Iterable[str], hooks: Hooks) -> None:
    """Said once: reports and exports cannot link to pages without a base URL."""
    from .pages import base_url_warning

    warning = base_url_warning(page_urls)
    if warning and hooks.warn is not None:
        hooks.warn(warning)


def _changed_since(revision: str) -> Callable[[Path], bool]:
    from .git import changed_files

    changed = set(changed_files(revision, Path.cwd()))
    return lambda file: file.resolve() in changed


@dataclass(frozen=True)
class ExportResult:
    bibliography: Bibliography
    text: str | None
    """The export itself when written to no file (`output="-"`)."""
    destination: str
    """The file written, or "stdout"."""
    summary: Summary

    @property
    def exit_status(self) -> int:
        return EXIT_PROBLEMS if self.summary.skipped else EXIT_OK


def export(
    paths: Sequence[str | Path],
    settings: Settings,
    hooks: Hooks = Hooks(),
    *,
    format_name: str = "bibtex",
    output: str | Path | None = None,
    tags: Sequence[str] = (),
    categories: Sequence[str] = (),
    force: bool = False,
) -> ExportResult:
    """Every cited work under `paths` (pages with `tags` / `categories` only, if given) as one
    bibliography: written atomically to `output` (default: the format's file under exports/),
    or returned as text for `output="-"`. Raises ExportRefused when there is nothing to export or,
    unless `force`, when the file would lose most of its entries."""
    from .exports import export_file, get_format, render
    from .references import build_references

    export_format = get_format(format_name)
    run, citations = _cited(paths, settings, hooks, tags=tags, categories=categories)
    resolutions = resolve_citations(citations, settings, hooks)
    bibliography = build_references(citations, resolutions)
    if hooks.on_left_out is not None:
        for left in bibliography.left_out:
            hooks.on_left_out(left)
    _warn_relative_urls((citation.page_url for citation in citations), hooks)
    text: str | None = None
    if output == "-":
        text = render(bibliography.references, export_format)
        destination = "stdout"
    else:
        target = Path(output) if output else export_format.default_path()
        export_file(bibliography.references, export_format, target, force=force)
        destination = str(target)
    summary = _with(
        run.summary(),
        command="export",
        entries=len(bibliography.references),
        unverified=sum(1 for reference in bibliography.references if not reference.verified),
        left_out=len(bibliography.left_out),
        destination=destination,
    )
    return ExportResult(bibliography, text, destination, summary)


def requests_in_flight() -> bool:
    """Whether a source's requests are still waiting for their answers: after an interruption,
    Python would wait for each (its timeout, its retries) before the process could end."""
    import threading

    from .sources.http import REQUEST_THREAD_PREFIX

    return any(thread.name.startswith(REQUEST_THREAD_PREFIX) and thread.is_alive() for thread in threading.enumerate())


def store_info(settings: Settings) -> StoreInfo | None:
    """What the store holds; None when it does not exist yet (looking must not create it)."""
    from .store import Store

    if not Path(settings.store).exists():
        return None
    with Store(settings.store) as store:
        return store.info()


def store_clear(settings: Settings) -> Cleared:
    """Forget every stored answer and scanned page; how many there were."""
    from .store import Cleared, Store

    if not Path(settings.store).exists():
        return Cleared(answers=0, scanned_pages=0)
    with Store(settings.store) as store:
        return store.clear()


def _with(summary: Summary, **changes: object) -> Summary:
    return dataclasses.replace(summary, **changes)  # type: ignore[arg-type]

