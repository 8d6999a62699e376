"""CSL-JSON export, valid against the CSL-data schema and importable by Zotero as it is.

- `id` and `citation-key` are the citation key; `DOI`, `PMID`, `PMCID` the identifiers; `URL`
  the DOI URL (else the PubMed or PMC page).
- Zotero's CSL-JSON import (zotero/utilities `itemFromCSLJSON`) reads only the variables its
  schema maps, and puts `note` into Extra, whose `Label: value` lines it reads on save. So `note`
  starts with what Zotero would otherwise lose: `Citation Key:`, `PMID:`, `PMCID:`, and `DOI:` for
  the types Zotero 7 has no DOI field for (book, chapter, report, thesis, document).
- The journal abbreviation is `journalAbbreviation` (what Zotero reads) and `container-title-short`
  (what citeproc reads).
- A name suffix is written as Zotero keeps it, after a comma in the given name (`"given": "Ivo M.,
  Jr."`): Zotero drops a `suffix` key, and citeproc (pandoc's, Zotero's) reads the comma form.
- Every citing wiki page is a line `Cited on wiki page: <url> (<title>)` in `note` (no line starts
  with a CSL variable name such as `URL:` or `type:`, which Zotero would move into that field), and
  all pages again as structured data in `custom.wiki_pages`. CSL has no link field: Zotero shows
  the pages as text in Extra.
- Only CSL types Zotero's CSL-JSON import knows (one unknown type makes it reject the file).
- Title markup in the HTML subset CSL processors understand: <i>, <b>, <sup>, <sub>, and
  <span style="font-variant:small-caps;">."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from ..errors import ExportError
from ..keys import work_id
from ..markup import Node, parse_markup
from ..model import Person, Reference, Work
from . import CITED_ON, UNVERIFIED, by_key, extra_lines, has_publisher_field, present, with_suffix_apart, work_url

# Crossref type -> CSL type, only types in Zotero's schema (`csl.types`); preprints are
# Zotero's `preprint`, which is CSL `article`.
_TYPES = {
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "reference-entry": "chapter",
    "proceedings-article": "paper-conference",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "posted-content": "article",
    "dataset": "dataset",
    "report": "report",
    "dissertation": "thesis",
}
_FALLBACK_TYPE = "document"
_TAGS = {
    "italic": ("<i>", "</i>"),
    "bold": ("<b>", "</b>"),
    "sub": ("<sub>", "</sub>"),
    "sup": ("<sup>", "</sup>"),
    "smallcaps": ('<span style="font-variant:small-caps;">', "</span>"),
}


def _html(nodes: Sequence[Node]) -> str:
    return "".join(
        node if isinstance(node, str) else _TAGS[node.style][0] + _html(node.children) + _TAGS[node.style][1]
        for node in nodes
    )


def rich_text(text: str) -> str:
    """Crossref markup as the HTML subset CSL allows; anything else dropped."""
    return _html(parse_markup(text))


# The CSL types of the Zotero item types that have no DOI field in Zotero 7 (its DOI goes to Extra).
_NO_ZOTERO7_DOI = frozenset({"book", "chapter", "report", "thesis", "document"})


def name(person: Person) -> dict[str, str]:
    person = with_suffix_apart(person)
    if person.family:
        given = ", ".join(part for part in (person.given, person.suffix) if part)
        return {"family": person.family, **({"given": given} if given else {})}
    return {"literal": person.literal or person.given or ""}


def csl_type(work: Work) -> str:
    return _TYPES.get(work.type, _FALLBACK_TYPE)


def note_lines(reference: Reference, key: str) -> list[str]:
    """The Extra lines: what Zotero reads from Extra first, then what the user reads."""
    work = reference.work
    lines = extra_lines(reference, key)
    if work.doi and csl_type(work) in _NO_ZOTERO7_DOI:
        lines.append(f"DOI: {work.doi}")
    if not reference.verified:
        lines.append(UNVERIFIED)
    lines.extend(CITED_ON + page.url + (f" ({page.title})" if page.title else "") for page in reference.pages)
    return lines


def item(reference: Reference, key: str) -> dict[str, Any]:
    """One CSL-JSON item. Keys are written sorted, so the order here does not matter."""
    work = reference.work
    data: dict[str, Any] = {"id": key, "citation-key": key, "type": csl_type(work)}
    if work.authors:
        data["author"] = [name(person) for person in work.authors]
    if work.editors:
        data["editor"] = [name(person) for person in work.editors]
    title = work.full_title
    if title:
        data["title"] = rich_text(title)
    if work.container_title:
        data["container-title"] = rich_text(work.container_title)
    if work.short_container_title and work.type == "journal-article":
        data["container-title-short"] = data["journalAbbreviation"] = work.short_container_title
    if has_publisher_field(work):
        data["publisher"] = work.publisher
    for field, value in (("volume", present(work.volume)), ("issue", present(work.issue)), ("page", work.pages)):
        if value:
            data[field] = value
    if work.issued:
        data["issued"] = {"date-parts": [list(work.issued)]}
    if work.issn:
        data["ISSN"] = ", ".join(work.issn)
    if work.isbn:
        data["ISBN"] = ", ".join(work.isbn)
    if work.language:
        data["language"] = work.language
    for field, value in (("DOI", work.doi), ("PMID", work.pmid), ("PMCID", work.pmcid), ("URL", work_url(work))):
        if value:
            data[field] = value
    data["note"] = "\n".join(note_lines(reference, key))
    data["custom"] = {"wiki_pages": [{"url": page.url, "title": page.title or ""} for page in reference.pages]}
    return data


def write(references: Sequence[Reference], keys: Mapping[str, str], stream: TextIO) -> None:
    """A JSON array of items sorted by `id`."""
    items = [item(reference, key) for key, reference in by_key(references, keys)]
    json.dump(items, stream, ensure_ascii=False, indent=2, sort_keys=True)
    stream.write("\n")


def read_entries(text: str) -> list[tuple[str | None, str]]:
    """(work id, id) of every item of an earlier export (work id None when it has no DOI, PMID or PMCID)."""
    try:
        items = json.loads(text)
    except ValueError:
        raise ExportError("the existing file is not CSL-JSON; not overwriting it") from None
    if not isinstance(items, list):
        raise ExportError("the existing file is not a CSL-JSON array; not overwriting it")
    entries: list[tuple[str | None, str]] = []
    for entry in items:
        if not (isinstance(entry, dict) and isinstance(entry.get("id"), str)):
            continue
        ids = {field: value for field in ("DOI", "PMID", "PMCID") if isinstance(value := entry.get(field), str) and value}
        work = Work(doi=ids.get("DOI"), pmid=ids.get("PMID"), pmcid=ids.get("PMCID"))
        entries.append((work_id(work) if work.keys else None, entry["id"]))
    return entries
