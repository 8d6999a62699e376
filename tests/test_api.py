"""refkit as a library (`refkit.api`): the same results, exit statuses and summary as the command
line gives for the same wiki, through the loopback Crossref server and real recorded answers."""

from __future__ import annotations

import json
from pathlib import Path

from refkit_process import refkit_env, run_refkit

from refkit import api
from refkit.config import load_settings
import pytest

from refkit.errors import ConfigError, RefkitError

BEETLES = """
### Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus – Feb 2017

Proc Biol Sci. 2017 May 31;284(1855). [doi: 10.1098/rspb.2017.0132](https://doi.org/10.1098/rspb.2017.0132)

Dougherty LR, van Lieshout E, McNamara KB, Moschilla JA, Arnkvist G, Simmons LW.
"""


def settings_for(server, tmp_path: Path):
    options = {
        "crossref_url": server.crossref_url,
        "doi_url": server.doi_url,
        "store": str(tmp_path / "store.sqlite3"),
        "mailto": "refkit-tests@example.org",
        "base_url": "https://wiki.example",
    }
    return load_settings(cwd=tmp_path, environ={}, options=options), options


def test_check_from_python_gives_what_the_command_gives(crossref_server, tmp_path, wiki):
    wiki.page("beetles.md", BEETLES)
    wiki.page("broken.md", "Cut short: doi:10.1016/j.\n")
    settings, options = settings_for(crossref_server, tmp_path)
    skipped, warnings = [], []
    result = api.check([str(wiki.root)], settings, api.Hooks(on_skip=skipped.append, warn=warnings.append))

    # What the page gets wrong, written by hand from the page and the recorded record.
    assert [(f.rule, Path(f.file).name, f.line) for f in result.findings] == [
        ("authors-mismatch", "beetles.md", 9),
        ("doi-broken", "broken.md", 4),
    ]
    assert result.findings[0].details["misspelled"] == [{"found": "G. Arnkvist", "expected": "Göran Arnqvist"}]
    assert (result.summary.pages, result.summary.errors, result.summary.warnings) == (2, 1, 1)
    assert result.exit_status == api.EXIT_PROBLEMS and skipped == [] and warnings == []

    flags = [f"--{key.replace('_', '-')}={value}" for key, value in options.items()]
    done = run_refkit("check", str(wiki.root), "--format", "json", *flags, env=refkit_env(tmp_path), cwd=tmp_path)
    assert done.returncode == result.exit_status
    assert [(f["rule"], f["line"]) for f in json.loads(done.stdout)] == [(f.rule, f.line) for f in result.findings]


def test_scan_streams_pages_and_counts_them(wiki, tmp_path):
    wiki.page("a.md", "doi:10.1002/jbmr.328 and PMID: 23174181\n")
    wiki.page("bad.md", b"\xff\xfe not utf-8")
    skipped = []
    run = api.scan([str(wiki.root)], load_settings(cwd=tmp_path, environ={}), api.Hooks(on_skip=skipped.append))
    pages = [(Path(page.file).name, [(c.kind, c.id) for c in citations]) for page, citations in run]
    assert pages[0] == ("a.md", [("doi", "10.1002/jbmr.328"), ("pmid", "23174181")])
    assert [Path(error.file).name for error in skipped] == ["bad.md"]
    assert run.summary().skipped == 1 and run.exit_status == api.EXIT_PROBLEMS
    assert run.summary().identifiers == {"doi": 1, "pmid": 1}


def test_export_to_text_from_python(crossref_server, tmp_path, wiki):
    wiki.page("beetles.md", BEETLES)
    settings, _ = settings_for(crossref_server, tmp_path)
    result = api.export([str(wiki.root)], settings, format_name="csljson", output="-")
    [entry] = json.loads(result.text or "")
    assert entry["DOI"] == "10.1098/rspb.2017.0132" and entry["container-title"] == "Proceedings of the Royal Society B: Biological Sciences"
    assert result.destination == "stdout" and result.summary.entries == 1 and result.exit_status == api.EXIT_OK


def test_without_a_base_url_check_warns_once_that_pages_cannot_be_linked(crossref_server, tmp_path, wiki):
    wiki.page("beetles.md", BEETLES)
    wiki.page("again.md", BEETLES)
    warnings: list[str] = []
    settings = load_settings(cwd=tmp_path, environ={}, options={"offline": True, "store": str(tmp_path / "s.sqlite3")})
    api.check([str(wiki.root)], settings, api.Hooks(warn=warnings.append))
    assert len(warnings) == 1 and "page URLs are relative (e.g. /again/)" in warnings[0] and "--base-url" in warnings[0]


def test_configuration_errors_are_raised_not_printed(tmp_path, wiki):
    (tmp_path / "refkit.toml").write_text('[rules]\n"no-such-rule" = "off"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"refkit\.toml: config key 'rules': unknown rule 'no-such-rule' \(known: doi-not-found,"):
        load_settings(cwd=tmp_path, environ={})
    (tmp_path / "refkit.toml").unlink()
    (tmp_path / "empty").mkdir()
    settings = load_settings(cwd=tmp_path, environ={}, options={"offline": True})
    with pytest.raises(RefkitError, match="no page"):
        api.check([str(tmp_path / "empty")], settings)
