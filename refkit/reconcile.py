"""What a page says about a work against what the registries say: Findings, and the reconciled Work.

Pure: citations and resolutions in, findings out. Every check is one entry of `CHECKS`: the rules
it reports (defined once in `rules`), when it applies, and the check itself, in report order: a
broken or repaired DOI; the identifier's status (not found, unverified); update relations
(retracted, corrected, expression of concern); retraction notices; components; a PMID that is not
the page's DOI; then, for an ordinary resolved work the page lists metadata for, authors, title,
year and journal. A retraction notice or a component is not compared field by field: the page's
listing describes the article, so such comparisons would only repeat the finding already made.

Duplicates: two DOI citations on one page are the same work when their DOIs, or the DOIs of the
works they resolved to (Crossref answers an alias with the work's own DOI), are equal after
`doi.normalise` (case, URL-encoding, HTML entities, resolver prefix). A work and one of its
components are different works; the component rule covers that case."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from . import rules
from .doi import normalise as normalise_doi
from .folding import fold
from .listed import without_date_suffix
from .markup import plain
from .model import Citation, Finding, Listed, Person, Resolution, Update, Work, split_key
from .names import AuthorMatch, match_authors
from .rules import Rule, severities

RETRACTION_TYPES = frozenset({"retraction", "partial_retraction", "withdrawal", "removal"})
CORRECTION_TYPES = frozenset({"correction", "erratum", "corrigendum"})
CONCERN_TYPES = frozenset({"expression_of_concern"})

# Hindawi and others publish notices titled "Retracted: <title>" without an update-to relation.
_NOTICE_TITLE = re.compile(r"^\s*(?:retraction(?: notice)?|retracted|notice of retraction)\s*[:.\-–]", re.IGNORECASE)
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*$")
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NON_WORD = re.compile(r"[^\w]+")
# Typos, transliterations and markup leftovers below this distance are not worth a finding.
_TITLE_SIMILARITY = 0.9


@dataclass(frozen=True)
class Cited:
    """One citation and what resolving it gave: what every check looks at."""

    citation: Citation
    resolution: Resolution
    same_study: Mapping[str, Resolution] = dataclasses.field(default_factory=dict)
    """What resolving the other identifiers the page gives for the same study gave (`same_work`)."""

    @property
    def work(self) -> Work | None:
        return self.resolution.work if self.resolution.status == "found" else None


@dataclass(frozen=True)
class Check:
    """One check: the rules it reports, when it applies, and the check."""

    reports: tuple[Rule, ...]
    applies: Callable[[Cited], bool]
    run: Callable[[Cited], Iterable[Finding]]


def reconcile(
    citations: Iterable[Citation],
    resolutions: Mapping[str, Resolution],
    rule_overrides: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Findings for every citation, in citation order (per citation in `CHECKS` order).

    `resolutions` maps a citation's key (`Citation.key`) to what resolving it gave (after
    `confirm_repairs`); a key missing from it is reported as unverified. `rule_overrides` holds
    the user's severity overrides (`Settings.rules`); a rule turned off yields no findings, an
    unknown rule id is a ConfigError."""
    effective = severities(rule_overrides or {})
    # A check whose rules are all turned off is not run (journal comparison is not free).
    active = [check for check in CHECKS if any(effective[rule.id] is not None for rule in check.reports)]
    findings: list[Finding] = []
    first_by_key: dict[tuple[str, str], Citation] = {}
    for citation in citations:
        own = resolutions.get(citation.key) or Resolution(citation.key, "unresolved", reason="not resolved")
        cited = Cited(citation, own, {key: resolutions[key] for key in citation.same_work if key in resolutions})
        for check in active:
            if check.applies(cited):
                findings.extend(check.run(cited))
        findings.extend(_duplicate(cited, first_by_key))
    return [
        dataclasses.replace(finding, severity=severity)
        for finding in findings
        if (severity := effective[finding.rule]) is not None
    ]


