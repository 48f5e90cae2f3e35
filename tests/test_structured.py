"""JSON-LD, meta and microdata readers on small saved-HTML snippets."""
from __future__ import annotations

import lxml.html

from newsarchive.extraction.page import extract_article
from newsarchive.extraction.structured import (
    flatten_json_ld,
    json_strings,
    json_text,
    microdata_value,
    nested_deeper_than,
    parse_json_ld,
    read_structured,
    schema_types,
)
from tests.conftest import FIXTURES


def _doc(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def test_parse_json_ld_repairs_comments_and_trailing_commas() -> None:
    broken = '<!-- {"@type": "NewsArticle", "headline": "A",} -->'
    assert parse_json_ld(broken) == {"@type": "NewsArticle", "headline": "A"}


def test_parse_json_ld_tolerates_raw_newlines_in_strings() -> None:
    assert parse_json_ld('{"headline": "line one\nline two"}') == {"headline": "line one\nline two"}


def test_parse_json_ld_concatenated_objects() -> None:
    assert parse_json_ld('{"@type": "A"}{"@type": "B"}') == [{"@type": "A"}, {"@type": "B"}]


def test_parse_json_ld_hopeless_is_none() -> None:
    assert parse_json_ld("var x = function() {") is None
    assert parse_json_ld("") is None


def test_flatten_graph_lists_and_main_entity() -> None:
    data = {
        "@graph": [
            {"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "headline": "H"}},
            [{"@type": "Person", "name": "P"}],
        ]
    }
    types = [schema_types(o)[0] for o in flatten_json_ld(data)]
    assert types == ["WebPage", "NewsArticle", "Person"]


def test_schema_types_strip_prefixes() -> None:
    assert schema_types({"@type": ["schema:NewsArticle", "http://schema.org/Article"]}) == ["NewsArticle", "Article"]


def test_read_structured_chooses_the_article_over_the_page() -> None:
    doc = _doc(
        """<html><head>
        <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
          {"@type": "WebPage", "@id": "https://example.com/a#page", "name": "Page"},
          {"@type": "NewsArticle", "headline": "The story", "datePublished": "2020-01-02",
           "author": {"@id": "https://example.com/#/person/1"}},
          {"@type": "Person", "@id": "https://example.com/#/person/1", "name": "Jane Doe"}
        ]}</script>
        <script type="application/ld+json">{"@type": "NewsArticle", "headline": "broken",, }</script>
        </head><body></body></html>"""
    )
    data = read_structured(doc)
    assert data.main_type == "NewsArticle"
    assert data.main["headline"] == "The story"
    # Yoast-style references resolve to the object they name.
    assert data.resolve(data.main["author"])["name"] == "Jane Doe"


def test_read_structured_collects_meta_and_links() -> None:
    doc = _doc(
        """<html><head>
        <meta property="og:title" content="T | Site">
        <meta property="og:site_name" content="Site">
        <meta name="author" content="Jane Doe">
        <meta property="article:tag" content="a"><meta property="article:tag" content="b">
        <link rel="canonical alternate" href="/a">
        </head><body></body></html>"""
    )
    data = read_structured(doc)
    assert data.first_meta("og:title") == "T | Site"
    assert data.all_meta("article:tag") == ["a", "b"]
    assert data.links["canonical"] == ["/a"]
    assert "Site" in data.site_names


def test_person_publisher_is_not_a_site_name() -> None:
    doc = _doc(
        """<html><head><script type="application/ld+json">{"@type": "BlogPosting", "headline": "H",
        "publisher": {"@type": "Person", "name": "Andrea Example"}}</script></head><body></body></html>"""
    )
    assert "Andrea Example" not in read_structured(doc).site_names


def test_microdata_is_read_lazily_and_skips_comments() -> None:
    doc = _doc(
        """<html><body><article itemscope itemtype="https://schema.org/NewsArticle">
        <span itemprop="author">Jane Doe</span>
        <abbr itemprop="datePublished" title="2019-10-16T14:33:00-07:00">2:33 PM</abbr>
        <div itemprop="comment" itemscope itemtype="https://schema.org/Comment">
          <span itemprop="author">A commenter</span></div>
        </article></body></html>"""
    )
    data = read_structured(doc)
    authors = [microdata_value(el) for el in data.microdata["author"]]
    assert authors == ["Jane Doe"]
    assert microdata_value(data.microdata["datePublished"][0]) == "2019-10-16T14:33:00-07:00"


def test_json_text_and_strings() -> None:
    assert json_text([{"name": "A"}, "B"]) == "A"
    assert json_text({"@value": " x "}) == "x"
    assert json_strings(["a", ["b", {"name": "c"}]]) == ["a", "b", "c"]


def test_rdfa_dublin_core_meta_keys_read_like_html_meta() -> None:
    # RDFa spells Dublin Core "dc:creator"/"dcterms:created" in a property
    # that may list several keys; the loader asks for "dc.creator".
    html = ('<html><head><meta property="dc:creator twitter:site_name" content="Jane Doe"/>'
            '<meta property="dcterms:created" content="2021-04-05"/></head>'
            '<body><h1>Title</h1><p>Text.</p></body></html>')
    from newsarchive.extraction.page import extract_article

    data = read_structured(_doc(html))
    assert data.meta["dc.creator"] == ["Jane Doe"]
    assert data.meta["dcterms.created"] == ["2021-04-05"]
    article = extract_article(html, "https://news.example.org/story")
    assert article.authors == ["Jane Doe"]
    assert article.published == "2021-04-05"


DEEP_JSON_LD = FIXTURES / "jsonld_deep_nesting.html"


def test_parse_json_ld_skips_blocks_nested_too_deep() -> None:
    assert parse_json_ld("[" * 5000) is None
    assert parse_json_ld('{"@type": "NewsArticle", "author": ' + "[" * 500 + "]" * 500 + "}") is None
    assert parse_json_ld('{"@graph": [{"@type": "NewsArticle", "headline": "Kept"}]}') is not None
    assert parse_json_ld("5") == 5


def test_nested_deeper_than_counts_objects_and_lists() -> None:
    assert not nested_deeper_than({"a": [{"b": 1}]}, 3)
    assert nested_deeper_than({"a": [{"b": [1]}]}, 3)
    assert not nested_deeper_than("text", 0)


def test_a_deeply_nested_block_is_skipped_and_the_page_keeps_its_metadata() -> None:
    article = extract_article(DEEP_JSON_LD.read_text(encoding="utf-8"),
                              "https://example.org/news/harbour-reopens")
    assert article.headline == "Harbour reopens after storm"
    assert article.authors == ["Jane Doe"]
    assert article.body and article.body.startswith("The harbour reopened")


def test_the_other_json_ld_blocks_of_the_page_are_still_read() -> None:
    html = ('<html><head><script type="application/ld+json">' + "[" * 5000 + "</script>"
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "From JSON-LD"}'
            "</script></head><body><h1>Other</h1></body></html>")
    data = read_structured(_doc(html))
    assert data.main_type == "NewsArticle" and data.main["headline"] == "From JSON-LD"
