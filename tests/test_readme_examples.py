"""The README's examples for `check`, its report formats and `fix` are real output: each is made
again here, by refkit run as a process on the wiki the README describes (the real Crossref record
of 10.1098/rspb.2017.0132 listed with two mistakes, a DOI Crossref does not know, a page that cannot
be read; a real corpus page for `fix`), and must appear in the README as it is."""

from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

import pytest
from conftest import CORPUS, Wiki, recorded_work
from refkit_process import refkit_env, run_refkit

from refkit.model import Resolution
from refkit.store import Store

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text("utf-8")
BEETLES = """
### Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus – Feb 2017

Proc Biol Sci. 2016 May 31;284(1855). [doi: 10.1098/rspb.2017.0132](https://doi.org/10.1098/rspb.2017.0132)

Dougherty LR, van Lieshout E, McNamara KB, Moschilla JA, Arnkvist G, Simmons LW.
"""
SEE_ALSO = "\nSee also [doi: 10.7554/elife.01567x](https://doi.org/10.7554/elife.01567x) for nothing.\n"


@pytest.fixture
def example(tmp_path: Path) -> dict[str, str]:
    """The README's `content/` wiki and a store with the real answers; the environment to run in."""
    wiki = Wiki(tmp_path / "content")
    wiki.page("beetles.md", BEETLES)
    wiki.page("see-also.md", SEE_ALSO)
    wiki.page("broken.md", b'{\n  "title": "broken",\n  "tags": [1, 2\n}\nText.\n')
    work = recorded_work("10.1098_rspb.2017.0132")
    with Store(tmp_path / "store.sqlite3") as store:
        store.put_many([Resolution(work.doi, "found", agency="crossref", work=work), Resolution("10.7554/elife.01567x", "not_found")])
    return refkit_env(tmp_path, store=str(tmp_path / "store.sqlite3"), offline="1")


def code_blocks(language: str = "") -> list[str]:
    """The README's fenced code blocks in `language` (no language: plain ones)."""
    blocks, current, inside = [], [], None
    for line in README.splitlines(keepends=True):
        if line.startswith("```"):
            if inside is None:
                inside, current = line[3:].strip(), []
            else:
                if inside == language:
                    blocks.append("".join(current))
                inside = None
        elif inside is not None:
            current.append(line)
    return blocks


def test_the_check_text_example(example: dict[str, str], tmp_path: Path) -> None:
    result = run_refkit("check", "content", "--base-url", "https://wiki.example", env=example, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout in code_blocks()
    [skipped] = result.stderr.splitlines()[:1]
    assert f"`{skipped}`" in " ".join(README.split())  # the README wraps it over two lines


def test_the_github_and_markdown_examples(example: dict[str, str], tmp_path: Path) -> None:
    github = run_refkit("check", "content", "--base-url", "https://wiki.example", "--format", "github", env=example, cwd=tmp_path)
    assert github.stdout in code_blocks()
    markdown = run_refkit("check", "content", "--base-url", "https://wiki.example", "--format", "markdown", env=example, cwd=tmp_path).stdout
    shown = code_blocks("markdown")
    assert len(shown) == 2 and all(block in markdown for block in shown)


def test_the_json_example(example: dict[str, str], tmp_path: Path) -> None:
    import json

    [finding, _authors] = json.loads(run_refkit("check", "content/beetles.md", "--format", "json", env=example, cwd=tmp_path).stdout)
    [shown] = [json.loads(block) for block in code_blocks("json") if '"year-mismatch"' in block]
    assert shown == finding


def test_the_baseline_summary_example(example: dict[str, str], tmp_path: Path) -> None:
    run_refkit("check", "content", "--write-baseline", "base.json", env=example, cwd=tmp_path)
    held = run_refkit("check", "content", "--baseline", "base.json", env=example, cwd=tmp_path)
    assert held.returncode == 0
    assert "(`…, 1 skipped; 4 known findings held back by the baseline)`)" in README
    assert held.stdout.strip().endswith("1 skipped; 4 known findings held back by the baseline)")


def test_the_fix_example(tmp_path: Path) -> None:
    (tmp_path / "wiki").mkdir()
    shutil.copyfile(CORPUS / "sjogrens-syndrome-2nd-most-common-rheumatic-disease-and-vitamin-d-many-studies.md", tmp_path / "wiki" / "sjogrens.md")
    env = refkit_env(tmp_path, store=str(tmp_path / "store.sqlite3"), offline="1")
    shown = run_refkit("fix", "wiki", env=env, cwd=tmp_path)
    assert shown.returncode == 1 and shown.stdout in code_blocks("diff")
    assert " ".join(shown.stderr.split()) in " ".join(README.split())
    written = run_refkit("fix", "wiki", "--write", env=env, cwd=tmp_path)
    assert f"`{written.stdout.strip()}`" in README


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_first_command_exports_the_seeds_and_degrades_to_one_warning_without_a_network(tmp_path: Path) -> None:
    first = code_blocks("sh")[0].splitlines()[0]
    assert first.endswith("&& .venv/bin/refkit export seeds/ -o -")
    nowhere = f"http://127.0.0.1:{closed_port()}"
    result = run_refkit(
        "export", str(REPO / "seeds"), "-o", "-", env=refkit_env(tmp_path, crossref_url=nowhere, doi_url=nowhere), timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("@article{alonso2022role,") and "{Not verified against Crossref}" in result.stdout
    warning, summary = result.stderr.splitlines()
    assert warning.startswith("refkit: warning: no network:")
    assert summary == "refkit: 1 entry (1 unverified), 0 left out, written to stdout"


def test_the_fix_repair_example(crossref_server, tmp_path: Path) -> None:
    """The loopback Crossref replays the real record of 10.1098/rspb.2017.0132."""
    title = "Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus"
    Wiki(tmp_path / "wiki").page("cut.md", f"\n### {title}\n\nProc Biol Sci. 2017 May 31;284(1855). doi: 10.1098/ rspb.2017.0132.\n")
    env = refkit_env(tmp_path, crossref_url=crossref_server.crossref_url, doi_url=crossref_server.doi_url, mailto="t@example.org", store=str(tmp_path / "store.sqlite3"))
    shown = run_refkit("fix", "wiki", env=env, cwd=tmp_path)
    assert shown.returncode == 1 and shown.stdout in code_blocks("diff")
    assert f"`{shown.stderr.strip()}`" in " ".join(README.split())


def test_the_scan_example_is_real_output(tmp_path: Path) -> None:
    """The README abbreviates the author list after the first author with `...`; the rest is as printed."""
    done = run_refkit("scan", "--format", "jsonl", "seeds/", env=refkit_env(tmp_path), cwd=REPO)
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    shown = re.sub(r'(\{"given": "N\.", "family": "Alonso"\}), \{.*?\}\]', r"\1, ...]", line)
    assert f"$ refkit scan --format jsonl seeds/\n{shown}\n" in README
