"""The markdown and HTML reports at the scale of a real wiki, and the HTML report in a real browser.

The fixture is the whole corpus (2,466 real pages, checked offline: their DOIs are unverified,
their broken DOIs errors) plus 116 synthetic pages (named `synthetic-*`) citing the 58 journal
articles of the real Crossref recordings: half list a work with mistakes made on purpose (an
author misspelled, the last one dropped, the year off by one, a title word changed), half list
another work's title, journal and authors under the DOI. Some 2,500 findings on some 970 pages.

The browser is Debian's headless Chromium (`.ci/run` installs it): the report's own script runs
there, filters by the URL fragment, and the test reads the document it leaves (`--dump-dom`).
Chromium reports every fetch the page's Content-Security-Policy blocks on its console, so the
test also proves the report asks the network for nothing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, Wiki, recorded_works
from refkit_process import run_refkit, refkit_env

from refkit.markup import plain
from refkit.model import Person, Resolution
from refkit.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
GITHUB_STEP_SUMMARY_LIMIT = 1024 * 1024


def pubmed_style(person: Person) -> str:
    initials = "".join(part[0] for part in (person.given or "").replace("-", " ").split())
    return f"{person.family} {initials}".strip() if person.family else person.literal or ""


def listing(title: str, journal: str, year: int, doi: str, authors: list[str]) -> str:
    return f"\n### {title}\n\n{journal}. {year};1(1):1-2. doi: {doi}\n\n{', '.join(authors)}.\n"


def synthetic_pages(wiki: Wiki) -> None:
    works = [w for w in recorded_works() if w.type == "journal-article" and w.authors and w.title and w.container_title and w.year]
    for index, work in enumerate(works):
        other = works[(index + 1) % len(works)]
        names = [pubmed_style(person) for person in work.authors]
        if len(names) > 1:
            names[1] = names[1].replace("a", "e", 1) if "a" in names[1] else names[1] + "x"
            names = names[:-1] if len(names) > 3 else names
        words = plain(work.title).split()
        title = " ".join([*words[:-1], "Revisited"]) if len(words) > 3 else plain(work.title)
        wiki.page(
            f"synthetic-mistakes-{index:02d}.md", listing(title, work.container_title or "", (work.year or 0) + 1, work.doi or "", names),
            front='{\n  "title": "Synthetic page %d with mistakes"\n}\n' % index,
        )  # fmt: skip
        other_authors = [pubmed_style(person) for person in other.authors][:6]
        wiki.page(
            f"synthetic-swapped-{index:02d}.md", listing(plain(other.title), other.container_title or "", other.year or 0, work.doi or "", other_authors),
            front='{\n  "title": "Synthetic page %d listing another work"\n}\n' % index,
        )  # fmt: skip
    wiki.page("synthetic-unreadable.md", b'{\n  "title": "broken\n}\nhttps://doi.org/10.1098/rspb.2017.0132\n')
    with Store(wiki.root.parent / "store.sqlite3") as store:
        store.put_many([Resolution(work.doi or "", "found", agency="crossref", work=work) for work in works])


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The json, markdown and html reports of one corpus-scale check, each from its own run."""
    home = tmp_path_factory.mktemp("corpus-scale")
    wiki = Wiki(home / "synthetic")
    wiki.root.mkdir()
    synthetic_pages(wiki)
    made: dict[str, Any] = {"home": home}
    for report_format in ("json", "markdown", "html"):
        output = home / f"report.{report_format}"
        result = run_refkit(
            "check", str(CORPUS), str(wiki.root), "--offline", "--store", str(home / "store.sqlite3"),
            "--base-url", "https://wiki.example", "--format", report_format, "-o", str(output), env=refkit_env(home), timeout=300,
        )  # fmt: skip
        assert result.returncode == 1, result.stderr
        made[report_format] = output.read_text("utf-8")
    made["findings"] = json.loads(made["json"])
    return made


def test_the_fixture_is_corpus_scale(reports: dict[str, Any]) -> None:
    findings = reports["findings"]
    rules = Counter(finding["rule"] for finding in findings)
    assert len(findings) > 2400 and len({finding["file"] for finding in findings}) > 900
    assert {"authors-mismatch", "title-mismatch", "year-mismatch", "journal-mismatch", "doi-broken", "doi-unverified", "page-unreadable"} <= set(rules)