def reconciled_work(listed: Listed | None, work: Work) -> Work:
    """The work as exported: the registry's `work` as authority, the page's values only where it has
    none. An unverified work is its identifiers alone, filled from the page's listing."""
    if listed is None:
        return work
    return dataclasses.replace(
        work,
        title=work.title or listed.title,
        authors=work.authors or listed.authors,
        container_title=work.container_title or listed.journal,
        issued=work.issued or ((listed.year,) if listed.year else ()),
        years=work.years or ((listed.year,) if listed.year else ()),
    )


# --- damaged DOIs -----------------------------------------------------------------------------


def confirm_repairs(citations: Iterable[Citation], resolutions: Mapping[str, Resolution]) -> dict[str, Resolution]:
    """`resolutions`, plus for each damaged DOI (broken, or well formed but not found) whose
    repair the registry confirms: a found Resolution under the damaged key, with `repaired` set.

    A candidate is the repair only when the registry holds it and, where the page lists a title or
    authors for the citation, they agree with it; when several candidates remain, none is (a guess
    is worse than a broken DOI)."""
    confirmed = dict(resolutions)
    for citation in citations:
        own = resolutions.get(citation.key)
        if not citation.candidates or citation.key in confirmed and confirmed[citation.key].repaired:
            continue
        if citation.kind == "doi" and (own is None or own.status != "not_found"):
            continue
        agreeing = [
            answer
            for candidate in citation.candidates
            if (answer := resolutions.get(candidate)) is not None
            and answer.status == "found"
            and answer.work is not None
            and _listing_agrees(citation.listed, answer.work)
        ]
        if len(agreeing) == 1:
            [answer] = agreeing
            confirmed[citation.key] = dataclasses.replace(answer, key=citation.key, repaired=answer.key)
    return confirmed


def _listing_agrees(listed: Listed | None, work: Work) -> bool:
    if listed is None:
        return True
    if listed.title and work.title:
        return titles_match(listed.title, work.title, work.subtitle, work.other_titles)
    if listed.authors and work.authors:
        return match_authors(listed.authors, work.authors, listed.truncated, unread=listed.authors_unread).ok
    return True


# --- the checks -----------------------------------------------------------------------------


def _label(citation: Citation) -> str:
    """How messages name the identifier: `DOI 10.…`, `PMID 123`, `PMCID PMC123`."""
    return f"{'DOI' if citation.kind in ('doi', 'broken') else citation.kind.upper()} {citation.id}"


def _finding(
    rule: Rule, cited: Cited, message: str, details: dict[str, Any], line: int | None = None, column: int = 1
) -> Finding:
    """A finding at the citation (or at `line`, e.g. the author listing), with the rule's default
    severity; `reconcile` applies the user's overrides."""
    citation = cited.citation
    at_line = line if line is not None else citation.line
    at_column = column if line is not None else citation.column
    return Finding(
        rule.id, rule.severity, citation.file, at_line, at_column, citation.doi or None, message, details, citation.key
    )


def _one_line(text: str) -> str:
    """Text as written on the page, whitespace folded: a cut DOI can span lines, a message cannot."""
    return " ".join(text.split())


def _broken(cited: Cited) -> list[Finding]:
    raw = cited.citation.raw
    return [_finding(rules.DOI_BROKEN, cited, f"'{_one_line(raw)}' is not a complete DOI.", {"raw": raw})]


def _typo(cited: Cited) -> list[Finding]:
    citation, repaired = cited.citation, cited.resolution.repaired
    return [
        _finding(
            rules.DOI_TYPO,
            cited,
            f"'{_one_line(citation.raw)}' is a damaged DOI: the registry holds {repaired}.",
            {"raw": citation.raw, "written": citation.id, "repaired": repaired, "suggestion": repaired},
        )
    ]


def _not_found(cited: Cited) -> list[Finding]:
    citation = cited.citation
    if citation.kind == "doi":
        message = f"DOI {citation.id} is not registered with Crossref or any other DOI agency."
        return [_finding(rules.DOI_NOT_FOUND, cited, message, {"status": "not_found"})]
    registry = "PubMed" if citation.kind == "pmid" else "PubMed Central"
    return [_finding(rules.PMID_NOT_FOUND, cited, f"{_label(citation)} is not in {registry}.", {"status": "not_found"})]


