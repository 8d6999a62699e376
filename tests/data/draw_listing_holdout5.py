"""Draw the fifth held-out sample behind tests/data/listing_labels_holdout5.json.
Nothing here reads or runs refkit.

Run from the repository root:
    python tests/data/draw_listing_holdout3.py [--worklist OUT.json]
--worklist writes the sampled pages with their identifier lines (plain and shuffled).

The candidate rule is the one of tests/data/draw_listing_sample.py and
tests/data/draw_listing_holdout2.py to 4 (draw_listing_sample.draw_held_out); only the
seed, the exclusions and the number of pages differ.

1. Sort the names of ../shared/corpus/vitamindwiki/*.md (plain ``sorted``).
2. Keep the pages whose text matches PAGE_RE (1,210 of 2,466 pages).
3. Remove every page already in listing_labels.json or listing_labels_holdout.json to
   listing_labels_holdout4.json (the 270 pages of the first sample and the 150 of each further
   held-out sample; 490 pages remain).
4. ``random.Random(SEED).sample(remaining, N_PAGES)`` gives the sampled pages, in draw order.
   N_PAGES was fixed before labelling, as for the third sample (137 listings on 150 pages).
   This sample was drawn because the reader was to be tuned on the fourth held-out sample
   after scoring it once.
5. On each sampled page, every line matching SITE_RE is an identifier line ("site").
   The sites are shuffled with ``random.Random(f"{SEED}:{file}").shuffle``.
   The labeller reads the sites in that shuffled order and labels the author listing of each
   one (within about 3 non-blank lines of the site), stopping after MAX_PER_PAGE listings.
   A listing already labelled for an earlier site (the same study cited twice in a row) is
   not counted again.
There is no split: the whole sample is held out.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_listing_sample import main_held_out  # noqa: E402  (the one set of drawing rules)

SEED = 2911
N_PAGES = 150
MAX_PER_PAGE = 3
EXCLUDE = ('listing_labels.json', 'listing_labels_holdout.json', 'listing_labels_holdout2.json',
           'listing_labels_holdout3.json', 'listing_labels_holdout4.json')

if __name__ == "__main__":
    main_held_out(SEED, N_PAGES, EXCLUDE)
