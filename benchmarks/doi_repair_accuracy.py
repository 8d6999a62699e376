"""Repair candidates for damaged DOIs against tests/data/damaged_doi_labels.json.

    python benchmarks/doi_repair_accuracy.py [--part tune|holdout|all] [--corpus DIR] [--show]

For every labelled damaged DOI (a PDF copy, line break, typo or OCR damaged it; labelled without
running refkit), reads the page as `refkit scan` does and runs refkit's DOI finder on its body:
- recall: is the intended DOI there, as the DOI itself or among the match's candidates;
- cost: how many candidates each match lists (each one is a registry lookup);
- wrong repairs, against a SIMULATED registry (no network, no recorded answers): it holds every DOI
  found clean anywhere in the corpus (a DOI with no candidates) plus every labelled intended DOI.
  A candidate it holds that is not the intended DOI is a wrong repair; so is a DOI as written that it
  holds, reported broken. The real registry holds far more DOIs than this simulation, so a zero here
  says that the candidates do not collide with the corpus's own DOIs, not that none ever could.
Also, over the whole corpus: every match with candidates that no label covers (to read), and the
labelled negatives (text that must not be joined). The split into a tuning part and a held-out part
is fixed by SPLIT_SEED (tests/data/README.md); run `--part holdout` once, after tuning.
A measurement, not a test: it exits 0 once it has run."""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "damaged_doi_labels.json"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "vitamindwiki"
SPLIT_SEED = 6121
HOLDOUT_SHARE = 0.4
# The DOI itself is whole in these: the finder only has to find it, as it always did.
RESOLVER_ONLY = "resolver-space-cut"


def split(items: list[dict]) -> dict[str, list[dict]]:
    """The held-out part: `random.Random(SPLIT_SEED).sample` of 40% of the item positions."""
    held = set(random.Random(SPLIT_SEED).sample(range(len(items)), round(len(items) * HOLDOUT_SHARE)))
    return {
        "tune": [item for position, item in enumerate(items) if position not in held],
        "holdout": [item for position, item in enumerate(items) if position in held],
        "all": items,
    }


@dataclass
class Page:
    body: str
    body_line: int
    matches: list


def locate(page: Page, line: int, raw: str) -> tuple[int, int] | None:
    """Where the labelled text `raw`, starting on file line `line`, stands in the page body."""
    offset = 0
    for _ in range(line - page.body_line):
        offset = page.body.index("\n", offset) + 1
    position = page.body.find(raw, offset)
    return (position, position + len(raw)) if position != -1 else None


def overlapping(page: Page, span: tuple[int, int]) -> list:
    return [match for match in page.matches if match.start < span[1] and match.end > span[0]]


def on_its_lines(page: Page, span: tuple[int, int]) -> list:
    """The matches on the lines the labelled text spans: a link's target beside cut display text counts."""
    start = page.body.rfind("\n", 0, span[0]) + 1
    end = page.body.find("\n", span[1])
    return overlapping(page, (start, end if end != -1 else len(page.body)))


@dataclass
class Tally:
    items: int = 0
    found: int = 0  # the intended DOI as the DOI itself
    candidate: int = 0  # the intended DOI among the candidates
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    repaired: int = 0  # the simulated registry confirms the intended DOI

    def line(self, name: str) -> str:
        hits = self.found + self.candidate
        recall = hits / self.items if self.items else 1.0
        return (
            f"{name:28} {self.items:4d} items  recall {recall:.3f} ({self.found} as the DOI, {self.candidate} among"
            f" candidates)  repaired {self.repaired}  wrong {len(self.wrong)}"
        )


