"""reconcile: each rule on real recorded Crossref responses (../shared/crossref), name matching
through reconcile, title / year / journal tolerance, severities and the reconciled work.

Records whose name starts with `synthetic_` are made up here (there is no real recording of
an article with an `updated-by` retraction or expression of concern); everything else is real."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CROSSREF_RECORDINGS, recorded_work

from refkit.errors import ConfigError
from refkit.model import Citation, Finding, Listed, Page, Person, Resolution, Update, Work
from refkit.names import parse_author_list
from refkit.reconcile import journals_match, reconcile, reconciled_work, titles_match
from refkit.scan import scan_page
from refkit.sources.crossref import works_from_list


def listed_work(list_file: str, doi: str) -> Work:
    message = json.loads((CROSSREF_RECORDINGS / "lists" / list_file).read_text("utf-8"))["message"]
    return next(work for work in works_from_list(message) if work.doi == doi)


def cite(doi: str, listed: Listed | None = None, *, file: str = "page.md", line: int = 10, kind: str = "doi") -> Citation:
    return Citation(kind, doi, f"doi: {doi}", file, line, 5, "https://wiki.example/page/", listed=listed)  # type: ignore[arg-type]


def found(work: Work, doi: str | None = None) -> dict[str, Resolution]:
    return {doi or work.doi: Resolution(doi or work.doi, "found", agency="crossref", work=work)}


def check(work: Work, listed: Listed | None = None, rules: dict[str, str] | None = None) -> list[Finding]:
    return reconcile([cite(work.doi, listed)], found(work), rules)


def rules_of(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def authors(text: str) -> tuple[tuple[Person, ...], bool]:
    return parse_author_list(text)


def listing(work: Work, author_text: str | None = None, **changes: object) -> Listed:
    """A listing that agrees with the work in everything not changed."""
    people, truncated = authors(author_text) if author_text else (work.authors, False)
    base = Listed(
        title=work.title,
        journal=work.container_title,
        year=work.year,
        authors=people,
        truncated=truncated,
        authors_line=12,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


PLOS_CORRECTED = "10.1371_journal.pone.0033693"
RSPB = "10.1098_rspb.2017.0132"  # non-ASCII given name (Göran), particle (van Lieshout), <i> markup in title


# --- DOI status and update relations ----------------------------------------------------------


def test_correction_from_a_real_updated_by_record() -> None:
    work = recorded_work(PLOS_CORRECTED)
    [finding] = check(work, listing(work))
    assert finding.rule == "doi-corrected" and finding.severity == "warning"
    assert finding.details["updates"][0]["doi"] == "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda"
    assert "10.1371/annotation/c76da2c1" in finding.message
    assert (finding.file, finding.line, finding.column, finding.doi) == ("page.md", 10, 5, work.doi)


def test_real_plos_retraction_notice_is_reported_and_not_compared_field_by_field() -> None:
    notice = listed_work("rcrossref_journals_1932-6203_page1_plos-retraction-notices.json", "10.1371/journal.pone.0210896")
    # The page describes the retracted article; the notice's own title ("Retraction: ...") differs.
    wiki_listing = Listed(title="Human Phosphatidylethanolamine-Binding Protein 4 promoted radioresistance", year=2014)
    [finding] = check(notice, wiki_listing)
    assert finding.rule == "doi-retraction-notice" and finding.severity == "warning"
    assert finding.details["retracts"] == ["10.1371/journal.pone.0090062"]
    assert "10.1371/journal.pone.0090062" in finding.message


def test_real_hindawi_notice_titled_retracted_without_update_to() -> None:
    notice = listed_work("rcrossref_members_98_hindawi_retracted-titles.json", "10.1155/2020/5109831")
    assert notice.update_to == ()
    assert rules_of(check(notice)) == ["doi-retraction-notice"]


def test_the_real_correction_notices_in_the_plos_list_are_not_retraction_notices() -> None:
    correction = listed_work(
        "rcrossref_journals_1932-6203_page1_plos-retraction-notices.json", "10.1371/journal.pone.0117653"
    )
    assert correction.update_to[0].type == "correction"
    assert check(correction) == []


@pytest.mark.parametrize("source", ["publisher", "retraction-watch"])
def test_synthetic_retracted_article_is_an_error(source: str) -> None:
    # The real PLOS notice 10.1371/journal.pone.0210896 retracts pone.0090062; that article's own
    # record is not recorded, so its `updated-by` side is made up here.
    synthetic_retracted_work = Work(
        doi="10.1371/journal.pone.0090062",
        title="Human Phosphatidylethanolamine-Binding Protein 4 Promoted the Radioresistance of Human Rectal Cancer",
        updated_by=(Update("retraction", "10.1371/journal.pone.0210896", source=source, date="2019-01-10"),),
    )
    [finding] = check(synthetic_retracted_work)
    assert (finding.rule, finding.severity) == ("doi-retracted", "error")
    assert finding.details["updates"] == [
        {"type": "retraction", "doi": "10.1371/journal.pone.0210896", "date": "2019-01-10", "source": source}
    ]
    assert ("retraction-watch" in finding.message) == (source == "retraction-watch")


def test_synthetic_expression_of_concern_and_new_version_is_not_a_problem() -> None:
    synthetic_work_with_concern = Work(
        doi="10.5555/synthetic.concern",
        updated_by=(
            Update("expression_of_concern", "10.5555/synthetic.eoc", source="publisher"),
            Update("new_version", "10.5555/synthetic.concern.v2", source="publisher"),
        ),
    )
    assert rules_of(check(synthetic_work_with_concern)) == ["doi-expression-of-concern"]


def test_real_new_version_self_relation_is_not_reported() -> None:
    work = recorded_work("10.1371_journal.ppat.1008184")
    assert any(update.type == "new_version" for update in work.updated_by)
    assert check(work, listing(work)) == []


def test_real_component_doi() -> None:
    component = recorded_work("10.1371_journal.pmed.0030277.g001")
    article_listing = Listed(title="An article title the page gives", journal="PLoS Med", year=2006)
    [finding] = check(component, article_listing)
    assert finding.rule == "doi-component"
    assert finding.details["component_of"] == component.component_of == "10.1371/journal.pmed.0030277"
    assert "10.1371/journal.pmed.0030277" in finding.message


def test_not_found_broken_and_unverified() -> None:
    citations = [
        cite("10.7554/elife.01567x", line=3),
        cite("10.1016/j.", kind="broken", line=4),
        cite("10.1093/aje/kwu059", Listed(title="Anything", year=1900), line=5),
        cite("10.1210/jc.2010-1886", line=6),
    ]
    resolutions = {
        "10.7554/elife.01567x": Resolution("10.7554/elife.01567x", "not_found"),
        "10.1093/aje/kwu059": Resolution("10.1093/aje/kwu059", "unresolved", reason="offline"),
    }
    findings = reconcile(citations, resolutions)
    assert [(f.rule, f.severity, f.line) for f in findings] == [
        ("doi-not-found", "error", 3),
        ("doi-broken", "error", 4),
        ("doi-unverified", "info", 5),
        ("doi-unverified", "info", 6),
    ]
    assert findings[1].message == "'doi: 10.1016/j.' is not a complete DOI."
    assert findings[2].details == {"status": "unresolved", "reason": "offline"}
    assert "offline" in findings[2].message and "not checked" in findings[2].message
    assert findings[3].details["reason"] == "not resolved"


# --- duplicates -------------------------------------------------------------------------------


def test_alias_and_its_target_on_one_page_are_a_duplicate() -> None:
    # Real: Crossref redirects 10.26434/chemrxiv.5406907 to the .v5 record, which lists it as an alias.
    work = recorded_work("10.26434_chemrxiv.5406907.v5")
    alias = "10.26434/chemrxiv.5406907"
    resolutions = {**found(work), alias: Resolution(alias, "found", work=work)}
    findings = reconcile([cite(work.doi, line=3), cite(alias, line=9)], resolutions)
    [duplicate] = [f for f in findings if f.rule == "doi-duplicate"]
    assert (duplicate.line, duplicate.doi) == (9, alias)
    assert duplicate.details["first"] == {"doi": work.doi, "line": 3, "column": 5}
    # The same two DOIs on different pages are no duplicate.
    apart = reconcile([cite(work.doi, file="a.md"), cite(alias, file="b.md")], resolutions)
    assert "doi-duplicate" not in rules_of(apart)


def test_dois_equal_after_decoding_are_a_duplicate() -> None:
    work = recorded_work("10.1002_1096-9861_20010212_430_3_283__aid-cne1031_3.0.co_2-v")
    encoded = work.doi.replace("(", "%28").replace(")", "%29")
    resolutions = {**found(work), encoded: Resolution(encoded, "unresolved", reason="offline")}
    findings = reconcile([cite(work.doi), cite(encoded, line=20)], resolutions)
    assert [f.line for f in findings if f.rule == "doi-duplicate"] == [20]


# --- page metadata: authors -------------------------------------------------------------------


def test_correct_listing_in_three_wiki_styles_gives_no_finding() -> None:
    work = recorded_work(RSPB)
    for style in (
        "Dougherty LR, van Lieshout E, McNamara KB, Moschilla JA, Arnqvist G, Simmons LW.",
        "Liam R. Dougherty, Emile van Lieshout, Kathryn B. McNamara, Joe A. Moschilla, Goeran Arnqvist & Leigh W. Simmons",
        "L. R. Dougherty, E. Van Lieshout, K. B. McNamara, J. A. Moschilla, G. Arnqvist, L. W. Simmons",
    ):
        assert check(work, listing(work, style)) == [], style


def test_diacritics_transliteration_and_hyphen_variants() -> None:
    efsa = recorded_work("10.2903_j.efsa.2018.5239")  # Crossref writes Gundert‐Remy with U+2010
    listed = (
        Person(literal="EFSA Panel on Food Additives and Nutrient Sources added to Food (ANS)"),
        Person("M", "Younes"), Person("P", "Aggett"), Person("F", "Aguilar"), Person("R", "Crebelli"),
        Person("B", "Dusemund"), Person("M", "Filipic"), Person("MJ", "Frutos"), Person("P", "Galtier"),
        Person("D", "Gott"), Person("U", "Gundert-Remy"), Person("C", "Lambre"), Person("JC", "Leblanc"),
    )
    findings = check(efsa, listing(efsa, authors=listed, truncated=True))
    assert [(f.rule, f.line, f.details) for f in findings] == [("authors-truncated", 12, {"listed": 13, "authors": 28})]
    nano = recorded_work("10.1038_nnano.2014.279")  # Günter Reiss
    for spelling in ("Reiss", "Reiß"):
        for given in ("Günter", "Guenter", "Gunter"):
            assert check(nano, listing(nano, authors=(Person("Timo", "Kuschel"), Person(given, spelling)))) == []


def test_family_first_without_comma_and_organisation_author() -> None:
    work = recorded_work("10.1038_ng.3834")  # second author is the GTEx Consortium
    # As a scanner may hand them over: given and family swapped, a family-first name left whole.
    people = (
        Person("C", "Chiang"), Person(literal="GTEx Consortium"), Person("Scott", "Alexandra J"), Person(literal="Davis JR"),
        Person("EK", "Tsang"), Person("X", "Li"), Person("Y", "Kim"), Person("T", "Hadzic"), Person("FN", "Damani"),
        Person("L", "Ganel"), Person("SB", "Montgomery"), Person("A", "Battle"), Person("DF", "Conrad"), Person("IM", "Hall"),
    )
    assert check(work, listing(work, authors=people)) == []


def test_missing_extra_misspelled_and_order_are_named() -> None:
    work = recorded_work(RSPB)
    wrong = "Dougherty LR, McNamara KB, Moschilla JA, Arnkvist G, Simmons LW, Smith J"
    [finding] = check(work, listing(work, wrong))
    assert finding.rule == "authors-mismatch" and finding.severity == "warning"
    assert (finding.line, finding.column) == (12, 1)  # the author line, not the DOI
    assert finding.details["missing"] == ["Emile van Lieshout"]
    assert finding.details["extra"] == ["J. Smith"]
    assert finding.details["misspelled"] == [{"found": "G. Arnkvist", "expected": "Göran Arnqvist"}]
    assert finding.details["order_differs"] is False
    assert "Emile van Lieshout" in finding.message and "Arnkvist (Crossref: Göran Arnqvist)" in finding.message

    [swapped] = check(work, listing(work, "van Lieshout E, Dougherty LR, McNamara KB, Moschilla JA, Arnqvist G, Simmons LW"))
    assert swapped.details["order_differs"] is True and "different order" in swapped.message
    assert swapped.details["missing"] == swapped.details["extra"] == []


def test_truncated_listing_is_info_not_a_mismatch() -> None:
    work = recorded_work("10.1002_jor.1100150407")
    findings = check(work, listing(work, "Lieber RL, Jacks TM, Mohler RL, et al."))
    assert [(f.rule, f.severity) for f in findings] == [("authors-truncated", "info")]
    assert findings[0].details == {"listed": 3, "authors": 12}


# --- page metadata: title, year, journal ------------------------------------------------------


def test_title_year_and_journal_mismatches_carry_expected_and_found() -> None:
    work = recorded_work(RSPB)
    findings = check(
        work,
        listing(work, title="Sexual selection in dung beetles", year=2015, journal="Animal Behaviour"),
    )
    by_rule = {f.rule: f for f in findings}
    assert set(by_rule) == {"title-mismatch", "year-mismatch", "journal-mismatch"}
    title = (
        "Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed"
        " beetle <i>Callosobruchus maculatus</i>"
    )  # the recorded record's title, markup and all
    assert by_rule["title-mismatch"].details == {
        "expected": title,
        "found": "Sexual selection in dung beetles",
        "suggestion": title.replace("<i>", "").replace("</i>", ""),
    }
    assert by_rule["year-mismatch"].details == {"expected": [2017], "found": 2015, "suggestion": 2017}
    assert by_rule["journal-mismatch"].details["suggestion"] == "Proceedings of the Royal Society B: Biological Sciences"
    assert by_rule["journal-mismatch"].details["expected"] == [
        "Proceedings of the Royal Society B: Biological Sciences",
        "Proc. R. Soc. B.",
    ]
    assert all(f.line == 10 for f in findings)


def test_year_matches_any_of_the_works_years() -> None:
    work = recorded_work("10.1111_nph.14619")  # online 2017, issue 2018
    assert work.years == (2017, 2018)
    for year in (2017, 2018):
        assert check(work, listing(work, year=year)) == []


@pytest.mark.parametrize(
    "listed",
    [
        "Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus",
        "SEXUAL CONFLICT AND CORRELATED EVOLUTION BETWEEN MALE PERSISTENCE AND FEMALE RESISTANCE TRAITS IN THE SEED BEETLE CALLOSOBRUCHUS MACULATUS.",
        "Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus – Feb 2017",
        "Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus - 2017",
        "Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle <em>Callosobruchus maculatus</em>",
        "Sexual conflict and correlated evolution between male persistence and female resistance traits...",
    ],
)
def test_title_variants_that_are_the_same_title(listed: str) -> None:
    assert titles_match(listed, recorded_work(RSPB).title or "")


def test_subtitle_on_one_side_only_and_greek_letters() -> None:
    work = recorded_work("10.1111_nph.14619")
    assert titles_match("Life and death of proteins after protease cleavage", work.title or "")
    assert titles_match("Life and death of proteins after protease cleavage: protein degradation by the N-end rule pathway: a review", work.title or "")
    assert titles_match("1α,25-dihydroxyvitamin D3 and the VDR", "1alpha,25-Dihydroxyvitamin D<sub>3</sub> and the VDR")
    assert not titles_match("Protein degradation in plants", work.title or "")


@pytest.mark.parametrize(
    ("listed", "names", "same"),
    [
        ("J Steroid Biochem Mol Biol", ["The Journal of Steroid Biochemistry and Molecular Biology"], True),
        ("J. Clin. Endocrinol. Metab.", ["The Journal of Clinical Endocrinology & Metabolism"], True),
        ("Proc Natl Acad Sci U S A", ["Proceedings of the National Academy of Sciences of the United States of America"], True),
        ("PNAS", ["Proceedings of the National Academy of Sciences"], True),
        ("Medicine (Baltimore)", ["Medicine"], True),
        ("Proc Biol Sci", ["Proceedings of the Royal Society B: Biological Sciences", "Proc. R. Soc. B."], True),
        ("J Clin Endocrinol", ["The Journal of Clinical Endocrinology & Metabolism"], False),
        ("Lancet", ["The Lancet"], True),
        ("Front Genet", ["Frontiers in Genetics"], True),
        ("Nature Nanotechnology", ["Nature Nanotechnology", "Nature Nanotech"], True),
        ("Nutrients", ["The Journal of Nutrition"], False),
        ("Nature", ["Nature Genetics", "Nat Genet"], False),
        ("Am J Med", ["Journal of the American Medical Association", "JAMA"], False),
        # A listing that skips a word or stops early names another journal (issue 9).
        ("Eur J Nutr", ["European Journal of Clinical Nutrition"], False),
        ("Am J Med", ["American Journal of Medical Genetics Part A"], False),
        ("Osteoporos Int", ["Journal of Bone and Mineral Research"], False),
    ],
)
def test_journal_names_and_abbreviations(listed: str, names: list[str], same: bool) -> None:
    assert journals_match(listed, names) is same


def test_real_short_container_title_is_accepted() -> None:
    work = recorded_work("10.3389_fgene.2017.00147")
    assert check(work, listing(work, journal="Front. Genet.")) == []


# --- severities -------------------------------------------------------------------------------


def test_user_overrides_change_severity_and_turn_rules_off() -> None:
    work = recorded_work(PLOS_CORRECTED)
    wiki = listing(work, year=1999)
    assert [(f.rule, f.severity) for f in check(work, wiki, {"doi-corrected": "error", "year-mismatch": "off"})] == [
        ("doi-corrected", "error")
    ]
    with pytest.raises(ConfigError, match="'doi-nonexistent'"):
        check(work, wiki, {"doi-nonexistent": "error"})


# --- the reconciled work ----------------------------------------------------------------------


def test_reconciled_work_takes_crossref_and_fills_gaps_from_the_page() -> None:
    work = recorded_work("10.1101_097196")  # a preprint: no container title
    wiki = Listed(title="Other title", journal="bioRxiv", year=2016, authors=(Person("M", "Fenner"),))
    merged = reconciled_work(wiki, work)
    assert merged.title == work.title and merged.authors == work.authors
    assert merged.container_title == "bioRxiv"
    unverified = reconciled_work(wiki, Work(doi="10.1/x"))
    assert (unverified.doi, unverified.title, unverified.issued) == ("10.1/x", "Other title", (2016,))


# --- precision and recall of mismatch reports on a hand-checked sample ----------------------------
#
# Method: for each real journal-article recording listed in tests/data/reconcile_sample.json, a
# wiki page is written in one of three corpus styles from the listing typed by hand into the sample
# (title, journal, year and authors as that style writes them; never taken from refkit's Work). The clean page is correct by construction (every mismatch reported on it is a
# false positive); a corrupted twin carries exactly one real error of a kind chosen in rotation
# (wrong year, another work's title, another journal, an author left out, a misspelled family name,
# the first two authors swapped). Pages go through scan (end to end) and, separately, straight into
# reconcile as a Listed (reconcile alone).

SAMPLE = json.loads((Path(__file__).parent / "data" / "reconcile_sample.json").read_text("utf-8"))["sample"]
MISMATCH_RULES = frozenset({"authors-mismatch", "title-mismatch", "year-mismatch", "journal-mismatch"})
ERROR_KINDS = ("year-mismatch", "title-mismatch", "journal-mismatch", "missing", "misspelled", "order")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _styled_name(person: Person, style: str) -> str:
    """A name as the page's style writes it: PubMed's "Family Initials" in style A, else "Given Family"."""
    return f"{person.family} {person.given}" if style == "A" and person.given else person.display()


def _page(work: Work, entry: dict[str, str], listed: Listed) -> str:
    """The sample page for `work` in the entry's style, showing `listed`'s values."""
    names = [_styled_name(person, entry["style"]) for person in listed.authors]
    volume = f";{work.volume}" if work.volume else ""
    doi_link = f"[doi: {work.doi}](https://doi.org/{work.doi})"
    if entry["style"] == "A":
        month = MONTHS[work.issued[1] - 1] if len(work.issued) > 1 else "Jan"
        return (
            f"### {listed.title} – {month} {listed.year}\n\n"
            f"{listed.journal}. {listed.year}{volume}. {doi_link}\n\n"
            f"{', '.join(names)}.\n"
        )
    if entry["style"] == "B":
        shown = ", ".join(names[:3]) + " et al." if listed.truncated else (
            " & ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        )
        return f"#### {listed.title}\n\n{listed.journal}, {listed.year}, {doi_link}\n\n{shown}\n"
    marked = ", ".join(f"{name} {'abcdefgh'[index % 8]}" + (" 1" if index == 0 else "") for index, name in enumerate(names))
    return f"**{listed.title}**\n\n{marked}\n\n{listed.journal}, Volume {work.volume or 1}, {listed.year}, {doi_link}\n"


def _clean_listing(entry: dict[str, Any]) -> Listed:
    """The listing typed by hand into the sample (never made by refkit from the record)."""
    typed = entry["listing"]
    return Listed(
        title=typed["title"],
        journal=entry["nlm_abbreviation"] if entry["style"] == "A" else typed["journal"],
        year=typed["year"],
        authors=tuple(Person(literal=name) if isinstance(name, str) else Person(*name) for name in typed["authors"]),
        truncated=typed.get("truncated", False),
    )


def _corrupted(listed: Listed, kind: str, other: Listed, work: Work) -> Listed:
    people = list(listed.authors)
    if kind == "year-mismatch":
        year = (listed.year or 2000) + 2
        while year in work.years:
            year += 1
        return dataclasses.replace(listed, year=year)
    if kind == "title-mismatch":
        return dataclasses.replace(listed, title=other.title)
    if kind == "journal-mismatch":
        return dataclasses.replace(listed, journal=other.journal)
    if kind == "missing" and len(people) >= 3:
        return dataclasses.replace(listed, authors=tuple(people[:1] + people[2:]))
    if kind == "missing":
        return dataclasses.replace(listed, authors=(*people, Person("J.", "Smithers")))
    if kind == "misspelled":
        person = next((p for p in people if p.family and len(p.family) >= 6), people[0])
        family = person.family or person.literal or "Smithers"
        spelled = family[:3] + ("e" if family[3:4] != "e" else "a") + family[4:]
        return dataclasses.replace(listed, authors=tuple(dataclasses.replace(p, family=spelled) if p is person else p for p in people))
    return dataclasses.replace(listed, authors=(people[1], people[0], *people[2:]) if len(people) > 1 else (*people, Person("J.", "Smithers")))


def _mismatches(work: Work, listed: Listed | None) -> set[str]:
    if listed is None:
        return set()
    return {f.rule for f in check(work, listed)} & MISMATCH_RULES


def _scanned(text: str, doi: str) -> Listed | None:
    page = Page(file="sample.md", url="/sample/", body=text, body_line=1)
    return next((c.listed for c in scan_page(page) if c.doi == doi), None)


def measure_mismatch_reports(through_scan: bool) -> dict[str, object]:
    works = [recorded_work(entry["recording"]) for entry in SAMPLE]
    clean = [_clean_listing(entry) for entry in SAMPLE]
    true_positives = false_positives = injected = not_extracted = 0
    missed: list[str] = []
    false_reports: list[str] = []
    for index, (work, entry, listed) in enumerate(zip(works, SAMPLE, clean)):
        kind = ERROR_KINDS[index % len(ERROR_KINDS)]
        expected = kind if kind.endswith("-mismatch") else "authors-mismatch"
        other = next(  # another journal and another title, so the injected value is really wrong
            clean[position % len(clean)]
            for position in range(index + 1, index + len(clean))
            if (works[position % len(works)].container_title or "").casefold() != (work.container_title or "").casefold()
        )
        wrong = _corrupted(listed, kind, other, work)
        if through_scan:
            seen_clean, seen_wrong = _scanned(_page(work, entry, listed), work.doi), _scanned(_page(work, entry, wrong), work.doi)
            not_extracted += seen_clean is None
        else:
            seen_clean, seen_wrong = listed, wrong
        reported_clean = _mismatches(work, seen_clean)
        reported = _mismatches(work, seen_wrong)
        injected += 1
        true_positives += expected in reported
        false_positives += len(reported_clean) + len(reported - {expected})
        false_reports += [f"{entry['recording']} clean: {rule}" for rule in sorted(reported_clean)]
        false_reports += [f"{entry['recording']} {kind}: {rule}" for rule in sorted(reported - {expected})]
        if expected not in reported:
            missed.append(f"{entry['recording']} {kind}")
    return {
        "pages": len(works),
        "precision": true_positives / max(true_positives + false_positives, 1),
        "recall": true_positives / injected,
        "false_positives": false_positives,
        "not_extracted": not_extracted,
        "missed": missed,
        "false_reports": false_reports,
    }


def test_mismatch_reports_on_the_hand_checked_sample_reconcile_alone() -> None:
    figures = measure_mismatch_reports(through_scan=False)
    assert figures["pages"] == 57
    assert figures["false_reports"] == [], figures  # precision 1.0
    # Known miss: "Xue" for "Xu" reads as a transliteration (ue for u), so it is taken as the same name.
    assert figures["missed"] == ["10.1136_jclinpath-2020-206745 misspelled"], figures


def test_mismatch_reports_on_the_hand_checked_sample_through_scan() -> None:
    figures = measure_mismatch_reports(through_scan=True)
    assert figures["not_extracted"] == 0
    assert figures["false_reports"] == [], figures  # precision 1.0
    assert figures["missed"] == ["10.1136_jclinpath-2020-206745 misspelled"], figures  # as reconcile alone


# Real corpus pages, through scan, against works written by hand (no recording exists for these
# DOIs): measures listing extraction plus title, author and journal matching on real page layouts.
CORPUS_SAMPLE = json.loads((Path(__file__).parent / "data" / "reconcile_corpus_sample.json").read_text("utf-8"))["sample"]


def _synthetic_work(entry: dict[str, object]) -> Work:
    described: dict[str, object] = entry["synthetic_work"]  # type: ignore[assignment]
    years = tuple(described["years"])  # type: ignore[arg-type]
    return Work(
        doi=str(entry["doi"]),
        title=str(described["title"]),
        container_title=str(described["container_title"]),
        issued=(years[-1],),
        years=years,
        authors=tuple(Person(given, family) for given, family in described["authors"]),  # type: ignore[union-attr]
    )


def test_corpus_pages_against_synthetic_works() -> None:
    corpus = CROSSREF_RECORDINGS.parent / "corpus" / "vitamindwiki"
    false_reports: list[str] = []
    missed: list[str] = []
    for entry in CORPUS_SAMPLE:
        text = (corpus / entry["file"]).read_text("utf-8")
        [listed] = [c.listed for c in scan_page(Page(entry["file"], "/", body=text)) if c.doi == entry["doi"]]
        assert listed is not None
        reported = _mismatches(_synthetic_work(entry), listed)
        expected = set(entry["expected_mismatches"])
        false_reports += [f"{entry['doi']}: {rule}" for rule in sorted(reported - expected)]
        missed += [f"{entry['doi']}: {rule}" for rule in sorted(expected - reported)]
    assert len(CORPUS_SAMPLE) == 24
    assert false_reports == []  # precision 1.0
    # Known misses (recall 1 of 3): matching takes names with an affiliation letter glued on by the
    # page ("Rezka", "Alyb"; "Thompsona", "Nitiahpapanda") for Rezk, Aly, Thompson and Nitiahpapand.
    # (The ijcard page was once caught only because "Highlights", two lines down, was read as an author.)
    assert sorted(missed) == ["10.1016/j.ejcdt.2015.01.002: authors-mismatch", "10.1016/j.ijcard.2015.02.012: authors-mismatch"]
