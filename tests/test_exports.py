"""Exports: every format on the real recordings in ../shared/crossref, read back by real consumers
(bibtexparser, the CSL-JSON schema, pandoc --citeproc, biber, Citation.js) and by a tiny RIS reader;
golden files; hostile text; stable keys; atomic replacement; refusing to lose a bibliography.
Records made up for a case say `synthetic`. Expected values are written by hand from the recordings.

The golden files in tests/data/exports were written once by the code and then every value was
checked by hand against the recording (tests/data/exports/REVIEW.md says what each one was checked
against); the test only compares, it never rewrites them. After a deliberate change, regenerate with
`python tests/data/exports/write_golden.py` and review the diff line by line against the recordings."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import bibtexparser
import consumers
import jsonschema
import pytest
from click.testing import CliRunner
from conftest import SHARED, recorded_work, recorded_works
from refkit_process import refkit_env, run_refkit

from refkit.cli import main
from refkit.errors import ExportError
from refkit.pages import base_url_warning
from refkit.exports import NOTHING_TO_EXPORT, FORMATS, bibtex, csljson, export_file, render
from refkit.keys import assign_keys
from refkit.markup import plain
from refkit.model import PageLink, Person, Reference, Resolution, Work, doi_url
from refkit.store import Store

GOLDEN = Path(__file__).parent / "data" / "exports"
CSL_SCHEMA = json.loads((SHARED / "schemas" / "csl-data.json").read_text("utf-8"))
# The CSL types Zotero's CSL-JSON import accepts: the keys of `csl.types` in Zotero's schema.json
# (github.com/zotero/zotero-schema). One other type and Zotero rejects the whole file.
ZOTERO_CSL_TYPES = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast chapter dataset
    document entry-dictionary entry-encyclopedia graphic hearing interview legal_case legislation
    manuscript map motion_picture paper-conference patent personal_communication post post-weblog
    report software song speech standard thesis webpage""".split()
)
GOLDEN_RECORDS = (
    "10.1098_rspb.2017.0132",  # <i> markup, non-ASCII names
    "10.1101_2020.12.01.406702",  # posted-content with <i>
    "10.1007_978-3-662-46370-3_13",  # book chapter with a book title and ISBNs
    "10.1109_iccv.2007.4408927",  # proceedings article
    "10.1021_acs.orglett.7b03845",  # an author with a suffix
    "10.1186_s13742-015-0103-4",  # an organisation among the authors
    "10.14264_uql.2020.791",  # dissertation
    "10.2172_972169",  # report
)
PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed (CI installs it)")


def synthetic_pages(name: str) -> tuple[PageLink, ...]:
    return (
        PageLink(f"https://wiki.example/{name}/", f"Wiki page: {name}; part 1", f"content/{name}.md"),
        PageLink("https://wiki.example/overview/", "Overview", "content/overview.md"),
    )


def real_references() -> list[Reference]:
    return [Reference(work, synthetic_pages(work.doi.replace("/", "-")), verified=True) for work in recorded_works()]


def synthetic_unverified_reference() -> Reference:
    """What the CLI exports offline: the page's own listing, unverified."""
    work = Work(
        doi="10.1007/s00223-022-00955-3",
        title="Role of Vitamin K in Bone and Muscle Metabolism",
        container_title="Calcified Tissue International",
        issued=(2022,),
        authors=(Person(given="N.", family="Alonso"), Person(given="A.", family="Meinitzer")),
    )
    return Reference(work, synthetic_pages("role-of-vitamin-k"), verified=False)


SYNTHETIC_HOSTILE_TITLE = (
    r"Braces {x} and a lone } or { % \input{/etc/passwd} @comment{ & $5 #1 a_b ~ ^ \ "
    "<i>Italic</i> N<sub>2</sub>O x<sup>2</sup> <scp>Caps</scp> mRNA COVID-19 p<0.05"
)


def synthetic_hostile_reference() -> Reference:
    work = Work(
        doi="10.9999/synthetic_hostile",
        title=SYNTHETIC_HOSTILE_TITLE,
        container_title="J. Hostile & {Odd} Text_ 100%",
        issued=(2024, 2, 29),
        authors=(
            Person(given="John", family="von Neumann", suffix="Jr."),
            Person(given="Ann", family="Smith and Jones"),
            Person(literal="Food and Drug Administration"),
            Person(given="Zoë", family="Ünal-Ørsted"),
        ),
        volume="1\n2",
        pages="10-20",
    )
    pages = (PageLink("https://wiki.example/a:b;c\\d/", "Title: with; colon\\slash {brace", "a.md"),)
    return Reference(work, pages, verified=True)


def all_references() -> list[Reference]:
    return [*real_references(), synthetic_unverified_reference(), synthetic_hostile_reference()]


