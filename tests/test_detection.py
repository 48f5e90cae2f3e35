"""Article detection: URL patterns, declared page type, text signals."""
from __future__ import annotations

import re

import lxml.html
import pytest

from newsarchive.detection import (
    classify_link,
    looks_like_article_url,
    non_article_reason,
    page_skip_reason,
    text_signals,
)
from newsarchive.extraction.words import count_words
from newsarchive.items import Article
from newsarchive.sites import SiteConfig

BASE = "https://news.example"


@pytest.mark.parametrize("path, reason", [
    ("/tag/politics", "tag"),
    ("/topics/climate/", "tag"),
    ("/author/jane-doe", "author"),
    ("/profile/jane-doe", "author"),
    ("/section/world", "section"),
    ("/category/sport/", "section"),
    ("/video/clip-of-the-day-at-the-harbour", "video"),
    ("/news/videos/some-clip-title-here", "video"),
    ("/gallery/photos-of-the-week", "gallery"),
    ("/in-pictures/a-week-in-photos", "gallery"),
    ("/live/", "live-index"),
    ("/news/live", "live-index"),
    ("/news/page/2", "pagination"),
    ("/news?page=3", "pagination"),
    ("/2024/03/", "archive"),
    ("/search?q=x", "service"),
    ("/newsletters", "service"),
    ("/images/photo.jpg", "not-html"),
    ("/", "home"),
])
def test_generic_non_article_patterns(path: str, reason: str) -> None:
    assert non_article_reason(BASE + path) == reason


@pytest.mark.parametrize("path", [
    "/news/2024/03/01/council-approves-new-cycle-lanes.html",
    "/world/europe/trade-talks-resume-in-brussels-after-delay",
    "/news/uk-politics-68123456",
    "/story/12345678",
    "/stages-of-the-tour-announced-today",  # "stages" is not "tags"
    "/live/2024/mar/01/election-results-live-updates",  # a live blog itself
])
def test_article_urls_are_not_vetoed(path: str) -> None:
    assert non_article_reason(BASE + path) is None
    assert looks_like_article_url(BASE + path)


def test_classify_link_without_site_patterns() -> None:
    assert classify_link(f"{BASE}/news/2024/03/01/council-approves-cycle-lanes.html", None) == "article"
    assert classify_link(f"{BASE}/world/", None) == "listing"
    assert classify_link(f"{BASE}/news/page/2", None) == "listing"
    assert classify_link(f"{BASE}/tag/politics", None) == "skip:tag"


def test_site_patterns_override_the_generic_ones() -> None:
    site = SiteConfig(
        name="x", domains=("news.example",),
        allow=(re.compile(r"-b\d+\.html$"),), deny=(re.compile(r"/puzzles/"),),
    )
    # An allowed URL is an article even under a path the generic rules distrust.
    assert classify_link(f"{BASE}/arts/video/film-review-b123456.html", site) == "article"
    assert classify_link(f"{BASE}/puzzles/crossword-b123456.html", site) == "skip:site-deny"
    # A story-shaped URL the site's patterns do not allow is only read for links.
    assert classify_link(f"{BASE}/news/some-long-story-slug-here", site) == "listing"


def article(**kwargs) -> Article:
    values = {"url": f"{BASE}/news/2024/03/01/story-slug-here.html", "body": "word " * 200}
    values.update(kwargs)
    return Article(**values)


@pytest.mark.parametrize("page_type, reason", [
    ("NewsArticle", None),
    ("ReportageNewsArticle", None),
    ("https://schema.org/BlogPosting", None),
    ("LiveBlogPosting", None),
    ("CollectionPage", "page-type-section"),
    ("ProfilePage", "page-type-author"),
    ("VideoObject", "page-type-video"),
    ("ImageGallery", "page-type-gallery"),
    ("WebPage NewsArticle", None),
])
def test_declared_type_decides(page_type: str, reason: str | None) -> None:
    assert page_skip_reason(article(page_type=page_type), site=None) == reason


def test_declared_article_type_beats_a_short_body() -> None:
    assert page_skip_reason(article(page_type="NewsArticle", body="Short."), site=None) is None


def test_url_veto_after_fetch_uses_final_and_canonical_url() -> None:
    page = article(page_type="NewsArticle", canonical_url=f"{BASE}/tag/politics")
    assert page_skip_reason(page, site=None) == "tag"


def test_text_signals_when_no_type_is_declared() -> None:
    assert page_skip_reason(article(body="Our offices are closed."), site=None) == "few-words"
    dense = text_signals(lxml.html.fromstring(
        "<html><body>" + "".join(f"<p><a href='/{i}'>link number {i} here</a></p>" for i in range(50))
        + "<p>one short line</p></body></html>"))
    assert dense.link_density > 0.9
    assert page_skip_reason(article(), site=None, signals=lambda: dense) == "link-dense"
    prose = text_signals(lxml.html.fromstring(
        "<html><body><p>" + "plain words " * 200 + "<a href='/x'>one link</a> and a tail</p>\n"
        "<script>var x = 'not counted words here'</script></body></html>"))
    assert prose.words == 405 and prose.link_words == 2
    assert page_skip_reason(article(), site=None, signals=lambda: prose) is None


