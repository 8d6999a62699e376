"""Reporters render findings for people and machines. Each module has
`render(findings, summary, stream) -> None`; it never fetches and never decides severity.

The registry maps a format name to (module, file suffix); the CLI reads it for its --format
choices. Third parties add reporters through the `refkit.reporters` entry-point group, whose
entry points name a `render` function."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TextIO

from ..errors import ConfigError
from ..model import Finding

Render = Callable[[Sequence[Finding], "Summary", TextIO], None]

REPORTERS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "text": ("refkit.reporters.text", ".txt"),
        "json": ("refkit.reporters.json", ".json"),
        "github": ("refkit.reporters.github", ".txt"),
        "junit": ("refkit.reporters.junit", ".xml"),
        "sarif": ("refkit.reporters.sarif", ".sarif"),
    }
)
ENTRY_POINT_GROUP = "refkit.reporters"
SEVERITY_ORDER = ("error", "warning", "info")
FAIL_ON_CHOICES = ("error", "warning", "never")


@dataclass(frozen=True)
class Summary:
    """What one command did, for its summary line and for formats that list every page (JUnit).
    Every command fills what it knows; the rest keeps its default."""

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
    command: str = "check"
    identifiers: Mapping[str, int] = field(default_factory=dict)
    """Citations by kind (doi, pmid, pmcid, broken)."""
    resolutions: Mapping[str, int] = field(default_factory=dict)
    """Identifiers by resolution status (found, not_found, unresolved)."""
    entries: int = 0
    unverified: int = 0
    left_out: int = 0
    destination: str = ""

    @property
    def pages(self) -> int:
        return len(self.files)


def summarise(
    findings: Sequence[Finding], files: Sequence[str], citations: int, dois: int, skipped: int, fail_on: str = "error"
) -> Summary:
    counts = {severity: sum(1 for finding in findings if finding.severity == severity) for severity in SEVERITY_ORDER}
    return Summary(
        files=tuple(files),
        citations=citations,
        dois=dois,
        skipped=skipped,
        errors=counts["error"],
        warnings=counts["warning"],
        infos=counts["info"],
        fail_on=fail_on,
    )


def fails(finding: Finding, fail_on: str) -> bool:
    """True when the finding reaches the --fail-on threshold (error, warning or never)."""
    if fail_on == "never":
        return False
    return SEVERITY_ORDER.index(finding.severity) <= SEVERITY_ORDER.index(fail_on)


def finding_line(finding: Finding) -> str:
    """`file:line:column: severity rule: message`, as compilers and editors read it."""
    return f"{finding.file}:{finding.line}:{finding.column}: {finding.severity} {finding.rule}: {finding.message}"


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


_KIND_WORDS = (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"))


def summary_line(summary: Summary) -> str:
    """The one line each command ends with, from the one summary object."""
    if summary.command == "scan":
        kinds = [_count(summary.identifiers.get(kind, 0), word) for kind, word in _KIND_WORDS if kind == "doi" or summary.identifiers.get(kind)]
        return f"{_count(summary.pages, 'page')}, {', '.join(kinds)}, {summary.identifiers.get('broken', 0)} broken, {summary.skipped} skipped"
    if summary.command == "resolve":
        statuses = summary.resolutions
        total = sum(statuses.values())
        words = "DOI" if set(summary.identifiers) <= {"doi", "broken"} else "identifier"
        return (
            f"{_count(total, words)}: {statuses.get('found', 0)} found, {statuses.get('not_found', 0)} not found, "
            f"{statuses.get('unresolved', 0)} unresolved; {_count(summary.skipped, 'page')} skipped"
        )
    if summary.command == "export":
        return (
            f"{summary.entries} {'entry' if summary.entries == 1 else 'entries'} ({summary.unverified} unverified), "
            f"{summary.left_out} left out, written to {summary.destination}"
        )
    return (
        f"{_count(summary.errors, 'error')}, {_count(summary.warnings, 'warning')}, {summary.infos} info"
        f" in {_count(summary.pages, 'page')} ({_count(summary.citations, 'citation')},"
        f" {_count(summary.dois, 'distinct DOI')}, {summary.skipped} skipped)"
    )


def reporter_names() -> tuple[str, ...]:
    """Built-in formats first, then those installed through entry points."""
    from importlib.metadata import entry_points  # only when asked: keeps `import refkit.cli` light

    extra = sorted(point.name for point in entry_points(group=ENTRY_POINT_GROUP) if point.name not in REPORTERS)
    return (*REPORTERS, *extra)


def get_reporter(name: str) -> Render:
    if name in REPORTERS:
        module, _suffix = REPORTERS[name]
        return importlib.import_module(module).render  # type: ignore[no-any-return]
    from importlib.metadata import entry_points

    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name == name:
            return point.load()  # type: ignore[no-any-return]
    raise ConfigError(f"unknown report format '{name}' (known: {', '.join(reporter_names())})")


def sorted_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Stable report order: by file, position, then rule."""
    return sorted(findings, key=lambda finding: (finding.file, finding.line, finding.column, finding.rule))
