"""Read, normalise and match person names as wiki pages write them. Pure functions only.

Reading an author listing ("N. Alonso, A. Meinitzer & M. Herrmann", "McDonnell SL, French CB,
Heaney RP.", "Masaru Uragami a 1, Kozo Matsushita a 1, … Takeshi Miyamoto a") takes four steps,
each under its own heading below:

1. clean: `CLEANING`, an ordered list of named steps, each with its example, turns page text
   into plain listing text (markup, e-mail addresses, "corresponding author" notes, PDF damage);
2. tokens: the text as words, separators, markers, brackets and blanks (`_TOKEN_RE`);
3. chunks: the tokens between separators, with degrees, roles and markers set aside; the
   listing's style is decided once, by a vote of its chunks (`_Style`);
4. people: each chunk is cut into names at the cheapest places (`_SHAPE_COSTS`; a run of names
   with no commas, "Nancy Ide Laurent Romary", is two names) and each name is read in the
   listing's style: PubMed "Family AB", given first "Ann B. Family", or "Family, Given".

A piece that reads as no one ("(Chemical Pathologist)", "professor of medicine") is dropped and
the names around it are kept; so are names glued into one word ("ArchanaMonyaLaxmisha…"): refkit
never guesses where one name ends, and a listing of nothing else is unread. Word lists live in
`refkit.wordlists`.
Matching (`match_authors`) is deliberately lenient: a correct listing must never be reported as
a mismatch, so when in doubt two names match.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from refkit.folding import fold
from refkit.markup import page_plain
from refkit.model import Person
from refkit.wordlists import (
    AFFILIATION_WORDS,
    CAPITALISED_CONJUNCTIONS,
    CAPITALISED_GIVEN,
    CONJUNCTIONS,
    DEGREES,
    FAMILY_NAME_FUNCTION_WORDS,
    FUNCTION_WORDS,
    HONORIFICS,
    IDENTIFIER_WORDS,
    NOTES,
    ORGANISATION_WORDS,
    PARTICLES,
    ROLES,
    SUFFIXES,
    bare,
)

# ---------------------------------------------------------------- normalising

_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad-"
_HYPHEN_RE = re.compile(f"[{_HYPHENS}]")
_NON_WORD_RE = re.compile(r"[^\w\s]")
_SPACES_RE = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """Casefolded ASCII form of a name for comparisons: no diacritics, hyphens
    become spaces, other punctuation goes ("O'Brien" -> "obrien")."""
    text = _HYPHEN_RE.sub(" ", fold(text))
    text = _NON_WORD_RE.sub("", text)
    return _SPACES_RE.sub(" ", text).strip()


# ------------------------------------------------------------------ 1. clean


@dataclass(frozen=True)
class CleaningStep:
    """One step of cleaning a listing: what it is for, an example (before, after), and the function."""

    name: str
    example: tuple[str, str]
    run: Callable[[str], str]


_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Notes copied with a listing; glued to a name ("Foongemail", "CannarellaORCID") or a marker ("1OrcID"), or alone
# ("Editorial, John A. Eisman", "Jane Doe, Senior Author").
_NOTE_RE = re.compile(
    r"(?i:corresponding author(?: contact information)?|e-?mail the corresponding author|correspondence"
    r"|equal contributors?|contributed equally|author (?:information|manuscript)|\b(?:senior|first|last|joint) author\b|\bcontributors?\s*:|(?<![^\W\d_])e-?mail\b:?|\bmail\b"
    r"|(?<![^\W\d_])orcid\b|\beditorial\b|\(\s*(?:19|20)\d\d[a-z]?\s*\)\W*$|\bcollaborators\s*\(\d+\))"
    r"|(?<=[^\W_])(?:email|ORCID)"
)
_NOTE_HINTS = ("corresp", "equal", "contribut", "author", "mail", "orcid", "editorial", "(19", "(20", "collab")
"""Strings without which `_NOTE_RE` cannot match: most lines skip it."""
# "for the ExSTRA investigators", "On Behalf Of The Helena Study Group": a group follows.
_ON_BEHALF_RE = re.compile(r"\b(?i:for the|on behalf of(?: the)?)\b(?=\s+[A-Z])")
_LEADING_BY_RE = re.compile(r"^\s*(?:(?i:by|authors?|written by)\b\s*[:\-]?|Von\b(?=\s+[A-ZÄÖÜ]{2,}\b))\s*")
_FOOTNOTE_LETTER_RE = re.compile(r"(?<![\w'’])[a-z](?=[A-Z][a-z])")  # "lGillespie LD" -> "Gillespie LD"
# Spacing diacritics that PDF copies put beside a letter ("Mu¨ller"), as combining marks.
_SPACING_DIACRITICS = {"¨": "\u0308", "´": "\u0301", "`": "\u0300", "ˆ": "\u0302", "˜": "\u0303", "¸": "\u0327", "ˇ": "\u030c", "˚": "\u030a", "˝": "\u030b"}  # fmt: skip
_SPACING_DIACRITIC_RE = re.compile(rf"([^\W\d_])\s?([{''.join(_SPACING_DIACRITICS)}])\s?([^\W\d_])")
_SPACED_INITIAL_RE = re.compile(r"\b([A-Z][a-z]?)\s+\.")  # "Lawrence A . Johnson", "P . Rougier", "Ph .D ."
_SPACED_HYPHEN_RE = re.compile(r"(?<=[^\W\d_.])\s*[-\u2010\u2011](?:\s+(?=[^\W\d_])|(?=[^\W\d_]))|(?<=[^\W\d_.])\s+[-\u2010\u2011](?=[^\W\d_])")
_DOTTED_HYPHEN_RE = re.compile(r"(?<=\.)\s+-\s*(?=[A-Z])")  # "Y. -S. Chao" -> "Y.-S. Chao"
_SPACED_APOSTROPHE_RE = re.compile(r"\b([A-Z])\s+['’]\s*(?=[A-Z])")  # "Ann O 'Mara" -> "Ann O'Mara"
_GLUED_INITIAL_RE = re.compile(r"(?<=\b[A-Z]\.)(?=[A-Z][a-zà-ÿ]{2,})")  # "J.M.Montes C.Serrano" -> "J.M. Montes C. Serrano"
_DASH_SEPARATOR_RE = re.compile(r"\s[\u2013\u2014]\s")  # "Laura Grigori — Pawan Kumar"
_DAMAGED_MARKER_RE = re.compile(r"(?<=[*†‡∗])\?(?=[\s,;]|$)")  # "David M. Lee2,†?," (a marker glyph the copy lost)
_GLUED_AND_RE = re.compile(
    r"(?<=[\d,*†‡§¶∗)])and\b|(?<=\b[a-h])and\b|\band(?=[A-Z][a-z]|[A-Z]\.|[A-Z]{1,3}\s|for the\b|on behalf\b)|\bAND(?=[A-Z][a-z])"
)


# Superscript markers as web pages copy them ("Sara Cohen¹, David Levi²˒³", "Smithᵃ"): written as the
# plain markers they stand for, or they would be letters of the name.
_SUPERSCRIPTS = str.maketrans(
    {**{digit: str(value) for value, digit in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}, "˒": ",", **{sup: f" {letter}" for sup, letter in zip("ᵃᵇᶜᵈᵉ", "abcde")}}
)


def _clean_markup(text: str) -> str:
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    if not text.isascii():
        text = text.translate(_SUPERSCRIPTS)
    return page_plain(text) if ("<" in text or "*" in text or "_" in text or "~" in text or "](" in text or "&" in text or "%%%" in text or "=" in text or "::" in text) else text


def _clean_addresses(text: str) -> str:
    if "://" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    return _EMAIL_RE.sub(" , ", text) if "@" in text else text


# "…, Yehuda Shoenfeld 8 *Corresponding author: Angela Tincani": a name the listing gave already.
_CORRESPONDING_AFTER_NAMES_RE = re.compile(r"(?<=\S)[\s*,;]*\bcorresponding author\s*:(?:(?!\band\b)[^,;•&])*[\s,;]*$", re.I)


_SLASHED_PROFESSOR_RE = re.compile(r"\b(?:A|Assoc)/(?=Prof\b)")  # "A/Prof Ian R Reid": an associate professor


def _clean_notes(text: str) -> str:
    if "/Prof" in text:
        text = _SLASHED_PROFESSOR_RE.sub("", text)
    folded = text.casefold()
    if any(hint in folded for hint in _NOTE_HINTS):
        if "author:" in folded or "author :" in folded:
            text = _CORRESPONDING_AFTER_NAMES_RE.sub("", text)
        text = _NOTE_RE.sub(" , ", text)
    if "for the" in folded or "behalf" in folded:
        text = _ON_BEHALF_RE.sub(r" ; \g<0>", text)
    return _FOOTNOTE_LETTER_RE.sub("", _LEADING_BY_RE.sub("", text))


def _combine_diacritic(match: re.Match[str]) -> str:
    before, mark, after = match.groups()
    # The mark belongs to the vowel next to it: "Mu¨ller" (after the u), "M¨uller" (before it).
    if after.lower() in "aeiouy" and before.lower() not in "aeiouy":
        return before + unicodedata.normalize("NFC", after + _SPACING_DIACRITICS[mark])
    return unicodedata.normalize("NFC", before + _SPACING_DIACRITICS[mark]) + after


# A word cut in two by a PDF copy: "Gutie rez", "Franç ois", "Holthö fer" (the second part short,
# in lower case, and no word of its own).
_WORD_FRAGMENT_RE = re.compile(r"\b([A-ZÀ-Þ][^\W\d_]*) ([a-zà-ÿ]{2,4})\b(?![.'’-])")


def _join_fragment(match: re.Match[str]) -> str:
    word, fragment = match.groups()
    apart = fragment in PARTICLES or fragment in FUNCTION_WORDS or fragment in CONJUNCTIONS or fragment in ROLES
    return f"{word} {fragment}" if apart else word + fragment


def _clean_pdf_damage(text: str) -> str:
    if "?" in text:
        text = _DAMAGED_MARKER_RE.sub("", text)
    if not text.isascii():
        text = _SPACING_DIACRITIC_RE.sub(_combine_diacritic, text)
        text = _DASH_SEPARATOR_RE.sub(" , ", text.replace("\u00ad", ""))
    if " ." in text:
        text = _SPACED_INITIAL_RE.sub(r"\1.", text)
    if "-" in text or not text.isascii():
        text = _DOTTED_HYPHEN_RE.sub("-", _SPACED_HYPHEN_RE.sub("-", text))
    if "'" in text or "’" in text:
        text = _SPACED_APOSTROPHE_RE.sub(r"\1'", text)
    if "." in text:
        text = _GLUED_INITIAL_RE.sub(" ", text)
    return _WORD_FRAGMENT_RE.sub(_join_fragment, text)


def _clean_glued_and(text: str) -> str:
    return _GLUED_AND_RE.sub(" and ", text) if "and" in text or "AND" in text else text


_CUT_RE = re.compile(r"(?<!\w)(?:et\.?\s*al\b\.?:?|and others\b|etc\b\.?)", re.I)


def _clean_cuts(text: str) -> str:
    return _CUT_RE.sub(" … ", text) if "al" in text or "AL" in text or "others" in text or "etc" in text else text


CLEANING: tuple[CleaningStep, ...] = (
    CleaningStep("markup", ("**Blaser M** J<sup>1</sup>, ~~#00F:Liu M~~, Levi²˒³", " Blaser M  J1,  Liu M , Levi2,3"), _clean_markup),
    CleaningStep(
        "addresses",
        ("Meinrad Peterlik meinrad.peterlik@meduniwien.ac.at, Enikoe Kallay", "Meinrad Peterlik  , , Enikoe Kallay"),
        _clean_addresses,
    ),
    CleaningStep("glued and", ("Markus Herrmann 2 andEva Z. Reininghaus, andO. Beauchet", "Markus Herrmann 2  and Eva Z. Reininghaus,  and O. Beauchet"), _clean_glued_and),
    CleaningStep(
        "notes",
        ("by Rachel E. Foongemail, Cizza G; for the POWER Study Group", "Rachel E. Foong , , Cizza G;  ; for the POWER Study Group"),
        _clean_notes,
    ),
    CleaningStep(
        "pdf damage",
        (
            "E. Gutie rez, E.W. Mu¨ller, Lawrence A . Johnson, Y. -S. Chao, Hyo‐jae Lee, J.M.Montes",
            "E. Gutierez, E.W. Müller, Lawrence A. Johnson, Y.-S. Chao, Hyo-jae Lee, J.M. Montes",
        ),
        _clean_pdf_damage,
    ),
    CleaningStep("cuts", ("Drake MT, Inwards DJ, et al.", "Drake MT, Inwards DJ,  … "), _clean_cuts),
)
"""The cleaning steps, in the order they run."""


def clean_listing(text: str) -> str:
    for step in CLEANING:
        text = step.run(text)
    return text


# ----------------------------------------------------------------- 2. tokens

_TOKEN_RE = re.compile(
    r"(?P<word>[^\W\d_](?:[^\W\d_]|['’?](?=[^\W\d_])|-(?=[^\W\d_])|\.(?=[^\W\d_]|-))*\.?)"  # "?": a letter lost ("Ma?gorzata")
    r"|(?P<blank>[^\S\n]{2,})"  # one blank is no token
    r"|(?P<sep>[,;&•·|])"
    r"|(?P<number>\d+(?:st|nd|rd|th)?)"
    r"|(?P<cut>…|\.{3,}|\. \. \.)"
    r"|(?P<dot>\.+)"
    r"|(?P<open>[(\[])"
    r"|(?P<close>[)\]])"
    r"|(?P<newline>\n)"
    r"|(?P<mark>\S)"
)
# A blank of two or more (`blank`) between two words hints that a name ends there ("Onur Akın  Aysun Bideci").


class _Kind(Enum):
    __hash__ = object.__hash__  # members are singletons; Enum's own hash is slow in sets of kinds
    NAME = "name"  # a capitalised word: "Alonso", "McDonnell", "O’Gorman", "AL-ADNANI"
    INITIALS = "initials"  # "J.", "SL", "J.-P.", "M.W."
    PARTICLE = "particle"  # "van", "de", "Van", "Del": may start a family name
    DEGREE = "degree"  # "PhD", "M.D.", "FRCPA", "MDa"
    DEGREE_OR_INITIALS = "degree or initials"  # "MD", "MS", "MHA": read by the listing's style
    ROLE = "role"  # "Member", "IEEE", "professor"
    HONORIFIC = "honorific"  # "Prof", "Dr."
    SUFFIX = "suffix"  # "Jr", "III", "3rd"
    SUFFIX_OR_INITIALS = "suffix or initials"  # "JR", "IV", "II": "Cerhan JR", "MacRae IV"
    LOWER = "lower"  # any other lower-case word: prose, or a role spelled out ("professor of medicine")
    GLUED = "glued"  # several names in one word: "ArchanaMonyaLaxmisha"


_VOWELS = frozenset("AEIOUYÁÉÍÓÚÀÈÌÒÙÄËÏÖÜ")
_CAMEL_RE = re.compile(r"[a-zà-ÿ]{2}[A-ZÀ-Þ][a-zà-ÿ]{2}")
# Prefixes that put a capital inside one name: McDonnell, MacRae, DeLuca, LeBlanc, VanEyk, O'Brien.
_INNER_CAPITAL_PREFIX_RE = re.compile(r"^(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Der|Den|Del|Dos|Fitz|St)(?=[A-Z])")
_DOTTED_INITIALS_RE = re.compile(r"^(?:[^\W\d_]\.-?)+[^\W\d_]?$|^(?:[^\W\d_]\.?-[^\W\d_]\.?)$")


def _is_marked_degree(core: str) -> bool:
    """A degree with an affiliation letter glued on: "MDa", "PhDb", "FRCPAb" (not "Doe", nor "Fahad":
    a degree is written in capitals or with a capital inside, "FAHA" not "Faha")."""
    degree = core[:-1]
    written_as_degree = degree.isupper() or len(degree) > 2 and any(letter.isupper() for letter in degree[1:])
    return core[-1] in "abcdefgh" and bare(degree) in DEGREES and written_as_degree


@functools.lru_cache(maxsize=65536)
def _kind(word: str, upper: bool) -> _Kind:
    """What one word is, before its place in a name is known. `upper`: the listing writes
    names in capitals ("JEAN ZYLBER"), so short capital words are names there, not initials."""
    core = word.rstrip(".")
    folded = bare(core)
    if len(core) == 1 or _DOTTED_INITIALS_RE.match(word) and not (len(folded) > 2 and folded in DEGREES):
        return _Kind.SUFFIX_OR_INITIALS if folded in SUFFIXES else _Kind.INITIALS
    short_capitals = core.isupper() and core.isalpha() and (len(core) <= 3 or _VOWELS.isdisjoint(core) and len(core) <= 6)
    if folded in FUNCTION_WORDS and not (short_capitals and not upper) and (
        core.islower() or folded not in FAMILY_NAME_FUNCTION_WORDS
    ) or folded in IDENTIFIER_WORDS:
        return _Kind.LOWER  # "of", "The", "OF", "DOI": a title or prose ("IT" in "Lillegaard IT" is initials)
    if core.islower():
        if folded in PARTICLES:
            return _Kind.PARTICLE
        return _Kind.ROLE if folded in ROLES or folded in HONORIFICS else _Kind.LOWER
    if folded in HONORIFICS and (upper or not core.isupper()) and folded != "professor":
        return _Kind.HONORIFIC
    if folded in SUFFIXES:  # "JR" is initials in "Cerhan JR", but not in "GEORGE C. WRIGHT, JR."; nobody's are "I. I. I."
        return _Kind.SUFFIX if upper or not core.isupper() or folded == "iii" else _Kind.SUFFIX_OR_INITIALS
    if _is_marked_degree(core) or "." in core and folded in DEGREES:
        return _Kind.DEGREE  # "MDa", "Ph.D."
    if folded in DEGREES:
        if core.isupper():  # "MD", "MHA" may be initials; "FRCPA", "MBBS" never are
            return _Kind.DEGREE if len(core) > 3 else _Kind.DEGREE_OR_INITIALS
        if len(core) > 2:  # "PhD", "MSc", "DrPH"; but "Ma" and "Do" are family names
            return _Kind.DEGREE
    if short_capitals and not upper:
        return _Kind.INITIALS  # "ED" in "Dean ED" is initials, not "editor"
    if folded in ROLES:
        return _Kind.ROLE
    if folded in PARTICLES and folded not in CAPITALISED_GIVEN:
        return _Kind.PARTICLE
    if len(_CAMEL_RE.findall(_INNER_CAPITAL_PREFIX_RE.sub("", core))) >= 2:  # "ArchanaMonyaLaxmisha"
        return _Kind.GLUED
    return _Kind.NAME


# ----------------------------------------------------------------- 3. chunks


@dataclass(slots=True)
class _Word:
    """One word: as written, what it is (`_kind`; once its place in a name is known, NAME, INITIALS
    or PARTICLE) and whether something on the page marks a start just before it."""

    text: str
    kind: _Kind
    hint: bool = False
    """A marker, a bracket, a wide blank or a line break comes just before it: a name may start here."""


@dataclass(slots=True)
class _Chunk:
    """The words between two separators."""

    words: list[_Word] = field(default_factory=list)
    text: str = ""
    """The chunk as written, for an organisation's name."""
    marked: bool = False
    """It carries an affiliation marker ("Uragami a 1", "Roth 1,†")."""
    lettered: bool = False
    """Its marker holds a letter ("Sheherazade a 1"): only a name takes one, "Figure 2" does not."""
    after_semicolon: bool = False
    after_conjunction: bool = False
    """"and" or "&" comes before it: it starts a name, never holds given names of the chunk before."""
    after_stop: bool = False
    """The chunk before it ended with a full stop ("Ayoub D.  letter to the editor")."""
    degrees_after: bool = False
    """Chunks holding only degrees follow it ("Ehtisham-ul-Haq, MD, PhD"): it names a person."""
    begin: int = 0
    end: int = 0
    """Where `text` is in the cleaned listing."""
    read: dict[bool, _Parts] = field(default_factory=dict)
    """Its name words once read (`_parts`), by whether they are given names only."""


