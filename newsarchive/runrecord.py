"""Crawl-run recording: each run's site, arguments, outcome and stats in the archive.

Uses ``Archive.start_run`` / ``finish_run`` (newsarchive/database). The archive
is opened when the spider opens, never at import or set-up time; a run whose
recording fails still crawls (the error is logged and counted).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def _json_ready(stats: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in stats.items():
        if isinstance(value, datetime):
            value = value.isoformat()
        elif not isinstance(value, (int, float, str, bool, type(None))):
            value = str(value)
        out[key] = value
    return out


class RunRecorder:
    """Extension: a row in the archive's crawl-runs table per run."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_url = crawler.settings.get("NEWSARCHIVE_DB_URL")
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        if not crawler.settings.getbool("NEWSARCHIVE_RECORD_RUNS", True):
            raise NotConfigured
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def _archive(self) -> Any:
        from newsarchive.database import Archive

        return Archive(self.db_url)

    def spider_opened(self, spider: Spider) -> None:
        site = getattr(spider, "run_label", None)
        args = dict(getattr(spider, "run_args", {}) or {})
        try:
            with self._archive() as archive:
                self.run_id = archive.start_run(site, spider.name, args)
            # StorePipeline may link stored versions to the run.
            spider.run_id = self.run_id  # type: ignore[attr-defined]
            self.crawler.stats.set_value("newsarchive/run/id", self.run_id)
        except Exception as exc:  # recording is bookkeeping: never stop the crawl
            self.crawler.stats.inc_value("newsarchive/run/record_errors")
            logger.error("could not record the crawl run in the archive: %s", exc)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        status = reason
        if self.crawler.stats.get_value("newsarchive/run/all_locked"):
            status = "already_running"
        try:
            with self._archive() as archive:
                archive.finish_run(self.run_id, status, _json_ready(self.crawler.stats.get_stats()))
        except Exception as exc:
            self.crawler.stats.inc_value("newsarchive/run/record_errors")
            logger.error("could not record the end of the crawl run: %s", exc)
