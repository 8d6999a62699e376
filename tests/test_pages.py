"""Reading pages: front matter in JSON, YAML and TOML, page URLs, and pages that can't be read."""

import re
from pathlib import Path

import pytest

from refkit.config import Settings
from refkit.errors import PageError
from refkit.pages import iter_page_files, iter_pages, read_page

SETTINGS = Settings(base_url="https://wiki.example", permalink="/posts/:slug/")

JSON_PAGE = '{\n    "title": "A JSON page",\n    "slug": "json-slug",\n    "tags": ["bone", "vitamin k"]\n}\n\nBody line\n'
YAML_PAGE = "---\ntitle: A YAML page\ndate: 2022-02-13\ncategories: [Bone - Health]\n---\nBody line\n"
TOML_PAGE = '+++\ntitle = "A TOML page"\nslug = "toml-slug"\n+++\n\nBody line\n'


@pytest.mark.parametrize(
    ("text", "title", "url", "body_line"),
    [
        (JSON_PAGE, "A JSON page", "https://wiki.example/posts/json-slug/", 7),
        (YAML_PAGE, "A YAML page", "https://wiki.example/posts/page/", 6),
        (TOML_PAGE, "A TOML page", "https://wiki.example/posts/toml-slug/", 6),
        ("Body line\nno front matter at all\n", None, "https://wiki.example/posts/page/", 1),
    ],
)
def test_front_matter_formats(wiki, text: str, title: str | None, url: str, body_line: int) -> None:
    page = read_page(wiki.page("page.md", text, front=""), SETTINGS)
    assert (page.title, page.url) == (title, url)
    lines = page.body.split("\n")
    # The body's line numbers are the file's: "Body line" sits at its file line.
    assert lines.index("Body line") + page.body_line == body_line


def test_seed_page_front_matter(shared_dir: Path) -> None:
    page = read_page(shared_dir / "seeds" / "role-of-vitamin-k-in-bones-and-muscles.md", SETTINGS)
    assert page.title == "Role of Vitamin K in Bones and Muscles"
    assert page.url == "https://wiki.example/posts/role-of-vitamin-k-in-bones-and-muscles/"
    assert "Bone - Health" in page.categories and "vitamin k" in page.tags


@pytest.mark.parametrize(
    ("permalink", "expected"),
    [
        ("/:year/:month/:day/:slug/", "/2022/02/13/my-slug/"),
        ("/:section/:filename/", "/notes/file-name/"),
        ("/:title", "/role-of-vitamin-k-müller"[:0] + "/role-of-vitamin-k-muller"),
    ],
)
def test_permalink_tokens(wiki, permalink: str, expected: str) -> None:
    path = wiki.page(
        "notes/file-name.md",
        "body\n",
        front='{\n"title": "Role of Vitamin K: Müller",\n"slug": "my-slug",\n"date": "2022-02-13"\n}\n',
    )
    page = read_page(path, Settings(base_url="https://w.example/", permalink=permalink), root=wiki.root)
    assert page.url == "https://w.example" + expected


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b'{\n    "title": "x",\n    "tags": [1,,2]\n}\nbody', "invalid JSON front matter", 3),
        (b"---\ntitle: [unclosed\n---\nbody", "invalid YAML front matter", 3),
        (b'+++\ntitle = "x\n+++\nbody', "invalid TOML front matter", 2),
        (b'{\n"title": "x"\n}\nok line\n\xff\xfe bad bytes', "not UTF-8", 5),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file", 3),
        (b"---\n- a list\n---\nbody", "not a mapping", 1),
    ],
)
def test_unreadable_pages_name_file_and_line(wiki, content: bytes, message: str, line: int) -> None:
    path = wiki.page("bad.md", content)
    with pytest.raises(PageError, match=f"^{re.escape(f'{path}:{line}: ')}.*{re.escape(message)}") as caught:
        read_page(path, SETTINGS)
    assert caught.value.line == line


def test_walk_skips_hidden_folders_node_modules_and_other_suffixes(wiki) -> None:
    wiki.page("a.md", "x")
    wiki.page("sub/b.markdown", "x")
    wiki.page(".git/c.md", "x")
    wiki.page("node_modules/d.md", "x")
    wiki.page("e.txt", "x")
    (wiki.root / "loop").symlink_to(wiki.root, target_is_directory=True)
    names = [file.relative_to(wiki.root).as_posix() for file, _root in iter_page_files([wiki.root])]
    assert names == ["a.md", "sub/b.markdown"]


def test_iter_pages_yields_errors_and_goes_on(wiki) -> None:
    wiki.page("a.md", b"\x00\x01")
    wiki.page("b.md", "fine")
    items = list(iter_pages([wiki.root], SETTINGS))
    assert isinstance(items[0], PageError) and items[1].title == "b"
