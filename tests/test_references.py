"""references: citations + resolutions -> one Reference per work; keys: readable, unique, stable.

Works come from the real recordings in ../shared/crossref; records made up for a case say
`synthetic` in their name."""

from __future__ import annotations

import dataclasses

from conftest import recorded_work

from refkit.keys import ascii_fold, assign_keys, base_key
from refkit.model import Citation, Listed, Page, PageLink, Person, Reference, Resolution, Work
from refkit.references import build_references, restrict_pages


def cite(doi: str, page: str, listed: Listed | None = None, *, kind: str = "doi", line: int = 3) -> Citation:
    return Citation(
        kind=kind,  # type: ignore[arg-type]
        id=doi,
        raw=doi,
        file=f"content/{page}.md",
        line=line,
        column=1,
        page_url=f"https://wiki.example/{page}/",
        page_title=f"Page {page}",
        listed=listed,
    )


def found(work: Work) -> dict[str, Resolution]:
    return {work.doi: Resolution(work.doi, "found", agency="crossref", work=work)}


# --- build_references ------------------------------------------------------------------------------


def test_crossref_is_the_authority_and_the_page_fills_only_its_gaps() -> None:
    work = recorded_work("10.1101_097196")  # a preprint: Crossref has no container title
    assert work.container_title is None
    listed = Listed(title="A different title on the page", journal="bioRxiv", year=1999)
    bibliography = build_references([cite(work.doi, "b", listed)], found(work))
    (reference,) = bibliography.references
    assert reference.verified and reference.agency == "crossref"
    assert reference.work.title == work.title
    assert reference.work.issued == work.issued
    assert reference.work.container_title == "bioRxiv"


def test_one_reference_per_work_with_every_citing_page_once_in_url_order() -> None:
    work = recorded_work("10.1038_ng.3834")
    citations = [
        cite(work.doi.upper(), "zeta"),
        cite(work.doi, "alpha"),
        cite(f"https://doi.org/{work.doi}", "zeta", line=40),
    ]
    (reference,) = build_references(citations, found(work)).references
    assert [page.url for page in reference.pages] == ["https://wiki.example/alpha/", "https://wiki.example/zeta/"]
    assert reference.pages[0] == PageLink("https://wiki.example/alpha/", "Page alpha", "content/alpha.md")


def test_unresolved_doi_is_exported_unverified_from_the_pages_listings() -> None:
    doi = "10.1007/s00223-022-00955-3"
    alonso = Person(given="N.", family="Alonso")
    citations = [
        cite(doi, "b", Listed(title="Role of Vitamin K in Bone and Muscle Metabolism", year=2022)),
        cite(doi, "a", Listed(journal="Calcified Tissue International", authors=(alonso,))),
    ]
    resolutions = {doi: Resolution(doi, "unresolved", reason="offline")}
    (reference,) = build_references(citations, resolutions).references
    assert not reference.verified
    assert reference.work.title == "Role of Vitamin K in Bone and Muscle Metabolism"
    assert reference.work.container_title == "Calcified Tissue International"
    assert reference.work.authors == (alonso,)
    assert reference.work.year == 2022
    # A DOI missing from the resolutions is unresolved too.
    assert not build_references(citations, {}).references[0].verified


def test_not_found_and_broken_dois_are_left_out_with_their_pages() -> None:
    work = recorded_work("10.1038_hdy.2013.26")
    missing = "10.1371/notarealdoi"
    citations = [cite(work.doi, "a"), cite(missing, "b"), cite("10.1234/abc def", "c", kind="broken")]
    resolutions = {**found(work), missing: Resolution(missing, "not_found", reason="Crossref and doi.org: 404")}
    bibliography = build_references(citations, resolutions)
    assert [reference.work.doi for reference in bibliography.references] == [work.doi]
    assert [(left.key, left.reason) for left in bibliography.left_out] == [
        ("10.1234/abc def", "broken"),
        (missing, "not_found"),
    ]
    assert bibliography.left_out[1].pages[0].url == "https://wiki.example/b/"


def test_an_alias_doi_and_the_works_own_doi_are_one_reference() -> None:
    work = recorded_work("10.26434_chemrxiv.5406907.v5")  # Crossref answers the alias with this record
    alias = "10.26434/chemrxiv.5406907"
    resolutions = {**found(work), alias: Resolution(alias, "found", agency="crossref", work=work)}
    bibliography = build_references([cite(alias, "a"), cite(work.doi, "b")], resolutions)
    (reference,) = bibliography.references
    assert len(reference.pages) == 2


