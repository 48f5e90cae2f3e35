"""The modification date against the publication date, zones borrowed from
another field of the page, and the instant kept on the URL's day: small
hand-made pages, one test per class of error fixed on real pages (never a
copy of one), and the pure helpers on their own."""
from __future__ import annotations

import json

import lxml.html
import pytest

from newsarchive.extraction.config import ExtractionConfig
from newsarchive.extraction.dates import find_modified_date, parse_date
from newsarchive.extraction.loader import load_metadata
from newsarchive.extraction.pagedates import _on_url_day, borrow_zone, modified_before
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


# -- a modification cannot precede the publication ----------------------------

def test_scheduled_post_keeps_no_modification_before_its_publication() -> None:
    # Saved on the 7th, scheduled for the 25th: dateModified is the draft's.
    art = _load(_page(_jsonld(datePublished="2022-12-25T11:00:02+00:00",
                              dateModified="2022-12-07T09:10:52+00:00"), "<h1>Rivers rise</h1>", lang="de"))
    assert art.published == "2022-12-25T11:00:02+00:00"
    assert art.modified is None and art.modified_raw is None


def test_printed_update_beats_a_structured_one_without_its_pm() -> None:
    # The CMS wrote 13:41 on a 12-hour clock without "PM"; the page prints it.
    art = _load(_page(
        _jsonld(datePublished="2019-11-20T13:38:07+05:30", dateModified="2019-11-20T01:41:20+05:30"),
        '<div class="meta">Last Updated : Nov 20, 2019 01:41 PM IST | Source: Wire</div>'
        "<h1>Rivers rise</h1><p>The rivers rose again.</p>", lang="en-US"))
    assert art.published == "2019-11-20T13:38:07+05:30"
    assert art.modified == "2019-11-20T13:41:00+05:30"
    assert art.modified_raw == "Nov 20, 2019 01:41 PM IST"


def test_a_later_structured_modification_replaces_an_earlier_one() -> None:
    art = _load(_page(
        _jsonld(datePublished="2020-01-10T09:00:04Z", dateModified="2020-01-10T00:59:47ZZ")
        + '<meta property="article:modified_time" content="2020-01-11 00:59:47">',
        "<h1>Rivers rise</h1>"))
    assert art.modified == "2020-01-11T00:59:47"


def test_the_same_early_value_without_its_offset_is_not_a_later_one() -> None:
    art = _load(_page(
        _jsonld(datePublished="2023-11-06T15:20:33+0100", dateModified="2023-11-06T15:16:29+0100")
        + '<meta property="article:modified_time" content="2023-11-06 15:16:29">',
        "<h1>Rivers rise</h1>", lang="de"))
    assert art.modified is None


def test_modification_after_publication_is_left_alone() -> None:
    art = _load(_page(_jsonld(datePublished="2022-12-05T11:00:00+00:00",
                              dateModified="2022-12-07T09:10:52+00:00"), "<h1>Rivers rise</h1>"))
    assert art.modified == "2022-12-07T09:10:52+00:00"


@pytest.mark.parametrize(("value", "other", "expected"), [
    ("2022-12-07T09:10:52+00:00", "2022-12-25T11:00:02+00:00", True),
    ("2019-11-19T07:09:00+01:00", "2019-11-19T06:30:00+00:00", True),   # 06:09Z
    ("2019-11-19T08:00:00+01:00", "2019-11-19T06:30:00+00:00", False),
    ("2020-02-07T18:13:00", "2020-02-08T11:00:00", True),               # both local
    ("2023-11-06T15:16:29", "2023-11-06T15:20:33+01:00", False),        # zone unknown: a day of slack
    ("2023-11-04T15:16:29", "2023-11-06T15:20:33+01:00", True),
    ("2023-11-05", "2023-11-06T15:20:33+01:00", False),
    ("2023-11-06", "2023-11-06", False),
])
def test_modified_before(value: str, other: str, expected: bool) -> None:
    assert modified_before(value, other) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Last Updated : Nov 20, 2019 01:41 PM IST | Source: Wire", "2019-11-20T13:41:00+05:30"),
    ("Published: Nov. 19, 2019, 6:18 p.m. Updated: Nov. 19, 2019, 7:10 p.m.", "2019-11-19T19:10:00"),
    ("Veröffentlicht am 3.5.2022, aktualisiert am 4.5.2022 um 10:15 Uhr", "2022-05-04T10:15:00"),
    ("Published: Nov. 19, 2019, 6:18 p.m.", None),
])
def test_find_modified_date(text: str, expected: str | None) -> None:
    found = find_modified_date(text, dayfirst=False)
    assert (found[0] if found else None) == expected


def test_doubled_utc_designator_keeps_the_zone() -> None:
    assert parse_date("2020-01-10T00:59:47ZZ") == "2020-01-10T00:59:47+00:00"


def test_modified_is_never_a_related_teasers_date() -> None:
    body = (
        '<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Rivers rise</h1>'
        '<meta itemprop="datePublished" content="2022-12-05T11:00:00+01:00"><p>The rivers rose.</p></article>'
        '<aside class="related"><div itemscope itemtype="https://schema.org/NewsArticle">'
        '<a href="/story/other" itemprop="url">Other story</a>'
        '<meta itemprop="dateModified" content="2022-12-09T08:00:00+01:00"></div></aside>'
    )
    art = _load(_page(body=body))
    assert art.published == "2022-12-05T11:00:00+01:00"
    assert art.modified is None
    own = body.replace('<p>The rivers rose.</p>', '<meta itemprop="dateModified" content="2022-12-06T09:00:00+01:00">'
                       '<p>The rivers rose.</p>')
    assert _load(_page(body=own)).modified == "2022-12-06T09:00:00+01:00"


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


# -- the URL's day keeps the instant and the page's own string -----------------

DATED_URL = "https://www.example-news.com/2019/11/18/rivers-rise/"


def test_url_day_keeps_the_instant_in_the_offset_of_a_local_field() -> None:
    art = _load(_page(
        _jsonld(datePublished="2019-11-19T04:58:46Z")
        + '<meta name="sailthru.date" content="2019-11-18 20:58:46">',
        "<h1>Rivers rise</h1>", lang="en-US"), DATED_URL)
    assert art.published == "2019-11-18T20:58:46-08:00"
    assert art.published_raw == "2019-11-19T04:58:46Z"


def test_url_day_without_an_offset_that_fits_keeps_the_raw_string() -> None:
    art = _load(_page(_jsonld(datePublished="2019-11-19T04:58:46Z"), "<h1>Rivers rise</h1>", lang="en-US"),
                DATED_URL)
    assert art.published == "2019-11-18"
    assert art.published_raw == "2019-11-19T04:58:46Z"


def test_on_url_day() -> None:
    published = ("2019-11-19T03:05:46+00:00", "Tue Nov 19 2019 03:05:46 GMT+0000")
    stated = ["2019-11-19T03:15:39+00:00", "2019-11-18T22:15:39-05:00"]
    assert _on_url_day(published, "2019-11-18", stated, None) == ("2019-11-18T22:05:46-05:00", published[1])
    # The site's configured zone comes first.
    assert _on_url_day(published, "2019-11-18", [], "America/Los_Angeles") == (
        "2019-11-18T19:05:46-08:00", published[1])
    # A stale field years away: the URL is what the day was read from.
    assert _on_url_day(("2019-06-17T18:28:00+02:00", "2019-06-17T18:28:00+0200"), "2017-07-12", [], None) == (
        "2017-07-12", "2017-07-12")
    assert _on_url_day(None, "2017-07-12", [], None) == ("2017-07-12", "2017-07-12")
