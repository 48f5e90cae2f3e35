"""Article detection: which URLs to fetch as articles and which pages to store.

Three kinds of evidence, cheapest first:

1. URL patterns (before fetching): the site's own allow/deny patterns, then
   the generic patterns below for tag, author, section, video, gallery,
   live-blog index, pagination and service pages.
2. The structured-data type the page declares (``Article.page_type``).
3. Text signals, only when the page declares no type: words in the
   extracted body and the share of the page's words that sit inside links.

Every "no" is a short reason slug; the spider counts it in the crawl stats as
``newsarchive/skipped/<reason>``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lxml import etree

from newsarchive.extraction.words import count_words

if TYPE_CHECKING:
    from newsarchive.items import Article
    from newsarchive.sites import SiteConfig


@dataclass(frozen=True)
class UrlRule:
    """A generic pattern for pages that are never articles."""

    reason: str
    pattern: re.Pattern[str]


def _rule(reason: str, pattern: str) -> UrlRule:
    return UrlRule(reason, re.compile(pattern, re.I))


# Matched against the URL path (plus "?query" when there is one). Segment
# boundaries keep "/tags/" from matching "/stages/" or "/author-interview...".
NON_ARTICLE_URL_RULES: tuple[UrlRule, ...] = (
    _rule("not-html", r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|mp[34]|m4a|mov|avi|zip|gz|css|js|json|xml|rss|atom|txt|woff2?)$"),
    _rule("tag", r"/(?:tags?|topics?|keywords?|themen|schlagwort|etiquetas?|tema)(?:/|$)"),
    _rule("author", r"/(?:authors?|profiles?|journalists?|contributors?|columnists?|autor(?:en)?|staff)(?:/|$)"),
    _rule("section", r"/(?:sections?|categor(?:y|ies)|rubri[ck]|ressorts?)(?:/|$)"),
    _rule("video", r"/(?:videos?|watch|podcasts?)(?:/|$)"),
    _rule("gallery", r"/(?:galler(?:y|ies)|photos?|pictures|in-pictures|slideshows?|fotos?|bildergalerie)(?:/|$)"),
    _rule("live-index", r"/(?:live|live-news|liveblogs?)/?$"),
    _rule("pagination", r"(?:/page/\d+/?$|[?&](?:page|p|pg)=\d+(?:&|$))"),
    _rule("archive", r"/\d{4}(?:/\d{1,2}){0,2}/?$"),
    _rule("service", r"/(?:search|login|log-in|signin|sign-in|register|subscribe|subscriptions?|account|newsletters?|contact|about(?:-us)?|privacy|terms|cookies?|feeds?|rss)(?:/|$|\.|\?)"),
)

# An address that looks like a story: a multi-word slug, a long numeric id,
# or a dated path with something after the date.
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}", re.I)
_NUMERIC_ID = re.compile(r"(?:^|[^0-9])\d{5,}(?:[^0-9]|$)")
_DATED = re.compile(r"/(?:19|20)\d{2}/(?:\d{1,2}|[a-z]{3})/(?:\d{1,2}/)?[^/]+")
_PAGE_FILE = re.compile(r"\.s?html?$|\.php$", re.I)

# schema.org types, grouped by what the crawl does with them.
ARTICLE_TYPES: frozenset[str] = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
    "asknewsarticle", "askpublicnewsarticle", "satiricalarticle", "blogposting",
    "liveblogposting", "report", "scholarlyarticle", "techarticle", "socialmediaposting",
})
NON_ARTICLE_TYPES: dict[str, str] = {
    "collectionpage": "section", "itemlist": "section", "searchresultspage": "service",
    "profilepage": "author", "person": "author", "aboutpage": "service",
    "contactpage": "service", "videoobject": "video", "videogallery": "video",
    "imagegallery": "gallery", "mediagallery": "gallery", "website": "section",
}


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def site_decision(url: str, site: SiteConfig | None) -> bool | None:
    """The site's own say: False if denied, True if allowed, None if silent
    (no pattern matched; with allow patterns, that means "not an article")."""
    if site is None:
        return None
    if any(p.search(url) for p in site.deny):
        return False
    if any(p.search(url) for p in site.allow):
        return True
    return None


def non_article_reason(url: str) -> str | None:
    """The generic rule a URL matches, or None: ``"tag"``, ``"author"``..."""
    target = _path_and_query(url)
    if target in {"", "/"}:
        return "home"
    for rule in NON_ARTICLE_URL_RULES:
        if rule.pattern.search(target):
            return rule.reason
    return None


def looks_like_article_url(url: str) -> bool:
    """Shape of a story address, for sites without allow patterns."""
    path = urlsplit(url).path
    last = path.rstrip("/").rsplit("/", 1)[-1]
    stem = _PAGE_FILE.sub("", last)
    if _DATED.search(path):
        return True
    if _NUMERIC_ID.search(stem):
        return True
    return bool(_SLUG.fullmatch(stem)) and len(stem) >= 15


def classify_link(url: str, site: SiteConfig | None) -> str:
    """``"article"``, ``"listing"`` (a section or pagination page worth reading
    for links) or ``"skip:<reason>"`` for a same-site link."""
    decision = site_decision(url, site)
    if decision is False:
        return "skip:site-deny"
    reason = non_article_reason(url)
    if decision is True:
        return "article"
    if reason in {"pagination", "section", "home"}:
        return "listing"
    if reason is not None:
        return f"skip:{reason}"
    if looks_like_article_url(url):
        # A site with allow patterns has told us what its articles look like.
        return "listing" if site is not None and site.allow else "article"
    return "listing"


def page_types(article: Article) -> set[str]:
    """The declared schema.org types, lower-cased, without the vocabulary prefix."""
    raw = article.page_type or ""
    names = re.split(r"[\s,;|]+", str(raw))
    return {n.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for n in names if n}


@dataclass(frozen=True)
class TextSignals:
    """What the page's text says about it."""

    words: int
    """Words in the page's visible text."""

    link_words: int
    """Of those, words inside links."""

    @property
    def link_density(self) -> float:
        return self.link_words / self.words if self.words else 1.0