def rendered(name: str, references: Sequence[Reference]) -> str:
    return render(references, FORMATS[name])


# --- BibTeX -------------------------------------------------------------------------------------------


def test_bibtex_parses_back_into_one_entry_per_work() -> None:
    references = all_references()
    keys = assign_keys(references)
    library = bibtexparser.parse_string(rendered("bibtex", references))
    assert not library.failed_blocks
    by_key = {entry.key: entry for entry in library.entries}
    assert sorted(by_key) == [entry.key for entry in library.entries]  # sorted by key
    assert len(by_key) == len(references)
    for reference in references:
        assert by_key[keys[reference.work.doi]]["doi"] == reference.work.doi


def test_bibtex_entries_written_by_hand_from_the_recordings() -> None:
    """Whole entries, every value typed from the recording (../shared/crossref/<name>.json)."""
    smith = Reference(recorded_work("10.1021_acs.orglett.7b03845"), (), verified=True)
    assert bibtex.entry_type(smith.work) == "article"
    assert bibtex.entry_fields(smith) == [
        ("author", "Smith, III, Amos B."),  # "suffix": "III"
        ("title", "Twenty Years of Organic Letters, {A} Look Back...and Forward"),
        ("journal", "Organic Letters"),
        ("year", "2018"),
        ("date", "2018-01-05"),  # issued 2018-1-5
        ("volume", "20"),
        ("number", "1"),
        ("pages", "1--3"),
        ("issn", "1523-7060"),
        ("doi", "10.1021/acs.orglett.7b03845"),
        ("url", "https://doi.org/10.1021/acs.orglett.7b03845"),
    ]
    thesis = Reference(recorded_work("10.14264_uql.2020.791"), (), verified=True)
    assert bibtex.entry_type(thesis.work) == "phdthesis"
    assert bibtex.entry_fields(thesis) == [
        ("author", "Collingwood, Patricia Maree"),
        ("title", "School truancy and financial independence during emerging adulthood: a longitudinal "
                  "analysis of receipt of and reliance on cash transfers"),
        ("school", "University of Queensland Library"),
        ("year", "2020"),  # issued is [[null]]: the year is the approval's, 2020-05-25
        ("date", "2020-05-25"),
        ("doi", "10.14264/uql.2020.791"),
        ("url", "https://doi.org/10.14264/uql.2020.791"),
    ]  # fmt: skip
    preprint = Reference(recorded_work("10.1101_2020.12.01.406702"), (), verified=True)
    assert bibtex.entry_type(preprint.work) == "techreport"
    fields = dict(bibtex.entry_fields(preprint))
    assert (fields["type"], fields["institution"], fields["date"]) == ("Preprint", "openRxiv", "2020-12-01")
    assert fields["title"] == (
        r"Identification of a novel cationic glycolipid in \textit{Streptococcus agalactiae} that contributes"
        " to brain entry and meningitis"
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Is Vitamin D Deficiency a Risk?", "Is Vitamin {D} Deficiency a Risk?"),
        ("Vitamin K2 and B12, D3 and 25(OH)D", "Vitamin {K}2 and {B}12, {D}3 and 25({OH}){D}"),
        ("COVID-19, mRNA and DNA", "{COVID}-19, {mRNA} and {DNA}"),
        ("SCOAP3 and CO2", "{SCOAP}3 and {CO}2"),
        ("Ordinary Capitalised Words stay", "Ordinary Capitalised Words stay"),
        ("N<sub>2</sub>O and δ<sup>13</sup>C", r"{N}$_{\textrm{2}}${O} and δ$^{\textrm{13}}${C}"),
        ("Rate of $p_{\\mathrm {t}}$ spectra", "Rate of $p_{\\mathrm {t}}$ spectra"),  # TeX maths kept as maths
        ("a--b ~ c ^ d \\ e", r"a-{}-b \~{} c \^{} d {\textbackslash} e"),
    ],
)
def test_bibtex_title_protection_and_escapes(title: str, expected: str) -> None:
    assert bibtex.title_field(title) == expected


