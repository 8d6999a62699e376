"""Parse, normalise and match person names, as wiki pages write them.

Pure functions only. Three listing styles dominate the corpus:
given-first with `&`/`and` ("N. Alonso, ... & M. Herrmann"), given-first with
affiliation markers ("Masaru Uragami a 1, ..."), and Vancouver/PubMed
family-first with initials ("McDonnell SL, French CB, Heaney RP.").
Matching is deliberately lenient: a correct listing must never be reported as
a mismatch, so when in doubt two names match.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from refkit.folding import fold
from refkit.model import Person

_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad-"
_HYPHEN_RE = re.compile(f"[{_HYPHENS}]")
_NON_WORD_RE = re.compile(r"[^\w\s]")
_SPACES_RE = re.compile(r"\s+")

# Name particles that belong to the family name ("van der Berg", "de la Cruz").
_PARTICLES = frozenset(
    "van von der den de del della di da das dos du la le ter ten te vom zu zur "
    "bin ibn al el st mac af av við y".split()
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "2nd", "3rd", "4th"})
# Degrees; two-letter ones ("MD", "MS", "BA") are also initials in Vancouver
# listings ("Kalaras MD"), so inside a name only the unambiguous ones are dropped.
_DEGREES = frozenset(
    "md phd msc mph mha rd rn ba bs bsc ma ms dphil drph mbbs mbchb frcp facp frcpc "
    "fracp pharmd dds dmd do nd dsc mrcp mbbch msn np cnp fnp aprn ccrp rdn ld cdn "
    "pa pac dnp mpharm bpharm mbe dvm vmd edd psyd lpn faan facc fache mbs mmed "
    "bm bch bmbch frcs mrcpch mrcog frcog scd mba mpa jd facs faap facog".split()
)
_HONORIFICS = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "sir"})
_ORGANISATION_WORDS = frozenset(
    "organization organisation group consortium collaboration collaborative committee "
    "investigators society association institute council foundation network team "
    "agency panel board federation academy commission authority "
    "taskforce force alliance working writing participants members ministry".split()
)
# Words of affiliations and addresses: a line holding one does not list authors.
_AFFILIATION_WORDS = frozenset(
    "department dept university universidad universität hospital college school faculty "
    "division laboratory clinic unit institute institut centre center street road box "
    "received accepted revised published copyright".split()
)
# Capitalised words that start titles and sentences but are not surnames.
_NOT_NAME_WORDS = frozenset(
    "vitamin vitamins the of in with for on to from at is are was were a an or not vs versus "
    "effect effects risk health disease diseases patients patient study studies trial trials "
    "review analysis association associated deficiency level levels supplementation cancer "
    "children women men serum blood bone status treatment therapy randomized randomised "
    "clinical meta systematic among between during after before using role impact new "
    "journal university department hospital published abstract background results methods "
    "conclusion conclusions introduction objective objectives purpose design setting "
    "vol volume issue pages figure table image pdf free download click here see also "
    "summary calcium magnesium zinc omega infection infections covid sars pregnancy "
    "mortality obesity diabetes dose doses daily weekly monthly intake increased reduced "
    "higher lower low high more less than this that these those we our their it its "
    "which what when where how why can may might will would should could has have had "
    "be been being as by and but if so no yes all any each per via into over under "
    "about against within without adults infants elderly human humans mice rats "
    "cells cell receptor gene genes protein d3 d2 placebo versus "
    "update letter editorial comment correction erratum retraction press release "
    "nutrients nutrition medicine research science sciences international american "
    "british european national world annual report".split()
)

# A lookahead on the characters a match can start with, (?=[...]), lets the
# regex engine pass over other positions quickly; it never changes what matches.
_HTML_SUP_RE = re.compile(r"<sup\b[^>]*>.*?</sup>", re.I | re.S)
_HTML_TAG_RE = re.compile(r"<[^>]+>")
_MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMPHASIS_RE = re.compile(r"\*\*|__|(?<!\w)_|_(?!\w)")
_NOISE_RE = re.compile(
    r"(?=[ceaof(])(?:corresponding author(?: contact information)?|e-?mail the corresponding author|correspondence"
    r"|equal contributors?|author information|contributed equally|orcid|e-?mail\b"
    r"|\(\s*(?:19|20)\d\d\s*\)|\bfor the\b|\bon behalf of\b)",
    re.I,
)
_LEADING_BY_RE = re.compile(r"^\s*(?:by|authors?|written by)\s*[:\-]?\s+", re.I)
_TRUNCATION = r"(?:\bet\.?\s*al\b\.?|\band others\b|…|\.\.\.|\. \. \.)"
_TRUNCATION_RE = re.compile(rf"(?=[,\s.…ea]),?\s*{_TRUNCATION}", re.I)
# Found far faster than the above, which may start at any blank or comma.
_TRUNCATION_HINT_RE = re.compile(rf"(?=[e.…a]){_TRUNCATION}", re.I)
# Affiliation markers: digits, daggers, stars, superscripts, lone lowercase letters.
_MARKER_CHARS = "0123456789*∗†‡§¶#⇓⁎⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉ"
_TRAILING_MARKERS_RE = re.compile(
    rf"(?:[\s,]*(?:[{_MARKER_CHARS}]+|(?<=\s)[a-z](?![\w.])))+\s*$"
)
_GLUED_MARKERS_RE = re.compile(rf"(?=[{_MARKER_CHARS}])(?<=[^\W\d_])[{_MARKER_CHARS}]+(?=[\s,;]|$)")
_SEPARATOR_RE = re.compile(r"(?=[\s;,•·])\s*(?:[;,•·]|\s{3,})\s*")
_AND_RE = re.compile(r"(?=[\s&a])\s*(?:&|\band\b)\s*", re.I)
_AND_GLUED_RE = re.compile(r"(?=a)(?:\b|(?<=[\d,*]))and(?=[A-Z]|\s)")
# A marker run between two names stands for a missing comma ("Vanlint 2 Howard").
_MARKER_SEPARATOR_RE = re.compile(r"(?=[\s\d])(?<=[^\W\d_])\s*\d+(?:\s*,\s*\d+)*\s+(?=[A-Z])")
_CLOSING_MARKER_RE = re.compile(r"(?<=\d)\)")  # "MORI1)": a marker closed by a parenthesis
_WIDE_GAP_RE = re.compile(r"\s{3,}")
# Whitespace runs of two, or of one character that is not a plain space.
_NARROW_GAP_RE = re.compile(r"(?=\s)(?<!\s)(?:\s\s|[^\S ])(?!\s)")
_SENTENCE_SPLIT_RE = re.compile(r"(?=\.)(?<=[a-z\u00e0-\u024f]{2})\.\s+(?=[A-Z])")
_INITIALS_RE = re.compile(r"^(?:[A-Z]\.?-?){1,3}$|^(?:[A-Z][a-z]?\.-?){1,4}$")
_DOTTED_INITIAL_RE = re.compile(r"^(?:[^\W\d_]\.-?)+$")


# ---------------------------------------------------------------- normalising


def normalise_name(text: str) -> str:
    """Casefolded ASCII form of a name for comparisons: no diacritics, hyphens
    become spaces, other punctuation goes ("O'Brien" -> "obrien")."""
    text = _HYPHEN_RE.sub(" ", fold(text))
    text = _NON_WORD_RE.sub("", text)
    return _SPACES_RE.sub(" ", text).strip()


def _spellings(normalised: str) -> frozenset[str]:
    """Ways one normalised family name may be written: with and without spaces,
    and with German umlauts written out ("mueller") or dropped ("muller")."""
    compact = normalised.replace(" ", "")
    folded = compact.replace("ue", "u").replace("oe", "o").replace("ae", "a")
    return frozenset({compact, folded})


# ------------------------------------------------------------------- parsing


# The caches below hold pure functions of one string: a page checks the same
# lines, segments and tokens again for every DOI near them.
@functools.lru_cache(maxsize=4096)
def _clean_line(text: str) -> str:
    # A substitution is skipped when a character it needs is absent: most
    # lines hold no markup, links, e-mail addresses or parentheses.
    if "<" in text:
        text = _HTML_SUP_RE.sub(" ", text)
        text = _HTML_TAG_RE.sub(" ", text)
    if "](" in text:
        text = _MD_IMAGE_RE.sub(" ", text)
        text = _MD_LINK_RE.sub(r"\1", text)
    if "://" in text or "www." in text.lower():
        text = _URL_RE.sub(" ", text)
    if "@" in text:
        text = _EMAIL_RE.sub(" , ", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS_RE.sub(" ", text)
    text = _NOISE_RE.sub(" , ", text)
    text = _LEADING_BY_RE.sub("", text)
    if ")" in text:
        text = _CLOSING_MARKER_RE.sub(" ", text)
    if "and" in text:
        text = _AND_GLUED_RE.sub(" and ", text)
    text = _MARKER_SEPARATOR_RE.sub(" , ", text)
    # Runs of three or more blanks stay (they separate names), shorter ones become
    # one space. Every blank but the plain space is unprintable.
    if "  " in text or not text.isprintable():
        text = _NARROW_GAP_RE.sub(" ", _WIDE_GAP_RE.sub("   ", text))
    return text.strip(" \t.:;,")


def _may_end_in_marker(segment: str) -> bool:
    """Whether `_TRAILING_MARKERS_RE` can match: it needs a marker, or a lone
    lowercase letter after a blank, as the last visible character."""
    visible = segment.rstrip()
    if not visible:
        return False
    last = visible[-1]
    return last in _MARKER_CHARS or ("a" <= last <= "z" and len(visible) > 1 and visible[-2].isspace())


def _strip_markers(segment: str) -> str:
    segment = _GLUED_MARKERS_RE.sub("", segment)
    if _may_end_in_marker(segment):
        segment = _TRAILING_MARKERS_RE.sub("", segment)
    return segment.strip(" .,;:*")


def _split_at_and(chunk: str) -> list[str]:
    """Split "Black and Abdullah H. Baqui" at "and", but not a group name that
    continues past it ("EFSA Panel on Food Additives and Nutrient Sources")."""
    match = _AND_RE.search(chunk)
    if match is None or any(_word(w) in _ORGANISATION_WORDS for w in chunk[: match.start()].split()):
        return [chunk]
    return _AND_RE.split(chunk)


def _split_segments(text: str) -> tuple[list[str], bool]:
    """Split a cleaned listing into raw name segments; tell whether it was cut short."""
    cuts = 0
    if _TRUNCATION_HINT_RE.search(text):
        text, cuts = _TRUNCATION_RE.subn(" , ", text)
    parts: list[str] = []
    for chunk in _SEPARATOR_RE.split(text):
        for piece in _split_at_and(chunk):
            if "." in piece:
                parts.extend(_SENTENCE_SPLIT_RE.split(piece))
            else:
                parts.append(piece)
    return [part for part in (_strip_markers(p) for p in parts) if part], cuts > 0


def _word(token: str) -> str:
    return token.strip(".,").casefold()


@functools.lru_cache(maxsize=8192)
def _is_initials(token: str) -> bool:
    if _DOTTED_INITIAL_RE.match(token) or (len(token) == 1 and token.isupper()):
        return True
    return bool(_INITIALS_RE.match(token)) and _word(token) not in _NOT_NAME_WORDS


def _is_long_initials(token: str) -> bool:
    """"LCPGM" (Vancouver initials of a long given name); a capitalised surname
    ("MORI", "TANAKA") has vowels."""
    return token.isalpha() and token.isupper() and len(token) <= 6 and sum(ch in "AEIOUY" for ch in token) <= 1


def _format_initials(token: str) -> str:
    """"SL" -> "S. L.", "J-P" -> "J.-P.", "N." -> "N."."""
    if _DOTTED_INITIAL_RE.match(token) or "." in token:
        return re.sub(r"\.(?=[^\s.-])", ". ", token)
    if "-" in token:
        return "-".join(f"{part}." for part in token.split("-") if part)
    return " ".join(f"{letter}." for letter in token)


@functools.lru_cache(maxsize=8192)
def _is_degree(token: str) -> bool:
    """"PhD", "MPH", "MDa" (a degree with an affiliation letter); not "MD" or
    "MS" alone, which Vancouver listings use as initials."""
    core = token.strip(".,")
    if len(core) > 2 and core[-1].islower() and core[:-1].isupper():
        core = core[:-1]
    return _word(core) in _DEGREES and not (len(core) <= 2 and core.isupper() and core == token.strip(".,"))


@functools.lru_cache(maxsize=8192)
def _drop_titles(name: str) -> tuple[tuple[str, ...], str | None]:
    """The tokens of a name without honorifics and degrees, and any suffix."""
    tokens = name.split()
    start = 0
    while start < len(tokens) and _word(tokens[start]) in _HONORIFICS:
        start += 1
    suffix = None
    kept: list[str] = []
    for token in tokens[start:]:
        if kept and _is_degree(token):
            continue
        word = _word(token)
        # "Cerhan JR", "Feldman SR": in PubMed style a bare capital pair is initials, not Jr./Sr.
        initials_pair = word in {"jr", "sr"} and token.isupper() and not token.endswith(".")
        if word in _SUFFIXES and kept and not initials_pair:
            suffix = token.rstrip(".").capitalize() + ("." if word in {"jr", "sr"} else "")
            continue
        kept.append(token)
    return tuple(kept), suffix


def _is_organisation(tokens: Sequence[str]) -> bool:
    words = [t for t in tokens if not _is_initials(t)]
    return any(_word(t) in _ORGANISATION_WORDS for t in words) or len(words) > 4


def _family_start(tokens: Sequence[str]) -> int:
    """Index where a given-first name's family part starts: the last token and
    the particles right before it ("Mark C H de Groot" -> "de Groot")."""
    start = len(tokens) - 1
    while start > 1 and _word(tokens[start - 1]) in _PARTICLES:
        start -= 1
    return start


def parse_name(text: str) -> Person | None:
    """One name as written ("N. Alonso", "McDonnell SL", "van Schoor NM",
    "World Health Organization") -> Person, or None when nothing is left."""
    tokens, suffix = _drop_titles(text)
    if not tokens:
        return None
    if _is_organisation(tokens):
        literal = " ".join(tokens)
        return Person(literal=re.sub(r"^the\s+", "", literal, flags=re.I))
    if len(tokens) == 1:
        return Person(family=tokens[0], suffix=suffix)
    trailing = 0
    while trailing < len(tokens) - 1 and _is_initials(tokens[len(tokens) - 1 - trailing]):
        trailing += 1
    if not trailing and _is_long_initials(tokens[-1]) and not tokens[0].isupper():
        trailing = 1  # "Groot LCPGM"
    if trailing and not _is_initials(tokens[0]):
        # Family first: "McDonnell SL", "van Schoor NM", "Alonso N.".
        family = " ".join(tokens[: len(tokens) - trailing])
        given = " ".join(_format_initials(t) for t in tokens[len(tokens) - trailing :])
        return Person(given=given, family=family, suffix=suffix)
    start = _family_start(tokens)
    given_tokens = [
        _format_initials(t) if len(t) <= 3 and t.isupper() and t.isalpha() else t
        for t in tokens[:start]
    ]
    return Person(given=" ".join(given_tokens), family=" ".join(tokens[start:]), suffix=suffix)


def _merge_split_names(segments: list[str]) -> list[str]:
    """APA style separates family and initials by a comma ("Matsuoka, L. Y.");
    glue such an initials-only segment to the family name before it."""
    merged: list[str] = []
    for segment in segments:
        tokens = segment.split()
        if (
            merged
            and all(_is_initials(t) for t in tokens)
            and not any(_is_initials(t) for t in merged[-1].split())
            and len(merged[-1].split()) <= 3
        ):
            merged[-1] = f"{merged[-1]} {segment}"
        else:
            merged.append(segment)
    return merged


def _family_comma_given(part: str) -> str | None:
    """"Shrateh, Oadi N. MDa" (one `;`-separated part of a Lippincott-style
    listing) -> "Oadi N. Shrateh"; None when the part is not in that shape."""
    pieces = [_strip_markers(p) for p in part.split(",")]
    pieces = [p for p in pieces if p and not all(_is_degree(t) or t in {"MD", "MS"} for t in p.split())]
    if len(pieces) != 2:
        return None
    family, given = pieces
    if len(family.split()) > 3 or any(_is_initials(t) for t in family.split()):
        return None
    return f"{given} {family}"


@functools.lru_cache(maxsize=4096)
def _name_segments(cleaned: str) -> tuple[tuple[str, ...], bool]:
    """Name segments of a line already through `_clean_line`."""
    parts = cleaned.split(";")
    if len(parts) > 1:
        reordered = [_family_comma_given(part) for part in parts]
        if all(reordered):
            parts = [", ".join(r for r in reordered if r)]
    segments: list[str] = []
    truncated = False
    for part in parts:
        # A `;`-separated group name may contain "and" ("Asthma and Allergy Study Group").
        words = part.split()
        if "," not in part and any(_word(w) in _ORGANISATION_WORDS for w in words):
            segments.append(part.strip(" .,"))
            continue
        part_segments, part_truncated = _split_segments(part)
        segments.extend(part_segments)
        truncated = truncated or part_truncated
    kept = []
    for segment in segments:
        tokens, _ = _drop_titles(segment)
        if tokens and not (len(tokens) == 1 and (_is_degree(tokens[0]) or _word(tokens[0]) in _DEGREES)):
            kept.append(segment)
    return tuple(_merge_split_names(kept)), truncated


def parse_author_list(text: str) -> tuple[tuple[Person, ...], bool]:
    """Parse one author-listing line into ordered people and whether the list
    is cut short ("et al.", "…", "and others")."""
    segments, truncated = _name_segments(_clean_line(text))
    people = tuple(p for p in (parse_name(s) for s in segments) if p is not None)
    return people, truncated


@functools.lru_cache(maxsize=8192)
def _is_name_token(token: str) -> bool:
    if _DOTTED_INITIAL_RE.match(token) or (len(token) == 1 and token.isupper()):
        return True
    word = _word(token)
    if word in _NOT_NAME_WORDS:
        return False
    if word in _PARTICLES or _is_initials(token):
        return True
    core = token.strip(".,'’")
    return (
        bool(core)
        and core[0].isupper()
        and all(ch.isalpha() or ch in "-'’" for ch in core)
        and word not in _NOT_NAME_WORDS
    )


def _looks_like_person(segment: str) -> bool:
    tokens, _ = _drop_titles(segment)
    words = [t for t in tokens if not _is_initials(t)]
    return 1 <= len(words) <= 4 and all(_is_name_token(t) for t in tokens)


def _looks_like_organisation(segment: str) -> bool:
    tokens = segment.split()
    return len(tokens) <= 10 and any(_word(t) in _ORGANISATION_WORDS for t in tokens) and not any(
        t.islower() and _word(t) not in {"of", "for", "and", "on", "the"} for t in tokens
    )


# Checked on the raw line: headings, quotes, numbered or bulleted items, tables, DOIs, wiki links.
# A year is allowed only as "(2013)" closing the line.
_NOT_A_LISTING_RAW_RE = re.compile(
    r"^(?:[#|>\d]|[*+-]\s)|10\.\d{4,}/|\||\]\(/|:\s*$|\b(?:19|20)\d\d\b(?!\)\W*$)"
)
# Checked once names are cleaned: citation numbers, dates, questions.
_NOT_A_LISTING_RE = re.compile(r"(?=[\d?!=])(?:\d+\s*[:;(]\s*\d|[?!=]|\b(?:19|20)\d\d\b|\d{3,})")


# Starting only at a word's first letter: a match can never start inside a word.
_MARKED_NAME_RE = re.compile(
    r"(?<![^\W\d_])[^\W\d_]{2,}(?:\s[a-z](?:\s*\d+(?:\s*,\s*\d+)*)?|\s?\d+(?:\s*,\s*\d+)*|\s?[*∗†‡])(?=\s*(?:[,;]|$|\s+[A-Z]))"
)


# Pages repeat a line's check for every DOI near it (reference lists), hence the cache.
@functools.lru_cache(maxsize=4096)
def looks_like_author_list(line: str) -> bool:
    """Whether a line lists authors: mostly capitalised name tokens in short
    comma-separated segments; no sentence words, affiliations, dates or citation numbers."""
    # The raw-line check is the cheap one, so it goes before any cleaning.
    if _NOT_A_LISTING_RAW_RE.search(line.strip()):
        return False
    cleaned = _clean_line(line)
    if not cleaned or _NOT_A_LISTING_RE.search(cleaned):
        return False
    if not _AFFILIATION_WORDS.isdisjoint(map(_word, cleaned.split())):
        return False
    segments, truncated = _name_segments(cleaned)
    people: list[str] = []
    unrecognised = 0
    for segment in segments:
        if _looks_like_person(segment):
            people.append(segment)
        elif not _looks_like_organisation(segment):
            unrecognised += 1
            # Fewer than 85% of the segments can be names now, whatever follows.
            if len(segments) - unrecognised < 0.85 * len(segments):
                return False
    if not people or len(segments) - unrecognised < 0.85 * len(segments):
        return False
    # Real names have two parts (given and family, or family and initials);
    # runs of single capitalised words are keyword lists. A lone name must
    # carry a recognisable shape: initials somewhere.
    two_part = [s for s in people if len(s.split()) >= 2]
    if len(two_part) >= 0.7 * len(people) and (
        len(segments) > 1 or truncated or any(_is_initials(t) for t in _drop_titles(people[0])[0])
    ):
        return True
    # Affiliation markers after most names make a listing even of one-word
    # names ("Sheherazade a 1, Ardiantiono b"); checked last, as the costliest test.
    return len(_MARKED_NAME_RE.findall(cleaned)) * 2 >= len(segments)


# ------------------------------------------------------------------ matching


@dataclass(frozen=True)
class AuthorMatch:
    """How a page's author listing compares with a work's authors."""

    matched: tuple[tuple[Person, Person], ...]
    """(listed, work) pairs judged the same person, in listed order (misspelled ones included)."""
    missing: tuple[Person, ...]
    """Work authors absent from the page (none the page's truncation could explain)."""
    extra: tuple[Person, ...]
    """Names on the page that match no author of the work."""
    misspelled: tuple[tuple[Person, Person], ...]
    """(listed, work) pairs whose family names differ slightly; the second has the right spelling."""
    order_differs: bool
    truncated: bool
    """The page cuts the list short (et al., an ellipsis) and does leave some of the work's authors
    out: a cut after every author, or on a listing that names none of them, is not a truncation."""

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.misspelled or self.order_differs)


