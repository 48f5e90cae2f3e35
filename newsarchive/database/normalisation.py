"""What counts as "the same" in the archive: one person per author row, and one
version per real change of an article.

A page fetched again often differs in ways no reader would call a change:
white space, a "Updated 5 minutes ago" line, a tracking parameter in a link,
a zero-width space, or the same instant written with another UTC offset. The
fingerprint below ignores exactly those, so only edits of the headline,
standfirst, body, authors or dates add a version.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import datetime, timezone

from newsarchive.items import Article
from newsarchive.urls import canonicalize_url

# Relative times a page prints about itself; they change on every fetch.
# The leading lookahead only makes it fail fast: every match starts with a
# digit or one of these letters (halves the time on a long body, same matches).
# One amount of time: "5 minutes", "an hour", and the short forms many sites
# print, "5m", "2h", "3hrs" (written against the number). Each span and each
# separator matches one way only, and at most four spans make one time (days,
# hours, minutes, seconds), so a long run of spans with no "ago"
# after it fails in linear time.
_SPAN = (r"(?:(?:\d+|an?|one|a\s+few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|"
         r"weeks?|months?|years?)|\d+(?:[smhdw]|secs?|mins?|hrs?))")
_RELATIVE_TIME = re.compile(
    r"(?=[\dupmlejao])"
    r"(?:\b(?:updated|published|posted|last\s+updated|modified|edited)\s*:?\s*)?"
    # "2 hours, 5 minutes ago" whole: taking the last amount alone left "2 hours,"
    # in the text, and a version at every hour.
    rf"(?:\b{_SPAN}(?:(?:\s*,\s*|\s+)(?:and\s+)?{_SPAN}){{0,3}}\s+ago\b|\bjust\s+now\b|\bmoments?\s+ago\b)",
    re.I,
)
# The same relative times in other languages, each with the word a text must
# hold for its pattern to run at all (the English one's is "ago"). Labelled
# per language; each names an amount and a unit, so "vor 3 Zeugen" or
# "il y a 3 raisons" stay text.
_RELATIVE_TIMES_BY_LANGUAGE: tuple[tuple[str, str, str], ...] = (
    ("de", "vor", r"\bvor\s+(?:\d+|einer|einem|wenigen)\s+(?:sek(?:unden?)?|min(?:uten?)?|std|stunden?|"
                  r"tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?)\b\.?"),
    ("fr", "il y a", r"\bil\s+y\s+a\s+(?:\d+|une?|quelques)\s+(?:sec(?:onde)?s?|min(?:ute)?s?|h|heures?|"
                     r"jours?|semaines?|mois|ans?)\b"),
    ("es", "hace", r"\bhace\s+(?:\d+|una?|unos|unas|pocos|pocas)\s+(?:seg(?:undo)?s?|min(?:uto)?s?|h|horas?|"
                   r"d[ií]as?|semanas?|mes(?:es)?|años?)\b"),
    ("pt", "há", r"\bhá\s+(?:\d+|uma?|poucos|poucas)\s+(?:seg(?:undo)?s?|min(?:uto)?s?|h|horas?|dias?|"
                 r"semanas?|m[eê]s(?:es)?|anos?)\b"),
    ("it", " fa", r"\b(?:\d+|una?|pochi|poche)\s+(?:sec(?:ondi)?|min(?:uti)?|or[ae]|giorn[oi]|settiman[ae]|"
                  r"mes[ei]|ann[oi])\s+fa\b"),
    ("nl", "geleden", r"\b(?:\d+|een|enkele)\s+(?:sec(?:onden)?|min(?:uten|uut)?|uur|dag(?:en)?|weken?|"
                      r"maand(?:en)?|jaar)\s+geleden\b"),
)
_RELATIVE_TIME_OTHER = tuple((marker, re.compile(pattern, re.I))
                             for _, marker, pattern in _RELATIVE_TIMES_BY_LANGUAGE)
# Tracking markup that leaks into text: pixels, stray tags, invisible characters.
_TAG = re.compile(r"<[a-zA-Z/!][^<>]{0,500}>")
_INVISIBLE = (("\u00ad", ""), ("\u200b", ""), ("\u200c", ""), ("\u200d", ""), ("\u2060", ""),
              ("\ufeff", ""), ("\u00a0", " "))
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_SPACE = re.compile(r"\s+")


def author_key(name: str) -> str:
    """The key that makes one person one row: case, accents, dots and spacing folded.

    >>> author_key("  Laura  PITEL ") == author_key("laura pitel")
    True
    >>> author_key("J.K. Rowling") == author_key("J. K. Rowling")
    True
    """
    text = name
    if not text.isascii():  # ASCII has nothing to decompose: skip the per-character pass
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace(".", " ").replace("\u2019", "'")
    return _SPACE.sub(" ", text).strip()


def clean_name(name: str) -> str:
    """An author name as stored: white space collapsed, nothing else changed."""
    return _SPACE.sub(" ", name).strip()


def normalise_text(value: str | None) -> str:
    """Text with the differences that are not edits taken out."""
    if not value:
        return ""
    text = value
    # Each costly pattern runs only when its cheap marker is present: this runs
    # on every stored article, inside the crawl's time budget.
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        for char, replacement in _INVISIBLE:  # str.replace beats translate() here
            if char in text:
                text = text.replace(char, replacement)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "http" in text:
        text = _URL.sub(lambda m: canonicalize_url(m.group(0)), text)
    lowered = text.lower()
    if "ago" in lowered or "just now" in lowered:
        text = _RELATIVE_TIME.sub(" ", text)
    for marker, pattern in _RELATIVE_TIME_OTHER:
        if marker in lowered:
            text = pattern.sub(" ", text)
    return " ".join(text.split())


def to_utc(value: str | None) -> str | None:
    """An ISO 8601 time in UTC ("2016-03-15T07:39:00+00:00"), for sorting and comparing.

    A bare date stays a bare date; a time without an offset stays as written;
    anything unparseable gives None.
    """
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    text = re.sub(r"Z$", "+00:00", text.replace(" ", "T", 1))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(microsecond=0).isoformat()
    return parsed.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def content_fingerprint(article: Article, *, with_modified: bool = True) -> str:
    """Hash of what defines a version: headline, standfirst, body, authors, dates.

    ``with_modified=False`` leaves the modification date out, for one that
    only the HTTP ``Last-Modified`` header gave (see ``Archive.prepare_article``).
    """
    parts = {
        "h": normalise_text(article.headline),
        "s": normalise_text(article.standfirst),
        "b": normalise_text(article.body),
        "a": [author_key(name) for name in article.authors if name and name.strip()],
        "p": to_utc(article.published) or normalise_text(article.published),
        "m": (to_utc(article.modified) or normalise_text(article.modified)) if with_modified else None,
    }
    payload = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()
