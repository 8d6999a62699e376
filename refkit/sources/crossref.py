"""Crossref: the only module that imports habanero (lazily, in the client below).

`work_from_crossref` turns one Crossref `work` message into refkit's `Work`, so nothing
downstream touches raw API shapes."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from ..config import Settings
from ..errors import SourceError
from ..model import Person, Resolution, Update, Work
from .http import quote_doi, request_pool, user_agent
from .pacing import (
    SAFETY,
    NetworkWatch,
    NotFound,
    Offline,
    Refused,
    RetryPolicy,
    Throttle,
    Transient,
    Unreachable,
    offline,
    status_failure,
    with_retries,
)
from .records import date_parts, person_from_crossref, strings, text


def _people(value: Any) -> tuple[Person, ...]:
    if not isinstance(value, list):
        return ()
    people = (person_from_crossref(entry) for entry in value if isinstance(entry, Mapping))
    return tuple(person for person in people if person.family or person.literal or person.given)


def _updates(value: Any) -> tuple[Update, ...]:
    if not isinstance(value, list):
        return ()
    updates = []
    for entry in value:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("DOI"), str):
            continue
        date = date_parts(entry.get("updated"))
        updates.append(
            Update(
                type=str(entry.get("type") or "").lower(),
                id=entry["DOI"].lower(),
                source=text(entry.get("source")),
                label=text(entry.get("label")),
                date="-".join(f"{part:02d}" if index else str(part) for index, part in enumerate(date)) or None,
            )
        )
    return tuple(updates)


def _component_of(relation: Any) -> str | None:
    if not isinstance(relation, Mapping):
        return None
    for entry in relation.get("is-component-of") or ():
        if isinstance(entry, Mapping) and entry.get("id-type") == "doi" and isinstance(entry.get("id"), str):
            return entry["id"].lower()
    return None


def _years(message: Mapping[str, Any]) -> tuple[int, ...]:
    keys = ("issued", "published-print", "published-online", "published", "approved", "created")
    found = (date_parts(message.get(key)) for key in keys)
    return tuple(sorted({parts[0] for parts in found if parts}))


def _other_titles(message: Mapping[str, Any]) -> tuple[str, ...]:
    """The record's further titles: a translation after the first title (Springer deposits the
    English title second, with its own subtitle second in `subtitle`), original-language and short titles."""
    def listed(key: str) -> list[Any]:  # positions kept: the n-th subtitle belongs to the n-th title
        value = message.get(key)
        return value if isinstance(value, list) else [value]

    titles, subtitles = listed("title"), listed("subtitle")
    translated = [
        f"{title}: {subtitle}" if (subtitle := text(subtitles[index]) if index < len(subtitles) else None) else title
        for index in range(1, len(titles))
        if (title := text(titles[index]))
    ]
    others = (*translated, *strings(message.get("original-title")), *strings(message.get("short-title")))
    main = text(message.get("title"))
    return tuple(title for title in dict.fromkeys(text(other) for other in others) if title and title != main)


def work_from_crossref(message: Mapping[str, Any], doi: str | None = None) -> Work:
    """A Crossref `work` message (the `message` of /works/{doi}, or one list item) as a Work.

    `doi` overrides the record's own DOI (normalised, lower-case). A work Crossref gives for an
    alias keeps its own DOI: the alias and the DOI are then one work (duplicates, exports)."""
    return Work(
        doi=str(doi or message.get("DOI") or "").lower(),
        type=str(message.get("type") or "other"),
        title=text(message.get("title")),
        subtitle=text(message.get("subtitle")),
        other_titles=_other_titles(message),
        authors=_people(message.get("author")),
        editors=_people(message.get("editor")),
        container_title=text(message.get("container-title")),
        short_container_title=text(message.get("short-container-title")),
        volume=text(message.get("volume")),
        issue=text(message.get("issue")),
        pages=text(message.get("page")),
        # A dissertation carries only the date it was approved (the collingwoodschool thesis: 2020-05-25).
        issued=date_parts(message.get("issued")) or date_parts(message.get("published")) or date_parts(message.get("approved")),
        years=_years(message),
        publisher=text(message.get("publisher")),
        issn=strings(message.get("ISSN")),
        isbn=strings(message.get("ISBN")),
        url=text(message.get("URL")),
        language=text(message.get("language")),
        updated_by=_updates(message.get("updated-by")),
        update_to=_updates(message.get("update-to")),
        component_of=_component_of(message.get("relation")),
    )


def works_from_list(message: Mapping[str, Any]) -> list[Work]:
    """Every item of a Crossref `work-list` message."""
    items: Sequence[Any] = message.get("items") or ()
    return [work_from_crossref(item) for item in items if isinstance(item, Mapping)]


# --- The client: habanero, batched, paced and retried -------------------------------------------

LIST_ROWS_MAX = 1000
"""Crossref serves at most 1,000 rows per list request."""
REQUEST_LINE_MAX = 4096
"""Crossref answers 414 to a longer request line."""
# (requests per second, in flight) as Crossref announced them in 2026 recordings (PROVENANCE.md):
# the polite pool (with mailto) for single works and for lists, and the public pool (without).
POLITE_SINGLE = (10.0, 3)
POLITE_LIST = (3.0, 3)
PUBLIC = (5.0, 1)

# The httpx2 client habanero's requests go through in the current context (see `_ClientBoundHttpx`).
_BOUND_CLIENT: ContextVar[Any] = ContextVar("refkit_crossref_client", default=None)


class _ClientBoundHttpx:
    """Stands in for the `httpx2` module inside habanero (2.9.2 calls `httpx2.get` for every request
    and offers no session or transport setting). `get` goes through the httpx2 client bound to the
    current context: refkit's, with its headers (the Metadata Plus token habanero stores but never
    sends), response hooks (rate-limit headers), redirects and connection pool. Outside refkit's
    calls nothing is bound and habanero behaves exactly as before."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def get(self, url: Any, **kwargs: Any) -> Any:
        client = _BOUND_CLIENT.get()
        return (client or self._module).get(url, **kwargs)


