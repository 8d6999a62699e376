"""One HTTP client for the sources that use `requests` (doi.org and NCBI): a session that names refkit
in its User-Agent, GET and POST with the configured timeout, and one reading of what a failed request
means, as `pacing`'s failures: `Unreachable` (no connection could be made), `Transient` (worth a
retry: a timeout, a dropped connection, 429 and 5xx with their Retry-After), `NotFound` (404) or
`Refused` (any other refusal, with its status).

`requests` is imported here only, and only when a client is made, so `refkit scan` never loads it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import __version__
from .pacing import Refused, Transient, Unreachable, status_failure

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    import requests


REQUEST_THREAD_PREFIX = "refkit-request-"
"""The names of the threads that make a source's requests."""


@contextmanager
def request_pool(concurrency: int, source: str) -> Iterator[ThreadPoolExecutor]:
    """Threads for one source's requests. Left early (Ctrl-C, an error, a reader that stopped), the
    pool drops the requests not yet started and does not wait for those in flight: one may take the
    whole timeout and its retries, and a user who pressed Ctrl-C would wait for it."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=f"{REQUEST_THREAD_PREFIX}{source}")
    try:
        yield pool
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def quote_doi(doi: str) -> str:
    """The DOI as a URL path segment: `#`, `?`, `;`, `<>`, `[]` and `%` would be cut off or misread on
    the way; percent-encoded they reach the server intact."""
    return quote(doi, safe="/")


def user_agent(mailto: str | None) -> str:
    """refkit's User-Agent: its name and version, and whom to contact when `mailto` is set."""
    return f"refkit/{__version__}" + (f" (mailto:{mailto})" if mailto else "")


class HttpClient:
    """A `requests` session for one source; `get` and `post` return the response of a request that
    succeeded (2xx) and raise `pacing`'s failures for every other outcome."""

    def __init__(self, timeout: float, *, mailto: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        import requests

        self._timeout = timeout
        self._session = requests.Session()
        self._session.headers.update({"User-Agent": user_agent(mailto), **(headers or {})})

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    def get(self, url: str, *, params: Mapping[str, str] | None = None) -> requests.Response:
        return self._send("GET", url, params=params)

    def post(self, url: str, *, data: Mapping[str, str]) -> requests.Response:
        """A form POST (`application/x-www-form-urlencoded`): for parameters too long for a URL."""
        return self._send("POST", url, data=data)

    def _send(self, method: str, url: str, **arguments: Any) -> requests.Response:
        import requests

        try:
            response = self._session.request(method, url, timeout=self._timeout, **arguments)
        except requests.RequestException as error:
            raise transport_failure(error, self._timeout) from None
        if not 200 <= response.status_code < 300:
            raise status_failure(response.status_code, response.reason or "", response.headers.get("retry-after"))
        return response


def transport_failure(error: Exception, timeout: float) -> Exception:
    """What a `requests` exception means: Unreachable when no connection was made at all, Refused
    for a request that cannot be sent as it is, Transient (retry) otherwise."""
    import requests

    if isinstance(error, requests.ConnectTimeout) or (isinstance(error, requests.ConnectionError) and _could_not_connect(error)):
        return Unreachable(f"cannot connect: {error}")
    if isinstance(error, requests.Timeout):
        return Transient(f"no answer within {timeout:g} s")
    if isinstance(error, requests.ConnectionError):
        return Transient(f"connection failed: {error}")
    if isinstance(error, (requests.TooManyRedirects, requests.URLRequired, ValueError)):
        return Refused(f"request refused: {type(error).__name__}: {error}")
    return Transient(f"request failed: {type(error).__name__}: {error}")


def _could_not_connect(error: Exception) -> bool:
    """True when no connection was made at all (name resolution failed, connection refused)."""
    from urllib3.exceptions import NewConnectionError

    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)


def json_body(response: requests.Response) -> Any:
    """The JSON in a response; a body that is not JSON is a Transient failure (a proxy's error page,
    a cut-off answer), worth a retry."""
    try:
        return response.json()
    except ValueError:
        raise Transient(f"malformed JSON body ({response.headers.get('content-type')})") from None
