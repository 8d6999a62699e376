"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`, which
the Actions runner shows as annotations on the pull request's changed lines. A finding with a
suggestion says the registry's value in its message ("Suggested title: …"), so the annotation
alone tells what to change. GitHub shows only the first few annotations of each kind per step:
the markdown report (the Action's job summary) lists the rest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ..model import Finding
from . import Summary, sorted_findings, suggestion_of, summary_line

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The message part: %, CR and LF are encoded (the runner's own escaping rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: also ':' and ',', which would end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: Sequence[Finding], summary: Summary, stream: TextIO) -> None:
    for finding in sorted_findings(findings):
        properties = ",".join(
            f"{name}={escape_property(value)}"
            for name, value in (
                ("file", finding.file),
                ("line", str(finding.line)),
                ("col", str(finding.column)),
                ("title", f"refkit {finding.rule}"),
            )
        )
        stream.write(f"::{COMMANDS[finding.severity]} {properties}::{escape_data(message(finding))}\n")
    if not summary.quiet:
        stream.write(summary_line(summary) + "\n")


def message(finding: Finding) -> str:
    """The finding's message, and the registry's value when there is one to change to."""
    suggestion = suggestion_of(finding)
    return finding.message if suggestion is None else f"{finding.message} {suggestion}"
