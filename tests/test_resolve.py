"""Resolving DOIs against the loopback Crossref (tests/crossref_server.py), through the real habanero
client and requests: batches, single lookups, 404s, agencies, doi.org, faults, pacing."""

from __future__ import annotations

import dataclasses
import json
import socket
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx2
import pytest
from crossref_server import Fault, LoopbackCrossref
from refkit_process import refkit_env, run_refkit

from refkit.config import Settings
from refkit.model import Resolution
from refkit.resolve import MISSING_MAILTO, resolve_identifiers
from refkit.sources.crossref import REQUEST_LINE_MAX, CrossrefSource, batches, quote_doi, work_from_crossref
from refkit.sources.pacing import OFFLINE, Throttle
from refkit.store import Store

BACKOFF = 0.01
DATACITE_DOI = "10.5284/1011335"  # recorded: Crossref 404, agency datacite
NOBODYS_DOI = "10.1371/notarealdoi"  # recorded: Crossref 404, agency 404
CSL_ONLY_DOI = "10.1126/science.169.3946.635"  # recorded: agency crossref and doi.org CSL-JSON, no /works record
SICI_DOIS = [
    "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v",
    "10.1890/0012-9658(2006)87[2832:tiopma]2.0.co;2",
]


@pytest.fixture(autouse=True)
def generous_limits(crossref_server):
    crossref_server.announce_generous_limits()


