"""Crawl log lines that name an article by its URL, not by its whole repr.

Scrapy's default formatter prints the full item on every scraped (DEBUG),
dropped (WARNING) and failed item. An Article carries its raw page, so one
dropped item meant tens of kilobytes of HTML in the log, and formatting it
cost time. Here the URL stands for the item; the data is in the archive
and the feed.
"""
from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


def _url(item: Any) -> str:
    return str(getattr(item, "url", None) or (item.get("url") if isinstance(item, dict) else None) or type(item).__name__)


class ArchiveLogFormatter(LogFormatter):
    """LOG_FORMATTER for the project: one short line per item event."""

    def scraped(self, item: Any, response: Any, spider: Any) -> LogFormatterResult:
        return {"level": logging.DEBUG, "msg": "Scraped %(url)s", "args": {"url": _url(item)}}

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        return {"level": result["level"], "msg": "Dropped (%(exception)s): %(url)s",
                "args": {"exception": exception, "url": _url(item)}}

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any) -> LogFormatterResult:
        return {"level": logging.ERROR, "msg": "Error processing %(url)s", "args": {"url": _url(item)}}
