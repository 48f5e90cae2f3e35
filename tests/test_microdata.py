"""A microdata article (``itemscope itemtype=…/NewsArticle`` and its
``itemprop``s) is structured data: read into the record JSON-LD fills, with
JSON-LD's precedence and distrust rules. Small hand-made pages, each failing
without the change."""
from __future__ import annotations

from dataclasses import replace

import lxml.html
import pytest

from newsarchive.detection import page_skip_reason
from newsarchive.extraction.config import ExtractionConfig
from newsarchive.extraction.loader import collect_elements, load_metadata
from newsarchive.extraction.page import extract_article
from newsarchive.extraction.structured import (
    article_scope,
    itemtype_names,
    microdata_item,
    read_structured,
)

URL = "https://harbour.example.org/culture/2024/03/07/lantern-festival-returns"

ARTICLE = """<div id="main" itemscope itemtype="https://schema.org/NewsArticle">
  <meta itemprop="datePublished" content="2024-03-07T19:30:00+01:00">
  <meta itemprop="dateModified" content="2024-03-07T21:10:00+01:00">
  <meta itemprop="articleSection" content="Culture">
  <meta itemprop="keywords" content="Festivals, Harbour">
  <h1 itemprop="headline">Lantern festival returns to the old harbour</h1>
  <p class="intro" itemprop="description">Organisers expect twenty thousand visitors in May.</p>
  <span class="writer" itemprop="author" itemscope itemtype="https://schema.org/Person">Words by
    <span itemprop="name">Sofia Marquez</span></span>
  <div itemprop="publisher" itemscope itemtype="https://schema.org/Organization">
    <meta itemprop="name" content="The Harbour Gazette"></div>
  <div class="picture" itemprop="image" itemscope itemtype="https://schema.org/ImageObject">
    <img itemprop="url" src="https://harbour.example.org/img/lanterns.jpg" alt=""></div>
  <div itemprop="articleBody">
    <p>The lantern festival will return this spring for the first time in four years, its organisers said on Thursday.</p>
    <p>The festival began in 1974 as a fishermen's memorial and was cancelled in 2020 while the harbour wall was rebuilt.</p>
    <div itemprop="comment" itemscope itemtype="https://schema.org/Comment">
      <span itemprop="author">tidewatcher</span><span itemprop="datePublished">2024-03-08</span></div>
  </div>
</div>"""


def _page(body: str, head: str = "") -> str:
    return f"<html lang='en'><head><title>Lantern festival</title>{head}</head><body>{body}</body></html>"