_CHUNK_EDGES = " \t\n.,;:*"
_MARKER_LETTERS = frozenset("abcdefghijklmnopqrstuvwxz")  # lower-case letters alone, but "y" ("Pérez y López")
_RUN_MARKER_LETTERS = frozenset("abcdefgh")
_MARKER_SYMBOLS = frozenset("*∗†‡§¶#⇑⇓⁎¤ʈ^~+")
_FURNITURE = frozenset({_Kind.DEGREE, _Kind.ROLE, _Kind.HONORIFIC})


class _Splitter:
    """Cuts a cleaned listing into chunks at commas, semicolons, bullets, "and", "et" and "…"."""

    def __init__(self, text: str, upper: bool) -> None:
        self.text = text
        self.upper = upper
        self.chunks: list[_Chunk] = []
        self.current = _Chunk(after_semicolon=True)
        self.start = 0
        self.hint = False
        self.truncated = False

    def close(self, at: int, *, semicolon: bool = False, conjunction: bool = False) -> None:
        written = self.text[self.start : at]
        self.current.text = written.strip(_CHUNK_EDGES)
        self.current.begin = self.start + len(written) - len(written.lstrip(_CHUNK_EDGES))
        self.current.end = self.current.begin + len(self.current.text)
        if self.current.words:
            self.chunks.append(self.current)
        self.current = _Chunk(after_semicolon=semicolon, after_conjunction=conjunction)
        self.start = at + 1
        self.hint = False

    def group_goes_on(self, at: int) -> bool:
        """"EFSA Panel on Food Additives and Nutrient Sources", "; New Zealand Asthma and Allergy
        Cohort Study Group": an organisation's name goes on past "and"."""
        words = self.current.words
        if words and bare(words[-1].text) in ORGANISATION_WORDS:
            return False  # the name is complete: "T2K Collaboration and Jonathan Q. Smithers"
        if any(bare(word.text) in ORGANISATION_WORDS for word in words):
            return True
        if not self.current.after_semicolon:
            return False
        rest = re.split(r"[,;]", self.text[at:], maxsplit=1)[0]
        return not ORGANISATION_WORDS.isdisjoint(bare(word) for word in rest.split())

    @staticmethod
    def after_degree(words: Sequence[_Word]) -> bool:
        """A degree ("MSc", "PhD") follows a name in the chunk so far."""
        named = False
        for word in words:
            named = named or word.kind is _Kind.NAME
            if named and word.kind is _Kind.DEGREE:
                return True
        return False

    def add_word(self, value: str, at: int) -> None:
        lowered = value.lower() if len(value) <= 3 else ""  # conjunctions are short
        # "GUILLAUMET ET JEAN" joins two names in a listing written in capitals; "Lennette ET" has initials
        if lowered in CONJUNCTIONS and (value.islower() or lowered in CAPITALISED_CONJUNCTIONS and (self.upper or not value.isupper())):
            if not self.group_goes_on(at):
                self.close(at, conjunction=True)
                self.start = at + len(value)
            return
        words = self.current.words
        letters = len(value) == 1 and value in _MARKER_LETTERS and (not words or words[-1].kind is not _Kind.LOWER)
        if letters or (self.hint and words and len(value) <= 3 and set(value) <= _RUN_MARKER_LETTERS):
            self.current.marked = self.current.lettered = self.hint = True  # "Uragami a", "Tino a;b", "Weiss *ab"
            return
        kind = _kind(value, self.upper)
        if kind is _Kind.INITIALS and len(value) > 1 and value.isalpha() and self.after_degree(words):
            kind = _Kind.DEGREE  # post-nominals come in a run: "Catherine Hudon MD MSc CMFC"
        if kind is _Kind.LOWER and words and words[-1].kind is _Kind.INITIALS and words[-1].text.endswith("."):
            self.close(at)  # "Ayoub D.  letter to the editor": the listing has ended
            self.current.after_stop = True
            words = self.current.words
        words.append(_Word(value, kind, self.hint and bool(words)))
        self.hint = False
        if kind in (_Kind.NAME, _Kind.LOWER) and value.endswith(".") and len(value) > 3:
            self.close(at + len(value))  # "Gillian E. Walker.     Roberta Ricotti": a sentence ended
            self.current.after_stop = True

    def split(self) -> tuple[list[_Chunk], bool]:
        depth = 0
        previous = ""
        for match in _TOKEN_RE.finditer(self.text):
            kind, value, at = match.lastgroup, match.group(), match.start()
            if depth:  # inside brackets: "(Chemical Pathologist)", "(1)", "(GIANT)"
                depth += (kind == "open") - (kind == "close")
            elif kind == "word":
                self.add_word(value, at)
            elif kind == "sep":
                self.close(at, semicolon=value == ";", conjunction=value == "&")
            elif kind == "cut":
                self.truncated = True
                self.close(at)
            elif kind == "open":
                depth = 1
                self.hint = True
            elif kind == "number" and bare(value) in SUFFIXES and self.current.words:
                self.current.words.append(_Word(value, _Kind.SUFFIX))  # "Ager JW 3rd"
            elif kind in ("number", "mark"):
                if kind == "number" or value in _MARKER_SYMBOLS:
                    self.current.marked = self.current.marked or bool(self.current.words)
                self.hint = True
            elif kind == "dot" and previous in ("number", "mark"):
                self.close(at)  # "Lucy Elisabeth James1. A Asuni2"
            elif kind == "newline" or kind == "blank":
                self.hint = True
            if kind != "blank":
                previous = kind
        self.close(len(self.text))
        return self.chunks, self.truncated


