"""Find and normalise DOIs in free text. Pure: no I/O.

A DOI is `10.<registrant>/<suffix>`. In wiki text it arrives wrapped in resolver URLs,
`doi:` prefixes, Markdown and HTML links, publisher URLs and sentence punctuation; this
module finds where it starts, where it really ends, and what it is once unwrapped. DOI text that a
PDF copy, a line break or a typo damaged is reported as written, with the DOIs a careful reader
rebuilds from it as candidates: only a registry can confirm one."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

# The directory indicator and registrant code; the separator may arrive URL-encoded. Zero-width
# spaces (Springer's line-break hints, invisible to a reader) may follow `10.` and the `/`; a space
# before the `/` is a cut (`10.1001 /archneurol.2010.120`), handled with the other cuts.
_START = re.compile(r"10\.\u200b?\d{4,9}(?:\u200b?/\u200b?|%2[fF]| (?=/[A-Za-z0-9]))")

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
    """One DOI in a text: where `raw` starts and ends, and the DOI it means.

    Damaged DOI text is reported as written: `broken` when it cannot be a DOI as written (`doi` is
    then that text, normalised, up to a cut), and `candidates` are the DOIs a careful reader rebuilds
    from it, best first, normalised. A candidate is a guess until a registry holds it. When the rest
    of a DOI follows a space or a line break, `raw` (and `end`) run through that rest, so replacing
    `raw` with the confirmed DOI repairs the page."""

    start: int
    end: int
    raw: str
    doi: str
    broken: bool = False
    candidates: tuple[str, ...] = ()


def normalise(doi: str) -> str:
    """The comparable form of a DOI: URL-decoded, HTML-unescaped, lower-case, no resolver, no
    whitespace or zero-width spaces."""
    text = "".join(html.unescape(unquote(doi.strip())).replace("\u200b", "").split())
    lowered = text.lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        if lowered.startswith(prefix):
            lowered = lowered[len(prefix) :].lstrip()
            break
    return lowered


# How far back a DOI's URL may start: the walk back stays short on a line of thousands of DOIs
# (a table row joined by `|`), which it would otherwise cross once per DOI.
_URL_REACH = 600


def _url_kind(text: str, start: int) -> str | None:
    """Whether the DOI at `start` sits inside a URL (then `?`, `#`, `;jsessionid` end it):
    "resolver" for doi.org, "publisher" for any other, None for running text."""
    token_start = start
    limit = max(0, start - _URL_REACH)
    while token_start > limit and text[token_start - 1] not in " \t\r\n([<\"'":
        token_start -= 1
    token = text[token_start:start]
    if token.lower().endswith(("doi.org/", "doi.org%2f")) or "doi. org/" in text[max(0, start - 12) : start]:
        return "resolver"
    # A path before the DOI (`…/doi/10.…`, `?doi=10.…`) means a URL.
    return "publisher" if "/" in token or "=" in token else None


# Characters that need no bookkeeping: consumed in one regex step, the rest char by char.
_PLAIN_RUN = re.compile(r"[A-Za-z0-9._\-/:;+=@!$*,~#?]*")


def _suffix_end(text: str, suffix_start: int) -> int:
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
    """Every DOI in `text`, in order, with its written form, its normalised form and, for damaged
    DOI text, the candidates a careful reader rebuilds from it."""
    matches: list[DoiMatch] = []
    for start_match in _START.finditer(text):
        start = start_match.start()
        if matches and start < matches[-1].end:
            continue  # a DOI-like run inside the suffix of the previous DOI
        if _inside_number(text, start):
            continue
        suffix_start = start_match.end()
        url_kind = _url_kind(text, start)
        lead_in = _LEAD_IN.search(text, max(0, start - 24), start)
        raw_start = lead_in.start() if lead_in else start
        registrant = text[start:suffix_start]
        if registrant.endswith(" "):  # `10.1001 /archneurol.2010.120`: only a cut, never a DOI as written
            rest = _rest_after_cut(text, suffix_start - 1, "", url_kind)
            if rest is not None:
                matches.append(_cut_match(text, raw_start, registrant, "", rest, url_kind))
            continue
        written_end = _suffix_end(text, suffix_start)
        written = text[suffix_start:written_end]
        # Most DOIs end at a bracket, a quote or the end of the text: only whitespace may be a cut.
        rest = _rest_after_cut(text, written_end, written, url_kind) if text[written_end : written_end + 1].isspace() else None
        if rest is not None:
            matches.append(_cut_match(text, raw_start, registrant, written, rest, url_kind))
        elif _TRUNCATED_SUFFIX.fullmatch(written):
            raw = text[raw_start:written_end].rstrip(",;:)")
            doi = normalise(registrant + written.rstrip(_TRAILING))
            matches.append(DoiMatch(raw_start, raw_start + len(raw), raw, doi, broken=True))
        else:
            suffix = _trim(written, url_kind)
            end = suffix_start + len(suffix)
            doi = normalise(registrant + suffix)
            misread = _misread(registrant + suffix)
            candidates = _candidates(doi, misread) if misread else ()
            matches.append(DoiMatch(raw_start, end, text[raw_start:end], doi, candidates=candidates))
    malformed = _malformed(text)
    return sorted(matches + malformed, key=lambda match: match.start) if malformed else matches


# A DOI cut by a space or a line break: a reader joins what follows when it is plainly the rest of
# the DOI, and never an ordinary word (`See doi: 10.1016/j. for details.` stays cut).
# The rest holds a digit, and nothing a DOI's tail does not: another DOI, a URL, a PMID label, the
# `;`, `:` or `,` of citation data (`doi:10.1038/ctg.2013.1; PMID:23594800`).
_DIGIT = re.compile(r"\d")
_NOT_A_REST = re.compile(r"[;:,]|(?<![\d.])10\.\d{4}|doi|http|www\.|pmid", re.IGNORECASE)
# Numbers that are the sentence's, not the DOI's: the next reference's number (`…0249-2 95. Furuya T`)
# and a year (`(doi:10.1000/xyz 2013)`).
_REFERENCE_NUMBER = re.compile(r"\d{1,3}\.")
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?|/\d+")  # not ".26738", the rest of `10.4161/derm .26738`
_YEAR = re.compile(r"(?:19|20)\d\d")
# A DOI is plainly unfinished when it ends at a separator (`10.1038/ bjc…`, `S0302- 2838(03)…`) or
# right after a short first segment (`10.1016/j. ucl…`, `10.1097/01. cmr…`, `10.1093/ije/ab. …`).
_UNFINISHED = re.compile(r"(?:^|.*/)(?:[A-Za-z0-9]{1,3}\.)?$|.*-$", re.DOTALL)
# The rest stands alone: the line, or the brackets around the DOI, end right after it.
_CLOSED = re.compile(r"[)\]]|[.,;:!?*_'\"]*[ \t]*(?:\r?\n|$)")
# Digits cut from digits (`10.2174/187152 81113129990046`, `…2010.05.02 7)`, `10.1080/0163 5581.2012.661515`),
# or from a hexadecimal article id (`WNL.0b013e3181 c719a2)`).
_DIGITS_REST = re.compile(r"[0-9A-Fa-f.]*\d[0-9A-Fa-f.]*")
# Inside a resolver URL, which holds no spaces, a word cut from its DOI tail: `j.brain res.2006.01.074`.
_WORD_REST = re.compile(r"[A-Za-z]+[.\-]\d")
# After a full stop that may end the sentence, a rest shaped like a DOI suffix: `14651858. CD007146.pub2`.
_SUFFIX_REST = re.compile(r"[A-Za-z]+\d+(?:\.[A-Za-z0-9]+)+")
# The rest of a DOI on the next line, after at most one blank line and a list marker that a PDF copy
# turned it into (`10.1046/j.1523-` ⏎⏎ `* 1747.1998.00222.x.`).
_NEXT_LINE = re.compile(r"[ \t]*\r?\n(?:[ \t]*\r?\n)?[ \t]*(?:[*+-][ \t]+)?")


def _rest_after_cut(text: str, cut: int, written: str, url_kind: str | None) -> tuple[int, int] | None:
    """Where the rest of a DOI written up to `cut` stands, when a space or a line break cut it;
    None when the DOI ends at `cut`."""
    char, after = text[cut : cut + 1], text[cut + 1 : cut + 2]
    # Most DOIs end in a letter or a digit: the regex only for those that end at a separator.
    unfinished = written[-1:] in ("", "/", "-", ".") and _UNFINISHED.match(written) is not None
    if char == " " and after.isascii() and (after.isalnum() or after in "./"):
        rest_start, same_line = cut + 1, True
    elif unfinished and (next_line := _NEXT_LINE.match(text, cut)) is not None:
        rest_start, same_line = next_line.end(), False
    else:
        return None
    rest_end = _suffix_end(text, rest_start)
    if not _DIGIT.search(text, rest_start, rest_end):
        return None  # the common case, a word after the DOI
    written_rest = text[rest_start:rest_end]
    rest = _trim(written_rest, url_kind)
    if (
        not _DIGIT.search(rest)
        or not (rest[0].isalnum() or rest[1:2].isalnum())
        or _NOT_A_REST.search(rest)
        or _REFERENCE_NUMBER.fullmatch(written_rest)
        or _YEAR.fullmatch(rest)
    ):
        return None
    rest_end = rest_start + len(rest)
    closed = _CLOSED.match(text, rest_end) is not None
    if _NUMBER.fullmatch(rest) and not (closed and same_line):
        return None  # a number in the sentence: `…5146-6 7 studies`, `10.1016/j. 25% of`, `10.1001 /3 of the`
    plainly_cut = (
        unfinished
        or rest[0] in "./"  # `10.4161/derm .26738`, `10.1001 /archneurol…`
        or (closed and written.endswith("."))  # `jea. JE20100161.⏎`, `clinchem.2004. 041954)`
        or (closed and written[-1:].isdigit() and _DIGITS_REST.fullmatch(rest) is not None)
        or (url_kind == "resolver" and _WORD_REST.match(rest) is not None)
        or (written.endswith(".") and _SUFFIX_REST.fullmatch(rest) is not None)
    )
    return (rest_start, rest_end) if plainly_cut else None


def _cut_match(
    text: str, raw_start: int, registrant: str, written: str, rest: tuple[int, int], url_kind: str | None
) -> DoiMatch:
    """A DOI cut by a space or a line break: broken as written, the joined DOI as its candidate."""
    end = rest[1]
    doi = normalise(registrant + written.rstrip(_TRAILING))
    joined = normalise(registrant + _trim(written + text[rest[0] : end], url_kind))
    return DoiMatch(raw_start, end, text[raw_start:end], doi, broken=True, candidates=_candidates(doi, (joined,)))


# Misreadings inside a well-formed DOI, each seen in the corpus:
# an OCR `l` for `1` after a letter or a dot (`nure.l2090`, `moleculesl80910122`, `el5041416`);
_OCR_ELL = re.compile(r"(?<=[a-z.])l(?=\d)")
# an OCR `L` for `1.` (or `1`) between digits (`cbt.10.L11994`, `2013.02.0L1`);
_OCR_CAPITAL_ELL = re.compile(r"(?<=[\d.])L(?=\d)")
# a PDF line-break hyphen inside a word (`jour-nal.pone.0065835`).
_LINE_BREAK_HYPHEN = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2,})-([A-Za-z]{2,})(?![A-Za-z0-9])")


def _misread(written: str) -> tuple[str, ...]:
    """The DOIs a reader sees in a well-formed DOI that OCR or a PDF line break misspelled."""
    repairs = []
    # `in` first: most DOIs have none of these, and a regex search per DOI costs more than the rest.
    if "l" in written and _OCR_ELL.search(written):
        repairs.append(_OCR_ELL.sub("1", written))
    if "L" in written and _OCR_CAPITAL_ELL.search(written):
        repairs += [_OCR_CAPITAL_ELL.sub("1.", written), _OCR_CAPITAL_ELL.sub("1", written)]
    if "-" in written and _LINE_BREAK_HYPHEN.search(written):
        repairs.append(_LINE_BREAK_HYPHEN.sub(r"\1\2", written))
    return tuple(normalise(repair) for repair in repairs)


# Typos in the `10.<registrant>/` part, after a resolver or `doi:`:
# the leading 1 lost (`0.1016/j.jaad.2013.04.058`);
_LOST_LEADING_ONE = re.compile(r"0\.\d{4,9}/")
# a registrant that lost its trailing zeros as a number does (`10.231/JIM…` for 10.2310);
_SHORT_REGISTRANT = re.compile(r"10\.(\d{1,3})/")
# the slash misread (`10.1016Zj.juro…`) or a stray mark before it (`10.1373*/clinchem…`).
_SLASH_MISREAD = re.compile(r"(10\.\d{4,9})(?:[z\\|](?=[a-z0-9])|[^\w/](?=/))")


def _mistyped(identifier: str) -> tuple[str, ...]:
    """The DOIs a reader sees in a normalised identifier whose `10.<registrant>/` is mistyped."""
    if _LOST_LEADING_ONE.match(identifier):
        return ("1" + identifier,)
    short = _SHORT_REGISTRANT.match(identifier)
    if short:
        return (f"10.{short.group(1).ljust(4, '0')}/{identifier[short.end():]}",)
    misread = _SLASH_MISREAD.match(identifier)
    if misread:
        return (f"{misread.group(1)}/{identifier[misread.end():].lstrip('/')}",)
    return ()


# Each candidate costs the registry a lookup.
_MAX_CANDIDATES = 4
_WELL_FORMED = re.compile(r"10\.\d{4,9}/\S")


def _candidates(doi: str, repairs: tuple[str, ...]) -> tuple[str, ...]:
    """`repairs` that are well-formed DOIs other than `doi`, once each, best first."""
    kept = [repair for repair in dict.fromkeys(repairs) if repair != doi and _WELL_FORMED.match(repair)]
    return tuple(kept[:_MAX_CANDIDATES])


def _malformed(text: str) -> list[DoiMatch]:
    """DOIs written after a resolver or `doi:` that cannot be DOIs: reported broken, not dropped,
    with the DOI a reader sees when the mistake is a known kind of typo."""
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
            doi = normalise(identifier)
            found.append(DoiMatch(start, end, text[start:end], doi, broken=True, candidates=_candidates(doi, _mistyped(doi))))
    return found
