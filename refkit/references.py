"""Citations and resolutions -> the references to export: one per work, every citing page attached.

Pure. A work's metadata is the reconciled one (`reconcile.reconciled_work`: Crossref as the
authority, the page's listing only where Crossref has nothing). A DOI that could not be resolved
(offline, network failure) is still exported from what the pages list, with `verified=False`.
DOIs that Crossref and doi.org both do not know, and broken DOIs, are left out and returned
separately so the caller can tell the user."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from .doi import normalise as normalise_doi
from .model import Citation, Listed, Page, PageLink, Reference, Resolution
from .reconcile import reconciled_work

LeftOutReason = Literal["not_found", "broken"]


@dataclass(frozen=True)
class LeftOut:
    """A cited DOI that is not exported, and the pages that cite it."""

    doi: str
    reason: LeftOutReason
    pages: tuple[PageLink, ...]
    detail: str | None = None


@dataclass(frozen=True)
class Bibliography:
    """What `build_references` gives: the references (sorted by DOI) and what was left out."""

    references: tuple[Reference, ...]
    left_out: tuple[LeftOut, ...]


def _page_links(citations: Iterable[Citation]) -> tuple[PageLink, ...]:
    """Every citing page once, ordered by URL (then title and file, so ties are stable)."""
    links = sorted(
        {PageLink(url=c.page_url, title=c.page_title, file=c.file) for c in citations},
        key=lambda link: (link.url, link.title or "", link.file or ""),
    )
    unique: dict[str, PageLink] = {}
    for link in links:
        unique.setdefault(link.url, link)
    return tuple(unique.values())


def _merged_listing(citations: Sequence[Citation]) -> Listed | None:
    """The pages' listings combined field by field, the first page (by URL, file, line) winning."""
    listings = [
        c.listed for c in sorted(citations, key=lambda c: (c.page_url, c.file, c.line)) if c.listed is not None
    ]
    if not listings:
        return None
    return Listed(
        title=next((item.title for item in listings if item.title), None),
        journal=next((item.journal for item in listings if item.journal), None),
        year=next((item.year for item in listings if item.year), None),
        authors=next((item.authors for item in listings if item.authors), ()),
        truncated=next((item.truncated for item in listings if item.authors), False),
    )


def build_references(citations: Iterable[Citation], resolutions: Mapping[str, Resolution]) -> Bibliography:
    """One Reference per work. `resolutions` maps normalised DOIs to what resolving them gave;
    a DOI missing from it counts as unresolved (exported unverified, from the page)."""
    by_work: dict[str, list[Citation]] = defaultdict(list)
    found: dict[str, Resolution] = {}
    left: dict[tuple[str, LeftOutReason], list[Citation]] = defaultdict(list)
    details: dict[tuple[str, LeftOutReason], str | None] = {}
    for citation in citations:
        doi = normalise_doi(citation.doi)
        if citation.kind == "broken":
            left[(citation.doi, "broken")].append(citation)
            details[(citation.doi, "broken")] = citation.raw
            continue
        resolution = resolutions.get(doi)
        if resolution is not None and resolution.status == "not_found":
            left[(doi, "not_found")].append(citation)
            details[(doi, "not_found")] = resolution.reason
            continue
        if resolution is not None and resolution.status == "found" and resolution.work is not None:
            # Crossref answers an alias DOI with the work's own DOI: both citations are one work.
            doi = normalise_doi(resolution.work.doi) or doi
            found.setdefault(doi, resolution)
        by_work[doi].append(citation)
    references = []
    for doi in sorted(by_work):
        cited = by_work[doi]
        resolution = found.get(doi)
        work = reconciled_work(_merged_listing(cited), resolution, doi)
        references.append(
            Reference(
                work=work,
                pages=_page_links(cited),
                verified=resolution is not None,
                agency=resolution.agency if resolution is not None else None,
            )
        )
    left_out = tuple(
        LeftOut(doi=doi, reason=reason, pages=_page_links(cited), detail=details[(doi, reason)])
        for (doi, reason), cited in sorted(left.items())
    )
    return Bibliography(references=tuple(references), left_out=left_out)


def restrict_pages(
    pages_with_citations: Iterable[tuple[Page, Sequence[Citation]]],
    *,
    tags: Sequence[str] = (),
    categories: Sequence[str] = (),
) -> list[Citation]:
    """The citations of the pages carrying any of `tags` and any of `categories` (case-insensitive);
    no tag and no category given means every page."""
    wanted_tags = {tag.casefold() for tag in tags}
    wanted_categories = {category.casefold() for category in categories}
    selected: list[Citation] = []
    for page, page_citations in pages_with_citations:
        page_tags = {tag.casefold() for tag in page.tags}
        page_categories = {category.casefold() for category in page.categories}
        if wanted_tags and not wanted_tags & page_tags:
            continue
        if wanted_categories and not wanted_categories & page_categories:
            continue
        selected.extend(page_citations)
    return selected
