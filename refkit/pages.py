"""Walk wiki paths, read each page's front matter, and compute its URL on the wiki."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .config import PERMALINK_TOKENS, Settings
from .errors import PageError
from .model import Page

PAGE_SUFFIXES = (".md", ".markdown")
PAGE_SETTINGS = ("base_url", "permalink")
"""The settings `read_page` uses: a Page read with others may differ (scanned pages are cached by them)."""
_SKIPPED_FOLDERS = frozenset({"node_modules"})


@functools.cache
def front_matter_handlers() -> tuple[Any, Any, Any]:
    """The JSON, YAML and TOML front-matter handlers. python-frontmatter and PyYAML are loaded by the
    first page read, not at start: they take a quarter of it, and a scan that finds every page
    unchanged in the store reads none."""
    from frontmatter import default_handlers

    class _TomlHandler(default_handlers.BaseHandler):  # type: ignore[misc]
        """`+++` TOML front matter through the standard library (python-frontmatter's own
        TOML handler needs the unmaintained `toml` package)."""

        FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
        START_DELIMITER = END_DELIMITER = "+++"

        def load(self, fm: str, **kwargs: object) -> Any:
            return tomllib.loads(fm)

    return default_handlers.JSONHandler(), default_handlers.YAMLHandler(), _TomlHandler()


def iter_page_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path]]:
    """(file, root) for every page under `paths`, in a stable order, each file once however
    often the paths name it (`a a/b.md`: b.md once, as the first path found it). Hidden folders
    and node_modules are skipped; symlinked folders are not followed (no loops)."""
    seen: set[str] = set()

    def first_time(where: str) -> bool:
        if where in seen:
            return False
        seen.add(where)
        return True

    for given in paths:
        root = Path(given)
        if root.is_dir():
            for folder, subfolders, files in os.walk(root):
                subfolders[:] = sorted(
                    name for name in subfolders if not name.startswith(".") and name not in _SKIPPED_FOLDERS
                )
                real_folder = os.path.realpath(folder)  # once per folder: resolving each file costs a tenth of a scan
                for name in sorted(files):
                    if name.endswith(PAGE_SUFFIXES) and not name.startswith(".") and first_time(os.path.join(real_folder, name)):
                        yield Path(folder, name), root
        elif first_time(os.path.join(os.path.realpath(root.parent), root.name)):
            # A file named on the command line is read whatever its suffix; a missing one is reported.
            yield root, root.parent


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _decode(data: bytes, file: str) -> str:
    nul = data.find(b"\x00")
    if nul != -1:
        raise PageError(file, "binary file (NUL byte), not a text page", data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PageError(file, f"not UTF-8 (byte 0x{data[error.start]:02x})", data.count(b"\n", 0, error.start) + 1) from None
    return text.removeprefix("\ufeff")


def _front_matter_error(file: str, handler: Any, error: Exception, first_line: int) -> PageError:
    """The one-line message for front matter that does not parse, with its file line."""
    line: int | None = None
    kind = {"JSONHandler": "JSON", "YAMLHandler": "YAML", "_TomlHandler": "TOML"}[type(handler).__name__]
    if isinstance(error, json.JSONDecodeError):
        line, reason = error.lineno, error.msg
    elif isinstance(error, tomllib.TOMLDecodeError):
        found = re.search(r"\(at line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        reason = re.sub(r"\s*\(at line.*\)$", "", str(error))
    else:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    return PageError(file, f"invalid {kind} front matter: {reason}", first_line - 1 + line if line else first_line)


_LEADING_SPACE = re.compile(r"\s*")


def _head_end(handler: Any, text: str, start: int) -> int | None:
    """Where the closing front-matter boundary line ends, or None when it is missing."""
    if handler is front_matter_handlers()[0]:  # JSON
        # A line that is exactly `}`; str.find is much faster than the handler's multi-line regex.
        position = text.find("\n}", start)
        while position != -1:
            end = position + 2
            if end == len(text) or text[end] in "\r\n":
                return end
            position = text.find("\n}", end)
        return None
    boundaries = handler.FM_BOUNDARY.finditer(text, start)
    next(boundaries)
    closing = next(boundaries, None)
    return closing.end() if closing else None


def split_front_matter(text: str, file: str) -> tuple[dict[str, Any], str, int]:
    """(metadata, body, line where the body starts). Pages without front matter have {}."""
    start = _LEADING_SPACE.match(text).end()  # type: ignore[union-attr]
    first_line = _line_of(text, start)
    handler = next((h for h in front_matter_handlers() if h.FM_BOUNDARY.match(text, start)), None)
    if handler is None:
        return {}, text, 1
    head_end = _head_end(handler, text, start)
    if head_end is None:
        raise PageError(file, "front matter is not closed", first_line)
    head = text[start:head_end]
    # A JSON head is the JSON object itself; the other handlers strip their delimiters.
    front = head if handler is front_matter_handlers()[0] else handler.split(head)[0]
    try:
        metadata = handler.load(front)
    except Exception as error:  # each format raises its own error type
        raise _front_matter_error(file, handler, error, first_line) from None
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, Mapping):
        raise PageError(file, "front matter is not a mapping of keys to values", first_line)
    return dict(metadata), text[head_end:], _line_of(text, head_end)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value if isinstance(item, (str, int, float)))
    return ()


def _urlize(text: str) -> str:
    """Hugo's urlize, closely enough: lower-case, spaces to hyphens, drop punctuation."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


