"""The command line: parse options, build Settings, call the library, pick a writer, set the exit status.

Exit statuses (public API): 0 all is well; 1 the wiki has problems (skipped pages, or findings
that reach --fail-on); 2 usage or configuration errors, or refkit itself could not go on."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import click

from . import __version__
from .config import KEYS, Settings, load_settings
from .errors import PageError, RefkitError
from .exports import FORMATS
from .model import Citation, Page, Resolution
from .reporters import FAIL_ON_CHOICES, REPORTERS

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2


class RefkitGroup(click.Group):
    """Turns refkit's own errors into one line on stderr and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RefkitError as error:
            click.echo(f"refkit: error: {error}", err=True)
            ctx.exit(EXIT_ERROR)
        except BrokenPipeError:
            # The reader (e.g. `| head`) went away: nothing more to say to it.
            sys.stderr.close()
            ctx.exit(EXIT_OK)


@click.group(cls=RefkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="refkit")
def main() -> None:
    """refkit: turn a Markdown wiki's DOIs into a verified bibliography.

    \b
    scan     find every DOI on every page, with file, line and column
    resolve  fetch each work's metadata from Crossref (and doi.org), cached in a local store
    check    compare what pages say with Crossref; a CI gate with exit statuses
    export   write BibTeX, CSL-JSON or RIS, one entry per work, with the citing wiki pages
    store    inspect or clear the local store
    """


def _config_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command that reads pages takes."""
    options = [
        click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file (default: refkit.toml or [tool.refkit] in pyproject.toml, found upward)."),
        click.option("--base-url", help="The wiki's base URL, for page URLs [config: base_url]."),
        click.option("--permalink", help="Permalink pattern with Hugo tokens (:slug, :filename, :section, :year, :month, :day, :title) [config: permalink]."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, no summary line."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def network_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that resolves DOIs: where to ask, how politely, and the store."""
    options = [
        click.option("--crossref-url", help="Crossref REST API base URL [env REFKIT_CROSSREF_URL; default https://api.crossref.org]."),
        click.option("--doi-url", help="doi.org base URL for content negotiation [env REFKIT_DOI_URL; default https://doi.org]."),
        click.option("--mailto", help="Your e-mail, for Crossref's polite pool [env REFKIT_MAILTO]."),
        click.option("--plus-token", help="Crossref Metadata Plus token [env REFKIT_PLUS_TOKEN]."),
        click.option("--store", help="The local store (SQLite) [env REFKIT_STORE; default in the user cache folder]."),
        click.option("--offline", is_flag=True, default=None, help="Ask the network nothing; what the store lacks is unresolved."),
        click.option("--refresh", is_flag=True, default=None, help="Fetch again even what the store holds."),
        click.option("--concurrency", help="Requests in flight at once [config: concurrency; default 3]."),
        click.option("--timeout", help="Seconds before one request is abandoned [config: timeout; default 20]."),
        click.option("--retries", help="Retries of one failed request [config: retries; default 4]."),
    ]
    for option in reversed(options):
        function = option(function)
    return _config_options(function)


def build_settings(paths: Sequence[str], options: dict[str, Any]) -> Settings:
    """Settings from every layer; the folder of the first path is where a config file (when the
    current folder has none) and a Hugo config are looked for. Options named like a config key
    override it."""
    first = Path(paths[0]) if paths else None
    return load_settings(
        config_file=options.get("config_file"),
        wiki_root=(first if first.is_dir() else first.parent).resolve() if first else None,
        options={key: options[key] for key in KEYS if key in options},
    )


def report_skip(error: PageError) -> None:
    # One line per skipped page, even when a file name holds a line break.
    click.echo(f"refkit: skipped {error}".replace("\n", "\\n").replace("\r", "\\r"), err=True)


@dataclass
class Scanned:
    """What a command scanned: the pages read, their citations, and how many pages were skipped."""

    files: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    skipped: int = 0

    @property
    def dois(self) -> list[str]:
        """The distinct DOIs cited, in order of first citation."""
        return list(dict.fromkeys(citation.doi for citation in self.citations if citation.kind == "doi"))


def scan_for_command(
    paths: Iterable[str],
    settings: Settings,
    *,
    tags: Sequence[str] = (),
    categories: Sequence[str] = (),
    select: Callable[[Path], bool] | None = None,
) -> Scanned:
    """Scan `paths` (only the files `select` keeps), reporting skipped pages on stderr; keep only
    pages with `tags` / `categories`."""
    from .references import restrict_pages
    from .scan import scan_paths

    scanned = Scanned()

    def on_skip(error: PageError) -> None:
        scanned.skipped += 1
        report_skip(error)

    def pages() -> Iterator[tuple[Page, list[Citation]]]:
        for page, citations in scan_paths(paths, settings, on_skip, select=select):
            scanned.files.append(page.file)
            yield page, citations

    scanned.citations = restrict_pages(pages(), tags=tags, categories=categories)
    return scanned