def _unverified(cited: Cited) -> list[Finding]:
    reason = cited.resolution.reason or "unknown reason"
    return [
        _finding(
            rules.DOI_UNVERIFIED,
            cited,
            f"{_label(cited.citation)} could not be verified ({reason}); its metadata was not checked.",
            {"status": cited.resolution.status, "reason": reason},
        )
    ]


def _kind(update: Update) -> str:
    return update.type.lower().replace("-", "_").replace(" ", "_")


def _describe(update: Update) -> str:
    scheme, value = split_key(update.id)
    parts = [value if scheme == "doi" else f"{scheme.upper()} {value}"]
    if update.date:
        parts.append(update.date)
    if update.source and update.source != "publisher":
        parts.append(f"source {update.source}")
    return ", ".join(parts)


def _update_details(updates: Sequence[Update]) -> list[dict[str, Any]]:
    return [
        {"type": _kind(update), "doi": update.id, "date": update.date, "source": update.source}
        for update in updates
    ]


_UPDATE_RULES = (
    (rules.DOI_RETRACTED, RETRACTION_TYPES, "has been retracted"),
    (rules.DOI_CORRECTED, CORRECTION_TYPES, "has a published correction"),
    (rules.DOI_EXPRESSION_OF_CONCERN, CONCERN_TYPES, "carries an expression of concern"),
)


def _updates(cited: Cited) -> list[Finding]:
    work = cited.work
    assert work is not None
    findings = []
    own = set(work.keys)
    for rule, types, verb in _UPDATE_RULES:
        updates = list({u.id: u for u in work.updated_by if _kind(u) in types and u.id not in own}.values())
        if updates:
            notices = "; ".join(_describe(update) for update in updates)
            message = f"{_label(cited.citation)} {verb} ({notices})."
            findings.append(_finding(rule, cited, message, {"updates": _update_details(updates)}))
    return findings


def is_retraction_notice(work: Work) -> bool:
    return any(_kind(update) in RETRACTION_TYPES for update in work.update_to) or bool(
        work.title and _NOTICE_TITLE.match(work.title)
    )


def is_component(work: Work) -> bool:
    return work.component_of is not None or work.type == "component"


def _notice(cited: Cited) -> list[Finding]:
    work = cited.work
    assert work is not None
    retracts = [update for update in work.update_to if _kind(update) in RETRACTION_TYPES]
    if retracts:
        targets = ", ".join(_describe(update) for update in retracts)
        return [
            _finding(
                rules.DOI_RETRACTION_NOTICE,
                cited,
                f"{_label(cited.citation)} is a retraction notice for {targets}, not the work itself.",
                {"retracts": [update.id for update in retracts]},
            )
        ]
    return [
        _finding(
            rules.DOI_RETRACTION_NOTICE,
            cited,
            f"{_label(cited.citation)} is a retraction notice ('{work.title}'), not the work itself.",
            {"retracts": [], "title": work.title},
        )
    ]


def _component(cited: Cited) -> list[Finding]:
    work = cited.work
    assert work is not None
    parent = f" of {work.component_of}" if work.component_of else ""
    return [
        _finding(
            rules.DOI_COMPONENT,
            cited,
            f"DOI {cited.citation.id} is a component (a figure or table){parent}; cite the article's DOI instead.",
            {"component_of": work.component_of, "type": work.type},
        )
    ]


def _page_dois(cited: Cited) -> list[str]:
    """The DOIs the page gives for the same study as this PMID or PMCID, as the registry holds
    them: a confirmed repair stands for the damaged DOI, and a DOI no registry knows is left to
    `doi-not-found` (it names no work to compare)."""
    dois = []
    for key in cited.citation.same_work:
        scheme, value = split_key(key)
        answer = cited.same_study.get(key)
        if scheme != "doi" or answer is not None and answer.status == "not_found":
            continue
        dois.append(answer.repaired if answer is not None and answer.repaired else value)
    return dois