def test_bibtex_field_rules() -> None:
    hostile = bibtex.entry_fields(synthetic_hostile_reference())
    fields = dict(hostile)
    assert fields["doi"] == "10.9999/synthetic_hostile"  # raw, never TeX-escaped
    assert fields["url"] == "https://doi.org/10.9999/synthetic_hostile"
    assert fields["file"] == r"Title\: with\; colon\\slash brace:https\://wiki.example/a\:b\;c\\d/:text/html"
    assert fields["author"] == (
        "von Neumann, Jr., John and {Smith and Jones}, Ann and {Food and Drug Administration} and Ünal-Ørsted, Zoë"
    )
    assert fields["journal"] == r"J. Hostile \& \{Odd\} Text\_ 100\%"
    assert fields["date"] == "2024-02-29"
    title = fields["title"]
    for expected in (r"\{x\}", r"\{\vphantom{\}}", r"\vphantom{\{}\}", r"\%", r"{\textbackslash}input\{/etc/passwd\}",
                     r"\$5 \#1 a\_b \~{} \^{}", r"\textit{Italic}",
                     r"{N}$_{\textrm{2}}${O}", r"x$^{\textrm{2}}$", r"\textsc{Caps}", "{mRNA} {COVID}-19"):  # fmt: skip
        assert expected in title
    assert not {"howpublished", "note", "keywords"} & set(fields)
    unverified = dict(bibtex.entry_fields(synthetic_unverified_reference()))
    assert unverified["keywords"] == "Not verified against Crossref"  # a Zotero tag, not a child note
    assert "note" not in unverified
    two_pages = dict(bibtex.entry_fields(real_references()[0]))["file"]
    assert two_pages.count(":text/html") == 2 and ":text/html;" in two_pages


def test_bibtex_names_volume_placeholders_and_issns() -> None:
    """A suffix Crossref leaves in the family name (hindawi list: "family": "Raimundo, Jr."), the
    volume string "null" and an ISSN with a wrong check digit: synthetic variations of those records."""
    work = Work(
        doi="10.9999/synthetic.names",
        title="Synthetic",
        container_title="J",
        authors=(Person(given="Ivo M.", family="Raimundo, Jr."),),
        volume="null",
        issue="2",
        issn=("1234-5678", "0962-8452"),
    )
    fields = dict(bibtex.entry_fields(Reference(work, (), verified=True)))
    assert fields["author"] == "Raimundo, Jr., Ivo M."
    assert "volume" not in fields and fields["number"] == "2"
    assert fields["issn"] == "0962-8452"


def test_bibtex_entry_types() -> None:
    types = {work.type: bibtex.entry_type(work) for work in recorded_works()}
    assert types["journal-article"] == "article"
    assert types["book-chapter"] == "incollection"
    assert types["proceedings-article"] == "inproceedings"
    assert types["book"] == types["monograph"] == "book"
    assert types["report"] == types["posted-content"] == "techreport"
    assert types["dissertation"] == "phdthesis"
    # Other types: an article when in a journal (10.6002/ect.2015.0371 is in Experimental and Clinical
    # Transplantation), else misc.
    assert bibtex.entry_type(Work(doi="10.1/x", type="component", container_title="J")) == "article"
    assert bibtex.entry_type(Work(doi="10.1/x", type="dataset", publisher="Dryad")) == "misc"
    misc = dict(bibtex.entry_fields(Reference(Work(doi="10.1/x", type="dataset", publisher="Dryad", volume="3"), (), True)))
    assert misc["organization"] == "Dryad" and "publisher" not in misc and "volume" not in misc


def synthetic_pubmed_reference() -> Reference:
    """Synthetic: a work known only by PubMed (no DOI), as the NCBI source will give it."""
    work = Work(
        doi=None,
        pmid="99999991",
        pmcid="PMC9999991",
        title="Synthetic PubMed-only study of vitamin D",
        container_title="Synthetic Journal",
        issued=(2019, 3),
        authors=(Person(given="Ann", family="Synthetic"),),
    )
    return Reference(work, synthetic_pages("pubmed-only"), verified=True)


def test_a_work_without_a_doi_gets_a_key_a_url_and_its_pubmed_ids_in_every_format() -> None:
    reference = synthetic_pubmed_reference()
    keys = assign_keys([reference])
    assert keys == {"pmid:99999991": "synthetic2019synthetic"}
    fields = dict(bibtex.entry_fields(reference))
    assert "doi" not in fields
    assert fields["url"] == "https://pubmed.ncbi.nlm.nih.gov/99999991/"
    assert (fields["eprint"], fields["eprinttype"], fields["note"]) == ("99999991", "pubmed", "PMCID: PMC9999991")
    item = csljson.item(reference, "synthetic2019synthetic")
    assert (item["PMID"], item["PMCID"], item["URL"]) == ("99999991", "PMC9999991", "https://pubmed.ncbi.nlm.nih.gov/99999991/")
    assert "DOI" not in item
    assert item["note"].splitlines()[:3] == ["Citation Key: synthetic2019synthetic", "PMID: 99999991", "PMCID: PMC9999991"]
    record = read_ris(rendered("ris", [reference]))[0]
    assert ("UR", "https://pubmed.ncbi.nlm.nih.gov/99999991/") in record and "DO" not in dict(record)
    assert [value for tag, value in record if tag == "M2"] == [
        "Citation Key: synthetic2019synthetic", "PMID: 99999991", "PMCID: PMC9999991"
    ]  # fmt: skip
    pmc_only = Reference(Work(doi=None, pmcid="PMC9999992"), (), verified=False)
    assert dict(bibtex.entry_fields(pmc_only))["url"] == "https://pmc.ncbi.nlm.nih.gov/articles/PMC9999992/"
    assert assign_keys([pmc_only]) == {"pmcid:PMC9999992": "pmcid-pmc9999992"}
    # Every format reads the work back under its PubMed id, so a re-export keeps the key.
    for name in FORMATS:
        text = rendered(name, [reference, pmc_only])
        assert dict(FORMATS[name].load().read_entries(text)) == {
            "pmid:99999991": "synthetic2019synthetic", "pmcid:PMC9999992": "pmcid-pmc9999992"
        }  # fmt: skip


