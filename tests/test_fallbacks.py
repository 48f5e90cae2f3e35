"""The page-level fallbacks: headline, authors and date on pages that declare
no structured data (no JSON-LD, no meta tags, no microdata), as sites never
seen before often serve them. One small hand-made page per class of miss
found with ``newsarchive evaluate --without structured`` (never a copy of a
corpus page); each fails without its fix (the sidebar-box test is a guard)."""
from __future__ import annotations

import pytest

from newsarchive.extraction.dates import find_printed_date, parse_date
from newsarchive.extraction.page import extract_article
from newsarchive.extraction.processors import split_authors
from newsarchive.items import Article

URL = "https://www.harbour-news.example/local/2021/the-story"
BODY = "<p>" + "The harbour board met on Tuesday and agreed to repair the old pier. " * 6 + "</p>"


def _extract(head: str, body: str) -> Article:
    return extract_article(f"<html><head>{head}</head><body>{body}</body></html>", URL)


def _published(body: str) -> str:
    """The publication date of a page titled "Pier repairs agreed" with ``body``, "" for none."""
    return _extract("<title>Pier repairs agreed</title>", body).published or ""


def _authors(body: str) -> list[str]:
    """The authors of a page titled "Pier repairs agreed" with ``body``."""
    return _extract("<title>Pier repairs agreed</title>", body).authors


# -- headline ------------------------------------------------------------------

def test_article_header_title_class_is_the_headline_not_the_site_name() -> None:
    # "header-title" names a site's header; "article-header-title" is the
    # article's own header, holding its headline.
    art = _extract("<title>Pier repairs agreed | Harbour News</title>",
                   '<div class="article-header-container"><h1 class="article-header-title">'
                   "<span>Board agrees to repair the old pier at last</span></h1></div>"
                   f"<article>{BODY}</article>")
    assert art.headline == "Board agrees to repair the old pier at last"


def test_post_title_under_a_site_name_h1_is_the_headline() -> None:
    # Old blog themes print the blog's name as the only h1 and the post's
    # title as an h2.post-title, which the <title> repeats with the blog's name.
    art = _extract("<title>Old pier to be repaired this spring · Harbour Notes in English</title>",
                   '<header><h1 id="site-title"><a href="https://www.harbour-news.example/">'
                   '<img src="/logo.png" alt=""></a></h1></header>'
                   '<div class="post-header"><h2 class="post-title"><a href="/local/2021/the-story">'
                   "Old pier to be repaired this spring</a></h2></div>"
                   f"<article>{BODY}</article>")
    assert art.headline == "Old pier to be repaired this spring"


def test_sidebar_box_title_repeated_in_the_title_is_no_headline() -> None:
    # "Blog Archiv »" in the <title> holds the sidebar box's one-word "Archiv".
    art = _extract("<title>Harbour Notes » Blog Archiv » Old pier to be repaired</title>",
                   '<h1><a href="https://www.harbour-news.example">Harbour Notes</a></h1>'
                   f'<div class="post"><h2>Old pier to be repaired</h2>{BODY}</div>'
                   '<div class="sidebar-box"><h2 class="widgettitle">Archiv</h2></div>')
    assert art.headline != "Archiv"


def test_kicker_before_the_title_without_structured_titles() -> None:
    # The <title> (site name removed) is the heading's tail: the heading's
    # first words are a kicker, as with a structured title.
    art = _extract("<title>Pier repairs agreed at last - Harbour News</title>",
                   f"<article><h1>Local politics: Pier repairs agreed at last</h1>{BODY}</article>")
    assert art.headline == "Pier repairs agreed at last"


def test_heading_wins_over_a_search_title_sharing_its_topic() -> None:
    # Without structured titles, a <title> written for search results that
    # shares a topic word with the h1 does not replace what readers see.
    art = _extract("<title>Pier 2021: repairs of the harbour landmark scheduled for spring - Town - Region"
                   " - HARBOURNEWS.EXAMPLE</title>",
                   f"<article><h1>Board members finally agree on pier works</h1>{BODY}</article>")
    assert art.headline == "Board members finally agree on pier works"


def test_permalink_heading_beats_a_title_that_is_only_the_site_name() -> None:
    # The <title> names only the blog (not recognisable as the site here);
    # the h1 links to its post with rel="bookmark": the post's title.
    art = _extract("<title> • Quayside Talks</title>",
                   '<h2 class="blogtitle"><a href="/"><img src="/logo.png" alt=""></a></h2><div class="post">'
                   '<h1 class="posttitle"><a href="/board-agrees" class="entry-title" rel="bookmark">'
                   f"Board members finally agree on pier works</a></h1>{BODY}</div>")
    assert art.headline == "Board members finally agree on pier works"


