"""Draw the further held-out samples of author listings behind
tests/data/listing_labels_holdout2.json to listing_labels_holdout7.json.
Nothing here reads or runs refkit.

Run from the repository root:
    python tests/data/draw_listing_holdout.py N [--worklist OUT.json]     (N: 2 to 7)
--worklist writes the sampled pages with their identifier lines (plain and shuffled).

The candidate rule is the one of tests/data/draw_listing_sample.py (PAGE_RE and SITE_RE);
each sample differs only in its seed and in the earlier samples whose pages it excludes.
Each seed was committed before its sample was labelled; a new sample was drawn each time the
reader was about to be tuned on the last one.

1. Sort the names of ../shared/corpus/vitamindwiki/*.md (plain ``sorted``).
2. Keep the pages whose text matches PAGE_RE (1,210 of 2,466 pages).
3. Remove every page already in an earlier sample's label files (the 270 pages of the first
   sample and the 150 of each further one: 940, 790, 640, 490, 340 and 190 pages remain for samples 2 to 7).
4. ``random.Random(seed).sample(remaining, N_PAGES)`` gives the sampled pages, in draw order.
   N_PAGES was fixed before the second sample's labelling, from the first sample's rate
   (0.84 listings a page), to reach at least 110 listings on at least 70 pages.
5. On each sampled page, every line matching SITE_RE is an identifier line ("site").
   The sites are shuffled with ``random.Random(f"{seed}:{file}").shuffle``.
   The labeller reads the sites in that shuffled order and labels the author listing of each
   one (within about 3 non-blank lines of the site), stopping after MAX_PER_PAGE listings.
   A listing already labelled for an earlier site (the same study cited twice in a row) is
   not counted again.
There is no split: each of these samples is held out whole.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_listing_sample import main_held_out  # noqa: E402  (the one set of drawing rules)

N_PAGES = 150
MAX_PER_PAGE = 3
LABEL_FILES = ("listing_labels.json", "listing_labels_holdout.json") + tuple(
    f"listing_labels_holdout{n}.json" for n in range(2, 8)
)
SEEDS = {2: 31337, 3: 424242, 4: 1129, 5: 2911, 6: 53017, 7: 7741}
"""Sample N excludes the pages of every label file before its own (LABEL_FILES[:N])."""

if __name__ == "__main__":
    sample = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 0
    if sample not in SEEDS:
        sys.exit(f"usage: python {sys.argv[0]} N [--worklist OUT.json]   (N: {min(SEEDS)} to {max(SEEDS)})")
    main_held_out(SEEDS[sample], N_PAGES, LABEL_FILES[:sample])