_TOKEN = re.compile(rf":({'|'.join(PERMALINK_TOKENS)})\b")


def page_url(settings: Settings, metadata: Mapping[str, Any], file: Path, root: Path) -> str:
    """base_url joined with the permalink pattern, Hugo's tokens filled in from the page."""
    explicit = metadata.get("url")
    if isinstance(explicit, str) and explicit.strip():
        path = explicit.strip()
    else:
        path = _TOKEN.sub(lambda token: _token_value(token.group(1), metadata, file, root), settings.permalink)
    path = "/" + re.sub(r"/{2,}", "/", path.lstrip("/"))
    return settings.base_url.rstrip("/") + path


def _token_value(token: str, metadata: Mapping[str, Any], file: Path, root: Path) -> str:
    if token == "slug":
        slug = metadata.get("slug")
        return slug.strip() if isinstance(slug, str) and slug.strip() else file.stem
    if token == "filename":
        return file.stem
    if token == "title":
        title = metadata.get("title")
        return _urlize(title if isinstance(title, str) else file.stem)
    if token == "section":
        try:
            relative = file.relative_to(root).parts
        except ValueError:
            return ""
        return relative[0] if len(relative) > 1 else ""
    date = _date(metadata.get("date"))
    if date is None:
        return ""
    return {"year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}"}[token]


def read_page(file: Path, settings: Settings, root: Path | None = None) -> Page:
    """Read one page. Raises PageError (naming the file and line) when it cannot be read."""
    name = str(file)
    # A name that is not UTF-8 reaches Python with surrogates, which no UTF-8 output (exports, JSON) can hold.
    shown = os.fsencode(name).decode("utf-8", "backslashreplace")
    if shown != name:
        raise PageError(shown, "file name is not UTF-8; rename the page")
    try:
        # A pipe would block the run and a device (a link to /dev/zero) never end: only regular files are read.
        mode = file.stat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise PageError(name, "not a regular file (a pipe, socket or device)")
        data = file.read_bytes()
    except IsADirectoryError:
        raise PageError(name, "is a folder, not a page") from None
    except OSError as error:
        raise PageError(name, f"cannot read: {error.strerror or error}") from None
    text = _decode(data, name)
    metadata, body, body_line = split_front_matter(text, name)
    title = metadata.get("title")
    date = metadata.get("date")
    return Page(
        file=name,
        url=page_url(settings, metadata, file, root if root is not None else file.parent),
        title=title.strip() if isinstance(title, str) else None,
        slug=metadata.get("slug") if isinstance(metadata.get("slug"), str) else None,
        date=str(date) if date is not None else None,
        tags=_strings(metadata.get("tags")),
        categories=_strings(metadata.get("categories")),
        body=body,
        body_line=body_line,
    )


def iter_pages(paths: Iterable[str | Path], settings: Settings) -> Iterator[Page | PageError]:
    """Every page under `paths`, read one at a time (streamed, never all held); a page that
    cannot be read comes as its PageError so the caller can report it and go on."""
    for file, root in iter_page_files(paths):
        try:
            yield read_page(file, settings, root)
        except PageError as error:
            yield error


def base_url_warning(page_urls: Iterable[str]) -> str | None:
    """The one warning to give when page URLs are not absolute (no base URL is known), so no
    format can link back to the wiki; None when every URL is absolute."""
    relative = next((url for url in page_urls if not urlsplit(url).scheme), None)
    if relative is None:
        return None
    return (
        f"page URLs are relative (e.g. {relative}), so exports cannot link to the wiki pages "
        "(Zotero rejects every such link); set base_url in refkit.toml or pass --base-url https://your.wiki"
    )
