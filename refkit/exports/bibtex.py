"""BibTeX export through bibtexparser v2's model and writer (imported when called).

What goes where, and why (Zotero's BibTeX.js, pandoc, biber and LaTeX read these files as they are):
- The entry key is the citation key (Zotero 7 keeps it as `Citation Key:` in Extra, Zotero 8 in
  its Citation Key field). `doi` and `url` (the DOI URL, or the PubMed / PMC page of a work
  without a DOI) are written raw, never TeX-escaped. A PMID is `eprint` with `eprinttype =
  {pubmed}` (biblatex's own field; Zotero makes it `PMID:` in Extra); a PMCID is a `note`
  starting `PMCID:` (Zotero moves such a note into Extra; biblatex has no PMCID field).
- `year` and, when Crossref gives more, `date` (ISO: 2020-05-25): Zotero, biber and pandoc read
  the full date, classic BibTeX the year.
- Every citing wiki page is one record of `file`: `title:url:text/html`, records joined by `;`,
  with `\\`, `:` and `;` backslash-escaped; Zotero turns each into a linked-URL attachment titled
  with the page title (only for absolute URLs: set a base URL). No `howpublished`, no custom fields.
- An unverified entry carries the keyword `Not verified against Crossref` (a Zotero tag, not a note).
- Text is UTF-8; LaTeX specials are escaped in the forms Zotero decodes (`\\^{}`, `\\~{}`,
  `{\\textbackslash}`, `-{}-` for a literal double hyphen); Crossref's title markup becomes
  \\textit, \\textbf, \\textsc and, for sub- and superscripts, `$_{\\textrm{2}}$` /
  `$^{\\textrm{13}}$`, the form Zotero, biber and pandoc all read. Literal TeX maths in a title
  (`$p_{\\mathrm{t}}$`) is kept as maths. In titles, what a sentence-casing style must not
  lower-case is brace-protected: single capitals and letter-digit words (D, K2, B12), acronyms and
  words with inner capitals (DNA, mRNA, COVID-19, SCOAP3); ordinary capitalised words are left to
  the style.
- Entry types follow biblatex's data model so biber keeps every field: a preprint is a
  `@techreport` of type Preprint (institution = the repository), a work of another Crossref type
  is an `@article` when it has a journal, else a `@misc` with its publisher as `organization`.
- Organisations are one brace-protected name: `{{World Health Organization}}`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TextIO

from ..errors import ExportError
from ..keys import work_id
from ..markup import Node, Styled, parse_markup
from ..model import PageLink, Person, Reference, Work
from . import UNVERIFIED, by_key, has_publisher_field, page_range, present, valid_isbn, valid_issn, with_suffix_apart, work_url

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
    "posted-content": "techreport",
    "dissertation": "phdthesis",
}
# biblatex's @report needs a type; a preprint says what it is (Zotero: Report Type).
_REPORT_TYPES = {"posted-content": "Preprint"}
_FALLBACK_TYPE = "misc"
# Where the container title goes, by entry type; other types have no such field.
_CONTAINER_FIELD = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}
# BibTeX calls the publisher of a report its institution, of a thesis its school; biblatex's @misc
# takes no publisher, but an organization (Zotero reads it as the publisher).
_PUBLISHER_FIELD = {"techreport": "institution", "phdthesis": "school", "misc": "organization"}
_WITH_EDITORS = frozenset({"incollection", "inproceedings", "book"})
# biblatex's data model: the types that take a volume and a number.
_WITH_VOLUME = frozenset({"article", "incollection", "inproceedings", "book", "techreport"})
_WITH_NUMBER = frozenset({"article", "incollection", "inproceedings", "book", "techreport"})

_SPECIALS = {
    "\\": r"{\textbackslash}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    # The accent commands on nothing: LaTeX, pandoc and Zotero's BibTeX import all read back ~ and ^
    # (Zotero turned \textasciitilde{} into the text "\textasciitilde").
    "~": r"\~{}",
    "^": r"\^{}",
    # Control characters (Crossref records carry some) are invalid input to TeX: dropped. Tab and line breaks stay.
    **{chr(code): "" for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))},
}
# BibTeX counts braces even when escaped, so a lone brace gets a phantom partner (Zotero's trick).
_LONE_OPEN = r"\{\vphantom{\}}"
_LONE_CLOSE = r"\vphantom{\{}\}"
_COMMANDS = {
    "italic": r"\textit",
    "bold": r"\textbf",
    "smallcaps": r"\textsc",
}
# Sub- and superscripts as maths with upright text: the form Zotero's import turns back into
# <sub>/<sup> (it leaves \textsubscript as text), and biber and pandoc print as N₂O.
_SCRIPTS = {"sub": "_", "sup": "^"}
_SCRIPT_COMMANDS = {"sub": r"\textsubscript", "sup": r"\textsuperscript"}
_SIMPLE_SCRIPT = re.compile(r"[^{}\\$]*")
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_AND = re.compile(r"\band\b", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# TeX maths a publisher deposited as text ("$p_{\mathrm {t}}$"): kept as maths, not escaped.
_TEX_MATH = re.compile(r"\$(?=[^$]*[\\_^])[^$]+\$")


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
        elif char == "-" and index + 1 < end and text[index + 1] == "-":
            pieces.append("-{}")  # a literal "--" stays two hyphens, not an en dash
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
    letter (DNA, mRNA, COVID-19), a single capital (vitamin D), a capital with digits (K2, B12),
    or any capital when the word touches a sub/superscript (chemical formulas)."""
    if not any(char.isupper() for char in word):
        return False
    return glued or len(word) == 1 or any(char.isupper() for char in word[1:]) or any(char.isdigit() for char in word)


