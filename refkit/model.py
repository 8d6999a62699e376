"""The data model: plain frozen dataclasses that flow one way,
pages -> citations -> works -> references -> exports / findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

IdScheme = Literal["doi", "pmid", "pmcid"]
"""The identifier schemes refkit finds on pages and resolves."""
CitationKind = Literal["doi", "pmid", "pmcid", "broken"]
"""An identifier's scheme, or `broken` for DOI-like text that is not a DOI as written."""
ResolutionStatus = Literal["found", "not_found", "unresolved"]
Severity = Literal["error", "warning", "info"]


def id_key(scheme: IdScheme, value: str) -> str:
    """One string per identifier, for mappings and the store: a DOI stands for itself (every DOI
    starts with `10.`), the others carry their scheme: `pmid:23174181`, `pmcid:PMC3761874`."""
    return value if scheme == "doi" else f"{scheme}:{value}"


def split_key(key: str) -> tuple[IdScheme, str]:
    """The inverse of `id_key`."""
    scheme, _, value = key.partition(":")
    if scheme in ("pmid", "pmcid") and value:
        return scheme, value  # type: ignore[return-value]
    return "doi", key


# Characters left as they are in a DOI URL: RFC 3986 sub-delimiters and the path characters DOIs
# use; everything else (space, <, >, {, }, %, #, ", \, ^, `, |) is percent-encoded.
_DOI_URL_SAFE = "/:;@!$&'()*+,=[]-._~"


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe=_DOI_URL_SAFE)


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid, safe='')}/"


def pmc_url(pmcid: str) -> str:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{quote(pmcid, safe='')}/"


def identifier_url(key: str) -> str:
    """Where a reader finds the work an identifier (`id_key`) names: doi.org, PubMed or PMC."""
    scheme, value = split_key(key)
    return pubmed_url(value) if scheme == "pmid" else pmc_url(value) if scheme == "pmcid" else doi_url(value)


@dataclass(frozen=True)
class Person:
    """A person or an organisation. Organisations carry only `literal`."""

    given: str | None = None
    family: str | None = None
    literal: str | None = None
    suffix: str | None = None
    orcid: str | None = None

    @property
    def is_organisation(self) -> bool:
        return self.literal is not None and self.family is None

    def display(self) -> str:
        if self.literal is not None and self.family is None:
            return self.literal
        return " ".join(part for part in (self.given, self.family, self.suffix) if part)


@dataclass(frozen=True)
class Page:
    """One wiki page: where it is, where it lives on the wiki, and its front matter."""

    file: str
    url: str
    title: str | None = None
    slug: str | None = None
    date: str | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    body: str = field(default="", repr=False, compare=False)
    body_line: int = 1
    """Line number (1-based) in the file where `body` starts."""


@dataclass(frozen=True)
class Listed:
    """What a page itself says about a cited work, next to its DOI."""

    title: str | None = None
    journal: str | None = None
    year: int | None = None
    authors: tuple[Person, ...] = ()
    truncated: bool = False
    authors_unread: bool = False
    """Pieces of the author listing holding names were left unread, never guessed at (names glued
    into one word, a run of names only a guess cuts apart): the page names authors `authors` lacks,
    so none is reported missing."""
    authors_line: int | None = None
    """File line of the author listing, so findings about names point at it."""


@dataclass(frozen=True)
class Citation:
    """One identifier (DOI, PMID, PMCID, or broken DOI) on one page, at its first occurrence."""

    kind: CitationKind
    id: str
    """The normalised identifier: a DOI, `23174181`, `PMC3761874`, or for `broken` the text as cut."""
    raw: str
    file: str
    line: int
    column: int
    page_url: str
    page_title: str | None = None
    listed: Listed | None = None
    candidates: tuple[str, ...] = ()
    """DOIs this damaged DOI may have been meant as (a space, a PDF hyphen or a typo undone), best
    first; only the registry can tell which, if any, is real."""
    same_work: tuple[str, ...] = ()
    """Keys (`id_key`) of the other identifiers the page gives for the same study's listing."""

    @property
    def doi(self) -> str | None:
        """The DOI (or for `broken`, the DOI-like text); None for PMIDs and PMCIDs."""
        return self.id if self.kind in ("doi", "broken") else None

    @property
    def key(self) -> str:
        """The identifier's `id_key`. A broken DOI is known by the whole damaged text (`broken:` and
        `raw`, white space folded): two cuts can leave the same text before the damage
        (`10.1016/j. ejphar…`, `10.1016/j. ffa…`), and each must keep its own repair."""
        return id_key(self.kind, self.id) if self.kind != "broken" else "broken:" + " ".join(self.raw.split())


