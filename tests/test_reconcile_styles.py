"""The hidden-style check: pages written from real recorded works in six listing styles of the corpus,
checked by `refkit check` as a process against the loopback Crossref replaying the recordings.

A page written correctly from its record must draw no finding but what the record itself calls for
(a published correction, the `authors-truncated` note of an `et al.` listing); a page carrying one
planted error must draw exactly the finding for that error. The pages are built here from the
records (not from refkit's output); the expected findings follow from what was planted.

Records: every top-level single-work recording in ../shared/crossref that is a journal article
with authors, a title and a year. Styles, each as the corpus writes it:

- `pubmed`: PubMed abstract copy: `### Title.`, `Journal. 2013 May 7;80(19):1734-9. [doi: …](…)`,
  `Family AB, Family CD.` (journal: the NLM abbreviation, hand-written in
  tests/data/reconcile_sample.json; a group author between semicolons, as PubMed prints it);
- `ampersand`: given name first, the last joined with `&` (the seed page's style);
- `markers`: given name first with affiliation letters and numbers (`Masaru Uragami a 1, …`);
- `degrees`: publisher style with degrees (`Robert S. Wilson, PhD, Ana W. Capuano, MD, MPH, …`);
- `family_first`: `Family, Given; Family, Given` (as Wolters Kluwer pages give them);
- `et_al`: a bold title and the first three authors as initials, `et al.` (all of them when three or fewer).

Planted errors: an author dropped, an author misspelled (one consonant of a family name of six
letters or more changed), an author added (a made-up name, `Jonathan Q. Smithers`), the first two
authors swapped, another record's title, a wrong year."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import CROSSREF_RECORDINGS, recorded_work
from crossref_server import LoopbackCrossref, load_recordings
from refkit_process import refkit_env, run_refkit

from refkit.model import Citation, Finding, Listed, Person, Resolution, Work
from refkit.reconcile import reconcile

DATA = Path(__file__).parent / "data"
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
SYNTHETIC_AUTHOR = Person("Jonathan Q.", "Smithers")
"""Made up, not in any record: the planted added author."""
DEGREES = ("PhD", "MD, MPH", "MSc", "MD, PhD", "PharmD")
MARKERS = "abcdefgh"

# NLM abbreviations by recording, written by hand (tests/data/reconcile_sample.json, and this one,
# which that sample left out for its 306 authors).
NLM = {entry["recording"]: entry["nlm_abbreviation"] for entry in json.loads((DATA / "reconcile_sample.json").read_text("utf-8"))["sample"]}
NLM["10.1103_physrevd.97.012001"] = "Phys Rev D"

# What a correct page draws anyway, read from the records by hand: 10.1371/journal.pone.0033693
# has an `updated-by` correction (10.1371/annotation/c76da2c1-…).
RECORD_FINDINGS = {"10.1371/journal.pone.0033693": ("doi-corrected",)}


def _recordings() -> list[str]:
    chosen = []
    for path in sorted(CROSSREF_RECORDINGS.glob("*.json")):
        message = json.loads(path.read_text("utf-8"))["message"]
        if message.get("type") == "journal-article" and message.get("author") and any(message.get("title") or ()):
            work = recorded_work(path.stem)
            if work.title and work.year and work.authors:
                chosen.append(path.stem)
    return chosen


RECORDINGS = _recordings()


# --- writing a page ------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _initials(given: str | None, dots: bool) -> str:
    parts = [part[0].upper() for part in re.split(r"[\s.\-\u2010]+", given or "") if part]
    return " ".join(f"{letter}." for letter in parts) if dots else "".join(parts)


def _pubmed_name(person: Person) -> str:
    if person.is_organisation:
        return person.literal or ""
    suffix = {"Jr.": "Jr", "III": "3rd"}.get(person.suffix or "", person.suffix or "")
    return " ".join(part for part in (person.family, _initials(person.given, dots=False), suffix) if part)


def _full_name(person: Person) -> str:
    return person.display()


def _initials_name(person: Person) -> str:
    if person.is_organisation:
        return person.literal or ""
    return " ".join(part for part in (_initials(person.given, dots=True), person.family, person.suffix) if part)


def _family_first(person: Person) -> str:
    if person.is_organisation:
        return person.literal or ""
    return ", ".join(part for part in (person.family, person.given, person.suffix) if part)


def _doi_link(doi: str) -> str:
    return f"[doi: {doi}.](https://doi.org/{doi}.)"


@dataclass(frozen=True)
class Listing:
    """What a page shows: the values a planted error changes."""

    title: str
    year: int
    authors: tuple[Person, ...]


def _pubmed(work: Work, shown: Listing, recording: str) -> str:
    date = f"{shown.year}"
    if len(work.issued) > 1:
        date += f" {MONTHS[work.issued[1] - 1]}" + (f" {work.issued[2]}" if len(work.issued) > 2 else "")
    volume = f";{work.volume}" + (f"({work.issue})" if work.issue else "") if work.volume else ""
    pages = f":{work.pages}" if work.pages else ""
    authors = ""
    for index, person in enumerate(shown.authors):  # PubMed sets a group author off by semicolons
        if index:
            authors += "; " if person.is_organisation or shown.authors[index - 1].is_organisation else ", "
        authors += _pubmed_name(person)
    title = shown.title if shown.title.endswith(("?", ".")) else f"{shown.title}."
    return f"### {title}\n\n{NLM[recording]}. {date}{volume}{pages}. {_doi_link(work.doi or '')}\n\n{authors}.\n"


def _ampersand(work: Work, shown: Listing, recording: str) -> str:
    names = [_full_name(person) for person in shown.authors]
    authors = " & ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    return f"#### {shown.title}\n\n{work.container_title} ({shown.year}) https://doi.org/{work.doi}\n\n{authors}\n"


def _markers(work: Work, shown: Listing, recording: str) -> str:
    authors = ", ".join(
        f"{_full_name(person)} {MARKERS[index % len(MARKERS)]}" + (" 1" if index % 3 == 0 else "")
        for index, person in enumerate(shown.authors)
    )
    volume = f"Volume {work.volume}, " if work.volume else ""
    return f"**{shown.title}**\n\n{authors}\n\n{work.container_title}, {volume}{shown.year}, {_doi_link(work.doi or '')}\n"


def _degrees(work: Work, shown: Listing, recording: str) -> str:
    names = [
        person.literal or "" if person.is_organisation else f"{_full_name(person)}, {DEGREES[index % len(DEGREES)]}"
        for index, person in enumerate(shown.authors)
    ]
    authors = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    volume = f";{work.volume}" if work.volume else ""
    return f"## {shown.title}\n\n{authors}\n\n{work.container_title}. {shown.year}{volume}. doi:{work.doi}\n"


def _family_first_page(work: Work, shown: Listing, recording: str) -> str:
    issue = f"{work.volume}({work.issue})" if work.volume and work.issue else work.volume or ""
    pages = f":p {work.pages}" if work.pages else ""
    authors = "; ".join(_family_first(person) for person in shown.authors)
    return f"#### {shown.title}\n\n{work.container_title} {issue}{pages}, {shown.year}. | DOI: {work.doi}\n\n{authors}\n"


ET_AL_SHOWN = 3


def _et_al(work: Work, shown: Listing, recording: str) -> str:
    names = [_initials_name(person) for person in shown.authors]
    authors = ", ".join(names[:ET_AL_SHOWN]) + ", et al." if len(work.authors) > ET_AL_SHOWN else ", ".join(names)
    return f" **{shown.title}** \n\n{authors}\n\n{work.container_title}, {shown.year}, DOI: {work.doi}\n"


@dataclass(frozen=True)
class Style:
    name: str
    write: Callable[[Work, Listing, str], str]
    needs_given_names: bool
    """The style writes `Family, Given`: a person without a given name cannot be written in it."""


STYLES = (
    Style("pubmed", _pubmed, False),
    Style("ampersand", _ampersand, False),
    Style("markers", _markers, False),
    Style("degrees", _degrees, False),
    Style("family_first", _family_first_page, True),
    Style("et_al", _et_al, False),
)


# --- planting one error --------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """One finding a page must draw: its rule and the details that say what was found."""

    rule: str
    key: tuple[Any, ...] = ()


def _shown_authors(work: Work, style: Style) -> tuple[Person, ...]:
    """The authors a correct page of this style shows (the first three for `et al.`)."""
    return work.authors[:ET_AL_SHOWN] if style.name == "et_al" else work.authors


def _truncation(work: Work, style: Style, named: int) -> list[Expected]:
    if style.name == "et_al" and len(work.authors) > ET_AL_SHOWN:
        return [Expected("authors-truncated", (named, len(work.authors)))]
    return []


def _mismatch(missing: tuple[str, ...] = (), extra: tuple[str, ...] = (), misspelled: tuple[str, ...] = (), order: bool = False) -> Expected:
    """`authors-mismatch` keyed by the record's names of the missing and misspelled authors and the
    family names of the extra ones."""
    return Expected("authors-mismatch", (missing, extra, misspelled, order))


def _misspelt(family: str) -> str:
    """One consonant in the middle changed to the next consonant ("Dougherty" -> "Doughesty")."""
    consonants = "bcdfghjklmnpqrstvwxz"
    middle = len(family) // 2
    for position in [*range(middle, len(family) - 1), *range(middle - 1, 0, -1)]:
        letter = family[position]
        if letter.lower() in consonants:
            changed = consonants[(consonants.index(letter.lower()) + 1) % len(consonants)]
            return family[:position] + (changed.upper() if letter.isupper() else changed) + family[position + 1 :]
    raise ValueError(family)


@dataclass(frozen=True)
class Page:
    recording: str
    style: str
    variant: str
    text: str
    shown: Listing
    expected: tuple[Expected, ...]

    @property
    def label(self) -> str:
        return f"{self.recording} {self.style} {self.variant}"


def _variants(work: Work, style: Style, other_title: str) -> Iterator[tuple[str, Listing, list[Expected]]]:
    """(variant, what the page shows, the findings the plant calls for) for the clean page and each
    planted error that this record and style can carry."""
    shown = _shown_authors(work, style)
    clean = Listing(_plain(work.full_title or ""), work.year or 0, shown)
    record = [Expected(rule) for rule in RECORD_FINDINGS.get(work.doi or "", ())]
    yield "clean", clean, record + _truncation(work, style, len(shown))
    # A person between two others: a cut list is not missing a group (PubMed sets groups apart),
    # nor its last shown name (that is only a shorter cut).
    last = len(shown) - 1 if style.name == "et_al" and len(work.authors) > ET_AL_SHOWN else len(shown)
    dropped = next((person for person in shown[1:last] if not person.is_organisation), None)
    if dropped is not None:
        yield (
            "dropped",
            dataclasses.replace(clean, authors=tuple(person for person in shown if person is not dropped)),
            record + [_mismatch(missing=(dropped.display(),))] + _truncation(work, style, len(shown) - 1),
        )
    if len(shown) >= 2:
        swapped = (shown[1], shown[0], *shown[2:])
        yield "swapped", dataclasses.replace(clean, authors=swapped), record + [_mismatch(order=True)] + _truncation(work, style, len(shown))
    target = next((person for person in shown if person.family and len(person.family) >= 6 and person.given), None)
    if target is not None:
        misspelt = dataclasses.replace(target, family=_misspelt(target.family or ""))
        authors = tuple(misspelt if person is target else person for person in shown)
        yield (
            "misspelled",
            dataclasses.replace(clean, authors=authors),
            record + [_mismatch(misspelled=(target.display(),))] + _truncation(work, style, len(shown)),
        )
    if style.name == "et_al" and len(work.authors) > ET_AL_SHOWN:
        # The made-up name takes the second place and the page still shows three names: the third
        # author falls behind the cut.
        added = (shown[0], SYNTHETIC_AUTHOR, *shown[1:-1])
        yield "added", dataclasses.replace(clean, authors=added), record + [_mismatch(extra=("Smithers",))] + _truncation(work, style, len(shown) - 1)
    else:
        yield "added", dataclasses.replace(clean, authors=(*shown, SYNTHETIC_AUTHOR)), record + [_mismatch(extra=("Smithers",))]
    yield "title", dataclasses.replace(clean, title=other_title), record + [Expected("title-mismatch")] + _truncation(work, style, len(shown))
    wrong_year = max(work.years) + 3
    yield "year", dataclasses.replace(clean, year=wrong_year), record + [Expected("year-mismatch", (wrong_year,))] + _truncation(work, style, len(shown))


def build_pages() -> tuple[list[Page], list[str]]:
    """Every page, and what could not be written (record, style, why)."""
    works = {recording: recorded_work(recording) for recording in RECORDINGS}
    titles = [_plain(work.full_title or "") for work in works.values()]
    pages: list[Page] = []
    skipped: list[str] = []
    for index, (recording, work) in enumerate(works.items()):
        other_title = next(  # an article's title, not a two-word heading
            title for title in titles[index + 1 :] + titles[:index] if title.casefold() != titles[index].casefold() and len(title.split()) >= 4
        )
        for style in STYLES:
            if style.needs_given_names and any(not person.is_organisation and not person.given for person in work.authors):
                skipped.append(f"{recording} {style.name}: an author without a given name")
                continue
            for variant, shown, expected in _variants(work, style, other_title):
                pages.append(Page(recording, style.name, variant, style.write(work, shown, recording), shown, tuple(expected)))
    return pages, skipped


# --- checking them -------------------------------------------------------------------------------


def _key(rule: str, details: dict[str, Any]) -> Expected:
    if rule == "authors-mismatch":
        return _mismatch(
            tuple(details["missing"]),
            tuple(name.split()[-1] for name in details["extra"]),
            tuple(pair["expected"] for pair in details["misspelled"]),
            details["order_differs"],
        )
    if rule == "authors-truncated":
        return Expected(rule, (details["listed"], details["authors"]))
    if rule == "year-mismatch":
        return Expected(rule, (details["found"],))
    return Expected(rule)


def _compare(page: Page, got: list[Expected]) -> tuple[list[str], list[str]]:
    """(false reports, missed findings) of one page."""
    unexplained = list(got)
    missed = []
    for expected in page.expected:
        if expected in unexplained:
            unexplained.remove(expected)
        else:
            missed.append(f"{page.label}: {expected.rule} {expected.key}")
    return [f"{page.label}: {finding.rule} {finding.key}" for finding in unexplained], missed


@dataclass(frozen=True)
class Outcome:
    pages: int
    expected: int
    got: int
    false_reports: list[str]
    """Findings no plant calls for: `style/page: rule key`."""
    missed: list[str]
    skipped: list[str]


def check_style_pages(root: Path) -> Outcome:
    """Write every page under `root`/wiki, run `refkit check` over them and compare."""
    pages, skipped = build_pages()
    wiki = root / "wiki"
    by_file: dict[str, Page] = {}
    for number, page in enumerate(pages):
        name = f"{page.style}/{number:04d}-{page.variant}.md"
        path = wiki / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{\n    "title": "%s"\n}\n\n%s' % (name, page.text), encoding="utf-8")
        by_file[str(path)] = page
    with LoopbackCrossref(load_recordings(CROSSREF_RECORDINGS)) as server:
        server.announce_generous_limits()
        env = refkit_env(root, crossref_url=server.crossref_url, doi_url=server.doi_url, mailto="tests@example.org", store=str(root / "store.sqlite3"))
        done = run_refkit("check", str(wiki), "--format", "json", "--fail-on", "never", env=env, cwd=root, timeout=300)
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)
    got: dict[str, list[Expected]] = {}
    for finding in findings:
        got.setdefault(finding["file"], []).append(_key(finding["rule"], finding["details"]))
    false_reports: list[str] = []
    missed: list[str] = []
    for file, page in by_file.items():
        false, lost = _compare(page, got.get(file, []))
        false_reports += false
        missed += lost
    return Outcome(len(pages), sum(len(page.expected) for page in pages), len(findings), false_reports, missed, skipped)


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return check_style_pages(tmp_path_factory.mktemp("styles"))


def test_the_pages_cover_every_record_in_six_styles(outcome: Outcome) -> None:
    assert len(RECORDINGS) == 58
    # Written by hand from the records: the only journal articles with an author lacking a given
    # name (Crossref's `given` absent) cannot be written `Family, Given`.
    assert outcome.skipped == [
        "10.1038_d41586-020-02761-z family_first: an author without a given name",
        "10.1111_j.1865-1682.2010.01171.x family_first: an author without a given name",
        "10.3892_ijo_00000353 family_first: an author without a given name",
    ]
    assert outcome.pages > 58 * 6 * 4


def _listed(page: Page, work: Work) -> Listed:
    """What the page says, as a reader that gets every line right would hand it over."""
    return Listed(
        title=page.shown.title,
        journal=NLM[page.recording] if page.style == "pubmed" else work.container_title,
        year=page.shown.year,
        authors=page.shown.authors,
        truncated=page.style == "et_al" and len(work.authors) > ET_AL_SHOWN,
    )


def test_the_comparison_alone_is_exact_on_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """reconcile, given what each page shows: every correct page draws nothing but what its record
    calls for, every planted error exactly its finding; and each check reports only the rules it
    says it reports (reconcile skips a check whose rules are all turned off)."""
    import refkit.reconcile

    def owned(check: refkit.reconcile.Check) -> refkit.reconcile.Check:
        def run(cited: refkit.reconcile.Cited) -> list[Finding]:
            found = list(check.run(cited))
            assert {finding.rule for finding in found} <= {rule.id for rule in check.reports}, (check.reports, found)
            return found

        return dataclasses.replace(check, run=run)

    monkeypatch.setattr(refkit.reconcile, "CHECKS", tuple(owned(check) for check in refkit.reconcile.CHECKS))
    pages, _ = build_pages()
    false_reports: list[str] = []
    missed: list[str] = []
    for page in pages:
        work = recorded_work(page.recording)
        citation = Citation("doi", work.doi or "", work.doi or "", "page.md", 1, 1, "/page/", listed=_listed(page, work))
        findings = reconcile([citation], {work.doi or "": Resolution(work.doi or "", "found", agency="crossref", work=work)})
        false, lost = _compare(page, [_key(finding.rule, finding.details) for finding in findings])
        false_reports += false
        missed += lost
    assert len(pages) == 2242
    assert false_reports == []
    assert missed == []


# Where the listing reader (names.py, listed.py) reads a style page wrongly or not at all, so that
# `refkit check` cannot be exact there; the comparison itself is (the test above). Written from the
# pages, one entry per (recording, style): the plants it loses (None: every page), and the line.
READER_FAULTS: dict[tuple[str, str], tuple[frozenset[str] | None, str]] = {
    **{
        ("10.1038_d41586-020-02761-z", style): (
            frozenset({"dropped", "swapped", "added"}),
            "'Sheherazade & Ardiantiono', 'Sheherazade, Ardiantiono.': names of one word, with no marker or degree beside them, not read",
        )
        for style in ("pubmed", "ampersand", "et_al")
    },
    **{
        ("10.3892_ijo_00000353", style): (
            frozenset({"added"}), "'Stravopodis & Jonathan Q. Smithers': a one-word name with no marker or degree makes the line unread"
        )
        for style in ("pubmed", "ampersand", "et_al")
    },
    **{
        (recording, "family_first"): (
            frozenset({"misspelled"}),
            "'Salmjofer, Manfred' alone, without initials, is not read (it may be two people of one name each)",
        )
        for recording in ("10.1016_j.nuclphysb.2018.07.004", "10.1177_0042098011428175", "10.1241_johokanri.39.979", "10.4000_dms.865")
    },
    **{
        (recording, "family_first"): (
            frozenset({"dropped"}), "a line of one name left after the drop, 'Family, Given' without initials ('Kuschel, Timo'), is not read"
        )
        for recording in (
            "10.1038_nnano.2014.279", "10.1103_physrevd.99.075025", "10.3280_ecag2018-001005",
            "10.3390_publications6020015", "10.4202_app.01105.2023",
        )
    },
}


def _reader_fault(report: str) -> str | None:
    recording, style, variant = report.split(":")[0].split()
    variants, line = READER_FAULTS.get((recording, style), (frozenset(), ""))
    return line if variants is None or variant in variants else None


def test_correct_pages_draw_no_finding_and_each_planted_error_exactly_its_own(outcome: Outcome) -> None:
    """Through `refkit check`: every report the plants do not call for, and every finding lost, is
    a known fault of the listing reader (a page it reads wrong or not at all)."""
    assert [report for report in outcome.false_reports if _reader_fault(report) is None] == []
    assert [report for report in outcome.missed if _reader_fault(report) is None] == []
    # Those faults stay a small part: fewer than one expected finding in ten is lost to them.
    assert len(outcome.missed) * 10 < outcome.expected, outcome.missed
