"""Damaged DOIs: refkit reports them as written and lists the DOIs a careful reader rebuilds, never
swallowing an ordinary word. Each text is quoted from the corpus page named in its comment (see
tests/data/damaged_doi_labels.json) unless it says it is synthetic; the candidates are written by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refkit.doi import find_dois
from refkit_process import refkit_env, run_refkit

ROOT = Path(__file__).resolve().parents[1]

# (text, broken, doi, raw, candidates) of the first match.
REPAIRS = [
    # Cut by a space after the registrant's slash (melanoma-less-likely-when-far-from-equator.md:310).
    (
        "PMID:8645596; http://dx.doi.org/10.1038/ bjc.1996.275.",
        True, "10.1038/", "http://dx.doi.org/10.1038/ bjc.1996.275", ("10.1038/bjc.1996.275",),
    ),
    # … after a short first segment (melanoma-…:354).
    (
        "PMID:22673911; http://dx.doi.org/10.1016/j. mayocp.2012.04.018.",
        True, "10.1016/j", "http://dx.doi.org/10.1016/j. mayocp.2012.04.018", ("10.1016/j.mayocp.2012.04.018",),
    ),
    # … after an ISSN hyphen, which stays (kidney-stone-production-reduced-in-rats-….md:309).
    (
        "Eur Urol 2003;44:1-5; http://dx.doi.org/10.1016/S0302- 2838(03)00415-9",
        True, "10.1016/s0302-", "http://dx.doi.org/10.1016/S0302- 2838(03)00415-9", ("10.1016/s0302-2838(03)00415-9",),
    ),
    # … before the slash (vitamin-d-relationship-to-many-other-vitamins.md:375).
    (
        "2010;67:808-11. http://dx.doi.org/10.1001 /archneurol.2010.120",
        True, "10.1001", "http://dx.doi.org/10.1001 /archneurol.2010.120", ("10.1001/archneurol.2010.120",),
    ),
    # … before a dot (vitamin-d-update-holick.md:221).
    (
        "PMID:24800106; http://dx.doi.org/10.4161/derm .26738",
        True, "10.4161/derm", "http://dx.doi.org/10.4161/derm .26738", ("10.4161/derm.26738",),
    ),
    # … inside digits, in a resolver URL itself split by a space (vitamin-d-update-holick.md:769).
    (
        "2013; http://dx.doi. org/10.2174/187152 81113129990046\n",
        True, "10.2174/187152", "http://dx.doi. org/10.2174/187152 81113129990046", ("10.2174/18715281113129990046",),
    ),
    # … inside digits, the rest holding `2010.5…`, which is not another DOI (synthetic, in the corpus' style).
    (
        "Crit Rev Food Sci Nutr 2012; http://dx.doi.org/10.1080/10408 398.2010.123456\n",
        True, "10.1080/10408", "http://dx.doi.org/10.1080/10408 398.2010.123456", ("10.1080/10408398.2010.123456",),
    ),
    # … inside digits, the last one alone before the closing bracket
    # (review-of-vitamin-d-including-free-frequency-injection-how-much.md:398).
    (
        "Am J Cardiol 2010;106:963-8 (doi:10.1016/j.amjcard.2010.05.02 7)",
        True, "10.1016/j.amjcard.2010.05.02", "doi:10.1016/j.amjcard.2010.05.02 7", ("10.1016/j.amjcard.2010.05.027",),
    ),
    # … after a full stop, the rest alone before the closing bracket
    # (review-of-vitamin-d-including-free-frequency-injection-how-much.md:554).
    (
        "JAMA 2010;303:1815-22 (doi:10.1001/jama. 2010.598)",
        True, "10.1001/jama", "doi:10.1001/jama. 2010.598", ("10.1001/jama.2010.598",),
    ),
    # … after a full stop, before the rest of the suffix (a-look-at-inner-workings-of-committee-….md:443).
    (
        "Issue 7. Art. No.: CD007146. DOI: 10.1002/14651858. CD007146.pub2. Copyright 2010",
        True, "10.1002/14651858", "DOI: 10.1002/14651858. CD007146.pub2", ("10.1002/14651858.cd007146.pub2",),
    ),
    # … inside a word, in a resolver URL, which holds no spaces (vertigo-treated-by-vitamin-d-many-studies.md:415).
    (
        "Brain Res. https://doi.org/10.1016/j.brain res.2006.01.074 (2006).",
        True, "10.1016/j.brain", "https://doi.org/10.1016/j.brain res.2006.01.074", ("10.1016/j.brainres.2006.01.074",),
    ),
    # Cut by a line break, the rest a paragraph below (melanoma-less-likely-when-far-from-equator.md:312)…
    (
        "PMID:22123420; http://dx.doi.org/10.1016/j.\n\nsder.2011.08.003.\n\n7. DiGiovanna",
        True, "10.1016/j", "http://dx.doi.org/10.1016/j.\n\nsder.2011.08.003", ("10.1016/j.sder.2011.08.003",),
    ),
    # … the rest made a list item by the copy (vitamin-d-receptor-may-suppress-skin-cancer.md:480).
    (
        "PMID:9683896; http://dx.doi.org/10.1046/j.1523-\n\n* 1747.1998.00222.x.\n\n* 35. Kricker",
        True, "10.1046/j.1523-", "http://dx.doi.org/10.1046/j.1523-\n\n* 1747.1998.00222.x", ("10.1046/j.1523-1747.1998.00222.x",),
    ),
    # A PDF line-break hyphen: well formed as written, so the DOI as written (vitamin-d-update-holick.md:633).
    (
        "PLoS One 2013;8:e65835. http://dx.doi.org/10.1371/jour-nal.pone.0065835",
        False, "10.1371/jour-nal.pone.0065835", "http://dx.doi.org/10.1371/jour-nal.pone.0065835", ("10.1371/journal.pone.0065835",),
    ),
    # The leading 1 lost (hypothesis-vitamin-d-binding-protein-limits-….md:169).
    (
        "2014 Oct;144 Pt A:132-7. doi:0.1016/j.jsbmb.2013.09.012.",
        True, "0.1016/j.jsbmb.2013.09.012", "doi:0.1016/j.jsbmb.2013.09.012", ("10.1016/j.jsbmb.2013.09.012",),
    ),
    # Z for the slash (kidney-stone-production-reduced-in-rats-….md:357).
    (
        "1287-92. DOI: http://dx.doi.org/10.1016Zj.juro.2011.11.109\n",
        True, "10.1016zj.juro.2011.11.109", "http://dx.doi.org/10.1016Zj.juro.2011.11.109", ("10.1016/j.juro.2011.11.109",),
    ),
    # A stray mark before the slash (huntington-disease-patients-also-have-low-levels-of-vitamin-d.md:266).
    (
        "58:543 - 8; http://dx.doi.org/10.1373*/clinchem.2011.176545; PMID: 22",
        True, "10.1373*/clinchem.2011.176545", "http://dx.doi.org/10.1373*/clinchem.2011.176545", ("10.1373/clinchem.2011.176545",),
    ),
    # A registrant that lost its trailing zero, 10.2310 read as a number (how-vitamin-d-reduces-asthma-2011.md:179).
    (
        "(https://doi.org/10.231/JIM.0b013e31823279f0), NIHMSID",
        True, "10.231/jim.0b013e31823279f0", "https://doi.org/10.231/JIM.0b013e31823279f0", ("10.2310/jim.0b013e31823279f0",),
    ),
    # OCR `l` for `1` (breed-cows-based-on-vitamin-d-production.md:176, Molecules 2013, 18, 10122).
    (
        "Molecules 2013, 18, 10122-10131; doi:10.3390/moleculesl80910122",
        False, "10.3390/moleculesl80910122", "doi:10.3390/moleculesl80910122", ("10.3390/molecules180910122",),
    ),
    # OCR `L` for `1.` (vitamin-d-receptor-may-suppress-skin-cancer.md:378, Cancer Biol Ther 2010;10:44-53).
    (
        "PMID:20495361; http://dx.doi.org/10.4161/cbt.10.L11994.",
        False, "10.4161/cbt.10.l11994", "http://dx.doi.org/10.4161/cbt.10.L11994", ("10.4161/cbt.10.1.11994", "10.4161/cbt.10.111994"),
    ),
]


@pytest.mark.parametrize(("text", "broken", "doi", "raw", "candidates"), REPAIRS)
def test_each_repair_form(text: str, broken: bool, doi: str, raw: str, candidates: tuple[str, ...]) -> None:
    match = find_dois(text)[0]
    assert (match.broken, match.doi, match.raw, match.candidates) == (broken, doi, raw, candidates)
    assert text[match.start : match.end] == match.raw  # replacing `raw` with the confirmed DOI repairs the page


@pytest.mark.parametrize("text", ["http://dx.doi.org/10.4161/derm .26738. Epub 2013", "doi: 10.4161/derm .26738 and more text"])
def test_a_rest_starting_with_a_dot_is_joined_whatever_follows(text: str) -> None:
    [match] = find_dois(text)
    assert (match.broken, match.doi, match.candidates) == (True, "10.4161/derm", ("10.4161/derm.26738",))


def test_a_doi_cut_after_a_short_first_segment_of_two_letters_is_broken() -> None:
    [match] = find_dois("See doi:10.1093/ab. for details.")
    assert (match.broken, match.doi) == (True, "10.1093/ab")


def test_a_two_digit_registrant_may_have_lost_two_zeros() -> None:
    [match] = find_dois("doi: 10.23/jim.0b013e318214ea2d")
    assert match.broken and match.candidates == ("10.2300/jim.0b013e318214ea2d",)


def test_two_candidates_the_registry_holds_and_the_page_agrees_with_are_no_repair() -> None:
    """Real recorded works, both found: which one the page meant is a guess, and a guess is worse than a
    broken DOI. One of them alone is the repair."""
    from conftest import recorded_work

    from refkit.model import Citation, Resolution
    from refkit.reconcile import confirm_repairs

    works = [recorded_work("10.1371_journal.pone.0000030"), recorded_work("10.1038_ng.3834")]
    found = {work.doi: Resolution(work.doi, "found", agency="crossref", work=work) for work in works if work.doi}
    citation = Citation("broken", "10.1371/x", "doi: 10.1371/x", "page.md", 1, 1, "/page/", candidates=tuple(found))
    assert citation.key not in confirm_repairs([citation], found)
    first = next(iter(found))
    assert confirm_repairs([citation], {first: found[first]})[citation.key].repaired == first


def test_a_cut_doi_never_swallows_an_ordinary_word() -> None:
    # The regression: this became the DOI 10.1016/j.for.
    [match] = find_dois("See doi: 10.1016/j. for details.")
    assert (match.broken, match.doi, match.raw, match.candidates) == (True, "10.1016/j", "doi: 10.1016/j.", ())


@pytest.mark.parametrize(
    ("text", "word"),
    [  # synthetic: each cut form above, followed by an ordinary word
        ("See doi: 10.1016/j. for details.", "for"),
        ("http://dx.doi.org/10.1038/ and then", "and"),
        ("doi:10.1016/S0302- Results were", "Results"),
        ("doi:10.1001 /and so on", "and"),
        ("https://doi.org/10.4161/derm .and", "and"),
        ("https://doi.org/10.1016/j.brain research was", "research"),
        ("doi: 10.1016/j.\n\nResults were clear.", "Results"),
        ("doi: 10.1046/j.1523-\n\n* Methods", "Methods"),
        ("doi: 10.1016/j.\n\n120 patients were", "120"),
        ("http://dx.doi.org/10.1038/ PMID:8645596", "PMID"),
        ("doi: 10.1016/j. 2013;5:12-9.", "2013"),
        # numbers of the sentence after a cut (an outside reading found each joined)
        ("See doi: 10.1016/j. 25% of patients", "25%"),
        ("doi: 10.1016/j. 2.5 mg daily", "2.5"),
        ("doi: 10.1001 /3 of the patients", "/3"),
    ],
)
def test_no_join_swallows_an_ordinary_word(text: str, word: str) -> None:
    matches = find_dois(text)
    assert all(match.candidates == () and word not in match.raw for match in matches), matches


@pytest.mark.parametrize(
    ("text", "doi"),
    [  # synthetic: a whole DOI, then a number that is the sentence's
        ("http://dx.doi.org/10.1007/s10238-013-0249-2 95.\n", "10.1007/s10238-013-0249-2"),  # the next reference's number
        ("(doi:10.1016/j.jsbmb.2012.11.018 2013)", "10.1016/j.jsbmb.2012.11.018"),  # a year
        ("(doi:10.1016/j.amjcard.2010.05.02, 7)", "10.1016/j.amjcard.2010.05.02"),  # after a comma
        ("doi:10.1016/j.amjcard.2010.05.02 7 patients", "10.1016/j.amjcard.2010.05.02"),  # a count
    ],
)
def test_a_number_after_a_whole_doi_is_not_joined(text: str, doi: str) -> None:
    [match] = find_dois(text)
    assert (match.doi, match.broken, match.candidates) == (doi, False, ())


def test_a_doi_after_a_cut_one_stays_its_own() -> None:
    # synthetic: a cut DOI, then a whole one
    matches = find_dois("http://dx.doi.org/10.1038/ 10.1136/bmj.g2035")
    assert [(match.broken, match.doi, match.candidates) for match in matches] == [
        (True, "10.1038/", ()),
        (False, "10.1136/bmj.g2035", ()),
    ]


# The labelled look-alikes that must not be joined (damaged_doi_labels.json "negatives"): the DOIs found.
NEGATIVES = [
    ("https://doi.org/10.1007/s00405-018-5146-6 7 studies", ["10.1007/s00405-018-5146-6"]),
    ("doi:10.1136/bmj.g1903 10.1136/bmj.g2035", ["10.1136/bmj.g1903", "10.1136/bmj.g2035"]),
    ("http:// dx.doi.org/10.1007/s10238-013-0249-2 95. Furuya T", ["10.1007/s10238-013-0249-2"]),
    ("http://dx.doi. org/10.1001/archinternmed.2009.361 143. Gordon CM", ["10.1001/archinternmed.2009.361"]),
    ("http://dx.doi. org/10.1038/ctg.2013.1; PMID:23594800", ["10.1038/ctg.2013.1"]),
    ("doi:10.1136/ard.2010.134817.\uf097 Vitamin D receptor regulates", ["10.1136/ard.2010.134817"]),
    ("[doi: 10.1161/](https://doi.org/10.1161/)\u200b Saman Khalesi", []),
    ("http://dx.doi.org/10.1017/S0950268814000193 Influenza/Respiratory viruses", ["10.1017/s0950268814000193"]),
    ("[doi: 84/1/18](https://doi.org/84/1/18) <span>[pii]</span>", []),
    ("Published Online: April 30, 2014, DOI:", []),
]


@pytest.mark.parametrize(("text", "dois"), NEGATIVES)
def test_corpus_look_alikes_are_not_joined(text: str, dois: list[str]) -> None:
    matches = find_dois(text)
    assert [match.doi for match in matches if not match.broken] == dois
    assert all(match.candidates == () for match in matches)


def test_the_negatives_here_are_the_labelled_ones() -> None:
    labels = json.loads((ROOT / "tests" / "data" / "damaged_doi_labels.json").read_text(encoding="utf-8"))
    assert sorted(text for text, _ in NEGATIVES) == sorted(negative["raw"] for negative in labels["negatives"])


# A clean DOI in ordinary prose: real DOIs (hand-checked in doi_labels*.json) written every usual way,
# between words and numbers a page puts around them.
def _labelled_dois() -> list[str]:
    dois: set[str] = set()
    for name in ("doi_labels.json", "doi_labels_holdout.json"):
        labels = json.loads((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
        dois |= {doi for page in labels["pages"] for doi in page["dois"] if doi not in page.get("also_accept", {})}
    return sorted(dois)


# Labelled DOIs with a shape OCR damage leaves (an `l` before a digit): they get a candidate, and
# stay the DOI as written; the MDPI two are the damaged_doi_labels.json typos, the Springer one is real.
MISREAD_SHAPED = {"10.1007/pl00022726", "10.3390/el5041416", "10.3390/moleculesl80910122"}
WRITTEN = st.sampled_from(
    ["{}", "doi:{}", "doi: {}", "DOI: {}", "https://doi.org/{}", "http://dx.doi.org/{}", "({})", "[doi: {0}](https://doi.org/{0})"]
)
WORDS = st.lists(
    st.sampled_from(
        ["See", "the", "study", "for", "details", "and", "Vitamin", "D", "was", "7", "studies", "in", "2013", "p", "<",
         "0.05", "2.5", "25(OH)D", "p53", "COVID-19", "Table", "2", "Fig.", "3", "et", "al.", "PMID:", "23174181", "n",
         "=", "120", "IL-6", "(2013)", "1.", "95.", "Furuya", "T", "j.", "res.2006", "CD4"]
    ),
    min_size=2,
    max_size=6,
).map(" ".join)  # fmt: skip
AFTER = st.sampled_from(["", ".", ",", ";", ")"])
BETWEEN = st.sampled_from([" ", "\n", "\n\n", "\n\n* "])


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.sampled_from(_labelled_dois()), WRITTEN, WORDS, AFTER, BETWEEN, WORDS)
def test_a_clean_doi_in_prose_is_never_changed(doi: str, written: str, before: str, after: str, between: str, words: str) -> None:
    text = f"{before} {written.format(doi)}{after}{between}{words}"
    doi_end = len(before) + 1 + len(written.format(doi))
    matches = [match for match in find_dois(text) if match.start < doi_end]
    assert matches and all(
        (match.doi, match.broken) == (doi, False) and match.end <= doi_end for match in matches
    ), matches
    if doi not in MISREAD_SHAPED:
        assert all(match.candidates == () for match in matches)


def test_scan_reports_a_cut_doi_as_broken_with_the_text_as_written(wiki, tmp_path: Path) -> None:
    wiki.page("p.md", "See doi: 10.1016/j. for details.\n\nPMID:8645596; http://dx.doi.org/10.1038/ bjc.1996.275.\n")
    done = run_refkit("scan", "--format", "jsonl", str(wiki.root), env=refkit_env(tmp_path))
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0, done.stderr
    assert [(record["kind"], record["doi"], record["raw"], record["line"]) for record in records] == [
        ("broken", "10.1016/j", "doi: 10.1016/j.", 4),
        ("pmid", None, "PMID:8645596", 6),
        ("broken", "10.1038/", "http://dx.doi.org/10.1038/ bjc.1996.275", 6),
    ]