def score(item: dict, matches: list, nearby: list, registry: set[str], tally: Tally) -> None:
    intended = item["intended"]
    where = f"{item['file']}:{item['line']} {item['raw']!r}"
    tally.items += 1
    for match in matches:
        for candidate in match.candidates:
            if candidate in registry and candidate != intended:
                tally.wrong.append(f"{where}: candidate {candidate} (intended {intended})")
        if match.broken and match.doi in registry and match.doi != intended:
            tally.wrong.append(f"{where}: {match.doi} as written is held, reported broken")
    if any(not match.broken and match.doi == intended for match in nearby):
        tally.found += 1
        return
    if any(intended in match.candidates for match in matches):
        tally.candidate += 1
        # The lead's rule: a DOI as written that the registry holds stays; otherwise its first held candidate.
        for match in matches:
            if not match.broken and match.doi in registry:
                continue
            held = [candidate for candidate in match.candidates if candidate in registry]
            if held and held[0] == intended:
                tally.repaired += 1
                return
        return
    found = [(match.raw, match.doi, match.broken, match.candidates) for match in matches]
    tally.missed.append(f"{where}: intended {intended}, found {found}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("tune", "holdout", "all"), default="tune")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", action="store_true", help="list every miss, wrong repair and unlabelled match")
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from refkit.config import Settings
    from refkit.doi import find_dois
    from refkit.errors import PageError
    from refkit.pages import read_page

    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    settings = Settings()
    pages: dict[str, Page] = {}
    for path in sorted(options.corpus.glob("*.md")):
        try:
            page = read_page(path, settings)
        except PageError:
            continue
        pages[path.name] = Page(page.body, page.body_line, find_dois(page.body))

    all_matches = [match for page in pages.values() for match in page.matches]
    registry = {match.doi for match in all_matches if not match.broken and not match.candidates}
    registry |= {item["intended"] for item in labels["items"] if item["intended"]}

    labelled_spans: dict[str, list[tuple[int, int]]] = {}
    for item in labels["items"] + labels["negatives"]:
        page = pages[item["file"]]
        span = locate(page, item["line"], item["raw"])
        if span is None:
            raise SystemExit(f"label not found on its page: {item['file']}:{item['line']} {item['raw']!r}")
        item["span"] = span
        labelled_spans.setdefault(item["file"], []).append(span)

    part = split(labels["items"])[options.part]
    damaged, resolver_only = Tally(), Tally()
    by_kind: dict[str, Tally] = {}
    for item in part:
        if item["intended"] is None:
            continue  # nothing to rebuild; its candidates still count as wrong repairs below
        page = pages[item["file"]]
        matches, nearby = overlapping(page, item["span"]), on_its_lines(page, item["span"])
        tally = resolver_only if item["kind"] == RESOLVER_ONLY else damaged
        score(item, matches, nearby, registry, tally)
        if item["kind"] != RESOLVER_ONLY:
            score(item, matches, nearby, registry, by_kind.setdefault(item["kind"], Tally()))
    unrebuildable = [
        f"{item['file']}:{item['line']}: candidate {candidate} for text nobody can rebuild"
        for item in part
        if item["intended"] is None
        for match in overlapping(pages[item["file"]], item["span"])
        for candidate in match.candidates
        if candidate in registry
    ]

    negatives = []
    for negative in labels["negatives"]:
        for match in overlapping(pages[negative["file"]], negative["span"]):
            if match.candidates or match.end > negative["span"][1]:
                negatives.append(f"{negative['file']}:{negative['line']} {negative['raw']!r}: {match}")

    with_candidates = [match for match in all_matches if match.candidates]
    counts = Counter(len(match.candidates) for match in with_candidates)
    unlabelled = [
        (name, match)
        for name, page in pages.items()
        for match in page.matches
        if match.candidates
        and not any(match.start < end and match.end > start for start, end in labelled_spans.get(name, []))
    ]
    unlabelled_held = [(name, match) for name, match in unlabelled if set(match.candidates) & registry]

    print(f"labels: {LABELS.name}, part {options.part} (split seed {SPLIT_SEED}, {HOLDOUT_SHARE:.0%} held out)")
    print(damaged.line("damaged DOIs"))
    for kind, tally in sorted(by_kind.items()):
        print("  " + tally.line(kind))
    print(resolver_only.line("resolver split only"))
    print(f"wrong repairs (simulated registry): {len(damaged.wrong) + len(resolver_only.wrong) + len(unrebuildable)}")
    print(
        f"corpus: {len(pages)} pages, {len(all_matches)} matches, {len(with_candidates)} with candidates, "
        f"{sum(len(match.candidates) for match in with_candidates)} candidates (per match: "
        + ", ".join(f"{size}: {number}" for size, number in sorted(counts.items()))
        + ")"
    )
    print(f"corpus matches with candidates outside the labels: {len(unlabelled)}, held by the simulated registry: {len(unlabelled_held)}")
    print(f"negatives joined or given candidates: {len(negatives)} of {len(labels['negatives'])}")
    if options.show:
        for title, lines in (
            ("missed", damaged.missed + resolver_only.missed),
            ("wrong", damaged.wrong + resolver_only.wrong + unrebuildable),
            ("negatives", negatives),
            ("outside the labels", [f"{name}: {match.raw!r} -> {match.candidates}" for name, match in unlabelled]),
        ):
            print(f"\n{title}: {len(lines)}")
            for line in lines:
                print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
