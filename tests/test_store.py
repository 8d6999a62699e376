"""The store: answers reused across runs, refresh, offline, max age, schema migrations, and several
processes (or a killed one) sharing one SQLite file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from crossref_server import synthetic_work_message

from refkit.config import Settings
from refkit.errors import StoreError
from refkit.model import Person, Resolution, Update, Work
from refkit.resolve import resolve_identifiers
from refkit.sources.crossref import work_from_crossref
from refkit.sources.pacing import OFFLINE
from refkit.store import MIGRATIONS, SCHEMA_VERSION, Cleared, Store, work_from_json, work_to_json

REPO = Path(__file__).resolve().parents[1]
BACKOFF = 0.01


def settings_for(server, store: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "crossref_url": server.crossref_url,
        "doi_url": server.doi_url,
        "mailto": "refkit-tests@example.org",
        "store": str(store),
        "timeout": 2.0,
        "retries": 2,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def run(server, store: Path, dois: list[str], **overrides: object) -> dict[str, Resolution]:
    settings = settings_for(server, store, **overrides)
    with Store(store) as opened:
        return resolve_identifiers(dois, settings, opened, backoff=BACKOFF)


def recorded(server, count: int) -> list[str]:
    return [message["DOI"] for message in server.recordings.messages.values()][:count]


def asked_in_lists(server) -> list[str]:
    """Every DOI the list (filter) requests asked for."""
    filters = (parse_qs(urlsplit(seen.path).query)["filter"][0] for seen in server.seen if seen.kind == "list")
    return [clause.removeprefix("doi:") for value in filters for clause in value.split(",")]


def synthetic_dois(server, count: int) -> list[str]:
    dois = [f"10.5555/synthetic.{number:05d}" for number in range(count)]
    server.add_synthetic_works(synthetic_work_message(doi, number) for number, doi in enumerate(dois))
    return dois


def test_second_run_asks_the_network_nothing(crossref_server, tmp_path):
    store = tmp_path / "cache" / "deeper" / "store.sqlite3"  # the folder is created
    dois = recorded(crossref_server, 10) + ["10.5284/1011335", "10.1371/notarealdoi"]
    first = run(crossref_server, store, dois)
    assert crossref_server.requests["list"] == 1
    crossref_server.reset_counts()
    second = run(crossref_server, store, dois)
    assert crossref_server.requests == Counter()
    assert second == first


def test_refresh_asks_again(crossref_server, tmp_path):
    store = tmp_path / "store.sqlite3"
    dois = recorded(crossref_server, 5)
    run(crossref_server, store, dois)
    crossref_server.reset_counts()
    results = run(crossref_server, store, dois, refresh=True)
    assert crossref_server.requests == Counter(list=1)
    assert {r.status for r in results.values()} == {"found"}


def test_offline_uses_the_store_and_reports_the_rest_unresolved(crossref_server, tmp_path):
    store = tmp_path / "store.sqlite3"
    known = recorded(crossref_server, 3)
    unknown = recorded(crossref_server, 6)[3:]
    run(crossref_server, store, known)
    crossref_server.reset_counts()
    results = run(crossref_server, store, known + unknown, offline=True)
    assert crossref_server.requests == Counter()
    assert [results[doi].status for doi in known] == ["found"] * 3
    assert [(results[doi].status, results[doi].reason) for doi in unknown] == [("unresolved", OFFLINE)] * 3


def test_answers_older_than_max_age_are_fetched_again(crossref_server, tmp_path):
    store = tmp_path / "store.sqlite3"
    old, fresh = recorded(crossref_server, 2)
    message = crossref_server.recordings.messages
    with Store(store) as opened:
        opened.put_many(
            [
                Resolution(old, "found", agency="crossref", work=work_from_crossref(message[old.lower()], old), fetched_at=time.time() - 10 * 86400),
                Resolution(fresh, "found", agency="crossref", work=work_from_crossref(message[fresh.lower()], fresh)),
            ]
        )
    results = run(crossref_server, store, [old, fresh], max_age_days=5)
    assert crossref_server.requests == Counter(list=1)
    assert asked_in_lists(crossref_server) == [old]
    assert results[old].fetched_at > time.time() - 60


def test_unresolved_answers_are_not_kept(tmp_path):
    with Store(tmp_path / "store.sqlite3") as store:
        kept = store.put_many(
            [
                Resolution("10.5555/synthetic-a", "unresolved", reason="HTTP 503"),
                Resolution("10.5555/synthetic-b", "not_found", agency=None),
            ]
        )
        assert kept == 1
        assert set(store.get_many(["10.5555/synthetic-a", "10.5555/synthetic-b"], 90)) == {"10.5555/synthetic-b"}


def test_stored_dois_are_found_in_any_case(tmp_path):
    with Store(tmp_path / "store.sqlite3") as store:
        store.put_many([Resolution("10.5555/Synthetic-Case", "not_found")])
        found = store.get_many(["10.5555/SYNTHETIC-CASE"], 90)
    assert found["10.5555/SYNTHETIC-CASE"].key == "10.5555/SYNTHETIC-CASE"


def test_every_recorded_work_survives_the_store(crossref_server, tmp_path):
    works = [work_from_crossref(message) for message in crossref_server.recordings.messages.values()]
    assert all(work_from_json(work_to_json(work)) == work for work in works)
    synthetic = Work(
        doi="10.5555/synthetic-roundtrip",
        authors=(Person(given="Synthetic", family="Person", orcid="0000-0002-1825-0097"), Person(literal="Synthetic Consortium")),
        updated_by=(Update(type="retraction", id="10.5555/synthetic-notice", source="publisher"),),
        issued=(2020, 2, 3),
    )
    assert work_from_json(work_to_json(synthetic)) == synthetic


def test_a_row_from_a_different_work_model_still_decodes(tmp_path):
    """Fields added to or dropped from Work since a row was written do not break reading it."""
    text = '{"doi": "10.5555/synthetic-old-row", "title": "Synthetic", "a_field_from_the_future": 1, "authors": [{"family": "X", "nickname": "y"}]}'
    work = work_from_json(text)
    assert work.doi == "10.5555/synthetic-old-row" and work.authors == (Person(family="X"),)


def test_an_update_stored_under_its_old_field_name_keeps_its_target(tmp_path):
    """refkit 0.1 stored update relations with `doi`; they now say `id` (PubMed links are PMIDs)."""
    text = '{"doi": "10.5555/synthetic-0.1-row", "updated_by": [{"type": "retraction", "doi": "10.5555/synthetic-notice"}]}'
    assert work_from_json(text).updated_by == (Update(type="retraction", id="10.5555/synthetic-notice"),)


def test_info_and_clear(tmp_path):
    with Store(tmp_path / "store.sqlite3") as store:
        store.put_many(
            [
                Resolution("10.5555/synthetic-1", "found", agency="crossref", work=Work(doi="10.5555/synthetic-1")),
                Resolution("10.5555/synthetic-2", "not_found", agency="datacite"),
            ]
        )
        info = store.info()
        assert (info.answers, info.schema_version) == (2, SCHEMA_VERSION)
        assert dict(info.by_status) == {"found": 1, "not_found": 1}
        assert dict(info.by_agency) == {"crossref": 1, "datacite": 1}
        assert info.oldest is not None and info.size_bytes > 0
        assert store.clear() == Cleared(answers=2, scanned_pages=0)
        assert store.info().answers == 0


def test_migration_from_schema_1_keeps_the_answers(tmp_path):
    path = tmp_path / "store.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.executemany(
        "INSERT INTO answers VALUES (?, ?, ?, ?, ?)",
        [
            ("10.5555/synthetic-old", "not_found", "datacite", None, time.time() - 100),
            ("10.5555/SYNTHETIC-OLD", "not_found", "medra", None, time.time()),  # schema 1 kept case variants apart
            ("10.5555/synthetic-work", "found", "crossref", work_to_json(Work(doi="10.5555/synthetic-work", title="Synthetic")), time.time()),
        ],
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.info().schema_version == SCHEMA_VERSION == 4
        found = store.get_many(["10.5555/synthetic-old", "10.5555/synthetic-work"], 90)
    assert found["10.5555/synthetic-old"].agency == "medra"  # the newest of the case variants
    assert found["10.5555/synthetic-work"].work == Work(doi="10.5555/synthetic-work", title="Synthetic")


def test_a_store_from_a_newer_refkit_is_refused(tmp_path):
    path = tmp_path / "store.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer refkit"):
        Store(path).open()


def test_a_file_that_is_not_a_store_is_an_error(tmp_path):
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"this is not a database " * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(path).open()


def child(code: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'tests'}"}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_processes_write_one_store_at_once(tmp_path):
    path = tmp_path / "store.sqlite3"
    writer = """
        import sys
        from refkit.model import Resolution
        from refkit.store import Store
        with Store(sys.argv[1] if len(sys.argv) > 1 else {path!r}) as store:
            for round in range(150):
                store.put_many([Resolution(f"10.5555/synthetic-{{round}}-{{item}}", "not_found", agency={name!r}) for item in range(10)])
        print("done")
    """
    children = [child(writer.format(path=str(path), name=name)) for name in ("first", "second")]
    outputs = [process.communicate(timeout=60) for process in children]
    assert [process.returncode for process in children] == [0, 0], outputs
    with Store(path) as store:
        info = store.info()
    assert info.answers == 1500  # both wrote the same DOIs; each row holds one writer's whole answer
    assert set(info.by_agency) <= {"first", "second"}
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_two_resolve_runs_share_one_store(crossref_server, tmp_path):
    crossref_server.announce_generous_limits()
    path = tmp_path / "store.sqlite3"
    dois = synthetic_dois(crossref_server, 300)
    script = f"""
        from refkit.config import Settings
        from refkit.resolve import resolve_identifiers
        from refkit.store import Store
        settings = Settings(crossref_url={crossref_server.crossref_url!r}, doi_url={crossref_server.doi_url!r},
                            mailto="refkit-tests@example.org", store={str(path)!r}, timeout=5.0)
        with Store(settings.store) as store:
            results = resolve_identifiers({{dois!r}}, settings, store, backoff=0.01)
        print(sum(r.status == "found" for r in results.values()))
    """
    children = [child(script.format(dois=dois[:200])), child(script.format(dois=dois[100:]))]
    outputs = [process.communicate(timeout=60) for process in children]
    assert [process.returncode for process in children] == [0, 0], outputs
    assert [out.strip() for out, _ in outputs] == ["200", "200"]
    with Store(path) as store:
        assert len(store.get_many(dois, 90)) == 300


def test_a_run_killed_mid_way_leaves_a_store_the_next_run_uses(crossref_server, tmp_path):
    path = tmp_path / "store.sqlite3"
    crossref_server.latency = 0.1
    dois = synthetic_dois(crossref_server, 1000)
    process = child(
        f"""
        from refkit.config import Settings
        from refkit.resolve import resolve_identifiers
        from refkit.store import Store
        settings = Settings(crossref_url={crossref_server.crossref_url!r}, doi_url={crossref_server.doi_url!r},
                            mailto="refkit-tests@example.org", store={str(path)!r}, concurrency=1)
        with Store(settings.store) as store:
            resolve_identifiers({dois!r}, settings, store)
        """
    )
    deadline = time.monotonic() + 30
    stored = 0
    while stored == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        if path.exists():
            try:
                stored = sqlite3.connect(path, timeout=5).execute("SELECT count(*) FROM answers").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0  # the schema is not there yet
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    assert 0 < stored < 1000

    with Store(path) as store:
        assert store.info().answers < 1000
        before = set(store.get_many(dois, 90))
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    crossref_server.latency = 0.0
    crossref_server.announce_generous_limits()
    crossref_server.reset_counts()
    results = run(crossref_server, path, dois)
    assert {r.status for r in results.values()} == {"found"}
    asked = asked_in_lists(crossref_server)
    assert len(asked) == 1000 - len(before)  # nothing asked again that the killed run had stored
    assert not set(asked) & before
