"""What a page says about a work against what Crossref says: Findings, and the reconciled Work.

Pure: citations and resolutions in, findings out. Checks per citation, in this order:
broken DOI; resolution status (not found, unverified); update relations (retracted,
retraction notice, corrected, expression of concern); component DOIs; then, for an
ordinary resolved work with page metadata, authors, title, year and journal. A retraction
notice or a component is not compared field by field: the page's listing describes the
article, so such comparisons would only repeat the finding already made.

Duplicates: two citations on one page are the same work when their DOIs, or the DOIs of the
works they resolved to (Crossref answers an alias with the work's own DOI), are equal after
`doi.normalise` (case, URL-encoding, HTML entities, resolver prefix). A work and one of its
components are different works; the component rule covers that case."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from .doi import normalise as normalise_doi
from .markup import plain
from .model import Citation, Finding, Listed, Person, Resolution, Update, Work
from .names import AuthorMatch, match_authors
from .rules import RULES_BY_ID, severities

RETRACTION_TYPES = frozenset({"retraction", "partial_retraction", "withdrawal", "removal"})
CORRECTION_TYPES = frozenset({"correction", "erratum", "corrigendum"})
CONCERN_TYPES = frozenset({"expression_of_concern"})

# Hindawi and others publish notices titled "Retracted: <title>" without an update-to relation.
_NOTICE_TITLE = re.compile(r"^\s*(?:retraction(?: notice)?|retracted|notice of retraction)\s*[:.\-–]", re.IGNORECASE)
# A date the wiki appends to titles: " – Feb 2022", " - 2021", " - Sept 2013", " (2019)".
_DATE_SUFFIX = re.compile(
    r"\s*(?:[-–—]\s*(?:[a-z]{3,9}\.?\s+)?(?:\d{1,2}\s+)?|\()(?:19|20)\d\d\)?\s*$", re.IGNORECASE
)
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*$")
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NON_WORD = re.compile(r"[^\w]+")
# ISO 4 abbreviations drop articles, conjunctions and prepositions ("Front Genet", "J Reine
# Angew Math" for "Journal für die reine und angewandte Mathematik", "Endocrinol Nutr").
_JOURNAL_STOPWORDS = frozenset(
    {"the", "of", "and", "&", "in", "for", "on", "at", "der", "die", "das", "für", "fur", "und", "le", "la", "les",
     "de", "des", "du", "et", "y", "el", "e", "di", "della"}
)
# Typos, transliterations and markup leftovers below this distance are not worth a finding.
_TITLE_SIMILARITY = 0.9


def reconcile(
    citations: Iterable[Citation],
    resolutions: Mapping[str, Resolution],
    rules: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Findings for every citation, in citation order (per citation: DOI status, then metadata).

    `resolutions` maps a citation's normalised DOI to what resolving it gave; a DOI missing from
    the mapping is reported as unverified. `rules` holds the user's severity overrides
    (`Settings.rules`); a rule turned off yields no findings, an unknown rule id is a ConfigError."""
    effective = severities(rules or {})
    findings: list[Finding] = []
    first_by_key: dict[tuple[str, str], Citation] = {}
    for citation in citations:
        if citation.kind == "broken":
            findings.append(_broken(citation))
            continue
        resolution = resolutions.get(citation.key) or Resolution(
            key=citation.key, status="unresolved", reason="not resolved"
        )
        findings.extend(_citation_findings(citation, resolution))
        findings.extend(_duplicate(citation, resolution, first_by_key))
    return [
        dataclasses.replace(finding, severity=severity)
        for finding in findings
        if (severity := effective[finding.rule]) is not None
    ]


def reconciled_work(listed: Listed | None, resolution: Resolution | None, doi: str) -> Work:
    """The work as exported: Crossref as authority, the page's values only where Crossref has none.

    Without a resolved work (unverified DOIs) the work is built from the page's listing alone."""
    work = resolution.work if resolution is not None and resolution.work is not None else Work(doi=doi)
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


# --- one citation ---------------------------------------------------------------------------


def _finding(
    rule: str, citation: Citation, message: str, details: dict[str, Any], line: int | None = None, column: int = 1
) -> Finding:
    """A finding at the citation (or at `line`, e.g. the author listing), with the rule's default
    severity; `reconcile` applies the user's overrides."""
    at_line = line if line is not None else citation.line
    at_column = column if line is not None else citation.column
    severity = RULES_BY_ID[rule].severity
    return Finding(rule, severity, citation.file, at_line, at_column, citation.doi or None, message, details)


def _broken(citation: Citation) -> Finding:
    return _finding(
        "doi-broken",
        citation,
        f"'{citation.raw}' is not a complete DOI.",
        {"raw": citation.raw},
    )


