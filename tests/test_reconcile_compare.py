"""Comparing as carefully as reading: the findings a person checking them rejected (issue 9), each
on the real recorded record it was seen with, through reconcile and through `refkit check` as a
process; and journal names against the ISO 4 / NLM abbreviations people write.

Expected values are written by hand from the recordings in ../shared/crossref."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import pytest
from conftest import CROSSREF_RECORDINGS, Wiki, recorded_work
from crossref_server import LoopbackCrossref
from refkit_process import refkit_env, run_refkit

from refkit.model import Citation, Finding, Listed, Person, Resolution, Work
from refkit.listed import listed_near
from refkit.names import parse_author_list
from refkit.reconcile import journals_match, reconcile, titles_match

DATA = Path(__file__).parent / "data"
PLOS = "10.1371_journal.pone.0000030"  # Ralser, Heeren, Breitenbach, Lehrach, Krobitsch
GTEX = "10.1038_ng.3834"  # Chiang, GTEx Consortium, Scott, Davis, Tsang, Li, Kim, … (14)
UROLOGE = "10.1007_s00120-007-1345-2"  # title and subtitle in German, then in English; "Der Urologe"


def check(work: Work, listed: Listed) -> list[Finding]:
    citation = Citation("doi", work.doi or "", work.doi or "", "page.md", 10, 1, "/page/", listed=listed)
    return reconcile([citation], {work.doi or "": Resolution(work.doi or "", "found", agency="crossref", work=work)})


def listing(work: Work, authors: str | None = None, **values: object) -> Listed:
    """The record's own title, journal and year, and `authors` as a page writes them."""
    people, cut = parse_author_list(authors) if authors else ((), False)
    fields = {"title": work.title, "journal": work.container_title, "year": work.year, "authors": people, "truncated": cut}
    return Listed(**{**fields, **values}, authors_line=12)  # type: ignore[arg-type]


def summary(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(finding.rule, finding.message) for finding in findings]


# --- "The page lists 10 of the work's 5 authors" ------------------------------------------------


def test_a_cut_listing_with_names_that_are_not_authors_counts_only_the_works_authors() -> None:
    work = recorded_work(PLOS)
    # Ten names and et al., five of them the work's: the others are named, the cut is not news.
    page = "Smith A, Jones B, Brown C, Ralser M, Heeren G, Breitenbach M, Lehrach H, Krobitsch S, Doe J, Roe K, et al."
    assert summary(check(work, listing(work, page))) == [
        ("authors-mismatch", "Authors differ from the work's authors: not authors of the work: A. Smith, B. Jones, C. Brown, J. Doe, K. Roe."),
    ]
    # Two of the five and two strangers, cut: the page names two of the work's five authors.
    findings = check(work, listing(work, "Ralser M, Smith A, Heeren G, Jones B, et al."))
    assert [(f.rule, f.details.get("listed"), f.details.get("authors"), f.details.get("extra")) for f in findings] == [
        ("authors-mismatch", None, None, ["A. Smith", "B. Jones"]),
        ("authors-truncated", 2, 5, None),
    ]
    assert findings[1].message == "The page lists 2 of the work's 5 authors."


def test_et_al_after_every_author_and_a_real_cut() -> None:
    work = recorded_work(PLOS)
    assert check(work, listing(work, "Ralser M, Heeren G, Breitenbach M, Lehrach H, Krobitsch S, et al.")) == []
    assert summary(check(work, listing(work, "Ralser M, Heeren G, Breitenbach M, et al."))) == [
        ("authors-truncated", "The page lists 3 of the work's 5 authors.")
    ]


# --- "missing from the page: GTEx Consortium" after et al. ----------------------------------------


def test_a_cut_listing_is_not_missing_the_group_author() -> None:
    work = recorded_work(GTEX)
    assert summary(check(work, listing(work, "Chiang C, Scott AJ, Davis JR, Tsang EK, Li X, Kim Y, et al."))) == [
        ("authors-truncated", "The page lists 6 of the work's 14 authors.")
    ]


