"""The modification date against the publication date, zones borrowed from
another field of the page, and the instant kept on the URL's day: small
hand-made pages, one test per class of error fixed on real pages (never a
copy of one), and the pure helpers on their own."""
from __future__ import annotations

import json

import lxml.html
import pytest

from newsarchive.extraction.config import ExtractionConfig
from newsarchive.extraction.dates import parse_date
from newsarchive.extraction.loader import load_metadata
from newsarchive.extraction.pagedates import borrow_zone
from newsarchive.items import Article

URL = "https://www.example-news.com/story/rivers-rise"


def _load(html: str, url: str = URL) -> Article:
    doc = lxml.html.document_fromstring(html)
    return load_metadata(doc, url, config=ExtractionConfig())


def _page(head: str = "", body: str = "", lang: str = "en") -> str:
    return f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def _jsonld(**fields: str) -> str:
    obj = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Rivers rise", **fields}
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_doubled_utc_designator_keeps_the_zone() -> None:
    assert parse_date("2020-01-10T00:59:47ZZ") == "2020-01-10T00:59:47+00:00"


# -- a zone-less value takes the zone another field states ---------------------

def test_publication_without_offset_takes_it_from_the_same_time_elsewhere() -> None:
    art = _load(_page(
        '<meta property="article:published_time" content="2019-11-18T17:01:27.893">'
        '<meta property="article:modified_time" content="2019-11-18T17:01:28.094">'
        '<meta itemprop="datePublished" content="2019-11-18T17:01:27.893Z">',
        "<h1>Rivers rise</h1>"))
    assert art.published == "2019-11-18T17:01:27+00:00"
    assert art.published_raw == "2019-11-18T17:01:27.893"


def test_modification_without_offset_takes_the_publication_offset_of_the_same_minute() -> None:
    art = _load(_page(
        '<meta property="article:published_time" content="2019-10-19T11:14:48+0200">'
        '<meta property="article:modified_time" content="2019-10-19 11:14">',
        "<h1>Rivers rise</h1>", lang="de"))
    assert art.modified == "2019-10-19T11:14:00+02:00"


@pytest.mark.parametrize(("lang", "expected"), [
    ("de", "2022-12-15T09:13:00+01:00"),  # CET in December: 08:13Z is 09:13 there
    ("en", "2022-12-15T09:13:00"),        # no zone to confirm the hour's gap
])
def test_same_instant_in_utc_gives_the_offset_the_language_zone_confirms(lang: str, expected: str) -> None:
    art = _load(_page(
        _jsonld(dateModified="2022-12-15T08:13:00.000Z")
        + '<meta property="article:published_time" content="2022-12-15T09:13:00">',
        "<h1>Rivers rise</h1>", lang=lang))
    assert art.published == expected


def test_borrow_zone() -> None:
    assert borrow_zone("2018-10-12T06:43:54", ["2018-10-12T06:43:54+00:00"]) == "2018-10-12T06:43:54+00:00"
    # Another day at the same hour is another time.
    assert borrow_zone("2020-01-11T00:59:47", ["2020-01-10T00:59:47+00:00"]) == "2020-01-11T00:59:47"
    # Values that have an offset, and bare dates, are left as they are.
    assert borrow_zone("2020-01-11T00:59:47-05:00", ["2020-01-11T00:59:47+00:00"]) == "2020-01-11T00:59:47-05:00"
    assert borrow_zone("2020-01-11", ["2020-01-11T00:59:47+00:00"]) == "2020-01-11"
    # The same instant an hour apart: only when the zone says so.
    assert borrow_zone("2021-11-01T05:00:14", ["2021-11-01T04:00:14+00:00"], "Europe/Berlin") == "2021-11-01T05:00:14+01:00"
    assert borrow_zone("2021-07-01T05:00:14", ["2021-07-01T04:00:14+00:00"], "Europe/Berlin") == "2021-07-01T05:00:14"