def _protected_text(text: str, glued_before: bool, glued_after: bool) -> str:
    matched = _matched_braces(text)
    pieces = []
    position = 0
    for match in _WORD.finditer(text):
        glued = (match.start() == 0 and glued_before) or (match.end() == len(text) and glued_after)
        pieces.append(_escape_span(text, position, match.start(), matched))
        if _needs_protection(match.group(), glued):
            pieces.append(_braced_letters(text, match.start(), match.end(), matched))
        else:
            pieces.append(_escape_span(text, match.start(), match.end(), matched))
        position = match.end()
    pieces.append(_escape_span(text, position, len(text), matched))
    return "".join(pieces)


_LETTERS = re.compile(r"[^\W\d_]+")


def _braced_letters(text: str, start: int, end: int, matched: set[int]) -> str:
    """A protected word with each run of letters braced and digits left outside: pandoc's citeproc
    title-cases a braced "{SCOAP3}" or "{CO2}" to "Scoap3", "Co2", but keeps "{SCOAP}3"."""
    pieces = []
    position = start
    for run in _LETTERS.finditer(text, start, end):
        pieces.append(_escape_span(text, position, run.start(), matched))
        letters = _escape_span(text, run.start(), run.end(), matched)
        pieces.append("{" + letters + "}" if any(char.isupper() for char in run.group()) else letters)
        position = run.end()
    pieces.append(_escape_span(text, position, end, matched))
    return "".join(pieces)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _text_run(text: str, protect: bool, glued_before: bool, glued_after: bool) -> str:
    """One run of plain text: literal TeX maths kept, the rest escaped (and protected in titles)."""
    pieces = []
    position = 0
    for match in _TEX_MATH.finditer(text):
        if not _balanced(match.group()):
            continue
        pieces.append(_plain_run(text[position : match.start()], protect, glued_before and position == 0, True))
        pieces.append(match.group())
        position = match.end()
    pieces.append(_plain_run(text[position:], protect, glued_before and position == 0, glued_after))
    return "".join(pieces)


def _plain_run(text: str, protect: bool, glued_before: bool, glued_after: bool) -> str:
    return _protected_text(text, glued_before, glued_after) if protect else escape(text)


