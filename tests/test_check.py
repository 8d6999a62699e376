"""`refkit check` end to end, in-process through click's CliRunner (catch_exceptions=False, so a
crash fails the test) and, for the exit status and the output file, as its own process: a store
prefilled with real recorded Crossref answers (no network: every run is --offline), exit statuses,
formats on stdout and in files, configuration, --changed-since in a temporary git repository, and
baselines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import Wiki, recorded_work
from refkit_process import refkit_env, run_refkit

from refkit.cli import main
from refkit.model import Resolution
from refkit.store import Store

BEETLES = """
### Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus – Feb 2017

Proc Biol Sci. 2017 May 31;284(1855). [doi: 10.1098/rspb.2017.0132](https://doi.org/10.1098/rspb.2017.0132)

Dougherty LR, van Lieshout E, McNamara KB, Moschilla JA, Arnqvist G, Simmons LW.
"""
MISSPELLED_BEETLES = BEETLES.replace("Arnqvist G", "Arnkvist G")
NOT_FOUND = "\nSee also [doi: 10.7554/elife.01567x](https://doi.org/10.7554/elife.01567x) for nothing.\n"
CORRECTED = """
### Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia of Mice

PLoS One. 2012;7(3):e33693. [doi: 10.1371/journal.pone.0033693](https://doi.org/10.1371/journal.pone.0033693)
"""


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store holding real recorded answers: two works found, one DOI Crossref does not know."""
    path = tmp_path / "store.sqlite3"
    works = [recorded_work("10.1098_rspb.2017.0132"), recorded_work("10.1371_journal.pone.0033693")]
    with Store(path) as opened:
        opened.put_many(
            [Resolution(work.doi, "found", agency="crossref", work=work) for work in works]
            + [Resolution("10.7554/elife.01567x", "not_found")]
        )
    return path


def check_in(store: Path, *arguments: str) -> Result:
    """`refkit check --offline` in-process: a crash raises here (catch_exceptions=False), so it
    cannot pass for an exit status. What users see of the process is in test_cli_process.py."""
    return CliRunner().invoke(main, ["check", *arguments, "--offline", "--store", str(store)], catch_exceptions=False)


def run(wiki: Wiki, store: Path, *arguments: str) -> Result:
    return check_in(store, str(wiki.root), *arguments)


def findings_of(result: Result) -> list[dict[str, object]]:
    return json.loads(result.stdout)


def test_clean_page_exits_0(wiki: Wiki, store: Path) -> None:
    wiki.page("beetles.md", BEETLES)
    result = run(wiki, store, "--format", "json")
    assert result.exit_code == 0, result.output
    assert findings_of(result) == []


def test_warning_exits_0_by_default_and_1_with_fail_on_warning(wiki: Wiki, store: Path) -> None:
    wiki.page("beetles.md", MISSPELLED_BEETLES)
    result = run(wiki, store, "--format", "json")
    assert result.exit_code == 0
    [finding] = findings_of(result)
    assert finding["rule"] == "authors-mismatch" and finding["line"] == 9  # the author line
    assert finding["details"]["misspelled"] == [{"found": "G. Arnkvist", "expected": "Göran Arnqvist"}]  # type: ignore[index]
    assert run(wiki, store, "--fail-on", "warning").exit_code == 1


def test_error_exits_1_unless_fail_on_never(wiki: Wiki, store: Path) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    result = run(wiki, store)
    assert result.exit_code == 1
    assert "see-also.md:5:11:" in result.stdout and "error doi-not-found:" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("1 error, 0 warnings, 0 info in 1 page")
    assert run(wiki, store, "--fail-on", "never").exit_code == 0


def test_unknown_doi_offline_is_unverified_info(wiki: Wiki, store: Path) -> None:
    wiki.page("other.md", "\n[doi: 10.1093/aje/kwu059](https://doi.org/10.1093/aje/kwu059)\n")
    result = run(wiki, store, "--format", "json", "--fail-on", "warning")
    assert result.exit_code == 0
    [finding] = findings_of(result)
    assert (finding["rule"], finding["severity"]) == ("doi-unverified", "info")
    assert finding["details"] == {"status": "unresolved", "reason": "offline"}


def test_json_stdout_holds_only_json_and_summary_goes_to_stderr(wiki: Wiki, store: Path) -> None:
    wiki.page("corrected.md", CORRECTED)
    result = run(wiki, store, "--format", "json")
    assert [f["rule"] for f in findings_of(result)] == ["doi-corrected"]
    assert "0 errors, 1 warning" in result.stderr


@pytest.mark.parametrize(("report_format", "start"), [("sarif", "{"), ("junit", "<?xml"), ("github", "::error ")])
def test_other_formats_and_output_file(wiki: Wiki, store: Path, tmp_path: Path, report_format: str, start: str) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    target = tmp_path / "out" / f"report.{report_format}"
    result = run(wiki, store, "--format", report_format, "-o", str(target))
    assert result.exit_code == 1 and result.stdout == ""
    assert target.read_text("utf-8").startswith(start)


def test_rules_from_config_change_severity(wiki: Wiki, store: Path) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    config = wiki.root / "refkit.toml"
    config.write_text('[rules]\n"doi-not-found" = "warning"\n', "utf-8")
    result = run(wiki, store, "--config", str(config), "--format", "json")
    assert result.exit_code == 0 and findings_of(result)[0]["severity"] == "warning"


# --- the exit status and the output file, as the process gives them ---------------------------------


def check_process(wiki: Wiki, store: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    result = run_refkit("check", str(wiki.root), "--offline", "--store", str(store), *arguments, env=refkit_env(wiki.root.parent))
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_fail_on_sets_the_exit_status_of_the_process(wiki: Wiki, store: Path) -> None:
    wiki.page("beetles.md", MISSPELLED_BEETLES)  # a warning
    warned = check_process(wiki, store)
    assert warned.returncode == 0 and "warning authors-mismatch:" in warned.stdout
    assert check_process(wiki, store, "--fail-on", "warning").returncode == 1
    wiki.page("see-also.md", NOT_FOUND)  # and an error
    failed = check_process(wiki, store)
    assert failed.returncode == 1 and "error doi-not-found:" in failed.stdout
    assert check_process(wiki, store, "--fail-on", "never").returncode == 0


def test_output_file_is_written_and_stdout_stays_empty(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    report = tmp_path / "reports" / "refkit.sarif"
    result = check_process(wiki, store, "--format", "sarif", "-o", str(report))
    assert (result.returncode, result.stdout) == (1, "")
    summary = result.stderr.splitlines()[-1]
    assert summary.startswith("refkit: ") and "1 error" in summary
    [run_] = json.loads(report.read_text("utf-8"))["runs"]
    assert [item["ruleId"] for item in run_["results"]] == ["doi-not-found"]
    assert os.listdir(report.parent) == [report.name]  # no temporary file left beside it


# --- baselines --------------------------------------------------------------------------------


def test_baseline_round_trip_survives_edits_above_and_lets_new_problems_through(
    wiki: Wiki, store: Path, tmp_path: Path
) -> None:
    page = wiki.page("see-also.md", NOT_FOUND)
    baseline = tmp_path / "refkit-baseline.json"
    recorded = run(wiki, store, "--write-baseline", str(baseline))
    assert recorded.exit_code == 0  # writing a baseline adopts this run's findings (they are still reported)
    assert "doi-not-found" in recorded.stdout
    entries = json.loads(baseline.read_text("utf-8"))["findings"]
    assert [(e["rule"], e["doi"]) for e in entries] == [("doi-not-found", "10.7554/elife.01567x")]

    assert run(wiki, store, "--baseline", str(baseline)).exit_code == 0

    page.write_text(page.read_text("utf-8").replace("\nSee also", "\nA new paragraph.\n\nMore.\n\nSee also"), "utf-8")
    moved = run(wiki, store, "--baseline", str(baseline), "--format", "json")
    assert moved.exit_code == 0 and findings_of(moved) == []

    wiki.page("beetles.md", MISSPELLED_BEETLES + NOT_FOUND)  # the same DOI on another page is new
    fresh = run(wiki, store, "--baseline", str(baseline), "--format", "json")
    assert sorted((f["file"].rsplit("/", 1)[-1], f["rule"]) for f in findings_of(fresh)) == [  # type: ignore[union-attr]
        ("beetles.md", "authors-mismatch"),
        ("beetles.md", "doi-not-found"),
    ]


# --- --changed-since --------------------------------------------------------------------------


def git(folder: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *arguments],
        cwd=folder, check=True, capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_checks_only_changed_and_untracked_pages(
    wiki: Wiki, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wiki.page("old-problem.md", NOT_FOUND)
    wiki.page("edited.md", BEETLES)
    wiki.page("gone.md", CORRECTED)
    git(wiki.root, "init", "-q")
    git(wiki.root, "add", ".")
    git(wiki.root, "commit", "-q", "-m", "start")
    wiki.page("edited.md", MISSPELLED_BEETLES)  # changed, not committed
    wiki.page("new.md", CORRECTED)  # untracked
    (wiki.root / "gone.md").unlink()  # deleted: nothing to check
    monkeypatch.chdir(wiki.root)
    result = check_in(store, ".", "--changed-since", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    assert sorted((f["file"], f["rule"]) for f in findings_of(result)) == [
        ("edited.md", "authors-mismatch"),
        ("new.md", "doi-corrected"),
    ]
    single = check_in(store, "edited.md", "--changed-since", "HEAD")
    assert "in 1 page" in single.stdout


# --- the pre-commit hook and the GitHub Action ------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def test_pre_commit_hook_runs_refkit_check_on_markdown() -> None:
    import yaml

    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert (hook["id"], hook["entry"], hook["language"], hook["types"]) == (
        "refkit-check", "refkit check", "python", ["markdown"]
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_action_script_runs_refkit_with_its_inputs(wiki: Wiki, store: Path) -> None:
    import sys

    import yaml

    action = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    [script] = [step["run"] for step in action["runs"]["steps"] if step.get("name") == "refkit check"]
    wiki.page("see-also.md", NOT_FOUND)
    wiki.page("beetles.md", MISSPELLED_BEETLES)
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFKIT_OFFLINE": "1",
        "REFKIT_STORE": str(store),
        "INPUT_PATHS": f"{wiki.root / 'see-also.md'} {wiki.root / 'beetles.md'}",
        "INPUT_FAIL_ON": "error",
        "INPUT_CHANGED_SINCE": "",
        "INPUT_BASELINE": "",
    }
    done = subprocess.run(["bash", "-c", script], env=environment, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    commands = [line.split(" ", 1)[0] for line in done.stdout.splitlines() if line.startswith("::")]
    assert sorted(commands) == ["::error", "::warning"]
    environment["INPUT_FAIL_ON"] = "never"
    assert subprocess.run(["bash", "-c", script], env=environment, capture_output=True, check=False).returncode == 0
