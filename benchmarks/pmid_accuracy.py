"""PMID and PMCID extraction accuracy against the hand-labelled sample in tests/data/pmid_labels.json.

    python benchmarks/pmid_accuracy.py [--labels FILE] [--corpus DIR]

Reads every labelled page with refkit's page reader, finds its ids with `refkit.pubmed.find_pubmed_ids`
on the page body, and prints true/false positives and negatives, precision and recall, for PMIDs and
PMCIDs apart and together, and every disagreement with its file, line and raw text. How the labels
were made is in tests/data/README.md. A measurement, not a test: it always exits 0 once it has run."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from doi_accuracy import ROOT, Tally, labelled_pages, print_by_group, print_disagreements  # one way of reading and counting for both samples

DEFAULT_LABELS = ROOT / "tests" / "data" / "pmid_labels.json"
KINDS = ("pmid", "pmcid")


@dataclass
class PageResult:
    tallies: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    disagreements: list[str] = field(default_factory=list)


def compare(label: dict, found: dict[str, dict[str, str]]) -> PageResult:
    """Score one page. `found` maps kind (`pmid`, `pmcid`) to {normalised id: where and how it was
    written}; a label's `also_accept` alternative (the id a lost digit was meant to be) counts too."""
    result = PageResult()
    also_accept = label.get("also_accept", {})
    for kind in KINDS:
        tally = result.tallies[kind]
        found_ids = found[kind]
        matched: set[str] = set()
        for wanted in label[f"{kind}s"]:
            hits = {wanted, also_accept.get(wanted)} & found_ids.keys()
            if hits:
                tally.true_positives += 1
                matched |= hits
            else:
                tally.false_negatives += 1
                result.disagreements.append(f"FN {kind:5}  {label['file']}: {wanted}")
        for extra in sorted(found_ids.keys() - matched):
            tally.false_positives += 1
            result.disagreements.append(f"FP {kind:5}  {label['file']}:{found_ids[extra]}: {extra}")
    return result


def found_on_page(body: str, body_line: int) -> dict[str, dict[str, str]]:
    """{kind: {id: "line (raw)"}} of the ids refkit finds in a page body, first occurrence each."""
    from refkit.pubmed import find_pubmed_ids

    found: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    for match in find_pubmed_ids(body):
        line = body_line + body.count("\n", 0, match.start)
        found[match.kind].setdefault(match.id, f"{line} ({match.raw!r})")
    return found


def main() -> int:
    labels_file, pages = labelled_pages(__doc__.splitlines()[0], DEFAULT_LABELS)
    totals = {kind: Tally() for kind in KINDS}
    by_group: dict[str, Tally] = {}
    disagreements: list[str] = []
    for label, page in pages:
        result = compare(label, found_on_page(page.body, page.body_line))
        group = by_group.setdefault(label.get("group", "all"), Tally())
        for kind in KINDS:
            totals[kind].add(result.tallies[kind])
            group.add(result.tallies[kind])
        disagreements.extend(result.disagreements)

    both = Tally()
    for tally in totals.values():
        both.add(tally)
    counts = {kind: sum(len(label[f"{kind}s"]) for label, _ in pages) for kind in KINDS}
    print(f"labels: {labels_file} ({len(pages)} pages, {counts['pmid']} PMIDs, {counts['pmcid']} PMCIDs)")
    print(f"PMIDs     {totals['pmid'].line()}")
    print(f"PMCIDs    {totals['pmcid'].line()}")
    print(f"together  {both.line()}")
    print_by_group(pages, by_group)
    print_disagreements(disagreements)
    return 0


if __name__ == "__main__":
    sys.exit(main())
