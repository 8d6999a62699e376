"""DOI finding and normalising: every form the VitaminDWiki corpus uses, and its non-DOIs.
Each text is quoted from a corpus page (file named in the comment) unless it says otherwise."""

import pytest

from refkit.doi import find_dois, normalise

CASES = [
    # Resolver URLs, old and new (seed page; many pages).
    ("Calcified Tissue International (2022) https://doi.org/10.1007/s00223-022-00955-3", ["10.1007/s00223-022-00955-3"]),
    ('<a href="http://dx.doi.org/10.1093/tropej/fmp040"', ["10.1093/tropej/fmp040"]),
    ("2, S:4 http://dx.doi.org/10.4172/2161-1017.S4-004", ["10.4172/2161-1017.s4-004"]),
    # doi: / DOI: prefixes, with and without a space, and the sentence's full stop.
    (". 2005;182(4):494–8. doi:10.1007/s00213-005-0117-1.", ["10.1007/s00213-005-0117-1"]),
    ("une 12, 2014: e1–e8. doi:10.2105/AJPH.2014.302034", ["10.2105/ajph.2014.302034"]),
    ("nline: 28 MAR 2013, DOI: 10.1002/14651858.CD005028.pub3", ["10.1002/14651858.cd005028.pub3"]),
    ("Diabetologia, DOI 10.1007/s00125-014-3293-x", ["10.1007/s00125-014-3293-x"]),
    ("ch 2011 26 455-457. (doi:10.1002/jbmr.328)", ["10.1002/jbmr.328"]),
    ("13(10), 13461-13483; doi:10.3390/ijms131013461", ["10.3390/ijms131013461"]),
    # Bare DOIs.
    ("in D and placebo groups: 10.1016/j.clnu.2018.07.034", ["10.1016/j.clnu.2018.07.034"]),
    # Markdown links: text and URL hold the same DOI, with the sentence's full stop in both.
    (
        "Dec;37(6):886-92. [doi: 10.1016/j.canep.2013.08.013.](https://doi.org/10.1016/j.canep.2013.08.013.)",
        ["10.1016/j.canep.2013.08.013"],
    ),
    ("(https://doi.org/10.1093/aje/kwu059.)", ["10.1093/aje/kwu059"]),
    ("/pubmed/20431993); DOI: [10.1007/s00198-010-1249-7](http://dx.doi.org/10.1007/s00198-010-1249-7)", ["10.1007/s00198-010-1249-7"]),
    ("s article as [doi: [10.1002/jbmr.1828].](https://doi.org/[10.1002/jbmr.1828].)", ["10.1002/jbmr.1828"]),
    # HTML links whose text is the DOI, closed by </a>.
    ('target="_blank">10.1016/j.beem.2011.06.007</a>.</div>', ["10.1016/j.beem.2011.06.007"]),
    # Publisher URLs that embed the DOI.
    ("inelibrary.wiley.com/doi/10.1111/apa.12172/abstract)", ["10.1111/apa.12172"]),
    ("inelibrary.wiley.com/doi/10.1111/jgs.12495/abstract%20)", ["10.1111/jgs.12495"]),
    ("http://onlinelibrary.wiley.com/doi/10.1002/ijc.29002/pdf", ["10.1002/ijc.29002"]),
    ("onlinelibrary.wiley.com/doi/10.1002/14651858.CD000227.pub2/pdf/standard", ["10.1002/14651858.cd000227.pub2"]),
    ("http://link.springer.com/article/10.1007%2Fs12016-013-8361-3", ["10.1007/s12016-013-8361-3"]),
    ("journals.plos.org/plosone/article?id=10.1371%2Fjournal.pone.0049312%20).", ["10.1371/journal.pone.0049312"]),
    ("onlinelibrary.wiley.com/doi/10.1111/j.1365-2265.2012.04457.x/full;jsessionid=55E000ACA0D5D705D01F3F8C2767E", ["10.1111/j.1365-2265.2012.04457.x"]),
    ("www.nejm.org/doi/full/10.1056/NEJMc1315850#SA4?url_ver=Z39.88-2003&rfr_id=ori:rid:crossref.org", ["10.1056/nejmc1315850"]),
    ("medicaljournals.se/acta/content/?doi=10.2340/00015555-0980&html=1)", ["10.2340/00015555-0980"]),
    ("academic.oup.com/jnci/advance-article/doi/10.1093/jnci/djaa114/5889955%20)** FREE PDF", ["10.1093/jnci/djaa114"]),
    # Resolver URLs split by a space (DOIs a PDF copy cut are in test_doi_repair.py).
    ("4462; http://dx.doi. org/10.1056/NEJMra070553", ["10.1056/nejmra070553"]),
    # Zero-width spaces (Springer's line-break hints) inside the DOI are invisible to a reader
    # (genes-cyp2r1-and-gc-which-restrict-the-amount-of-vitamin-d-which-gets-into-bloodstream.md).
    ("2014 Jul;9(4):413. doi:10.\u200b1007/\u200bs12263-014-0413-7", ["10.1007/s12263-014-0413-7"]),
    # A space ends the DOI when what follows is the sentence's.
    ("doi:10.1016/j.jsbmb.2012.11.018 res.2006 was", ["10.1016/j.jsbmb.2012.11.018"]),
    # Parentheses inside DOIs, and a closing one that belongs to the sentence.
    ("3;381(9871):1029–36. doi:10.1016/S0140-6736(12)62001-7.", ["10.1016/s0140-6736(12)62001-7"]),
    ("(https://doi.org/10.1016/S0140-6736(20)30183-5)", ["10.1016/s0140-6736(20)30183-5"]),
    # SICI DOIs with angle brackets (corpus: melanoma-less-likely-when-far-from-equator.md).
    (
        "Int J Cancer 1998; http://dx.doi.org/10.1002/(SICI)1097-0215(19980729)77:3<347::AID-IJC7>3.0.CO;2-O.",
        ["10.1002/(sici)1097-0215(19980729)77:3<347::aid-ijc7>3.0.co;2-o"],
    ),
    # Text glued to the DOI by copying from publisher pages.
    ("15 February 2014  doi:10.1016/S0140-6736(14)60211-7Cite or Link Using DOI", ["10.1016/s0140-6736(14)60211-7"]),
    ("(http://dx.doi.org/10.1056/NEJMra070553_PM-id:17634462", ["10.1056/nejmra070553"]),
    # Liebert gives conference abstracts DOIs ending in `.abstract`: it stays.
    ("May 2014, 20(5): A124-A125. doi:10.1089/acm.2014.5331.abstract.", ["10.1089/acm.2014.5331.abstract"]),
    ("http://www.pnas.org/content/early/2013/09/04/1315006110.abstract?maxtoshow=&HITS=10", []),
    ("academic.oup.com/jcem/article/103/8/2959/doi/10.1210/jc.2018-00385/5001729", ["10.1210/jc.2018-00385"]),
    ("http://dx.doi.org/10.1155/2013/183041.", ["10.1155/2013/183041"]),
    ("care.diabetesjournals.org/lookup/suppl/doi:10.2337/dc12-0962/-/DC1.", ["10.2337/dc12-0962"]),
    ("[https://doi.org10.1371/journal.pone.0296190](https://doi.org10.1371/journal.pone.0296190)", ["10.1371/journal.pone.0296190"]),
    ("hepatitis C. Transpl Int. 201010.1111/j.1432-2277.2010.01141.x", ["10.1111/j.1432-2277.2010.01141.x"]),
    # Component DOIs are DOIs.
    ("s shown in Table S1. doi:10.1371/journal.pone.0058725.g003", ["10.1371/journal.pone.0058725.g003"]),
    # Markdown emphasis around a bare DOI (synthetic line in the corpus' style).
    ("**10.1007/s00198-004-1658-6**,", ["10.1007/s00198-004-1658-6"]),
    # Not DOIs.
    ("Are you doing enough? Dr. Doi said so.", []),
    ("pii: S0960-0760(13)00210-0", []),
    ("version 110.1234/5 and 3.10.1234/5", []),
    ("PMID: 23522919 PMCID: PMC3913810", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_dois(text: str, expected: list[str]) -> None:
    found = list(dict.fromkeys(match.doi for match in find_dois(text) if not match.broken))
    assert found == expected


def test_truncated_doi_is_broken_not_dropped() -> None:
    # A synthetic line: the DOI is cut short and nothing on the page continues it.
    matches = find_dois("PMID:22123420; http://dx.doi.org/10.1016/j.\n\nnext paragraph")
    assert [(match.broken, match.raw, match.candidates) for match in matches] == [(True, "http://dx.doi.org/10.1016/j.", ())]


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        # how-vitamin-d-reduces-asthma-2011.md, tuberculosis-associated-with-vitamin-d-deficiency.md,
        # huntington-disease-patients-also-have-low-levels-of-vitamin-d.md, kidney-stone-production-….md
        ("(https://doi.org/10.231/JIM.0b013e31823279f0), NIHMSID", "https://doi.org/10.231/JIM.0b013e31823279f0"),
        ("Nov;23(10):780-3. [doi: 11.2013/JCPSP.780783.](https://doi.org", "doi: 11.2013/JCPSP.780783"),
        ("58:543 - 8; http://dx.doi.org/10.1373*/clinchem.2011.176545; PMID: 22", "http://dx.doi.org/10.1373*/clinchem.2011.176545"),
        ("1287-92. DOI: http://dx.doi.org/10.1016Zj.juro.2011.11.109\n", "http://dx.doi.org/10.1016Zj.juro.2011.11.109"),
    ],
)
def test_malformed_doi_after_a_resolver_is_broken(text: str, raw: str) -> None:
    assert [(match.broken, match.raw) for match in find_dois(text)][:1] == [(True, raw)]


