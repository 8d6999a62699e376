"""What pages list next to a DOI, read from real corpus pages (../shared/corpus/vitamindwiki) and the seed page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, SHARED
from refkit_process import refkit_env, run_refkit

from refkit.listed import listed_near
from refkit.model import Listed
from refkit.pages import split_front_matter

SEED = SHARED / "seeds" / "role-of-vitamin-k-in-bones-and-muscles.md"


def listed_for(path: Path, doi: str) -> tuple[Listed | None, list[str]]:
    """listed_near for the first line of a page holding `doi`, as scan calls it; also the file's lines."""
    text = path.read_text(encoding="utf-8")
    _, body, body_line = split_front_matter(text, str(path))
    lines = body.split("\n")
    index = next(i for i, line in enumerate(lines) if doi in line)
    return listed_near(lines, index, body_line), text.split("\n")


def file_line(file_lines: list[str], start: str) -> int:
    return next(n for n, line in enumerate(file_lines, 1) if line.startswith(start))


def test_seed_page() -> None:
    listed, file_lines = listed_for(SEED, "10.1007/s00223-022-00955-3")
    assert listed is not None
    assert listed.title == "Role of Vitamin K in Bone and Muscle Metabolism"
    assert listed.journal == "Calcified Tissue International"
    assert listed.year == 2022
    assert [(p.given, p.family) for p in listed.authors] == [
        ("N.", "Alonso"), ("A.", "Meinitzer"), ("E.", "Fritz-Petrin"), ("D.", "Enko"), ("M.", "Herrmann"),
    ]
    assert not listed.truncated
    assert listed.authors_line == file_line(file_lines, "N. Alonso, A. Meinitzer")


# (corpus file, DOI, title, journal, year, the start of the page's author line or None when no
# authors are expected, the authors as (given, family), written by hand from that line)
CASES = [
    # PubMed layout: heading title, citation line, authors below
    ("weekly-cottage-cheese-associated-with-1ng-more-vitamin-d-in-blood-surprise.md", "10.1016/j.jsbmb.2013.10.017",
     "Quantifying the food sources of basal vitamin d input", "J Steroid Biochem Mol Biol", 2013,
     "McDonnell SL, French CB, Heaney RP.", [("S. L.", "McDonnell"), ("C. B.", "French"), ("R. P.", "Heaney")]),
    ("vitamin-d-levels-in-singapore-which-is-on-the-equator.md", "10.3343/alm.2013.33.2.156",
     "Total 25-OH vitamin D concentrations in Chinese, Malays and Indians", "Ann Lab Med", 2013, "Hawkins R.",
     [("R.", "Hawkins")]),
    ("implanting-titanium-in-mice-helped-by-vitamin-d-wonder-about-human-teeth-hips-etc.md", "10.1371/journal.pone.0095689",
     "Vitamin d supplementation enhances the fixation of titanium implants in chronic kidney disease mice", "PLoS One", 2014,
     "Liu W1, Zhang S1, Zhao D1, Zou H1, Sun N1, Liang X1, Dard M2, Lanske B3, Yuan Q1.",
     [("W.", "Liu"), ("S.", "Zhang"), ("D.", "Zhao"), ("H.", "Zou"), ("N.", "Sun"), ("X.", "Liang"), ("M.", "Dard"),
      ("B.", "Lanske"), ("Q.", "Yuan")]),
    ("black-women-and-vitamin-d-nigeria-26-ng-chicago-12-ng.md", "10.1002/ajhb.22395",
     "25-hydroxyvitamin D levels in African American and Nigerian women", "Am J Hum Biol", 2013,
     "Durazo-Arvizu RA, Aloia JF, Dugas LR",
     [("R. A.", "Durazo-Arvizu"), ("J. F.", "Aloia"), ("L. R.", "Dugas"), ("B. O.", "Tayo"), ("D. A.", "Shoham"),
      ("A. M.", "Bertino"), ("J. K.", "Yeh"), ("R. S.", "Cooper"), ("A.", "Luke")]),
    # a bold title under a wiki heading wins over the heading
    ("ankylosing-spondylitis-and-low-vitamin-d-many-studies.md", "10.3389/fmed.2022.972586",
     "Peripheral vitamin D levels in ankylosing spondylitis: A systematic review and meta-analysis",
     "Front Med (Lausanne)", 2022, "Maohui Diao  1 , Jun Peng  1",
     [("Maohui", "Diao"), ("Jun", "Peng"), ("Daidong", "Wang"), ("Hongbo", "Wang")]),
    ("ankylosing-spondylitis-and-low-vitamin-d-many-studies.md", "10.3390/nu12051400",
     "Low Vitamin D Levels Predict Mortality in Ankylosing Spondylitis Patients: A Nationwide Population-Based Cohort Study",
     "Nutrients", 2020, "Ben-Shabat N1, Watad A1",
     [("N.", "Ben-Shabat"), ("A.", "Watad"), ("A.", "Shabat"), ("N. L.", "Bragazzi"), ("D.", "Comaneshter"),
      ("A. D.", "Cohen"), ("H.", "Amital")]),
    # publisher layouts: "Journal, DOI", "Journal year;vol doi:", MDPI "by ..."
    ("lung-cancer-reduced-by-combination-of-vitamins-d-and-a.md", "10.1002/ijc.28846",
     "Estimated intake of vitamin D and its interaction with vitamin A on lung cancer risk among smokers",
     "International Journal of Cancer", None, "Ting-Yuan David Cheng1,2,*",
     [("Ting-Yuan David", "Cheng"), ("Gary E.", "Goodman"), ("Mark D.", "Thornquist"), ("Matt J.", "Barnett"),
      ("Shirley A. A.", "Beresford"), ("Andrea Z.", "LaCroix"), ("Yingye", "Zheng"), ("Marian L.", "Neuhouser")]),
    ("asthma-reduced-by-weekly-50000-iu-of-vitamin-d-rct.md", "10.1016/j.anai.2014.07.005",
     "The effects of vitamin D supplementation on airway functions in mild to moderate persistent asthma",
     "Annals of Allergy, Asthma & Immunology", None, "Saba Arshi, MD∗",
     [("Saba", "Arshi"), ("Morteza", "Fallahpour"), ("Mohammad", "Nabavi"), ("Mohammad Hasan", "Bemanian"),
      ("Seyed Ali", "Javad-Mousavi"), ("Marzieh", "Nojomi"), ("Hossein", "Esmaeilzadeh"), ("Rasool", "Molatefi"),
      ("Mahsa", "Rekabi"), ("Farhad", "Jalali"), ("Nadieh", "Akbarpour")]),
    ("any-supplementation-with-vitamin-d-reduced-chance-of-pneumonia-by-50-percent.md", "10.1136/thoraxjnl-2013-203623",
     "The role of vitamin D supplementation in the risk of developing pneumonia: three independent case–control studies",
     "Thorax", 2013, "Hilde H F Remmelts",
     [("Hilde H. F.", "Remmelts"), ("Simone M. C.", "Spoorenberg"), ("Jan Jelrik", "Oosterheert"), ("Willem Jan W.", "Bos"),
      ("Mark C. H.", "de Groot"), ("Ewoudt M. W.", "van de Garde")]),
    ("bipolar-disorder-may-be-related-to-cellular-not-blood-vitamin-d.md", "10.3390/nu15224752",
     "Vitamin D Status in Bipolar Disorder",  # the wiki's "(no association found)" dropped
     "Nutrients", 2023, "by Zita Späth",
     [("Zita", "Späth"), ("Adelina", "Tmava-Berisha"), ("Frederike T.", "Fellendorf"), ("Tatjana", "Stross"),
      ("Alexander", "Maget"), ("Martina", "Platzer"), ("Susanne A.", "Bengesser"), ("Alfred", "Häussl"), ("Ina", "Zwigl"),
      ("Armin", "Birner"), ("Robert", "Queissner"), ("Katharina", "Stix"), ("Linda", "Wels"), ("Melanie", "Lenger"),
      ("Nina", "Dalkner"), ("Sieglinde", "Zelzer"), ("Markus", "Herrmann"), ("Eva Z.", "Reininghaus")]),
    ("middle-ear-infection-otitis-media-and-vitamin-d-many-studies.md", "10.1186/s43163-022-00199-w",
     "Association between vitamin D and ear disease: a meta-analysis and systematic review",
     "The Egyptian Journal of Otolaryngology", 2022, "Marzouqi Salamah, Abdullah Alghamdi",
     [("Marzouqi", "Salamah"), ("Abdullah", "Alghamdi"), ("Khalid", "Mania"), ("Rawan", "Almahyawi"), ("Haya", "Alsubaie"),
      ("Mohamad", "Alfarghal"), ("Mohammed", "Algarni")]),
    # authors above the citation line
    ("parkinsons-disease-relationship-to-vitamin-d.md", "10.1001/archneurol.2011.1078",
     "Parkinson Disease and Vitamin D: An Interplay Between Genes and the Environment?",  # "– comment Dec 2011" dropped
     "Arch Neurol", 2011, "Gabriele C. DeLuca, MD, DPhil",
     [("Gabriele C.", "DeLuca"), ("Grace", "Li"), ("Sreeram", "Ramagopalan")]),
    ("adiponectin-links-vitamin-d-to-obesity.md", "10.1371/journal.pone.0083685",
     "Pediatric Obesity and Vitamin D Deficiency: A Proteomic Approach Identifies Multimeric Adiponectin as a Key Link "
     "between These Conditions", "PLOS ONE", 2014, "Gillian E. Walker.",
     [("Gillian E.", "Walker"), ("Roberta", "Ricotti"), ("Marta", "Roccio"), ("Stefania", "Moia"), ("Simonetta", "Bellone"),
      ("Flavia", "Prodam"), ("Gianni", "Bona")]),
    # a heading wrapped onto a second line
    ("ms-flu-like-symptoms-resulting-from-interferon-beta-were-reduced-with-vitamin-d.md", "10.1186/1471-2377-13-60",
     "Vitamin D supplementation for patients with multiple sclerosis treated with interferon-beta: a randomized "
     "controlled trial assessing the effect on flu-like symptoms and immunomodulatory properties",
     "BMC Neurology", 2013, "Daniel Golan, Basheer Halhal",
     [("Daniel", "Golan"), ("Basheer", "Halhal"), ("Lea", "Glass-Marmor"), ("Elsebeth", "Staun-Ram"), ("Orit", "Rozenberg"),
      ("Idit", "Lavi"), ("Sara", "Dishon"), ("Mira", "Barak"), ("Sophia", "Ish-Shalom"), ("Ariel", "Miller")]),
    # Elsevier authors one per paragraph, each ending with a comma
    ("mice-lacking-cyp2r1-enzyme-activate-about-half-of-much-vitamin-d.md", "10.1073/pnas.1315006110",
     "CYP2R1 is a major, but not exclusive, contributor to 25-hydroxyvitamin D production in vivo", "PNAS", 2013,
     "Jinge G. Zhu a,",
     [("Jinge G.", "Zhu"), ("Justin T.", "Ochalek"), ("Martin", "Kaufmann"), ("Glenville", "Jones"), ("Hector F.", "DeLuca")]),
    # nothing but a journal and a year can be told: the author line mixes a name and an affiliation
    ("guidelines-for-optimizing-design-and-analysis-of-clinical-studies-of-nutrient-effects.md", "10.1111/nure.12090",
     None, "Nutr Rev", 2014, None, []),
]