def _pmid_doi(cited: Cited) -> list[Finding]:
    work = cited.work
    assert work is not None and work.doi is not None
    given = [doi for doi in _page_dois(cited) if normalise_doi(doi) != normalise_doi(work.doi)]
    if not given:
        return []
    page_doi = given[0]
    return [
        _finding(
            rules.PMID_DOI_MISMATCH,
            cited,
            f"{_label(cited.citation)} is not the work of DOI {page_doi}: PubMed gives DOI {work.doi}.",
            {"expected": work.doi, "found": page_doi, "suggestion": work.doi},
        )
    ]


_REGISTRY_NAMES = {"crossref": "Crossref", "pubmed": "PubMed", "datacite": "DataCite", "medra": "mEDRA", "jalc": "JaLC"}


def _registry(cited: Cited) -> str:
    """Who said what the page is compared with, as messages name it."""
    agency = cited.resolution.agency or ""
    return _REGISTRY_NAMES.get(agency, agency or "the registry")


def _compares_metadata(cited: Cited) -> bool:
    work = cited.work
    return work is not None and cited.citation.listed is not None and not is_retraction_notice(work) and not is_component(work)


def _names(people: Iterable[Person]) -> list[str]:
    return [person.display() for person in people]


def _authors(cited: Cited) -> list[Finding]:
    listed, work = cited.citation.listed, cited.work
    assert listed is not None and work is not None
    match: AuthorMatch = match_authors(listed.authors, work.authors, listed.truncated, unread=listed.authors_unread)
    findings = []
    if not match.ok:
        problems = []
        if match.missing:
            problems.append(f"missing from the page: {', '.join(_names(match.missing))}")
        if match.extra:
            problems.append(f"not authors of the work: {', '.join(_names(match.extra))}")
        if match.misspelled:
            registry = _registry(cited)
            spellings = ", ".join(f"{found.display()} ({registry}: {expected.display()})" for found, expected in match.misspelled)
            problems.append(f"misspelled: {spellings}")
        if match.order_differs:
            problems.append("listed in a different order")
        findings.append(
            _finding(
                rules.AUTHORS_MISMATCH,
                cited,
                f"Authors differ from the work's authors: {'; '.join(problems) or 'they do not match'}.",
                {
                    "missing": _names(match.missing),
                    "extra": _names(match.extra),
                    "misspelled": [
                        {"found": found.display(), "expected": expected.display()} for found, expected in match.misspelled
                    ],
                    "order_differs": match.order_differs,
                    "expected": _names(work.authors),
                    "found": _names(listed.authors),
                    "suggestion": _names(work.authors),
                },
                line=listed.authors_line,
            )
        )
    if match.truncated:
        # Counted from the match, not the listing: names that are not the work's authors are
        # reported above, and are not some of its authors.
        named = len(match.matched)
        findings.append(
            _finding(
                rules.AUTHORS_TRUNCATED,
                cited,
                f"The page lists {named} of the work's {len(work.authors)} authors.",
                {"listed": named, "authors": len(work.authors)},
                line=listed.authors_line,
            )
        )
    return findings


def _title(cited: Cited) -> list[Finding]:
    listed, work = cited.citation.listed, cited.work
    assert listed is not None and listed.title is not None and work is not None and work.title is not None
    if titles_match(listed.title, work.title, work.subtitle, work.other_titles):
        return []
    expected = work.full_title
    return [
        _finding(
            rules.TITLE_MISMATCH,
            cited,
            f"Title on the page '{listed.title}' differs from the work's title '{expected}'.",
            {"expected": expected, "found": listed.title, "suggestion": plain(expected or "")},
        )
    ]


def _year(cited: Cited) -> list[Finding]:
    listed, work = cited.citation.listed, cited.work
    assert listed is not None and listed.year is not None and work is not None
    if listed.year in work.years:
        return []
    years = list(work.years)
    return [
        _finding(
            rules.YEAR_MISMATCH,
            cited,
            f"Year on the page {listed.year} is none of the work's years ({', '.join(map(str, years))}).",
            {"expected": years, "found": listed.year, "suggestion": work.year},
        )
    ]


def _journal_names(work: Work) -> list[str]:
    return [name for name in (work.container_title, work.short_container_title) if name]