# ------------------------------------------------------------------ 4. people


class _Style(Enum):
    PUBMED = "family name, then initials"  # "McDonnell SL", "Alonso N.", "Kalaras MD"
    GIVEN_FIRST = "given names first"  # "N. Alonso", "Masaru Uragami", "Hun Ju Lee MD1"


_INITIAL_LIKE = frozenset({_Kind.INITIALS, _Kind.DEGREE_OR_INITIALS, _Kind.SUFFIX_OR_INITIALS})
_NAME_PARTS = frozenset({_Kind.NAME, _Kind.PARTICLE}) | _INITIAL_LIKE


def _style(chunks: Sequence[_Chunk]) -> _Style:
    """The listing's style, by a vote of its chunks: PubMed when more chunks end in initials after
    their family name ("Kalaras MD", "Neumann MHA", "MacRae IV") than show given names first
    ("Ian R Reid MD", "Masaru Uragami")."""
    pubmed = given_first = 0
    for chunk in chunks:
        if not ORGANISATION_WORDS.isdisjoint(bare(w.text) for w in chunk.words):
            continue  # a group's name has no style: "Abrams SA; Committee on Nutrition" is PubMed's
        kinds = [w.kind for w in chunk.words if w.kind in _NAME_PARTS]
        names = kinds.count(_Kind.NAME)
        if len(kinds) < 2 or not names:
            continue
        last_name = len(kinds) - 1 - kinds[::-1].index(_Kind.NAME)
        trailing = kinds[last_name + 1 :]
        if not trailing or _Kind.INITIALS in kinds[:last_name] or _Kind.PARTICLE in trailing:
            given_first += 1  # "Hongwu Du": a particle last is a family name
        elif not (names > 1 and trailing == [_Kind.DEGREE_OR_INITIALS]):
            pubmed += 1  # but "Hun Ju Lee MD" may be given names, a family name and a degree
    return _Style.PUBMED if pubmed > given_first else _Style.GIVEN_FIRST


def _capitals_first(chunk: _Chunk, shortest: int = 2) -> bool:
    """"JIANG Chang-jiang", "HE Qian": a family name in capitals (`shortest` letters or more)
    before given names that are not."""
    words = [w for w in chunk.words if w.kind in _NAME_PARTS]
    return (
        len(words) >= 2
        and len(words[0].text) >= shortest
        and words[0].text.isupper()
        and words[0].text.isalpha()
        and all(not w.text.isupper() for w in words[1:])
    )


@dataclass(frozen=True, slots=True)
class _Listing:
    """What is decided once for a whole listing, by looking at all its chunks."""

    style: _Style
    separated: bool
    """Something separates names somewhere (commas, "and", markers)."""
    degrees: bool
    """Degrees follow names ("PhD", "M.D."), so capitals at the start of a chunk are one too ("MD Jae Hoon Kim")."""
    capitals_first: bool
    """Most names are written family name first, in capitals ("JIANG Chang-jiang, SHI Wei-ren")."""
    short_names: bool = False
    """Every name but one has two words or fewer besides initials ("Matthias Böhmer, Gernot Bauer
    Antonio Krüger"): the one long run is likely two names whose separator was lost."""


def _listing(chunks: Sequence[_Chunk]) -> _Listing:
    named = [chunk for chunk in chunks if len(chunk.words) >= 2 and chunk.words[0].text.isupper()]
    capitals = sum(_capitals_first(chunk, shortest=3) for chunk in named)
    named = [chunk for chunk in chunks if sum(w.kind in _NAME_PARTS for w in chunk.words) >= 2] if capitals else named
    return _Listing(
        style=_style(chunks),
        separated=len(chunks) > 1,
        degrees=any(word.kind is _Kind.DEGREE for chunk in chunks for word in chunk.words),
        capitals_first=bool(named) and capitals * 2 > len(named),
        short_names=_short_names(chunks),
    )


_SHORT_NAME_WORDS = 2
_MIN_SHORT_NAMES = 2


def _short_names(chunks: Sequence[_Chunk]) -> bool:
    lengths = [n for n in (sum(w.kind is _Kind.NAME for w in chunk.words) for chunk in chunks) if n]
    long = sum(n > _SHORT_NAME_WORDS for n in lengths)
    return long == 1 and len(lengths) - long >= _MIN_SHORT_NAMES


@dataclass(slots=True)
class _Parts:
    """A chunk's name words, with degrees, roles and honorifics set aside."""

    parts: list[_Word] = field(default_factory=list)
    suffixes: dict[int, str] = field(default_factory=dict)
    """Suffixes ("Jr", "III") by the index of the part they follow."""
    prose: bool = False
    """A lower-case word that is neither a particle nor a role: prose, or no name."""
    furniture: bool = False
    """Degrees, roles or honorifics were set aside."""


_UNDOTTED_INITIALS_RE = re.compile(r"^[A-Z]{1,6}$")


def _parts(chunk: _Chunk, listing: _Listing, given_names: bool = False) -> _Parts:
    """The name words of a chunk in the listing's style. `given_names`: the chunk holds only
    given names ("Walter J." of "Savitch, Walter J."), so capitals after them are degrees."""
    if given_names not in chunk.read:
        chunk.read[given_names] = _read_parts(chunk, listing, given_names)
    return chunk.read[given_names]


