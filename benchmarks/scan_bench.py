"""Scan speed against grep, in the same run, over the same files; and scan memory as the wiki grows.

    python benchmarks/scan_bench.py [CORPUS] [--rounds 5] [--copies 4]    (default: ../shared/corpus/vitamindwiki)

Time: `grep -rhoiE '10\\.[0-9]{4,9}/[^ ]+'` and `refkit scan` as a whole command (Python start-up
included) in text format (identifiers only) and in jsonl format (with what pages list next to each
identifier), after an untimed run of each (which leaves the files in the page cache and refkit's
modules compiled to bytecode, as an installed package has them), run in turns, round after round,
so that other load on the machine falls on all of them alike. Printed: each one's best and worst wall time, and refkit's ratio to grep, best of the
rounds and the range over them (each round's refkit time over the same round's grep time).
Target (issue 9): the jsonl scan within 10x grep.

Memory: the jsonl scan of the corpus (1x) and of a wiki `--copies` times its size, built under a
temporary folder as benchmarks/scale_bench.py builds it; the peaks of every process of the command
(it reads pages in worker processes). Flat means the 1x and the larger wiki peak alike: pages are
streamed, never all held. Not a test: it asserts nothing, it prints the figures."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

from scale_bench import REFKIT, build_wiki, measure  # noqa: E402


def wall(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def spread(times: list[float]) -> str:
    return f"best {min(times) * 1000:6.0f} ms  worst {max(times) * 1000:6.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus" / "vitamindwiki")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=4, help="size of the larger wiki for memory, in corpus copies")
    options = parser.parse_args()
    corpus = options.corpus
    files = sorted(corpus.glob("*.md"))
    size = sum(os.path.getsize(path) for path in files)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))))
    # An installed refkit has its modules compiled to bytecode; a checkout with PYTHONDONTWRITEBYTECODE
    # set would compile them again on every run. So bytecode is written, by an untimed first run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def grep() -> None:
        subprocess.run(["grep", "-rhoiE", r"10\.[0-9]{4,9}/[^ ]+", str(corpus)], stdout=subprocess.DEVNULL, check=False)

    def scan(output_format: str) -> Callable[[], object]:
        arguments = [*REFKIT, "scan", "--quiet", "--format", output_format, str(corpus)]
        return lambda: subprocess.run(arguments, stdout=subprocess.DEVNULL, env=env, check=False)

    times: dict[str, list[float]] = {"grep": [], "text": [], "jsonl": []}
    grep()
    scan("jsonl")()
    for _ in range(options.rounds):
        times["grep"].append(wall(grep))
        times["text"].append(wall(scan("text")))
        times["jsonl"].append(wall(scan("jsonl")))
    print(f"corpus: {len(files)} pages, {size / 1e6:.1f} MB, {options.rounds} rounds, {os.cpu_count()} cores")
    print(f"grep:                        {spread(times['grep'])}")
    for output_format in ("text", "jsonl"):
        ratios = [refkit / grep_time for refkit, grep_time in zip(times[output_format], times["grep"])]
        best = min(times[output_format]) / min(times["grep"])
        print(
            f"refkit scan ({output_format:5}) command: {spread(times[output_format])}  "
            f"{best:5.1f}x grep (best of each); per round {min(ratios):.1f}x to {max(ratios):.1f}x"
        )

    with tempfile.TemporaryDirectory(prefix="refkit-scan-bench-") as folder:
        larger = Path(folder) / "wiki"
        pages, _ = build_wiki(corpus, larger, options.copies)
        for label, path, count in (("1x", corpus, len(files)), (f"{options.copies}x", larger, pages)):
            run = measure(["scan", "--quiet", "--format", "jsonl", str(path)], env)
            print(
                f"memory, jsonl scan of {label:>3} ({count} pages): {run.seconds:5.2f} s, main process peak "
                f"{run.main_peak_kb / 1024:5.1f} MB, largest process {run.largest_peak_kb / 1024:5.1f} MB, "
                f"all {run.processes} processes together at most {run.total_at_once_kb / 1024:5.1f} MB"
            )


if __name__ == "__main__":
    main()
