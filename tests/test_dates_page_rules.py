"""Publication dates chosen on small hand-made pages: one test per class of
error fixed on real pages (never a copy of one). The metric reads the
calendar day as written, so the tests check the day and, where it matters,
the offset."""
from __future__ import annotations

import lxml.html
import pytest

from newsarchive.extraction.config import ExtractionConfig
from newsarchive.extraction.dates import find_printed_date, parse_date
from newsarchive.extraction.loader import load_metadata
from newsarchive.items import Article

# No date in the address, so the URL's day never decides.
URL = "https://www.example-news.com/story/rivers-rise"


def _load(html: str, url: str = URL) -> Article:
    doc = lxml.html.document_fromstring(html)
    return load_metadata(doc, url, config=ExtractionConfig())


def _page(head: str = "", body: str = "", lang: str = "de") -> str:
    return f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


# -- dates that are labelled as something else --------------------------------

def test_forum_registration_date_is_not_the_post_date() -> None:
    # A profile box ("Registriert: ...") printed before the first post.
    art = _load(_page(body=(
        '<div class="wrap"><h2 class="topic-title">Was ist Freie Software</h2>'
        '<div class="post"><dl class="profile"><dd>Beiträge: 1626</dd>'
        "<dd>Registriert: 18.09.2008, 05:56</dd></dl>"
        '<p class="author">Beitrag von r23 » 21.01.2009, 05:42</p>'
        "<div>Freie Software ist Software, die ...</div></div>"
        "<div>Wer ist online?</div></div>"
    )))
    assert art.published is not None and art.published.startswith("2009-01-21")


def test_current_date_in_a_dated_element_is_not_the_publication() -> None:
    # phpBB-style "current date" in a date-classed element; the post itself
    # prints a two-digit year followed by a time.
    art = _load(_page(body=(
        '<div class="date-box">Aktuelles Datum und Uhrzeit: 11/02/20, 07:22 pm</div>'
        '<div class="topic"><h1>Forums-Regeln</h1>'
        '<p class="author">von <strong>lupa</strong> am 26/10/13, 03:48 pm</p>'
        "<div>Wir pflegen hier einen freundlichen Umgang.</div></div>"
    )))
    assert art.published is not None and art.published.startswith("2013-10-26")


@pytest.mark.parametrize("text", [
    "Registriert: 18.09.2008", "Joined: March 3, 2012", "Member since 03/04/2011 10:00",
    "Inscrit le 12 juin 2014", "Miembro desde: 3 de mayo de 2015", "It is currently 11/02/20, 07:22 pm",
])
def test_labels_of_other_dates_are_skipped_in_printed_text(text: str) -> None:
    assert find_printed_date(text) is None


def test_two_digit_year_needs_a_time_after_it() -> None:
    # "1/2/13" alone is as likely a score or a fraction as a date.
    assert find_printed_date("Endstand 1/2/13 im dritten Satz") is None
    assert find_printed_date("am 26/10/13, 03:48 pm")[0] == "2013-10-26T15:48:00"


# -- page chrome ----------------------------------------------------------------

def test_date_in_the_site_header_is_the_day_served_not_the_article_day() -> None:
    art = _load(_page(body=(
        '<div id="head"><header class="container"><div class="navtop">'
        '<span class="mod_datetime"><time datetime="2023-11-01T13:56:20+01:00">'
        "Mittwoch, 01. November 2023</time></span></div></header></div>"
        '<div class="page"><div class="intro"><p class="text_autor">Von Georg Kasch</p>'
        '<p class="datum">31. Oktober 2023.</p></div>'
        "<p>Dragqueens sind Kunstfiguren, die mit Geschlechterrollen spielen.</p></div>"
    )))
    assert art.published == "2023-10-31"


def test_time_in_an_article_header_is_kept() -> None:
    art = _load(_page(body=(
        '<header class="site"><a class="logo">Example</a></header>'
        '<article><header class="entry-header"><h1>Rivers rise in the north</h1>'
        '<time datetime="2023-10-31T09:00:00+01:00">31. Oktober 2023</time></header>'
        "<p>Text.</p></article>"
    )))
    assert art.published == "2023-10-31T09:00:00+01:00"


# -- date formats ---------------------------------------------------------------

def test_date_with_bars_between_day_month_and_year() -> None:
    assert parse_date("26 | 01 | 2022") == "2022-01-26"
    art = _load(_page(body=(
        '<main><section><div class="subline"><table><tr><td>26 | 01 | 2022 </td>'
        '<td class="categories">Schweiz | Praxis</td></tr></table>'
        "<h1>Bielersee-Winterhechte</h1></div></section>"
        "<section><p>Im Winter sind die Möglichkeiten zu fischen begrenzter.</p></section></main>"
    )))
    assert art.published == "2022-01-26"


# -- publication fields that disagree -------------------------------------------

def test_time_text_decides_when_its_datetime_is_the_update() -> None:
    # JSON-LD and the meta tag disagree; the <time>'s datetime holds the
    # update, its text prints the publication first.
    art = _load(_page(
        '<meta property="article:published_time" content="2024-12-07T12:43:39.889Z">'
        '<meta property="article:modified_time" content="2024-12-07T12:43:46.379Z">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rivers rise in the north",'
        ' "datePublished": "2024-12-06T22:00:40.000Z", "dateModified": "2024-12-07T12:43:39.889Z"}</script>',
        '<article><h1>Rivers rise in the north</h1>'
        '<time datetime="2024-12-07T12:43:39.889Z">Dec. 6, 2024, 10:00 PM UTC / Updated Dec. 7, 2024, 12:43 PM UTC'
        "</time><p>Text.</p></article>",
        lang="en",
    ))
    assert art.published == "2024-12-06T22:00:40+00:00"


