"""refkit scan: citations with positions, the page's listed metadata, bad pages, the whole corpus."""

import json
from pathlib import Path

import pytest
from refkit_process import refkit_env, run_refkit

from refkit.config import Settings
from refkit.model import Page
from refkit.pages import read_page
from refkit.scan import scan_page, scan_paths

SETTINGS = Settings(base_url="https://wiki.example", permalink="/posts/:slug/")


def test_positions_are_file_lines_and_columns(wiki) -> None:
    path = wiki.page("p.md", "\nIntro\n\nSee doi:10.1002/jbmr.328 and https://doi.org/10.1093/aje/kwu059.\n")
    citations = scan_page(read_page(path, SETTINGS))
    lines = path.read_text().split("\n")
    for citation in citations:
        line = lines[citation.line - 1]
        assert line[citation.column - 1 :].startswith(citation.raw)
    assert [c.doi for c in citations] == ["10.1002/jbmr.328", "10.1093/aje/kwu059"]


def test_one_citation_per_distinct_doi_at_its_first_occurrence(wiki) -> None:
    text = "A [doi: 10.1111/and.14568](https://doi.org/10.1111/and.14568)\n\nagain DOI: 10.1111/AND.14568\n"
    path = wiki.page("p.md", text)
    first = scan_page(read_page(path, SETTINGS))
    every = scan_page(read_page(path, SETTINGS), all_occurrences=True)
    assert [(c.doi, c.line, c.column) for c in first] == [("10.1111/and.14568", 4, 4)]
    assert len(every) == 3


def test_broken_doi_is_its_own_kind(wiki) -> None:
    path = wiki.page("p.md", "PMID:22123420; http://dx.doi.org/10.1016/j.\n\nnext paragraph\n")
    pmid, citation = scan_page(read_page(path, SETTINGS))
    assert (pmid.kind, pmid.id, pmid.doi, pmid.key) == ("pmid", "22123420", None, "pmid:22123420")
    assert (citation.kind, citation.raw, citation.listed) == ("broken", "http://dx.doi.org/10.1016/j.", None)


def test_seed_page_lists_its_study(shared_dir: Path) -> None:
    page = read_page(shared_dir / "seeds" / "role-of-vitamin-k-in-bones-and-muscles.md", SETTINGS)
    [citation] = scan_page(page)
    assert citation.doi == "10.1007/s00223-022-00955-3"
    assert (citation.line, citation.column) == (36, 39)
    listed = citation.listed
    assert listed is not None
    assert listed.title == "Role of Vitamin K in Bone and Muscle Metabolism"
    assert (listed.journal, listed.year) == ("Calcified Tissue International", 2022)
    assert [p.family for p in listed.authors] == ["Alonso", "Meinitzer", "Fritz-Petrin", "Enko", "Herrmann"]


def test_scan_paths_streams_pages_and_reports_skips(wiki) -> None:
    wiki.page("a.md", "doi:10.1002/jbmr.328\n")
    wiki.page("b.md", b"\xff\xfe\x00 binary")
    wiki.page("c.md", "no dois\n")
    skipped = []
    results = list(scan_paths([wiki.root], SETTINGS, skipped.append, workers=1))
    assert [page.title for page, _ in results] == ["a", "c"]
    assert [len(citations) for _, citations in results] == [1, 0]
    assert [error.file for error in skipped] == [str(wiki.root / "b.md")]


def test_parallel_scan_equals_serial(shared_dir: Path) -> None:
    corpus = shared_dir / "corpus" / "vitamindwiki"
    files = sorted(corpus.glob("*.md"))[:200]
    serial = [(p.file, c) for p, c in scan_paths(files, SETTINGS, workers=1)]
    parallel = [(p.file, c) for p, c in scan_paths(files, SETTINGS, workers=2)]
    assert serial == parallel


def test_whole_corpus_scans_without_a_skip_or_an_error(shared_dir: Path) -> None:
    corpus = shared_dir / "corpus" / "vitamindwiki"
    skipped = []
    pages = citations = 0
    for _page, found in scan_paths([corpus], SETTINGS, skipped.append):
        pages += 1
        citations += len(found)
    assert skipped == []
    assert pages == 2466
    assert citations > 2000


# --- The command -----------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path: Path):
    """`refkit` as its own process: a crash is a traceback on stderr and exit status 1, as users see it."""

    def run(*args: str) -> tuple[int, str, str]:
        result = run_refkit(*args, env=refkit_env(tmp_path))
        assert "Traceback" not in result.stderr, result.stderr
        return result.returncode, result.stdout, result.stderr

    return run


