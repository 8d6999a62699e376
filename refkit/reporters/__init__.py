"""Reporters render findings for people and machines. Each module has
`render(findings, summary, stream) -> None`; it never fetches and never decides severity.

The registry maps a format name to (module, file suffix); the CLI reads it for its --format
choices. Third parties add reporters through the `refkit.reporters` entry-point group, whose
entry points name a `render` function with the same contract."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TextIO

from ..errors import ConfigError
from ..model import Finding, PageLink, Severity, doi_url, identifier_url, split_key
from ..rules import AUTOMATIC_FIXES

Render = Callable[[Sequence[Finding], "Summary", TextIO], None]

REPORTERS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "text": ("refkit.reporters.text", ".txt"),
        "json": ("refkit.reporters.json", ".json"),
        "github": ("refkit.reporters.github", ".txt"),
        "junit": ("refkit.reporters.junit", ".xml"),
        "sarif": ("refkit.reporters.sarif", ".sarif"),
        "markdown": ("refkit.reporters.markdown", ".md"),
        "html": ("refkit.reporters.html", ".html"),
    }
)
ENTRY_POINT_GROUP = "refkit.reporters"
SEVERITY_ORDER: tuple[Severity, ...] = ("error", "warning", "info")
FAIL_ON_CHOICES = ("error", "warning", "never")
WORST_PAGES = 10
"""How many pages the summaries name as the ones with most findings."""


@dataclass(frozen=True)
class RuleCount:
    """How many findings one rule gave, at the severity it was reported with."""

    rule: str
    severity: Severity
    count: int


@dataclass(frozen=True)
class PageCount:
    """How many findings one page has, by severity."""

    file: str
    errors: int
    warnings: int
    infos: int

    @property
    def total(self) -> int:
        return self.errors + self.warnings + self.infos


@dataclass(frozen=True)
class SkippedPage:
    """A page that could not be read, so nothing on it was checked."""

    file: str
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class Summary:
    """What one command did, for its summary line and for formats that list every page (JUnit),
    name the worst pages (text, markdown, html) or link to the wiki (markdown, html). Every
    command fills what it knows; the rest keeps its default."""

    files: tuple[str, ...]
    """Every page read, findings or not."""
    citations: int
    dois: int
    skipped: int
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    fail_on: str = "error"
    """The --fail-on threshold, so formats with a pass/fail notion (JUnit) agree with the exit status."""
    rules: tuple[RuleCount, ...] = ()
    """Findings per rule, errors first, then by count."""
    worst_pages: tuple[PageCount, ...] = ()
    """The pages with most findings (errors count first), at most WORST_PAGES."""
    baselined: int = 0
    """Known findings the baseline held back (not in `findings`)."""
    skipped_pages: tuple[SkippedPage, ...] = ()
    """The pages that could not be read, with why; each is also a `page-unreadable` finding."""
    page_links: Mapping[str, PageLink] = field(default_factory=dict)
    """Each page's URL on the wiki and title, by file, for reports that link to the wiki."""
    color: bool = False
    """The report goes to a terminal that shows ANSI colours (text only)."""
    quiet: bool = False
    """Only the findings: no summary lines (text and github)."""
    command: str = "check"
    identifiers: Mapping[str, int] = field(default_factory=dict)
    """Citations by kind (doi, pmid, pmcid, broken)."""
    resolutions: Mapping[str, int] = field(default_factory=dict)
    """Identifiers by resolution status (found, not_found, unresolved)."""
    entries: int = 0
    unverified: int = 0
    left_out: int = 0
    destination: str = ""
    """Where the output went: `export`'s file (or stdout); `fix`'s "the pages" (--write) or "a diff"."""
    fixes: Mapping[str, int] = field(default_factory=dict)
    """`fix`: edits by kind (doi-typo, doi-link)."""
    fixed_pages: int = 0

    @property
    def pages(self) -> int:
        return len(self.files)


