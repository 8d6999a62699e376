"""Crossref: the only module that imports habanero (lazily, in the client below).

`work_from_crossref` turns one Crossref `work` message into refkit's `Work`, so nothing
downstream touches raw API shapes."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Person, Update, Work

_WHITESPACE = re.compile(r"\s+")


def _text(value: Any) -> str | None:
    """First non-empty string of a Crossref string-or-list field, whitespace folded."""
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str) and item.strip()), None)
    if not isinstance(value, str):
        return None
    folded = _WHITESPACE.sub(" ", html.unescape(value)).strip()
    return folded or None


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(item.strip() for item in value if isinstance(item, str) and item.strip()))


def _date_parts(value: Any) -> tuple[int, ...]:
    """(year[, month[, day]]) from a Crossref date object; () when absent or null."""
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


def _orcid(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    match = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", value)
    return match.group(1) if match else None


def person_from_crossref(entry: Mapping[str, Any]) -> Person:
    family = _text(entry.get("family"))
    given = _text(entry.get("given"))
    name = _text(entry.get("name"))
    if family is None and name is not None:
        return Person(literal=name, orcid=_orcid(entry.get("ORCID")))
    return Person(
        given=given,
        family=family,
        suffix=_text(entry.get("suffix")),
        orcid=_orcid(entry.get("ORCID")),
    )


def _people(value: Any) -> tuple[Person, ...]:
    if not isinstance(value, list):
        return ()
    people = (person_from_crossref(entry) for entry in value if isinstance(entry, Mapping))
    return tuple(person for person in people if person.family or person.literal or person.given)


def _updates(value: Any) -> tuple[Update, ...]:
    if not isinstance(value, list):
        return ()
    updates = []
    for entry in value:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("DOI"), str):
            continue
        date = _date_parts(entry.get("updated"))
        updates.append(
            Update(
                type=str(entry.get("type") or "").lower(),
                doi=entry["DOI"].lower(),
                source=_text(entry.get("source")),
                label=_text(entry.get("label")),
                date="-".join(f"{part:02d}" if index else str(part) for index, part in enumerate(date)) or None,
            )
        )
    return tuple(updates)


def _component_of(relation: Any) -> str | None:
    if not isinstance(relation, Mapping):
        return None
    for entry in relation.get("is-component-of") or ():
        if isinstance(entry, Mapping) and entry.get("id-type") == "doi" and isinstance(entry.get("id"), str):
            return entry["id"].lower()
    return None


def _years(message: Mapping[str, Any]) -> tuple[int, ...]:
    keys = ("issued", "published-print", "published-online", "published", "created")
    found = (_date_parts(message.get(key)) for key in keys)
    return tuple(sorted({parts[0] for parts in found if parts}))


def work_from_crossref(message: Mapping[str, Any], doi: str | None = None) -> Work:
    """A Crossref `work` message (the `message` of /works/{doi}, or one list item) as a Work.

    `doi` overrides the record's own DOI (normalised, lower-case); pass the DOI that was asked for
    when Crossref answered under an alias."""
    record_doi = str(message.get("DOI") or doi or "").lower()
    return Work(
        doi=(doi or record_doi).lower(),
        type=str(message.get("type") or "other"),
        title=_text(message.get("title")),
        subtitle=_text(message.get("subtitle")),
        authors=_people(message.get("author")),
        editors=_people(message.get("editor")),
        container_title=_text(message.get("container-title")),
        short_container_title=_text(message.get("short-container-title")),
        volume=_text(message.get("volume")),
        issue=_text(message.get("issue")),
        pages=_text(message.get("page")),
        issued=_date_parts(message.get("issued")) or _date_parts(message.get("published")),
        years=_years(message),
        publisher=_text(message.get("publisher")),
        issn=_strings(message.get("ISSN")),
        isbn=_strings(message.get("ISBN")),
        url=_text(message.get("URL")),
        language=_text(message.get("language")),
        updated_by=_updates(message.get("updated-by")),
        update_to=_updates(message.get("update-to")),
        component_of=_component_of(message.get("relation")),
    )


def works_from_list(message: Mapping[str, Any]) -> list[Work]:
    """Every item of a Crossref `work-list` message."""
    items: Sequence[Any] = message.get("items") or ()
    return [work_from_crossref(item) for item in items if isinstance(item, Mapping)]
