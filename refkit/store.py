"""The local store of answers: the only module that touches SQLite.

One row per identifier (a DOI, `pmid:…`, `pmcid:…`: `model.id_key`) with the last definite answer (found, with the work as JSON, or not found) and
which registration agency holds it. Transient failures ("unresolved") are never stored. Writes are
transactions in WAL mode with a busy timeout, so several refkit processes can share one store and a
run killed at any moment leaves the store as of its last committed batch."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StoreError
from .model import Person, Resolution, Update, Work

BUSY_TIMEOUT_MS = 30_000
"""How long one process waits for another's write to finish before giving up."""

# Each entry takes the schema from version N (its index) to N + 1. Never edit a released entry: add one.
MIGRATIONS: tuple[str, ...] = (
    # 1: one row per DOI, the last definite answer.
    """
    CREATE TABLE answers (
        doi TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('found', 'not_found')),
        agency TEXT,
        work TEXT,
        fetched_at REAL NOT NULL
    );
    """,
    # 2: DOIs are case-insensitive; find them so whatever case a page writes them in,
    # and answer age queries (info, max age) from an index.
    """
    CREATE TABLE answers_v2 (
        doi TEXT PRIMARY KEY COLLATE NOCASE,
        status TEXT NOT NULL CHECK (status IN ('found', 'not_found')),
        agency TEXT,
        work TEXT,
        fetched_at REAL NOT NULL
    );
    INSERT OR REPLACE INTO answers_v2 SELECT doi, status, agency, work, fetched_at FROM answers ORDER BY fetched_at;
    DROP TABLE answers;
    ALTER TABLE answers_v2 RENAME TO answers;
    CREATE INDEX answers_by_age ON answers (fetched_at);
    """,
    # 3: answers for PubMed and PMC ids too: the key is any identifier's `model.id_key`.
    """
    ALTER TABLE answers RENAME COLUMN doi TO id;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_QUERY_CHUNK = 500
"""DOIs per SELECT … IN (…), well under SQLite's host-parameter limit."""


@dataclass(frozen=True)
class StoreInfo:
    path: str
    schema_version: int
    size_bytes: int
    answers: int
    by_status: Mapping[str, int]
    by_agency: Mapping[str, int]
    oldest: float | None
    newest: float | None


def work_to_json(work: Work) -> str:
    return json.dumps(dataclasses.asdict(work), ensure_ascii=False, separators=(",", ":"))


_NESTED: Mapping[str, type] = {"authors": Person, "editors": Person, "updated_by": Update, "update_to": Update}


# Fields renamed since answers were first stored: (class, old name) -> new name.
_RENAMED: Mapping[tuple[type, str], str] = {(Update, "doi"): "id"}


def _known_fields(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    names = {field.name for field in dataclasses.fields(cls)}
    renamed = {_RENAMED.get((cls, key), key): value for key, value in data.items()}
    return {key: value for key, value in renamed.items() if key in names}


def work_from_json(text: str) -> Work:
    """The inverse of work_to_json; tolerant of fields added to or dropped from Work since it was written."""
    data = _known_fields(Work, json.loads(text))
    for key, value in data.items():
        if key in _NESTED:
            data[key] = tuple(_NESTED[key](**_known_fields(_NESTED[key], item)) for item in value)
        elif isinstance(value, list):
            data[key] = tuple(value)
    return Work(**data)


class Store:
    """`with Store(path) as store:` opens (creating the folder and file, migrating an older schema)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> Store:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE … COMMIT) below.
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._db.execute("PRAGMA synchronous = NORMAL")  # WAL keeps every committed batch intact
            self._while_busy(self._set_up)
        except (OSError, sqlite3.Error) as error:
            self.close()
            raise StoreError(f"{self.path}: cannot open the store: {error}") from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError(f"{self.path}: the store is not open")
        return self._db

    def _while_busy(self, action: Callable[[], None]) -> None:
        """Run action, again while another process holds a lock that SQLite reports at once instead of
        waiting for (switching to WAL, and a fresh store's first transaction, can do that)."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                return action()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error) or time.monotonic() > deadline:
                    raise
            time.sleep(0.05)

    def _set_up(self) -> None:
        db = self._connection
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":  # WAL persists in the file once set
            db.execute("PRAGMA journal_mode = WAL")
        self._migrate()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (a kill leaves the last commit)."""
        db = self._connection
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _migrate(self) -> None:
        with self._transaction() as db:  # one process migrates; the others wait, then see it done
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: written by a newer refkit (store schema {version}, this refkit knows {SCHEMA_VERSION})"
                )
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
            if version != SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def get_many(self, keys: Iterable[str], max_age_days: float) -> dict[str, Resolution]:
        """Stored answers no older than max_age_days, keyed by the identifier as asked (DOIs in any case)."""
        wanted = list(dict.fromkeys(keys))
        by_lower = {key.lower(): key for key in wanted}
        oldest = time.time() - max_age_days * 86400
        found: dict[str, Resolution] = {}
        try:
            for start in range(0, len(wanted), _QUERY_CHUNK):
                chunk = wanted[start : start + _QUERY_CHUNK]
                rows = self._connection.execute(
                    f"SELECT id, status, agency, work, fetched_at FROM answers "
                    f"WHERE fetched_at >= ? AND id IN ({','.join('?' * len(chunk))})",
                    (oldest, *chunk),
                ).fetchall()
                for key, status, agency, work, fetched_at in rows:
                    asked = by_lower[key.lower()]
                    resolution = _resolution(asked, status, agency, work, fetched_at)
                    if resolution is not None:
                        found[asked] = resolution
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot read the store: {error}") from None
        return found

    def put_many(self, resolutions: Iterable[Resolution]) -> int:
        """Keep every definite answer (found, not_found) in one transaction; returns how many.
        Unresolved answers are transient and are not kept."""
        rows = [
            (
                r.key,
                r.status,
                r.agency,
                work_to_json(r.work) if r.work is not None else None,
                r.fetched_at if r.fetched_at is not None else time.time(),
            )
            for r in resolutions
            if r.status == "not_found" or (r.status == "found" and r.work is not None)
        ]
        if not rows:
            return 0
        try:
            with self._transaction() as db:
                db.executemany(
                    "INSERT INTO answers (id, status, agency, work, fetched_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET status = excluded.status, agency = excluded.agency, "
                    "work = excluded.work, fetched_at = excluded.fetched_at",
                    rows,
                )
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot write to the store: {error}") from None
        return len(rows)

    def info(self) -> StoreInfo:
        db = self._connection
        try:
            by_status = dict(db.execute("SELECT status, count(*) FROM answers GROUP BY status").fetchall())
            by_agency = dict(
                db.execute("SELECT coalesce(agency, 'none'), count(*) FROM answers GROUP BY agency").fetchall()
            )
            oldest, newest = db.execute("SELECT min(fetched_at), max(fetched_at) FROM answers").fetchone()
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot read the store: {error}") from None
        size = sum(
            candidate.stat().st_size
            for candidate in (self.path, Path(f"{self.path}-wal"))
            if candidate.exists()
        )
        return StoreInfo(
            path=str(self.path),
            schema_version=version,
            size_bytes=size,
            answers=sum(by_status.values()),
            by_status=by_status,
            by_agency=by_agency,
            oldest=oldest,
            newest=newest,
        )

    def clear(self) -> int:
        """Forget every answer; returns how many there were."""
        try:
            with self._transaction() as db:
                count = db.execute("DELETE FROM answers").rowcount
            db.execute("VACUUM")
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot clear the store: {error}") from None
        return count


def _resolution(doi: str, status: str, agency: str | None, work: str | None, fetched_at: float) -> Resolution | None:
    """A stored row as a Resolution; None for a row whose work no longer decodes (it is fetched again)."""
    decoded = None
    if status == "found":
        try:
            decoded = work_from_json(work or "")
        except (ValueError, TypeError, AttributeError):
            return None
    return Resolution(doi, status, agency=agency, work=decoded, fetched_at=fetched_at)  # type: ignore[arg-type]
