"""`refkit fix`: the pure core on hand-written cases (expected texts written by hand), and the
command as a process on real corpus pages and pages with CRLF line endings, a byte-order mark and
YAML or TOML front matter: the diff applies with `git apply` and gives what --write gives, only
the fixed text changes, a rerun finds nothing, and a run killed half-way leaves every page old or
new. The `doi-typo` findings here are synthetic (named so), in the shape reconcile gives them."""

from __future__ import annotations

import re
import shutil
import signal
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS, Wiki
from refkit_process import REFKIT, refkit_env, run_refkit

from refkit.fix import fix_text, repaired_text
from refkit.model import Finding

JSON_FRONT = '{\n  "title": "A page",\n  "url": "http://dx.doi.org/10.1000/front"\n}\n'


def synthetic_typo(line: int, column: int, raw: str, written: str, repaired: str) -> Finding:
    """A `doi-typo` finding as reconcile gives one: the text as written (`raw`) at its position,
    the damaged DOI it means (`written`, normalised) and the repair."""
    details = {"raw": raw, "written": written, "repaired": repaired, "suggestion": repaired}
    return Finding("doi-typo", "warning", "page.md", line, column, written, "synthetic", details, written)


# --- the pure core ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fixed"),
    [
        ("See http://dx.doi.org/10.1210/jc.2004-0746 now.", "See https://doi.org/10.1210/jc.2004-0746 now."),
        ("See https://dx.doi.org/10.1210/jc.2004-0746.", "See https://doi.org/10.1210/jc.2004-0746."),
        ("See http://doi.org/10.1016/j.autrev.2017.04.004", "See https://doi.org/10.1016/j.autrev.2017.04.004"),
        ("HTTP://DX.DOI.ORG/10.1038/oby.2007.568", "https://doi.org/10.1038/oby.2007.568"),
        ("DOI: http://dx.doi. org/10.1016/S0140-6736(06)68071-9", "DOI: https://doi.org/10.1016/S0140-6736(06)68071-9"),
        ('<a href="http://dx.doi.org/10.4103%2F2230-8210.107789">x</a>', '<a href="https://doi.org/10.4103/2230-8210.107789">x</a>'),
        ("[doi](http://dx.doi.org/10.1111%2fj.1600-0781.2004.00110.x)", "[doi](https://doi.org/10.1111/j.1600-0781.2004.00110.x)"),
        ("(http://dx.doi.org/10.1056/NEJMra070553_PM-id:17634462", "(https://doi.org/10.1056/NEJMra070553_PM-id:17634462"),
        ("Cut short: http://dx.doi.org/10.1016/j.", "Cut short: https://doi.org/10.1016/j."),
        ("Damaged http://dx.doi.org/10.1016/j. ucl.2007.04.003", "Damaged https://doi.org/10.1016/j. ucl.2007.04.003"),
        ("a http://dx.doi.org/10.1000/xyz1 and http://doi.org/10.1000/xyz2", "a https://doi.org/10.1000/xyz1 and https://doi.org/10.1000/xyz2"),
    ],
)
def test_resolver_links_take_the_canonical_form(body: str, fixed: str) -> None:
    result = fix_text(JSON_FRONT + body + "\n")
    assert result.text == JSON_FRONT + fixed + "\n"
    assert {edit.kind for edit in result.edits} == {"doi-link"}


@pytest.mark.parametrize(
    "body",
    [
        "Already https://doi.org/10.1210/jc.2004-0746 here.",
        "doi: 10.1210/jc.2004-0746 and DOI:10.1210/jc.2004-0747",
        "Bare 10.1210/jc.2004-0746 text.",
        "Publisher https://onlinelibrary.wiley.com/doi/10.1111%2Fj.1600-0781.2004.00110.x/full",
        "https://www.doi.org/10.1210/jc.2004-0746",
        "No DOI at all, http://dx.doi.org/ alone.",
    ],
)
def test_other_text_is_left_alone(body: str) -> None:
    text = JSON_FRONT + body + "\n"
    assert fix_text(text).text == text and fix_text(text).edits == ()