def test_a_cut_listing_still_misses_a_person_skipped_between_two_it_names() -> None:
    work = recorded_work(GTEX)
    [mismatch, truncated] = check(work, listing(work, "Chiang C, Davis JR, Tsang EK, et al."))
    assert (mismatch.rule, mismatch.details["missing"]) == ("authors-mismatch", ["Alexandra J Scott"])
    assert truncated.message == "The page lists 3 of the work's 14 authors."


def test_a_full_listing_without_the_group_author_misses_it() -> None:
    work = recorded_work(GTEX)
    page = "Chiang C, Scott AJ, Davis JR, Tsang EK, Li X, Kim Y, Hadzic T, Damani FN, Ganel L, Montgomery SB, Battle A, Conrad DF, Hall IM."
    [finding] = check(work, listing(work, page))
    assert finding.details["missing"] == ["GTEx Consortium"]


# --- the English title Crossref carries as the work's other title --------------------------------


def test_crossref_record_keeps_its_translated_title_with_its_subtitle() -> None:
    work = recorded_work(UROLOGE)
    assert work.title == "Penisverletzung durch eine Moulinette"
    assert work.subtitle == "Folge einer autoerotischen Selbstverstümmelung"
    assert work.other_titles == ("Penile injury caused by a Moulinette: Result of autoerotic self-mutilation",)
    assert recorded_work("10.4000_dms.865").other_titles == ("Distances, absence, proximités et présences : des concepts en déplacement",)
    assert recorded_work("10.7600_jspfsm.56.60").other_titles == ("自律神経・循環器応答",)  # original-title, the title empty
    assert recorded_work("10.1098_rspb.2017.0132").other_titles == ()


@pytest.mark.parametrize(
    "title",
    [
        "Penile injury caused by a Moulinette",
        "Penile injury caused by a Moulinette: result of autoerotic self-mutilation",
        "Penisverletzung durch eine Moulinette",
    ],
)
def test_every_title_the_record_holds_is_the_works_title(title: str) -> None:
    work = recorded_work(UROLOGE)
    assert check(work, listing(work, "Lehsnau M.", title=title, journal="Urologe A")) == []


def test_another_title_is_still_reported() -> None:
    work = recorded_work(UROLOGE)
    assert [f.rule for f in check(work, listing(work, "Lehsnau M.", title="Penile fracture during sexual intercourse"))] == [
        "title-mismatch"
    ]


@pytest.mark.parametrize(
    ("page", "record", "same"),
    [
        # the article's kind before a page's title: the wiki heads an editorial "Editorial in same issue: …"
        # (2x-more-preeclampsia-…md)
        ("Editorial in same issue: Vitamin D sufficiency in pregnancy", "Vitamin D sufficiency in pregnancy", True),
        ("Editorial: Vitamin D Binding Protein and Vitamin D Levels", "Editorial: Vitamin D Binding Protein and Vitamin D Levels", True),
        # the registry's kind stays: its DOI is the letter about a study, not the study the page names
        ("Vitamin D and COVID-19", "Letter to the editor: Vitamin D and COVID-19", False),
        # the kind alone is no title: two editorials are not one
        ("Editorial: Vitamin D and falls in the elderly", "Editorial: Vitamin D sufficiency in pregnancy", False),
        ("Comment: Vitamin D and falls in the elderly", "Comment on: Vitamin D sufficiency in pregnancy", False),
        # a title that opens with such a word is no kind
        ("Correspondence analysis of dietary patterns", "Correspondence analysis of dietary patterns: a review", True),
        ("Dietary patterns", "Correspondence analysis of dietary patterns: a review", False),
    ],
)
def test_the_kind_of_article_before_a_title(page: str, record: str, same: bool) -> None:
    assert titles_match(page, record) is same


# --- journals: ISO 4 / NLM abbreviations -----------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "record"),
    [  # close, but other studies (similarity 0.886 and 0.825: the bar is 0.9)
        ("Vitamin D deficiency and depression in adults", "Vitamin D deficiency and dementia in adults"),
        ("Vitamin D and type 1 diabetes in children", "Vitamin D and type 2 diabetes in adults"),
    ],
)
def test_a_title_a_few_words_off_is_another_title(page: str, record: str) -> None:
    assert not titles_match(page, record)


