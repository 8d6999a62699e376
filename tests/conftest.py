"""Shared test helpers. Several people add to this file: add your own section, don't rewrite others'."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""Read-only shared data: ../shared relative to the repo root (corpus, Crossref recordings, schemas)."""


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


# --- Loopback Crossref server (tests/crossref_server.py) --------------------------------------------

CROSSREF_RECORDINGS = SHARED / "crossref"


@pytest.fixture
def crossref_server() -> Iterator["LoopbackCrossref"]:
    """A fresh loopback Crossref + doi.org on 127.0.0.1 replaying ../shared/crossref recordings."""
    from crossref_server import LoopbackCrossref, load_recordings

    with LoopbackCrossref(load_recordings(CROSSREF_RECORDINGS)) as server:
        yield server


# --- Wiki builder (pages from strings) -----------------------------------------------------------

CORPUS = SHARED / "corpus" / "vitamindwiki"


class Wiki:
    """A throwaway wiki folder: `wiki.page("a.md", text)` writes a page and returns its path."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def page(self, name: str, text: str | bytes, front: str | None = None) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            header = front if front is not None else '{\n    "title": "%s"\n}\n' % path.stem
            path.write_text(header + text, encoding="utf-8")
        return path


@pytest.fixture
def wiki(tmp_path: Path) -> Wiki:
    root = tmp_path / "wiki"
    root.mkdir()
    return Wiki(root)


# --- Recorded Crossref works (references and exports) ----------------------------------------------

from refkit.model import Work  # noqa: E402  (kept with the helpers that use it)


def recorded_work(name: str) -> Work:
    """The Work in one real single-work recording, e.g. recorded_work("10.1038_ng.3834")."""
    import json

    from refkit.sources.crossref import work_from_crossref

    return work_from_crossref(json.loads((CROSSREF_RECORDINGS / f"{name}.json").read_text("utf-8"))["message"])


def recorded_works() -> list[Work]:
    """Every real single-work recording (top-level *.json of ../shared/crossref), by file name."""
    return [recorded_work(path.stem) for path in sorted(CROSSREF_RECORDINGS.glob("*.json"))]


# --- Benchmark scripts as modules (accuracy scoring shared by benchmarks and tests) -----------------

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_benchmark(name: str):
    """benchmarks/<name>.py as a module: the accuracy scripts own their scoring rules and the label
    tests reuse them rather than copying them."""
    import importlib.util
    import sys

    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # the scripts import one another, as when run from there
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# --- Loopback NCBI server (tests/ncbi_server.py) ----------------------------------------------------

NCBI_RECORDINGS = SHARED / "ncbi"


@pytest.fixture
def ncbi_server() -> Iterator["LoopbackNcbi"]:
    """A fresh loopback NCBI (E-utilities efetch and the PMC ID Converter) on 127.0.0.1 replaying the
    ../shared/ncbi recordings, with NCBI's rate limit (3/s, 10/s with api_key) enforced."""
    from ncbi_server import LoopbackNcbi, load_recordings

    with LoopbackNcbi(load_recordings(NCBI_RECORDINGS)) as server:
        yield server


@pytest.fixture
def ncbi_settings(ncbi_server: "LoopbackNcbi", tmp_path: Path) -> "Settings":
    """Settings pointing refkit's NCBI source at `ncbi_server`, with a mailto (sent as `email`) and a
    synthetic API key (NCBI's 10 requests/s keep the tests quick; replace it with None for 3/s)."""
    from refkit.config import Settings

    return Settings(
        ncbi_url=ncbi_server.eutils_url,
        ncbi_idconv_url=ncbi_server.idconv_url,
        ncbi_api_key="synthetic-test-key",
        mailto="refkit-tests@example.org",
        store=str(tmp_path / "store.sqlite3"),
        retries=3,
        timeout=5.0,
    )


# --- The user cache, away from the real one (scanned pages are kept in the store by default) ----------

import atexit  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

# Set before any test module is imported: Settings made at import time (module constants) or with no
# store given find the store under here, never in the ~/.cache of whoever runs the tests.
_USER_CACHE = tempfile.mkdtemp(prefix="refkit-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _USER_CACHE
atexit.register(shutil.rmtree, _USER_CACHE, ignore_errors=True)
