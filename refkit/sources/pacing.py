"""Pacing shared by the network sources: request rate and in-flight limits per endpoint kind,
retries with exponential backoff and jitter, and noticing a machine with no network at all.

Nothing here touches the network itself; the sources call it around each request."""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from ..model import Resolution

T = TypeVar("T")

# Start (and stay) below the limits a server announces, so a burst never trips them.
SAFETY = 0.8

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_INTERVAL_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


def parse_interval(text: str) -> float | None:
    """Seconds in a rate-limit interval header such as `1s`; None when it cannot be read."""
    match = _INTERVAL.match(text)
    if not match:
        return None
    seconds = float(match.group(1)) * _INTERVAL_UNITS[match.group(2)]
    return seconds if seconds > 0 else None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class Throttle:
    """Paces one kind of endpoint: at most `rate` request starts per second and `in_flight`
    requests at once, both adjustable from the server's rate-limit headers, and a shared pause
    when the server asks for one (Retry-After)."""

    def __init__(self, rate: float, in_flight: int, *, ceiling: int) -> None:
        self._ceiling = max(1, ceiling)
        self._rate = rate
        self._in_flight = max(1, min(in_flight, self._ceiling))
        self._active = 0
        self._last_start = float("-inf")
        self._paused_until = 0.0
        self._changed = threading.Condition()

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one in-flight place, started no sooner than the rate and any pause allow."""
        with self._changed:
            while self._active >= self._in_flight:
                self._changed.wait()
            self._active += 1
            now = time.monotonic()
            start = max(now, self._last_start + 1.0 / self._rate, self._paused_until)
            self._last_start = start
        try:
            if start > now:
                time.sleep(start - now)
            yield
        finally:
            with self._changed:
                self._active -= 1
                self._changed.notify_all()

    def adapt(self, headers: Mapping[str, str]) -> None:
        """Follow `x-rate-limit-limit`/`x-rate-limit-interval`/`x-concurrency-limit` when present."""
        limit, interval = headers.get("x-rate-limit-limit"), headers.get("x-rate-limit-interval")
        concurrency = headers.get("x-concurrency-limit")
        with self._changed:
            if limit and interval and limit.strip().isdigit():
                seconds = parse_interval(interval)
                if seconds is not None and int(limit) > 0:
                    self._rate = SAFETY * int(limit) / seconds
            if concurrency and concurrency.strip().isdigit() and int(concurrency) > 0:
                self._in_flight = min(self._ceiling, int(concurrency))
                self._changed.notify_all()

    def pause(self, seconds: float) -> None:
        """No request of this kind starts for `seconds` (the server asked us to wait)."""
        with self._changed:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry one request after a transient failure."""

    retries: int
    backoff: float = 0.5
    """Delay before the first retry, in seconds; doubled for each further one."""
    max_delay: float = 30.0
    max_retry_after: float = 120.0
    """A server asking to wait longer than this is taken as a refusal, not a delay."""

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Exponential backoff with jitter (half to full of the nominal delay), for retry `attempt` (0-based)."""
        nominal = min(self.max_delay, self.backoff * 2**attempt)
        return nominal * rng.uniform(0.5, 1.0)


OFFLINE = "offline"
"""The reason given for a DOI that was not asked for because there is no network (or --offline)."""


class NotFound(Exception):
    """The server holds no such record (HTTP 404)."""


class Refused(Exception):
    """The server refused the request in a way that retrying will not change (a 4xx other than 404/429)."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status
        """The HTTP status, when there was one (414: the request was too long)."""


class Transient(Exception):
    """A failure worth retrying: 429, 5xx, a timeout, a dropped connection, a malformed body."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Unreachable(Transient):
    """No connection could be made (name resolution failed, connection refused or timed out)."""


class Offline(Exception):
    """The network is known to be down for this run; no request was sent."""


def with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    throttle: Throttle,
    network: NetworkWatch,
    rng: random.Random,
) -> T:
    """Run `call` inside a throttle slot, retrying on `Transient`; re-raise the last `Transient`
    when the retries are used up, `Offline` once the network is known to be down."""
    attempt = 0
    while True:
        if network.down:
            raise Offline()
        try:
            with throttle.slot():
                result = call()
        except Unreachable as failure:
            network.unreachable()
            if network.down:
                raise Offline() from failure
            if attempt >= policy.retries:
                raise
            last: Transient = failure
        except (NotFound, Refused):
            network.answered()
            raise
        except Transient as failure:
            network.answered()
            if failure.retry_after is not None:
                if failure.retry_after > policy.max_retry_after:
                    raise
                throttle.pause(failure.retry_after)
            if attempt >= policy.retries:
                raise
            last = failure
        else:
            network.answered()
            return result
        if last.retry_after is None:
            time.sleep(policy.delay(attempt, rng))
        else:
            # The throttle holds every request of this kind back for Retry-After; spread the retries.
            time.sleep(rng.uniform(0, policy.backoff))
        attempt += 1


def status_failure(status: int, message: str, retry_after: str | None) -> BaseException:
    """What an HTTP error status means: NotFound (404), Transient (429, 5xx: retry, after
    `Retry-After` if given) or Refused (any other)."""
    if status == 404:
        return NotFound()
    if status == 429 or status >= 500:
        return Transient(f"HTTP {status} {message}".strip(), parse_retry_after(retry_after))
    return Refused(f"HTTP {status} {message}".strip(), status)


def offline(key: str) -> Resolution:
    """The answer for an identifier asked while refkit is offline (by choice, or with no network)."""
    return Resolution(key, "unresolved", reason=OFFLINE)


# Connection failures in a row, with no answer yet, that mean there is no network at all.
NO_NETWORK_AFTER = 3


class NetworkWatch:
    """Notices a machine with no network: the first few attempts all fail to connect and nothing
    has answered. Then it says so once (`warn`) and the run goes on as if offline."""

    def __init__(self, warn: Callable[[str], None] | None = None) -> None:
        self._warn = warn
        self._failures = 0
        self._answers = 0
        self._down = False
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self._down

    def answered(self) -> None:
        with self._lock:
            self._answers += 1

    def unreachable(self) -> None:
        with self._lock:
            self._failures += 1
            if self._down or self._answers or self._failures < NO_NETWORK_AFTER:
                return
            self._down = True
        if self._warn is not None:
            self._warn(
                f"no network: the first {NO_NETWORK_AFTER} connection attempts failed; "
                "going on offline (what the store lacks is reported as unresolved)"
            )
