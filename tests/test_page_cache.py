"""Scanned pages kept in the store: a page unchanged since the last scan is not read again, and
nothing a user sees changes for it. Through `refkit` as a process (which pages it opens is logged
by a process hook), and the cache's round trip on the whole corpus in-process."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, Wiki
from refkit_process import PROCESS_HOOKS, file_permissions_apply, logging_reads, refkit_env, run_refkit

from refkit import api, page_cache, scan
from refkit.config import Settings
from refkit.model import Citation
from refkit.store import Store

# A listing next to its DOI (read in jsonl), a PMID, and a page with no identifier at all.
STUDY = """
# Role of Vitamin K in Bone and Muscle Metabolism

Alonso N, Meinitzer A, Fritz-Petrin E, Enko D, Herrmann M.

Calcif Tissue Int. 2022; doi: 10.1007/s00223-022-00955-3 and again doi:10.1007/s00223-022-00955-3

See also PMID: 23174181
"""
AN_HOUR_AGO_NS = time.time_ns() - 3600 * 10**9


def settled(path: Path, mtime_ns: int = AN_HOUR_AGO_NS) -> Path:
    """The page with its mtime an hour ago. (A page changed within two seconds of its scan is not
    kept, but its ctime cannot be set back: the tests' refkit keeps recent pages, see `env`.)"""
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


@pytest.fixture(autouse=True)
def keep_recent_pages(monkeypatch) -> None:
    """In this process too, the scan of a page changed just now is kept."""
    monkeypatch.setattr(page_cache, "_RECENT_NS", 0)


@pytest.fixture
def pages(wiki: Wiki) -> list[Path]:
    written = [
        wiki.page("study.md", STUDY),
        wiki.page("plain.md", "No identifier here.\n"),
        wiki.page("other.md", "Cited: https://doi.org/10.1093/aje/kwu059\n"),
    ]
    return [settled(page) for page in written]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """refkit's environment, with a process hook that keeps the scan of a page changed just now."""
    plain = refkit_env(tmp_path)
    return {**plain, "PYTHONPATH": os.pathsep.join((str(PROCESS_HOOKS), plain["PYTHONPATH"])), "REFKIT_TESTS_KEEP_RECENT": "1"}


def scan_logged(
    log: Path, env: dict[str, str], *args: str, cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run `refkit scan ARGS`; its result and the page files it opened, in order."""
    log.unlink(missing_ok=True)
    result = run_refkit("scan", *args, env=logging_reads(env, log), cwd=cwd)
    assert "Traceback" not in result.stderr
    return result, sorted(log.read_text("utf-8").splitlines()) if log.exists() else []


def same_size_edit(path: Path, old: str, new: str) -> None:
    """Change the page's text without changing its size or mtime."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_second_scan_reads_no_page_and_prints_the_same_bytes(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    log = tmp_path / "reads.log"
    first, read_first = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    second, read_second = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert first.returncode == 0 and first.stdout.count("\n") == 3 and "Meinitzer" in first.stdout
    assert read_first == sorted(map(str, pages))
    assert read_second == []
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)


def test_any_change_to_a_page_file_reads_it_again(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    """Size and mtime can stay as they were (`cp -p`, `touch -r`, an archive unpacked, a same-size
    edit in one clock tick): the file's ctime, device and inode tell the change all the same."""
    log = tmp_path / "reads.log"
    study, other = pages[0], pages[2]
    first, _ = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert "10.1007/s00223-022-00955-3" in first.stdout
    same_size_edit(study, "10.1007/s00223-022-00955-3", "10.1007/s00223-022-00955-9")
    edited, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert read == [str(study)]
    assert "10.1007/s00223-022-00955-9" in edited.stdout and "00955-3" not in edited.stdout
    # another file put in its place, with the same size and mtime (a swap by renaming, an unpacked copy)
    replacement = wiki.page("replacement.tmp", other.read_text("utf-8").replace("kwu059", "kwu058"))
    os.utime(replacement, ns=(other.stat().st_atime_ns, other.stat().st_mtime_ns))
    os.replace(replacement, other)
    replaced, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert read == [str(other)] and "10.1093/aje/kwu058" in replaced.stdout
    unchanged, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert read == [] and unchanged.stdout == replaced.stdout
    settled(study, AN_HOUR_AGO_NS + 10**9)  # the same size, another mtime
    moved, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert read == [str(study)] and moved.stdout == unchanged.stdout
    study.write_text(study.read_text("utf-8").replace("See also PMID: 23174181", "See also PMID: 2317418"), encoding="utf-8")
    settled(study)  # the mtime of the first scan again, another size
    shrunk, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert read == [str(study)]
    assert '"id": "2317418"' in shrunk.stdout and "23174181" not in shrunk.stdout


def test_other_settings_or_options_are_not_answered_from_the_cache(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    log = tmp_path / "reads.log"
    plain, _ = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    based, read = scan_logged(log, env, "--format", "jsonl", "--base-url", "https://wiki.example", str(wiki.root))
    assert read == sorted(map(str, pages))
    assert based.stdout == plain.stdout.replace('"page_url": "/', '"page_url": "https://wiki.example/')
    every, read = scan_logged(log, env, "--format", "jsonl", "--all-occurrences", str(wiki.root))
    assert read == sorted(map(str, pages))
    study = '"id": "10.1007/s00223-022-00955-3"'
    assert (plain.stdout.count(study), every.stdout.count(study)) == (1, 2)
    # A page has one stored scan, the last: it answers the same options, and others read again.
    again, read = scan_logged(log, env, "--format", "jsonl", "--all-occurrences", str(wiki.root))
    assert read == [] and again.stdout == every.stdout
    again, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert read == sorted(map(str, pages)) and again.stdout == plain.stdout


def test_no_cache_neither_reads_nor_writes_the_cache(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    log = tmp_path / "reads.log"
    store = tmp_path / "cache" / "refkit" / "store.sqlite3"
    uncached, read = scan_logged(log, env, "--format", "jsonl", "--no-cache", str(wiki.root))
    assert read == sorted(map(str, pages)) and not store.exists()
    scan_logged(log, env, "--format", "jsonl", str(wiki.root))  # now the cache holds every page
    same_size_edit(pages[2], "kwu059", "kwu058")
    for off in ({"no_cache": "1"}, {}):
        args = () if off else ("--no-cache",)
        result, read = scan_logged(log, {**env, **refkit_env(tmp_path, **off)}, "--format", "jsonl", *args, str(wiki.root))
        assert read == sorted(map(str, pages))
        assert result.stdout == uncached.stdout.replace("kwu059", "kwu058")
    with sqlite3.connect(store) as db:  # the old scan is still the one stored
        assert "kwu059" in db.execute("SELECT result FROM scanned_pages WHERE path LIKE '%other.md'").fetchone()[0]


def test_every_command_that_scans_uses_the_cache_unless_told_not_to(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    log = tmp_path / "reads.log"
    commands = {
        "check": ("check", "--offline"),
        "export": ("export", "--offline", "-o", "-", "--format", "csljson"),
        "fix": ("fix", "--offline"),  # fix opens each page again to plan its edits: that read stays
        "resolve": ("resolve", "--offline"),
    }

    def reads(*args: str) -> tuple[subprocess.CompletedProcess[str], Counter[str]]:
        log.unlink(missing_ok=True)
        result = run_refkit(*args, str(wiki.root), env=logging_reads(env, log))
        return result, Counter(log.read_text("utf-8").splitlines() if log.exists() else ())

    for name, command in commands.items():
        uncached, read_uncached = reads(*command, "--no-cache")
        run_refkit(*command, str(wiki.root), env=env)
        cached, read_cached = reads(*command)
        assert read_uncached - read_cached == Counter(map(str, pages)), name  # the scan read each page; now none
        assert (cached.returncode, cached.stdout, cached.stderr) == (uncached.returncode, uncached.stdout, uncached.stderr), name


def test_a_store_that_cannot_be_used_changes_nothing_but_one_warning(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    expected = run_refkit("scan", "--format", "jsonl", "--no-cache", str(wiki.root), env=env)
    not_a_store = tmp_path / "not-a-store.sqlite3"
    not_a_store.write_bytes(b"this is not a database, it only has the name of one" * 100)
    under_a_file = pages[1] / "store.sqlite3"  # a folder that cannot be made: pages[1] is a file
    for store in (under_a_file, not_a_store):
        for quiet in ((), ("--quiet",)):
            result = run_refkit("scan", "--format", "jsonl", "--store", str(store), *quiet, str(wiki.root), env=env)
            assert (result.returncode, result.stdout) == (0, expected.stdout)
            if quiet:
                assert result.stderr == ""
            else:
                warning, summary = result.stderr.splitlines()
                assert warning.startswith("refkit: warning: every page is read, none cached: ") and str(store) in warning
                assert summary == expected.stderr.strip()
    assert not not_a_store.with_name("not-a-store.sqlite3-wal").exists() and not under_a_file.exists()


def test_a_read_only_store_folder_scans_as_without_a_cache(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    expected = run_refkit("scan", "--format", "jsonl", "--no-cache", str(wiki.root), env=env)
    folder = tmp_path / "read-only"
    folder.mkdir()
    store = folder / "store.sqlite3"
    run_refkit("scan", "--store", str(store), str(wiki.root), env=env)  # a store that holds the pages already
    os.chmod(folder, 0o555)
    try:
        result = run_refkit(
            "scan", "--format", "jsonl", "--store", str(store), str(wiki.root), env=env, preexec_fn=file_permissions_apply()
        )
    finally:
        os.chmod(folder, 0o755)
    assert (result.returncode, result.stdout) == (0, expected.stdout)
    assert len(result.stderr.splitlines()) == 2 and result.stderr.startswith("refkit: warning: every page is read, none cached: ")


def test_a_locked_store_is_waited_for_briefly_then_done_without(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    run_refkit("scan", "--store", str(store), str(wiki.root), env=env)
    settled(wiki.page("other.md", "Cited now: https://doi.org/10.1093/aje/kwu060\n"))
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write, for longer than the cache waits
    try:
        result = run_refkit("scan", "--format", "jsonl", "--store", str(store), str(wiki.root), env=env)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    expected = run_refkit("scan", "--format", "jsonl", "--no-cache", str(wiki.root), env=env)
    assert (result.returncode, result.stdout) == (0, expected.stdout) and "kwu060" in result.stdout
    assert result.stderr.startswith("refkit: warning: every page is read, none cached: ")
    assert len(result.stderr.splitlines()) == 2


def test_skipped_pages_are_never_cached(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    settled(wiki.page("binary.md", b"doi:10.1002/jbmr.328\x00\xff"))
    for _ in range(2):
        result = run_refkit("scan", str(wiki.root), env=env)
        assert result.returncode == 1
        assert f"refkit: skipped {wiki.root / 'binary.md'}:1: binary file (NUL byte), not a text page" in result.stderr
    info = run_refkit("store", "info", env=env)
    assert "scanned pages: 3" in info.stdout.splitlines()


def test_a_page_changed_just_before_its_scan_is_not_kept(wiki: Wiki, env, tmp_path: Path) -> None:
    """An edit in the same tick of the file system's clock as the scan, to the same size, would
    leave size and mtime as they were: so a page that recent is read again next time."""
    log = tmp_path / "reads.log"
    env = refkit_env(tmp_path)  # refkit as users run it: a page changed within two seconds is not kept
    fresh = wiki.page("fresh.md", "doi:10.1002/jbmr.328\n")
    a_minute_on = time.time_ns() + 60 * 10**9
    os.utime(fresh, ns=(a_minute_on, a_minute_on))  # recent however slowly refkit starts (a clock ahead too)
    scan_logged(log, env, str(wiki.root))
    result, read = scan_logged(log, env, str(wiki.root))
    assert read == [str(fresh)] and "10.1002/jbmr.328" in result.stdout


def test_a_page_is_kept_once_two_seconds_old(wiki: Wiki, monkeypatch, tmp_path: Path) -> None:
    """The bound itself, on a clock the test sets: one second after its last change a page is read and
    not kept, three seconds after it is kept."""
    monkeypatch.undo()  # refkit's own two seconds, not `keep_recent_pages`
    page = wiki.page("p.md", "doi:10.1002/jbmr.328\n")
    changed = max(page.stat().st_mtime_ns, page.stat().st_ctime_ns)
    settings = Settings(store=str(tmp_path / "store.sqlite3"))
    for seconds, kept in ((1, 0), (3, 1)):
        monkeypatch.setattr(page_cache.time, "time_ns", lambda seconds=seconds: changed + seconds * 10**9)
        assert [c.id for _, found in scan.scan_paths([wiki.root], settings, cache=True) for c in found] == ["10.1002/jbmr.328"]
        with Store(settings.store) as store:
            assert store.count_scanned_pages() == kept


def test_a_change_to_a_front_matter_library_reads_every_page_again(monkeypatch, tmp_path: Path) -> None:
    """The libraries that read front matter decide what a page is as much as refkit does."""
    library = tmp_path / "frontmatter"
    library.mkdir()
    (library / "__init__.py").write_text("VERSION = 1\n", "utf-8")
    installed = page_cache._package_folder
    monkeypatch.setattr(page_cache, "_package_folder", lambda name: str(library) if name == "frontmatter" else installed(name))
    try:
        page_cache._code_digest.cache_clear()
        before = page_cache._code_digest()
        (library / "__init__.py").write_text("VERSION = 2\n", "utf-8")
        page_cache._code_digest.cache_clear()
        assert page_cache._code_digest() != before
    finally:
        page_cache._code_digest.cache_clear()


def test_store_info_counts_and_store_clear_forgets_scanned_pages(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    log = tmp_path / "reads.log"
    scan_logged(log, env, str(wiki.root))
    assert "scanned pages: 3" in run_refkit("store", "info", env=env).stdout.splitlines()
    cleared = run_refkit("store", "clear", env=env)
    store = tmp_path / "cache" / "refkit" / "store.sqlite3"
    assert (cleared.returncode, cleared.stderr) == (0, f"refkit: removed 0 answers and 3 scanned pages from {store}\n")
    assert "scanned pages: 0" in run_refkit("store", "info", env=env).stdout.splitlines()
    _, read = scan_logged(log, env, str(wiki.root))
    assert read == sorted(map(str, pages))


def test_the_corpus_scanned_cold_and_warm_gives_identical_objects(tmp_path: Path) -> None:
    """Every Page and Citation the store gives back is the one the scan made: equal, and of the
    same types down to tuples, None, booleans and nested listings and persons (repr tells a tuple
    from a list and True from 1, which == does not)."""
    settings = Settings(store=str(tmp_path / "store.sqlite3"), base_url="https://vitamindwiki.com")
    cold = list(api.scan([CORPUS], settings))
    warm = list(api.scan([CORPUS], settings))
    assert sum(len(citations) for _, citations in cold) > 4000
    assert sum(1 for _, citations in cold for citation in citations if citation.listed and citation.listed.authors) > 1000
    assert warm == cold
    assert repr(warm) == repr(cold)
    with sqlite3.connect(tmp_path / "store.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM scanned_pages").fetchone() == (len(cold),)


def test_the_pool_starts_only_for_enough_unread_pages(wiki: Wiki, monkeypatch, tmp_path: Path) -> None:
    written = [settled(wiki.page(f"p{number}.md", f"doi:10.5555/synthetic-{number}\n")) for number in range(scan._PARALLEL_MIN_PAGES + 1)]
    settings = Settings(store=str(tmp_path / "store.sqlite3"))
    started = []
    real_pool = scan._worker_pool
    monkeypatch.setattr(scan, "_worker_pool", lambda *args: started.append(args) or real_pool(*args))
    first = list(scan.scan_paths([wiki.root], settings, cache=True, workers=2))
    assert len(started) == 1
    settled(written[0], AN_HOUR_AGO_NS + 10**9)
    second = list(scan.scan_paths([wiki.root], settings, cache=True, workers=2))
    assert len(started) == 1 and second == first  # one page to read: no pool for it


def test_a_page_named_another_way_is_read_again(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    """A Page and its citations carry the file as the scan named it, and its URL may follow from the
    folder it was found under (`:section`): the same file reached another way is read again."""
    log = tmp_path / "reads.log"
    env = logging_reads(env, log)
    relative = run_refkit("scan", "--format", "jsonl", "wiki", env=env, cwd=tmp_path)
    absolute = run_refkit("scan", "--format", "jsonl", str(wiki.root), env=env, cwd=tmp_path)
    assert '"file": "wiki/study.md"' in relative.stdout
    assert absolute.stdout == relative.stdout.replace('"file": "wiki/', f'"file": "{wiki.root}/')
    assert sorted(log.read_text("utf-8").splitlines()) == sorted(["wiki/" + page.name for page in pages] + list(map(str, pages)))


def test_a_change_to_refkit_itself_reads_every_page_again(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    """Any change to refkit's code may change what it reads from a page: a copy of refkit with one
    module changed (as an upgrade or a checkout of another branch changes it) reads every page again."""
    copy = tmp_path / "copy"
    shutil.copytree(Path(scan.__file__).parent, copy / "refkit", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**env, "PYTHONPATH": os.pathsep.join((str(copy), env["PYTHONPATH"]))}
    log = tmp_path / "reads.log"
    # Run from tmp_path: `python -c` puts the current folder first on sys.path, and the checkout's is refkit's.
    first, _ = scan_logged(log, env, "--format", "jsonl", str(wiki.root), cwd=tmp_path)
    with (copy / "refkit" / "listed.py").open("a", encoding="utf-8") as module:
        module.write("\n# changed\n")
    second, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root), cwd=tmp_path)
    assert read == sorted(map(str, pages)) and second.stdout == first.stdout
    _, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root), cwd=tmp_path)
    assert read == []


def test_a_store_that_fails_mid_scan_loses_nothing_but_the_cache(wiki: Wiki, pages: list[Path], tmp_path: Path) -> None:
    """The store opens, then another process holds its write lock longer than the cache waits: the
    scan still gives every page, says so once, and keeps nothing."""
    store = tmp_path / "store.sqlite3"
    settings = Settings(store=str(store))
    expected = list(api.scan([wiki.root], dataclasses.replace(settings, no_cache=True)))
    warnings: list[str] = []
    run = iter(api.scan([wiki.root], settings, api.Hooks(warn=warnings.append)))
    got = [next(run)]  # the cache is open and has looked the pages up
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        got += list(run)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert got == expected
    assert len(warnings) == 1 and warnings[0].startswith("every page is read, none cached: ") and "cannot write" in warnings[0]
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM scanned_pages").fetchone() == (0,)


def test_a_stored_scan_gone_between_lookup_and_use_is_read_instead(wiki: Wiki, tmp_path: Path) -> None:
    """Pages are looked up a batch at a time: a row another process removes after the lookup said it
    answers (`store clear` mid-scan) is no hole in the output: that page is read then."""
    written = [settled(wiki.page(f"p{number:03}.md", f"doi:10.5555/synthetic-{number:03}\n")) for number in range(300)]
    settings = Settings(store=str(tmp_path / "store.sqlite3"))
    list(scan.scan_paths([wiki.root], settings, cache=True, workers=1))
    run = scan.scan_paths([wiki.root], settings, cache=True, workers=1)
    got = [next(run)]  # every page looked up; the first batch of 256 decoded
    with sqlite3.connect(tmp_path / "store.sqlite3") as db:
        db.execute("DELETE FROM scanned_pages")
    same_size_edit(written[299], "synthetic-299", "synthetic-999")
    got += list(run)
    assert [citations[0].id for _, citations in got] == [f"10.5555/synthetic-{number:03}" for number in range(299)] + ["10.5555/synthetic-999"]
    with sqlite3.connect(tmp_path / "store.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM scanned_pages").fetchone() == (300 - 256,)


def test_scan_and_check_in_turn_read_each_page_once(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    """`scan` (text: no listings read) is answered by what `check` (listings read) kept, and does
    not replace it: run in turn, as a maintainer does, neither reads a page again."""
    log = tmp_path / "reads.log"
    expected = run_refkit("scan", "--no-cache", str(wiki.root), env=env)
    run_refkit("check", "--offline", str(wiki.root), env=env)
    for _ in range(2):
        result, read = scan_logged(log, env, str(wiki.root))
        assert read == [] and (result.returncode, result.stdout, result.stderr) == (0, expected.stdout, expected.stderr)
        log.unlink(missing_ok=True)
        run_refkit("check", "--offline", str(wiki.root), env=logging_reads(env, log))
        assert not log.exists()


def test_a_scan_without_listings_is_a_scan_with_them_less_what_listings_tell() -> None:
    """What the cache relies on to answer a text scan from a stored jsonl one, on every page of the corpus."""
    settings = Settings()
    with_listings = list(scan.scan_paths([CORPUS], settings))
    without = list(scan.scan_paths([CORPUS], settings, read_listings=False))
    assert sum(1 for _, citations in with_listings for citation in citations if citation.same_work) > 100
    no_listings = {field.name: field.default for field in dataclasses.fields(Citation) if field.name in scan.LISTING_FIELDS}
    assert [(page, [dataclasses.replace(c, **no_listings) for c in citations]) for page, citations in with_listings] == without


def test_a_scan_without_listings_answered_from_one_with_them_gives_no_listing(wiki: Wiki, pages: list[Path], tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "store.sqlite3"))
    with_listings = list(api.scan([wiki.root], settings))
    assert any(citation.listed for _, citations in with_listings for citation in citations)
    answered = list(api.scan([wiki.root], settings, read_listings=False))
    assert answered == list(api.scan([wiki.root], dataclasses.replace(settings, no_cache=True), read_listings=False))
    assert not any(citation.listed or citation.same_work for _, citations in answered for citation in citations)


def test_a_lone_surrogate_in_front_matter_is_kept_and_given_back_exactly(wiki: Wiki, env, tmp_path: Path) -> None:
    """JSON front matter may escape half an emoji ("\\ud83d", a title cut by a script): SQLite holds
    no such text, and a cached run must still give what an uncached one gives, with no traceback."""
    wiki.page("cut.md", "\nCited: doi:10.1093/aje/kwu059\n", front='{\n"title": "Broken \\ud83d title",\n"tags": ["x"]\n}\n')
    log = tmp_path / "reads.log"
    expected = run_refkit("scan", "--format", "jsonl", "--no-cache", str(wiki.root), env=env)
    assert expected.returncode == 0 and "kwu059" in expected.stdout
    for _ in range(2):  # kept, then given back
        result, _ = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
        assert (result.returncode, result.stdout, result.stderr) == (0, expected.stdout, expected.stderr)
    _, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert read == []


def test_a_stored_scan_that_no_longer_decodes_is_read_again(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    log = tmp_path / "reads.log"
    first, _ = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    with sqlite3.connect(tmp_path / "cache" / "refkit" / "store.sqlite3") as db:
        db.execute("UPDATE scanned_pages SET result = '[{\"file\": 1}, 2]' WHERE path LIKE '%study.md'")
    second, read = scan_logged(log, env, "--format", "jsonl", str(wiki.root))
    assert read == [str(pages[0])] and (second.returncode, second.stdout, second.stderr) == (0, first.stdout, first.stderr)


def test_scans_of_pages_whose_files_are_gone_are_forgotten(wiki: Wiki, pages: list[Path], env, tmp_path: Path) -> None:
    """A copy of the wiki scanned once and deleted (a worktree, a CI build folder) leaves nothing in
    the store after the next scan; pages elsewhere that still exist are kept."""
    log = tmp_path / "reads.log"
    copy = tmp_path / "copy"
    shutil.copytree(wiki.root, copy)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(wiki.root, elsewhere)
    for folder in (copy, elsewhere, wiki.root):
        scan_logged(log, env, str(folder))
    assert "scanned pages: 9" in run_refkit("store", "info", env=env).stdout.splitlines()
    shutil.rmtree(copy)
    scan_logged(log, env, str(wiki.root))
    assert "scanned pages: 6" in run_refkit("store", "info", env=env).stdout.splitlines()
    _, read = scan_logged(log, env, str(elsewhere))
    assert read == []
