"""Baselines: a file of known findings that `refkit check --baseline` does not report again.

A finding is known by its rule, page, DOI and a fingerprint of what the page says that the
rule objects to (the listed value, or the broken text) — not by line or message, so edits
above it or a reworded message do not bring it back, while a different wrong value does.

Pages are stored relative to the root of the git repository holding the baseline file (else
the folder of the config file, else the baseline's own folder), and matched by where they
are, not by how they were named: a baseline written with `check content` from the
repository's root holds back the same findings for `cd content && refkit check .`, or for
`refkit check /abs/path/content`.

Format (JSON, sorted, one entry per finding): {"version": 2, "findings": [{"rule", "file",
"doi", "fingerprint", "message"}]}; `message` is there for people reading the file. Version 1
files (paths as they were given) are still read, relative to the current folder."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import write_text_atomically
from .errors import ConfigError
from .model import Finding

VERSION = 2
_READABLE_VERSIONS = (1, 2)
BaselineKey = tuple[str, str, str, str]


def fingerprint(finding: Finding) -> str:
    """Stable across line moves and message wording; changes when the objected-to value changes."""
    subject = finding.details.get("found", finding.details.get("raw"))
    text = json.dumps([finding.rule, finding.doi, subject], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def baseline_root(path: str | os.PathLike[str], config_file: str | None = None) -> Path:
    """What the baseline's paths are relative to: the git repository holding it, else the
    config file's folder, else the baseline's own folder."""
    from .git import toplevel

    folder = Path(os.path.realpath(Path(path).parent))
    if folder.is_dir() and (top := toplevel(folder)) is not None:
        return Path(os.path.realpath(top))
    if config_file is not None:
        return Path(os.path.realpath(Path(config_file).parent))
    return folder


@dataclass(frozen=True)
class Baseline:
    """The known findings of one baseline file, and the folder its paths are relative to."""

    root: Path
    keys: frozenset[BaselineKey] = frozenset()
    entries: tuple[dict[str, Any], ...] = ()
    """The entries as read (for rewriting the file)."""

    def page(self, file: str) -> str:
        """A page's path as the baseline stores it: relative to the root, with forward slashes."""
        return Path(os.path.relpath(os.path.realpath(file), self.root)).as_posix()

    def key(self, finding: Finding) -> BaselineKey:
        return (finding.rule, self.page(finding.file), finding.id or finding.doi or "", fingerprint(finding))

    def without_known(self, findings: Iterable[Finding]) -> list[Finding]:
        return [finding for finding in findings if self.key(finding) not in self.keys]


def read_baseline(path: str | os.PathLike[str], config_file: str | None = None) -> Baseline:
    root = baseline_root(path, config_file)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the baseline: {error.strerror}") from None
    except ValueError as error:
        raise ConfigError(f"{path}: the baseline is not valid JSON: {error}") from None
    if not isinstance(data, dict) or data.get("version") not in _READABLE_VERSIONS or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path}: not a refkit baseline (expected version {VERSION} with a 'findings' list)")
    try:
        entries = [dict(entry) for entry in data["findings"]]
        if data["version"] == 1:
            # Version 1 kept paths as given on the command line: relative to where refkit ran.
            baseline = Baseline(root)
            for entry in entries:
                entry["file"] = baseline.page(entry["file"])
        keys = frozenset((entry["rule"], entry["file"], entry["doi"], entry["fingerprint"]) for entry in entries)
    except (KeyError, TypeError, ValueError):
        raise ConfigError(f"{path}: a baseline entry lacks rule, file, doi or fingerprint") from None
    return Baseline(root, keys, tuple(entries))


def without_known(findings: Iterable[Finding], known: Baseline | None) -> list[Finding]:
    """`findings` less those the baseline knows (all of them without a baseline)."""
    return list(findings) if known is None else known.without_known(findings)


def write_baseline(
    path: str | os.PathLike[str],
    findings: Sequence[Finding],
    checked: Iterable[str] = (),
    config_file: str | None = None,
) -> int:
    """Record `findings` as the known ones, atomically (a run that fails leaves the old baseline
    as it was). Entries of an existing baseline for pages this run did not check (`checked`
    names every page it did, read or not) are kept while the page exists; entries for checked
    pages that no longer occur are dropped. Returns how many entries the file holds."""
    root = baseline_root(path, config_file)
    baseline = Baseline(root)
    entries = {_entry_key(entry): entry for entry in map(lambda finding: _entry(baseline, finding), findings)}
    if Path(path).exists():
        previous = read_baseline(path, config_file)
        checked_pages = {baseline.page(file) for file in checked}
        for entry in previous.entries:
            if entry["file"] not in checked_pages and (root / entry["file"]).exists():
                entries.setdefault(_entry_key(entry), entry)
    ordered = sorted(entries.values(), key=lambda entry: (entry["file"], entry["rule"], entry["doi"], entry["fingerprint"]))
    text = json.dumps({"version": VERSION, "findings": ordered}, indent=2, ensure_ascii=False) + "\n"
    try:
        write_text_atomically(path, text)
    except OSError as error:
        raise ConfigError(f"{path}: cannot write the baseline: {error.strerror}") from None
    return len(ordered)


def _entry(baseline: Baseline, finding: Finding) -> dict[str, Any]:
    rule, file, doi, print_ = baseline.key(finding)
    return {"rule": rule, "file": file, "doi": doi, "fingerprint": print_, "message": finding.message}


def _entry_key(entry: dict[str, Any]) -> BaselineKey:
    return (entry["rule"], entry["file"], entry["doi"], entry["fingerprint"])
