"""Find and normalise PubMed ids (PMIDs) and PubMed Central ids (PMCIDs) in free text. Pure: no I/O.

Wiki pages give them as labels (`PMID: 23174181`, `PMid:…`, `PM ID …`, `[PubMed: 21436164]`,
`PMCID: PMC4124789`, `PMCID: 4124789`), as PubMed, PMC and Europe PMC URLs old and new, and as a
bare `PMC3761874`. A number that merely follows the word PubMed in prose ("PubMed yielded 59 results")
is not an id, nor is a PubMed search link without one. Every form starts with a few letters
(`PM`, `pm`, `PubMed`, `pubmed`), so the scan looks for those cheaply and reads each form only there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PubMedKind = Literal["pmid", "pmcid"]


@dataclass(frozen=True)
class PubMedMatch:
    """One PMID or PMCID in a text: where `raw` starts and ends, and the id it means."""

    start: int
    end: int
    raw: str
    id: str
    """PMID: digits without leading zeros (`23174181`); PMCID: `PMC` and digits (`PMC3761874`)."""
    kind: PubMedKind


# Every form holds one of these (PMID, PMCID, PMC…, pmid=, /pmc…, europepmc, PubMed, pubmed): found with
# str.find, far faster than any regex over a whole page, so the regexes below run only where one is.
# (`PUBMED` and `Pmid` occur in the corpus only in prose, so they cost no extra pass.)
_ANCHORS = ("PM", "pm", "ubMed", "ubmed")

# The id itself: up to nine digits (PMIDs have eight today), leading zeros dropped, not glued to
# more digits or letters (`cite_ref-PMID22461123_5-0` ends at the underscore).
_ID = r"0*(?P<id>[1-9][0-9]{0,8})(?![0-9A-Za-z])"
# Between a label and its id: colons, spaces (also as `&nbsp;` or `%20`), then wrappers such as
# `</span><span>`, `<span class="interref">`, `[` or `**`. A tag holding a colon (`<a href="http…">`)
# is not skipped: the link's own URL says which id it is.
_GAP = (
    r"(?:[ \t\u00a0:#=/]|\r?\n|&nbsp;|&\#160;|%20|%3[Aa]){0,24}"
    r"(?:(?:<[^<>:\n]{0,120}>|\[|\*\*?|_)(?:[ \t\u00a0]|&nbsp;){0,4}){0,4}"
)
_PM_FORM = re.compile(
    r"(?:(?P<pmcid_label>(?i:pmc[ -]?id))|(?P<pmid_label>(?i:pm[ -]?id)))" + _GAP + r"(?P<prefix>(?i:pmc))?"
    r"|(?P<bare>(?i:pmc))(?=[0-9])"
)
_PUBMED_LABEL = re.compile(r"(?i:pubmed)(?:[ _-]?(?i:id))?(?:[ \t\u00a0]|&nbsp;){0,4}:" + _GAP)
# The PubMed path of www.ncbi.nlm.nih.gov (also its mobile `/m/`), or the pubmed.ncbi.nlm.nih.gov host.
_NCBI_PATH_BEFORE = re.compile(r"ncbi\.nlm\.nih\.gov/(?:m/|sites/entrez/)?$", re.IGNORECASE)
_PUBMED_URL = re.compile(
    r"(?i:pubmed)(?P<host>\.ncbi\.nlm\.nih\.gov)?(?:/(?:abstract/)?|/?\?(?P<term>(?i:term)=))" + _ID,
)
# A search whose term is one PMID (`pubmed/?term=24104883`) opens that article; any other term is a search.
_LONE_TERM = re.compile(r"(?:%5B(?:uid|pmid)%5D|\[(?:uid|pmid)\])?(?:$|[\s\"'<>)\]&#|])", re.IGNORECASE)
_EUROPE_PMC = re.compile(
    r"europepmc\.org/(?:abstract|article|articles)/(?:(?P<med>(?i:med))/|(?i:pmc)/(?i:pmc)?)" + _ID, re.IGNORECASE
)
_ID_PATTERN = re.compile(_ID)

# Link text that a site cut short (`pubmed.ncbi.nlm.nih.gov/23096...`): the href has the real id.
_CUT = ("...", "\u2026")
# Characters that end a URL as written in Markdown or HTML.
_URL_STOP = frozenset(" \t\r\n\"'<>()[]{}|\\^`")
_URL_REACH = 600


def normalise_pmid(text: str) -> str | None:
    """`00123` -> `123`; None unless `text` is a PMID's digits (optionally `PMID:`-labelled)."""
    match = re.fullmatch(r"\s*(?:(?i:pmid)\s*:?\s*)?0*([1-9][0-9]{0,8})\s*", text)
    return match.group(1) if match else None


