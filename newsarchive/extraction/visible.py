"""Readers of the visible page: headings, byline markup, ``<time>`` and
printed dates, the standfirst.

These are the fallbacks (and the cross-checks) of the structured data. Each
reader is one XPath query over the shared tree plus a walk up the ancestors
of the few matches, to skip what sits in comments, related lists, footers
and sidebars. The tree is only read.
"""
from __future__ import annotations

from collections.abc import Iterator

import re
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from newsarchive.extraction.processors import normalize_space

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
    for token in words.split():
        if token in PAGE_FOOTER_TOKENS:
            return True
        if token.startswith(_LAYOUT_PREFIXES) or "__with-" in token:
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
    return False


def in_foreign_region(el: lxml_html.HtmlElement, *, max_depth: int = 25) -> bool:
    """True when ``el`` sits in a comment thread, related list, footer, sidebar..."""
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
        if is_foreign_container(node):
            return True
        node = node.getparent()
        depth += 1
    return pending_footer


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


def element_text(
    el: lxml_html.HtmlElement, *, skip_words: tuple[str, ...] = (), spaced: bool = False
) -> str | None:
    """Visible text of an element as printed: inline elements joined without
    added spaces, block elements separated; scripts, styles and (optionally)
    children whose class holds one of ``skip_words`` left out. ``spaced``
    puts a space at every element boundary ("<span>By</span><a>Jane</a>"),
    which CSS usually does visually, for text that will be split into names."""
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
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
            walk(child)
        if block:
            parts.append(" ")
        if node is not el and node.tail:
            parts.append(node.tail)

    walk(el)
    return normalize_space("".join(parts))


# A subtitle set inside the heading ("<h1>Title <small class="article-subtitle">…")
_SUBTITLE_WORDS = ("subtitle", "sub-title", "subheadline", "standfirst", "dek")


def heading_text(el: lxml_html.HtmlElement) -> str | None:
    """A heading's text without kicker labels, subtitles set inside it and
    screen-reader-only text."""
    text = element_text(el, skip_words=KICKER_WORDS + _SUBTITLE_WORDS + _HIDDEN_WORDS)
    if text:
        text = text.strip(" :|–—-·")
    return text or element_text(el)


_HEADING_FALLBACK_XPATH = (
    ".//h2[contains(@class, 'title') or contains(@class, 'headline')]"
    " | .//*[contains(@class, 'entry-title') or contains(@class, 'post-title')"
    " or contains(@class, 'article-title') or contains(@class, 'article__title')]"
)
# Few contains() calls: each one re-reads @class for every element, so
# "utor" stands for author/Author/autor/Autor and "yline" for byline/Byline.
_BYLINE_XPATH = (
    # "@class and (...)" first: most elements have no class, and the guard
    # spares them every contains() (15 % faster on the corpus).
    ".//*[@rel='author' or self::address"
    " or (@class and (contains(@class, 'uthor') or contains(@class, 'yline') or contains(@class, 'autor')))"
    " or (@id and contains(@id, 'uthor'))"
    " or (@data-testid and contains(@data-testid, 'yline'))"
    # Links to an author page: "/author/jane-doe", "/autoren/...", "/staff/...".
    " or (self::a and @href and (contains(@href, '/author') or contains(@href, '/autor')"
    " or contains(@href, '/staff/') or contains(@href, '/journalist')))]"
)
_TIME_XPATH = (
    ".//*[@class][contains(@class, 'date') or contains(@class, 'Date') or contains(@class, 'publi')"
    " or contains(@class, 'datum') or contains(@class, 'fecha') or contains(@class, 'time')"
    " or contains(@class, 'meta')]"
    "[not(self::time)][not(self::meta)]"
)
# Class/id/itemprop words of a dek printed under the headline.
STANDFIRST_WORDS: tuple[str, ...] = (
    "standfirst", "dek", "subtitle", "sub-title", "subheadline", "subhead", "lede", "lead",
    "intro", "summary", "teaser-text", "excerpt", "description", "alternativeheadline",
    "kicker-text", "vorspann", "chapo", "entradilla", "bajada", "sottotitolo",
)