@pytest.mark.parametrize(("file", "doi", "title", "journal", "year", "authors_start", "authors"), CASES)
def test_listed_on_corpus_pages(
    file: str, doi: str, title: str | None, journal: str | None, year: int | None, authors_start: str | None,
    authors: list[tuple[str, str]],
) -> None:  # fmt: skip
    listed, file_lines = listed_for(CORPUS / file, doi)
    assert listed is not None
    assert (listed.title, listed.journal, listed.year) == (title, journal, year)
    assert [(p.given, p.family) for p in listed.authors] == authors
    if authors_start is None:
        assert listed.authors_line is None
    else:
        assert listed.authors_line == file_line(file_lines, authors_start)


# A reference entry holding the DOI lists its own authors, family name first (PubMed, APA): they are
# read from the entry itself, never from the entries around it. Expected names written from the lines.
REFERENCE_ENTRIES = [
    # "* 119. Drake MT, Maurer MJ, … Inwards DJ, et al. Vitamin D insufficiency and prognosis …"
    ("vitamin-d-update-holick.md", "10.1200/JCO.2010.28.6674",
     [("M. T.", "Drake"), ("M. J.", "Maurer"), ("B. K.", "Link"), ("T. M.", "Habermann"), ("S. M.", "Ansell"),
      ("I. N.", "Micallef"), ("J. L.", "Kelly"), ("W. R.", "Macon"), ("G. S.", "Nowakowski"), ("D. J.", "Inwards")], True),
    # "1. Holick MF. Vitamin D deficiency. N Engl J Med 2007; …"
    ("vitamin-d-deficiency-in-middle-east-and-north-africa.md", "10.1056/NEJMra070553", [("M. F.", "Holick")], False),
    # "* 20 Lewis JG & Elder PA. Serum 25-OH vitamin D2 and D3 are stable …"
    ("review-of-vitamin-d-including-free-frequency-injection-how-much.md", "10.1373/clinchem.2008.111526",
     [("J. G.", "Lewis"), ("P. A.", "Elder")], False),
    # "145. Al-Daghri NM, Alkharfy KM, Al-Saleh Y, Al-Attas OS, Alokail MS, Al-Othman A, et al. Modest reversal …" (HTML links)
    ("hypovitaminosis-d-in-the-middle-east-and-north-africa.md", "10.1016/j.metabol.2011.09.017",
     [("N. M.", "Al-Daghri"), ("K. M.", "Alkharfy"), ("Y.", "Al-Saleh"), ("O. S.", "Al-Attas"), ("M. S.", "Alokail"),
      ("A.", "Al-Othman")], True),
    # APA: "Mitchell, D. (2011). The relationship between vitamin d and cancer. …"
    ("vitamin-d-update-for-nurse-practitioners.md", "10.1188/11.CJON.557-560", [("D.", "Mitchell")], False),
    # "Evaluation of: Løken-Amsrud KI, Myhr KM, Bakke SJ et al. Retinol levels … doi:…": not the evaluation's
    # authors on the line above ("Massimo Filippi*, Paolo Preziosa and Maria A Rocca")
    ("small-increase-in-vitamin-a-metabolites-cut-new-multiple-sclerosis-lesions-in-half.md", "10.1177/1352458512457843",
     [("K. I.", "Løken-Amsrud"), ("K. M.", "Myhr"), ("S. J.", "Bakke")], True),
    # initials first, cut: "1. S. Afzal et al. Low plasma 25-hydroyvitamin D and risk of tobacco-related cancer. …"
    ("vitamin-d-seems-to-be-living-up-to-high-expectations.md", "10.1373/clinchem.2012.201939", [("S.", "Afzal")], True),
]


@pytest.mark.parametrize(("file", "doi", "authors", "truncated"), REFERENCE_ENTRIES)
def test_a_reference_entry_lists_its_own_authors(file: str, doi: str, authors: list[tuple[str, str]], truncated: bool) -> None:
    listed, file_lines = listed_for(CORPUS / file, doi)
    assert listed is not None
    assert [(p.given, p.family) for p in listed.authors] == authors
    assert listed.truncated is truncated
    assert listed.authors_line == next(n for n, line in enumerate(file_lines, 1) if doi in line)
    assert listed.title is None  # the lines around belong to other entries


# Bullet lists without names, and prose: the page lists nothing that can be trusted.
NOTHING_LISTED = [
    ("endometriosis-treated-and-perhaps-prevented-by-vitamin-d-many-studies.md", "10.23750/abm.v93i1.11237"),  # bullet
    ("137-health-problems-associated-with-low-vitamin-d-meta-meta-analysis.md", "10.1136/bmj.g1903"),  # "Research doi:, doi:"
]


@pytest.mark.parametrize(("file", "doi"), NOTHING_LISTED)
def test_nothing_listed_in_reference_lists_and_prose(file: str, doi: str) -> None:
    listed, _ = listed_for(CORPUS / file, doi)
    assert listed is None or (listed.title is None and listed.authors == ())


