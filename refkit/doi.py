"""Find and normalise DOIs in free text. Pure: no I/O.

A DOI is `10.<registrant>/<suffix>`. In wiki text it arrives wrapped in resolver URLs,
`doi:` prefixes, Markdown and HTML links, publisher URLs and sentence punctuation; this
module finds where it starts, where it really ends, and what it is once unwrapped."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

# The directory indicator and registrant code; the separator may arrive URL-encoded.
_START = re.compile(r"10\.\d{4,9}(?:/|%2[fF])")

# What may stand right before a DOI and belongs to how it was written (kept in `raw`).
_LEAD_IN = re.compile(
    r"(?:https?://(?:dx\.)?doi\.\s?org/|(?:dx\.)?doi\.org/|\bdoi:\s?|\bDOI:\s?|\bDoi:\s?)$"
)

# Characters that never belong to a DOI as written in running text.
_STOP = frozenset(" \t\r\n\f\v\"'{}|\\^`<>&")

# SICI DOIs carry an angle-bracket group such as `<333::AID-JBM5>`.
_SICI_GROUP = re.compile(r"<[^<>\s]*: ?: ?[^<>\s]*>|&lt;[^<>\s&]*: ?:[^<>\s&]*&gt;")

# Punctuation that ends a sentence or Markdown construct rather than the DOI.
_TRAILING = ".,;:!?*_'\""

# Tails that publisher URLs put after the DOI.
_URL_TAIL = re.compile(
    r"(?:/(?:abstract|abs|full|fulltext|pdf|epdf|pdfdirect|pdf\+html|full/html|html|meta|summary"
    r"|references|figures|tables|citedby|suppinfo|issuetoc|epub|text|standard)/?)+$"
    # HighWire's supplementary-data path: /lookup/suppl/doi:10.2337/dc12-0962/-/DC1
    r"|/-/DC\d+$",
    re.IGNORECASE,
)
# Oxford Academic appends its own article number and a title slug: /doi/10.1093/jnci/djaa114/5889955.
# Only on publisher URLs: on a resolver URL the same shape is a DOI (10.1155/2013/183041).
_PUBLISHER_ARTICLE_NUMBER = re.compile(r"/\d{6,}(?:/[a-z0-9-]+)?/?$", re.IGNORECASE)

# Text glued to a DOI's end when pages were copied from publisher sites: `….full.pdf`,
# `NEJMra070553_PM-id:17634462`, a Lancet DOI followed by `Cite or Link` (its check character
# is a digit or X, so letters after it are not the DOI's).
_GLUED_TAIL = re.compile(
    r"\.(?:full|full\.pdf|pdf|html?)$"
    r"|_?pm-?id:?\d+$"
    r"|(?<=\(\d\d\)\d{5}-[\dXx])[A-Za-z]+$",
    re.IGNORECASE,
)
_URL_PARAMETERS = re.compile(r";jsessionid=.*$|[?#].*$", re.IGNORECASE | re.DOTALL)

# A suffix this short and bare is a DOI cut off while it was typed, e.g. `10.1016/j.`.
_TRUNCATED_SUFFIX = re.compile(r"[a-z]{0,2}\.?", re.IGNORECASE)


# After a resolver or `doi:`, something shaped like a DOI that is not one: a registrant code too
# short (`10.231/…`), a wrong directory (`11.2013/…`), or a mangled separator (`10.1016Zj.…`).
_MALFORMED_AFTER_LEAD_IN = re.compile(r"doi(?:\.\s?org/|:\s{0,2})(?P<id>\d{1,3}\.\d[^\s\])<>\"']*)", re.IGNORECASE)


@dataclass(frozen=True)
class DoiMatch:
    """One DOI in a text: where `raw` starts and ends, and the DOI it means."""

    start: int
    end: int
    raw: str
    doi: str
    broken: bool = False
    candidates: tuple[str, ...] = ()


def normalise(doi: str) -> str:
    """The comparable form of a DOI: URL-decoded, HTML-unescaped, lower-case, no resolver."""
    text = "".join(html.unescape(unquote(doi.strip())).split())
    lowered = text.lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        if lowered.startswith(prefix):
            lowered = lowered[len(prefix) :].lstrip()
            break
    return lowered


def _url_kind(text: str, start: int) -> str | None:
    """Whether the DOI at `start` sits inside a URL (then `?`, `#`, `;jsessionid` end it):
    "resolver" for doi.org, "publisher" for any other, None for running text."""
    token_start = start
    while token_start > 0 and text[token_start - 1] not in " \t\r\n([<\"'":
        token_start -= 1
    token = text[token_start:start]
    if token.lower().endswith(("doi.org/", "doi.org%2f")) or "doi. org/" in text[max(0, start - 12) : start]:
        return "resolver"
    # A path before the DOI (`…/doi/10.…`, `?doi=10.…`) means a URL.
    return "publisher" if "/" in token or "=" in token else None


# Reference lists copied from PDFs break DOIs with a space after `/`, a short first
# segment such as `j.` or `01.`, or a hyphen: `10.1016/j. jsbmb.2010.02.021`, `10.1016/S0302- 2838(03)…`.
_BROKEN_BY_SPACE = re.compile(r"(?:|[A-Za-z0-9]{1,3}\.|.*/|[A-Za-z0-9.]*[A-Za-z0-9]-)")
# Inside a resolver URL, which holds no spaces, a space followed by a DOI's tail is a break too:
# `doi.org/10.4161/derm .26738`, `doi.org/10.1016/j.brain res.2006.01.074`.
_TAIL_AFTER_SPACE = re.compile(r"[.\-][A-Za-z0-9]|[A-Za-z0-9]+[.\-]\d[A-Za-z0-9.\-()]*[.,;]?(?:\s|$)")


def _continues_after_space(text: str, suffix_start: int, space: int, url_kind: str | None) -> bool:
    """Whether the DOI goes on after the space at `space` (a line-internal break from a PDF)."""
    following = text[space + 1 : space + 2]
    if not following.isascii() or following.isspace() or not following:
        return False
    if following.isalnum() and _BROKEN_BY_SPACE.fullmatch(text, suffix_start, space):
        return True
    return url_kind == "resolver" and _TAIL_AFTER_SPACE.match(text, space + 1) is not None


# Characters that need no bookkeeping: consumed in one regex step, the rest char by char.
_PLAIN_RUN = re.compile(r"[A-Za-z0-9._\-/:;+=@!$*,~#?]*")


def _suffix_end(text: str, suffix_start: int, url_kind: str | None) -> int:
    """Where the DOI suffix starting at `suffix_start` ends: at a stop character, or at a
    closing bracket that no opening bracket inside the DOI accounts for."""
    position = suffix_start
    length = len(text)
    depth = {"(": 0, "[": 0}  # brackets opened inside the DOI and not yet closed
    while True:
        position = _PLAIN_RUN.match(text, position).end()
        if position >= length:
            return position
        char = text[position]
        if char in "<&":
            group = _SICI_GROUP.match(text, position)
            if group is None:
                return position
            position = group.end()
            continue
        if char == " " and _continues_after_space(text, suffix_start, position, url_kind):
            position += 1
            continue
        if char in _STOP or ord(char) > 126:
            return position
        if char == "%" and text[position + 1 : position + 3] == "20":
            return position  # an encoded space ends a DOI inside a URL
        if char in "([":
            depth[char] += 1
        elif char in ")]":
            opening = "(" if char == ")" else "["
            if depth[opening] == 0:
                return position
            depth[opening] -= 1
        position += 1


def _trim(suffix: str, url_kind: str | None) -> str:
    if url_kind:
        suffix = _URL_PARAMETERS.sub("", suffix)
    while True:
        before = suffix
        suffix = suffix.rstrip(_TRAILING)
        suffix = _GLUED_TAIL.sub("", suffix)
        if url_kind:
            suffix = _URL_TAIL.sub("", suffix).rstrip("/")
        if url_kind == "publisher":
            number = _PUBLISHER_ARTICLE_NUMBER.search(suffix)
            # `2013/183041` is Hindawi's DOI shape, not an article number after a DOI.
            if number and not suffix[: number.start()].rpartition("/")[2].isdigit():
                suffix = suffix[: number.start()]
        # An opening bracket left at the end was never closed inside the DOI.
        if suffix.endswith(("(", "[")):
            suffix = suffix[:-1]
        if suffix == before:
            return suffix


_GLUED_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d$")


def _inside_number(text: str, start: int) -> bool:
    """Whether `10.` at `start` is the tail of a longer number (`110.1234/…`, `3.10.1234`) rather
    than a DOI glued to what precedes it (`doi.org10.1371/…`, `%2F10.1371`, `Int. 201010.1111/…`)."""
    before = text[start - 1] if start else ""
    if before == ".":
        return True
    if before.isdigit():
        return _GLUED_YEAR.search(text, max(0, start - 5), start) is None
    return False


def find_dois(text: str) -> list[DoiMatch]:
    """Every DOI in `text`, in order, with its written form and its normalised form."""
    matches: list[DoiMatch] = []
    for start_match in _START.finditer(text):
        start = start_match.start()
        if matches and start < matches[-1].end:
            continue  # a DOI-like run inside the suffix of the previous DOI
        if _inside_number(text, start):
            continue
        suffix_start = start_match.end()
        url_kind = _url_kind(text, start)
        written_end = _suffix_end(text, suffix_start, url_kind)
        lead_in = _LEAD_IN.search(text, max(0, start - 24), start)
        raw_start = lead_in.start() if lead_in else start
        registrant = text[start:suffix_start]
        if _TRUNCATED_SUFFIX.fullmatch(text, suffix_start, written_end):
            raw = text[raw_start:written_end].rstrip(",;:)")
            doi = normalise(registrant + text[suffix_start:written_end].rstrip(_TRAILING))
            matches.append(DoiMatch(raw_start, raw_start + len(raw), raw, doi, broken=True))
            continue
        suffix = _trim(text[suffix_start:written_end], url_kind)
        end = suffix_start + len(suffix)
        matches.append(DoiMatch(raw_start, end, text[raw_start:end], normalise(registrant + suffix)))
    malformed = _malformed(text)
    return sorted(matches + malformed, key=lambda match: match.start) if malformed else matches


def _malformed(text: str) -> list[DoiMatch]:
    """DOIs written after a resolver or `doi:` that cannot be DOIs: reported broken, not dropped."""
    found = []
    # str.find for the lead-in's spellings is far faster than a case-blind regex over the page.
    for spelling in ("doi", "DOI", "Doi"):
        position = text.find(spelling)
        while position != -1:
            match = _MALFORMED_AFTER_LEAD_IN.match(text, position)
            position = text.find(spelling, position + 3)
            if match is None or _START.match(text, match.start("id")):
                continue
            identifier = match.group("id").rstrip(_TRAILING)
            if "/" not in identifier and "." not in identifier[3:]:
                continue  # a bare number such as `doi: 10.5`, nothing DOI-like
            lead_in = _LEAD_IN.search(text, max(0, match.start("id") - 24), match.start("id"))
            start = lead_in.start() if lead_in else match.start()
            end = match.start("id") + len(identifier)
            found.append(DoiMatch(start, end, text[start:end], normalise(identifier), broken=True))
    return found
