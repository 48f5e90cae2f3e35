"""CleanPipeline: the first pipeline step, dropping promo and comment blocks.

It calls ``clean_article`` (``newsarchive/extraction/cleaning.py``) with the
site's extraction config, so a site's own text rules apply. The config is
asked of the spider: ``spider.extraction_config_for(item)`` when the spider
has that method (``NewsSpider`` does), else a ``spider.extraction_config``
attribute, else the generic rules only. No parsing happens here.

Settings: ``NEWSARCHIVE_CLEAN_ENABLED`` (default True; False raises
``NotConfigured`` and the step is skipped).

Stats: ``newsarchive/cleaning/dropped/<rule>`` per block removed here or by
one of the site's ``kind = "css"`` rules at extraction, and
``newsarchive/cleaning/items``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from newsarchive.extraction.cleaning import clean_article
from newsarchive.items import Article

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from newsarchive.extraction.config import ExtractionConfig


def config_for(spider: Any, item: Any) -> ExtractionConfig | None:
    """The extraction config the spider gives for ``item``, if any."""
    if spider is None:
        return None
    lookup = getattr(spider, "extraction_config_for", None)
    if callable(lookup):
        return lookup(item)
    return getattr(spider, "extraction_config", None)


class CleanPipeline:
    """Remove promo/comment paragraphs from ``Article.body`` and count them."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        if not crawler.settings.getbool("NEWSARCHIVE_CLEAN_ENABLED", True):
            raise NotConfigured("NEWSARCHIVE_CLEAN_ENABLED is off")
        return cls(crawler)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, Article):
            return item
        spider = spider or getattr(self.crawler, "spider", None)
        before = len(item.dropped)
        config = config_for(spider, item)
        # The extraction counted the body's words (Article.word_count): a
        # body the rules leave as it was is not split and counted again.
        cleaned = clean_article(item, config, body_words=item.word_count)
        if self.stats is not None:
            self.stats.inc_value("newsarchive/cleaning/items")
            # A site's kind = "css" rules drop their elements at extraction,
            # before this step: counted here too, as the site file's rule
            # names are what a user looks for in the stats.
            css_rules = {r.name for r in (config.extra_rules if config else ()) if r.kind == "css"}
            for block in cleaned.dropped[before:] + [b for b in cleaned.dropped[:before] if b.rule in css_rules]:
                self.stats.inc_value(f"newsarchive/cleaning/dropped/{block.rule}")
        return cleaned