def summarise(
    findings: Sequence[Finding],
    files: Sequence[str],
    citations: int,
    dois: int,
    skipped: int,
    fail_on: str = "error",
    *,
    baselined: int = 0,
    skipped_pages: Sequence[SkippedPage] = (),
    page_links: Mapping[str, PageLink] | None = None,
    color: bool = False,
    quiet: bool = False,
) -> Summary:
    """The summary of `findings` (those reported, after the baseline) over the pages `files`."""
    counts = Counter(finding.severity for finding in findings)
    return Summary(
        files=tuple(files),
        citations=citations,
        dois=dois,
        skipped=skipped,
        errors=counts["error"],
        warnings=counts["warning"],
        infos=counts["info"],
        fail_on=fail_on,
        rules=rule_counts(findings),
        worst_pages=worst_pages(findings),
        baselined=baselined,
        skipped_pages=tuple(skipped_pages),
        page_links=MappingProxyType(dict(page_links or {})),
        color=color,
        quiet=quiet,
    )


def rule_counts(findings: Iterable[Finding]) -> tuple[RuleCount, ...]:
    counts = Counter((finding.rule, finding.severity) for finding in findings)
    ordered = sorted(counts.items(), key=lambda item: (SEVERITY_ORDER.index(item[0][1]), -item[1], item[0][0]))
    return tuple(RuleCount(rule, severity, count) for (rule, severity), count in ordered)


def page_counts(findings: Iterable[Finding]) -> dict[str, PageCount]:
    """Findings per page by severity, in report order of the pages."""
    by_file: dict[str, Counter[str]] = {}
    for finding in sorted_findings(findings):
        by_file.setdefault(finding.file, Counter())[finding.severity] += 1
    return {
        file: PageCount(file, counts["error"], counts["warning"], counts["info"]) for file, counts in by_file.items()
    }


def worst_pages(findings: Iterable[Finding], limit: int = WORST_PAGES) -> tuple[PageCount, ...]:
    """Where to start: errors weigh more than any number of warnings, warnings more than infos."""
    ranked = sorted(page_counts(findings).values(), key=lambda page: (-page.errors, -page.warnings, -page.infos, page.file))
    return tuple(ranked[:limit])


def fails(finding: Finding, fail_on: str) -> bool:
    """True when the finding reaches the --fail-on threshold (error, warning or never)."""
    if fail_on == "never":
        return False
    return SEVERITY_ORDER.index(finding.severity) <= SEVERITY_ORDER.index(fail_on)


def finding_line(finding: Finding) -> str:
    """`file:line:column: severity rule: message`, as compilers and editors read it."""
    return f"{finding.file}:{finding.line}:{finding.column}: {finding.severity} {finding.rule}: {finding.message}"


def count(number: int, word: str, plural: str | None = None) -> str:
    """`1 error`, `2 errors` (`1 fix`, `2 fixes` with the plural given)."""
    return f"{number} {word if number == 1 else plural or word + 's'}"


def severity_counts(errors: int, warnings: int, infos: int) -> str:
    return f"{count(errors, 'error')}, {count(warnings, 'warning')}, {infos} info"