def _read_parts(chunk: _Chunk, listing: _Listing, given_names: bool) -> _Parts:
    style = listing.style
    found = _Parts()
    parts = found.parts
    words = chunk.words
    hint = False
    last_name = max((i for i, w in enumerate(words) if w.kind is _Kind.NAME), default=-1)
    for index, word in enumerate(words):
        kind = word.kind
        hint = hint or word.hint
        after_name = bool(parts) and parts[-1].kind is _Kind.NAME
        name_follows = index < last_name
        if kind is _Kind.DEGREE_OR_INITIALS:
            if after_name:  # "Kalaras MD" in a PubMed listing, "Hun Ju Lee MD1" in others
                initials = style is _Style.PUBMED and not given_names
            else:  # "MA Palmer" against "BS 1 Syed Usman" and, where degrees follow names, "MD Jae Hoon Kim"
                initials = name_follows and not listing.degrees and not (index + 1 < len(words) and words[index + 1].hint)
            kind = _Kind.INITIALS if initials else _Kind.DEGREE
        elif kind is _Kind.SUFFIX_OR_INITIALS:
            # "Camargo CA JR" and "Anis Elbarhoumi II", against "Cerhan JR" and "MacRae IV"; alone
            # between separators, a suffix ("Smith, Amos B., III").
            after_initials = bool(parts) and parts[-1].kind is _Kind.INITIALS
            suffix = after_initials if style is _Style.PUBMED else after_name
            kind = _Kind.SUFFIX if (suffix or len(words) == 1) and not name_follows else _Kind.INITIALS
        elif kind is _Kind.INITIALS and not name_follows and style is _Style.GIVEN_FIRST and (
            after_name or index and all(w.kind is _Kind.INITIALS and "." in w.text for w in words[:index])
        ):
            core = word.text.rstrip(".")
            if len(core) > 1 and _UNDOTTED_INITIALS_RE.match(core) and not _VOWELS.isdisjoint(core):
                kind = _Kind.NAME  # "Yuan LIU", "M. GAO": a family name in capitals
        elif kind is _Kind.ROLE and style is _Style.PUBMED and not parts and index + 1 < len(words):
            kind = _Kind.NAME  # "Senior PA": a family name
        elif kind is _Kind.DEGREE and index == 0 and word.text[1:].islower() and index + 1 < len(words) and words[1].kind is _Kind.INITIALS:
            kind = _Kind.NAME  # "Fache W": a family name before its initials, though "FACHE" is a degree
        elif kind is _Kind.NAME and bare(word.text) in CAPITALISED_GIVEN and name_follows and (
            parts and parts[-1].kind is _Kind.INITIALS
        ):
            kind = _Kind.PARTICLE  # "J. M. Le Breton", but "Xue Bin Peng"
        if kind is _Kind.SUFFIX:  # after the part it follows (-1: a chunk of its own, "Heath, Jr.")
            found.suffixes[len(parts) - 1] = word.text
        elif kind in _FURNITURE:
            found.furniture = hint = True
        elif kind is _Kind.LOWER:
            found.prose = True
        else:
            parts.append(_Word(word.text, kind, hint and bool(parts)))
            hint = False
    if found.prose and found.furniture and (not parts or _is_role_described(chunk)):
        # "assistant professor of family medicine", "British Heart Foundation intermediate fellow": a
        # role described in words, not prose and no name
        found.prose = False
        parts.clear()
    # A family name that is also a particle: "Der T", "Hongwu Du".
    named = _Kind.NAME in {part.kind for part in parts}
    particles = [i for i, part in enumerate(parts) if part.kind is _Kind.PARTICLE and not part.text.islower()]
    if particles and (not named or particles[-1] == len(parts) - 1):
        parts[particles[-1]] = _Word(parts[particles[-1]].text, _Kind.NAME, parts[particles[-1]].hint)
    return found


# What a name of each shape costs when a run of words is cut into names; the cheapest cut wins.
# Given names first, by (number of name words, whether it has initials):
_SHAPE_COSTS = {
    (1, False): 6.0,  # a lone word is rarely a whole name
    (1, True): 0.0,  # "N. Alonso", "J C Souberbielle"
    (2, False): 0.0,  # "Masaru Uragami"
    (2, True): 0.0,  # "Gillian E. Walker", "Hilde H F Remmelts"
    (3, False): 1.0,  # "Marta Cecilia Cohen"
    (3, True): 0.7,  # "Maria Eugênia F. Canziani"
    (4, False): 3.0,  # "Max Jordan Nguemeni Tiako"
    (4, True): 2.0,
}
# Family name, then initials (PubMed), by the number of words of the family name:
_PUBMED_COSTS = {1: 0.0, 2: 1.0, 3: 4.0}  # "McDonnell SL", "Oude Voshaar RC", "Hun Ju Lee MD"
_LONG_NAME_COST = 8.0
_LONE_COST = _SHAPE_COSTS[(1, False)]
_PLAIN_NAME_COST = _SHAPE_COSTS[(3, False)]
_OTHER_STYLE_COST = 2.0
"""A name in the other style than the listing's ("Sendhil Kumaran M" among given-first names)."""
_GARBLED_COST = 3.5
"""Initials on both sides of a family name ("Naz A, N Qureshi R")."""
_HINT_INSIDE_COST = 1.5
"""A marker, bracket or line break inside a name ("Vanlint 2 Howard" read as one name)."""
_HINT_CUT_BONUS = 1.0
"""Cutting where a marker, bracket or line break is."""
_BLIND_CUT_COSTS = {True: 4.0, False: 0.5}
"""Cutting where nothing on the page marks an end, by whether the listing separates its names
elsewhere: where it does, a long chunk is one long name ("Nasef Abdel Salam A. Rezka,"); where
nothing separates any names, it is several ("Nancy Ide Laurent Romary")."""
_BLIND_CUT_AMONG_SHORT_NAMES_COST = 1.0
"""Where every other name is short, a long run is two names more often than one long name."""


def _blind_cut_cost(parts: Sequence[_Word], at: int, listing: _Listing) -> float:
    """Cutting before `parts[at]` where nothing on the page marks an end."""
    if listing.short_names and all(part.kind is _Kind.NAME for part in parts):  # not "M. Rabec Le Gloahec"
        return _BLIND_CUT_AMONG_SHORT_NAMES_COST
    return _BLIND_CUT_COSTS[listing.separated]


_INITIAL_RUNS_COSTS = {0: 0.0, 1: 0.0, 2: 4.0}  # "B. J. Ackerson N. A. Clark" is two names
_NAMES_AFTER_INITIALS_COSTS = {0: 0.0, 1: 0.0, 2: 1.0, 3: 3.0}  # "Eric W. Davis Rozier", "M Mar Campos Pastor"
_MAX_NAME_WORDS = 8
_NAMES_AFTER_A_PARTICLE = 2
_NOT_A_NAME = float("inf")


def _shape_cost(parts: Sequence[_Word], style: _Style) -> float:
    """What one name of these words costs in a listing of this style (`_NOT_A_NAME` if none)."""
    kinds = [part.kind for part in parts]
    names = kinds.count(_Kind.NAME)
    if not names:
        return _NOT_A_NAME
    last_name = len(kinds) - 1 - kinds[::-1].index(_Kind.NAME)
    trailing = kinds[last_name + 1 :]
    if trailing:  # initials last: PubMed, "McDonnell SL", "van Schoor NM"
        if any(kind is not _Kind.INITIALS for kind in trailing):
            return _NOT_A_NAME
        cost = _PUBMED_COSTS.get(names, _LONG_NAME_COST)
        if _Kind.INITIALS in kinds[:last_name]:  # "N Qureshi R": PubMed's own garbling
            cost += _GARBLED_COST
        return cost + (_OTHER_STYLE_COST if style is _Style.GIVEN_FIRST else 0.0)
    initials = _Kind.INITIALS in kinds
    cost = _SHAPE_COSTS.get((names, initials), _LONG_NAME_COST)
    if initials:  # "Donald L. Stone Kevin Jeffay" is two names: a family name follows middle initials
        after = kinds[len(kinds) - 1 - kinds[::-1].index(_Kind.INITIALS) :].count(_Kind.NAME)
        runs = sum(kind is _Kind.INITIALS and (i == 0 or kinds[i - 1] is not _Kind.INITIALS) for i, kind in enumerate(kinds))
        cost += _NAMES_AFTER_INITIALS_COSTS.get(after, _LONG_NAME_COST) + _INITIAL_RUNS_COSTS.get(runs, _LONG_NAME_COST)
    if style is _Style.PUBMED and (initials or names > 1):
        cost += _OTHER_STYLE_COST
    return cost


def _cut(parts: Sequence[_Word], listing: _Listing) -> list[tuple[list[_Word], float]]:
    """The cheapest way to cut a run of name words into names (a dynamic programme over the
    places to cut), each name with its cost; [] when the words make no names."""
    if len(parts) <= 2:  # most chunks: two words make one name or none (two lone words cost more)
        cost = _shape_cost(parts, listing.style)
        return [] if cost == _NOT_A_NAME else [(list(parts), cost)]
    best: list[tuple[float, int]] = [(0.0, 0)] + [(_NOT_A_NAME, 0)] * len(parts)
    for end in range(1, len(parts) + 1):
        for start in range(max(0, end - _MAX_NAME_WORDS), end):
            if best[start][0] == _NOT_A_NAME:
                continue
            span = parts[start:end]
            cost = _shape_cost(span, listing.style)
            if cost == _NOT_A_NAME:
                continue
            cost += _HINT_INSIDE_COST * sum(part.hint for part in span[1:])
            if start:
                cost += -_HINT_CUT_BONUS if parts[start].hint else _blind_cut_cost(parts, start, listing)
            if best[start][0] + cost < best[end][0]:
                best[end] = (best[start][0] + cost, start)
    if best[-1][0] == _NOT_A_NAME:
        return []
    names: list[tuple[list[_Word], float]] = []
    end = len(parts)
    while end:
        start = best[end][1]
        names.append((list(parts[start:end]), _shape_cost(parts[start:end], listing.style)))
        end = start
    return names[::-1]


def _initials(text: str) -> str:
    """"SL" -> "S. L.", "J-P" -> "J.-P.", "J.M." -> "J. M.", "N." -> "N."."""
    core = text.rstrip(".")
    if core.isalpha() and core.isupper() and len(core) <= 6:  # "SL", "Ş", "RP."
        return " ".join(f"{letter}." for letter in core)
    if "-" in text and "." not in text:
        return "-".join(f"{part}." for part in text.split("-") if part)
    return re.sub(r"\.(?=[^\s.-])", ". ", text)


def _given(parts: Sequence[_Word], trailing: bool = False) -> str | None:
    """Given names as written, initials with dots: every initial when they trail the family name
    ("SL" -> "S. L.", "J.M." -> "J. M."), only undotted ones before it ("Hilde H F" -> "Hilde H. F.")."""
    return " ".join(
        _initials(p.text) if p.kind is _Kind.INITIALS and (trailing or "." not in p.text) else p.text for p in parts
    ) or None


def _suffix(text: str | None) -> str | None:
    """"JR" -> "Jr.", "iii" -> "III", "3rd" stays."""
    if text is None:
        return None
    core = text.rstrip(".")
    if bare(core) in ("jr", "sr"):
        return core.capitalize() + "."
    return core.lower() if core[0].isdigit() else core.upper()


def _person(parts: Sequence[_Word], suffix: str | None) -> Person:
    """One name's words as a Person: PubMed when initials come last, else given names first
    (the family name is the last name word and the particles before it)."""
    kinds = [part.kind for part in parts]
    last_name = len(kinds) - 1 - kinds[::-1].index(_Kind.NAME)
    if last_name < len(parts) - 1:
        family = " ".join(part.text for part in parts[: last_name + 1])
        return Person(given=_given(parts[last_name + 1 :], trailing=True), family=family.rstrip("."), suffix=_suffix(suffix))
    start = last_name
    while start > 1 and kinds[start - 1] is _Kind.PARTICLE:
        start -= 1
    # After a given name and middle initials, every word is the family name: "Eric W. Davis Rozier",
    # "Jose M. Lopez Novoa", "Stefanie J. W. H. Oude Elferink" (not "J. Kirsty Millar", whose
    # second word may be a given name).
    if kinds[0] is _Kind.NAME and _Kind.INITIALS in kinds[1:start]:
        start = len(kinds) - kinds[::-1].index(_Kind.INITIALS)
    # A particle in lower case may start a longer family name: "M.-A. di Forte Poisson" (but
    # "Juan de Dios Luna del Castillo" has given names after its first particle).
    start = next(
        (i for i in range(1, start) if kinds[i] is _Kind.PARTICLE and parts[i].text.islower()
         and kinds[i + 1 :].count(_Kind.NAME) <= _NAMES_AFTER_A_PARTICLE),
        start,
    )  # fmt: skip
    family = " ".join(part.text for part in parts[start:])
    return Person(given=_given(parts[:start]), family=family.rstrip("."), suffix=_suffix(suffix))


