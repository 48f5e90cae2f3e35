"""ValidatePipeline: drop items that are not worth archiving, saying why.

``validate_article`` gives a short stable reason slug or None; the pipeline
raises ``DropItem`` with that reason and counts it in the crawl stats as
``newsarchive/dropped/<reason>``.

Settings: ``NEWSARCHIVE_MIN_WORDS`` (default 50): bodies shorter than this are
not articles (words as ``extraction.words.count_words`` counts them). A body
whose characters are mostly U+FFFD (bytes its charset could not decode) is
not stored either: ``body-garbled``. ``NEWSARCHIVE_VALIDATE_ENABLED`` (default True; False raises
``NotConfigured``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem, NotConfigured

from newsarchive.extraction.words import count_words
from newsarchive.items import Article

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

DEFAULT_MIN_WORDS = 50

# Reasons, as stable slugs (they name stats keys and appear in logs).
NO_URL = "no-url"
NO_HEADLINE = "no-headline"
NO_BODY = "no-body"
BODY_TOO_SHORT = "body-too-short"
BODY_GARBLED = "body-garbled"

# Share of a body's non-space characters that are U+FFFD from which it is
# garbage, not an article: a page decoded with the wrong charset loses every
# letter outside ASCII (a Russian page read as UTF-8: about nine in ten),
# while a well-decoded page holds none or a stray few.
MAX_REPLACEMENT_SHARE = 0.2


def validate_article(article: Article, *, min_words: int = DEFAULT_MIN_WORDS) -> str | None:
    """The reason to drop ``article``, or None to keep it."""
    if not article.url:
        return NO_URL
    if not (article.headline or "").strip():
        return NO_HEADLINE
    body = article.body or ""
    if not body.strip():
        return NO_BODY
    if replacement_share(body) > MAX_REPLACEMENT_SHARE:
        return BODY_GARBLED
    words = article.word_count if article.word_count is not None else count_words(body)
    if words < min_words:
        return BODY_TOO_SHORT
    return None


def replacement_share(text: str) -> float:
    """The share of ``text``'s non-space characters that are U+FFFD."""
    # count() is one C scan; most bodies stop there.
    replaced = text.count("\ufffd")
    if not replaced:
        return 0.0
    return replaced / len("".join(text.split()))


class ValidatePipeline:
    """Raise ``DropItem`` for items ``validate_article`` rejects."""

    def __init__(self, crawler: Crawler, min_words: int) -> None:
        self.stats = crawler.stats
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        if not crawler.settings.getbool("NEWSARCHIVE_VALIDATE_ENABLED", True):
            raise NotConfigured("NEWSARCHIVE_VALIDATE_ENABLED is off")
        return cls(crawler, crawler.settings.getint("NEWSARCHIVE_MIN_WORDS", DEFAULT_MIN_WORDS))

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, Article):
            return item
        reason = validate_article(item, min_words=self.min_words)
        if reason is None:
            return item
        if self.stats is not None:
            self.stats.inc_value(f"newsarchive/dropped/{reason}")
        detail = _detail(item, reason, self.min_words)
        raise DropItem(f"{reason}: {item.url}" + (f" ({detail})" if detail else ""))


def _detail(article: Article, reason: str, min_words: int) -> str:
    if reason == BODY_TOO_SHORT:
        return f"{article.word_count or 0} words, minimum {min_words}"
    if reason == BODY_GARBLED:
        share = replacement_share(article.body or "")
        return f"{share:.0%} of the body is U+FFFD, bytes its charset did not decode"
    return ""
