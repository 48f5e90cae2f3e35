"""StorePipeline: the last pipeline step, writing articles to the archive in batches.

Items arrive fully extracted, cleaned and validated; nothing is parsed here.
Each is prepared as it arrives (keys, fingerprint, rows) and its raw page
is kept as the server sent it when it came encoded (gzip, br...; see
``newsarchive.wirebody``), else starts compressing in a pool thread, so the
batch keeps the encoded or compressed page, not the HTML. They are written ``NEWSARCHIVE_STORE_BATCH`` at a time (or
``NEWSARCHIVE_STORE_BATCH_BYTES`` of text and fetched pages, or every
``NEWSARCHIVE_STORE_BATCH_SECONDS``, whichever comes first), each batch in
one transaction. A crawl killed between batches loses only the uncommitted
batch: what was committed is intact, and since incremental crawls only know
committed rows (``Archive.page_states_for``), the next run fetches the rest again.

Settings:
- ``NEWSARCHIVE_DB_URL``: the archive (the environment variable of the same
  name overrides it); an empty value switches storage off.
- ``NEWSARCHIVE_KEEP_RAW`` (default True): keep each fetched page, as the
  server encoded it or else compressed here (zstd level 1), so
  ``newsarchive reparse`` can re-extract it later without the network.
- ``NEWSARCHIVE_STORE_BATCH``: articles per batch. The project's
  ``settings.py`` sets 10 (memory in a crawl); without that setting the
  pipeline uses 100.
- ``NEWSARCHIVE_STORE_BATCH_BYTES`` (default 32 MB, the project sets 4 MB: a batch of very large
  pages is cut short; counted before compression, so what a batch holds is
  well under it) and ``NEWSARCHIVE_STORE_BATCH_SECONDS`` (default 2.0;
  0 = count only).
- ``NEWSARCHIVE_STORE_WRITER`` (default ``thread``): where batches are
  written. ``thread``: a thread of the crawl's process. ``process``: a
  writer process of the crawl's own (see ``newsarchive.pipelines.store_writer``),
  whose SQL never waits for the crawl's GIL: 1.2–1.6× the articles/s of a
  bulk store with a core to spare, for a second Python process's memory
  (about 35 MB, which took the crawl benchmark from 1.4× to 1.7× bare
  Scrapy's peak, hence not the default). Both store the same rows and
  bytes. The process falls back to the thread if it cannot start or dies
  (the batches it held are counted as errors).
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
re-fetched by the next crawl; nothing committed. A crawl killed with SIGKILL
leaves its writer process to finish the transaction it is in, which then
ends (see ``store_writer``). A crawl whose writer keeps
up has one batch out at a time (the README's crawl benchmark, a full-speed
local crawl, stores about 113 articles/s; bulk storing reaches 1,000s).

Takedowns: an article page that answers 404 or 410 (the spider's
``article_gone`` signal) goes to the archive with the next batch, in its
transaction (``Archive.mark_gone``): the archived article is marked gone,
a page the archive does not have is ignored. So a takedown is as safe as an
article under a kill and concurrent crawls, and is written within
``NEWSARCHIVE_STORE_BATCH_SECONDS`` even when no article follows.

Moves: a redirect the crawl does not follow because its target was
requested on its own, or is archived and not due for a fetch (the
``article_moved`` signal), goes the same way
(``Archive.record_moves``): the archived article at the redirect's source
is the story at the target, whichever of the two pages was answered first.

Stats: ``newsarchive/stored/new|updated|unchanged``, ``newsarchive/stored/batches``,
``newsarchive/stored/commits`` (transactions; fewer than batches when grouped)
``newsarchive/stored/errors`` (items of a batch that could not be written),
``newsarchive/archive/gone`` (archived articles newly marked taken down) and
``newsarchive/archive/restored`` (taken-down articles stored again),
``newsarchive/archive/moved`` (archived articles found at a new address),
``newsarchive/archive/gone_errors`` and ``newsarchive/archive/move_errors``
(takedowns and moves in a batch that could not be written).
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newsarchive.signals import article_gone, article_moved

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
# Where batches are written (NEWSARCHIVE_STORE_WRITER); the first is the default.
WRITERS = ("thread", "process")


class StorePipeline:
    def __init__(self, crawler: Crawler, db_url: str | None, *, keep_raw: bool,
                 batch_size: int, batch_seconds: float,
                 batch_bytes: int = DEFAULT_BATCH_BYTES,
                 group_batches: int = DEFAULT_GROUP_BATCHES, writer: str = WRITERS[0]):
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
        self.pending_gone: list[Any] = []  # takedowns met since the last batch (GoneMark)
        self.pending_moves: list[Any] = []  # moves met since the last batch (MoveMark)
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
        # Batches handed over and not yet committed or failed (for ``drain``).
        self._out = 0
        self._out_changed = threading.Condition()
        if writer not in WRITERS:
            raise ValueError(f"NEWSARCHIVE_STORE_WRITER must be one of {', '.join(WRITERS)}, "
                             f"not {writer!r}")
        self.writer = writer
        self._thread: threading.Thread | None = None
        self._process: Any = None  # a store_writer.WriterProcess
        # CPU seconds the writer process used (all its threads), once closed.
        self.writer_cpu_seconds: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        from newsarchive.database.engine import crawl_archive_url

        settings = crawler.settings
        db_url = crawl_archive_url(settings.get("NEWSARCHIVE_DB_URL"))
        if not db_url:
            raise NotConfigured("NEWSARCHIVE_DB_URL is empty: storage switched off")
        pipeline = cls(
            crawler,
            db_url,
            keep_raw=settings.getbool("NEWSARCHIVE_KEEP_RAW", True),
            batch_size=settings.getint("NEWSARCHIVE_STORE_BATCH", 100),
            batch_seconds=settings.getfloat("NEWSARCHIVE_STORE_BATCH_SECONDS", 2.0),
            batch_bytes=settings.getint("NEWSARCHIVE_STORE_BATCH_BYTES", DEFAULT_BATCH_BYTES),
            group_batches=settings.getint("NEWSARCHIVE_STORE_GROUP_BATCHES",
                                          DEFAULT_GROUP_BATCHES),
            writer=settings.get("NEWSARCHIVE_STORE_WRITER") or WRITERS[0],
        )
        crawler.signals.connect(pipeline.article_gone, signal=article_gone)
        crawler.signals.connect(pipeline.article_moved, signal=article_moved)
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        from newsarchive.database import Archive

        self.archive = Archive(self.db_url, keep_raw=self.keep_raw, background_checkpoints=True)
        logger.info("storing articles in %s (batches of %d or %.1f s, raw pages %s, "
                    "written from a %s)", _safe(self.archive.url), self.batch_size,
                    self.batch_seconds, "kept" if self.keep_raw else "not kept", self.writer)
        if self.writer == "process":
            # Started now, not at the first batch: its start-up (a fresh
            # interpreter, about 0.6 s) overlaps the crawl's first fetches.
            self._start_process()
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
        self._note_pending()
        self.pending.append(prepared)
        self.pending_bytes += prepared.size
        if len(self.pending) >= self.batch_size or self.pending_bytes >= self.batch_bytes:
            self.flush()
        else:
            self._flush_if_due()
        return item

    def article_gone(self, urls: Sequence[str], status: int) -> None:
        """An article page answered ``status`` (404, 410): marked with the next batch."""
        from newsarchive.database.archive import GoneMark, utc_now

        if self.archive is None:
            return
        self._note_pending()
        at = utc_now()
        self.pending_gone.extend(GoneMark(url, status, at) for url in urls)

    def article_moved(self, urls: Sequence[str], target: str) -> None:
        """A redirect from ``urls`` to ``target`` not followed: recorded with the next batch."""
        from newsarchive.database.archive import MoveMark, utc_now

        if self.archive is None:
            return
        self._note_pending()
        self.pending_moves.append(MoveMark(tuple(urls), target, utc_now()))

    def _has_pending(self) -> bool:
        return bool(self.pending or self.pending_gone or self.pending_moves)

    def _note_pending(self) -> None:
        # The batch timer counts from the first thing waiting, article or mark.
        if not self._has_pending():
            self.first_pending_at = time.monotonic()

    def _flush_if_due(self) -> None:
        if (self.batch_seconds > 0 and self._has_pending()
                and self.first_pending_at is not None
                and time.monotonic() - self.first_pending_at >= self.batch_seconds):
            self.flush()

    def _run_id(self) -> int | None:
        spider = getattr(self.crawler, "spider", None)
        run_id = getattr(spider, "run_id", None) or self.stats.get_value("newsarchive/run/id")
        return int(run_id) if run_id else None

    def flush(self) -> None:
        """Hand the pending articles to the writer (process or thread).

        They were prepared as they arrived (fingerprints and rows here, raw
        pages compressing in two pool threads); the writer gets the
        compressed pages and writes the batch. So the writer commits one
        batch while the crawl parses pages and prepares the next. At most
        ``max_uncommitted`` batches are out, which holds the crawl back if
        the database cannot keep up.
        """
        if not self._has_pending() or self.archive is None:
            return
        from newsarchive.database.archive import PreparedBatch

        items, self.pending, self.first_pending_at = self.pending, [], None
        gone, self.pending_gone = self.pending_gone, []
        moves, self.pending_moves = self.pending_moves, []
        self.pending_bytes = 0
        batch = PreparedBatch(items, gone, moves)
        batch.renumber()
        self._uncommitted.acquire()
        with self._out_changed:
            self._out += 1
        self._hand_over(batch, self._run_id())

    def _hand_over(self, batch: Any, run_id: int | None) -> None:
        if self._process is not None:
            try:
                if self._process.send(batch, run_id):
                    return
            except RuntimeError:
                # The thread writes as well, only slower: storing goes on.
                logger.warning("the store writer process did not start; writing from a thread",
                               exc_info=True)
                self._process.close()
                self._process = None
                self.writer = "thread"
        if self._thread is None:
            self._thread = threading.Thread(target=self._thread_writer().run, args=(self._queue,),
                                            name="newsarchive-store", daemon=True)
            self._thread.start()
        self._queue.put((batch, run_id))

    def _start_process(self) -> None:
        from newsarchive.pipelines.store_writer import WriterProcess

        assert self.archive is not None
        try:
            self._process = WriterProcess(url=self.archive.url, keep_raw=self.keep_raw,
                                          group_batches=self.group_batches,
                                          batch_bytes=self.batch_bytes, stats=self.stats,
                                          done=self._written)
        except Exception:
            # The thread writes as well, only slower: storing goes on.
            logger.warning("could not start the store writer process; writing from a thread",
                           exc_info=True)
            self.writer = "thread"

    def _thread_writer(self) -> Any:
        from newsarchive.pipelines.store_writer import GroupWriter

        return GroupWriter(self.archive, group_batches=self.group_batches,
                           batch_bytes=self.batch_bytes, stats=self.stats, done=self._written)

    def _written(self, n: int) -> None:
        """``n`` batches out are committed or failed: room for as many more."""
        with self._out_changed:
            self._out -= n
            self._out_changed.notify_all()
        for _ in range(n):
            self._uncommitted.release()

    def wait_for_writer(self) -> None:
        """Wait until the writer process (if any) is ready to write (for benchmarks)."""
        if self._process is not None:
            try:
                self._process.wait_ready()
            except RuntimeError:
                pass  # the first batch falls back to the thread

    def drain(self) -> None:
        """Wait until every batch handed to the writer is committed (or failed)."""
        with self._out_changed:
            self._out_changed.wait_for(lambda: self._out == 0)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        try:
            self.flush()
            if self._process is not None:
                self._process.close()
                self.writer_cpu_seconds = self._process.cpu_seconds
                self._process = None
            if self._thread is not None:
                self._queue.put(None)
                self._thread.join()
                self._thread = None
        finally:
            if self.archive is not None:
                self.archive.close()
                self.archive = None


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