def test_a_commentary_is_the_kind_of_article_before_its_title() -> None:
    assert titles_match("Commentary: Vitamin D and falls", "Vitamin D and falls")


def test_urologe_a_is_der_urologe() -> None:
    work = recorded_work(UROLOGE)
    assert check(work, listing(work, "Lehsnau M.", title=work.title, journal="Urologe A")) == []
    assert [f.rule for f in check(work, listing(work, "Lehsnau M.", journal="Urology"))] == ["journal-mismatch"]


SAME_JOURNAL = [
    # (as a page writes it, as a record names it): NLM / ISO 4 abbreviations written by hand.
    ("Urologe A", "Der Urologe"),
    ("J Steroid Biochem Mol Biol", "The Journal of Steroid Biochemistry and Molecular Biology"),
    ("Paediatr Res", "Pediatric Research"),  # the British spelling
    ("J. Clin. Endocrinol. Metab.", "The Journal of Clinical Endocrinology & Metabolism"),
    ("JCEM", "The Journal of Clinical Endocrinology & Metabolism"),
    ("J Clin EndocrinolMetab", "The Journal of Clinical Endocrinology & Metabolism"),  # glued, as in the corpus
    ("Proc Natl Acad Sci U S A", "Proceedings of the National Academy of Sciences of the United States of America"),
    ("Proc Natl Acad Sci USA", "Proceedings of the National Academy of Sciences of the United States of America"),
    ("Proc Natl Acad Sci U S A", "Proceedings of the National Academy of Sciences"),
    ("PNAS", "Proceedings of the National Academy of Sciences"),
    ("Proc Biol Sci", "Proceedings of the Royal Society B: Biological Sciences"),
    ("Philos Trans R Soc Lond B Biol Sci", "Philosophical Transactions of the Royal Society B: Biological Sciences"),
    ("Am J Med Genet A", "American Journal of Medical Genetics Part A"),
    ("J Phys A", "Journal of Physics A: Mathematical and Theoretical"),
    ("J Gerontol A Biol Sci Med Sci", "The Journals of Gerontology Series A: Biological Sciences and Medical Sciences"),
    ("Nucl Phys B", "Nuclear Physics B"),
    ("Dtsch Med Wochenschr", "Deutsche Medizinische Wochenschrift"),
    ("Ned Tijdschr Geneeskd", "Nederlands Tijdschrift voor Geneeskunde"),
    ("Jpn J Ophthalmol", "Japanese Journal of Ophthalmology"),
    ("J Natl Cancer Inst", "Journal of the National Cancer Institute"),
    ("Paediatr Perinat Epidemiol", "Paediatric and Perinatal Epidemiology"),
    ("J Womens Health (Larchmt)", "Journal of Women's Health"),
    ("Alzheimers Dement", "Alzheimer's & Dementia"),
    ("Arch Dis Child Fetal Neonatal Ed", "Archives of Disease in Childhood - Fetal and Neonatal Edition"),
    ("JPEN J Parenter Enteral Nutr", "Journal of Parenteral and Enteral Nutrition"),
    ("Am J Physiol Endocrinol Metab", "American Journal of Physiology-Endocrinology and Metabolism"),
    ("Dermatoendocrinol", "Dermato-Endocrinology"),
    ("Endocrinol Nutr", "Endocrinología y Nutrición"),
    ("Rev Bras Reumatol", "Revista Brasileira de Reumatologia"),
    ("Ann Inst Pasteur", "Annales de l'Institut Pasteur"),
    ("J Reine Angew Math", "Journal für die reine und angewandte Mathematik (Crelles Journal)"),
    ("Finite Fields Appl", "Finite Fields and Their Applications"),
    ("EFSA J", "EFSA Journal"),
    ("Medicine (Baltimore)", "Medicine"),
    ("Lancet", "The Lancet"),
]

