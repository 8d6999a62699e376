"""Hostile and broken input, through refkit run as its own process: every page is read or skipped
with one line naming the file (and line), the exit status says so, and nothing ends in a traceback.
The pages are generated (tests/hostile.py); Crossref records with hostile text are synthetic."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hostile import LONG_LINE_DOIS, HostilePage, hostile_pages
from refkit_process import file_permissions_apply, refkit_env, run_refkit

from refkit.model import Page
from refkit.scan import scan_page


@pytest.fixture(scope="module")
def hostile_wiki(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[HostilePage]]:
    root = tmp_path_factory.mktemp("hostile") / "wiki"
    root.mkdir()
    return root, hostile_pages(root)


def test_a_line_of_thousands_of_dois_is_scanned() -> None:
    """Each DOI's listing used to re-read its whole line: 3,000 DOIs on one line took ~20 s."""
    synthetic_dois = [f"10.5555/synthetic.{number}" for number in range(3000)]
    body = "Above.\n" + " ".join(f"see {doi}" for doi in synthetic_dois) + "\n"
    page = Page(file="a.md", url="/a/", title=None, slug=None, date=None, tags=(), categories=(), body=body, body_line=4)
    citations = scan_page(page)  # how long it takes: benchmarks/long_line_bench.py
    assert [citation.doi for citation in citations] == synthetic_dois
    assert {citation.line for citation in citations} == {5}
    assert [citation.column for citation in citations[:2]] == [5, 5 + len(f"see {synthetic_dois[0]} ")]


def _skip_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("refkit: skipped ")]


def _assert_every_page_accounted_for(root: Path, expected: list[HostilePage], stderr: str) -> None:
    assert "Traceback" not in stderr
    skips = _skip_lines(stderr)
    for page in expected:
        where = f"{root / page.name}:{page.line}" if page.line else str(root / page.name)
        mine = [line for line in skips if line.startswith(f"refkit: skipped {where}: ")]
        if page.skipped is None:
            assert not [line for line in skips if f"{root / page.name}:" in line or line.endswith(str(root / page.name))]
        else:
            assert len(mine) == 1 and page.skipped in mine[0], (page, skips)
    assert len(skips) == sum(page.skipped is not None for page in expected)


def _expected_dois(root: Path, expected: list[HostilePage]) -> set[tuple[str, str]]:
    return {(str(root / page.name), doi) for page in expected for doi in page.dois}


def test_scan_reads_or_skips_every_hostile_page(hostile_wiki, tmp_path) -> None:
    root, expected = hostile_wiki
    result = run_refkit("scan", "--format", "jsonl", str(root), env=refkit_env(tmp_path))
    _assert_every_page_accounted_for(root, expected, result.stderr)
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(record["file"], record["doi"]) for record in records} == _expected_dois(root, expected)
    assert all(record["kind"] == "doi" for record in records)
    long_line = [record for record in records if record["file"].endswith("one-long-line.md")]
    assert len(long_line) == LONG_LINE_DOIS and {record["line"] for record in long_line} == {4}
    skipped = sum(page.skipped is not None for page in expected)
    assert result.stderr.splitlines()[-1] == f"refkit: {len(expected) - skipped} pages, {len(records)} DOIs, 0 broken, {skipped} skipped"


def test_check_offline_reads_or_skips_every_hostile_page(hostile_wiki, tmp_path) -> None:
    root, expected = hostile_wiki
    store = tmp_path / "store.sqlite3"
    result = run_refkit("check", "--offline", "--store", str(store), "--format", "json", str(root), env=refkit_env(tmp_path))
    _assert_every_page_accounted_for(root, expected, result.stderr)
    assert result.returncode == 1  # pages went unchecked
    findings = json.loads(result.stdout)
    checked = [finding for finding in findings if finding["rule"] != "page-unreadable"]
    assert {(finding["file"], finding["doi"]) for finding in checked} == _expected_dois(root, expected)
    assert {finding["rule"] for finding in checked} == {"doi-unverified"}
    # Each skipped page is in the report too, at its line and with why, not only on stderr.
    unreadable = {finding["file"]: finding for finding in findings if finding["rule"] == "page-unreadable"}
    skipped = [page for page in expected if page.skipped is not None]
    assert len(unreadable) == len(skipped) == len([finding for finding in findings if finding["rule"] == "page-unreadable"])
    for page in skipped:
        finding = unreadable[os.fsencode(root / page.name).decode("utf-8", "backslashreplace")]
        assert (finding["severity"], finding["line"]) == ("error", page.line or 1)
        assert page.skipped in finding["details"]["reason"] and finding["details"]["reason"] in finding["message"]


def test_export_offline_reads_or_skips_every_hostile_page(hostile_wiki, tmp_path) -> None:
    root, expected = hostile_wiki
    output = tmp_path / "out" / "bibliography.json"
    result = run_refkit(
        "export", "--offline", "--store", str(tmp_path / "store.sqlite3"), "--format", "csljson", "-o", str(output), str(root),
        env=refkit_env(tmp_path),
    )  # fmt: skip
    _assert_every_page_accounted_for(root, expected, result.stderr)
    assert result.returncode == 1  # written, but some page was skipped
    items = json.loads(output.read_text("utf-8"))
    assert {item["DOI"] for item in items} == {doi for _, doi in _expected_dois(root, expected)}
    assert all("Not verified against Crossref" in item["note"].splitlines() for item in items)
    assert os.listdir(output.parent) == ["bibliography.json"]