def test_date_printed_after_the_standfirst_decides_between_publication_fields() -> None:
    # JSON-LD keeps the first version's day, the meta tag the re-publication;
    # the page prints the latter below a standfirst, in no date markup.
    standfirst = "Die Weihnachtszeit steht für Genuss und Besinnlichkeit. " * 6
    art = _load(_page(
        '<meta property="article:published_time" content="2022-12-15T09:13:00">'
        '<script type="application/ld+json">{"@type": "Article", "headline": "Weihnachten ohne Reue",'
        ' "datePublished": "2021-12-06 14:36", "dateModified": "2022-12-15T08:13:00.000Z"}</script>',
        f'<article><h1>Weihnachten ohne Reue</h1><p class="lead">{standfirst}</p>'
        '<div class="info"><a href="/autor/jane-doe">Jane Doe</a></div><div class="info">15.12.2022</div>'
        "<p>Erster Absatz.</p></article>",
    ))
    # The day from the meta tag; its zone from dateModified, the same instant
    # in UTC, as CET has it in December.
    assert art.published == "2022-12-15T09:13:00+01:00"


def test_fields_that_disagree_with_nothing_printed_keep_the_json_ld() -> None:
    art = _load(_page(
        '<meta property="article:published_time" content="2022-12-15T09:13:00">'
        '<script type="application/ld+json">{"@type": "Article", "headline": "Weihnachten ohne Reue",'
        ' "datePublished": "2021-12-06 14:36"}</script>',
        "<article><h1>Weihnachten ohne Reue</h1><p>Erster Absatz.</p></article>",
    ))
    assert art.published == "2021-12-06T14:36:00"


# -- a date stored as local midnight and serialised in UTC ------------------------

@pytest.mark.parametrize(("lang", "value", "expected"), [
    ("de", "2022-11-06T23:00:00.000Z", "2022-11-07"),  # CET: midnight is 23:00 UTC
    ("de", "2022-07-06T22:00:00Z", "2022-07-07"),  # CEST: midnight is 22:00 UTC
    ("de", "2022-07-06T23:00:00Z", "2022-07-06T23:00:00+00:00"),  # 01:00 CEST: a real time
    ("fi", "2022-07-06T21:00:00Z", "2022-07-07"),  # EEST
    ("ja", "2022-07-06T15:00:00Z", "2022-07-07"),  # JST, far from the old 20-23 h window
    ("ja", "2022-07-06T22:00:00Z", "2022-07-06T22:00:00+00:00"),  # 07:00 JST
    ("en", "2022-11-06T23:00:00Z", "2022-11-06T23:00:00+00:00"),  # may be 6 pm in New York
    ("de", "2022-11-06T23:00:00+01:00", "2022-11-06T23:00:00+01:00"),  # a stated local time
])
def test_local_midnight_in_the_zone_of_the_page_language(lang: str, value: str, expected: str) -> None:
    art = _load(_page(
        f'<meta property="article:published_time" content="{value}">',
        "<h1>Rivers rise in the north</h1>",
        lang=lang,
    ))
    assert art.published == expected


# -- the article's own teaser ------------------------------------------------

def teaser(href: str, title: str, day: str) -> str:
    """A "latest news" menu entry: a link to an article, and its date."""
    return (f'<div class="item"><span class="title"><a href="{href}">{title}</a></span>'
            f'<span class="time">{day}</span></div>')


def test_date_of_the_teaser_that_links_to_the_page_itself() -> None:
    # The article prints no date; the "latest news" menu lists it with its
    # date, between teasers of other articles whose dates must not be read.
    menu = ('<ul class="menu"><li>'
            + teaser("/story/other-one", "Other one", "22.11.2022")
            + teaser("/story/rivers-rise/", "Rivers rise", "21.11.2022")
            + teaser("/story/other-two", "Other two", "20.11.2022")
            + "</li></ul>")
    body = menu + "<article><h1>Rivers rise</h1><p>The river rose by two metres overnight.</p></article>"
    # The page's address as crawled may carry a dot segment ("/rivers-rise/.").
    for url in (URL, URL + "/."):
        assert _load(_page(body=body), url).published == "2022-11-21"
    # A comment's permalink to the page, with the comment's date: no date.
    comment = ('<article><h1>Rivers rise</h1><p>The river rose.</p></article><section class="comments">'
               '<div class="c"><a href="/story/rivers-rise/#comment-12">Jane</a> <span>23.11.2022</span></div></section>')
    assert _load(_page(body=comment)).published is None
    # Only teasers of other articles: no date.
    other = body.replace('href="/story/rivers-rise/"', 'href="/story/elsewhere"')
    assert _load(_page(body=other)).published is None


def test_a_malformed_link_costs_the_page_nothing() -> None:
    # urljoin raises on "http://[x"; such a link beside the page's own teaser
    # must not cost the page its metadata (one bad address once emptied
    # every field, headline included).
    body = ('<ul class="menu"><li>'
            + teaser("http://[broken", "Broken", "22.11.2022")
            + teaser("/story/rivers-rise/", "Rivers rise", "21.11.2022")
            + "</li></ul><article><h1>Rivers rise</h1><p>The river rose by two metres overnight.</p></article>")
    art = _load(_page(body=body))
    assert art.headline == "Rivers rise"
    assert art.published == "2022-11-21"
