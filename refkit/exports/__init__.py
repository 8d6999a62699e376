"""Export formats: a small registry the CLI reads for its choices, and what every format shares.

Each format is a module with two functions:
- `write(references, keys, stream)`: every reference as one entry, sorted by citation key,
  byte-identical output for the same input;
- `read_entries(text) -> [(work id or None, key)]`: one pair per entry of an earlier export, so a
  re-export keeps its keys and a run that would drop most of them is refused (raises ExportError
  when the text is not in that format, so a wrong `-o` is not overwritten).

A work's id is its DOI (normalised), else `pmid:…`, else `pmcid:…` (`work_id`). The format modules
import their heavy libraries (bibtexparser) only when called."""

from __future__ import annotations

import importlib
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TextIO

from ..atomic import write_text_atomically
from ..errors import ExportError, ExportRefused
from ..model import Person, Reference, Work, identifier_url

DEFAULT_FOLDER = "exports"
DEFAULT_NAME = "bibliography"
CITED_ON = "Cited on wiki page: "
UNVERIFIED = "Not verified against Crossref"
"""Said once per unverified entry, as a tag (BibTeX keywords, RIS KW) or an Extra line (CSL-JSON)."""


class ExportModule(Protocol):
    def write(self, references: Sequence[Reference], keys: Mapping[str, str], stream: TextIO) -> None: ...

    def read_entries(self, text: str) -> list[tuple[str | None, str]]: ...


@dataclass(frozen=True)
class ExportFormat:
    name: str
    module: str
    suffix: str
    description: str

    def load(self) -> ExportModule:
        module: ExportModule = importlib.import_module(self.module)  # type: ignore[assignment]
        return module

    def default_path(self) -> Path:
        return Path(DEFAULT_FOLDER) / f"{DEFAULT_NAME}{self.suffix}"


FORMATS: Mapping[str, ExportFormat] = MappingProxyType(
    {
        "bibtex": ExportFormat("bibtex", "refkit.exports.bibtex", ".bib", "BibTeX (UTF-8) for LaTeX, biber, pandoc, Zotero"),
        "csljson": ExportFormat("csljson", "refkit.exports.csljson", ".json", "CSL-JSON for pandoc, Zotero, citeproc"),
        "ris": ExportFormat("ris", "refkit.exports.ris", ".ris", "RIS for Zotero, EndNote, Mendeley"),
    }
)


def get_format(name: str) -> ExportFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise ExportError(f"unknown export format {name!r} (known: {', '.join(FORMATS)})") from None


NOTHING_TO_EXPORT = "nothing to export: no cited work on the selected pages (check the paths, --tag and --category); nothing written"


def render(
    references: Sequence[Reference], export_format: ExportFormat, entries: Sequence[tuple[Work | None, str]] = ()
) -> str:
    """The whole export as text; `entries` are an earlier export's (work, key), whose keys are kept.
    Raises ExportRefused when there is nothing to export."""
    if not references:
        raise ExportRefused(NOTHING_TO_EXPORT)
    module = export_format.load()
    from ..keys import assign_keys

    keys = assign_keys(references, {work: key for work, key in entries if work is not None})
    stream = io.StringIO(newline="\n")
    module.write(references, keys, stream)
    return stream.getvalue()


def check_replacement(path: Path, old_entries: int, new_entries: int) -> None:
    """Refuse to replace an export with one that keeps fewer than half of its entries (an empty
    one included): a typo in --tag once wrote an empty file over a 914 KB bibliography."""
    if old_entries and new_entries * 2 < old_entries:
        raise ExportRefused(
            f"{path}: refusing to replace {old_entries} entries with {new_entries}; "
            "check --tag/--category and the paths, or pass --force"
        )