def test_front_matter_line_endings_and_byte_order_mark_stay() -> None:
    text = "\ufeff---\r\ntitle: http://dx.doi.org/10.1000/front\r\n---\r\nSee http://dx.doi.org/10.1000/xyz1.\r\nEnd without newline http://doi.org/10.1000/xyz2"
    assert fix_text(text).text == (
        "\ufeff---\r\ntitle: http://dx.doi.org/10.1000/front\r\n---\r\nSee https://doi.org/10.1000/xyz1.\r\nEnd without newline https://doi.org/10.1000/xyz2"
    )
    toml = "+++\ntitle = 'http://dx.doi.org/10.1000/xyz3'\n+++\nhttp://dx.doi.org/10.1000/xyz3\n"
    assert fix_text(toml).text == "+++\ntitle = 'http://dx.doi.org/10.1000/xyz3'\n+++\nhttps://doi.org/10.1000/xyz3\n"
    broken = '{\n  "title": "no closing brace\nhttp://dx.doi.org/10.1000/xyz1\n'
    assert fix_text(broken).text == broken  # front matter refkit cannot read: the page is not touched


def test_a_confirmed_repair_replaces_the_written_text_keeping_the_pages_spelling() -> None:
    body = "Also doi: 10.1016/J.JSBMB.2010.02.O21 and more.\r\n"
    typo = synthetic_typo(5, 6, "doi: 10.1016/J.JSBMB.2010.02.O21", "10.1016/j.jsbmb.2010.02.o21", "10.1016/j.jsbmb.2010.02.021")
    result = fix_text(JSON_FRONT + body, [typo])
    assert result.text == JSON_FRONT + "Also doi: 10.1016/J.JSBMB.2010.02.021 and more.\r\n"
    assert [(edit.kind, edit.line, edit.column) for edit in result.edits] == [("doi-typo", 5, 6)]
    assert fix_text(result.text, [typo]).text == result.text  # the written text is gone: nothing more to do


def test_a_repair_inside_an_old_resolver_link_also_canonicalises_it() -> None:
    body = "[x](http://dx.doi.org/10.1016/j.jsbmb.2010.02.O21)\n"
    typo = synthetic_typo(5, 5, "http://dx.doi.org/10.1016/j.jsbmb.2010.02.O21", "10.1016/j.jsbmb.2010.02.o21", "10.1016/j.jsbmb.2010.02.021")
    assert fix_text(JSON_FRONT + body, [typo]).text == JSON_FRONT + "[x](https://doi.org/10.1016/j.jsbmb.2010.02.021)\n"


def test_a_repair_whose_text_moved_is_not_applied() -> None:
    typo = synthetic_typo(5, 1, "10.1016/j.jsbmb.2010.02.O21", "10.1016/j.jsbmb.2010.02.o21", "10.1016/j.jsbmb.2010.02.021")
    text = JSON_FRONT + "A new first line.\n10.1016/j.jsbmb.2010.02.O21\n"
    assert fix_text(text, [typo]).text == text


@pytest.mark.parametrize(
    ("written", "repaired", "expected"),
    [
        ("10.1016/S0140-6736(20)30183- 5", "10.1016/s0140-6736(20)30183-5", "10.1016/S0140-6736(20)30183-5"),
        ("https://dx.doi.org/10.1002/ijc. 29002", "10.1002/ijc.29002", "https://doi.org/10.1002/ijc.29002"),
        ("DOI: 10.1093/ajcn/nqab29", "10.1093/ajcn/nqab293", "DOI: 10.1093/ajcn/nqab293"),
        ("10.3390/nu1203O732", "10.3390/nu12030732", "10.3390/nu12030732"),
    ],
)
def test_repaired_text(written: str, repaired: str, expected: str) -> None:
    assert repaired_text(written, repaired) == expected


