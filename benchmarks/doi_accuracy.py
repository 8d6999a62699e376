"""DOI extraction accuracy against the hand-checked sample in tests/data/doi_labels.json.

    python benchmarks/doi_accuracy.py [--labels FILE] [--corpus DIR]

Runs refkit's page reader and scanner on every labelled page and prints true/false positives
and negatives, precision and recall of the DOIs (the score that matters), the same for broken
DOIs (shown apart), and every disagreement with its file and DOI. How the labels were made is
in tests/data/README.md. A measurement, not a test: it always exits 0 once it has run."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LABELS = ROOT / "tests" / "data" / "doi_labels.json"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "vitamindwiki"
RESOLVER = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


@dataclass
class Tally:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def add(self, other: Tally) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    def line(self) -> str:
        return (
            f"TP {self.true_positives:4d}  FP {self.false_positives:3d}  FN {self.false_negatives:3d}  "
            f"precision {self.precision:.4f}  recall {self.recall:.4f}"
        )


@dataclass
class PageResult:
    dois: Tally = field(default_factory=Tally)
    broken: Tally = field(default_factory=Tally)
    disagreements: list[str] = field(default_factory=list)
    repaired: int = 0


def broken_text(text: str) -> str:
    """Broken DOIs are compared as written, without resolver, case or trailing punctuation."""
    return RESOLVER.sub("", text.strip()).lower().rstrip(".,;:")


def same_broken(label: str, found: set[str]) -> bool:
    # Where broken text ends is itself uncertain, so one being a prefix of the other is a match.
    return any(label.startswith(text) or text.startswith(label) for text in found if text)


def compare(label: dict, citations: list) -> PageResult:
    result = PageResult()
    file = label["file"]
    found_dois = {c.doi for c in citations if c.kind == "doi"}
    found_broken = {c for c in citations if c.kind == "broken"}
    also_accept = label.get("also_accept", {})
    repairs = label.get("repairs", [])
    repaired_dois = {repair["doi"] for repair in repairs}

    matched: set[str] = set()
    for doi in label["dois"]:
        hits = {doi, also_accept.get(doi)} & found_dois
        if hits:
            result.dois.true_positives += 1
            matched |= hits
        else:
            result.dois.false_negatives += 1
            result.disagreements.append(f"FN doi     {file}: {doi}")
    for doi in sorted(found_dois - matched):
        if doi in repaired_dois:
            result.repaired += 1
            result.disagreements.append(f"repaired   {file}: {doi} (page has it broken; not scored)")
            continue
        result.dois.false_positives += 1
        raw = next(c.raw for c in citations if c.kind == "doi" and c.doi == doi)
        line = next(c.line for c in citations if c.kind == "doi" and c.doi == doi)
        result.disagreements.append(f"FP doi     {file}:{line}: {doi}  (raw {raw!r})")

    found_texts = {broken_text(c.doi) for c in found_broken} | {broken_text(c.raw) for c in found_broken}
    used: set[str] = set()
    for text in label["broken"]:
        wanted = broken_text(text)
        fixed = {r["doi"] for r in repairs if broken_text(r["written"]).startswith(wanted)}
        if same_broken(wanted, found_texts) or fixed & found_dois:
            result.broken.true_positives += 1
            used |= {t for t in found_texts if wanted.startswith(t) or t.startswith(wanted)}
        else:
            result.broken.false_negatives += 1
            result.disagreements.append(f"FN broken  {file}: {text!r}")
    for citation in found_broken:
        texts = {broken_text(citation.doi), broken_text(citation.raw)}
        if texts & used:
            continue
        result.broken.false_positives += 1
        result.disagreements.append(f"FP broken  {file}:{citation.line}: {citation.raw!r}")
    return result


def labelled_pages(description: str, default_labels: Path) -> tuple[Path, list[tuple[dict[str, Any], Any]]]:
    """Read `--labels FILE` and `--corpus DIR`: the labels file and each labelled page with refkit's
    reading of it (a `Page`)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--labels", type=Path, default=default_labels)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from refkit.config import Settings
    from refkit.pages import read_page

    labels = json.loads(options.labels.read_text(encoding="utf-8"))
    settings = Settings()
    return options.labels, [(label, read_page(options.corpus / label["file"], settings)) for label in labels["pages"]]


def print_by_group(pages: list[tuple[dict[str, Any], Any]], by_group: dict[str, Tally]) -> None:
    groups = Counter(label.get("group", "all") for label, _ in pages)
    for group, tally in by_group.items():
        print(f"  {group:7} ({groups[group]:3d} pages) {tally.line()}")


def print_disagreements(disagreements: list[str]) -> None:
    print(f"\n{len(disagreements)} disagreement(s):" if disagreements else "\nno disagreements")
    for disagreement in disagreements:
        print(f"  {disagreement}")


def main() -> int:
    labels_file, pages = labelled_pages(__doc__.splitlines()[0], DEFAULT_LABELS)
    from refkit.scan import scan_page

    totals, broken_totals = Tally(), Tally()
    by_group: dict[str, Tally] = {}
    repaired = 0
    disagreements: list[str] = []
    for label, page in pages:
        result = compare(label, scan_page(page))
        totals.add(result.dois)
        broken_totals.add(result.broken)
        by_group.setdefault(label.get("group", "all"), Tally()).add(result.dois)
        repaired += result.repaired
        disagreements.extend(result.disagreements)

    labelled = sum(len(label["dois"]) for label, _ in pages)
    print(f"labels: {labels_file} ({len(pages)} pages, {labelled} DOIs)")
    print(f"DOIs      {totals.line()}")
    print_by_group(pages, by_group)
    print(f"broken    {broken_totals.line()}")
    print(f"repaired  {repaired} DOI(s) the page writes broken, reported whole (not scored)")
    print_disagreements(disagreements)
    return 0


if __name__ == "__main__":
    sys.exit(main())
