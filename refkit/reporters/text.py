"""Plain text for people: `file:line:column: severity rule: message`, grouped by file,
then one summary line."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TextIO

from ..model import Finding
from . import Summary, finding_line, sorted_findings, summary_line


def render(findings: Sequence[Finding], summary: Summary, stream: TextIO) -> None:
    for index, (_file, group) in enumerate(groupby(sorted_findings(findings), key=lambda finding: finding.file)):
        if index:
            stream.write("\n")
        for finding in group:
            stream.write(finding_line(finding) + "\n")
    if findings:
        stream.write("\n")
    stream.write(summary_line(summary) + "\n")