def test_lead_box_holding_the_byline_gives_the_dek_alone() -> None:
    # Once the h1 is read as the headline, the lead box under it is the dek;
    # the byline paragraph inside that box is not part of it.
    art = _extract("<title>Pier repairs agreed</title>",
                   '<article><header><h1 class="article-header-title">Pier repairs agreed</h1>'
                   '<div class="article-header-leadText"><p class="article-header-leadText-main">'
                   "The board found the money for the old pier after years of talks.</p>"
                   '<p class="article-header-leadText-authors">von <a href="/author/jane.doe">Jane Doe</a></p>'
                   f"</div></header>{BODY}</article>")
    assert art.standfirst == "The board found the money for the old pier after years of talks."
    assert art.authors == ["Jane Doe"]


# -- authors -------------------------------------------------------------------

def test_writer_and_redaktion_pages_are_author_pages() -> None:
    for href in ("/writer/jane-doe", "/redaktion/jane-doe"):
        assert _authors(f'<article><h1>Pier repairs agreed</h1><div class="meta"><a href="{href}">'
                        f"<strong>Jane Doe</strong></a></div>{BODY}</article>") == ["Jane Doe"], href


def test_photo_credit_in_author_markup_is_no_author() -> None:
    assert _authors('<article><h1>Pier repairs agreed</h1><figure><img src="/p.jpg">'
                    '<figcaption><span class="image-author">© PhotoAgency/Jim Roe</span></figcaption></figure>'
                    f'{BODY}<div class="article-author">Text: Jane Doe</div></article>') == ["Jane Doe"]


def test_name_cut_by_inline_markup_is_one_name() -> None:
    # A styling span around a name's last letter ("Will Knigh<span>t</span>").
    assert _authors('<article><h1>Pier repairs agreed</h1><p class="byline"><span class="byline__name">'
                    'Jane Smit<span class="last-letter">h</span></span></p>' f"{BODY}</article>") == ["Jane Smith"]


def test_labelled_line_under_the_headline_beats_author_markup_elsewhere() -> None:
    # "Por Jane Doe | date" right under the headline, while a box after the
    # article holds byline markup (the paper's address in an <address>).
    assert _authors('<div class="page"><main><article><header><h1>Pier repairs agreed</h1>'
                    "<div><span>Por Jane Doe | 03/05/2022 20:36</span></div></header>"
                    f"{BODY}</article></main>"
                    '<div class="box"><address>RUA DO PORTO, 960 CENTRO</address></div></div>') == ["Jane Doe"]


def test_column_label_before_the_author() -> None:
    assert _authors('<article><h1>Pier repairs agreed</h1><div class="entry"><p><strong>Eine Kolumne von Jane Doe'
                    f"</strong></p>{BODY}</div></article>") == ["Jane Doe"]


def test_bare_label_block_then_the_name() -> None:
    # "Written by" alone in its block, the name in the heading after it.
    assert _authors(f"<article><h1>Pier repairs agreed</h1>{BODY}</article>"
                    '<div class="follow"><div><p><span>Written by</span></p></div>'
                    '<div><h2><a href="/@janedoe">Jane Doe</a></h2><button>Follow</button></div></div>') == ["Jane Doe"]


def test_decorated_label_under_the_headline() -> None:
    assert _authors("<main><h1>Pier repairs agreed</h1><div><span>// By Jane Doe • Nov 11, 2020</span></div>"
                    f"<article>{BODY}</article></main>") == ["Jane Doe"]


def test_gender_inclusive_and_chinese_author_labels() -> None:
    # "AUTOR/IN" in a <dt>, the name in its <dd>; "责任编辑：" (editor in
    # charge) with the full-width colon.
    assert _authors('<article><h1>Pier repairs agreed</h1><div class="meta"><dl class="meta-authors">'
                    '<dt class="meta-author-name">AUTOR/IN</dt><dd class="meta-author-name">Jane Doe</dd></dl></div>'
                    f"{BODY}</article>") == ["Jane Doe"]
    assert _authors(f'<div><h1>Pier repairs agreed</h1><div class="detail_author">责任编辑：孔德明</div>{BODY}</div>'
                    ) == ["孔德明"]
    assert split_authors("Autor*innen: Jane Doe und Ann Roe") == ["Jane Doe", "Ann Roe"]


