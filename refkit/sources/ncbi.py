"""NCBI: the only module that talks to NCBI. PMIDs through E-utilities `efetch` (PubMed XML, batched),
PMCIDs through the PMC ID Converter (to their PMID and DOI) and then the same; `work_from_pubmed`
turns one PubMed record into refkit's Work, so nothing downstream touches PubMed's XML.

NCBI's rules are kept: `tool` and `email` on every request and `api_key` when set, at most 3
requests/s without a key and 10 with one, 429 and 5xx retried after Retry-After, long id lists
POSTed (a GET of ~2,000 ids was answered 414) and batches of at most 200 ids."""

from __future__ import annotations

import dataclasses
import random
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any
from urllib.parse import urlencode

from ..config import Settings
from ..doi import find_dois, normalise
from ..model import Person, Resolution, Update, Work, id_key, pmc_url, pubmed_url, split_key
from ..pubmed import normalise_pmcid, normalise_pmid
from .http import HttpClient, json_body, request_pool
from .pacing import SAFETY, NetworkWatch, NotFound, Offline, Refused, RetryPolicy, Throttle, Transient, offline, with_retries
from .records import orcid, strings, text

BATCH_MAX = 200
"""Ids per efetch or ID Converter request (the converter's documented limit; NCBI asks for POST above it)."""
GET_URL_MAX = 1024
"""An efetch request whose URL would be longer is POSTed: servers and proxies limit URLs, not form bodies."""
RATE = {False: 3.0, True: 10.0}
"""E-utilities requests per second, without and with an API key."""
TOOL = "refkit"

# --- PubMed XML -> Work (pure) --------------------------------------------------------------------

