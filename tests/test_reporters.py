"""Every reporter on one findings fixture: text read back line by line (plain, coloured, quiet),
JSON parsed back, GitHub workflow-command escaping, JUnit XML parsed with ElementTree, SARIF
validated against the SARIF 2.1.0 schema (tests/data holds the OASIS schema trimmed to the
objects refkit writes), Markdown rendered by pandoc's GitHub-flavoured reader, HTML parsed.

The mismatch findings come from reconcile on the real Crossref recording of
10.1098/rspb.2017.0132 and a page listing it with mistakes; the `doi-typo` finding is synthetic
(named so), in the shape reconcile gives it."""

from __future__ import annotations

import html.parser
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import recorded_work

from refkit.model import Finding, Page, PageLink, Resolution
from refkit.reconcile import reconcile
from refkit.reporters import REPORTERS, SkippedPage, Summary, fails, get_reporter, summarise, worst_pages
from refkit.reporters import markdown as markdown_reporter
from refkit.reporters.github import escape_property
from refkit.rules import RULES, unreadable_findings
from refkit.errors import PageError
from refkit.scan import scan_page

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json"

BEETLES_WITH_MISTAKES = """
### Sexual conflict and correlated evolution between male persistence and female resistance traits in a seed beetle – Feb 2017

Proc Biol Sci. 2016 May 31;284(1855). [doi: 10.1098/rspb.2017.0132](https://doi.org/10.1098/rspb.2017.0132)

Dougherty LR, van Lieshout E, McNamara KB, Moschila JA, Arnkvist G, Smith J.
"""


def reconciled_findings() -> list[Finding]:
    """authors-, title- and year-mismatch of a real record against a page with mistakes."""
    page = Page(file="wiki/b.md", url="https://wiki.example/b/", title="Beetles & <bugs>", body=BEETLES_WITH_MISTAKES, body_line=4)
    work = recorded_work("10.1098_rspb.2017.0132")
    return reconcile(scan_page(page), {work.doi: Resolution(work.doi, "found", agency="crossref", work=work)})


SYNTHETIC_TYPO = Finding(
    "doi-typo", "warning", "wiki/a, 100%.md", 5, 1, "10.1016/j.jsbmb.2010.02.02l",
    "'doi: 10.1016/j.jsbmb.2010.02.02l' is a damaged DOI: the registry holds 10.1016/j.jsbmb.2010.02.021.",
    {"raw": "doi: 10.1016/j.jsbmb.2010.02.02l", "written": "10.1016/j.jsbmb.2010.02.02l", "repaired": "10.1016/j.jsbmb.2010.02.021",
     "suggestion": "10.1016/j.jsbmb.2010.02.021"},
    "10.1016/j.jsbmb.2010.02.02l",
)  # fmt: skip
NOT_FOUND = Finding(
    "doi-not-found", "error", "wiki/a, 100%.md", 3, 7, "10.7554/elife.01567x",
    "DOI 10.7554/elife.01567x is not registered with Crossref or any other DOI agency.", {"status": "not_found"},
)  # fmt: skip
UNVERIFIED = Finding(
    "doi-unverified", "info", "wiki/b.md", 2, 5, "10.1093/aje/kwu059",
    "DOI 10.1093/aje/kwu059 could not be verified (offline); its metadata was not checked.", {"status": "unresolved", "reason": "offline"},
)  # fmt: skip
UNREADABLE = PageError("wiki/broken.md", "invalid JSON front matter: Expecting ',' delimiter", 3)
FINDINGS = [*reconciled_findings(), SYNTHETIC_TYPO, NOT_FOUND, UNVERIFIED, *unreadable_findings([UNREADABLE], {})]
FILES = ["wiki/a, 100%.md", "wiki/b.md", "wiki/clean.md"]
LINKS = {"wiki/b.md": PageLink("https://wiki.example/b/", "Beetles & <bugs>", "wiki/b.md")}


def summary_of(findings: list[Finding] = FINDINGS, **options: object) -> Summary:
    return summarise(
        findings, FILES, citations=6, dois=4, skipped=1, fail_on=str(options.pop("fail_on", "error")), baselined=2,
        skipped_pages=[SkippedPage(UNREADABLE.file, UNREADABLE.reason, UNREADABLE.line)], page_links=LINKS, **options,  # type: ignore[arg-type]
    )  # fmt: skip