def _reference_signals(root: lxml.html.HtmlElement) -> tuple[int, int]:
    """The definition text_signals implements, as plain XPath (slow)."""
    hidden = ("script", "style", "noscript", "template")
    inside = " or ".join(f"ancestor::{tag}" for tag in hidden)
    body = root.find(".//body")
    if body is None:
        return 0, 0
    outermost = body.xpath(".//*[" + " or ".join(f"self::{t}" for t in hidden) + f"][not({inside})]")
    # Texts joined by a space: count_words rounds its estimate for unspaced
    # scripts once per count, as text_signals counts.
    total = count_words(body.text_content()) - count_words(" ".join(e.text_content() for e in outermost))
    linked = count_words(" ".join(a.text_content() for a in body.xpath(f".//a[not({inside})]")))
    return max(total, 0), min(linked, max(total, 0))


def test_text_signals_skip_hidden_elements_once_and_their_links() -> None:
    root = lxml.html.document_fromstring(
        "<html><body><p>one two <a href='/a'>three four</a></p>\n"
        "<noscript><p>five <a href='/b'>six</a> <style>seven</style></p></noscript>\n"
        "<template><a href='/c'>eight nine</a></template>\n"
        "<div><a href='/d'>ten <b>eleven</b></a> twelve</div>\n"
        "<script>thirteen fourteen</script></body></html>")
    signals = text_signals(root)
    # Visible: one two three four ten eleven twelve; linked: three four ten eleven.
    assert (signals.words, signals.link_words) == (7, 4)
    assert (signals.words, signals.link_words) == _reference_signals(root)


def test_text_signals_of_a_body_inside_a_hidden_element() -> None:
    # Not something a parser builds, but a tree a caller could pass: as
    # defined, nothing under <body> is then an outermost hidden element.
    root = lxml.html.fromstring("<div>x</div>")
    noscript = lxml.html.Element("noscript")
    body = lxml.html.Element("body")
    body.append(lxml.html.fromstring("<p>alpha <a href='/x'>beta gamma</a></p>"))
    body[0].tail = " "
    script = lxml.html.Element("script")
    script.text = "s"
    body.append(script)
    noscript.append(body)
    root.append(noscript)
    assert (text_signals(root).words, text_signals(root).link_words) == _reference_signals(root) == (4, 0)


def test_text_signals_match_the_reference_on_the_corpus() -> None:
    import gzip
    import json
    from pathlib import Path

    from newsarchive.extraction.page import parse_html

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not (corpus / "corpus.jsonl").exists():
        pytest.skip("shared corpus not available")
    checked = 0
    with (corpus / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            root = parse_html(gzip.decompress((corpus / record["html"]).read_bytes()))
            signals = text_signals(root)
            assert (signals.words, signals.link_words) == _reference_signals(root), record["id"]
            checked += 1
    assert checked > 300


def _two_walk_signals(root: lxml.html.HtmlElement) -> tuple[int, int]:
    """text_signals as it was before its one-walk rewrite (the slow path it replaces)."""
    hidden_tags = ("script", "style", "noscript", "template")
    body = root.find(".//body")
    if body is None:
        return 0, 0

    def words(element: lxml.html.HtmlElement) -> int:
        return len(element.text_content().split())

    if next(body.iterancestors(*hidden_tags), None) is not None:
        return words(body), 0
    hidden = [e for e in body.iter(*hidden_tags) if next(e.iterancestors(*hidden_tags), None) is None]
    total = words(body) - sum(words(e) for e in hidden)
    hidden_links = {link for e in hidden for link in e.iter("a")}
    linked = sum(words(a) for a in body.iter("a") if a not in hidden_links)
    return max(total, 0), min(linked, max(total, 0))


@pytest.mark.parametrize("html", [
    # Links nested in links count once each; words split across tags join.
    "<html><head><title>t</title></head><body><p>al<b>pha</b> <a href='/1'>one <a href='/2'>two"
    " three</a></a></p><noscript><a href='/3'>hidden link</a></noscript> tail</body></html>",
    # Hidden elements nested in hidden ones, a link inside a template, text between hidden elements.
    "<html><body>a<script>x y</script>b<style>z</style> c <template><style>q</style><a href='/t'>t u"
    "</a></template><div><noscript><script>deep</script>w</noscript></div> <a href='/v'>v</a></body></html>",
    # Comments and processing instructions around <body>, empty links, no hidden element at all.
    "<!-- c --><html><!-- head comment --><body><a href='/e'></a><p>just <a href='/f'>words</a></p></body></html>",
    "<html><body></body></html>",
])
def test_one_walk_text_signals_count_what_two_walks_counted(html: str) -> None:
    root = lxml.html.document_fromstring(html)
    signals = text_signals(root)
    assert (signals.words, signals.link_words) == _two_walk_signals(root) == _reference_signals(root)


def test_body_is_found_where_find_finds_it_without_a_full_walk() -> None:
    from lxml import etree

    from newsarchive.detection import _first_body

    parsed = lxml.html.document_fromstring("<html><head><title>t</title></head><body><p>x</p></body></html>")
    assert _first_body(parsed) is parsed.find(".//body") is parsed[1]
    # Trees a parser does not build: <body> deeper down, in an earlier child
    # than a direct one, or absent.
    deep = etree.fromstring("<html><div><body><p>first</p></body></div><body><p>second</p></body></html>")
    assert _first_body(deep) is deep.find(".//body") is deep[0][0]
    nested = etree.fromstring("<html><div><section><body/></section></div></html>")
    assert _first_body(nested) is nested.find(".//body") is not None
    none = etree.fromstring("<html><head/><div/></html>")
    assert _first_body(none) is None