# A reference entry a PDF copy broke over lines: the identifier's line carries on the numbered entry above
# (melanoma-less-likely-when-far-from-equator.md, vitamin-d-update-holick.md).
ENTRIES_GOING_ON = [
    (["44. Bogh MK, Schmedes AV, Wulf HC. Vitamin D production after UVB exposure. J Invest Dermatol", "",
      "2010; 130:546-53; PMID:19812604; http://dx.doi.org/10.1038/jid.2009.323."], ["Bogh", "Schmedes", "Wulf"]),
    (["* 133. Zhou C, Assem M, Thummel KE. Steroid and xenobiotic receptor crosstalk mediates CYP24 expression.", "",
      "* J Clin Invest 2006; 116:1703-12; PMID:16691293; http://dx.doi.org/10.1172/JCI27793"], ["Zhou", "Assem", "Thummel"]),
    (["89. Thieden E, Philipsen PA, Heydenreich J, Wulf HC.", "",
      "Vitamin D level in summer and winter. Photochem Photobiol 2009; 85:1480-4; PMID:19709382"],
     ["Thieden", "Philipsen", "Heydenreich", "Wulf"]),
    (["<sup>[17]</sup> Holick MF, Binkley NC, Weaver CM", "", "2011) Evaluation, treatment, and prevention of vitamin D "
      "deficiency. J Clin Endocrinol Metab. 2011;96(7):1911-30. http://dx.doi.org/10.1210/jc.2011-0385."], ["Holick", "Binkley", "Weaver"]),
    # a bulleted entry that stops short of its year (vitamin-d-can-inhibit-enveloped-virus-…md)
    (["* Liu PT, Krutzik SR, Modlin RL. Therapeutic implications of the TLR and VDR partnership.", "",
      "* Trends Mol Med. 2007; 13:117-24. <span>[PubMed: 17276732]</span>"], ["Liu", "Krutzik", "Modlin"]),
    # not an entry that holds its own identifier, nor one without a number, nor onto a numbered line
    (["22. Leigh IM, Glover MT. Skin cancer and warts. Recent Results Cancer Res 1995; 139:69-86; PMID:7597313;", "",
      "* See also doi:10.1007/978-3-642-78771-3_6"], []),
    (["* Bogh MK, Schmedes AV, Wulf HC. Vitamin D production after UVB exposure. J Invest Dermatol 2010.", "",
      "* [More on UVB](https://www.ncbi.nlm.nih.gov/pubmed/19812604)"], []),
    (["* Bogh MK, Schmedes AV, Wulf HC. Vitamin D production after UVB exposure.", "",
      "* [More on UVB, 2010](https://www.ncbi.nlm.nih.gov/pubmed/19812604)"], []),
    (["* Bogh MK, Schmedes AV, Wulf HC. Vitamin D production after UVB exposure.", "",
      "* Vitamin D and the skin: PMID 19812604"], []),
    (["44. Bogh MK, Schmedes AV, Wulf HC. Vitamin D production after UVB exposure. J Invest Dermatol 2010.", "",
      "45. Vitamin D and the skin. Photochem Photobiol 2009; 85:1480-4; PMID:19709382"], []),
]


@pytest.mark.parametrize(("lines", "families"), ENTRIES_GOING_ON)
def test_a_reference_entry_broken_over_lines_lists_its_authors_on_the_identifiers_line(lines: list[str], families: list[str]) -> None:
    listed = listed_near(lines, 2, 10)
    assert ([p.family for p in listed.authors] if listed else []) == families
    if families:
        assert listed is not None and (listed.authors_line, listed.title) == (10, None)


def test_names_before_the_identifier_set_off_by_a_semicolon_are_its_listing() -> None:
    # genome-wide-view-on-the-physiology-of-vitamin-d.md: "Carlien Leyssens, …; [doi: …](…); Review Article, …"
    listed, _ = listed_for(CORPUS / "genome-wide-view-on-the-physiology-of-vitamin-d.md", "10.3389/fphys.2014.00122")
    assert listed is not None and [p.family for p in listed.authors] == ["Leyssens", "Verlinden", "Verstuyf"]
    # a journal there is no name ("Am J Hypertens (2012); [doi: …]"), the authors are below it
    listed, _ = listed_for(CORPUS / "3000-iu-reduced-hypertension-for-the-vitamin-d-insufficient-rct.md", "10.1093/ajh/hps058")
    assert listed is not None and [p.family for p in listed.authors] == ["Kienreich", "Tomaschitz", "Verheyen", "Pieber", "Pilz"]
    for journal in ("Am J Hypertens;", "J Am Acad Orthop (2012);"):  # one "name", or a year
        listed = listed_near([f"{journal} [doi: 10.1000/x1](https://doi.org/10.1000/x1); Letter"], 0, 1)
        assert listed is None or listed.authors == ()


def test_names_after_the_identifier_to_the_end_of_the_line_are_its_listing() -> None:
    # PubMed's abstract copied without line breaks: "Gait Posture. 2013 Jul 15. pii: …. [doi: …](…) Krause M, …, Barvencik F."
    listed, _ = listed_for(CORPUS / "more-postural-body-sway-in-seniors-associated-with-low-vitamin-d.md", "10.1016/j.gaitpost.2013.06.017")
    assert listed is not None and (listed.journal, listed.year) == ("Gait Posture", 2013)
    assert [p.family for p in listed.authors] == ["Krause", "Anschütz", "Vettorazzi", "Breer", "Amling", "Barvencik"]
    assert listed.title is not None and listed.title.startswith("Vitamin D deficiency intensifies deterioration")
    # not the names opening the next entry of an APA list ("… [doi: …](…) Spina, C. S., …, & Holick, M. F." / "(2006). …"),
    # nor a word there that reads as one name ("[doi: 10.1158/1940-6207.Cancer](…) Prevention Research-13-0338-T")
    listed, _ = listed_for(CORPUS / "vitamin-d-update-for-nurse-practitioners.md", "10.1016/j.numecd.2011.11.001")
    assert listed is not None and [p.family for p in listed.authors][:2] == ["Muscogiuri", "Sorice"]
    page = "inflammation-in-african-americans-not-reduced-with-3-months-of-4000-iu-of-vitamin-d-rct.md"
    listed, _ = listed_for(CORPUS / page, "10.1158/1940-6207.Cancer")
    assert listed is not None and [p.family for p in listed.authors][:2] == ["Chandler", "Scott"]


def test_a_part_of_an_abstract_lists_no_one() -> None:
    # trauma-86-percent-…md: "LEVEL OF EVIDENCE: Prognostic Level IV." above "PMID: 24464095" (no "EVIDENCE, LEVEL O. F.")
    assert listed_near(["CONCLUSION: It is common.", "", "LEVEL OF EVIDENCE: Prognostic Level IV.", "", "PMID: 24464095"], 4, 1) is None


def test_prose_around_a_doi_is_not_metadata() -> None:
    lines = [
        "",
        "As shown by the large trial (doi:10.1000/xyz123), daily dosing works better than bolus dosing in most adults.",
        "",
        "Smith J, Jones B.",
    ]
    assert listed_near(lines, 1, 10) is None


def test_a_citation_line_with_a_note_keeps_the_listing_near_it() -> None:
    # "Journal of Investigative Dermatology accepted article preview online, 20 May 2014; doi:…" / "Petersen B1, Wulf HC1, …"
    listed, _ = listed_for(CORPUS / "sun-vacations-raise-vitamin-d-levels-but-too-much-sun-per-day-caused-dna-skin-damage.md", "10.1038/jid.2014.223")
    assert listed is not None and [p.family for p in listed.authors][:3] == ["Petersen", "Wulf", "Triguero-Mas"]
    # "Journal für die reine und angewandte Mathematik" is a journal's name, no note: its line gives a year too
    lines = ["#### Rigidity and stability of Einstein metrics", "", "Journal für die reine und angewandte Mathematik (2015) "
             "https://doi.org/10.1515/crelle-2013-0024", "", "Matthew J. Gursky & Jeff A. Viaclovsky"]  # fmt: skip
    listed = listed_near(lines, 2, 1)
    assert listed is not None and listed.year == 2015 and [p.family for p in listed.authors] == ["Gursky", "Viaclovsky"]
    # but beside a note, a lone name is no author
    lines = ["Journal of Tests accepted article preview online, 20 May 2014; doi:10.1000/x1", "", "**Clinical Significance**"]
    assert listed_near(lines, 0, 1) is None


