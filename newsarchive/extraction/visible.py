"""Readers of the visible page: headings, byline markup, ``<time>`` and
printed dates, the standfirst.

These are the fallbacks (and the cross-checks) of the structured data. Each
reader is one XPath query over the shared tree plus a walk up the ancestors
of the few matches, to skip what sits in comments, related lists, footers
and sidebars. The tree is only read.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html

from newsarchive.extraction.processors import normalize_space

# Class/id words of regions that are not the article: a date, byline or
# heading found inside one belongs to a comment, a teaser or the page chrome.
FOREIGN_REGION_WORDS: tuple[str, ...] = (
    "comment", "related", "teaser", "recommend", "sidebar", "widget", "footer", "copyright",
    "most-read", "mostread", "popular", "trending", "more-stories", "newsletter", "promo",
    "outbrain", "taboola", "breadcrumb", "disqus", "reply", "respond", "pingback", "sitemap",
    "menu", "navigation", "masthead", "archive-list",
)
FOREIGN_TAGS: frozenset[str] = frozenset({"footer", "aside", "nav"})


def region_words(el: lxml_html.HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def in_foreign_region(el: lxml_html.HtmlElement, *, max_depth: int = 25) -> bool:
    """True when ``el`` sits in a comment thread, related list, footer, sidebar..."""
    node = el.getparent()
    depth = 0
    while node is not None and depth < max_depth:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in FOREIGN_TAGS:
            return True
        if tag in {"body", "html"}:
            return False
        words = region_words(node)
        if words.strip() and any(w in words for w in FOREIGN_REGION_WORDS):
            return True
        node = node.getparent()
        depth += 1
    return False


def element_text(el: lxml_html.HtmlElement) -> str | None:
    """Visible text of an element, without scripts, styles and hidden screen-reader notes."""
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in {"script", "style", "noscript", "template", "svg", "button"} or not tag:
            if node.tail:
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node is not el and node.tail:
            parts.append(node.tail)
        if tag in {"br", "p", "div", "li"}:
            parts.append(" ")

    walk(el)
    return normalize_space(" ".join(parts))


@dataclass
class VisiblePage:
    """Candidates read from the visible page, in document order."""

    headings: list[str]
    bylines: list[tuple[str, str]]
    """(kind, text): kind is "rel", "itemprop", "class"."""
    times: list[tuple[str, str]]
    """(kind, value): "pubdate", "published", "time", "text"."""
    standfirst: str | None
    title: str | None


_HEADING_XPATH = (
    "//h1 | //h2[contains(@class, 'title') or contains(@class, 'headline')]"
    " | //*[contains(@class, 'entry-title') or contains(@class, 'post-title')"
    " or contains(@class, 'article-title') or contains(@class, 'article__title')][not(self::h1)]"
)
_BYLINE_XPATH = (
    "//*[@rel='author'] | //*[contains(@class, 'byline') or contains(@class, 'Byline')"
    " or contains(@class, 'author') or contains(@class, 'Author') or contains(@id, 'author')"
    " or contains(@class, 'autor') or contains(@class, 'Autor') or contains(@class, 'auteur')]"
)
_TIME_XPATH = (
    "//time | //*[contains(@class, 'date') or contains(@class, 'Date') or contains(@class, 'publish')"
    " or contains(@class, 'datum') or contains(@class, 'fecha') or contains(@class, 'time')"
    " or contains(@class, 'meta')][not(self::time)][not(self::meta)]"
)
_STANDFIRST_XPATH = (
    "//*[contains(@class, 'standfirst') or contains(@class, 'dek') or contains(@class, 'subtitle')"
    " or contains(@class, 'sub-title') or contains(@class, 'subheadline') or contains(@class, 'lede')"
    " or contains(@class, 'lead') or contains(@class, 'intro') or contains(@class, 'summary')"
    " or contains(@class, 'teaser-text') or contains(@class, 'excerpt')"
    " or @itemprop='description' or @itemprop='alternativeHeadline'][not(self::meta)]"
)

# Class words of byline elements that hold something else than the byline.
_NOT_BYLINE_WORDS = ("author-bio", "author-box", "authorbox", "author-description", "about-author",
                     "author-info", "author-image", "author-avatar", "avatar", "author-social",
                     "author-follow", "author-photo", "author-img", "bio")
_PUBLISHED_WORDS = ("publish", "pubdate", "created", "posted", "entry-date", "post-date",
                    "article-date", "date-time", "datetime", "dateline", "byline", "story-date")
_MODIFIED_WORDS = ("updated", "modified", "update")


def read_visible(doc: lxml_html.HtmlElement, max_each: int = 12) -> VisiblePage:
    """Read headings, bylines, dates and the standfirst from the page."""
    headings: list[str] = []
    for el in doc.xpath(_HEADING_XPATH)[:max_each]:
        if in_foreign_region(el):
            continue
        text = element_text(el)
        if text and len(text) < 400:
            headings.append(text)

    bylines: list[tuple[str, str]] = []
    for el in doc.xpath(_BYLINE_XPATH):
        if len(bylines) >= max_each:
            break
        words = region_words(el)
        if any(w in words for w in _NOT_BYLINE_WORDS):
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in {"meta", "link", "img", "script", "style", "body", "article", "main"}:
            continue
        if in_foreign_region(el):
            continue
        text = element_text(el)
        if not text or len(text) > 200:
            continue
        kind = "rel" if el.get("rel") == "author" else ("byline" if "byline" in words else "class")
        bylines.append((kind, text))

    times: list[tuple[str, str]] = []
    for el in doc.xpath(_TIME_XPATH):
        if len(times) >= max_each:
            break
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in {"body", "html", "article", "main", "script", "style"}:
            continue
        words = region_words(el) + " " + (el.get("itemprop") or "").lower()
        if in_foreign_region(el):
            continue
        if any(w in words for w in _MODIFIED_WORDS) and not any(w in words for w in _PUBLISHED_WORDS):
            continue
        if tag == "time":
            value = el.get("datetime") or element_text(el)
            if el.get("pubdate") is not None or "datepublished" in words or any(w in words for w in _PUBLISHED_WORDS):
                kind = "pubdate"
            else:
                kind = "time"
        else:
            value = element_text(el)
            if not value or len(value) > 120:
                continue
            kind = "published" if any(w in words for w in _PUBLISHED_WORDS) else "text"
        if value:
            times.append((kind, value))

    standfirst = None
    for el in doc.xpath(_STANDFIRST_XPATH)[:max_each]:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in {"body", "html", "article", "main", "section", "img", "a", "ul", "ol", "figure"}:
            continue
        words = region_words(el)
        if "lead" in words and ("leader" in words or "leaderboard" in words):
            continue
        if in_foreign_region(el):
            continue
        text = element_text(el)
        if text and 30 <= len(text) <= 600:
            standfirst = text
            break

    title_el = doc.find(".//title")
    title = element_text(title_el) if title_el is not None else None
    return VisiblePage(headings=headings, bylines=bylines, times=times, standfirst=standfirst, title=title)
