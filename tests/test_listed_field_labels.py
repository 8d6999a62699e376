"""The titles, journals and years refkit reads next to identifiers against what people read on the same
corpus pages (benchmarks/listed_fields_accuracy.py measures them; tests/data/README.md says how the samples
were drawn and labelled). Floors a little under the figures measured (in the comments), so that a change which
makes reading worse fails here; no more wrong titles that `check` would report than measured.

The first two samples were scored once and then tuned on: listed_field_labels.json at 57500fc (titles 138 of
150, journals 130 of 130, years 138 of 138), listed_field_labels_second.json at d67ed07 (titles 137 of 150).
The third, listed_field_labels_holdout.json, was scored once at d1a98b4 (titles 146 of 150) and is held out,
never tuned on; a review then made titles from a linked heading stricter, which costs it three right titles
and no wrong one."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from conftest import load_benchmark

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def _scores(labels: str) -> dict[str, Any]:
    """Every field of one sample, scored once (each run reads every field of every labelled citation)."""
    return load_benchmark("listed_fields_accuracy").score([DATA / labels])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("labels", "field", "right", "precision", "drawing_findings"),
    [
        ("listed_field_labels.json", "title", 144, 0.975, 0),  # measured 146, 0.980, 0
        ("listed_field_labels.json", "journal", 128, 1.0, 0),  # 130, 1.0
        ("listed_field_labels.json", "year", 136, 1.0, 0),  # 138, 1.0
        ("listed_field_labels_second.json", "title", 137, 0.955, 3),  # 139, 0.959, 3
        ("listed_field_labels_holdout.json", "title", 141, 0.965, 2),  # 143, 0.973, 2; scored once, never tuned on
    ],
)
def test_listed_fields(labels: str, field: str, right: int, precision: float, drawing_findings: int) -> None:
    score = _scores(labels)[field]
    assert score.true_positives >= right, score.line()
    assert score.precision >= precision, score.line()
    # titles read wrong that `check` would report as a title-mismatch against the title the page gives
    assert score.drawing_findings <= drawing_findings, score.wrong
