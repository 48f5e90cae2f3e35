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


def run_sites(spider: Spider) -> str | None:
    """``crawl_runs.site``: the site the run covered, or its sites joined by commas.

    An all-sites run (no ``-a site=``) recorded none, so `newsarchive stats`
    found no last run (and no status) for any of its sites. Sites skipped
    because another run held them are not covered.
    """
    label = getattr(spider, "run_label", None)
    if label:
        return label
    return ",".join(getattr(spider, "targets", None) or {}) or None


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


_FAILED = "newsarchive/failed/"


def _unchanged_part(skipped: int, not_modified: int) -> list[str]:
    """The archived articles the run found unchanged: those it did not ask for
    and those a conditional GET answered 304. Both used to read "not fetched
    again", though each 304 is a request the site's log shows (a re-check)."""
    total = skipped + not_modified
    if not total:
        return []
    if not not_modified:
        return [f"{_count(total, 'archived article')} unchanged, not fetched again"]
    if not skipped:
        return [f"{_count(total, 'archived article')} unchanged (asked again, answered 304)"]
    return [f"{_count(total, 'archived article')} unchanged ({skipped} not fetched again, "
            f"{not_modified} asked again and answered 304)"]


def _failed_fetches(stats: dict[str, Any], gone: int) -> list[tuple[str, int]]:
    """(kind, count) of the run's failed fetches (``newsarchive/failed/…``),
    without the articles' 404s and 410s already told as takedowns."""
    failed = {key[len(_FAILED):]: int(value) for key, value in stats.items()
              if key.startswith(_FAILED) and value}
    if "article" in failed:
        failed["article"] -= min(gone, failed["article"])
    return sorted((kind, n) for kind, n in failed.items() if n)


def run_summary(stats: dict[str, Any], exitcode: int) -> str:
    """The run's closing line: what it stored and what it found of the archived
    articles (taken down, back, moved), and its exit status. The stats dump
    has the same counts, among a hundred others; a scheduler's log reader
    should not have to find ``newsarchive/archive/gone`` there."""
    stored = {name: stats.get(f"newsarchive/stored/{name}", 0) for name in ("new", "updated", "unchanged")}
    parts = [f"{_count(sum(stored.values()), 'article')} stored ("
             + ", ".join(f"{n} {name}" for name, n in stored.items()) + ")"]
    parts += _unchanged_part(stats.get("newsarchive/skipped/unchanged", 0),
                             stats.get("newsarchive/skipped/not-modified", 0))
    gone, back = stats.get("newsarchive/archive/gone", 0), stats.get("newsarchive/archive/restored", 0)
    if gone or back:
        parts.append(f"{_count(gone, 'article')} taken down, {back} restored")
    moved = stats.get("newsarchive/archive/moved", 0)
    if moved:
        parts.append(f"{_count(moved, 'article')} found at a new address")
    failed = _failed_fetches(stats, gone)
    if failed:
        # The run still exits 0 (see the README's Exit codes), so this line is
        # where a reader of `grep 'run finished'` learns that pages failed.
        parts.append("could not fetch " + ", ".join(f"{n} × {kind}" for kind, n in failed)
                     + " (see the warnings above)")
    raised = sum(int(value) for key, value in stats.items() if key.startswith("spider_exceptions/"))
    if raised:
        # A page whose callback raised is neither stored nor counted as failed:
        # a feed that raised left the run short of its articles, and only a
        # traceback far up the log said so.
        parts.append(f"{_count(raised, 'page')} not read: the crawl's code raised an error "
                     "(see the tracebacks above; please report it)")
    lost = sum(stats.get(f"newsarchive/{key}", 0) for key in
               ("stored/errors", "archive/gone_errors", "archive/move_errors"))
    if lost:
        parts.append(f"{lost} not written (see the errors above)")
    return f"run finished with exit status {exitcode}: " + "; ".join(parts)


def run_status(stats: dict[str, Any], reason: str) -> str:
    """What ``crawl_runs.status`` says of a run Scrapy closed with ``reason``.

    Scrapy's close reason, except for the runs that exit 3 or 4: "finished"
    there read as success in `newsarchive stats`. The close reason itself
    stays in the recorded stats (``finish_reason``).
    """
    from newsarchive import exitcodes

    if stats.get("newsarchive/run/all_locked"):
        return exitcodes.LOCKED_REASON
    empty = exitcodes.nothing_fetched({**stats, "finish_reason": reason})
    return empty[0] if empty is not None else reason


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
        site = run_sites(spider)
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
        stats = self.crawler.stats.get_stats()
        try:
            with self._archive() as archive:
                archive.finish_run(self.run_id, run_status(stats, reason),
                                   _json_ready({**stats, "finish_reason": reason}))
        except Exception as exc:
            self.crawler.stats.inc_value("newsarchive/run/record_errors")
            logger.error("could not record the end of the crawl run: %s", exc)
