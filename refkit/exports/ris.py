"""RIS export: standard tags only, one `TAG  - value` per line, records ended by `ER  - `.

What Zotero's RIS import (RIS.js) makes of each tag, and so what is written where:
- `ID` is the citation key (other readers keep it; Zotero ignores `ID`), and `M2` lines carry
  `Citation Key:`, `PMID:`, `PMCID:`: Zotero appends every `M2` to Extra, where Zotero 8 fills its
  Citation Key field from the key line and both versions keep the PubMed ids.
- `AU  - Family, Given, Suffix`: Zotero takes the part before the first comma as the last name and
  the rest ("Given, Suffix") as the first name, Zotero's own form of a suffix. Editors are `A2` for
  chapters and papers, `A3` for books (Zotero reads `A2` of a book as series editors).
- The proceedings title of a conference paper is `C3` (`T2` would be the conference name).
- `PY` is the year and `DA` the full date (`2020/05/25/`); Zotero prefers `DA`.
- A preprint is `RPRT` with `M3  - Preprint` (Zotero reads `UNPB` and `GEN` as journal articles,
  dropping the publisher); a dataset is `DATA`.
- `DO` is the DOI (Zotero puts it in Extra for types without a DOI field), `UR` the DOI URL, else the
  PubMed or PMC page.
- An unverified record carries the keyword `KW  - Not verified against Crossref` (a Zotero tag).
- The citing wiki pages are one `N1` note in HTML, a list of links titled with the page titles
  (Zotero keeps an HTML note as it is: one child note per work, every page a clickable link).
Values are single lines: line breaks and control characters become spaces."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TextIO

from ..errors import ExportError
from ..keys import work_id
from ..markup import plain
from ..model import PageLink, Person, Reference, Work
from . import UNVERIFIED, by_key, extra_lines, has_publisher_field, page_range, present, valid_issn, with_suffix_apart, work_url

_TYPES = {
    "journal-article": "JOUR",
    "book-chapter": "CHAP",
    "book-section": "CHAP",
    "book-part": "CHAP",
    "reference-entry": "CHAP",
    "proceedings-article": "CPAPER",
    "book": "BOOK",
    "monograph": "BOOK",
    "edited-book": "BOOK",
    "reference-book": "BOOK",
    "book-set": "BOOK",
    "posted-content": "RPRT",
    "dataset": "DATA",
    "report": "RPRT",
    "dissertation": "THES",
}
_FALLBACK_TYPE = "GEN"
_REPORT_TYPES = {"posted-content": "Preprint"}
# Where Zotero reads the container title, by RIS type (T2 of a conference paper is the conference name).
_CONTAINER_TAG = {"CPAPER": "C3"}
# Editors: A2 is "series editor" for Zotero's books, A3 its editor.
_EDITOR_TAG = {"BOOK": "A3"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r"\s+")
_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def author(person: Person) -> str:
    """`Family, Given, Suffix`; an organisation ends in a comma so Zotero keeps it one name."""
    person = with_suffix_apart(person)
    if person.family:
        return ", ".join(part for part in (person.family, person.given, person.suffix) if part)
    return (person.literal or person.given or "") + ","


def ris_date(parts: Sequence[int]) -> str:
    """RIS's `YYYY/MM/DD/` with what is known."""
    return "/".join([f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:3])]) + "/"


def pages_note(pages: Sequence[PageLink]) -> str:
    """Every citing page as a link titled with the page title, in one HTML note."""
    items = "".join(
        f'<li><a href="{html.escape(page.url)}">{html.escape(_clean(page.title or page.url), quote=False)}</a></li>'
        for page in pages
    )
    return f"<p>Cited on wiki pages:</p><ul>{items}</ul>"


def record(reference: Reference, key: str) -> Iterator[tuple[str, str]]:
    """The (tag, value) lines of one record, in the order the RIS specification lists them."""
    work = reference.work
    kind = ris_type(work)
    yield "TY", kind
    yield "ID", key
    for person in work.authors:
        yield "AU", author(person)
    for person in work.editors:
        yield _EDITOR_TAG.get(kind, "A2"), author(person)
    title = work.full_title
    if title:
        yield "TI", plain(title)
    if work.container_title:
        yield _CONTAINER_TAG.get(kind, "T2"), plain(work.container_title)
    if work.short_container_title and work.type == "journal-article":
        yield "J2", plain(work.short_container_title)
    if work.year:
        yield "PY", str(work.year)
    if len(work.issued) > 1:
        yield "DA", ris_date(work.issued)
    if present(work.volume):
        yield "VL", work.volume or ""
    if present(work.issue):
        yield "IS", work.issue or ""
    first, last = page_range(work.pages)
    if first:
        yield "SP", first
    if last:
        yield "EP", last
    for number in (*(issn for issn in work.issn if valid_issn(issn)), *work.isbn):
        yield "SN", number
    if has_publisher_field(work):
        yield "PB", plain(work.publisher)
    if work.type in _REPORT_TYPES:
        yield "M3", _REPORT_TYPES[work.type]
    if work.doi:
        yield "DO", work.doi
    url = work_url(work)
    if url:
        yield "UR", url
    for line in extra_lines(reference, key):
        yield "M2", line
    if not reference.verified:
        yield "KW", UNVERIFIED
    if reference.pages:
        yield "N1", pages_note(reference.pages)


def ris_type(work: Work) -> str:
    return _TYPES.get(work.type, _FALLBACK_TYPE)


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


def read_entries(text: str) -> list[tuple[str | None, str]]:
    """(work id, ID) of every record of an earlier export with an ID: the work id from `DO`, else the
    `PMID:` / `PMCID:` lines in `M2`."""
    records = parse(text)
    if not records:
        raise ExportError("the existing file is not a RIS file; not overwriting it")
    entries: list[tuple[str | None, str]] = []
    for lines in records:
        fields = dict(reversed(lines))  # the first value of a repeated tag wins
        extra = dict(value.partition(": ")[::2] for tag, value in lines if tag == "M2")
        work = Work(doi=fields.get("DO") or None, pmid=extra.get("PMID") or None, pmcid=extra.get("PMCID") or None)
        entries.append((work_id(work) if work.keys else None, fields.get("ID", "")))
    return entries