class _Probed(Exception):
    """Raised by the probe client: habanero's request reached refkit's client."""


class _ProbeClient:
    def get(self, url: Any, **kwargs: Any) -> Any:
        raise _Probed(str(url))


_HOOK_CHECKED: list[bool] = []  # once per process: the probe costs a few habanero calls


def _hook_habanero() -> None:
    """Bind habanero's `httpx2` name to the stand-in, then prove it: a single-work and a list
    request through habanero with a probe client bound must reach the probe. A habanero that
    calls httpx2 another way would silently bypass refkit's client (no Plus token, no rate-limit
    adaptation), so that is an error, not a fallback."""
    import habanero
    import habanero.request
    import habanero.request_class

    for module in (habanero.request, habanero.request_class):
        if not isinstance(module.httpx2, _ClientBoundHttpx):
            module.httpx2 = _ClientBoundHttpx(module.httpx2)
    if _HOOK_CHECKED:
        return
    probe = habanero.Crossref(base_url="http://refkit-probe.invalid", timeout=0.001)
    calls = (lambda: probe.works(ids="10.5555/probe"), lambda: probe.works(filter={"doi": ["10.5555/probe"]}, limit=1))
    bound = _BOUND_CLIENT.set(_ProbeClient())
    try:
        for call in calls:
            try:
                call()
            except _Probed:
                continue
            except Exception:  # noqa: BLE001  (anything else means the request went another way)
                pass
            raise SourceError(
                f"habanero {getattr(habanero, '__version__', '?')} no longer sends its requests through httpx2.get, so "
                "refkit cannot give Crossref its token and rate limits; install habanero 2.9 (pip install 'habanero>=2.9.2,<2.10')"
            )
    finally:
        _BOUND_CLIENT.reset(bound)
    _HOOK_CHECKED.append(True)


def batches(base_url: str, dois: Sequence[str]) -> list[list[str]]:
    """Split DOIs into filter batches whose request line (`GET /works?filter=doi:…,doi:…&rows=n
    HTTP/1.1`, encoded as httpx2 encodes it) stays under Crossref's limit and whose rows (one per
    DOI) stay within 1,000."""
    import httpx2

    def encoded(value: str) -> int:
        return len(httpx2.URL("http://x/", params={"q": value}).raw_path) - len("/?q=")

    fixed = len("GET  HTTP/1.1") + len(httpx2.URL(f"{base_url}/works", params={"filter": "", "rows": ""}).raw_path)
    comma = encoded(",")
    found: list[list[str]] = []
    current: list[str] = []
    length = fixed
    for doi in dois:
        cost = encoded(f"doi:{doi}") + (comma if current else 0)
        rows = len(current) + 1
        if current and (rows > LIST_ROWS_MAX or length + cost + len(str(rows)) >= REQUEST_LINE_MAX):
            found.append(current)
            current, length, cost = [], fixed, cost - comma
        current.append(doi)
        length += cost
    if current:
        found.append(current)
    return found


