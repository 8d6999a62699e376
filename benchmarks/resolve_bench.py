"""Resolve speed and request count against a one-request-per-DOI habanero baseline, in the same run.

    python benchmarks/resolve_bench.py [--dois 1000] [--latency 0.1] [--baseline-dois N]

Serves 1,000 distinct **synthetic** DOIs (10.5555/synthetic.NNNNN, made-up records, not Crossref
data) from the loopback Crossref in tests/crossref_server.py, with 100 ms added to every answer and
the rate-limit headers Crossref's polite pool sent in 2026 (10/s single, 3/s list, 3 in flight).
Then measures:
- baseline: `habanero.Crossref(...).works(ids=doi)` once per DOI, in sequence;
- refkit cold: `resolve_identifiers` into an empty store;
- refkit warm: the same DOIs again (everything stored: must make no request).
`--baseline-dois N` runs the baseline on the first N DOIs only and scales its time to all (said so
in the output). Not a test: it asserts nothing, it prints the figures."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from crossref_server import LoopbackCrossref, load_recordings, synthetic_work_message  # noqa: E402

from refkit.config import Settings  # noqa: E402
from refkit.resolve import resolve_identifiers  # noqa: E402
from refkit.store import Store  # noqa: E402

MAILTO = "refkit-benchmark@example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dois", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every answer")
    parser.add_argument("--baseline-dois", type=int, default=None, help="run the baseline on this many DOIs and scale")
    args = parser.parse_args()

    synthetic_dois = [f"10.5555/synthetic.{number:05d}" for number in range(args.dois)]
    with LoopbackCrossref(load_recordings(ROOT.parent / "shared" / "crossref"), latency=args.latency) as server:
        server.add_synthetic_works(synthetic_work_message(doi, number) for number, doi in enumerate(synthetic_dois))

        import habanero

        baseline_dois = synthetic_dois[: args.baseline_dois or args.dois]
        client = habanero.Crossref(base_url=server.crossref_url, mailto=MAILTO)
        started = time.perf_counter()
        for doi in baseline_dois:
            client.works(ids=doi)
        baseline_time = (time.perf_counter() - started) * len(synthetic_dois) / len(baseline_dois)
        baseline_requests = sum(server.requests.values()) * len(synthetic_dois) // len(baseline_dois)
        scaled = "" if len(baseline_dois) == len(synthetic_dois) else f" (measured on {len(baseline_dois)} DOIs, scaled)"

        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(crossref_url=server.crossref_url, doi_url=server.doi_url, mailto=MAILTO, store=f"{folder}/store.sqlite3")
            runs = []
            for _ in ("cold", "warm"):
                server.reset_counts()
                with Store(settings.store) as store:
                    started = time.perf_counter()
                    results = resolve_identifiers(synthetic_dois, settings, store)
                    runs.append((time.perf_counter() - started, dict(server.requests), sum(r.status == "found" for r in results.values())))

    (cold_time, cold_requests, cold_found), (warm_time, warm_requests, warm_found) = runs
    cold_total = sum(cold_requests.values())
    print(f"{len(synthetic_dois)} distinct synthetic DOIs, {args.latency * 1000:.0f} ms added latency per request")
    print(f"baseline (habanero, one request per DOI, in sequence): {baseline_time:8.2f} s  {baseline_requests:5d} requests{scaled}")
    print(f"refkit cold (empty store):                              {cold_time:8.2f} s  {cold_total:5d} requests {cold_requests}  found {cold_found}")
    print(f"refkit warm (everything stored):                        {warm_time:8.2f} s  {sum(warm_requests.values()):5d} requests  found {warm_found}")
    print(f"requests per DOI (cold): 1 per {len(synthetic_dois) / max(cold_total, 1):.0f} DOIs (target: at most 1 per 20)")
    print(f"wall time, baseline / refkit cold: {baseline_time / cold_time:.1f}x (target: at least 15x)")


if __name__ == "__main__":
    main()
