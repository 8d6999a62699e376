"""The GitHub Action (action.yml): its check step's script run as the runner runs it (`bash
--noprofile --norc -eo pipefail`), with its inputs in the environment and a job-summary file, and
its steps and inputs as GitHub reads them. Crossref answers are the real recordings in a store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Wiki, recorded_work

from refkit.model import Resolution
from refkit.store import Store

REPO = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
NOT_FOUND = "\nSee also [doi: 10.7554/elife.01567x](https://doi.org/10.7554/elife.01567x) for nothing.\n"
MISSPELLED = """
### Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus – Feb 2017

Proc Biol Sci. 2017 May 31;284(1855). [doi: 10.1098/rspb.2017.0132](https://doi.org/10.1098/rspb.2017.0132)

Dougherty LR, van Lieshout E, McNamara KB, Moschilla JA, Arnkvist G, Simmons LW.
"""

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def step(name: str) -> dict[str, Any]:
    [found] = [step for step in ACTION["runs"]["steps"] if step.get("name") == name]
    return found  # type: ignore[no-any-return]


@pytest.fixture
def runner(wiki: Wiki, tmp_path: Path) -> dict[str, str]:
    """The environment the runner gives the check step: inputs (at their defaults), the job
    summary file with an earlier step's text in it, refkit on PATH, offline with a store."""
    store = tmp_path / "store.sqlite3"
    work = recorded_work("10.1098_rspb.2017.0132")
    with Store(store) as opened:
        opened.put_many([Resolution(work.doi, "found", agency="crossref", work=work), Resolution("10.7554/elife.01567x", "not_found")])
    wiki.page("see-also.md", NOT_FOUND)
    wiki.page("beetles.md", MISSPELLED)
    summary = tmp_path / "step_summary.md"
    summary.write_text("An earlier step's summary.\n", "utf-8")
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("REFKIT_", "INPUT_"))}
    environment.update({f"INPUT_{name.upper().replace('-', '_')}": value for name, value in inputs.items()})
    environment.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONPATH=str(REPO),
        REFKIT_OFFLINE="1",
        REFKIT_STORE=str(store),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        GITHUB_STEP_SUMMARY=str(summary),
        INPUT_PATHS=str(wiki.root),
    )
    return environment


def run_step(environment: dict[str, str], cwd: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    script = cwd / "check-step.sh"
    script.write_text(step("refkit check")["run"], "utf-8")
    environment = {**environment, **{f"INPUT_{name.upper()}": value for name, value in inputs.items()}}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], env=environment, cwd=cwd, capture_output=True, text=True, check=False
    )


def test_the_step_annotates_and_appends_the_markdown_report_to_the_job_summary(runner: dict[str, str], tmp_path: Path) -> None:
    done = run_step(runner, tmp_path)
    assert done.returncode == 1, done.stderr  # doi-not-found is an error
    commands = sorted(line.split(" ", 1)[0] for line in done.stdout.splitlines() if line.startswith("::"))
    assert commands == ["::error", "::warning"]
    summary = Path(runner["GITHUB_STEP_SUMMARY"]).read_text("utf-8")
    assert summary.startswith("An earlier step's summary.\n## refkit check\n")
    assert summary.count("<details>") == 2 and "`authors-mismatch`" in summary and "`doi-not-found`" in summary
    assert "Suggested authors: Liam R. Dougherty" in summary


def test_the_job_summary_can_be_turned_off_and_a_sarif_file_written(runner: dict[str, str], tmp_path: Path) -> None:
    done = run_step(runner, tmp_path, job_summary="false", sarif_file="reports/refkit.sarif", fail_on="never")
    assert done.returncode == 0, done.stderr
    assert Path(runner["GITHUB_STEP_SUMMARY"]).read_text("utf-8") == "An earlier step's summary.\n"
    log = json.loads((tmp_path / "reports" / "refkit.sarif").read_text("utf-8"))
    assert sorted(result["ruleId"] for result in log["runs"][0]["results"]) == ["authors-mismatch", "doi-not-found"]


def test_a_configuration_error_fails_the_step_and_writes_no_report(runner: dict[str, str], tmp_path: Path) -> None:
    done = run_step(runner, tmp_path, baseline="no-such-baseline.json", sarif_file="refkit.sarif")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("refkit: error: no-such-baseline.json: cannot read the baseline")
    assert Path(runner["GITHUB_STEP_SUMMARY"]).read_text("utf-8") == "An earlier step's summary.\n"
    assert not (tmp_path / "refkit.sarif").exists()


def test_every_input_reaches_the_script_and_the_sarif_upload_is_wired() -> None:
    check_step = step("refkit check")
    passed = {value.removeprefix("${{ inputs.").removesuffix(" }}") for value in check_step["env"].values()}
    assert passed | {"python-version", "upload-sarif"} == set(ACTION["inputs"])
    upload = step("Upload the SARIF report")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    # Also after the check step failed (findings): that is when the upload matters most.
    assert upload["if"].startswith("${{ always() &&") and "inputs.upload-sarif == 'true'" in upload["if"]
    readme = (REPO / "README.md").read_text("utf-8")
    assert all(f"`{name}`" in readme for name in ACTION["inputs"])
    assert "### Checking a wiki in CI" in readme
