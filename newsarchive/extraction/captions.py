"""Image captions: ``figure``/``figcaption`` and the caption classes CMSs use.

Each caption is split into its text and its photo credit, either from a
credit element inside the caption (``<span class="credit">``, ``<small>``,
``<cite>``) or, failing that, from the caption's wording ("... (AP)",
"Photo: ...", "© ..."). Captions in related-article teasers, navigation
and comments are not the article's and are skipped. The tree is only read.
"""
from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from newsarchive.extraction.processors import clean_credit, fold, normalize_space, split_credit
from newsarchive.items import Caption

# Elements (by class/id word) that hold a caption's credit.
CREDIT_CLASS_WORDS: tuple[str, ...] = (
    "credit", "copyright", "photographer", "source", "byline", "author", "attribution",
    "rights", "fotograf", "quelle", "bildquelle", "courtesy",
)
# Containers whose figures belong to other stories or to the page chrome.
FOREIGN_CONTAINER_WORDS: tuple[str, ...] = (
    "related", "teaser", "recommend", "promo", "sidebar", "comment", "more-stories",
    "most-read", "mostread", "trending", "newsletter", "footer", "nav", "outbrain", "taboola",
)

# Starting from the class attributes lets libxml2 skip elements without one,
# which halves the cost of this page-wide search.
_CLASS_CAPTION_XPATH = (
    ".//*/@class[contains(., 'aption')]/parent::*"
    "[not(ancestor::figure)][not(self::figcaption)]"
)
# Compiled once: lxml compiles a string XPath on every call.
_CLASS_CAPTIONS = etree.XPath(_CLASS_CAPTION_XPATH)
# Far above the 600 characters a caption may have, so a credit split off
# later could never bring such a text back under that limit.
_NOT_A_CAPTION_CHARS = 2000
_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src", "src")


def _classes(el: lxml_html.HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def _holds_word(names: str, words: tuple[str, ...]) -> bool:
    """``any(w in names for w in words)`` as a loop: these tests run for
    every ancestor of a figure and every element of a caption, and the
    generator cost more than the substring tests."""
    for word in words:
        if word in names:
            return True
    return False


def _is_foreign(el: lxml_html.HtmlElement) -> bool:
    node = el.getparent()
    depth = 0
    while node is not None and depth < 12:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in {"aside", "nav", "footer"}:
            return True
        names = _classes(node)
        if names.strip() and _holds_word(names, FOREIGN_CONTAINER_WORDS):
            return True
        node = node.getparent()
        depth += 1
    return False


def image_src(img: lxml_html.HtmlElement | None, base_url: str) -> str | None:
    """Absolute URL of an image, preferring the largest srcset candidate and
    lazy-loading attributes over a placeholder ``src``."""
    if img is None:
        return None
    srcset = img.get("srcset") or img.get("data-srcset")
    best: str | None = None
    if srcset:
        best_width = -1
        for candidate in srcset.split(","):
            bits = candidate.split()
            if not bits:
                continue
            width = 0
            if len(bits) > 1 and bits[1][:-1].isdigit():
                width = int(bits[1][:-1])
            if width > best_width:
                best, best_width = bits[0], width
    if not best:
        for attr in _LAZY_ATTRS:
            value = (img.get(attr) or "").strip()
            if value and not value.startswith("data:"):
                best = value
                break
    if not best:
        return None
    try:
        return urljoin(base_url, best)
    except ValueError:
        return None


def _text_and_credit(container: lxml_html.HtmlElement) -> tuple[str | None, str | None]:
    """Caption text without its credit element(s), and the credit."""
    credit_parts: list[str] = []
    text_parts: list[str] = []

    def walk(el: lxml_html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in {"script", "style", "noscript", "button", "svg"}:
            if el.tail:
                text_parts.append(el.tail)
            return
        names = _classes(el)
        if el is not container and (tag in {"small", "cite"} or _holds_word(names, CREDIT_CLASS_WORDS)):
            credit_parts.append(el.text_content())
        else:
            if el.text:
                text_parts.append(el.text)
            for child in el:
                walk(child)
        if el is not container and el.tail:
            text_parts.append(el.tail)

    walk(container)
    text = normalize_space(" ".join(text_parts))
    if text and len(text) > _NOT_A_CAPTION_CHARS:
        # A whole block classed "caption": the caller drops it, so splitting
        # credits out of thousands of characters would be wasted work.
        return text, None
    credit = clean_credit(" ".join(credit_parts)) if credit_parts else None
    if credit:
        # The printed "Photo:" label stays in the text when the name is marked up.
        text, _ = split_credit(text) if text else (None, None)
        return text, credit
    return split_credit(text)


def extract_captions(
    doc: lxml_html.HtmlElement,
    base_url: str,
    figures: list[lxml_html.HtmlElement] | None = None,
    article: lxml_html.HtmlElement | None = None,
) -> list[Caption]:
    """Captions of the article's images, de-duplicated, in page order.

    ``figures`` are the page's ``<figure>`` elements when the caller has
    them already; the class-based search for other captions ("wp-caption")
    only runs when no figure carries a figcaption, inside ``article`` (the
    ``<article>`` holding the headline) when there is one.
    """
    if figures is None:
        figures = list(doc.iter("figure"))
    candidates: list[lxml_html.HtmlElement] = [f for f in figures if f.find(".//figcaption") is not None]
    if not candidates:
        candidates = _CLASS_CAPTIONS(article if article is not None else doc)
    captions: list[Caption] = []
    seen: set[str] = set()
    for el in candidates:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "figure":
            caption_el = el.find(".//figcaption")
            image_owner = el
        else:
            caption_el = el
            # "wp-caption" wraps image and text; "caption-text" is the text only.
            has_img = el.find(".//img") is not None
            image_owner = el if has_img else el.getparent()
            if has_img:
                text_el = next(
                    (c for c in el.iter() if c is not el and "caption" in _classes(c)), None
                )
                if text_el is not None:
                    caption_el = text_el
        if caption_el is None or _is_foreign(el):
            continue
        text, credit = _text_and_credit(caption_el)
        if not text and not credit:
            continue
        if text and len(text) > 600:
            # A "caption" class on a whole block: not a caption.
            continue
        key = fold(text) or fold(credit)
        if key in seen:
            continue
        seen.add(key)
        img = image_owner.find(".//img") if image_owner is not None else None
        captions.append(Caption(text=text or "", credit=credit, image_url=image_src(img, base_url)))
    return captions
