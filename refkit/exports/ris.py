"""RIS export: standard tags only, one `TAG  - value` per line, records ended by `ER  - `.

The DOI URL goes in `UR`; every citing wiki page is an `N1` line `Cited on wiki page: <url>`
(Zotero's RIS import makes each `N1` a child note; an `L2` link would become an attachment
titled "Full Text (HTML)", and `LK` is dropped). The citation key is the record's `ID`.
Values are single lines: line breaks and control characters become spaces."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TextIO

from ..doi import normalise as normalise_doi
from ..errors import ExportError
from ..markup import plain
from ..model import Person, Reference
from . import CITED_ON, UNVERIFIED, by_key, doi_url, has_publisher_field, page_range

_TYPES = {
    "journal-article": "JOUR",
    "book-chapter": "CHAP",
    "book-section": "CHAP",
    "book-part": "CHAP",
    "reference-entry": "CHAP",
    "proceedings-article": "CPAPER",
    "book": "BOOK",
    "monograph": "BOOK",
    "edited-book": "EDBOOK",
    "reference-book": "BOOK",
    "book-set": "BOOK",
    "posted-content": "UNPB",
    "dataset": "DATA",
    "report": "RPRT",
    "dissertation": "THES",
}
_FALLBACK_TYPE = "GEN"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r"\s+")
_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def author(person: Person) -> str:
    """`Family, Given, Suffix`; an organisation ends in a comma so Zotero keeps it one name."""
    if person.family:
        return ", ".join(part for part in (person.family, person.given, person.suffix) if part)
    return (person.literal or person.given or "") + ","


def record(reference: Reference, key: str) -> Iterator[tuple[str, str]]:
    """The (tag, value) lines of one record, in the order the RIS specification lists them."""
    work = reference.work
    yield "TY", _TYPES.get(work.type, _FALLBACK_TYPE)
    yield "ID", key
    for person in work.authors:
        yield "AU", author(person)
    for person in work.editors:
        yield "A2", author(person)
    title = work.full_title
    if title:
        yield "TI", plain(title)
    if work.container_title:
        yield "T2", plain(work.container_title)
    if work.year:
        yield "PY", str(work.year)
    if work.volume:
        yield "VL", work.volume
    if work.issue:
        yield "IS", work.issue
    first, last = page_range(work.pages)
    if first:
        yield "SP", first
    if last:
        yield "EP", last
    for number in (*work.issn, *work.isbn):
        yield "SN", number
    if has_publisher_field(work):
        yield "PB", plain(work.publisher)
    yield "DO", work.doi
    yield "UR", doi_url(work.doi)
    if not reference.verified:
        yield "N1", UNVERIFIED
    for page in reference.pages:
        yield "N1", CITED_ON + page.url


def write(references: Sequence[Reference], keys: Mapping[str, str], stream: TextIO) -> None:
    """Records sorted by key, separated by a blank line."""
    for index, (key, reference) in enumerate(by_key(references, keys)):
        if index:
            stream.write("\n")
        for tag, value in record(reference, key):
            stream.write(f"{tag}  - {_clean(value)}\n")
        stream.write("ER  - \n")


def parse(text: str) -> list[list[tuple[str, str]]]:
    """Records of (tag, value) lines; lines that are not tag lines are ignored."""
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        match = _LINE.match(line.lstrip("\ufeff"))
        if match is None:
            continue
        tag, value = match.group(1), match.group(2).strip()
        if tag == "TY":
            current = [(tag, value)]
        elif current is not None and tag == "ER":
            records.append(current)
            current = None
        elif current is not None:
            current.append((tag, value))
    return records


def read_keys(text: str) -> dict[str, str]:
    """{normalised DOI: ID} of every record with both in an earlier export."""
    records = parse(text)
    if not records:
        raise ExportError("the existing file is not a RIS file; not overwriting it")
    keys: dict[str, str] = {}
    for lines in records:
        fields = dict(reversed(lines))  # the first value of a repeated tag wins
        if fields.get("DO") and fields.get("ID"):
            keys.setdefault(normalise_doi(fields["DO"]), fields["ID"])
    return keys
