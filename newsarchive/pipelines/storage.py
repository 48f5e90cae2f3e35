"""StorePipeline: the last pipeline step, writing articles to the archive in batches.

Items arrive fully extracted, cleaned and validated; nothing is parsed here.
Each is prepared as it arrives (keys, fingerprint, rows) and its raw page
starts compressing in a pool thread, so the batch keeps the compressed page,
not the HTML. They are written ``NEWSARCHIVE_STORE_BATCH`` at a time (or
``NEWSARCHIVE_STORE_BATCH_BYTES`` of text and fetched pages, or every
``NEWSARCHIVE_STORE_BATCH_SECONDS``, whichever comes first), each batch in
one transaction. A crawl killed between batches loses only the uncommitted
batch: what was committed is intact, and since incremental crawls only know
committed rows (``Archive.page_states``), the next run fetches the rest again.

Settings:
- ``NEWSARCHIVE_DB_URL``: the archive (the environment variable of the same
  name overrides it); an empty value switches storage off.
- ``NEWSARCHIVE_KEEP_RAW`` (default True): keep each fetched page, compressed,
  so ``newsarchive reparse`` can re-extract it later without the network.
- ``NEWSARCHIVE_STORE_BATCH``: articles per batch. The project's
  ``settings.py`` sets 10 (memory in a crawl); without that setting the
  pipeline uses 100.
- ``NEWSARCHIVE_STORE_BATCH_BYTES`` (default 32 MB, the project sets 4 MB: a batch of very large
  pages is cut short; counted before compression, so what a batch holds is
  well under it) and ``NEWSARCHIVE_STORE_BATCH_SECONDS`` (default 2.0;
  0 = count only).
- ``NEWSARCHIVE_STORE_GROUP_BATCHES`` (default 5): at most this many queued
  batches share one commit (below); 1 commits every batch on its own, which
  costs more CPU per article when the writer falls behind and a few MB less
  peak memory. With batches of 10, groups of 5 rather than 3 cost the
  writer (the thread that limits bulk storing) about 15 % less CPU per
  article (``benchmarks/storage_bench.py`` and the README's figures).

When the writer falls behind, the batches that queued meanwhile are written
in one transaction (a group commit), up to ``NEWSARCHIVE_STORE_GROUP_BATCHES``
batches and ``NEWSARCHIVE_STORE_BATCH_BYTES`` (pages counted compressed
there). Batches out uncommitted: at most two groups' worth (one group being
written, the next filling up), and at least three, so with the default 5
at most ten. What a kill loses is those batches and the pending one, all
re-fetched by the next crawl; nothing committed. A crawl whose writer keeps
up has one batch out at a time (the README's crawl benchmark, a full-speed
local crawl, stores about 113 articles/s; bulk storing reaches 1,000s).

Stats: ``newsarchive/stored/new|updated|unchanged``, ``newsarchive/stored/batches``,
``newsarchive/stored/commits`` (transactions; fewer than batches when grouped)
and ``newsarchive/stored/errors`` (items of a batch that could not be written).
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from newsarchive.database import Archive

logger = logging.getLogger(__name__)


DEFAULT_BATCH_BYTES = 32_000_000


# Batches handed to the writer and not yet committed (see StorePipeline.flush):
# at least this many, and room for two groups (one being written, the next
# filling up) when NEWSARCHIVE_STORE_GROUP_BATCHES is larger.
MAX_UNCOMMITTED_BATCHES = 3
DEFAULT_GROUP_BATCHES = 5


class StorePipeline:
    def __init__(self, crawler: Crawler, db_url: str | None, *, keep_raw: bool,
                 batch_size: int, batch_seconds: float,
                 batch_bytes: int = DEFAULT_BATCH_BYTES,
                 group_batches: int = DEFAULT_GROUP_BATCHES):
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_url = db_url
        self.keep_raw = keep_raw
        self.batch_size = max(1, batch_size)
        self.batch_seconds = batch_seconds
        self.batch_bytes = max(1, batch_bytes)
        self.group_batches = max(1, group_batches)
        self.archive: Archive | None = None
        self.pending: list[Any] = []  # prepared articles (Archive.prepare_article)
        self.pending_bytes = 0
        self.first_pending_at: float | None = None
        self._timer: task.LoopingCall | None = None
        self._queue: queue.Queue[Any] = queue.Queue()
        # Batches handed to the writer and not yet committed: a group being
        # written and as many waiting, the next group (at least three in
        # all). One more waits in ``flush``, which holds the crawl back when
        # the database cannot keep up. Room for only the group being
        # written left nothing to group: while the writer wrote three
        # batches the crawl could hand over none, and then the writer took
        # the first batch that came alone (3,000 articles in batches of 10:
        # 101 commits of one batch and 98 of two, none of three).
        self.max_uncommitted = max(MAX_UNCOMMITTED_BATCHES, 2 * self.group_batches)
        self._uncommitted = threading.Semaphore(self.max_uncommitted)
        self._writer: threading.Thread | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        db_url = os.environ.get("NEWSARCHIVE_DB_URL") or settings.get("NEWSARCHIVE_DB_URL")
        if not db_url:
            raise NotConfigured("NEWSARCHIVE_DB_URL is empty: storage switched off")
        return cls(
            crawler,
            db_url,
            keep_raw=settings.getbool("NEWSARCHIVE_KEEP_RAW", True),
            batch_size=settings.getint("NEWSARCHIVE_STORE_BATCH", 100),
            batch_seconds=settings.getfloat("NEWSARCHIVE_STORE_BATCH_SECONDS", 2.0),
            batch_bytes=settings.getint("NEWSARCHIVE_STORE_BATCH_BYTES", DEFAULT_BATCH_BYTES),
            group_batches=settings.getint("NEWSARCHIVE_STORE_GROUP_BATCHES",
                                          DEFAULT_GROUP_BATCHES),
        )

    def open_spider(self, spider: Spider | None = None) -> None:
        from newsarchive.database import Archive

        self.archive = Archive(self.db_url, keep_raw=self.keep_raw, background_checkpoints=True)
        logger.info("storing articles in %s (batches of %d or %.1f s, raw pages %s)",
                    _safe(self.archive.url), self.batch_size, self.batch_seconds,
                    "kept" if self.keep_raw else "not kept")
        if self.batch_seconds > 0:
            # A slow crawl still commits at least every few seconds.
            self._timer = task.LoopingCall(self._flush_if_due)
            self._timer.start(self.batch_seconds, now=False)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        from newsarchive.database.archive import articles_from

        if self.archive is None:
            return item
        try:
            prepared = self.archive.prepare_article(articles_from([item])[0])
        except Exception:
            logger.exception("could not prepare an article for storing")
            self.stats.inc_value("newsarchive/stored/errors")
            return item
        if not self.pending:
            self.first_pending_at = time.monotonic()
        self.pending.append(prepared)
        self.pending_bytes += prepared.size
        if len(self.pending) >= self.batch_size or self.pending_bytes >= self.batch_bytes:
            self.flush()
        else:
            self._flush_if_due()
        return item

    def _flush_if_due(self) -> None:
        if (self.batch_seconds > 0 and self.pending and self.first_pending_at is not None
                and time.monotonic() - self.first_pending_at >= self.batch_seconds):
            self.flush()

    def _run_id(self) -> int | None:
        spider = getattr(self.crawler, "spider", None)
        run_id = getattr(spider, "run_id", None) or self.stats.get_value("newsarchive/run/id")
        return int(run_id) if run_id else None

    def flush(self) -> None:
        """Hand the pending articles to the writer thread.

        They were prepared as they arrived (fingerprints and rows here, raw
        pages compressing in two pool threads); the writer collects the
        compressions and writes the batch, mostly in SQLite's C code, which
        runs without the GIL. So the writer commits one batch while the crawl
        parses pages and prepares the next. At most ``max_uncommitted``
        batches are out, which holds the crawl back if the database cannot
        keep up.
        """
        if not self.pending or self.archive is None:
            return
        from newsarchive.database.archive import PreparedBatch

        items, self.pending, self.first_pending_at = self.pending, [], None
        self.pending_bytes = 0
        batch = PreparedBatch(items)
        batch.renumber()
        self._ensure_writer()
        self._uncommitted.acquire()
        self._queue.put((batch, self._run_id()))

    def _ensure_writer(self) -> None:
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_loop, name="newsarchive-store",
                                            daemon=True)
            self._writer.start()

    def _write_loop(self) -> None:
        # What was taken from the queue but did not fit the last group: a
        # batch, or None (stop).
        carried: list[Any] = []
        while True:
            job = carried.pop() if carried else self._queue.get()
            if job is None:
                self._queue.task_done()
                return
            # Group commit: batches that queued while the last one was being
            # written go into one transaction, up to NEWSARCHIVE_STORE_BATCH_BYTES.
            # Each commit has a fixed cost (a dozen statements, an FTS5
            # segment, the WAL frames of the touched index pages) that
            # dominated batches of 10; when the writer keeps up, every batch
            # still commits on its own. What a kill can lose is what is out
            # uncommitted, at most ``max_uncommitted`` batches either way.
            jobs = [job]
            weight = _weight(job[0])
            while len(jobs) < self.group_batches:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None or weight + _weight(more[0]) > self.batch_bytes:
                    carried.append(more)
                    break
                jobs.append(more)
                weight += _weight(more[0])
            try:
                self._store_group(jobs)
            finally:
                for _ in jobs:
                    self._uncommitted.release()
                    self._queue.task_done()

    def _store_group(self, jobs: list[tuple[Any, int | None]]) -> None:
        """Write queued batches, those of one run in one transaction."""
        from newsarchive.database.archive import PreparedBatch

        groups: list[tuple[list[Any], int | None]] = []
        for prepared, run_id in jobs:
            if groups and groups[-1][1] == run_id:
                groups[-1][0].append(prepared)
            else:
                groups.append(([prepared], run_id))
        for batches, run_id in groups:
            if len(batches) > 1 and self._store(PreparedBatch.join(batches), run_id, len(batches),
                                                quiet=True):
                continue
            # One batch, or a group that failed: each batch on its own, so one
            # bad article costs its batch only, as without grouping.
            for prepared in batches:
                prepared.renumber()
                self._store(prepared, run_id, 1)

    def _store(self, prepared: Any, run_id: int | None, batches: int, *,
               quiet: bool = False) -> bool:
        try:
            assert self.archive is not None
            outcomes = self.archive.store_prepared(prepared, run_id=run_id)
        except Exception:
            # Nothing of the batch was committed, so the next incremental
            # crawl fetches these pages again.
            if quiet:
                logger.debug("a group of %d batches failed; writing them one by one", batches,
                             exc_info=True)
                return False
            logger.exception("could not store a batch of %d articles", len(prepared))
            self.stats.inc_value("newsarchive/stored/errors", len(prepared))
            return False
        self.stats.inc_value("newsarchive/stored/batches", batches)
        self.stats.inc_value("newsarchive/stored/commits")
        for outcome in outcomes:
            self.stats.inc_value(f"newsarchive/stored/{outcome}")
        return True

    def drain(self) -> None:
        """Wait until every batch handed to the writer is committed (or failed)."""
        self._queue.join()

    def close_spider(self, spider: Spider | None = None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        try:
            self.flush()
            if self._writer is not None:
                self._queue.put(None)
                self._writer.join()
                self._writer = None
        finally:
            if self.archive is not None:
                self.archive.close()
                self.archive = None


def _weight(batch: Any) -> int:
    """What a prepared batch counts against NEWSARCHIVE_STORE_BATCH_BYTES in a group.

    Pages count compressed once they are: a group is one transaction, and
    what it writes and holds is the compressed page, not the HTML (which a
    batch counts, as it may still be waiting for the pool). Counted as
    fetched, two batches of ten typical 175 KB pages already filled the
    project's 4 MB, so batches of 10 were never grouped by more than two.
    """
    return sum(item.stored_size() for item in batch.items)


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