# --- CSL-JSON ------------------------------------------------------------------------------------------


def test_csljson_is_valid_and_uses_only_types_zotero_accepts() -> None:
    references = all_references()
    items = json.loads(rendered("csljson", references))
    jsonschema.validate(items, CSL_SCHEMA)
    assert [item["id"] for item in items] == sorted(assign_keys(references).values())
    assert {item["type"] for item in items} <= ZOTERO_CSL_TYPES
    crossref_types = ("journal-article", "book-chapter", "proceedings-article", "book", "monograph", "edited-book",
                      "posted-content", "dataset", "report", "dissertation", "component", "peer-review", "other")  # fmt: skip
    assert {csljson.csl_type(Work(doi="10.1/x", type=kind)) for kind in crossref_types} <= ZOTERO_CSL_TYPES


def test_csljson_fields_and_wiki_pages() -> None:
    keys = assign_keys([synthetic_hostile_reference()])
    item = csljson.item(synthetic_hostile_reference(), keys["10.9999/synthetic_hostile"])
    assert item["URL"] == doi_url(item["DOI"]) == "https://doi.org/10.9999/synthetic_hostile"
    assert item["citation-key"] == item["id"] == keys["10.9999/synthetic_hostile"]
    assert item["note"] == (
        f"Citation Key: {item['id']}\nCited on wiki page: https://wiki.example/a:b;c\\d/ (Title: with; colon\\slash {{brace)"
    )
    assert not re.search(r"^(URL|type):", item["note"], re.MULTILINE)
    assert item["custom"] == {"wiki_pages": [{"url": "https://wiki.example/a:b;c\\d/", "title": "Title: with; colon\\slash {brace"}]}
    assert item["author"][:3] == [
        {"family": "von Neumann", "given": "John, Jr."},  # Zotero drops a "suffix" key; it keeps "John, Jr."
        {"family": "Smith and Jones", "given": "Ann"},
        {"literal": "Food and Drug Administration"},
    ]
    assert item["issued"] == {"date-parts": [[2024, 2, 29]]}
    assert '<i>Italic</i> N<sub>2</sub>O x<sup>2</sup> <span style="font-variant:small-caps;">Caps</span>' in item["title"]
    unverified = csljson.item(synthetic_unverified_reference(), "k")
    assert unverified["note"].splitlines()[:2] == ["Citation Key: k", "Not verified against Crossref"]


def test_csljson_carries_what_zotero_would_lose() -> None:
    """Values typed from the recordings: the journal abbreviation where Zotero reads it, and the DOI of
    a book chapter (no DOI field in Zotero 7) as a `DOI:` line in Extra."""
    article = csljson.item(Reference(recorded_work("10.1021_acs.orglett.7b03845"), (), True), "smith2018twenty")
    assert article["journalAbbreviation"] == article["container-title-short"] == "Org. Lett."
    assert article["author"] == [{"family": "Smith", "given": "Amos B., III"}]
    assert "DOI:" not in article["note"]  # journal articles have a DOI field
    chapter = csljson.item(Reference(recorded_work("10.1007_978-3-662-46370-3_13"), (), True), "k")
    assert chapter["type"] == "chapter" and chapter["DOI"] == "10.1007/978-3-662-46370-3_13"
    assert chapter["note"].splitlines() == ["Citation Key: k", "DOI: 10.1007/978-3-662-46370-3_13"]
    assert "journalAbbreviation" not in chapter


# --- RIS ----------------------------------------------------------------------------------------------


def read_ris(text: str) -> list[list[tuple[str, str]]]:
    """A deliberately tiny, independent RIS reader: every line must be a tag line or blank."""
    records: list[list[tuple[str, str]]] = []
    for line in text.split("\n"):
        if not line:
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, f"not a RIS tag line: {line!r}"
        tag, value = match.groups()
        if tag == "TY":
            records.append([])
        records[-1].append((tag, value))
    return records


