"""The PMID/PMCID finder's time against the DOI finder's, in the same run, over the same page texts.

    python benchmarks/find_ids_bench.py [CORPUS]    (default: ../shared/corpus/vitamindwiki)

Reads every page into memory first, then times `refkit.pubmed.find_pubmed_ids` and
`refkit.doi.find_dois` over all of them (best of several rounds, one process), and prints their ratio
and what each found (distinct ids over the corpus). Both run on every page of every scan. Not a
test: it asserts nothing."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refkit.doi import find_dois  # noqa: E402
from refkit.pubmed import find_pubmed_ids  # noqa: E402

ROUNDS = 5


def best_of(find, texts: list[str]) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for text in texts:
            find(text)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "vitamindwiki"
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(corpus.glob("*.md"))]
    size = sum(len(text) for text in texts)
    pubmed_time, doi_time = best_of(find_pubmed_ids, texts), best_of(find_dois, texts)
    ids = {(match.kind, match.id) for text in texts for match in find_pubmed_ids(text)}
    dois = {match.doi for text in texts for match in find_dois(text) if not match.broken}
    print(f"{len(texts)} pages, {size / 1e6:.1f} million characters, best of {ROUNDS} rounds")
    print(f"find_pubmed_ids: {pubmed_time:6.3f} s  ({sum(kind == 'pmid' for kind, _ in ids)} distinct PMIDs, {sum(kind == 'pmcid' for kind, _ in ids)} distinct PMCIDs)")
    print(f"find_dois:       {doi_time:6.3f} s  ({len(dois)} distinct DOIs)")
    print(f"PMID/PMCID finder time / DOI finder time: {pubmed_time / doi_time:.2f}")


if __name__ == "__main__":
    main()