# Short blocks that may hold an unmarked byline ("<p>Von Jane Doe</p>").
_LABEL_BYLINE_XPATH = "//p | //em | //strong | //h5 | //h6 | //address | //b"
# How an unmarked byline starts, per language (en, de, fr, es/pt, it, nl).
BYLINE_LABEL_START = re.compile(
    r"^\s*(?:by|written by|posted by|submitted by|text von|text:|geschrieben von|gespeichert von|"
    r"verfasst von|eingestellt von|von|autor(?:in)?\s*:|publié par|"
    r"author\s*:|auteur\s*:|par|por|escrito por|di|door)(?:\s*:)?\s",
    re.I,
)

# How a printed publication date is introduced, per language.
DATE_LABEL_START = re.compile(
    r"^\s*(?:published|posted|first published|veröffentlicht|erschienen|publiziert|"
    r"publié|publicado|pubblicato|gepubliceerd|opublikowano)\b",
    re.I,
)

# Compiled once: lxml compiles a string XPath on every call.
_LABEL_BYLINES = etree.XPath(_LABEL_BYLINE_XPATH)
# Two to four capitalised words: a name on a date line ("Jane M. Doe").
_NAME_LINE = re.compile(r"^(?:[^\W\d_][\w'’.-]*\s+){1,3}[^\W\d_][\w'’.-]*$")
_LABEL_TAGS = frozenset({"p", "em", "strong", "h5", "h6", "address", "b"})
_HEADING_FALLBACK = etree.XPath(_HEADING_FALLBACK_XPATH)
_BYLINES = etree.XPath(_BYLINE_XPATH)
_BYLINES_SELF = etree.XPath("descendant-or-self::*" + _BYLINE_XPATH[len(".//*"):])
_TIMES = etree.XPath(_TIME_XPATH)
_SUBMITTED = etree.XPath(".//*[contains(@class, 'submitted')]")
# One contains() per element: each extra one costs as much as the walk.
_AUTHOR_BOXES = etree.XPath(".//*[contains(@class, 'uthor')]")
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

# Class words of byline elements that hold something else than the byline.
_NOT_BYLINE_WORDS = ("author-description", "author-image", "author-avatar", "avatar",
                     "author-social", "author-follow", "author-photo", "author-img", "author-bio")
_PUBLISHED_WORDS = ("publish", "pubdate", "created", "posted", "entry-date", "post-date",
                    "article-date", "date-time", "datetime", "dateline", "byline", "story-date")
_MODIFIED_WORDS = ("updated", "modified", "update")
_REGION_STOP = frozenset({"article", "main", "body", "html"})


# Class/id words of a heading that is the site's name, not a headline.
SITE_HEADING_WORDS: tuple[str, ...] = (
    "logo", "site-title", "sitetitle", "site-name", "sitename", "blog-title", "blogtitle",
    "brand", "masthead", "titlewrapper", "header-title", "blog-name", "site-header",
)


def is_site_heading(el: lxml_html.HtmlElement) -> bool:
    """A heading that names the site: a logo, a "site-title", or a link to the home page."""
    for node in (el, el.getparent()):
        if node is None:
            continue
        words = region_words(node)
        if any(w in words for w in SITE_HEADING_WORDS):
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