_GROUP_INTRO_RE = re.compile(r"^(?:for the|on behalf of(?: the)?)\b\s*", re.I)


_GROUP_NAME_EDGES_RE = re.compile(r"^the\s+|[\s\d*†‡§¶#,.;:]+$")


def _is_role_described(chunk: _Chunk) -> bool:
    """A role in words, ending in its role word: "British Heart Foundation intermediate fellow",
    "assistant professor", "data analyst"."""
    last = chunk.words[-1].text
    return last.islower() and bare(last) in ROLES


def _organisation(chunk: _Chunk) -> tuple[Person, int] | None:
    """A chunk naming a group ("POWER Study Group", "the EDEN Mother-Child Cohort Study Group",
    "On behalf of EuroSIDA in EuroCOORD"), and where its name starts in the cleaned listing."""
    introduced = _GROUP_INTRO_RE.match(chunk.text) if chunk.text[:1] in "fFoO" else None
    if introduced is None and ORGANISATION_WORDS.isdisjoint(bare(word.text) for word in chunk.words) or _is_role_described(chunk):
        return None
    skipped = introduced.end() if introduced else 0
    literal = _GROUP_NAME_EDGES_RE.sub("", chunk.text[skipped:])
    return (Person(literal=literal), chunk.begin + skipped) if literal else None


_GROUP_FAMILY_WORDS = 3


def _is_lone_family(parts: _Parts, given: Callable[[], _Parts], group: bool) -> bool:
    """"Matsuoka", "El Mulla", "van Schoor": a family name alone, its given names (`given`) in the
    next chunk; before initials alone, "Le Dantec, C." too ("Le", "Da", "Bin" are given names
    elsewhere); as a whole `;` group ("; Metcalf Pate, Kelly A.;"), a family name of a few words."""
    kinds = [part.kind for part in parts.parts]
    if parts.prose or not kinds or kinds[-1] is not _Kind.NAME or not set(kinds) <= {_Kind.NAME, _Kind.PARTICLE}:
        return False
    if group and 1 < kinds.count(_Kind.NAME) <= _GROUP_FAMILY_WORDS:
        # "Metcalf Pate, Kelly A.", "Christine Zink, M.", but not "Christine Goertz, DC" nor "Yiwei Cai, B.S." (degrees)
        return any(part.kind is _Kind.NAME or "." in part.text and bare(part.text) not in DEGREES for part in given().parts)
    if kinds == [_Kind.NAME, _Kind.NAME] and bare(parts.parts[0].text) in CAPITALISED_GIVEN:
        return {part.kind for part in given().parts} == {_Kind.INITIALS}
    return kinds.count(_Kind.NAME) == 1


_SUFFIX_KINDS = frozenset({_Kind.SUFFIX, _Kind.SUFFIX_OR_INITIALS})


def _is_whole_name(parts: Sequence[_Word]) -> bool:
    """Words after a comma that make a whole name, not the given names of the word before it: a name
    after initials ("Stravopodis, J. Q. Smithers") or initials in a run after a name ("Stravopodis,
    Smithers JQ"), unlike "Savitch, Walter J." and "Matsuoka, L. Y."."""
    kinds = [part.kind for part in parts]
    if _Kind.NAME not in kinds:
        return False
    last_name = len(kinds) - 1 - kinds[::-1].index(_Kind.NAME)
    undotted_run = any(part.kind is _Kind.INITIALS and len(core := part.text.rstrip(".")) > 1 and core.isalpha() for part in parts[last_name + 1 :])
    return _Kind.INITIALS in kinds[:last_name] or undotted_run


def _pairs(chunks: Sequence[_Chunk], listing: _Listing) -> tuple[list[tuple[_Chunk, _Chunk | None]], bool]:
    """Chunks as (chunk, None), or as (family, given names) where a listing puts a comma between
    them: APA and MDPI ("Matsuoka, L. Y.", "Wamberg, L.;"), a `;` group ("Eldeeb, Marwa E.;"), the
    first name of a Chicago listing ("Savitch, Walter J., Emmon Bach") and the names after it.
    Also whether the listing is inverted throughout (two pairs or more: "Plotnikoff, Gregory;
    Finch, Michael, … and Dusek Jeffery"), so that a pair left without its comma is too."""
    paired: list[tuple[_Chunk, _Chunk | None]] = []
    pairs = 0
    index = 0
    semicolons = any(chunk.after_semicolon for chunk in chunks[1:])
    # ";" between names, not only before a group ("…, Kevin D. Cashman; ODIN consortium", as cleaning writes "on behalf of")
    named_groups = any(chunk.after_semicolon and _organisation(chunk) is None for chunk in chunks[1:])
    while index < len(chunks):
        chunk = chunks[index]
        following = chunks[index + 1] if index + 1 < len(chunks) else None
        # "; Hora, Donald, Jr.;": a suffix may end the group
        suffix_next = index + 2 < len(chunks) and all(w.kind in _SUFFIX_KINDS for w in chunks[index + 2].words)
        after = index + 3 if suffix_next else index + 2
        # the pair is a whole ";" group ("Finch, Michael;"), in a listing holding ";" (a line "Sheherazade,
        # Ardiantiono" alone may be two people of one name each)
        group_end = chunk.after_semicolon and (after >= len(chunks) or chunks[after].after_semicolon)
        whole_group = semicolons and group_end
        joined = following is not None and (following.after_conjunction or following.after_semicolon)
        if following is not None and not chunk.marked and not joined and _is_lone_family(
            _parts(chunk, listing), lambda: _parts(following, listing, given_names=True), whole_group
        ):
            given = _parts(following, listing, given_names=True)
            kinds = {part.kind for part in given.parts}
            # before a group alone, a pair is one person's only with a one-word family name ("Smith, John; VITAL
            # Study Group"); "Anna Berg, Piet Jansen; VITAL Study Group" names two people
            group_pair = whole_group and (named_groups or sum(p.kind is _Kind.NAME for p in _parts(chunk, listing).parts) == 1)
            # Chicago inverts the first name ("Savitch, Walter J."); a listing of pairs goes on so.
            chicago = index == 0 and _Kind.INITIALS in kinds
            inverted = (chicago or pairs) and listing.style is _Style.GIVEN_FIRST
            if given.parts and not given.prose and given.parts[0].kind is not _Kind.PARTICLE and (
                group_pair or not _is_whole_name(given.parts)  # "Panah, B Eslam;" is a whole ";" group
            ) and (
                kinds == {_Kind.INITIALS}
                or _Kind.NAME in kinds
                and len(given.parts) <= 3
                and (group_pair or inverted or group_end and _Kind.INITIALS in kinds)  # "Weber, Matthew A." alone
            ):
                paired.append((chunk, following))
                pairs += 1
                index += 2
                continue
        paired.append((chunk, None))
        index += 1
    return paired, pairs > 1


# ------------------------------------------------------------- reading a line


@dataclass(frozen=True)
class Reading:
    """What one line says as an author listing."""

    people: tuple[Person, ...]
    truncated: bool
    is_listing: bool
    """The line lists authors, even when they cannot be read (names glued into one word)."""
    family_first: bool = False
    """Every name is written family name first, each between its own separators ("Holick MF,
    Chen TC.", "Ceglia, L.; Harris, S.S."), as reference lists write them."""
    lone_name: bool = False
    """The line is one name and nothing shows it lists authors ("Simon Vanlint"): a listing only
    where the page's layout puts one (`people` holds the name)."""
    whole: bool = False
    """Every piece of the line read as a name: nothing was dropped."""
    shown: bool = False
    """The line shows signs only listings have (degrees, markers, "Family AB" names, e-mail
    addresses, "et al."): unlike a title in capitals ("Vitamin D Binding Protein and Bone Health")."""
    names_unread: bool = False
    """Pieces holding names were left unread, never guessed at (names glued into one word, a run
    of names only a guess cuts apart): the page names authors `people` lacks."""


_NOT_A_LISTING = Reading((), False, False)
_UNREAD_SHARE = 0.2
"""A listing may hold this share of pieces that read as nobody (they are dropped); more, and the
line is not a listing."""
_SIGNS_SHOWN = 2
_MIXED_STYLES_MAX = 3
"""A line of at most this many names mixing "Family AB" and plain "Given Family" is no listing."""
_UPPER_SHARE = 0.8
"""Names are written in capitals ("JEAN ZYLBER ET DANIEL LEFORT") when this share of words is."""
_MAX_LISTING_CHARS = 8000
# On the line as written: headings, tables, quotes, numbered items, DOIs, wiki links, copyright lines.
_NOT_A_LISTING_RAW_RE = re.compile(r"^\s*(?:[#|>]|\d+\.\s|[*+-]\s)|10\.\d{4,}/|\||\]\(/|©")
# Once cleaned: years, citation numbers ("12:345", "2013;33(2)"), questions.
_NOT_A_LISTING_RE = re.compile(r"\b(?:19|20)\d\d\b|\d+\s*[:;(]\s*\d|\?(?![^\W\d_])|[!=]|[$€£]\s?\d|\d{5,}|\d\.\d")
_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _upper(text: str) -> bool:
    words = [w for w in _WORD_RE.findall(text) if bare(w) not in DEGREES and w.lower() not in CONJUNCTIONS]
    return len(words) >= 2 and sum(w.isupper() for w in words) >= _UPPER_SHARE * len(words)


@dataclass(slots=True)
class _Tally:
    people: list[Person] = field(default_factory=list)
    unread: int = 0
    """Pieces that read as nobody (dropped)."""
    evidence: bool = False
    """Something only listings have: initials, an affiliation marker, a degree, an e-mail address."""
    signs: int = 0
    """How many strong signs of a listing there are: degrees, markers, names written "Family AB",
    comma pairs; an e-mail address or a leading "by" counts twice."""
    family_first: bool = True
    """See `Reading.family_first`."""
    weak_names: int = 0
    """Family names alone ("Ehtisham-ul-Haq"), read where a PubMed listing or a marker allows them."""
    family_first_names: int = 0
    given_first_plain_names: int = 0
    """Names written "Family AB" and names written "Given Family" without initials: a line holding
    both and little else is a title ("Vitamin D and Breast Cancer"), not a listing."""
    plain_names: int = 0
    """Names of two or three words with nothing inside them ("Simon Vanlint", not "Simon Spedding  Editorial")."""
    trailing_prose: int = 0
    """Prose after the last name ("Ayoub D.  letter to the editor"): it ends the listing, it is not in it."""
    names_unread: bool = False
    """Pieces holding names were not guessed at (see `Reading.names_unread`)."""
    text: str = ""
    """The cleaned listing."""
    group_start: int | None = None
    """Where the last organisation's name starts in `text`, while it may go on."""

    def add(self, person: Person) -> None:
        self.people.append(person)
        self.trailing_prose = 0
        self.group_start = None