@dataclass(frozen=True)
class Update:
    """An update relation between works (Crossref `updated-by` / `update-to`, PubMed's comments and
    corrections)."""

    type: str
    id: str
    """The other work, as an `id_key` (a DOI, or `pmid:…` for PubMed's links)."""
    source: str | None = None
    label: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Work:
    """A work's metadata, normalised from Crossref JSON, CSL-JSON or PubMed XML."""

    doi: str | None = None
    """None for a work known only by its PubMed or PMC id."""
    type: str = "journal-article"
    """Crossref's type vocabulary, whatever the source."""
    title: str | None = None
    subtitle: str | None = None
    other_titles: tuple[str, ...] = ()
    """The work's titles in other forms: original-language, translated and short titles."""
    authors: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    container_title: str | None = None
    short_container_title: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    issued: tuple[int, ...] = ()
    """Date parts of the issued date: (year,), (year, month) or (year, month, day)."""
    years: tuple[int, ...] = ()
    """Every year the work carries (issued, print, online, created), for tolerant year checks."""
    publisher: str | None = None
    issn: tuple[str, ...] = ()
    isbn: tuple[str, ...] = ()
    url: str | None = None
    language: str | None = None
    updated_by: tuple[Update, ...] = ()
    update_to: tuple[Update, ...] = ()
    component_of: str | None = None
    """For a component DOI (a figure or table), the DOI of the work it belongs to."""
    pmid: str | None = None
    pmcid: str | None = None
    publication_types: tuple[str, ...] = ()
    """PubMed's publication types ("Journal Article", "Retracted Publication", ...)."""

    @property
    def key(self) -> str:
        """The work's identity: its DOI when known, else its PMID, else its PMCID."""
        if self.doi:
            return self.doi
        if self.pmid:
            return id_key("pmid", self.pmid)
        return id_key("pmcid", self.pmcid or "")

    @property
    def keys(self) -> tuple[str, ...]:
        """Every identifier the work carries, as `id_key`s."""
        pairs: tuple[tuple[IdScheme, str | None], ...] = (("doi", self.doi), ("pmid", self.pmid), ("pmcid", self.pmcid))
        return tuple(id_key(scheme, value) for scheme, value in pairs if value)

    @property
    def year(self) -> int | None:
        return self.issued[0] if self.issued else None

    @property
    def full_title(self) -> str | None:
        """Title and subtitle as one string (markup kept)."""
        if self.title and self.subtitle:
            return f"{self.title}: {self.subtitle}"
        return self.title or self.subtitle


@dataclass(frozen=True)
class Resolution:
    """What resolving one identifier gave: a work, "not found", or why it could not be told."""

    key: str
    """The identifier asked for, as an `id_key`."""
    status: ResolutionStatus
    agency: str | None = None
    reason: str | None = None
    work: Work | None = None
    fetched_at: float | None = None
    repaired: str | None = None
    """For a damaged DOI: the DOI the registry holds and the page's listing agrees with (the work)."""


@dataclass(frozen=True)
class PageLink:
    """A wiki page that cites a work."""

    url: str
    title: str | None = None
    file: str | None = None


@dataclass(frozen=True)
class Reference:
    """One work as exported: reconciled metadata and every page citing it."""

    work: Work
    pages: tuple[PageLink, ...]
    verified: bool
    """False when the metadata comes only from the page (the DOI could not be resolved)."""
    agency: str | None = None


@dataclass(frozen=True)
class Finding:
    """One problem found in the wiki."""

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    doi: str | None
    message: str
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    id: str | None = None
    """The cited identifier as an `id_key` (the DOI itself for DOIs, `pmid:…`, `pmcid:…`)."""
