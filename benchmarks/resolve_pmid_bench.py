"""PMID resolving speed and request count against a one-PMID-per-request baseline, in the same run.

    python benchmarks/resolve_pmid_bench.py [--pmids 1000] [--latency 0.1] [--baseline-pmids N] [--api-key]

Serves **synthetic** PMIDs (90000000 and up, made-up records, not PubMed data) from the loopback NCBI
in tests/ncbi_server.py, with 100 ms added to every answer and NCBI's rate limit enforced (3 requests/s
without an API key, 10 with one; over it the server answers 429). Then measures:
- baseline: one efetch GET per PMID, in sequence, paced at NCBI's limit (3/s, 10/s with a key) as a
  polite client (Biopython's Entrez) does;
- refkit cold: `resolve_identifiers` of all of them into an empty store (the NCBI source: batched,
  paced, retried; a loopback Crossref stands by for the DOIs PubMed would give, and counts);
- refkit warm: the same PMIDs again (everything stored: must make no request).
`--baseline-pmids N` runs the baseline on the first N PMIDs and scales its time to all (said so in
the output). Not a test: it asserts nothing, it prints the figures."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from crossref_server import LoopbackCrossref  # noqa: E402
from crossref_server import load_recordings as load_crossref_recordings  # noqa: E402
from ncbi_server import LoopbackNcbi, load_recordings  # noqa: E402

from refkit.config import Settings  # noqa: E402
from refkit.resolve import resolve_identifiers  # noqa: E402
from refkit.store import Store  # noqa: E402

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

        with LoopbackCrossref(load_crossref_recordings(ROOT.parent / "shared" / "crossref")) as crossref, tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                ncbi_url=server.eutils_url,
                ncbi_idconv_url=server.idconv_url,
                ncbi_api_key=api_key,
                crossref_url=crossref.crossref_url,
                doi_url=crossref.doi_url,
                mailto=MAILTO,
                store=f"{folder}/store.sqlite3",
            )
            runs = []
            for _ in ("cold", "warm"):
                server.reset_counts()
                crossref.reset_counts()
                with Store(settings.store) as store:
                    started = time.perf_counter()
                    results = resolve_identifiers([f"pmid:{pmid}" for pmid in pmids], settings, store)
                    elapsed = time.perf_counter() - started
                found = sum(result.status == "found" for result in results.values())
                runs.append((elapsed, sum(server.requests.values()), server.statuses[429], sum(crossref.requests.values()), found))

    (cold_time, cold_requests, cold_429, cold_crossref, cold_found), (warm_time, warm_requests, _, warm_crossref, warm_found) = runs
    key = "with an API key (10/s)" if api_key else "without an API key (3/s)"
    print(f"{len(pmids)} distinct synthetic PMIDs, {args.latency * 1000:.0f} ms added latency per request, NCBI's limit {key} enforced")
    print(f"baseline (one efetch per PMID, paced at {baseline_rate:g}/s): {baseline_time:8.2f} s  {baseline_requests:5d} requests{scaled}; {baseline_429} of its {len(baseline_pmids)} answered 429")
    print(f"refkit cold (empty store):                    {cold_time:8.2f} s  {cold_requests:5d} requests  {cold_429} answered 429  Crossref {cold_crossref}  found {cold_found}")
    print(f"refkit warm (everything stored):              {warm_time:8.2f} s  {warm_requests:5d} requests  Crossref {warm_crossref}  found {warm_found}")
    print(f"requests: 1 per {len(pmids) / max(cold_requests, 1):.0f} PMIDs (target: at most 1 per 100)")
    print(f"wall time, baseline / refkit cold: {baseline_time / cold_time:.1f}x (target: at least 20x)")

if __name__ == "__main__":
    main()
