"""Property tests (hypothesis): the parsers never raise on any text, page reading raises only
PageError on any bytes, and every export format stays parseable on any Work text. Deterministic
(derandomize) and modest, so the file runs in seconds. Works here are synthetic."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refkit.config import Settings
from refkit.doi import find_dois
from refkit.errors import PageError
from refkit.exports import FORMATS, render
from refkit.model import PageLink, Person, Reference, Work
from refkit.names import looks_like_author_list, match_authors, normalise_name, parse_author_list, parse_name
from refkit.pages import read_page

FUZZ = settings(max_examples=150, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what the parsers look for, mixed with anything at all.
DOI_PIECES = st.sampled_from(
    ["10.", "1000", "10.1016/", "j.bone", "/", "doi:", "https://doi.org/", "dx.doi. org/", "%2F", "(", ")", "[", "]",
     "<", ">", ";", ".", ",", " ", "\n", "-", "_", "#", "?", "&amp;", "\u00a0", "S0140-6736(20)30183-5", "ß", "İ"]
)  # fmt: skip
DOI_TEXT = st.lists(st.one_of(DOI_PIECES, st.text(max_size=8)), max_size=30).map("".join)
FRONT = st.sampled_from(["", "---\n", "+++\n", "{\n", "\ufeff---\n", "---\r\n"])
END = st.sampled_from(["", "---\n", "+++\n", "}\n", "\n}\n"])
PAGE_BYTES = st.one_of(
    st.binary(max_size=300),
    st.tuples(FRONT, st.text(max_size=80), END, DOI_TEXT).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
)
NAME_PIECES = st.sampled_from(
    ["Smith", "J.", "JA", "van der", "de", "Jr", "III", "PhD", ",", ";", " and ", " & ", "et al.", "*", "1", "†", "(", ")",
     "Müller", "O'Brien", "Ng", "李", "World Health Organization", " ", "\n", "-"]
)  # fmt: skip
NAME_TEXT = st.lists(st.one_of(NAME_PIECES, st.text(max_size=6)), max_size=20).map("".join)


@FUZZ
@given(DOI_TEXT)
def test_find_dois_never_raises_and_its_matches_are_consistent(text: str) -> None:
    matches = find_dois(text)
    end = 0
    for match in matches:
        assert 0 <= match.start < match.end <= len(text) and match.start >= end
        assert match.raw == text[match.start : match.end]
        assert match.doi == match.doi.lower() and match.doi == match.doi.strip()
        assert match.broken or match.doi.startswith("10.")
        end = match.end


@pytest.fixture(scope="module")
def page_folder() -> Path:
    with tempfile.TemporaryDirectory(prefix="refkit-fuzz-") as folder:
        yield Path(folder)


@FUZZ
@given(PAGE_BYTES)
def test_read_page_raises_only_page_error(page_folder: Path, content: bytes) -> None:
    path = page_folder / "page.md"
    path.write_bytes(content)
    try:
        page = read_page(path, Settings())
    except PageError as error:
        assert str(error).startswith(str(path)) and "\n" not in error.reason
    else:
        assert page.file == str(path) and page.body_line >= 1


@FUZZ
@given(NAME_TEXT, NAME_TEXT)
def test_name_parsing_never_raises_and_a_list_matches_itself(first: str, second: str) -> None:
    looks_like_author_list(first)
    person = parse_name(first)
    assert person is None or person.family or person.literal or person.given
    normalised = normalise_name(first)
    assert normalise_name(normalised) == normalised  # a normal form: folding it again changes nothing
    people, truncated = parse_author_list(first)
    others, _ = parse_author_list(second)
    match_authors(people, others, truncated)
    # Whatever a line is read as, those authors are the same authors as themselves, in the same order.
    itself = match_authors(people, people, False)
    assert itself.ok and list(itself.matched) == list(zip(people, people)), itself


# --- exports of arbitrary (synthetic) Work text -----------------------------------------------------

TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["{", "}", "\\", "%", "$", "&", "#", "_", "~", "^", "@comment{", r"\input{x}", "<i>", "</i>",
                              "<sub>", "\x00", "\u202e", " and ", ",", "--", "``", "A", "é"]), max_size=15).map("".join),
)  # fmt: skip
PERSON = st.builds(Person, given=st.none() | TEXT, family=TEXT)
WORK = st.builds(
    Work,
    doi=st.from_regex(r"10\.5555/synthetic\.[a-z0-9.()_-]{1,12}", fullmatch=True),
    type=st.sampled_from(["journal-article", "book", "book-chapter", "dissertation", "other"]),
    title=st.none() | TEXT,
    authors=st.lists(PERSON, max_size=3).map(tuple),
    container_title=st.none() | TEXT,
    publisher=st.none() | TEXT,
    volume=st.none() | TEXT,
    pages=st.none() | TEXT,
    issued=st.sampled_from([(), (2020,), (1999, 12, 31)]),
)
PAGES = st.lists(st.builds(PageLink, url=st.just("https://wiki.example/") | TEXT.map(lambda t: "https://wiki.example/" + t), title=st.none() | TEXT), max_size=2)
RIS_LINE = re.compile(r"[A-Z][A-Z0-9]  - [^\x00-\x1f\x7f-\x9f\u2028\u2029]*")


@pytest.fixture(scope="module")
def csl_schema() -> dict[str, object]:
    from conftest import SHARED

    return json.loads((SHARED / "schemas" / "csl-data.json").read_text("utf-8"))


@FUZZ
@given(WORK, PAGES, st.booleans())
def test_every_format_stays_parseable_on_any_work_text(csl_schema, work: Work, pages: list[PageLink], verified: bool) -> None:
    import bibtexparser
    import jsonschema

    from refkit.exports.ris import parse

    reference = Reference(work, tuple(pages), verified=verified)
    library = bibtexparser.parse_string(render([reference], FORMATS["bibtex"]))
    assert not library.failed_blocks and len(library.blocks) == len(library.entries) == 1
    assert library.entries[0].fields_dict["doi"].value == work.doi
    items = json.loads(render([reference], FORMATS["csljson"]))
    jsonschema.validate(items, csl_schema)
    assert [item["DOI"] for item in items] == [work.doi]
    ris = render([reference], FORMATS["ris"])
    assert all(RIS_LINE.fullmatch(line) for line in ris.split("\n") if line)
    assert [dict(record)["DO"] for record in parse(ris)] == [work.doi]


LATEX_HOSTILE = st.lists(
    st.sampled_from(["{", "}", "\\", "%", "$", "&", "#", "_", "@comment{", r"\input{x}", "<i>", "</i>", "<sub>", "</sub>",
                     "a", "B", " ", "é", "DNA", "x", "\x07"]),
    max_size=14,
).map("".join)  # fmt: skip
"""Text that is hard on a LaTeX writer (`^` and `~` left out: pylatexenc decodes them as other characters)."""


@FUZZ
@given(LATEX_HOSTILE, LATEX_HOSTILE)
def test_bibtex_text_decodes_back_to_what_was_written(title: str, family: str) -> None:
    import bibtexparser
    from pylatexenc.latex2text import LatexNodes2Text
    from test_hostile import expected_text

    decode = LatexNodes2Text().latex_to_text
    work = Work(doi="10.5555/synthetic.latex", type="journal-article", title=title, container_title=title,
                authors=(Person(given="Ann", family=family),) if family.strip() else ())  # fmt: skip
    fields = bibtexparser.parse_string(render([Reference(work, (), verified=True)], FORMATS["bibtex"])).entries[0].fields_dict
    for name in ("title", "journal"):
        written = " ".join(decode(fields[name].value).split()) if name in fields else ""
        assert written == expected_text(title)
    if "author" in fields:
        assert " ".join(decode(fields["author"].value).split()) == expected_text(family, markup=False) + ", Ann"
