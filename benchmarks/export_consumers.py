"""How many entries refkit writes and how many each real consumer reads back, with biber's warnings
by kind, for (1) every full Crossref record in ../shared/crossref (single envelopes, lists/, csl/,
and the queries/ items that are full records) and (2) the corpus, exported offline with a base URL.

    .venv/bin/python benchmarks/export_consumers.py                      # this checkout
    .venv/bin/python benchmarks/export_consumers.py --refkit /tmp/before # another checkout's refkit
                                                                         # (e.g. `git archive main`)

Needs pandoc, biber, node and `npm ci --prefix tests/node` (Citation.js). Prints a Markdown report."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CROSSREF = SHARED / "crossref"
CORPUS = SHARED / "corpus" / "vitamindwiki"
BASE_URL = "https://vitamindwiki.com"
sys.path.insert(0, str(REPO / "tests"))

import consumers  # noqa: E402  (tests/consumers.py: the consumers, run as the tests run them)


def _load(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return json.loads(raw)


def _is_full(record: Any) -> bool:
    """A whole work record, not a `select=` answer (those lack publisher and issued)."""
    return isinstance(record, dict) and all(key in record for key in ("DOI", "type", "title", "publisher", "issued"))


def recorded_records() -> tuple[list[Any], int]:
    """Every full recorded work (as Work) in file order, first record of a DOI kept; and the count
    of records before de-duplication."""
    from refkit.sources.crossref import work_from_crossref
    from refkit.sources.doiorg import work_from_csl

    works: dict[str, Any] = {}
    count = 0
    files = [*sorted(CROSSREF.glob("*.json")), *sorted((CROSSREF / "lists").glob("*.json*")),
             *sorted((CROSSREF / "queries").glob("*.json*"))]  # fmt: skip
    for path in files:
        if path.name.endswith(".headers.json"):
            continue
        body = _load(path)
        message = body.get("message") if isinstance(body, dict) else None
        if isinstance(message, dict) and "DOI" in message:
            items = [message]
        elif isinstance(message, dict):
            items = message.get("items") or []
        else:
            items = body if isinstance(body, list) else []
        for item in items:
            if _is_full(item):
                count += 1
                works.setdefault(item["DOI"].lower(), work_from_crossref(item))
    for path in sorted((CROSSREF / "csl").glob("*.json")):
        count += 1
        csl = _load(path)
        works.setdefault(str(csl["DOI"]).lower(), work_from_csl(csl))
    return list(works.values()), count


def export_records(folder: Path) -> dict[str, Path]:
    from refkit.exports import FORMATS, render
    from refkit.model import PageLink, Reference

    works, count = recorded_records()
    print(f"recorded: {count} full records, {len(works)} distinct works\n")
    page = (PageLink(f"{BASE_URL}/benchmark/", "Benchmark page", "benchmark.md"),)
    references = [Reference(work, page, verified=True) for work in works]
    paths = {}
    for name, export_format in FORMATS.items():
        paths[name] = folder / f"records{export_format.suffix}"
        paths[name].write_text(render(references, export_format), encoding="utf-8")
    return paths


def export_corpus(folder: Path, refkit_src: Path) -> dict[str, Path]:
    env = {**os.environ, "PYTHONPATH": str(refkit_src), "XDG_CACHE_HOME": str(folder / "cache")}
    paths = {}
    for name, suffix in (("bibtex", ".bib"), ("csljson", ".json"), ("ris", ".ris")):
        paths[name] = folder / f"corpus{suffix}"
        command = [sys.executable, "-c", "from refkit.cli import main; main()", "export", str(CORPUS), "--offline",
                   "--base-url", BASE_URL, "--store", str(folder / "store.sqlite3"), "--format", name, "-o", str(paths[name])]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        print(f"corpus {name}: exit {result.returncode}; {result.stderr.strip().splitlines()[-1]}")
    print()
    return paths


def measure(label: str, paths: dict[str, Path]) -> None:
    import bibtexparser

    from refkit.exports.ris import parse as parse_ris

    schema = json.loads((SHARED / "schemas" / "csl-data.json").read_text("utf-8"))
    bib, csl, ris = paths["bibtex"], paths["csljson"], paths["ris"]
    library = bibtexparser.parse_string(bib.read_text("utf-8"))
    items = json.loads(csl.read_text("utf-8"))
    biber_entries, biber_warnings = consumers.biber_tool(bib)
    rows = [
        ("BibTeX", "written", len(library.entries) + len(library.failed_blocks)),
        ("BibTeX", "bibtexparser", len(library.entries)),
        ("BibTeX", "biber --tool --validate-datamodel", biber_entries),
        ("BibTeX", "pandoc (biblatex reader)", len(consumers.pandoc_items(bib, "biblatex"))),
        ("BibTeX", "Citation.js", len(consumers.citation_js("bibtex", bib))),
        ("CSL-JSON", "written", len(items)),
        ("CSL-JSON", "valid against the CSL schema", len(items) - consumers.csl_schema_errors(items, schema)),
        ("CSL-JSON", "pandoc (csljson reader)", len(consumers.pandoc_items(csl, "csljson"))),
        ("CSL-JSON", "Citation.js", len(consumers.citation_js("csljson", csl))),
        ("RIS", "written", len(parse_ris(ris.read_text("utf-8")))),
        ("RIS", "Citation.js", len(consumers.citation_js("ris", ris))),
    ]
    print(f"### {label}\n\n| format | reader | entries |\n|---|---|---|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")
    print(f"\nbiber warnings by kind ({sum(biber_warnings.values())}):\n")
    for kind, number in sorted(biber_warnings.items(), key=lambda item: (-item[1], item[0])):
        print(f"- {number} × {kind}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refkit", type=Path, default=REPO, help="folder holding the refkit package to measure")
    args = parser.parse_args()
    sys.path.insert(0, str(args.refkit.resolve()))
    import refkit

    print(f"refkit from {Path(refkit.__file__).parent}\n")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        measure("~470 recorded works (../shared/crossref)", export_records(folder))
        measure(f"corpus, offline, --base-url {BASE_URL}", export_corpus(folder, args.refkit.resolve()))


if __name__ == "__main__":
    main()
