"""Fixes refkit can be sure of, applied to the pages.

Pure core:
- `fix_text(text, findings)`: the page's text with the fixes refkit is sure of applied:
  DOI repairs the registry confirmed (`doi-typo` findings) and resolver links in the form
  Crossref's display guidelines ask for (`https://doi.org/…` instead of `http://dx.doi.org/…` or
  `http://doi.org/…`, a `doi. org` split by a space joined, `%2F` in the DOI decoded). Only the
  text it fixes changes: front matter, line endings, a byte-order mark and every other character
  stay as they were. Listing corrections (authors, titles, years, journals: reconcile puts the
  registry's value in each finding's `details["suggestion"]`) are never applied: a person decides.

I/O edge: `plan_fix(file, findings)` reads one page's bytes, `write_fix(fix)` replaces the page
atomically (a killed run leaves each page either old or new)."""

from __future__ import annotations

import bisect
import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_bytes_atomically
from .doi import find_dois
from .errors import PageError
from .model import Finding
from .rules import DOI_TYPO

CANONICAL_RESOLVER = "https://doi.org/"
LINK_FIX = "doi-link"
"""Not a rule (a resolver link in an old form is not a problem in the wiki), but how `fix` names
the rewriting of one."""

# A resolver link's lead-in as written, with its scheme: http or https, dx. or not, `doi. org`
# split by a space (PDF copies), any case.
_RESOLVER = re.compile(r"https?://(?:dx\.)?doi\.\s?org/", re.IGNORECASE)
_RESOLVER_BEFORE = re.compile(_RESOLVER.pattern + "$", re.IGNORECASE)
_ENCODED_SLASH = re.compile("%2f", re.IGNORECASE)


# --- the page's text --------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One change to a page's text: `old` at [start, end) becomes `new`."""

    start: int
    end: int
    old: str
    new: str
    kind: str
    """`doi-typo` (a DOI repair the registry confirmed) or `doi-link` (a resolver link rewritten)."""
    line: int
    column: int


@dataclass(frozen=True)
class FixedText:
    text: str
    edits: tuple[Edit, ...]


