"""Article extraction for the crawl, in worker processes and in the crawl's own.

Extraction is most of a crawl's CPU time, and Scrapy runs everything else
(downloads, middlewares, pipelines, storage, the feed) on one thread. With
``NEWSARCHIVE_EXTRACT_WORKERS`` = N > 0, N worker processes extract pages,
so extraction and the rest of the crawl use different cores; the crawl's
own process extracts a page too whenever every worker already has pages
waiting (load-sharing: on two cores, one worker and the crawl's process
together keep both busy). ``auto`` is one worker per core beyond the first
(none on one core); 0 extracts everything in the crawl's process.

Either way a page is decoded and parsed once: ``load_page`` hands the parsed
tree to ``inspect_page`` before the body extraction prunes it, which counts
the words and linked words that article detection needs for pages that
declare no schema.org type (see ``detection.page_skip_reason``).
"""
from __future__ import annotations

import gc
import logging
import os
import signal
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from newsarchive import detection

if TYPE_CHECKING:
    from newsarchive.extraction.config import ExtractionConfig
    from newsarchive.extraction.page import LoadedPage
    from newsarchive.items import Article

logger = logging.getLogger(__name__)


def inspect_page(doc: Any, article: Article) -> detection.TextSignals | None:
    """Text signals of the whole page, when detection may need them.

    Only pages without a declared type are judged by their text, so typed
    pages are not walked. Whether an untyped page needs them depends on its
    body's length, known only after the tree is pruned, so all untyped pages
    are walked: on the corpus, 120 of 399 pages, of which 43 were checked.
    That costs about what parsing those 43 a second time did, and keeps one
    tree per page (and the work in the worker, when there is one).
    """
    types = detection.page_types(article)
    if types & detection.ARTICLE_TYPES or types & detection.NON_ARTICLE_TYPES.keys():
        return None
    return detection.text_signals(doc)


# Worker side: one ExtractionConfig instance per site, so that extraction's
# caches see the same object for every page of a site rather than a fresh
# unpickled copy each time.
_configs: dict[str, ExtractionConfig] = {}


def load_for_crawl(body: bytes, url: str, config_key: str | None, config: ExtractionConfig | None,
                   headers: Mapping[str, str], fetched_at: str) -> LoadedPage:
    """``load_page`` with the detection hook: what the spider needs of one page."""
    from newsarchive.extraction.page import load_page

    if config_key is not None and config is not None:
        config = _configs.setdefault(config_key, config)
    return load_page(body, url, config=config, headers=headers, fetched_at=fetched_at, inspect=inspect_page)


# Pages queued per worker before the crawl's process extracts one itself:
# one being extracted and one ready, so a worker never waits for the next.
QUEUED_PER_WORKER = 2


def resolve_workers(value: Any, cores: int | None = None) -> int:
    """The number of workers ``NEWSARCHIVE_EXTRACT_WORKERS`` asks for.

    A whole number >= 0, or ``auto``: one per core beyond the first, which
    the crawl's own process keeps. Raises ValueError naming the setting.
    """
    text = str(value if value is not None else 0).strip().lower()
    if text == "auto":
        if cores is None:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return max(cores - 1, 0)
    try:
        workers = int(text or 0)
    except ValueError:
        workers = -1
    if workers < 0:
        raise ValueError(f"setting NEWSARCHIVE_EXTRACT_WORKERS: {value!r} is not 'auto' "
                         "or a whole number >= 0")
    return workers


def _worker_started(malloc: list[tuple[int, int]]) -> None:
    # Ctrl-C reaches the whole process group; the crawl's process decides how
    # to stop (Scrapy finishes the pages in flight), so workers ignore it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits Scrapy's SIGTERM handler, which would start a
    # shutdown of a crawl that is not running here. The default ends the
    # worker; the crawl then extracts its pages in flight itself. (Ignoring
    # SIGTERM is not an option: the executor stops a broken pool's workers with it.)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        signal.set_wakeup_fd(-1)
    except ValueError:  # not the main thread of the worker: nothing was set
        pass
    if malloc:
        # The pool is forked before the MallocTuning extension runs in the
        # crawl's process, so the worker sets the same parameters itself.
        from newsarchive.allocator import apply_params, load_glibc

        libc = load_glibc()
        if libc is not None:
            apply_params(libc, malloc)
    # Import extraction now, while the crawl is still reading robots.txt and
    # sitemaps, rather than on the first article (a no-op in a forked worker).
    _import_extraction()


def _import_extraction() -> None:
    import newsarchive.extraction.page  # noqa: F401
    from newsarchive.extraction import loader  # noqa: F401


def _ready() -> bool:
    return True


class ExtractionPool:
    """Worker processes that run ``load_for_crawl``.

    On Linux, when the crawl's process has no other thread yet (the spider is
    set up before Scrapy starts any), the workers are forked at once, after
    extraction is imported and ``gc.freeze()`` has moved every object made so
    far out of the collector's reach: a worker then shares the crawl's
    imported code and data copy-on-write, and its garbage collections do not
    write to (and so copy) those pages. Otherwise they are started with
    "spawn", since forking a threaded process can leave a child holding a
    lock that no thread will ever release.

    ``malloc`` is what ``allocator.malloc_params`` gives: the workers apply it.
    """

    def __init__(self, workers: int, *, malloc: list[tuple[int, int]] | None = None) -> None:
        import multiprocessing
        import sys
        import threading

        self.workers = workers
        fork = sys.platform.startswith("linux") and threading.active_count() == 1
        if fork:
            # Imported before forking, so the workers share these pages.
            _import_extraction()
            # Long-lived start-up objects (modules, compiled patterns, Scrapy's
            # classes) go to the permanent generation: neither process's
            # collector scans them again, and a forked worker keeps sharing them.
            gc.collect()
            gc.freeze()
        self._executor: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork" if fork else "spawn"),
            initializer=_worker_started, initargs=(list(malloc or ()),))
        self._keys: dict[int, tuple[ExtractionConfig, str]] = {}
        self._pending: list[Future[LoadedPage]] = []
        if fork:
            # A forking executor starts every worker on its first task: now,
            # while this process still has a single thread.
            self.warm_up()

    @property
    def broken(self) -> bool:
        return self._executor is None

    def has_room(self) -> bool:
        """True while a worker could take another page without it waiting
        long; when False the crawl's process extracts the page itself."""
        self._pending = [future for future in self._pending if not future.done()]
        return len(self._pending) < self.workers * QUEUED_PER_WORKER

    def warm_up(self) -> None:
        """Start the workers now (they import extraction, about a second)."""
        if self._executor is not None:
            for _ in range(self.workers):
                self._executor.submit(_ready)

    def submit(self, body: bytes, url: str, config: ExtractionConfig | None,
               headers: Mapping[str, str], fetched_at: str) -> Future[LoadedPage]:
        """Raises BrokenProcessPool (or RuntimeError after close) when the pool is gone."""
        if self._executor is None:
            raise BrokenProcessPool("extraction workers are gone")
        key = None
        if config is not None:
            known = self._keys.get(id(config))
            if known is None or known[0] is not config:
                # The config object is kept alive here, so its id stays its own.
                known = (config, f"{len(self._keys)}:{id(config)}")
                self._keys[id(config)] = known
            key = known[1]
        future = self._executor.submit(load_for_crawl, body, url, key, config, dict(headers), fetched_at)
        self._pending.append(future)
        return future

    def give_up(self) -> None:
        """After a worker died: stop using the pool (the crawl extracts in-process)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


__all__ = ["ExtractionPool", "QUEUED_PER_WORKER", "inspect_page", "load_for_crawl", "resolve_workers"]