def _citation_findings(citation: Citation, resolution: Resolution) -> list[Finding]:
    doi = citation.doi
    if resolution.status == "not_found":
        return [
            _finding(
                "doi-not-found",
                citation,
                f"DOI {doi} is not registered with Crossref or any other DOI agency.",
                {"status": "not_found"},
            )
        ]
    if resolution.status != "found" or resolution.work is None:
        reason = resolution.reason or "unknown reason"
        return [
            _finding(
                "doi-unverified",
                citation,
                f"DOI {doi} could not be verified ({reason}); its metadata was not checked.",
                {"status": resolution.status, "reason": reason},
            )
        ]
    work = resolution.work
    findings = _update_findings(citation, work)
    component = _component(citation, work)
    if component is not None:
        findings.append(component)
    is_notice = any(finding.rule == "doi-retraction-notice" for finding in findings)
    if citation.listed is not None and component is None and not is_notice:
        findings.extend(_metadata_findings(citation, citation.listed, work))
    return findings


def _kind(update: Update) -> str:
    return update.type.lower().replace("-", "_").replace(" ", "_")


def _describe(update: Update) -> str:
    parts = [update.id]
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


def _update_findings(citation: Citation, work: Work) -> list[Finding]:
    findings = []
    checks = (
        ("doi-retracted", RETRACTION_TYPES, "has been retracted"),
        ("doi-corrected", CORRECTION_TYPES, "has a published correction"),
        ("doi-expression-of-concern", CONCERN_TYPES, "carries an expression of concern"),
    )
    for rule, types, verb in checks:
        updates = [update for update in work.updated_by if _kind(update) in types and update.id != work.doi]
        if updates:
            notices = "; ".join(_describe(update) for update in updates)
            findings.append(
                _finding(rule, citation, f"DOI {citation.doi} {verb} ({notices}).", {"updates": _update_details(updates)})
            )
    retracts = [update for update in work.update_to if _kind(update) in RETRACTION_TYPES]
    if retracts:
        targets = ", ".join(update.id for update in retracts)
        findings.append(
            _finding(
                "doi-retraction-notice",
                citation,
                f"DOI {citation.doi} is a retraction notice for {targets}, not the work itself.",
                {"retracts": [update.id for update in retracts]},
            )
        )
    elif work.title and _NOTICE_TITLE.match(work.title):
        findings.append(
            _finding(
                "doi-retraction-notice",
                citation,
                f"DOI {citation.doi} is a retraction notice ('{work.title}'), not the work itself.",
                {"retracts": [], "title": work.title},
            )
        )
    return findings


def _component(citation: Citation, work: Work) -> Finding | None:
    if work.component_of is None and work.type != "component":
        return None
    parent = f" of {work.component_of}" if work.component_of else ""
    return _finding(
        "doi-component",
        citation,
        f"DOI {citation.doi} is a component (a figure or table){parent}; cite the article's DOI instead.",
        {"component_of": work.component_of, "type": work.type},
    )


def _duplicate(
    citation: Citation, resolution: Resolution, first_by_key: dict[tuple[str, str], Citation]
) -> list[Finding]:
    keys = {normalise_doi(citation.doi)}
    if resolution.work is not None:
        keys.add(normalise_doi(resolution.work.doi))
    earlier = next(
        (first_by_key[(citation.file, key)] for key in sorted(keys) if (citation.file, key) in first_by_key), None
    )
    for key in keys:
        first_by_key.setdefault((citation.file, key), citation)
    if earlier is None or earlier.doi == citation.doi:
        return []
    return [
        _finding(
            "doi-duplicate",
            citation,
            f"DOI {citation.doi} is the same work as DOI {earlier.doi}, already cited at line {earlier.line}.",
            {"first": {"doi": earlier.doi, "line": earlier.line, "column": earlier.column}},
        )
    ]


# --- page metadata against the work ---------------------------------------------------------


def _metadata_findings(citation: Citation, listed: Listed, work: Work) -> list[Finding]:
    findings: list[Finding] = []
    if listed.authors and work.authors:
        findings.extend(_author_findings(citation, listed, work))
    if listed.title and work.title and not titles_match(listed.title, work.title, work.subtitle):
        expected = work.full_title
        findings.append(
            _finding(
                "title-mismatch",
                citation,
                f"Title on the page '{listed.title}' differs from the work's title '{expected}'.",
                {"expected": expected, "found": listed.title},
            )
        )
    if listed.year is not None and work.years and listed.year not in work.years:
        expected_years = list(work.years)
        findings.append(
            _finding(
                "year-mismatch",
                citation,
                f"Year on the page {listed.year} is none of the work's years ({', '.join(map(str, expected_years))}).",
                {"expected": expected_years, "found": listed.year},
            )
        )
    journals = [name for name in (work.container_title, work.short_container_title) if name]
    if listed.journal and journals and not journals_match(listed.journal, journals):
        findings.append(
            _finding(
                "journal-mismatch",
                citation,
                f"Journal on the page '{listed.journal}' is not the work's journal '{journals[0]}'.",
                {"expected": journals, "found": listed.journal},
            )
        )
    return findings


def _names(people: Iterable[Person]) -> list[str]:
    return [person.display() for person in people]