def test_a_repair_reconcile_confirms_is_applied_where_the_page_wrote_it() -> None:
    """reconcile's doi-typo finding (the real record of 10.1098/rspb.2017.0132 holds the repair of
    a DOI written with the letter O for a zero; the page and the candidate are made up) is what
    fix_text repairs, at the position the scan gave, keeping the page's link around it."""
    import dataclasses

    from conftest import recorded_work

    from refkit.model import Page, Resolution
    from refkit.reconcile import confirm_repairs, reconcile
    from refkit.scan import scan_page

    body = (
        "\n### Sexual conflict and correlated evolution between male persistence and female resistance traits"
        " in the seed beetle Callosobruchus maculatus\n\nProc Biol Sci. 2017 May 31;284(1855)."
        " [doi: 10.1098/rspb.2017.O132](http://dx.doi.org/10.1098/rspb.2017.O132)\n"
    )
    text = JSON_FRONT + body
    page = Page(file="page.md", url="/page/", body=body, body_line=5)
    citations = [dataclasses.replace(c, candidates=("10.1098/rspb.2017.0132",)) for c in scan_page(page)]
    work = recorded_work("10.1098_rspb.2017.0132")
    resolutions = {c.key: Resolution(c.key, "not_found", agency=None) for c in citations}
    resolutions["10.1098/rspb.2017.0132"] = Resolution("10.1098/rspb.2017.0132", "found", agency="crossref", work=work)
    typos = [f for f in reconcile(citations, confirm_repairs(citations, resolutions)) if f.rule == "doi-typo"]
    assert len(typos) == 1  # the scan reports the DOI at its first occurrence, the link's text
    fixed = fix_text(text, typos)
    assert fixed.text == JSON_FRONT + body.replace(
        "[doi: 10.1098/rspb.2017.O132](http://dx.doi.org/10.1098/rspb.2017.O132)",
        "[doi: 10.1098/rspb.2017.0132](https://doi.org/10.1098/rspb.2017.0132)",
    )
    assert [edit.kind for edit in fixed.edits] == ["doi-typo", "doi-typo"]
    assert fix_text(fixed.text, typos).edits == ()


def test_listing_corrections_are_never_applied() -> None:
    title = Finding("title-mismatch", "warning", "page.md", 5, 1, "10.1000/xyz1", "m", {"expected": "Real", "found": "A title", "suggestion": "Real"})
    assert fix_text(JSON_FRONT + "A title\n", [title]).edits == ()


# --- the command --------------------------------------------------------------------------------------

REAL_PAGES = (
    "kidney-stone-production-reduced-in-rats-when-vitamin-d-and-calcium-was-added.md",  # `dx.doi. org` split by a space
    "rickets-calcium-genes-etc.md",  # %2F in resolver links
    "sjogrens-syndrome-2nd-most-common-rheumatic-disease-and-vitamin-d-many-studies.md",  # http://doi.org/
)


def expected_fix(data: bytes) -> bytes:
    """What fix should make of a page, written independently of refkit: every resolver lead-in
    `http(s)://(dx.)doi.( )org/` before something DOI-like (`10.` and a digit, damaged or not) in
    the body becomes `https://doi.org/`, and a `%2F` as the DOI's first slash becomes `/` (the
    fixture's DOIs hold no other `%2F`)."""
    head, separator, body = data.partition(b"\n}")
    body = re.sub(rb"(?i)https?://(?:dx\.)?doi\.\s?org/(10\.\d{4,9})%2f", rb"https://doi.org/\1/", body)
    body = re.sub(rb"(?i)https?://(?:dx\.)?doi\.\s?org/(?=10\.\d)", b"https://doi.org/", body)
    return head + separator + body


@pytest.fixture
def fix_wiki(wiki: Wiki) -> dict[Path, bytes]:
    """Real corpus pages, plus pages with CRLF, a byte-order mark and YAML front matter, and one
    with nothing to fix; {path: bytes before}."""
    for name in REAL_PAGES:
        shutil.copyfile(CORPUS / name, wiki.root / name)
    wiki.page("crlf.md", b'{\r\n  "title": "CRLF"\r\n}\r\nSee http://dx.doi.org/10.1210/jc.2004-0746.\r\nAnd \xc3\xa9 http://doi.org/10.1000/xyz2\r\n')
    wiki.page("bom.md", b'\xef\xbb\xbf{\n  "title": "BOM"\n}\nhttp://dx.doi.org/10.1038/oby.2007.568\n')
    wiki.page("clean.md", "Nothing to fix: https://doi.org/10.1210/jc.2004-0746\n")
    (wiki.root / "crlf.md").chmod(0o640)
    return {path: path.read_bytes() for path in sorted(wiki.root.glob("*.md"))}