def warn_on_stderr(quiet: bool) -> Callable[[str], None] | None:
    return None if quiet else (lambda message: click.echo(f"refkit: warning: {message}", err=True))


def resolve_for_command(dois: list[str], settings: Settings, quiet: bool) -> dict[str, Resolution]:
    """Resolve `dois` with the store, warnings on stderr and, on a terminal, a progress bar."""
    from .resolve import resolve_dois
    from .store import Store

    if not dois:
        return {}
    with Store(settings.store) as store, click.progressbar(
        length=len(dois), label="Resolving DOIs", file=sys.stderr, hidden=quiet or not sys.stderr.isatty()
    ) as bar:
        return resolve_dois(
            dois, settings, store, progress=lambda done, _total: bar.update(done - bar.pos), warn=warn_on_stderr(quiet)
        )


def _listed_json(citation: Citation) -> dict[str, Any] | None:
    listed = citation.listed
    if listed is None:
        return None
    return {
        "title": listed.title,
        "journal": listed.journal,
        "year": listed.year,
        "authors": [
            {"given": person.given, "family": person.family if person.family is not None else person.literal}
            for person in listed.authors
        ],
        "truncated": listed.truncated,
    }


def _write_jsonl(citation: Citation, out: TextIO) -> None:
    record = {
        "kind": citation.kind,
        "doi": citation.doi,
        "raw": citation.raw,
        "file": citation.file,
        "line": citation.line,
        "column": citation.column,
        "page_url": citation.page_url,
        "listed": _listed_json(citation),
    }
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _write_text(citation: Citation, out: TextIO) -> None:
    label = citation.doi if citation.kind == "doi" else f"broken DOI {citation.raw!r}"
    out.write(f"{citation.file}:{citation.line}:{citation.column}: {label}\n")


_CSV_COLUMNS = ("kind", "doi", "raw", "file", "line", "column", "page_url", "title", "journal", "year", "authors", "truncated")


def _csv_row(citation: Citation) -> list[Any]:
    listed = citation.listed
    return [
        citation.kind, citation.doi, citation.raw, citation.file, citation.line, citation.column, citation.page_url,
        listed.title if listed else "", listed.journal if listed else "", listed.year if listed and listed.year else "",
        "; ".join(person.display() for person in listed.authors) if listed else "",
        ("yes" if listed.truncated else "no") if listed else "",
    ]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "output_format", type=click.Choice(["text", "jsonl", "csv"]), default="text", show_default=True, help="Output format on stdout.")
@click.option("--all-occurrences", is_flag=True, help="Every occurrence of a DOI, not only its first on each page.")
@_config_options
def scan(paths: tuple[str, ...], output_format: str, all_occurrences: bool, quiet: bool, **options: Any) -> None:
    """Find every DOI on every page under PATHS (files or folders; default: the current folder).

    Exit status: 0 every page was read; 1 some page was skipped; 2 usage or configuration error."""
    from .scan import scan_paths

    paths = paths or (".",)
    settings = build_settings(paths, options)
    out = sys.stdout
    skipped = pages = dois = broken = 0

    def on_skip(error: PageError) -> None:
        nonlocal skipped
        skipped += 1
        report_skip(error)

    writer: Callable[[Citation, TextIO], None]
    if output_format == "csv":
        table = csv.writer(out, lineterminator="\n")
        table.writerow(_CSV_COLUMNS)
        writer = lambda citation, _out: table.writerow(_csv_row(citation))  # noqa: E731
    else:
        writer = _write_jsonl if output_format == "jsonl" else _write_text
    # Text output shows no listings: not reading them makes the scan several times faster.
    read_listings = output_format != "text"
    for _page, citations in scan_paths(paths, settings, on_skip, all_occurrences=all_occurrences, read_listings=read_listings):
        pages += 1
        for citation in citations:
            if citation.kind == "doi":
                dois += 1
            else:
                broken += 1
            writer(citation, out)
    out.flush()
    if not quiet:
        click.echo(f"refkit: {pages} pages, {dois} DOIs, {broken} broken, {skipped} skipped", err=True)
    sys.exit(EXIT_PROBLEMS if skipped else EXIT_OK)


# --- check (issue 4) -------------------------------------------------------------------------

def _changed_since(revision: str) -> Callable[[Path], bool]:
    """Keeps the pages git says changed since `revision` (and untracked ones)."""
    from .git import changed_files

    changed = set(changed_files(revision, Path.cwd()))
    return lambda file: file.resolve() in changed


