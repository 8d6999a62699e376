"""What a user sees at the shell, through `refkit` run as its own process: every refusal (usage,
configuration, rules, baseline, --changed-since, the store) is exit status 2 with one clear line on
stderr and nothing on stdout; `store info|clear`; a reader that goes away (`| head -1`); a full disk;
`--version`, `python -m refkit` and the installed `refkit` script.

Only exit statuses, stdout and stderr are asserted, so these hold whatever shape the code takes."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, Wiki, recorded_work
from refkit_process import PROCESS_HOOKS, REFKIT, refkit_env, run_refkit

from refkit import __version__
from refkit.model import Resolution
from refkit.store import Store

CITING = "See [doi: 10.1371/journal.pone.0033693](https://doi.org/10.1371/journal.pone.0033693).\n"


def refused(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """A refused run: exit status 2, nothing on stdout, no traceback, and one error line holding
    every fragment: refkit's own ("refkit: error: …") or a usage error ("refkit scan: error: No such
    option …"), one line where click alone prints usage, a hint and the error. Warnings about the
    settings may come first. Returns the line."""
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("refkit: warning: ")]
    assert len(lines) == 1, result.stderr
    [line] = lines
    assert re.match(r"^(?:python -m )?refkit(?: [a-z]+)*: error: ", line), line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return refkit_env(tmp_path)


@pytest.fixture
def page(wiki: Wiki) -> Path:
    return wiki.page("cites.md", CITING)


# --- usage errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("scan", "--format", "xml", "{wiki}"), ("'--format'", "'xml'")),
        (("scan", "{wiki}/nowhere.md"), ("nowhere.md", "does not exist")),
        (("resolve", "--bogus", "{wiki}"), ("No such option", "--bogus")),
        (("check", "--fail-on", "info", "{wiki}"), ("'--fail-on'", "'info'")),
        (("check", "--concurrency", "many", "{wiki}"), ("--concurrency: ", "'many'")),
        (("export", "--format", "endnote", "{wiki}"), ("'--format'", "'endnote'")),
        (("export", "-o", "{wiki}", "{wiki}"), ("'--output'", "is a directory")),
        (("store", "info", "--bogus"), ("No such option", "--bogus")),
        (("frobnicate",), ("No such command", "'frobnicate'")),
        # An option missing its value still names the command (click gives the error no command).
        (("export", "--format"), ("refkit export: error: Option '--format' requires an argument. See 'refkit export --help'.",)),
        # click's "Did you mean …?" keeps its question mark alone.
        (("scan", "--formt", "csv"), ("Did you mean '--format'? See 'refkit scan --help'.",)),
    ],
)
def test_usage_errors_exit_2_with_one_error_line(wiki: Wiki, page: Path, env, args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    result = run_refkit(*(arg.replace("{wiki}", str(wiki.root)) for arg in args), env=env)
    refused(result, *fragments)


def test_a_group_without_its_command_shows_its_help(env) -> None:
    result = run_refkit("store", env=env)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("Usage: refkit store [OPTIONS] COMMAND [ARGS]...") and "info " in result.stderr
    assert "error:" not in result.stderr


# --- configuration errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "text", "fragment"),
    [
        ("scan", 'colour = "blue"\n', "unknown config key 'colour'"),
        ("resolve", 'timeout = "soon"\n', "config key 'timeout'"),
        ("export", "concurrency = 0\n", "config key 'concurrency'"),
        ("check", '[rules]\n"title-mismatch" = "loud"\n', "config key 'rules.title-mismatch'"),
        ("scan", "base_url = [\n", "invalid TOML"),
    ],
)
def test_a_bad_config_file_exits_2_naming_file_and_key(wiki: Wiki, page: Path, tmp_path: Path, env, command: str, text: str, fragment: str) -> None:
    config = tmp_path / "refkit.toml"
    config.write_text(text, "utf-8")
    output = tmp_path / "out.bib"
    network = ("--offline", "--store", str(tmp_path / "s.db")) if command != "scan" else ()
    extra = ("-o", str(output)) if command == "export" else ()
    result = run_refkit(command, "--config", str(config), *network, *extra, str(wiki.root), env=env)
    refused(result, f"{config}: ", fragment)
    assert not (tmp_path / "s.db").exists() and not output.exists()  # refused before any work


def test_a_missing_config_file_and_a_bad_environment_value_exit_2(wiki: Wiki, page: Path, tmp_path: Path, env) -> None:
    refused(run_refkit("scan", "--config", str(tmp_path / "nope.toml"), str(wiki.root), env=env), "config file not found", "nope.toml")
    refused(run_refkit("resolve", "--offline", str(wiki.root), env={**env, "REFKIT_RETRIES": "many"}), "REFKIT_RETRIES: ")


def test_an_unknown_rule_id_exits_2_before_any_work(wiki: Wiki, page: Path, tmp_path: Path, env) -> None:
    config = tmp_path / "refkit.toml"
    config.write_text('[rules]\n"doi-nonexistent" = "off"\n', "utf-8")
    store = tmp_path / "s.db"
    refused(run_refkit("check", "--config", str(config), "--offline", "--store", str(store), str(wiki.root), env=env), "unknown rule 'doi-nonexistent'")
    assert not store.exists()


@pytest.mark.parametrize("content", ["[]", '{"version": 1, "findings": "none"}', "not json", '{"version": 99, "findings": []}'])
def test_a_bad_baseline_file_exits_2_naming_it(wiki: Wiki, page: Path, tmp_path: Path, env, content: str) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content, "utf-8")
    result = run_refkit("check", "--offline", "--store", str(tmp_path / "s.db"), "--baseline", str(baseline), str(wiki.root), env=env)
    refused(result, f"{baseline}: ")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_bad_changed_since_revision_exits_2_naming_it(wiki: Wiki, page: Path, tmp_path: Path, env) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=wiki.root, check=True)
    subprocess.run([*git, "add", "."], cwd=wiki.root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], cwd=wiki.root, check=True)
    store = ("--offline", "--store", str(tmp_path / "s.db"))
    refused(run_refkit("check", ".", *store, "--changed-since", "no-such-rev", cwd=wiki.root, env=env), "'no-such-rev'")
    refused(run_refkit("check", ".", *store, "--changed-since", "--output=x", cwd=wiki.root, env=env), "'--output=x'", "not a revision")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.md").write_text(CITING, "utf-8")
    refused(run_refkit("check", ".", *store, "--changed-since", "HEAD", cwd=outside, env=env), "not a git repository")


# --- the store -----------------------------------------------------------------------------------


@pytest.fixture
def not_a_store(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"not a database " * 100)
    return path


@pytest.mark.parametrize("command", ["resolve", "check", "export", "store info", "store clear"])
def test_a_store_that_cannot_be_opened_exits_2(wiki: Wiki, page: Path, tmp_path: Path, env, not_a_store: Path, command: str) -> None:
    before = not_a_store.read_bytes()
    output = tmp_path / "out.bib"
    args = [*command.split(), "--store", str(not_a_store)]
    if not command.startswith("store"):
        args += ["--offline", str(wiki.root)]
    if command == "export":
        args += ["-o", str(output)]
    refused(run_refkit(*args, env=env), f"{not_a_store}: cannot open the store")
    assert not_a_store.read_bytes() == before and not output.exists()


def test_a_store_under_a_file_exits_2(wiki: Wiki, page: Path, env) -> None:
    store = page / "store.sqlite3"  # a folder that cannot exist: `page` is a file
    refused(run_refkit("resolve", "--store", str(store), str(wiki.root), env=env), f"{store}: cannot open the store")


def test_store_info_and_clear(tmp_path: Path, env) -> None:
    path = tmp_path / "store.sqlite3"
    work = recorded_work("10.1371_journal.pone.0033693")
    with Store(path) as store:
        store.put_many([Resolution(work.doi, "found", agency="crossref", work=work), Resolution("10.5284/1011335", "not_found", agency="datacite")])
    info = run_refkit("store", "info", "--store", str(path), env=env)
    assert info.returncode == 0 and info.stderr == ""
    lines = info.stdout.splitlines()
    assert lines[0] == f"store: {path}"
    assert "answers: 2 (found 1, not_found 1)" in lines and "agencies: crossref 1, datacite 1" in lines
    cleared = run_refkit("store", "clear", "--store", str(path), env=env)
    assert (cleared.returncode, cleared.stdout, cleared.stderr) == (0, "", f"refkit: removed 2 answers and 0 scanned pages from {path}\n")
    again = run_refkit("store", "info", "--store", str(path), env=env)
    assert again.returncode == 0 and "answers: 0 (none)" in again.stdout.splitlines()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM answers").fetchone() == (0,)


def test_store_info_and_clear_do_not_create_the_store(tmp_path: Path, env) -> None:
    path = tmp_path / "nowhere" / "store.sqlite3"
    info = run_refkit("store", "info", "--store", str(path), env=env)
    assert (info.returncode, info.stderr) == (0, "")
    assert info.stdout == f"store: {path} (not created yet: no answers)\n"
    cleared = run_refkit("store", "clear", "--store", str(path), env=env)
    assert (cleared.returncode, cleared.stdout, cleared.stderr) == (0, "", f"refkit: removed 0 answers and 0 scanned pages from {path}\n")
    assert not path.parent.exists()


def test_the_default_store_is_in_the_user_cache_folder(tmp_path: Path, env) -> None:
    info = run_refkit("store", "info", env=env)
    assert info.returncode == 0
    assert info.stdout.startswith(f"store: {tmp_path / 'cache' / 'refkit'}{os.sep}")


# --- output that cannot be written -------------------------------------------------------------------


def small_pipe() -> tuple[int, int]:
    """A pipe holding one page: the writer blocks as soon as a few kilobytes wait unread."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    return read_end, write_end


