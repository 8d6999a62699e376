"""Draw the pages for the PMID/PMCID hand labels (tests/data/pmid_labels*.json).

Run from the repository root:  python tests/data/draw_pmid_sample.py [CORPUS_DIR]
It prints the two random samples as JSON.  It does not read or import refkit.

- The corpus file names are sorted (Python str order).
- A page is a candidate when its whole text (read as UTF-8, front matter included)
  matches CANDIDATE_RE.  (In this corpus the front matter never matches.)
- Tuning sample:   random.Random(SEED1).sample(candidates, 110)   -> group "random"
- Held-out sample: random.Random(SEED2).sample(remaining, 80)     -> group "random"
  where remaining = the candidates not in the tuning sample, in sorted order.
- The tuning file also holds hand-picked pages (HARD, NO_ID below) found with grep;
  they are chosen outside both random samples so the held-out file stays untouched.
"""
import json
import os
import random
import re
import sys

SEED1 = 1413   # tuning sample (the number of distinct PMIDs PROVENANCE.md reports)
SEED2 = 7771   # held-out sample
N_TUNING = 110
N_HOLDOUT = 80
CANDIDATE_RE = re.compile(r"(?i)pmid|pubmed|pmc\d|europepmc|ncbi\.nlm\.nih\.gov")

# Hand-picked pages, group "hard" (found with grep; see tests/data/README.md).
HARD = [
    "7100-iu-50000-weekly-got-most-women-to-30-ng-of-vitamin-d.md",      # PMid:/PMCid: without space, short PMID
    "parkinsons-disease-and-lrrk2-gene.md",                              # PMID:%20<id>
    "faster-heart-rate-and-higher-systolic-blood-pressure-associated-with-low-vitamin-d.md",  # PMID: <id>\\
    "hydrochlorothiazide-might-be-a-problem-when-getting-lots-of-vitamin-d.md",  # PubMed PMID: / Pubmed Central PMCID: <digits>
    "vitamin-d-what-clinicians-need-to-know.md",                         # PMCID: <digits> without the PMC prefix
    "military-and-vitamin-d-many-studies.md",                            # europepmc.org/article/MED/<id>
    "vitamin-d-suppressed-by-roundup-and-genes-cyp2r1-cyp24a1-cyp450-etc.md",  # pmc.ncbi.nlm.nih.gov/articles/PMC<id>
    "vitamin-d-and-respiratory-tract-infections-wikipedia.md",           # Wikipedia: magic links, cite_pmid, NBK books
    "breast-cancer-survival-2x-more-likely-if-vitamin-d-sufficient-meta-analysis.md",  # pubmed/?term=<id>
    "rickets-calcium-genes-etc.md",                                      # PMCID label spans, ?term=author links
    "osteocalcin-and-vitamin-d-both-are-hormones.md",                    # title search link ?term=...%5BTitle%5D with a count
    "heart-problems-such-as-afib-related-to-little-magnesium-omega-3-vitamin-d-getting-to-tissues.md",  # %20 tails, search links
    "endometrial-cancer-and-vitamin-d-many-studies.md",                  # pubmedhealth/PMH ids, %20 tails
    "400-iu-vitamin-d-was-not-enough-to-stop-cognitive-impairment.md",   # ?dopt=Abstract
    "overview-of-rickets-and-vitamin-d.md",                              # books/NBK ids
    "uterine-fibroids-hysterectomy-32-percent-more-likely-if-less-than-20-ng-vitamin-d.md",  # long search query
]
# Hand-picked pages, group "no-id": mention PubMed/PMC/NCBI but cite no PMID/PMCID.
NO_ID = [
    "extraskeletal-effects-and-manifestations-of-vitamin-d-deficiency.md",   # "PubMed database yielded 50672 citations"
    "magnesium-supplements-compared-2013.md",                            # pubmed?cmd=historysearch&querykey=16
    "hiv-interactions-with-low-vitamin-d.md",                            # "PubMed yielded 59 results"
    "spanish-vitamin-d-presentation.md",                                 # "PubMed registra mas de 5.500"
    "vitamin-d-and-cancer-at-nih.md",                                    # [PubMed Abstract] with no id
    "far-more-vitamin-d-publications-than-other-vitamins.md",            # is.gd/pubmedvit
    "smaug-gollum-would-suffer-from-vitamin-d-deficiency.md",            # "PubMed search performed on 29 July 2012", <PubMed>
    "probiotics-reduced-weight-gain-in-mice-for-many-weeks-proof-of-concept.md",  # "View this article via: PubMed CrossRef"
    "chronic-kidney-disease-and-vitamin-d-analogs-commentary.md",        # "| Article | PubMed | ISI | CAS |"
    "pregnant-women-should-have-4000-iu-of-vitamin-d-topic-review.md",   # "PubMed (14 articles)"
    "parkinsons-disease-and-the-sunshine-vitamin-vitamin-d.md",          # "PubMed from July 2002 to July 2012"
]


def candidates(corpus):
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".md"))
    out = []
    for name in names:
        with open(os.path.join(corpus, name), encoding="utf-8") as fh:
            if CANDIDATE_RE.search(fh.read()):
                out.append(name)
    return names, out


def draw(corpus):
    names, cands = candidates(corpus)
    tuning = random.Random(SEED1).sample(cands, N_TUNING)
    chosen = set(tuning)
    remaining = [n for n in cands if n not in chosen]
    holdout = random.Random(SEED2).sample(remaining, N_HOLDOUT)
    return names, cands, tuning, holdout


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "corpus", "vitamindwiki"))
    corpus = sys.argv[1] if len(sys.argv) > 1 else default
    names, cands, tuning, holdout = draw(corpus)
    drawn = set(tuning) | set(holdout)
    for name in HARD + NO_ID:
        assert name in names, name
        assert name not in drawn, name
    assert len(set(HARD + NO_ID)) == len(HARD + NO_ID)
    json.dump({"corpus_pages": len(names), "candidates": len(cands),
               "seed1": SEED1, "seed2": SEED2,
               "tuning": tuning, "holdout": holdout,
               "hard": HARD, "no_id": NO_ID}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
