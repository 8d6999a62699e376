"""SARIF 2.1.0 for GitHub code scanning: every rule's metadata in tool.driver.rules, one
result per finding with its page and position, and a fingerprint so code scanning tracks a
finding across commits as the line moves. A finding refkit can fix (a DOI repair the registry
confirmed, whose text span on the page is known) carries a SARIF `fixes` entry with the
replacement; every suggestion is also in the result's `properties.details.suggestion`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from .. import __version__
from ..baseline import fingerprint
from ..fix import typo_region
from ..model import Finding
from ..rules import RULES
from . import Summary, sorted_findings

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://pypi.org/project/refkit/"


def _uri(file: str) -> str:
    """A relative URI reference: forward slashes, reserved characters percent-encoded."""
    return quote(PurePath(file).as_posix(), safe="/")


def _rules() -> list[dict[str, Any]]:
    return [
        {
            "id": rule.id,
            "name": "".join(part.capitalize() for part in rule.id.split("-")),
            "shortDescription": {"text": rule.description},
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
        }
        for rule in RULES
    ]


def _result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.file), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)},
                }
            }
        ],
        "partialFingerprints": {"refkitFinding/v1": fingerprint(finding)},
        "properties": {"doi": finding.doi, "details": finding.details},
    }
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    fix = _fix(finding)
    if fix is not None:
        result["fixes"] = [fix]
    return result


def _fix(finding: Finding) -> dict[str, Any] | None:
    region = typo_region(finding)
    if region is None:
        return None
    start_line, start_column, end_line, end_column, replacement = region
    return {
        "description": {"text": f"Replace with {replacement}, the DOI the registry knows."},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": _uri(finding.file), "uriBaseId": "%SRCROOT%"},
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": start_line,
                            "startColumn": start_column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        },
                        "insertedContent": {"text": replacement},
                    }
                ],
            }
        ],
    }


def render(findings: Sequence[Finding], summary: Summary, stream: TextIO) -> None:
    rules = _rules()
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "refkit",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(finding, rule_index) for finding in sorted_findings(findings)],
            }
        ],
    }
    json.dump(log, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
