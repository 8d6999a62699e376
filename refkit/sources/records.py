"""Helpers every source uses to turn a registry's record into refkit's `Work`: text fields folded
the same way, Crossref/CSL dates and names, ORCIDs, and Crossref's type vocabulary (which every
Work speaks, whatever its source). Pure: no I/O."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from ..model import Person

_WHITESPACE = re.compile(r"\s+")
# Left after folding whitespace: control characters, which some records carry and no reader wants
# (invalid in TeX and XML, and escape sequences on a terminal).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")

CROSSREF_TYPES = frozenset(
    {
        "journal-article", "book", "book-chapter", "book-section", "book-part", "book-series", "book-set",
        "book-track", "edited-book", "monograph", "reference-book", "reference-entry", "proceedings",
        "proceedings-article", "proceedings-series", "posted-content", "dataset", "report", "report-series",
        "report-component", "dissertation", "peer-review", "component", "journal", "journal-issue",
        "journal-volume", "standard", "grant", "database", "other",
    }
)  # fmt: skip
"""Crossref's work types: the vocabulary of `Work.type`."""


def text(value: Any) -> str | None:
    """First non-empty string of a string-or-list field, HTML entities decoded, whitespace folded,
    control characters dropped; None when there is none."""
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str) and item.strip()), None)
    if not isinstance(value, str):
        return None
    folded = _CONTROL.sub("", _WHITESPACE.sub(" ", html.unescape(value))).strip()
    return folded or None


def strings(value: Any) -> tuple[str, ...]:
    """The distinct non-empty strings of a string-or-list field, stripped, in order."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(item.strip() for item in value if isinstance(item, str) and item.strip()))


def date_parts(value: Any) -> tuple[int, ...]:
    """(year[, month[, day]]) from a Crossref/CSL date object (`{"date-parts": [[y, m, d]]}`); () when absent or null."""
    if not isinstance(value, Mapping):
        return ()
    parts = value.get("date-parts")
    if not (isinstance(parts, list) and parts and isinstance(parts[0], list)):
        return ()
    numbers: list[int] = []
    for part in parts[0]:
        try:
            numbers.append(int(part))
        except (TypeError, ValueError):
            break
    return tuple(numbers)


def orcid(value: Any) -> str | None:
    """The bare ORCID iD in `value` (a URL or the iD itself), or None."""
    match = _ORCID.search(value) if isinstance(value, str) else None
    return match.group(1) if match else None


def person_from_crossref(entry: Mapping[str, Any]) -> Person:
    """A Crossref contributor (CSL names are the same, bar `literal`): a person, or an organisation
    (only `name`)."""
    family = text(entry.get("family"))
    given = text(entry.get("given"))
    name = text(entry.get("name"))
    if family is None and name is not None:
        return Person(literal=name, orcid=orcid(entry.get("ORCID")))
    return Person(given=given, family=family, suffix=text(entry.get("suffix")), orcid=orcid(entry.get("ORCID")))
