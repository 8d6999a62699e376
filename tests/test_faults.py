"""refkit run as its own process against a failing network, killed mid-way, and run twice at once.

The loopback Crossref (tests/crossref_server.py) replays the real recordings in ../shared/crossref
plus synthetic works (DOIs 10.5555/synthetic.*, made up for load, named so). Library-level fault
cases are in test_resolve.py and test_store.py; here the whole command line is exercised: the
jsonl report, the exit status, the summary line, the SQLite file as another program sees it, and
the export file on disk."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
import signal
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from crossref_server import Fault, LoopbackCrossref, Seen, synthetic_work_message
from refkit_process import paused_at, refkit_env, run_refkit, start_refkit

from refkit.doi import find_dois
from refkit.resolve import SAVE_EVERY
from refkit.sources.crossref import work_from_crossref

MAILTO = "refkit-tests@example.org"
DATACITE_DOI = "10.5284/1011335"  # recorded: Crossref 404, agency datacite
NOBODYS_DOI = "10.1371/notarealdoi"  # recorded: Crossref 404, agency 404
FAULTS = (
    Fault("status", status=429, retry_after="1"),
    Fault("status", status=429),
    Fault("status", status=500),
    Fault("status", status=503),
    Fault("reset"),
    Fault("slow", delay=1.0),  # past the 0.5 s timeout given below
    Fault("truncate"),
    Fault("not_json"),
    Fault("wrong_doi"),
)
REASONS = re.compile(r"HTTP (429|500|503)|no answer within|connection failed|not a JSON answer|malformed answer|answer for another DOI")
ERROR_BODIES = ("<html", "Resource not found", "Service temporarily unavailable", "Internal Server Error")


@pytest.fixture
def server(crossref_server: LoopbackCrossref) -> LoopbackCrossref:
    crossref_server.announce_generous_limits()
    return crossref_server


def add_synthetic(server: LoopbackCrossref, count: int) -> list[str]:
    dois = [f"10.5555/synthetic.{number:05d}" for number in range(count)]
    server.add_synthetic_works(synthetic_work_message(doi, number) for number, doi in enumerate(dois))
    return dois


def scannable_recorded(server: LoopbackCrossref) -> list[str]:
    """Recorded DOIs (and synthetic ones added so far) the scanner reads back exactly from a doi.org link."""
    dois = []
    for message in server.recordings.messages.values():
        doi = message["DOI"].lower()
        matches = find_dois(f"See https://doi.org/{doi} here.")
        if len(matches) == 1 and matches[0].doi == doi and not matches[0].broken:
            dois.append(doi)
    return dois


def write_wiki(root: Path, dois: list[str], pages: int) -> dict[str, list[str]]:
    """Pages citing `dois` round-robin, every fifth DOI also on the next page; {doi: citing files}."""
    citing: dict[str, list[str]] = {doi: [] for doi in dois}
    lines: dict[int, list[str]] = {number: [] for number in range(pages)}
    for index, doi in enumerate(dois):
        for number in {index % pages, (index + 1) % pages} if index % 5 == 0 else {index % pages}:
            lines[number].append(f"- A cited study: https://doi.org/{doi}\n")
    root.mkdir(parents=True, exist_ok=True)
    for number, cited in lines.items():
        path = root / f"page-{number:03d}.md"
        path.write_text(f'{{\n  "title": "Page {number}"\n}}\n# Studies\n\n' + "".join(cited), encoding="utf-8")
        for line in cited:
            citing[line.split("https://doi.org/")[1].strip()].append(str(path))
    return citing


def asked(server: LoopbackCrossref) -> Counter[str]:
    """How often each DOI was asked for, in any kind of request."""
    return asked_in(server.seen)


def asked_in(requests: list[Seen]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for seen in requests:
        parts = urlsplit(seen.path)
        if seen.kind == "list":
            counts.update(clause.removeprefix("doi:").lower() for clause in parse_qs(parts.query)["filter"][0].split(","))
        elif seen.kind in ("single", "agency", "doiorg"):
            doi = unquote(parts.path).removeprefix("/doiorg/").removeprefix("/works/").removesuffix("/agency")
            counts[doi.lower()] += 1
    return counts


def stored_dois(store: Path) -> set[str]:
    """The DOIs stored so far, read while refkit may be writing (no integrity check)."""
    if not store.exists():
        return set()
    try:
        with sqlite3.connect(store, timeout=5) as db:
            return {doi for (doi,) in db.execute("SELECT id FROM answers")}
    except sqlite3.OperationalError:
        return set()  # the schema is not there yet


def stored_rows(store: Path) -> dict[str, tuple[str, str | None, str | None]]:
    """The store as another program sees it: {doi: (status, agency, work JSON)}."""
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {doi: (status, agency, work) for doi, status, agency, work in db.execute("SELECT id, status, agency, work FROM answers")}


def expected_work(server: LoopbackCrossref, doi: str) -> dict[str, object]:
    return json.loads(json.dumps(dataclasses.asdict(work_from_crossref(server.recordings.messages[doi], doi))))


def env_for(server: LoopbackCrossref, tmp_path: Path, store: Path) -> dict[str, str]:
    return refkit_env(tmp_path, crossref_url=server.crossref_url, doi_url=server.doi_url, mailto=MAILTO, store=str(store))


# --- a third of all requests fail -----------------------------------------------------------------


def test_a_third_of_requests_failing_through_the_command_line(server, tmp_path):
    """Every DOI ends found (with its own record), not found, or unresolved with its reason; exactly
    once each, with the pages citing it; the exit status and summary say so; the store holds only
    definite answers. A second run, with the network healthy, asks only for what is still missing."""
    # Unregistered DOIs are asked for one by one (then their agency), so single requests fail too.
    unregistered = [f"10.5555/synthetic-unregistered.{number}" for number in range(15)]
    dois = scannable_recorded(server) + add_synthetic(server, 1500) + unregistered + [DATACITE_DOI, NOBODYS_DOI]
    citing = write_wiki(tmp_path / "wiki", dois, pages=12)
    store = tmp_path / "store.sqlite3"
    numbers = itertools.count()
    injected: Counter[str] = Counter()

    def one_in_three(kind: str, path: str) -> Fault | None:
        number = next(numbers)
        if number % 3:
            return None
        fault = FAULTS[(number // 3) % len(FAULTS)]
        injected[f"{kind} {fault.kind} {fault.status if fault.kind == 'status' else ''}{' Retry-After' if fault.retry_after else ''}".strip()] += 1
        return fault

    server.fault_mode = one_in_three
    env = env_for(server, tmp_path, store)
    started = time.monotonic()
    result = run_refkit("resolve", str(tmp_path / "wiki"), "--format", "jsonl", "--timeout", "0.5", "--retries", "2", env=env)
    took = time.monotonic() - started
    assert "Traceback" not in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(record["doi"] for record in records) == sorted(dois)  # none lost, none twice
    outcomes = Counter(record["status"] for record in records)
    for record in records:
        assert sorted(record["pages"]) == sorted(citing[record["doi"]])
        if record["status"] == "found":
            assert record["work"] == expected_work(server, record["doi"])  # its own record, not another's
        elif record["status"] == "unresolved":
            assert record["work"] is None and REASONS.search(record["reason"]), record
        else:
            assert record["doi"] in (DATACITE_DOI, NOBODYS_DOI, *unregistered) and record["work"] is None
    assert result.returncode == (1 if outcomes["unresolved"] else 0)
    assert f"{len(dois)} DOIs: {outcomes['found']} found, {outcomes['not_found']} not found, {outcomes['unresolved']} unresolved" in result.stderr
    assert sum(injected.values()) >= sum(server.requests.values()) // 3
    rows = stored_rows(store)
    assert set(rows) == {record["doi"] for record in records if record["status"] != "unresolved"}
    for doi, (status, agency, work) in rows.items():
        assert status in ("found", "not_found")
        if status == "found":
            assert work is not None and json.loads(work) == expected_work(server, doi)
        else:
            assert work is None and agency == ("datacite" if doi == DATACITE_DOI else None)
            assert doi in (DATACITE_DOI, NOBODYS_DOI, *unregistered)
        assert not any(body in (work or "") for body in ERROR_BODIES)
    print(f"\nfault run: {len(dois)} DOIs on {len(set(sum(citing.values(), [])))} pages, {sum(server.requests.values())} requests "
          f"{dict(server.requests)}, {sum(injected.values())} faults {dict(injected)}, outcomes {dict(outcomes)}, {took:.1f} s")  # fmt: skip

    server.fault_mode = None
    server.reset_counts()
    again = run_refkit("resolve", str(tmp_path / "wiki"), "--format", "jsonl", "--timeout", "0.5", "--retries", "2", env=env)
    assert again.returncode == 0, again.stderr
    assert Counter(json.loads(line)["status"] for line in again.stdout.splitlines()) == Counter(found=len(dois) - 17, not_found=17)
    assert not set(asked(server)) & set(rows)  # nothing stored is asked for again
    assert set(asked(server)) >= {record["doi"] for record in records if record["status"] == "unresolved"}
    print(f"second run: {sum(server.requests.values())} requests {dict(server.requests)} for {outcomes['unresolved']} unresolved DOIs")


# --- SIGKILL where it matters ------------------------------------------------------------------------


class HeldRequest:
    """A fault_mode that holds the `at`-th list request (counted from the last `reset`) until
    released: refkit, asking one request at a time, is then killed with that request in flight."""

    def __init__(self) -> None:
        self.at = 0
        self.count = 0
        self.held = threading.Event()
        self.release = threading.Event()

    def reset(self, at: int) -> None:
        self.at, self.count = at, 0
        self.held.clear()
        self.release.clear()

    def __call__(self, kind: str, path: str) -> Fault | None:
        if kind == "list":
            self.count += 1  # one list request at a time (--concurrency 1)
            if self.count == self.at:
                self.held.set()
                self.release.wait(60)
        return None


def listed_dois(seen: list[Seen]) -> set[str]:
    return {doi for one in seen if one.kind == "list" for doi in asked_in([one])}


def test_resolve_killed_mid_fetch_keeps_its_answers_and_the_next_run_asks_only_for_the_rest(server, tmp_path):
    dois = add_synthetic(server, 1000)  # about nine list requests of ~119 DOIs
    wiki = tmp_path / "wiki"
    write_wiki(wiki, dois, pages=10)
    store = tmp_path / "store.sqlite3"
    env = env_for(server, tmp_path, store)
    hold = HeldRequest()
    server.fault_mode = hold
    stored: set[str] = set()
    for at in (1, 3, 2):  # each run is killed while its at-th list request is in flight
        hold.reset(at)
        server.reset_counts()
        process = start_refkit("resolve", str(wiki), "--concurrency", "1", "--timeout", "60", env=env)
        try:
            assert hold.held.wait(30), process.communicate()
            *answered, in_flight = [one for one in server.seen if one.kind == "list"]
            answered_dois = listed_dois(answered)
            assert not listed_dois(server.seen) & stored  # it asks only for what the store lacks
            # What was answered is saved (all but the last few, SAVE_EVERY at most) before the kill.
            deadline = time.monotonic() + 30
            while len(answered_dois - (now := stored_dois(store))) >= SAVE_EVERY and time.monotonic() < deadline:
                time.sleep(0.02)
            assert server.max_in_flight["list"] == 1 and process.poll() is None
            os.kill(process.pid, signal.SIGKILL)
        finally:
            hold.release.set()
            if process.poll() is None:
                process.kill()
            process.communicate()
        assert process.returncode == -signal.SIGKILL
        rows = stored_rows(store)  # integrity_check inside
        assert set(rows) >= stored  # what earlier runs committed stays
        assert set(rows) - stored <= answered_dois and not set(rows) & listed_dois([in_flight])
        assert len(answered_dois - set(rows)) < SAVE_EVERY and set(rows) >= now
        assert all(json.loads(work)["doi"] == doi for doi, (_, _, work) in rows.items())
        stored = set(rows)
    assert 0 < len(stored) < len(dois)
    server.fault_mode = None
    server.reset_counts()
    final = run_refkit("resolve", str(wiki), "--format", "jsonl", env=env)
    assert final.returncode == 0, final.stderr
    assert Counter(json.loads(line)["status"] for line in final.stdout.splitlines()) == Counter(found=len(dois))
    assert set(asked(server)) == set(dois) - stored  # nothing the killed runs stored is asked again
    assert len(stored_rows(store)) == len(dois)


KILL_POINTS = {
    "temp-created": "old",  # the temporary file exists, still empty
    "before-replace": "old",  # the temporary file holds the whole new export
    "after-replace": "new",  # renamed over the target; the folder not yet synced
}


def test_export_killed_while_writing_leaves_the_old_file_or_the_new_one(server, tmp_path):
    dois = add_synthetic(server, 300)
    wiki = tmp_path / "wiki"
    write_wiki(wiki, dois[:200], pages=5)
    store = tmp_path / "store.sqlite3"
    env = env_for(server, tmp_path, store)
    target = tmp_path / "out" / "bibliography.json"
    assert run_refkit("export", str(wiki), "--format", "csljson", "-o", str(target), "-q", env=env).returncode == 0
    old = target.read_bytes()
    write_wiki(wiki, dois, pages=6)  # more pages and works since: the new export differs
    reference = tmp_path / "reference.json"
    reference.write_bytes(old)
    assert run_refkit("export", str(wiki), "--format", "csljson", "-o", str(reference), "-q", env=env).returncode == 0
    new = reference.read_bytes()
    assert new != old and len(json.loads(new)) == len(dois)
    server.reset_counts()

    for point, left in KILL_POINTS.items():
        target.write_bytes(old)
        for stale in target.parent.glob(".*.tmp"):
            stale.unlink()
        marker = tmp_path / f"{point}.reached"
        process = start_refkit("export", str(wiki), "--format", "csljson", "-o", str(target), "-q", env=paused_at(env, point, marker))
        try:
            deadline = time.monotonic() + 30
            while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            assert marker.exists(), (point, process.communicate())
            # Where the kill lands: the files as they are at that moment.
            temporaries = [path for path in target.parent.iterdir() if path != target]
            if point == "temp-created":
                assert [path.read_bytes() for path in temporaries] == [b""] and target.read_bytes() == old
            elif point == "before-replace":
                assert [path.read_bytes() for path in temporaries] == [new] and target.read_bytes() == old
            else:
                assert temporaries == [] and target.read_bytes() == new
            os.kill(process.pid, signal.SIGKILL)
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate()
        assert process.returncode == -signal.SIGKILL
        assert target.read_bytes() == (old if left == "old" else new), point  # byte for byte, never half a file
        leftovers = [path.name for path in target.parent.iterdir() if path != target]
        # SIGKILL gives no chance to clean up: atomic_writer's temporary file stays, hidden and named for its target.
        assert all(re.fullmatch(r"\.bibliography\.json\.[^.]+\.tmp", name) for name in leftovers), leftovers
    stored_rows(store)  # integrity_check inside
    final = run_refkit("export", str(wiki), "--format", "csljson", "-o", str(target), "-q", env=env)
    assert final.returncode == 0 and target.read_bytes() == new
    assert sum(server.requests.values()) == 0  # every answer came from the store


# --- two processes at once --------------------------------------------------------------------------


def test_two_exports_at_once_on_one_store_and_one_file(server, tmp_path):
    """Both fetch (the store starts cold), both write the same file; a reader never sees half a file."""
    import bibtexparser

    dois = scannable_recorded(server) + add_synthetic(server, 600)
    wiki = tmp_path / "wiki"
    write_wiki(wiki, dois, pages=12)
    store = tmp_path / "store.sqlite3"
    env = env_for(server, tmp_path, store)
    server.latency = 0.1
    target = tmp_path / "out" / "bibliography.bib"
    seen_contents: set[str] = set()
    done = threading.Event()

    def read_while_writing() -> None:
        while not done.is_set():
            if target.exists():
                seen_contents.add(target.read_text("utf-8"))
            time.sleep(0.005)

    reader = threading.Thread(target=read_while_writing)
    reader.start()
    processes = [start_refkit("export", str(wiki), "-o", str(target), "--timeout", "5", env=env) for _ in range(2)]
    outputs = [process.communicate(timeout=60) for process in processes]
    done.set()
    reader.join()
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert all("Traceback" not in stderr for _, stderr in outputs)
    for content in seen_contents | {target.read_text("utf-8")}:
        library = bibtexparser.parse_string(content)
        assert not library.failed_blocks
        assert sorted(entry.fields_dict["doi"].value for entry in library.entries) == sorted(dois)
    rows = stored_rows(store)
    assert set(rows) == set(dois) and {status for status, _, _ in rows.values()} == {"found"}
    print(f"\ntwo exports at once: {dict(server.requests)} requests, the reader saw {len(seen_contents)} versions of the file")
    # the file is what one export alone writes from the now warm store
    server.reset_counts()
    alone = tmp_path / "alone.bib"
    assert run_refkit("export", str(wiki), "-o", str(alone), "-q", env=env).returncode == 0
    assert alone.read_bytes() == target.read_bytes()
    assert sum(server.requests.values()) == 0
    assert os.listdir(target.parent) == [target.name]  # nothing left beside it