def _journal(cited: Cited) -> list[Finding]:
    listed, work = cited.citation.listed, cited.work
    assert listed is not None and listed.journal is not None and work is not None
    journals = _journal_names(work)
    if journals_match(listed.journal, journals):
        return []
    return [
        _finding(
            rules.JOURNAL_MISMATCH,
            cited,
            f"Journal on the page '{listed.journal}' is not the work's journal '{journals[0]}'.",
            {"expected": journals, "found": listed.journal, "suggestion": journals[0]},
        )
    ]


def _listed(cited: Cited) -> Listed:
    assert cited.citation.listed is not None
    return cited.citation.listed


def _found(cited: Cited) -> bool:
    return cited.work is not None


CHECKS: tuple[Check, ...] = (
    Check((rules.DOI_BROKEN,), lambda c: c.citation.kind == "broken" and c.resolution.repaired is None, _broken),
    Check((rules.DOI_TYPO,), lambda c: c.resolution.repaired is not None, _typo),
    Check(
        (rules.DOI_NOT_FOUND, rules.PMID_NOT_FOUND),
        lambda c: c.citation.kind != "broken" and c.resolution.status == "not_found",
        _not_found,
    ),
    Check(
        (rules.DOI_UNVERIFIED,),
        lambda c: c.citation.kind != "broken" and c.resolution.status == "unresolved",
        _unverified,
    ),
    Check((rules.DOI_RETRACTED, rules.DOI_CORRECTED, rules.DOI_EXPRESSION_OF_CONCERN), _found, _updates),
    Check((rules.DOI_RETRACTION_NOTICE,), lambda c: c.work is not None and is_retraction_notice(c.work), _notice),
    Check((rules.DOI_COMPONENT,), lambda c: c.work is not None and is_component(c.work), _component),
    Check(
        (rules.PMID_DOI_MISMATCH,),
        lambda c: c.citation.kind in ("pmid", "pmcid") and c.work is not None and bool(c.work.doi) and bool(_page_dois(c)),
        _pmid_doi,
    ),
    Check(
        (rules.AUTHORS_MISMATCH, rules.AUTHORS_TRUNCATED),
        lambda c: _compares_metadata(c) and bool(_listed(c).authors) and bool(c.work and c.work.authors),
        _authors,
    ),
    Check(
        (rules.TITLE_MISMATCH,),
        lambda c: _compares_metadata(c) and bool(_listed(c).title) and bool(c.work and c.work.title),
        _title,
    ),
    Check((rules.YEAR_MISMATCH,), lambda c: _compares_metadata(c) and _listed(c).year is not None and bool(c.work and c.work.years), _year),
    Check(
        (rules.JOURNAL_MISMATCH,),
        lambda c: _compares_metadata(c) and bool(_listed(c).journal) and bool(c.work and _journal_names(c.work)),
        _journal,
    ),
)


def _duplicate(cited: Cited, first_by_key: dict[tuple[str, str], Citation]) -> list[Finding]:
    """The same work cited under two DOI forms on one page (state across a page's citations, so
    not one of `CHECKS`)."""
    citation = cited.citation
    if citation.kind != "doi":
        return []
    keys = {normalise_doi(citation.id)}
    if cited.resolution.work is not None and cited.resolution.work.doi:
        keys.add(normalise_doi(cited.resolution.work.doi))
    earlier = next(
        (first_by_key[(citation.file, key)] for key in sorted(keys) if (citation.file, key) in first_by_key), None
    )
    for key in keys:
        first_by_key.setdefault((citation.file, key), citation)
    if earlier is None or earlier.id == citation.id:
        return []
    return [
        _finding(
            rules.DOI_DUPLICATE,
            cited,
            f"DOI {citation.id} is the same work as DOI {earlier.id}, already cited at line {earlier.line}.",
            {"first": {"doi": earlier.id, "line": earlier.line, "column": earlier.column}, "suggestion": earlier.id},
        )
    ]


# --- normalised comparison of titles and journals -------------------------------------------


def _words(text: str) -> list[str]:
    return [word for word in _NON_WORD.sub(" ", fold(plain(text)).replace("_", " ")).split() if word]


