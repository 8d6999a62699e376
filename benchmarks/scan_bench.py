"""Scan speed against grep, in the same run, over the same files, cold and warm; and scan memory as the
wiki grows.

    python benchmarks/scan_bench.py [CORPUS] [--rounds 5] [--copies 4]    (default: ../shared/corpus/vitamindwiki)

Time: `grep -rhoiE '10\\.[0-9]{4,9}/[^ ]+'` and `refkit scan` as a whole command (Python start-up
included): cold (`--no-cache`: every page read) in text format (identifiers only) and in jsonl
format (with what pages list next to each identifier), and warm, in jsonl, with the store of
scanned pages filled by an untimed first run (no page changed since, so none is read: the case of a
maintainer running refkit again over a wiki where few pages changed). Each after an untimed run
(which leaves the files in the page cache and refkit's modules compiled to bytecode, as an
installed package has them), run in turns, round after round, so that other load on the machine
falls on all of them alike. The store is a temporary file, never the user's. Printed: each one's
best and worst wall time, and refkit's ratio to grep, best of the rounds and the range over them
(each round's refkit time over the same round's grep time).

Target (issue 9): the jsonl scan within 10x grep. It is read against the COLD figure: a scan that
reads every page. The warm figure answers it only where unchanged pages are the case measured.

Memory: the jsonl scan of the corpus (1x) and of a wiki `--copies` times its size, built under a
temporary folder as benchmarks/scale_bench.py builds it, cold and warm (after an untimed run filled
the store); the peaks of every process of the command (it reads pages in worker processes). Flat
means the 1x and the larger wiki peak alike: pages are streamed, never all held, and stored scans
are looked up a batch at a time, never the whole table. Not a test: it asserts nothing, it prints
the figures."""

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

from scale_bench import REFKIT, bench_env, build_wiki, measure  # noqa: E402


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
    with tempfile.TemporaryDirectory(prefix="refkit-scan-bench-") as folder:
        env = bench_env(Path(folder) / "store.sqlite3")
        # An installed refkit has its modules compiled to bytecode; a checkout with PYTHONDONTWRITEBYTECODE
        # set would compile them again on every run. So bytecode is written, by an untimed first run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)

        def grep() -> None:
            subprocess.run(["grep", "-rhoiE", r"10\.[0-9]{4,9}/[^ ]+", str(corpus)], stdout=subprocess.DEVNULL, check=False)

        def scan(output_format: str, *cache: str) -> Callable[[], object]:
            arguments = [*REFKIT, "scan", "--quiet", "--format", output_format, *cache, str(corpus)]
            return lambda: subprocess.run(arguments, stdout=subprocess.DEVNULL, env=env, check=False)

        runs = {
            "text, cold": scan("text", "--no-cache"),
            "jsonl, cold": scan("jsonl", "--no-cache"),
            "jsonl, warm": scan("jsonl"),
        }
        times: dict[str, list[float]] = {"grep": [], **{label: [] for label in runs}}
        grep()
        for run in runs.values():
            run()  # the warm one fills the store here
        for _ in range(options.rounds):
            times["grep"].append(wall(grep))
            for label, run in runs.items():
                times[label].append(wall(run))
        print(f"corpus: {len(files)} pages, {size / 1e6:.1f} MB, {options.rounds} rounds, {os.cpu_count()} cores")
        print(f"grep:                             {spread(times['grep'])}")
        for label in runs:
            ratios = [refkit / grep_time for refkit, grep_time in zip(times[label], times["grep"])]
            best = min(times[label]) / min(times["grep"])
            print(
                f"refkit scan ({label:11}) command: {spread(times[label])}  "
                f"{best:5.1f}x grep (best of each); per round {min(ratios):.1f}x to {max(ratios):.1f}x"
            )
        print("target (issue 9): jsonl within 10x grep, read against the cold figure; warm holds only where pages are unchanged")

        larger = Path(folder) / "wiki"
        pages, _ = build_wiki(corpus, larger, options.copies)
        for label, path, count in (("1x", corpus, len(files)), (f"{options.copies}x", larger, pages)):
            for state, cache in (("cold", ["--no-cache"]), ("warm", [])):
                if state == "warm":
                    measure(["scan", "--quiet", "--format", "jsonl", str(path)], env)  # fills the store
                run = measure(["scan", "--quiet", "--format", "jsonl", *cache, str(path)], env)
                print(
                    f"memory, jsonl scan of {label:>3} ({count} pages), {state}: {run.seconds:5.2f} s, main process peak "
                    f"{run.main_peak_kb / 1024:5.1f} MB, largest process {run.largest_peak_kb / 1024:5.1f} MB, "
                    f"all {run.processes} processes together at most {run.total_at_once_kb / 1024:5.1f} MB"
                )


if __name__ == "__main__":
    main()
