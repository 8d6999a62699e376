"""The shared requests client of the doi.org and NCBI sources (sources/http.py), against a real loopback
server: what each HTTP status and transport failure means, and what every request carries."""

from __future__ import annotations

import socket
import threading

import pytest
from ncbi_server import Fault, LoopbackNcbi

from refkit import __version__
from refkit.sources.http import HttpClient, json_body, request_pool
from refkit.sources.pacing import NotFound, Refused, Transient, Unreachable


def test_a_get_carries_refkits_user_agent_and_parameters(ncbi_server: LoopbackNcbi) -> None:
    with HttpClient(5, mailto="me@example.org", headers={"Accept": "text/xml"}) as client:
        response = client.get(f"{ncbi_server.eutils_url}/efetch.fcgi", params={"db": "pubmed", "id": "1234567"})
    assert response.status_code == 200 and b"<PMID Version=\"1\">1234567</PMID>" in response.content
    (seen,) = ncbi_server.seen
    assert seen.headers["user-agent"] == f"refkit/{__version__} (mailto:me@example.org)"
    assert seen.headers["accept"] == "text/xml"
    assert seen.params == {"db": ["pubmed"], "id": ["1234567"]}


def test_a_post_sends_a_form_body(ncbi_server: LoopbackNcbi) -> None:
    with HttpClient(5) as client:
        client.post(f"{ncbi_server.eutils_url}/efetch.fcgi", data={"db": "pubmed", "id": "1234567,29915538"})
    (seen,) = ncbi_server.seen
    assert seen.method == "POST" and seen.params["id"] == ["1234567,29915538"]
    assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen.headers["user-agent"] == f"refkit/{__version__}"


@pytest.mark.parametrize(
    ("fault", "failure", "message", "retry_after"),
    [
        (Fault("status", status=404), NotFound, "", None),
        (Fault("status", status=429), Transient, "HTTP 429 Too Many Requests", None),
        (Fault("status", status=503, retry_after="7"), Transient, "HTTP 503 Service Unavailable", 7.0),
        (Fault("status", status=400), Refused, "HTTP 400 Bad Request", None),
        (Fault("status", status=414), Refused, "HTTP 414 Request-URI Too Long", None),
        (Fault("reset"), Transient, "connection failed", None),
        (Fault("slow", delay=1.0), Transient, "no answer within 0.3 s", None),
    ],
    ids=["404", "429", "503-retry-after", "400", "414", "reset", "timeout"],
)
def test_what_a_failed_request_means(ncbi_server: LoopbackNcbi, fault: Fault, failure: type, message: str, retry_after: float | None) -> None:
    ncbi_server.fail("efetch", fault)
    with HttpClient(0.3) as client, pytest.raises(failure) as raised:
        client.get(f"{ncbi_server.eutils_url}/efetch.fcgi", params={"id": "1234567"})
    assert str(raised.value).startswith(message)
    assert type(raised.value) is failure  # not a subclass such as Unreachable
    if failure is Transient:
        assert raised.value.retry_after == retry_after
    if failure is Refused:
        assert raised.value.status == fault.status


def test_no_connection_at_all_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens once the probe is closed
    with HttpClient(2) as client, pytest.raises(Unreachable, match="cannot connect"):
        client.get(f"http://127.0.0.1:{port}/")


def test_a_body_that_is_not_json_is_transient(ncbi_server: LoopbackNcbi) -> None:
    with HttpClient(5) as client:
        response = client.get(f"{ncbi_server.eutils_url}/efetch.fcgi", params={"id": "1234567"})
        with pytest.raises(Transient, match=r"malformed JSON body \(text/xml; charset=UTF-8\)"):
            json_body(response)
        converter = client.get(f"{ncbi_server.idconv_url}/", params={"ids": "PMC3261988", "idtype": "pmcid"})
    assert json_body(converter)["records"][0]["pmid"] == "21813367"


def test_a_request_pool_left_early_drops_what_has_not_started_and_does_not_wait_for_what_has() -> None:
    """Ctrl-C while a request hangs: leaving the pool must not wait for it (its timeout and retries
    would keep the user waiting); the requests not yet started are dropped."""
    release = threading.Event()
    with pytest.raises(KeyboardInterrupt), request_pool(1, "test") as pool:
        hanging = pool.submit(release.wait, 5)
        queued = pool.submit(str, "never asked")
        while not hanging.running():
            threading.Event().wait(0.01)
        raise KeyboardInterrupt
    try:
        assert hanging.running()  # left at once: a pool that waited would have seen it end
        assert queued.cancelled()
    finally:
        release.set()