def fix(tmp_path: Path, *arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_refkit("fix", "--offline", "--store", str(tmp_path / "store.sqlite3"), *arguments, env=refkit_env(tmp_path), cwd=cwd)


def test_fix_prints_a_diff_that_git_applies_and_write_gives_the_same(fix_wiki: dict[Path, bytes], wiki: Wiki, tmp_path: Path) -> None:
    shown = fix(tmp_path, "wiki", cwd=tmp_path)
    assert shown.returncode == 1, shown.stderr  # there are fixes, not applied
    # The diff as bytes: read as text, CRLF lines would turn into LF ones.
    diff = subprocess.run(
        [*REFKIT, "fix", "--offline", "--store", str(tmp_path / "store.sqlite3"), "wiki"], env=refkit_env(tmp_path), cwd=tmp_path, capture_output=True
    ).stdout
    assert b"\n-See http://dx.doi.org/10.1210/jc.2004-0746.\r\n" in diff and b"\n+See https://doi.org/10.1210/jc.2004-0746.\r\n" in diff
    assert {path: path.read_bytes() for path in fix_wiki} == fix_wiki  # the diff changed nothing
    assert re.fullmatch(
        r"refkit: (\d+) fixes on 5 pages \(\1 resolver links\), shown as a diff \(--write applies them\); 6 pages read, 0 skipped\n", shown.stderr
    ), shown.stderr
    assert sorted(re.findall(r"^\+\+\+ b/(.*)$", shown.stdout, re.M)) == sorted(f"wiki/{path.name}" for path in fix_wiki if path.name != "clean.md")

    applied = tmp_path / "applied"
    shutil.copytree(wiki.root, applied / "wiki")
    subprocess.run(["git", "init", "-q"], cwd=applied, check=True)
    subprocess.run(["git", "apply", "-"], input=diff, cwd=applied, check=True, capture_output=True)

    written = fix(tmp_path, "wiki", "--write", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert sorted(written.stdout.splitlines()) == sorted(
        f"fixed wiki/{path.name} ({len(expected_fix(before).split(b'https://doi.org/')) - len(before.split(b'https://doi.org/'))} changes)"
        .replace("(1 changes)", "(1 change)")
        for path, before in fix_wiki.items() if path.name != "clean.md"
    )  # fmt: skip
    for path, before in fix_wiki.items():
        after = path.read_bytes()
        assert after == expected_fix(before), path.name  # only the links changed, every other byte as it was
        assert after == (applied / "wiki" / path.name).read_bytes(), path.name  # --write is the diff applied
    assert fix_wiki[wiki.root / "crlf.md"].count(b"\r\n") == (wiki.root / "crlf.md").read_bytes().count(b"\r\n") == 5
    assert (wiki.root / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf{")
    assert stat.S_IMODE((wiki.root / "crlf.md").stat().st_mode) == 0o640
    assert (wiki.root / "clean.md").read_bytes() == fix_wiki[wiki.root / "clean.md"]

    again = fix(tmp_path, "wiki", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, "")
    assert again.stderr.startswith("refkit: 0 fixes on 0 pages")


def test_fix_leaves_a_page_behind_a_link_a_link(tmp_path: Path, wiki: Wiki) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text("http://dx.doi.org/10.1210/jc.2004-0746\n", "utf-8")
    (wiki.root / "linked.md").symlink_to(target)
    assert fix(tmp_path, str(wiki.root), "--write").returncode == 0
    assert (wiki.root / "linked.md").is_symlink() and target.read_text("utf-8") == "https://doi.org/10.1210/jc.2004-0746\n"


def test_fix_killed_half_way_leaves_every_page_old_or_new(tmp_path: Path) -> None:
    # A long folder name makes each "fixed …" line some 300 bytes, so 64 KiB of them are ~220 pages.
    wiki = Wiki(tmp_path / ("a-wiki-folder-with-a-long-name-" * 7))
    before = {}
    for number in range(400):
        page = wiki.page(f"page-{number:04d}.md", f"Study {number}: http://dx.doi.org/10.5555/synthetic.{number:05d}\n" * 3)
        before[page] = page.read_bytes()
    process = subprocess.Popen(
        [*REFKIT, "fix", str(wiki.root), "--write", "--offline", "--store", str(tmp_path / "store.sqlite3")],
        env=refkit_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert process.stdout is not None
    # Each page written is announced on stdout. Reading only five lines and then nothing, the pipe
    # fills (64 KiB) and the writing stops there: the kill lands mid-run.
    announced = [process.stdout.readline() for _ in range(5)]
    assert all(line.startswith(b"fixed ") for line in announced)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    states = {"old": 0, "new": 0}
    for page, old in before.items():
        now = page.read_bytes()
        assert now in (old, expected_fix(old)), page.name
        states["old" if now == old else "new"] += 1
    assert states["new"] >= 5 and states["old"] > 0, states
    leftovers = [path.name for path in wiki.root.iterdir() if not path.name.endswith(".md")]
    assert all(re.fullmatch(r"\.page-\d{4}\.md\..*\.tmp", name) for name in leftovers)  # hidden, never read as pages
    rerun = fix(tmp_path, str(wiki.root), "--write")
    assert rerun.returncode == 0 and all(page.read_bytes() == expected_fix(old) for page, old in before.items())


def test_fix_applies_the_repairs_the_registry_confirms(crossref_server, tmp_path: Path, wiki: Wiki) -> None:
    """Damaged DOIs whose repair the loopback Crossref (real records) holds and the listing agrees
    with: a DOI cut by a space (twice on the page), one with a PDF hyphen in an old resolver link."""
    title = "Sexual conflict and correlated evolution between male persistence and female resistance traits in the seed beetle Callosobruchus maculatus"
    cut = wiki.page("cut.md", f"\n### {title}\n\nProc Biol Sci. 2017 May 31;284(1855). doi: 10.1098/ rspb.2017.0132.\n\nAgain: doi: 10.1098/ rspb.2017.0132 here.\n")
    hyphen = wiki.page("hyphen.md", (
        "\n### Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia of Mice\n\n"
        "PLoS One. 2012;7(3):e33693. http://dx.doi.org/10.1371/jour-nal.pone.0033693\n"
    ))  # fmt: skip
    before = {page: page.read_bytes() for page in (cut, hyphen)}
    env = refkit_env(tmp_path, crossref_url=crossref_server.crossref_url, doi_url=crossref_server.doi_url, mailto="t@example.org", store=str(tmp_path / "store.sqlite3"))
    shown = run_refkit("fix", str(wiki.root), env=env)
    assert shown.returncode == 1, shown.stderr
    assert "-Proc Biol Sci. 2017 May 31;284(1855). doi: 10.1098/ rspb.2017.0132.\n+Proc Biol Sci. 2017 May 31;284(1855). doi: 10.1098/rspb.2017.0132.\n" in shown.stdout
    assert shown.stderr.splitlines()[-1].startswith("refkit: 3 fixes on 2 pages (3 DOI repairs), shown as a diff")
    assert all(page.read_bytes() == old for page, old in before.items())
    written = run_refkit("fix", str(wiki.root), "--write", env=env)
    assert written.returncode == 0, written.stderr
    assert cut.read_bytes() == before[cut].replace(b"10.1098/ rspb.2017.0132", b"10.1098/rspb.2017.0132")
    assert hyphen.read_bytes() == before[hyphen].replace(b"http://dx.doi.org/10.1371/jour-nal.pone.0033693", b"https://doi.org/10.1371/journal.pone.0033693")
    again = run_refkit("fix", str(wiki.root), env=env)
    assert (again.returncode, again.stdout) == (0, ""), again.stderr
    checked = run_refkit("check", str(wiki.root), "--format", "json", "--base-url", "https://wiki.example", env=env)
    assert "doi-typo" not in checked.stdout  # what check reported is what fix repaired