def test_empty_suffix_in_link_is_broken() -> None:
    # probiotics-reduces-blood-pressure-but-not-as-much-as-vitamin-d-does-meta-analysis.md:35
    matches = find_dois("[doi: 10.1161/](https://doi.org/10.1161/)\u200b Saman Khalesi")
    assert matches and all(match.broken for match in matches)


def test_raw_keeps_the_written_prefix_and_positions_point_at_it() -> None:
    text = "See doi: 10.1002/jbmr.328. And https://doi.org/10.1093/aje/kwu059."
    matches = find_dois(text)
    assert [match.raw for match in matches] == ["doi: 10.1002/jbmr.328", "https://doi.org/10.1093/aje/kwu059"]
    assert [text[match.start : match.end] for match in matches] == [match.raw for match in matches]


def test_a_sentence_after_a_doi_is_not_glued_to_it() -> None:
    assert [m.doi for m in find_dois("doi:10.1016/j.jsbmb.2012.11.018. The study")] == ["10.1016/j.jsbmb.2012.11.018"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("https://doi.org/10.1007/S00223-022-00955-3", "10.1007/s00223-022-00955-3"),
        ("doi:10.1007%2Fs12016-013-8361-3", "10.1007/s12016-013-8361-3"),
        ("10.1002/(SICI)1097-0215(19980729)77:3&lt;347::AID-IJC7&gt;3.0.CO;2-O", "10.1002/(sici)1097-0215(19980729)77:3<347::aid-ijc7>3.0.co;2-o"),
    ],
)
def test_normalise(written: str, expected: str) -> None:
    assert normalise(written) == expected