@pytest.mark.parametrize(
    ("citation", "year"),
    [
        ("Pulmonary Medicine, Volume 2012, 2015, doi:10.1155/2012/291294", 2015),
        ("Pulmonary Medicine 2012:p 1-7, 2015. | DOI: 10.1155/2012/291294", 2015),
        ("Progress of Theoretical and Experimental Physics 2019(1), 2022. | DOI: 10.1093/ptep/pty143", 2022),
        # Hindawi's volume alone is the year (corpus: blood-tests-can-be-a-poor-measure-…md)
        ("International Journal of Endocrinology Volume 2014, Article ID 981581, 6 pages  http://dx.doi.org/10.1155/2014/981581", 2014),
        # the article's history is no year of publication (australian-shade-audits-…md)
        ("Received 25 October 2013, accepted 5 January 2014, DOI: 10.1111/php.12237", None),
        ("Photochem Photobiol. Received 25 October 2013, published 3 February 2014, DOI: 10.1111/php.12237", 2014),
    ],
)
def test_the_year_is_the_publications_not_a_volumes_nor_the_articles_history(citation: str, year: int | None) -> None:
    listed = listed_near(["#### A title of a study about something", "", citation], 2, 1)
    assert listed is not None and listed.year == year


# Citation lines of corpus pages (each named), with the journal a person reads on them: the journal's
# name alone, without the date, volume, note or publisher around it; none where the line names no journal.
JOURNAL_LINES = [
    # british-journal-…: "(10 June 2014)" opens the date, not a part of the name
    ("British Journal of Cancer , (10 June 2014) | doi:10.1038/bjc.2014.294", "British Journal of Cancer"),
    # the identifier's parentheses, left empty ("Pediatrics ([doi: …](…)) Nov 4, 2013")
    ("Expert Review of Gastroenterology & Hepatology  (doi:10.1586/17474124.2014.925796)", "Expert Review of Gastroenterology & Hepatology"),
    ("Public Health Nutrition / Volume 17 / Issue 04 / April 2014, pp 844-852C  DOI: http://dx.doi.org/10.1017/S1368980013000177",
     "Public Health Nutrition"),
    ("Clinical Ophthalmology » Volume 16 DOI https://doi.org/10.2147/OPTH.S383703", "Clinical Ophthalmology"),
    ("Bipolar Disorders Volume23, Issue7. November 2021, [PDF behind a paywall](https://doi.org/10.1111/bdi.13037%20)", "Bipolar Disorders"),
    ("International Orthopaedics 04/2014; DOI:10.1007/s00264-014-2338-6", "International Orthopaedics"),
    ("February 2009Medical Hypotheses 72(4):434-43, DOI: 10.1016/j.mehy.2008.09.056", "Medical Hypotheses"),
    ("Journal of Hearing, Balance, and Communication doi.org/10.1080/21695717.2019.1590988", "Journal of Hearing, Balance, and Communication"),
    # "Markers" is no month ("Mar"): the journal does not end there
    ("Dis Markers. 2013;35(5):525-9. [doi: 10.1155/2013/428479.](https://doi.org/10.1155/2013/428479.) Epub 2013 Oct 10.", "Dis Markers"),
    # the article's kind and the publisher are not the journal's
    ("Review J Neurol. 2020 Aug 24. [doi: 10.1007/s00415-020-10175-0](https://doi.org/10.1007/s00415-020-10175-0)", "J Neurol"),
    ("Editorial, Expert Review of Dermatology, December 2012, Vol. 7, No. 6, Pages 495-497 , DOI 10.1586/edm.12.60",
     "Expert Review of Dermatology"),
    ("Endocrine, DOI 10.1007/s12020-013-0011-2; EDITORIAL", "Endocrine"),
    ("Schizophrenia Bulletin Advance Access published January 4, 2014, doi:10.1093/schbul/sbt202", "Schizophrenia Bulletin"),
    ("Journal of the American Geriatrics Society. First published: 23 Dec 2016, DOI: 10.1111/jgs.14677",
     "Journal of the American Geriatrics Society"),
    ("Hindawi Publishing Corporation International Journal of Endocrinology Volume 2014, Article ID 981581, 6 pages  "
     "http://dx.doi.org/10.1155/2014/981581", "International Journal of Endocrinology"),
    # no journal at all: the article's history, a note, a number, a publisher, authors
    ("Received 25 October 2013, accepted 5 January 2014, DOI: 10.1111/php.12237", None),
    ("Submitted: 07/15/2013; Revised: 10/07/2013; Accepted: 10/08/2013 http://dx.doi.org/10.4161/derm .26738", None),
    ("Published Date June 2014 Volume 2014:6\t Pages 59 - 68; DOI: http://dx.doi.org/10.2147/NDS.S35381", None),
    ("Preprint DOI: 10.21203/rs.3.rs-4202165/v1", None),
    ("ISSN 2231-0614; DOI 10.9734/BJMMR/2014/11309", None),
    ("Hindawi, Volume 2013, Article ID 898125, 6 pages http://dx.doi.org/10.5402/2013/898125", None),
    ("Julien Giacomoni* and Jean-Marc Sabatier &nbsp; [FREE PDF](https://10.2174/0118715265304580240405064250)", None),
    # lines the corpus lacks (from a review): a journal whose name opens with "Review" keeps the word
    ("Review Journal of Autism and Developmental Disorders (2021) 8:1. doi:10.1007/s40489-020-00001-1",
     "Review Journal of Autism and Developmental Disorders"),
    ("Review of Scientific Instruments 85, 013101 (2014) doi:10.1063/1.4858875", "Review of Scientific Instruments"),
]


@pytest.mark.parametrize(("citation", "journal"), JOURNAL_LINES)
def test_the_journal_is_its_name_alone(citation: str, journal: str | None) -> None:
    listed = listed_near(["#### A title of a study about something", "", citation], 2, 1)
    assert listed is not None and listed.journal == journal


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        # a hyphen inside a word is the title's, not the one before a date
        ("#### Vitamin D and Mitochondrial Activity Preservation in COVID-19 - April 2024",
         "Vitamin D and Mitochondrial Activity Preservation in COVID-19"),
        ("#### Vitamin D and stroke: An Original Study and Meta-Analysis - 2012", "Vitamin D and stroke: An Original Study and Meta-Analysis"),
        ("#### Omega-3 and Vitamin D Activation in Hemodialysis Patients: A Pilot Study- 2015",
         "Omega-3 and Vitamin D Activation in Hemodialysis Patients: A Pilot Study"),
        ("#### Vitamin D Receptor Gene Polymorphisms and Type 2 Diabetes: A Meta-analysis.- 2013",
         "Vitamin D Receptor Gene Polymorphisms and Type 2 Diabetes: A Meta-analysis"),
        ("#### Vitamin D and sleep – Jan 2020", "Vitamin D and sleep"),
        # "Sept" is a month too (uterine-fibroids-hysterectomy-32-percent-more-likely-if-less-than-20-ng-vitamin-d.md:294)
        ("#### Racial and ethnic differences in the pathogenesis and clinical manifestations of uterine leiomyoma. (Sept 2013)",
         "Racial and ethnic differences in the pathogenesis and clinical manifestations of uterine leiomyoma"),
    ],
)
def test_a_date_after_a_title_goes_but_not_the_titles_own_hyphens(heading: str, title: str) -> None:
    listed = listed_near([heading, "", "Nutrients. 2020;12:1. doi:10.3390/nu1"], 2, 1)
    assert listed is not None and listed.title == title


