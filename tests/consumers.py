"""The real consumers of refkit's exports, run as their users run them: bibtexparser, biber (tool
mode, validating against biblatex's data model), pandoc's readers and --citeproc, Citation.js
(npm, installed into tests/node by .ci/run) and the CSL-JSON schema. Used by tests/test_exports.py
and benchmarks/export_consumers.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parent / "node"
CITATION_JS_MISSING = "Citation.js is not installed: run `npm ci --prefix tests/node` (.ci/run does)"


def biber_tool(bib: Path) -> tuple[int, Counter[str]]:
    """Entries biber writes back in tool mode with --validate-datamodel, and its warnings by kind
    (the message without the entry key, e.g. "Missing mandatory field 'journaltitle'")."""
    output = bib.with_name(bib.stem + "_bibertool.bib")
    result = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file", output.name, bib.name],
        capture_output=True, text=True, timeout=600, check=False, cwd=bib.parent,
    )  # fmt: skip
    log = result.stdout + result.stderr
    if result.returncode != 0 or not output.exists():
        raise RuntimeError(f"biber failed ({result.returncode}):\n{log}")
    kinds: Counter[str] = Counter()
    for line in log.splitlines():
        if line.startswith(("WARN", "ERROR")):
            message = re.sub(r"^.*?Entry '[^']*' \([^)]*\): ", "", line.split(" - ", 1)[-1])
            kinds[message] += 1
    written = output.read_text(encoding="utf-8")
    return len(re.findall(r"^@", written, flags=re.MULTILINE)), kinds


def pandoc_items(path: Path, reader: str) -> list[dict[str, Any]]:
    """What pandoc's bibliography reader (`biblatex` or `csljson`) makes of the file, as CSL-JSON."""
    result = subprocess.run(
        ["pandoc", "-f", reader, "-t", "csljson", str(path)], capture_output=True, text=True, timeout=600, check=True
    )
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def pandoc_citeproc(bibliography: Path, style: Path | None = None) -> tuple[str, list[str]]:
    """Every entry rendered by pandoc --citeproc (nocite @*) as plain text, and pandoc's warnings."""
    document = bibliography.with_name("cite-all.md")
    document.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    command = ["pandoc", str(document), "--citeproc", "--bibliography", str(bibliography), "-t", "plain", "--wrap=none"]
    if style is not None:
        command += ["--csl", str(style)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True)
    return result.stdout, [line for line in result.stderr.splitlines() if "[WARNING]" in line]


def citation_js(format_name: str, path: Path) -> list[dict[str, Any]]:
    """The CSL items Citation.js reads from an export (`bibtex`, `csljson` or `ris`)."""
    if not (NODE_DIR / "node_modules" / "@citation-js" / "core").is_dir() or shutil.which("node") is None:
        raise RuntimeError(CITATION_JS_MISSING)
    result = subprocess.run(
        ["node", str(NODE_DIR / "read.js"), format_name, str(path)], capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"Citation.js failed on {path}:\n{result.stderr}")
    items: list[dict[str, Any]] = json.loads(result.stdout)["items"]
    return items


def csl_schema_errors(items: list[dict[str, Any]], schema: dict[str, Any]) -> int:
    """How many items the CSL-JSON schema rejects."""
    import jsonschema

    validator = jsonschema.Draft7Validator({**schema["items"], "definitions": schema.get("definitions", {})})
    return sum(1 for item in items if not validator.is_valid(item))
