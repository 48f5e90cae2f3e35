"""The article's main text: find the container, then write it as paragraphs.

Works on the one lxml tree ``page.py`` parsed, after the metadata loader
has read it (this module mutates the tree). The passes:

1. **Prune**: one pass over the page drops what is never article text
   (script, navigation, ``<aside>``, ``<footer>``, forms, hidden elements,
   ARIA landmarks such as dialogs) and every element a markup rule of
   ``boilerplate.py`` names (comments, share bars, related lists, newsletter
   and donation boxes, ads, author bios...), as do microdata author cards
   and comments (``itemprop=author|comment``). An element holding the
   headline, an ``itemprop=articleBody``, or half of the page's paragraph
   text (or of all its text, when the headline is not found or the page has
   no paragraphs) is never dropped by a class name: a site calling its
   article wrapper "post has-comments" keeps its article. Hidden text stays
   out unless it is named as the content (a paywalled body).
2. **Score** (after Readability): every paragraph-like block gives points,
   for its length and commas, to its parent and, less, to its further
   ancestors; link-heavy containers lose points.
3. **Widen and gather**: the container grows to a common ancestor when other
   strong candidates, or sibling blocks built like it, share one (sections of
   a long text, page-builder columns), but not past a level that adds much
   text of another kind (a blog index's other posts); prose siblings join (a
   paragraph split off by an ad) until a heading such as "Related" or
   "Comments"; the nearest lede paragraph before it is kept first.
4. **Write**: the chosen elements become plain-text blocks, one per block
   element (paragraph, heading, list item, quote, a ``<div>`` with bare
   text). Figures and captions (kept only on gallery pages, where they are
   the text), the repeated headline, standfirst, byline or dateline, one-link
   teaser paragraphs, link lists, and boxes whose first line a text rule
   names (a donation appeal, "Join our commenting forum", "Related
   articles") or whose last line is a call to action are dropped here; so
   are single ``<br>`` lines a text rule names, short labels above the
   headline (kickers), teaser cards after a dropped "Related" heading, and a
   heading left last with nothing under it.

Every dropped block is recorded as ``DroppedBlock(stage="extract")``.

JSON-LD ``articleBody`` replaces the page's text only when it is clearly
longer and not cut with an ellipsis: on the corpus it was never more
complete than the page and often a ~500-character teaser.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from lxml import etree
from lxml.html import HtmlElement

from newsarchive.extraction import boilerplate
from newsarchive.extraction.config import ExtractionConfig
from newsarchive.extraction.byline import is_article_date_line
from newsarchive.extraction.processors import strip_byline_prefix
from newsarchive.items import Article, DroppedBlock

# Elements that start a new block of text; everything else is inline.
BLOCK_TAGS: frozenset[str] = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "li", "main", "menu", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "thead", "tfoot", "td", "th", "tr", "ul", "caption", "dir", "frame",
})
HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Containers whose text, as a whole, may be one promo box or link list.
BOX_TAGS: frozenset[str] = frozenset({"div", "section", "aside", "ul", "ol", "footer", "header", "form", "dl", "table", "details", "center"})
# Never dropped by a class/id rule: the document's own structure.
STRUCTURAL_TAGS: frozenset[str] = frozenset({"html", "body", "main", "article"})

# Readability's scoring weights, by tag.
_TAG_BASE: dict[str, int] = {
    "div": 5, "article": 5, "section": 3, "main": 3, "pre": 3, "td": 3, "blockquote": 3,
    "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5,
}
# Readability's class/id words, matched as substrings in any case.
_POSITIVE_WORDS: tuple[str, ...] = (
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog", "story",
    "prose", "artikel", "texto", "contenu", "cuerpo", "inhalt",
)
_NEGATIVE_WORDS: tuple[str, ...] = (
    "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footer", "footnote", "gdpr",
    "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar",
    "skyscraper", "sponsor", "shopping", "tags", "tool", "widget", "teaser", "recommend", "newsletter", "nav", "menu",
)
_POSITIVE = re.compile("|".join(map(re.escape, _POSITIVE_WORDS)), re.I)
_NEGATIVE = re.compile("|".join(map(re.escape, _NEGATIVE_WORDS)), re.I)
_SENTENCE_END = re.compile(r"[.!?。！？]['\"”’)]?(\s|$)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"\s+")

MIN_PARAGRAPH = 25  # chars: shorter blocks are labels, not paragraphs
_BR = "\u2028"  # stands for <br> while a block's text is gathered
# Characters that print nothing: soft hyphens (German and French sites
# hyphenate whole articles with them: "Ita\u00adli\u00adens"), zero-width
# spaces, word joiners, a stray byte-order mark. Left in, they split words
# for search and for the text rules ("Whats\u00adApp"). Not the zero-width
# (non-)joiners: Persian and Indic spelling and emoji sequences need them.
_INVISIBLE_CHARS = "\u00ad\u200b\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")


def _has_invisible(text: str) -> bool:
    """``_INVISIBLE.search(text)``, ~100x faster: a regex character class
    scans a block at ~20 ns a character, and every block is tested; an
    ASCII block (half of them) is answered in one C pass, the others by a
    substring search per character."""
    return not text.isascii() and ("\u00ad" in text or "\u200b" in text
                                   or "\u2060" in text or "\ufeff" in text)


@dataclass
class BodyResult:
    """The body text and what was dropped from the page to get it."""

    text: str
    dropped: list[DroppedBlock] = field(default_factory=list)


class _RuleCache(dict):
    """Class string -> attribute rule verdict. Whole class strings repeat
    across a site's pages: their verdicts are remembered too (bounded, so a
    long crawl of many sites stays small). Read as ``_rule_cache[value]``:
    a hit is a dict look-up in C, where a function wrapping it cost a
    Python call for each of the ~260 class strings a page reads."""

    def __missing__(self, value: str) -> str | None:
        rule = boilerplate.attribute_rule_for(value)
        if len(self) > 50_000:
            self.clear()
        self[value] = rule
        return rule


_rule_cache = _RuleCache()


def _text_content(el: HtmlElement) -> str:
    """``el.text_content()``: the text of every text node under ``el``
    (libxml2's node content), from lxml's text serializer. ``text_content``
    evaluates the XPath ``string()``, whose context set-up costs about as
    much again as reading the text: ~8,000 instructions for a link against
    ~4,300 here, and the body reads ~150 elements' text a page.

    An element without children (58% of those reads: most links, short
    paragraphs) holds only text nodes, which ``.text`` joins: about a
    third of the serializer's cost. ``len`` counts every child node that
    is not text (elements, entity references), so nothing else is left out."""
    if not len(el):
        return el.text or ""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _text(el: HtmlElement) -> str:
    return " ".join(_text_content(el).split())


# --------------------------------------------------------------------------
# 1. Prune

def _css_rules(config: ExtractionConfig | None) -> list[tuple[str, object]]:
    rules = []
    for rule in (config.extra_rules if config else ()):
        if rule.kind == "css":
            try:
                from lxml.cssselect import CSSSelector

                # The HTML translator, as the site file's check compiles it.
                rules.append((rule.name, CSSSelector(rule.pattern, translator="html")))
            except Exception:  # a bad selector in a site file must not stop a crawl
                continue
    return rules


# Elements the prune pass judges by class: boxes that may hold whole
# sections. Small elements (paragraphs, list items, spans, links, headings)
# are judged by the writer, which only walks the chosen container: far fewer
# elements than the whole page.
_RULE_TAGS: tuple[str, ...] = (
    "div", "section", "aside", "ul", "ol", "header", "footer", "form", "figure", "figcaption",
    "table", "tr", "td", "article", "main", "dl", "center", "details", "blockquote",
    "span",  # some sites build their boxes of spans with ARIA roles
)
_CAPTION_TAGS = boilerplate.CAPTION_TAGS  # read for every element the writer walks
# Tags the writer judges by class (see above).
_WRITER_RULE_TAGS: frozenset[str] = frozenset({
    "p", "li", "small", "ins", "a", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "strong", "em", "b", "i",
})

# The attributes other than class and id that the prune pass's rules read.
_RARE_RULE_ATTRIBUTES: frozenset[str] = frozenset({"role", "aria-hidden", "hidden", "style", "itemprop", "itemtype"})

# Rules whose boxes can outgrow the article (long comment threads): only the
# headline or an articleBody marker inside protects them.
_STRICT_RULES = frozenset({"aside", "comments"})


def prune(root: HtmlElement, headline_el: HtmlElement | None, config: ExtractionConfig | None,
          dropped: list[DroppedBlock]) -> list[HtmlElement]:
    """Drop never-article elements and boilerplate-classed boxes (in place).

    Returns the elements its walk visited (boxes, links, paragraphs), for
    the caller to hold while it scores and writes the page: lxml makes a
    Python proxy for an element only while none is alive, so the score
    pass and the writer, which walk most of them again, reuse these
    instead of building and freeing ~400 proxies a page a second time."""
    for name, selector in _css_rules(config):
        for el in selector(root):  # type: ignore[operator]
            if el.getparent() is not None:
                dropped.append(DroppedBlock(name, _text(el), "extract"))
                el.drop_tree()
    # Junk tags go in one C-level call; then only elements carrying the
    # attributes the rules read are visited, in document order.
    etree.strip_elements(root, *boilerplate.JUNK_TAGS, with_tail=False)
    walk = _RuleWalk(root)
    if walk.found:
        measure = _ArticleMeasure(root, walk.paragraphs, headline_el, walk.marked)
        _drop_boxes(walk.found, measure, headline_el, dropped)
    return walk.visited


class _RuleWalk:
    """One pass over the page's boxes, links and paragraphs, in document order:
    the boxes the boilerplate rules name, and what the rest of ``prune`` needs."""

    def __init__(self, root: HtmlElement):
        self.found: list[tuple[HtmlElement, str]] = []
        """(box, rule) for every box a rule names, comment threads first."""
        self.marked: list[HtmlElement] = []
        """Elements marked ``itemprop=articleBody``."""
        self.paragraphs: list[HtmlElement] = []
        """The page's paragraphs, before anything is dropped."""
        self.visited = list(root.iter(*_RULE_TAGS, "a", "p"))
        permalinks = self._walk()
        if len(permalinks) >= 2:
            # First, so that what a thread holds is not judged again; a thread
            # inside a box the rules drop anyway goes with that box.
            boxes = {el for el, _ in self.found}
            self.found[:0] = [(el, "comments") for el in comment_threads(permalinks)
                              if boxes.isdisjoint(el.iterancestors())]

    def _walk(self) -> list[tuple[HtmlElement, str]]:
        """Fills ``found``, ``marked`` and ``paragraphs``; returns the links to
        single reader comments (side by side, they mark a thread no class names)."""
        found, marked, paragraphs = self.found, self.marked, self.paragraphs
        # Locals: one pass in Python, measured faster than XPath attribute queries here.
        structural = STRUCTURAL_TAGS
        microdata = boilerplate.MICRODATA_RULES
        hints = boilerplate.COMMENT_PERMALINK_HINTS
        id_hints = boilerplate.COMMENT_ID_HINTS
        rule_cache = _rule_cache
        rare_attributes = _RARE_RULE_ATTRIBUTES
        permalinks: list[tuple[HtmlElement, str]] = []
        for el in self.visited:
            tag = el.tag
            if tag == "p":
                paragraphs.append(el)
                continue
            if tag == "a":
                href = el.get("href")
                if href and (hints[0] in href or hints[1] in href):
                    m = boilerplate.COMMENT_PERMALINK.search(href)
                    if m:
                        permalinks.append((el, m.group(1) or m.group(2)))
                continue
            if tag == "aside":
                found.append((el, "aside"))
                continue
            if tag == "footer":
                found.append((el, "footer"))  # tags, share bars, notes below an article
                continue
            if tag == "form":
                # Comment and search forms; a page-wide ASP.NET form holds the
                # article and is kept by the share test.
                found.append((el, "form"))
                continue
            if (tag == "ul" or tag == "ol") and len(el):
                # CMSs give each comment of a thread the id its permalink points
                # to ("comment-1508", "li-comment-7"), whatever the list's class
                # (a hash, or none); a thread of one comment has no second
                # permalink to pair. Only the first item is read: lists are
                # many a page, and a thread's items are alike. Its id is judged
                # only when it holds a comment stem (COMMENT_ID_HINTS): a menu's
                # "menu-item-4711", new on every page, would cost a rule reading.
                item_id = el[0].get("id")
                if item_id and (id_hints[0] in item_id or id_hints[1] in item_id) and rule_cache[item_id] == "comments":
                    found.append((el, "comments"))
                    continue
            keys = el.keys()
            if not keys:
                continue  # most elements carry no attribute at all
            # Nine boxes in ten carry only a class or an id: one set test in
            # C spares them the six look-ups of the other attributes.
            rare = not rare_attributes.isdisjoint(keys)
            rule = _state_rule(el, keys) if rare else None
            if rule is None and tag not in structural:
                if "class" in keys:
                    rule = rule_cache[el.get("class")]
                if not rule and "id" in keys:
                    rule = rule_cache[el.get("id")]
            if rule == "caption":
                continue  # left for the writer: on a gallery page the captions are the article
            if not rare:
                if rule:
                    found.append((el, rule))
                continue
            if not rule and "itemprop" in keys:
                prop = el.get("itemprop")
                if prop == "articleBody":
                    marked.append(el)
                    continue
                # Boxes only: an inline author name ("Words by <span
                # itemprop=author>…") is the byline, which the writer takes out
                # whole with the date beside it.
                rule = microdata.get(prop) if prop and tag in BOX_TAGS else None
            if not rule and "itemtype" in keys:
                rule = _microdata_type_rule(el.get("itemtype"))
            if rule:
                found.append((el, rule))
        return permalinks


def _state_rule(el: HtmlElement, keys: list[str]) -> str | None:
    """The rule an element's role or hidden state names (``keys``: its
    attribute names), before its class or id is read."""
    if "role" in keys and el.get("role") in boilerplate.JUNK_ROLES:
        return "role-" + el.get("role")
    if ("aria-hidden" in keys and el.get("aria-hidden") == "true") or "hidden" in keys:
        return "hidden"
    if "style" in keys and _HIDDEN_STYLE.search(el.get("style")):
        return "hidden"
    return None


class _ArticleMeasure:
    """Whether a box holds the article, by the page's text and paragraph text
    (the article may be in <p>s or in bare <div>s). Totals are measured once,
    and only when a box needs them."""

    def __init__(self, root: HtmlElement, paragraphs: list[HtmlElement],
                 headline_el: HtmlElement | None, marked: list[HtmlElement]):
        self.root = root
        self.paragraphs = paragraphs
        self.headline_el = headline_el
        self._text_total: int | None = None
        self._para_total: int | None = None
        # Each paragraph's length, measured once for the page total and then
        # summed for every box that may hold the article.
        self.para_len: dict[HtmlElement, int] = {}
        self.protected: set[HtmlElement] = set()
        """The headline's and the marked article body's boxes: never dropped."""
        if headline_el is not None:
            self.protected.update(headline_el.iterancestors())
        for el in marked:
            self.protected.add(el)
            self.protected.update(el.iterancestors())

    def page_text(self) -> int:
        if self._text_total is None:
            self._text_total = len(_text_content(self.root))
        return self._text_total

    def page_paragraphs(self) -> int:
        if self._para_total is None:
            total = 0
            para_len = self.para_len
            for p in self.paragraphs:
                total += para_len.setdefault(p, len(_text_content(p)))
            self._para_total = total
        return self._para_total

    def holds_article(self, el: HtmlElement, held_text: int) -> bool:
        if el in self.protected:
            return True
        if held_text >= 0.5 * self.page_text() and (
                self.headline_el is None or self.page_paragraphs() < max(200, 0.3 * self.page_text())):
            # Half the page's text, on a page whose article is not told by its
            # headline or not set in paragraphs. With a headline outside the
            # box on a page of paragraphs, its paragraphs decide: a sidebar
            # beside a short article may hold half the page's text but not
            # its paragraphs.
            return True
        if held_text < 100:
            # Half the paragraph text needs p_total >= 200, so >= 100 chars:
            # the page's paragraphs need not be measured for a small box.
            return False
        p_total = self.page_paragraphs()
        # Paragraph text is part of all text: a box with less text than half
        # the page's paragraphs cannot hold half of them.
        if p_total < 200 or held_text < 0.5 * p_total:
            return False
        held = 0
        para_len = self.para_len
        for p in el.iter("p"):
            n = para_len.get(p)
            held += len(_text_content(p)) if n is None else n
        return held >= 0.5 * p_total


def _drop_boxes(found: list[tuple[HtmlElement, str]], measure: _ArticleMeasure,
                headline_el: HtmlElement | None, dropped: list[DroppedBlock]) -> None:
    """Drop each box a rule names, unless it holds the article; record why."""
    protected = measure.protected
    gone: set[HtmlElement] = set()
    for el, rule in found:
        # isdisjoint steps through the ancestors in C and stops at the first
        # one in the set, as any() over a generator did with a Python frame
        # resumed per ancestor (~330 a page).
        if gone and (el in gone or not gone.isdisjoint(el.iterancestors())):
            continue  # already inside a dropped box
        raw = _text_content(el)
        if rule == "hidden":
            # Hidden text stays hidden unless the element is named as the
            # article's content (a paywalled or collapsed body), and holds it.
            named = any(v and _POSITIVE.search(v) for v in (el.get("class"), el.get("id")))
            if el in protected or (named and measure.holds_article(el, len(raw))):
                continue
        elif el in protected if rule in _STRICT_RULES else measure.holds_article(el, len(raw)):
            continue
        elif rule == "related" and _is_header_teaser(el, headline_el):
            continue
        gone.add(el)
        text = " ".join(raw.split())
        if text:
            dropped.append(DroppedBlock(rule, text, "extract"))
    for el in gone:
        if el.getparent() is not None:
            el.drop_tree()


def _microdata_type_rule(itemtype: str | None) -> str | None:
    """The rule of a schema.org ``itemtype`` ("https://schema.org/Comment";
    several URLs may be given) naming a box that is never article text."""
    if not itemtype:
        return None
    for url in itemtype.split():
        rule = boilerplate.MICRODATA_TYPES.get(url.rstrip("/").rpartition("/")[2])
        if rule:
            return rule
    return None


# Share of a thread's text its comments must hold: a box that also holds
# much else (the article, with two comments at its foot) is not the thread.
_THREAD_TEXT_SHARE = 0.8
# What a comment is built as: a box with its author line, text and reply
# link. Paragraphs or quotes that link to comments are an article's own
# prose ("the best of this week's comments", each quoted and linked).
_COMMENT_ITEM_TAGS = frozenset({"li", "div", "article", "section", "ol", "ul", "dl", "dd", "table", "tbody", "tr", "td"})


def comment_threads(permalinks: list[tuple[HtmlElement, str]]) -> list[HtmlElement]:
    """The boxes holding two or more reader comments side by side, from the
    links to single comments (``(link, comment id)``): a box two or more of
    whose children link to comments (of two ids or more: a comment's own
    permalink and reply link are one), are built as boxes (not paragraphs)
    and hold most of its text. Outermost first; a thread of replies nested
    in a comment goes with it."""
    ids_under: dict[HtmlElement, set[str]] = {}
    children: dict[HtmlElement, set[HtmlElement]] = {}
    for link, cid in permalinks:
        below = link
        ids_under.setdefault(link, set()).add(cid)
        for node in link.iterancestors():
            ids_under.setdefault(node, set()).add(cid)
            children.setdefault(node, set()).add(below)
            below = node
    threads = []
    for node, held_by in children.items():
        if len(held_by) < 2 or len(ids_under[node]) < 2 or node.tag in ("body", "html"):
            continue
        if any(child.tag not in _COMMENT_ITEM_TAGS for child in held_by) or not _built_alike(held_by):
            continue
        total = len(_text_content(node).strip())
        held = sum(len(_text_content(child).strip()) for child in held_by)
        if total and held >= _THREAD_TEXT_SHARE * total:
            threads.append(node)
    threads.sort(key=lambda el: sum(1 for _ in el.iterancestors()))
    return threads


def _built_alike(boxes: set[HtmlElement]) -> bool:
    """Whether the boxes are one kind of item: the same tag, and a class
    name all of them carry (or none carries any). A thread's comments are;
    a page's main column and a sidebar's "recent comments" list, which
    both link to comments, are not, whether their classes are words or
    CSS-in-JS hashes."""
    tags = {box.tag for box in boxes}
    if len(tags) > 1:
        return False
    shared: set[str] | None = None
    for box in boxes:
        names = set((box.get("class") or "").split())
        shared = names if shared is None else shared & names
    return bool(shared) or all(not (box.get("class") or "").split() for box in boxes)


def _is_header_teaser(el: HtmlElement, headline_el: HtmlElement | None) -> bool:
    """Whether a box named like a teaser ("artikel-teaser", "teaser-text") is
    the article's own lede: it follows the headline in the same header
    block and links nowhere. Teasers of other stories are links."""
    if headline_el is None or next(el.iter("a"), None) is not None:
        return False
    if sum(1 for _ in el.iter("p", "div", "li", "h2", "h3", "h4")) > 3:
        return False  # a header box with labels and credits, not one lede
    text = _text(el)
    if len(text) < 60 or not _SENTENCE_END.search(text + " "):
        return False
    node = el
    for _ in range(2):  # the headline may sit one level up ("<header><h1>…</header><div class=teaser>")
        for sib in node.itersiblings(preceding=True):
            if sib is headline_el or (isinstance(sib.tag, str) and headline_el in sib.iterdescendants()):
                return True
        node = node.getparent()
        if node is None:
            return False
    return False


# --------------------------------------------------------------------------
# 2. Score

def _link_density(el: HtmlElement, text_len: int | None = None,
                  link_lengths: dict[HtmlElement, int] | None = None) -> float:
    """Share of the element's text inside links. ``link_lengths`` remembers
    each link's length when several nested candidates are measured."""
    total = text_len if text_len is not None else len(_text_content(el))
    if not total:
        return 0.0
    linked = 0
    if link_lengths is None:
        for a in el.iter("a"):
            linked += len(_text_content(a))
    else:
        for a in el.iter("a"):
            n = link_lengths.get(a)
            if n is None:
                n = link_lengths[a] = len(_text_content(a))
            linked += n
    return min(1.0, linked / total)


_weight_cache: dict[str, int] = {}


def _value_weight(value: str) -> int:
    # Class strings repeat on a page and across a site's pages: two regex
    # searches once per distinct string (bounded, like the rule cache).
    try:
        return _weight_cache[value]
    except KeyError:
        if value.isascii():
            # Substring tests on the lower-cased value give the regexes'
            # verdicts (ASCII words, any case) ~10x faster: a case-insensitive
            # alternation tries every word at every position, ~25 us for a
            # long class string, and every new class string pays it.
            lowered = value.lower()
            weight = (25 if _holds_any(lowered, _POSITIVE_WORDS) else 0) - (25 if _holds_any(lowered, _NEGATIVE_WORDS) else 0)
        else:
            # re.I also folds a few non-ASCII letters ("K", Kelvin, for "k").
            weight = (25 if _POSITIVE.search(value) else 0) - (25 if _NEGATIVE.search(value) else 0)
        if len(_weight_cache) > 50_000:
            _weight_cache.clear()
        _weight_cache[value] = weight
        return weight


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    for word in words:
        if word in text:
            return True
    return False


def _class_weight(el: HtmlElement) -> int:
    weight = 0
    cls = el.get("class")
    if cls:
        weight += _value_weight(cls)
    ident = el.get("id")
    if ident:
        weight += _value_weight(ident)
    return weight


def _own_text(el: HtmlElement) -> str:
    """Text of ``el`` outside its block-level children (a ``<div>`` used as a paragraph)."""
    text = el.text
    parts = [text] if text else []
    block = BLOCK_TAGS
    for child in el:
        tag = child.tag
        if tag.__class__ is str and tag not in block:
            parts.append(_text_content(child))
        tail = child.tail
        if tail:
            parts.append(tail)
    return "".join(parts)


def score_candidates(root: HtmlElement) -> tuple[dict[HtmlElement, float], dict[HtmlElement, int]]:
    """Readability-style scores of the elements that hold paragraphs, and
    the paragraph text length under every element (for widening)."""
    scores: dict[HtmlElement, float] = {}
    ptext: dict[HtmlElement, int] = {}
    # Paragraphs of one block share their ancestors: walk them once a block.
    chains: dict[HtmlElement, list[HtmlElement]] = {}
    for el in root.iter("p", "pre", "td", "div", "section", "blockquote", "li", "dd", "font", "article"):
        tag = el.tag
        if tag == "p" or tag == "pre":
            text = _text_content(el)
        else:
            text = _own_text(el)
        length = len(text.strip())
        if length < MIN_PARAGRAPH:
            continue
        # Commas in several scripts (an argument of prose, not a menu);
        # four C-level counts are cheaper than a regex building a list.
        commas = text.count(",") + text.count("，") + text.count("、") + text.count("،")
        if commas > 8 and _link_density(el, length) > 0.5:
            continue  # a comma-separated list of links (tags, names), not prose
        score = 1 + commas + min(length // 100, 3)
        if tag == "p" or tag == "pre" or tag == "font":
            node = el.getparent()
        elif tag == "li" or tag == "dd" or tag == "td":
            if length < 80:
                continue
            # A list item speaks for the block around the list, not the list:
            # otherwise a long reference list outscores the article.
            score /= 2
            node = el.getparent()
            node = node.getparent() if node is not None else None
        else:
            node = el
        if node is None:
            continue
        chain = chains.get(node)
        if chain is None:
            chain = chains[node] = [node, *node.iterancestors()]
        for level, anc in enumerate(chain):
            if level < 5:
                current = scores.get(anc)
                if current is None:
                    ntag = anc.tag
                    current = _TAG_BASE.get(ntag, 0) + _class_weight(anc) if isinstance(ntag, str) else 0
                scores[anc] = current + score / (1 if level == 0 else 2 if level == 1 else level * 3)
            ptext[anc] = ptext.get(anc, 0) + length
    return scores, ptext


def _first_class(el: HtmlElement) -> str:
    cls = el.get("class")
    return cls.split()[0] if cls and cls.split() else ""


# Paragraph text (chars) of a container that holds a whole article rather
# than a fragment of one (a rating box, a teaser) in need of widening.
_WHOLE_ARTICLE = 1000


def widen(top: HtmlElement, ptext: dict[HtmlElement, int]) -> HtmlElement:
    """Climb to an ancestor when the article continues in sibling blocks built
    like the one chosen (sections of a long text, columns of a page builder,
    the abstract beside the body): most of the extra text must sit in
    siblings with the same tag and first class as the branch holding ``top``."""
    base = ptext.get(top, 0)
    node = top
    for _ in range(5):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        total = ptext.get(parent, 0)
        extra = total - ptext.get(node, 0)
        if base and total >= 1.3 * base and extra > 0:
            tag, first = node.tag, _first_class(node)
            similar = 0
            for sib in parent:
                if sib is not node and sib.tag == tag and _first_class(sib) == first:
                    similar += ptext.get(sib, 0)
            if similar >= 0.7 * extra and _link_density(parent) < 0.3:
                top, base = parent, total
            elif base >= _WHOLE_ARTICLE and extra >= 0.25 * base:
                # A container holding a whole article does not climb past a
                # level that adds much text of another kind (the other posts
                # of a blog index): any ancestor would take that text in too.
                break
        node = parent
    return top


def headline_article(top: HtmlElement, headline_el: HtmlElement | None,
                     ptext: dict[HtmlElement, int]) -> HtmlElement | None:
    """The ``<article>`` inside the container that holds the headline, when
    the container holds other ``<article>``s with headings and text of their
    own: the next stories a page of infinite scroll loads below the first (or
    a "next article" printed whole), which share the first one's markup and
    so draw the container up to their common parent. Only when that article
    holds the container's text besides theirs (not a header-only article
    above the text). None otherwise; a live blog's posts are articles too,
    but its headline is above them."""
    if headline_el is None or not _is_ancestor(top, headline_el):
        return None
    own = None
    for node in headline_el.iterancestors():
        if node is top:
            break
        if node.tag == "article":
            own = node  # the outermost one below the container
    if own is None or not ptext.get(own):
        return None
    others = 0
    for other in top.iter("article"):
        if other is own or _is_ancestor(own, other) or _is_ancestor(other, own):
            continue
        if ptext.get(other, 0) >= _OTHER_STORY_CHARS and _has_story_heading(other, headline_el):
            others += ptext[other]
    if not others or ptext[own] < 0.8 * (ptext.get(top, 0) - others):
        return None
    return own


def _has_story_heading(article: HtmlElement, headline_el: HtmlElement) -> bool:
    """Whether an article element is headed like a story: an h1, or a heading
    with the headline's own class (the template printed again for the next
    story), not a section's h2 ("Zutaten", "Comments") of one story cut into
    several <article> boxes."""
    cls = headline_el.get("class")
    for h in article.iter("h1", "h2", "h3"):
        if h.tag == "h1" or (cls and h.get("class") == cls):
            return True
    return False


# Paragraph text an <article> needs to be another story rather than a teaser card.
_OTHER_STORY_CHARS = 200


def _is_ancestor(anc: HtmlElement, el: HtmlElement) -> bool:
    for node in el.iterancestors():
        if node is anc:
            return True
    return False


# Share of the top score another candidate needs to count as strong beside it.
_STRONG_SHARE = 0.75


def choose_container(root: HtmlElement, scores: dict[HtmlElement, float]) -> tuple[HtmlElement, float]:
    """The best-scoring container after link-density penalty, widened when
    other strong candidates share an ancestor with it."""
    if not scores:
        return root, 0.0
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:8]
    adjusted = []
    link_lengths: dict[HtmlElement, int] = {}  # the candidates are nested: measure each link once
    best = 0.0
    for el, score in ranked:
        if best > 0 and score < _STRONG_SHARE * best:
            # The penalties only lower a score (to at most max(score, 0)), so
            # this candidate and every later one, ranked lower, can be neither
            # the top nor strong beside it: measuring their link density
            # (the text of ever larger ancestors) would be thrown away.
            break
        if el.tag in ("html", "body"):
            adjusted.append((el, score * 0.5))  # the whole page is a last resort
        else:
            adjusted.append((el, score * (1 - _link_density(el, link_lengths=link_lengths))))
        best = max(best, adjusted[-1][1])
    adjusted.sort(key=lambda kv: kv[1], reverse=True)
    top, top_score = adjusted[0]

    # Several strong candidates under one ancestor: the article is split.
    strong = [el for el, s in adjusted[1:5] if s >= _STRONG_SHARE * top_score and not _is_ancestor(el, top) and not _is_ancestor(top, el)]
    if len(strong) >= 2:
        node = top.getparent()
        while node is not None and node.tag not in ("body", "html"):
            if sum(1 for el in strong if _is_ancestor(node, el)) >= 2:
                top = node
                top_score = max(top_score, scores.get(node, 0.0))
                break
            node = node.getparent()

    # A lone child carries no more than its parent.
    while True:
        parent = top.getparent()
        if parent is None or parent.tag in ("body", "html") or len(parent) != 1:
            break
        top = parent
    return top, top_score


def gather(top: HtmlElement, top_score: float, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """The container plus sibling blocks that read like article text."""
    parent = top.getparent()
    if parent is None or top.tag in ("body", "html"):
        return [top]
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class")
    out: list[HtmlElement] = []
    after = False
    for sib in parent:
        if sib is top:
            out.append(sib)
            after = True
            continue
        if not isinstance(sib.tag, str):
            continue
        if after and sib.tag in HEADING_TAGS and _heads_other_content(sib):
            break  # "Related", "Comments": what follows is not this article
        if sib.tag == "aside" or _class_weight(sib) < 0:
            continue
        bonus = top_score * 0.2 if top_class and sib.get("class") == top_class else 0.0
        if scores.get(sib, -1e9) + bonus >= threshold:
            out.append(sib)
            continue
        if sib.tag in HEADING_TAGS:
            continue
        text = _text(sib)
        n = len(text)
        if not n:
            continue
        density = _link_density(sib, n)
        if n > 80 and density < 0.25 and _SENTENCE_END.search(text):
            out.append(sib)
        elif sib.tag == "p" and density == 0 and _SENTENCE_END.search(text):
            out.append(sib)
    return out


def _heads_other_content(heading: HtmlElement) -> bool:
    """Whether a heading announces what is not the article (related stories,
    comments, a newsletter), by the box-heading rules of ``boilerplate.py``."""
    return boilerplate.heads_other_content(_text(heading))


def _is_lede_box(el: HtmlElement) -> bool:
    """Whether the element's class or id names a lede ("lead", "intro", "deck"...)."""
    for value in (el.get("class"), el.get("id")):
        if value and boilerplate.names_lede(value):
            return True
    return False


def _is_dek(el: HtmlElement) -> bool:
    """Whether the element is set apart as a subtitle (a heading, a class
    such as "standfirst", "deck" or "strap", or microdata ``description``)
    rather than being article text; an "intro" or "lead" paragraph is the
    article's first paragraph, however the site styles it."""
    if el.tag in HEADING_TAGS:
        # A heading is a subtitle unless its class calls it the text's
        # opening ("h2 class=epigraph", "h2 class=intro").
        cls = el.get("class")
        return not (cls and boilerplate.names_lede(cls) and not boilerplate.names_dek(cls))
    for node in (el, el.getparent()):
        if node is None:
            continue
        if node.get("itemprop") in ("description", "abstract"):
            return True
        for value in (node.get("class"), node.get("id")):
            if value and boilerplate.names_dek(value):
                return True
    return False


def find_lede(top: HtmlElement, standfirst: str | None = None) -> list[HtmlElement]:
    """Paragraphs of a lede or intro block placed before the article's
    container (a ``<p class="lead">`` in the header, a deck in an ``<h2
    class="deck">``, a teaser box above the body): the nearest preceding
    block, up to five levels up, holding prose. A subtitle set apart as such
    (a heading, a "standfirst" or "deck" class) that the loader took as the
    standfirst has its own field and is not repeated in the body; a first
    paragraph that merely equals the meta description is kept."""
    skip = _fold(standfirst)
    node = top
    for _ in range(5):
        parent = node.getparent()
        if parent is None or node.tag in ("body", "html") or parent.tag in ("body", "html"):
            return []
        seen = 0
        sib = node.getprevious()
        while sib is not None and seen < 3:
            if isinstance(sib.tag, str) and (sib.tag not in HEADING_TAGS or _is_lede_box(sib)):
                seen += 1
                found: list[HtmlElement] = []
                if sib.tag == "p" or (sib.tag in HEADING_TAGS and _is_lede_box(sib)):
                    candidates = [sib]
                else:
                    candidates = [el for el in sib.iter() if el.tag == "p" or (el.tag in HEADING_TAGS and _is_lede_box(el))]
                for p in candidates:
                    text = _text(p)
                    if len(text) >= 60 and _SENTENCE_END.search(text + " ") and _link_density(p, len(text)) < 0.2:
                        if skip and skip in _fold(text) and _is_dek(p):  # equal or within
                            continue
                        found.append(p)
                if found:
                    return found[:2]
            sib = sib.getprevious()
        node = parent
    return []


# --------------------------------------------------------------------------
# 3. Write

@dataclass
class _Block:
    text: str
    links: int
    tag: str


def br_paragraphs(raw: str, br_links: list[int], links: int) -> list[list[tuple[str, int]]]:
    """The paragraphs of a block's text gathered with ``_BR`` for each
    ``<br>``: each a list of (line, linked characters). Two or more ``<br>``
    in a row (white space between them) end a paragraph, as ``</p><p>``
    would: old CMSs set a whole article in one container that way. A lone
    ``<br>`` breaks a line within the paragraph. ``br_links`` is the running
    count of linked characters at each ``<br>`` and ``links`` the block's
    total; the lines' counts are 0 when the page's own text holds the marker.
    """
    segments = raw.split(_BR)
    marks = [0, *br_links, links] if len(segments) == len(br_links) + 1 else None
    paragraphs: list[list[tuple[str, int]]] = [[]]
    for i, segment in enumerate(segments):
        line = " ".join(segment.split())
        if line:
            paragraphs[-1].append((line, marks[i + 1] - marks[i] if marks else 0))
        elif 0 < i < len(segments) - 1 and paragraphs[-1]:
            # Nothing between this <br> and the previous one.
            paragraphs.append([])
    return [lines for lines in paragraphs if lines]


def _article_days(article: Article) -> tuple[str, ...]:
    """The calendar days (YYYY-MM-DD) a date line of the article may print:
    those of ``published`` and ``modified``, and the days next to the
    publication's (a value stored in UTC is another day in the site's zone)."""
    days: list[str] = []
    for value in (article.published, article.modified):
        if value and len(value) >= 10:
            days.append(value[:10])
    if days:
        try:
            day = date.fromisoformat(days[0])
        except ValueError:
            return tuple(days)
        days += [(day - timedelta(days=1)).isoformat(), (day + timedelta(days=1)).isoformat()]
    return tuple(days)


class _Writer:
    """Turns elements into plain-text blocks, applying the block and box rules."""

    def __init__(self, article: Article, dropped: list[DroppedBlock],
                 box_rules: boilerplate.CompiledTextRules) -> None:
        self.blocks: list[_Block] = []
        self.parts: list[str] = []
        self.links = 0
        self.br_links: list[int] = []  # self.links at each <br> of the block being gathered
        self.dropped = dropped
        self.dropped_here: list[DroppedBlock] = []
        self.box_rules = box_rules
        self.headline = _fold(article.headline)
        self.byline = _fold(article.byline)
        self.authors = [_fold(a) for a in article.authors if a]
        self.date_raw = _fold(article.published_raw)
        self.date_days = _article_days(article)
        self.standfirst = _fold(article.standfirst)
        self.in_top = False  # walking the chosen container (not a lede or sibling)
        self.keep_captions = False  # a gallery page: its captions are its text
        self.captions: list[str] = []
        self.seen_text = False
        # Rule (or None for a kept block) of every block written, in order,
        # so a box can tell whether its first line was a dropped heading.
        self.events: list[str | None] = []
        # Where a heading such as "Related" or "Verwandte Beiträge" was
        # dropped (the index of the next block): its items may follow as
        # siblings rather than inside one box with it.
        self.related_marks: list[int] = []

    # inline text
    def add(self, text: str | None, linked: bool) -> None:
        if text:
            self.parts.append(text)
            if linked:
                self.links += len(text.strip())

    def flush(self, tag: str, pre: bool = False, el: HtmlElement | None = None) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        if _has_invisible(raw):
            raw = _INVISIBLE.sub("", raw)
        self.parts = []
        links, self.links = self.links, 0
        br_links, self.br_links = self.br_links, []
        paragraphs: list[list[tuple[str, int]]] = []
        lines: list[tuple[str, int]] = []
        if pre:
            text = "\n".join(line.rstrip() for line in raw.strip("\n").split("\n")).strip()
        elif _BR in raw:
            # Source line breaks are white space; only <br> (the marker) breaks a line.
            paragraphs = br_paragraphs(raw, br_links, links)
            lines = [line for paragraph in paragraphs for line in paragraph]
            text = "\n".join(line for line, _ in lines)
        else:
            text = " ".join(raw.split())
        if not text:
            return
        rule = self.block_rule(text, tag)
        if rule is None and len(lines) > 1:
            kept = self.drop_lines(lines)
            if not kept:
                return
            if len(kept) < len(lines):
                links -= sum(n for _, n in lines) - sum(n for _, n in kept)
                text = "\n".join(line for line, _ in kept)
                links = max(0, min(links, len(text)))
                lines = kept
        if (rule is None and el is not None and not self.in_top and self.standfirst
                and _is_dek(el) and _fold(text) == self.standfirst):
            # _is_dek first: a few attribute reads, where folding a
            # paragraph of non-ASCII text runs a regex over all of it.
            # The subtitle above the article has its own field. Inside the
            # article's container the same text is the article's own intro.
            rule = "standfirst"
        if rule is None and tag == "p" and len(text) < 150 and links >= 0.9 * len(text):
            # A paragraph that is one link: a teaser to another story.
            rule = "link-paragraph"
        if (rule is None and tag == "p" and "\n" in text and links >= 0.8 * len(text)
                and len(text) >= 25 * (text.count("\n") + 1)):
            # Lines that are each a link ("-<a>Story</a><br>-<a>Story</a>"):
            # a list of other stories set as one paragraph. Headline-long
            # lines only: a list of short names (brands, people) may be content.
            rule = "link-list"
        if rule is None and len(paragraphs) > 1:
            # Kept as a whole, the block is written paragraph by paragraph,
            # each judged again on its own (a "By AFP" line above the text).
            kept_lines = set(lines)
            for paragraph in paragraphs:
                own = [line for line in paragraph if line in kept_lines]
                if own:
                    own_text = "\n".join(line for line, _ in own)
                    own_links = min(sum(n for _, n in own), len(own_text))
                    self.record(own_text, own_links, tag, self.block_rule(own_text, tag))
            return
        self.record(text, links, tag, rule)

    def record(self, text: str, links: int, tag: str, rule: str | None) -> None:
        """Keep a judged block, or record it as dropped by ``rule``."""
        self.events.append(rule)
        if (rule == "headline" and tag == "h1" and self.blocks and not any(
                b.tag == "p" and len(b.text) >= 60 and _SENTENCE_END.search(b.text + " ") for b in self.blocks)):
            # Only at the top, before any paragraph of text: an h1 repeated
            # further down must not take the article's subheadings with it.
            self.drop_kickers()
        if rule:
            self.dropped.append(DroppedBlock(rule, text, "extract"))
            if rule == "related" and tag in HEADING_TAGS:
                self.related_marks.append(len(self.blocks))
            return
        self.blocks.append(_Block(text, links, tag))
        if len(text) >= MIN_PARAGRAPH:
            self.seen_text = True

    def drop_kickers(self) -> None:
        """Short labels written before the headline are its kicker or
        overline ("Leseprobe: Das perfekte Dinner", a section name), not
        text of the article: a lede paragraph is a sentence."""
        kept = []
        for block in self.blocks:
            if len(block.text) <= 100 and not _SENTENCE_END.search(block.text + " "):
                self.dropped.append(DroppedBlock("kicker", block.text, "extract"))
            else:
                kept.append(block)
        self.blocks[:] = kept

    def drop_lines(self, lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """The block's ``<br>``-separated lines (each with its linked
        characters) without those a text rule names ("Hier geht es zur …",
        "RSS-Feed abonnieren" under a press release): a block kept as a
        whole may still end in such lines."""
        kept = []
        for line in lines:
            rule = boilerplate.judge_block(line[0]) if len(line[0]) <= boilerplate.MAX_BLOCK_CHARS else None
            if rule:
                self.dropped.append(DroppedBlock(rule, line[0], "extract"))
            else:
                kept.append(line)
        return kept

    def block_rule(self, text: str, tag: str) -> str | None:
        if tag in HEADING_TAGS:
            if tag == "h1" and not self.seen_text:
                return "headline"
            if self.headline and _fold(text) == self.headline:
                return "headline"
        if len(text) <= boilerplate.MAX_BLOCK_CHARS:
            rule = boilerplate.judge_block(text)
            if rule:
                return rule
            if len(text) <= 200 and self.may_be_byline(text) and self.is_byline(_fold(text), text):
                return "byline"
        return None

    def may_be_byline(self, text: str) -> bool:
        # Folding every short block is costly; only a block of about the
        # byline's or date's length (folding may lengthen "ß"), or one
        # near the top, can be either.
        n = len(text)
        return bool(((self.authors or self.date_days) and len(self.blocks) <= 2)
                    or (self.byline and len(self.byline) // 2 <= n <= 3 * len(self.byline) + 20)
                    or (self.date_raw and len(self.date_raw) // 2 <= n <= 3 * len(self.date_raw) + 20))

    def is_byline(self, folded: str, text: str) -> bool:
        if not folded or len(folded) > 160:
            return False
        if self.byline and (folded == self.byline or (
                folded.endswith(self.byline) and strip_byline_prefix(folded) == self.byline)):
            # The byline as printed, or with its label ("By AFP" for "AFP").
            return True
        if self.date_raw and folded == self.date_raw:
            return True
        if self.date_days and len(self.blocks) <= 2 and is_article_date_line(text, self.date_days):
            # The article's date line as printed, when the loader read the
            # dates elsewhere (meta tags, JSON-LD).
            return True
        if self.authors and len(self.blocks) <= 2:  # near the top, after at most a lede
            # "By Jane Doe | 12 March 2020": names plus a few words around them.
            rest = folded
            hit = False
            for name in self.authors:
                if name and name in rest:
                    rest = rest.replace(name, " ")
                    hit = True
            if hit and len(rest.split()) <= 8 and not _SENTENCE_END.search(text.rstrip(".") + " x"):
                return True
        return False

    def walk(self, el: HtmlElement, linked: bool = False, top: bool = False) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == "br":
            self.parts.append(_BR)
            self.br_links.append(self.links)
            return
        cls = el.get("class") if not top else None
        rule = _rule_cache[cls] if cls else None
        if (tag in _CAPTION_TAGS or rule == "caption") and not top and not self.figure_is_text(el):
            text = _text(el)
            if text:
                self.captions.append(text)
                if not self.keep_captions:
                    self.dropped.append(DroppedBlock("caption", text, "extract"))
                    return
            else:
                return
        elif rule and tag in _WRITER_RULE_TAGS:
            # Small elements are judged here rather than in the prune pass
            # ("comments-link", "share-button", "p.newsletter-signup").
            text = _text(el)
            if text:
                self.dropped.append(DroppedBlock(rule, text, "extract"))
            return
        if tag in ("img", "hr"):
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush("p")
            start = len(self.blocks)
            start_events = len(self.events)
        linked = linked or tag == "a"
        pre = tag == "pre"
        if pre:
            self.parts.append(_text_content(el))
            self.flush("pre", pre=True)
            return
        parts = self.parts
        text = el.text
        if text:
            parts.append(text)
            if linked:
                self.links += len(text.strip())
        walk = self.walk
        for child in el:
            walk(child, linked)
            tail = child.tail
            if tail:
                # self.parts is replaced by each flush: append to the current list.
                self.parts.append(tail)
                if linked:
                    self.links += len(tail.strip())
        if block:
            self.flush(tag, el=el)
            if not top and tag in BOX_TAGS and len(self.blocks) > start:
                self.box_check(el, tag, start, start_events)

    def figure_is_text(self, el: HtmlElement) -> bool:
        # Some sites wrap whole passages in <figure>; those are not captions.
        if el.tag != "figure":
            return False
        paras = list(el.iter("p"))
        if len(paras) < 3 or next(el.iter("figcaption"), None) is not None:
            return False
        return sum(len(_text_content(p)) for p in paras) > 400

    def box_check(self, el: HtmlElement, tag: str, start: int, start_events: int) -> None:
        blocks = self.blocks[start:]
        total = sum(len(b.text) for b in blocks)
        rule = None
        if total <= 1500:
            first = blocks[0].text
            # The box's heading may have been dropped already by a text rule.
            first_rule = self.events[start_events] if len(self.events) > start_events else None
            if first_rule in _BOX_RULES and len(blocks) <= 8:
                rule = first_rule
            elif len(first) <= 160:
                rule = self.box_rules.match(first.lower())
            if rule is None and len(blocks) <= 3 and total <= 800:
                # A small box that ends in a call to action ("Jetzt kostenlos
                # für iOS und Android!", "Subscribe now") is the promo it closes.
                last_rule = self.events[-1] if len(self.events) > start_events else None
                if last_rule in _CTA_RULES:
                    rule = last_rule
        if rule is None and len(blocks) >= 3:
            links = sum(b.links for b in blocks)
            if links >= 0.6 * total and total / len(blocks) < 120:
                rule = "link-list"
        if rule is None and tag in ("ul", "ol") and len(blocks) >= 2:
            links = sum(b.links for b in blocks)
            if links >= 0.8 * total:
                rule = "link-list"
        if rule:
            del self.blocks[start:]
            self.dropped.append(DroppedBlock(rule, "\n\n".join(b.text for b in blocks), "extract"))
            if start_events < len(self.events):
                # A box that was only a heading ("<div class=h5>Aller plus
                # loin</div>") speaks for the box around it, as a heading
                # dropped by a text rule does.
                self.events[start_events] = rule
            if rule == "related" and len(blocks) == 1:
                self.related_marks.append(start)


# A teaser card: a title that is wholly a link, then at most this many short
# blocks (its excerpt, its date or author line).
_CARD_TITLE_CHARS = 200
_CARD_BLOCKS = 3
_CARD_TEXT_CHARS = 300


def _is_card_title(block: _Block) -> bool:
    n = len(block.text)
    return block.tag in HEADING_TAGS and 0 < n <= _CARD_TITLE_CHARS and block.links >= 0.9 * n


def _drop_teaser_cards(blocks: list[_Block], marks: list[int], dropped: list[DroppedBlock]) -> None:
    """Drop a run of two or more teaser cards of other stories that follows
    a dropped "Related"-type heading (``marks``): a heading that is one link,
    then a few short blocks (an excerpt, a date), then the next such heading.
    Related-post grids are built so when the heading is not in one box with
    them. Only after such a heading: linked headings with short text under
    them are also an article's own (a numbered list of products, a table of
    contents whose headings link to themselves)."""
    if not marks:
        return
    starts = [i for i, b in enumerate(blocks) if _is_card_title(b)]
    if len(starts) < 2:
        return
    wanted = set(marks)
    doomed: set[int] = set()
    run: list[tuple[int, int]] = []

    def close_run() -> None:
        if len(run) >= 2:
            first = run[0][0]
            if first - 1 in wanted and len(blocks[first - 1].text) <= 40:
                first -= 1  # the first card's own label ("Learn", a category)
            if first in wanted:
                doomed.update(range(first, run[-1][1]))
        run.clear()

    for k, start in enumerate(starts):
        last = k + 1 == len(starts)
        limit = len(blocks) if last else starts[k + 1]
        # Cards of one grid are built alike: the last one takes no more
        # blocks after its title than the others did (what follows the grid
        # may be the article again).
        most = max((e - s - 1 for s, e in run), default=0) if last and run else _CARD_BLOCKS
        end = start + 1
        while end < limit and end - start - 1 < most:
            b = blocks[end]
            if b.tag in HEADING_TAGS or len(b.text) > _CARD_TEXT_CHARS:
                break
            end += 1
        if run and run[-1][1] != start:
            close_run()
        run.append((start, end))
        if end != limit:
            close_run()  # something other than a card follows: the run ends here
    close_run()
    for i in sorted(doomed):
        dropped.append(DroppedBlock("teaser-cards", blocks[i].text, "extract"))
    for i in sorted(doomed, reverse=True):
        del blocks[i]


def _join_drop_caps(blocks: list[_Block]) -> None:
    """Put a drop cap set apart from its paragraph ("<span class=x>T</span>
    <p>urkey, Poland…") back in front of it: a block of one capital letter
    followed by a paragraph that starts in lower case is that paragraph's
    first letter, not a block of its own (nor a kicker to drop)."""
    i = 0
    while i + 1 < len(blocks):
        cap, following = blocks[i], blocks[i + 1]
        if (len(cap.text) == 1 and cap.text.isupper() and cap.tag not in HEADING_TAGS
                and following.tag not in HEADING_TAGS and following.text[:1].islower()):
            following.text = cap.text + following.text
            following.links += cap.links
            del blocks[i]
        i += 1


# Text rules whose match on a small box's last line condemns the box: the
# call to action that ends a promo.
_CTA_RULES = frozenset({"donation", "newsletter", "app", "registration"})


# Text rules whose match on a box's first line condemns the whole box.
_BOX_RULES = boilerplate.BOX_RULES


_NON_WORD = re.compile(r"[^\w]+")


# ASCII characters that are not ``\w``, each to a space: an ASCII text is
# folded by one C-level translate instead of a regex testing every
# character's Unicode category (2-3x faster on a paragraph).
_ASCII_NON_WORD = str.maketrans({chr(i): " " for i in range(128) if not (chr(i).isalnum() or chr(i) == "_")})


def _fold(text: str | None) -> str:
    if not text:
        return ""
    folded = text.casefold()
    if folded.isascii():
        return " ".join(folded.translate(_ASCII_NON_WORD).split())
    return " ".join(_NON_WORD.sub(" ", folded).split())


# --------------------------------------------------------------------------
# Structured articleBody

def _ld_article_body(root: HtmlElement, scripts: Iterable[HtmlElement] | None = None) -> str | None:
    """The longest JSON-LD ``articleBody`` on the page, if any. ``scripts``:
    the page's ``<script>`` elements in document order, when the caller
    collected them already (a walk of the whole tree saved)."""
    best = None
    for script in root.iter("script") if scripts is None else scripts:
        # The type first: reading .text copies every inline script into Python.
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = script.text
        if not raw or "articleBody" not in raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for value in _find_key(data, "articleBody"):
            if isinstance(value, str) and (best is None or len(value) > len(best)):
                best = value
    return best


def _find_key(data: object, key: str) -> Iterable[object]:
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield v
            else:
                yield from _find_key(v, key)
    elif isinstance(data, list):
        for item in data:
            yield from _find_key(item, key)


def _ld_paragraphs(text: str) -> str:
    # articleBody is sometimes HTML-escaped markup; reduce it to text.
    if "<" in text and ">" in text:
        try:
            frag = etree.fromstring(f"<div>{text}</div>", etree.HTMLParser())
            text = "\n\n".join(_collapse(t) for t in frag.itertext() if t.strip())
        except (etree.ParserError, ValueError):
            pass
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\r\n\r\n|\n", _INVISIBLE.sub("", text))]
    return "\n\n".join(p for p in paras if p)


# --------------------------------------------------------------------------

def _headline_element(root: HtmlElement, headline: str | None,
                      h1s: Iterable[HtmlElement] | None = None) -> HtmlElement | None:
    """The <h1> holding the article's headline; the first <h1> when none does
    (a site logo is often an <h1> too, so the headline text decides).
    ``h1s``: the page's ``<h1>`` elements in document order, when the caller
    collected them already; only those inside ``root`` are read."""
    first = None
    wanted = _fold(headline)
    if h1s is None:
        h1s = root.iter("h1")
    else:
        h1s = [h1 for h1 in h1s if _is_ancestor(root, h1)]
    for h1 in h1s:
        if first is None:
            first = h1
        if not wanted:
            break
        text = _fold(_text_content(h1))
        if text and (text == wanted or wanted in text or (len(text) > 20 and text in wanted)):
            return h1
    return first


def _write(elements: list[HtmlElement], top: HtmlElement, article: Article, dropped: list[DroppedBlock],
           *, keep_captions: bool = False) -> _Writer:
    start = len(dropped)
    writer = _Writer(article, dropped, boilerplate.container_rules())
    writer.keep_captions = keep_captions
    for el in elements:
        writer.in_top = el is top
        writer.walk(el, top=el is top)
        writer.flush("p")
    writer.dropped_here = dropped[start:]
    return writer


def extract_body(doc: HtmlElement, article: Article, config: ExtractionConfig | None = None,
                 elements: list[HtmlElement] | None = None) -> BodyResult:
    """The article text of a parsed page (mutates ``doc``).

    ``elements``: the page's elements of some tags, ``<script>`` and
    ``<h1>`` among them, in document order, as the metadata loader
    collected them from the unchanged tree (``loader.collect_elements``):
    picking the ~30 scripts and one or two headings out of that list costs
    ~4 us each, a tag-filtered walk of the whole just-parsed page ~20 us."""
    dropped: list[DroppedBlock] = []
    scripts = h1s = None
    if elements is not None:
        scripts = [el for el in elements if el.tag == "script"]
        h1s = [el for el in elements if el.tag == "h1"]
    ld_body = _ld_article_body(doc, scripts)
    root = doc.find("body")
    if root is None:
        root = doc
    headline_el = _headline_element(root, article.headline, h1s)
    # Held to the end: see prune.
    visited = prune(root, headline_el, config, dropped)
    scores, ptext = score_candidates(root)
    top, top_score = choose_container(root, scores)
    widened = widen(top, ptext)
    if widened is not top:
        top, top_score = widened, max(top_score, scores.get(widened, 0.0))
    own = headline_article(top, headline_el, ptext)
    if own is not None:
        top, top_score = own, max(top_score, scores.get(own, 0.0))
        elements = [own]  # its siblings are the other stories
    else:
        elements = gather(top, top_score, scores)
    if elements:
        elements = find_lede(elements[0], article.standfirst) + elements

    writer = _write(elements, top, article, dropped)
    caption_chars = sum(len(c) for c in writer.captions)
    if caption_chars > 150 and sum(len(b.text) for b in writer.blocks) < 0.5 * caption_chars:
        # A gallery or slideshow: the captions carry the story, so they stay.
        del dropped[len(dropped) - len(writer.dropped_here):]
        writer = _write(elements, top, article, dropped, keep_captions=True)
    blocks = writer.blocks
    _drop_teaser_cards(blocks, writer.related_marks, dropped)
    _join_drop_caps(blocks)
    if (len(blocks) >= 2 and len(blocks[0].text) <= 25 and len(blocks[0].text.split()) <= 2
            and not _SENTENCE_END.search(blocks[0].text + " ") and len(blocks[1].text) >= 3 * len(blocks[0].text)):
        # One or two words before everything else: the kicker or section
        # label above the story ("Promis", "KULTUR"), not its text.
        dropped.append(DroppedBlock("kicker", blocks.pop(0).text, "extract"))
    while blocks:
        last = blocks[-1]
        if last.text.endswith(":") and len(last.text) <= 40:
            # A label announcing what is not text (a map, a video, a widget):
            # nothing of the article follows it. Only labels: a sentence ending
            # in a colon ("Twitter seemed confused by the campaign:") before an
            # embed is the article's own.
            dropped.append(DroppedBlock("dangling-label", blocks.pop().text, "extract"))
        elif last.tag in HEADING_TAGS and len(blocks) > 1:
            # A heading with no text after it heads a widget or a box of
            # links that is gone ("Keine Lust alleine zu radeln?" over a
            # booking widget), not a section of the article.
            dropped.append(DroppedBlock("dangling-heading", blocks.pop().text, "extract"))
        else:
            break
    text = "\n\n".join(b.text for b in blocks)

    if ld_body:
        ld_text = _ld_paragraphs(ld_body)
        # articleBody is often a teaser; trust it only when the page gave much less.
        if len(ld_text) > 1.5 * len(text) + 200 and not ld_text.rstrip().endswith(("…", "...")):
            for block in writer.blocks:
                dropped.append(DroppedBlock("superseded-by-articleBody", block.text, "extract"))
            text = ld_text
    del visited  # held until here on purpose (see prune)
    return BodyResult(text, dropped)
