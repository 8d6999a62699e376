"""The local store of answers: the only module that touches SQLite.

One row per identifier (a DOI, `pmid:…`, `pmcid:…`: `model.id_key`) with the last definite answer (found, with the work as JSON, or not found) and
which registration agency holds it. Transient failures ("unresolved") are never stored. And one row
per scanned page (`page_cache` decides when it still answers). Writes are
transactions in WAL mode with a busy timeout, so several refkit processes can share one store and a
run killed at any moment leaves the store as of its last committed batch."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sqlite3
import time
import types
import typing
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StoreError
from .model import Citation, Page, Resolution, Update, Work

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
    # 4: scanned pages, so an unchanged page is not read again: keyed by the page's resolved path,
    # answering only while the file's state (size, mtime, ctime, device, inode) and the run's
    # fingerprint are those recorded.
    """
    CREATE TABLE scanned_pages (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        ctime_ns INTEGER NOT NULL,
        device INTEGER NOT NULL,
        inode INTEGER NOT NULL,
        read_as TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        result TEXT NOT NULL
    );
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
    scanned_pages: int


@dataclass(frozen=True)
class Cleared:
    """What `Store.clear` forgot."""

    answers: int
    scanned_pages: int


FileState = tuple[int, int, int, int, int]
"""A page file as `stat` finds it: size, mtime and ctime (ns), device and inode. Any write, rename,
chmod or `touch` changes one of them (ctime cannot be set back, as git's index relies on too)."""


@dataclass(frozen=True)
class ScannedPage:
    """One stored scan of a page: the file as it was read, and the result as JSON (`scanned_to_json`)."""

    path: str
    """The page's resolved path (the key)."""
    state: FileState
    read_as: str
    """The file and wiki root as the scan named them: the Page's file and URL follow from them."""
    fingerprint: str
    result: str


def _fields_json(value: Any, *, defaults: bool = True) -> dict[str, Any]:
    """A dataclass as the JSON object of its fields; without `defaults`, those at their default are
    left out (decoding puts them back). json.dumps calls this for each dataclass it meets."""
    fields = ((field.name, field.default, getattr(value, field.name)) for field in dataclasses.fields(value))
    return {name: current for name, default, current in fields if defaults or default is dataclasses.MISSING or current != default}


def _to_json(value: object, *, defaults: bool = True) -> str:
    # ASCII: a lone surrogate (a title cut inside an emoji, by a page or a registry) is no UTF-8 and
    # SQLite could not hold it; escaped, it is read back exactly.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=functools.partial(_fields_json, defaults=defaults))


def work_to_json(work: Work) -> str:
    """Every field, as other programs reading the store see a work."""
    return _to_json(work)


# Fields renamed since answers were first stored: (class, old name) -> new name.
_RENAMED: Mapping[tuple[type, str], str] = {(Update, "doi"): "id"}


@functools.cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """What turns the JSON of a value of type `hint` back into that value, exactly: a dataclass from
    its fields (any it no longer has left out, renamed ones under their new name), a tuple from a
    list, an optional value from null or its value. Built once per type, from the type hints, so a
    field added to the model needs nothing here."""
    if dataclasses.is_dataclass(hint):
        cls: Any = hint
        hints = typing.get_type_hints(cls)
        names = frozenset(field.name for field in dataclasses.fields(cls))
        # Only the fields that need more than the JSON value itself are visited (none, for Person).
        nested = [(field.name, _decoder(hints[field.name])) for field in dataclasses.fields(cls)]
        nested = [(name, decode) for name, decode in nested if decode is not _as_is]

        def dataclass_from(data: dict[str, Any]) -> Any:
            if not data.keys() <= names:
                data = {_RENAMED.get((cls, key), key): value for key, value in data.items()}
                data = {key: value for key, value in data.items() if key in names}
            for name, decode in nested:
                if name in data:
                    data[name] = decode(data[name])
            return cls(**data)

        return dataclass_from
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        item = _decoder(args[0])  # refkit's tuples are all tuple[X, ...]
        return tuple if item is _as_is else lambda value: tuple(map(item, value))
    if origin in (typing.Union, types.UnionType):
        [inner] = [arg for arg in args if arg is not type(None)]
        decode = _decoder(inner)
        return _as_is if decode is _as_is else lambda value: None if value is None else decode(value)
    return _as_is


def _as_is(value: Any) -> Any:
    return value


def work_from_json(text: str) -> Work:
    """The inverse of work_to_json; tolerant of fields added to or dropped from Work since it was written."""
    return _decoder(Work)(json.loads(text))  # type: ignore[no-any-return]


# A citation's fields that are its page's, stored once with the page: citation field -> Page field.
_FROM_PAGE: Mapping[str, str] = {"file": "file", "page_url": "url", "page_title": "title"}


def scanned_to_json(page: Page, citations: Sequence[Citation]) -> str:
    """A page's scan (its Page without the body, and its citations) as JSON, as short as it can be
    read back exactly: it is read for every unchanged page of every scan."""
    rows = []
    for citation in citations:
        row = _fields_json(citation, defaults=False)
        for field, page_field in _FROM_PAGE.items():
            value = getattr(citation, field)
            if value == getattr(page, page_field):
                row.pop(field, None)
            else:
                row[field] = value
        rows.append(row)
    return _to_json([dataclasses.replace(page, body=""), rows], defaults=False)


