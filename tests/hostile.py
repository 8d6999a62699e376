"""A hostile wiki, generated into a test's folder: pages refkit must read or skip with one clear line,
never a traceback. Each page says what refkit should make of it. DOIs on these pages are synthetic
(prefix 10.5555, the DOI handbook's example prefix)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BIG_PAGE_BYTES = 50_000_000
LONG_LINE_BYTES = 5_000_000
LONG_LINE_DOIS = 1000
DEPTH = 10_000


@dataclass(frozen=True)
class HostilePage:
    """One generated page and what refkit should say about it."""

    name: str
    skipped: str | None = None
    """A fragment of the reason refkit gives for skipping the page; None when the page is read."""
    line: int | None = None
    """The file line the skip message names, when refkit can know it."""
    dois: tuple[str, ...] = ()
    """The DOIs refkit finds on the page when it is read."""


def _synthetic(name: str) -> str:
    return f"10.5555/synthetic.{name}"


def _front(title: str) -> str:
    return f"---\ntitle: {title}\n---\n"


def _big_page() -> tuple[str, tuple[str, ...]]:
    """50 MB of prose with a DOI every ~100 KB."""
    paragraph = "Vitamin D levels were lower in the placebo group, and the effect held in every age group. " * 10 + "\n\n"
    chunk = paragraph * 110
    dois = tuple(_synthetic(f"big.{number}") for number in range(BIG_PAGE_BYTES // len(chunk) + 1))
    return _front("A fifty megabyte page") + "".join(f"{chunk}See https://doi.org/{doi}\n\n" for doi in dois), dois


def _long_line() -> tuple[str, tuple[str, ...]]:
    """One line of 5 MB with a thousand DOIs along it."""
    dois = tuple(_synthetic(f"line.{number}") for number in range(LONG_LINE_DOIS))
    filler = "vitamin " * (LONG_LINE_BYTES // LONG_LINE_DOIS // 8)
    return _front("One long line") + "".join(f"{filler}{doi} " for doi in dois) + "\n", dois


def hostile_pages(root: Path, *, with_big_pages: bool = True) -> list[HostilePage]:
    """Write the hostile wiki under `root` (which must exist) and return what each page should give.
    Also writes a folder symlink loop (not followed: its pages are read once)."""
    pages: list[tuple[HostilePage, bytes]] = []

    def page(expected: HostilePage, content: str | bytes) -> None:
        pages.append((expected, content.encode("utf-8") if isinstance(content, str) else content))

    doi = _synthetic
    page(HostilePage("invalid json.md", "invalid JSON front matter", 3), '{\n  "title": "x",\n}\nSee 10.5555/synthetic.j\n')
    page(HostilePage("invalid-yaml.md", "invalid YAML front matter", 3), "---\ntitle: [unclosed\n---\nSee 10.5555/synthetic.y\n")
    page(HostilePage("invalid-toml.md", "invalid TOML front matter", 2), "+++\ntitle = \n+++\nSee 10.5555/synthetic.t\n")
    page(HostilePage("unclosed.md", "front matter is not closed", 1), "---\ntitle: x\nSee 10.5555/synthetic.u\n")
    page(HostilePage("yaml-list.md", "front matter is not a mapping", 1), "---\n- a\n- b\n---\nSee 10.5555/synthetic.l\n")
    page(HostilePage("yaml-python-tag.md", "invalid YAML front matter", 2), '---\ntitle: !!python/object/apply:os.system ["echo pwned"]\n---\n')
    page(HostilePage("deep-json-front.md", "invalid JSON front matter", 1), '{\n"a": ' + "[" * 100_000 + "]" * 100_000 + "\n}\n")
    page(HostilePage("deep-yaml-front.md", "invalid YAML front matter", 2), "---\na: " + "[" * DEPTH + "]" * DEPTH + "\n---\n")
    page(HostilePage("latin-1.md", "not UTF-8 (byte 0xe9)", 4), _front("x").encode() + b"caf\xe9 10.5555/synthetic.latin\n")
    page(HostilePage("nul-byte.md", "binary file (NUL byte)", 5), _front("x").encode() + b"line\nnul \x00 here\n")
    page(HostilePage("utf-16.md", "binary file (NUL byte)", 1), (_front("x") + "See 10.5555/synthetic.u16\n").encode("utf-16"))
    page(HostilePage("no-front-matter.md", dois=(doi("nofront"),)), f"Just text and {doi('nofront')}.\n")
    page(HostilePage("empty.md"), "")
    laughs = "---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi")
    )
    page(HostilePage("yaml-billion-laughs.md", dois=(doi("laughs"),)), laughs + f"title: *i\ntags: *i\n---\nSee {doi('laughs')}\n")
    page(HostilePage("odd-front-values.md", dois=(doi("odd"),)), f"---\ntitle: {{a: 1}}\ndate: 99999-99-99\nslug: [1, 2]\nurl: 5\ntags: {{x: 1}}\n---\nSee {doi('odd')}\n")
    page(HostilePage("crlf-bom.md", dois=(doi("crlf"),)), "\ufeff---\r\ntitle: x\r\n---\r\n" + f"See {doi('crlf')}\r\n")
    page(HostilePage("deep-quotes.md", dois=(doi("quotes"),)), _front("x") + ">" * DEPTH + f" {doi('quotes')}\n")
    page(HostilePage("deep-list.md", dois=(doi("list"),)), _front("x") + "- " * DEPTH + f"{doi('list')}\n")
    page(HostilePage("deep-brackets.md", dois=(doi("brackets"), doi("parens"))),
         _front("x") + "[" * DEPTH + f"https://doi.org/{doi('brackets')}" + "]" * DEPTH + "\n"
         + "(" * DEPTH + doi("parens") + ")" * DEPTH + "\n")  # fmt: skip
    page(HostilePage("a page with spaces.md", dois=(doi("spaces"),)), _front("Spaces") + f"See {doi('spaces')}\n")
    page(HostilePage("Ünïcödé ページ 名前.md", dois=(doi("unicode"),)), _front("Ünïcödé") + f"See {doi('unicode')}\n")
    if with_big_pages:
        text, dois = _big_page()
        page(HostilePage("fifty-megabytes.md", dois=dois), text)
        text, dois = _long_line()
        page(HostilePage("one-long-line.md", dois=dois), text)

    expected = []
    for item, content in pages:
        (root / item.name).write_bytes(content)
        expected.append(item)
    # Symlinks that point at each other: reading either fails with ELOOP.
    os.symlink("loop-b.md", root / "loop-a.md")
    os.symlink("loop-a.md", root / "loop-b.md")
    expected += [HostilePage("loop-a.md", "Too many levels of symbolic links"), HostilePage("loop-b.md", "Too many levels of symbolic links")]
    # A pipe nobody writes to (reading it would wait for ever) and a link to an endless device.
    os.mkfifo(root / "named-pipe.md")
    os.symlink("/dev/zero", root / "dev-zero.md")
    expected += [HostilePage("named-pipe.md", "not a regular file"), HostilePage("dev-zero.md", "not a regular file")]
    # A folder that links back to its parent: os.walk does not follow it, so nothing is read twice.
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "back-to-root")
    (root / "sub" / "inside.md").write_text(_front("Inside") + f"See {doi('inside')}\n", encoding="utf-8")
    expected.append(HostilePage("sub/inside.md", dois=(doi("inside"),)))
    return expected
