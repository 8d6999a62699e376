"""Draw the third held-out sample behind tests/data/listing_labels_holdout3.json.
Nothing here reads or runs refkit.

Run from the repository root:
    python tests/data/draw_listing_holdout3.py [--worklist OUT.json]
--worklist writes the sampled pages with their identifier lines (plain and shuffled).

The candidate rule is the one of tests/data/draw_listing_sample.py and
tests/data/draw_listing_holdout2.py (PAGE_RE and SITE_RE are copied unchanged); only the
seed, the exclusions and the number of pages differ.

1. Sort the names of ../shared/corpus/vitamindwiki/*.md (plain ``sorted``).
2. Keep the pages whose text matches PAGE_RE (1,210 of 2,466 pages).
3. Remove every page already in listing_labels.json, listing_labels_holdout.json or
   listing_labels_holdout2.json (the 270 pages of the first sample and the 150 of the
   second held-out sample; 790 pages remain).
4. ``random.Random(SEED).sample(remaining, N_PAGES)`` gives the sampled pages, in draw order.
   N_PAGES was fixed before labelling, from the earlier samples' rate (360 listings on 420
   pages, 0.86 a page), to reach at least 110 listings on at least 70 pages.
5. On each sampled page, every line matching SITE_RE is an identifier line ("site").
   The sites are shuffled with ``random.Random(f"{SEED}:{file}").shuffle``.
   The labeller reads the sites in that shuffled order and labels the author listing of each
   one (within about 3 non-blank lines of the site), stopping after MAX_PER_PAGE listings.
   A listing already labelled for an earlier site (the same study cited twice in a row) is
   not counted again.
There is no split: the whole sample is held out.
"""
import json
import random
import re
import sys
from pathlib import Path

SEED = 424242
N_PAGES = 150
MAX_PER_PAGE = 3

PAGE_RE = re.compile(r"10\.\d{4,9}/|PMID|pubmed|PMC\d", re.IGNORECASE)
SITE_RE = re.compile(
    r"10\.\d{4,9}/\S|PMID:?\s*\d|pubmed(?:\.ncbi\.nlm\.nih\.gov)?/\d|PMC\d", re.IGNORECASE
)

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "shared" / "corpus" / "vitamindwiki"
EXCLUDE = ("listing_labels.json", "listing_labels_holdout.json", "listing_labels_holdout2.json")


def corpus_dir():
    for cand in (CORPUS, Path("/work/shared/corpus/vitamindwiki")):
        if cand.is_dir():
            return cand
    raise SystemExit("corpus not found")


def excluded():
    files = set()
    for name in EXCLUDE:
        data = json.loads((HERE / name).read_text(encoding="utf-8"))
        files.update(p["file"] for p in data["pages"])
    return files


def draw():
    corpus = corpus_dir()
    names = sorted(p.name for p in corpus.glob("*.md"))
    kept = [n for n in names if PAGE_RE.search((corpus / n).read_text(encoding="utf-8"))]
    done = excluded()
    remaining = [n for n in kept if n not in done]
    pages = random.Random(SEED).sample(remaining, N_PAGES)
    out = []
    for rank, name in enumerate(pages, 1):
        lines = (corpus / name).read_text(encoding="utf-8").split("\n")
        sites = [i + 1 for i, line in enumerate(lines) if SITE_RE.search(line)]
        order = list(sites)
        random.Random(f"{SEED}:{name}").shuffle(order)
        out.append({"file": name, "draw_rank": rank, "sites_in_order": sites,
                    "sites_shuffled": order})
    return names, kept, remaining, out


if __name__ == "__main__":
    names, kept, remaining, sample = draw()
    print(f"{len(names)} pages, {len(kept)} with an identifier, {len(remaining)} after "
          f"excluding the earlier samples, {len(sample)} drawn (seed {SEED})")
    if "--worklist" in sys.argv:
        Path(sys.argv[sys.argv.index("--worklist") + 1]).write_text(json.dumps(sample, indent=1))