_Words = tuple[frozenset[str], ...]
"""One spelling set per word of a name."""


@dataclass(frozen=True)
class _Key:
    """A person reduced to what matching compares."""

    family: frozenset[str]
    family_words: _Words
    given_words: _Words
    initials: str
    literal: str | None


def _initials_of(given: str) -> str:
    words = normalise_name(given.replace(".", ". ")).split()
    if len(words) == 1 and given.replace(".", "").replace(" ", "").isupper() and len(words[0]) <= 3:
        return words[0]  # "SL" written without dots
    return "".join(w[0] for w in words)


def _words(normalised: str) -> _Words:
    words = normalised.split()
    core = [w for w in words if w not in _PARTICLES] or words
    return tuple(_spellings(w) for w in core if len(w) > 1)


def _literal_key(literal: str) -> str:
    words = [w for w in normalise_name(literal).split() if w not in {"the", "for", "of", "and", "on"}]
    return " ".join(words)


def _key(person: Person) -> _Key:
    if person.family is None and person.literal is not None:
        parsed = parse_name(person.literal)
        if parsed is None or parsed.family is None:
            return _Key(frozenset(), (), (), "", _literal_key(person.literal))
        person = parsed
    family = normalise_name(person.family or "")
    family_words = _words(family)
    core_family = " ".join(w for w in family.split() if w not in _PARTICLES) or family
    return _Key(
        family=_spellings(family) | _spellings(core_family),
        family_words=family_words,
        given_words=_words(normalise_name(person.given or "")),
        initials=_initials_of(person.given or ""),
        literal=None,
    )


