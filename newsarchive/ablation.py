"""Ablations for ``newsarchive evaluate --without``: the page as a site
without structured data would serve it.

Most corpus pages declare their headline, authors and dates in JSON-LD or
meta tags, so the corpus figures mostly measure those readers. Sites never
seen before often declare nothing; removing the markup from the parsed tree
(after parsing, before the loader reads it) measures the page-level
fallbacks (printed bylines, printed dates, the ``h1``) on the same pages.

Each ablation is a tree edit (``page.TreeEdit``) named in ``ABLATIONS``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import lxml.html
from lxml import etree

if TYPE_CHECKING:
    from newsarchive.extraction.page import TreeEdit

# JSON-LD blocks, whatever else the type attribute says ("application/ld+json; charset=utf-8").
_JSONLD = etree.XPath('//script[contains(@type, "ld+json")]')
# Meta tags that carry data (og:*, article:*, author, itemprop...); <meta charset>
# and http-equiv stay: they describe the document, not the article.
_DATA_META = etree.XPath("//meta[@property or @name or @itemprop]")
_MICRODATA = etree.XPath("//*[@itemprop or @itemscope or @itemtype]")
_MICRODATA_ATTRS = ("itemprop", "itemscope", "itemtype")
# <link rel="author"> in the head is metadata; <a rel="author"> is a printed byline and stays.
_AUTHOR_LINK = etree.XPath('//link[@rel="author"]')


def strip_jsonld(doc: lxml.html.HtmlElement) -> None:
    """Remove every JSON-LD block."""
    for script in _JSONLD(doc):
        script.drop_tree()


def strip_structured(doc: lxml.html.HtmlElement) -> None:
    """Remove JSON-LD, data meta tags, microdata attributes and ``<link rel=author>``:
    what is left is what a reader sees."""
    strip_jsonld(doc)
    for meta in _DATA_META(doc):
        meta.drop_tree()
    for element in _MICRODATA(doc):
        for name in _MICRODATA_ATTRS:
            element.attrib.pop(name, None)
    for link in _AUTHOR_LINK(doc):
        link.drop_tree()


# Name on the command line -> tree edit.
ABLATIONS: dict[str, TreeEdit] = {
    "jsonld": strip_jsonld,
    "structured": strip_structured,
}
