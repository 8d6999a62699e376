"""GitHub-flavoured Markdown for a job summary (`$GITHUB_STEP_SUMMARY`), a pull-request comment
or a wiki page: the totals, findings per rule, the pages with most findings, then each page's
findings in a collapsible <details> block with links to the page on the wiki and to the work
(doi.org, or PubMed for a PMID) and what to change.

GitHub refuses a job summary over 1 MiB and shows nothing of it; pages that would not fit in
MAX_BYTES are named in a closing line instead of being listed."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TextIO
from urllib.parse import quote

from ..model import Finding
from . import Summary, by_page, count, identifier_link, page_counts, severity_counts, suggestion_of, summary_line

MAX_BYTES = 1_000_000
"""Under GitHub's 1,048,576-byte limit for one step's summary, with room for the closing line."""
ICONS = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
# Characters that would start emphasis, code, links, tables, headings, strikethrough or math.
_SPECIAL = re.compile(r"([\\`*_\[\]|#~$])")


def text(value: object) -> str:
    """Any text as Markdown that shows it as it is: one line, markup characters escaped."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def url(address: str) -> str:
    """A URL safe inside a Markdown link's parentheses."""
    return quote(address, safe=":/?#[]@!$&'*+,;=%~")


def link(label: str, address: str) -> str:
    return f"[{text(label)}]({url(address)})"


def _page_label(summary: Summary, file: str) -> str:
    """The page's title linked to the wiki, and its file; the file alone without a URL."""
    page = summary.page_links.get(file)
    name = f"`{file.replace('`', '')}`"
    if page is None or not page.url:
        return name
    return f"{link(page.title or page.url, page.url)} ({name})"


def _finding_item(finding: Finding) -> str:
    where = f"line {finding.line}" + (f", column {finding.column}" if finding.column > 1 else "")
    item = f"- {ICONS[finding.severity]} **{finding.severity}** `{finding.rule}` {where}: {text(finding.message)}"
    work = identifier_link(finding)
    if work is not None:
        item += f" {link(*work)}"
    suggestion = suggestion_of(finding)
    if suggestion is not None:
        applied = " (`refkit fix` applies it)" if suggestion.automatic else ""
        item += f"\n  - Suggested {text(suggestion.what)}: {text(suggestion.text)}{applied}"
    return item + "\n"


def _page_block(summary: Summary, file: str, findings: list[Finding]) -> str:
    counts = page_counts(findings)[file]
    page = summary.page_links.get(file)
    title = html.escape(page.title) if page is not None and page.title else ""
    heading = f"<strong>{title}</strong> <code>{html.escape(file)}</code>" if title else f"<code>{html.escape(file)}</code>"
    lines = [f"<details>\n<summary>{heading}: {severity_counts(counts.errors, counts.warnings, counts.infos)}</summary>\n\n"]
    if page is not None and page.url:
        lines.append(f"On the wiki: <{url(page.url)}>\n\n")
    lines.extend(_finding_item(finding) for finding in findings)
    lines.append("\n</details>\n\n")
    return "".join(lines)


def render(findings: Sequence[Finding], summary: Summary, stream: TextIO) -> None:
    parts = ["## refkit check\n\n", f"**{text(summary_line(summary))}**\n\n"]
    if summary.rules:
        parts.append("### Findings per rule\n\n| Rule | Severity | Findings |\n|---|---|--:|\n")
        parts.extend(f"| `{rule.rule}` | {ICONS[rule.severity]} {rule.severity} | {rule.count} |\n" for rule in summary.rules)
        parts.append("\n")
    if summary.worst_pages:
        parts.append("### Pages with most findings\n\n| Page | Errors | Warnings | Info |\n|---|--:|--:|--:|\n")
        parts.extend(
            f"| {_page_label(summary, page.file)} | {page.errors} | {page.warnings} | {page.infos} |\n"
            for page in summary.worst_pages
        )
        parts.append("\n")
    grouped = by_page(findings)
    if grouped:
        parts.append("### Findings by page\n\n")
    else:
        parts.append("No findings.\n")
    size = sum(len(part.encode("utf-8")) for part in parts)
    left_out: list[str] = []
    for file, group in grouped.items():
        block = _page_block(summary, file, group)
        block_size = len(block.encode("utf-8"))
        if left_out or size + block_size > MAX_BYTES:
            left_out.append(file)
            continue
        parts.append(block)
        size += block_size
    if left_out:
        hidden = sum(len(grouped[file]) for file in left_out)
        parts.append(
            f"*{count(len(left_out), 'more page')} with {count(hidden, 'finding')} do not fit in a job summary (GitHub shows at most"
            " 1 MiB); the json, sarif and html reports hold every finding.*\n"
        )
    stream.write("".join(parts))
