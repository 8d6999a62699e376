"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`, which
the Actions runner shows as annotations on the pull request's changed lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ..model import Finding
from . import Summary, sorted_findings, summary_line

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
        stream.write(f"::{COMMANDS[finding.severity]} {properties}::{escape_data(finding.message)}\n")
    stream.write(summary_line(summary) + "\n")