def rendered(name: str, findings: list[Finding] = FINDINGS, **options: object) -> str:
    stream = io.StringIO()
    get_reporter(name)(findings, summary_of(findings, **options), stream)
    return stream.getvalue()


def test_registry_names_modules_and_suffixes() -> None:
    assert list(REPORTERS) == ["text", "json", "github", "junit", "sarif", "markdown", "html"]
    assert (REPORTERS["sarif"][1], REPORTERS["junit"][1], REPORTERS["markdown"][1], REPORTERS["html"][1]) == (".sarif", ".xml", ".md", ".html")


def test_summary_counts_rules_and_ranks_pages_errors_first() -> None:
    summary = summary_of()
    assert [(rule.rule, rule.severity, rule.count) for rule in summary.rules] == [
        ("doi-not-found", "error", 1), ("page-unreadable", "error", 1),
        ("authors-mismatch", "warning", 1), ("doi-typo", "warning", 1), ("title-mismatch", "warning", 1), ("year-mismatch", "warning", 1),
        ("doi-unverified", "info", 1),
    ]  # fmt: skip
    # One error outranks three warnings and an info: where to start is where the errors are.
    assert [(page.file, page.errors, page.warnings, page.infos) for page in summary.worst_pages] == [
        ("wiki/a, 100%.md", 1, 1, 0), ("wiki/broken.md", 1, 0, 0), ("wiki/b.md", 0, 3, 1),
    ]  # fmt: skip
    many = [dataclass_copy(NOT_FOUND, file=f"p{number:02d}.md") for number in range(15)]
    assert len(worst_pages(many)) == 10
    assert (summary.errors, summary.warnings, summary.infos, summary.baselined) == (2, 4, 1, 2)


def dataclass_copy(finding: Finding, **changes: object) -> Finding:
    import dataclasses

    return dataclasses.replace(finding, **changes)  # type: ignore[arg-type]


# --- text -----------------------------------------------------------------------------------------

SUMMARY_LINE = "2 errors, 4 warnings, 1 info in 3 pages (6 citations, 4 distinct DOIs, 1 skipped; 2 known findings held back by the baseline)"


def test_text_opens_with_a_summary_then_groups_findings_by_page() -> None:
    lines = rendered("text").splitlines()
    assert lines[:18] == [
        f"refkit check: {SUMMARY_LINE}",
        "",
        "Findings per rule:",
        "  error    doi-not-found          1",
        "  error    page-unreadable        1",
        "  warning  authors-mismatch       1",
        "  warning  doi-typo               1",
        "  warning  title-mismatch         1",
        "  warning  year-mismatch          1",
        "  info     doi-unverified         1",
        "",
        "Pages with most findings:",
        "  2  wiki/a, 100%.md  (1 error, 1 warning, 0 info)",
        "  1  wiki/broken.md   (1 error, 0 warnings, 0 info)",
        "  4  wiki/b.md        (0 errors, 3 warnings, 1 info)",
        "",
        "wiki/a, 100%.md  (2 findings)",
        "wiki/a, 100%.md:3:7: error doi-not-found: DOI 10.7554/elife.01567x is not registered with Crossref or any other DOI agency.",
    ]
    page_b = lines.index("wiki/b.md  https://wiki.example/b/  (4 findings)")
    assert [line.split(": ")[1] for line in lines[page_b + 1 : page_b + 5]] == [
        "info doi-unverified", "warning title-mismatch", "warning year-mismatch", "warning authors-mismatch",
    ]  # fmt: skip
    assert "wiki/broken.md:3:1: error page-unreadable: The page could not be read" in rendered("text")
    assert lines[-1] == SUMMARY_LINE


def test_text_quiet_keeps_only_the_finding_lines() -> None:
    lines = rendered("text", quiet=True).splitlines()
    assert len(lines) == len(FINDINGS) + 2  # the blank lines between three pages
    assert all(re.match(r"wiki/[^:]+:\d+:\d+: (error|warning|info) [a-z-]+: ", line) for line in lines if line)


def test_text_colour_only_paints_and_keeps_lines_parseable() -> None:
    coloured = rendered("text", color=True)
    assert "\033[1;31merror\033[0m" in coloured and "\033[33mwarning\033[0m" in coloured
    assert re.sub("\033\\[[0-9;]*m", "", coloured) == rendered("text")
    assert "\033[" not in rendered("text")


