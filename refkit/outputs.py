"""What `scan` and `resolve` write on stdout: one record per citation or per identifier, in a
small registry of formats (name -> writer), as exports and reporters have theirs.

A writer is made with the stream and takes one record at a time (`write`), so output streams as
pages are read. The JSON keys are public API: add keys, never rename one."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Generic, Protocol, TextIO, TypeVar

from .model import Citation, Resolution, split_key

T = TypeVar("T", contravariant=True)


class Writer(Protocol, Generic[T]):
    def write(self, record: T) -> None: ...


def listed_json(citation: Citation) -> dict[str, Any] | None:
    listed = citation.listed
    if listed is None:
        return None
    return {
        "title": listed.title,
        "journal": listed.journal,
        "year": listed.year,
        "authors": [
            {"given": person.given, "family": person.family if person.family is not None else person.literal}
            for person in listed.authors
        ],
        "truncated": listed.truncated,
    }


def citation_json(citation: Citation) -> dict[str, Any]:
    return {
        "kind": citation.kind,
        "id": citation.id,
        "doi": citation.doi,
        "raw": citation.raw,
        "file": citation.file,
        "line": citation.line,
        "column": citation.column,
        "page_url": citation.page_url,
        "listed": listed_json(citation),
        "candidates": list(citation.candidates),
    }


class _JsonLines:
    def __init__(self, stream: TextIO, to_json: Callable[[Any], dict[str, Any]]) -> None:
        self._stream = stream
        self._to_json = to_json

    def write(self, record: Any) -> None:
        self._stream.write(json.dumps(self._to_json(record), ensure_ascii=False) + "\n")


def _citation_label(citation: Citation) -> str:
    if citation.kind == "broken":
        return f"broken DOI {citation.raw!r}"
    return citation.id if citation.kind == "doi" else f"{citation.kind.upper()} {citation.id}"


class _CitationText:
    """`file:line:column: identifier`, as compilers and editors read positions."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, citation: Citation) -> None:
        self._stream.write(f"{citation.file}:{citation.line}:{citation.column}: {_citation_label(citation)}\n")


CSV_COLUMNS = (
    "kind", "id", "doi", "raw", "file", "line", "column", "page_url", "title", "journal", "year", "authors", "truncated",
    "candidates",
)  # fmt: skip


class _CitationCsv:
    """The jsonl keys as columns, the listed authors and the candidates joined by `; `."""

    def __init__(self, stream: TextIO) -> None:
        self._table = csv.writer(stream, lineterminator="\n")
        self._table.writerow(CSV_COLUMNS)

    def write(self, citation: Citation) -> None:
        listed = citation.listed
        self._table.writerow(
            [
                citation.kind, citation.id, citation.doi or "", citation.raw, citation.file, citation.line,
                citation.column, citation.page_url, listed.title if listed else "", listed.journal if listed else "",
                listed.year if listed and listed.year else "",
                "; ".join(person.display() for person in listed.authors) if listed else "",
                ("yes" if listed.truncated else "no") if listed else "",
                "; ".join(citation.candidates),
            ]
        )  # fmt: skip


@dataclasses.dataclass(frozen=True)
class ResolvedIdentifier:
    """One identifier as `resolve` reports it: its answer and the files citing it."""

    resolution: Resolution
    pages: Sequence[str]


def resolved_json(item: ResolvedIdentifier) -> dict[str, Any]:
    resolution = item.resolution
    scheme, value = split_key(resolution.key)
    return {
        "kind": scheme,
        "id": value,
        "doi": value if scheme == "doi" else None,
        "status": resolution.status,
        "agency": resolution.agency,
        "reason": resolution.reason,
        "repaired": resolution.repaired,
        "pages": list(item.pages),
        "work": dataclasses.asdict(resolution.work) if resolution.work is not None else None,
    }


class _ResolvedText:
    """Tab-separated: identifier, status, agency, then the title and year, or the reason."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, item: ResolvedIdentifier) -> None:
        resolution = item.resolution
        if resolution.work is not None:
            year = f" ({resolution.work.year})" if resolution.work.year else ""
            detail = f"{resolution.work.title or '(no title)'}{year}"
        else:
            detail = resolution.reason or ""
        self._stream.write("\t".join((resolution.key, resolution.status, resolution.agency or "-", detail)) + "\n")


SCAN_FORMATS: Mapping[str, Callable[[TextIO], Writer[Citation]]] = MappingProxyType(
    {
        "text": _CitationText,
        "jsonl": lambda stream: _JsonLines(stream, citation_json),
        "csv": _CitationCsv,
    }
)
RESOLVE_FORMATS: Mapping[str, Callable[[TextIO], Writer[ResolvedIdentifier]]] = MappingProxyType(
    {
        "text": _ResolvedText,
        "jsonl": lambda stream: _JsonLines(stream, resolved_json),
    }
)
