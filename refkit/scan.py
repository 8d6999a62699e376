"""Pages -> citations: every DOI on a page, at its first occurrence, with what the page lists about it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .doi import find_dois
from .errors import PageError
from .listed import listed_near
from .model import Citation, Page


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def scan_page(page: Page, *, all_occurrences: bool = False) -> list[Citation]:
    """The citations on one page: one per distinct DOI (or broken DOI) at its first occurrence,
    or every occurrence with `all_occurrences`."""
    body = page.body
    matches = find_dois(body)
    if not matches:
        return []
    starts = _line_starts(body)
    lines = body.split("\n")
    seen: set[tuple[str, str]] = set()
    citations = []
    line_index = 0
    for match in matches:
        key = ("broken" if match.broken else "doi", match.doi)
        if key in seen and not all_occurrences:
            continue
        seen.add(key)
        while line_index + 1 < len(starts) and starts[line_index + 1] <= match.start:
            line_index += 1
        citations.append(
            Citation(
                kind=key[0],
                doi=match.doi,
                raw=match.raw,
                file=page.file,
                line=page.body_line + line_index,
                column=match.start - starts[line_index] + 1,
                page_url=page.url,
                page_title=page.title,
                listed=None if match.broken else listed_near(lines, line_index, page.body_line),
            )
        )
    return citations


@dataclass(frozen=True)
class ScanSummary:
    pages: int
    citations: int
    dois: int
    broken: int
    skipped: int


def scan_paths(
    paths: Iterable[str | Path],
    settings: Settings,
    on_skip: Callable[[PageError], None] | None = None,
    *,
    all_occurrences: bool = False,
) -> Iterator[tuple[Page, list[Citation]]]:
    """(page, its citations) for every readable page under `paths`, streamed one page at a time.
    Unreadable pages go to `on_skip` and the walk goes on."""
    from .pages import iter_pages

    for item in iter_pages(paths, settings):
        if isinstance(item, PageError):
            if on_skip is not None:
                on_skip(item)
            continue
        yield item, scan_page(item, all_occurrences=all_occurrences)
