"""Pages -> citations: every DOI, PMID and PMCID on a page, at its first occurrence, with what the page
lists about it."""

from __future__ import annotations

import dataclasses
import functools
import os
import signal
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .doi import find_dois
from .errors import ConfigError, PageError
from .model import Citation, CitationKind, Listed, Page, split_key
from .pages import front_matter_handlers, iter_page_files, read_page
from .pubmed import find_pubmed_ids

if TYPE_CHECKING:
    from multiprocessing.pool import Pool


@dataclass(frozen=True)
class _Found:
    """One identifier found in a page's text, whichever finder found it."""

    start: int
    kind: CitationKind
    id: str
    raw: str
    candidates: tuple[str, ...] = ()


def _identifiers(body: str) -> list[_Found]:
    """Every DOI, broken DOI, PMID and PMCID in the text, in order of where they start."""
    found = [
        _Found(match.start, "broken" if match.broken else "doi", match.doi, match.raw, match.candidates)
        for match in find_dois(body)
    ]
    found += [_Found(match.start, match.kind, match.id, match.raw) for match in find_pubmed_ids(body)]
    return sorted(found, key=lambda item: item.start)


def scan_page(page: Page, *, all_occurrences: bool = False, read_listings: bool = True) -> list[Citation]:
    """The citations on one page: one per distinct identifier (or broken DOI) at its first
    occurrence, or every occurrence with `all_occurrences`; without `read_listings`, `listed`
    stays None (reading what the page lists is most of a scan's time)."""
    body = page.body
    found = _identifiers(body)
    if not found:
        return []
    listed_near = _listing_reader() if read_listings else None
    lines = body.split("\n")
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    citations: list[Citation] = []
    line_index = line_start = 0
    counted_to = 0  # newlines are counted up to here, so the whole scan counts each once
    # One listing per line: a line of thousands of DOIs (hostile or generated) is read once, not once per DOI.
    listed_on_line: dict[int, Listed | None] = {}
    # A listing describes the first identifier it stands next to. A later DOI near the same study's
    # lines (a figure, a "see also") gets none, or it would be checked and exported as that study; a
    # PMID or PMCID there is the same study under another scheme, and says so (`same_work`).
    listing_owner: dict[tuple[str, object], int] = {}
    for item in found:
        # Two different cuts can leave the same text up to the cut (`10.1016/j`): their candidates tell them apart.
        key = (item.kind, item.id, item.candidates)
        if key in seen and not all_occurrences:
            continue
        seen.add(key)
        newlines = body.count("\n", counted_to, item.start)
        if newlines:
            line_index += newlines
            line_start = body.rfind("\n", counted_to, item.start) + 1
        counted_to = item.start
        citation = Citation(
            kind=item.kind,
            id=item.id,
            raw=item.raw,
            file=page.file,
            line=page.body_line + line_index,
            column=item.start - line_start + 1,
            page_url=page.url,
            page_title=page.title,
            candidates=item.candidates,
        )
        if listed_near is not None:
            if line_index not in listed_on_line:
                listed_on_line[line_index] = listed_near(lines, line_index, page.body_line)
            listed = listed_on_line[line_index]
            if listed is not None:
                owner = listing_owner.setdefault(_listing_part(listed, line_index), len(citations))
                if owner == len(citations):
                    citation = dataclasses.replace(citation, listed=listed)
                elif _same_study(citations, owner, citation):
                    citations[owner] = _also(citations[owner], citation.key)
                    citation = _also(citation, citations[owner].key)
        citations.append(citation)
    return citations


LISTING_FIELDS = ("listed", "same_work")
"""The Citation fields only reading listings fills (`same_work`: only listings tell it): what scan_page
gives without `read_listings` is what it gives with them, these fields left at their defaults."""


def _listing_reader() -> Callable[[list[str], int, int], Listed | None]:
    """The listing reader, loaded only by scans that read listings: its patterns take longer to
    compile than a text scan takes to start."""
    from .listed import listed_near

    return listed_near


def _listing_part(listed: Listed, line_index: int) -> tuple[str, object]:
    """What makes two reads of a page's lines the same listing: its author line (or, without
    authors, its title; without either, the citation line)."""
    if listed.authors:
        return ("authors", listed.authors_line)
    return ("title", listed.title) if listed.title else ("line", line_index)