def test_ris_records_carry_the_expected_tags() -> None:
    references = all_references()
    records = read_ris(rendered("ris", references))
    assert len(records) == len(references)
    by_doi = {dict(record)["DO"]: record for record in records}
    chapter = by_doi["10.1007/978-3-662-46370-3_13"]
    tags = [tag for tag, _ in chapter]
    assert tags[:2] == ["TY", "ID"] and tags[-1] == "ER"
    assert dict(chapter)["TY"] == "CHAP"
    assert {"AU", "TI", "T2", "PY", "SP", "EP", "SN", "PB", "DO", "UR", "M2"} <= set(tags)
    assert dict(chapter)["UR"] == "https://doi.org/10.1007/978-3-662-46370-3_13"
    assert [value for tag, value in chapter if tag == "M2"] == [f"Citation Key: {dict(chapter)['ID']}"]
    notes = [value for tag, value in chapter if tag == "N1"]
    assert notes == [
        '<p>Cited on wiki pages:</p><ul>'
        '<li><a href="https://wiki.example/10.1007-978-3-662-46370-3_13/">Wiki page: 10.1007-978-3-662-46370-3_13; part 1</a></li>'
        '<li><a href="https://wiki.example/overview/">Overview</a></li></ul>'
    ]  # one child note, every page a link titled with the page title
    hostile = dict(by_doi["10.9999/synthetic_hostile"])
    assert hostile["VL"] == "1 2"  # a line break in a value does not break the record
    assert hostile["DA"] == "2024/02/29/"
    assert "Italic N2O x2 Caps" in hostile["TI"]
    hostile_authors = [value for tag, value in by_doi["10.9999/synthetic_hostile"] if tag == "AU"]
    assert hostile_authors[0] == "von Neumann, John, Jr."  # Zotero: last "von Neumann", first "John, Jr."
    assert hostile_authors[2] == "Food and Drug Administration,"
    unverified = by_doi["10.1007/s00223-022-00955-3"]
    assert ("KW", "Not verified against Crossref") in unverified
    assert not any(tag == "N1" and "Not verified" in value for tag, value in unverified)
    types = {dict(record)["TY"] for record in records}
    assert {"JOUR", "CHAP", "CPAPER", "BOOK", "RPRT", "DATA", "THES", "GEN"} <= types
    preprint = dict(by_doi["10.1101/2020.12.01.406702"])
    assert (preprint["TY"], preprint["M3"], preprint["PB"]) == ("RPRT", "Preprint", "openRxiv")
    paper = dict(by_doi["10.1109/iccv.2007.4408927"])
    assert paper["C3"] == "2007 IEEE 11th International Conference on Computer Vision" and "T2" not in paper


def test_ris_editors_and_suffixes_go_where_zotero_reads_them() -> None:
    """Synthetic: a book and a chapter with editors, and a suffix inside the family name."""
    editor = Person(given="Eve", family="Editor")
    book = Reference(Work(doi="10.9999/synthetic.book", type="edited-book", title="B", editors=(editor,)), (), True)
    chapter = Reference(Work(doi="10.9999/synthetic.chapter", type="book-chapter", title="C", editors=(editor,),
                             authors=(Person(given="Ivo M.", family="Raimundo, Jr."),)), (), True)  # fmt: skip
    records = {dict(record)["DO"]: record for record in read_ris(rendered("ris", [book, chapter]))}
    assert ("A3", "Editor, Eve") in records["10.9999/synthetic.book"]  # A2 of a book: series editor
    assert ("A2", "Editor, Eve") in records["10.9999/synthetic.chapter"]
    assert ("AU", "Raimundo, Ivo M., Jr.") in records["10.9999/synthetic.chapter"]


