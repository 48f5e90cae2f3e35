"""Shared by the archive's tests: realistic sample articles and an archive URL
fixture that runs each test on SQLite and, when it is running, PostgreSQL."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import postgres_url
from newsarchive.items import Article, Caption, DroppedBlock, RawPage

_PG = postgres_url()
PG_SKIP_REASON = "PostgreSQL is not running on 127.0.0.1:5432 (database 'test')"

SEED_BODY = (
    "Russia has started preparing its fighter jets for the journey home from Syria, "
    "the defence ministry in Moscow said on Tuesday.\n\n"
    "Vladimir Putin announced the surprise withdrawal of the main part of Russia's forces "
    "on Monday, saying the military had largely achieved its objectives.\n\n"
    "The intervention had turned the tide of the war in favour of President Bashar al-Assad, "
    "whose forces had been losing ground to rebels.\n\n"
    "Aid agencies said the bombing had destroyed homes, schools and hospitals."
)


def sample_articles() -> list[Article]:
    """Five articles from different kinds of site, as extraction would give them."""
    return [
        Article(
            url="https://www.independent.co.uk/news/world/europe/russia-syria-withdrawal-a6931146.html?utm_source=twitter",
            canonical_url="https://www.independent.co.uk/news/world/europe/russia-syria-withdrawal-a6931146.html",
            site="independent.co.uk",
            headline="Russia starts military withdrawal from Syria as fighter jets prepare to return home",
            standfirst="Vladimir Putin ordered the withdrawal of the 'main part' of Russia's forces",
            authors=["Laura Pitel", "Nadia Beard", "Steve Anderson"],
            byline="Laura Pitel,Nadia Beard,Steve Anderson",
            published="2016-03-15T03:39:00-04:00",
            published_raw="Tuesday 15 March 2016 03:39 EDT",
            section="Europe",
            tags=["Syria", "Russia"],
            language="en",
            image_url="https://static.independent.co.uk/jets.jpg",
            captions=[
                Caption("A Russian jet lands at the Hmeimim air base", "AFP/Getty Images",
                        "https://static.independent.co.uk/jets.jpg"),
                Caption("Vladimir Putin meets his defence minister", "AP"),
            ],
            body=SEED_BODY,
            word_count=len(SEED_BODY.split()),
            fetched_at="2016-03-15T09:00:00+00:00",
            page_type="NewsArticle",
            dropped=[DroppedBlock("donation-appeal", "Please support independent journalism"),
                     DroppedBlock("comment-forum", "Join our commenting forum", "extract")],
            raw=RawPage(b"<html><head><title>Russia</title></head><body><h1>Russia starts"
                        b"</h1><p>" + SEED_BODY.encode() + b"</p></body></html>",
                        {"Content-Type": "text/html; charset=utf-8", "ETag": '"abc123"',
                         "Last-Modified": "Tue, 15 Mar 2016 08:00:00 GMT"}),
        ),
        Article(
            url="https://www.bbc.co.uk/news/uk-politics-35820000",
            site="bbc.co.uk",
            headline="Budget 2016: Osborne cuts spending plans by £3.5bn",
            standfirst="The chancellor says the economy faces a 'dangerous cocktail' of risks.",
            authors=["Laura Kuenssberg"],
            byline="By Laura Kuenssberg, Political editor",
            published="2016-03-16T12:30:00+00:00",
            section="UK Politics",
            tags=["Budget 2016"],
            language="en-GB",
            body="George Osborne has announced a further £3.5bn of spending cuts.\n\n"
                 "The chancellor told MPs the global economy was slowing and growth forecasts "
                 "had been revised down.\n\nLabour said the budget had failed the test of fairness.",
            fetched_at="2016-03-16T13:00:00+00:00",
            page_type="NewsArticle",
        ),
        Article(
            url="https://www.theguardian.com/environment/2016/mar/17/climate-talks-paris",
            site="theguardian.com",
            headline="Climate talks: ministers meet in Paris to test pledges",
            standfirst="Ministers from 40 countries gather to turn the Paris agreement into action.",
            authors=["José García", "Zoë Müller"],
            byline="José García and Zoë Müller",
            published="2016-03-17T07:00:00+00:00",
            section="Environment",
            body="Ministers from 40 countries met in Paris on Thursday to discuss climate finance.\n\n"
                 "Campaigners said the pledges so far would not keep warming below two degrees.\n\n"
                 "Carbon emissions from coal fell for the second year in a row.",
            captions=[Caption("Delegates at the climate conference", "Reuters")],
            fetched_at="2016-03-17T08:00:00+00:00",
        ),
        Article(
            url="https://apnews.com/article/earthquake-ecuador-2016",
            site="apnews.com",
            headline="Strong earthquake shakes Ecuador's coast",
            body="A magnitude 7.8 earthquake struck off Ecuador's Pacific coast on Saturday evening.\n\n"
                 "Buildings collapsed in Guayaquil and the coastal town of Pedernales, officials said.",
            published="2016-04-16",
            fetched_at="2016-04-17T01:00:00+00:00",
        ),
        Article(
            url="https://www.independent.co.uk/news/business/oil-price-a6940000.html",
            site="independent.co.uk",
            headline="Oil price rises as producers discuss output freeze",
            authors=["LAURA PITEL"],  # the same person as in the first article
            published="2016-03-18T10:15:00+00:00",
            section="Business",
            body="Brent crude rose above $40 a barrel as producers discussed freezing output.\n\n"
                 "Traders said a deal between Russia and Saudi Arabia remained uncertain.",
            fetched_at="2016-03-18T11:00:00+00:00",
        ),
    ]


def _pg_url_with_schema(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty archive URL: an SQLite file, or a private PostgreSQL schema."""
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.db'}"
        return
    if _PG is None:
        pytest.skip(PG_SKIP_REASON)
    yield from pg_schema_url()


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A PostgreSQL archive URL in a schema of its own; skips without PostgreSQL."""
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    if _PG is None:
        pytest.skip(PG_SKIP_REASON)
    yield from pg_schema_url()


def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new schema, dropped afterwards."""
    import psycopg

    assert _PG is not None
    schema = f"na_test_{uuid.uuid4().hex[:12]}"
    plain = _PG.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _pg_url_with_schema(_PG, schema)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