# --- json, github, junit, sarif -------------------------------------------------------------------


def test_json_is_an_array_with_exactly_the_public_keys_and_suggestions() -> None:
    data = json.loads(rendered("json"))
    assert all(list(item) == ["rule", "severity", "file", "line", "column", "doi", "id", "message", "details"] for item in data)
    by_rule = {item["rule"]: item for item in data}
    assert by_rule["authors-mismatch"]["details"]["misspelled"] == [
        {"found": "J. A. Moschila", "expected": "Joe A. Moschilla"}, {"found": "G. Arnkvist", "expected": "Göran Arnqvist"},
    ]  # fmt: skip
    # What to change: the registry's value, as the page would write it.
    assert by_rule["title-mismatch"]["details"]["suggestion"] == (
        "Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus"
    )
    assert by_rule["year-mismatch"]["details"]["suggestion"] == 2017
    assert by_rule["authors-mismatch"]["details"]["suggestion"][-1] == "Leigh W. Simmons"
    assert by_rule["doi-typo"]["details"]["suggestion"] == "10.1016/j.jsbmb.2010.02.021"
    assert "suggestion" not in by_rule["doi-not-found"]["details"]
    assert (by_rule["page-unreadable"]["file"], by_rule["page-unreadable"]["line"], by_rule["page-unreadable"]["doi"]) == ("wiki/broken.md", 3, None)
    assert json.loads(rendered("json", findings=[])) == []


def test_github_workflow_commands_escaping_and_registry_values() -> None:
    lines = rendered("github").splitlines()
    assert lines[0] == (
        "::error file=wiki/a%2C 100%25.md,line=3,col=7,title=refkit doi-not-found::"
        "DOI 10.7554/elife.01567x is not registered with Crossref or any other DOI agency."
    )
    assert lines[1].startswith("::warning file=wiki/a%2C 100%25.md,line=5,col=1,title=refkit doi-typo::")
    assert lines[1].endswith("Suggested DOI: 10.1016/j.jsbmb.2010.02.021")
    assert lines[2].startswith("::notice file=wiki/b.md,line=2,col=5,title=refkit doi-unverified::")
    year = next(line for line in lines if "year-mismatch" in line)
    assert year.startswith("::warning file=wiki/b.md,line=7,col=40,") and year.endswith("Suggested year: 2017")
    authors = next(line for line in lines if "authors-mismatch" in line)
    assert authors.endswith("Suggested authors: Liam R. Dougherty, Emile van Lieshout, Kathryn B. McNamara, Joe A. Moschilla, Göran Arnqvist, Leigh W. Simmons")
    assert "::error file=wiki/broken.md,line=3,col=1,title=refkit page-unreadable::The page could not be read" in rendered("github")
    assert lines[-1] == SUMMARY_LINE
    assert not rendered("github", quiet=True).splitlines()[-1].startswith("3 errors")
    assert escape_property("a:b,c%d\r\ne") == "a%3Ab%2Cc%25d%0D%0Ae"
    multiline = Finding("doi-broken", "error", "x.md", 1, 1, None, "two\nlines 50%", {})
    assert rendered("github", findings=[multiline]).splitlines()[0].endswith("::two%0Alines 50%25")


