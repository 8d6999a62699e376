"""A JSON array of findings with the keys rule, severity, file, line, column, doi, id (the cited
identifier: the DOI, `pmid:…` or `pmcid:…`), message,
details (public API: keep them stable), and nothing else."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from ..model import Finding
from . import Summary, sorted_findings

KEYS = ("rule", "severity", "file", "line", "column", "doi", "id", "message", "details")


def finding_as_dict(finding: Finding) -> dict[str, Any]:
    return {key: getattr(finding, key) for key in KEYS}


def render(findings: Sequence[Finding], summary: Summary, stream: TextIO) -> None:
    json.dump([finding_as_dict(finding) for finding in sorted_findings(findings)], stream, indent=2, ensure_ascii=False)
    stream.write("\n")
