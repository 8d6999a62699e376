"""What the loopback servers of the tests and benchmarks share (tests/crossref_server.py,
tests/ncbi_server.py): a real threaded HTTP server on 127.0.0.1, request counting, faults queued per
kind of request or programmed, and a handler that answers quietly."""

from __future__ import annotations

import socket
import struct
import threading
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, TypeVar


@dataclass(frozen=True)
class Fault:
    """One failed answer. kind, as each server knows them: `status` (with `status` and optional
    `retry_after`), `slow` (answer after `delay` s), `truncate` (half the body), `reset` (connection
    reset, no answer); Crossref also `not_json` (an HTML page with 200) and `wrong_doi` (another DOI's
    record); NCBI also `not_xml` (an HTML page with 200), `error_body` (the recorded `<ERROR>`
    answer) and `extra_record` (a record nobody asked for added to the answer)."""

    kind: str
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0
    json_body: bool = False
    """A Crossref `status` answer with a JSON error body (synthetic; habanero then raises its RequestError)."""


SeenT = TypeVar("SeenT")


class LoopbackServer(Generic[SeenT]):
    """A real HTTP server on 127.0.0.1 in a thread of its own, serving `handler_for(self)`.
    `requests` counts requests by kind, `seen` lists them; `fail` queues faults for a kind and
    `fault_mode` may return one for any request without a queued fault (each server says with what)."""

    def __init__(self, handler_for: Callable[[Any], type[BaseHTTPRequestHandler]], *, latency: float, name: str) -> None:
        self.latency = latency
        self.requests: Counter[str] = Counter()
        self.seen: list[SeenT] = []
        self.fault_mode: Callable[[str, Any], Fault | None] | None = None
        self._queued: dict[str, deque[Fault]] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name=name, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> Any:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def fail(self, kind: str, *faults: Fault) -> None:
        """Answer the next requests of `kind` with these faults, in order."""
        with self._lock:
            self._queued.setdefault(kind, deque()).extend(faults)

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.seen.clear()

    def _count(self, kind: str, seen: SeenT) -> Fault | None:
        """Count one request (the lock held by the caller); its queued fault, if any."""
        self.requests[kind] += 1
        self.seen.append(seen)
        queue = self._queued.get(kind)
        return queue.popleft() if queue else None

    def _programmed(self, kind: str, about: Any, queued: Fault | None) -> Fault | None:
        """The queued fault, else what `fault_mode(kind, about)` programs (outside the lock)."""
        if queued is not None or self.fault_mode is None:
            return queued
        return self.fault_mode(kind, about)


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 (keep-alive, as the real services), no log lines in the test output."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def reset_connection(self) -> None:
        """Close with SO_LINGER 0, which sends RST: the client sees a reset connection, no answer."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def send_body(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
