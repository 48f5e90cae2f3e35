"""Readers of the visible page: headings, byline markup, ``<time>`` and
printed dates, the standfirst.

These are the fallbacks (and the cross-checks) of the structured data. Each
reader is one search of the shared tree (a tag-filtered walk, or a Python
class test per element, first near the headline) plus a walk up the
ancestors of the few matches, to skip what sits in comments, related lists,
footers and sidebars. The tree is only read.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import chain, islice

from lxml import etree
from lxml import html as lxml_html

from newsarchive.extraction.dates import find_modified_date, find_printed_date, not_published_label
from newsarchive.extraction.processors import (
    CJK_AUTHOR_LABELS,
    CREDIT_LABELS,
    JA_BUREAU_WORDS,
    fold,
    normalize_space,
)

# Class/id words of regions that are not the article: a date, byline or
# heading found inside one belongs to a comment, a teaser or the page chrome.
# A word must be a whole segment of a class token ("comment-list",
# "related_posts"), so "commentary" or "elementor-widget" do not match.
FOREIGN_REGION_WORDS: frozenset[str] = frozenset(
    {
        "comment", "comments", "kommentar", "kommentare", "commentaires", "comentarios",
        "related", "recommend", "recommended", "recommendations",
        "sidebar", "mostread", "popular", "trending", "newsletter", "promo", "outbrain",
        "taboola", "breadcrumb", "breadcrumbs", "disqus", "reply", "respond", "pingback",
        "menu", "navigation", "navbar", "masthead", "copyright", "colophon", "widget-area",
    }
)
# Footer tokens that mean the page footer, not an article's own footer
# ("entry-footer" holds the byline on many blogs).
PAGE_FOOTER_TOKENS: frozenset[str] = frozenset(
    {"footer", "site-footer", "page-footer", "global-footer", "main-footer", "footer-wrapper"}
)
FOREIGN_TAGS: frozenset[str] = frozenset({"aside", "nav"})
# Layout modifiers that merely mention a region ("with-sidebar"), and the
# taxonomy classes CMSs put on posts ("category-kommentar", "tag-comments").
_LAYOUT_PREFIXES = ("has-", "with-", "no-", "is-", "category-", "tag-", "type-", "status-",
                    "format-", "term-", "ressort-", "rubrik-", "topic-")
_SEGMENTS = re.compile(r"[-_]+")
# Layout modifiers written after the region's name: "sidebar-included",
# "sidebar-enabled" on the container of the whole content.
_LAYOUT_SUFFIXES = ("-included", "-enabled", "-active", "-visible", "-layout")
# "right-sidebar" is a sidebar; "one-sidebar" is a page layout.
_SIDEBAR_SIDES = frozenset({"left", "right", "primary", "secondary", "main", "site", "page"})


def region_words(el: lxml_html.HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def is_foreign_container(el: lxml_html.HtmlElement) -> bool:
    """True when the element's class/id says comment, related list, sidebar..."""
    cls, ident = el.get("class"), el.get("id")
    if not cls and not ident:
        return False
    return _foreign_words(f"{cls or ''} {ident or ''}".lower())


@lru_cache(maxsize=8192)
def _foreign_words(words: str) -> bool:
    # Cached: pages of one site repeat the same class strings on every page.
    tokens = words.split()
    for token in tokens:
        if token in PAGE_FOOTER_TOKENS:
            if _own_footer(tokens):
                continue
            return True
        if token.startswith(_LAYOUT_PREFIXES) or token.endswith(_LAYOUT_SUFFIXES) or "__with-" in token:
            continue
        if token in FOREIGN_REGION_WORDS:
            return True
        if "-" in token or "_" in token:
            segments = [seg for seg in _SEGMENTS.split(token) if seg]
            if not segments:
                continue
            first, last = segments[0], segments[-1]
            # "comment-list", "related_posts", "post-comments"; a word in the
            # middle ("sticky-sidebar-parent") describes a layout.
            if first in FOREIGN_REGION_WORDS:
                return True
            if last in FOREIGN_REGION_WORDS and (last != "sidebar" or first in _SIDEBAR_SIDES):
                return True
            if "most" in segments and "read" in segments:
                return True
            # "pane-blog-related-stories", "block-recommended-articles": a
            # related list whatever the words around it ("sidebar" alone
            # in the middle describes a layout).
            if "related" in segments or "recommended" in segments:
                return True
    return False


def _own_footer(tokens: list[str]) -> bool:
    """"footer article-footer": the article's own footer (author, dates,
    licence), not the page's."""
    return any(t.endswith("footer") and t.startswith(ARTICLE_CLASS_PREFIXES) for t in tokens)


def in_foreign_region(
    el: lxml_html.HtmlElement, *, max_depth: int = 25, layout: tuple[lxml_html.HtmlElement, ...] = ()
) -> bool:
    """True when ``el`` sits in a comment thread, related list, footer, sidebar...

    ``layout``: containers classed like such regions that are not (they hold
    the headline: "content-wrapper right-sidebar" around the whole post)."""
    node = el.getparent()
    depth = 0
    pending_footer = False
    while node is not None and depth < max_depth:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in FOREIGN_TAGS:
            return True
        if tag in {"body", "html"}:
            return pending_footer
        if tag == "footer":
            pending_footer = True
        elif tag in {"article", "main"}:
            # A <footer> inside the article is the article's own footer.
            pending_footer = False
        if is_foreign_container(node) and node not in layout:
            return True
        node = node.getparent()
        depth += 1
    return pending_footer


# Stems of the update labels ``dates.find_modified_date`` reads (de, en, fr,
# es, it, nl): a cheap test before it.
UPDATE_WORDS = ("updat", "aktualis", "änder", "modif", "mis à jour", "actualiz", "aggiorn", "bijgewerkt")


def _labelled_date_line(el: lxml_html.HtmlElement) -> str | None:
    """The block's text when it starts with a date label, else its line
    after a <br> that does ("Letzte Änderung: 31.10.2023<br>Erschienen am:
    01.11.2023": the label starts a line of its own)."""
    start = (el.text or "").lstrip()[:40]
    if start and DATE_LABEL_START.match(start):
        return element_text(el)
    return next((br.tail.strip() for br in el.iterchildren("br")
                 if br.tail and DATE_LABEL_START.match(br.tail.lstrip()[:40])), None)


