"""Damaged DOIs end to end: `refkit check` and `refkit export` as processes against the loopback
Crossref replaying real records. A repair candidate becomes the repair only when the registry holds
it and the page's listing agrees; it is asked in the same batch request as every other DOI."""

from __future__ import annotations

import json
from pathlib import Path

from refkit_process import refkit_env, run_refkit

# Real recorded works (../shared/crossref): the seed-beetle paper and a PLOS One article.
BEETLES_TITLE = (
    "Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed "
    "beetle Callosobruchus maculatus"
)
CUT_BY_A_SPACE = f"""
### {BEETLES_TITLE}

Proc Biol Sci. 2017 May 31;284(1855). doi: 10.1098/ rspb.2017.0132.
"""
PDF_HYPHEN = """
### Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia of Mice

PLoS One. 2012;7(3):e33693. http://dx.doi.org/10.1371/jour-nal.pone.0033693
"""
CUT_UNDER_ANOTHER_TITLE = """
### Vitamin D and the seasons of the year in Iceland

Proc Biol Sci. 2017 May 31;284(1855). doi: 10.1098/ rspb.2017.0132.
"""
CUT_WITH_NO_SUCH_DOI = "\nSee doi: 10.1371/ journal.pone.9999999 for nothing.\n"


def check(server, tmp_path: Path, wiki: Path, *extra: str):
    options = [
        "--crossref-url", server.crossref_url, "--doi-url", server.doi_url, "--store", str(tmp_path / "store.sqlite3"),
        "--mailto", "refkit-tests@example.org", "--base-url", "https://wiki.example", "--retries", "0",
    ]  # fmt: skip
    return run_refkit(*extra[:1], str(wiki), *options, *extra[1:], env=refkit_env(tmp_path), cwd=tmp_path)


def findings(done) -> list[tuple[str, str | None, dict]]:
    return [(f["rule"], f["doi"], f["details"]) for f in json.loads(done.stdout)]


def test_a_confirmed_repair_is_a_doi_typo_warning_named_with_both_dois(crossref_server, tmp_path, wiki):
    wiki.page("cut.md", CUT_BY_A_SPACE)
    wiki.page("hyphen.md", PDF_HYPHEN)
    done = check(crossref_server, tmp_path, wiki.root, "check", "--format", "json")
    got = findings(done)
    assert [(rule, doi) for rule, doi, _ in got] == [
        ("doi-typo", "10.1098/"),
        ("doi-corrected", "10.1371/jour-nal.pone.0033693"),  # the real record has a correction
        ("doi-typo", "10.1371/jour-nal.pone.0033693"),
    ]
    typos = {doi: details for rule, doi, details in got if rule == "doi-typo"}
    assert typos["10.1098/"]["repaired"] == "10.1098/rspb.2017.0132"
    assert typos["10.1098/"]["raw"] == "doi: 10.1098/ rspb.2017.0132"
    assert typos["10.1371/jour-nal.pone.0033693"]["repaired"] == "10.1371/journal.pone.0033693"
    assert done.returncode == 0, done.stderr  # warnings only: the gate passes
    # The candidates rode in the one batch request; the one single request asks for the DOI as written
    # (jour-nal), which a page cites and which must be told "not found" before a repair stands in.
    assert (crossref_server.requests["list"], crossref_server.requests["single"]) == (1, 1)


def test_export_includes_the_work_under_its_repaired_doi(crossref_server, tmp_path, wiki):
    wiki.page("cut.md", CUT_BY_A_SPACE)
    done = check(crossref_server, tmp_path, wiki.root, "export", "--format", "csljson", "-o", "-")
    assert done.returncode == 0, done.stderr
    [entry] = json.loads(done.stdout)
    assert entry["DOI"] == "10.1098/rspb.2017.0132" and entry["title"].startswith("Sexual conflict")
    assert "left out 10" not in done.stderr and "0 left out" in done.stderr


def test_a_candidate_whose_title_disagrees_with_the_page_is_no_repair(crossref_server, tmp_path, wiki):
    wiki.page("other.md", CUT_UNDER_ANOTHER_TITLE)
    done = check(crossref_server, tmp_path, wiki.root, "check", "--format", "json")
    assert [(rule, doi) for rule, doi, _ in findings(done)] == [("doi-broken", "10.1098/")]
    assert done.returncode == 1


