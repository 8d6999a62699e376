"""The PMID/PMCID finder against the hand-labelled corpus samples (labelled without reading or running
refkit; see tests/data/README.md): precision and recall of at least 0.99 on each, PMIDs and PMCIDs together."""

import json
from pathlib import Path

import pytest
from conftest import load_benchmark

from refkit.config import Settings
from refkit.pages import read_page

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("name", "pages"), [("pmid_labels.json", 137), ("pmid_labels_holdout.json", 80)])
def test_precision_and_recall_on_the_labelled_samples(shared_dir: Path, name: str, pages: int) -> None:
    accuracy = load_benchmark("pmid_accuracy")
    labels = json.loads((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
    corpus = shared_dir / "corpus" / "vitamindwiki"
    total = accuracy.Tally()
    for label in labels["pages"]:
        page = read_page(corpus / label["file"], Settings())
        result = accuracy.compare(label, accuracy.found_on_page(page.body, page.body_line))
        for tally in result.tallies.values():
            total.add(tally)
    assert len(labels["pages"]) == pages
    assert total.true_positives > 0
    assert total.precision >= 0.99, total.precision
    assert total.recall >= 0.99, total.recall