# --- every format ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_output_is_byte_identical_for_the_same_input_in_any_order(name: str) -> None:
    references = all_references()
    assert rendered(name, references) == rendered(name, list(reversed(references)))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_golden_files(name: str) -> None:
    references = [Reference(recorded_work(record), synthetic_pages(record), True) for record in GOLDEN_RECORDS]
    text = rendered(name, [*references, synthetic_unverified_reference()])
    assert text == (GOLDEN / f"golden{FORMATS[name].suffix}").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_keys_stay_stable_across_a_re_export_with_a_work_added(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"bibliography{FORMATS[name].suffix}"
    first = real_references()[:5]
    export_file(first, FORMATS[name], path)
    before = dict(FORMATS[name].load().read_entries(path.read_text("utf-8")))
    # A hand-chosen key in the file is kept too.
    old_key = before[first[0].work.doi]
    path.write_text(path.read_text("utf-8").replace(old_key, "handpicked"), encoding="utf-8")
    collider = Reference(
        Work(doi="10.0000/synthetic.first", title=first[1].work.title, issued=first[1].work.issued,
             authors=first[1].work.authors),
        (), verified=True,
    )  # fmt: skip
    export_file([*first, collider], FORMATS[name], path)
    after = dict(FORMATS[name].load().read_entries(path.read_text("utf-8")))
    assert after[first[0].work.doi] == "handpicked"
    assert {doi: after[doi] for doi in before if doi != first[0].work.doi} == {
        doi: key for doi, key in before.items() if doi != first[0].work.doi
    }
    assert after["10.0000/synthetic.first"] == before[first[1].work.doi] + "a"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_an_interrupted_export_leaves_the_old_file_intact(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / f"bibliography{FORMATS[name].suffix}"
    export_file(real_references()[:3], FORMATS[name], path)
    old = path.read_bytes()
    module = FORMATS[name].load()
    original = module.write

    def write_then_fail(references, keys, stream):  # type: ignore[no-untyped-def]
        original(references, keys, stream)
        stream.flush()
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-way

    monkeypatch.setattr(module, "write", write_then_fail)
    with pytest.raises(KeyboardInterrupt):
        export_file(real_references(), FORMATS[name], path)
    assert path.read_bytes() == old
    assert [item.name for item in tmp_path.iterdir()] == [path.name]  # no temporary file left


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_file_in_another_format_is_not_overwritten(name: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("My precious notes, not a bibliography.\n{", encoding="utf-8")
    with pytest.raises(ExportError):
        export_file(real_references()[:1], FORMATS[name], path)
    assert path.read_text("utf-8") == "My precious notes, not a bibliography.\n{"


# --- pandoc --citeproc reads both files -------------------------------------------------------------------


def pandoc_plain(bibliography: Path, tmp_path: Path) -> str:
    document = tmp_path / "cite-all.md"
    document.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    result = subprocess.run(
        [PANDOC or "pandoc", str(document), "--citeproc", "--bibliography", str(bibliography), "-t", "plain", "--wrap=none"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    # Titles with TeX maths (SCOAP3's "$\\sqrt {s_{NN}}$") are kept as maths; plain text cannot show a root.
    warnings = [line for line in result.stderr.splitlines() if "[WARNING]" in line and "Could not convert TeX math" not in line]
    assert warnings == [], result.stderr
    return result.stdout


@needs_pandoc
@pytest.mark.parametrize("name", ["bibtex", "csljson"])
def test_pandoc_renders_every_entry_without_warning(name: str, tmp_path: Path) -> None:
    references = all_references()
    path = tmp_path / f"all{FORMATS[name].suffix}"
    export_file(references, FORMATS[name], path)
    text = pandoc_plain(path, tmp_path)
    for reference in references:
        assert reference.work.doi in text or doi_url(reference.work.doi) in text, reference.work.doi


@needs_pandoc
@pytest.mark.parametrize("name", ["bibtex", "csljson"])
def test_special_characters_and_markup_round_trip_through_pandoc(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"hostile{FORMATS[name].suffix}"
    export_file([synthetic_hostile_reference()], FORMATS[name], path)
    text = pandoc_plain(path, tmp_path).casefold()
    # The style may change the case of a title; every character must come through as written.
    assert plain(SYNTHETIC_HOSTILE_TITLE).replace("N2O", "N₂O").replace("x2", "x²").casefold() in text
    assert "j. hostile & {odd} text_ 100%" in text
    # "von" is a particle: a style may put it after the given name.
    for name_text in ("neumann", "john von", "smith and jones", "food and drug administration", "zoë ünal-ørsted"):
        assert name_text in text


# --- biber, pandoc's styles and Citation.js read what was meant -------------------------------------------

BIBER = shutil.which("biber")


@pytest.mark.skipif(BIBER is None, reason="biber is not installed (.ci/run installs it from Debian)")
def test_biber_validates_every_entry_against_the_data_model(tmp_path: Path) -> None:
    # The hostile record's volume "1\n2" is no integer: biber would rightly ignore it.
    hostile = synthetic_hostile_reference()
    hostile = Reference(replace(hostile.work, volume="12"), hostile.pages, hostile.verified)
    references = [*real_references(), synthetic_unverified_reference(), hostile, synthetic_suffix_only_reference(),
                  synthetic_pubmed_reference(), *synthetic_other_type_references()]  # fmt: skip
    path = tmp_path / "all.bib"
    export_file(references, FORMATS["bibtex"], path)
    entries, warnings = consumers.biber_tool(path)
    assert entries == len(references)
    # Only data the records lack (a chapter without editors, a page listing without authors) may be missing.
    assert [kind for kind in warnings if not kind.startswith("Missing mandatory field")] == []
    written_back = (tmp_path / "all_bibertool.bib").read_text(encoding="utf-8")
    assert "AUTHOR = {Feldman, Sr., {}}" in written_back
    assert "EPRINT = {99999991}" in written_back and "EPRINTTYPE = {pubmed}" in written_back


def synthetic_other_type_references() -> list[Reference]:
    """Synthetic works of the Crossref types that used to be @misc with fields biblatex rejects."""
    return [
        Reference(Work(doi="10.9999/synthetic.component", type="component", title="Figure 1", container_title="J",
                       publisher="P", volume="16", issue="5", issued=(2018,)), (), True),
        Reference(Work(doi="10.9999/synthetic.dataset", type="dataset", title="Data", publisher="Dryad", volume="null",
                       issued=(2019, 4, 2), issn=("1234-5678",)), (), True),
    ]  # fmt: skip


SYNTHETIC_CASE_TITLES = ("Synthetic: Is Vitamin D Deficiency a Risk for COVID-19? Vitamin K2 and B12 in SCOAP3 data",)
REAL_CASE_WORDS = {  # recorded titles and the words a style must print as written
    "10.1002_1096-9861_20010212_430_3_283__aid-cne1031_3.0.co_2-v": ("Substance P", "GABA"),
}


@needs_pandoc
@pytest.mark.parametrize("style", [None, "titles-as-stored.csl"])
def test_pandoc_styles_keep_capitals_that_are_not_title_case(style: str | None, tmp_path: Path) -> None:
    """Chicago (pandoc's default) title-cases, the test style prints titles as stored; neither may
    lower "D", "K2", "COVID-19", "SCOAP3", "Substance P", nor garble N₂O."""
    synthetic = [Reference(Work(doi=f"10.9999/synthetic.case{index}", title=title, issued=(2020,)), (), True)
                 for index, title in enumerate(SYNTHETIC_CASE_TITLES)]  # fmt: skip
    real = [Reference(recorded_work(name), (), True) for name in REAL_CASE_WORDS]
    formula = Reference(Work(doi="10.9999/synthetic.formula", title="Synthetic N<sub>2</sub>O and δ<sup>13</sup>C"), (), True)
    path = tmp_path / "case.bib"
    export_file([*synthetic, *real, formula], FORMATS["bibtex"], path)
    text, warnings = consumers.pandoc_citeproc(path, GOLDEN / style if style else None)
    assert warnings == []
    # pandoc reads an English BibTeX title into sentence case, so "Vitamin" may lose its capital; "D" may not.
    for word in ("itamin D", "COVID-19", "K2", "B12", "SCOAP3", "N₂O", "δ¹³C",
                 *(word for words in REAL_CASE_WORDS.values() for word in words)):  # fmt: skip
        assert word in text, (word, text)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_citation_js_reads_every_entry_with_its_key_and_names(name: str, tmp_path: Path) -> None:
    """Citation.js (npm) is a required consumer: this fails, not skips, when it is not installed."""
    references = all_references()
    path = tmp_path / f"all{FORMATS[name].suffix}"
    export_file(references, FORMATS[name], path)
    items = consumers.citation_js(name, path)
    assert len(items) == len(references)
    keys = assign_keys(references)
    assert sorted(item["id"] for item in items) == sorted(keys.values())
    smith = next(item for item in items if item["id"] == keys["10.1021/acs.orglett.7b03845"])
    # CSL-JSON writes the suffix as Zotero keeps it (citeproc reads it back); BibTeX and RIS have a place for it.
    expected_name = {"family": "Smith", "given": "Amos B., III"} if name == "csljson" else {"family": "Smith", "given": "Amos B.", "suffix": "III"}
    assert smith["author"] == [expected_name]
    assert smith["issued"] == {"date-parts": [[2018, 1, 5]]}


def synthetic_suffix_only_reference() -> Reference:
    """Synthetic: a page-only author with a suffix and no given name."""
    work = Work(doi="10.5555/synthetic.suffix", title="Synthetic suffix", authors=(Person(family="Feldman", suffix="Sr."),))
    return Reference(work=work, pages=synthetic_pages("suffix"), verified=False)


# --- the command ------------------------------------------------------------------------------------------


def test_export_command_offline(wiki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    wiki.page(
        "vitamin-k.md",
        "#### Role of Vitamin K in Bone and Muscle Metabolism\n\n"
        "Calcified Tissue International (2022) https://doi.org/10.1007/s00223-022-00955-3\n\n"
        "N. Alonso, A. Meinitzer, E. Fritz-Petrin, D. Enko & M. Herrmann\n",
        front='{\n    "title": "Role of Vitamin K",\n    "tags": ["bone"]\n}\n',
    )
    wiki.page("other.md", "See https://doi.org/10.1038/ng.3834 and https://doi.org/10.1371/notarealdoi\n")
    store_path = tmp_path / "store.sqlite3"
    with Store(store_path) as store:  # an earlier online run learnt that this DOI does not exist
        store.put_many([Resolution("10.1371/notarealdoi", "not_found", agency="crossref")])
    monkeypatch.chdir(tmp_path)
    options = ["--offline", "--store", str(store_path)]
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(wiki.root), *options])
    assert result.exit_code == 0, result.output
    assert "left out 10.1371/notarealdoi (not found at Crossref or doi.org)" in result.stderr
    written = (tmp_path / "exports" / "bibliography.bib").read_text("utf-8")
    library = bibtexparser.parse_string(written)
    assert [entry.key for entry in library.entries] == ["alonso2022role", "doi-ng3834"]
    assert library.entries[0]["keywords"] == "Not verified against Crossref"
    assert library.entries[1]["doi"] == "10.1038/ng.3834"
    result = runner.invoke(main, ["export", str(wiki.root), "--format", "csljson", "--tag", "bone", "-o", "-", *options])
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    jsonschema.validate(items, CSL_SCHEMA)
    assert [item["id"] for item in items] == ["alonso2022role"]


def test_atomic_replacement_keeps_the_files_permissions(tmp_path: Path) -> None:
    path = tmp_path / "exports" / "bibliography.bib"
    export_file(real_references()[:1], FORMATS["bibtex"], path)  # creates the folder too
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
    path.chmod(0o640)
    export_file(real_references()[:2], FORMATS["bibtex"], path)
    assert path.stat().st_mode & 0o777 == 0o640


# --- refusing to lose a bibliography, and saying when pages cannot be linked (through `refkit`) ---------

def corpus_like_wiki(wiki) -> None:  # type: ignore[no-untyped-def]
    """Synthetic pages: two tagged pages citing three DOIs."""
    wiki.page("a.md", "See https://doi.org/10.1038/ng.3834 and https://doi.org/10.1007/s00223-022-00955-3\n",
              front='{\n    "title": "A",\n    "tags": ["cancer"]\n}\n')  # fmt: skip
    wiki.page("b.md", "See https://doi.org/10.1098/rspb.2017.0132\n", front='{\n    "title": "B",\n    "tags": ["cancer"]\n}\n')


def test_an_export_that_would_empty_or_shrink_a_bibliography_refuses_unless_forced(wiki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus_like_wiki(wiki)
    env = refkit_env(tmp_path, store=str(tmp_path / "store.sqlite3"))
    out = tmp_path / "bibliography.bib"
    common = ("--offline", "--base-url", "https://wiki.example", "-o", str(out))
    first = run_refkit("export", str(wiki.root), *common, env=env)
    assert first.returncode == 0, first.stderr
    good = out.read_bytes()
    assert good.count(b"\n@") + 1 == 3

    typo = run_refkit("export", str(wiki.root), "--tag", "canser", *common, env=env)  # the typo from issue 11
    assert typo.returncode == 1
    assert typo.stderr.strip().splitlines()[-1] == f"refkit: {NOTHING_TO_EXPORT}"
    assert "Traceback" not in typo.stderr
    assert out.read_bytes() == good

    (wiki.root / "b.md").unlink()
    (wiki.root / "a.md").write_text('{\n    "title": "A"\n}\nSee https://doi.org/10.1038/ng.3834\n', encoding="utf-8")
    shrink = run_refkit("export", str(wiki.root), *common, env=env)
    assert shrink.returncode == 1
    assert shrink.stderr.strip().splitlines()[-1] == (
        f"refkit: {out}: refusing to replace 3 entries with 1; check --tag/--category and the paths, or pass --force"
    )
    assert out.read_bytes() == good
    forced = run_refkit("export", str(wiki.root), *common, "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert bibtexparser.parse_string(out.read_text("utf-8")).entries[0].key == "doi-ng3834"

    nothing = run_refkit("export", str(wiki.root), "--tag", "canser", "--offline", "-o", "-", env=env)
    assert (nothing.returncode, nothing.stdout) == (1, "")
    assert nothing.stderr.strip() == f"refkit: {NOTHING_TO_EXPORT}"


def test_relative_page_urls_are_warned_about_once_with_the_fix(wiki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus_like_wiki(wiki)
    env = refkit_env(tmp_path, store=str(tmp_path / "store.sqlite3"))
    relative = run_refkit("export", str(wiki.root), "--offline", "-o", str(tmp_path / "a.bib"), env=env)
    assert relative.returncode == 0, relative.stderr
    warnings = [line for line in relative.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "refkit: warning: page URLs are relative (e.g. /a/), so exports cannot link to the wiki pages (Zotero rejects "
        "every such link); set base_url in refkit.toml or pass --base-url https://your.wiki"
    ]
    absolute = run_refkit("export", str(wiki.root), "--offline", "--base-url", "https://wiki.example",
                          "-o", str(tmp_path / "b.bib"), env=env)  # fmt: skip
    assert absolute.returncode == 0 and "warning" not in absolute.stderr
    assert "https\\://wiki.example/a/:text/html" in (tmp_path / "b.bib").read_text("utf-8")
    assert base_url_warning(["https://wiki.example/a/", "http://x.example/"]) is None
