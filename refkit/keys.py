"""Citation keys: readable, unique and stable.

A key is family name + year + first significant title word, ASCII-folded and lower-case
(`alonso2022role`); `anon` stands for a missing name, and a work known only by its identifier gets
`doi-` and the DOI's suffix (`doi-s0019800416586`), or `pmid-…` / `pmcid-…`. Keys already in the
file being overwritten are kept for their works, and a key once given to a work is never handed to
another one in the same run; new works that would collide get a suffix a, b, ... in the order of
their ids (`work_id`), so the same input always gives the same keys."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, count, product
from string import ascii_lowercase

from .doi import normalise as normalise_doi
from .folding import fold
from .markup import plain
from .model import Person, Reference, Work
from .wordlists import PARTICLES

_NOT_KEY_CHARACTER = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STOPWORDS = frozenset(
    """a an the and or but nor of on in at to for from by with without within into onto about
    above after against among around as before behind below between beyond during over per
    since than through toward towards under until upon via vs versus is are was were be been
    being do does did how what when where which who whom whose why this that these those its
    their our your his her it we you they not no can could should would may might will shall
    der die das ein eine und le la les un une des et el los las una y il lo gli""".split()
)
# Keys read back from an existing file are kept only if every consumer can cite them as they are:
# BibTeX, pandoc (`@key`) and LaTeX.
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_:.+/-]*[A-Za-z0-9_])?$")


def work_id(work: Work) -> str:
    """The id keys are kept under: the normalised DOI, else `pmid:…`, else `pmcid:…`."""
    return normalise_doi(work.doi) if work.doi else work.key


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: accents dropped, other characters removed."""
    return _NOT_KEY_CHARACTER.sub("", fold(text))


def _name_part(person: Person) -> str:
    if person.family:
        words = person.family.split()
        # "van der Berg" is filed under Berg; a name that is all particles stays whole.
        while len(words) > 1 and words[0].lower() in PARTICLES:
            words = words[1:]
        return ascii_fold("".join(words))
    text = person.literal or person.given or ""
    return next((folded for word in _WORD.findall(text) if (folded := ascii_fold(word))), "")


def _title_word(title: str | None) -> str:
    words = _WORD.findall(plain(title))
    significant = (word for word in words if word.lower() not in _STOPWORDS)
    return next((folded for word in significant if (folded := ascii_fold(word))), "")


def base_key(work: Work) -> str:
    """The key before any disambiguation suffix."""
    people = work.authors or work.editors
    name = next((part for person in people if (part := _name_part(person))), "")
    year = str(work.year) if work.year else ""
    title_word = _title_word(work.title)
    if not (name or year or title_word):
        # Nothing but the identifier is known (offline, and the page lists nothing): a key from it
        # is as stable and far more telling than "anon" with a counter.
        if work.doi:
            return "doi-" + ascii_fold(work.doi.partition("/")[2])[:24]
        return "pmid-" + ascii_fold(work.pmid) if work.pmid else "pmcid-" + ascii_fold(work.pmcid or "")
    return f"{name or 'anon'}{year}{title_word}"


def _normalised_id(identifier: str) -> str:
    return identifier if identifier.startswith(("pmid:", "pmcid:")) else normalise_doi(identifier)


def _suffixes() -> Iterator[str]:
    """a, b, ..., z, aa, ab, ..."""
    for length in count(1):
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)


def assign_keys(references: Iterable[Reference], existing: Mapping[str, str] | None = None) -> dict[str, str]:
    """A key for every reference's work id (`work_id`). `existing` maps work ids to the keys the file
    being overwritten holds; those are kept when they are safe to cite and not claimed twice."""
    dois = sorted({work_id(reference.work): reference.work for reference in references}.items())
    existing_by_doi = {_normalised_id(doi): key for doi, key in sorted((existing or {}).items())}
    wanted = {doi for doi, _ in dois}
    # Every key in the old file stays reserved for its DOI, even a DOI no longer cited.
    taken: dict[str, str] = {}
    for doi, key in sorted(existing_by_doi.items(), key=lambda item: (item[0] not in wanted, item[0])):
        if _SAFE_KEY.match(key) and key.lower() not in taken:
            taken[key.lower()] = doi
    keys: dict[str, str] = {}
    for doi, _ in dois:
        key = existing_by_doi.get(doi)
        if key is not None and taken.get(key.lower()) == doi:
            keys[doi] = key
    for doi, work in dois:
        if doi in keys:
            continue
        base = base_key(work)
        candidates = (base + suffix for suffix in chain([""], _suffixes()))
        key = next(candidate for candidate in candidates if candidate not in taken)
        taken[key] = doi
        keys[doi] = key
    return keys
