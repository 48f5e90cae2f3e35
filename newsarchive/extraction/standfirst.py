"""Checks on a standfirst candidate: whether a description or a dek-classed
block is a dek at all, or an excerpt, a site's slogan, a meta line, a caption.

A dek is prose written to stand under the headline. What sites put in the
same places instead: the body's first characters cut to a length (the CMS's
auto-excerpt, "… ohne besonderen G…"), the description the site gives every
page, the date and author line a "subhead" class also holds, an image
caption, embed code. Each check is a small pure function on strings; the
loader (``choose_standfirst``) and the page (after the body extraction)
decide which candidate they are given. The word lists are named data,
labelled by language.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from newsarchive.extraction.dates import find_printed_date
from newsarchive.extraction.processors import fold, normalize_space

# --------------------------------------------------------------------------
# Named rules (data)
# --------------------------------------------------------------------------

# How the description a site gives all its pages starts, per language: a
# slogan about the site, not about the article ("Aktuelle Meldungen zu ...").
GENERIC_DESCRIPTION_START: dict[str, tuple[str, ...]] = {
    "en": ("the website of", "the official website", "the latest news", "latest news", "breaking news"),
    "de": ("aktuelle nachrichten", "aktuelle meldungen", "immer aktuelle", "täglich aktuelle",
           "taeglich aktuelle", "das blog", "der blog"),
    "fr": ("toute l actualité", "le site officiel"),
    "es": ("últimas noticias", "el sitio oficial"),
    "pt": ("últimas notícias", "o site oficial"),
}

# Templated descriptions ("<title>, see this and other messages on <site>").
GENERIC_DESCRIPTION_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("see this and other", "find this and other"),
    "pt": ("veja essa e outras", "veja esta e outras"),
    "es": ("mira esta y otras", "ve esta y otras"),
}

# How a caption is introduced, per language: a caption, not a dek.
CAPTION_START: dict[str, tuple[str, ...]] = {
    "en": ("media caption", "image caption", "image copyright", "photo:", "pictured:"),
    "de": ("bildunterschrift", "foto:", "bild:"),
    "fr": ("légende", "photo :"),
    "zh": ("图为", "圖為", "图片来源"),
}

# The ellipsis a text cut to a length ends with ("…", "...", "[…]").
_CUT_END = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*$")
# What ends a sentence, including a closing quote or bracket after it.
_SENTENCE_END = re.compile(r"[.!?。！？]['\"”’»)\]]*\s*$")
# A tag left in a description escaped twice ("&lt;p&gt;Die ...").
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# Embed code: its markup, and the widget's label before it, are no dek.
_EMBED_END = re.compile(r"^.*</(?:iframe|script|video|object|embed)>", re.I | re.S)
# A "|" between a name and a section on a meta line.
_PIPE = re.compile(r"\s\|\s")

# Folded starts and phrases, built once.
_GENERIC_STARTS = tuple(fold(w) for words in GENERIC_DESCRIPTION_START.values() for w in words)
_GENERIC_PHRASES = tuple(fold(w) for words in GENERIC_DESCRIPTION_PHRASES.values() for w in words)
_CAPTION_STARTS = tuple(w.lower() for words in CAPTION_START.values() for w in words)

# The body's first characters a description is compared with: enough to
# find its first paragraph in an excerpt that starts with a kicker.
_KEY_LENGTH = 40
# How far an excerpt must follow the body to be one (folded characters).
_FOLLOWS = 100


# --------------------------------------------------------------------------
# Processors
# --------------------------------------------------------------------------

def strip_markup(text: str | None) -> str | None:
    """A description without the tags left in it: embed code and what
    precedes it (the widget's "EMBED More Videos" label) go, other tags
    ("<p>Die Situation …") are taken away around their text."""
    if not text or "<" not in text:
        return text
    text = _EMBED_END.sub("", text)
    return normalize_space(_TAG.sub(" ", text))


def strip_headline(text: str | None, headline: str | None) -> str | None:
    """A description that repeats the headline before the dek ("Vom Boden
    aus gedachtAnn Cotten verwebt …"): the dek alone."""
    if not text or not headline or not text.startswith(headline):
        return text
    rest = text[len(headline):]
    # Only glued on ("gedachtAnn"): after a space or a dash the headline may
    # be the start of the dek's own sentence ("Was ist X und warum …").
    return rest if rest[:1].isupper() and len(rest) >= 30 else text


def is_cut_off(text: str) -> bool:
    """Whether the text ends in the ellipsis of a cut to a length."""
    return _CUT_END.search(text) is not None


def ends_sentence(text: str) -> bool:
    return _SENTENCE_END.search(text) is not None


def is_generic_description(text: str, site_names: Iterable[str]) -> bool:
    """The description a site gives every page: its name alone, a slogan
    naming it ("Das Blog Example.de - …"), a generic opening ("Aktuelle
    Meldungen zu …") or a template ("…, veja essa e outras mensagens")."""
    folded = fold(text)
    if folded.startswith(_GENERIC_STARTS) or any(p in folded for p in _GENERIC_PHRASES):
        return True
    squashed = folded.replace(" ", "")
    for name in site_names:
        key = fold(name).replace(" ", "")
        if len(key) < 4:
            continue
        if key == squashed:
            return True
        # A domain name ("Example.de") in a description is the site
        # introducing itself; a plain name ("(Reuters) - …") may be a dateline.
        if "." in name and len(key) >= 6 and key in squashed:
            return True
    return False


def is_caption(text: str) -> bool:
    """Whether the text starts like an image caption ("Media caption …")."""
    return text.lower().startswith(_CAPTION_STARTS)


def is_meta_line(text: str) -> bool:
    """A date, author and section line printed in a dek's place ("JANE DOE
    Nov. 20, 2019 Updated: …", "Jane Doe | Community"): a date or a "|"
    and no sentence of prose once the dates are taken out."""
    if _PIPE.search(text):
        return not ends_sentence(text)
    found = find_printed_date(text)
    if found is None:
        return False
    rest = text.replace(found[1], " ")
    # "1:35 a.m." ends with a period that is no sentence's end.
    return not ends_sentence(rest) or rest.rstrip().lower().endswith(("a.m.", "p.m."))


def is_body_excerpt(standfirst: str | None, body: str | None) -> bool:
    """Whether the standfirst is the body's opening cut to a length rather
    than a dek: it runs on as the body does past the body's first paragraph,
    or stops inside the first paragraph after a kicker or a byline the body
    does not start with ("Staff Reports Police arrested …") or without
    ending a sentence. The whole first paragraph is kept (after a kicker,
    or followed by a byline): a dek the page repeats as its opening."""
    if not standfirst or not body:
        return False
    fs = fold(standfirst)
    fb = fold(body[: 2 * len(standfirst) + 200])
    key = fb[:_KEY_LENGTH]
    if len(key) < 20 or len(fs) < 20:
        return False
    start = fs.find(key)
    if start < 0:
        return False
    tail = fs[start:]
    common = 0
    for a, b in zip(tail, fb):
        if a != b:
            break
        common += 1
    if common < min(len(tail), _FOLLOWS):
        return False
    first = fold(body.split("\n", 1)[0])
    if tail == first:
        return False
    if len(tail) < len(first):
        return start > 0 or not ends_sentence(standfirst)
    # Longer than the first paragraph: an excerpt runs on into the second;
    # a dek the body repeats may carry its byline after it, which it does not.
    return common > len(first) + 1