def _check_exit_status(findings: list[Any], skipped: int, fail_on: str) -> int:
    """1 when a finding reaches --fail-on, or a page could not be read (it went unchecked)."""
    from .reporters import fails

    if fail_on == "never":
        return EXIT_OK
    return EXIT_PROBLEMS if skipped or any(fails(finding, fail_on) for finding in findings) else EXIT_OK


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "report_format", type=click.Choice(list(REPORTERS)), default="text", show_default=True, help="Report format.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default="error", show_default=True, help="Lowest severity that makes the exit status 1.")
@click.option("--changed-since", metavar="REV", help="Only pages git says changed since REV (plus untracked ones).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Do not report findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings in this baseline file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True, help="Write the report here instead of stdout.")
@network_options
def check(
    paths: tuple[str, ...],
    report_format: str,
    fail_on: str,
    changed_since: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
    output: str,
    quiet: bool,
    **options: Any,
) -> None:
    """Compare what the pages under PATHS say with Crossref and report every disagreement.

    Rules and their default severities are listed in the README; change them under [rules] in
    refkit.toml. Exit status: 0 no finding reaches --fail-on; 1 one does (or a page could not be
    read); 2 usage or configuration error."""
    from .atomic import atomic_writer
    from .baseline import read_baseline, without_known
    from .baseline import write_baseline as record_baseline
    from .reconcile import reconcile
    from .reporters import get_reporter, sorted_findings, summarise, summary_line
    from .rules import severities

    paths = paths or (".",)
    settings = build_settings(paths, options)
    severities(settings.rules)  # an unknown rule id is a configuration error before any work is done
    known = read_baseline(baseline_file) if baseline_file else frozenset()
    render = get_reporter(report_format)
    select = _changed_since(changed_since) if changed_since is not None else None
    scanned = scan_for_command(paths, settings, select=select)
    dois = scanned.dois
    findings = reconcile(scanned.citations, resolve_for_command(dois, settings, quiet), settings.rules)
    if write_baseline:
        record_baseline(write_baseline, findings)
    reported = sorted_findings(without_known(findings, known))
    summary = summarise(reported, scanned.files, len(scanned.citations), len(dois), scanned.skipped, fail_on)
    if output == "-":
        render(reported, summary, sys.stdout)
    else:
        with atomic_writer(output) as stream:
            render(reported, summary, stream)
    if not quiet and (output != "-" or report_format not in ("text", "github")):
        click.echo(f"refkit: {summary_line(summary)}", err=True)
    sys.exit(_check_exit_status(reported, scanned.skipped, fail_on))


# --- export (references and exports) ------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "format_name", type=click.Choice(list(FORMATS)), default="bibtex", show_default=True, help="Export format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Output file, '-' for stdout [default: exports/bibliography.bib, .json or .ris].")
@click.option("--tag", "tags", multiple=True, help="Only pages with this front-matter tag (repeatable: any of them).")
@click.option("--category", "categories", multiple=True, help="Only pages in this front-matter category (repeatable: any of them).")
@network_options
def export(
    paths: tuple[str, ...], format_name: str, output: str | None, tags: tuple[str, ...], categories: tuple[str, ...], quiet: bool, **options: Any
) -> None:
    """Write every cited work under PATHS as BibTeX, CSL-JSON or RIS, with the wiki pages citing it.

    One entry per work, sorted by citation key; keys already in the output file are kept.
    DOIs that could not be resolved are exported from the page and marked unverified; DOIs
    unknown to Crossref and doi.org, and broken DOIs, are left out and listed on stderr.
    The file is replaced atomically: a failed or killed run leaves the previous file intact.

    Exit status: 0 written; 1 written, but some page was skipped; 2 usage, configuration or write error."""
    from .exports import export_file, get_format, render
    from .references import build_references

    paths = paths or (".",)
    settings = build_settings(paths, options)
    scanned = scan_for_command(paths, settings, tags=tags, categories=categories)
    bibliography = build_references(scanned.citations, resolve_for_command(scanned.dois, settings, quiet))
    for left in bibliography.left_out:
        why = "broken DOI" if left.reason == "broken" else "not found at Crossref or doi.org"
        pages = ", ".join(page.url for page in left.pages)
        click.echo(f"refkit: left out {left.doi} ({why}), cited on {pages}", err=True)
    export_format = get_format(format_name)
    if output == "-":
        click.echo(render(bibliography.references, export_format), nl=False)
        destination = "stdout"
    else:
        target = Path(output) if output else export_format.default_path()
        export_file(bibliography.references, export_format, target)
        destination = str(target)
    if not quiet:
        unverified = sum(1 for reference in bibliography.references if not reference.verified)
        count = len(bibliography.references)
        click.echo(
            f"refkit: {count} {'entry' if count == 1 else 'entries'} ({unverified} unverified), "
            f"{len(bibliography.left_out)} left out, written to {destination}",
            err=True,
        )
    sys.exit(EXIT_PROBLEMS if scanned.skipped else EXIT_OK)


# --- resolve and store (issue 3) ----------------------------------------------------------------


def _resolution_json(resolution: Resolution, pages: list[str]) -> dict[str, Any]:
    return {
        "doi": resolution.key,
        "status": resolution.status,
        "agency": resolution.agency,
        "reason": resolution.reason,
        "pages": pages,
        "work": asdict(resolution.work) if resolution.work is not None else None,
    }


def _resolution_text(resolution: Resolution) -> str:
    if resolution.work is not None:
        year = f" ({resolution.work.year})" if resolution.work.year else ""
        detail = f"{resolution.work.title or '(no title)'}{year}"
    else:
        detail = resolution.reason or ""
    return "\t".join((resolution.key, resolution.status, resolution.agency or "-", detail))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "output_format", type=click.Choice(["text", "jsonl"]), default="text", show_default=True, help="jsonl: one JSON object per DOI (doi, status, agency, reason, pages, work); text: tab-separated doi, status, agency, title or reason.")