def test_junit_one_case_per_page_failures_follow_fail_on_and_unreadable_pages_fail() -> None:
    root = ET.fromstring(rendered("junit"))
    suite = root.find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == [*FILES[:2], "wiki/broken.md", "wiki/clean.md"]
    assert (suite.get("tests"), suite.get("failures"), root.get("failures")) == ("4", "2", "2")
    assert [failure.get("type") for failure in cases["wiki/a, 100%.md"].findall("failure")] == ["doi-not-found"]
    [unreadable] = cases["wiki/broken.md"].findall("failure")
    assert unreadable.get("type") == "page-unreadable" and "Expecting ',' delimiter" in (unreadable.get("message") or "")
    assert cases["wiki/b.md"].find("failure") is None  # warnings and an info: below --fail-on error
    assert "authors-mismatch" in (cases["wiki/b.md"].findtext("system-out") or "")
    assert list(cases["wiki/clean.md"]) == []
    strict = ET.fromstring(rendered("junit", fail_on="warning")).find("testsuite")
    assert strict is not None and strict.get("failures") == "3"


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def test_sarif_is_valid_carries_rule_metadata_and_fixes() -> None:
    log = json.loads(rendered("sarif"))
    sarif_validator().validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == [rule.id for rule in RULES]
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in driver["rules"]}
    assert (levels["doi-retracted"], levels["title-mismatch"], levels["authors-truncated"], levels["page-unreadable"]) == (
        "error", "warning", "note", "error"
    )
    results = {result["ruleId"]: result for result in log["runs"][0]["results"]}
    location = results["doi-not-found"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "wiki/a%2C%20100%25.md"
    assert location["region"] == {"startLine": 3, "startColumn": 7}
    assert driver["rules"][results["authors-mismatch"]["ruleIndex"]]["id"] == "authors-mismatch"
    assert results["page-unreadable"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 1}
    # The DOI repair: the written text's span replaced by the repaired text.
    [fix] = results["doi-typo"]["fixes"]
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "wiki/a%2C%20100%25.md"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 5, "startColumn": 1, "endLine": 5, "endColumn": 1 + len("doi: 10.1016/j.jsbmb.2010.02.02l")},
            "insertedContent": {"text": "doi: 10.1016/j.jsbmb.2010.02.021"},
        }
    ]
    # Listing corrections have no known span on the page: a suggestion, no SARIF fix.
    assert "fixes" not in results["title-mismatch"]
    assert results["title-mismatch"]["properties"]["details"]["suggestion"].endswith("Callosobruchus maculatus")


