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


# Each rule once, as a name the code uses: a misspelt rule is a NameError at import, not a KeyError
# in the middle of a check. The checks themselves, and when each applies, are in reconcile.CHECKS.
DOI_NOT_FOUND = Rule("doi-not-found", "error", "The DOI is not registered with Crossref or any other DOI agency.")
DOI_BROKEN = Rule("doi-broken", "error", "The text looks like a DOI but is cut off or malformed.")
DOI_TYPO = Rule("doi-typo", "warning", "The DOI as written is damaged (a space, a PDF hyphen, a typo); the registry holds the repaired DOI.")
PMID_NOT_FOUND = Rule("pmid-not-found", "error", "PubMed (or PubMed Central) has no record with this id.")
PMID_DOI_MISMATCH = Rule("pmid-doi-mismatch", "error", "The page gives a PMID and a DOI for one study, and they are different works.")
DOI_RETRACTED = Rule("doi-retracted", "error", "The cited work has been retracted.")
DOI_RETRACTION_NOTICE = Rule("doi-retraction-notice", "warning", "The identifier is a retraction notice, not the work it retracts.")
DOI_CORRECTED = Rule("doi-corrected", "warning", "The cited work has a published correction, erratum or corrigendum.")
DOI_EXPRESSION_OF_CONCERN = Rule("doi-expression-of-concern", "warning", "The cited work carries an expression of concern.")
DOI_COMPONENT = Rule("doi-component", "warning", "The DOI names a component (a figure or table), not the article itself.")
DOI_UNVERIFIED = Rule("doi-unverified", "info", "The identifier could not be checked (offline or a network failure).")
AUTHORS_MISMATCH = Rule("authors-mismatch", "warning", "The authors listed on the page differ from the work's authors.")
AUTHORS_TRUNCATED = Rule("authors-truncated", "info", "The page lists only the first authors (et al. or an ellipsis).")
TITLE_MISMATCH = Rule("title-mismatch", "warning", "The title on the page differs from the work's title.")
YEAR_MISMATCH = Rule("year-mismatch", "warning", "The year on the page is none of the work's publication years.")
JOURNAL_MISMATCH = Rule("journal-mismatch", "warning", "The journal on the page is neither the work's journal nor its abbreviation.")
DOI_DUPLICATE = Rule("doi-duplicate", "warning", "The page cites the same work under two DOI forms.")
PAGE_UNREADABLE = Rule("page-unreadable", "error", "The page could not be read (front matter, encoding, a binary file), so nothing on it was checked.")

RULES: tuple[Rule, ...] = (
    DOI_NOT_FOUND, DOI_BROKEN, DOI_TYPO, PMID_NOT_FOUND, PMID_DOI_MISMATCH, DOI_RETRACTED, DOI_RETRACTION_NOTICE,
    DOI_CORRECTED, DOI_EXPRESSION_OF_CONCERN, DOI_COMPONENT, DOI_UNVERIFIED, AUTHORS_MISMATCH, AUTHORS_TRUNCATED,
    TITLE_MISMATCH, YEAR_MISMATCH, JOURNAL_MISMATCH, DOI_DUPLICATE, PAGE_UNREADABLE,
)  # fmt: skip
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
    severity = severities(overrides)[PAGE_UNREADABLE.id]
    if severity is None:
        return []
    return [
        Finding(
            PAGE_UNREADABLE.id,
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


AUTOMATIC_FIXES = frozenset({DOI_TYPO.id})
"""Rules whose suggestion `refkit fix` applies; the others' are a person's call."""