def test_a_candidate_the_registry_does_not_hold_leaves_the_doi_broken(crossref_server, tmp_path, wiki):
    wiki.page("none.md", CUT_WITH_NO_SUCH_DOI)
    done = check(crossref_server, tmp_path, wiki.root, "check", "--format", "json")
    assert [(rule, doi) for rule, doi, _ in findings(done)] == [("doi-broken", "10.1371/")]
    assert crossref_server.requests["single"] == 0  # a missing candidate costs no request of its own


def test_the_ordinary_word_after_a_cut_is_not_joined(crossref_server, tmp_path, wiki):
    wiki.page("see.md", "See doi: 10.1016/j. for details.\n")
    done = check(crossref_server, tmp_path, wiki.root, "check", "--format", "json")
    assert [(rule, doi) for rule, doi, _ in findings(done)] == [("doi-broken", "10.1016/j")]


def test_two_cuts_leaving_the_same_text_keep_their_own_repairs(crossref_server, tmp_path, wiki):
    """Both cuts leave `10.1016/j`; each is its own damaged DOI with its own repair (real records)."""
    wiki.page("a.md", "First study: http://dx.doi.org/10.1016/j. ejphar.2015.03.018.\n")
    wiki.page("b.md", "Second study: http://dx.doi.org/10.1016/j. ffa.2015.10.008.\n")
    done = check(crossref_server, tmp_path, wiki.root, "check", "--format", "json")
    repairs = {Path(f["file"]).name: f["details"]["repaired"] for f in json.loads(done.stdout) if f["rule"] == "doi-typo"}
    assert repairs == {"a.md": "10.1016/j.ejphar.2015.03.018", "b.md": "10.1016/j.ffa.2015.10.008"}
    export = check(crossref_server, tmp_path, wiki.root, "export", "--format", "csljson", "-o", "-")
    assert sorted(entry["DOI"] for entry in json.loads(export.stdout)) == ["10.1016/j.ejphar.2015.03.018", "10.1016/j.ffa.2015.10.008"]


def test_resolve_stores_what_an_offline_check_needs_and_offline_asks_nothing(crossref_server, tmp_path, wiki):
    wiki.page("cut.md", CUT_BY_A_SPACE)
    done = check(crossref_server, tmp_path, wiki.root, "resolve", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    crossref_server.reset_counts()
    offline = check(crossref_server, tmp_path, wiki.root, "check", "--format", "json", "--offline")
    assert [(f["rule"], f["details"].get("repaired")) for f in json.loads(offline.stdout)] == [("doi-typo", "10.1098/rspb.2017.0132")]
    assert sum(crossref_server.requests.values()) == 0
    wiki.page("unknown.md", CUT_WITH_NO_SUCH_DOI)  # a candidate the store has no answer for
    offline = check(crossref_server, tmp_path, wiki.root, "check", "--format", "json", "--offline")
    assert offline.returncode == 1 and sum(crossref_server.requests.values()) == 0


def test_a_crossref_alias_and_its_doi_are_one_work(crossref_server, tmp_path, wiki):
    """Crossref answers the alias 10.26434/chemrxiv.5406907 with the record of
    10.26434/chemrxiv.5406907.v5 (a real recording, reached through the recorded 301)."""
    wiki.page("both.md", "Preprint: doi:10.26434/chemrxiv.5406907.v5\n\nAgain, as first posted: doi:10.26434/chemrxiv.5406907\n")
    done = check(crossref_server, tmp_path, wiki.root, "check", "--format", "json")
    assert [(f["rule"], f["doi"]) for f in json.loads(done.stdout)] == [("doi-duplicate", "10.26434/chemrxiv.5406907")]
    export = check(crossref_server, tmp_path, wiki.root, "export", "--format", "csljson", "-o", "-")
    assert [entry["DOI"] for entry in json.loads(export.stdout)] == ["10.26434/chemrxiv.5406907.v5"]
