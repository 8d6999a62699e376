"""Hostile and broken input, through refkit run as its own process: every page is read or skipped
with one line naming the file (and line), the exit status says so, and nothing ends in a traceback.
The pages are generated (tests/hostile.py); Crossref records with hostile text are synthetic."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hostile import LONG_LINE_DOIS, HostilePage, hostile_pages
from refkit_process import refkit_env, run_refkit

from refkit.model import Page
from refkit.scan import scan_page


@pytest.fixture(scope="module")
def hostile_wiki(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[HostilePage]]:
    root = tmp_path_factory.mktemp("hostile") / "wiki"
    root.mkdir()
    return root, hostile_pages(root)


def test_a_line_of_thousands_of_dois_is_scanned_in_linear_time() -> None:
    """Each DOI's listing used to re-read its whole line: 3,000 DOIs on one line took ~20 s."""
    synthetic_dois = [f"10.5555/synthetic.{number}" for number in range(3000)]
    body = "Above.\n" + " ".join(f"see {doi}" for doi in synthetic_dois) + "\n"
    page = Page(file="a.md", url="/a/", title=None, slug=None, date=None, tags=(), categories=(), body=body, body_line=4)
    started = time.monotonic()
    citations = scan_page(page)
    assert time.monotonic() - started < 1.5
    assert [citation.doi for citation in citations] == synthetic_dois
    assert {citation.line for citation in citations} == {5}
    assert [citation.column for citation in citations[:2]] == [5, 5 + len(f"see {synthetic_dois[0]} ")]


def _skip_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("refkit: skipped ")]


def _assert_every_page_accounted_for(root: Path, expected: list[HostilePage], stderr: str) -> None:
    assert "Traceback" not in stderr
    skips = _skip_lines(stderr)
    for page in expected:
        where = f"{root / page.name}:{page.line}" if page.line else str(root / page.name)
        mine = [line for line in skips if line.startswith(f"refkit: skipped {where}: ")]
        if page.skipped is None:
            assert not [line for line in skips if f"{root / page.name}:" in line or line.endswith(str(root / page.name))]
        else:
            assert len(mine) == 1 and page.skipped in mine[0], (page, skips)
    assert len(skips) == sum(page.skipped is not None for page in expected)


def _expected_dois(root: Path, expected: list[HostilePage]) -> set[tuple[str, str]]:
    return {(str(root / page.name), doi) for page in expected for doi in page.dois}


def test_scan_reads_or_skips_every_hostile_page(hostile_wiki, tmp_path) -> None:
    root, expected = hostile_wiki
    started = time.monotonic()
    result = run_refkit("scan", "--format", "jsonl", str(root), env=refkit_env(tmp_path))
    assert time.monotonic() - started < 15
    _assert_every_page_accounted_for(root, expected, result.stderr)
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(record["file"], record["doi"]) for record in records} == _expected_dois(root, expected)
    assert all(record["kind"] == "doi" for record in records)
    long_line = [record for record in records if record["file"].endswith("one-long-line.md")]
    assert len(long_line) == LONG_LINE_DOIS and {record["line"] for record in long_line} == {4}
    skipped = sum(page.skipped is not None for page in expected)
    assert result.stderr.splitlines()[-1] == f"refkit: {len(expected) - skipped} pages, {len(records)} DOIs, 0 broken, {skipped} skipped"


def test_check_offline_reads_or_skips_every_hostile_page(hostile_wiki, tmp_path) -> None:
    root, expected = hostile_wiki
    store = tmp_path / "store.sqlite3"
    result = run_refkit("check", "--offline", "--store", str(store), "--format", "json", str(root), env=refkit_env(tmp_path))
    _assert_every_page_accounted_for(root, expected, result.stderr)
    assert result.returncode == 1  # pages went unchecked
    findings = json.loads(result.stdout)
    assert {(finding["file"], finding["doi"]) for finding in findings} == _expected_dois(root, expected)
    assert {finding["rule"] for finding in findings} == {"doi-unverified"}


def test_export_offline_reads_or_skips_every_hostile_page(hostile_wiki, tmp_path) -> None:
    root, expected = hostile_wiki
    output = tmp_path / "out" / "bibliography.json"
    result = run_refkit(
        "export", "--offline", "--store", str(tmp_path / "store.sqlite3"), "--format", "csljson", "-o", str(output), str(root),
        env=refkit_env(tmp_path),
    )  # fmt: skip
    _assert_every_page_accounted_for(root, expected, result.stderr)
    assert result.returncode == 1  # written, but some page was skipped
    items = json.loads(output.read_text("utf-8"))
    assert {item["DOI"] for item in items} == {doi for _, doi in _expected_dois(root, expected)}
    assert all(item["note"].startswith("Not verified") for item in items)
    assert os.listdir(output.parent) == ["bibliography.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 000 does not stop root from reading a file")
def test_an_unreadable_page_is_skipped_with_its_reason(wiki, tmp_path) -> None:
    wiki.page("readable.md", "See 10.5555/synthetic.readable\n")
    unreadable = wiki.page("unreadable.md", "See 10.5555/synthetic.unreadable\n")
    unreadable.chmod(0)
    try:
        result = run_refkit("scan", str(wiki.root), env=refkit_env(tmp_path))
    finally:
        unreadable.chmod(0o644)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"refkit: skipped {unreadable}: cannot read: Permission denied" in result.stderr.splitlines()
    assert "10.5555/synthetic.readable" in result.stdout


def test_a_file_name_that_is_not_utf8_is_skipped_not_a_crash(tmp_path) -> None:
    """Such a name used to reach the export as a surrogate and end the run in a UnicodeEncodeError."""
    root = tmp_path / "wiki"
    root.mkdir()
    (root / "readable.md").write_text("See 10.5555/synthetic.readable\n", encoding="utf-8")
    (root / os.fsdecode(b"caf\xe9.md")).write_bytes(b"See 10.5555/synthetic.latin1-name\n")
    env = {**refkit_env(tmp_path), "PYTHONIOENCODING": "utf-8"}
    output = tmp_path / "out.bib"
    for args in (("scan",), ("export", "--offline", "--store", str(tmp_path / "s.db"), "-o", str(output))):
        result = run_refkit(*args, str(root), env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"refkit: skipped {root}/caf\\xe9.md: file name is not UTF-8; rename the page" in result.stderr.splitlines()
    assert "10.5555/synthetic.readable" in output.read_text("utf-8")
    assert "latin1-name" not in output.read_text("utf-8")
