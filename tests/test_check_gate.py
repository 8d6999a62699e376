"""`refkit check` as a CI gate, run as its own process: what must never happen (a traceback, a
wrong path passing, a failure nobody can see, a baseline that depends on the working folder),
Ctrl-C, quiet runs, colour, third-party report formats, and the command line's own manners.

Crossref answers are the real recordings (a store filled from them, or the loopback server
replaying them); the works 10.5555/synthetic.* are synthetic, for load, and named so."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import Wiki, recorded_work
from crossref_server import LoopbackCrossref, synthetic_work_message
from refkit_process import REFKIT, refkit_env, run_refkit

from refkit.model import Resolution
from refkit.store import Store

BEETLES = """
### Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus – Feb 2017

Proc Biol Sci. 2017 May 31;284(1855). [doi: 10.1098/rspb.2017.0132](https://doi.org/10.1098/rspb.2017.0132)

Dougherty LR, van Lieshout E, McNamara KB, Moschilla JA, Arnkvist G, Simmons LW.
"""
NOT_FOUND = "\nSee also [doi: 10.7554/elife.01567x](https://doi.org/10.7554/elife.01567x) for nothing.\n"
FORMATS = ("text", "json", "github", "junit", "sarif", "markdown", "html")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """Real recorded answers: one work found, one DOI Crossref does not know."""
    path = tmp_path / "store.sqlite3"
    work = recorded_work("10.1098_rspb.2017.0132")
    with Store(path) as opened:
        opened.put_many([Resolution(work.doi, "found", agency="crossref", work=work), Resolution("10.7554/elife.01567x", "not_found")])
    return path


def check(tmp_path: Path, store: Path, *arguments: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return run_refkit("check", "--offline", "--store", str(store), *arguments, env={**refkit_env(tmp_path), **env}, cwd=cwd)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a usage or configuration error leaves: exit 2, no traceback, nothing on stdout."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("refkit: error: ")
    return line


# --- output that cannot be written ----------------------------------------------------------------


@pytest.mark.parametrize("report_format", FORMATS)
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(wiki: Wiki, store: Path, tmp_path: Path, report_format: str) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    # /sys refuses new files even to root; a path under a file is refused to everyone.
    not_a_folder = wiki.root / "see-also.md" / "report.txt"
    for target in ("/sys/refkit-report.txt", str(not_a_folder)):
        line = one_error_line(check(tmp_path, store, str(wiki.root), "--format", report_format, "-o", target))
        assert line.startswith(f"refkit: error: --output {target}: cannot write: ")


def test_the_previous_report_stays_when_the_run_fails(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    report = tmp_path / "report.json"
    report.write_text("the previous report\n", "utf-8")
    one_error_line(check(tmp_path, store, str(wiki.root), "--format", "json", "-o", str(report), "--permalink", "/:nope/"))
    assert report.read_text("utf-8") == "the previous report\n"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".report")] == []


# --- settings checked up front, naming where they came from ---------------------------------------


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (("--crossref-url", "http://127.0.0.1:abc"), "--crossref-url: expected an http(s) URL, got 'http://127.0.0.1:abc'"),
        (("--crossref-url", "http://[::1"), "--crossref-url: expected an http(s) URL, got 'http://[::1'"),
        (("--doi-url", "doi.org"), "--doi-url: expected an http(s) URL with a host, got 'doi.org'"),
        (("--base-url", "not a url"), "--base-url: expected an http(s) URL with a host, got 'not a url'"),
        (("--permalink", "/p/:nope/"), "--permalink: unknown permalink token ':nope' in '/p/:nope/'"),
        (("--concurrency", "0"), "--concurrency: expected a whole number >= 1, got '0'"),
        (("--concurrency", "many"), "--concurrency: expected a whole number, got 'many'"),
        (("--timeout", "soon"), "--timeout: expected a number, got 'soon'"),
    ],
)
def test_a_bad_option_is_one_line_naming_the_option(wiki: Wiki, store: Path, tmp_path: Path, arguments: tuple[str, str], named: str) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    for command in ("check", "resolve", "export"):
        result = run_refkit(command, str(wiki.root), "--offline", "--store", str(store), *arguments, env=refkit_env(tmp_path))
        assert one_error_line(result).startswith(f"refkit: error: {named}")
    if arguments[0] in ("--base-url", "--permalink"):
        assert one_error_line(run_refkit("scan", str(wiki.root), *arguments, env=refkit_env(tmp_path))).startswith(f"refkit: error: {named}")


def test_a_bad_setting_names_the_variable_or_the_config_key(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    line = one_error_line(check(tmp_path, store, str(wiki.root), REFKIT_CROSSREF_URL="http://127.0.0.1:abc"))
    assert line.startswith("refkit: error: REFKIT_CROSSREF_URL: expected an http(s) URL")
    config = wiki.root / "refkit.toml"
    config.write_text('permalink = "/:year/:nope/"\n', "utf-8")
    line = one_error_line(check(tmp_path, store, str(wiki.root), "--config", str(config)))
    assert line.startswith(f"refkit: error: {config}: config key 'permalink': unknown permalink token ':nope'")


# --- unreadable pages in every format -------------------------------------------------------------

UNREADABLE = '{\n  "title": "broken",\n  "tags": [1, 2\n}\nText citing https://doi.org/10.1098/rspb.2017.0132\n'


def test_an_unreadable_page_is_in_every_format_under_its_rule(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    wiki.page("beetles.md", BEETLES.replace("Arnkvist", "Arnqvist"))
    wiki.page("broken.md", UNREADABLE, front="")
    broken = str(wiki.root / "broken.md")
    reports = {}
    for report_format in FORMATS:
        result = check(tmp_path, store, str(wiki.root), "--format", report_format)
        assert result.returncode == 1, (report_format, result.stderr)
        assert f"refkit: skipped {broken}:4: invalid JSON front matter" in result.stderr
        reports[report_format] = result.stdout
    suite = ET.fromstring(reports["junit"]).find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("2", "1")
    [failure] = suite.findall(f"testcase[@name='{broken}']/failure")
    assert failure.get("type") == "page-unreadable"
    [result] = json.loads(reports["sarif"])["runs"][0]["results"]
    assert (result["ruleId"], result["level"], result["locations"][0]["physicalLocation"]["region"]["startLine"]) == ("page-unreadable", "error", 4)
    [entry] = json.loads(reports["json"])
    assert (entry["rule"], entry["file"], entry["line"]) == ("page-unreadable", broken, 4)
    assert entry["details"]["reason"].startswith("invalid JSON front matter")
    assert f"::error file={broken},line=4,col=1,title=refkit page-unreadable::" in reports["github"]
    assert "page-unreadable" in reports["text"] and "page-unreadable" in reports["markdown"] and 'data-rule="page-unreadable"' in reports["html"]


def test_an_unreadable_page_can_be_made_a_warning(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    wiki.page("broken.md", UNREADABLE, front="")
    (wiki.root / "refkit.toml").write_text('[rules]\n"page-unreadable" = "warning"\n', "utf-8")
    result = check(tmp_path, store, str(wiki.root), "--format", "json", cwd=wiki.root)
    assert result.returncode == 0 and json.loads(result.stdout)[0]["severity"] == "warning"


# --- baselines hold however the paths are given ---------------------------------------------------


def git(folder: Path, *arguments: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *arguments], cwd=folder, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository holding a wiki under content/, with known problems on two pages."""
    root = tmp_path / "site"
    content = root / "content"
    Wiki(content).page("beetles.md", BEETLES)
    Wiki(content).page("posts/see-also.md", NOT_FOUND)
    git(root, "init", "-q")
    return root


def findings_of(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_baseline_matches_however_the_paths_are_given(repository: Path, store: Path, tmp_path: Path) -> None:
    written = check(tmp_path, store, "content", "--write-baseline", "base.json", "--format", "json", cwd=repository)
    assert written.returncode == 0, written.stderr  # writing a baseline adopts the findings
    assert len(findings_of(written)) == 2 and "refkit: wrote 2 known findings to base.json" in written.stderr
    entries = json.loads((repository / "base.json").read_text("utf-8"))["findings"]
    assert sorted(entry["file"] for entry in entries) == ["content/beetles.md", "content/posts/see-also.md"]
    content = repository / "content"
    runs = {
        "from the content folder": check(tmp_path, store, ".", "--baseline", "../base.json", "--format", "json", cwd=content),
        "absolute paths": check(tmp_path, store, str(content), "--baseline", str(repository / "base.json"), "--format", "json", cwd=tmp_path),
        "one page, from a sub-folder": check(tmp_path, store, "../beetles.md", "--baseline", "../../base.json", "--format", "json", cwd=content / "posts"),
        "the root": check(tmp_path, store, "content", "--baseline", "base.json", "--format", "json", cwd=repository),
    }
    for how, result in runs.items():
        assert findings_of(result) == [], how
        assert result.returncode == 0
    assert "2 known findings held back by the baseline" in runs["the root"].stderr
    assert "1 known finding held back by the baseline" in runs["one page, from a sub-folder"].stderr


def test_writing_a_baseline_drops_what_no_longer_occurs_and_keeps_pages_not_checked(repository: Path, store: Path, tmp_path: Path) -> None:
    check(tmp_path, store, "content", "--write-baseline", "base.json", cwd=repository)
    Wiki(repository / "content").page("beetles.md", BEETLES.replace("Arnkvist", "Arnqvist"))  # fixed
    Wiki(repository / "content").page("posts/new.md", NOT_FOUND)
    # Only posts/ is checked: beetles.md's entry stays (not checked); posts/new.md's finding is added.
    check(tmp_path, store, "content/posts", "--write-baseline", "base.json", cwd=repository)
    files = sorted(entry["file"] for entry in json.loads((repository / "base.json").read_text("utf-8"))["findings"])
    assert files == ["content/beetles.md", "content/posts/new.md", "content/posts/see-also.md"]
    # Everything checked: beetles.md no longer has the finding, so its entry goes.
    result = check(tmp_path, store, "content", "--write-baseline", "base.json", cwd=repository)
    assert result.returncode == 0
    files = sorted(entry["file"] for entry in json.loads((repository / "base.json").read_text("utf-8"))["findings"])
    assert files == ["content/posts/new.md", "content/posts/see-also.md"]


def test_outside_git_the_baseline_is_relative_to_the_config_file(tmp_path: Path, store: Path) -> None:
    wiki = Wiki(tmp_path / "wiki")
    wiki.page("a/see-also.md", NOT_FOUND)
    config = wiki.root / "refkit.toml"
    config.write_text("", "utf-8")
    elsewhere = tmp_path / "baselines"
    elsewhere.mkdir()
    baseline = elsewhere / "base.json"
    check(tmp_path, store, "wiki/a", "--config", str(config), "--write-baseline", str(baseline), cwd=tmp_path)
    assert [entry["file"] for entry in json.loads(baseline.read_text("utf-8"))["findings"]] == ["a/see-also.md"]
    result = check(tmp_path, store, ".", "--config", str(config), "--baseline", str(baseline), "--format", "json", cwd=wiki.root / "a")
    assert findings_of(result) == []


def test_a_version_1_baseline_is_still_read(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    page = wiki.page("see-also.md", NOT_FOUND)
    check(tmp_path, store, str(page), "--write-baseline", str(tmp_path / "base.json"))
    data = json.loads((tmp_path / "base.json").read_text("utf-8"))
    data["version"] = 1
    data["findings"][0]["file"] = "wiki/see-also.md"  # as version 1 wrote it: the path as given, from tmp_path
    (tmp_path / "base.json").write_text(json.dumps(data), "utf-8")
    assert findings_of(check(tmp_path, store, "wiki", "--baseline", "base.json", "--format", "json", cwd=tmp_path)) == []


# --- no page at all, and a page named twice -------------------------------------------------------


@pytest.mark.parametrize("command", ["scan", "check", "resolve", "export"])
def test_a_path_with_no_page_is_an_error(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "nomd"
    folder.mkdir()
    (folder / "notes.txt").write_text("https://doi.org/10.1098/rspb.2017.0132\n", "utf-8")
    result = run_refkit(command, str(folder), *(() if command == "scan" else ("--offline",)), env=refkit_env(tmp_path))
    assert one_error_line(result) == f"refkit: error: no pages under {folder}: no *.md or *.markdown file there"


def test_a_page_named_twice_is_read_once(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    page = wiki.page("see-also.md", NOT_FOUND)
    result = check(tmp_path, store, str(wiki.root), str(page), "--format", "json")
    assert [finding["rule"] for finding in findings_of(result)] == ["doi-not-found"]
    assert "in 1 page (1 citation" in result.stderr
    scanned = run_refkit("scan", str(page), str(wiki.root), env=refkit_env(tmp_path))
    assert scanned.stdout.count("10.7554/elife.01567x") == 1


# --- quiet, colour, formats -------------------------------------------------------------------------


def test_quiet_leaves_only_the_findings(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    wiki.page("other.md", "\n[doi: 10.1093/aje/kwu059](https://doi.org/10.1093/aje/kwu059)\n")
    result = check(tmp_path, store, str(wiki.root), "-q")
    assert result.returncode == 1 and result.stderr == ""
    assert [line.split(": ")[1] for line in result.stdout.splitlines() if line] == ["info doi-unverified", "error doi-not-found"]
    loud = check(tmp_path, store, str(wiki.root))
    assert loud.stdout.startswith("refkit check: 1 error, 0 warnings, 1 info in 2 pages")
    exported = run_refkit("export", str(wiki.root), "--offline", "--store", str(store), "-o", "-", "-q", env=refkit_env(tmp_path))
    assert exported.returncode == 0 and exported.stderr == ""  # no "left out" line, no summary
    assert "left out 10.7554/elife.01567x" in run_refkit("export", str(wiki.root), "--offline", "--store", str(store), "-o", "-", env=refkit_env(tmp_path)).stderr


def test_colour_follows_the_option_and_no_color(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    assert "\033[" not in check(tmp_path, store, str(wiki.root)).stdout  # auto: stdout is a pipe
    always = check(tmp_path, store, str(wiki.root), "--color", "always", NO_COLOR="1").stdout
    assert "\033[1;31merror\033[0m doi-not-found" in always
    assert "\033[" not in check(tmp_path, store, str(wiki.root), "--color", "never").stdout
    assert "\033[" not in check(tmp_path, store, str(wiki.root), "--color", "always", "--format", "json").stdout


def test_an_unknown_format_is_one_line_listing_the_known_ones(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    wiki.page("see-also.md", NOT_FOUND)
    line = one_error_line(check(tmp_path, store, str(wiki.root), "--format", "yaml"))
    assert line == "refkit: error: --format: unknown report format 'yaml' (known: text, json, github, junit, sarif, markdown, html)"


def test_a_report_format_a_package_installs_is_a_choice(wiki: Wiki, store: Path, tmp_path: Path) -> None:
    """A third party's reporter, found through the `refkit.reporters` entry-point group."""
    site = tmp_path / "site-packages"
    (site / "tsv_reporter-1.0.dist-info").mkdir(parents=True)
    (site / "tsv_reporter-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: tsv-reporter\nVersion: 1.0\n", "utf-8")
    (site / "tsv_reporter-1.0.dist-info" / "entry_points.txt").write_text("[refkit.reporters]\ntsv = tsv_reporter:render\n", "utf-8")
    (site / "tsv_reporter.py").write_text(
        "def render(findings, summary, stream):\n"
        "    for f in findings:\n"
        "        stream.write(f'{f.rule}\\t{f.file}\\t{f.line}\\n')\n"
        "    stream.write(f'# {summary.errors} errors in {summary.pages} pages\\n')\n",
        "utf-8",
    )
    wiki.page("see-also.md", NOT_FOUND)
    env = refkit_env(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join((env["PYTHONPATH"], str(site)))
    result = run_refkit("check", str(wiki.root), "--offline", "--store", str(store), "--format", "tsv", env=env)
    assert result.returncode == 1, result.stderr
    assert result.stdout == f"doi-not-found\t{wiki.root / 'see-also.md'}\t5\n# 1 errors in 1 pages\n"
    unknown = run_refkit("check", str(wiki.root), "--offline", "--store", str(store), "--format", "csv", env=env)
    assert one_error_line(unknown).endswith("(known: text, json, github, junit, sarif, markdown, html, tsv)")


# --- the command line's own manners ---------------------------------------------------------------


def test_refkit_alone_shows_the_help_once_and_exits_0(tmp_path: Path) -> None:
    alone = run_refkit(env=refkit_env(tmp_path))
    assert alone.returncode == 0 and alone.stderr == ""
    assert alone.stdout == run_refkit("--help", env=refkit_env(tmp_path)).stdout
    for command in ("scan", "resolve", "check", "fix", "export", "store"):
        assert len(re.findall(rf"^  {command} ", alone.stdout, re.M)) == 1, command


# --- Ctrl-C -------------------------------------------------------------------------------------------


def test_ctrl_c_exits_130_says_how_far_it_got_and_keeps_store_and_report(crossref_server: LoopbackCrossref, tmp_path: Path) -> None:
    crossref_server.announce_generous_limits()
    dois = [f"10.5555/synthetic.{number:05d}" for number in range(300)]
    crossref_server.add_synthetic_works(synthetic_work_message(doi, number) for number, doi in enumerate(dois))
    wiki = Wiki(tmp_path / "wiki")
    for number in range(70):  # enough pages for the scan to use worker processes, which Ctrl-C reaches too
        wiki.page(f"page-{number:02d}.md", "".join(f"- https://doi.org/{doi}\n" for doi in dois[number::70]))
    report = tmp_path / "report.json"
    report.write_text("the previous report\n", "utf-8")
    store = tmp_path / "store.sqlite3"
    env = refkit_env(tmp_path, crossref_url=crossref_server.crossref_url, doi_url=crossref_server.doi_url, mailto="t@example.org", store=str(store))
    crossref_server.latency = 0.2
    process = subprocess.Popen(
        [*REFKIT, "check", str(wiki.root), "--format", "json", "-o", str(report), "--concurrency", "1", "--base-url", "https://wiki.example"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        while crossref_server.requests["list"] < 2 and process.poll() is None:
            time.sleep(0.02)
        crossref_server.latency = 60.0  # from here on no answer comes back: the run is surely mid-way
        while crossref_server.requests["list"] < 3 and process.poll() is None:
            time.sleep(0.02)
        time.sleep(0.2)  # a request is held in flight: Ctrl-C must not wait for it (its timeout, its retries)
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
        _, stderr = process.communicate(timeout=60)
    finally:
        crossref_server.latency = 0.0
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr
    [line] = [line for line in stderr.splitlines() if line]
    done = re.fullmatch(
        r"refkit: interrupted while resolving \((\d+) of 300 done\); the store keeps every answer fetched so far; no report or baseline was written",
        line,
    )
    assert done is not None, line
    assert report.read_text("utf-8") == "the previous report\n"
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = db.execute("SELECT count(*) FROM answers").fetchone()[0]
    assert 0 < stored == int(done.group(1)) < 300


# --- the progress bar, on a terminal --------------------------------------------------------------


def run_on_a_terminal(arguments: list[str], env: dict[str, str]) -> tuple[int, str]:
    """refkit with a pseudo-terminal as stdout and stderr, as a person runs it: (status, all it wrote)."""
    import pty

    pid, terminal = pty.fork()
    if pid == 0:  # the child: refkit on the terminal
        os.execvpe(REFKIT[0], [*REFKIT, *arguments], env)
    written = b""
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        written += chunk
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    return os.waitstatus_to_exitcode(status), written.decode("utf-8", "replace")


def test_the_progress_bar_counts_and_rates_only_network_work_and_keeps_warnings_out(crossref_server: LoopbackCrossref, tmp_path: Path) -> None:
    crossref_server.announce_generous_limits()
    dois = [f"10.5555/synthetic.{number:05d}" for number in range(200)]
    crossref_server.add_synthetic_works(synthetic_work_message(doi, number) for number, doi in enumerate(dois))
    wiki = Wiki(tmp_path / "wiki")
    for number in range(10):
        wiki.page(f"page-{number}.md", "".join(f"- https://doi.org/{doi}\n" for doi in dois[number::10]))
    store = str(tmp_path / "store.sqlite3")
    arguments = ["check", str(wiki.root), "--format", "json", "-o", str(tmp_path / "report.json"), "--base-url", "https://wiki.example", "--concurrency", "1"]
    env = refkit_env(tmp_path, crossref_url=crossref_server.crossref_url, doi_url=crossref_server.doi_url, store=store)
    crossref_server.latency = 0.05
    status, written = run_on_a_terminal(arguments, env)
    assert status == 0, written
    assert re.search(r"Resolving +\[[#-]+\] +\d+/200 .* \d+\.\d/s", written), written[-500:]
    assert "200/200" in written
    # No mailto: the warning is said once the registry answers, on its own line, never inside the bar.
    [warning] = re.finditer(r"refkit: warning: no mailto configured", written)
    assert written[: warning.start()].endswith(("\r\033[K", "\n")), repr(written[warning.start() - 80 : warning.start()])
    # The store answers everything now, and --offline asks nothing: no bar at all.
    for extra in ([], ["--offline"]):
        status, written = run_on_a_terminal([*arguments, *extra], env)
        assert status == 0 and "Resolving" not in written and "/200" not in written, written


def test_ctrl_c_while_worker_processes_read_pages_is_one_line(tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the terminal's group, the scan's workers too: they leave it
    to the parent, so the run still ends with one line and 130, not a traceback per worker."""
    wiki = Wiki(tmp_path / "wiki")
    for page in range(300):  # synthetic listings, enough to keep the workers busy for seconds
        wiki.page(f"page-{page:03d}.md", "".join(
            f"### Study {page}-{number}\n\nJ Test. 2020;1:1. doi: 10.5555/synthetic.{page:03d}{number:04d}\n\nSmith J, Doe A.\n\n"
            for number in range(200)
        ))  # fmt: skip
    process = subprocess.Popen(
        [*REFKIT, "scan", "--format", "jsonl", str(wiki.root)], env=refkit_env(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None and process.stdout.readline().startswith(b'{"kind": "doi"')  # the workers are reading
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)  # workers killed by Ctrl-C could leave the pool hanging for ever
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130
    assert re.fullmatch(r"\nrefkit: interrupted while reading pages( \(\d+ done\))?; every line printed is complete\n", stderr.decode()), stderr


def test_a_repair_confirmed_once_is_confirmed_again_from_the_store(crossref_server: LoopbackCrossref, tmp_path: Path) -> None:
    """The second run asks the network nothing: the candidate's answer comes from the store, and the
    damaged DOI must still be the doi-typo it was (not a doi-broken error that fails the gate)."""
    wiki = Wiki(tmp_path / "wiki")
    wiki.page("cut.md", BEETLES.replace("[doi: 10.1098/rspb.2017.0132](https://doi.org/10.1098/rspb.2017.0132)", "doi: 10.1098/ rspb.2017.0132."))
    env = refkit_env(tmp_path, crossref_url=crossref_server.crossref_url, doi_url=crossref_server.doi_url, mailto="t@example.org", store=str(tmp_path / "store.sqlite3"))
    runs = [run_refkit("check", str(wiki.root), "--format", "json", "--base-url", "https://wiki.example", env=env) for _ in range(2)]
    assert crossref_server.requests["list"] == 1  # the second run was the store's
    for result in runs:
        assert result.returncode == 0, result.stderr
        assert [(f["rule"], f["details"]["repaired"]) for f in json.loads(result.stdout) if f["rule"] == "doi-typo"] == [("doi-typo", "10.1098/rspb.2017.0132")]
