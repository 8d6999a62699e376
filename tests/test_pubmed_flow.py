"""PMIDs and PMCIDs end to end: `refkit check` and `refkit export` as processes against the loopback
NCBI and Crossref servers replaying real recordings (../shared/ncbi, ../shared/crossref).

The NCBI and Crossref recordings share no work, so where a test needs Crossref to hold the DOI a
real PubMed record gives, that Crossref record is synthetic and named so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from crossref_server import synthetic_work_message
from refkit_process import refkit_env, run_refkit

# Real PubMed records: a journal article with a DOI, and a GeneReviews chapter with none.
QUINTESSENCE_PMID = "23878845"
QUINTESSENCE_DOI = "10.3290/j.qi.a30176"
GENEREVIEWS_PMID = "20301382"
PEDSURG_PMID = "16080930"  # a real PubMed record whose DOI is PEDSURG_DOI
PEDSURG_DOI = "10.1016/j.jpedsurg.2005.05.009"
BEETLES = """
### Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus

Proc Biol Sci. 2017 May 31;284(1855). doi: 10.1098/rspb.2017.0132. PMID: {pmid}

Dougherty LR, van Lieshout E, McNamara KB, Moschilla JA, Arnqvist G, Simmons LW.
"""


@pytest.fixture
def servers(crossref_server, ncbi_server):
    return crossref_server, ncbi_server


def run(servers, tmp_path: Path, *args: str, offline: bool = False):
    crossref, ncbi = servers
    command, *rest = args
    options = [
        "--crossref-url", crossref.crossref_url, "--doi-url", crossref.doi_url,
        "--ncbi-url", ncbi.eutils_url, "--ncbi-idconv-url", ncbi.idconv_url, "--ncbi-api-key", "synthetic-test-key",
        "--store", str(tmp_path / "store.sqlite3"), "--mailto", "refkit-tests@example.org",
        "--base-url", "https://wiki.example", "--retries", "1",
    ]  # fmt: skip
    if offline:
        options.append("--offline")
    return run_refkit(command, *rest, *options, env=refkit_env(tmp_path), cwd=tmp_path)


def test_one_work_cited_by_pmid_on_one_page_and_doi_on_another_is_one_entry(servers, tmp_path, wiki):
    crossref, _ = servers
    synthetic_crossref_record = synthetic_work_message(QUINTESSENCE_DOI, 7)
    crossref.add_synthetic_works([synthetic_crossref_record])
    wiki.page("by-pmid.md", f"A trial of chlorhexidine. PMID: {QUINTESSENCE_PMID}\n")
    wiki.page("by-doi.md", f"The same trial: https://doi.org/{QUINTESSENCE_DOI}\n")
    for run_number in ("cold", "warm"):  # the store must give the same one work as the network
        done = run(servers, tmp_path, "export", str(wiki.root), "--format", "csljson", "-o", "-")
        assert done.returncode == 0, (run_number, done.stderr)
        [entry] = json.loads(done.stdout)
        # Crossref is the authority for the metadata; PubMed adds the PMID.
        assert (entry["DOI"], entry["PMID"], entry["title"]) == (QUINTESSENCE_DOI, QUINTESSENCE_PMID, "Synthetic work number 7")
        assert [page["url"] for page in entry["custom"]["wiki_pages"]] == [
            "https://wiki.example/by-doi/",
            "https://wiki.example/by-pmid/",
        ]


def test_a_work_cited_only_by_pmid_keeps_crossrefs_record_on_a_warm_run(servers, tmp_path, wiki):
    crossref, ncbi = servers
    crossref.add_synthetic_works([synthetic_work_message(QUINTESSENCE_DOI, 7)])
    wiki.page("by-pmid.md", f"A trial of chlorhexidine. PMID: {QUINTESSENCE_PMID}\n")
    cold = run(servers, tmp_path, "resolve", str(wiki.root))
    crossref.reset_counts()
    ncbi.reset_counts()
    warm = run(servers, tmp_path, "resolve", str(wiki.root))
    assert warm.stdout == cold.stdout and "\tcrossref\tSynthetic work number 7" in warm.stdout
    assert sum(crossref.requests.values()) == sum(ncbi.requests.values()) == 0


def test_a_work_known_only_to_pubmed_takes_its_metadata_from_pubmed(servers, tmp_path, wiki):
    wiki.page("review.md", f"See the GeneReviews chapter, PMID: {GENEREVIEWS_PMID}.\n")
    done = run(servers, tmp_path, "export", str(wiki.root), "--format", "csljson", "-o", "-")
    assert done.returncode == 0, done.stderr
    [entry] = json.loads(done.stdout)
    assert entry["title"] == "Single Large-Scale Mitochondrial DNA Deletion Syndromes"
    assert entry["author"][:2] == [{"family": "Goldstein", "given": "Amy"}, {"family": "Falk", "given": "Marni J"}]
    assert entry["PMID"] == GENEREVIEWS_PMID and "DOI" not in entry
    assert entry["URL"] == f"https://pubmed.ncbi.nlm.nih.gov/{GENEREVIEWS_PMID}/"


def test_a_pmid_and_a_doi_for_one_study_that_are_different_works(servers, tmp_path, wiki):
    wiki.page("beetles.md", BEETLES.format(pmid=QUINTESSENCE_PMID))
    done = run(servers, tmp_path, "check", str(wiki.root), "--format", "json")
    findings = [(f["rule"], f["id"], f["severity"]) for f in json.loads(done.stdout)]
    assert findings == [("pmid-doi-mismatch", f"pmid:{QUINTESSENCE_PMID}", "error")]
    [finding] = json.loads(done.stdout)
    assert finding["details"] == {"expected": QUINTESSENCE_DOI, "found": "10.1098/rspb.2017.0132", "suggestion": QUINTESSENCE_DOI}
    assert done.returncode == 1
    # What the registries say are two works stay two entries, whatever the page pairs.
    export = run(servers, tmp_path, "export", str(wiki.root), "--format", "csljson", "-o", "-")
    assert sorted((entry.get("DOI"), entry.get("PMID")) for entry in json.loads(export.stdout)) == [
        ("10.1098/rspb.2017.0132", None),
        (QUINTESSENCE_DOI, QUINTESSENCE_PMID),
    ]


def test_a_doi_repaired_beside_its_pmid_is_no_mismatch(servers, tmp_path, wiki):
    """The page hyphenates the DOI PubMed gives for the PMID beside it (a PDF line break): a typo
    refkit repairs, not two different works."""
    crossref, _ = servers
    synthetic_crossref_record = synthetic_work_message(PEDSURG_DOI, 11)
    crossref.add_synthetic_works([synthetic_crossref_record])
    wiki.page(
        "hyphen.md",
        "### Synthetic work number 11\n\n"
        f"J Synth Rec. 2011. http://dx.doi.org/10.1016/j.jped-surg.2005.05.009 PMID: {PEDSURG_PMID}\n",
    )
    done = run(servers, tmp_path, "check", str(wiki.root), "--format", "json")
    assert [(f["rule"], f["details"].get("repaired")) for f in json.loads(done.stdout)] == [("doi-typo", PEDSURG_DOI)]
    assert done.returncode == 0, done.stderr


def test_a_pmid_pubmed_does_not_hold(servers, tmp_path, wiki):
    wiki.page("gone.md", "PMID: 99999998\n")
    done = run(servers, tmp_path, "check", str(wiki.root), "--format", "json")
    [finding] = json.loads(done.stdout)
    assert (finding["rule"], finding["severity"], finding["doi"], finding["id"]) == ("pmid-not-found", "error", None, "pmid:99999998")
    assert finding["message"] == "PMID 99999998 is not in PubMed."
    assert done.returncode == 1
    export = run(servers, tmp_path, "export", str(wiki.root), "-o", str(tmp_path / "out.bib"))
    assert "left out pmid:99999998 (not in PubMed), cited on https://wiki.example/gone/" in export.stderr


def test_a_warm_store_asks_nothing_and_offline_asks_nothing(servers, tmp_path, wiki):
    crossref, ncbi = servers
    wiki.page("review.md", f"PMID: {GENEREVIEWS_PMID} and PMID: {QUINTESSENCE_PMID}\n")
    first = run(servers, tmp_path, "resolve", str(wiki.root), "--format", "jsonl")
    assert first.returncode == 0, first.stderr
    assert [(r["kind"], r["id"], r["status"]) for r in map(json.loads, first.stdout.splitlines())] == [
        ("pmid", GENEREVIEWS_PMID, "found"),
        ("pmid", QUINTESSENCE_PMID, "found"),
    ]
    assert ncbi.requests["efetch"] == 1
    ncbi.reset_counts()
    crossref.reset_counts()
    again = run(servers, tmp_path, "resolve", str(wiki.root), "--format", "jsonl")
    assert again.stdout == first.stdout
    offline = run(servers, tmp_path, "resolve", str(wiki.root), "--format", "jsonl", offline=True)
    assert offline.stdout == first.stdout
    assert sum(ncbi.requests.values()) == sum(crossref.requests.values()) == 0