CORPUS_PART = tuple(str(path) for path in sorted(CORPUS.glob("*.md"))[:300])
"""Enough of the corpus for each command to write many times what a small pipe holds."""


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (("scan", str(CORPUS)), 0),
        (("scan", "--format", "csv", *CORPUS_PART), 0),
        # A page skipped before the reader left fails the scan, as it would a whole run.
        (("scan", "{bad}", *CORPUS_PART), 1),
        # The check finds broken DOIs (errors) in these pages: `check | head` must fail as the check does.
        (("check", "--offline", "--store", "{store}", *CORPUS_PART), 1),
        (("export", "--offline", "--store", "{store}", "-o", "-", *CORPUS_PART), 0),
    ],
    ids=["scan", "scan-csv", "scan-skipped-page", "check", "export"],
)
def test_a_reader_that_goes_away_ends_the_run_cleanly(tmp_path: Path, env, args: tuple[str, ...], status: int) -> None:
    """`refkit scan corpus | head -1`: the reader takes one line and leaves while refkit is still
    writing (far more than the pipe holds); refkit stops at once, with no traceback, and with the
    exit status the run would have had."""
    bad = tmp_path / "bad.md"
    bad.write_text('{\n "title": broken\n}\n\ndoi: 10.1000/182\n', encoding="utf-8")
    read_end, write_end = small_pipe()
    process = subprocess.Popen(
        [*REFKIT, *(arg.replace("{store}", str(tmp_path / "s.db")).replace("{bad}", str(bad)) for arg in args)],
        env=env, stdout=write_end, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    os.close(write_end)
    with os.fdopen(read_end) as reader:
        first = reader.readline()
        assert first.strip()
        # Still writing: the pipe is full and refkit waits for the reader.
        assert process.poll() is None
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr and "BrokenPipeError" not in stderr


def test_a_full_disk_on_stdout_is_one_error_line(env) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([*REFKIT, "scan", str(CORPUS)], env=env, stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert result.stderr.splitlines() == ["refkit: error: cannot write the output: No space left on device"]


# --- version and ways of starting refkit ---------------------------------------------------------


def test_version(env) -> None:
    result = run_refkit("--version", env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"refkit, version {__version__}\n", "")


@pytest.mark.parametrize("launcher", ["python -m refkit", "refkit script"])
def test_ctrl_c_while_refkit_starts_is_quiet_and_130(env, launcher: str) -> None:
    """Ctrl-C pressed while Python still loads refkit's modules (here: click) ends the run as one
    pressed later does: exit status 130, no traceback."""
    script = Path(sys.executable).with_name("refkit")
    command = [sys.executable, "-m", "refkit"] if launcher == "python -m refkit" else [str(script)]
    env = dict(env, REFKIT_TESTS_INTERRUPT_IMPORT="click", PYTHONPATH=os.pathsep.join((str(PROCESS_HOOKS), env["PYTHONPATH"])))
    result = subprocess.run([*command, "scan", "-q", "."], env=env, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "")


@pytest.mark.parametrize("launcher", ["python -m refkit", "refkit script"])
def test_python_m_refkit_and_the_installed_script_are_refkit(shared_dir: Path, env, launcher: str) -> None:
    script = Path(sys.executable).with_name("refkit")
    command = [sys.executable, "-m", "refkit"] if launcher == "python -m refkit" else [str(script)]
    version = subprocess.run([*command, "--version"], env=env, capture_output=True, text=True, check=False)
    assert (version.returncode, version.stdout) == (0, f"refkit, version {__version__}\n")
    seeds = shared_dir / "seeds"
    scanned = subprocess.run([*command, "scan", "-q", str(seeds)], env=env, capture_output=True, text=True, check=False)
    assert (scanned.returncode, scanned.stderr) == (0, "")
    assert scanned.stdout == f"{seeds / 'role-of-vitamin-k-in-bones-and-muscles.md'}:36:39: 10.1007/s00223-022-00955-3\n"
    refused(subprocess.run([*command, "scan", "--format", "xml"], env=env, capture_output=True, text=True, check=False), "'--format'")