def _line_elements_after(anchor: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """The divs, spans and list items after ``anchor`` in document order."""
    node: lxml_html.HtmlElement | None = anchor
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter("div", "span", "li")
        node = node.getparent()


def _first_lines(
    lines: Iterable[tuple[str | None, lxml_html.HtmlElement]], size: int = 200, count: int = 3
) -> list[str]:
    """The first ``count`` lines of at most ``size`` characters, outside
    comments, footers and sidebars; the elements are judged lazily."""
    out: list[str] = []
    for line, el in lines:
        if line and len(line) <= size and not in_foreign_region(el):
            out.append(line)
            if len(out) >= count:
                break
    return out


def _published_in_stamp(el: lxml_html.HtmlElement) -> str | None:
    """The publication date a <time> prints before its update ("Dec. 6,
    2024, 10:00 PM UTC / Updated Dec. 7, 2024"), when its ``datetime`` may
    be the update; None when it prints no update."""
    text = element_text(el)
    # Two dates and a label, else the date scans are not worth running.
    if not text or not 20 <= len(text) <= 200 or not any(w in text.lower() for w in UPDATE_WORDS):
        return None
    if find_modified_date(text) is None:
        return None
    printed = find_printed_date(text)
    return printed[1] if printed else None


def _in_page_header(el: lxml_html.HtmlElement) -> bool:
    """True when ``el`` sits in the site's own <header> (outside any
    <article>/<main>, holding no h1/h2): a date there is the day the page
    was served ("Mittwoch, 01. November 2023" beside the logo), not the
    article's."""
    header = None
    for node in el.iterancestors():
        tag = node.tag
        if tag in {"article", "main"}:
            return False
        if tag == "header" and header is None:
            header = node
    return header is not None and next(header.iter("h1", "h2"), None) is None


# Where a printed date starts: its first digit.
_DATE_START = re.compile(r"\d")


def _first_line(el: lxml_html.HtmlElement) -> str | None:
    """The element's text up to its first <br>: "Von A und B<br>Kakuma,
    Kenia" is a byline, then a dateline."""
    if not any(True for _ in el.iter("br")):
        return element_text(el, spaced=True)
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                break
            if node.text and isinstance(node.tag, str):
                parts.append(node.text)
        elif node is not el and node.tail:
            parts.append(node.tail)
    text = " ".join(" ".join(parts).split())
    return text or None


_COMMENT_WORDS = frozenset({"comment", "comments", "kommentar", "kommentare", "commentaires",
                            "comentarios", "reply", "respond", "disqus"})


def _in_comment_region(el: lxml_html.HtmlElement) -> bool:
    for node in el.iterancestors():
        words = region_words(node)
        if words and any(seg in _COMMENT_WORDS for seg in _SEGMENTS.split(words.replace(" ", "-"))):
            return True
    return False


# Inline elements whose text readers do not see, or see as a separate label.
_HIDDEN_WORDS = ("visually-hidden", "sr-only", "screen-reader", "hidden", "offscreen", "a11y")
# Classes of text no reader sees, for text searched as a whole (a date near
# the headline): not a bare "hidden", which is also "overflow-hidden" on a
# container of the whole article. "rich-snippet-hidden" holds stamps written
# for search engines ("updated" before the printed day).
UNSEEN_WORDS = ("snippet-hidden", "visually-hidden", "sr-only", "screen-reader")
# Kickers/overlines inside a heading ("Klimaschutz" above "Bohren, bis es
# heiß wird"): a label set above the headline, not part of it.
KICKER_WORDS: tuple[str, ...] = (
    "kicker", "overline", "dachzeile", "topline", "roofline", "eyebrow", "supertitle",
    "pretitle", "pre-title", "rubric", "spitzmarke", "label", "flag", "tagline",
)
_BLOCK_TAGS = frozenset({"br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "td", "th", "tr", "table", "section", "article", "header", "footer",
                         "figure", "figcaption", "blockquote", "dd", "dt", "address"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "button", "select"})


class _EnoughText(Exception):
    """Stops ``element_text``'s walk once the text wanted has been read."""


# Characters read past ``limit`` before the walk stops: what follows can
# only change the end of the text read so far (a run of white space, an
# entity cut in two, ~33 characters at most), never its first ``limit``.
_LIMIT_MARGIN = 64


def element_text(
    el: lxml_html.HtmlElement,
    *,
    skip_words: tuple[str, ...] = (),
    spaced: bool = False,
    limit: int | None = None,
) -> str | None:
    """Visible text of an element as printed: inline elements joined without
    added spaces, block elements separated; scripts, styles and (optionally)
    children whose class holds one of ``skip_words`` left out. ``spaced``
    puts a space at every element boundary ("<span>By</span><a>Jane</a>"),
    which CSS usually does visually, for text that will be split into names.

    ``limit``: only the text's first ``limit`` characters are wanted (the
    result is ``element_text(el)[:limit]``); the walk stops once they are
    certain, instead of reading a region that may be the whole article."""
    parts: list[str] = []
    if limit is None:
        _text_walk(el, el, parts, skip_words, spaced, None, [0])
        return normalize_space("".join(parts))
    try:
        # Parts collected before the text read so far is measured; doubled
        # after each measure, so that measuring costs at most the text's size.
        _text_walk(el, el, parts, skip_words, spaced, limit, [64])
    except _EnoughText:
        pass
    # Not the cached normalize_space: the text is long and read only once.
    text = _normalize_uncached("".join(parts))
    return text[:limit] if text else None


_normalize_uncached = normalize_space.__wrapped__


def _text_walk(
    node: lxml_html.HtmlElement,
    el: lxml_html.HtmlElement,
    parts: list[str],
    skip_words: tuple[str, ...],
    spaced: bool,
    limit: int | None,
    check: list[int],
) -> None:
    """``element_text``'s walk of ``node`` under ``el``. A function of the
    module, not a closure: a closure that calls itself is a reference cycle,
    which kept the page's tree alive until the garbage collector's next pass."""
    if limit is not None and len(parts) >= check[0]:
        check[0] *= 2
        if len(_normalize_uncached("".join(parts)) or "") >= limit + _LIMIT_MARGIN:
            raise _EnoughText
    tag = node.tag if isinstance(node.tag, str) else ""
    skip = not tag or tag in _SKIP_TAGS
    if not skip and skip_words and node is not el:
        words = node.get("class")
        if words:
            words = words.lower()
            skip = any(w in words for w in skip_words)
    if skip:
        if node is not el and node.tail:
            parts.append(node.tail)
        return
    block = spaced or tag in _BLOCK_TAGS
    if block:
        parts.append(" ")
    if node.text:
        parts.append(node.text)
    for child in node:
        _text_walk(child, el, parts, skip_words, spaced, limit, check)
    if block:
        parts.append(" ")
    if node is not el and node.tail:
        parts.append(node.tail)


# A subtitle set inside the heading ("<h1>Title <small class="article-subtitle">…")
_SUBTITLE_WORDS = ("subtitle", "sub-title", "subheadline", "standfirst", "dek")


def heading_text(el: lxml_html.HtmlElement) -> str | None:
    """A heading's text without kicker labels, subtitles set inside it and
    screen-reader-only text."""
    text = element_text(el, skip_words=KICKER_WORDS + _SUBTITLE_WORDS + _HIDDEN_WORDS)
    if text:
        text = text.strip(" :|–—-·")
        parts = _title_part(el)
        if parts is not None and fold(text) == fold(parts[1]):
            # No class word set the kicker or subtitle apart (a hash, or
            # none): the heading's build does.
            text = parts[0]
    return text or element_text(el)


# Inline elements that set a heading's kicker and title apart.
_HEADING_PART_TAGS = frozenset({"span", "small"})
_SEPARATORS = " \t\r\n\xa0:|–—-·"


def _title_part(el: lxml_html.HtmlElement) -> tuple[str, str] | None:
    """(title, both parts) of a heading built of two spans and nothing else
    but a separator ("<h1><span>Klimaschutz</span><span>: </span><span>Bohren,
    bis es heiß wird</span></h1>"): the second, when the first is a short
    label (a kicker) shorter than it; the first, when the second is in
    ``<small>`` (a subtitle)."""
    if el.text and el.text.strip(_SEPARATORS):
        return None
    parts: list[tuple[str, str]] = []
    for child in el:
        if child.tail and child.tail.strip(_SEPARATORS):
            return None
        if not isinstance(child.tag, str):
            continue
        if child.tag not in _HEADING_PART_TAGS:
            return None
        text = (element_text(child) or "").strip(_SEPARATORS)
        if text:
            parts.append((child.tag, text))
    if len(parts) != 2:
        return None
    (_first_tag, first), (second_tag, second) = parts
    if second_tag == "small":
        return first, f"{first} {second}"
    if len(first.split()) > 6 or len(first) >= len(second):
        return None
    return second, f"{first} {second}"


# The class searches of this module are Python tests over ``iter()``, not
# XPath contains() queries: libxml2 copies the attribute's value for every
# contains(), so one byline query cost 17 ms on a 10,000-element page and the
# class searches were a third of the loader's time. One Python pass over the
# same elements costs less than half, stops early when only the first few
# matches are used, and can leave out a subtree that was searched already.


def _is_heading_fallback(el: lxml_html.HtmlElement) -> bool:
    """An h2 classed "title"/"headline", or an "entry-title"/"post-title"... element."""
    cls = el.get("class")
    if not cls:
        return False
    if el.tag == "h2" and ("title" in cls or "headline" in cls):
        return True
    return "entry-title" in cls or "post-title" in cls or "article-title" in cls or "article__title" in cls


def _is_byline_candidate(el: lxml_html.HtmlElement) -> bool:
    """Byline markup: rel=author, <address>, an author/byline class or id,
    or a link to an author page ("/author/jane-doe", "/autoren/...", "/staff/...").
    "uthor" stands for author/Author, "yline" for byline/Byline."""
    # The attribute names first (one call): most elements have none, or
    # only a class, and are then spared the other look-ups.
    keys = el.keys()
    if not keys:
        return el.tag == "address"
    get = el.get
    if "class" in keys:
        cls = get("class")
        if "uthor" in cls or "yline" in cls or "autor" in cls:
            return True
    tag = el.tag
    if tag == "address":
        return True
    if "rel" in keys and get("rel") == "author":
        return True
    if "id" in keys and "uthor" in get("id"):
        return True
    if "data-testid" in keys and "yline" in get("data-testid"):
        return True
    if tag == "a" and "href" in keys:
        # Spelled out (AUTHOR_PATH_PARTS): cheaper than a call on every link.
        href = get("href")
        return ("/author" in href or "/autor" in href or "/auteur" in href or "/staff/" in href or "/journalist" in href
                or "/writer/" in href or "/contributor/" in href or "/redaktion/" in href)
    return False


def _is_time_candidate(el: lxml_html.HtmlElement) -> bool:
    """An element (not <time> or <meta>, which are read apart) whose class
    says date, time, publication or meta line."""
    cls = el.get("class")
    if cls is None or el.tag in {"time", "meta"}:
        return False
    # Spelled out: any() over a tuple costs a generator per element.
    return ("date" in cls or "Date" in cls or "publi" in cls or "datum" in cls or "fecha" in cls
            or "time" in cls or "meta" in cls)


def _is_submitted(el: lxml_html.HtmlElement) -> bool:
    cls = el.get("class")
    return cls is not None and "submitted" in cls


def _has_author_class(el: lxml_html.HtmlElement) -> bool:
    cls = el.get("class")
    return cls is not None and "uthor" in cls


def _iter_matching(
    root: lxml_html.HtmlElement,
    test: Callable[[lxml_html.HtmlElement], bool],
    *,
    include_self: bool = False,
    skip: lxml_html.HtmlElement | None = None,
    known: Mapping[int, tuple[lxml_html.HtmlElement, list[lxml_html.HtmlElement]]] | None = None,
) -> Iterator[lxml_html.HtmlElement]:
    """The elements under ``root`` (and ``root`` itself with ``include_self``)
    that pass ``test``, in document order, lazily.

    ``skip`` is tested but its descendants are not: a region searched before
    the whole page. ``known`` maps ``id(element)`` to (element, the elements
    of its subtree, itself included, that passed ``test``), for subtrees
    searched already: their matches are taken as they are, not walked again."""
    if skip is None and not known:
        elements = root.iter(etree.Element)
        if not include_self:
            next(elements, None)
        # filter() calls the test from C: no generator frame per element.
        return filter(test, elements)
    return _iter_matching_walk(root, test, include_self, skip, known or {})


def _iter_matching_walk(
    root: lxml_html.HtmlElement,
    test: Callable[[lxml_html.HtmlElement], bool],
    include_self: bool,
    skip: lxml_html.HtmlElement | None,
    known: Mapping[int, tuple[lxml_html.HtmlElement, list[lxml_html.HtmlElement]]],
) -> Iterator[lxml_html.HtmlElement]:
    """``_iter_matching`` with subtrees left out, in document order: every
    subtree that holds no left-out element is walked by lxml (``iter()``
    filtered in C), and only the elements on the way down to a left-out
    one are stepped through in Python. A Python walk of every element
    (``iterwalk`` and a test of each event) cost ~2.4x as much a page.
    Elements only, as in the plain search: the iterwalk also gave the tests
    comments and entities, which none of them passes."""
    if root is skip:
        if include_self and test(root):
            yield root
        return
    # The left-out elements under root -> None (skip: tested, its subtree
    # not) or the matches already found in its subtree; and their ancestors
    # below root, which are walked child by child.
    cut: dict[lxml_html.HtmlElement, list[lxml_html.HtmlElement] | None] = {}
    on_path: set[lxml_html.HtmlElement] = set()

    def under_root(el: lxml_html.HtmlElement) -> bool:
        path = []
        for anc in el.iterancestors():
            if anc is root or anc in on_path:
                on_path.update(path)
                return True
            path.append(anc)
        return False

    for el, matches in known.values():
        if el is not root and under_root(el):
            cut[el] = matches
    if skip is not None and under_root(skip):
        cut[skip] = None  # skip wins over a known entry for the same element

    if include_self and test(root):
        yield root
    yield from _walk_cut(root, test, cut, on_path)


def _walk_cut(
    node: lxml_html.HtmlElement,
    test: Callable[[lxml_html.HtmlElement], bool],
    cut: Mapping[lxml_html.HtmlElement, list[lxml_html.HtmlElement] | None],
    on_path: set[lxml_html.HtmlElement],
) -> Iterator[lxml_html.HtmlElement]:
    """``_iter_matching_walk``'s walk below ``node``. A function of the
    module, not a closure: a closure that calls itself is a reference cycle,
    which kept the page's tree alive until the garbage collector's next pass."""
    for child in node.iterchildren(etree.Element):
        if child in cut:
            matches = cut[child]
            if matches is None:
                if test(child):
                    yield child
            else:
                yield from matches
        elif child in on_path:
            if test(child):
                yield child
            yield from _walk_cut(child, test, cut, on_path)
        else:
            yield from filter(test, child.iter(etree.Element))


# Class/id/itemprop words of a dek printed under the headline.
STANDFIRST_WORDS: tuple[str, ...] = (
    "standfirst", "dek", "subtitle", "sub-title", "subheadline", "subhead", "lede", "lead",
    "intro", "summary", "teaser-text", "excerpt", "description", "alternativeheadline",
    "kicker-text", "vorspann", "chapo", "entradilla", "bajada", "sottotitolo",
)

# Short blocks that may hold an unmarked byline ("<p>Von Jane Doe</p>").
_LABEL_TAG_ORDER = ("p", "em", "strong", "h5", "h6", "address", "b")
# How an unmarked byline starts, per language (en, de, fr, es/pt, it, nl, ar).
# A dash, slash or dot before the label is decoration ("// By Jane Doe • Nov 11").
# Chinese, Japanese and Korean bylines start with a label
# (processors.CJK_AUTHOR_LABELS, per language), maybe in a bracket: "（记者
# 张明）", "文/李晓燕", "記者：山本 美咲"; or, closing a Japanese article, with
# a bureau in a bracket: "（金沢支局　山本 美咲、福井支局　中村 健太）".
_CJK_LABELS = sorted({w for ws in CJK_AUTHOR_LABELS.values() for w in ws}, key=len, reverse=True)
_CJK_BYLINE_START = (
    # The look-ahead (a bracket or a label's first character) fails at once
    # on the Latin-script blocks of most pages.
    r"(?=[(（【〔" + "".join(sorted({w[0] for w in _CJK_LABELS})) + r"])"
    + r"[(（【〔]?(?:" + "|".join(_CJK_LABELS) + r")\s*[:：/／\s]"
    + r"|[(（][^\s()（）]{0,12}(?:" + "|".join(JA_BUREAU_WORDS) + r")\s"
)
BYLINE_LABEL_START = re.compile(
    r"^(?:[\s/|·•–—-]*(?:by|written by|posted by|submitted by|text von|text:|geschrieben von|gespeichert von|"
    r"verfasst von|eingestellt von|von|autor(?:in)?\s*:|publié par|"
    r"author\s*:|auteur\s*:|par|por|escrito por|di|door|كتب|كتبت|بقلم)(?:\s*:)?\s|" + _CJK_BYLINE_START + ")",
    re.I,
)

# A relative date as a meta line starts with it, per language (de, es, pt,
# fr, en, it, nl, pl, sv), and the separator after it.
RELATIVE_DATE_LEADS: dict[str, str] = {
    "de": r"vor \d+ \w+", "es": r"hace \d+ \w+", "pt": r"há \d+ \w+", "fr": r"il y a \d+ \w+",
    "en": r"\d+ \w+ ago", "it": r"\d+ \w+ fa", "nl": r"\d+ \w+ geleden", "pl": r"\d+ \w+ temu",
    "sv": r"för \d+ \w+ sedan",
}
_RELATIVE_DATE_LEAD = re.compile(
    r"^(?:" + "|".join(RELATIVE_DATE_LEADS.values()) + r")\s*[·•|/–—-]\s*(?=\S)", re.I)


def _bare_label(text: str) -> bool:
    """Whether ``text`` is a byline label and nothing else ("Written by", "Von:")."""
    match = BYLINE_LABEL_START.match(text + " ")
    return match is not None and match.end() >= len(text)


# Class words of the element that prints a post's poster on forums and
# community sites ("username", "MtnCommentAccountName", "postername").
POSTER_CLASS_WORDS: tuple[str, ...] = ("username", "user-name", "accountname", "account-name", "postername", "poster-name")


def _is_poster_name(el: lxml_html.HtmlElement) -> bool:
    cls = el.get("class")
    if not cls:
        return False
    cls = cls.lower()
    return any(w in cls for w in POSTER_CLASS_WORDS)


# An author label that ends a text line after a <br>, per language (de,
# en, fr, it, es): only with its colon, since "von"/"by" start sentences too.
SIGNED_LABEL_START = re.compile(r"^\s*(?:autor(?:in)?|author|auteur|autore|text|texto)\s*:", re.I)

# How a printed publication date is introduced, per language.
DATE_LABEL_START = re.compile(
    r"^\s*(?:published|posted|first published|originally published|veröffentlicht|erschienen|publiziert|"
    r"erstveröffentlichung|erstmals (?:veröffentlicht|erschienen)|zuerst erschienen|"
    r"publié|publicado|pubblicato|gepubliceerd|opublikowano)\b",
    re.I,
)

# Two to four capitalised words: a name on a date line ("Jane M. Doe").
_NAME_LINE = re.compile(r"^(?:[^\W\d_][\w'’.-]*\s+){1,3}[^\W\d_][\w'’.-]*$")
_LABEL_TAGS = frozenset({"p", "em", "strong", "h5", "h6", "address", "b"})
_AUTHOR_BOX_CLASS = re.compile(r"author-bio|author-box|about-author|authorbox|author-info")
# The box's name: its first heading, else a name-classed element.
_AUTHOR_BOX_NAME = etree.XPath(
    "(.//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or contains(@class, 'name')])"
)
# Bounded, so that a long page is not walked to its end.
_NO_TEXT_TAGS = frozenset({"script", "style", "noscript", "title", "head", "template"})


def _texts_in(el: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """(text, parent element) of the non-blank texts inside ``el``, in order."""
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if isinstance(node.tag, str) and node.tag not in _NO_TEXT_TAGS and node.text and node.text.strip():
                yield node.text.strip(), node
        elif node is not el and node.tail and node.tail.strip():
            yield node.tail.strip(), node.getparent()


def _texts_after(anchor: lxml_html.HtmlElement) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """The texts that follow ``anchor`` in document order, lazily: an XPath
    ``following::text()`` would collect the rest of the page first."""
    node = anchor
    while node is not None and node.tag not in {"body", "html"}:
        if node.tail and node.tail.strip():
            yield node.tail.strip(), node.getparent()
        for sib in node.itersiblings():
            if isinstance(sib.tag, str):  # comments and processing instructions hold no text
                yield from _texts_in(sib)
            if sib.tail and sib.tail.strip():
                yield sib.tail.strip(), sib.getparent()
        node = node.getparent()


def _texts_before(anchor: lxml_html.HtmlElement, levels: int = 2) -> Iterator[tuple[str, lxml_html.HtmlElement]]:
    """The texts right before ``anchor``, nearest first, within ``levels``
    levels of its ancestors (a date line or kicker above the heading)."""
    node = anchor
    for _ in range(levels + 1):
        if node is None or node.tag in {"body", "html"}:
            return
        for sib in node.itersiblings(preceding=True):
            if sib.tail and sib.tail.strip():
                yield sib.tail.strip(), sib.getparent()
            if isinstance(sib.tag, str):
                yield from reversed(list(_texts_in(sib)))
        parent = node.getparent()
        if parent is not None and parent.text and parent.text.strip():
            yield parent.text.strip(), parent
        node = parent

# An author page's address: "/author/jane-doe", "/autoren/x", "/auteur/jane-doe"
# (fr), "/staff/jane/", "/author.php?id=3", "/author-jane-doe"; not
# "/authorize", "/authorities/…" or "/autorennen/…".
_AUTHOR_PAGE = re.compile(
    r"/(?:author|authors|autor|autoren|autorin|auteur|auteurs|staff|journalist|journalists)(?:[/?.#=_-]|$)"
    # Folders that also hold the desk's or the programme's own page ("/redaktion/",
    # "/contributors/"): a person's page only with a name after them.
    r"|/(?:writer|writers|contributor|contributors|redaktion)/[^\W\d_][\w.-]*[^/]*/?$",
    re.I,
)
# The same folders as substrings, tested first on every link of the page
# (one search in C: a loop over the words ran for every link).
AUTHOR_PATH_PARTS: tuple[str, ...] = ("/author", "/autor", "/auteur", "/staff/", "/journalist", "/writer/",
                                      "/contributor/", "/redaktion/")
_AUTHOR_PATH_PART = re.compile("|".join(map(re.escape, AUTHOR_PATH_PARTS)))
_SITE_HEADING_TAGS = frozenset({"h1", "h2", "h3"})
# A forum's or community's member page: "/user/jane77.html", "/profile/1234",
# "/user-uebersicht/?u=79003", "/mitglied/jane".
_MEMBER_PAGE_WORDS = "user|users|profile|profiles|member|members|benutzer|mitglied|mitglieder"
MEMBER_PAGE = re.compile(rf"/(?:{_MEMBER_PAGE_WORDS})(?:[/?.=_-]|$)", re.I)
# A member's or author's page: the above, or "/author/jane-doe/".
_PROFILE_PAGE = re.compile(rf"/(?:{_MEMBER_PAGE_WORDS}|author|authors|autor|autoren|auteur|auteurs)(?:[/?.=_-]|$)", re.I)


def in_teaser_link(el: lxml_html.HtmlElement, *, max_depth: int = 6) -> bool:
    """Whether ``el`` sits inside a link to another page: a teaser card
    ("<a href="/other-story"><h3>…</h3><div class="author">Von Jane
    Doe</div></a>") whose byline is that article's, not this one's. A link
    to an author's or member's page is the byline itself."""
    node = el.getparent()
    for _ in range(max_depth):
        if node is None:
            return False
        if node.tag == "a":
            href = node.get("href")
            return bool(href) and not href.startswith("#") and not _PROFILE_PAGE.search(href)
        node = node.getparent()
    return False


def _is_author_link(el: lxml_html.HtmlElement) -> bool:
    href = el.get("href")
    return href is not None and _AUTHOR_PATH_PART.search(href) is not None

# A photo credit in author-classed markup ("© Agency/Jane Doe", "Foto: Jane
# Doe"; labels per language in processors.CREDIT_LABELS) names who holds a
# picture's rights, not who wrote the article ("Text & Fotos: …" is a byline).
_CREDIT_START = re.compile(
    r"^\s*(?:©|\(c\)\s|copyright\b|(?:"
    + "|".join(re.escape(label) for label in sorted({l for ls in CREDIT_LABELS.values() for l in ls}, key=len, reverse=True))
    + r")\s*:)",
    re.I,
)

# Class words of byline elements that hold something else than the byline.
_NOT_BYLINE_WORDS = ("author-description", "author-image", "author-avatar", "avatar",
                     "author-social", "author-follow", "author-photo", "author-img", "author-bio",
                     # "authority-control" (library identifiers), "authorize" links
                     "authori")
_PUBLISHED_WORDS = ("publish", "pubdate", "created", "posted", "entry-date", "post-date",
                    "article-date", "date-time", "datetime", "dateline", "byline", "story-date")
_MODIFIED_WORDS = ("updated", "modified", "update")
_REGION_STOP = frozenset({"article", "main", "body", "html"})


# Class/id words of a heading that is the site's name, not a headline.
SITE_HEADING_WORDS: tuple[str, ...] = (
    "logo", "site-title", "sitetitle", "site-name", "sitename", "blog-title", "blogtitle",
    "brand", "masthead", "titlewrapper", "header-title", "blog-name", "site-header",
)


# Class words that make a site word the article's own: "article-header-title",
# "post-header-title" and "entry-header-title" hold the story's headline.
ARTICLE_CLASS_PREFIXES: tuple[str, ...] = ("article", "post", "entry", "story", "single")


def _names_site(words: str) -> bool:
    """Whether a class/id string has a site-heading word outside an article's own class."""
    if not any(w in words for w in SITE_HEADING_WORDS):
        return False
    return any(w in token for token in words.split() if not token.startswith(ARTICLE_CLASS_PREFIXES)
               for w in SITE_HEADING_WORDS)


# A heading of fewer words repeated in the <title> may be a box's title ("Archiv").
TITLE_REPEAT_MIN_WORDS = 3


def _repeated_in(folded: str, padded_title: str) -> bool:
    """Whether a folded heading of ``TITLE_REPEAT_MIN_WORDS`` words or more is
    a run of whole words of ``padded_title`` (folded, with a space either side)."""
    return folded.count(" ") + 1 >= TITLE_REPEAT_MIN_WORDS and f" {folded} " in padded_title


def is_site_heading(el: lxml_html.HtmlElement) -> bool:
    """A heading that names the site: a logo, a "site-title", or a link to the home page."""
    for node in (el, el.getparent()):
        if node is None:
            continue
        if _names_site(region_words(node)):
            return True
    link = el.find(".//a[@href]")
    if link is not None:
        href = link.get("href", "").strip()
        path = href.split("://", 1)[-1]
        path = path[path.find("/") :] if "/" in path else ""
        if href.startswith(("http://", "https://", "//")) and path in ("", "/", "/."):
            return True
        if href in ("/", "./", "../"):
            return True
    return False


# The elements VisiblePage collects up front.
VISIBLE_TAGS: tuple[str, ...] = ("h1", "time", "figure", "title")


class VisiblePage:
    """Lazy readers of the visible page.

    Only the headings, ``<time>``, ``<figure>`` and ``<title>`` elements are
    collected up front (one C-level pass over the tree); class-based searches
    for bylines, printed dates and the standfirst run only when the
    structured data did not answer, and first in the headline's region.
    """

    def __init__(
        self,
        doc: lxml_html.HtmlElement,
        max_each: int = 12,
        elements: Iterable[lxml_html.HtmlElement] | None = None,
    ) -> None:
        """``elements``: the page's elements of ``VISIBLE_TAGS`` (others are
        ignored) in document order, when the caller walked the tree already."""
        self.doc = doc
        self.max_each = max_each
        self._layout: tuple[lxml_html.HtmlElement, ...] | None = None
        self.h1s: list[lxml_html.HtmlElement] = []
        self.time_elements: list[lxml_html.HtmlElement] = []
        self.figures: list[lxml_html.HtmlElement] = []
        title_el = None
        for el in doc.iter(*VISIBLE_TAGS) if elements is None else elements:
            tag = el.tag
            if tag == "h1":
                self.h1s.append(el)
            elif tag == "time":
                self.time_elements.append(el)
            elif tag == "figure":
                self.figures.append(el)
            elif tag == "title" and title_el is None:
                title_el = el
        self.title = element_text(title_el) if title_el is not None else None
        self._headings: list[tuple[str, lxml_html.HtmlElement]] | None = None
        self.site_headings: list[str] = []
        # Whether an "entry-title" element may stand in for h1s that all name
        # the site: set by the headline choice when the structured data has
        # no title (the search walks the page; with a title it is not needed).
        self.entry_title_fallback = False
        # (byline_after_headline(),) once read: None there is a finding too.
        self._after_headline: tuple[str | None] | None = None
        self._byline_cache: dict[tuple[int, int], list[tuple[str, str, str]]] = {}
        self._near_bylines: list[tuple[str, str, str]] | None = None
        # The blocks next to the headline searched for byline markup, with
        # their matches: the search of the region and page does not redo them.
        self._near_matches: dict[int, tuple[lxml_html.HtmlElement, list[lxml_html.HtmlElement]]] = {}
        self._region: lxml_html.HtmlElement | None = None
        self._anchor: lxml_html.HtmlElement | None = None
        self._submitted: list[str] | None = None
        self._author_links: list[str] | None = None
        self._label_elements: list[lxml_html.HtmlElement] | None = None
        self._label_blocks: dict[int, list[lxml_html.HtmlElement]] = {}
        self._times: dict[int, list[tuple[str, str]]] = {}

    # -- headings ---------------------------------------------------------

    def heading_elements(self) -> list[tuple[str, lxml_html.HtmlElement]]:
        if self._headings is None:
            found: list[tuple[str, lxml_html.HtmlElement]] = []
            candidates = self.h1s[: self.max_each]
            if not candidates:
                candidates = self._fallback_headings()
            self._collect_headings(candidates, found)
            if not found and self.h1s:
                # Every h1 sits in a "sidebar"/"navigation" container: on such
                # pages the class names the layout ("content_block
                # right-sidebar"), since the page's own h1 is its title.
                for el in self.h1s[: self.max_each]:
                    if is_site_heading(el) or _in_comment_region(el):
                        continue
                    text = heading_text(el)
                    if text and len(text) < 400:
                        found.append((text, el))
            if not found and self.h1s and self.title and self.entry_title_fallback:
                # Every h1 is the site's name (old blog themes, a logo in the
                # header): the post's title is an "entry-title"/"post-title"
                # element, when the <title> repeats it (sidebar boxes are
                # "widget-title" h2s too, and "Archiv" is in "Blog Archiv »").
                title = f" {fold(self.title)} "
                self._collect_headings((el for el in self._fallback_headings()
                                        if _repeated_in(fold(element_text(el)), title)), found)
            self._headings = found
        return self._headings

    def _fallback_headings(self) -> list[lxml_html.HtmlElement]:
        return list(islice(_iter_matching(self.doc, _is_heading_fallback), self.max_each))

    def _collect_headings(self, candidates: Iterable[lxml_html.HtmlElement],
                          found: list[tuple[str, lxml_html.HtmlElement]]) -> None:
        for el in candidates:
            if in_foreign_region(el):
                continue
            if is_site_heading(el):
                # The site's name as printed: evidence for stripping titles.
                name = element_text(el)
                if name and len(name) < 80:
                    self.site_headings.append(name)
                continue
            text = heading_text(el)
            if text and len(text) < 400:
                found.append((text, el))

    @property
    def headings(self) -> list[str]:
        return [text for text, _el in self.heading_elements()]

    def set_headline(self, headline: str | None) -> None:
        """Anchor the region searches on the heading that was chosen."""
        self._after_headline = None  # read from the new anchor
        self._layout = None
        key = fold(headline)
        for text, el in self.heading_elements():
            if fold(text) == key or (key and key in fold(text)):
                self._region = self._region_of(el)
                self._anchor = el
                return
        if key and not self.heading_elements():
            # No headline element, or only the site's name in an h1 (forums,
            # old blog themes): the post's title is printed as an h2, the
            # anchor of the byline and date searches.
            for el in islice(self.doc.iter("h2"), 40):
                if fold(element_text(el)) == key and not in_foreign_region(el):
                    self._region = self._region_of(el)
                    self._anchor = el
                    return

    def _region_of(self, el: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
        """Up to two levels above the headline, never the page's top-level
        wrapper (which would be the whole page again)."""
        node = el
        for _ in range(2):
            parent = node.getparent()
            if parent is None or parent.tag in {"body", "html"}:
                break
            grand = parent.getparent()
            if node is not el and (grand is None or grand.tag in {"body", "html"}):
                break
            node = parent
            if node.tag in _REGION_STOP:
                break
        return node

    def regions(self) -> list[lxml_html.HtmlElement]:
        """Where to look for bylines and dates: near the headline, then everywhere."""
        out = []
        if self._region is None:
            headings = self.heading_elements()
            if headings:
                self._region = self._region_of(headings[0][1])
        # A region that is the whole page is searched once, as the page.
        if self._region is not None and self._region.tag not in {"html", "body"}:
            out.append(self._region)
        out.append(self.doc)
        return out

    # -- bylines ----------------------------------------------------------

    def bylines(self, region_only: bool = False) -> list[tuple[str, str, str]]:
        """(kind, text, printed) of byline elements: kind is "rel", "byline",
        "link" (a link to an author page) or "class"; ``text`` has spaces at
        element boundaries, ``printed`` is as shown.

        ``region_only`` looks only next to the headline: the few siblings
        before and after the heading and its parent, where bylines sit.
        """
        if region_only:
            if self._near_bylines is None:
                found: list[tuple[str, str, str]] = []
                # A headline that itself sits in a "navigation"/"sidebar"
                # container (a layout class on the whole content) makes that
                # container's verdict meaningless for its neighbours.
                anchor = self._anchor
                lenient = anchor is not None and in_foreign_region(anchor)
                for block in self._near_headline():
                    matches = list(_iter_matching(block, _is_byline_candidate, include_self=True))
                    self._near_matches[id(block)] = (block, matches)
                    found.extend(self._bylines_in(matches, lenient=lenient))
                    if len(found) >= self.max_each:
                        break
                self._near_bylines = found
            return self._near_bylines
        searched = None
        for region in self.regions():
            # The page is searched only when its headline region holds no
            # byline: the region's elements failed already, so they are skipped.
            key = (id(region), id(searched))
            if key not in self._byline_cache:
                self._byline_cache[key] = self._bylines_in(
                    _iter_matching(region, _is_byline_candidate, skip=searched, known=self._near_matches))
            if self._byline_cache[key]:
                return self._byline_cache[key]
            searched = region
        return []

    def author_links(self) -> list[str]:
        """Texts of the links to author pages ("/author/jane-doe") inside the
        headline's ``<article>``/``<main>``, else its region (the page, when
        no heading was found). One walk that only tests ``<a>`` elements:
        cheap enough to run on every page."""
        if self._author_links is None:
            root = self.article_root()
            if root is None:
                # The headline's region; the page when no heading was found
                # (the page's own link to its author is then the evidence).
                root = self.regions()[0]
            out: list[str] = []
            # Only <a> elements are tested: lxml's tag filter skips the rest in C.
            links = (el for el in root.iter("a") if el is not root and _is_author_link(el)) if root is not None else ()
            for el in links:
                if not _AUTHOR_PAGE.search(el.get("href", "")) or in_foreign_region(el):
                    continue
                text = element_text(el, spaced=True)
                if text and len(text) <= 80 and text not in out:
                    out.append(text)
                    if len(out) >= 4:
                        break
            self._author_links = out
        return self._author_links

    def article_root(self) -> lxml_html.HtmlElement | None:
        """The ``<article>``/``<main>`` element holding the headline, if any."""
        anchor = self._anchor
        if anchor is None:
            headings = self.heading_elements()
            anchor = headings[0][1] if headings else None
        node = anchor
        while node is not None:
            if node.tag in {"article", "main"}:
                return node
            node = node.getparent()
        return None

    def _near_headline(self) -> list[lxml_html.HtmlElement]:
        """The heading's and its parent's neighbours, nearest first."""
        anchor = self._anchor
        if anchor is None:
            headings = self.heading_elements()
            anchor = headings[0][1] if headings else None
        if anchor is None:
            return []
        blocks: list[lxml_html.HtmlElement] = []
        for start in (anchor, anchor.getparent()):
            if start is None or start.tag in {"body", "html"}:
                break
            # Six blocks after the heading, two before; fewer around its parent,
            # whose next sibling is often the whole article body.
            after, before = (6, 2) if start is anchor else (2, 1)
            for step, limit in ((lxml_html.HtmlElement.getnext, after), (lxml_html.HtmlElement.getprevious, before)):
                node, seen = step(start), 0
                while node is not None and seen < limit:
                    if isinstance(node.tag, str):
                        blocks.append(node)
                        seen += 1
                    node = step(node)
        return blocks

    def _layout_containers(self) -> tuple[lxml_html.HtmlElement, ...]:
        """The headline's ancestors classed like a sidebar or another foreign
        region: layout classes on the whole content ("content-wrapper
        sidebar-included right-sidebar"), whose verdict says nothing about
        the bylines inside. Usually none."""
        if self._layout is None:
            anchor = self._anchor
            self._layout = () if anchor is None else tuple(
                node for node in anchor.iterancestors() if is_foreign_container(node))
        return self._layout

    def _bylines_in(
        self, candidates: Iterable[lxml_html.HtmlElement], lenient: bool = False
    ) -> list[tuple[str, str, str]]:
        out: list[tuple[str, str, str]] = []
        for el in candidates:
            if len(out) >= self.max_each:
                break
            words = region_words(el)
            if any(w in words for w in _NOT_BYLINE_WORDS):
                continue
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag in {"meta", "link", "img", "script", "style", "body", "article", "main", "html"}:
                continue
            if tag in _SITE_HEADING_TAGS and is_site_heading(el):
                # "<h1 class="vcard author"><a href="/">Blog name</a></h1>":
                # the site's name, marked up as its owner.
                continue
            if not lenient and in_foreign_region(el, layout=self._layout_containers()):
                continue
            if in_teaser_link(el):
                continue
            text = element_text(el, spaced=True)
            if not text or len(text) > 200 or _CREDIT_START.match(text):
                continue
            if el.get("rel") == "author":
                kind = "rel"
            elif "byline" in words:
                kind = "byline"
            elif tag == "a" and _AUTHOR_PAGE.search(el.get("href", "")):
                kind = "link"
            elif tag == "a" and not any(w in words for w in ("uthor", "yline", "autor")) and el.get("data-testid") is None:
                # Matched only by an address such as "/authorities/names/…".
                continue
            else:
                kind = "class"
            out.append((kind, text, element_text(el) or text))
        return out

    def label_bylines(self, limit: int = 400, full: bool = False) -> list[str]:
        """Short blocks that start like a byline ("Von Jane Doe", "Autor: ...")
        without any byline markup; the last resort for authors. Next to the
        headline any element counts (a "<span>von Jane Doe</span>" under
        it); elsewhere only paragraphs and emphasis."""
        if self._label_elements is None:
            # One scan serves both the authors (first line) and the dates
            # (whole block): the search walks the page up to ``limit`` blocks.
            found: list[lxml_html.HtmlElement] = []
            near: list[lxml_html.HtmlElement] = []
            for block in self._near_headline():
                # A neighbour is often the whole article body: its first few
                # elements are where a byline would be.
                near.extend(el for _i, el in zip(range(12), block.iter()) if isinstance(el.tag, str))
            for el in near + self._label_candidates(limit):
                start = (el.text or "").lstrip()[:24]
                if not start and len(el) and el.tag in _LABEL_TAGS:
                    start = (el[0].text or "").lstrip()[:24]
                if not start or not BYLINE_LABEL_START.match(start + " "):
                    continue
                if el not in found and not in_foreign_region(el) and not in_teaser_link(el):
                    found.append(el)
                    if len(found) >= 8:
                        break
            self._label_elements = found
        out: list[str] = []
        for el in self._label_elements:
            text = element_text(el, spaced=True) if full else _first_line(el)
            if text and text.endswith(":") and el.tail:
                # "<h5>Autor: </h5>Jane Doe": the name follows the label element.
                text = f"{text} {el.tail.strip()}"
            elif text and _bare_label(text):
                # "<p>Written by</p><h2><a>Jane Doe</a></h2>": the label alone
                # in its block, the name in the next text after it.
                following = next(_texts_after(el), None)
                if following is not None:
                    text = f"{text} {following[0]}"
            if not text or len(text) > (200 if full else 120) or text in out:
                continue
            out.append(text)
            if len(out) >= 3:
                break
        return out

    def signed_lines(self) -> list[str]:
        """A labelled author line after a line break in the blocks next to
        the headline: "…<br><br>Autor: Rechtsanwalt Jane Doe</div>", where
        a press release or a legal news item signs off at the end of its
        text. The line runs to the next <br>."""
        out: list[str] = []
        for block in self._near_headline():
            for br in block.iter("br"):
                tail = br.tail
                if not tail or not SIGNED_LABEL_START.match(tail):
                    continue
                parts = [tail]
                for sib in br.itersiblings():
                    if sib.tag in _BLOCK_TAGS:
                        break
                    if isinstance(sib.tag, str):
                        parts.append(element_text(sib, spaced=True) or "")
                    parts.append(sib.tail or "")
                text = " ".join(" ".join(parts).split())
                if len(text) <= 120 and text not in out and not in_foreign_region(br):
                    out.append(text)
                    if len(out) >= 2:
                        return out
        return out

    def _label_candidates(self, limit: int) -> list[lxml_html.HtmlElement]:
        """The first ``limit`` short blocks (p, em, strong, h5, h6, address,
        b) of the page, in document order; shared by the byline and the
        date label searches, and not collected past ``limit``."""
        if limit not in self._label_blocks:
            # The whole document: broken pages leave elements after </html>,
            # as siblings of the root element.
            root = self.doc.getroottree().getroot()
            tops = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
            blocks = chain.from_iterable(top.iter(*_LABEL_TAG_ORDER) for top in tops)
            self._label_blocks[limit] = list(islice(blocks, limit))
        return self._label_blocks[limit]

    def submitted_lines(self) -> list[str]:
        """Drupal's "Submitted by X on DATE" / "Gespeichert von X am DATE"
        blocks (class "submitted"). A fallback: the class search walks the
        whole page, so it is not part of the common byline search."""
        if self._submitted is None:
            out: list[str] = []
            root = self.article_root()
            for el in islice(_iter_matching(root if root is not None else self.doc, _is_submitted), 6):
                text = element_text(el, spaced=True)
                if text and len(text) <= 200 and text not in out and not in_foreign_region(el):
                    out.append(text)
            self._submitted = out
        return self._submitted

    def author_box_names(self) -> list[str]:
        """The name heading of an author box ("<div class="author-bio"><h3>Jane
        Doe</h3><p>Jane writes about…</p>"): the box is never body text, but
        the name in it is the article's author."""
        out: list[str] = []
        # Inside the headline's <article> only: a class search over the
        # whole page costs milliseconds on large pages.
        root = self.article_root()
        if root is None:
            return out
        boxes = [el for el in _iter_matching(root, _has_author_class)
                 if _AUTHOR_BOX_CLASS.search(el.get("class", "").lower())]
        for box in boxes[:4]:
            if in_foreign_region(box) and self._anchor is not None and not in_foreign_region(self._anchor):
                continue
            for el in _AUTHOR_BOX_NAME(box)[:1]:
                text = element_text(el)
                if text and 1 <= len(text.split()) <= 4 and text not in out:
                    out.append(text)
        return out

    def byline_after_headline(self) -> str | None:
        """The first line printed after the headline when it reads like a
        byline ("von Jane Doe" in a span without byline markup). Read once:
        two author steps ask for it."""
        if self._after_headline is None:
            self._after_headline = (self._byline_after_headline(),)
        return self._after_headline[0]

    def _byline_after_headline(self) -> str | None:
        if self._anchor is None:
            return None
        texts: list[str] = []
        parents: list[lxml_html.HtmlElement] = []
        for text, parent in _texts_after(self._anchor):
            text = " ".join(text.split())
            if text:
                texts.append(text)
                parents.append(parent)
                if len(texts) == 4:
                    break
        from newsarchive.extraction.processors import strip_byline_prefix

        # The byline is among the first few lines (after a kicker or category).
        for i, line in enumerate(texts[:3]):
            if len(line) > 120:
                return None
            # "vor 3 Stunden · Von Jane Doe": the age of the story, then its byline.
            line = _RELATIVE_DATE_LEAD.sub("", line, count=1)
            if BYLINE_LABEL_START.match(line + " "):
                if in_teaser_link(parents[i]):
                    # The next article's card, not this one's byline.
                    return None
                if len(line.split()) == 1:
                    # "<p>Von <a>Jane Doe</a> und <a>John Roe</a><br>Kakuma</p>":
                    # the label's block, up to a line break.
                    block = _first_line(parents[i])
                    return block if block and len(block) <= 120 else None
                return line
            # "<span class="username">jane77</span><span>28.09.19</span>": a
            # poster's name, then the post's date (forums print no label).
            if i + 1 < len(texts) and _is_poster_name(parents[i]) and len(line) <= 40 \
                    and find_printed_date(" ".join(texts[i + 1 : i + 3])) and not in_teaser_link(parents[i]):
                return line
            # "11.12.2019 - Jane Doe", "Jane Doe · 11.12.2019", "06.11.2023 13:30 von Jane":
            # a date line that carries the name.
            found = find_printed_date(line)
            if not found:
                continue
            rest = strip_byline_prefix(line.replace(found[1], " ", 1).strip(" -–—|·•,"))
            words = rest.split()
            if not words:
                # "Veröffentlicht am <span>03.02.2022</span> von Jane Doe":
                # the date alone in its element, the byline may follow.
                continue
            if 1 <= len(words) <= 4 and _NAME_LINE.match(rest + " x" if len(words) == 1 else rest) \
                    and all(w[0].isupper() for w in words) and rest != line:
                return rest
            return None
        return None

    def profile_links_near_headline(self) -> list[tuple[str, str]]:
        """(text, address) of links to a member's page printed right after
        (or just before) the headline: "von <a href="/user/jane77">jane77</a>" on
        forums, recipe and deal sites whose posts carry no byline markup."""
        if self._anchor is None:
            return []
        out: list[tuple[str, str]] = []
        after = (item for _i, item in zip(range(12), _texts_after(self._anchor)))
        before = (item for _i, item in zip(range(4), _texts_before(self._anchor)))
        for text, parent in [*after, *before]:
            if parent.tag != "a" or len(text) > 60:
                continue
            href = parent.get("href", "")
            if _PROFILE_PAGE.search(href) and all(text != t for t, _h in out) and not in_foreign_region(parent):
                out.append((text, href))
        return out[:2]

    def text_around_headline(self, headline: str | None, after: int = 300, before: int = 120) -> str | None:
        """The text printed right after the headline, then right before it
        (a date line above a heading): where a page without date markup
        prints "8.Dezember 2010 um 09:43 · Name" or "von X am 20.09.2020"."""
        anchor = self._anchor
        if anchor is None and headline:
            key = fold(headline)
            for el in self.doc.iter("h1", "h2", "h3", "h4"):
                if fold(element_text(el)) == key:
                    anchor = el
                    break
        if anchor is None:
            return None
        parts: list[str] = []
        size = 0
        # Keyed by the element, not its id(): lxml frees a proxy nobody
        # holds and may give its id to the next one, whose verdict would
        # then be read from this one's.
        verdicts: dict[lxml_html.HtmlElement, bool] = {}
        # A headline inside a "sidebar" container (broken markup, layout
        # classes): the container's verdict says nothing about its lines.
        lenient = in_foreign_region(anchor)

        def foreign(parent: lxml_html.HtmlElement) -> bool:
            if lenient:
                return False
            verdict = verdicts.get(parent)
            if verdict is None:
                verdict = verdicts[parent] = in_foreign_region(parent) or is_foreign_container(parent)
            return verdict

        for count, (text, parent) in enumerate(_texts_after(anchor)):
            if count >= 60:
                break
            if foreign(parent):
                continue
            parts.append(text)
            size += len(text) + 1
            if size >= after:
                break
        tail: list[str] = []
        size = 0
        for count, (text, parent) in enumerate(_texts_before(anchor)):
            if count >= 30:
                break
            if foreign(parent):
                continue
            tail.append(text)
            size += len(text) + 1
            if size >= before:
                break
        return " ".join(parts)[:after] + " | " + " ".join(reversed(tail))[-before:]

    def label_dates(self, limit: int = 400) -> list[str]:
        """Short blocks that start like a publication date ("Erschienen am:
        01.11.2023", "Published: ..."), without date markup."""
        return _first_lines((_labelled_date_line(el), el) for el in self._label_candidates(limit))

    def label_date_lines(self, limit: int = 600) -> list[str]:
        """Short divs, spans and list items after the headline whose own text
        starts with a date label ("<div>Publiziert 02/02/2022 um 09:23
        GMT</div>"). A walk of its own, for pages that print no date anywhere
        else: the block search above reads only paragraphs and emphasis."""
        anchor = self._anchor
        elements = _line_elements_after(anchor) if anchor is not None else self.doc.iter("div", "span", "li")
        return _first_lines(
            ((element_text(el), el) for el in islice(elements, limit)
             if el.text and DATE_LABEL_START.match(el.text.lstrip()[:40])),
            size=120,
        )

    # -- dates ------------------------------------------------------------

    def times(self) -> list[tuple[str, str]]:
        """(kind, value) of printed dates: "pubdate", "published", "time", "text".

        Computed once per headline region: the date rules ask several times."""
        regions = self.regions()
        key = id(regions[0])
        if key not in self._times:
            self._times[key] = self._find_times(regions)
        return self._times[key]

    def _find_times(self, regions: list[lxml_html.HtmlElement]) -> list[tuple[str, str]]:
        out = self._classify_times(self.time_elements)
        if any(kind == "pubdate" for kind, _v in out):
            return out
        searched = None
        for region in regions:
            # As for bylines: the page without the region that found nothing.
            found = self._classify_times(_iter_matching(region, _is_time_candidate, skip=searched))
            if found:
                return out + found
            searched = region
        return out

    def _classify_times(self, elements: Iterable[lxml_html.HtmlElement]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for el in elements:
            if len(out) >= self.max_each:
                break
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag in {"body", "html", "article", "main", "script", "style"}:
                continue
            words = region_words(el) + " " + (el.get("itemprop") or "").lower()
            if any(w in words for w in _MODIFIED_WORDS) and not any(w in words for w in _PUBLISHED_WORDS):
                continue
            if in_foreign_region(el) or _in_page_header(el):
                continue
            if tag == "time":
                value = el.get("datetime") or element_text(el)
                if value is not None and el.get("datetime"):
                    value = _published_in_stamp(el) or value
                if el.get("pubdate") is not None or "datepublished" in words or any(w in words for w in _PUBLISHED_WORDS):
                    kind = "pubdate"
                else:
                    kind = "time"
            else:
                value = element_text(el)
                if not value or len(value) > 120:
                    continue
                label = _DATE_START.search(value)
                if label and not_published_label(value[: label.start()]):
                    continue  # "Aktuelles Datum und Uhrzeit: ...", "Registriert: ..."
                kind = "published" if any(w in words for w in _PUBLISHED_WORDS) else "text"
            if value:
                out.append((kind, value))
        return out

    # -- standfirst -------------------------------------------------------

    def standfirst(self) -> str | None:
        """The dek printed right after the headline: among the next few
        siblings of the heading and of its parent, an element (or its first
        child) whose class, id or itemprop says standfirst/dek/subtitle/lead..."""
        anchor = self._anchor
        if anchor is None:
            headings = self.heading_elements()
            anchor = headings[0][1] if headings else None
        if anchor is None:
            return None
        for start in (anchor, anchor.getparent()):
            sibling = start.getnext() if start is not None else None
            seen = 0
            while sibling is not None and seen < 4:
                if isinstance(sibling.tag, str):
                    seen += 1
                    for el in (sibling, sibling[0] if len(sibling) else None):
                        if el is not None and isinstance(el.tag, str) and _is_standfirst(el):
                            text = element_text(_dek_without_byline(el))
                            if text and 30 <= len(text) <= 600:
                                return text
                sibling = sibling.getnext()
        return None


def _dek_without_byline(el: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A "lead" box holding the dek and the byline ("<div class=lead><p
    class=lead-main>…</p><p class=lead-authors>von …</p>"): its first child,
    when that is a dek element too, without the byline."""
    first = el[0] if len(el) else None
    if first is None or not isinstance(first.tag, str) or not _is_standfirst(first):
        return el
    if any(_is_byline_candidate(node) for node in first.itersiblings()):
        return first
    return el


def _is_standfirst(el: lxml_html.HtmlElement) -> bool:
    if el.tag in {"img", "a", "ul", "ol", "figure", "section", "article"}:
        return False
    words = f"{region_words(el)} {(el.get('itemprop') or '').lower()}"
    if "leader" in words:
        return False
    return any(w in words for w in STANDFIRST_WORDS)


def read_visible(
    doc: lxml_html.HtmlElement, elements: Iterable[lxml_html.HtmlElement] | None = None
) -> VisiblePage:
    """The lazy visible-page reader of one tree (``elements``: see VisiblePage)."""
    return VisiblePage(doc, elements=elements)
