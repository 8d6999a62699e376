"""A loopback Crossref (and doi.org) for the tests and benchmarks: a real HTTP server on 127.0.0.1
that replays the recorded responses in ../shared/crossref/, with added latency and programmable faults.

Routes, as the real services have them:
- `/works/{doi}`            the recorded single-work envelope; an alias DOI gets the recorded 301 to
                            its canonical DOI; an unknown DOI gets the recorded 404 body `Resource not found.`
- `/works?filter=doi:A,...` a work-list envelope. No `/works?filter=doi:…` response was ever recorded,
                            so this list is assembled here from the recorded single-work messages
                            (real records, built envelope). Items come in DOI order, not request order.
- `/works/{doi}/agency`     the recorded registration-agency answer, else the recorded 404 body
- `/doiorg/{doi}`           doi.org content negotiation: the recorded CSL-JSON (csl/) for
                            `Accept: application/vnd.citationstyles.csl+json`, else 404

Every answer carries the rate-limit headers Crossref sent in 2026 recordings (polite pool: 10/1s and 3
in flight for single works, 3/1s and 3 in flight for lists). Records added with `add_synthetic_works`
are synthetic (for the benchmark) and must be named so by the caller."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from loopback import Fault, LoopbackServer, QuietHandler

CSL_JSON = "application/vnd.citationstyles.csl+json"
RATE_LIMIT_HEADERS = {
    "single": {"x-rate-limit-limit": "10", "x-rate-limit-interval": "1s", "x-concurrency-limit": "3", "x-api-pool": "polite-single"},
    "agency": {"x-rate-limit-limit": "10", "x-rate-limit-interval": "1s", "x-concurrency-limit": "3", "x-api-pool": "polite-single"},
    "list": {"x-rate-limit-limit": "3", "x-rate-limit-interval": "1s", "x-concurrency-limit": "3", "x-api-pool": "polite-array"},
    "public": {"x-rate-limit-limit": "5", "x-rate-limit-interval": "1s", "x-concurrency-limit": "1", "x-api-pool": "public"},
}
"""As recorded in 2026 (PROVENANCE.md); `public` answers requests without a mailto in the User-Agent."""
REQUEST_LINE_MAX = 4096


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    kind: str
    path: str
    headers: Mapping[str, str]
    """Header names in lower case."""
    at: float = 0.0
    """When it arrived (time.monotonic()), so pacing can be checked on the server's side."""


@dataclass
class Recordings:
    works: dict[str, bytes] = field(default_factory=dict)
    """Single-work envelope bytes by lower-case DOI."""
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    agencies: dict[str, bytes] = field(default_factory=dict)
    csl: dict[str, bytes] = field(default_factory=dict)
    not_found: bytes = b"Resource not found."
    bad_request: bytes = b""


def load_recordings(folder: Path) -> Recordings:
    recordings = Recordings()
    for path in sorted(folder.glob("*.json")):
        raw = path.read_bytes()
        message = json.loads(raw)["message"]
        doi = message["DOI"].lower()
        recordings.works[doi] = raw
        recordings.messages[doi] = message
        for alias in message.get("aliases") or ():
            recordings.aliases[alias.lower()] = doi
    for path in sorted((folder / "agency").glob("*.agency.json")):
        raw = path.read_bytes()
        recordings.agencies[json.loads(raw)["message"]["DOI"].lower()] = raw
    for path in sorted((folder / "csl").glob("*.json")):
        raw = path.read_bytes()
        recordings.csl[json.loads(raw)["DOI"].lower()] = raw
    recordings.not_found = (folder / "errors" / "404_works_10.1371_notarealdoi.txt").read_bytes()
    recordings.bad_request = (folder / "errors" / "400_works_sample_101.json").read_bytes()
    return recordings


