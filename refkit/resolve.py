"""DOIs -> Resolutions: the store first, then Crossref, then doi.org for DOIs Crossref does not hold.
Failures become data (`unresolved` with a reason), never exceptions; only the store may raise."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable

from .config import Settings
from .model import Resolution
from .sources.pacing import NetworkWatch, offline
from .store import Store

SAVE_EVERY = 100
"""Answers kept per store transaction; a run killed mid-way loses at most these (or SAVE_SECONDS' worth)."""
SAVE_SECONDS = 2.0
MISSING_MAILTO = (
    "no mailto configured (--mailto or REFKIT_MAILTO): Crossref serves anonymous clients from its public pool, "
    "more slowly (5 requests/s, 1 at a time)"
)


class _Recorder:
    """Collects answers, saves definite ones to the store in batches, and reports progress."""

    def __init__(self, store: Store, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.results: dict[str, Resolution] = {}
        self._store = store
        self._total = total
        self._progress = progress
        self._unsaved: list[Resolution] = []
        self._saved_at = time.monotonic()
        self.on_first_answer: Callable[[], None] | None = None
        """Called once, when the network first answers (found or not found)."""

    def add(self, resolution: Resolution, *, fetched: bool = True) -> None:
        """One answer; a fetched one is saved to the store (in batches) and reported as progress."""
        self.results[resolution.key] = resolution
        if fetched and resolution.status != "unresolved" and self.on_first_answer is not None:
            self.on_first_answer, said = None, self.on_first_answer
            said()
        if fetched:
            self._unsaved.append(resolution)
            if len(self._unsaved) >= SAVE_EVERY or time.monotonic() - self._saved_at >= SAVE_SECONDS:
                self.save()
            self.report()

    def report(self) -> None:
        if self._progress is not None:
            self._progress(len(self.results), self._total)

    def save(self) -> None:
        if self._unsaved:
            self._store.put_many(self._unsaved)
            self._unsaved = []
        self._saved_at = time.monotonic()


def resolve_dois(
    dois: Iterable[str],
    settings: Settings,
    store: Store,
    *,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
    backoff: float = 0.5,
) -> dict[str, Resolution]:
    """One Resolution per distinct DOI, in the order first given. DOIs are case-insensitive: spellings
    of one DOI are asked for once and each gets the answer under its own spelling.

    `progress(done, total)` is called when fetching through the network starts and as its answers
    arrive (never for a run the store or --offline answers, which needs no progress bar);
    `warn(message)` at most once per kind of problem (no network; no mailto, once a registry answers). `backoff` is the first retry delay in seconds."""
    given = list(dict.fromkeys(dois))
    first_spelling: dict[str, str] = {}
    for doi in given:
        first_spelling.setdefault(doi.lower(), doi)
    wanted = list(first_spelling.values())
    recorder = _Recorder(store, len(wanted), progress)
    if not settings.refresh:
        for resolution in store.get_many(wanted, settings.max_age_days).values():
            recorder.add(resolution, fetched=False)
    todo = [doi for doi in wanted if doi not in recorder.results]
    if todo and settings.offline:
        for doi in todo:
            recorder.add(offline(doi), fetched=False)
    elif todo:
        if settings.mailto is None and warn is not None:
            # Said when Crossref first answers: without a network the pool does not matter.
            recorder.on_first_answer = lambda: warn(MISSING_MAILTO)
        recorder.report()  # fetching starts: what the store answered is already done
        try:
            _fetch(todo, settings, recorder, NetworkWatch(warn), backoff)
        finally:
            recorder.save()  # what was fetched stays fetched, even if the run is interrupted
    answers = {doi: recorder.results[first_spelling[doi.lower()]] for doi in given}
    return {doi: answer if answer.key == doi else dataclasses.replace(answer, key=doi) for doi, answer in answers.items()}


def _fetch(dois: list[str], settings: Settings, recorder: _Recorder, network: NetworkWatch, backoff: float) -> None:
    from .sources.crossref import CrossrefSource
    from .sources.doiorg import DoiOrgSource

    elsewhere: dict[str, str] = {}
    with CrossrefSource(settings, network=network, backoff=backoff) as crossref:
        for resolution in crossref.fetch_many(dois):
            if resolution.status == "not_found" and resolution.agency is not None:
                # Registered with another agency (or Crossref's works index lacks it): ask doi.org.
                elsewhere[resolution.key] = resolution.agency
            else:
                recorder.add(resolution)
    if elsewhere:
        with DoiOrgSource(settings, network=network, backoff=backoff) as doiorg:
            for resolution in doiorg.fetch_many(elsewhere):
                recorder.add(dataclasses.replace(resolution, agency=elsewhere[resolution.key]))