def test_markdown_at_scale_fits_a_job_summary_and_counts_everything(reports: dict[str, Any]) -> None:
    markdown, findings = reports["markdown"], reports["findings"]
    assert len(markdown.encode("utf-8")) < GITHUB_STEP_SUMMARY_LIMIT
    rules = Counter(finding["rule"] for finding in findings)
    table = dict(re.findall(r"^\| `([a-z-]+)` \| \S+ \w+ \| (\d+) \|$", markdown, re.M))
    assert {rule: int(number) for rule, number in table.items()} == rules
    pages = Counter(finding["file"] for finding in findings)
    blocks = re.findall(r"<summary>(?:<strong>.*?</strong> )?<code>(.*?)</code>: ", markdown)
    left_out = re.search(r"^\*(\d+) more pages? with (\d+) findings? do not fit", markdown, re.M)
    shown = len(blocks) + (int(left_out.group(1)) if left_out else 0)
    assert shown == len(pages)
    assert sum(pages[file.replace("&amp;", "&")] for file in blocks) + (int(left_out.group(2)) if left_out else 0) == len(findings)
    worst = re.findall(r"^\| (?:\[.*?\]\(.*?\) \()?`(.*?)`\)? \| (\d+) \| (\d+) \| (\d+) \|$", markdown, re.M)
    # The ten pages where to start: errors first, then warnings, then infos; none left out beats them.
    ranks = [(int(errors), int(warnings), int(infos)) for _file, errors, warnings, infos in worst]
    assert len(ranks) == 10 and ranks == sorted(ranks, reverse=True)
    by_page = Counter((finding["file"], finding["severity"]) for finding in findings)
    others = [(by_page[file, "error"], by_page[file, "warning"], by_page[file, "info"]) for file in pages if file not in {w[0] for w in worst}]
    assert max(others) <= ranks[-1]
    # Every page shown links to itself on the wiki (which pages fit under the cap depends on how long
    # the paths are where the tests run, so no one page is named here).
    links = re.findall(r"On the wiki: <(https://wiki\.example/[^>]+/)>", markdown)
    assert len(set(links)) == len(links) and len(blocks) - len(links) in (0, 1)  # the unreadable page has no URL


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_markdown_at_scale_renders_as_github_flavoured_markdown(reports: dict[str, Any]) -> None:
    page = subprocess.run(
        ["pandoc", "-f", "gfm", "-t", "html", "--wrap=none"], input=reports["markdown"], capture_output=True, text=True, check=True
    ).stdout
    blocks = reports["markdown"].count("<details>")
    assert page.count("<details>") == blocks and page.count("<summary>") == blocks
    assert page.count("<table>") == 2
    # Text from pages is escaped: the only emphasis is the closing line of a report cut to fit.
    assert page.count("<em>") == reports["markdown"].count("do not fit in a job summary")


def test_html_at_scale_has_a_section_per_page_and_an_article_per_finding(reports: dict[str, Any]) -> None:
    page, findings = reports["html"], reports["findings"]
    sections = re.findall(r'<section class="page" id="page-\d+" data-file="([^"]*)">', page)
    assert len(sections) == len({finding["file"] for finding in findings})
    articles = Counter(re.findall(r'<article class="finding" data-rule="([a-z-]+)"', page))
    assert articles == Counter(finding["rule"] for finding in findings)
    assert '<a href="https://wiki.example/synthetic-swapped-00/" rel="noopener noreferrer">' in page


# --- in a real browser ----------------------------------------------------------------------------------


def chromium(url: str, profile: Path, *options: str) -> tuple[str, str]:
    """(the document Chromium leaves after the page's scripts ran, its console log)."""
    done = subprocess.run(
        [
            CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", *options, url,
        ],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout, "\n".join(line for line in done.stderr.splitlines() if ":CONSOLE" in line)


def visible(document: str) -> list[tuple[str, str]]:
    """(rule, severity) of every finding the filter left shown."""
    return re.findall(r'<article class="finding" data-rule="([a-z-]+)" data-severity="([a-z]+)">', document)


def shown_sections(document: str) -> list[str]:
    return re.findall(r'<section class="page" id="page-\d+" data-file="([^"]*)">', document)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_the_html_filter_works_in_chromium_and_nothing_is_fetched(reports: dict[str, Any], tmp_path: Path) -> None:
    report = reports["home"] / "report.html"
    findings = reports["findings"]
    url = report.as_uri()
    everything, console = chromium(url, tmp_path / "profile", "--dump-dom")
    assert len(visible(everything)) == len(findings)
    assert f'<output id="shown">{len(findings)} of {len(findings)} findings shown</output>' in everything
    assert "Content Security Policy" not in console and "Uncaught" not in console, console

    authors, _ = chromium(f"{url}#rule=authors-mismatch", tmp_path / "profile", "--dump-dom")
    wanted = [finding for finding in findings if finding["rule"] == "authors-mismatch"]
    assert visible(authors) == [("authors-mismatch", "warning")] * len(wanted)
    assert sorted(shown_sections(authors)) == sorted({finding["file"] for finding in wanted})
    assert f'<output id="shown">{len(wanted)} of {len(findings)} findings shown</output>' in authors
    # The differing names are marked on both sides of a real mismatch.
    assert re.search(r'<span class="differs" title="the registry spells it [^"]+">', authors)

    errors, _ = chromium(f"{url}#severity=error", tmp_path / "profile", "--dump-dom")
    assert Counter(rule for rule, _ in visible(errors)) == Counter(finding["rule"] for finding in findings if finding["severity"] == "error")
    none, _ = chromium(f"{url}#rule=doi-broken&severity=warning,info", tmp_path / "profile", "--dump-dom")
    assert visible(none) == [] and shown_sections(none) == []


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_chromium_would_report_a_fetch(reports: dict[str, Any], tmp_path: Path) -> None:
    """The check above can fail: a report that loads an image is caught by the same console."""
    tampered = tmp_path / "tampered.html"
    tampered.write_text(reports["html"].replace("</body>", '<img src="https://example.org/x.png"></body>'), "utf-8")
    _, console = chromium(tampered.as_uri(), tmp_path / "profile", "--dump-dom")
    assert "violates the following Content Security Policy directive" in console