def test_job_title_after_the_name_is_no_second_author() -> None:
    # "… für Wirtschaft und Umwelt": the "und" joins the title's topics.
    assert _authors('<article><h1>Pier repairs agreed</h1><div class="author">'
                    "Jane Doe Redakteurin für Wirtschaft und Umwelt</div>" f"{BODY}</article>") == ["Jane Doe"]
    # A co-author after a title and a comma-and is still one.
    assert split_authors("By Jane Doe, Staff Writer, and John Roe, Editor") == ["Jane Doe", "John Roe"]


def test_published_on_date_then_by_name_under_the_headline() -> None:
    # "Veröffentlicht am <span>DATE</span> von NAME": the date alone in its
    # element comes before the byline.
    assert _authors('<article><header><h1>Pier repairs agreed</h1><p class="entry-meta">Veröffentlicht am '
                    '<span>03.02.2022</span> von Jane Doe <span class="sr-only">Harbour News</span></p></header>'
                    f"{BODY}</article>") == ["Jane Doe"]


def test_byline_inside_a_content_wrapper_classed_like_a_sidebar() -> None:
    # "right-sidebar" on the container of the whole post is a layout class:
    # the headline sits in it too.
    assert _authors('<div class="content-wrapper sidebar-included right-sidebar"><div class="title-wrap">'
                    '<div class="page-item"><h1 class="page-title">Pier repairs agreed</h1></div></div>'
                    f'<div class="columns"><div class="single-content">{BODY}</div><div class="info">'
                    '<div class="info-wrapper blog-author-wrapper"><span>Von: </span><span>Jane Doe</span></div>'
                    "</div></div></div>") == ["Jane Doe"]


def test_label_and_name_in_the_article_footer() -> None:
    # "footer article-footer" is the article's own footer, not the page's.
    art = _extract("<title>Pier repairs agreed</title>",
                   f'<main><h1>Pier repairs agreed</h1><div class="content">{BODY}</div>'
                   '<footer class="footer article-footer"><ul><li><span>Author: </span><span>Jane Doe</span></li>'
                   '<li><span>Published: </span><time datetime="2019-12-03T00:00:00Z">03 December 2019</time></li>'
                   '</ul></footer></main><footer class="footer page-footer"><span>© 2020 Harbour News</span></footer>')
    assert art.authors == ["Jane Doe"]
    assert art.published and art.published.startswith("2019-12-03")


def test_update_label_in_author_markup_is_no_name() -> None:
    # "Letzte Aktualisierung: DATE Autor*in" heads the author box; the name
    # is in the link after it.
    assert split_authors("Letzte Aktualisierung: 28.01.2022 Autor*in") == []
    assert _authors(f'<article><h1>Pier repairs agreed</h1>{BODY}<div class="article-author">'
                    '<div class="article-author-label"><span>Letzte Aktualisierung: </span>28.01.2022 Autor*in</div>'
                    '<a href="/autoren-id203314/">Jane Doe</a></div></article>') == ["Jane Doe"]


# -- dates ---------------------------------------------------------------------

def test_printed_date_with_a_dotted_time() -> None:
    # "12.09" (hours.minutes) after the day: the day is still read.
    assert find_printed_date("19.10.2019 12.09 Online seit heute, 12.09 Uhr") == ("2019-10-19", "19.10.2019")
    assert _published('<article><h1>Pier repairs agreed</h1><div class="story-meta-dates">19.10.2019 12.09 '
                      f"Online seit heute, 12.09 Uhr</div>{BODY}</article>").startswith("2019-10-19")


def test_text_without_a_day_gives_no_date() -> None:
    # The fuzzy parser skips unknown words and reads a lone "6" as the month,
    # filling in the 1st: "… 6, 2023" was 2023-06-01, a wrong date.
    assert parse_date("Meet the artist Jane Doe 6, 2023") is None
    assert parse_date("June 2023") is None
    assert parse_date("© 2023 Harbour News") is None
    assert parse_date("1 June 2023") == "2023-06-01"
    assert parse_date("Jan 1, 2020") == "2020-01-01"


@pytest.mark.parametrize("printed", ["January 2023 · 5 min read", "Nov. 2023, 3 comments", "June 2023 – 14 shares",
                                     "3 comments · May 2023", "Juni 2023", "junio de 2023", "© 2023 Example"])