def _author_findings(citation: Citation, listed: Listed, work: Work) -> list[Finding]:
    match: AuthorMatch = match_authors(listed.authors, work.authors, listed.truncated)
    findings = []
    if not match.ok:
        problems = []
        if match.missing:
            problems.append(f"missing from the page: {', '.join(_names(match.missing))}")
        if match.extra:
            problems.append(f"not authors of the work: {', '.join(_names(match.extra))}")
        if match.misspelled:
            spellings = ", ".join(f"{listed_name.display()} (Crossref: {work_name.display()})" for listed_name, work_name in match.misspelled)
            problems.append(f"misspelled: {spellings}")
        if match.order_differs:
            problems.append("listed in a different order")
        findings.append(
            _finding(
                "authors-mismatch",
                citation,
                f"Authors differ from the work's authors: {'; '.join(problems) or 'they do not match'}.",
                {
                    "missing": _names(match.missing),
                    "extra": _names(match.extra),
                    "misspelled": [
                        {"found": listed_name.display(), "expected": work_name.display()}
                        for listed_name, work_name in match.misspelled
                    ],
                    "order_differs": match.order_differs,
                    "expected": _names(work.authors),
                    "found": _names(listed.authors),
                },
                line=listed.authors_line,
            )
        )
    if match.truncated:
        findings.append(
            _finding(
                "authors-truncated",
                citation,
                f"The page lists {len(listed.authors)} of the work's {len(work.authors)} authors.",
                {"listed": len(listed.authors), "authors": len(work.authors)},
                line=listed.authors_line,
            )
        )
    return findings


# --- normalised comparison of titles and journals -------------------------------------------


def _fold(text: str) -> str:
    """Markup removed, entities decoded, diacritics dropped, Greek letters spelled out, case folded."""
    text = plain(text)
    letters = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            continue
        if "\u0370" <= char <= "\u03ff":
            # α / alpha: wikis and publishers spell Greek letters either way.
            name = unicodedata.name(char, "")
            char = f" {name.rsplit(' ', 1)[-1].lower()} " if "LETTER" in name else char
        letters.append(char)
    return "".join(letters).casefold()


def _words(text: str) -> list[str]:
    return [word for word in _NON_WORD.sub(" ", _fold(text).replace("_", " ")).split() if word]


def _title_variants(title: str) -> set[str]:
    """The title, without a wiki date suffix, and its main part before a subtitle."""
    cleaned = _ELLIPSIS.sub("", _DATE_SUFFIX.sub("", plain(title)))
    variants = {cleaned, title}
    for separator in (":", " - ", " – ", "? "):
        if separator in cleaned:
            variants.add(cleaned.split(separator, 1)[0] + ("?" if separator == "? " else ""))
    return {" ".join(_words(variant)) for variant in variants if _words(variant)}


def titles_match(listed: str, title: str, subtitle: str | None = None) -> bool:
    """True when the page's title is the work's, up to markup, case, punctuation, a date
    suffix, a subtitle present on one side only, a trailing ellipsis and small typos."""
    listed_variants = _title_variants(listed)
    work_variants = _title_variants(title) | (_title_variants(f"{title}: {subtitle}") if subtitle else set())
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


def _journal_words(name: str) -> list[str]:
    text = _PARENTHESES.sub(" ", _fold(name).replace("&", " and "))
    return [word for word in _words(text) if word not in _JOURNAL_STOPWORDS and not word.isdigit()]


def _abbreviates(short: str, word: str) -> bool:
    """'biochem' abbreviates 'biochemistry', 'natl' 'national': same first letter, letters in order."""
    if short == word:
        return True
    if not short or not word or short[0] != word[0] or len(short) > len(word):
        return False
    letters = iter(word)
    return all(letter in letters for letter in short)


def _acronym(short: list[str], words: list[str]) -> bool:
    return len(short) == 1 and len(words) > 1 and short[0] == "".join(word[0] for word in words)


def _abbreviates_skipping(short: list[str], words: list[str]) -> bool:
    """NLM abbreviations may leave words out ("Proc Biol Sci" for "Proceedings of the Royal
    Society B: Biological Sciences"): each short word abbreviates a later full word, in order,
    and the first and last full words are both accounted for."""
    if not short or short[0][:1] != words[0][:1]:
        return False
    position = 0
    for part in short:
        while position < len(words) and not _abbreviates(part, words[position]):
            position += 1
        if position == len(words):
            return False
        position += 1
    return position == len(words)


def journals_match(listed: str, names: Sequence[str]) -> bool:
    """True when the page's journal is one of `names`, or abbreviates one (ISO 4 / NLM style:
    words shortened or left out, articles, conjunctions and prepositions dropped), or is its
    acronym (PNAS); a listing of two words or more that stops early ("J Clin Endocrinol" for
    "... & Metabolism") counts as the same journal."""
    short = _journal_words(listed)
    if not short:
        return True
    for name in names:
        words = _journal_words(name)
        if not words:
            continue
        if _acronym(short, words) or _acronym(words, short):
            return True
        if _abbreviates_skipping(short, words) or _abbreviates_skipping(words, short):
            return True
        if min(len(short), len(words)) >= 2 and all(
            _abbreviates(a, b) or _abbreviates(b, a) for a, b in zip(short, words)
        ):
            return True
    return False