def _failure(error: BaseException, timeout: float) -> BaseException:
    """What a habanero/httpx2 exception means for refkit: NotFound, Refused, or a Transient (retry)."""
    import habanero
    import httpx2

    if isinstance(error, RuntimeError) and isinstance(error.__cause__, httpx2.HTTPError):
        error = error.__cause__  # habanero wraps transport errors of list requests
    if isinstance(error, httpx2.HTTPStatusError):
        response = error.response
        return status_failure(response.status_code, response.reason_phrase, response.headers.get("retry-after"))
    if isinstance(error, habanero.RequestError):
        if error.status_code == 200:
            return Transient(f"not a JSON answer: {str(error.error)[:80]!r}")
        # habanero raises this for an error answer with a JSON body; the response is its cause.
        cause = error.__cause__ or error.__context__
        retry_after = cause.response.headers.get("retry-after") if isinstance(cause, httpx2.HTTPStatusError) else None
        return status_failure(int(error.status_code), str(error.error), retry_after)
    if isinstance(error, (httpx2.ConnectError, httpx2.ConnectTimeout)):
        return Unreachable(f"cannot connect: {error or type(error).__name__}")
    if isinstance(error, httpx2.TimeoutException):
        return Transient(f"no answer within {timeout:g} s")
    if isinstance(error, httpx2.TransportError):
        return Transient(f"connection failed: {type(error).__name__}: {error}")
    if isinstance(error, (ValueError, KeyError, TypeError, IndexError)):
        return Transient(f"malformed answer: {type(error).__name__}: {error}")
    return error