# The kind of article before a colon: "Editorial: …" (as Frontiers titles editorials), "Editorial in same
# issue: …" (as the wiki heads one). A page may put it before the title; the registry's title holds it
# when the work is the editorial or letter itself, not the study it discusses.
_ARTICLE_KIND = re.compile(r"^\s*(?:editorial|commentary|comment|letter(?: to the editor)?)(?:\s+(?:in|on)\b[^:]{0,25})?:\s*", re.I)


def _title_variants(title: str, on_page: bool = False) -> set[str]:
    """The title, without a wiki date suffix (and on the page, the article's kind before it), and its
    main part before a subtitle (never the kind alone: "Editorial: A" is not "Editorial: B")."""
    cleaned = _ELLIPSIS.sub("", without_date_suffix(plain(title)))
    without_kind = _ARTICLE_KIND.sub("", cleaned)
    variants = {cleaned, title, without_kind} if on_page else {cleaned, title}
    for separator in (":", " - ", " – ", "? "):
        if separator in without_kind:
            variants.add(without_kind.split(separator, 1)[0] + ("?" if separator == "? " else ""))
    return {" ".join(_words(variant)) for variant in variants if _words(variant)}


def titles_match(listed: str, title: str, subtitle: str | None = None, other_titles: Sequence[str] = ()) -> bool:
    """True when the page's title is the work's (or one of its `other_titles`: original-language,
    translated, short), up to markup, case, punctuation, a date suffix, a subtitle present on one
    side only, a trailing ellipsis and small typos."""
    listed_variants = _title_variants(listed, on_page=True)
    work_variants = _title_variants(title) | (_title_variants(f"{title}: {subtitle}") if subtitle else set())
    for other in other_titles:
        work_variants |= _title_variants(other)
    if listed_variants & work_variants:
        return True
    truncated = bool(_ELLIPSIS.search(listed))
    for found in listed_variants:
        for expected in work_variants:
            if truncated and expected.startswith(found):
                return True
            if SequenceMatcher(None, found, expected, autojunk=False).ratio() >= _TITLE_SIMILARITY:
                return True
    return False


# --- journal names: ISO 4 and NLM abbreviations -----------------------------------------------
#
# ISO 4, and the NLM abbreviations PubMed prints (which follow it), shorten a journal's title word
# by word and in order: a word is cut ("Endocrinol" for Endocrinology) or contracted ("Natl",
# "Dtsch", as the LTWA lists them); articles, prepositions and conjunctions are left out; a series
# letter stays ("Phys Rev D"); a subtitle may go. So two names are one journal when one shortens
# the other that way, every significant word accounted for: "Eur J Nutr" is not the "European
# Journal of Clinical Nutrition", "Phys Rev A" is not "Physical Review E", "Journal of
# Mathematics" is not the "Journal of Applied Mathematics".


@dataclass(frozen=True)
class _JournalWord:
    text: str
    optional: bool = False
    """A word an abbreviation leaves out: a function word, a section word ("Part"), a number."""
    series: bool = False
    """A series or edition letter ("Physical Review E", "Part A", "Urologe A"): only the same letter matches it."""


# Articles, prepositions and conjunctions ISO 4 leaves out, in the languages of journal titles
# (English, German, French, Spanish, Portuguese, Italian, Dutch), folded.
_FUNCTION_WORDS = frozenset(
    "the of and in for on at to with by from into a an their its "
    "der die das des dem den und fur zur zum im am auf aus bei mit von vom uber "
    "le la les l de des du d et en pour sur au aux "
    "el los las del y e para por con "
    "o os as da do das dos em na no com "
    "il lo gli di della delle dei degli ed per "
    "het van voor op".split()
)  # fmt: skip
# Function words that are also abbreviations (Am for American, An for Anales): on the shortened
# side of a comparison they are words.
_ABBREVIATION_LOOKALIKES = frozenset({"a", "am", "an", "e", "o", "y", "d", "l"})
_SECTION_WORDS = frozenset({"part", "section", "series", "ser", "sect", "sec", "pt"})
# Words NLM titles carry that the registries' titles do not: "Proc Natl Acad Sci USA",
# "Philos Trans R Soc Lond B Biol Sci" (the Royal Society "of London" of the old title).
_NLM_ADDITIONS = frozenset({"usa", "lond"})
_VOWELS = frozenset("aeiouy")
# Letters a contraction keeps whole before it may drop consonants ("geneesk-d" for Geneeskunde);
# fewer would let "Anat" (Anatomical) stand for Antarctic and "Rec" (Record) for Research.
_CONTRACTION_STEM = 3
# One-letter abbreviations of a title's last word: Journal ("EFSA J", "Nutr J"), Zeitschrift.
_LAST_WORD_LETTERS = frozenset({"j", "z"})
# Each of two abbreviations glued on the page ("EndocrinolMetab") is this long at least; shorter
# pieces are initials ("JRT" is not "Jr" + "T" for Journal of Textiles).
_GLUED_PART = 3
_HYPHEN_CHARS = re.compile("[\u2010\u2011\u2012\u2013\u2014-]")
_SECTION_BREAK = re.compile(r"\s*[:;]\s*|\s+-\s+")
# "l'Institut", "dell'Università": the elided article is a word of its own.
_ELISION = re.compile(r"\b([ldmnst]|dell|all|nell|sull|qu)['’](?=\w)")
_TITLE_WORD = re.compile(r"[^\W_]+(-?)")


