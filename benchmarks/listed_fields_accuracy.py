"""How well refkit reads the title, journal and year a page gives next to an identifier, against
what people read there.

    python benchmarks/listed_fields_accuracy.py [--labels FILE ...] [--show]
        (default: every tests/data/listed_field_labels*.json)

Each labelled citation (a corpus page, the identifier's line) is read as `refkit scan` reads it,
with `listed_near` at that line, and each field the labels give is compared: a title or journal
folded (case, accents, punctuation and spacing aside), a year as a number. Per field: right (TP),
read but not what the page says (FP; also a value read where the labellers found none), not read
where the page gives one (FN); precision is what a `check` against the registry stands on, since
a wrong title, journal or year read from a page is a false finding. The samples were drawn among
citations where refkit read the field, so precision is their measure. How they were drawn and
labelled is in tests/data/README.md. A measurement, not a test: it exits 0 once it has run."""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
FIELDS = ("title", "journal", "year")
sys.path.insert(0, str(ROOT))

from doi_accuracy import Tally  # noqa: E402  (benchmarks/ is on the path: the script's own folder)
from listing_accuracy import listed_at  # noqa: E402
from refkit.folding import fold  # noqa: E402


def folded(value: object) -> object:
    """A title or journal as compared: case, accents, punctuation and spacing aside."""
    return " ".join(re.sub(r"\W+", " ", fold(value)).split()) if isinstance(value, str) else value


@dataclass
class FieldScore(Tally):
    wrong: list[str] = field(default_factory=list)
    """Every disagreement: `file:line: read … / page …`."""
    drawing_findings: int = 0
    """Titles read wrong that `check` would also tell from the page's title (`titles_match`), so a false
    `title-mismatch` where the registry holds the title the page gives; a title read where the page gives
    none counts too."""


def score(labels_files: list[Path]) -> dict[str, FieldScore]:
    from refkit.reconcile import titles_match

    scores = {name: FieldScore() for name in FIELDS}
    for labels_file in labels_files:
        for label in json.loads(labels_file.read_text(encoding="utf-8"))["citations"]:
            listed = listed_at(label["file"], label["line"])
            for name in FIELDS:
                if name not in label:
                    continue
                wanted, read = label[name], getattr(listed, name) if listed is not None else None
                tally = scores[name]
                if folded(read) == folded(wanted):
                    tally.true_positives += read is not None  # none read where the page gives none: agreed
                    continue
                tally.false_positives += read is not None
                tally.false_negatives += wanted is not None
                if name == "title" and read is not None:
                    tally.drawing_findings += wanted is None or not titles_match(read, wanted)
                tally.wrong.append(f"{label['file']}:{label['line']}: read {read!r} / page {wanted!r}")
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, nargs="*", default=sorted(DATA.glob("listed_field_labels*.json")))
    parser.add_argument("--show", action="store_true", help="print every disagreement")
    options = parser.parse_args()
    print("labels:", ", ".join(path.name for path in options.labels))
    for name, tally in score(options.labels).items():
        if tally.true_positives + tally.false_positives + tally.false_negatives:
            drawing = f"  wrong titles check would report: {tally.drawing_findings}" if name == "title" else ""
            print(f"{name:8s} {tally.line()}{drawing}")
            if options.show:
                print("".join(f"    {line}\n" for line in tally.wrong), end="")


if __name__ == "__main__":
    main()
