"""Write the golden export files from the current code: run by hand after a deliberate change, then
review every changed value against the recordings (REVIEW.md). The tests never run this."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[2])]

from test_exports import GOLDEN_RECORDS, synthetic_pages, synthetic_unverified_reference  # noqa: E402
from conftest import recorded_work  # noqa: E402

from refkit.exports import FORMATS, render  # noqa: E402
from refkit.model import Reference  # noqa: E402

if __name__ == "__main__":
    references = [Reference(recorded_work(record), synthetic_pages(record), True) for record in GOLDEN_RECORDS]
    for export_format in FORMATS.values():
        text = render([*references, synthetic_unverified_reference()], export_format)
        (HERE / f"golden{export_format.suffix}").write_text(text, encoding="utf-8", newline="\n")
