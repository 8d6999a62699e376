"""Identifiers -> Resolutions: the store first, then the sources, in the order of `source_chain()`.
Failures become data (`unresolved` with a reason), never exceptions; only the store may raise.

How the chain runs, whatever the sources are (each keeps the `sources.Source` contract):
- the first source for a scheme is asked every key of that scheme the store lacks; a later source
  for the same scheme only the keys an earlier one handed over (`not_found` naming another
  registration agency: Crossref for a DataCite DOI hands it to doi.org);
- every identifier a found work carries besides the one asked (the DOI in a PubMed record) is
  asked of the later sources as a probe: the authority for that scheme gets its say, at no
  request of its own;
- a PubMed work whose DOI a DOI source found is that work: the DOI source's record, with the
  PMID, PMCID, publication types and PubMed's update relations added (`with_pubmed`)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable

from .config import Settings
from .model import IdScheme, Resolution, Work, split_key
from .sources import Source
from .sources.pacing import NetworkWatch, offline
from .store import Store

def source_chain() -> tuple[type[Source], ...]:
    """The sources, in the order they are asked; NCBI first: the DOIs PubMed gives are probes for
    the DOI sources. (Their modules are cheap to import; each imports its HTTP library when made.)"""
    from .sources.crossref import CrossrefSource
    from .sources.doiorg import DoiOrgSource
    from .sources.ncbi import NcbiSource

    return (NcbiSource, CrossrefSource, DoiOrgSource)

NCBI_AGENCIES = frozenset({"pubmed", "pmc"})
"""The agencies NCBI's answers carry: PubMed, or PMC for an article PubMed does not hold."""

SAVE_EVERY = 100
"""Answers kept per store transaction; a run killed mid-way loses at most these (or SAVE_SECONDS' worth)."""
SAVE_SECONDS = 2.0
MISSING_MAILTO = (
    "no mailto configured (--mailto or REFKIT_MAILTO): Crossref serves anonymous clients from its public pool, "
    "more slowly (5 requests/s, 1 at a time)"
)


class _Recorder:
    """Collects answers, saves fetched ones to the store in batches, and reports progress on the
    identifiers asked for (probes are not counted) while they are fetched."""

    def __init__(self, store: Store, wanted: Iterable[str], progress: Callable[[int, int], None] | None) -> None:
        self.results: dict[str, Resolution] = {}
        self._store = store
        self._wanted = set(wanted)
        self._done = 0
        self._progress = progress
        self._unsaved: list[Resolution] = []
        self._saved_at = time.monotonic()
        self.on_first_answer: Callable[[], None] | None = None
        """Called once, when the network first answers (found or not found)."""

    def add(self, resolution: Resolution, *, fetched: bool = True) -> None:
        """One answer; a fetched one is saved (in batches) and reported as progress."""
        counts = resolution.key in self._wanted and resolution.key not in self.results
        self._done += counts
        self.results[resolution.key] = resolution
        if not fetched:
            return
        if resolution.status != "unresolved" and self.on_first_answer is not None:
            self.on_first_answer, said = None, self.on_first_answer
            said()
        self._unsaved.append(resolution)
        if len(self._unsaved) >= SAVE_EVERY or time.monotonic() - self._saved_at >= SAVE_SECONDS:
            self.save()
        if counts:
            self.report()

    def report(self) -> None:
        if self._progress is not None:
            self._progress(self._done, len(self._wanted))

    def save(self) -> None:
        if self._unsaved:
            self._store.put_many(self._unsaved)
            self._unsaved = []
        self._saved_at = time.monotonic()


def resolve_identifiers(
    keys: Iterable[str],
    settings: Settings,
    store: Store,
    *,
    probes: Iterable[str] = (),
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
    backoff: float = 0.5,
) -> dict[str, Resolution]:
    """One Resolution per distinct key (`model.id_key`), in the order first given, plus one for
    every probe found. DOIs are case-insensitive: spellings of one DOI are asked for once and
    each gets the answer under its own spelling.

    `probes` are identifiers worth knowing only if they exist (repair candidates): asked inside
    the batches, answered only when found. `progress(done, total)` is called when fetching through
    the network starts and as its answers arrive (never for a run the store or --offline answers,
    which needs no progress bar); `warn(message)` at most once per kind of problem (no network; no
    mailto, once a registry answers). `backoff` is the first retry delay in seconds."""
    given = list(dict.fromkeys(keys))
    first_spelling: dict[str, str] = {}
    for key in given:
        first_spelling.setdefault(key.lower(), key)
    wanted = list(first_spelling.values())
    asked_probes = [probe for probe in dict.fromkeys(probes) if probe.lower() not in first_spelling]
    probing = asked_probes
    recorder = _Recorder(store, wanted, progress)
    if not settings.refresh:
        for resolution in store.get_many(wanted + probing, settings.max_age_days).values():
            recorder.add(resolution, fetched=False)
        # The identifiers the store's PubMed works carry (their DOIs) were probes of the run that
        # stored them: read their answers too, or a warm run would lose the merge a cold one made.
        # (A probe that run did not find is not asked again: it found nothing to merge.)
        carried = [key for key in _carried_keys(recorder.results) if key not in recorder.results]
        for resolution in store.get_many(carried, settings.max_age_days).values():
            recorder.add(resolution, fetched=False)
    todo = [key for key in wanted if key not in recorder.results]
    probing = [probe for probe in probing if probe not in recorder.results]
    if settings.offline:
        for key in todo:
            recorder.add(offline(key), fetched=False)
    elif todo or probing:
        if settings.mailto is None and warn is not None and any(split_key(key)[0] == "doi" for key in todo):
            # Said when a registry first answers: without a network the pool does not matter.
            recorder.on_first_answer = lambda: warn(MISSING_MAILTO)
        recorder.report()  # fetching starts: what the store answered is already done
        try:
            _ask_sources(todo, probing, settings, recorder, NetworkWatch(warn), backoff)
        finally:
            recorder.save()  # what was fetched stays fetched, even if the run is interrupted
    results = with_pubmed(recorder.results)
    answers = {key: results[first_spelling[key.lower()]] for key in given}
    # Every probe found, the store's answers too (a warm run must confirm the repairs a cold one did).
    found_probes = {probe: results[probe] for probe in asked_probes if probe in results and results[probe].status == "found"}
    return {
        key: answer if answer.key == key else dataclasses.replace(answer, key=key)
        for key, answer in {**found_probes, **answers}.items()
    }