def test_sarif_schema_rejects_what_it_should() -> None:
    """The trimmed schema is strict enough to catch a wrong level, a misspelled key or a bad fix."""
    validator = sarif_validator()
    log = json.loads(rendered("sarif"))
    log["runs"][0]["results"][0]["level"] = "info"
    assert not validator.is_valid(log)
    log = json.loads(rendered("sarif"))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startline"] = 3
    assert not validator.is_valid(log)
    log = json.loads(rendered("sarif"))
    typo = next(result for result in log["runs"][0]["results"] if result["ruleId"] == "doi-typo")
    typo["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] = {"txt": "x"}
    assert not validator.is_valid(log)


@pytest.mark.parametrize(
    ("severity", "fail_on", "expected"),
    [("error", "error", True), ("warning", "error", False), ("warning", "warning", True),
     ("info", "warning", False), ("error", "never", False)],
)  # fmt: skip
def test_fail_on_thresholds(severity: str, fail_on: str, expected: bool) -> None:
    finding = Finding("doi-broken", severity, "x.md", 1, 1, None, "m", {})  # type: ignore[arg-type]
    assert fails(finding, fail_on) is expected


# --- markdown ---------------------------------------------------------------------------------------


def gfm_to_html(markdown: str) -> str:
    """GitHub-flavoured Markdown as a reader renders it (pandoc's gfm reader, raw HTML kept)."""
    done = subprocess.run(["pandoc", "-f", "gfm", "-t", "html", "--wrap=none"], input=markdown, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_markdown_renders_totals_worst_pages_and_one_collapsible_block_per_page() -> None:
    markdown = rendered("markdown")
    page = gfm_to_html(markdown)
    assert "<h2" in page and "refkit check" in page
    assert page.count("<details>") == 3 and page.count("</details>") == 3
    # The rule table and the worst pages table are tables, not text with pipes.
    tables = re.findall(r"<table>.*?</table>", page, re.S)
    assert len(tables) == 2
    assert "<td><code>doi-not-found</code></td>\n<td>❌ error</td>\n<td style=\"text-align: right;\">1</td>" in tables[0]
    assert '<a href="https://wiki.example/b/">Beetles &amp; &lt;bugs&gt;</a>' in tables[1]
    # Links to the page on the wiki and to the work; the PMID-less DOI links to doi.org.
    assert '<a href="https://doi.org/10.1098/rspb.2017.0132">10.1098/rspb.2017.0132</a>' in page
    assert '<a href="https://doi.org/10.1016/j.jsbmb.2010.02.021">' in page
    assert 'On the wiki: <a href="https://wiki.example/b/">' in page
    # Text from pages and registries shows as written: no emphasis from `*`, no HTML from `<`.
    assert "<em>" not in page and "&lt;bugs&gt;" in page
    assert "<li>Suggested year: 2017</li>" in page
    assert "<li>Suggested DOI: 10.1016/j.jsbmb.2010.02.021 (<code>refkit fix</code> applies it)</li>" in page


def test_markdown_links_pubmed_for_pmids_and_escapes_markup() -> None:
    pmid = Finding("pmid-not-found", "error", "p.md", 4, 1, None, "PMID 99999999 is not in PubMed.", {"status": "not_found"}, "pmid:99999999")
    starred = Finding("title-mismatch", "warning", "p.md", 5, 1, "10.1/x", "Title *a* _b_ [c](d) | e `f` $g$", {"expected": "x", "found": "y"})
    markdown = rendered("markdown", findings=[pmid, starred])
    assert "[PMID 99999999](https://pubmed.ncbi.nlm.nih.gov/99999999/)" in markdown
    assert r"Title \*a\* \_b\_ \[c\](d) \| e \`f\` \$g\$" in markdown


def test_markdown_stays_under_the_job_summary_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """GitHub drops a job summary over 1 MiB entirely: pages that do not fit are counted instead."""
    findings = [dataclass_copy(NOT_FOUND, file=f"wiki/page-{number:03d}.md") for number in range(200)]
    full = rendered("markdown", findings=findings)
    assert full.count("<details>") == 200
    monkeypatch.setattr(markdown_reporter, "MAX_BYTES", len(full.encode()) // 2)
    cut = rendered("markdown", findings=findings)
    shown = cut.count("<details>")
    assert 0 < shown < 200 and len(cut.encode()) < len(full.encode()) // 2 + 400
    assert f"*{200 - shown} more pages with {200 - shown} findings do not fit in a job summary" in cut


# --- html -------------------------------------------------------------------------------------------


class Document(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_with_one_section_per_page() -> None:
    page = rendered("html")
    document = Document(page)
    # Nothing fetched: no external script, style sheet, image or frame, and a policy that forbids it.
    assert not [tag for tag, attrs in document.tags if tag in ("link", "img", "iframe", "object", "embed") or attrs.get("src")]
    [policy] = [attrs["content"] for tag, attrs in document.tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert policy is not None and policy.startswith("default-src 'none';")
    sections = [attrs["data-file"] for tag, attrs in document.tags if tag == "section" and "data-file" in attrs]
    assert sections == ["wiki/a, 100%.md", "wiki/b.md", "wiki/broken.md"]
    findings = [(attrs["data-rule"], attrs["data-severity"]) for tag, attrs in document.tags if tag == "article"]
    assert sorted(findings) == sorted((finding.rule, finding.severity) for finding in FINDINGS)
    links = [attrs["href"] for tag, attrs in document.tags if tag == "a"]
    assert "https://wiki.example/b/" in links and "https://doi.org/10.1098/rspb.2017.0132" in links
    assert "Beetles &amp; &lt;bugs&gt;" in page and "<bugs>" not in page
    options = [attrs["value"] for tag, attrs in document.tags if tag == "option"]
    assert options == ["", *(rule.rule for rule in summary_of().rules)]


def test_html_sets_authors_side_by_side_with_the_differing_names_marked() -> None:
    page = rendered("html")
    authors = re.search(r'<div class="authors">.*?</div></div>', page, re.S)
    assert authors is not None
    page_side, registry_side = re.findall(r"<ol>(.*?)</ol>", authors.group(0))
    marked = lambda side: re.findall(r'<span class="differs" title="([^"]*)">([^<]*)</span>', side)  # noqa: E731
    assert marked(page_side) == [
        ("the registry spells it Joe A. Moschilla", "J. A. Moschila"),
        ("the registry spells it Göran Arnqvist", "G. Arnkvist"),
        ("not an author of the work", "J. Smith"),
    ]
    assert marked(registry_side) == [
        ("the page spells it J. A. Moschila", "Joe A. Moschilla"),
        ("the page spells it G. Arnkvist", "Göran Arnqvist"),
        ("missing from the page", "Leigh W. Simmons"),
    ]
    assert "<li>L. R. Dougherty</li>" in page_side and "<li>Liam R. Dougherty</li>" in registry_side
    year = re.search(r'data-rule="year-mismatch".*?</article>', page, re.S)
    assert year is not None and '<td class="found">2016</td>' in year.group(0) and '<td class="expected">2017</td>' in year.group(0)


def test_html_without_findings_says_so() -> None:
    page = rendered("html", findings=[])
    assert "<p>No findings.</p>" in page and "<script>" not in page
