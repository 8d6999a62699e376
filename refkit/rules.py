"""Rule ids, their one-line descriptions and default severities, and the user's overrides.

Rule ids are public API (configuration keys, JSON output, SARIF rule ids, baselines):
never rename one; add new ones instead."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .errors import ConfigError, PageError
from .model import Finding, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    """The default severity."""
    description: str


RULES: tuple[Rule, ...] = (
    Rule("doi-not-found", "error", "The DOI is not registered with Crossref or any other DOI agency."),
    Rule("doi-broken", "error", "The text looks like a DOI but is cut off or malformed."),
    Rule("doi-retracted", "error", "The cited work has been retracted."),
    Rule("doi-retraction-notice", "warning", "The DOI is a retraction notice, not the work it retracts."),
    Rule("doi-corrected", "warning", "The cited work has a published correction, erratum or corrigendum."),
    Rule("doi-expression-of-concern", "warning", "The cited work carries an expression of concern."),
    Rule("doi-component", "warning", "The DOI names a component (a figure or table), not the article itself."),
    Rule("doi-unverified", "info", "The DOI could not be checked (offline or a network failure)."),
    Rule("authors-mismatch", "warning", "The authors listed on the page differ from the work's authors."),
    Rule("authors-truncated", "info", "The page lists only the first authors (et al. or an ellipsis)."),
    Rule("title-mismatch", "warning", "The title on the page differs from the work's title."),
    Rule("year-mismatch", "warning", "The year on the page is none of the work's publication years."),
    Rule("journal-mismatch", "warning", "The journal on the page is neither the work's journal nor its abbreviation."),
    Rule("doi-duplicate", "warning", "The page cites the same work under two DOI forms."),
    Rule("page-unreadable", "error", "The page could not be read (front matter, encoding, a binary file), so nothing on it was checked."),
)
RULES_BY_ID: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in RULES})
OFF = "off"


def severities(overrides: Mapping[str, str]) -> Mapping[str, Severity | None]:
    """Each rule's effective severity, None for a rule turned off.

    `overrides` maps rule ids to error, warning, info or off (config.py has checked the values);
    an unknown rule id is a ConfigError naming it."""
    unknown = sorted(set(overrides) - set(RULES_BY_ID))
    if unknown:
        raise ConfigError(
            f"unknown rule {', '.join(repr(rule) for rule in unknown)} in rules (known: {', '.join(RULES_BY_ID)})"
        )
    effective: dict[str, Severity | None] = {}
    for rule in RULES:
        chosen = overrides.get(rule.id, rule.severity)
        effective[rule.id] = None if chosen == OFF else chosen  # type: ignore[assignment]
    return MappingProxyType(effective)


def unreadable_findings(errors: Iterable[PageError], overrides: Mapping[str, str]) -> list[Finding]:
    """A `page-unreadable` finding for each page that could not be read, so every report format
    (and not only stderr) says why a page went unchecked; none when the rule is turned off."""
    severity = severities(overrides)["page-unreadable"]
    if severity is None:
        return []
    return [
        Finding(
            "page-unreadable",
            severity,
            error.file,
            error.line or 1,
            1,
            None,
            f"The page could not be read, so nothing on it was checked: {error.reason}.",
            {"reason": error.reason},
        )
        for error in errors
    ]