# Corpus entries (file, identifier, the title a person reads there), each a way the title was missed:
TITLES = [
    # the wiki's own dated heading sums the study up; the title is the plain line under it
    # ("#### Low vitamin D in early life may be associated with Schizophrenia, need more evidence - July 2021")
    ("overview-schizophrenia-and-vitamin-d.md", "10.1016/j.schres.2021.06.004",
     "Developmental exposure to vitamin D deficiency and subsequent risk of schizophrenia"),
    # … and a subtitle after a colon is no second sentence
    ("overview-breast-cancer-and-vitamin-d.md", "10.1089/acm.2018.0150",
     "Advising Women Undergoing Treatment for Breast Cancer: A Narrative Review"),
    # a bold title broken over two lines, ending with a range of years
    ("erectile-dysfunction-and-vitamin-d-many-studies.md", "10.1016/j.atherosclerosis.2016.07.921",
     "Vitamin D deficiency is independently associated with greater prevalence of erectile dysfunction: "
     "The National Health and Nutrition Examination Survey (NHANES) 2001–2004"),
    # a title ending in a colon, its subtitle the heading below
    ("breast-cancer-chance-decreased-16-percent-for-every-extra-ng-of-vitamin-d.md", "10.1371/journal.pone.0049312",
     "Higher Blood 25(OH)D Level May Reduce the Breast Cancer Risk: Evidence from a Chinese Population Based "
     "Case-Control Study and Meta-Analysis of the Observational Studies"),
    # the wiki's date in parentheses after the title's period ("… study. (May 2014)")
    ("increased-chance-of-death-if-enter-hospital-with-vitamin-d-greater-than-60-ng-u-shaped.md", "10.1111/joim.12273",
     "25-hydroxyvitamin D and increased all-cause mortality in very old women: the Newcastle 85+ study"),
    # "**_Vitamin D supplementation …_**": the underscore is markup
    ("copd-fought-by-vitamin-d-many-studies.md", "10.3389/fmed.2024.1334524",
     "Vitamin D supplementation may be beneficial in improving the prognosis of patients with chronic obstructive "
     "pulmonary disease in the intensive care unit: a retrospective study"),
    # a journal line between the heading and the citation is no title ("Prim Care Companion CNS Disord. 2012; 14(2): PCC.11m01230.")
    ("hypothesis-some-mental-illness-could-be-treated-or-prevented-with-vitamin-d.md", "10.4088/PCC.11m01230",
     "Vitamin D Deficiency Among Psychiatric Inpatients"),
    # an undated heading is the title, not the plain line under it ("Review | January 6, 2010")
    ("antidepressant-drugs-of-minimal-value-unless-very-depressed-jama.md", "10.1001/jama.2009.1943",
     "Antidepressant Drug Effects and Depression Severity A Patient-Level Meta-analysis"),
    # a heading that holds the identifier in its one link gives the work's title, when the link's text reads as
    # one copied from PubMed ("#### [Effects of vitamin D on … peritoneal dialysis: a narrative review.](…)")
    ("peritoneal-dialysis-probably-consumes-a-lot-more-vitamin-d-than-haemodialysis.md", "25012237",
     "Effects of vitamin D on parathyroid hormone and clinical outcomes in peritoneal dialysis: a narrative review"),
    # the wiki's figure after a title ("… risk of Parkinson disease (4X)") goes
    ("ddt-38-x-more-prevalent-with-alzheimer-disease-no-mention-that-ddt-decreases-vitamin-d.md", "10.1001/archneurol.2009.89",
     "Elevated serum pesticide levels and risk of Parkinson disease"),
    # under the wiki's dated summary ("##### Independent marker for ED in Diabetics = low vitamin D level - Jan 2016"),
    # the citation line's bold link holds the study's title
    ("erectile-dysfunction-and-vitamin-d-many-studies.md", "s12020-015-0851-z",
     "Hypovitaminosis D is associated with erectile dysfunction in type 2 diabetes"),
    ("cystic-fibrosis.md", "23538187", "Understanding the costs of care for cystic fibrosis: an analysis by age and health state"),
    ("off-topic-baby-sized-aspirin-doubles-chance-of-getting-wet-macular-degeneration.md", "10.1093/jnci/djaa114",
     "Effect of aspirin on cancer incidence and mortality in older adults"),
]


# Corpus entries where the line a title would come from is none (file, identifier):
NO_TITLES = [
    # the wiki's summary with its finding's figure
    ("overview-alcohol-and-vitamin-d.md", "10.1001/jamanetworkopen.2024.24495"),  # "… increased their risk of Cancer death by 11%"
    ("vitamin-c-is-important-for-the-common-cold-and-much-else.md", "27434504"),  # "Low vitamin C ==> 1.8X more likely to have neck pain"
    # a heading describing the letter that cites the work ("### A letter to editor, by William B. Grant")
    ("breast-cancer-and-long-term-vitamin-d-studies.md", "10.1186/bcr3390"),
    # a heading of links that is no title ("#### [PDF  and supporting tables are online](…)"); the heading above
    # is a figure's ("#### Figure 2 Years of life expectancy lost vs activity level and BMI (after age 40)")
    ("off-topic-light-exercise-extend-life-by-45-years-perhaps-more-than-vitamin-d.md", "journal.pmed.1001335"),
    # a heading holding the identifier: never a heading above (another entry's: "### Vitamin D, intermediary
    # metabolism and prostate cancer tumor progression"), nor link text the wiki may have written itself
    ("genome-wide-view-on-the-physiology-of-vitamin-d.md", "10.3389/fphys.2014.00191"),
    ("overview-iron-supplements-and-vitamin-d.md", "11688081"),  # "[Ferrochel better ferrous sulfate during pregnancy](…)"
    # a bold heading of two words and a dash ("**Rickets - World**") names a section
    ("overview-of-rickets-and-vitamin-d.md", "10.1080/20469047.2016.1248170"),
]


@pytest.mark.parametrize(("file", "identifier"), NO_TITLES)
def test_no_title_where_the_page_gives_none(file: str, identifier: str) -> None:
    listed, _ = listed_for(CORPUS / file, identifier)
    assert listed is None or listed.title is None


@pytest.mark.parametrize(("file", "identifier", "title"), TITLES)
def test_the_title_a_person_reads(file: str, identifier: str, title: str) -> None:
    listed, _ = listed_for(CORPUS / file, identifier)
    assert listed is not None and listed.title == title


# Lines the corpus lacks but people write, where a rule for the corpus must not reach (from a review):
# (lines above the citation line, the title read)
TITLES_AROUND_RULES = [
    # a title naming a university hospital is no address
    (["#### Low vitamin D in ICU - Jan 2020", "", "Vitamin D deficiency among patients in the intensive care unit of a university hospital, Brazil."],
     "Vitamin D deficiency among patients in the intensive care unit of a university hospital, Brazil"),
    # a label before a colon opens a note, not a title
    (["#### Vitamin D and falls in older adults: a randomized trial", "", "Note: The study used only 5 mutants."],
     "Vitamin D and falls in older adults: a randomized trial"),
    # under a dated copy of the title, a short note is no title
    (["#### Vitamin D and falls in older adults: a randomized trial - Jan 2020", "", "RCT with 2000 seniors in Finland"],
     "Vitamin D and falls in older adults: a randomized trial"),
    # a section's heading ending in a colon is no first part of the title below it
    (["## Other studies of Parkinson's disease and vitamin D:", "", "### Single-molecule FRET studies on alpha-synuclein oligomerization"],
     "Single-molecule FRET studies on alpha-synuclein oligomerization"),
    # parentheses and words that are the title's own
    (["#### Vitamin D and falls in older adults (2 x 2 factorial trial)"], "Vitamin D and falls in older adults (2 x 2 factorial trial)"),
    (["#### Women are more likely than men to be vitamin D deficient in Qatar"], "Women are more likely than men to be vitamin D deficient in Qatar"),
    # a PubMed title under a comment's heading is a title, and the heading none (from a review: " **Comment by Dr. Grant** "
    # is a corpus line, the title and DOI another page's)
    ([" **Comment by Dr. Grant** ", "", "Serum vitamin D and the risk of Parkinson disease."], "Serum vitamin D and the risk of Parkinson disease"),
    # prices, equations of symbols and "&" are titles' own too (real titles: NEJM's 10.1056/NEJMp1405158)
    (["#### Updating Cost-Effectiveness — The Curious Resilience of the $50,000-per-QALY Threshold"],
     "Updating Cost-Effectiveness — The Curious Resilience of the $50,000-per-QALY Threshold"),
    (["#### Electronic structure of LiMPO4 (M = Fe, Mn, Co, Ni)"], "Electronic structure of LiMPO4 (M = Fe, Mn, Co, Ni)"),
    (["#### Sarcoidosis & hypercalcaemia"], "Sarcoidosis & hypercalcaemia"),
    # an equation of numbers is a title's own (a real Crossref title: "… at $\\sqrt {s_{NN}}$ = 2.76, 5.02 and 7 TeV")
    (["#### Spectra of Strange Particles in Collisions at sNN = 2.76 and 7 TeV"], "Spectra of Strange Particles in Collisions at sNN = 2.76 and 7 TeV"),
    (["#### Vitamin D in older adults (n = 1,204)"], "Vitamin D in older adults (n = 1,204)"),
    # a title with a hyphen between its words keeps them ("Vitamin D - a review of the evidence")
    (["#### Rickets - a global perspective"], "Rickets - a global perspective"),
    # three parts between commas are still a title, not an address (four make one)
    (["#### Vitamin D in Brazil", "", "Vitamin D levels in the intensive care unit, a university hospital study, Brazil."],
     "Vitamin D levels in the intensive care unit, a university hospital study, Brazil"),
    # a heading ending with a comma goes on in the heading below
    (["## Vitamin D supplementation in older adults with low vitamin D levels,", "## A Randomized Controlled Trial"],
     "Vitamin D supplementation in older adults with low vitamin D levels, A Randomized Controlled Trial"),
]


