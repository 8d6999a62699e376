"""Plain text for people: a summary first (totals, findings per rule, the pages with most
findings), then the findings grouped by page, each as `file:line:column: severity rule:
message` (as compilers and editors read it), then the summary line again, so the end of a CI
log says it too (without findings, only that line). ANSI colours when `summary.color`; only the
finding lines when `summary.quiet`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ..model import Finding
from . import Summary, by_page, count, finding_line, page_counts, severity_counts, summary_line

_RESET = "\033[0m"
_STYLES = {
    "error": "\033[1;31m",
    "warning": "\033[33m",
    "info": "\033[36m",
    "page": "\033[1m",
    "dim": "\033[2m",
    "heading": "\033[1m",
}


def render(findings: Sequence[Finding], summary: Summary, stream: TextIO) -> None:
    def paint(text: str, style: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if summary.color else text

    grouped = by_page(findings)
    if grouped and not summary.quiet:
        stream.write(paint(f"refkit check: {summary_line(summary)}", "heading") + "\n")
        if summary.rules:
            stream.write("\nFindings per rule:\n")
            width = max(len(rule.rule) for rule in summary.rules)
            for rule in summary.rules:
                stream.write(f"  {paint(f'{rule.severity:<7}', rule.severity)}  {rule.rule:<{width}}  {rule.count:>6}\n")
        if len(grouped) > 1 and summary.worst_pages:
            stream.write("\nPages with most findings:\n")
            width = max(len(str(page.total)) for page in summary.worst_pages)
            name_width = max(len(page.file) for page in summary.worst_pages)
            for page in summary.worst_pages:
                counts = severity_counts(page.errors, page.warnings, page.infos)
                stream.write(f"  {page.total:>{width}}  {paint(f'{page.file:<{name_width}}', 'page')}  {paint(f'({counts})', 'dim')}\n")
        stream.write("\n")
    counts = page_counts(findings)
    for index, (file, group) in enumerate(grouped.items()):
        if index:
            stream.write("\n")
        if not summary.quiet:
            link = summary.page_links.get(file)
            where = f"  {link.url}" if link is not None and link.url else ""
            page = counts[file]
            stream.write(paint(f"{file}{where}", "page") + paint(f"  ({count(page.total, 'finding')})", "dim") + "\n")
        for finding in group:
            line = finding_line(finding)
            if summary.color:
                # Colour the severity word only: the line stays one an editor can parse.
                position = f"{finding.file}:{finding.line}:{finding.column}: "
                line = position + paint(finding.severity, finding.severity) + line[len(position) + len(finding.severity):]
            stream.write(line + "\n")
    if not summary.quiet:
        if grouped:
            stream.write("\n")
        stream.write(summary_line(summary) + "\n")