def _same_study(citations: list[Citation], owner: int, other: Citation) -> bool:
    """Whether `other`, beside the listing `citations[owner]` owns, names the owner's study.

    A study has one DOI, one PMID, one PMCID: two DOIs there are a study and, say, its figure.
    And the study's identifiers come together: once the owner has an identifier of `other`'s
    kind, or another of the owner's kind stands between them, `other` belongs to the next study
    (a line holding several numbered references: `94. … PMID:1; doi:A. 95. … doi:B`)."""
    first = citations[owner]
    kinds = {first.kind, other.kind}
    if len(kinds) != 2 or "broken" in kinds:
        return False
    if any(split_key(key)[0] == other.kind for key in first.same_work):
        return False
    return not any(between.kind == first.kind for between in citations[owner + 1 :])


def _also(citation: Citation, key: str) -> Citation:
    """The citation, knowing that `key` names its study too."""
    if key == citation.key or key in citation.same_work:
        return citation
    return dataclasses.replace(citation, same_work=(*citation.same_work, key))


# Below this many pages, starting worker processes costs more than it saves.
_PARALLEL_MIN_PAGES = 64


def _scan_file(
    item: tuple[Path, Path], settings: Settings, all_occurrences: bool, read_listings: bool
) -> tuple[Page, list[Citation]] | PageError:
    file, root = item
    try:
        page = read_page(file, settings, root)
    except PageError as error:
        return error
    citations = scan_page(page, all_occurrences=all_occurrences, read_listings=read_listings)
    # The body stays in the worker: callers downstream need the citations, not the text.
    return dataclasses.replace(page, body=""), citations


def scan_paths(
    paths: Iterable[str | Path],
    settings: Settings,
    on_skip: Callable[[PageError], None] | None = None,
    *,
    all_occurrences: bool = False,
    read_listings: bool = True,
    select: Callable[[Path], bool] | None = None,
    workers: int | None = None,
    cache: bool = False,
    warn: Callable[[str], None] | None = None,
) -> Iterator[tuple[Page, list[Citation]]]:
    """(page, its citations) for every readable page under `paths` (only the files `select` keeps,
    if given), in a stable order, streamed: pages are read by `workers` processes (default: one
    per core) a few at a time, never all held. The pages yielded carry no body. Unreadable pages
    go to `on_skip` and the walk goes on. With `cache`, a page unchanged since a scan kept in the
    settings' store is taken from there, not read (`page_cache`); a store that cannot be used is
    said once to `warn`, and the scan goes on reading every page."""
    paths = list(paths)
    found = list(iter_page_files(paths))
    if not found:
        # A wrong path must not pass a CI gate as "0 pages, nothing wrong".
        raise ConfigError(f"no pages under {', '.join(map(str, paths))}: no *.md or *.markdown file there")
    files = [item for item in found if select is None or select(item[0])]
    scan_one = functools.partial(
        _scan_file, settings=settings, all_occurrences=all_occurrences, read_listings=read_listings
    )

    def read(unread: Sequence[tuple[Path, Path]]) -> Generator[tuple[Page, list[Citation]] | PageError, None, None]:
        # The pool only pays for itself when enough pages are left to read.
        pool = _worker_pool(workers or os.cpu_count() or 1, read_listings) if len(unread) >= _PARALLEL_MIN_PAGES else None
        if pool is None:
            yield from map(scan_one, unread)
            return
        with pool:
            yield from pool.imap(scan_one, unread, chunksize=16)

    page_cache = None
    if cache:
        from .page_cache import PageCache  # loads SQLite: only scans that use the store pay for it

        page_cache = PageCache.open(
            settings, all_occurrences=all_occurrences, read_listings=read_listings, warn=warn, listing_fields=LISTING_FIELDS
        )
    yield from _report_skips(read(files) if page_cache is None else page_cache.scanned(files, read), on_skip)


def _worker_pool(workers: int, read_listings: bool) -> Pool | None:
    """Processes to read pages in (None with one worker, or where processes cannot be forked).
    multiprocessing is loaded only here: a small wiki, or a page or two, is scanned without it."""
    if workers < 2:
        return None
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    front_matter_handlers()  # loaded once here, before the workers fork, not once in each
    if read_listings:
        _listing_reader()
    return multiprocessing.get_context("fork").Pool(workers, initializer=_leave_interrupts_to_the_parent)


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches every process of the terminal's group: the workers ignore it and the parent
    stops them, so an interrupted scan ends with one line, not a traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _report_skips(
    results: Iterable[tuple[Page, list[Citation]] | PageError], on_skip: Callable[[PageError], None] | None
) -> Iterator[tuple[Page, list[Citation]]]:
    for result in results:
        if isinstance(result, PageError):
            if on_skip is not None:
                on_skip(result)
        else:
            yield result