@network_options
def resolve(paths: tuple[str, ...], output_format: str, quiet: bool, **options: Any) -> None:
    """Fetch the metadata of every distinct DOI cited under PATHS: from the local store, else Crossref
    (batched, polite, retried), else doi.org for DOIs registered elsewhere.

    Each DOI ends found, not_found (no registration agency knows it, or its agency has no record)
    or unresolved (network trouble or --offline; the reason says which; asked again next run).

    Exit status: 0 every page was read and every DOI got an answer; 1 some page was skipped or some
    DOI is unresolved; 2 usage, configuration or store error."""
    paths = paths or (".",)
    settings = build_settings(paths, options)
    scanned = scan_for_command(paths, settings)
    citing: dict[str, list[str]] = {}
    for citation in scanned.citations:
        if citation.kind == "doi":
            files = citing.setdefault(citation.doi, [])
            if citation.file not in files:
                files.append(citation.file)
    resolutions = resolve_for_command(list(citing), settings, quiet)
    out = sys.stdout
    for doi, resolution in resolutions.items():
        if output_format == "jsonl":
            out.write(json.dumps(_resolution_json(resolution, citing[doi]), ensure_ascii=False) + "\n")
        else:
            out.write(_resolution_text(resolution) + "\n")
    out.flush()
    counts = {status: sum(r.status == status for r in resolutions.values()) for status in ("found", "not_found", "unresolved")}
    if not quiet:
        click.echo(
            f"refkit: {len(resolutions)} DOIs: {counts['found']} found, {counts['not_found']} not found, "
            f"{counts['unresolved']} unresolved; {scanned.skipped} pages skipped",
            err=True,
        )
    sys.exit(EXIT_PROBLEMS if scanned.skipped or counts["unresolved"] else EXIT_OK)


@main.group()
def store() -> None:
    """Inspect or clear the local store of Crossref and doi.org answers."""


def _store_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option("--store", "store", help="The local store (SQLite) [env REFKIT_STORE; default in the user cache folder].")(function)
    return click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file (default: refkit.toml or [tool.refkit] in pyproject.toml, found upward).")(function)


@store.command("info")
@_store_options
def store_info(**options: Any) -> None:
    """Where the store is and what it holds. Exit status: 0; 2 when it cannot be opened."""
    import datetime

    from .store import Store

    settings = build_settings((), options)

    def when(timestamp: float | None) -> str:
        return datetime.datetime.fromtimestamp(timestamp).isoformat(timespec="seconds") if timestamp else "-"

    if not Path(settings.store).exists():  # looking must not create it
        click.echo(f"store: {settings.store} (not created yet: no answers)")
        return
    with Store(settings.store) as opened:
        info = opened.info()
    click.echo(f"store: {info.path}")
    click.echo(f"schema: {info.schema_version}")
    click.echo(f"size: {info.size_bytes} bytes")
    click.echo(f"answers: {info.answers} ({', '.join(f'{status} {count}' for status, count in sorted(info.by_status.items())) or 'none'})")
    click.echo(f"agencies: {', '.join(f'{agency} {count}' for agency, count in sorted(info.by_agency.items())) or '-'}")
    click.echo(f"oldest: {when(info.oldest)}")
    click.echo(f"newest: {when(info.newest)}")


@store.command("clear")
@_store_options
def store_clear(**options: Any) -> None:
    """Forget every stored answer (the next run asks the network again). Exit status: 0; 2 on error."""
    from .store import Store

    settings = build_settings((), options)
    removed = 0
    if Path(settings.store).exists():
        with Store(settings.store) as opened:
            removed = opened.clear()
    click.echo(f"refkit: removed {removed} answers from {settings.store}", err=True)