DIFFERENT_JOURNALS = [
    # Real journals, each pair two of them, which a lenient reading took for one.
    ("Eur J Nutr", "European Journal of Clinical Nutrition"),
    ("Am J Med", "American Journal of Medical Genetics Part A"),
    ("J Clin Endocrinol", "The Journal of Clinical Endocrinology & Metabolism"),  # its title before 1952
    ("Phys Rev A", "Physical Review E"),
    ("Phys Rev A", "Physical Review Applied"),
    ("Am J Med Genet B", "American Journal of Medical Genetics Part A"),
    ("Nutr Metab", "Nutrition, Metabolism and Cardiovascular Diseases"),
    ("Journal of Mathematics", "Journal of Applied Mathematics"),
    ("Journal of Engineering", "Journal of Healthcare Engineering"),
    ("Anat Rec", "Antarctic Research Series"),
    ("APP", "Acta Physica Polonica B"),  # Acta Palaeontologica Polonica's short title in its recording
    ("Science", "SpringerBriefs in Medical Earth Sciences"),
    ("E-Journal of Chemistry", "Journal of Analytical Methods in Chemistry"),
    ("Hepatology", "Hematology"),
    ("An Pediatr", "Pediatrics"),
    ("Am J Clin Nutr", "Journal of Clinical Nutrition"),
    ("Nature", "Nature Genetics"),
    ("Nutrients", "The Journal of Nutrition"),
    ("Osteoporos Int", "Journal of Bone and Mineral Research"),
    ("Phth", "Physical Therapy"),  # pieces shorter than three letters glued together are initials, no abbreviation
]


@pytest.mark.parametrize(("page", "record"), SAME_JOURNAL)
def test_standard_abbreviations_are_the_same_journal(page: str, record: str) -> None:
    assert journals_match(page, [record])


@pytest.mark.parametrize(("page", "record"), DIFFERENT_JOURNALS)
def test_different_journals_do_not_pass(page: str, record: str) -> None:
    assert not journals_match(page, [record])
    assert not journals_match(record, [page])


def test_the_hand_written_nlm_abbreviation_of_every_recorded_article_is_its_journal() -> None:
    sample = json.loads((DATA / "reconcile_sample.json").read_text("utf-8"))["sample"]
    wrong = []
    for entry in sample:
        work = recorded_work(entry["recording"])
        names = [name for name in (work.container_title, work.short_container_title) if name]
        if not journals_match(entry["nlm_abbreviation"], names):
            wrong.append((entry["nlm_abbreviation"], names))
    assert len(sample) == 57 and wrong == []


def _recorded_journals() -> dict[str, tuple[str, tuple[str, ...], frozenset[str]]]:
    """Every journal the recordings name (single works and lists): its title, short titles and ISSNs."""
    journals: dict[str, tuple[str, tuple[str, ...], frozenset[str]]] = {}
    for path in sorted(CROSSREF_RECORDINGS.glob("*.json")) + sorted((CROSSREF_RECORDINGS / "lists").glob("*.json")):
        message = json.loads(path.read_text("utf-8"))["message"]
        for item in message.get("items", [message]):
            title = next(iter(item.get("container-title") or ()), None)
            if title and item.get("ISSN"):
                _, shorts, issns = journals.get(title.casefold(), (title, (), frozenset()))
                journals[title.casefold()] = (title, tuple(dict.fromkeys((*shorts, *(item.get("short-container-title") or ())))), issns | set(item["ISSN"]))
    return journals


def test_no_two_recorded_journals_pass_for_one_another() -> None:
    """Journals with no ISSN in common are different journals; none may pass for another, by its
    title or a short title. The one exception is Crossref's test prefix 10.5555, whose made-up
    "Test Publication" and "Test's Publication" differ by an apostrophe and an s."""
    journals = _recorded_journals()
    passed = sorted(
        (name, other_title)
        for (title, shorts, issns), (other_title, other_shorts, other_issns) in itertools.permutations(journals.values(), 2)
        if not issns & other_issns
        for name in (title, *shorts)
        if journals_match(name, [other_title, *other_shorts])
    )
    assert len(journals) >= 150
    assert passed == [
        ("T Pub", "Test's Publication"),
        ("Test Publication", "Test's Publication"),
        ("Test's Publication", "Test Publication"),
    ]


# --- through `refkit check` ------------------------------------------------------------------------


