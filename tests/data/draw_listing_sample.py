"""Draw the random samples behind tests/data/listing_labels*.json and
tests/data/reference_author_labels.json.  Nothing here reads or runs refkit.

Run from the repository root:
    python tests/data/draw_listing_sample.py [--worklist OUT.json] [--references OUT.json]
--worklist writes the sampled pages with their identifier lines (plain and shuffled);
--references writes the first 400 shuffled reference-list candidate lines.

Listings (listing_labels.json, listing_labels_holdout.json):
1. Sort the names of ../shared/corpus/vitamindwiki/*.md (plain ``sorted``).
2. Keep the pages whose text matches PAGE_RE (a cited identifier: a DOI prefix, PMID,
   pubmed, or a PMC id; 1,210 of 2,466 pages).
3. ``random.Random(SEED).sample(kept, N_PAGES)`` gives the sampled pages, in draw order.
   (N_PAGES was first 220 and raised to 270 to reach 200 listings; CPython's sample() with
   this population size picks element by element, so the first 220 pages are unchanged.)
4. On each sampled page, every line matching SITE_RE is an identifier line ("site").
   The sites are shuffled with ``random.Random(f"{SEED}:{file}").shuffle``.
   The labeller reads the sites in that shuffled order and labels the author listing of each
   one (within about 3 non-blank lines of the site), stopping after MAX_PER_PAGE listings.
   Because the order is a uniform random permutation, the kept listings are a uniform random
   choice of at most MAX_PER_PAGE among the page's listings.  A listing already labelled for
   an earlier site (the same study cited twice in a row) is not counted again.
5. The pages are split with ``split()``: ``random.Random(SPLIT_SEED).sample(sorted(files), k)``,
   k = round(HOLDOUT_SHARE * number of pages): those k pages are the held-out part.

Reference-list author strings (reference_author_labels.json):
6. ``draw_reference_lines()``: every body line (after the JSON front matter) matching
   REF_LINE_RE, in sorted-file/line order, shuffled with ``random.Random(REF_SEED)``.
   The first REF_READ lines are read; each that holds a PubMed/Vancouver author string
   is labelled.  ``ref_split()`` puts half of them (``random.Random(REF_SPLIT_SEED)``) in
   the held-out part.
"""
import json
import random
import re
import sys
from pathlib import Path

SEED = 9090
SPLIT_SEED = 4242
N_PAGES = 270
MAX_PER_PAGE = 3
HOLDOUT_SHARE = 0.4

PAGE_RE = re.compile(r"10\.\d{4,9}/|PMID|pubmed|PMC\d", re.IGNORECASE)
SITE_RE = re.compile(
    r"10\.\d{4,9}/\S|PMID:?\s*\d|pubmed(?:\.ncbi\.nlm\.nih\.gov)?/\d|PMC\d", re.IGNORECASE
)

# reference_author_labels.json: PubMed/Vancouver author strings in reference lists
REF_SEED = 7373
REF_SPLIT_SEED = 3737
REF_READ = 170  # the first REF_READ shuffled candidates are read; those holding an author string are labelled
REF_LINE_RE = re.compile(r"(?:[A-Z][\w'-]+ [A-Z]{1,3}[,.]\s*){2}")

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "shared" / "corpus" / "vitamindwiki"


def corpus_dir():
    for cand in (CORPUS, Path("/work/shared/corpus/vitamindwiki")):
        if cand.is_dir():
            return cand
    raise SystemExit("corpus not found")


def draw():
    corpus = corpus_dir()
    names = sorted(p.name for p in corpus.glob("*.md"))
    kept = [n for n in names if PAGE_RE.search((corpus / n).read_text(encoding="utf-8"))]
    pages = random.Random(SEED).sample(kept, N_PAGES)
    out = []
    for name in pages:
        lines = (corpus / name).read_text(encoding="utf-8").split("\n")
        sites = [i + 1 for i, line in enumerate(lines) if SITE_RE.search(line)]
        order = list(sites)
        random.Random(f"{SEED}:{name}").shuffle(order)
        out.append({"file": name, "sites_in_order": sites, "sites_shuffled": order})
    return names, kept, out


