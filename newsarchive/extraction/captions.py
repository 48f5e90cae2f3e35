"""Image captions: ``figure``/``figcaption`` and the caption classes CMSs use.

Each caption is split into its text and its photo credit, either from a
credit element inside the caption (``<span class="credit">``, ``<small>``,
``<cite>``) or, failing that, from the caption's wording ("... (AP)",
"Photo: ...", "© ..."). Captions in related-article teasers, navigation
and comments are not the article's and are skipped. The tree is only read.
"""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from newsarchive.extraction.boilerplate import judge_block
from newsarchive.extraction.processors import (
    CREDIT_MAX_WORDS,
    clean_credit,
    fold,
    normalize_space,
    split_credit,
    starts_with_credit_label,
    strip_caption_label,
)
from newsarchive.items import Caption

# Elements (by class/id word) that hold a caption's credit.
CREDIT_CLASS_WORDS: tuple[str, ...] = (
    "credit", "copyright", "photographer", "source", "byline", "author", "attribution",
    "rights", "fotograf", "quelle", "bildquelle", "courtesy",
)
# Microdata properties that mark a caption's credit (``itemprop="copyrightHolder"``).
CREDIT_ITEMPROPS: frozenset[str] = frozenset({"copyrightholder", "credittext", "creator"})
# Containers whose figures belong to other stories or to the page chrome
# ("tease" also covers "teaseimage", "teaser").
FOREIGN_CONTAINER_WORDS: tuple[str, ...] = (
    "related", "tease", "playlist", "recommend", "promo", "sidebar", "comment", "more-stories",
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
# What a caption captions: an element found by its class alone must have one
# of these in it or beside it, or be named for a picture, to be an image's
# caption and not an ad label ("adCaption"), a box title or a button.
MEDIA_TAGS: tuple[str, ...] = ("img", "picture", "video", "iframe", "noscript", "amp-img", "source")
IMAGE_CLASS_WORDS: tuple[str, ...] = (
    "image", "img", "photo", "picture", "figure", "media", "foto", "bild", "galer", "gallery",
)
# Links that fold a long caption open or shut, per language: not its words.
TOGGLE_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("more", "less", "read more", "show more", "show less", "expand", "collapse"),
    "de": ("mehr", "weniger", "mehr anzeigen", "weniger anzeigen"),
    "fr": ("plus", "moins", "voir plus"),
    "es": ("más", "menos", "ver más"),
}
_TOGGLES = frozenset(label for labels in TOGGLE_LABELS.values() for label in labels)
# A link around a caption to one of these is a lightbox, not a teaser.
IMAGE_FILE_SUFFIXES: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src", "src")