def _check_findings(wiki: Wiki, tmp_path: Path, server: LoopbackCrossref) -> list[tuple[str, str, str]]:
    """(page, rule, message) of each finding `refkit check --format json` gives on the wiki, as a process,
    against the loopback Crossref; the command must exit 0."""
    server.announce_generous_limits()
    env = refkit_env(tmp_path, crossref_url=server.crossref_url, doi_url=server.doi_url, mailto="tests@example.org")
    done = run_refkit("check", str(wiki.root), "--format", "json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return [(Path(f["file"]).name, f["rule"], f["message"]) for f in json.loads(done.stdout)]


def test_refkit_check_on_pages_showing_each_rejected_finding(wiki: Wiki, tmp_path: Path, crossref_server: LoopbackCrossref) -> None:
    wiki.page(
        "cut.md",
        "### Triose Phosphate Isomerase Deficiency Is Caused by Altered Dimerization–Not Catalytic Inactivity–of the Mutant Enzymes.\n\n"
        "PLoS One. 2006 Dec 20;1(1):e30. [doi: 10.1371/journal.pone.0000030.](https://doi.org/10.1371/journal.pone.0000030.)\n\n"
        "Smith A, Jones B, Brown C, Ralser M, Heeren G, Breitenbach M, Lehrach H, Krobitsch S, Doe J, Roe K, et al.\n",
    )
    wiki.page(
        "gtex.md",
        "### The impact of structural variation on human gene expression.\n\n"
        "Nat Genet. 2017 May;49(5):692-699. [doi: 10.1038/ng.3834.](https://doi.org/10.1038/ng.3834.)\n\n"
        "Chiang C, Scott AJ, Davis JR, Tsang EK, Li X, Kim Y, et al.\n",
    )
    wiki.page(
        "urologe.md",
        "### Penile injury caused by a Moulinette.\n\n"
        "Urologe A. 2007 Jul;46(7):776-9. [doi: 10.1007/s00120-007-1345-2.](https://doi.org/10.1007/s00120-007-1345-2.)\n\n"
        "Lehsnau M.\n",
    )
    assert _check_findings(wiki, tmp_path, crossref_server) == [
        ("cut.md", "authors-mismatch", "Authors differ from the work's authors: not authors of the work: A. Smith, B. Jones, C. Brown, J. Doe, K. Roe."),
        ("gtex.md", "authors-truncated", "The page lists 6 of the work's 14 authors."),
    ]


# --- a listing refkit could not read whole ------------------------------------------------------


def test_no_author_is_missing_from_a_listing_holding_a_piece_read_as_no_one() -> None:
    work = recorded_work(PLOS)
    dropped = listing(work, "Ralser M, Heeren G, Lehrach H, Krobitsch S.")
    assert summary(check(work, dropped)) == [
        ("authors-mismatch", "Authors differ from the work's authors: missing from the page: Michael Breitenbach.")
    ]
    assert check(work, dataclasses.replace(dropped, authors_unread=True)) == []
    # names that are not the work's are still reported
    strangers = listing(work, "Ralser M, Heeren G, Smith A, Krobitsch S.", authors_unread=True)
    assert summary(check(work, strangers)) == [("authors-mismatch", "Authors differ from the work's authors: not authors of the work: A. Smith.")]


GTEX_LISTING = (
    "Colby Chiang  Alexandra J. Scott  Joe R. Davis  Emily K. Tsang  Xin Li  Yungil Kim  Tarik Hadzic  "
    "Farhan N. Damani  Liron Ganel  Stephen B. Montgomery  Alexis Battle  Donald F. Conrad  Ira M. Hall"
)


def test_refkit_check_reports_no_author_missing_where_names_glued_into_one_word_were_not_read(
    wiki: Wiki, tmp_path: Path, crossref_server: LoopbackCrossref
) -> None:
    # The page names every person but not the group: missing from the page. With two names glued into one
    # word, as a PDF copy glues them, that piece is not read, and the authors it may hold are not reported
    # missing; a piece that is no name (a role) hides nothing.
    pages = {
        "whole.md": GTEX_LISTING,
        "glued.md": GTEX_LISTING.replace("  ", ", ").replace("Alexis Battle, Donald F. Conrad", "AlexisBattleDonaldConrad"),
        "role.md": GTEX_LISTING.replace("Ira M. Hall", "Ira M. Hall, professor of genetics"),
    }
    for name, listed in pages.items():
        wiki.page(
            name,
            "### The impact of structural variation on human gene expression\n\n"
            f"Nature Genetics 2017, https://doi.org/10.1038/ng.3834\n\n{listed}\n",
        )
    missing = "Authors differ from the work's authors: missing from the page: GTEx Consortium."
    assert _check_findings(wiki, tmp_path, crossref_server) == [("role.md", "authors-mismatch", missing), ("whole.md", "authors-mismatch", missing)]
    done = run_refkit("scan", "--format", "jsonl", "--no-cache", str(wiki.root / "glued.md"), env=refkit_env(tmp_path), cwd=tmp_path)
    assert len(json.loads(done.stdout)["listed"]["authors"]) == 11  # Alexis Battle and Donald F. Conrad not read


def test_pieces_read_as_no_one_that_hold_no_names_hide_no_missing_author() -> None:
    """Synthetic records (not Crossref data): roles after names, a title's first words echoed among the
    names (corpus forms, from a review), and the dropped author is still reported missing."""
    dropped = Person("Synthetic", "Dropped")
    for lines, index, people in (
        (["#### Synthetic", "", "Christopher M Worsham, assistant professor1,  Anupam B Jena, professor1, Joseph P Newhouse, professor of health care policy and medicine1 2 4", "", "BMJ. 2013;1:e3. doi:10.5555/synthetic"], 4,
         [Person("Christopher M", "Worsham"), dropped, Person("Anupam B", "Jena"), Person("Joseph P", "Newhouse")]),
        (["137. Eyles DW, Burne TH, McGrath JJ, Vitamin D. Vitamin D, effects on brain development. Front Neuroendocrinol 2013; 34:47-64; http://dx.doi.org/10.5555/synthetic"], 0,
         [Person("D. W.", "Eyles"), Person("T. H.", "Burne"), dropped, Person("J. J.", "McGrath")]),
    ):  # fmt: skip
        work = Work(doi="10.5555/synthetic", title="Synthetic", authors=tuple(people), issued=(2013,), years=(2013,))
        listed = listed_near(lines, index, 1)
        assert listed is not None and not listed.authors_unread
        assert [f.message for f in check(work, listed)] == ["Authors differ from the work's authors: missing from the page: Synthetic Dropped."]


def test_synthetic_work_with_no_author_the_page_names_is_not_a_truncation() -> None:
    """A synthetic record (not Crossref data): the page's cut list names none of its authors."""
    work = Work(doi="10.5555/synthetic", title="Synthetic", authors=(Person("Ann", "Other"), Person("Bo", "Else")), issued=(2020,), years=(2020,))
    assert [f.rule for f in check(work, listing(work, "Smith A, Jones B, et al.", title="Synthetic"))] == ["authors-mismatch"]


# Citation lines written as corpus pages write them (tests/test_listed.py::JOURNAL_LINES names each
# page), here around the real record of 10.1038/srep16696 (Scientific Reports, 2015): the note, article
# kind or publisher around the journal's name are no part of it, a line naming no journal names none, and
# the article's history is no year of publication. Each drew a `journal-mismatch` or a `year-mismatch`
# before the reader cut them away (at 6127716).
JOURNAL_LINE_FORMS = [
    "Scientific Reports doi.org/10.1038/srep16696",
    "Review Sci Rep. 2015 Nov 19. [doi: 10.1038/srep16696](https://doi.org/10.1038/srep16696)",
    "Editorial, Scientific Reports, November 2015, DOI 10.1038/srep16696",
    "Scientific Reports Advance Access published November 19, 2015, doi:10.1038/srep16696",
    "Received 25 August 2014, accepted 21 October 2014, DOI: 10.1038/srep16696",
    "Preprint DOI: 10.1038/srep16696",
]


def test_refkit_check_reads_the_journal_alone_on_citation_lines_as_the_corpus_writes_them(
    wiki: Wiki, tmp_path: Path, crossref_server: LoopbackCrossref
) -> None:
    for number, line in enumerate(JOURNAL_LINE_FORMS):
        wiki.page(f"line{number:02d}.md", f"### Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson’s disease genetically related mutants\n\n{line}\n")
    assert _check_findings(wiki, tmp_path, crossref_server) == []