@pytest.mark.parametrize(
    "above",
    [
        ["#### Average annual cost of CF = $16,000 (March 2013)"],  # an equation in words or a price: the wiki's claim
        ["##### Independent marker for ED in Diabetics = low vitamin D level - Jan 2016"],
        [" **Rickets - World** "],  # two words and a dash: a section
        ["#### More likely to get otitis media if low vitamin D"],  # the wiki's finding, as its headings state them
    ],
)
def test_no_title_from_the_wikis_claims(above: list[str]) -> None:
    lines = [*above, "", "Nutrients. 2020;12:1. doi:10.3390/nu1"]
    listed = listed_near(lines, len(lines) - 1, 1)
    assert listed is None or listed.title is None


def test_a_bold_link_holds_the_title_only_under_the_wikis_dated_summary() -> None:
    link = " **[Vitamin D and falls in older adults: a randomized trial](https://doi.org/10.3390/nu1)** "
    under_summary = ["##### Falls reduced 20 percent by vitamin D - Jan 2016", "", link]
    listed = listed_near(under_summary, 2, 1)
    assert listed is not None and listed.title == "Vitamin D and falls in older adults: a randomized trial"
    # the wiki's note as the link, under the summary: not the title, which is read as it was without the rule
    # (from a review: the notes are corpus lines, the heading another corpus page's dated copy of a title)
    for note in ("Publisher wants $40 for the PDF", "Low cost access from publisher", "Publisher allow patients to access article at low cost", "Full text"):
        lines = ["#### Vitamin d and the risk of uterine fibroids - 2013", "", f" **[{note}](https://doi.org/10.3390/nu1)** "]
        listed = listed_near(lines, 2, 1)
        assert listed is not None and listed.title == "Vitamin d and the risk of uterine fibroids", note
        claim = ["#### 33 percent more white matter abnormality in brain if low vitamin D – Oct 2014", "", lines[2]]
        assert (listed_near(claim, 2, 1) or Listed()).title is None, note
    # elsewhere a bold link is mostly the wiki's note: the title is above as usual
    elsewhere = ["#### Vitamin D and falls in older adults", "", " **[Read the study](https://doi.org/10.3390/nu1)** "]
    listed = listed_near(elsewhere, 2, 1)
    assert listed is not None and listed.title == "Vitamin D and falls in older adults"


def test_links_whose_target_holds_parentheses_and_lines_the_neighbourhood_skips() -> None:
    """From a review: a Lancet DOI holds parentheses (`S0140-6736(13)61647-5`), and an image may stand between
    the wiki's summary and the citation line; neither hides the title."""
    target = "https://doi.org/10.1016/S0140-6736(13)61647-5"
    title = "Vitamin D and falls in older adults: a randomized controlled trial"
    linked_heading = [f"### [{title}.]({target})"]
    assert (listed_near(linked_heading, 0, 1) or Listed()).title == title
    for between in ([], ["", '<img src="chart.jpg" alt="image" width="500">']):
        lines = ["##### Falls reduced 20 percent by vitamin D - Jan 2016", *between, "", f" **[{title}]({target})** "]
        assert (listed_near(lines, len(lines) - 1, 1) or Listed()).title == title, between


def test_a_bold_title_over_two_lines_whose_first_ends_a_sentence() -> None:
    """From a review: the line above a bold title broken in two is the one above its first half, not the
    first half itself (which ends with a period here)."""
    lines = [
        "---",
        " **Vitamin D deficiency is associated with erectile dysfunction in men over fifty.",
        "A cross-sectional survey of the National Health and Nutrition Examination Survey 2001–2004** ",
        "",
        "Atherosclerosis. 2016;252:61-67. doi:10.1016/j.atherosclerosis.2016.07.921",
    ]
    listed = listed_near(lines, 4, 1)
    assert listed is not None and listed.title == (
        "Vitamin D deficiency is associated with erectile dysfunction in men over fifty. A cross-sectional survey "
        "of the National Health and Nutrition Examination Survey 2001–2004"
    )


@pytest.mark.parametrize(("above", "title"), TITLES_AROUND_RULES)
def test_title_rules_reach_no_further_than_the_wiki(above: list[str], title: str) -> None:
    lines = [*above, "", "Nutrients. 2020;12:1. doi:10.3390/nu1"]
    listed = listed_near(lines, len(lines) - 1, 1)
    assert listed is not None and listed.title == title


def test_a_heading_naming_the_kind_of_article_is_no_title() -> None:
    # "### Letter to Editor (which had the title of this web page)" above "Neuroepidemiology 2013;40:68-69 (DOI: …)"
    listed, _ = listed_for(CORPUS / "is-the-iranian-revolution-to-blame-for-the-increasing-incidence-of-multiple-sclerosis-in-iran.md", "10.1159/000341848")
    assert listed is not None and listed.title is None and listed.journal == "Neuroepidemiology"


def test_an_address_between_the_title_and_the_citation_is_no_title() -> None:
    # irritable-bowel-syndrome-social-media-indicates-that-vitamin-d-is-a-good-treatment.md
    listed, _ = listed_for(
        CORPUS / "irritable-bowel-syndrome-social-media-indicates-that-vitamin-d-is-a-good-treatment.md", "10.1136/bcr-2012-007223"
    )
    assert listed is not None
    assert listed.title == (
        "Vitamin D3 as a novel treatment for irritable bowel syndrome: single case leads to critical analysis of patient-centred data"
    )
    assert listed.journal == "Case Reports"


def test_a_rule_ends_the_neighbourhood() -> None:
    lines = ["#### A title of a study about something", "", "---", "", "Nutrients. 2020;12:1. doi:10.3390/nu1", "", "---", "Smith J, Jones B."]
    listed = listed_near(lines, 4, 1)
    assert listed is not None and listed.title is None and listed.authors == ()
    assert (listed.journal, listed.year) == ("Nutrients", 2020)


def test_a_title_split_over_two_headings_is_one_title() -> None:
    # "# Vitamin D supplementation … with T2DM:" then "## an 18-month prospective interventional study."
    listed, _ = listed_for(CORPUS / "2000-iu-of-vitamin-d-helped-type-2-diabetic-women-but-was-not-enough.md", "10.1186/1475-2840-11-85")
    assert listed is not None
    assert listed.title == (
        "Vitamin D supplementation as an adjuvant therapy for patients with T2DM: an 18-month prospective interventional study"
    )


SPLIT_TITLE = "Vitamin D supplementation as an adjuvant therapy for patients with T2DM: an 18-month prospective interventional study"
SUMMARY_TITLE = "Developmental exposure to vitamin D deficiency and subsequent risk of schizophrenia"


