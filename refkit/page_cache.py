"""Scanned pages kept in the store between runs, so that a page whose file has not changed is not
read again (as ruff, mypy and eslint keep theirs).

A page's stored scan answers while its file is in the state it was in when it was read (size,
mtime, ctime, device and inode: a write, a rename, a chmod or a repointed link changes one), under
the same name and wiki root, and while the run's fingerprint is the one it was made with: refkit's
version and source, Python's and the front-matter libraries', the settings a Page depends on and
the scan's options. The cache is only an aid: a store that cannot be opened, read or written turns
it off for the rest of the run with one warning, and every page is then read as without it."""

from __future__ import annotations

import array
import functools
import hashlib
import os
import stat
import sys
import time
from collections.abc import Callable, Collection, Generator, Iterator, Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path

from . import __version__
from .config import Settings
from .errors import PageError, StoreError
from .model import Citation, Page
from .pages import PAGE_SETTINGS
from .store import FileState, ScannedPage, Store, scanned_from_json, scanned_to_json

Scanned = tuple[Page, list[Citation]] | PageError
"""A page and its citations, or why it could not be read."""
ReadPages = Callable[[Sequence[tuple[Path, Path]]], Generator[Scanned, None, None]]
"""Reads (file, root) pages, yielding each one's scan in the order given."""

_BATCH = 256
"""Pages looked up per query, and scans kept per transaction."""
_RECENT_NS = 2_000_000_000
"""A page changed this shortly before it was read is not kept: a second edit within the same tick
of the file system's clock, to the same size, would leave no trace in its state."""
_BUSY_TIMEOUT_MS = 2_000
"""How long to wait for another process's write to the store before going on without the cache."""


def fingerprint(settings: Settings, *, all_occurrences: bool, read_listings: bool) -> str:
    """What else a page's scan depends on besides the file, as one hash: refkit's version and the
    source of all its modules (any change to the code may change a reading), the Python and
    front-matter libraries that parse pages, the settings that shape a Page and the scan's options."""
    digest = hashlib.sha256(_code_digest())
    for part in (all_occurrences, read_listings, *(getattr(settings, name) for name in PAGE_SETTINGS)):
        digest.update(f"{part}\0".encode())
    return digest.hexdigest()


_FRONT_MATTER_LIBRARIES = ("frontmatter", "yaml")
"""python-frontmatter and PyYAML: a Page depends on their code too (their folders are found, not loaded)."""