def _covers(words: _Words, others: _Words) -> bool:
    """Every word of `words` occurs, in some spelling, among `others`."""
    pool = frozenset().union(*others) if others else frozenset()
    return bool(words) and all(w & pool for w in words)


def _initials_agree(a: str, b: str) -> bool:
    return not a or not b or a[0] == b[0]


def _edit_distance(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _close_spelling(a: frozenset[str], b: frozenset[str]) -> bool:
    for x in a:
        for y in b:
            shorter = min(len(x), len(y))
            limit = 2 if shorter >= 8 else 1 if shorter >= 5 else 0
            if limit and _edit_distance(x, y, limit) <= limit:
                return True
    return False


_SAME_INITIALS, _SAME, _SAME_FAMILY, _SWAPPED, _MISSPELLED = 5, 4, 3, 2, 1


def _with_marker_letter(family: frozenset[str]) -> frozenset[str]:
    """Spellings with an affiliation letter glued on, as copied from Elsevier
    pages ("Thompsona" for Thompson with affiliation a)."""
    return frozenset(f + letter for f in family for letter in "abcdefgh")


def _score(listed: _Key, work: _Key) -> int:
    """How surely two keys name the same person; 0 means not at all."""
    if listed.literal is not None or work.literal is not None:
        a, b = listed.literal, work.literal
        return _SAME if a and b and (a == b or a in b or b in a) else 0
    if (
        listed.family & work.family
        or _covers(listed.family_words, work.family_words)
        or _covers(work.family_words, listed.family_words)
        or listed.family & _with_marker_letter(work.family)
    ):
        if listed.initials == work.initials:  # K. G. Nakamura, not K. D. or K. Nakamura of the same work
            return _SAME_INITIALS
        return _SAME if _initials_agree(listed.initials, work.initials) else _SAME_FAMILY
    listed_all = listed.family_words + listed.given_words
    work_all = work.family_words + work.given_words
    # Family-first without a comma, or given and family swapped on one side.
    if _covers(work.family_words, listed_all) and _covers(listed.family_words, work_all):
        return _SWAPPED
    if _initials_agree(listed.initials, work.initials) and _close_spelling(listed.family, work.family):
        return _MISSPELLED
    return 0


def _pair_up(listed: Sequence[_Key], work: Sequence[_Key]) -> dict[int, tuple[int, int]]:
    """Greedy assignment, surest pairs first, then nearest in position."""
    scale = len(work) / len(listed) if listed else 1.0
    candidates = sorted(
        (-score, abs(j - i * scale), i, j)
        for i, lk in enumerate(listed)
        for j, wk in enumerate(work)
        if (score := _score(lk, wk))
    )
    pairs: dict[int, tuple[int, int]] = {}
    used: set[int] = set()
    for negative_score, _, i, j in candidates:
        if i not in pairs and j not in used:
            pairs[i] = (j, -negative_score)
            used.add(j)
    return pairs


def _missing_indices(unmatched: list[int], matched: list[int], truncated: bool, work: Sequence[Person]) -> list[int]:
    """Work authors the page left out. With a cut-short listing, only a single person skipped
    before the last matched author counts: longer runs are what an ellipsis cut. Organisations
    are passed over (never missing, never part of a run): PubMed lists group authors apart from
    the persons, so a page's first names cut at `et al.` need not reach the group Crossref
    places second."""
    if not truncated:
        return unmatched
    if not matched:
        return []
    last = max(matched)
    persons = [j for j in range(len(work)) if not work[j].is_organisation]
    rank = {j: position for position, j in enumerate(persons)}
    before = [j for j in unmatched if j < last and j in rank]
    runs: list[list[int]] = []
    for j in before:
        if runs and rank[runs[-1][-1]] == rank[j] - 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    return [j for run in runs if len(run) == 1 for j in run]


def match_authors(listed: Sequence[Person], work: Sequence[Person], truncated: bool) -> AuthorMatch:
    """Compare the authors a page lists with a work's authors."""
    if not listed or not work:
        return AuthorMatch((), (), (), (), False, False)
    listed_keys = [_key(p) for p in listed]
    work_keys = [_key(p) for p in work]
    pairs = _pair_up(listed_keys, work_keys)
    matched = tuple((listed[i], work[j]) for i, (j, _) in sorted(pairs.items()))
    misspelled = tuple(
        (listed[i], work[j]) for i, (j, score) in sorted(pairs.items()) if score == _MISSPELLED
    )
    extra = tuple(p for i, p in enumerate(listed) if i not in pairs)
    order = [j for _, (j, _) in sorted(pairs.items())]
    matched_work = sorted(order)
    unmatched = [j for j in range(len(work)) if j not in set(order)]
    missing = tuple(work[j] for j in _missing_indices(unmatched, matched_work, truncated, work))
    return AuthorMatch(
        matched=matched,
        missing=missing,
        extra=extra,
        misspelled=misspelled,
        order_differs=order != matched_work,
        truncated=truncated and bool(order) and bool(unmatched),
    )
