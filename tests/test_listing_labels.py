"""The author listings refkit reads against names labelled by people (benchmarks/listing_accuracy.py
measures them; tests/data/README.md says how each sample was drawn and labelled). Floors a little
under the figures measured, so that a change which makes reading worse fails here.

The held-out corpus part was run once, at commit f043a6c (F1 0.941, 77 of 94 exactly right, one
junk person); what it showed was then fixed, so its floor below is no longer a held-out figure.
GROBID's test part, the references' held-out part and the second held-out corpus sample
(listing_labels_holdout2.json, scored once at fc012d3) were never looked at beyond their scores. The third
held-out sample was scored once at d00a25f (F1 0.949, 120 of 137) and then tuned on; the fourth was scored once
at 921b7e7 (F1 0.953, 121 of 136) and then tuned on; the fifth was scored once at 06ea064 (F1 0.958, 105 of
119), and a false person, a group read as a person and one ending it showed were fixed. The sixth was scored
once at edcd1cb (F1 0.971, 104 of 113), then tuned on (glued letters ending in "e"); the seventh was scored
once at 0739913 (F1 0.979, 118 of 129) and not tuned on (a rule taken back since changed none of its readings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_benchmark

DATA = Path(__file__).resolve().parent / "data"


def _check(score: object, f1: float, exact: float) -> None:
    assert score.f1 >= f1, score.line()
    assert score.exact_share >= exact, score.line()
    assert not score.junk, score.junk  # no degree, role, marker, e-mail or affiliation word became a person


@pytest.mark.parametrize(
    ("labels", "listings", "f1", "exact"),
    [
        ("listing_labels.json", 133, 0.995, 0.98),
        ("listing_labels_holdout.json", 94, 0.97, 0.9),
        ("listing_labels_holdout2.json", 133, 0.95, 0.85),  # scored once, never looked at: F1 0.959, 116 of 133
        ("listing_labels_holdout3.json", 137, 0.95, 0.9),
        ("listing_labels_holdout4.json", 136, 0.96, 0.92),
        ("listing_labels_holdout5.json", 119, 0.955, 0.88),
        ("listing_labels_holdout6.json", 113, 0.975, 0.92),
        ("listing_labels_holdout7.json", 129, 0.975, 0.9),  # scored once, not tuned on: F1 0.979, 118 of 129
    ],
)
def test_corpus_listings(labels: str, listings: int, f1: float, exact: float) -> None:
    accuracy = load_benchmark("listing_accuracy")
    score = accuracy.score(accuracy.corpus_listings(DATA / labels))
    assert score.listings == listings
    _check(score, f1, exact)


@pytest.mark.parametrize(("part", "listings", "f1", "exact"), [("tune", 85, 0.99, 0.95), ("holdout", 84, 0.985, 0.95)])
def test_reference_strings_through_refkit_scan(part: str, listings: int, f1: float, exact: float) -> None:
    accuracy = load_benchmark("listing_accuracy")
    score = accuracy.score(accuracy.reference_listings(DATA / "reference_author_labels.json", part))
    assert score.listings == listings
    _check(score, f1, exact)


@pytest.mark.parametrize(("part", "blocks", "f1", "exact"), [("tune", 375, 0.935, 0.79), ("test", 483, 0.93, 0.86)])
def test_grobid_author_blocks_through_refkit_scan(part: str, blocks: int, f1: float, exact: float) -> None:
    accuracy = load_benchmark("listing_accuracy")
    score = accuracy.score(accuracy.grobid_listings(part))
    assert score.listings == blocks
    assert score.f1 >= f1, score.line()
    assert score.exact_share >= exact, score.line()
    # one in the tune part: "Dorothy Duo- duo Ma" read with the family name "Ma" (GROBID: "Duo-duo Ma"), which the
    # junk check takes for the degree MA
    assert len(score.junk) <= (part == "tune"), score.junk