def scanned_from_json(text: str, without: Collection[str] = ()) -> tuple[Page, list[Citation]]:
    """The inverse of scanned_to_json: equal objects, down to tuples, None and nested listings; the
    citations' fields named in `without` are left at their defaults (and never decoded)."""
    page_json, rows = json.loads(text)
    page: Page = _decoder(Page)(page_json)
    from_page = {field: getattr(page, page_field) for field, page_field in _FROM_PAGE.items()}
    citation_from = _decoder(Citation)
    if without:
        rows = [{key: value for key, value in row.items() if key not in without} for row in rows]
    return page, [citation_from({**from_page, **row}) for row in rows]


class Store:
    """`with Store(path) as store:` opens (creating the folder and file, migrating an older schema).
    `busy_timeout_ms`: how long to wait for another process's write (a cache that can do without
    the store waits less than a command that needs it)."""

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        self._busy_timeout_s = busy_timeout_ms / 1000
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
            self._db = sqlite3.connect(self.path, timeout=self._busy_timeout_s, isolation_level=None)
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
        deadline = time.monotonic() + self._busy_timeout_s
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
        query = "SELECT id, status, agency, work, fetched_at FROM answers WHERE fetched_at >= ? AND id IN ({})"
        for key, status, agency, work, fetched_at in self._rows_for(query, (oldest,), wanted):
            asked = by_lower[key.lower()]
            resolution = _resolution(asked, status, agency, work, fetched_at)
            if resolution is not None:
                found[asked] = resolution
        return found

    def _rows_for(self, query: str, leading: tuple[object, ...], keys: Sequence[str]) -> list[tuple[Any, ...]]:
        """The rows `query` (its first parameters `leading`, ending in `IN ({})`) gives for all of
        `keys`, asked _QUERY_CHUNK at a time."""
        rows: list[tuple[Any, ...]] = []
        try:
            for marks, chunk in _chunks(keys):
                rows += self._connection.execute(query.format(marks), (*leading, *chunk)).fetchall()
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot read the store: {error}") from None
        return rows

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

    def scanned_pages(self, paths: Sequence[str], fingerprints: Sequence[str], *, results: bool = True) -> dict[str, ScannedPage]:
        """The stored scans of these pages (resolved paths) made with one of these fingerprints, by
        path; without `results`, only which there are and for which file state (their JSON unread)."""
        result = "result" if results else "''"
        query = (
            f"SELECT path, size, mtime_ns, ctime_ns, device, inode, read_as, fingerprint, {result} FROM scanned_pages "
            f"WHERE fingerprint IN ({','.join('?' * len(fingerprints))}) AND path IN ({{}})"
        )
        return {
            row[0]: ScannedPage(row[0], tuple(row[1:6]), *row[6:])  # type: ignore[arg-type]
            for row in self._rows_for(query, tuple(fingerprints), paths)
        }

    def put_scanned_pages(self, pages: Iterable[ScannedPage]) -> None:
        """Keep these scans in one transaction, each replacing any earlier scan of its page."""
        rows = [(page.path, *page.state, page.read_as, page.fingerprint, page.result) for page in pages]
        if not rows:
            return
        try:
            with self._transaction() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO scanned_pages (path, size, mtime_ns, ctime_ns, device, inode, read_as, fingerprint, result) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot write to the store: {error}") from None

    def forget_scanned_pages(self, keep: Callable[[str], bool]) -> int:
        """Forget the scanned pages whose path `keep` refuses (files gone: a deleted copy of a wiki);
        how many."""
        try:
            paths = [path for (path,) in self._connection.execute("SELECT path FROM scanned_pages") if not keep(path)]
            if not paths:
                return 0
            with self._transaction() as db:
                for marks, chunk in _chunks(paths):
                    db.execute(f"DELETE FROM scanned_pages WHERE path IN ({marks})", chunk)
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot write to the store: {error}") from None
        return len(paths)

    def count_scanned_pages(self) -> int:
        try:
            return int(self._connection.execute("SELECT count(*) FROM scanned_pages").fetchone()[0])
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot read the store: {error}") from None

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
        scanned_pages = self.count_scanned_pages()
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
            scanned_pages=scanned_pages,
        )

    def clear(self) -> Cleared:
        """Forget every answer and every scanned page; how many of each there were."""
        try:
            with self._transaction() as db:
                cleared = Cleared(
                    answers=db.execute("DELETE FROM answers").rowcount,
                    scanned_pages=db.execute("DELETE FROM scanned_pages").rowcount,
                )
            db.execute("VACUUM")
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot clear the store: {error}") from None
        return cleared


def _chunks(keys: Sequence[str]) -> Iterator[tuple[str, Sequence[str]]]:
    """`keys` _QUERY_CHUNK at a time, each with the `?, ?, …` of its `IN (…)`."""
    for start in range(0, len(keys), _QUERY_CHUNK):
        chunk = keys[start : start + _QUERY_CHUNK]
        yield ",".join("?" * len(chunk)), chunk


def _resolution(doi: str, status: str, agency: str | None, work: str | None, fetched_at: float) -> Resolution | None:
    """A stored row as a Resolution; None for a row whose work no longer decodes (it is fetched again)."""
    decoded = None
    if status == "found":
        try:
            decoded = work_from_json(work or "")
        except (ValueError, TypeError, AttributeError):
            return None
    return Resolution(doi, status, agency=agency, work=decoded, fetched_at=fetched_at)  # type: ignore[arg-type]
