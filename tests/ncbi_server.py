"""A loopback NCBI for the tests and benchmarks: a real HTTP server on 127.0.0.1 that replays the recorded
answers in ../shared/ncbi/ (PROVENANCE.md), with NCBI's rate limit, added latency and programmable faults.

Routes, as the real services have them:
- `/entrez/eutils/efetch.fcgi` (GET or form POST; db=pubmed, id=comma-separated)
      No multi-id answer for an arbitrary id list was ever recorded, so the answer is assembled here
      from the recorded PubmedArticle / PubmedBookArticle elements, byte for byte as recorded, in the
      order asked, inside the PubmedArticleSet header of the recorded 2025 answers. Only the records
      asked for are answered; ids the recordings lack are left out, and an answer with none is the
      recorded empty PubmedArticleSet (metapub 37909814). `id=-1` gets the record of PMID 1, as NCBI
      answered hawc; a request with no id gets the recorded `<ERROR>Neither query_key nor id specified`.
      A GET whose request line exceeds Apache's default limit (8,190 bytes) gets the recorded HTTP 414
      page (a GET of ~2,000 ids was refused so).
- `/tools/idconv/api/v1/articles/` (GET; ids, idtype=pmcid) the PMC ID Converter. Only one answer
      of the old endpoint was recorded (`idconv/…_versions.json`); answers are built in its shape from
      the PMCID/PMID/DOI triples of the recorded efetch records and of the recorded 200-record PMC
      esummary (PMID "0" there: in PMC, not in PubMed). An unknown PMCID gets a record-level error in
      the shape NCBI documents (`"status": "error"`; not recorded: synthetic); an id that is not a
      PMCID gets the recorded 404 `{"status": "error", "message": "ID%20type…"}` answer.

E-utilities allow 3 requests/s without `api_key` and 10 with one: a request over that rate, counted
over the last second, gets HTTP 429 with the JSON body NCBI sends (quoted in public bug reports, not
recorded: synthetic) and the `X-RateLimit-Limit`/`X-RateLimit-Remaining` headers of the 2024
recordings. The recorded `content-encoding: gzip` and `content-length` headers are never replayed
(the recordings hold decompressed bodies). Records added with `add_synthetic_articles` are synthetic
(for the benchmark) and named so."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from loopback import Fault, LoopbackServer, QuietHandler

EUTILS_PATH = "/entrez/eutils"
IDCONV_PATH = "/tools/idconv/api/v1/articles"
REQUEST_LINE_MAX = 8190
"""Apache's default LimitRequestLine: NCBI's 414 page came from Apache."""
RATE_LIMITS = {False: 3, True: 10}
"""E-utilities requests per second, without and with api_key."""
_RECORD = re.compile(rb"<(PubmedArticle|PubmedBookArticle)>.*?</\1>", re.DOTALL)


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    kind: str
    method: str
    path: str
    params: Mapping[str, list[str]]
    """Query and form parameters together."""
    headers: Mapping[str, str]
    """Header names in lower case."""


@dataclass
class Recordings:
    articles: dict[str, bytes] = field(default_factory=dict)
    """Recorded PubmedArticle/PubmedBookArticle elements by PMID, as recorded."""
    set_header: bytes = b""
    empty_set: bytes = b""
    no_id_error: bytes = b""
    error_body: bytes = b""
    too_long: bytes = b""
    converter: dict[str, dict[str, str]] = field(default_factory=dict)
    """PMCID -> {"pmcid", "pmid", "doi"} as far as the recordings know them."""
    converter_error: dict[str, Any] = field(default_factory=dict)


def load_recordings(folder: Path) -> Recordings:
    recordings = Recordings()
    for path in sorted((folder / "efetch").glob("*.xml")):
        for match in _RECORD.finditer(path.read_bytes()):
            element = ET.fromstring(match.group(0))
            pmid = element.findtext("MedlineCitation/PMID") or element.findtext("BookDocument/PMID")
            recordings.articles.setdefault(pmid, match.group(0))
            ids = {node.get("IdType"): node.text for node in element.iterfind("PubmedData/ArticleIdList/ArticleId")}
            if ids.get("pmc"):
                recordings.converter[ids["pmc"]] = {"pmcid": ids["pmc"], "pmid": pmid, **({"doi": ids["doi"]} if ids.get("doi") else {})}
    summaries = json.loads((folder / "esummary" / "fulltext_esummary_pmc_json_v2.0_200ids_2020-12.json").read_bytes())["result"]
    for uid in summaries["uids"]:
        ids = {entry["idtype"]: entry["value"] for entry in summaries[uid]["articleids"]}
        record = {"pmcid": ids["pmcid"], **({"pmid": ids["pmid"]} if ids.get("pmid", "0") != "0" else {}), **({"doi": ids["doi"]} if ids.get("doi") else {})}
        recordings.converter.setdefault(ids["pmcid"], record)
    recordings.empty_set = (folder / "efetch" / "metapub_efetch_37909814.xml").read_bytes()
    recordings.set_header = recordings.empty_set[: recordings.empty_set.index(b"<PubmedArticleSet>") + len(b"<PubmedArticleSet>")] + b"\n"
    recordings.no_id_error = (folder / "esummary" / "biopython_esummary8_error_no-id.xml").read_bytes()
    recordings.error_body = (folder / "esummary" / "klortho_esummary_error_invalid-db.xml").read_bytes()
    recordings.too_long = (folder / "esummary" / "fulltext_esummary_error_414_uri-too-long_2000ids.html").read_bytes()
    recordings.converter_error = json.loads((folder / "idconv" / "rcrossref_idconv_v1.0_error_idtype-doi-mismatch_404.json").read_bytes())
    return recordings


def synthetic_pubmed_article(pmid: str) -> bytes:
    """A synthetic PubmedArticle (made up, not PubMed data) for load tests that need many PMIDs."""
    number = int(pmid)
    return (
        f"<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>"
        f"<Article PubModel=\"Print\"><Journal><JournalIssue CitedMedium=\"Print\"><Volume>{1 + number % 40}</Volume>"
        f"<PubDate><Year>{2000 + number % 25}</Year><Month>Jan</Month></PubDate></JournalIssue>"
        f"<Title>Journal of synthetic records</Title><ISOAbbreviation>J Synth Rec</ISOAbbreviation></Journal>"
        f"<ArticleTitle>Synthetic record number {number}.</ArticleTitle><Pagination><MedlinePgn>{number % 900 + 1}-9</MedlinePgn></Pagination>"
        f"<AuthorList CompleteYN=\"Y\"><Author ValidYN=\"Y\"><LastName>Synthetic</LastName><ForeName>Author</ForeName>"
        f"<Initials>A</Initials></Author></AuthorList><Language>eng</Language><PublicationTypeList>"
        f"<PublicationType UI=\"D016428\">Journal Article</PublicationType></PublicationTypeList></Article></MedlineCitation>"
        f"<PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList><ArticleId IdType=\"pubmed\">{pmid}</ArticleId>"
        f"</ArticleIdList></PubmedData></PubmedArticle>"
    ).encode()


class LoopbackNcbi(LoopbackServer["Seen"]):
    """The server. `with LoopbackNcbi(recordings) as server:` serves at `server.eutils_url` and
    `server.idconv_url`; `server.requests` counts requests by kind (efetch, idconv, other),
    `server.statuses` the answers by status, `server.max_ids` the longest id list asked for by kind.
    `fault_mode` is called with (kind, Seen)."""

    def __init__(self, recordings: Recordings, *, latency: float = 0.0) -> None:
        self.recordings = recordings  # before the handler is made: it reads them
        super().__init__(_handler_for, latency=latency, name="loopback-ncbi")
        self.statuses: Counter[int] = Counter()
        self.max_ids: Counter[str] = Counter()
        self.clock: Callable[[], float] = time.monotonic
        """Seconds, for counting requests per second (a test may stop it)."""
        self._arrivals: dict[bool, deque[float]] = {False: deque(), True: deque()}

    @property
    def eutils_url(self) -> str:
        return self.base_url + EUTILS_PATH

    @property
    def idconv_url(self) -> str:
        return self.base_url + IDCONV_PATH

    def add_synthetic_articles(self, pmids: Iterable[str]) -> None:
        for pmid in pmids:
            self.recordings.articles[pmid] = synthetic_pubmed_article(pmid)

    def reset_counts(self) -> None:
        super().reset_counts()
        with self._lock:
            self.statuses.clear()
            self.max_ids.clear()

    def enter(self, seen: Seen) -> tuple[Fault | None, bool]:
        """Count a request; its queued or programmed fault, and whether it is over NCBI's rate."""
        with self._lock:
            queued = self._count(seen.kind, seen)
            ids = ",".join(seen.params.get("ids" if seen.kind == "idconv" else "id", [])).split(",")
            self.max_ids[seen.kind] = max(self.max_ids[seen.kind], len([one for one in ids if one]))
            over = False
            if seen.kind == "efetch":
                keyed = bool(seen.params.get("api_key"))
                arrivals = self._arrivals[keyed]
                now = self.clock()
                while arrivals and arrivals[0] <= now - 1.0:
                    arrivals.popleft()
                arrivals.append(now)
                over = len(arrivals) > RATE_LIMITS[keyed]
        return self._programmed(seen.kind, seen, queued), over

    def answered(self, status: int) -> None:
        with self._lock:
            self.statuses[status] += 1

    def rate_headers(self, keyed: bool) -> dict[str, str]:
        with self._lock:
            used = len(self._arrivals[keyed])
        limit = RATE_LIMITS[keyed]
        return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(max(0, limit - used))}


