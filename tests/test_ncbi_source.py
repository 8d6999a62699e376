"""The NCBI source against the loopback NCBI replaying the recordings in ../shared/ncbi: PubMed XML into
Works (expected values read off the recorded XML by hand), batches, GET and POST, the PMCID path,
NCBI's errors and limits, retries, and PubMed's retractions and corrections in reconcile's checks."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests
from ncbi_server import Fault, LoopbackNcbi

from refkit.config import Settings
from refkit.model import Citation, Person, Resolution, Update, Work
from refkit.reconcile import reconcile
from refkit.sources.ncbi import NcbiSource, read_efetch, work_from_pubmed
from refkit.sources.pacing import NetworkWatch

EFETCH = Path(__file__).resolve().parents[2] / "shared" / "ncbi" / "efetch"


def recorded(name: str) -> dict[str, Work]:
    return dict(read_efetch((EFETCH / name).read_bytes()).works)


def fetch(settings: Settings, *keys: str) -> dict[str, Resolution]:
    with NcbiSource(settings, backoff=0.01) as source:
        found = list(source.fetch_many(keys))
    assert len(found) == len(set(keys)), "one Resolution per distinct key"
    return {resolution.key: resolution for resolution in found}


# --- PubMed XML -> Work -----------------------------------------------------------------------------


def test_a_journal_article_with_markup_in_its_title() -> None:
    work = recorded("hawc_efetch_27933116_title-child-text.xml")["27933116"]
    assert work == Work(
        doi="10.1080/14686996.2016.1244472",
        type="journal-article",
        title="<i>Phoenix dactylifera</i> mediated green synthesis of Cu<sub>2</sub>O particles for arsenite uptake from water",
        authors=(
            Person(given="Mokhtar Ali", family="Amrani"),
            Person(given="Vadali V S S", family="Srikanth"),
            Person(given="Nitin K", family="Labhsetwar"),
            Person(given="Ahmed S", family="Al-Fatesh"),
            Person(given="Hamid", family="Shaikh"),
        ),
        container_title="Science and technology of advanced materials",
        short_container_title="Sci Technol Adv Mater",
        volume="17",
        issue="1",
        pages="760-768",
        issued=(2016,),
        years=(2016,),
        issn=("1468-6996",),
        url="https://pubmed.ncbi.nlm.nih.gov/27933116/",
        language="en",
        pmid="27933116",
        pmcid="PMC5127256",
        publication_types=("Journal Article",),
    )


def test_a_record_with_no_doi_and_a_collective_author() -> None:
    work = recorded("hawc_efetch_21860499_collective-author.xml")["21860499"]
    assert work.doi is None and work.pmcid is None
    assert work.key == "pmid:21860499"
    assert work.title == "Nitrofen"
    assert work.authors == (Person(literal="National Toxicology Program"),)
    assert (work.container_title, work.short_container_title) == ("Report on carcinogens : carcinogen profiles", "Rep Carcinog")
    assert (work.volume, work.issue, work.pages, work.issued) == ("12", None, "296-297", (2011,))
    assert work.issn == ("1551-8280",)


def test_a_book_and_a_book_chapter() -> None:
    book = recorded("hawc_efetch_26468569_book.xml")["26468569"]
    assert book.type == "book"
    assert book.title == "Application of Modern Toxicology Approaches for Predicting Acute Toxicity for Chemical Defense"
    assert book.container_title is None
    assert book.doi == "10.17226/21775"
    assert book.publisher == "National Academies Press (US)"
    assert book.isbn == ("9780309376662",)
    assert book.issued == (2015, 9, 1)
    assert book.authors[0] == Person(literal="Committee on Predictive-Toxicology Approaches for Military Assessments of Acute Exposures")
    assert book.authors[-1] == Person(literal="The National Academies of Sciences, Engineering, and Medicine")
    assert len(book.authors) == 6 and book.publication_types == ("Review",)

    chapter = recorded("hawc_efetch_20301382_book-chapter.xml")["20301382"]
    assert chapter.type == "book-chapter"
    assert chapter.title == "Single Large-Scale Mitochondrial DNA Deletion Syndromes"
    assert chapter.container_title == "GeneReviews<sup>®</sup>"
    assert chapter.doi is None
    assert chapter.authors == (Person(given="Amy", family="Goldstein"), Person(given="Marni J", family="Falk"))
    assert chapter.editors[0] == Person(given="Margaret P", family="Adam") and len(chapter.editors) == 8
    assert chapter.publisher == "University of Washington, Seattle"
    assert chapter.issued == (1993,)


def test_medline_page_ranges_are_written_in_full() -> None:
    works = recorded("biopython_pubmed1_12091962-9997_rettype-abstract.xml")
    assert works["12091962"].pages == "113-125"  # StartPage 113, EndPage 125 (MedlinePgn 113-25)
    assert works["12091962"].doi is None
    assert works["9997"].issued == (1976, 9, 28)


def test_vernacular_titles_language_orcid_and_a_translated_title() -> None:
    norwegian = recorded("metapub_efetch_36987902.xml")["36987902"]
    # Whitespace is folded as for every source (the record has a no-break space after 75).
    assert norwegian.other_titles == ("Pasienter over 75 år innlagt ved Brannskadeavdelinga, Haukeland universitetssjukehus 2000–19",)
    assert norwegian.authors[0] == Person(given="Øyvind", family="Bruserud", orcid="0000-0001-7093-6988")
    german = recorded("metapub_efetch_38048813.xml")["38048813"]
    assert german.title == "[A Broader Scope - Bio-Psycho-Social Medicine In Global Focus]"
    assert german.language == "de"


def test_errata_become_updates_in_both_directions() -> None:
    corrected = recorded("metapub_efetch_35649368.xml")["35649368"]
    assert corrected.updated_by == (
        Update(
            type="erratum",
            id="10.1016/j.celrep.2022.111044",
            source="pubmed",
            label="Cell Rep. 2022 Jun 28;39(13):111044. doi: 10.1016/j.celrep.2022.111044.",
        ),
    )
    notice = recorded("metapub_efetch_38833988.xml")["38833988"]
    assert notice.update_to[0].type == "erratum" and notice.update_to[0].id == "10.1016/j.bbamcr.2020.118918"
    assert notice.publication_types == ("Published Erratum",)
    # A link with neither DOI nor PMID is named by PubMed's citation of the erratum.
    without_ids = recorded("hawc_efetch_21813367_structured-abstract.xml")["21813367"]
    assert [(update.type, update.id) for update in without_ids.updated_by] == [("erratum", "Environ Health Perspect.2013 Apr;121(4):A113")]


def _synthetic_article(journal_issue: str, article: str = "") -> Work:
    """A synthetic PubmedArticle around the given JournalIssue and Article children (PubMed's XML shapes)."""
    xml = (
        f"<PubmedArticle><MedlineCitation><PMID>90000010</PMID><Article><Journal><JournalIssue>{journal_issue}</JournalIssue>"
        f"<Title>Synthetic journal</Title></Journal><ArticleTitle>Synthetic.</ArticleTitle>{article}</Article></MedlineCitation></PubmedArticle>"
    )
    return work_from_pubmed(ET.fromstring(xml))


@pytest.mark.parametrize(
    ("pub_date", "issued"),
    [
        ("<MedlineDate>2013 Jan-Feb</MedlineDate>", (2013, 1)),
        ("<MedlineDate>1998 Dec-1999 Jan</MedlineDate>", (1998, 12)),
        ("<MedlineDate>2000 Spring</MedlineDate>", (2000,)),
        ("<Year>2001</Year><Season>Nov-Dec</Season>", (2001,)),
        ("<Year>2022</Year><Month>May</Month><Day>31</Day>", (2022, 5, 31)),
        ("<Year>2022</Year><Month>09</Month>", (2022, 9)),
    ],
)
def test_synthetic_publication_dates(pub_date: str, issued: tuple[int, ...]) -> None:
    assert _synthetic_article(f"<PubDate>{pub_date}</PubDate>").issued == issued


def test_synthetic_pages_article_numbers_and_the_doi_fallback() -> None:
    medline_only = _synthetic_article("<PubDate><Year>2013</Year></PubDate>", "<Pagination><MedlinePgn>1029-36</MedlinePgn></Pagination>")
    assert medline_only.pages == "1029-1036"
    numbered = _synthetic_article(
        "<PubDate><Year>2017</Year></PubDate>",
        '<ELocationID EIdType="doi" ValidYN="Y">10.5555/Synthetic.E0182390</ELocationID><ELocationID EIdType="pii" ValidYN="Y">e0182390</ELocationID>'
        '<ArticleDate DateType="Electronic"><Year>2016</Year><Month>12</Month><Day>30</Day></ArticleDate>',
    )
    assert (numbered.pages, numbered.doi) == ("e0182390", "10.5555/synthetic.e0182390")
    assert (numbered.issued, numbered.years) == ((2017,), (2016, 2017))


# No recording holds a retraction, so these three records are synthetic, written in PubMed's XML.
SYNTHETIC_RETRACTED = """<PubmedArticle><MedlineCitation><PMID Version="1">90000001</PMID><Article>
<Journal><Title>Synthetic journal</Title></Journal><ArticleTitle>A synthetic retracted study.</ArticleTitle>
<PublicationTypeList><PublicationType>Journal Article</PublicationType><PublicationType>Retracted Publication</PublicationType></PublicationTypeList>
</Article><CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn"><RefSource>Synthetic J. 2020;1:2.</RefSource>
<PMID Version="1">90000002</PMID></CommentsCorrections><CommentsCorrections RefType="ExpressionOfConcernIn">
<RefSource>Synthetic J. 2019;1:1. doi: 10.5555/synthetic.concern.</RefSource></CommentsCorrections></CommentsCorrectionsList>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="doi">10.5555/synthetic.retracted</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"""
SYNTHETIC_NOTICE = """<PubmedArticle><MedlineCitation><PMID Version="1">90000002</PMID><Article>
<Journal><Title>Synthetic journal</Title></Journal><ArticleTitle>A synthetic notice about a synthetic study.</ArticleTitle>
<PublicationTypeList><PublicationType>Retraction of Publication</PublicationType></PublicationTypeList></Article>
<CommentsCorrectionsList><CommentsCorrections RefType="RetractionOf"><RefSource>Synthetic J. 2018;1:3.</RefSource>
<PMID Version="1">90000001</PMID></CommentsCorrections></CommentsCorrectionsList></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="doi">10.5555/synthetic.notice</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"""
SYNTHETIC_TYPE_ONLY = """<PubmedArticle><MedlineCitation><PMID Version="1">90000003</PMID><Article>
<ArticleTitle>A synthetic study marked retracted without a link.</ArticleTitle>
<PublicationTypeList><PublicationType>Retracted Publication</PublicationType></PublicationTypeList></Article></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="doi">10.5555/synthetic.marked</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"""


def test_synthetic_retractions_become_updates() -> None:
    retracted = work_from_pubmed(ET.fromstring(SYNTHETIC_RETRACTED))
    assert [(update.type, update.id, update.source) for update in retracted.updated_by] == [
        ("retraction", "pmid:90000002", "pubmed"),
        ("expression_of_concern", "10.5555/synthetic.concern", "pubmed"),
    ]
    notice = work_from_pubmed(ET.fromstring(SYNTHETIC_NOTICE))
    assert [(update.type, update.id) for update in notice.update_to] == [("retraction", "pmid:90000001")]
    # The publication type alone still says "retracted", though no other work is known.
    marked = work_from_pubmed(ET.fromstring(SYNTHETIC_TYPE_ONLY))
    assert marked.updated_by == (Update(type="retraction", id="PubMed: Retracted Publication", source="pubmed", label="Retracted Publication"),)


def test_pubmed_retractions_and_corrections_meet_reconciles_checks() -> None:
    works = [
        work_from_pubmed(ET.fromstring(SYNTHETIC_RETRACTED)),
        work_from_pubmed(ET.fromstring(SYNTHETIC_NOTICE)),
        work_from_pubmed(ET.fromstring(SYNTHETIC_TYPE_ONLY)),
        recorded("metapub_efetch_35649368.xml")["35649368"],
    ]
    citations = [
        Citation(kind="pmid", id=work.pmid, raw=f"PMID: {work.pmid}", file="wiki/a.md", line=line, column=1, page_url="https://wiki.example/a/")
        for line, work in enumerate(works, 1)
    ]
    resolutions = {f"pmid:{work.pmid}": Resolution(f"pmid:{work.pmid}", "found", agency="pubmed", work=work) for work in works}
    findings = {(finding.line, finding.rule): finding.message for finding in reconcile(citations, resolutions)}
    assert sorted(findings) == [
        (1, "doi-expression-of-concern"),
        (1, "doi-retracted"),
        (2, "doi-retraction-notice"),
        (3, "doi-retracted"),
        (4, "doi-corrected"),
    ]
    assert findings[1, "doi-retracted"] == "PMID 90000001 has been retracted (PMID 90000002, source pubmed)."
    assert findings[2, "doi-retraction-notice"] == "PMID 90000002 is a retraction notice for PMID 90000001, source pubmed, not the work itself."
    assert findings[3, "doi-retracted"] == "PMID 90000003 has been retracted (PubMed: Retracted Publication, source pubmed)."


def test_what_is_not_pubmed_xml_is_refused() -> None:
    with pytest.raises(ValueError, match="malformed XML"):
        read_efetch(b"<PubmedArticleSet><PubmedArticle>")
    with pytest.raises(ValueError, match="entity"):
        read_efetch(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><PubmedArticleSet>&a;</PubmedArticleSet>')
    with pytest.raises(ValueError, match="not a PubmedArticleSet"):
        read_efetch(b"<html><body>Service unavailable</body></html>")
    assert read_efetch((EFETCH / "metapub_efetch_37909814.xml").read_bytes()).works == {}
    assert read_efetch(b"<eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>").error == "Empty id list - nothing todo"


# --- The client against the loopback NCBI ----------------------------------------------------------


def test_pmids_are_found_in_one_request_with_tool_and_email(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    answers = fetch(dataclasses.replace(ncbi_settings, ncbi_api_key=None), "pmid:23878845", "pmid:16080930", "pmid:21860499")
    assert {key: answer.status for key, answer in answers.items()} == dict.fromkeys(answers, "found")
    assert answers["pmid:16080930"].work.doi == "10.1016/j.jpedsurg.2005.05.009"
    assert answers["pmid:16080930"].work.authors[0] == Person(given="Salomé", family="González-Reyes")
    assert answers["pmid:21860499"].work.doi is None
    assert answers["pmid:23878845"].agency == "pubmed" and answers["pmid:23878845"].fetched_at is not None
    (seen,) = ncbi_server.seen
    assert (seen.kind, seen.method) == ("efetch", "GET")
    assert seen.params["db"] == ["pubmed"] and seen.params["retmode"] == ["xml"]
    assert seen.params["tool"] == ["refkit"] and seen.params["email"] == ["refkit-tests@example.org"]
    assert sorted(seen.params["id"][0].split(",")) == ["16080930", "21860499", "23878845"]
    assert "api_key" not in seen.params
    assert seen.headers["user-agent"].startswith("refkit/")


def test_the_api_key_is_sent_and_raises_the_pace(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    assert fetch(ncbi_settings, "pmid:1234567")["pmid:1234567"].status == "found"
    assert ncbi_server.seen[0].params["api_key"] == ["synthetic-test-key"]
    assert NcbiSource(ncbi_settings)._throttle.rate == pytest.approx(8.0)  # 80% of NCBI's 10/s with a key
    unkeyed = dataclasses.replace(ncbi_settings, ncbi_api_key=None)
    assert NcbiSource(unkeyed)._throttle.rate == pytest.approx(2.4)  # 80% of its 3/s without


def test_a_pmid_pubmed_does_not_return_is_not_found(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    # 37909814: the recorded empty answer; 99999999 is not in the recordings either.
    answers = fetch(ncbi_settings, "pmid:37909814", "pmid:99999999", "pmid:29915538")
    assert [answers[key].status for key in ("pmid:37909814", "pmid:99999999", "pmid:29915538")] == ["not_found", "not_found", "found"]
    assert answers["pmid:37909814"].fetched_at is not None  # a definite answer, worth storing
    assert ncbi_server.requests["efetch"] == 1


def test_invalid_ids_are_not_found_without_asking_and_spellings_keep_their_key(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    answers = fetch(ncbi_settings, "pmid:-1", "pmid:abc", "pmcid:PMCx", "pmid:0001234567", "10.5555/synthetic")
    assert [answers[key].status for key in ("pmid:-1", "pmid:abc", "pmcid:PMCx")] == ["not_found"] * 3
    assert answers["pmid:0001234567"].status == "found" and answers["pmid:0001234567"].work.pmid == "1234567"
    assert answers["10.5555/synthetic"].status == "unresolved"
    assert ncbi_server.seen[0].params["id"] == ["1234567"] and ncbi_server.requests["efetch"] == 1


def test_an_extra_record_in_an_answer_is_ignored(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    ncbi_server.fail("efetch", Fault("extra_record"))
    answers = fetch(ncbi_settings, "pmid:99999999")
    assert answers == {"pmid:99999999": Resolution("pmid:99999999", "not_found", fetched_at=answers["pmid:99999999"].fetched_at)}


def test_an_error_answer_is_split_until_the_bad_id_is_alone(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    # The batch and then the half holding 29915538 get NCBI's <ERROR> body; the other half is answered.
    ncbi_server.fail("efetch", Fault("error_body"), Fault("error_body"))
    answers = fetch(ncbi_settings, "pmid:29915538", "pmid:1234567")
    assert answers["pmid:29915538"].status == "not_found"
    assert answers["pmid:1234567"].status == "found"
    asked = [seen.params["id"][0] for seen in ncbi_server.seen]
    assert asked == ["29915538,1234567", "29915538", "1234567"]


def test_batches_of_at_most_200_posted_when_long(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    synthetic = [str(90_000_000 + number) for number in range(450)]
    ncbi_server.add_synthetic_articles(synthetic)
    answers = fetch(ncbi_settings, *(f"pmid:{pmid}" for pmid in synthetic))
    assert all(answer.status == "found" for answer in answers.values()) and len(answers) == 450
    assert answers["pmid:90000007"].work.title == "Synthetic record number 90000007"
    assert ncbi_server.requests["efetch"] == 3 and ncbi_server.max_ids["efetch"] == 200
    # Long id lists go in a form body; the short remainder fits a URL.
    assert sorted((seen.method, len(seen.params["id"][0].split(","))) for seen in ncbi_server.seen) == [("GET", 50), ("POST", 200), ("POST", 200)]
    asked = sorted(pmid for seen in ncbi_server.seen for pmid in seen.params["id"][0].split(","))
    assert asked == sorted(synthetic)  # every id asked once, none lost
    assert ncbi_server.statuses == {200: 3}


def test_a_414_is_asked_again_as_a_post(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    ncbi_server.fail("efetch", Fault("status", status=414))
    answers = fetch(ncbi_settings, "pmid:23878845", "pmid:16080930")
    assert {answer.status for answer in answers.values()} == {"found"}
    assert [(seen.method, seen.params["id"]) for seen in ncbi_server.seen] == [
        ("GET", ["23878845,16080930"]),
        ("POST", ["23878845,16080930"]),
    ]


def test_the_server_refuses_an_over_long_get_with_the_recorded_414_page(ncbi_server: LoopbackNcbi) -> None:
    ids = ",".join(str(7_000_000 + number) for number in range(2000))
    response = requests.get(f"{ncbi_server.eutils_url}/efetch.fcgi", params={"db": "pubmed", "id": ids}, timeout=10)
    assert response.status_code == 414 and "Submitted URI too large!" in response.text
    assert "content-encoding" not in response.headers


def test_the_server_enforces_ncbis_rate(ncbi_server: LoopbackNcbi) -> None:
    ncbi_server.clock = lambda: 1000.0  # every request in the same instant
    url = f"{ncbi_server.eutils_url}/efetch.fcgi"
    statuses = [requests.get(url, params={"db": "pubmed", "id": "1234567"}, timeout=10).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    keyed = [requests.get(url, params={"id": "1234567", "api_key": "k"}, timeout=10).status_code for _ in range(11)]
    assert keyed == [200] * 10 + [429]


def test_429_and_5xx_are_retried_honouring_retry_after(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    ncbi_server.fail("efetch", Fault("status", status=429, retry_after="1"), Fault("status", status=503), Fault("reset"))
    answers = fetch(ncbi_settings, "pmid:23878845")
    assert answers["pmid:23878845"].status == "found"
    assert ncbi_server.requests["efetch"] == 4


def test_malformed_answers_are_retried(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    ncbi_server.fail("efetch", Fault("truncate"), Fault("not_xml"))
    assert fetch(ncbi_settings, "pmid:23878845")["pmid:23878845"].status == "found"
    assert ncbi_server.requests["efetch"] == 3


def test_failures_past_the_retries_are_reported(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    ncbi_server.fault_mode = lambda kind, seen: Fault("status", status=500)
    answer = fetch(dataclasses.replace(ncbi_settings, retries=2), "pmid:23878845")["pmid:23878845"]
    assert (answer.status, answer.reason) == ("unresolved", "NCBI: HTTP 500 Internal Server Error")
    assert ncbi_server.requests["efetch"] == 3  # the first try and two retries


def test_the_pmcid_path(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    answers = fetch(ncbi_settings, "pmcid:PMC3261988", "pmid:21813367", "pmcid:PMC5127256", "pmcid:pmc7770741", "pmcid:PMC1")
    # PMC3261988 is PMID 21813367's PMC copy: one record, the same Work under both keys.
    assert answers["pmcid:PMC3261988"].status == "found"
    assert answers["pmcid:PMC3261988"].work == answers["pmid:21813367"].work
    assert answers["pmcid:PMC5127256"].work.pmid == "27933116"
    # In PMC but not in PubMed (the recorded esummary gives PMID "0"): what the converter knows.
    assert answers["pmcid:pmc7770741"].status == "found"
    assert answers["pmcid:pmc7770741"].work.doi == "10.1186/s12985-020-01477-w"
    assert answers["pmcid:pmc7770741"].work.pmcid == "PMC7770741" and answers["pmcid:pmc7770741"].work.pmid is None
    assert answers["pmcid:PMC1"].status == "not_found"
    converter = [seen for seen in ncbi_server.seen if seen.kind == "idconv"]
    assert len(converter) == 1
    assert converter[0].params["idtype"] == ["pmcid"] and converter[0].params["tool"] == ["refkit"]
    assert sorted(converter[0].params["ids"][0].split(",")) == ["PMC1", "PMC3261988", "PMC5127256", "PMC7770741"]
    # 21813367 was asked for once, though both a PMID and a PMCID name it.
    asked = [pmid for seen in ncbi_server.seen if seen.kind == "efetch" for pmid in seen.params["id"][0].split(",")]
    assert sorted(asked) == ["21813367", "27933116"]


def test_a_converter_refusal_is_narrowed_to_the_id_it_refuses(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    ncbi_server.fail("idconv", Fault("status", status=404), Fault("status", status=404))
    answers = fetch(ncbi_settings, "pmcid:PMC3261988", "pmcid:PMC5127256")
    assert answers["pmcid:PMC3261988"].status == "not_found"  # refused alone: the converter does not know it
    assert answers["pmcid:PMC5127256"].status == "found"
    assert [seen.params["ids"][0] for seen in ncbi_server.seen if seen.kind == "idconv"] == ["PMC3261988,PMC5127256", "PMC3261988", "PMC5127256"]


def test_more_than_200_pmcids_go_in_batches(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    keys = [f"pmcid:PMC{9_000_000 + number}" for number in range(250)]
    answers = fetch(ncbi_settings, *keys)
    assert {answer.status for answer in answers.values()} == {"not_found"}
    assert ncbi_server.requests["idconv"] == 2 and ncbi_server.max_ids["idconv"] == 200


def test_no_network_is_noticed_and_the_rest_is_offline(ncbi_settings: Settings) -> None:
    # A port nothing listens on: every connection is refused.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    settings = dataclasses.replace(ncbi_settings, ncbi_url=closed, ncbi_idconv_url=closed, retries=2)
    warnings: list[str] = []
    with NcbiSource(settings, network=NetworkWatch(warnings.append), backoff=0.01) as source:
        answers = {answer.key: answer for answer in source.fetch_many(["pmid:1", "pmcid:PMC1"])}
    assert {answer.status for answer in answers.values()} == {"unresolved"}
    # Three refused connections mean no network: said once, and what was not asked yet is offline.
    assert len(warnings) == 1 and warnings[0].startswith("no network")
    assert "offline" in {answer.reason for answer in answers.values()}
    assert all(answer.reason == "offline" or "cannot connect" in answer.reason for answer in answers.values())


def test_pmid_probes_ride_in_the_asked_batches_and_are_answered_only_when_found(ncbi_server: LoopbackNcbi, ncbi_settings: Settings) -> None:
    with NcbiSource(ncbi_settings, backoff=0.01) as source:
        answers = {answer.key: answer.status for answer in source.fetch_many(["pmid:23878845"], ["pmid:16080930", "pmid:99999999", "pmcid:PMC3261988"])}
        assert answers == {"pmid:23878845": "found", "pmid:16080930": "found"}
        assert [seen.params["id"] for seen in ncbi_server.seen] == [["23878845,16080930,99999999"]]
        # Probes alone cost no request.
        assert list(source.fetch_many([], ["pmid:16080930"])) == []
    assert ncbi_server.requests["efetch"] == 1 and ncbi_server.requests["idconv"] == 0


def test_resolve_asks_ncbi_once_then_the_store_answers(ncbi_server: LoopbackNcbi, ncbi_settings: Settings, crossref_server) -> None:
    from refkit.resolve import resolve_identifiers
    from refkit.store import Store

    settings = dataclasses.replace(ncbi_settings, crossref_url=crossref_server.crossref_url, doi_url=crossref_server.doi_url)
    keys = ["pmid:21860499", "pmcid:PMC3261988", "pmid:37909814"]
    with Store(settings.store) as store:
        cold = resolve_identifiers(keys, settings, store)
    assert [cold[key].status for key in keys] == ["found", "found", "not_found"]
    assert cold["pmcid:PMC3261988"].work.pmid == "21813367"
    assert ncbi_server.requests == {"efetch": 2, "idconv": 1}
    # PubMed's DOI for 21813367 was asked of Crossref as a probe, inside one batch.
    assert crossref_server.requests["list"] == 1
    ncbi_server.reset_counts()
    with Store(settings.store) as store:
        warm = resolve_identifiers(keys, settings, store)
        offline = resolve_identifiers([*keys, "pmid:1234567"], dataclasses.replace(settings, offline=True), store)
    assert warm == cold and sum(ncbi_server.requests.values()) == 0
    assert offline["pmid:21860499"] == cold["pmid:21860499"]
    assert (offline["pmid:1234567"].status, offline["pmid:1234567"].reason) == ("unresolved", "offline")