def _is_capitals(word: str) -> bool:
    return len(word) > 1 and word.isupper() and word.isalpha()


def _without_furniture(chunks: Sequence[_Chunk], tally: _Tally) -> list[_Chunk]:
    """The chunks without those holding only degrees, roles or honorifics ("MD", "Member, IEEE"),
    which are signs of a listing, not names. Capitals that may be initials ("MD", "MS") are a
    degree too in a run of such chunks ("Sheherazade, MD, MPH") or after a chunk ending in a degree
    ("Lebwohl, Benjamin MD, MS"); and so is one word in capitals after degrees, letters no list
    knows ("Moses S. Elisaf, MD, PhD, FASA, FRSH")."""
    degree_like = _FURNITURE | {_Kind.DEGREE_OR_INITIALS}
    kinds = [{word.kind for word in chunk.words} for chunk in chunks]
    kept: list[_Chunk] = []
    after_semicolon = False
    removed = False
    for index, chunk in enumerate(chunks):
        after_degree = removed or bool(kept) and kept[-1].words[-1].kind in (_Kind.DEGREE, _Kind.DEGREE_OR_INITIALS)
        before_degrees = index + 1 < len(chunks) and kinds[index + 1] <= degree_like
        unknown_letters = removed and len(chunk.words) == 1 and _is_capitals(chunk.words[0].text)
        removed = kinds[index] <= _FURNITURE or kinds[index] <= degree_like and (after_degree or before_degrees) or unknown_letters
        if removed:
            tally.evidence = True
            tally.signs += 1
            after_semicolon = after_semicolon or chunk.after_semicolon
            if kept:
                kept[-1].degrees_after = True
            continue
        if after_semicolon:
            chunk.after_semicolon = True
            after_semicolon = False
        kept.append(chunk)
    return kept


def _read_pair(family: _Chunk, given: _Chunk, listing: _Listing, tally: _Tally) -> None:
    given_parts = _parts(given, listing, given_names=True)
    family_text = " ".join(part.text for part in _parts(family, listing).parts)
    tally.add(Person(given=_given(given_parts.parts, trailing=True), family=family_text.rstrip(".")))
    tally.evidence = True
    tally.signs += 1


def _read_family_first(chunk: _Chunk, listing: _Listing, tally: _Tally, inverted: bool) -> bool:
    """Read a chunk family name first where the listing writes names so: a listing of (family,
    given) pairs, where two names without their comma are a pair too ("Dusek Jeffery"), or family
    names in capitals ("JIANG Chang-jiang", "HE Qian"). Whether the chunk was read so."""
    if not (inverted or listing.capitals_first) or _organisation(chunk) is not None:
        return False
    parts = _parts(chunk, listing).parts
    if inverted:
        if len(parts) != 2 or any(part.kind is not _Kind.NAME for part in parts):
            return False
    elif not (2 <= len(parts) <= 3 and _capitals_first(chunk)):
        return False
    given = " ".join(part.text.rstrip(".") for part in parts[1:])
    tally.add(Person(given=given, family=parts[0].text))
    return True


def _read_chunk(chunk: _Chunk, listing: _Listing, tally: _Tally) -> None:
    found = _parts(chunk, listing)
    if tally.group_start is not None and not (chunk.marked or chunk.after_stop) and all(p.kind is not _Kind.INITIALS for p in found.parts):
        # A group's name with commas in it: "; Italian Society for Osteoporosis, Mineral Metabolism
        # and Bone Diseases (SIOMMMS)" (its people come with initials: "…Consortium, Whittaker JC"),
        # but not past a full stop ("…Section on Breastfeeding. American Academy of Pediatrics …").
        literal = _GROUP_NAME_EDGES_RE.sub("", tally.text[tally.group_start : chunk.end])
        tally.people[-1] = Person(literal=literal)
        return
    organisation = _organisation(chunk)
    if organisation is not None:
        # a group after a ";" (or in PubMed's listing) ends it, and its name may hold commas; a group
        # first does not ("GTEx Consortium, Colby Chiang, …")
        ends_listing = chunk.after_semicolon and bool(tally.people) or listing.style is _Style.PUBMED
        tally.add(organisation[0])
        if ends_listing:
            tally.group_start = organisation[1]
        return
    style = listing.style
    tally.evidence = tally.evidence or found.furniture or chunk.marked and not found.prose
    tally.signs += found.furniture + (chunk.marked and not found.prose)
    if found.prose or not found.parts:
        if found.suffixes and tally.people and tally.people[-1].family:  # "Robert W. Heath, Jr."
            last = tally.people[-1]
            tally.people[-1] = Person(given=last.given, family=last.family, suffix=_suffix(next(iter(found.suffixes.values()))))
        elif found.prose or not found.furniture:
            tally.unread += 1
            # Prose after names ends the listing rather than spoils it ("Ayoub D.  letter to
            # the editor", "…, Joseph P Newhouse professor of health care policy and medicine"),
            # but not after one name ("Vitamin D, race, and pain", a title).
            forgiven = found.prose and (chunk.after_stop or len(tally.people) > 1)
            tally.trailing_prose += forgiven
        return
    if all(part.kind is _Kind.INITIALS for part in found.parts):
        # Capitals alone after given-first names are letters after a name ("M.D.", "SPE");
        # in a PubMed listing, initials without their family name ("Blaser M, J").
        tally.evidence = True
        tally.signs += 1
        tally.unread += style is _Style.PUBMED
        return
    if -1 in found.suffixes and tally.people and tally.people[-1].family:  # "WRIGHT, JR. WALTER"
        last = tally.people[-1]
        tally.people[-1] = Person(given=last.given, family=last.family, suffix=_suffix(found.suffixes[-1]))
    names = _cut(_with_particle_given(_with_glued_initials(found.parts, style), style), listing)
    if not names:
        tally.unread += 1
        return
    guessed = _guessed_names(names)
    if guessed:
        tally.names_unread = True
        names = [name for index, name in enumerate(names) if index not in guessed]
    # each name ends with its initials (or, in PubMed's listing, is a family name whose initials are
    # missing: "…, Discher T, Friese, Lohmeyer J"); names a lost comma left in one chunk ("Carnevale V
    # Mascia ML"), but not a sentence's end ("Heaney RP. Vitamin D: criteria …")
    tally.family_first = tally.family_first and all(
        (parts[-1].kind is _Kind.INITIALS or style is _Style.PUBMED and len(names) == len(parts) == 1)
        and (position == len(names) - 1 or not parts[-1].text.endswith("."))
        for position, (parts, _) in enumerate(names)
    )
    offset = 0
    for parts, cost in names:
        suffix = next((s for i, s in found.suffixes.items() if offset <= i < offset + len(parts)), None)
        offset += len(parts)
        # a lone word that is a whole name, but not letters no list knows ("…, PhD, FAFPHM, Associate Professor")
        named = chunk.degrees_after and not parts[0].text.isupper() or chunk.lettered or _is_one_word_name(parts)
        if cost >= _LONE_COST and not (chunk.marked or style is _Style.PUBMED or named):
            # One word, no sign of being a name: "Calcium", "Contributor"; where degrees follow
            # names, letters no list knows ("FAAO", "DipAppSc") are one more.
            word = parts[0].text
            if not (listing.degrees and len(parts) == 1 and (word.isupper() or sum(map(str.isupper, word)) > 1)):
                tally.unread += 1
            continue
        tally.add(_person(parts, suffix))
        initials = any(part.kind is _Kind.INITIALS for part in parts)
        tally.evidence = tally.evidence or initials
        tally.weak_names += cost >= _LONE_COST and not named
        tally.family_first_names += parts[-1].kind is _Kind.INITIALS
        tally.signs += parts[-1].kind is _Kind.INITIALS
        tally.given_first_plain_names += not initials and cost < _LONE_COST
        tally.plain_names += cost <= _PLAIN_NAME_COST and not any(part.hint for part in parts[1:])


def _guessed_names(names: Sequence[tuple[list[_Word], float]]) -> set[int]:
    """The names (their indices) of runs that only a guess cuts apart, where the chunk marks its other
    names apart (wide blanks, markers, line breaks) and those names differ in length: "Onur Akın  Emine
    Demet Akbaş  Aylin Kilinç Uğurlu Süleyman Tolga Yavuz  Şehri Elbeğ" marks names of two and of three
    words apart, so its third run may be two names of three words or three of two. Such a run is not
    read. Where the names marked apart are all as long, a run is read as names like them ("Qian He †
    Song Hu † Jun Xie Yunqi Ge Chong Li")."""
    marked = [index for index in range(1, len(names)) if names[index][0][0].hint]
    if not marked:
        return set()
    edges = [0, *marked, len(names)]
    runs = list(zip(edges, edges[1:]))
    lengths = {sum(part.kind is _Kind.NAME for part in names[start][0]) for start, end in runs if end == start + 1}
    if len(lengths) < 2:
        return set()

    def plain(name: list[_Word]) -> bool:  # initials show where a name ends: "Joe R. Davis Emily K. Tsang"
        return all(part.kind is not _Kind.INITIALS for part in name)

    guessed = [(start, end) for start, end in runs if any(plain(names[i - 1][0]) and plain(names[i][0]) for i in range(start + 1, end))]
    return {index for start, end in guessed for index in range(start, end)}


_GLUED_INITIALS_RE = re.compile(r"([A-Z][a-z]{2,})\.?([A-Z]{1,3})")


def _with_glued_initials(parts: list[_Word], style: _Style) -> list[_Word]:
    """A family name with its initials glued on, alone between separators of a PubMed listing:
    "HolickMF", "Pollack.S" (not "PharmD", a degree)."""
    glued = _GLUED_INITIALS_RE.fullmatch(parts[0].text) if style is _Style.PUBMED and len(parts) == 1 else None
    if glued is None or bare(parts[0].text) in DEGREES:
        return parts
    return [_Word(glued.group(1), _Kind.NAME, parts[0].hint), _Word(glued.group(2), _Kind.INITIALS)]


def _with_particle_given(parts: list[_Word], style: _Style) -> list[_Word]:
    """A given name that is also a particle, before a family name alone, in a listing of given names
    first: "Di Zhao", "Van Nguyen" (not a family name "Di Zhao" without given names)."""
    if style is _Style.GIVEN_FIRST and [part.kind for part in parts] == [_Kind.PARTICLE, _Kind.NAME] and not parts[0].text.islower():
        return [_Word(parts[0].text, _Kind.NAME, parts[0].hint), parts[1]]
    return parts


_ONE_WORD_NAME_RE = re.compile(r"[A-Z][a-z]+-(?:ul|ud|al|el|ur|un)-[A-Z][a-z]+")


def _is_one_word_name(parts: Sequence[_Word]) -> bool:
    """"Ehtisham-ul-Haq", "Zia-ud-Din": a whole name in one word, as some authors write theirs."""
    return len(parts) == 1 and _ONE_WORD_NAME_RE.fullmatch(parts[0].text) is not None