def synthetic_work_message(doi: str, number: int) -> dict[str, Any]:
    """A synthetic Crossref work message (not real data), for load tests that need many DOIs."""
    return {
        "DOI": doi,
        "type": "journal-article",
        "title": [f"Synthetic work number {number}"],
        "author": [{"given": "Synthetic", "family": f"Author{number}", "sequence": "first"}],
        "container-title": ["Journal of Synthetic Records"],
        "volume": str(1 + number % 40),
        "page": f"{number}-{number + 9}",
        "issued": {"date-parts": [[2000 + number % 25, 1 + number % 12]]},
        "publisher": "Synthetic Publisher",
    }


def _envelope(message_type: str, message: Any) -> bytes:
    return json.dumps({"status": "ok", "message-type": message_type, "message-version": "1.0.0", "message": message}).encode()


class LoopbackCrossref(LoopbackServer["Seen"]):
    """The server. `with LoopbackCrossref(recordings) as server:` serves at `server.crossref_url`
    and `server.doi_url`; `server.requests` counts requests by kind (single, list, agency, doiorg).
    `fault_mode` is called with (kind, path)."""

    def __init__(self, recordings: Recordings, *, latency: float = 0.0) -> None:
        self.recordings = recordings  # before the handler is made: it reads them
        super().__init__(_handler_for, latency=latency, name="loopback-crossref")
        self.max_in_flight: Counter[str] = Counter()
        self.rate_limit_headers: dict[str, dict[str, str]] = {kind: dict(values) for kind, values in RATE_LIMIT_HEADERS.items()}
        """Sent with every answer, by request kind (`public` without mailto); tests may announce other limits."""
        self._in_flight: Counter[str] = Counter()

    @property
    def crossref_url(self) -> str:
        return self.base_url

    @property
    def doi_url(self) -> str:
        return f"{self.crossref_url}/doiorg"

    def announce_generous_limits(self) -> None:
        """Announce far higher polite-pool limits than Crossref's (200/s), so tests run fast; refkit follows them."""
        for kind in ("single", "agency", "list"):
            self.rate_limit_headers[kind] = {"x-rate-limit-limit": "200", "x-rate-limit-interval": "1s", "x-concurrency-limit": "3"}

    def add_synthetic_works(self, messages: Iterable[dict[str, Any]]) -> None:
        for message in messages:
            doi = message["DOI"].lower()
            self.recordings.messages[doi] = message
            self.recordings.works[doi] = _envelope("work", message)

    def reset_counts(self) -> None:
        super().reset_counts()
        with self._lock:
            self.max_in_flight.clear()

    def enter(self, kind: str, path: str, headers: Mapping[str, str]) -> Fault | None:
        with self._lock:
            queued = self._count(kind, Seen(kind, path, {name.lower(): value for name, value in headers.items()}, time.monotonic()))
            self._in_flight[kind] += 1
            self.max_in_flight[kind] = max(self.max_in_flight[kind], self._in_flight[kind])
        return self._programmed(kind, path, queued)

    def leave(self, kind: str) -> None:
        with self._lock:
            self._in_flight[kind] -= 1


def _kind(path: str) -> str:
    if path.startswith("/doiorg/"):
        return "doiorg"
    if path.rstrip("/") == "/works":
        return "list"
    if path.startswith("/works/"):
        return "agency" if path.endswith("/agency") else "single"
    return "other"