def draw_held_out(seed, n_pages, exclude):
    """A further held-out sample (listing_labels_holdout2.json, …holdout3.json): the rules of
    draw() (PAGE_RE, SITE_RE, shuffled sites), over the candidate pages no file in `exclude`
    (label files beside this script) holds, drawn with ``random.Random(seed).sample``."""
    corpus = corpus_dir()
    names = sorted(p.name for p in corpus.glob("*.md"))
    kept = [n for n in names if PAGE_RE.search((corpus / n).read_text(encoding="utf-8"))]
    done = {page["file"] for name in exclude for page in json.loads((HERE / name).read_text(encoding="utf-8"))["pages"]}
    remaining = [n for n in kept if n not in done]
    out = []
    for rank, name in enumerate(random.Random(seed).sample(remaining, n_pages), 1):
        lines = (corpus / name).read_text(encoding="utf-8").split("\n")
        sites = [i + 1 for i, line in enumerate(lines) if SITE_RE.search(line)]
        order = list(sites)
        random.Random(f"{seed}:{name}").shuffle(order)
        out.append({"file": name, "draw_rank": rank, "sites_in_order": sites, "sites_shuffled": order})
    return names, kept, remaining, out


def main_held_out(seed, n_pages, exclude):
    """The command line of the further held-out draws: counts, and --worklist OUT.json."""
    names, kept, remaining, sample = draw_held_out(seed, n_pages, exclude)
    print(f"{len(names)} pages, {len(kept)} with an identifier, {len(remaining)} after "
          f"excluding the earlier samples, {len(sample)} drawn (seed {seed})")
    if "--worklist" in sys.argv:
        Path(sys.argv[sys.argv.index("--worklist") + 1]).write_text(json.dumps(sample, indent=1))


def draw_reference_lines():
    """Every corpus line (after the JSON front matter) holding two consecutive
    'Family INITIALS,' tokens, as (file, 1-based line) in file/line order, then shuffled
    with random.Random(REF_SEED).  The labeller reads the first REF_READ lines of the shuffled
    list and labels each one that really holds a PubMed/Vancouver author string."""
    corpus = corpus_dir()
    cands = []
    for name in sorted(p.name for p in corpus.glob("*.md")):
        lines = (corpus / name).read_text(encoding="utf-8").split("\n")
        start = next((i for i, line in enumerate(lines) if line == "}"), -1) + 1
        for i in range(start, len(lines)):
            if REF_LINE_RE.search(lines[i]):
                cands.append((name, i + 1))
    order = list(cands)
    random.Random(REF_SEED).shuffle(order)
    return cands, order


def split(files):
    """The held-out pages of listing_labels*.json."""
    files = sorted(files)
    k = round(HOLDOUT_SHARE * len(files))
    return set(random.Random(SPLIT_SEED).sample(files, k))


def ref_split(draw_indices):
    """The held-out items of reference_author_labels.json (half, rounded down)."""
    idx = sorted(draw_indices)
    return set(random.Random(REF_SPLIT_SEED).sample(idx, len(idx) // 2))


if __name__ == "__main__":
    names, kept, sample = draw()
    print(f"{len(names)} pages, {len(kept)} with an identifier, {len(sample)} drawn (seed {SEED})")
    if "--references" in sys.argv:
        cands, order = draw_reference_lines()
        print(f"{len(cands)} candidate reference lines (seed {REF_SEED})")
        Path(sys.argv[sys.argv.index("--references") + 1]).write_text(json.dumps(order[:400]))
    if "--worklist" in sys.argv:
        Path(sys.argv[sys.argv.index("--worklist") + 1]).write_text(json.dumps(sample, indent=1))
