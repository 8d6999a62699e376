"""BibTeX export through bibtexparser v2's model and writer (imported when called).

What goes where, and why (Zotero, pandoc, biber and LaTeX read these files as they are):
- `doi` and `url` (the DOI URL) are written raw, never TeX-escaped.
- Every citing wiki page is one record of `file`: `title:url:text/html`, records joined by `;`,
  with `\\`, `:` and `;` backslash-escaped; Zotero turns each into a linked-URL attachment and
  keeps the DOI URL as the item URL. No `howpublished` (Zotero lets it overwrite the URL), no
  custom fields (Zotero drops them silently).
- Text is UTF-8; LaTeX specials in titles, journals and names are escaped; Crossref's title
  markup becomes \\textit, \\textbf, \\textsubscript, \\textsuperscript, \\textsc; words with a
  capital after their first letter (DNA, mRNA, COVID-19) are brace-protected in titles, as are
  letters glued to a sub/superscript (N\\textsubscript{2}O), so sentence-casing styles keep them.
- Organisations are one brace-protected name: `{{World Health Organization}}`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TextIO

from ..doi import normalise as normalise_doi
from ..errors import ExportError
from ..markup import Node, Styled, parse_markup
from ..model import PageLink, Person, Reference, Work
from . import UNVERIFIED, by_key, doi_url, has_publisher_field, page_range

_ENTRY_TYPES = {
    "journal-article": "article",
    "book-chapter": "incollection",
    "book-section": "incollection",
    "book-part": "incollection",
    "reference-entry": "incollection",
    "proceedings-article": "inproceedings",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "report": "techreport",
    "dissertation": "phdthesis",
}
_FALLBACK_TYPE = "misc"
# Where the container title goes, by entry type; other types have no such field.
_CONTAINER_FIELD = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}
# BibTeX calls the publisher of a report its institution and of a thesis its school.
_PUBLISHER_FIELD = {"techreport": "institution", "phdthesis": "school"}
_WITH_EDITORS = frozenset({"incollection", "inproceedings", "book"})

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # Control characters (Crossref records carry some) are invalid input to TeX: dropped. Tab and line breaks stay.
    **{chr(code): "" for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))},
}
# BibTeX counts braces even when escaped, so a lone brace gets a phantom partner (Zotero's trick).
_LONE_OPEN = r"\{\vphantom{\}}"
_LONE_CLOSE = r"\vphantom{\{}\}"
_COMMANDS = {
    "italic": r"\textit",
    "bold": r"\textbf",
    "sub": r"\textsubscript",
    "sup": r"\textsuperscript",
    "smallcaps": r"\textsc",
}
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_AND = re.compile(r"\band\b", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def escape(text: str) -> str:
    """LaTeX specials escaped so LaTeX, biber and Zotero read the text back as written."""
    return _escape_span(text, 0, len(text), _matched_braces(text))


def _escape_span(text: str, start: int, end: int, matched: set[int]) -> str:
    """text[start:end] escaped; `matched` holds the positions (in all of text) of paired braces."""
    pieces = []
    for index in range(start, end):
        char = text[index]
        if char in "{}":
            if index in matched:
                pieces.append("\\" + char)
            else:
                pieces.append(_LONE_OPEN if char == "{" else _LONE_CLOSE)
        else:
            pieces.append(_SPECIALS.get(char, char))
    return "".join(pieces)


def _matched_braces(text: str) -> set[int]:
    """Positions of braces that pair up."""
    matched: set[int] = set()
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            matched.update((opened.pop(), index))
    return matched


def _needs_protection(word: str, glued: bool) -> bool:
    """A word whose capitals a sentence-casing style must not lower: a capital after the first
    letter, or any capital when the word touches a sub/superscript (chemical formulas)."""
    return any(char.isupper() for char in word[1:]) or (glued and any(char.isupper() for char in word))


def _protected_text(text: str, glued_before: bool, glued_after: bool) -> str:
    matched = _matched_braces(text)
    pieces = []
    position = 0
    for match in _WORD.finditer(text):
        glued = (match.start() == 0 and glued_before) or (match.end() == len(text) and glued_after)
        pieces.append(_escape_span(text, position, match.start(), matched))
        word = _escape_span(text, match.start(), match.end(), matched)
        pieces.append("{" + word + "}" if _needs_protection(match.group(), glued) else word)
        position = match.end()
    pieces.append(_escape_span(text, position, len(text), matched))
    return "".join(pieces)


def _render(nodes: Sequence[Node], protect: bool) -> str:
    pieces = []
    for index, node in enumerate(nodes):
        if isinstance(node, Styled):
            pieces.append(f"{_COMMANDS[node.style]}{{{_render(node.children, protect)}}}")
        elif protect:
            before = index > 0 and not node[:1].isspace()
            after = index < len(nodes) - 1 and not node[-1:].isspace()
            pieces.append(_protected_text(node, before, after))
        else:
            pieces.append(escape(node))
    return "".join(pieces)


def title_field(text: str) -> str:
    """A title with markup as LaTeX commands and case-sensitive words brace-protected."""
    return _render(parse_markup(text), protect=True)


def text_field(text: str) -> str:
    """A journal, book or publisher name: markup as LaTeX commands, no case protection."""
    return _render(parse_markup(text), protect=False)


def _name_part(text: str) -> str:
    """One part of a name; braced when BibTeX would otherwise split it (a comma or a word "and")."""
    escaped = escape(_SPACES.sub(" ", text).strip())
    return "{" + escaped + "}" if "," in text or _AND.search(text) else escaped


def person(person: Person) -> str:
    """One name in BibTeX's `von Last, Jr, First` form; organisations as one braced name."""
    if person.family:
        parts = [_name_part(person.family)]
        if person.suffix:
            parts.append(_name_part(person.suffix))
        if person.given:
            parts.append(_name_part(person.given))
        elif person.suffix:
            parts.append("{}")  # an empty First keeps `Jr` a suffix; a bare trailing comma is dropped by biber
        return ", ".join(parts)
    return "{" + escape(_SPACES.sub(" ", person.literal or person.given or "").strip()) + "}"