def _handler_for(server: LoopbackCrossref) -> type[QuietHandler]:
    recordings = server.recordings

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            kind = _kind(parts.path)
            fault = server.enter(kind, self.path, self.headers)
            try:
                if server.latency:
                    time.sleep(server.latency)
                self._answer(kind, parts.path, parse_qs(parts.query), fault)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test); nothing to answer
            finally:
                server.leave(kind)

        def _answer(self, kind: str, path: str, query: dict[str, list[str]], fault: Fault | None) -> None:
            if fault is not None and fault.kind == "reset":
                self.reset_connection()
                return
            if fault is not None and fault.kind == "status":
                headers = {"retry-after": fault.retry_after} if fault.retry_after else {}
                if fault.status == 400:  # Crossref's recorded validation-failure body
                    self._send(400, recordings.bad_request, "application/json", kind, headers)
                elif fault.json_body:
                    body = json.dumps({"status": "failed", "message": [{"message": "synthetic error"}]}).encode()
                    self._send(fault.status, body, "application/json", kind, headers)
                else:
                    self._send(fault.status, self.responses.get(fault.status, ("Error",))[0].encode(), "text/plain", kind, headers)
                return
            if fault is not None and fault.kind == "slow":
                time.sleep(fault.delay)
            if fault is not None and fault.kind == "not_json":
                self._send(200, b"<html><body>Service temporarily unavailable</body></html>", "text/html", kind)
                return
            status, body, content_type, headers = self._route(kind, path, query, fault)
            if fault is not None and fault.kind == "truncate":
                body = body[: len(body) // 2]
            self._send(status, body, content_type, kind, headers)

        def _route(self, kind: str, path: str, query: dict[str, list[str]], fault: Fault | None) -> tuple[int, bytes, str, dict[str, str]]:
            if kind == "list":
                if len(self.requestline.encode()) > REQUEST_LINE_MAX:
                    return 414, b"<h1>414 URI Too Long</h1>", "text/html", {}
                return 200, self._work_list(query, fault), "application/json", {}
            if kind in ("single", "agency"):
                doi = unquote(path[len("/works/") :].removesuffix("/agency")).lower()
                if kind == "agency":
                    if doi in recordings.agencies:
                        return 200, recordings.agencies[doi], "application/json", {}
                    return 404, recordings.not_found, "text/plain", {}
                if doi in recordings.aliases:  # as recorded: 301 from an alias to the canonical DOI
                    return 301, b"", "text/plain", {"location": f"/works/{recordings.aliases[doi]}"}
                if doi not in recordings.works:
                    return 404, recordings.not_found, "text/plain", {}
                if fault is not None and fault.kind == "wrong_doi":
                    other = next(key for key in sorted(recordings.works) if key != doi)
                    return 200, recordings.works[other], "application/json", {}
                return 200, recordings.works[doi], "application/json", {}
            if kind == "doiorg":
                doi = unquote(path[len("/doiorg/") :]).lower()
                if CSL_JSON not in self.headers.get("accept", ""):
                    return 406, b"Not Acceptable", "text/plain", {}
                if doi in recordings.csl:
                    return 200, recordings.csl[doi], CSL_JSON, {}
                return 404, b"<html><body>DOI Not Found</body></html>", "text/html", {}
            return 404, recordings.not_found, "text/plain", {}

        def _work_list(self, query: dict[str, list[str]], fault: Fault | None) -> bytes:
            wanted = []
            for clause in ",".join(query.get("filter", [])).split(","):
                name, _, value = clause.partition(":")
                if name == "doi":
                    wanted.append(value.lower())
            rows = int(query.get("rows", ["20"])[0])
            found = sorted({doi for doi in wanted if doi in recordings.messages})
            items = [recordings.messages[doi] for doi in found[:rows]]
            if fault is not None and fault.kind == "wrong_doi":
                other = next(key for key in sorted(recordings.messages) if key not in found)
                items.append(recordings.messages[other])
            message = {"facets": {}, "total-results": len(found), "items": items, "items-per-page": rows, "query": {"start-index": 0, "search-terms": None}}
            return _envelope("work-list", message)

        def _send(self, status: int, body: bytes, content_type: str, kind: str, headers: Mapping[str, str] | None = None) -> None:
            pool = kind if kind == "doiorg" or "mailto:" in self.headers.get("user-agent", "") else "public"
            self.send_body(status, body, content_type, {**server.rate_limit_headers.get(pool, {}), **(headers or {})})

    return Handler