_KIND_WORDS = (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"))
_FIX_WORDS = {"doi-typo": "DOI repair", "doi-link": "resolver link"}


def summary_line(summary: Summary) -> str:
    """The one line each command ends with, from the one summary object."""
    if summary.command == "scan":
        kinds = [count(summary.identifiers.get(kind, 0), word) for kind, word in _KIND_WORDS if kind == "doi" or summary.identifiers.get(kind)]
        return f"{count(summary.pages, 'page')}, {', '.join(kinds)}, {summary.identifiers.get('broken', 0)} broken, {summary.skipped} skipped"
    if summary.command == "resolve":
        statuses = summary.resolutions
        total = sum(statuses.values())
        words = "DOI" if set(summary.identifiers) <= {"doi", "broken"} else "identifier"
        return (
            f"{count(total, words)}: {statuses.get('found', 0)} found, {statuses.get('not_found', 0)} not found, "
            f"{statuses.get('unresolved', 0)} unresolved; {count(summary.skipped, 'page')} skipped"
        )
    if summary.command == "export":
        return (
            f"{summary.entries} {'entry' if summary.entries == 1 else 'entries'} ({summary.unverified} unverified), "
            f"{summary.left_out} left out, written to {summary.destination}"
        )
    if summary.command == "fix":
        kinds = ", ".join(count(number, _FIX_WORDS.get(kind, kind)) for kind, number in sorted(summary.fixes.items()))
        done = "written to the pages" if summary.destination == "the pages" else "shown as a diff (--write applies them)"
        return (
            f"{count(sum(summary.fixes.values()), 'fix', 'fixes')} on {count(summary.fixed_pages, 'page')}{f' ({kinds})' if kinds else ''}"
            f", {done}; {count(summary.pages, 'page')} read, {summary.skipped} skipped"
        )
    held_back = f"; {count(summary.baselined, 'known finding')} held back by the baseline" if summary.baselined else ""
    return (
        f"{severity_counts(summary.errors, summary.warnings, summary.infos)}"
        f" in {count(summary.pages, 'page')} ({count(summary.citations, 'citation')},"
        f" {count(summary.dois, 'distinct DOI')}, {summary.skipped} skipped{held_back})"
    )


def identifier_link(finding: Finding) -> tuple[str, str] | None:
    """(label, URL) of the work a finding is about: the DOI at doi.org (the repaired one for a
    typo), a PMID at PubMed, a PMCID at PMC; None for broken DOI text and findings about no work."""
    repaired = finding.details.get("repaired")
    if isinstance(repaired, str) and repaired:
        return repaired, doi_url(repaired)
    key = finding.id or finding.doi
    if not key or finding.rule == "doi-broken":
        return None
    scheme, value = split_key(key)
    return (f"PMID {value}" if scheme == "pmid" else value), identifier_url(key)


_SUGGESTED = {
    "title-mismatch": "title",
    "year-mismatch": "year",
    "journal-mismatch": "journal",
    "authors-mismatch": "authors",
    "doi-typo": "DOI",
    "pmid-doi-mismatch": "DOI",
    "doi-duplicate": "DOI",
}


@dataclass(frozen=True)
class Suggestion:
    """What to change, as the reports word it: `Suggested year: 2017`."""

    what: str
    text: str
    automatic: bool

    def __str__(self) -> str:
        return f"Suggested {self.what}: {self.text}"


def suggestion_of(finding: Finding) -> Suggestion | None:
    """The registry's value a finding carries (`details["suggestion"]`), worded for reports."""
    value = finding.details.get("suggestion")
    if value in (None, "", []):
        return None
    # A list of authors reads as the page would write it.
    text = ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return Suggestion(_SUGGESTED.get(finding.rule, "value"), text, finding.rule in AUTOMATIC_FIXES)


def reporter_names() -> tuple[str, ...]:
    """Built-in formats first, then those installed through entry points."""
    from importlib.metadata import entry_points  # only when asked: keeps `import refkit.cli` light

    extra = sorted({point.name for point in entry_points(group=ENTRY_POINT_GROUP)} - set(REPORTERS))
    return (*REPORTERS, *extra)


def get_reporter(name: str) -> Render:
    """The `render` of a built-in format or of an installed `refkit.reporters` entry point;
    a ConfigError naming the known formats for any other name."""
    if name in REPORTERS:
        module, _suffix = REPORTERS[name]
        return importlib.import_module(module).render  # type: ignore[no-any-return]
    from importlib.metadata import entry_points

    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name == name:
            try:
                render = point.load()
            except Exception as error:  # a third party's module: any import failure is its own
                raise ConfigError(f"report format '{name}' ({point.value}) cannot be loaded: {error}") from None
            if not callable(render):
                raise ConfigError(f"report format '{name}' ({point.value}) is not a render function")
            return render  # type: ignore[no-any-return]
    raise ConfigError(f"unknown report format '{name}' (known: {', '.join(reporter_names())})")


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Stable report order: by file, position, then rule."""
    return sorted(findings, key=lambda finding: (finding.file, finding.line, finding.column, finding.rule))


def by_page(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings grouped by page, pages and findings in report order."""
    grouped: dict[str, list[Finding]] = {}
    for finding in sorted_findings(findings):
        grouped.setdefault(finding.file, []).append(finding)
    return grouped