@functools.cache
def _code_digest() -> bytes:
    """refkit's version and code, Python's and the front-matter libraries', read once a run."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    libraries = [Path(_package_folder(name)) for name in _FRONT_MATTER_LIBRARIES]
    for folder in (Path(__file__).parent, *libraries):
        # Sources, or the compiled modules of an install that ships no source; never __pycache__,
        # which Python itself rewrites.
        for source in sorted(folder.rglob("*.py*")):
            if source.suffix in (".py", ".pyc") and "__pycache__" not in source.parts:
                digest.update(f"{source.relative_to(folder).as_posix()}\0".encode())
                digest.update(source.read_bytes())
    return digest.digest()


def _package_folder(name: str) -> str:
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed as a package")  # a dependency: never hash the current folder instead
    return spec.submodule_search_locations[0]


class _FileStates:
    """The run's page files as stat found them before any was read: five integers a page (memory
    stays flat as the wiki grows), the rest worked out again when a batch needs it."""

    def __init__(self, files: Sequence[tuple[Path, Path]]) -> None:
        self._files = files
        self._now = time.time_ns()
        self._folders: dict[str, str] = {}
        # size, mtime, ctime, device, inode: each in an array of its own; size -1 for a page not stat'ed
        self._states = [array.array("q", bytes(8 * len(files))) for _ in range(5)]
        for index, (file, root) in enumerate(files):
            try:
                found = os.stat(file)
                f"{file}{root}".encode()  # a name that is not UTF-8: the page is skipped, SQLite cannot hold it
            except (OSError, UnicodeEncodeError):
                found = None
            state = (-1, 0, 0, 0, 0)
            if found is not None and stat.S_ISREG(found.st_mode):
                # a device or inode number beyond SQLite's integers only makes the page read again
                state = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_dev % 2**63, found.st_ino % 2**63)
            for values, value in zip(self._states, state):
                values[index] = value

    def known(self, index: int) -> bool:
        return self._states[0][index] >= 0

    def state(self, index: int) -> FileState:
        size, mtime, ctime, device, inode = (values[index] for values in self._states)
        return size, mtime, ctime, device, inode

    def path(self, index: int) -> str:
        """The page's resolved folder and name (resolving each file would cost more than the
        lookups it saves)."""
        folder, name = os.path.split(self._files[index][0])
        if folder not in self._folders:
            self._folders[folder] = os.path.realpath(folder)
        return os.path.join(self._folders[folder], name)

    def read_as(self, index: int) -> str:
        file, root = self._files[index]
        return f"{file}\0{root}"

    def answered_by(self, index: int, stored: ScannedPage) -> bool:
        return (stored.state, stored.read_as) == (self.state(index), self.read_as(index))

    def settled(self, index: int) -> bool:
        """Whether the page may be kept: known, and not changed (written, renamed, chmod'ed) too
        shortly before the run."""
        _, mtime, ctime, _, _ = self.state(index)
        return self.known(index) and self._now - max(mtime, ctime) >= _RECENT_NS

    def row(self, index: int, fingerprint: str, result: str) -> ScannedPage:
        return ScannedPage(self.path(index), self.state(index), self.read_as(index), fingerprint, result)


def _still_there() -> Callable[[str], bool]:
    """Whether a page file still exists, each folder listed once (a stat per page of a large
    store would cost more than the run it follows)."""
    names: dict[str, frozenset[str]] = {}

    def still_there(path: str) -> bool:
        folder, name = os.path.split(path)
        if folder not in names:
            try:
                names[folder] = frozenset(os.listdir(folder))
            except OSError:
                names[folder] = frozenset()
        return name in names[folder]

    return still_there


class PageCache:
    """The scans of one run's pages: `PageCache.open(…)`, then `scanned(files, read)`."""

    def __init__(self, store: Store, answering: Mapping[str, Collection[str]], warn: Callable[[str], None] | None) -> None:
        self._store: Store | None = store
        self._answering = answering
        """The fingerprints whose stored scans answer, each with the citation fields it holds that this
        run's scan leaves at their defaults; the first is the run's own, under which its scans are kept."""
        self._fingerprint = next(iter(answering))
        self._warn = warn
        self._kept: list[ScannedPage] = []

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        all_occurrences: bool,
        read_listings: bool,
        warn: Callable[[str], None] | None,
        listing_fields: Collection[str],
    ) -> PageCache | None:
        """The cache in the settings' store; None (after one warning) where it cannot be opened. A
        scan that does not read listings is also answered by a scan stored with them, less the
        `listing_fields` of its citations (so `scan` and `check` in turn do not replace each other's scans)."""
        store = Store(settings.store, busy_timeout_ms=_BUSY_TIMEOUT_MS)
        try:
            answering: dict[str, Collection[str]] = {
                fingerprint(settings, all_occurrences=all_occurrences, read_listings=read_listings): ()
            }
            if not read_listings:
                answering[fingerprint(settings, all_occurrences=all_occurrences, read_listings=True)] = listing_fields
            store.open()
        except (StoreError, OSError) as error:
            _say_off(warn, error)
            return None
        return cls(store, answering, warn)

    def scanned(self, files: Sequence[tuple[Path, Path]], read: ReadPages) -> Iterator[Scanned]:
        """Each (file, root)'s scan, in order: stored where a scan still answers for it, else read
        (`read` is given every such page at once, in order) and kept. Only pages looked up a batch
        at a time are held, never the whole table."""
        unread: Generator[Scanned, None, None] | None = None
        try:
            states = _FileStates(files)
            answered = self._answered(states, len(files))
            unread = read([item for item, is_answered in zip(files, answered) if not is_answered])
            for start in range(0, len(files), _BATCH):
                batch = range(start, min(start + _BATCH, len(files)))
                stored = self._stored(states, [index for index in batch if answered[index]])
                for index in batch:
                    if not answered[index]:
                        yield self._keep(states, index, next(unread))
                    elif index in stored:
                        yield stored[index]
                    else:  # answered a moment ago, but gone or unreadable since: read it here
                        yield self._keep(states, index, next(read([files[index]])))
                self._put_kept()
            self._forget_vanished(len(files))
        finally:
            if unread is not None:
                unread.close()  # stops the worker processes of a scan left before its end
            self.close()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _forget_vanished(self, scanned: int) -> None:
        """Drop the stored scans of pages whose files are gone (a deleted copy or worktree of the
        wiki), so that the store does not grow with every folder ever scanned; looked into only
        when it holds more pages than this run scanned."""
        if self._store is None:
            return
        try:
            if self._store.count_scanned_pages() > scanned:
                self._store.forget_scanned_pages(_still_there())
        except StoreError:
            # Every page has been given by now: nothing to warn of; the next run tries again.
            self.close()

    def _answered(self, states: _FileStates, count: int) -> bytearray:
        """For each page, whether a stored scan still answers for it (its JSON not yet read)."""
        answered = bytearray(count)
        for start in range(0, count, _BATCH):
            paths = {index: states.path(index) for index in range(start, min(start + _BATCH, count)) if states.known(index)}
            rows = self._lookup(list(paths.values()), results=False)
            for index, path in paths.items():
                answered[index] = path in rows and states.answered_by(index, rows[path])
        return answered

    def _stored(self, states: _FileStates, indexes: list[int]) -> dict[int, tuple[Page, list[Citation]]]:
        """The stored scans that still answer for these pages, decoded, by index; a row that no
        longer decodes is left out (the page is read again and its row replaced)."""
        paths = {index: states.path(index) for index in indexes}
        rows = self._lookup(list(paths.values()), results=True)
        found = {}
        for index, path in paths.items():
            if path in rows and states.answered_by(index, rows[path]):
                try:
                    found[index] = scanned_from_json(rows[path].result, self._answering[rows[path].fingerprint])
                except (ValueError, TypeError, KeyError, AttributeError):
                    continue
        return found

    def _lookup(self, paths: list[str], *, results: bool) -> dict[str, ScannedPage]:
        if self._store is None or not paths:
            return {}
        try:
            return self._store.scanned_pages(paths, list(self._answering), results=results)
        except StoreError as error:
            self._off(error)
            return {}

    def _keep(self, states: _FileStates, index: int, scanned: Scanned) -> Scanned:
        """The scan, kept to be stored unless the page was skipped or changed too recently to tell."""
        if self._store is not None and not isinstance(scanned, PageError) and states.settled(index):
            self._kept.append(states.row(index, self._fingerprint, scanned_to_json(*scanned)))
        return scanned

    def _put_kept(self) -> None:
        kept, self._kept = self._kept, []
        if self._store is None or not kept:
            return
        try:
            self._store.put_scanned_pages(kept)
        except StoreError as error:
            self._off(error)

    def _off(self, error: StoreError) -> None:
        """The rest of the run goes without the cache, said once."""
        self.close()
        _say_off(self._warn, error)


def _say_off(warn: Callable[[str], None] | None, error: Exception) -> None:
    if warn is not None:
        warn(f"every page is read, none cached: {error}")