@pytest.mark.parametrize("between", [[], [""]])
@pytest.mark.parametrize(
    ("first", "second", "title"),
    [
        # the two headings above, set in bold as an outside reading of the issue did: the second half alone was read
        ("**Vitamin D supplementation as an adjuvant therapy for patients with T2DM:**", "**an 18-month prospective interventional study.**", SPLIT_TITLE),
        # the corpus's layout (overview-schizophrenia-and-vitamin-d.md) without its blank line, from a review: it was joined to the heading
        ("#### Low vitamin D in early life may be associated with Schizophrenia, need more evidence - July 2021", SUMMARY_TITLE, SUMMARY_TITLE),
        # a section's label in bold is no first part of a title, as a section's heading is not
        ("**Other studies:**", "**Vitamin D and falls in older adults**", "Vitamin D and falls in older adults"),
        # without the colon the bold lines are two sentences: no title, rather than half of one
        ("**Vitamin D supplementation as an adjuvant therapy for patients with T2DM.**", "**an 18-month prospective interventional study.**", None),
    ],
)
def test_two_lines_above_the_citation_with_or_without_a_blank_line(first: str, second: str, title: str | None, between: list[str]) -> None:
    lines = [first, *between, second, "", "Nutrients. 2020;12:1. doi:10.3390/nu1"]
    assert listed_near(lines, len(lines) - 1, 1).title == title  # type: ignore[union-attr]


def test_two_names_on_the_citation_line_are_its_authors_and_no_journal() -> None:
    # "Jeroen van de Peppel and Johannes Van Leeuwen; [doi: 10.3389/fphys.2014.00137](…); Review Article, …"
    listed, _ = listed_for(CORPUS / "genome-wide-view-on-the-physiology-of-vitamin-d.md", "10.3389/fphys.2014.00137")
    assert listed is not None and listed.journal is None
    assert [(p.given, p.family) for p in listed.authors] == [("Jeroen", "van de Peppel"), ("Johannes", "Van Leeuwen")]


def test_a_journal_named_in_german() -> None:
    listed = listed_near(["Zeitschrift für Ernährungswissenschaft. 2010;49(3):123-9. doi:10.1007/s00394-010-0001-1"], 0, 1)
    assert listed is not None and listed.journal == "Zeitschrift für Ernährungswissenschaft"


def test_the_old_engines_line_break_after_a_listing_is_no_prose() -> None:
    # "%%%" alone, at the end of a listing, is markup too: the listing nearest the citation is this one
    lines = ["Jane Doe, Ann Lee,%%%", "", "John Smith, Mark Brown", "Nutrients. 2020;12:1. doi:10.3390/nu1"]
    listed = listed_near(lines, 3, 1)
    assert listed is not None and [p.family for p in listed.authors] == ["Doe", "Lee", "Smith", "Brown"]


def test_a_section_heading_ending_in_a_colon_is_not_part_of_the_title() -> None:
    lines = ["## Studies:", "", "#### Vitamin D and muscle strength in older adults", "", "Nutrients. 2020;12:1. doi:10.3390/nu1"]
    listed = listed_near(lines, 4, 1)
    assert listed is not None and listed.title == "Vitamin D and muscle strength in older adults"


def test_markup_of_the_wikis_previous_engine_never_reaches_a_title() -> None:
    # "### <span>[Guidelines … deficiency.%%% ~hs~ ~hs~  Italian Society …]</span>." on the page
    listed, _ = listed_for(
        CORPUS / "vitamin-d-for-italians-senior-2300-iu-if-deficient-loading-dose-of-at-least-3000-ed-society-2011.md",
        "10.4081/reumatismo.2011.129",
    )
    assert listed is not None and listed.title == (
        "[Guidelines on prevention and treatment of vitamin D deficiency. Italian Society for Osteoporosis, Mineral "
        "Metabolism and Bone Diseases (SIOMMMS)]"
    )


def test_authors_each_in_a_paragraph_of_their_own() -> None:
    # "Jieyu Hu equal contributor," / "Zuojie Luo equal contributor mail," / … / "Yingjun Suo", the first alone no listing
    listed, _ = listed_for(CORPUS / "icu-reduces-vitamin-d-levels-deregulates-pth.md", "10.1371/journal.pone.0075441")
    assert listed is not None
    assert [p.family for p in listed.authors] == ["Hu", "Luo", "Zhao", "Chen", "Chen", "Qin", "Qin", "Liang", "Suo"]
    # "J Wesley Pike," / "Seong Min Lee" / "& Mark B Meyer"
    listed, _ = listed_for(CORPUS / "new-approaches-to-bones-genes-and-vitamin-d.md", "10.1038/bonekey.2013.216")
    assert listed is not None and [p.family for p in listed.authors] == ["Pike", "Lee", "Meyer"]
    # "…Jorge R. Oksenberg, PhD  Jorge.Oksenberg@ucsf.edu" / "Objectives: To assess …": the objectives are no author
    listed, _ = listed_for(CORPUS / "increased-risk-of-multiple-sclerosis-risk-in-african-americans-due-to-genes.md", "10.1212/WNL.0b013e31829bfe2f")
    assert listed is not None and len(listed.authors) == 17 and listed.authors[-1].family == "Oksenberg"

    # "D. A. Wahl (2); … K. Hoffmann (6)" / "R. Josse (7); …": one listing of marked names in two paragraphs
    listed, _ = listed_for(CORPUS / "global-map-of-vitamin-d-deficiency.md", "10.1007/s11657-012-0093-0")
    assert listed is not None and len(listed.authors) == 13 and listed.authors[-1].family == "Dawson-Hughes"
    # "Anna P Ralph, MPH, FRACP, PhD, Clinical Research Fellow1" / "Robyn M Lucas, MB ChB, …": one name a paragraph
    listed, _ = listed_for(CORPUS / "wondering-about-tuberculosis-and-vitamin-d-in-australia.md", "10.5694/mja13.11174")
    assert listed is not None and [(p.given, p.family) for p in listed.authors] == [("Anna P.", "Ralph"), ("Robyn M.", "Lucas")]
    # … "Elza Dias-Tosta 4" / "1 Departamento de Neurologia, …": a numbered affiliation does not go on with it
    listed, _ = listed_for(CORPUS / "ms-and-vitamin-d-consensus-from-brazil-40-100-ng-not-monotherapy.md", "10.1590/0004-282X20130252")
    assert listed is not None and [p.family for p in listed.authors] == ["Brum", "Comini-Frota", "Vasconcelos", "Dias-Tosta"]



def test_a_title_in_bold_does_not_go_on_into_the_listing_under_it() -> None:
    # a review's case, made up: Markdown's closing "**" is no affiliation marker
    lines = [
        "**Vitamin D Deficiency and Acute Lung Injury.**",
        "",
        "Parekh D, Thickett DR, Turner AM.",
        "",
        "Inflamm Allergy Drug Targets. 2013 Aug;12(4):253-61. doi: 10.2174/18715281113129990046",
    ]
    listed = listed_near(lines, 4, 1)
    assert listed is not None and [p.family for p in listed.authors] == ["Parekh", "Thickett", "Turner"]


# Pages copy PubMed's abstract with "PMID: …" under it: the abstract's last lines are no title and
# its copyright line no journal.
ABSTRACT_ENDS = [
    ("1-in-4-iranian-patients-did-not-achieve-20-ng-with-3700-iu-vitamin-d-daily-for-a-year-after-fracture.md", "23959785"),
    ("25-hydroxyvitamin-d3-suppresses-hepatitis-c-virus-production.md", "24124339"),  # under "CONCLUSION:"
    ("black-women-and-vitamin-d-nigeria-26-ng-chicago-12-ng.md", "23559500"),  # "Copyright © 2013 Wiley …"
    ("colorectal-cancer-need-more-vitamin-d-if-you-have-certain-genes.md", "23456391"),  # a sentence in bold
    ("vitamin-d-reduced-so-low-that-victorian-age-diseases-are-returning.md", "23729699"),  # under one in bold
    ("low-vitamin-d-and-depression-study-and-meta-analysis.md", "23636546"),  # bold further up, past "Conclusions:"
    ("14x-more-likely-to-die-after-first-cardiovascular-event-if-vitamin-d-deficient.md", "23174181"),  # "Copyright © 2012 …"
    ("candidate-list-of-top-vitamin-d-papers-for-2012.md", "10.1007/s00406-011-0265-8"),  # a DOI under "CONCLUSION:"
    ("dont-be-pregnant-in-scotland.md", "23168244"),  # a heading above the abstract's paragraph: not its title
    ("7x-increase-in-early-severe-preeclampsia-associated-with-low-vitamin-d.md", "22875657"),  # "…333 Seventh Avenue, …"
    ("hiv-recommend-100000-iu-vitamin-d-monthly-to-get-levels-30-ng.md", "PMC3635601"),  # a PMC id alone, no journal
]


