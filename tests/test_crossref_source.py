"""Pure parts of the sources: CSL-JSON -> Work, DOI quoting, header parsing, backoff."""

from __future__ import annotations

import json
import random
from email.utils import formatdate

import pytest

from refkit.model import Person, Work
from refkit.sources.crossref import quote_doi
from refkit.sources.doiorg import work_from_csl
from refkit.sources.pacing import RetryPolicy, parse_interval, parse_retry_after


def test_recorded_csl_json_becomes_a_work(shared_dir):
    csl = json.loads((shared_dir / "crossref" / "csl" / "10.1126_science.169.3946.635.transform.csl.json").read_text())
    work = work_from_csl(csl)
    assert work == Work(
        doi="10.1126/science.169.3946.635",
        type="journal-article",
        title="The Structure of Ordinary Water",
        subtitle="New data and interpretations are yielding new insights into this fascinating substance.",
        authors=(Person(given="Henry S.", family="Frank"),),
        container_title="Science",
        short_container_title="Science",
        volume="169",
        issue="3946",
        pages="635-641",
        issued=(1970, 8, 14),
        years=(1970, 2006),
        publisher="American Association for the Advancement of Science (AAAS)",
        issn=("0036-8075", "1095-9203"),
        url="http://dx.doi.org/10.1126/science.169.3946.635",
        language="en",
    )


def test_synthetic_datacite_style_csl_with_literal_names_numbers_and_raw_dates():
    synthetic_datacite_csl = {
        "type": "dataset",
        "DOI": "10.5555/SYNTHETIC-DATASET",
        "title": "Synthetic  dataset\n title",
        "author": [{"literal": "Synthetic Research Consortium"}, {"family": "Doe", "given": "Jane", "ORCID": "https://orcid.org/0000-0002-1825-0097"}],
        "issued": {"raw": "2019-03"},
        "volume": 12,
        "publisher": "Synthetic Data Repository",
    }
    work = work_from_csl(synthetic_datacite_csl, "10.5555/synthetic-dataset")
    assert work.doi == "10.5555/synthetic-dataset"
    assert work.type == "dataset" and work.title == "Synthetic dataset title"
    assert work.authors == (Person(literal="Synthetic Research Consortium"), Person(given="Jane", family="Doe", orcid="0000-0002-1825-0097"))
    assert work.issued == (2019, 3) and work.years == (2019,)
    assert work.volume == "12"


@pytest.mark.parametrize(
    ("csl_type", "crossref_type"),
    [("article-journal", "journal-article"), ("chapter", "book-chapter"), ("paper-conference", "proceedings-article"),
     ("thesis", "dissertation"), ("journal-article", "journal-article"), ("software", "other"), (None, "other")],
)  # fmt: skip
def test_csl_types_are_named_as_crossref_names_them(csl_type, crossref_type):
    assert work_from_csl({"type": csl_type, "DOI": "10.5555/synthetic"}).type == crossref_type


@pytest.mark.parametrize(
    ("doi", "quoted"),
    [
        ("10.1371/journal.pone.0033693", "10.1371/journal.pone.0033693"),
        ("10.1002/(sici)1097-4636(199706)35:4<445::aid-jbm5>3.0.co;2-h", "10.1002/%28sici%291097-4636%28199706%2935%3A4%3C445%3A%3Aaid-jbm5%3E3.0.co%3B2-h"),
        ("10.1890/0012-9658(2006)87[2832:tiopma]2.0.co;2", "10.1890/0012-9658%282006%2987%5B2832%3Atiopma%5D2.0.co%3B2"),
        ("10.5555/synthetic#part?x=1 y%", "10.5555/synthetic%23part%3Fx%3D1%20y%25"),
    ],
)
def test_dois_are_quoted_for_the_url_path(doi, quoted):
    assert quote_doi(doi) == quoted


def test_retry_after_in_seconds_or_as_a_date():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(formatdate(1_000_030, usegmt=True), now=1_000_000) == pytest.approx(30, abs=1)
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_rate_limit_intervals():
    assert parse_interval("1s") == 1.0 and parse_interval("500ms") == 0.5 and parse_interval("2m") == 120.0
    assert parse_interval("0s") is None and parse_interval("fast") is None


def test_backoff_grows_with_jitter_and_a_cap():
    policy = RetryPolicy(retries=5, backoff=0.5, max_delay=3.0)
    rng = random.Random(7)
    for attempt, nominal in enumerate([0.5, 1.0, 2.0, 3.0, 3.0]):
        delays = [policy.delay(attempt, rng) for _ in range(50)]
        assert all(nominal / 2 <= delay <= nominal for delay in delays)
        assert len(set(delays)) > 1


def test_a_habanero_that_bypasses_the_hook_is_refused(monkeypatch, tmp_path):
    """refkit's client (Plus token, rate limits) reaches Crossref only through the httpx2 stand-in
    inside habanero; a habanero that calls httpx2 another way must stop refkit with a clear error,
    not run silently without it."""
    import habanero
    import httpx2

    from refkit.config import Settings
    from refkit.errors import SourceError
    from refkit.sources import crossref

    def works_through_its_own_client(self, **kwargs):  # as a future habanero might
        with httpx2.Client(timeout=0.001) as client:
            return client.get("http://refkit-probe.invalid/works").json()

    monkeypatch.setattr(crossref, "_HOOK_CHECKED", [])
    monkeypatch.setattr(habanero.Crossref, "works", works_through_its_own_client)
    with pytest.raises(SourceError, match=r"no longer sends its requests through httpx2\.get.*habanero>=2\.9\.2"):
        crossref.CrossrefSource(Settings(store=str(tmp_path / "s.sqlite3")))


def test_the_hook_is_proven_on_the_installed_habanero(monkeypatch):
    from refkit.sources import crossref

    monkeypatch.setattr(crossref, "_HOOK_CHECKED", [])
    crossref._hook_habanero()
    assert crossref._HOOK_CHECKED == [True]