def _render(nodes: Sequence[Node], protect: bool) -> str:
    pieces = []
    for index, node in enumerate(nodes):
        if isinstance(node, Styled):
            if node.style in _SCRIPTS:
                # Inside maths nothing is case-changed; \textrm keeps letters upright. An empty script is nothing.
                script = _render(node.children, protect=False)
                if _SIMPLE_SCRIPT.fullmatch(script):
                    pieces.append(f"${_SCRIPTS[node.style]}{{\\textrm{{{script}}}}}$" if script else "")
                else:  # braces or commands inside: Zotero's reading of the maths form would cut them
                    pieces.append(f"{_SCRIPT_COMMANDS[node.style]}{{{script}}}")
            else:
                pieces.append(f"{_COMMANDS[node.style]}{{{_render(node.children, protect)}}}")
        else:
            before = index > 0 and not node[:1].isspace()
            after = index < len(nodes) - 1 and not node[-1:].isspace()
            pieces.append(_text_run(node, protect, before, after))
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
    """One name in BibTeX's `von Last, Jr, First` form (Zotero: first name "First, Jr");
    organisations as one braced name."""
    person = with_suffix_apart(person)
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
    kind = _ENTRY_TYPES.get(work.type)
    if kind is not None:
        return kind
    # Other Crossref types (component, peer-review, journal-issue, other, ...): an article when they
    # appear in a journal, so biblatex keeps journal, volume and number.
    return "article" if work.container_title else _FALLBACK_TYPE


def iso_date(parts: Sequence[int]) -> str:
    return "-".join(f"{part:02d}" if index else f"{part:04d}" for index, part in enumerate(parts))


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
    if work.type in _REPORT_TYPES:
        fields.append(("type", _REPORT_TYPES[work.type]))
    if has_publisher_field(work) and kind != "article":  # biblatex's @article has no publisher
        fields.append((_PUBLISHER_FIELD.get(kind, "publisher"), text_field(work.publisher or "")))
    if work.year:
        fields.append(("year", str(work.year)))
    if len(work.issued) > 1:
        fields.append(("date", iso_date(work.issued)))
    volume, issue = present(work.volume), present(work.issue)
    if volume and kind in _WITH_VOLUME:
        fields.append(("volume", escape(volume)))
    if issue and kind in _WITH_NUMBER:
        fields.append(("number", escape(issue)))
    first, last = page_range(work.pages)
    if first:
        fields.append(("pages", f"{escape(first)}--{escape(last)}" if last else escape(first)))  # -- is the range dash
    # biblatex holds one ISSN (on articles) and one ISBN per entry; biber rejects a list and a wrong check digit.
    issn = next((number for number in work.issn if valid_issn(number)), None)
    if issn and kind == "article":
        fields.append(("issn", escape(issn)))
    isbn = next((number for number in work.isbn if valid_isbn(number)), None)
    if isbn:
        fields.append(("isbn", escape(isbn)))
    if work.doi:
        fields.append(("doi", _raw(work.doi)))
    url = work_url(work)
    if url:
        fields.append(("url", _raw(url)))
    if work.pmid:
        fields.extend((("eprint", escape(work.pmid)), ("eprinttype", "pubmed")))
    if work.pmcid:
        fields.append(("note", f"PMCID: {escape(work.pmcid)}"))
    if not reference.verified:
        fields.append(("keywords", UNVERIFIED))
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


def read_entries(text: str) -> list[tuple[str | None, str]]:
    """(work id, key) of every entry of an earlier export: the id from `doi`, else a PubMed
    `eprint`, else a `PMCID:` note; None when the entry has none of them."""
    import bibtexparser

    library = bibtexparser.parse_string(text)
    if not library.entries:
        raise ExportError("the existing file is not a BibTeX file; not overwriting it")
    entries: list[tuple[str | None, str]] = []
    for entry in library.entries:
        values = {name: field.value.strip() for name, field in entry.fields_dict.items() if isinstance(field.value, str)}
        pmcid = values.get("note", "").removeprefix("PMCID:").strip() if values.get("note", "").startswith("PMCID:") else None
        pmid = values.get("eprint") if values.get("eprinttype", "").lower() == "pubmed" else None
        work = Work(doi=values.get("doi") or None, pmid=pmid or None, pmcid=pmcid or None)
        entries.append((work_id(work) if work.keys else None, entry.key))
    return entries