def normalise_pmcid(text: str) -> str | None:
    """`pmc0123`, `PMC123` or bare `123` -> `PMC123`; None unless `text` is a PMCID."""
    match = re.fullmatch(r"\s*(?:(?i:pmcid)\s*:?\s*)?(?i:pmc)?0*([1-9][0-9]{0,8})\s*", text)
    return f"PMC{match.group(1)}" if match else None


def _letter_before(text: str, position: int) -> bool:
    return position > 0 and text[position - 1].isascii() and text[position - 1].isalpha()


def _url_start(text: str, position: int) -> int:
    """Where the URL holding `position` starts: its scheme when written, else its first character."""
    start = position
    limit = max(0, position - _URL_REACH)
    while start > limit and text[start - 1] not in _URL_STOP:
        start -= 1
    token = text[start:position]
    scheme = max(token.rfind("http://"), token.rfind("https://"))
    return start + scheme if scheme >= 0 else start


def _read(text: str, position: int) -> tuple[int, int, str, PubMedKind, bool] | None:
    """The form starting at anchor `position`: (start, end, id, kind, whether it is a URL), or None."""
    if position >= 6 and text.startswith("europepmc.org/", position - 6):
        match = _EUROPE_PMC.match(text, position - 6)
        if match is None:
            return None
        kind: PubMedKind = "pmid" if match.group("med") else "pmcid"
        return position - 6, match.end("id"), match.group("id"), kind, True
    if _letter_before(text, position):
        return None
    if text[position + 1] in "Uu":  # PubMed, as a label or in a URL
        match = _PUBMED_LABEL.match(text, position)
        if match is not None:
            number = _ID_PATTERN.match(text, match.end())
            return (position, number.end("id"), number.group("id"), "pmid", False) if number else None
        match = _PUBMED_URL.match(text, position)
        if match is None or not (match.group("host") or _NCBI_PATH_BEFORE.search(text, max(0, position - 30), position)):
            return None
        end = match.end("id")
        if text.startswith(_CUT, end) or (match.group("term") and not _LONE_TERM.match(text, end)):
            return None
        return position, end, match.group("id"), "pmid", True
    match = _PM_FORM.match(text, position)
    if match is None:
        return None
    number = _ID_PATTERN.match(text, match.end())
    if number is None or text.startswith(_CUT, number.end("id")):
        return None
    is_pmcid = match.group("pmcid_label") or match.group("prefix") or match.group("bare")
    # A label in a URL's path or query (`/pmc/articles/pmid/123`, `?pmid=123`) is part of that URL.
    in_url = position > 0 and text[position - 1] in "/?&"
    return position, number.end("id"), number.group("id"), "pmcid" if is_pmcid else "pmid", in_url


def find_pubmed_ids(text: str) -> list[PubMedMatch]:
    """Every PMID and PMCID in `text`, in order, with its written form and its normalised form.
    A URL's `raw` runs from its scheme (or `www.`) to the id."""
    anchors = []
    for spelling in _ANCHORS:
        # `ubMed`/`ubmed` stand one character into `PubMed`/`pubmed`.
        offset = 1 if spelling.startswith("u") else 0
        position = text.find(spelling)
        while position != -1:
            anchors.append(position - offset)
            position = text.find(spelling, position + 2)
    matches: list[PubMedMatch] = []
    end = 0
    for anchor in sorted(anchors):
        if anchor < max(end, 0):
            continue  # inside the previous id's text
        found = _read(text, anchor)
        if found is None:
            continue
        start, end, number, kind, in_url = found
        if in_url:
            start = max(_url_start(text, start), matches[-1].end if matches else 0)
        identifier = f"PMC{number}" if kind == "pmcid" else number
        matches.append(PubMedMatch(start, end, text[start:end], identifier, kind))
    return matches