_NOT_TEXT = ("script", "style", "noscript", "template")
# What ``HtmlElement.text_content()`` runs, without its smart-string result.
_TEXT_OF = etree.XPath("string()", smart_strings=False)


def _first_body(root: Any) -> Any:
    """``root.find(".//body")``, without walking the whole page.

    lxml's tag iterators (behind ``find`` and ``iter``) look for the next
    match before handing over the current one, so finding the one ``<body>``
    scans every element after it: ~85 us on a news page. ``<body>`` is a
    child of ``<html>`` in every tree the HTML parser builds, found here
    after checking that no earlier child holds one (document order).
    """
    for child in root.iterchildren():
        if child.tag == "body":
            return child
        if isinstance(child.tag, str) and len(child) and child.find(".//body") is not None:
            break
    return root.find(".//body")


def text_signals(html_root: object) -> TextSignals:
    """Count visible and linked words under ``<body>`` of an lxml tree.

    Visible: not inside ``script``, ``style``, ``noscript`` or ``template``
    (at any depth, ``<body>``'s own ancestors included). The text of an
    element is gathered in C (XPath ``string()``, which is what
    ``text_content()`` runs); the hidden elements' words are subtracted
    afterwards (once each: one nested in another is skipped), which is
    several times faster than walking every text node from Python. Hidden
    elements and links are found in one ``iter()`` (a C walk matching tag
    names): an XPath testing every element's name and ancestors cost as much
    as the counting, and two walks (one per kind) twice one.
    """
    body = _first_body(html_root) if hasattr(html_root, "iterchildren") else None
    if body is None:
        return TextSignals(0, 0)

    if next(body.iterancestors(*_NOT_TEXT), None) is not None:
        # <body> inside a hidden element: no element under it is an outermost
        # hidden one (nothing is subtracted) and no link is visible.
        return TextSignals(_words(body), 0)
    found = list(body.iter("a", *_NOT_TEXT))
    links = [e for e in found if e.tag == "a"]
    hidden = [e for e in found if e.tag != "a" and next(e.iterancestors(*_NOT_TEXT), None) is None]
    total = _words(body)
    if hidden:
        total -= _words_of(hidden)
        hidden_links = {link for e in hidden for link in e.iter("a")}
        if hidden_links:
            links = [a for a in links if a not in hidden_links]
    # One count over the texts joined by a space counts what a count of
    # each would: the space ends a word, and adds none.
    linked = _words_of(links)
    return TextSignals(max(total, 0), min(linked, max(total, 0)))


def _words(element: Any) -> int:
    return count_words(_TEXT_OF(element))


def _words_of(elements: list[Any]) -> int:
    return count_words(" ".join(map(_TEXT_OF, elements)))


# Link density separates listings from articles whose extracted "body" is a
# handful of teasers; a body this long is an article's, and the page is not
# walked again to check.
LINK_CHECK_BELOW_WORDS = 400


def body_words(article: Article) -> int:
    if article.word_count is not None:
        return article.word_count
    return count_words(article.body)


def page_skip_reason(
    article: Article,
    *,
    site: SiteConfig | None,
    signals: callable | None = None,  # type: ignore[valid-type]
    min_words: int = 80,
    max_link_density: float = 0.5,
) -> str | None:
    """Why a fetched page is not an article to store, or None when it is one.

    ``signals`` is called (no arguments) for TextSignals only when the page
    declares no type, so most article pages are never walked twice.
    """
    urls = [u for u in (article.url, article.canonical_url) if u]
    decisions = [site_decision(u, site) for u in urls]
    if False in decisions:
        return "site-deny"
    if True not in decisions:
        if site is not None and site.allow:
            return "site-not-allowed"
        for url in urls:
            reason = non_article_reason(url)
            if reason is not None and reason != "home":
                return reason
    types = page_types(article)
    if types & ARTICLE_TYPES:
        return None
    for name in sorted(types):
        if name in NON_ARTICLE_TYPES:
            return f"page-type-{NON_ARTICLE_TYPES[name]}"
    words = body_words(article)
    if words < min_words:
        return "few-words"
    if signals is not None and words < LINK_CHECK_BELOW_WORDS:
        found: TextSignals = signals()
        if found.link_density > max_link_density:
            return "link-dense"
    return None
