"""Readers of the visible page: foreign regions, headings, bylines, dates."""
from __future__ import annotations

import lxml.html
import pytest

from newsarchive.extraction.visible import (
    element_text,
    heading_text,
    in_foreign_region,
    is_foreign_container,
    is_site_heading,
    read_visible,
)


def _el(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


@pytest.mark.parametrize(
    ("cls", "foreign"),
    [
        ("comment-list", True),
        ("related_posts", True),
        ("post-comments", True),
        ("sidebar-content", True),
        ("right-sidebar", True),
        ("site-footer", True),
        ("most-read", True),
        # Layouts and taxonomy classes only mention the word.
        ("one-sidebar main", False),
        ("sticky-sidebar-parent", False),
        ("post category-kommentar tag-comments", False),
        ("elementor-widget-container", False),
        ("entry-footer", False),
        ("commentary", False),
    ],
)
def test_is_foreign_container(cls: str, foreign: bool) -> None:
    assert is_foreign_container(_el(f'<div class="{cls}"></div>')) is foreign


def test_footer_inside_the_article_is_not_the_page_footer() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><article><footer><span id='a'>By Jane</span></footer></article>"
        "<footer><span id='b'>© 2019</span></footer></body></html>"
    )
    assert not in_foreign_region(doc.get_element_by_id("a"))
    assert in_foreign_region(doc.get_element_by_id("b"))


def test_site_headings() -> None:
    assert is_site_heading(_el('<h1><a href="https://www.example.com/">Example</a></h1>'))
    assert is_site_heading(_el('<h1 id="site-title">Example</h1>'))
    assert not is_site_heading(_el('<h1><a href="https://www.example.com/2020/a-story">A story</a></h1>'))


def test_heading_text_without_kicker_subtitle_and_hidden_text() -> None:
    h1 = _el('<h1><span class="kicker">Klima</span><span class="sr-only">: </span>Bohren'
             '<small class="article-subtitle">Ein Untertitel</small></h1>')
    assert heading_text(h1) == "Bohren"


def test_element_text_inline_and_spaced() -> None:
    el = _el('<div><a rel="author">Laura Pitel</a>,<a rel="author">Nadia Beard</a><p>x</p></div>')
    assert element_text(el) == "Laura Pitel,Nadia Beard x"
    assert element_text(_el("<p><span>By</span><a>Jane</a></p>"), spaced=True) == "By Jane"


def test_bylines_next_to_the_headline_and_printed_dates() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><div class='comments'><time datetime='2010-01-01'>old</time></div>"
        "<article><header><h1>A headline of words</h1>"
        "<p class='byline'>By Jane Doe</p><time pubdate datetime='2020-05-03'>3 May</time></header>"
        "<p>Text</p></article></body></html>"
    )
    page = read_visible(doc)
    page.set_headline("A headline of words")
    assert [(k, t) for k, t, _p in page.bylines(region_only=True)] == [("byline", "By Jane Doe")]
    assert page.times()[0] == ("pubdate", "2020-05-03")
    assert page.article_root().tag == "article"


def test_text_walks_leave_no_reference_cycle() -> None:
    # A walk that called itself as a closure was a reference cycle holding
    # the element, and through it the page's whole tree, until the garbage
    # collector's next pass.
    import gc

    from newsarchive.extraction.captions import extract_captions
    from newsarchive.extraction.visible import _iter_matching, element_text

    doc = lxml.html.fromstring(
        "<html><body><div class='story'><h1>Title</h1><p>One <b>two</b></p>"
        "<figure class='wp-caption'><img src='a.jpg'><figcaption>A cat. <span class='credit'>"
        "Photo: Jane Doe</span></figcaption></figure></div></body></html>")
    story = doc.find(".//div")

    def read() -> None:
        assert element_text(story) and element_text(story, limit=5)
        assert extract_captions(doc, "https://example.com/a")
        assert list(_iter_matching(doc, lambda el: el.tag == "p", skip=story.find("figure")))

    read()  # the rules compiled on first use
    gc.collect()
    # Not "nothing collected": in the whole suite, other threads (servers
    # of earlier tests) leave garbage too. No element may be in a cycle.
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        read()
        gc.collect()
        held = [o for o in gc.garbage if isinstance(o, lxml.html.HtmlElement)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert held == []