_LOWER_WORD_RE = re.compile(r"(?<![\w@.'’-])[a-z][a-z]+\b(?![@.'’-]\w)")
_SPOKEN_WORDS = PARTICLES | CONJUNCTIONS | ROLES | NOTES | {"al", "behalf", "others"}
_INITIAL_STOP_RE = re.compile(r"(?<=\b[A-Z])\.\s+(?=[a-z])")
_PROSE_SHARE = 0.5
"""Lines where more than this share of the words are lower-case words (not particles, roles or
notes) are prose or titles: rejected before any cleaning, as most lines near a DOI are."""


def _is_prose(line: str, cleaned: bool = False) -> bool:
    """Prose or a title, told cheaply: many lower-case words (checked before any cleaning); once
    cleaned, a function word ("in", "with") where no group or role can hold one ("Panel on …",
    "professor of medicine")."""
    head = _INITIAL_STOP_RE.split(_LEADING_BY_RE.sub("", line), maxsplit=1)[0]  # "Ayoub D.  letter to the editor"
    lower = [word for word in _LOWER_WORD_RE.findall(head) if word not in _SPOKEN_WORDS]
    if not cleaned:
        return len(lower) > 3 and len(lower) > _PROSE_SHARE * len(head.split())
    head = re.split(r"[,;]", head, maxsplit=1)[0]  # a group's name may end a listing: "…; Urologic Diseases in America Project"
    lower = _LOWER_WORD_RE.findall(head)
    if FUNCTION_WORDS.isdisjoint(lower) or "behalf" in head:
        return False
    named = {bare(word) for word in _WORD_RE.findall(head)}
    return ORGANISATION_WORDS.isdisjoint(named) and ROLES.isdisjoint(named)


@functools.lru_cache(maxsize=4096)
def read_listing(line: str) -> Reading:
    """Read one line (or several joined) as an author listing: the people in order, whether the
    list is cut short ("et al.", "…", "and others"), and whether the line lists authors at all."""
    if len(line) > _MAX_LISTING_CHARS or _NOT_A_LISTING_RAW_RE.search(line) or _is_prose(line):
        return _NOT_A_LISTING
    text = clean_listing(line)
    if _NOT_A_LISTING_RE.search(text) or _is_prose(text, cleaned=True):
        return _NOT_A_LISTING
    words = [bare(word) for word in _WORD_RE.findall(text)]
    if not AFFILIATION_WORDS.isdisjoint(words) or sum(w in FUNCTION_WORDS for w in words) > len(words) // 2:
        return _NOT_A_LISTING
    return _read_family_initials(text) or _read_given_first(text) or _read(text, line)


# The commonest listings, PubMed's ("Holick MF, Chen TC1, Heaney RP & Cooper C."), APA's
# ("Kumari, M., Khazai, N.B., and Tangpricha, V.") and plain given names first ("Nasser M
# Al-Daghri, Khalid M Alkharfy1 and George Chrousos"), read in one pass of regular expressions: the
# names `_read` gives for them (tests/test_names.py compares the two on every line of the corpus),
# several times faster, for most lines near a DOI are like them.
_PUBMED_WORD = r"[A-ZÀ-ÖØ-Þ](?:[A-Za-zà-öø-ÿ]|['’-](?=[A-Za-zà-öø-ÿ]))+"
_FAMILY = rf"((?:[a-z]{{1,4}} |{_PUBMED_WORD} )*{_PUBMED_WORD})"
_LAST_NAME_JOINED = r"(?P<conjunction>,? (?:&|and) )"
_PUBMED_NAME = rf"{_FAMILY} ([A-Z]{{1,3}})\d*"
_PUBMED_NAME_RE = re.compile(_PUBMED_NAME)
_PUBMED_LISTING_RE = re.compile(
    rf"{_PUBMED_NAME}(?:, {_PUBMED_NAME})*(?:{_LAST_NAME_JOINED}{_PUBMED_NAME})?(?P<cut>,?\s*…)?\.?"
)
_APA_NAME = rf"{_FAMILY}, ([A-Z]\.(?:[ -]?[A-Z]\.){{0,2}})"
_APA_NAME_RE = re.compile(_APA_NAME)
_APA_LISTING_RE = re.compile(rf"{_APA_NAME}(?:, {_APA_NAME})*(?:{_LAST_NAME_JOINED}{_APA_NAME})?")


def _read_family_initials(text: str) -> Reading | None:
    """`text` read as a plain PubMed or APA listing (family names, then initials), or None when it
    is not one."""
    text = text.strip()
    match = _PUBMED_LISTING_RE.fullmatch(text)
    name_re = _PUBMED_NAME_RE
    if match is None:
        match = _APA_LISTING_RE.fullmatch(text)
        name_re = _APA_NAME_RE
        if match is None:
            return None
    if match.group("conjunction"):  # "… Kiel DP & Henschkowski J.": "&" and "and" are no particle
        text = f"{text[: match.start('conjunction')]}, {text[match.end('conjunction') :]}"
    people = []
    for family, initials in name_re.findall(text):
        words = family.split()
        kinds = [_kind(word, False) for word in words]
        if kinds[-1] is not _Kind.NAME or kinds.count(_Kind.NAME) > 2 or bare(initials) in IDENTIFIER_WORDS or _kind(initials, False) is _Kind.SUFFIX or any(
            kind not in (_Kind.NAME, _Kind.PARTICLE) or bare(word) in ORGANISATION_WORDS for word, kind in zip(words, kinds)
        ):
            return None  # honorifics, groups, glued names, long names, "FREE PDF", "III": the general reader decides
        people.append(Person(given=_initials(initials), family=family))
    truncated = "cut" in match.groupdict() and match.group("cut") is not None
    return Reading(tuple(people), truncated, True, True, whole=True, shown=len(people) >= _SIGNS_SHOWN or truncated)


_INITIAL = r"[A-Z]\.?"
_GIVEN_FIRST_TOKEN = rf"(?:{_PUBMED_WORD}|{_INITIAL})"
_MARKERS = r"(?: ?[\d*†‡]+(?:, ?[\d*†‡]+)*)?"  # "Annweiler 1,2,*", "Cleary 2, 3"
_GIVEN_FIRST_NAME = rf"{_GIVEN_FIRST_TOKEN}(?: {_GIVEN_FIRST_TOKEN}){{1,2}}{_MARKERS}"
_GIVEN_FIRST_LISTING_RE = re.compile(rf"{_GIVEN_FIRST_NAME}(?:(?:, |,? and ){_GIVEN_FIRST_NAME})+\.?")
_GIVEN_FIRST_NAME_RE = re.compile(_GIVEN_FIRST_NAME)


def _read_given_first(text: str) -> Reading | None:
    """`text` read as a plain listing of two names or more, given names first, or None."""
    text = text.strip()
    if not _GIVEN_FIRST_LISTING_RE.fullmatch(text):
        return None
    people = []
    marked = 0
    for name in _GIVEN_FIRST_NAME_RE.findall(text):
        core = name.rstrip("0123456789*†‡, ")
        marked += core != name
        words = core.split()
        kinds = [_kind(word, False) for word in words]
        if kinds[-1] is not _Kind.NAME or any(
            kind not in (_Kind.NAME, _Kind.INITIALS) or bare(word) in CAPITALISED_GIVEN or kind is _Kind.NAME and word.isupper()
            for word, kind in zip(words, kinds)
        ):
            return None  # particles, degrees, capitals ("JIANG Chang-jiang"), glued names: the general reader decides
        given = " ".join(_initials(w) if k is _Kind.INITIALS and "." not in w else w for w, k in zip(words, kinds[:-1]))
        people.append(Person(given=given, family=words[-1]))
    people = _without_glued_letters(people, _Listing(_Style.GIVEN_FIRST, True, False, False), 0)
    return Reading(tuple(people), False, True, False, whole=True, shown=marked >= _SIGNS_SHOWN)


def _without_glued_names(chunks: list[_Chunk]) -> tuple[list[_Chunk], bool]:
    """The chunks but those holding names glued into one word ("ArchanaMonyaLaxmisha"), never guessed
    at, and whether there were any. The whole chunk goes: the words beside a glued one are often glued
    names too, only shorter ("XianrongXua#GeShaoab#XuZhangaYanHua…")."""
    read = [chunk for chunk in chunks if all(word.kind is not _Kind.GLUED for word in chunk.words)]
    return read, len(read) < len(chunks)


def _read(text: str, line: str) -> Reading:
    """Read a cleaned listing (`line` as written): chunks, the listing's style, then each chunk."""
    chunks, truncated = _Splitter(text, _upper(text)).split()
    chunks, glued = _without_glued_names(chunks)
    introduced = "@" in line or _LEADING_BY_RE.match(line) is not None
    tally = _Tally(evidence=introduced, signs=2 * introduced, text=text, names_unread=glued)
    kept = _without_furniture(chunks, tally)
    listing = _listing(chunks)
    paired, inverted = _pairs(kept, listing)
    for chunk, given in paired:
        if given is not None:
            _read_pair(chunk, given, listing, tally)
        elif not _read_family_first(chunk, listing, tally, inverted):
            _read_chunk(chunk, listing, tally)
    people = tally.people
    unread = tally.unread - tally.trailing_prose + tally.weak_names
    if not people or unread > _UNREAD_SHARE * (len(people) + unread - tally.weak_names):
        # names never guessed at make the line a listing still, one whose names are not read
        return Reading((), truncated, True, names_unread=True) if tally.names_unread else _NOT_A_LISTING
    if tally.family_first_names and tally.given_first_plain_names and len(people) <= _MIXED_STYLES_MAX:
        return _NOT_A_LISTING
    if len(people) == 1 and not (tally.evidence or truncated):
        # A name, or a phrase in capitals ("Review Article"): the page's layout decides.
        alone = len(kept) == 1 and (tally.plain_names == 1 or people[0].is_organisation)
        return Reading(tuple(people), False, False, lone_name=alone, names_unread=tally.names_unread)
    whole = tally.unread == 0 and not tally.names_unread
    shown = tally.signs >= _SIGNS_SHOWN or truncated
    people = _without_glued_letters(people, listing, len(_LONE_MARKER_LETTERS_RE.findall(text)) if "," in text else 0)
    return Reading(tuple(people), truncated, True, tally.family_first, whole=whole, shown=shown, names_unread=tally.names_unread)


_GLUED_LETTERS = frozenset("abcdfgh")
"""Affiliation letters that pages copied from Elsevier glue to family names ("Pillarb", "Kalyanic")."""
_TELLING_GLUED_LETTERS = frozenset("bcf")
"""Of those, the ones few family names end with (many end in a, d, h or g: "Garcia", "Wang")."""
_MIN_GLUED_NAMES = 4
_MIN_TELLING_LETTERS = 2  # "Conic, Piliang, Bergfeld, Atanaskova-Mesinkovska" are real names
_LONE_MARKER_LETTERS_RE = re.compile(r"(?:,\s*[a-h](?=\s*(?:,|$)))+")
"""Letters written apart after a name: "Z. Aryana, b, A. Esteghamatia", "Maghzia, c, f, Mohammad-Ali …"."""