def _classes(el: lxml_html.HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def _first_descendant(el: lxml_html.HtmlElement, tag: str) -> lxml_html.HtmlElement | None:
    """``el.find(".//" + tag)`` stepped in C: ``find`` parses and runs the
    path in lxml's Python ElementPath, several times the cost, and this
    runs a few times for every figure."""
    return next(el.iterdescendants(tag), None)


def _holds_word(names: str, words: tuple[str, ...]) -> bool:
    """``any(w in names for w in words)`` as a loop: these tests run for
    every ancestor of a figure and every element of a caption, and the
    generator cost more than the substring tests."""
    for word in words:
        if word in names:
            return True
    return False


# Class words that hold a foreign word but name the article's own state or
# kind: Drupal's "node--promoted" (promoted to the front page), an opinion
# section's "commentary".
NOT_FOREIGN_WORDS: tuple[str, ...] = ("promoted", "commentary", "commentaries")


def _is_foreign_box(node: lxml_html.HtmlElement) -> bool:
    """An aside, a navigation, a footer or a box named for other stories."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in {"aside", "nav", "footer"}:
        return True
    names = _classes(node)
    if not names.strip():
        return False
    if _holds_word(names, NOT_FOREIGN_WORDS):
        for word in NOT_FOREIGN_WORDS:
            names = names.replace(word, " ")
    return _holds_word(names, FOREIGN_CONTAINER_WORDS)


def _is_foreign(el: lxml_html.HtmlElement, boxes: dict[lxml_html.HtmlElement, bool] | None = None) -> bool:
    """Whether one of the element's 12 nearest ancestors is a foreign box.
    ``boxes`` holds the verdicts on ancestors already judged: a page's
    captions share most of theirs (a gallery's figures all of them)."""
    if boxes is None:
        boxes = {}
    node = el.getparent()
    depth = 0
    while node is not None and depth < 12:
        foreign = boxes.get(node)
        if foreign is None:
            foreign = boxes[node] = _is_foreign_box(node)
        if foreign:
            return True
        node = node.getparent()
        depth += 1
    return False


def _near_media(el: lxml_html.HtmlElement) -> bool:
    """A picture in the element, its parent or grandparent (two small
    subtree searches: only class-found captions pay for them)."""
    node: lxml_html.HtmlElement | None = el
    for _ in range(3):
        if node is None:
            return False
        for tag in MEDIA_TAGS:
            if next(node.iter(tag), None) is not None:
                return True
        node = node.getparent()
    return False


def _leads_away(href: str) -> bool:
    """A link to another page: not one to the picture itself (a lightbox),
    nor a script or in-page anchor that opens one."""
    path = href.lower().split("?", 1)[0].strip()
    if not path or path.startswith(("#", "javascript:")):
        return False
    return not path.endswith(IMAGE_FILE_SUFFIXES)


def _site(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def _page_site(base_url: str) -> str:
    return _site(urlsplit(base_url).hostname or "")


def _same_site(a: str, b: str) -> bool:
    """One host is the other or its subdomain (a site's photo subdomain)."""
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _in_link(caption_el: lxml_html.HtmlElement, base_url: str, host: str | None = None) -> bool:
    """The caption is a button, sits in a link to another page, or all its
    words link within the site: a teaser, a subscription promo, "more"/"less".
    A link to the picture itself (a lightbox) and a credit linking to the
    photographer's own site are a caption's."""
    node: lxml_html.HtmlElement | None = caption_el
    for _ in range(4):
        if node is None:
            break
        if node.tag == "button":
            return True
        if node.tag == "a" and _leads_away(node.get("href") or ""):
            return True
        node = node.getparent()
    total = len("".join(caption_el.itertext()).strip())
    if not total:
        return False
    if host is None:
        host = _page_site(base_url)
    linked = 0
    for a in caption_el.iter("a"):
        href = (a.get("href") or "").strip()
        try:
            target = urlsplit(urljoin(base_url, href)).hostname or ""
        except ValueError:
            continue
        if _same_site(_site(target), host):
            linked += len("".join(a.itertext()).strip())
    return linked >= total


def _is_toggle(link: lxml_html.HtmlElement) -> bool:
    words = "".join(link.itertext()).strip(" .…\n\t\xa0").lower()
    return words in _TOGGLES


def _duplicate_of(key: str, seen: dict[str, Caption]) -> Caption | None:
    """The caption already kept with this text, or whose text begins with
    this one or that this one begins with: galleries print each caption
    again, whole in the lightbox and cut short ("…") under the thumbnail."""
    if key in seen:
        return seen[key]
    if len(key) < 40:
        return None
    for other, caption in seen.items():
        if len(other) >= 40 and (other.startswith(key) or key.startswith(other)):
            return caption
    return None


def _is_credit_element(el: lxml_html.HtmlElement, tag: str, names: str) -> bool:
    if tag in {"small", "cite"} or (el.get("itemprop") or "").lower() in CREDIT_ITEMPROPS:
        return True
    if not _holds_word(names, CREDIT_CLASS_WORDS):
        return False
    # A wrapper whose class merely mentions "attribution" around a caption
    # element and a credit element is not itself the credit.
    for child in el.iterdescendants():
        if isinstance(child.tag, str) and child.get("class") and (
            "caption" in (cls := _classes(child)) or _holds_word(cls, CREDIT_CLASS_WORDS)
        ):
            return False
    return True


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


def _caption_walk(
    el: lxml_html.HtmlElement,
    container: lxml_html.HtmlElement,
    text_parts: list[str],
    credit_parts: list[str],
    credit_tags: list[str],
) -> None:
    """``_text_and_credit``'s walk of ``el`` under ``container``. A function
    of the module, not a closure: a closure that calls itself is a reference
    cycle, which kept the page's tree alive until the garbage collector's
    next pass."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in {"script", "style", "noscript", "button", "svg"} or (
        # Footnote markers ("[22]") are links in a superscript.
        tag == "sup" and _first_descendant(el, "a") is not None
    ) or (tag == "a" and _is_toggle(el)):
        if el.tail:
            text_parts.append(el.tail)
        return
    names = _classes(el)
    if el is not container and (
        _is_credit_element(el, tag, names)
        # An unmarked element holding a labelled credit: "<span>Photo: Jane Doe</span> Text".
        or (len(el) == 0 and starts_with_credit_label(el.text))
    ):
        credit_parts.append(" ".join(el.itertext()))
        credit_tags.append(tag)
    else:
        if el.text:
            text_parts.append(el.text)
        for child in el:
            _caption_walk(child, container, text_parts, credit_parts, credit_tags)
    if el is not container and el.tail:
        text_parts.append(el.tail)


def _text_and_credit(container: lxml_html.HtmlElement) -> tuple[str | None, str | None]:
    """Caption text without its credit element(s), and the credit."""
    credit_parts: list[str] = []
    credit_tags: list[str] = []
    text_parts: list[str] = []

    _caption_walk(container, container, text_parts, credit_parts, credit_tags)
    text = normalize_space(" ".join(text_parts))
    if text and len(text) > _NOT_A_CAPTION_CHARS:
        # A whole block classed "caption": the caller drops it, so splitting
        # credits out of thousands of characters would be wasted work.
        return text, None
    text = strip_caption_label(text)
    if credit_parts and not text:
        whole = normalize_space(" ".join(credit_parts))
        if whole and (len(whole.split()) > CREDIT_MAX_WORDS or all(t in {"small", "cite"} for t in credit_tags)):
            # The "credit" is the whole caption: a caption set in <small>,
            # or a sentence in an element classed for its credit line.
            return split_credit(whole)
    if credit_parts:
        # The printed "Photo:" label stays in the text when the name is marked
        # up. A credit element that held no credit (a duration, a date line)
        # leaves no credit to look for in the wording either.
        text, _ = split_credit(text) if text else (None, None)
        return text, clean_credit(" ".join(credit_parts))
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
    candidates: list[lxml_html.HtmlElement] = [f for f in figures if _first_descendant(f, "figcaption") is not None]
    if not candidates:
        candidates = _CLASS_CAPTIONS(article if article is not None else doc)
    captions: list[Caption] = []
    seen: dict[str, Caption] = {}
    nested: set[lxml_html.HtmlElement] | None = None
    box_credits: dict[lxml_html.HtmlElement, str | None] = {}
    foreign_boxes: dict[lxml_html.HtmlElement, bool] = {}
    page_site: str | None = None
    for el in candidates:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "figure":
            caption_el = _first_descendant(el, "figcaption")
            image_owner = el
        else:
            caption_el = el
            # "wp-caption" wraps image and text; "caption-text" is the text only.
            has_img = _first_descendant(el, "img") is not None
            image_owner = el if has_img else el.getparent()
            if has_img:
                text_el = next(
                    (c for c in el.iter() if c is not el and "caption" in _classes(c)), None
                )
                if text_el is not None:
                    caption_el = text_el
            elif nested is None:
                nested = set(candidates)
            if not has_img and sum(
                d in nested and not _holds_word(_classes(d), CREDIT_CLASS_WORDS)
                for d in el.iterdescendants()
            ) > 1:
                # A gallery's caption box around its full and its shortened
                # caption: each inner one is the caption, once. (One inner
                # "caption__text" or "caption-credit" is a part of the outer.)
                # The box's own credit goes to them.
                box_credits[el] = _text_and_credit(el)[1]
                continue
        if caption_el is None or _is_foreign(el, foreign_boxes):
            continue
        if page_site is None:
            page_site = _page_site(base_url)
        if _in_link(caption_el, base_url, page_site):
            continue
        text, credit = _text_and_credit(caption_el)
        if not text and not credit:
            continue
        if (
            tag != "figure" and not credit
            and not _holds_word(_classes(el), IMAGE_CLASS_WORDS) and not _near_media(el)
        ):
            # Found by class alone, with no picture and no credit: an ad
            # label ("adCaption"), a box title, a gallery button.
            continue
        if text and (len(text) > 600 or judge_block(text)):
            # A "caption" class on a whole block, or a label the body's
            # boilerplate rules drop ("Advertisement"): not a caption.
            continue
        if not credit and box_credits:
            credit = next((box_credits[a] for a in el.iterancestors() if a in box_credits), None)
        # A credit alone stays: it names who holds the picture's rights.
        key = fold(text) or fold(credit)
        twin = _duplicate_of(key, seen)
        if twin is not None:
            # The copy that printed the credit fills it in.
            if credit and not twin.credit:
                twin.credit = credit
            continue
        img = _first_descendant(image_owner, "img") if image_owner is not None else None
        caption = Caption(text=text or "", credit=credit, image_url=image_src(img, base_url))
        seen[key] = caption
        captions.append(caption)
    return captions
