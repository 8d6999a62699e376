"""PMID resolving speed and request count against a one-PMID-per-request baseline, in the same run.

    python benchmarks/resolve_pmid_bench.py [--pmids 1000] [--latency 0.1] [--baseline-pmids N] [--api-key]

Serves **synthetic** PMIDs (90000000 and up, made-up records, not PubMed data) from the loopback NCBI
in tests/ncbi_server.py, with 100 ms added to every answer and NCBI's rate limit enforced (3 requests/s
without an API key, 10 with one; over it the server answers 429). Then measures:
- baseline: one efetch GET per PMID, in sequence, paced at NCBI's limit (3/s, 10/s with a key) as a
  polite client (Biopython's Entrez) does;
- refkit: `NcbiSource.fetch_many` on all of them (batched, paced, retried).
This measures the NCBI source alone: the store is not involved, so a warm run (0 requests) is for
the `resolve` integration to show. `--baseline-pmids N` runs the baseline on the first N PMIDs and
scales its time to all (said so in the output). Not a test: it asserts nothing, it prints the figures."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ncbi_server import LoopbackNcbi, load_recordings  # noqa: E402

from refkit.config import Settings  # noqa: E402
from refkit.sources.ncbi import NcbiSource  # noqa: E402

MAILTO = "refkit-benchmark@example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pmids", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every answer")
    parser.add_argument("--baseline-pmids", type=int, default=None, help="run the baseline on this many PMIDs and scale")
    parser.add_argument("--api-key", action="store_true", help="send a (synthetic) API key: NCBI's 10 requests/s")
    args = parser.parse_args()

    pmids = [str(90_000_000 + number) for number in range(args.pmids)]
    api_key = "synthetic-benchmark-key" if args.api_key else None
    with LoopbackNcbi(load_recordings(ROOT.parent / "shared" / "ncbi"), latency=args.latency) as server:
        server.add_synthetic_articles(pmids)

        import requests

        baseline_pmids = pmids[: args.baseline_pmids or args.pmids]
        identity = {"tool": "baseline", "email": MAILTO, **({"api_key": api_key} if api_key else {})}
        baseline_rate = 10.0 if api_key else 3.0
        started = time.perf_counter()
        with requests.Session() as session:
            for pmid in baseline_pmids:
                request_started = time.perf_counter()
                session.get(f"{server.eutils_url}/efetch.fcgi", params={"db": "pubmed", "retmode": "xml", "id": pmid, **identity}, timeout=30)
                time.sleep(max(0.0, 1 / baseline_rate - (time.perf_counter() - request_started)))
        scale = len(pmids) / len(baseline_pmids)
        baseline_time = (time.perf_counter() - started) * scale
        baseline_requests = round(sum(server.requests.values()) * scale)
        baseline_429 = server.statuses[429]
        scaled = "" if len(baseline_pmids) == len(pmids) else f" (measured on {len(baseline_pmids)} PMIDs, scaled)"

        server.reset_counts()
        settings = Settings(ncbi_url=server.eutils_url, ncbi_idconv_url=server.idconv_url, mailto=MAILTO, ncbi_api_key=api_key)
        started = time.perf_counter()
        with NcbiSource(settings) as source:
            found = sum(resolution.status == "found" for resolution in source.fetch_many(f"pmid:{pmid}" for pmid in pmids))
        refkit_time = time.perf_counter() - started
        refkit_requests = sum(server.requests.values())
        refkit_429 = server.statuses[429]

    key = "with an API key (10/s)" if api_key else "without an API key (3/s)"
    print(f"{len(pmids)} distinct synthetic PMIDs, {args.latency * 1000:.0f} ms added latency per request, NCBI's limit {key} enforced")
    print(f"baseline (one efetch per PMID, paced at {baseline_rate:g}/s): {baseline_time:8.2f} s  {baseline_requests:5d} requests  {baseline_429} answered 429{scaled}")
    print(f"refkit NcbiSource (the source alone):          {refkit_time:8.2f} s  {refkit_requests:5d} requests  {refkit_429} answered 429  found {found}")
    print(f"requests: 1 per {len(pmids) / max(refkit_requests, 1):.0f} PMIDs (target: at most 1 per 100)")
    print(f"wall time, baseline / refkit: {baseline_time / refkit_time:.1f}x (target: at least 20x)")
    print("warm run: not measured here (the store is resolve's; this benchmark measures the NCBI source alone)")


if __name__ == "__main__":
    main()
