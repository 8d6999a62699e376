"""Scan speed on hostile pages, as ratios against a baseline measured in the same run.

    python benchmarks/long_line_bench.py

1. N synthetic DOIs on one line against the same N DOIs one per line, for N = 1,000, 3,000 and
   9,000: linear scanning keeps the ratio flat as N grows (each DOI's listing once re-read its whole
   line, and 3,000 DOIs on one line took ~20 s); also joined by `|`, a table row with no space in
   it (finding whether each DOI sits in a URL once walked back to the line's start: 4,000 took 12 s).
2. `refkit scan` over the hostile wiki of tests/hostile.py (a 50 MB page, a 5 MB line of 1,000 DOIs,
   deep nesting) against `grep` over the same files.

Each time is the best of several rounds. Not a test: it asserts nothing (tests/test_hostile.py
checks what these scans find)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from scan_bench import wall

ROOT = Path(__file__).resolve().parents[1]


def best_of(run: Callable[[], object], rounds: int = 3) -> float:
    return min(wall(run) for _ in range(rounds))


def main() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from hostile import hostile_pages

    from refkit.model import Page
    from refkit.scan import scan_page

    def page(body: str) -> Page:
        return Page(file="a.md", url="/a/", body=body, body_line=1)

    for count in (1000, 3000, 9000):
        synthetic_dois = [f"10.5555/synthetic.{number}" for number in range(count)]
        many_lines = page("Above.\n" + "\n".join(f"see {doi}" for doi in synthetic_dois) + "\n")
        lines_time = best_of(lambda: scan_page(many_lines))
        for name, separator in (("one line", " see "), ("one table row", "|")):
            one_line = page("Above.\n" + separator.join(synthetic_dois) + "\n")
            line_time = best_of(lambda: scan_page(one_line))
            print(f"{count:5d} DOIs: {name} {line_time * 1000:7.1f} ms, one per line {lines_time * 1000:7.1f} ms ({line_time / lines_time:.2f}x)")

    with tempfile.TemporaryDirectory(prefix="refkit-hostile-") as folder:
        wiki = Path(folder) / "wiki"
        wiki.mkdir()
        hostile_pages(wiki)
        files = sorted(str(path) for path in wiki.glob("*.md") if path.is_file() and not path.is_symlink())

        def grep() -> None:
            subprocess.run(["grep", "-hoiE", r"10\.[0-9]{4,9}/[^ ]+", *files], stdout=subprocess.DEVNULL, check=False)

        def refkit() -> None:
            command = [sys.executable, "-m", "refkit", "scan", "--quiet", "--format", "jsonl", "--no-cache", str(wiki)]
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=False)

        grep_time = best_of(grep)
        refkit_time = best_of(refkit)
        print(f"hostile wiki: grep {grep_time * 1000:.0f} ms, refkit scan (jsonl) {refkit_time * 1000:.0f} ms ({refkit_time / grep_time:.1f}x grep)")


if __name__ == "__main__":
    main()