def test_jsonl_has_exactly_the_documented_keys(run, shared_dir: Path) -> None:
    code, out, err = run("scan", "--format", "jsonl", str(shared_dir / "seeds"))
    assert code == 0
    [record] = [json.loads(line) for line in out.splitlines()]
    assert set(record) == {"kind", "id", "doi", "raw", "file", "line", "column", "page_url", "listed", "candidates"}
    assert record["id"] == record["doi"] == "10.1007/s00223-022-00955-3" and record["candidates"] == []
    assert set(record["listed"]) == {"title", "journal", "year", "authors", "truncated"}
    assert record["listed"]["authors"][0] == {"given": "N.", "family": "Alonso"}
    assert "1 page, 1 DOI, 0 broken, 0 skipped" in err


def test_text_and_csv_formats(run, wiki) -> None:
    wiki.page("a.md", "x doi:10.1002/jbmr.328\n")
    code, out, _ = run("scan", str(wiki.root))
    assert code == 0 and out == f"{wiki.root / 'a.md'}:4:3: 10.1002/jbmr.328\n"
    code, out, _ = run("scan", "--format", "csv", "--quiet", str(wiki.root))
    assert out.splitlines()[0].startswith("kind,id,doi,raw,file,line,column,page_url")
    assert out.splitlines()[1].startswith("doi,10.1002/jbmr.328,10.1002/jbmr.328,doi:10.1002/jbmr.328,")


def test_exit_status_one_when_a_page_is_skipped(run, wiki) -> None:
    wiki.page("good.md", "doi:10.1002/jbmr.328\n")
    bad = wiki.page("bad.md", '{\n"title": "x",\n}\nbody\n', front="")
    code, out, err = run("scan", str(wiki.root))
    assert code == 1
    skip, summary = err.splitlines()
    assert skip.startswith(f"refkit: skipped {bad}:3: invalid JSON front matter")
    assert summary.startswith("refkit: ") and summary.endswith(", 1 skipped")
    assert out == f"{wiki.root / 'good.md'}:4:1: 10.1002/jbmr.328\n"


def test_a_skip_stays_one_line_when_the_file_name_holds_a_line_break(run, wiki) -> None:
    wiki.page("two\nlines.md", b"\x00binary")
    code, _, err = run("scan", str(wiki.root))
    assert code == 1
    assert err.count("\n") == 2  # the skip line and the summary line
    assert "two\\nlines.md" in err


def test_a_listing_belongs_to_the_first_doi_beside_it(wiki) -> None:
    text = (
        "\n#### Methylphenidate Exposure Induces Dopamine Neuron Loss\n\n"
        "PLoS ONE (2012) https://doi.org/10.1371/journal.pone.0033693\n\n"
        "Shankar Sadasivan, Brooks B. Pond, Amar K. Pani\n\n"
        "See figure doi:10.1371/journal.pmed.0030277.g001 too.\n"
    )
    study, figure = scan_page(read_page(wiki.page("p.md", text), SETTINGS))
    assert study.listed is not None and study.listed.journal == "PLoS ONE"
    # The figure stands under the same study's lines, but the listing describes the study:
    # given to the figure too, it would be checked and exported as the study.
    assert figure.listed is None


def test_a_pmid_names_only_its_own_studys_doi_on_a_line_of_references() -> None:
    """A line of numbered references (as PDF copies leave them): each PMID goes with the DOI of its
    own entry, never with the next entry's (corpus: vitamin-d-update-holick.md)."""
    body = (
        "94. Smith A, Jones B. A study. J Foo 2013; 1:2-3; PMID:23824148; doi:10.1007/s10238-013-0249-2. "
        "95. Brown C, Green D. Another. J Bar 2013; 4:5; doi:10.1007/s10067-013-2216-4.\n"
    )
    citations = scan_page(Page("refs.md", "/refs/", body=body))
    assert [(c.kind, c.id, c.same_work) for c in citations] == [
        ("pmid", "23824148", ("10.1007/s10238-013-0249-2",)),
        ("doi", "10.1007/s10238-013-0249-2", ("pmid:23824148",)),
        ("doi", "10.1007/s10067-013-2216-4", ()),
    ]
    body = (
        "12. Smith A, Jones B. A study. J Foo 2013; 1:2-3; doi:10.1007/s10238-013-0249-2. "
        "13. Brown C, Green D. Another. J Bar 2013; 4:5; doi:10.1007/s10067-013-2216-4; PMID:23824148.\n"
    )
    citations = scan_page(Page("refs.md", "/refs/", body=body))
    assert [(c.kind, c.id, c.same_work) for c in citations] == [
        ("doi", "10.1007/s10238-013-0249-2", ()),
        ("doi", "10.1007/s10067-013-2216-4", ()),
        ("pmid", "23824148", ()),  # entry 13's DOI is not the listing's owner: no link is better than a wrong one
    ]