def _doc(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def _structured(html: str):
    doc = _doc(html)
    return read_structured(doc, collect_elements(doc))


def test_itemtype_names_are_the_bare_types() -> None:
    assert itemtype_names("https://schema.org/NewsArticle") == ["NewsArticle"]
    assert itemtype_names("http://schema.org/WebPage http://schema.org/BlogPosting/") == ["WebPage", "BlogPosting"]
    assert itemtype_names(None) == []


def test_microdata_article_is_the_main_record_with_its_own_properties() -> None:
    data = _structured(_page(ARTICLE))
    assert data.main_type == "NewsArticle" and data.main_is_microdata
    main = data.main
    assert main["headline"] == "Lantern festival returns to the old harbour"
    assert main["datePublished"] == "2024-03-07T19:30:00+01:00"
    assert main["dateModified"] == "2024-03-07T21:10:00+01:00"
    assert main["articleSection"] == ["Culture"]
    assert main["keywords"] == ["Festivals, Harbour"]
    assert main["description"] == "Organisers expect twenty thousand visitors in May."
    # A nested item is the Person's: its name, not the label around it.
    assert main["author"] == [{"@type": ["Person"], "name": "Sofia Marquez"}]
    assert main["image"] == {"@type": ["ImageObject"], "url": "https://harbour.example.org/img/lanterns.jpg"}
    # The publisher's name and the comment's author and date are their items'.
    assert "name" not in main


def test_microdata_item_of_a_scope_alone() -> None:
    scope = _doc(_page(ARTICLE)).get_element_by_id("main")
    record, main_type = microdata_item(scope)
    assert main_type == "NewsArticle"
    assert record["@type"] == ["NewsArticle"]
    assert record["datePublished"] == "2024-03-07T19:30:00+01:00"


def test_text_and_link_authors_and_a_description_that_is_the_whole_text() -> None:
    data = _structured(_page(
        '<article itemscope itemtype="http://schema.org/BlogPosting"><h1 itemprop="headline">Rivers rise</h1>'
        '<a itemprop="author" href="/author/jane-doe">Jane Doe</a>'
        '<span itemprop="author" itemscope itemtype="http://schema.org/Organization">'
        '<span itemprop="name">Example News</span></span>'
        '<div itemprop="description articleBody"><p>The river rose by two metres overnight.</p></div></article>'))
    assert data.main["author"] == ["Jane Doe", {"@type": ["Organization"], "name": "Example News"}]
    # Blogger marks the whole post "description articleBody": not a summary.
    assert "description" not in data.main


def test_json_ld_article_keeps_precedence_over_microdata() -> None:
    head = '<script type="application/ld+json">{"@type": "Article", "headline": "From JSON-LD"}</script>'
    data = _structured(_page(ARTICLE, head))
    assert data.main == {"@type": "Article", "headline": "From JSON-LD"}
    assert not data.main_is_microdata
    # A JSON-LD WebPage declares no article: the microdata one is the page's.
    head = '<script type="application/ld+json">{"@type": "WebPage", "name": "Culture"}</script>'
    assert _structured(_page(ARTICLE, head)).main_type == "NewsArticle"


def test_article_scope_of_a_list_of_posts_is_the_one_holding_the_h1() -> None:
    post = ('<article itemscope itemtype="https://schema.org/BlogPosting">{h}'
            '<meta itemprop="datePublished" content="2024-03-0{n}"></article>')
    listing = _doc(_page("".join(post.format(h="<h2>Older post</h2>", n=n) for n in (1, 2))))
    assert article_scope(listing.iter("meta"), listing.iter("h1")) is None
    single = _doc(_page(post.format(h="<h2>Post</h2>", n=1)))
    assert article_scope(single.iter("meta")) is single.find(".//article")
    page = _doc(_page(post.format(h="<h1>The post</h1>", n=1) + post.format(h="<h2>Related</h2>", n=2)))
    found = article_scope(page.iter("meta"), page.iter("h1"))
    assert found is not None and found.find("h1") is not None
    # A WebPage scope around the props is not an article.
    webpage = _doc(_page('<div itemscope itemtype="https://schema.org/WebPage"><meta itemprop="name" content="x"></div>'))
    assert article_scope(webpage.iter("meta")) is None


def test_loader_fills_section_tags_type_authors_and_dates_from_microdata() -> None:
    doc = _doc(_page(ARTICLE))
    art = load_metadata(doc, URL, config=ExtractionConfig())
    assert art.section == "Culture"
    assert art.tags == ["Festivals", "Harbour"]
    assert art.page_type == "NewsArticle"
    assert art.authors == ["Sofia Marquez"]
    assert art.published == "2024-03-07T19:30:00+01:00"
    assert art.modified == "2024-03-07T21:10:00+01:00"
    assert art.image_url == "https://harbour.example.org/img/lanterns.jpg"


def test_microdata_organisation_author_is_not_a_person() -> None:
    # The same distrust as JSON-LD: an Organization is never an author.
    body = ('<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Rivers rise</h1>'
            '<span itemprop="author" itemscope itemtype="https://schema.org/Organization">'
            '<span itemprop="name">Example News</span></span><p>The river rose by two metres.</p></article>')
    assert load_metadata(_doc(_page(body)), URL, config=ExtractionConfig()).authors == []


def test_microdata_date_is_weighed_like_the_meta_tags() -> None:
    # A microdata date left at the first draft, meta tags at the
    # re-publication, and no date printed: the latest, as among meta tags
    # (JSON-LD would have been weighed against the first meta tag only).
    head = ('<meta name="pubdate" content="2021-12-14T15:41:07+01:00">'
            '<meta name="DC.date.issued" content="2022-02-04T15:33:00+01:00">')
    body = ('<article itemscope itemtype="https://schema.org/Article">'
            '<meta itemprop="datePublished" content="2021-12-14T15:41:07+01:00">'
            '<h1 itemprop="headline">Why the wait pays off</h1><p>The phone is due next year.</p></article>')
    art = load_metadata(_doc(_page(body, head)), "https://example.org/ratgeber/why-the-wait-pays-off",
                        config=ExtractionConfig())
    assert art.published[:10] == "2022-02-04"


def test_a_short_microdata_article_is_an_article_to_detection() -> None:
    # The declared type decides before the word count (detection.page_types).
    art = extract_article(_page(ARTICLE).encode(), URL)
    assert art.page_type == "NewsArticle"
    assert art.word_count < 80
    assert page_skip_reason(art, site=None) is None
    assert page_skip_reason(replace(art, page_type=None), site=None) == "few-words"


@pytest.mark.parametrize("author", ['<meta itemprop="author" content="Jane Doe">',
                                    '<span itemprop="author">Jane Doe</span>'])
def test_an_author_declared_twice_is_one(author: str) -> None:
    body = ('<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Rivers rise</h1>'
            f'{author}<div class="author-box"><span itemprop="author">Jane Doe</span></div>'
            "<p>The river rose by two metres.</p></article>")
    art = load_metadata(_doc(_page(body)), URL, config=ExtractionConfig())
    assert art.authors == ["Jane Doe"] and art.byline == "Jane Doe"
