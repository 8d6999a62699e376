"""Baselines: a file of known findings that `refkit check --baseline` does not report again.

A finding is known by its rule, file, DOI and a fingerprint of what the page says that the
rule objects to (the listed value, or the broken text) — not by line or message, so edits
above it or a reworded message do not bring it back, while a different wrong value does.

Format (JSON, sorted, one entry per finding): {"version": 1, "findings": [{"rule", "file",
"doi", "fingerprint", "message"}]}; `message` is there for people reading the file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .atomic import write_text_atomically
from .errors import ConfigError
from .model import Finding

VERSION = 1
BaselineKey = tuple[str, str, str, str]


def fingerprint(finding: Finding) -> str:
    """Stable across line moves and message wording; changes when the objected-to value changes."""
    subject = finding.details.get("found", finding.details.get("raw"))
    text = json.dumps([finding.rule, finding.doi, subject], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _file_key(file: str) -> str:
    return Path(file).as_posix()


def key(finding: Finding) -> BaselineKey:
    return (finding.rule, _file_key(finding.file), finding.id or finding.doi or "", fingerprint(finding))


def _entry(finding: Finding) -> dict[str, Any]:
    rule, file, doi, print_ = key(finding)
    return {"rule": rule, "file": file, "doi": doi, "fingerprint": print_, "message": finding.message}


def read_baseline(path: str) -> frozenset[BaselineKey]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the baseline: {error.strerror}") from None
    except ValueError as error:
        raise ConfigError(f"{path}: the baseline is not valid JSON: {error}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path}: not a refkit baseline (expected version {VERSION} with a 'findings' list)")
    try:
        return frozenset(
            (entry["rule"], entry["file"], entry["doi"], entry["fingerprint"]) for entry in data["findings"]
        )
    except (KeyError, TypeError):
        raise ConfigError(f"{path}: a baseline entry lacks rule, file, doi or fingerprint") from None


def without_known(findings: Iterable[Finding], known: frozenset[BaselineKey]) -> list[Finding]:
    return [finding for finding in findings if key(finding) not in known]


def write_baseline(path: str, findings: Sequence[Finding]) -> None:
    """Atomically: a run that fails leaves the old baseline as it was."""
    entries = sorted(
        {tuple(entry.items()): entry for entry in map(_entry, findings)}.values(),
        key=lambda entry: (entry["file"], entry["rule"], entry["doi"], entry["fingerprint"]),
    )
    text = json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"
    try:
        write_text_atomically(path, text)
    except OSError as error:
        raise ConfigError(f"{path}: cannot write the baseline: {error.strerror}") from None