def test_restrict_pages_by_tag_or_category_case_insensitively() -> None:
    pages = [
        (Page(file="a.md", url="/a/", tags=("Vitamin D",), categories=("Bone",)), [cite("10.1/a", "a")]),
        (Page(file="b.md", url="/b/", tags=("magnesium",)), [cite("10.1/b", "b")]),
    ]
    assert [c.doi for c in restrict_pages(pages)] == ["10.1/a", "10.1/b"]
    assert [c.doi for c in restrict_pages(pages, tags=["vitamin d"])] == ["10.1/a"]
    assert [c.doi for c in restrict_pages(pages, categories=["bone"], tags=["magnesium"])] == []
    assert [c.doi for c in restrict_pages(pages, tags=["magnesium", "vitamin d"])] == ["10.1/a", "10.1/b"]


# --- citation keys -----------------------------------------------------------------------------------


def reference(work: Work) -> Reference:
    return Reference(work=work, pages=(), verified=True)


def test_keys_are_family_year_and_first_significant_title_word() -> None:
    assert base_key(recorded_work("10.1098_rspb.2017.0132")) == "dougherty2017sexual"
    assert base_key(recorded_work("10.1038_s43586-021-00024-3")) == "kupce2021parallel"  # Kupče
    assert base_key(recorded_work("10.1103_physrevd.99.045009")) == "bjerrumbohr2019new"  # Bjerrum-Bohr
    assert base_key(recorded_work("10.1017_9781108348843")) == "leung2019politics"  # "The" is skipped
    assert base_key(recorded_work("10.2903_j.efsa.2018.5239")) == "efsa2018scientific"  # an organisation
    assert base_key(recorded_work("10.1039_9781788019972")) == "pileio2020long"  # editors when no author


def test_key_folding_and_particles() -> None:
    assert ascii_fold("Ørsted-Łukasiewicz Straße") == "orstedlukasiewiczstrasse"
    synthetic_work_with_particle = Work(
        doi="10.9999/synthetic.1", title="On the Élan of Science", issued=(2001,),
        authors=(Person(given="Ludwig", family="van der Berg"),),
    )  # fmt: skip
    assert base_key(synthetic_work_with_particle) == "berg2001elan"
    assert base_key(Work(doi="10.9999/synthetic.2")) == "doi-synthetic2"
    assert base_key(Work(doi="10.9999/x", title="The role of K")) == "anonrole"


def synthetic_twins() -> list[Work]:
    """Three synthetic works whose base keys collide."""
    person = (Person(given="A.", family="Smith"),)
    return [
        Work(doi=f"10.9999/synthetic.{n}", title="Vitamin D trial", issued=(2020,), authors=person) for n in (3, 1, 2)
    ]


def test_colliding_keys_get_suffixes_in_doi_order() -> None:
    keys = assign_keys([reference(work) for work in synthetic_twins()])
    assert keys == {
        "10.9999/synthetic.1": "smith2020vitamin",
        "10.9999/synthetic.2": "smith2020vitamina",
        "10.9999/synthetic.3": "smith2020vitaminb",
    }


def test_existing_keys_are_kept_and_never_handed_to_another_doi() -> None:
    works = synthetic_twins()
    existing = {
        "10.9999/SYNTHETIC.3": "smith2020vitamin",  # the file's DOI case does not matter
        "10.9999/gone": "smith2020vitamina",  # no longer cited: its key stays reserved
        "10.9999/synthetic.2": "bad key, with {braces}",  # not citable as it is: replaced
    }
    keys = assign_keys([reference(work) for work in works], existing)
    assert keys == {
        "10.9999/synthetic.3": "smith2020vitamin",
        "10.9999/synthetic.1": "smith2020vitaminb",
        "10.9999/synthetic.2": "smith2020vitaminc",
    }


def test_keys_are_stable_when_a_work_is_added() -> None:
    works = synthetic_twins()
    before = assign_keys([reference(work) for work in works[1:]])
    newcomer = dataclasses.replace(works[0], doi="10.9999/synthetic.0")  # sorts first by DOI
    after = assign_keys([reference(work) for work in [*works[1:], newcomer]], existing=before)
    assert {doi: after[doi] for doi in before} == before
    assert after["10.9999/synthetic.0"] not in before.values()