_MONTHS = {name: number for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MEDLINE_DATE = re.compile(r"(\d{4})(?:\s+([A-Za-z]{3}))?")
_ARTICLE_NUMBER = re.compile(r"e?\d+", re.IGNORECASE)
# PubMed's ISO 639-2 (bibliographic) language codes as the two-letter codes Crossref and CSL use.
_LANGUAGES = dict(
    pair.split(":")
    for pair in (
        "afr:af alb:sq amh:am ara:ar arm:hy aze:az ben:bn bos:bs bul:bg cat:ca chi:zh cze:cs dan:da dut:nl eng:en "
        "epo:eo est:et fin:fi fre:fr geo:ka ger:de gla:gd gre:el heb:he hin:hi hrv:hr hun:hu ice:is ind:id ita:it "
        "jpn:ja kin:rw kor:ko lat:la lav:lv lit:lt mac:mk mal:ml mao:mi may:ms nor:no per:fa pol:pl por:pt pus:ps "
        "rum:ro rus:ru san:sa slo:sk slv:sl spa:es srp:sr swe:sv tha:th tur:tr ukr:uk urd:ur vie:vi wel:cy"
    ).split()
)
# CommentsCorrections that are update relations, as (direction, Crossref's update type). "In": this
# record is updated by the other; "Of"/"For": this record is the notice updating the other.
_UPDATES = {
    "RetractionIn": ("updated_by", "retraction"),
    "RetractionOf": ("update_to", "retraction"),
    "PartialRetractionIn": ("updated_by", "partial_retraction"),
    "PartialRetractionOf": ("update_to", "partial_retraction"),
    "ErratumIn": ("updated_by", "erratum"),
    "ErratumFor": ("update_to", "erratum"),
    "CorrectedandRepublishedIn": ("updated_by", "correction"),
    "CorrectedandRepublishedFrom": ("update_to", "correction"),
    "ExpressionOfConcernIn": ("updated_by", "expression_of_concern"),
    "ExpressionOfConcernFor": ("update_to", "expression_of_concern"),
}
# Publication types that say the same without a link (PubMed normally gives the link as well).
_UPDATE_TYPES = {"Retracted Publication": ("updated_by", "retraction"), "Retraction of Publication": ("update_to", "retraction")}


def _local(tag: str) -> str:
    """An element's tag without its namespace; MathML keeps the `mml:` prefix markup.py knows."""
    namespace, _, name = tag.rpartition("}")
    return f"mml:{name}" if "MathML" in namespace else name


def _marked(element: ET.Element | None) -> str | None:
    """An element's text with its inline markup (`<i>`, `<sub>`, `<sup>`, MathML) kept as tags, as
    Crossref writes titles; whitespace folded."""
    if element is None:
        return None

    def inner(node: ET.Element) -> str:
        parts = [node.text or ""]
        for child in node:
            tag = _local(child.tag)
            parts.append(f"<{tag}>{inner(child)}</{tag}>{child.tail or ''}")
        return "".join(parts)

    return text(inner(element))


def _title(element: ET.Element | None) -> str | None:
    """PubMed ends every title with a full stop that is not part of it."""
    title = _marked(element)
    return title[:-1] if title and title.endswith(".") and not title.endswith("..") else title


def _month(value: str | None) -> int | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return _MONTHS.get(value[:3].lower())


def _date(element: ET.Element | None) -> tuple[int, ...]:
    """(year[, month[, day]]) of a PubDate/ArticleDate; a MedlineDate such as "2013 Jan-Feb" or
    "1998 Dec-1999 Jan" gives its first year and month."""
    if element is None:
        return ()
    year = element.findtext("Year")
    if year and year.strip().isdigit():
        month = _month(element.findtext("Month"))
        day = element.findtext("Day")
        if month is None:
            return (int(year),)
        if day and day.strip().isdigit() and 1 <= int(day) <= 31:
            return int(year), month, int(day)
        return int(year), month
    match = _MEDLINE_DATE.match((element.findtext("MedlineDate") or "").strip())
    if match is None:
        return ()
    month = _MONTHS.get(match.group(2).lower()) if match.group(2) else None
    return (int(match.group(1)), month) if month else (int(match.group(1)),)


def _people(author_list: ET.Element | None) -> tuple[Person, ...]:
    """Authors (or editors) as PubMed writes them: last name, fore name or initials, suffix; a
    collective name as an organisation. Entries PubMed marks invalid (ValidYN="N") are left out."""
    if author_list is None:
        return ()
    people = []
    for author in author_list.iterfind("Author"):
        if author.get("ValidYN") == "N":
            continue
        identifier = next((orcid(node.text) for node in author.iterfind("Identifier") if node.get("Source") == "ORCID"), None)
        collective = _marked(author.find("CollectiveName"))
        family = text(author.findtext("LastName"))
        if family is None and collective is not None:
            people.append(Person(literal=collective, orcid=identifier))
        elif family is not None:
            given = text(author.findtext("ForeName")) or text(author.findtext("Initials"))
            people.append(Person(given=given, family=family, suffix=text(author.findtext("Suffix")), orcid=identifier))
    return tuple(people)


def _author_lists(parent: ET.Element | None) -> dict[str, ET.Element]:
    """A parent's AuthorLists by Type (`authors` when unsaid, `editors`)."""
    if parent is None:
        return {}
    return {author_list.get("Type", "authors"): author_list for author_list in parent.iterfind("AuthorList")}


def _pages(pagination: ET.Element | None, locations: list[ET.Element]) -> str | None:
    """Start-end page in full when PubMed gives both, else its MedlinePgn (`1029-36` expanded to
    `1029-1036`), else an article number (ELocationID `e0182390`)."""
    if pagination is not None:
        start, end = text(pagination.findtext("StartPage")), text(pagination.findtext("EndPage"))
        if start and end:
            return f"{start}-{end}"
        medline = text(pagination.findtext("MedlinePgn"))
        if medline:
            first, dash, last = medline.partition("-")
            if dash and first.isdigit() and last.isdigit() and len(last) < len(first):
                return f"{first}-{first[: len(first) - len(last)]}{last}"
            return medline
        if start:
            return start
    numbers = (text(node.text) for node in locations if node.get("EIdType") == "pii")
    return next((number for number in numbers if number and _ARTICLE_NUMBER.fullmatch(number)), None)


def _article_ids(*lists: ET.Element | None) -> dict[str, str]:
    """{IdType: id} of ArticleIdLists (the record's own, never those of its references)."""
    found: dict[str, str] = {}
    for article_ids in lists:
        for node in article_ids.iterfind("ArticleId") if article_ids is not None else ():
            value = text(node.text)
            if value:
                found.setdefault(node.get("IdType", ""), value)
    return found


def _updates(comments: Iterable[ET.Element], publication_types: tuple[str, ...]) -> dict[str, tuple[Update, ...]]:
    """PubMed's retraction, erratum and expression-of-concern links as Crossref-style updates
    (`updated_by` / `update_to`), naming the other record by its DOI when the link gives one, else
    by its PMID (`pmid:…`), else by PubMed's citation of it. A publication type saying "Retracted
    Publication" or "Retraction of Publication" without its link is named by that type (no other
    work is known; the record's own id would read as a self-reference)."""
    found: dict[str, list[Update]] = {"updated_by": [], "update_to": []}
    for comment in comments:
        relation = _UPDATES.get(comment.get("RefType", ""))
        if relation is None:
            continue
        source = text(comment.findtext("RefSource"))
        doi = next((match.doi for match in find_dois(source or "") if not match.broken), None)
        other = text(comment.findtext("PMID"))
        identifier = doi or (id_key("pmid", other) if other else source)
        if identifier:
            found[relation[0]].append(Update(type=relation[1], id=identifier, source="pubmed", label=source))
    for publication_type in publication_types:
        relation = _UPDATE_TYPES.get(publication_type)
        if relation is not None and not any(update.type == relation[1] for update in found[relation[0]]):
            found[relation[0]].append(Update(type=relation[1], id=f"PubMed: {publication_type}", source="pubmed", label=publication_type))
    return {direction: tuple(updates) for direction, updates in found.items()}


def work_from_pubmed(record: ET.Element) -> Work | None:
    """One PubmedArticle or PubmedBookArticle element as a Work (None for anything else)."""
    if record.tag == "PubmedArticle":
        citation = record.find("MedlineCitation")
        article = citation.find("Article") if citation is not None else None
        if citation is None or article is None:
            return None
        journal = article.find("Journal")
        issue = journal.find("JournalIssue") if journal is not None else None
        ids = _article_ids(record.find("PubmedData/ArticleIdList"))
        locations = article.findall("ELocationID")
        publication_types = tuple(text(node.text) or "" for node in article.iterfind("PublicationTypeList/PublicationType"))
        authors = _author_lists(article)
        dates = [_date(issue.find("PubDate") if issue is not None else None), *(_date(node) for node in article.iterfind("ArticleDate"))]
        fields: dict[str, Any] = {
            "type": "posted-content" if "Preprint" in publication_types else "journal-article",
            "title": _title(article.find("ArticleTitle")),
            "other_titles": tuple(filter(None, (_title(node) for node in article.iterfind("VernacularTitle")))),
            "container_title": _marked(journal.find("Title")) if journal is not None else None,
            "short_container_title": text(journal.findtext("ISOAbbreviation")) if journal is not None else None,
            "volume": text(issue.findtext("Volume")) if issue is not None else None,
            "issue": text(issue.findtext("Issue")) if issue is not None else None,
            "pages": _pages(article.find("Pagination"), locations),
            "issn": strings([node.text for node in journal.iterfind("ISSN")]) if journal is not None else (),
            "language": article.findtext("Language"),
        }
        comments = citation.iterfind("CommentsCorrectionsList/CommentsCorrections")
        pmid = text(citation.findtext("PMID"))
    elif record.tag == "PubmedBookArticle":
        document = record.find("BookDocument")
        book = document.find("Book") if document is not None else None
        if document is None or book is None:
            return None
        ids = _article_ids(document.find("ArticleIdList"), record.find("PubmedBookData/ArticleIdList"))
        locations = [*document.iterfind("ELocationID"), *book.iterfind("ELocationID")]
        publication_types = tuple(text(node.text) or "" for node in document.iterfind("PublicationType"))
        chapter = _title(document.find("ArticleTitle"))
        book_title = _title(book.find("BookTitle"))
        authors = {**_author_lists(book), **_author_lists(document)}
        dates = [_date(book.find("PubDate")), *(_date(node) for node in document.iterfind("ContributionDate"))]
        fields = {
            "type": "book-chapter" if chapter else "book",
            "title": chapter or book_title,
            "container_title": book_title if chapter else None,
            "volume": text(book.findtext("Volume")),
            "pages": _pages(document.find("Pagination"), locations),
            "publisher": text(book.findtext("Publisher/PublisherName")),
            "isbn": strings([node.text for node in book.iterfind("Isbn")]),
            "language": document.findtext("Language"),
        }
        comments = document.iterfind("CommentsCorrectionsList/CommentsCorrections")
        pmid = text(document.findtext("PMID"))
    else:
        return None
    if not pmid:
        return None
    doi = ids.get("doi") or next((text(node.text) for node in locations if node.get("EIdType") == "doi" and node.get("ValidYN") != "N"), None)
    pmcid = normalise_pmcid(ids.get("pmc", ""))
    language = (fields.pop("language") or "").strip()
    found_dates = [parts for parts in dates if parts]
    return Work(
        doi=normalise(doi) if doi else None,
        authors=_people(authors.get("authors")),
        editors=_people(authors.get("editors")),
        issued=found_dates[0] if found_dates else (),
        years=tuple(sorted({parts[0] for parts in found_dates})),
        url=pubmed_url(pmid),
        language=_LANGUAGES.get(language, language) or None,
        pmid=pmid,
        pmcid=pmcid,
        publication_types=tuple(filter(None, publication_types)),
        **_updates(comments, publication_types),
        **fields,
    )


@dataclasses.dataclass(frozen=True)
class PubMedAnswer:
    """An efetch answer: the works it holds by PMID, or NCBI's error message instead."""

    works: Mapping[str, Work]
    error: str | None = None


def read_efetch(body: bytes) -> PubMedAnswer:
    """Parse an efetch answer (PubmedArticleSet, or an `<ERROR>` body). Raises ValueError for a body
    that is not such XML (a cut-off answer, an HTML error page)."""
    if b"<!ENTITY" in body:
        # PubMed declares no entities; a body that does is not PubMed's, and entity expansion is a risk.
        raise ValueError("XML with entity declarations")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise ValueError(f"malformed XML: {error}") from None
    error = root.findtext("ERROR") if root.tag != "ERROR" else root.text
    if error is not None:
        return PubMedAnswer({}, text(error) or "error")
    if root.tag != "PubmedArticleSet":
        raise ValueError(f"not a PubmedArticleSet but <{root.tag}>")
    works = (work_from_pubmed(record) for record in root)
    return PubMedAnswer({work.pmid: work for work in works if work is not None and work.pmid})


# --- The client: batched, paced, retried ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Converted:
    """What the ID Converter said of one PMCID: its PMID and DOI, or that it does not know it."""

    pmcid: str
    pmid: str | None = None
    doi: str | None = None
    known: bool = True


class NcbiSource:
    """PubMed (efetch) and the PMC ID Converter, batched, paced and retried (a `sources.Source`)."""

    name = "NCBI"
    schemes = frozenset({"pmid", "pmcid"})

    def __init__(self, settings: Settings, *, network: NetworkWatch | None = None, backoff: float = 0.5) -> None:
        self._settings = settings
        self._network = network or NetworkWatch()
        self._policy = RetryPolicy(retries=settings.retries, backoff=backoff)
        self._rng = random.Random()
        rate = RATE[settings.ncbi_api_key is not None]
        self._throttle = Throttle(SAFETY * rate, settings.concurrency, ceiling=settings.concurrency)
        self._http = HttpClient(settings.timeout, mailto=settings.mailto)
        self._identity = {"tool": TOOL, **({"email": settings.mailto} if settings.mailto else {})}

    def __enter__(self) -> NcbiSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.close()

    def fetch_many(self, keys: Iterable[str], probes: Iterable[str] = ()) -> Iterator[Resolution]:
        """One Resolution per distinct key, yielded as answers arrive: `found` with the PubMed record
        (a PMCID gets its PMID's record), `not_found` when PubMed or the converter does not know the
        id, `unresolved` with the reason. PMID probes ride in the room the asked PMIDs' batches leave
        (no request of their own) and are answered only when found; other probes are not asked."""
        by_pmid: dict[str, list[str]] = {}
        by_pmcid: dict[str, list[str]] = {}
        for key in dict.fromkeys(keys):
            scheme, value = split_key(key)
            if scheme == "pmid" and (pmid := normalise_pmid(value)):
                by_pmid.setdefault(pmid, []).append(key)
            elif scheme == "pmcid" and (pmcid := normalise_pmcid(value)):
                by_pmcid.setdefault(pmcid, []).append(key)
            elif scheme in self.schemes:
                yield Resolution(key, "not_found", fetched_at=time.time())  # no PubMed id looks like this
            else:
                yield Resolution(key, "unresolved", reason=f"NCBI answers PMIDs and PMCIDs, not {scheme}")
        by_probe: dict[str, list[str]] = {}
        for key in dict.fromkeys(probes):
            scheme, value = split_key(key)
            if scheme == "pmid" and (pmid := normalise_pmid(value)) and pmid not in by_pmid:
                by_probe.setdefault(pmid, []).append(key)
        room = -len(by_pmid) % BATCH_MAX  # what the last batch of asked PMIDs leaves free
        pmid_batches = _batches(list(by_pmid) + list(by_probe)[:room])
        answers: dict[str, Resolution] = {}
        waiting: dict[str, list[str]] = {}  # PMID -> keys of PMCIDs waiting for its record
        with request_pool(self._settings.concurrency, "ncbi") as pool:
            pending: set[Future[Any]] = {pool.submit(self._fetch_pmids, batch) for batch in pmid_batches}
            pending |= {pool.submit(self._convert, batch) for batch in _batches(list(by_pmcid))}
            asked = {pmid for batch in pmid_batches for pmid in batch}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    if isinstance(outcome, dict):  # PMID -> Resolution
                        answers.update(outcome)
                        for pmid, resolution in outcome.items():
                            found_probes = by_probe.get(pmid, []) if resolution.status == "found" else []
                            for key in by_pmid.get(pmid, []) + waiting.pop(pmid, []) + found_probes:
                                yield dataclasses.replace(resolution, key=key)
                        continue
                    unasked = []
                    for pmcid, converted in outcome:
                        keys = by_pmcid[pmcid]
                        if isinstance(converted, Resolution):
                            yield from (dataclasses.replace(converted, key=key) for key in keys)
                        elif not converted.known:
                            yield from (Resolution(key, "not_found", fetched_at=time.time()) for key in keys)
                        elif converted.pmid is None:
                            # In PMC but not in PubMed: what the converter knows (resolve can ask for the DOI).
                            work = Work(doi=converted.doi, pmcid=converted.pmcid, url=pmc_url(converted.pmcid))
                            yield from (Resolution(key, "found", agency="pmc", work=work, fetched_at=time.time()) for key in keys)
                        elif converted.pmid in answers:
                            yield from (dataclasses.replace(answers[converted.pmid], key=key) for key in keys)
                        else:
                            waiting.setdefault(converted.pmid, []).extend(keys)
                            if converted.pmid not in asked:
                                asked.add(converted.pmid)
                                unasked.append(converted.pmid)
                    pending |= {pool.submit(self._fetch_pmids, batch) for batch in _batches(unasked)}

    # efetch

    def _fetch_pmids(self, pmids: list[str], *, post: bool = False) -> dict[str, Resolution]:
        """Resolutions (keyed `pmid:…`) for one batch of PMIDs. A refused batch is split so that one
        bad id costs no other its answer; 414 (request too long) is asked again as a POST."""
        try:
            answer = self._request(lambda: self._efetch(pmids, post))
        except Offline:
            return {pmid: offline(id_key("pmid", pmid)) for pmid in pmids}
        except Refused as failure:
            if failure.status == 414 and not post:
                return self._fetch_pmids(pmids, post=True)
            if len(pmids) > 1:
                return self._split(pmids)
            return {pmids[0]: Resolution(id_key("pmid", pmids[0]), "unresolved", reason=f"NCBI: {failure}")}
        except (Transient, NotFound) as failure:
            reason = f"NCBI: {failure or 'HTTP 404 (is --ncbi-url right?)'}"
            return {pmid: Resolution(id_key("pmid", pmid), "unresolved", reason=reason) for pmid in pmids}
        if answer.error is not None and len(pmids) > 1:
            return self._split(pmids)
        now = time.time()
        return {
            pmid: Resolution(id_key("pmid", pmid), "found", agency="pubmed", work=answer.works[pmid], fetched_at=now)
            if pmid in answer.works
            else Resolution(id_key("pmid", pmid), "not_found", fetched_at=now)
            for pmid in pmids
        }

    def _split(self, pmids: list[str]) -> dict[str, Resolution]:
        middle = len(pmids) // 2
        return {**self._fetch_pmids(pmids[:middle]), **self._fetch_pmids(pmids[middle:])}

    def _efetch(self, pmids: list[str], post: bool) -> PubMedAnswer:
        url = f"{self._settings.ncbi_url}/efetch.fcgi"
        parameters = {"db": "pubmed", "retmode": "xml", "id": ",".join(pmids), **self._identity}
        if self._settings.ncbi_api_key:
            parameters["api_key"] = self._settings.ncbi_api_key
        # The query as requests writes it (a comma is "%2C"): past GET_URL_MAX it goes as a POST.
        if post or len(url) + 1 + len(urlencode(parameters)) > GET_URL_MAX:
            response = self._http.post(url, data=parameters)
        else:
            response = self._http.get(url, params=parameters)
        try:
            return read_efetch(response.content)
        except ValueError as error:
            raise Transient(f"malformed answer: {error}") from None

    # PMC ID Converter

    def _convert(self, pmcids: list[str]) -> list[tuple[str, _Converted | Resolution]]:
        """What the ID Converter says of each PMCID of one batch (a Resolution when it could not say)."""
        try:
            records = self._request(lambda: self._idconv(pmcids))
        except Offline:
            return [(pmcid, offline(id_key("pmcid", pmcid))) for pmcid in pmcids]
        except (NotFound, Refused) as failure:
            # The converter refuses a whole request for one id it cannot read (recorded: 404 with
            # {"status": "error"}): ask in halves down to single ids; a single id refused so is unknown.
            if len(pmcids) > 1:
                middle = len(pmcids) // 2
                return self._convert(pmcids[:middle]) + self._convert(pmcids[middle:])
            if isinstance(failure, NotFound):
                return [(pmcids[0], _Converted(pmcids[0], known=False))]
            return [(pmcids[0], Resolution(id_key("pmcid", pmcids[0]), "unresolved", reason=f"PMC ID Converter: {failure}"))]
        except Transient as failure:
            reason = f"PMC ID Converter: {failure}"
            return [(pmcid, Resolution(id_key("pmcid", pmcid), "unresolved", reason=reason)) for pmcid in pmcids]
        return [(pmcid, records.get(pmcid) or _Converted(pmcid, known=False)) for pmcid in pmcids]

    def _idconv(self, pmcids: list[str]) -> dict[str, _Converted]:
        parameters = {"ids": ",".join(pmcids), "idtype": "pmcid", "format": "json", "versions": "no", **self._identity}
        body = json_body(self._http.get(f"{self._settings.ncbi_idconv_url}/", params=parameters))
        records = body.get("records") if isinstance(body, Mapping) else None
        if not isinstance(records, list):
            raise Transient("malformed answer: no records list")
        found: dict[str, _Converted] = {}
        for record in records:
            if not isinstance(record, Mapping):
                continue
            pmcid = normalise_pmcid(str(record.get("pmcid") or record.get("requested-id") or ""))
            if pmcid is None:
                continue
            if record.get("status") == "error":
                found[pmcid] = _Converted(pmcid, known=False)
                continue
            pmid = normalise_pmid(str(record.get("pmid") or ""))
            doi = text(record.get("doi"))
            found[pmcid] = _Converted(pmcid, pmid, normalise(doi) if doi else None)
        return found

    def _request(self, call: Any) -> Any:
        return with_retries(call, self._policy, self._throttle, self._network, self._rng)


def _batches(ids: list[str]) -> list[list[str]]:
    return [ids[start : start + BATCH_MAX] for start in range(0, len(ids), BATCH_MAX)]