def export_file(
    references: Sequence[Reference], export_format: ExportFormat, path: str | os.PathLike[str], *, force: bool = False
) -> None:
    """Write the export to `path` atomically, keeping the keys the file already holds.
    If anything fails on the way, the previous file is left as it was. Unless `force`, refuses
    (ExportRefused) an export that would drop most of the entries the file holds."""
    target = Path(path)
    try:
        existing = target.read_text(encoding="utf-8") if target.is_file() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise ExportError(f"{target}: cannot read the previous export: {error}") from None
    if not references:
        raise ExportRefused(NOTHING_TO_EXPORT)  # before parsing the earlier export
    entries = export_format.load().read_entries(existing) if existing.strip() else []
    if not force:
        check_replacement(target, len(entries), len(references))
    text = render(references, export_format, entries)
    try:
        write_text_atomically(target, text)
    except OSError as error:
        raise ExportError(f"{target}: cannot write: {error.strerror or error}") from None


# --- what every format needs from a reference ------------------------------------------------

def work_url(work: Work) -> str | None:
    """Where a reader finds the work: its DOI URL, else its PubMed page, else its PMC page."""
    return identifier_url(work.key) if work.doi or work.pmid or work.pmcid else None


def by_key(references: Sequence[Reference], keys: Mapping[str, str]) -> list[tuple[str, Reference]]:
    """(key, reference) pairs sorted by key: every format writes its entries in this order."""
    from ..keys import work_id

    return sorted(((keys[work_id(reference.work)], reference) for reference in references), key=lambda item: item[0])


def page_range(pages: str | None) -> tuple[str | None, str | None]:
    """First and last page of "12-19" / "12–19"; an article number has only a first page."""
    if not pages:
        return None, None
    for dash in ("--", "–", "—", "-"):
        if dash in pages:
            first, _, last = pages.partition(dash)
            return first.strip() or None, last.strip() or None
    return pages.strip(), None


def has_publisher_field(work: Work) -> bool:
    """Journal articles have no publisher field in Zotero; writing one only makes import noise."""
    return work.type != "journal-article" and bool(work.publisher)


_ABSENT = frozenset({"null", "none", "n/a", "na", "-"})


def present(value: str | None) -> str | None:
    """A volume or issue as Crossref gives it, or None for placeholders such as the string "null"."""
    return value if value and value.strip().lower() not in _ABSENT else None


# A suffix Crossref leaves inside the family name: "Raimundo, Jr." (Zotero, RIS and BibTeX all read
# the part after a comma in a family name as a given name).
_FAMILY_SUFFIX = re.compile(r"^(?P<family>.+?),\s*(?P<suffix>(?:Jr|Sr|Jnr|Snr)\.?|[IVX]{1,4}|\d(?:st|nd|rd|th))$")


def with_suffix_apart(person: Person) -> Person:
    """The person with a suffix written into the family name moved to `suffix`."""
    match = _FAMILY_SUFFIX.match(person.family or "")
    if match is None or person.suffix:
        return person
    return replace(person, family=match.group("family"), suffix=match.group("suffix"))


def _check_digit_ok(digits: str, weights: Iterable[int], modulus: int) -> bool:
    values = [10 if char in "Xx" else int(char) for char in digits]
    return sum(value * weight for value, weight in zip(values, weights)) % modulus == 0


def valid_issn(issn: str) -> bool:
    """An ISSN whose check digit is right (biber rejects the others)."""
    digits = issn.replace("-", "").strip()
    return bool(re.fullmatch(r"\d{7}[\dXx]", digits)) and _check_digit_ok(digits, range(8, 0, -1), 11)


def valid_isbn(isbn: str) -> bool:
    """An ISBN-10 or ISBN-13 whose check digit is right."""
    digits = re.sub(r"[\s-]", "", isbn)
    if re.fullmatch(r"\d{9}[\dXx]", digits):
        return _check_digit_ok(digits, range(10, 0, -1), 11)
    return bool(re.fullmatch(r"\d{13}", digits)) and _check_digit_ok(digits, [1, 3] * 6 + [1], 10)


def extra_lines(reference: Reference, key: str) -> list[str]:
    """`Label: value` lines Zotero reads from Extra on import: the citation key (Zotero 7 keeps the
    line, Zotero 8 fills its Citation Key field) and the PubMed identifiers."""
    work = reference.work
    lines = [f"Citation Key: {key}"]
    if work.pmid:
        lines.append(f"PMID: {work.pmid}")
    if work.pmcid:
        lines.append(f"PMCID: {work.pmcid}")
    return lines