def _journal_sections(name: str) -> list[list[_JournalWord]]:
    """The name's sections (title, subtitle: split at a colon or a spaced dash), each as its words."""
    text = _PARENTHESES.sub(" ", fold(plain(name)).replace("&", " and "))
    text = _ELISION.sub(r"\1 ", _HYPHEN_CHARS.sub("-", text)).replace("'s ", "s ").replace("'", "").replace("’", "")
    sections = []
    for part in _SECTION_BREAK.split(text):
        found = [(match.group(0).rstrip("-"), bool(match.group(1))) for match in _TITLE_WORD.finditer(part)]
        words = []
        for index, (word, hyphenated) in enumerate(found):
            last = index == len(found) - 1
            after_section_word = index > 0 and found[index - 1][0] in _SECTION_WORDS
            if len(word) == 1 and word.isalpha() and not hyphenated and (last or after_section_word):
                words.append(_JournalWord(word, series=True))
            else:
                optional = not hyphenated and (word in _FUNCTION_WORDS or word in _SECTION_WORDS or word.isdigit())
                words.append(_JournalWord(word, optional=optional))
        if words:
            sections.append(words)
    return sections


def _significant(words: Sequence[_JournalWord]) -> int:
    return sum(not word.optional and not word.series for word in words)


def _journal_forms(name: str) -> list[tuple[_JournalWord, ...]]:
    """The name as written, and the shorter forms an abbreviation may stand for: the title without
    its subtitle, NLM's first word and subtitle ("Proc Biol Sci" for "Proceedings of the Royal
    Society B: Biological Sciences"), and the name without the acronym that leads it."""
    sections = _journal_sections(name)
    if not sections:
        return []
    first = sections[0]
    forms = [tuple(word for section in sections for word in section)]
    # NLM titles led by the journal's acronym: "JPEN J Parenter Enteral Nutr".
    rest = forms[0][1:]
    if len(rest) > 1 and _initials_end(forms[0][0].text, rest, 0) == len(rest):
        forms.append(rest)
    if len(sections) > 1:
        forms.append(tuple(first))
        leading = next((word for word in first if not word.optional and not word.series), None)
        if leading is not None:
            forms.append((leading, *(word for section in sections[1:] for word in section)))
    return forms


def _abbreviates(short: str, word: str) -> bool:
    """ISO 4's word abbreviations: the word cut ('endocrinol', 'biochem'), or contracted, as the
    LTWA does: after a first syllable kept whole, letters in order ('geneeskd', 'natl'); from the
    first letter, only vowels dropped ('dtsch', 'wkly', 'jpn') or ending on the word's last
    letters ('bldg', 'assn'). British and American spellings are one ('paediatr', 'haematol')."""
    short, word = (text.replace("ae", "e").replace("oe", "e") for text in (short, word))
    if word.startswith(short):
        return bool(short)
    if short[:1] != word[:1] or len(short) >= len(word):
        return False
    kept = len(os.path.commonprefix((short, word)))
    if kept >= _CONTRACTION_STEM:
        rest = iter(word[kept:])
        return all(letter in rest for letter in short[kept:])
    position = 1
    for index in range(1, len(short)):
        if index >= 2 and word.endswith(short[index:]) and len(word) - len(short[index:]) >= position:
            return True
        while position < len(word) and word[position] != short[index]:
            if word[position] not in _VOWELS:
                return False
            position += 1
        if position == len(word):
            return False
        position += 1
    return True


