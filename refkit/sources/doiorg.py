"""doi.org content negotiation (CSL-JSON) for DOIs that Crossref does not hold (DataCite, mEDRA,
JaLC, ...), through the shared HTTP client (`http`); `work_from_csl` turns CSL-JSON into refkit's Work."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..config import Settings
from ..model import Person, Resolution, Work
from . import pacing
from .http import HttpClient, json_body, quote_doi, request_pool
from .pacing import NotFound, Refused, Transient
from .records import CROSSREF_TYPES, date_parts, person_from_crossref, strings, text

CSL_JSON = "application/vnd.citationstyles.csl+json"
DOI_ORG_PACE = (5.0, 3)
"""(requests per second, in flight): doi.org publishes no limits; stay modest."""

# CSL item types as Crossref names them, so every Work speaks one vocabulary.
_CSL_TO_CROSSREF_TYPE = {
    "article-journal": "journal-article",
    "article-magazine": "journal-article",
    "article-newspaper": "journal-article",
    "article": "posted-content",
    "post": "posted-content",
    "post-weblog": "posted-content",
    "book": "book",
    "chapter": "book-chapter",
    "paper-conference": "proceedings-article",
    "dataset": "dataset",
    "report": "report",
    "thesis": "dissertation",
    "entry": "reference-entry",
    "entry-dictionary": "reference-entry",
    "entry-encyclopedia": "reference-entry",
    "review": "peer-review",
    "standard": "standard",
}
def _field(csl: Mapping[str, Any], key: str) -> str | None:
    """A CSL text field; CSL allows numbers for volume, issue, page and the like."""
    value = csl.get(key)
    return text(str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value)


def _csl_date_parts(value: Any) -> tuple[int, ...]:
    """CSL dates are Crossref's date-parts, or (DataCite and others) a `raw`/`literal` ISO-like string."""
    parts = date_parts(value)
    if parts or not isinstance(value, Mapping):
        return parts
    raw = value.get("raw") or value.get("literal")
    match = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", raw) if isinstance(raw, str) else None
    return tuple(int(part) for part in match.groups() if part) if match else ()


def _people(value: Any) -> tuple[Person, ...]:
    """CSL names are Crossref's, except that an organisation is `literal` where Crossref says `name`."""
    if not isinstance(value, list):
        return ()
    entries = ({"name": entry.get("literal"), **entry} for entry in value if isinstance(entry, Mapping))
    people = (person_from_crossref(entry) for entry in entries)
    return tuple(person for person in people if person.family or person.literal or person.given)


def work_from_csl(csl: Mapping[str, Any], doi: str | None = None) -> Work:
    """A CSL-JSON item (as doi.org content negotiation returns it) as a Work.
    `doi` overrides the item's own DOI (pass the DOI that was asked for)."""
    kind = str(csl.get("type") or "")
    dates = [_csl_date_parts(csl.get(key)) for key in ("issued", "published-print", "published-online", "created")]
    return Work(
        doi=str(doi or csl.get("DOI") or "").lower(),
        type=kind if kind in CROSSREF_TYPES else _CSL_TO_CROSSREF_TYPE.get(kind, "other"),
        title=_field(csl, "title"),
        subtitle=_field(csl, "subtitle"),
        authors=_people(csl.get("author")),
        editors=_people(csl.get("editor")),
        container_title=_field(csl, "container-title"),
        short_container_title=_field(csl, "container-title-short") or _field(csl, "journalAbbreviation"),
        volume=_field(csl, "volume"),
        issue=_field(csl, "issue"),
        pages=_field(csl, "page"),
        issued=dates[0] or next((parts for parts in dates if parts), ()),
        years=tuple(sorted({parts[0] for parts in dates if parts})),
        publisher=_field(csl, "publisher"),
        issn=strings(csl.get("ISSN")),
        isbn=strings(csl.get("ISBN")),
        url=_field(csl, "URL"),
        language=_field(csl, "language"),
    )


class DoiOrgSource:
    """Asks doi.org for CSL-JSON by content negotiation (a `sources.Source`)."""

    name = "doi.org"
    schemes = frozenset({"doi"})

    def __init__(self, settings: Settings, *, network: pacing.NetworkWatch | None = None, backoff: float = 0.5) -> None:
        self._settings = settings
        self._network = network or pacing.NetworkWatch()
        self._policy = pacing.RetryPolicy(retries=settings.retries, backoff=backoff)
        self._rng = random.Random()
        self._throttle = pacing.Throttle(pacing.SAFETY * DOI_ORG_PACE[0], DOI_ORG_PACE[1], ceiling=settings.concurrency)
        self._http = HttpClient(settings.timeout, mailto=settings.mailto, headers={"Accept": CSL_JSON})

    def __enter__(self) -> DoiOrgSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.close()

    def fetch_many(self, keys: Iterable[str], probes: Iterable[str] = ()) -> Iterator[Resolution]:
        """For each DOI: found, not_found, or unresolved (the agency is the caller's to add).
        One request per DOI, so probes are not asked."""
        from concurrent.futures import as_completed

        with request_pool(self._settings.concurrency, "doiorg") as pool:
            for future in as_completed([pool.submit(self.fetch, doi) for doi in dict.fromkeys(keys)]):
                yield future.result()

    def fetch(self, doi: str) -> Resolution:
        url = f"{self._settings.doi_url}/{quote_doi(doi)}"
        try:
            csl = pacing.with_retries(lambda: self._get(url, doi), self._policy, self._throttle, self._network, self._rng)
        except NotFound:
            return Resolution(doi, "not_found", fetched_at=time.time())
        except pacing.Offline:
            return pacing.offline(doi)
        except (Transient, Refused) as failure:
            return Resolution(doi, "unresolved", reason=f"doi.org: {failure}")
        return Resolution(doi, "found", work=work_from_csl(csl, doi), fetched_at=time.time())

    def _get(self, url: str, doi: str) -> Mapping[str, Any]:
        response = self._http.get(url)
        if "json" not in response.headers.get("content-type", ""):
            raise Transient(f"not CSL-JSON ({response.headers.get('content-type')})")
        csl = json_body(response)
        if not isinstance(csl, Mapping):
            raise Transient("malformed answer: not a JSON object")
        answered = str(csl.get("DOI") or doi).lower()
        if answered != doi.lower():
            raise Transient(f"answer for another DOI ({answered})")
        return csl