def repaired_text(written: str, repaired: str) -> str:
    """`written` (a DOI as the page writes it, with its resolver or `doi:` lead-in) with its DOI
    replaced by `repaired`, keeping the page's own spelling (letter case) wherever the two agree,
    and a resolver lead-in in its canonical form."""
    start = written.find("10.")
    if start == -1:
        return repaired
    lead_in, doi = written[:start], written[start:]
    if _RESOLVER.fullmatch(lead_in):
        lead_in = CANONICAL_RESOLVER
    kept = []
    matcher = difflib.SequenceMatcher(None, doi.lower(), repaired.lower(), autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        kept.append(doi[old_start:old_end] if operation == "equal" else repaired[new_start:new_end])
    return lead_in + "".join(kept)


def fix_text(text: str, findings: Sequence[Finding] = ()) -> FixedText:
    """`text` (a whole page: front matter and body) with the sure fixes applied. `findings` are
    the page's findings; only `doi-typo` ones are used: one whose written text is still where it
    says has its repair applied wherever the page writes that damaged DOI alike (the scan reports
    a DOI at its first occurrence only: a link's text and its target are two)."""
    from .pages import split_front_matter

    # Lines and columns are counted as the scan counts them: without a byte-order mark.
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    content = text[len(bom):]
    try:
        _metadata, body, _body_line = split_front_matter(content, "page")
    except PageError:
        return FixedText(text, ())
    body_start = len(content) - len(body)
    line_starts = _line_starts(content)
    repairs = {
        _as_written(finding.details["raw"]): finding.details["repaired"]
        for finding in findings
        if _still_written(content, finding, line_starts)
    }
    edits = []
    for match in find_dois(body):
        start, end = body_start + match.start, body_start + match.end
        if _RESOLVER.match(match.raw) is None and (lead_in := _RESOLVER_BEFORE.search(content, max(0, start - 24), start)):
            start = lead_in.start()  # a lead-in the scanner does not count as part of the DOI (`HTTP://DX.DOI.ORG/`)
        old = content[start:end]
        if (repair := repairs.get(_as_written(match.raw))) is not None:
            new, kind = repaired_text(old, repair), DOI_TYPO.id
        else:
            # A damaged DOI's link too: the resolver resolves it the same in either form.
            new, kind = canonical_link(old), LINK_FIX
        if new != old:
            edits.append(Edit(start, end, old, new, kind, *_position(line_starts, start)))
    pieces = [bom]
    position = 0
    for edit in edits:
        pieces.append(content[position:edit.start])
        pieces.append(edit.new)
        position = edit.end
    pieces.append(content[position:])
    return FixedText("".join(pieces), tuple(edits))


def canonical_link(raw: str) -> str:
    """A resolver link in the form Crossref's display guidelines ask for; any other DOI text as it is."""
    lead_in = _RESOLVER.match(raw)
    if lead_in is None:
        return raw
    return CANONICAL_RESOLVER + _ENCODED_SLASH.sub("/", raw[lead_in.end():])


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


def _position(line_starts: list[int], offset: int) -> tuple[int, int]:
    index = bisect.bisect_right(line_starts, offset) - 1
    return index + 1, offset - line_starts[index] + 1


def _as_written(raw: str) -> str:
    """A DOI as the page writes it, without its lead-in, spaces or letter case: two cuts of one
    DOI written alike are one repair; two different cuts with the same leftover (`10.1098/`) are
    two."""
    return "".join(raw[max(raw.find("10."), 0):].split()).lower()


def _still_written(text: str, finding: Finding, line_starts: list[int]) -> bool:
    """Whether `finding` is a `doi-typo` repair whose text as written (`details["raw"]`) is still
    where the finding says: a page changed since it was checked is not repaired."""
    written, repaired = finding.details.get("raw"), finding.details.get("repaired")
    if finding.rule != DOI_TYPO.id or not isinstance(written, str) or not isinstance(repaired, str) or not written:
        return False
    if not 1 <= finding.line <= len(line_starts):
        return False
    start = line_starts[finding.line - 1] + finding.column - 1
    return text[start:start + len(written)] == written


def typo_region(finding: Finding) -> tuple[int, int, int, int, str] | None:
    """(start line, start column, end line, end column, replacement) of a `doi-typo` repair: the
    text as written (`details["raw"]`) and what replaces it, the end exclusive and columns in code
    points, for SARIF fixes; None for other findings."""
    written, repaired = finding.details.get("raw"), finding.details.get("repaired")
    if finding.rule != DOI_TYPO.id or not isinstance(written, str) or not isinstance(repaired, str):
        return None
    lines = written.split("\n")
    end_line = finding.line + len(lines) - 1
    end_column = (finding.column if len(lines) == 1 else 1) + len(lines[-1])
    return finding.line, finding.column, end_line, end_column, repaired_text(written, repaired)


# --- pages on disk ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageFix:
    """One page's fixes: its bytes before and after."""

    file: str
    old: bytes
    new: bytes
    edits: tuple[Edit, ...]

    def diff(self) -> bytes:
        """A unified diff (`a/` and `b/` prefixes, as `git apply` and `patch -p1` read it)."""
        # Relative to the current folder when the page is under it, else its absolute path without
        # the leading slash, as `git diff` names files: `patch -p1` applies it from there or from /.
        absolute = os.path.abspath(self.file)
        inside = not os.path.relpath(absolute).startswith("..")
        name = Path(os.path.relpath(absolute) if inside else absolute.lstrip("/")).as_posix()
        old_lines = self.old.decode("utf-8").splitlines(keepends=True)
        new_lines = self.new.decode("utf-8").splitlines(keepends=True)
        out = []
        for line in difflib.unified_diff(old_lines, new_lines, f"a/{name}", f"b/{name}"):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return "".join(out).encode("utf-8")


def plan_fix(file: str, findings: Sequence[Finding] = ()) -> PageFix:
    """The sure fixes for the page `file` (PageError when it cannot be read as UTF-8 text)."""
    try:
        old = Path(file).read_bytes()
    except OSError as error:
        raise PageError(file, f"cannot read: {error.strerror or error}") from None
    try:
        text = old.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PageError(file, f"not UTF-8 (byte 0x{old[error.start]:02x})") from None
    fixed = fix_text(text, findings)
    return PageFix(file, old, fixed.text.encode("utf-8"), fixed.edits)


def write_fix(fix: PageFix) -> None:
    """Replace the page with its fixed bytes atomically; a page behind a symbolic link is fixed
    where it lives, and the link stays a link."""
    write_bytes_atomically(Path(fix.file).resolve(), fix.new)