def _without_glued_letters(people: list[Person], listing: _Listing, lone_letters: int) -> list[Person]:
    """Family names without the affiliation letter glued to each of them: "Miriam G. Garcia-Lopesa,
    Roberta Pillarb, …" -> Garcia-Lopes, Pillar. Only when every given-first family name ends in
    such a letter, and two of them are telling letters, or letters written apart (`lone_letters`:
    how many runs of them) mark the listing elsewhere ("Aryana, b,"): one name's last letter is
    never taken on a guess ("Stephanie J. Kalb, c," and "Stefan Pilzc, d," look alike), and where
    every name has letters written apart ("Anne Greene, a, Mark Lowe, b, …"), none has one glued."""
    families = [p.family for p in people if p.family and not p.is_organisation]
    if listing.style is not _Style.GIVEN_FIRST or len(families) < _MIN_GLUED_NAMES or lone_letters >= len(families):
        return people
    telling = sum(family[-1] in _TELLING_GLUED_LETTERS for family in families)
    # "e" ends too many family names to be taken for a letter on less than both signs at once
    # ("Amir-Hadi Maghzia, c, f, Mohammad-Ali Sahraiane, Vahid Shaygannejadc, d, Alireza Minagarb").
    both_signs = lone_letters > 0 and telling >= _MIN_TELLING_LETTERS
    letters = _GLUED_LETTERS | {"e"} if both_signs else _GLUED_LETTERS
    glued = all(len(f) > 3 and f[-1] in letters and f[-2].islower() for f in families)
    if not glued or not (lone_letters or telling >= _MIN_TELLING_LETTERS):
        return people
    return [
        Person(given=p.given, family=p.family[:-1], suffix=p.suffix) if p.family and not p.is_organisation else p
        for p in people
    ]


def parse_author_list(text: str) -> tuple[tuple[Person, ...], bool]:
    """The people an author listing names, in order, and whether it is cut short ("et al.")."""
    reading = read_listing(text)
    return reading.people, reading.truncated


def looks_like_author_list(line: str) -> bool:
    """Whether a line lists authors (see `read_listing`)."""
    return read_listing(line).is_listing


def parse_name(text: str) -> Person | None:
    """One name as written ("N. Alonso", "McDonnell SL", "van Schoor NM",
    "World Health Organization") -> Person, or None when nothing is left."""
    text = clean_listing(text)
    chunks, _ = _Splitter(text, _upper(text)).split()
    if not chunks:
        return None
    chunk = _Chunk([word for chunk in chunks for word in chunk.words], text.strip(" .,;:*"))
    organisation = _organisation(chunk)
    if organisation is not None:
        return organisation[0]
    parts = _parts(chunk, _listing([chunk])).parts
    if not any(part.kind is _Kind.NAME for part in parts):
        return Person(family=" ".join(part.text for part in parts)) if parts else None
    return _person(parts, None)


# Where the names opening a reference entry may end: "Holick MF, Chen TC. Vitamin D…", "Cameron
# ID, … et al. Interventions…", "Ceglia, L.; Harris, S.S. Vitamin D…", "Feister U (2008) Europe's…", "Vieth R.(1999) …",
# "Vieth R, Fraser D, Kooh SW 1987 Low dietary …", "Li YC: Vitamin D…", Wikipedia's "Ginde AA, Camargo CA (February 2009). …",
# "McCarty MF, Dinicolantonio JJ, “The molecular …”"; a full stop inside APA names is none ("Yang, H., Lee, S. M., Gao, B.").
_REFERENCE_END_RE = re.compile(
    r"(?<=\S)\.\s+(?=[^\s&,;])(?![A-Z]\.|[^\W\d_][\w'’-]*,\s*[A-Z]\.)|(?<=\S)\.(?=\((?:19|20)\d\d)|(?<=\S):\s"
    r"|\s\((?=(?:[A-Z][a-z]{2,8}\.? )?(?:19|20)\d\d)|(?<=[A-Z])\s+(?=(?:19|20)\d\d\s)|\bet\.?\s*al\b\.?:?|,\s*(?=[“\"])"
)
_REFERENCE_START_RE = re.compile(
    r"^\s*(?:[*+-]\s+)?(?:(?:[(\[]?\d+[)\]]?\s?[.)]?|[(\[][ivxlc]+[)\]]|[ivxlc]+[.)])\s*)?(?:(?:citation|evaluation of|comment(?:ary)? on):\s*)?", re.I
)
"""Numbering before a reference's names: "* 12. ", "12) ", "[18] ", "(1) ", "[I] ", "iv. ", "3 .", and labels: "Citation: ",
"Evaluation of: " (on the line of the DOI of the work it names);
a roman numeral only in brackets or before a stop ("Li H, Chen T." opens with a name)."""
_TITLE_START_RE = re.compile(r"^(?:\(?(?:19|20)\d\d[a-z]?\)?[.:]?\s+)?[\"“'‘(\[]?[^\W\d_][^\s.]*(?:\s+[^\s.]+){2}")
"""Three words before any period: the title that follows a reference's names (not "J. 2013;12:1")."""
_MAX_REFERENCE_AUTHORS_CHARS = 3000
# How a reference's names open: "Holick MF", "van der Rhee H", "Wamberg, L.", "Bischoff-Ferrari,
# H.A.", "Mitchell, D. (2011)", "McCarty MF1,": a family name of up to three words, then initials.
_REFERENCE_OPENING_RE = re.compile(r"^[^\W\d_][\w'’-]*(?:\s[^\W\d_][\w'’-]*){0,2},?\s+(?:[^\W\d_a-z]\.?-?){1,3}(?:\d{1,2}(?=,\s*[^\W\d_][\w'’-]*\s+[A-Z]{1,3}\d*[,.\s]))?[\s,.;:]")


# Names opening a reference entry with initials first, the title after a comma ("6. L. Ceglia,
# D.A. Rivas, …, B. Dawson-Hughes, Effects of alkali supplementation …", Hindawi's "1. D. Bikle,
# “Nonclassic actions of vitamin D,” …"): each name is initials and
# a family name, its last word capitalised.
_INITIALS_FIRST_NAME = r"(?:[A-Z]\.[ -]?)+(?:[a-z]{1,4} )*[A-Z][\w'’-]+"
_INITIALS_FIRST_OPENING_RE = re.compile(
    rf"{_INITIALS_FIRST_NAME}(?:(?:, |,? (?:and|&) ){_INITIALS_FIRST_NAME})*(?:,? et al(?=\.? |\.?,))?(?=\.?, (?:[^\W\d_]|[“\"])|[.:] |\s\((?:19|20)\d\d)"
)


def reference_authors(line: str) -> Reading:
    """The author listing that opens a reference entry ("1. Holick MF, Chen TC. Vitamin D…",
    "6. L. Ceglia, D.A. Rivas, …, Effects of alkali …"): names ending where "et al.", a year in
    brackets, or a title follows."""
    text = _REFERENCE_START_RE.sub("", page_plain(line) if "<" in line else line, count=1)
    if not _REFERENCE_OPENING_RE.match(text):
        initials_first = _INITIALS_FIRST_OPENING_RE.match(text)
        if initials_first is None or not _TITLE_START_RE.match(text[initials_first.end() :].lstrip(",.: ")):
            return _NOT_A_LISTING
        reading = read_listing(initials_first.group())
        return reading if reading.is_listing and not reading.family_first else _NOT_A_LISTING
    ends = [match for match in _REFERENCE_END_RE.finditer(text) if match.start() <= _MAX_REFERENCE_AUTHORS_CHARS]
    for position, match in enumerate(ends):
        cut_short = match.group().startswith("et")
        reading = read_listing(_reference_prefix(text, match))
        if not (reading.is_listing and reading.family_first):
            continue
        if cut_short or len(reading.people) > 1:
            return _without_title_echo(reading, text[match.end() :])
        # One name, then a title ("Holick MF. Vitamin D deficiency."), unless the names go on
        # past that full stop, with a separator ("Sean G. Byars, Stephen C. Stearns, Jacobus J.
        # Boomsma: …", not "Heaney RP. Vitamin D: criteria …").
        following = ends[position + 1] if position + 1 < len(ends) else None
        going_on = following is not None and _NAMES_GO_ON_RE.search(text, match.end(), following.start()) is not None
        longer = read_listing(_reference_prefix(text, following)) if going_on else _NOT_A_LISTING
        if _TITLE_START_RE.match(text[match.end() :]) and len(longer.people) <= len(reading.people):
            return reading
    if not ends:
        # The names fill the line, the title on the next ("89. Thieden E, Philipsen PA, Wulf HC." / "Vitamin D level …")
        reading = read_listing(text.strip())
        if reading.is_listing and reading.family_first and reading.whole:
            return reading
    return _NOT_A_LISTING


_NAMES_GO_ON_RE = re.compile(r",|&|\band\b")


def _without_title_echo(reading: Reading, title: str) -> Reading:
    """The names without a last "name" that the title after them repeats: PubMed's exports sometimes
    put the title's first words among the authors ("Holick MF, Vitamin D. Vitamin D: A millenium
    perspective.", "Cantorna MT, Vitamin D. Vitamin D, multiple sclerosis …")."""
    last = reading.people[-1]
    if last.family and last.given and title.startswith(f"{last.family} {last.given[0]}"):
        return replace(reading, people=reading.people[:-1], whole=False)
    return reading


def _reference_prefix(text: str, end: re.Match[str]) -> str:
    return (text[: end.end()] if end.group().startswith("et") else text[: end.start() + 1]).strip()


# ------------------------------------------------------------------ matching


def _spellings(normalised: str) -> frozenset[str]:
    """Ways one normalised family name may be written: with and without spaces,
    and with German umlauts written out ("mueller") or dropped ("muller")."""
    compact = normalised.replace(" ", "")
    folded = compact.replace("ue", "u").replace("oe", "o").replace("ae", "a")
    return frozenset({compact, folded})


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
    core = [w for w in words if w not in PARTICLES] or words
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
    core_family = " ".join(w for w in family.split() if w not in PARTICLES) or family
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


def match_authors(listed: Sequence[Person], work: Sequence[Person], truncated: bool, *, unread: bool = False) -> AuthorMatch:
    """Compare the authors a page lists with a work's authors. `unread`: the listing held names
    refkit did not guess at (`Reading.names_unread`), any of the work's authors among them: none is missing."""
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
    missing = () if unread else tuple(work[j] for j in _missing_indices(unmatched, matched_work, truncated, work))
    return AuthorMatch(
        matched=matched,
        missing=missing,
        extra=extra,
        misspelled=misspelled,
        order_differs=order != matched_work,
        truncated=truncated and bool(order) and bool(unmatched),
    )
