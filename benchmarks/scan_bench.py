"""Scan speed against grep, in the same run, over the same files.

    python benchmarks/scan_bench.py [CORPUS]    (default: ../shared/corpus/vitamindwiki)

Prints the wall time of `grep -rhoiE '10\\.[0-9]{4,9}/[^ ]+'`, of `refkit scan` as a whole command
(Python start-up included) in text format (DOIs only) and jsonl format (with what pages list next to
each DOI), and of the scan inside one process, each the best of several rounds, and their ratios
to grep. Not a test: it asserts nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 5


def best_of(run) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "vitamindwiki"
    files = sorted(str(path) for path in corpus.glob("*.md"))
    size = sum(os.path.getsize(path) for path in files)
    refkit = [sys.executable, "-m", "refkit"] if not (Path(sys.executable).parent / "refkit").exists() else [str(Path(sys.executable).parent / "refkit")]

    def grep() -> None:
        subprocess.run(["grep", "-rhoiE", r"10\.[0-9]{4,9}/[^ ]+", str(corpus)], stdout=subprocess.DEVNULL, check=False)

    def command(output_format: str):
        return lambda: subprocess.run(
            [*refkit, "scan", "--quiet", "--format", output_format, str(corpus)], stdout=subprocess.DEVNULL, check=False
        )

    sys.path.insert(0, str(ROOT))
    from refkit.config import Settings
    from refkit.scan import scan_paths

    citations = 0

    def in_process() -> None:
        nonlocal citations
        citations = sum(len(found) for _page, found in scan_paths([corpus], Settings()))

    grep_time = best_of(grep)
    text_time = best_of(command("text"))
    jsonl_time = best_of(command("jsonl"))
    library_time = best_of(in_process)
    print(f"corpus: {len(files)} pages, {size / 1e6:.1f} MB, {citations} citations")
    print(f"grep:                        {grep_time * 1000:7.0f} ms")
    print(f"refkit scan (text) command:  {text_time * 1000:7.0f} ms  ({text_time / grep_time:.2f}x grep)")
    print(f"refkit scan (jsonl) command: {jsonl_time * 1000:7.0f} ms  ({jsonl_time / grep_time:.2f}x grep)")
    print(f"scan in process (jsonl):     {library_time * 1000:7.0f} ms  ({library_time / grep_time:.2f}x grep)")


if __name__ == "__main__":
    main()
