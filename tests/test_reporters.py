"""Every reporter on one findings fixture: text lines, JSON parsed back, GitHub workflow-command
escaping, JUnit XML parsed with ElementTree, SARIF validated against the SARIF 2.1.0 schema
(tests/data holds the OASIS schema trimmed to the objects refkit writes)."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from refkit.model import Finding
from refkit.reporters import REPORTERS, fails, get_reporter, summarise
from refkit.reporters.github import escape_property
from refkit.rules import RULES

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json"

FINDINGS = [
    Finding(
        "authors-mismatch", "warning", "wiki/b.md", 14, 1, "10.1098/rspb.2017.0132",
        "Authors differ from the work's authors: misspelled: G. Arnkvist (Crossref: Göran Arnqvist).",
        {"missing": [], "extra": [], "misspelled": [{"found": "G. Arnkvist", "expected": "Göran Arnqvist"}]},
    ),
    Finding("doi-not-found", "error", "wiki/a, 100%.md", 3, 7, "10.7554/elife.01567x",
            "DOI 10.7554/elife.01567x is not registered with Crossref or any other DOI agency.", {"status": "not_found"}),
    Finding("doi-unverified", "info", "wiki/b.md", 2, 5, "10.1093/aje/kwu059",
            "DOI 10.1093/aje/kwu059 could not be verified (offline); its metadata was not checked.",
            {"status": "unresolved", "reason": "offline"}),
]
FILES = ["wiki/a, 100%.md", "wiki/b.md", "wiki/clean.md"]


def rendered(name: str, fail_on: str = "error", findings: list[Finding] = FINDINGS) -> str:
    stream = io.StringIO()
    get_reporter(name)(findings, summarise(findings, FILES, citations=5, dois=4, skipped=0, fail_on=fail_on), stream)
    return stream.getvalue()


def test_registry_names_modules_and_suffixes() -> None:
    assert list(REPORTERS) == ["text", "json", "github", "junit", "sarif"]
    assert REPORTERS["sarif"][1] == ".sarif" and REPORTERS["junit"][1] == ".xml"


def test_text_groups_by_file_and_ends_with_a_summary() -> None:
    lines = rendered("text").splitlines()
    assert lines == [
        "wiki/a, 100%.md:3:7: error doi-not-found: DOI 10.7554/elife.01567x is not registered with Crossref or any other DOI agency.",
        "",
        "wiki/b.md:2:5: info doi-unverified: DOI 10.1093/aje/kwu059 could not be verified (offline); its metadata was not checked.",
        "wiki/b.md:14:1: warning authors-mismatch: Authors differ from the work's authors: misspelled: G. Arnkvist (Crossref: Göran Arnqvist).",
        "",
        "1 error, 1 warning, 1 info in 3 pages (5 citations, 4 distinct DOIs, 0 skipped)",
    ]


def test_json_is_an_array_with_exactly_the_public_keys() -> None:
    data = json.loads(rendered("json"))
    assert [item["rule"] for item in data] == ["doi-not-found", "doi-unverified", "authors-mismatch"]
    assert all(list(item) == ["rule", "severity", "file", "line", "column", "doi", "id", "message", "details"] for item in data)
    assert data[2]["details"]["misspelled"] == [{"found": "G. Arnkvist", "expected": "Göran Arnqvist"}]
    assert json.loads(rendered("json", findings=[])) == []


def test_github_workflow_commands_and_escaping() -> None:
    lines = rendered("github").splitlines()
    assert lines[0] == (
        "::error file=wiki/a%2C 100%25.md,line=3,col=7,title=refkit doi-not-found::"
        "DOI 10.7554/elife.01567x is not registered with Crossref or any other DOI agency."
    )
    assert lines[1].startswith("::notice file=wiki/b.md,line=2,col=5,title=refkit doi-unverified::")
    assert lines[2].startswith("::warning file=wiki/b.md,line=14,col=1,")
    assert escape_property("a:b,c%d\r\ne") == "a%3Ab%2Cc%25d%0D%0Ae"
    multiline = Finding("doi-broken", "error", "x.md", 1, 1, None, "two\nlines 50%", {})
    assert rendered("github", findings=[multiline]).splitlines()[0].endswith("::two%0Alines 50%25")


def test_junit_one_case_per_page_failures_follow_fail_on() -> None:
    root = ET.fromstring(rendered("junit"))
    suite = root.find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == FILES
    assert (suite.get("tests"), suite.get("failures"), root.get("failures")) == ("3", "1", "1")
    [failure] = cases["wiki/a, 100%.md"].findall("failure")
    assert failure.get("type") == "doi-not-found"
    assert cases["wiki/b.md"].find("failure") is None  # a warning and an info: below --fail-on error
    assert "authors-mismatch" in (cases["wiki/b.md"].findtext("system-out") or "")
    assert list(cases["wiki/clean.md"]) == []

    strict = ET.fromstring(rendered("junit", fail_on="warning")).find("testsuite")
    assert strict is not None and strict.get("failures") == "2"


def test_sarif_is_valid_and_carries_rule_metadata() -> None:
    log = json.loads(rendered("sarif"))
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == [rule.id for rule in RULES]
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in driver["rules"]}
    assert (levels["doi-retracted"], levels["title-mismatch"], levels["authors-truncated"]) == ("error", "warning", "note")
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("doi-not-found", "error"), ("doi-unverified", "note"), ("authors-mismatch", "warning"),
    ]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "wiki/a%2C%20100%25.md"
    assert location["region"] == {"startLine": 3, "startColumn": 7}
    assert driver["rules"][results[2]["ruleIndex"]]["id"] == "authors-mismatch"


def test_sarif_schema_rejects_what_it_should() -> None:
    """The trimmed schema is strict enough to catch a wrong level or a misspelled key."""
    validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8")))
    log = json.loads(rendered("sarif"))
    log["runs"][0]["results"][0]["level"] = "info"
    assert not validator.is_valid(log)
    log = json.loads(rendered("sarif"))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startline"] = 3
    assert not validator.is_valid(log)


@pytest.mark.parametrize(
    ("severity", "fail_on", "expected"),
    [("error", "error", True), ("warning", "error", False), ("warning", "warning", True),
     ("info", "warning", False), ("error", "never", False)],
)
def test_fail_on_thresholds(severity: str, fail_on: str, expected: bool) -> None:
    finding = Finding("doi-broken", severity, "x.md", 1, 1, None, "m", {})  # type: ignore[arg-type]
    assert fails(finding, fail_on) is expected