def _initials_end(short: str, full: Sequence[_JournalWord], start: int) -> int | None:
    """Where a run of `full`'s words whose initials spell `short` ends ('usa' for United States
    of America, 'jcem', 'pnas'), function words skipped; None when there is no such run."""
    if len(short) < 2 or not short.isalpha():
        return None
    position = start
    for letter in short:
        while position < len(full) and full[position].optional:
            position += 1
        if position == len(full) or full[position].series or full[position].text[0] != letter:
            return None
        position += 1
    return position


def _shortens(short: Sequence[_JournalWord], full: Sequence[_JournalWord]) -> bool:
    """True when `short` is `full` shortened the ISO 4 / NLM way: each word of `short` abbreviates
    the next significant word of `full` (or spells a run of them by initials, or two of them glued),
    and every significant word of `full` is accounted for."""
    full_has_series = any(word.series for word in full)

    @functools.lru_cache(maxsize=None)
    def aligned(i: int, j: int) -> bool:
        if i == len(short):
            return all(word.optional or (word.series and len(short) > 1) for word in full[j:])
        word = short[i]
        if word.optional and word.text not in _ABBREVIATION_LOOKALIKES and aligned(i + 1, j):
            return True
        if word.text in _NLM_ADDITIONS and aligned(i + 1, j):
            return True
        # An edition letter or country NLM adds to a title that has none ("Urologe A" for "Der
        # Urologe", "U S A").
        trailing_letters = short[-1].series and all(len(rest.text) == 1 for rest in short[i:])
        if trailing_letters and not full_has_series and all(rest.optional for rest in full[j:]):
            return True
        if j == len(full):
            return False
        other = full[j]
        # A series letter may be left out ("Nucl Phys" for "Nuclear Physics B"), though not by a
        # single word: an acronym does not say which series ("APP" is not "Acta Physica Polonica B").
        if (other.optional or (other.series and len(short) > 1)) and aligned(i, j + 1):
            return True
        if other.series:
            return word.text == other.text and aligned(i + 1, j + 1)
        # A letter ending the name is a series letter, not a word ("Phys Rev A" is not "... Applied"),
        # unless it ends a run of initials ("U S A", "US A") or stands for Journal ("EFSA J").
        as_word = not word.series or word.text in _LAST_WORD_LETTERS or (i > 0 and len(short[i - 1].text) <= 2)
        if as_word and _abbreviates(word.text, other.text) and aligned(i + 1, j + 1):
            return True
        end = _initials_end(word.text, full, j)
        if end is not None and aligned(i + 1, end):
            return True
        # Two words glued together on the page ("EndocrinolMetab").
        following = next((k for k in range(j + 1, len(full)) if not full[k].optional), None)
        if following is not None and not full[following].series and any(
            _abbreviates(word.text[:cut], other.text) and _abbreviates(word.text[cut:], full[following].text)
            for cut in range(_GLUED_PART, len(word.text) - _GLUED_PART + 1)
        ):
            return aligned(i + 1, following + 1)
        return False

    return aligned(0, 0)


def journals_match(listed: str, names: Sequence[str]) -> bool:
    """True when the page's journal is one of `names` (the record's title and short titles): the
    same words up to case, accents, punctuation and parenthesised qualifiers ("Medicine
    (Baltimore)"), or one shortening the other the ISO 4 / NLM way (see `_shortens`), or its
    initials ("PNAS", "JCEM"). A page listing with no words says nothing to compare."""
    listed_forms = _journal_forms(listed)
    if not any(_significant(form) for form in listed_forms):
        return True
    for name in names:
        for page_form in listed_forms:
            for name_form in _journal_forms(name):
                if _shortens(page_form, name_form) or _shortens(name_form, page_form):
                    return True
    return False
