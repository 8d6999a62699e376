"""Reporters render findings for people and machines. Each module has
`render(findings, summary, stream) -> None`; it never fetches and never decides severity.

The registry maps a format name to (module, file suffix); the CLI reads it for its --format
choices. Third parties add reporters through the `refkit.reporters` entry-point group, whose
entry points name a `render` function."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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
    """What was checked, for the summary line and for formats that list every page (JUnit)."""

    files: tuple[str, ...]
    """Every page checked, findings or not."""
    citations: int
    dois: int
    skipped: int
    errors: int
    warnings: int
    infos: int
    fail_on: str = "error"
    """The --fail-on threshold, so formats with a pass/fail notion (JUnit) agree with the exit status."""

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


def summary_line(summary: Summary) -> str:
    def count(number: int, word: str) -> str:
        return f"{number} {word}{'' if number == 1 else 's'}"

    return (
        f"{count(summary.errors, 'error')}, {count(summary.warnings, 'warning')}, {summary.infos} info"
        f" in {count(summary.pages, 'page')} ({count(summary.citations, 'citation')},"
        f" {count(summary.dois, 'distinct DOI')}, {summary.skipped} skipped)"
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
