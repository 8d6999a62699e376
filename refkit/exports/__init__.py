"""Export formats: a small registry the CLI reads for its choices, and what every format shares.

Each format is a module with two functions:
- `write(references, keys, stream)`: every reference as one entry, sorted by citation key,
  byte-identical output for the same input;
- `read_keys(text) -> {doi: key}`: the keys an earlier export holds, so a re-export keeps them
  (raises ExportError when the text is not in that format, so a wrong `-o` is not overwritten).

The format modules import their heavy libraries (bibtexparser) only when called."""

from __future__ import annotations

import importlib
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TextIO
from urllib.parse import quote

from ..atomic import write_text_atomically
from ..doi import normalise
from ..errors import ExportError
from ..keys import assign_keys
from ..model import Reference, Work

DEFAULT_FOLDER = "exports"
DEFAULT_NAME = "bibliography"
CITED_ON = "Cited on wiki page: "
UNVERIFIED = "Not verified against Crossref"


class ExportModule(Protocol):
    def write(self, references: Sequence[Reference], keys: Mapping[str, str], stream: TextIO) -> None: ...

    def read_keys(self, text: str) -> dict[str, str]: ...


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


def render(references: Sequence[Reference], export_format: ExportFormat, existing: str = "") -> str:
    """The whole export as text; `existing` is an earlier export whose keys are kept."""
    module = export_format.load()
    keys = assign_keys(references, module.read_keys(existing) if existing.strip() else {})
    stream = io.StringIO(newline="\n")
    module.write(references, keys, stream)
    return stream.getvalue()


def export_file(references: Sequence[Reference], export_format: ExportFormat, path: str | os.PathLike[str]) -> None:
    """Write the export to `path` atomically, keeping the keys the file already holds.
    If anything fails on the way, the previous file is left as it was."""
    target = Path(path)
    try:
        existing = target.read_text(encoding="utf-8") if target.is_file() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise ExportError(f"{target}: cannot read the previous export: {error}") from None
    text = render(references, export_format, existing)
    try:
        write_text_atomically(target, text)
    except OSError as error:
        raise ExportError(f"{target}: cannot write: {error.strerror or error}") from None


# --- what every format needs from a reference ------------------------------------------------

# Characters left as they are in a DOI URL: RFC 3986 sub-delimiters and the path characters DOIs
# use; everything else (space, <, >, {, }, %, #, ", \, ^, `, |) is percent-encoded.
_DOI_URL_SAFE = "/:;@!$&'()*+,=[]-._~"


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe=_DOI_URL_SAFE)


def by_key(references: Sequence[Reference], keys: Mapping[str, str]) -> list[tuple[str, Reference]]:
    """(key, reference) pairs sorted by key: every format writes its entries in this order."""
    return sorted(((keys[normalise(reference.work.doi)], reference) for reference in references), key=lambda item: item[0])


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
