"""ValidatePipeline: drop items that are not worth archiving, saying why.

``validate_article`` gives a short stable reason slug or None; the pipeline
raises ``DropItem`` with that reason and counts it in the crawl stats as
``newsarchive/dropped/<reason>``.

Settings: ``NEWSARCHIVE_MIN_WORDS`` (default 50): bodies shorter than this are
not articles. ``NEWSARCHIVE_VALIDATE_ENABLED`` (default True; False raises
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


def validate_article(article: Article, *, min_words: int = DEFAULT_MIN_WORDS) -> str | None:
    """The reason to drop ``article``, or None to keep it."""
    if not article.url:
        return NO_URL
    if not (article.headline or "").strip():
        return NO_HEADLINE
    body = article.body or ""
    if not body.strip():
        return NO_BODY
    words = article.word_count if article.word_count is not None else count_words(body)
    if words < min_words:
        return BODY_TOO_SHORT
    return None


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
        detail = f"{item.word_count or 0} words, minimum {self.min_words}" if reason == BODY_TOO_SHORT else ""
        raise DropItem(f"{reason}: {item.url}" + (f" ({detail})" if detail else ""))