def _kind(path: str) -> str:
    if path == f"{EUTILS_PATH}/efetch.fcgi":
        return "efetch"
    if path.rstrip("/") == IDCONV_PATH:
        return "idconv"
    return "other"


def _handler_for(server: LoopbackNcbi) -> type[QuietHandler]:
    recordings = server.recordings

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            self._handle(b"")

        def do_POST(self) -> None:
            self._handle(self.rfile.read(int(self.headers.get("content-length") or 0)))

        def _handle(self, body: bytes) -> None:
            parts = urlsplit(self.path)
            params = parse_qs(parts.query, keep_blank_values=True)
            for name, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(name, []).extend(values)
            seen = Seen(_kind(parts.path), self.command, parts.path, params, {name.lower(): value for name, value in self.headers.items()})
            fault, over_rate = server.enter(seen)
            try:
                if server.latency:
                    time.sleep(server.latency)
                self._answer(seen, fault, over_rate)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test); nothing to answer

        def _answer(self, seen: Seen, fault: Fault | None, over_rate: bool) -> None:
            keyed = bool(seen.params.get("api_key"))
            rate = server.rate_headers(keyed) if seen.kind == "efetch" else {}
            if fault is not None and fault.kind == "reset":
                self.reset_connection()
                return
            if over_rate:
                limit = str(RATE_LIMITS[keyed])
                # The body NCBI sends with 429, as quoted in public bug reports (not recorded: synthetic).
                body = json.dumps({"error": "API rate limit exceeded", "api-key": "127.0.0.1", "count": str(int(limit) + 1), "limit": limit})
                self._send(429, body.encode(), "application/json", rate)
                return
            if fault is not None and fault.kind == "status":
                headers = {**rate, **({"Retry-After": fault.retry_after} if fault.retry_after else {})}
                self._send(fault.status, self.responses.get(fault.status, ("Error",))[0].encode(), "text/plain", headers)
                return
            if fault is not None and fault.kind == "slow":
                time.sleep(fault.delay)
            if fault is not None and fault.kind == "not_xml":
                self._send(200, b"<html><body>Service temporarily unavailable</body></html>", "text/html", rate)
                return
            if fault is not None and fault.kind == "error_body":
                self._send(200, recordings.error_body, "text/xml; charset=UTF-8", rate)
                return
            status, body, content_type = self._route(seen, fault)
            if fault is not None and fault.kind == "truncate":
                body = body[: len(body) // 2]
            self._send(status, body, content_type, rate)

        def _route(self, seen: Seen, fault: Fault | None) -> tuple[int, bytes, str]:
            if seen.kind == "efetch":
                if self.command == "GET" and len(self.requestline.encode()) > REQUEST_LINE_MAX:
                    return 414, recordings.too_long, "text/html; charset=utf-8"
                ids = [one.strip() for one in ",".join(seen.params.get("id", [])).split(",") if one.strip()]
                if not ids:
                    return 200, recordings.no_id_error, "text/xml; charset=UTF-8"
                wanted = ["1" if one == "-1" else one for one in ids]  # as NCBI answered id=-1
                if fault is not None and fault.kind == "extra_record":
                    wanted.append(next(pmid for pmid in sorted(recordings.articles) if pmid not in wanted))
                found = [recordings.articles[pmid] for pmid in dict.fromkeys(wanted) if pmid in recordings.articles]
                if not found:
                    return 200, recordings.empty_set, "text/xml; charset=UTF-8"
                return 200, recordings.set_header + b"\n".join(found) + b"\n</PubmedArticleSet>\n", "text/xml; charset=UTF-8"
            if seen.kind == "idconv":
                return self._converter(seen)
            return 404, b"Not Found", "text/plain"

        def _converter(self, seen: Seen) -> tuple[int, bytes, str]:
            ids = [one.strip() for one in ",".join(seen.params.get("ids", [])).split(",") if one.strip()]
            request = ";".join(f"{name}={quote(','.join(values))}" for name, values in seen.params.items())
            content_type = "application/json; charset=ISO-8859-1"
            for one in ids:
                if not re.fullmatch(r"PMC\d+", one, re.IGNORECASE):
                    # The recorded answer to an id of the wrong type, naming this id.
                    error = {**recordings.converter_error, "message": quote(f"ID type 'pmcid' mismatch for '{one}'"), "request": request}
                    return 404, json.dumps(error, indent=1).encode(), content_type
            records = []
            for one in ids:
                known = recordings.converter.get(one.upper())
                if known is None:  # NCBI's documented record-level error (synthetic: not recorded)
                    records.append({"pmcid": one.upper(), "requested-id": one, "status": "error", "errmsg": "Identifier not found in PMC"})
                else:
                    records.append({**known, "requested-id": one})
            answer = {"status": "ok", "responseDate": time.strftime("%Y-%m-%d %H:%M:%S"), "request": request, "records": records}
            return 200, json.dumps(answer, indent=1).encode(), content_type

        def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str]) -> None:
            server.answered(status)
            self.send_body(status, body, content_type, headers)

    return Handler