def _carried_keys(results: dict[str, Resolution]) -> list[str]:
    """The other identifiers of the works NCBI found (the DOI a PubMed record gives)."""
    carried = (
        key
        for answer in results.values()
        if answer.status == "found" and answer.work is not None and answer.agency in NCBI_AGENCIES
        for key in answer.work.keys
    )
    return list(dict.fromkeys(carried))


def _ask_sources(
    todo: list[str], probes: list[str], settings: Settings, recorder: _Recorder, network: NetworkWatch, backoff: float
) -> None:
    sources = source_chain()
    served: set[IdScheme] = set()
    handed: dict[str, str] = {}  # key -> the registration agency the previous source named
    pending_probes = dict.fromkeys(probes)
    for index, source_class in enumerate(sources):
        schemes: frozenset[IdScheme] = source_class.schemes
        later = any(schemes & other.schemes for other in sources[index + 1 :])
        ask = [key for key in todo if split_key(key)[0] in schemes - served and key not in recorder.results]
        ask += [key for key in handed if split_key(key)[0] in schemes]
        # Probes go to the first source of their scheme only: one a source did not find is no lead worth a
        # request of its own elsewhere (doi.org asks DOI by DOI).
        mine = [probe for probe in pending_probes if split_key(probe)[0] in schemes - served and probe not in recorder.results]
        if not ask and not mine:
            served |= schemes
            continue
        with source_class(settings, network=network, backoff=backoff) as source:
            for answer in source.fetch_many(ask, mine):
                if answer.key in handed:
                    answer = dataclasses.replace(answer, agency=handed.pop(answer.key))
                if answer.status == "not_found" and answer.agency is not None and later and answer.key not in recorder.results:
                    handed[answer.key] = answer.agency
                    continue
                recorder.add(answer)
                if answer.status == "found" and answer.work is not None:
                    pending_probes.update(dict.fromkeys(k for k in answer.work.keys if k not in recorder.results))
        served |= schemes
    for key, agency in handed.items():  # handed over, but no later source answers that scheme
        recorder.add(Resolution(key, "not_found", agency=agency, fetched_at=time.time()))


def with_pubmed(results: dict[str, Resolution]) -> dict[str, Resolution]:
    """Every PubMed work whose DOI a DOI source found, as that one work: the DOI source's record
    (the authority for metadata) with PubMed's identifiers, publication types and update
    relations added; both the PMID's and the DOI's answers carry it."""
    by_lower = {key.lower(): key for key in results}
    merged = dict(results)
    for key, answer in results.items():
        work = answer.work
        if answer.status != "found" or work is None or answer.agency not in NCBI_AGENCIES or not work.doi:
            continue
        doi_key = by_lower.get(work.doi.lower())
        authority = results.get(doi_key) if doi_key else None
        if authority is None or authority.status != "found" or authority.work is None:
            continue
        one = merge_works(authority.work, work)
        merged[key] = dataclasses.replace(answer, work=one, agency=authority.agency)
        merged[doi_key] = dataclasses.replace(authority, work=one)  # type: ignore[index]
    return merged


def merge_works(authority: Work, pubmed: Work) -> Work:
    """`authority`'s record, with what only PubMed knows added."""

    def union(first: tuple, second: tuple) -> tuple:  # type: ignore[type-arg]
        return tuple(dict.fromkeys((*first, *second)))

    return dataclasses.replace(
        authority,
        pmid=authority.pmid or pubmed.pmid,
        pmcid=authority.pmcid or pubmed.pmcid,
        publication_types=union(authority.publication_types, pubmed.publication_types),
        other_titles=union(authority.other_titles, tuple(t for t in (pubmed.title, *pubmed.other_titles) if t)),
        short_container_title=authority.short_container_title or pubmed.short_container_title,
        updated_by=union(authority.updated_by, pubmed.updated_by),
        update_to=union(authority.update_to, pubmed.update_to),
    )