def _people(people: Sequence[Person]) -> str:
    return " and ".join(person(item) for item in people)


def _file_text(text: str) -> str:
    """One part of a `file` record: `\\`, `:` and `;` backslash-escaped; braces that do not pair
    up are dropped, since the field is raw and BibTeX must still find its end."""
    text = _raw(_SPACES.sub(" ", text).strip())
    return text.replace("\\", "\\\\").replace(":", "\\:").replace(";", "\\;")


def file_field(pages: Sequence[PageLink]) -> str:
    """Every citing page as a `title:url:text/html` record (Zotero: a linked-URL attachment)."""
    return ";".join(f"{_file_text(page.title or page.url)}:{_file_text(page.url)}:text/html" for page in pages)


def _raw(text: str) -> str:
    """A raw field value (doi, url) with any unpaired brace dropped so the entry stays well-formed."""
    matched = _matched_braces(text)
    return "".join(char for index, char in enumerate(text) if char not in "{}" or index in matched)


def entry_type(work: Work) -> str:
    return _ENTRY_TYPES.get(work.type, _FALLBACK_TYPE)


def entry_fields(reference: Reference) -> list[tuple[str, str]]:
    """The fields of one entry, in a fixed order, as BibTeX field text (without enclosing braces)."""
    work = reference.work
    kind = entry_type(work)
    fields: list[tuple[str, str]] = []
    if work.authors:
        fields.append(("author", _people(work.authors)))
    if work.editors and kind in _WITH_EDITORS:
        fields.append(("editor", _people(work.editors)))
    title = work.full_title
    if title:
        fields.append(("title", title_field(title)))
    if work.container_title and kind in _CONTAINER_FIELD:
        fields.append((_CONTAINER_FIELD[kind], text_field(work.container_title)))
    if has_publisher_field(work):
        fields.append((_PUBLISHER_FIELD.get(kind, "publisher"), text_field(work.publisher or "")))
    if work.year:
        fields.append(("year", str(work.year)))
    if work.volume:
        fields.append(("volume", escape(work.volume)))
    if work.issue:
        fields.append(("number", escape(work.issue)))
    first, last = page_range(work.pages)
    if first:
        fields.append(("pages", escape(f"{first}--{last}" if last else first)))
    # biblatex holds one ISSN (on articles) and one ISBN per entry; biber rejects a list.
    if work.issn and kind == "article":
        fields.append(("issn", escape(work.issn[0])))
    if work.isbn:
        fields.append(("isbn", escape(work.isbn[0])))
    fields.append(("doi", _raw(work.doi)))
    fields.append(("url", _raw(doi_url(work.doi))))
    if not reference.verified:
        fields.append(("note", UNVERIFIED))
    if reference.pages:
        fields.append(("file", file_field(reference.pages)))
    return fields


def write(references: Sequence[Reference], keys: Mapping[str, str], stream: TextIO) -> None:
    """Every reference as one entry, sorted by citation key."""
    import bibtexparser
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library()
    for key, reference in by_key(references, keys):
        fields = [Field(name, value) for name, value in entry_fields(reference)]
        library.add(Entry(entry_type(reference.work), key, fields))
    bibtex_format = bibtexparser.BibtexFormat()
    bibtex_format.indent = "  "
    bibtex_format.block_separator = "\n"
    stream.write(bibtexparser.write_string(library, bibtex_format=bibtex_format))


def read_keys(text: str) -> dict[str, str]:
    """{normalised DOI: key} of every entry with a `doi` field in an earlier export."""
    import bibtexparser

    library = bibtexparser.parse_string(text)
    if not library.entries:
        raise ExportError("the existing file is not a BibTeX file; not overwriting it")
    keys: dict[str, str] = {}
    for entry in library.entries:
        field = entry.fields_dict.get("doi")
        if field is not None and isinstance(field.value, str) and field.value.strip():
            keys.setdefault(normalise_doi(field.value), entry.key)
    return keys
