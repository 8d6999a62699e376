"""The scanner against the hand-labelled corpus samples (made without looking at the scanner; see
tests/data/README.md): precision and recall of at least 0.99 on each."""

import json
from pathlib import Path

import pytest
from conftest import load_benchmark

from refkit.config import Settings
from refkit.pages import read_page
from refkit.scan import scan_page

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("name", "pages"), [("doi_labels.json", 130), ("doi_labels_holdout.json", 80)])
def test_precision_and_recall_on_the_labelled_samples(shared_dir: Path, name: str, pages: int) -> None:
    accuracy = load_benchmark("doi_accuracy")
    labels = json.loads((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
    corpus = shared_dir / "corpus" / "vitamindwiki"
    dois, broken = accuracy.Tally(), accuracy.Tally()
    for label in labels["pages"]:
        result = accuracy.compare(label, scan_page(read_page(corpus / label["file"], Settings())))
        dois.add(result.dois)
        broken.add(result.broken)
    assert len(labels["pages"]) == pages
    precision = dois.true_positives / (dois.true_positives + dois.false_positives)
    recall = dois.true_positives / (dois.true_positives + dois.false_negatives)
    assert precision >= 0.99, precision
    assert recall >= 0.99, recall
    assert broken.false_positives == 0
    assert broken.false_negatives <= 1