class VisiblePage:
    """Lazy readers of the visible page.

    Only the headings, ``<time>``, ``<figure>`` and ``<title>`` elements are
    collected up front (one C-level pass over the tree); class-based searches
    for bylines, printed dates and the standfirst run only when the
    structured data did not answer, and first in the headline's region.
    """

    def __init__(self, doc: lxml_html.HtmlElement, max_each: int = 12) -> None:
        self.doc = doc
        self.max_each = max_each
        self.h1s: list[lxml_html.HtmlElement] = []
        self.time_elements: list[lxml_html.HtmlElement] = []
        self.figures: list[lxml_html.HtmlElement] = []
        title_el = None
        for el in doc.iter("h1", "time", "figure", "title"):
            tag = el.tag
            if tag == "h1":
                self.h1s.append(el)
            elif tag == "time":
                self.time_elements.append(el)
            elif tag == "figure":
                self.figures.append(el)
            elif title_el is None:
                title_el = el
        self.title = element_text(title_el) if title_el is not None else None
        self._headings: list[tuple[str, lxml_html.HtmlElement]] | None = None
        self.site_headings: list[str] = []
        self._byline_cache: dict[int, list[tuple[str, str, str]]] = {}
        self._near_bylines: list[tuple[str, str, str]] | None = None
        self._region: lxml_html.HtmlElement | None = None
        self._anchor: lxml_html.HtmlElement | None = None
        self._submitted: list[str] | None = None
        self._label_elements: list[lxml_html.HtmlElement] | None = None

    # -- headings ---------------------------------------------------------

    def heading_elements(self) -> list[tuple[str, lxml_html.HtmlElement]]:
        if self._headings is None:
            found: list[tuple[str, lxml_html.HtmlElement]] = []
            candidates = self.h1s[: self.max_each]
            if not candidates:
                candidates = _HEADING_FALLBACK(self.doc)[: self.max_each]
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
            self._headings = found
        return self._headings

    @property
    def headings(self) -> list[str]:
        return [text for text, _el in self.heading_elements()]

    def set_headline(self, headline: str | None) -> None:
        """Anchor the region searches on the heading that was chosen."""
        from newsarchive.extraction.processors import fold

        key = fold(headline)
        for text, el in self.heading_elements():
            if fold(text) == key or (key and key in fold(text)):
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
        """(kind, text, printed) of byline elements: kind is "rel", "byline" or
        "class"; ``text`` has spaces at element boundaries, ``printed`` is as shown.

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
                    found.extend(self._bylines_in(block, relative=_BYLINES_SELF, lenient=lenient))
                    if len(found) >= self.max_each:
                        break
                self._near_bylines = found
            return self._near_bylines
        for region in self.regions():
            key = id(region)
            if key not in self._byline_cache:
                self._byline_cache[key] = self._bylines_in(region)
            if self._byline_cache[key]:
                return self._byline_cache[key]
        return []

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

    def _bylines_in(
        self, region: lxml_html.HtmlElement, relative: etree.XPath | None = None, lenient: bool = False
    ) -> list[tuple[str, str, str]]:
        out: list[tuple[str, str, str]] = []
        for el in (relative or _BYLINES)(region):
            if len(out) >= self.max_each:
                break
            words = region_words(el)
            if any(w in words for w in _NOT_BYLINE_WORDS):
                continue
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag in {"meta", "link", "img", "script", "style", "body", "article", "main", "html"}:
                continue
            if not lenient and in_foreign_region(el):
                continue
            text = element_text(el, spaced=True)
            if not text or len(text) > 200:
                continue
            if el.get("rel") == "author":
                kind = "rel"
            else:
                kind = "byline" if "byline" in words else "class"
            out.append((kind, text, element_text(el) or text))
        return out

    def label_bylines(self, limit: int = 400, full: bool = False) -> list[str]:
        """Short blocks that start like a byline ("Von Jane Doe", "Autor: ...")
        without any byline markup; the last resort for authors. Next to the
        headline any element counts (a "<span>von Jane Doe</span>" under
        it); elsewhere only paragraphs and emphasis."""
        if self._label_elements is None:
            # One scan serves both the authors (first line) and the dates
            # (whole block): the XPath walks the whole page.
            found: list[lxml_html.HtmlElement] = []
            near: list[lxml_html.HtmlElement] = []
            for block in self._near_headline():
                # A neighbour is often the whole article body: its first few
                # elements are where a byline would be.
                near.extend(el for _i, el in zip(range(12), block.iter()) if isinstance(el.tag, str))
            for el in near + _LABEL_BYLINES(self.doc)[:limit]:
                start = (el.text or "").lstrip()[:24]
                if not start and len(el) and el.tag in _LABEL_TAGS:
                    start = (el[0].text or "").lstrip()[:24]
                if not start or not BYLINE_LABEL_START.match(start + " "):
                    continue
                if el not in found and not in_foreign_region(el):
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
            if not text or len(text) > (200 if full else 120) or text in out:
                continue
            out.append(text)
            if len(out) >= 3:
                break
        return out

    def submitted_lines(self) -> list[str]:
        """Drupal's "Submitted by X on DATE" / "Gespeichert von X am DATE"
        blocks (class "submitted"). A fallback: the class search walks the
        whole page, so it is not part of the common byline search."""
        if self._submitted is None:
            out: list[str] = []
            root = self.article_root()
            for el in _SUBMITTED(root if root is not None else self.doc)[:6]:
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
        boxes = [el for el in _AUTHOR_BOXES(root) if _AUTHOR_BOX_CLASS.search(el.get("class", "").lower())]
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
        byline ("von Jane Doe" in a span without byline markup)."""
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
        from newsarchive.extraction.dates import find_printed_date
        from newsarchive.extraction.processors import strip_byline_prefix

        # The byline is among the first few lines (after a kicker or category).
        for i, line in enumerate(texts[:3]):
            if len(line) > 120:
                return None
            if BYLINE_LABEL_START.match(line + " "):
                if len(line.split()) == 1:
                    # "<p>Von <a>Jane Doe</a> und <a>John Roe</a><br>Kakuma</p>":
                    # the label's block, up to a line break.
                    block = _first_line(parents[i])
                    return block if block and len(block) <= 120 else None
                return line
            # "11.12.2019 - Jane Doe", "Jane Doe · 11.12.2019", "06.11.2023 13:30 von Jane":
            # a date line that carries the name.
            found = find_printed_date(line)
            if not found:
                continue
            rest = strip_byline_prefix(line.replace(found[1], " ", 1).strip(" -–—|·•,"))
            words = rest.split()
            if 1 <= len(words) <= 4 and _NAME_LINE.match(rest + " x" if len(words) == 1 else rest) \
                    and all(w[0].isupper() for w in words) and rest != line:
                return rest
            return None
        return None

    def text_around_headline(self, headline: str | None, after: int = 300, before: int = 120) -> str | None:
        """The text printed right after the headline, then right before it
        (a date line above a heading): where a page without date markup
        prints "8.Dezember 2010 um 09:43 · Name" or "von X am 20.09.2020"."""
        from newsarchive.extraction.processors import fold

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
        verdicts: dict[int, bool] = {}
        # A headline inside a "sidebar" container (broken markup, layout
        # classes): the container's verdict says nothing about its lines.
        lenient = in_foreign_region(anchor)

        def foreign(parent: lxml_html.HtmlElement) -> bool:
            if lenient:
                return False
            key = id(parent)
            if key not in verdicts:
                verdicts[key] = in_foreign_region(parent) or is_foreign_container(parent)
            return verdicts[key]

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
        out: list[str] = []
        for el in _LABEL_BYLINES(self.doc)[:limit]:
            start = (el.text or "").lstrip()[:40]
            if not start or not DATE_LABEL_START.match(start):
                # "Letzte Änderung: 31.10.2023<br>Erschienen am: 01.11.2023":
                # the label starts a line of its own.
                line = next((br.tail.strip() for br in el.iterchildren("br")
                             if br.tail and DATE_LABEL_START.match(br.tail.lstrip()[:40])), None)
                if line and len(line) <= 200 and not in_foreign_region(el):
                    out.append(line)
                    if len(out) >= 3:
                        break
                continue
            text = element_text(el)
            if text and len(text) <= 200 and not in_foreign_region(el):
                out.append(text)
                if len(out) >= 3:
                    break
        return out

    # -- dates ------------------------------------------------------------

    def times(self) -> list[tuple[str, str]]:
        """(kind, value) of printed dates: "pubdate", "published", "time", "text"."""
        out = self._classify_times(self.time_elements)
        if any(kind == "pubdate" for kind, _v in out):
            return out
        for region in self.regions():
            found = self._classify_times(_TIMES(region))
            if found:
                return out + found
        return out

    def _classify_times(self, elements: list[lxml_html.HtmlElement]) -> list[tuple[str, str]]:
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
            if in_foreign_region(el):
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
                            text = element_text(el)
                            if text and 30 <= len(text) <= 600:
                                return text
                sibling = sibling.getnext()
        return None


def _is_standfirst(el: lxml_html.HtmlElement) -> bool:
    if el.tag in {"img", "a", "ul", "ol", "figure", "section", "article"}:
        return False
    words = f"{region_words(el)} {(el.get('itemprop') or '').lower()}"
    if "leader" in words:
        return False
    return any(w in words for w in STANDFIRST_WORDS)


def read_visible(doc: lxml_html.HtmlElement) -> VisiblePage:
    """The lazy visible-page reader of one tree."""
    return VisiblePage(doc)
