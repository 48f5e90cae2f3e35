"""Crawl log lines that name an article by its URL, not by its whole repr.

Scrapy's default formatter prints the full item on every scraped (DEBUG),
dropped (WARNING) and failed item. An Article carries its raw page, so one
dropped item meant tens of kilobytes of HTML in the log, and formatting it
cost time. Here the URL stands for the item; the data is in the archive
and the feed.

The DEBUG lines Scrapy writes for every page ("Crawled (200) <GET ...>")
and every stored item ("Scraped ...") are not made at all when no log
handler would keep them. Scrapy sets the root logger to let everything
through and filters by ``LOG_LEVEL`` in its handler, so a DEBUG record was
built (caller lookup included) and then thrown away: about 12 us per page
and per item at the default INFO level. With a handler that takes DEBUG
(``-s LOG_LEVEL=DEBUG``, or a test's log capture) they are logged as before.
"""
from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


def _url(item: Any) -> str:
    return str(getattr(item, "url", None) or (item.get("url") if isinstance(item, dict) else None) or type(item).__name__)


def handled(logger: logging.Logger, level: int) -> bool:
    """Whether a record of ``level`` from ``logger`` reaches a handler that
    keeps it: what ``Logger.callHandlers`` would do with it, without making it."""
    if not logger.isEnabledFor(level):
        return False
    found = False
    current: logging.Logger | None = logger
    while current is not None:
        for handler in current.handlers:
            found = True
            if level >= handler.level:
                return True
        if not current.propagate:
            break
        current = current.parent
    if found:
        return False
    last = logging.lastResort
    return last is not None and level >= last.level


# The loggers Scrapy writes these lines with (engine: "Crawled", scraper: "Scraped").
_ENGINE = logging.getLogger("scrapy.core.engine")
_SCRAPER = logging.getLogger("scrapy.core.scraper")


class ArchiveLogFormatter(LogFormatter):
    """LOG_FORMATTER for the project: one short line per item event."""

    def crawled(self, request: Any, response: Any, spider: Any) -> LogFormatterResult | None:
        if not handled(_ENGINE, logging.DEBUG):
            return None
        return super().crawled(request, response, spider)

    def scraped(self, item: Any, response: Any, spider: Any) -> LogFormatterResult | None:
        if not handled(_SCRAPER, logging.DEBUG):
            return None
        return {"level": logging.DEBUG, "msg": "Scraped %(url)s", "args": {"url": _url(item)}}

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        return {"level": result["level"], "msg": "Dropped (%(exception)s): %(url)s",
                "args": {"exception": exception, "url": _url(item)}}

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any) -> LogFormatterResult:
        return {"level": logging.ERROR, "msg": "Error processing %(url)s", "args": {"url": _url(item)}}
