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
from .model import Citation, Listed, Page, PageLink, Reference, Resolution, Work, split_key
from .reconcile import reconciled_work

LeftOutReason = Literal["not_found", "broken"]


@dataclass(frozen=True)
class LeftOut:
    """A cited identifier that is not exported, and the pages that cite it."""

    key: str
    """The identifier (`model.id_key`; for a broken DOI, its text)."""
    reason: LeftOutReason
    pages: tuple[PageLink, ...]
    detail: str | None = None


@dataclass(frozen=True)
class Bibliography:
    """What `build_references` gives: the references (sorted by identifier) and what was left out."""

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
    with_authors = next((item for item in listings if item.authors), Listed())
    return Listed(
        title=next((item.title for item in listings if item.title), None),
        journal=next((item.journal for item in listings if item.journal), None),
        year=next((item.year for item in listings if item.year), None),
        authors=with_authors.authors,
        truncated=with_authors.truncated,
        authors_unread=with_authors.authors_unread,
    )


def _node(key: str) -> str:
    """One spelling per identifier: DOIs compared in normalised form (a broken DOI's key as it is)."""
    if key.startswith("broken:"):
        return key
    scheme, value = split_key(key)
    return normalise_doi(value) if scheme == "doi" else key


class _Groups:
    """Union-find over identifiers: the keys that name one work end in one group."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self._parent.setdefault(key, key)
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]
            key = self._parent[key]
        return key

    def join(self, first: str, second: str) -> None:
        self._parent[self.find(second)] = self.find(first)


def _contradicts(resolution: Resolution | None, key: str) -> bool:
    """Whether the registry's work of `resolution` has an identifier of `key`'s scheme that is
    another one (PubMed's record names a different DOI than the page gives beside the PMID)."""
    if resolution is None or resolution.status != "found" or resolution.work is None or key.startswith("broken:"):
        return False
    scheme = split_key(key)[0]
    own = {_node(other) for other in resolution.work.keys if split_key(other)[0] == scheme}
    return bool(own) and _node(key) not in own


def _authority(answers: Sequence[Resolution]) -> Resolution | None:
    """The answer whose work speaks for the group: a DOI registry's record before PubMed's alone."""
    found = [answer for answer in answers if answer.status == "found" and answer.work is not None]
    return min(found, key=lambda answer: (answer.agency == "pubmed", not (answer.work and answer.work.doi)), default=None)


def build_references(citations: Iterable[Citation], resolutions: Mapping[str, Resolution]) -> Bibliography:
    """One Reference per work. `resolutions` maps citation keys to what resolving them gave (after
    `reconcile.confirm_repairs`); a key missing from it counts as unresolved (exported unverified,
    from the page). Identifiers name one work when a registry says so (a PubMed record's DOI,
    Crossref's answer for an alias, a confirmed repair) or the page gives them for one study."""
    groups = _Groups()
    kept: list[tuple[Citation, Resolution | None]] = []
    left: dict[tuple[str, LeftOutReason], list[Citation]] = defaultdict(list)
    details: dict[tuple[str, LeftOutReason], str | None] = {}
    for citation in citations:
        resolution = resolutions.get(citation.key)
        repaired = resolution is not None and resolution.repaired is not None
        if citation.kind == "broken" and not repaired:
            left[(citation.id, "broken")].append(citation)
            details[(citation.id, "broken")] = citation.raw
            continue
        if resolution is not None and resolution.status == "not_found":
            node = _node(citation.key)
            left[(node, "not_found")].append(citation)
            details[(node, "not_found")] = resolution.reason
            continue
        node = groups.find(_node(citation.key))
        if resolution is not None and resolution.work is not None:
            for key in resolution.work.keys:
                groups.join(node, _node(key))
        for key in citation.same_work:
            other = resolutions.get(key)
            if other is not None and other.status == "not_found":
                continue
            # Where a registry says the two are different works (`pmid-doi-mismatch`), they stay two.
            if not _contradicts(resolution, (other.repaired if other else None) or key) and not _contradicts(other, citation.key):
                groups.join(node, _node(key))
        kept.append((citation, resolution))
    by_group: dict[str, list[tuple[Citation, Resolution | None]]] = defaultdict(list)
    for citation, resolution in kept:
        by_group[groups.find(_node(citation.key))].append((citation, resolution))
    references = []
    for members in by_group.values():
        cited = [citation for citation, _ in members]
        authority = _authority([resolution for _, resolution in members if resolution is not None])
        if authority is not None and authority.work is not None:
            work = reconciled_work(_merged_listing(cited), authority.work)
        else:
            work = reconciled_work(_merged_listing(cited), _cited_work(cited))
        references.append(
            Reference(
                work=work,
                pages=_page_links(cited),
                verified=authority is not None,
                agency=authority.agency if authority is not None else None,
            )
        )
    references.sort(key=lambda reference: _node(reference.work.key))
    left_out = tuple(
        LeftOut(key=key, reason=reason, pages=_page_links(cited), detail=details[(key, reason)])
        for (key, reason), cited in sorted(left.items())
    )
    return Bibliography(references=tuple(references), left_out=left_out)


def _cited_work(cited: Sequence[Citation]) -> Work:
    """An unverified work: every identifier its pages give for it."""
    found: dict[str, str] = {}
    for citation in cited:
        for key in (citation.key, *citation.same_work):
            scheme, value = split_key(key)
            found.setdefault(scheme, normalise_doi(value) if scheme == "doi" else value)
    return Work(doi=found.get("doi"), pmid=found.get("pmid"), pmcid=found.get("pmcid"))


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