class CrossrefSource:
    """Crossref's REST API through habanero: batched, paced, retried (a `sources.Source`)."""

    name = "Crossref"
    schemes = frozenset({"doi"})

    def __init__(self, settings: Settings, *, network: NetworkWatch | None = None, backoff: float = 0.5) -> None:
        import habanero
        import httpx2

        _hook_habanero()
        self._settings = settings
        self._network = network or NetworkWatch()
        self._policy = RetryPolicy(retries=settings.retries, backoff=backoff)
        self._rng = random.Random()
        self._crossref = habanero.Crossref(
            base_url=settings.crossref_url,
            api_key=settings.plus_token,
            mailto=settings.mailto,
            ua_string=user_agent(None),  # habanero adds the mailto itself
            timeout=settings.timeout,
        )
        polite = settings.mailto is not None
        single, listing = (POLITE_SINGLE, POLITE_LIST) if polite else (PUBLIC, PUBLIC)
        self._throttles = {
            "single": Throttle(SAFETY * single[0], single[1], ceiling=settings.concurrency),
            "list": Throttle(SAFETY * listing[0], listing[1], ceiling=settings.concurrency),
        }
        headers = {"Crossref-Plus-API-Token": f"Bearer {settings.plus_token}"} if settings.plus_token else {}
        self._client = httpx2.Client(headers=headers, follow_redirects=True, event_hooks={"response": [self._observe]})

    def __enter__(self) -> CrossrefSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._client.close()

    def _observe(self, response: Any) -> None:
        """Every answer: follow the rate-limit headers for its endpoint kind (a request to wait comes
        back as a Transient failure, and `with_retries` pauses the throttle for it)."""
        kind = "list" if response.request.url.path.rstrip("/").endswith("/works") else "single"
        self._throttles[kind].adapt(response.headers)

    def _request(self, kind: str, call: Callable[[], Any], check: Callable[[Any], Any]) -> Any:
        """One habanero call through refkit's client, retried; returns check(body)."""

        def attempt() -> Any:
            bound = _BOUND_CLIENT.set(self._client)
            try:
                return check(call())
            except (Transient, NotFound, Refused):
                raise
            except Exception as error:  # habanero and httpx2 raise a wide range; sorted out here
                failure = _failure(error, self._settings.timeout)
                if failure is error:
                    raise
                raise failure from error
            finally:
                _BOUND_CLIENT.reset(bound)

        return with_retries(attempt, self._policy, self._throttles[kind], self._network, self._rng)

    def fetch_many(self, keys: Iterable[str], probes: Iterable[str] = ()) -> Iterator[Resolution]:
        """One Resolution per distinct DOI, yielded as answers arrive: `found` (agency crossref),
        `not_found` with the registration agency when Crossref does not hold the DOI (agency None
        when nobody does), or `unresolved` with the reason. `probes` ride along in the same batch
        requests and are answered only when found (a miss costs no request of its own)."""
        from concurrent.futures import FIRST_COMPLETED, Future, wait

        asked = list(dict.fromkeys(keys))
        probing = set(probes) - set(asked)
        everything = asked + sorted(probing)
        # A comma would split the filter value, so such DOIs are asked for one by one (never probed).
        listable = [doi for doi in everything if "," not in doi]
        with request_pool(self._settings.concurrency, "crossref") as pool:
            pending: set[Future[Any]] = {pool.submit(self._batch, batch) for batch in batches(self._settings.crossref_url, listable)}
            pending |= {pool.submit(self._single, doi) for doi in asked if "," in doi}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    if isinstance(outcome, Resolution):
                        yield outcome
                        continue
                    found, missing = outcome
                    yield from (answer for answer in found if answer.key not in probing or answer.status == "found")
                    pending |= {pool.submit(self._single, doi) for doi in missing if doi not in probing}

    def _batch(self, dois: list[str]) -> tuple[list[Resolution], list[str]]:
        """Found works of one filter request, and the DOIs it did not return (to ask one by one)."""

        def items(body: Any) -> list[Mapping[str, Any]]:
            listed = body["message"]["items"]
            if not isinstance(listed, list):
                raise TypeError("items is not a list")
            return [item for item in listed if isinstance(item, Mapping)]

        try:
            listed = self._request("list", lambda: self._crossref.works(filter={"doi": list(dois)}, limit=len(dois)), items)
        except Offline:
            return [offline(doi) for doi in dois], []
        except Transient as failure:
            # Still failing after every retry: asking for each DOI alone would only add load.
            return [Resolution(doi, "unresolved", reason=f"Crossref: {failure}") for doi in dois], []
        except (Refused, NotFound):
            return [], dois  # the batch itself was refused: one by one, each with its own answer
        wanted = {doi.lower(): doi for doi in dois}
        found: dict[str, Resolution] = {}
        now = time.time()
        for item in listed:
            doi = wanted.get(str(item.get("DOI", "")).lower())
            if doi is not None and doi not in found:
                found[doi] = Resolution(doi, "found", agency="crossref", work=work_from_crossref(item, doi), fetched_at=now)
        return list(found.values()), [doi for doi in dois if doi not in found]

    def _single(self, doi: str) -> Resolution:
        def message(body: Any) -> Mapping[str, Any]:
            work = body["message"]
            answered = str(work.get("DOI", "")).lower()
            aliases = {str(alias).lower() for alias in work.get("aliases") or ()}
            if doi.lower() != answered and doi.lower() not in aliases:
                raise Transient(f"answer for another DOI ({answered})")
            return work

        try:
            work = self._request("single", lambda: self._crossref.works(ids=quote_doi(doi)), message)
        except NotFound:
            return self._agency(doi)
        except Offline:
            return offline(doi)
        except (Transient, Refused) as failure:
            return Resolution(doi, "unresolved", reason=f"Crossref: {failure}")
        return Resolution(doi, "found", agency="crossref", work=work_from_crossref(work), fetched_at=time.time())

    def _agency(self, doi: str) -> Resolution:
        """Not in Crossref: which registration agency holds it (None: no agency knows the DOI)."""
        from habanero.request import request

        def agency(body: Any) -> str:
            return str(body["message"]["agency"]["id"]).lower()

        try:
            found = self._request("single", lambda: request(self._crossref, "/works/", ids=[quote_doi(doi)], agency=True), agency)
        except NotFound:
            return Resolution(doi, "not_found", fetched_at=time.time())
        except Offline:
            return offline(doi)
        except (Transient, Refused) as failure:
            return Resolution(doi, "unresolved", reason=f"not in Crossref; registration agency unknown: {failure}")
        return Resolution(doi, "not_found", agency=found, fetched_at=time.time())


