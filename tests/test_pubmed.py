"""PMID and PMCID finding and normalising: every form the VitaminDWiki corpus uses, and its non-ids.
Each text is quoted from a corpus page (file named in the comment) unless it says otherwise; the
expected ids were read off the text by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refkit.pubmed import PubMedMatch, find_pubmed_ids, normalise_pmcid, normalise_pmid

CASES = [
    # Text labels in every spacing (many abstracts copied from PubMed).
    ("University of Tehran. PMID:     23959785", [("pmid", "23959785")]),
    ("Published by Elsevier Ltd, PMID: 23416226", [("pmid", "23416226")]),
    ("Invest Dermatol 2006; 126:1053-6; PMID:16484986; http://dx.doi.org/10.1038/sj.jid.5700124", [("pmid", "16484986")]),
    ("9; 89:1321-7; PMID:19321567.", [("pmid", "19321567")]),
    # A Markdown line-break backslash glued to the number (faster-heart-rate-…-low-vitamin-d.md).
    ("PMID:     20102903\\", [("pmid", "20102903")]),
    # PMid, PMCid without the PMC prefix, PM-id glued to a DOI (7100-iu-50000-weekly-….md).
    ("2011 Mar;94(3):e1. PMid:21348788", [("pmid", "21348788")]),
    ("Am J Clin Nutr. 2009;90(5):1240-7. PMCid:2777656", [("pmcid", "PMC2777656")]),
    ("http://dx.doi.org/10.1056/NEJMra070553_PM-id:17634462", [("pmid", "17634462")]),
    # PMID split by a PDF copy (kidney-stone-production-….md).
    ("J Urol 2007;177:1532-6. PM ID: 17275289 DOI: http://dx", [("pmid", "17275289")]),
    # URL-encoded space (parkinsons-disease-and-lrrk2-gene.md).
    ("PMID:%2019879924", [("pmid", "19879924")]),
    # The number in an HTML span after the label (rickets-in-mongolia.md).
    ('(PMID <span class="interref">19142273</span>)', [("pmid", "19142273")]),
    # A Markdown link whose text and URL both hold the PMID: one id, two occurrences.
    (
        "Endocrinol Metab 2010; 95:471-8; PMID: [19850689](http://www.ncbi.nlm.nih.gov/pubmed/19850689)",
        [("pmid", "19850689"), ("pmid", "19850689")],
    ),
    # An HTML link: the label stops at a tag holding a URL, the URL says which id.
    ('Metab 2010; 95:471-8; PMID: <a href="http://www.ncbi.nlm.nih.gov/pubmed/19850689">19850689</a>', [("pmid", "19850689")]),
    # PubMed: labels, in spans and wiki links (hypothesis-tissue-barriers-….md, rickets-calcium-genes-etc.md).
    ("2011;96:53–58. <span>[PubMed: 20843949]</span>", [("pmid", "20843949")]),
    ("2010;95:5105–5119. <span>[PubMed:21045696]</span>", [("pmid", "21045696")]),
    ('<span class="nowrap ref pubmed"><a class="wiki" rel="">PubMed: 17634462</a></span>', [("pmid", "17634462")]),
    # Elsevier reference style (hydrochlorothiazide-might-be-….md).
    (
        "(PubMed PMID: 19704057. Pubmed Central PMCID: 2582461. Epub 2009/08/25. eng) CrossRef | PubMed | Scopus (34)",
        [("pmid", "19704057"), ("pmcid", "PMC2582461")],
    ),
    ("Pubmed Central PMCID: PMC302208. eng)", [("pmcid", "PMC302208")]),
    # PMCID labels, with and without the prefix (vitamin-d-what-clinicians-need-to-know.md and others).
    ("Nutr 2008; 88(2): 491S-499S. PMCID: 2582461.", [("pmcid", "PMC2582461")]),
    ("J Clin Invest 2006; 116(8): 2062-72. PMCID:2938469.", [("pmcid", "PMC2938469")]),
    ("PMID: 28894811 PMCID: PMC5510269 DOI: 10.1159/000478008", [("pmid", "28894811"), ("pmcid", "PMC5510269")]),
    ('<span class="fm-citation-ids-label">PMCID: </span><span>PMC3659873</span>', [("pmcid", "PMC3659873")]),
    ("Metab. 2009;94:26–34. <span>[PMCID: PMC2630864]</span> <span>[PubMed: 18940881]</span>",
     [("pmcid", "PMC2630864"), ("pmid", "18940881")]),
    # A bare PMCID on its own line (hiv-recommend-100000-iu-….md).
    ("PMC3635601     [Available on 2014/5/1]", [("pmcid", "PMC3635601")]),
    # PubMed URLs, old and new, with their tails.
    ("(http://www.ncbi.nlm.nih.gov/pubmed/22398658)", [("pmid", "22398658")]),
    ("https://www.ncbi.nlm.nih.gov/pubmed/28719693", [("pmid", "28719693")]),
    ("[Abstract](http://www.ncbi.nlm.nih.gov/pubmed/23176129?dopt=Abstract)", [("pmid", "23176129")]),
    ("[full text online](http://www.ncbi.nlm.nih.gov/pubmed/17560883%20)", [("pmid", "17560883")]),
    ("(https://pubmed.ncbi.nlm.nih.gov/32988598/)", [("pmid", "32988598")]),
    # A search whose only term is a PMID opens that article (breast-cancer-survival-2x-….md).
    ("[Paper published Oct 2013](http://www.ncbi.nlm.nih.gov/pubmed/?term=24104883)", [("pmid", "24104883")]),
    # PMC URLs, old and new, and links into the article (saudi-have-very-little-….md and others).
    ("(https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6296418/)", [("pmcid", "PMC6296418")]),
    ('href="http://www.ncbi.nlm.nih.gov/pmc/articles/PMC3663164/#ref1">1</a>', [("pmcid", "PMC3663164")]),
    ('href="http://www.ncbi.nlm.nih.gov/pmc/articles/PMC3659873/?report=printable#ref5"', [("pmcid", "PMC3659873")]),
    ('src="http://www.ncbi.nlm.nih.gov/pmc/articles/PMC3663164/bin/JFCM-20-49-g001.jpg"', [("pmcid", "PMC3663164")]),
    ("&nbsp;[1](https://pmc.ncbi.nlm.nih.gov/articles/PMC8859949/)", [("pmcid", "PMC8859949")]),
    # Europe PMC (military-and-vitamin-d-many-studies.md).
    ("(https://europepmc.org/article/MED/33178445)", [("pmid", "33178445")]),
    # A PubMed URL inside a redirect link whose text YouTube cut short (vertigo-treated-by-….md).
    (
        "[https://pubmed.ncbi.nlm.nih.gov/23096...](https://www.youtube.com/redirect?event=video_description"
        "&q=https://pubmed.ncbi.nlm.nih.gov/23096068/&v=29NS6PxfE2s)",
        [("pmid", "23096068")],
    ),
    # A saved Wikipedia page (vitamin-d-and-respiratory-tract-infections-wikipedia.md).
    (
        '<a href="http://en.wikipedia.org/wiki/PubMed_Identifier" title="PubMed Identifier">PMID</a> '
        '<a class="external text" href="http://www.ncbi.nlm.nih.gov/pubmed/17426912">17426912</a>',
        [("pmid", "17426912")],
    ),
    (
        '<a href="http://en.wikipedia.org/wiki/PubMed_Central" title="PubMed Central">PMC</a> '
        '<a class="external text" href="http://www.ncbi.nlm.nih.gov/pmc/articles/PMC2908269">2908269</a>',
        [("pmcid", "PMC2908269")],
    ),
    (
        '<a class="external mw-magiclink-pmid" href="http://www.ncbi.nlm.nih.gov/pubmed/22461123?dopt=Abstract">PMID 22461123</a>',
        [("pmid", "22461123"), ("pmid", "22461123")],
    ),
    ('<li id="cite_note-PMID22461123-5">', [("pmid", "22461123")]),
    ('title=Template:Cite_pmid/19296870&amp;action=edit', [("pmid", "19296870")]),
    # Leading zeros are not part of the id (synthetic).
    ("PMID: 0012345 and PMC0042", [("pmid", "12345"), ("pmcid", "PMC42")]),
]

NON_IDS = [
    # Numbers after the word PubMed in prose (extraskeletal-effects-…, hiv-interactions-…, spanish-…,
    # pregnant-women-…, parkinsons-disease-and-the-sunshine-vitamin-…, mortality-varies-with-latitude-….md).
    "A search using PubMed database yielded 50672 citations",
    "Searching only PubMed yielded 59 results",
    "PubMed registra mas de 5.500 articulos",
    "PubMed (14 articles)",
    "a search of PubMed from July 2002 to July 2012",
    "There are 28,102 papers listed at www.pubmed.gov with vitamin D",
    "e identified 2243 articles in PUBMED using the terms",
    # Link labels without a number (probiotics-reduced-weight-gain-…, chronic-kidney-disease-….md).
    "J Obes. 2012;2012:879151.   View this article via: PubMed CrossRef",
    "2008; 74: 276–288. | Article | PubMed | ISI | CAS |",
    "<span>[PubMed Abstract]</span>",
    "Crit Care Med 2011; 39: 671-7. <PubMed>",
    "PMID:     23072545,     <span>[PubMed - indexed for MEDLINE]</span>"[21:],
    # Search links without an id (vitamin-d-may-block-the-obesity-gene-fto.md, saudi-…, magnesium-supplements-….md).
    "(http://www.ncbi.nlm.nih.gov/pubmed/?term=obesity+%22vitamin+d%22) 1120 items Jan 2014",
    "(http://www.ncbi.nlm.nih.gov/pubmed/?term=Sadat-Ali%20M%5Bauth%5D)",
    '<a href="http://www.ncbi.nlm.nih.gov/pubmed?cmd=historysearch&amp;querykey=16">Magnesium</a>',
    "(http://www.ncbi.nlm.nih.gov/pubmed?term=osteocalcin%5BTitle%5D) 1570 as of July 2014",
    # Other NCBI ids and pages (endometrial-cancer-…, overview-of-rickets-…, saudi-….md).
    "http://www.ncbi.nlm.nih.gov/pubmedhealth/PMH0032824/",
    "http://www.ncbi.nlm.nih.gov/books/NBK279150/",
    "http://www.ncbi.nlm.nih.gov/pmc/about/copyright.html",
    "www.ncbi.nlm.nih.gov/pccompound",
    "is.gd/pubmedvit",
    # Author manuscripts (how-vitamin-d-reduces-asthma-2011.md).
    "Author manuscript; available in PMC 2012 December 1.",
    "NIHMSID: NIHMS324409",
    # Link text cut short: the href holds the id (vertigo-treated-by-….md).
    "[https://pubmed.ncbi.nlm.nih.gov/23096...]",
    # A search that holds a number among other terms (synthetic: the corpus has none) is a search.
    "(http://www.ncbi.nlm.nih.gov/pubmed/?term=2013+vitamin+d+trial)",
    "(https://pubmed.ncbi.nlm.nih.gov/?term=24104883%20AND%20review)",
    # A pubmed path on another site, or a wiki's own tag page (synthetic).
    "[more](/tags/pubmed/2019) and https://example.org/pubmed/12345",
    # An id cut short in text, as YouTube cuts links (synthetic).
    "PMID: 23096...",
    # Units, times and ingredient grades that start like a label (synthetic).
    "25 pmol/L at 3 PM, 12 ppm, PM2.5, PMS and 5 pmid-range",
    "Capsule: HPMC2910 (hypromellose), UPMC12 clinic",
    "PMIDs 123",
    "PMID: none",
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0][:60] for case in CASES])
def test_finds_every_form(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(match.kind, match.id) for match in find_pubmed_ids(text)] == expected


@pytest.mark.parametrize("text", NON_IDS)
def test_finds_nothing_in_non_ids(text: str) -> None:
    assert find_pubmed_ids(text) == []


def test_positions_and_raw_text_as_written() -> None:
    text = (
        "Hip. PMID:     23959785\n"
        "[Abstract](http://www.ncbi.nlm.nih.gov/pubmed/23176129?dopt=Abstract) and "
        "<span>[PMCID: PMC2630864]</span> (https://pmc.ncbi.nlm.nih.gov/articles/PMC8859949/)"
    )
    assert find_pubmed_ids(text) == [
        PubMedMatch(5, 23, "PMID:     23959785", "23959785", "pmid"),
        PubMedMatch(35, 78, "http://www.ncbi.nlm.nih.gov/pubmed/23176129", "23176129", "pmid"),
        PubMedMatch(105, 122, "PMCID: PMC2630864", "PMC2630864", "pmcid"),
        PubMedMatch(132, 180, "https://pmc.ncbi.nlm.nih.gov/articles/PMC8859949", "PMC8859949", "pmcid"),
    ]


def test_a_label_inside_a_url_is_reported_as_that_url() -> None:
    text = "(http://toolserver.org/~verisimilus/Bot/DOI_bot/doibot.php?pmid=22461123)"
    (match,) = find_pubmed_ids(text)
    assert (match.raw, match.id) == ("http://toolserver.org/~verisimilus/Bot/DOI_bot/doibot.php?pmid=22461123", "22461123")


@pytest.mark.parametrize(
    ("text", "pmid"), [("23174181", "23174181"), (" 0023174181 ", "23174181"), ("PMID: 42", "42"), ("0", None), ("12a", None), ("1234567890", None)]
)
def test_normalise_pmid(text: str, pmid: str | None) -> None:
    assert normalise_pmid(text) == pmid


@pytest.mark.parametrize(
    ("text", "pmcid"), [("PMC3761874", "PMC3761874"), ("pmc0042", "PMC42"), ("3761874", "PMC3761874"), ("PMCID: PMC7", "PMC7"), ("PMC", None), ("PMC12x", None)]
)
def test_normalise_pmcid(text: str, pmcid: str | None) -> None:
    assert normalise_pmcid(text) == pmcid


@given(st.text(alphabet=st.sampled_from(list("PMCIDpmcidubedUBE :/?=.-_%20<>[]ncbilmhgovw\n")), max_size=120))
def test_every_match_is_its_own_text_and_a_normal_id(text: str) -> None:
    matches = find_pubmed_ids(text)
    for match in matches:
        assert text[match.start : match.end] == match.raw
        normalise = normalise_pmid if match.kind == "pmid" else normalise_pmcid
        assert normalise(match.id) == match.id
        assert match.raw.endswith(match.id.removeprefix("PMC")) or match.raw.lower().endswith(match.id.lower())
    assert all(earlier.end <= later.start for earlier, later in zip(matches, matches[1:]))