def test_an_unreadable_page_is_skipped_with_its_reason(wiki, tmp_path) -> None:
    """Also as root (CI): refkit runs without root's power to read any file, so the page's mode holds."""
    wiki.page("readable.md", "See 10.5555/synthetic.readable\n")
    unreadable = wiki.page("unreadable.md", "See 10.5555/synthetic.unreadable\n")
    unreadable.chmod(0)
    try:
        result = run_refkit("scan", str(wiki.root), env=refkit_env(tmp_path), preexec_fn=file_permissions_apply())
    finally:
        unreadable.chmod(0o644)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"refkit: skipped {unreadable}: cannot read: Permission denied" in result.stderr.splitlines()
    assert result.stdout == f"{wiki.root / 'readable.md'}:4:5: 10.5555/synthetic.readable\n"


def test_a_file_name_that_is_not_utf8_is_skipped_not_a_crash(tmp_path) -> None:
    """Such a name used to reach the export as a surrogate and end the run in a UnicodeEncodeError."""
    root = tmp_path / "wiki"
    root.mkdir()
    (root / "readable.md").write_text("See 10.5555/synthetic.readable\n", encoding="utf-8")
    (root / os.fsdecode(b"caf\xe9.md")).write_bytes(b"See 10.5555/synthetic.latin1-name\n")
    env = {**refkit_env(tmp_path), "PYTHONIOENCODING": "utf-8"}
    output = tmp_path / "out.bib"
    for args in (("scan",), ("export", "--offline", "--store", str(tmp_path / "s.db"), "-o", str(output))):
        result = run_refkit(*args, str(root), env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"refkit: skipped {root}/caf\\xe9.md: file name is not UTF-8; rename the page" in result.stderr.splitlines()
    assert "10.5555/synthetic.readable" in output.read_text("utf-8")
    assert "latin1-name" not in output.read_text("utf-8")


# --- Crossref records with hostile text (synthetic), served by the loopback Crossref --------------------

HOSTILE_TITLES = {
    "braces": "Closing } first, then { opening, and {balanced} ones",
    "comment": "A title @comment{ that tries to open a comment",
    "input": r"Reading \input{/etc/passwd} and \def\x{1} \catcode`\@=11 \end{document}",
    "percent": "100% of 50% % not a comment",
    "unbalanced": "}}}{{ unbalanced {{{ braces }",
    "entry": "}, title = {injected}, note = {x",
    "control": "Bell\x07 null\x00 escape\x1b delete\x7f c1\x9b end",
    "rtl": "Right\u202eto-left\u200f marks \u2066isolated\u2069",
    "nested": "<i><b>" * 3000 + "deep" + "</b></i>" * 3000,
    "long": "Long " + "x" * 100_000,
    "authors": "Five thousand authors",
}
AUTHORS = 5000


def synthetic_hostile_messages() -> dict[str, dict[str, object]]:
    """Synthetic Crossref work messages, not real records: hostile text in every text field."""
    messages = {}
    for name, title in HOSTILE_TITLES.items():
        doi = f"10.5555/synthetic-hostile.{name}"
        count = AUTHORS if name == "authors" else 1
        messages[doi] = {
            "DOI": doi,
            "type": "journal-article",
            "title": [title],
            "author": [{"given": title[:30], "family": f"Fam}}ily{{{name}{number}", "sequence": "additional"} for number in range(count)],
            "container-title": [f"Journal of {title[:40]}"],
            "issued": {"date-parts": [[2020, 2, 29]]},
        }
    return messages


def expected_text(text: str, *, markup: bool = True) -> str:
    """What a reader of any export should get back: control characters and (in titles and journals,
    not names) markup gone, spaces folded."""
    from refkit.markup import plain

    kept = "".join(char for char in text if char in "\t\n" or not (char < " " or "\x7f" <= char <= "\x9f"))
    return " ".join((plain(kept) if markup else kept).split())


@pytest.fixture(scope="module")
def hostile_exports(tmp_path_factory) -> dict[str, str]:
    """Every export format of a wiki page citing the hostile records, written by refkit as a process."""
    from conftest import CROSSREF_RECORDINGS
    from crossref_server import LoopbackCrossref, load_recordings

    folder = tmp_path_factory.mktemp("hostile-records")
    messages = synthetic_hostile_messages()
    (folder / "wiki").mkdir()
    # Each study listed as the wiki lists them (heading, journal, authors), so `check` compares and reports.
    listings = "".join(
        f"#### A different title\n\nJournal of Bone Research (2011) https://doi.org/{doi}\n\nN. Smith, K. Jones & A. Brown\n\n---\n\n"
        for doi in messages
    )
    (folder / "wiki" / "cites.md").write_text("---\ntitle: Cites\n---\n" + listings, encoding="utf-8")
    exports = {"wiki": str(folder / "wiki"), "store": str(folder / "s.db")}
    with LoopbackCrossref(load_recordings(CROSSREF_RECORDINGS)) as server:
        server.announce_generous_limits()
        server.add_synthetic_works(messages.values())
        env = refkit_env(folder, crossref_url=server.crossref_url, doi_url=server.doi_url, mailto="refkit-tests@example.org", store=str(folder / "s.db"))
        for name, suffix in (("bibtex", ".bib"), ("csljson", ".json"), ("ris", ".ris")):
            output = folder / f"out{suffix}"
            result = run_refkit("export", str(folder / "wiki"), "--format", name, "-o", str(output), env=env)
            assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
            assert f"{len(messages)} entries (0 unverified)" in result.stderr
            exports[name] = str(output)
    return exports


def test_hostile_records_parse_back_from_bibtex_as_written(hostile_exports) -> None:
    import bibtexparser
    from pylatexenc.latex2text import LatexNodes2Text

    messages = synthetic_hostile_messages()
    library = bibtexparser.parse_file(hostile_exports["bibtex"])
    assert not library.failed_blocks and not library.comments and not library.strings and not library.preambles
    assert len(library.blocks) == len(library.entries) == len(messages)  # nothing injected, nothing swallowed
    decode = LatexNodes2Text().latex_to_text
    for entry in library.entries:
        fields = entry.fields_dict
        message = messages[fields["doi"].value]
        assert set(fields) == {"author", "title", "journal", "year", "date", "doi", "url", "file"}
        assert decode(fields["title"].value) == expected_text(message["title"][0])
        assert decode(fields["journal"].value) == expected_text(message["container-title"][0])
        authors = decode(fields["author"].value).split(" and ")
        assert len(authors) == len(message["author"])
        last = message["author"][-1]
        assert authors[-1] == expected_text(f"{last['family']}, {last['given']}", markup=False)
        for value in (field.value for field in entry.fields):
            assert "\\input" not in value and "\\def" not in value and "\\end{" not in value  # only as \textbackslash{}…


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc is not installed (CI installs it)")
def test_pandoc_prints_hostile_bibtex_as_literal_text(hostile_exports, tmp_path) -> None:
    from test_exports import pandoc_plain

    text = pandoc_plain(Path(hostile_exports["bibtex"]), tmp_path).casefold()
    assert r"\input{/etc/passwd}" in text and "@comment{" in text and "100% of 50% % not a comment" in text


def test_hostile_records_make_valid_csl_json(hostile_exports) -> None:
    import jsonschema
    from conftest import SHARED

    schema = json.loads((SHARED / "schemas" / "csl-data.json").read_text("utf-8"))
    items = json.loads(Path(hostile_exports["csljson"]).read_text("utf-8"))
    jsonschema.validate(items, schema)
    messages = synthetic_hostile_messages()
    assert sorted(item["DOI"] for item in items) == sorted(messages)
    for item in items:
        message = messages[item["DOI"]]
        assert expected_text(item["title"]) == expected_text(message["title"][0])
        assert len(item["author"]) == len(message["author"])


def test_hostile_records_make_well_formed_ris(hostile_exports) -> None:
    from refkit.exports.ris import parse

    text = Path(hostile_exports["ris"]).read_text("utf-8")
    lines = text.split("\n")
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - [^\x00-\x1f\x7f-\x9f]*", line) for line in lines if line), [line[:80] for line in lines if line and not re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line)][:3]
    messages = synthetic_hostile_messages()
    records = parse(text)
    assert len(records) == len(messages) == text.count("\nER  - \n") + text.startswith("ER  - \n")
    for record in records:
        fields = dict(reversed(record))
        message = messages[fields["DO"]]
        assert fields["TI"] == expected_text(message["title"][0])
        assert sum(tag == "AU" for tag, _ in record) == len(message["author"])


def test_check_reports_hostile_records_in_well_formed_junit_xml(hostile_exports, tmp_path) -> None:
    """Control characters from a record used to be written raw into the XML, which no CI could then read."""
    import xml.etree.ElementTree as ET

    report = tmp_path / "report.xml"
    result = run_refkit(
        "check", hostile_exports["wiki"], "--offline", "--store", hostile_exports["store"], "--format", "junit",
        "--fail-on", "warning", "-o", str(report), env=refkit_env(tmp_path),
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    failures = ET.parse(report).getroot().findall(".//failure")
    messages = " ".join(failure.get("message", "") for failure in failures)
    assert "@comment{" in messages and r"\input{/etc/passwd}" in messages and "Bell null escape" in messages


def test_no_control_character_from_a_record_reaches_the_terminal(hostile_exports, tmp_path) -> None:
    """An ESC in a record used to be printed as it was: a record could drive the user's terminal."""
    env = refkit_env(tmp_path)
    store = ("--offline", "--store", hostile_exports["store"])
    for command in (("resolve", hostile_exports["wiki"], *store), ("check", hostile_exports["wiki"], *store, "--fail-on", "never")):
        result = run_refkit(*command, env=env)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert "Bell null escape delete c1 end" in result.stdout
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout + result.stderr)