@pytest.mark.parametrize(("file", "identifier"), ABSTRACT_ENDS)
def test_the_end_of_an_abstract_is_no_title_and_its_copyright_no_journal(file: str, identifier: str) -> None:
    listed, _ = listed_for(CORPUS / file, identifier)
    if identifier.startswith("10."):  # the citation line's own journal and year stay
        assert listed is not None and (listed.journal, listed.year) == ("Eur Arch Psychiatry Clin Neurosci", 2012)
    else:
        assert listed is None or listed.journal is None
    assert listed is None or listed.title is None


def test_a_copyright_line_is_no_title() -> None:
    lines = ["#### Notes on a study", "", "Copyright © 2012 Elsevier Inc.", "", "PMID: 23174181"]
    listed = listed_near(lines, 4, 1)
    assert listed is None or listed.title is None


def test_a_title_in_bold_after_a_comment_is_a_title() -> None:
    # "(Thanks, Dr. Grant, for finding this study}" and "… linked to obesity," are no abstract's sentences
    listed, _ = listed_for(CORPUS / "nitric-oxide-from-sun-uva-vitamin-d-reduces-cardiovascular-problems.md", "10.1161/CIRCRESAHA.109.207019")
    assert listed is not None and listed.title == (
        "Whole body UVA irradiation lowers systemic blood pressure by release of nitric oxide from intracutaneous "
        "photolabile nitric oxide derivates"
    )
    listed, _ = listed_for(CORPUS / "early-puberty-if-low-vitamin-d-many-studies.md", "10.1542/peds.2012-3773")
    assert listed is not None and listed.title == "Onset of Breast Development in a Longitudinal Cohort"


def test_the_title_is_above_the_works_own_citation_line() -> None:
    # "### Effect of omega-3 …" / "Marai I, Massalha S." / "Isr Med Assoc J. 2014 Feb;16(2):117-21." / "PMID: 24645234"
    listed, _ = listed_for(CORPUS / "cardiovascular-diseases-conflicting-data-on-benefits-of-omega-3-and-vitamin-d.md", "24645234")
    assert listed is not None
    assert listed.title == "Effect of omega-3 polyunsaturated fatty acids and vitamin D on cardiovascular diseases"
    assert [(p.given, p.family) for p in listed.authors] == [("I.", "Marai"), ("S.", "Massalha")]


def test_a_journal_ends_before_a_copyright_sign() -> None:
    # "Genes & Nutrition © The Author(s) 2014, 10.1007/s12263-014-0413-7"
    listed, _ = listed_for(CORPUS / "genes-cyp2r1-and-gc-which-restrict-the-amount-of-vitamin-d-which-gets-into-bloodstream.md", "10.1007/s12263-014-0413-7")
    assert listed is not None and (listed.journal, listed.year) == ("Genes & Nutrition", 2014)


def test_scan_gives_each_citation_its_own_listing_without_title_or_authors() -> None:
    # A page of abstracts, each ending "Journal. 2012 …;…. doi: …": every DOI keeps its journal and year
    from refkit.config import Settings
    from refkit.pages import read_page
    from refkit.scan import scan_page

    citations = scan_page(read_page(CORPUS / "candidate-list-of-top-vitamin-d-papers-for-2012.md", Settings()))
    listed = {c.id: c.listed for c in citations}
    assert listed["10.1007/s00406-011-0265-8"] is not None
    assert (listed["10.1007/s00406-011-0265-8"].journal, listed["10.1007/s00406-011-0265-8"].year) == ("Eur Arch Psychiatry Clin Neurosci", 2012)
    assert listed["10.1177/0890334411434802"] is not None
    assert (listed["10.1177/0890334411434802"].journal, listed["10.1177/0890334411434802"].year) == ("J Hum Lact", 2012)


# Synthetic pages: each old-engine mark around a title and a journal (the corpus has them in other places).
OLD_ENGINE_PAGES = [
    ("#### __Vitamin D and muscle strength__ in older adults", "__Nutrients__. 2020;12:1. doi:10.3390/nu1"),
    ("#### ~~#00F:Vitamin D and muscle strength in older adults~~", "~~#00F:Nutrients~~ 2020;12:1. doi:10.3390/nu1"),
    ("#### Vitamin D and muscle strength%%%in older adults", "Nutrients~hs~ 2020;12:1. doi:10.3390/nu1"),
    ("#### Vitamin D and muscle~hs~strength in older adults", "~~Nutrients~~ 2020;12:1. doi:10.3390/nu1"),
    ("**^Vitamin D and muscle strength in older adults**", "^Nutrients. 2020;12:1. doi:10.3390/nu1"),  # a box
]


@pytest.mark.parametrize(("heading", "citation"), OLD_ENGINE_PAGES)
def test_markup_of_the_wikis_previous_engine_never_reaches_a_title_or_a_journal(heading: str, citation: str) -> None:
    listed = listed_near([heading, "", citation], 2, 1)
    assert listed is not None
    assert (listed.title, listed.journal, listed.year) == ("Vitamin D and muscle strength in older adults", "Nutrients", 2020)


# --- through `refkit` as a process, as a wiki's CI sees it ---------------------------------------

SYNTHETIC_PAGE = """
# Vitamin D supplementation as an adjuvant therapy for patients with T2DM:

## an 18-month prospective interventional study.

__Cardiovasc Diabetol__. 2012 Jul 18;11(1):85. doi: 10.5555/synthetic.split

Hun Ju Lee MD1, Galit P. Rosen MD1,2,*, Chenlin Ma, Juan C. Celedóncorresponding author1

#### ~~#00F:Vitamin D and muscle strength%%%in older adults~~

Nutrients~hs~ 2020;12:1. doi: 10.5555/synthetic.markup

ArchanaMonyaLaxmishaChandrashekarb1MedhaRajappaa
"""


def test_scan_and_export_show_what_the_page_lists_without_markup(wiki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wiki.page("p.md", SYNTHETIC_PAGE)
    env = refkit_env(tmp_path, store=str(tmp_path / "store.sqlite3"))
    scanned = run_refkit("scan", "--format", "jsonl", str(wiki.root), env=env)
    assert scanned.returncode == 0, scanned.stderr
    listed = {record["doi"]: record["listed"] for record in map(json.loads, scanned.stdout.splitlines())}
    split = listed["10.5555/synthetic.split"]
    assert split["title"] == (
        "Vitamin D supplementation as an adjuvant therapy for patients with T2DM: an 18-month prospective interventional study"
    )
    assert split["journal"] == "Cardiovasc Diabetol"
    assert split["authors"] == [
        {"given": "Hun Ju", "family": "Lee"}, {"given": "Galit P.", "family": "Rosen"},
        {"given": "Chenlin", "family": "Ma"}, {"given": "Juan C.", "family": "Celedón"},
    ]  # fmt: skip
    markup = listed["10.5555/synthetic.markup"]
    assert (markup["title"], markup["journal"]) == ("Vitamin D and muscle strength in older adults", "Nutrients")
    assert markup["authors"] == []  # names glued into one word are not read, never guessed

    exported = run_refkit("export", str(wiki.root), "--offline", "--format", "bibtex", "-o", "-", env=env)
    assert exported.returncode == 0, exported.stderr
    assert "title = {Vitamin {D} and muscle strength in older adults}" in exported.stdout  # {D}: BibTeX keeps the capital
    assert "journal = {Cardiovasc Diabetol}" in exported.stdout
    assert not any(mark in exported.stdout for mark in ("~~", "%%%", "~hs~", "__"))
