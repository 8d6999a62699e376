"""CSL-JSON export, valid against the CSL-data schema and importable by Zotero as it is.

- `id` is the citation key, `DOI` the DOI, `URL` the DOI URL.
- Every citing wiki page is a line `Cited on wiki page: <url>` in `note` (Zotero puts `note`
  into Extra; a line starting with a CSL variable name such as `URL:` or `type:` would be
  moved into that field, so none is written), and all pages again as structured data in
  `custom.wiki_pages`.
- Only CSL types Zotero's CSL-JSON import knows (one unknown type makes it reject the file).
- Title markup in the HTML subset CSL processors understand: <i>, <b>, <sup>, <sub>, and
  <span style="font-variant:small-caps;">."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from ..doi import normalise as normalise_doi
from ..errors import ExportError
from ..markup import Node, parse_markup
from ..model import Person, Reference, Work
from . import CITED_ON, UNVERIFIED, by_key, doi_url, has_publisher_field

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


def name(person: Person) -> dict[str, str]:
    if person.family:
        parts = {"family": person.family, "given": person.given, "suffix": person.suffix}
        return {key: value for key, value in parts.items() if value}
    return {"literal": person.literal or person.given or ""}


def csl_type(work: Work) -> str:
    return _TYPES.get(work.type, _FALLBACK_TYPE)


def item(reference: Reference, key: str) -> dict[str, Any]:
    """One CSL-JSON item. Keys are written sorted, so the order here does not matter."""
    work = reference.work
    data: dict[str, Any] = {"id": key, "type": csl_type(work)}
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
        data["container-title-short"] = work.short_container_title
    if has_publisher_field(work):
        data["publisher"] = work.publisher
    for field, value in (("volume", work.volume), ("issue", work.issue), ("page", work.pages)):
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
    data["DOI"] = work.doi
    data["URL"] = doi_url(work.doi)
    lines = [CITED_ON + page.url for page in reference.pages]
    if not reference.verified:
        lines.insert(0, UNVERIFIED)
    if lines:
        data["note"] = "\n".join(lines)
    data["custom"] = {"wiki_pages": [{"url": page.url, "title": page.title or ""} for page in reference.pages]}
    return data


def write(references: Sequence[Reference], keys: Mapping[str, str], stream: TextIO) -> None:
    """A JSON array of items sorted by `id`."""
    items = [item(reference, key) for key, reference in by_key(references, keys)]
    json.dump(items, stream, ensure_ascii=False, indent=2, sort_keys=True)
    stream.write("\n")


def read_keys(text: str) -> dict[str, str]:
    """{normalised DOI: id} of every item with a DOI in an earlier export."""
    try:
        items = json.loads(text)
    except ValueError:
        raise ExportError("the existing file is not CSL-JSON; not overwriting it") from None
    if not isinstance(items, list):
        raise ExportError("the existing file is not a CSL-JSON array; not overwriting it")
    keys: dict[str, str] = {}
    for entry in items:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and isinstance(entry.get("DOI"), str):
            keys.setdefault(normalise_doi(entry["DOI"]), entry["id"])
    return keys