def test_a_number_away_from_the_month_is_no_day(printed: str) -> None:
    # A month and a year with some other number on the line (a reading
    # time, a count of comments or shares): the parser took the number for
    # the day ("January 2023 · 5 min read" was 2023-01-05).
    assert parse_date(printed) is None
    assert _published(f'<article><h1>Pier repairs agreed</h1><p class="meta">By Jane Doe</p>'
                      f'<p class="date">{printed}</p>{BODY}</article>') == ""


@pytest.mark.parametrize(("printed", "day"), [
    ("November 6, 2023", "2023-11-06"), ("Nov. 6, 2023", "2023-11-06"), ("6 November 2023", "2023-11-06"),
    ("6. November 2023", "2023-11-06"), ("6th of November, 2023", "2023-11-06"), ("November 6th, 2023", "2023-11-06"),
    ("6-Nov-2023", "2023-11-06"), ("6 de noviembre de 2023", "2023-11-06"), ("le 6 novembre 2023", "2023-11-06"),
    ("6. Nov. 2023", "2023-11-06"), ("2023. november 6.", "2023-11-06"), ("6 listopada 2023", "2023-11-06"),
])
def test_a_day_beside_the_month_is_read(printed: str, day: str) -> None:
    # The forms a day takes beside a month name, in English and, once the
    # month names are mapped, in other languages.
    assert parse_date(printed) == day


def test_date_glued_to_the_byline_name() -> None:
    # Markup without spaces prints "Jane DoeNovember 6, 2023".
    assert parse_date("Meet the artist Jane DoeNovember 6, 2023") == "2023-11-06"
    assert parse_date("Jane MüllerMärz 5, 2020") == "2020-03-05"
    assert _published('<article><h1>Pier repairs agreed</h1><div class="entry-header"><span>Jane Doe</span>'
                      f"<span>November 6, 2023</span></div>{BODY}</article>").startswith("2023-11-06")


def test_hidden_update_stamp_before_the_printed_day() -> None:
    # A stamp written for search engines, hidden from readers, holds the
    # last update; the day readers see follows it.
    assert _published('<article><h1>Pier repairs agreed</h1><div class="post-info"><div>'
                      '<span class="updated rich-snippet-hidden">2022-12-07T10:10:52+01:00</span>'
                      f"<span>25. Dezember 2022</span></div></div>{BODY}</article>").startswith("2022-12-25")


def test_first_publication_label_and_a_label_in_a_div() -> None:
    # "Erstveröffentlichung:" (first publication) in a caption paragraph;
    # "Publiziert …" in a div after the picture, beyond the lines read
    # right after the headline.
    lead = "<p>" + "The harbour board met on Tuesday. " * 70 + "</p>"
    first = f'<div><h1>Pier repairs agreed</h1>{lead}<div class="hero"><p>Erstveröffentlichung: 25. März 2020</p>'
    assert _published(f"{first}</div></div>{BODY}").startswith("2020-03-25")
    label = ('<div data-testid="author-date-information">Publiziert 02/02/2022 um 09:23 GMT</div>')
    assert _published(f'<div><h1>Pier repairs agreed</h1>{lead}<div class="info"><div>Von</div><div>Jane Doe</div>'
                      f"{label}</div></div>{BODY}").startswith("2022-02-02")


def test_time_whose_datetime_is_the_update() -> None:
    # The <time>'s datetime is the update; its text prints the publication
    # first, then "Updated …".
    assert _published('<article><h1>Pier repairs agreed</h1><div class="article-body__date-source">'
                      '<time datetime="2024-12-07T12:43:39Z">Dec. 6, 2024, 10:00 PM UTC<span> / </span>Updated '
                      f"Dec. 7, 2024, 12:43 PM UTC</time></div>{BODY}</article>").startswith("2024-12-06")


def test_teaser_date_in_a_related_stories_pane() -> None:
    # "related" inside a class name ("pane-blog-related-stories") is a
    # related list: its teasers' dates are not the article's.
    assert _published('<div class="panel"><div class="inner"><h1>Pier repairs agreed</h1><p>April 5, 2018</p>'
                      f'{BODY}<div class="panel-pane pane-blog-related-stories"><article><h3><a href="/other">Other'
                      '</a></h3><span class="date">February 12, 2018</span></article></div></div></div>'
                      ).startswith("2018-04-05")