def settings_for(server: LoopbackCrossref, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "crossref_url": server.crossref_url,
        "doi_url": server.doi_url,
        "mailto": "refkit-tests@example.org",
        "store": str(tmp_path / "store.sqlite3"),
        "timeout": 0.5,
        "retries": 3,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def resolve(server: LoopbackCrossref, tmp_path: Path, dois: list[str], **overrides: object) -> dict[str, Resolution]:
    settings = settings_for(server, tmp_path, **overrides)
    with Store(settings.store) as store:
        return resolve_identifiers(dois, settings, store, backoff=BACKOFF)


def recorded(server: LoopbackCrossref, count: int | None = None) -> list[str]:
    """DOIs of recorded single works, in their recorded spelling."""
    return [message["DOI"] for message in server.recordings.messages.values()][:count]


def test_batch_finds_every_recorded_work_in_few_list_requests(crossref_server, tmp_path):
    dois = recorded(crossref_server)
    results = resolve(crossref_server, tmp_path, dois)
    assert list(results) == dois
    assert {r.status for r in results.values()} == {"found"}
    assert {r.agency for r in results.values()} == {"crossref"}
    for doi, resolution in results.items():
        assert resolution.work == work_from_crossref(crossref_server.recordings.messages[doi.lower()], doi)
    expected_lists = len(batches(crossref_server.crossref_url, dois))
    assert crossref_server.requests == Counter(list=expected_lists)
    assert all(len(seen.path) < REQUEST_LINE_MAX for seen in crossref_server.seen)


def test_batches_respect_the_request_line_and_row_limits():
    synthetic_long_dois = [f"10.5555/synthetic-{'x' * 60}-{number}" for number in range(300)]
    synthetic_short_dois = [f"10.5/{number}" for number in range(2500)]
    for dois in (synthetic_long_dois, synthetic_short_dois):
        split = batches("https://api.crossref.org", dois)
        assert [doi for batch in split for doi in batch] == dois
        assert all(len(batch) <= 1000 for batch in split)
        assert len(split) > 1
        for batch in split:
            url = httpx2.URL("https://api.crossref.org/works", params={"filter": ",".join(f"doi:{d}" for d in batch), "rows": str(len(batch))})
            assert len(f"GET {url.raw_path.decode()} HTTP/1.1") < REQUEST_LINE_MAX
        # each batch is as full as the limits allow: one more DOI would break one
        for batch, following in zip(split, split[1:]):
            bigger = [*batch, following[0]]
            url = httpx2.URL("https://api.crossref.org/works", params={"filter": ",".join(f"doi:{d}" for d in bigger), "rows": str(len(bigger))})
            assert len(bigger) > 1000 or len(f"GET {url.raw_path.decode()} HTTP/1.1") >= REQUEST_LINE_MAX


def test_duplicates_and_case_variants_are_asked_once(crossref_server, tmp_path):
    doi = recorded(crossref_server, 1)[0]
    results = resolve(crossref_server, tmp_path, [doi, doi, doi.upper()])
    assert list(results) == [doi, doi.upper()]
    assert results[doi.upper()].status == "found"
    assert crossref_server.requests == Counter(list=1)


def test_dois_with_special_characters_reach_crossref_intact(crossref_server, tmp_path):
    crossref_server.fail("list", Fault("status", status=400))  # the batch is refused: one by one
    results = resolve(crossref_server, tmp_path, SICI_DOIS, retries=0)
    assert {doi: r.status for doi, r in results.items()} == dict.fromkeys(SICI_DOIS, "found")
    singles = [seen.path for seen in crossref_server.seen if seen.kind == "single"]
    assert sorted(singles) == sorted(f"/works/{quote_doi(doi)}" for doi in SICI_DOIS)
    assert any("%3B" in path and "%3C" in path for path in singles)
    assert any("%5B" in path for path in singles)


def test_not_in_crossref_asks_agency_then_doi_org(crossref_server, tmp_path):
    results = resolve(crossref_server, tmp_path, [DATACITE_DOI, NOBODYS_DOI, CSL_ONLY_DOI])
    assert results[DATACITE_DOI] == Resolution(DATACITE_DOI, "not_found", agency="datacite", fetched_at=results[DATACITE_DOI].fetched_at)
    assert results[NOBODYS_DOI].status == "not_found" and results[NOBODYS_DOI].agency is None
    water = results[CSL_ONLY_DOI]
    assert water.status == "found" and water.agency == "crossref"
    assert water.work is not None and water.work.title == "The Structure of Ordinary Water"
    assert water.work.issued == (1970, 8, 14) and water.work.authors[0].family == "Frank"
    # one list request, then each DOI alone, then the agency of each, then doi.org for those with an agency
    assert crossref_server.requests == Counter(list=1, single=3, agency=3, doiorg=2)
    negotiations = [seen for seen in crossref_server.seen if seen.kind == "doiorg"]
    assert all(seen.headers["accept"] == "application/vnd.citationstyles.csl+json" for seen in negotiations)


def test_alias_follows_the_recorded_redirect(crossref_server, tmp_path):
    results = resolve(crossref_server, tmp_path, ["10.26434/chemrxiv.5406907"])
    resolution = results["10.26434/chemrxiv.5406907"]
    assert resolution.status == "found"
    assert resolution.work is not None and resolution.work.title.startswith("Binding Modes of Ligands")


def test_429_with_retry_after_is_honoured(crossref_server, tmp_path):
    dois = recorded(crossref_server, 5)
    crossref_server.fail("list", Fault("status", status=429, retry_after="1"))
    results = resolve(crossref_server, tmp_path, dois)
    assert {r.status for r in results.values()} == {"found"}
    assert crossref_server.requests == Counter(list=2)
    first, retry = crossref_server.seen
    assert retry.at - first.at >= 0.95  # asked again only after the second Crossref asked for


@pytest.mark.parametrize("json_body", [False, True], ids=["text-body", "json-body"])
def test_a_retry_after_beyond_reason_is_a_refusal_not_a_wait(crossref_server, tmp_path, wiki, json_body):
    dois = recorded(crossref_server, 2)
    wiki.page("a.md", "".join(f"See https://doi.org/{doi}\n\n" for doi in dois))
    crossref_server.fail("list", Fault("status", status=429, retry_after="3600", json_body=json_body))
    # A refkit that waited the hour would be stopped after a minute (a guard, not a speed test).
    result = cli(crossref_server, tmp_path, "resolve", str(wiki.root), "--format", "jsonl", retries=3, within=60)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(record["doi"] for record in records) == sorted(doi.lower() for doi in dois)
    assert all(record["status"] == "unresolved" and "HTTP 429" in record["reason"] for record in records)
    assert crossref_server.requests == Counter(list=1)  # not asked again, though retries were allowed


def test_429_without_retry_after_and_5xx_are_retried_with_backoff(crossref_server, tmp_path):
    dois = recorded(crossref_server, 5)
    crossref_server.fail("list", Fault("status", status=429), Fault("status", status=500), Fault("status", status=503))
    results = resolve(crossref_server, tmp_path, dois)
    assert {r.status for r in results.values()} == {"found"}
    assert crossref_server.requests == Counter(list=4)


@pytest.mark.parametrize("fault", [Fault("truncate"), Fault("not_json"), Fault("reset"), Fault("slow", delay=1.0)])
def test_broken_or_slow_answers_are_retried(crossref_server, tmp_path, fault):
    dois = recorded(crossref_server, 5)
    crossref_server.fail("list", fault)
    results = resolve(crossref_server, tmp_path, dois, timeout=0.3)
    assert {r.status for r in results.values()} == {"found"}
    # Asked twice: a slow answer was abandoned at the timeout (waited for, it would have been taken).
    assert crossref_server.requests == Counter(list=2)


def test_a_body_for_another_doi_is_not_taken(crossref_server, tmp_path):
    doi = recorded(crossref_server, 1)[0]
    crossref_server.fail("list", Fault("status", status=400))
    crossref_server.fail("single", Fault("wrong_doi"))
    results = resolve(crossref_server, tmp_path, [doi], retries=1)
    assert results[doi].status == "found"
    assert results[doi].work is not None and results[doi].work.doi == doi.lower()
    assert crossref_server.requests == Counter(list=1, single=2)


def test_a_wrong_record_in_a_batch_is_ignored(crossref_server, tmp_path):
    dois = recorded(crossref_server, 3)
    crossref_server.fail("list", Fault("wrong_doi"))
    results = resolve(crossref_server, tmp_path, dois)
    assert list(results) == dois
    assert all(r.work is not None and r.work.doi == doi.lower() for doi, r in results.items())


def test_retries_used_up_leave_the_doi_unresolved_and_unstored(crossref_server, tmp_path):
    dois = recorded(crossref_server, 2)
    crossref_server.fail("list", *[Fault("status", status=500)] * 2)
    results = resolve(crossref_server, tmp_path, dois, retries=1)
    assert [r.status for r in results.values()] == ["unresolved", "unresolved"]
    assert all("HTTP 500" in (r.reason or "") for r in results.values())
    # a batch still failing after its retries is not split into single requests (that would add load)
    assert crossref_server.requests == Counter(list=2)
    with Store(tmp_path / "store.sqlite3") as store:
        assert store.info().answers == 0


def test_single_lookups_used_up_leave_the_doi_unresolved(crossref_server, tmp_path):
    dois = recorded(crossref_server, 2)
    crossref_server.fail("list", Fault("status", status=400))
    crossref_server.fail("single", *[Fault("status", status=503)] * 4)
    results = resolve(crossref_server, tmp_path, dois, retries=1)
    assert all(r.status == "unresolved" and "HTTP 503" in (r.reason or "") for r in results.values())
    assert crossref_server.requests == Counter(list=1, single=4)


def test_offline_asks_nothing(crossref_server, tmp_path):
    results = resolve(crossref_server, tmp_path, recorded(crossref_server, 3), offline=True)
    assert {(r.status, r.reason) for r in results.values()} == {("unresolved", OFFLINE)}
    assert crossref_server.requests == Counter()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_no_network_warns_once_and_goes_on_offline(tmp_path):
    url = closed_port_url()
    settings = Settings(crossref_url=url, doi_url=url, mailto="a@example.org", store=str(tmp_path / "s.db"), timeout=0.5, retries=4)
    warnings: list[str] = []
    synthetic_dois = [f"10.5555/synthetic-{number}" for number in range(50)]
    with Store(settings.store) as store:
        results = resolve_identifiers(synthetic_dois, settings, store, warn=warnings.append, backoff=0.05)
    assert len(warnings) == 1 and warnings[0].startswith("no network")
    assert {(r.status, r.reason) for r in results.values()} == {("unresolved", OFFLINE)}


def test_missing_mailto_is_said_once_and_the_public_pace_is_used(crossref_server, tmp_path):
    warnings: list[str] = []
    settings = settings_for(crossref_server, tmp_path, mailto=None)
    with Store(settings.store) as store:
        resolve_identifiers(recorded(crossref_server, 3) + [DATACITE_DOI], settings, store, warn=warnings.append, backoff=BACKOFF)
    assert warnings == [MISSING_MAILTO]
    assert crossref_server.max_in_flight["single"] == 1
    assert all("mailto" not in seen.headers["user-agent"] for seen in crossref_server.seen)


def test_mailto_and_metadata_plus_token_are_sent(crossref_server, tmp_path):
    resolve(crossref_server, tmp_path, recorded(crossref_server, 2) + [NOBODYS_DOI], plus_token="synthetic-token")
    crossref_kinds = [seen for seen in crossref_server.seen if seen.kind in ("list", "single", "agency")]
    assert {seen.kind for seen in crossref_kinds} == {"list", "single", "agency"}
    for seen in crossref_kinds:
        assert seen.headers["crossref-plus-api-token"] == "Bearer synthetic-token"
        assert "(mailto:refkit-tests@example.org)" in seen.headers["user-agent"]


def test_in_flight_stays_within_the_limit(crossref_server, tmp_path):
    crossref_server.latency = 0.05
    crossref_server.fail("list", *[Fault("status", status=400)])  # all 20 DOIs one by one
    resolve(crossref_server, tmp_path, recorded(crossref_server, 20), concurrency=3, retries=0)
    assert crossref_server.requests["single"] == 20
    assert 1 <= crossref_server.max_in_flight["single"] <= 3


def test_throttle_follows_rate_limit_headers():
    throttle = Throttle(8.0, 3, ceiling=2)
    assert throttle.in_flight == 2  # never above the configured concurrency
    throttle.adapt({"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s", "x-concurrency-limit": "1"})
    assert throttle.rate == pytest.approx(40.0) and throttle.in_flight == 1
    throttle.adapt({"x-rate-limit-limit": "nonsense", "x-rate-limit-interval": "1s"})
    assert throttle.rate == pytest.approx(40.0)


def test_throttle_spaces_request_starts():
    throttle = Throttle(20.0, 3, ceiling=3)
    started = time.monotonic()
    for _ in range(5):
        with throttle.slot():
            pass
    assert time.monotonic() - started >= 4 / 20 - 0.01


def test_habanero_outside_refkit_is_unchanged(crossref_server, tmp_path):
    """The transport hook only applies inside refkit's calls: plain habanero still works as before."""
    import habanero

    resolve(crossref_server, tmp_path, recorded(crossref_server, 1))
    doi = recorded(crossref_server, 2)[1]
    crossref_server.reset_counts()
    body = habanero.Crossref(base_url=crossref_server.crossref_url).works(ids=doi)
    assert body["message"]["DOI"].lower() == doi.lower()
    assert "crossref-plus-api-token" not in crossref_server.seen[0].headers


def test_fetch_many_yields_each_doi_exactly_once_through_retries(crossref_server, tmp_path):
    """Chosen faults on every path a DOI can take: each batch fails once (retried, found), the DataCite
    DOI fails twice alone and once at the agency (retried: not found, agency datacite), and the
    nobody's DOI fails alone on every try (unresolved). Each DOI is yielded once, with its own answer."""
    dois = recorded(crossref_server, 40) + [DATACITE_DOI, NOBODYS_DOI]
    tries: Counter[str] = Counter()
    failing_tries = {"list": 1, f"single {DATACITE_DOI}": 2, f"agency {DATACITE_DOI}": 1, f"single {NOBODYS_DOI}": 99}

    def chosen_faults(kind: str, path: str) -> Fault | None:
        target = "" if kind == "list" else " " + unquote(urlsplit(path).path).removeprefix("/works/").removesuffix("/agency")
        tries[path] += 1
        return Fault("status", status=500) if tries[path] <= failing_tries.get(kind + target, 0) else None

    crossref_server.fault_mode = chosen_faults
    settings = settings_for(crossref_server, tmp_path, retries=6)
    with CrossrefSource(settings, backoff=BACKOFF) as source:
        answers = list(source.fetch_many(dois))
    assert sorted(r.key for r in answers) == sorted(dois)
    by_doi = {r.key: r for r in answers}
    for doi in dois[:40]:
        assert by_doi[doi].status == "found"
        assert by_doi[doi].work == work_from_crossref(crossref_server.recordings.messages[doi.lower()], doi)
    assert (by_doi[DATACITE_DOI].status, by_doi[DATACITE_DOI].agency) == ("not_found", "datacite")
    assert by_doi[NOBODYS_DOI].status == "unresolved" and "HTTP 500" in (by_doi[NOBODYS_DOI].reason or "")
    lists = len(batches(crossref_server.crossref_url, dois))
    # each batch twice; DataCite's DOI three times alone and twice at the agency; nobody's DOI 1 + 6 retries
    assert crossref_server.requests == Counter(list=2 * lists, single=3 + 7, agency=2)


def test_resolutions_serialise_as_json(crossref_server, tmp_path):
    results = resolve(crossref_server, tmp_path, recorded(crossref_server, 2))
    for resolution in results.values():
        assert json.loads(json.dumps(dataclasses.asdict(resolution)))["work"]["doi"] == resolution.key.lower()


# --- the command line ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Ran:
    exit_code: int
    stdout: str
    stderr: str


def cli(server: LoopbackCrossref, tmp_path: Path, *args: str, retries: int = 0, within: float = 60) -> Ran:
    """`refkit` as its own process against the loopback server: a crash is a traceback, which fails here."""
    options = ["--crossref-url", server.crossref_url, "--doi-url", server.doi_url, "--store", str(tmp_path / "store.sqlite3"), "--mailto", "refkit-tests@example.org"]
    command, *rest = args
    result = run_refkit(command, *rest, *options, "--timeout", "0.5", "--retries", str(retries), env=refkit_env(tmp_path), timeout=within)
    assert "Traceback" not in result.stderr, result.stderr
    return Ran(result.returncode, result.stdout, result.stderr)


def test_cli_resolve_prints_one_json_object_per_distinct_doi(crossref_server, tmp_path, wiki):
    wiki.page("a.md", "See https://doi.org/10.1371/journal.pone.0033693 and doi:10.5284/1011335.\n")
    wiki.page("b.md", "Again 10.1371/journal.pone.0033693, and 10.1371/notarealdoi.\n")
    result = cli(crossref_server, tmp_path, "resolve", str(wiki.root), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["doi"] for record in records] == ["10.1371/journal.pone.0033693", "10.5284/1011335", "10.1371/notarealdoi"]
    assert all(set(record) == {"kind", "id", "doi", "status", "agency", "reason", "repaired", "pages", "work"} for record in records)
    found, datacite, nobody = records
    assert (found["status"], found["agency"], found["reason"]) == ("found", "crossref", None)
    assert found["work"]["title"].startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert [Path(page).name for page in found["pages"]] == ["a.md", "b.md"]
    assert (datacite["status"], datacite["agency"], datacite["work"]) == ("not_found", "datacite", None)
    assert (nobody["status"], nobody["agency"]) == ("not_found", None)
    assert "3 DOIs: 1 found, 2 not found, 0 unresolved" in result.stderr


def test_cli_resolve_exit_status_1_when_something_is_unresolved(crossref_server, tmp_path, wiki):
    wiki.page("a.md", "See 10.1371/journal.pone.0033693.\n")
    crossref_server.fail("list", Fault("status", status=503))
    crossref_server.fail("single", Fault("status", status=503))
    result = cli(crossref_server, tmp_path, "resolve", str(wiki.root))
    assert result.exit_code == 1
    assert result.stdout.split("\t")[:3] == ["10.1371/journal.pone.0033693", "unresolved", "-"]
    assert "503" in result.stdout
    assert "1 unresolved" in result.stderr  # the summary line: the run went to its end


def test_cli_resolve_offline(crossref_server, tmp_path, wiki):
    wiki.page("a.md", "See 10.1371/journal.pone.0033693.\n")
    result = cli(crossref_server, tmp_path, "resolve", str(wiki.root), "--offline", "--format", "jsonl")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["reason"] == OFFLINE
    assert "1 unresolved" in result.stderr  # the summary line: the run went to its end
    assert crossref_server.requests == Counter()


def test_a_third_of_requests_failing_loses_nothing(crossref_server, tmp_path):
    """Mixed faults on a third of all requests: every DOI ends found (with its own record),
    not found, or unresolved with a reason; the store holds no error as data."""
    import itertools

    from crossref_server import synthetic_work_message

    synthetic = [f"10.5555/synthetic.{number:04d}" for number in range(100)]
    crossref_server.add_synthetic_works(synthetic_work_message(doi, number) for number, doi in enumerate(synthetic))
    faults = [Fault("status", status=429, retry_after="0"), Fault("status", status=429), Fault("status", status=500),
              Fault("status", status=503), Fault("reset"), Fault("slow", delay=0.5), Fault("truncate"),
              Fault("not_json"), Fault("wrong_doi")]  # fmt: skip
    numbers = itertools.count()
    injected: list[Fault] = []

    def one_in_three(kind: str, path: str) -> Fault | None:
        number = next(numbers)
        if number % 3:
            return None
        injected.append(faults[(number // 3) % len(faults)])
        return injected[-1]

    crossref_server.fault_mode = one_in_three
    dois = recorded(crossref_server, 60) + synthetic + [DATACITE_DOI, NOBODYS_DOI, CSL_ONLY_DOI]
    results = resolve(crossref_server, tmp_path, dois, timeout=0.2, retries=6)
    assert list(results) == dois
    assert len(injected) >= sum(crossref_server.requests.values()) // 3 >= 5
    for doi, resolution in results.items():
        assert resolution.key == doi
        assert resolution.status in ("found", "not_found") or resolution.reason
        if resolution.work is not None:
            assert resolution.work.doi == doi.lower()
    found = sum(r.status == "found" for r in results.values())
    assert found >= len(dois) - 10
    with Store(tmp_path / "store.sqlite3") as store:
        stored = store.get_many(dois, 90)
    assert all(r.status in ("found", "not_found") for r in stored.values())
    assert {doi for doi, r in results.items() if r.status != "unresolved"} == set(stored)
