"""Ablations for ``newsarchive evaluate --without``: the page as a site
without structured data, or without meaningful class names, would serve it.

Most corpus pages declare their headline, authors and dates in JSON-LD or
meta tags, so the corpus figures mostly measure those readers. Sites never
seen before often declare nothing; removing the markup from the parsed tree
(after parsing, before the loader reads it) measures the page-level
fallbacks (printed bylines, printed dates, the ``h1``) on the same pages.
Likewise many sites style their pages with CSS-in-JS, whose class names are
hashes ("css-1q2w3e") that say nothing of the box; giving the corpus pages
such names measures what the body, promo and comment rules find without
class words.

Each ablation is a tree edit (``page.TreeEdit``) named in ``ABLATIONS``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import zlib

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


_CLASSED = etree.XPath("//*[@class]")
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _hashed_class(token: str) -> str:
    # Emotion's form, "css-" and a base-36 hash: the same token gives the
    # same name everywhere on the page, as a stylesheet needs, but no word.
    number, digits = zlib.crc32(token.encode("utf-8")), ""
    while True:
        number, digit = divmod(number, 36)
        digits = _BASE36[digit] + digits
        if not number:
            return "css-" + digits


def hash_classes(doc: lxml.html.HtmlElement) -> None:
    """Replace every class name by a meaningless hash, as CSS-in-JS sites
    serve them; ids (anchors, comment permalinks) and everything else stay."""
    for element in _CLASSED(doc):
        element.set("class", " ".join(map(_hashed_class, element.get("class", "").split())))


# Name on the command line -> tree edit.
ABLATIONS: dict[str, TreeEdit] = {
    "jsonld": strip_jsonld,
    "structured": strip_structured,
    "classes": hash_classes,
}
