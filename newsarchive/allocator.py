"""MallocTuning: glibc malloc settings that keep a long crawl's memory down.

A crawl allocates and frees many short-lived ~100-200 KB buffers (response
bodies, decoded HTML, serialised items). Two glibc defaults make those cost
more resident memory than they need to:

- the mmap threshold is dynamic: after the first large block is freed it
  rises (up to 32 MB), so later large buffers come from the heap instead of
  their own mapping, and the heap keeps the holes they leave;
- every thread that allocates gets its own arena (up to 8 per core), and the
  storage pipeline's compression and writer threads each keep free memory in
  theirs.

This extension calls ``mallopt`` once, when the crawler is built, which is
before the engine, the storage pipeline or Twisted start any thread (an
arena limit does not shrink arenas that already exist). Measured with the
crawl benchmark (README.md): a fixed 128 KB mmap threshold lowers an
8,000-page crawl's peak by about 25 MB. Every page buffer is then a fresh
mapping to fault in, which doubles system CPU; pages/s moved by 0-5% in the
A/B runs. An arena limit or a periodic ``malloc_trim`` added nothing
measurable on top, so there is no timer here. Measured again on 2026-12-07
(README, "Speed and memory settings"): the mapping costs ~140 page faults
and ~0.5-0.9 ms of system CPU a page; a 512 KB threshold with a 4 MB trim
threshold cut the faults to ~60 but added as much user CPU (likely: a heap
``realloc`` copies where an mmapped one is moved) and 3-6 MB of peak, and
``malloc_trim(0)`` every second faulted as much as the 128 KB threshold.

Settings:
- ``NEWSARCHIVE_MALLOC_TUNING`` (default True, as in the project's
  settings.py): False leaves malloc alone.
- ``NEWSARCHIVE_MALLOC_ARENA_MAX`` (0 = glibc's default).
- ``NEWSARCHIVE_MALLOC_MMAP_THRESHOLD`` in bytes (0 = glibc's dynamic
  threshold); a fixed value also switches the dynamic adjustment off.
- ``NEWSARCHIVE_MALLOC_TRIM_THRESHOLD`` in bytes (0 = glibc's default).

Only glibc has these calls; elsewhere (musl, macOS, Windows) the extension
is not configured and nothing changes. Extraction worker processes
(``NEWSARCHIVE_EXTRACT_WORKERS``) are forked before this extension runs, so
they apply the same ``malloc_params`` themselves (spiders/workers.py).
A value that is not a whole number stops the crawl at start with a message
naming the setting.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

# mallopt parameter numbers from glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8


def load_glibc() -> Any | None:
    """The C library if it is glibc, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        # gnu_get_libc_version exists only in glibc: musl has mallopt as a no-op stub.
        libc.gnu_get_libc_version
        libc.mallopt
    except (OSError, AttributeError):
        return None
    return libc


# Setting -> mallopt parameter, in the order they are applied.
_PARAMS: tuple[tuple[str, int], ...] = (
    ("NEWSARCHIVE_MALLOC_ARENA_MAX", M_ARENA_MAX),
    ("NEWSARCHIVE_MALLOC_MMAP_THRESHOLD", M_MMAP_THRESHOLD),
    ("NEWSARCHIVE_MALLOC_TRIM_THRESHOLD", M_TRIM_THRESHOLD),
)


def malloc_params(settings: BaseSettings) -> list[tuple[int, int]]:
    """The (mallopt parameter, value) pairs the settings ask for; [] when
    tuning is off. A value that is not a whole number raises ValueError
    naming the setting (Scrapy's own getint error names neither)."""
    if not settings.getbool("NEWSARCHIVE_MALLOC_TUNING", True):
        return []
    params = []
    for name, param in _PARAMS:
        raw = settings.get(name, 0)
        try:
            value = int(raw or 0)
        except (TypeError, ValueError):
            raise ValueError(f"setting {name}: {raw!r} is not a whole number (0 = glibc's default)") from None
        if value < 0:
            raise ValueError(f"setting {name}: {value} is negative (0 = glibc's default)")
        if value > 0:
            params.append((param, value))
    return params


def apply_params(libc: Any, params: list[tuple[int, int]]) -> None:
    """``mallopt`` each pair; a refused one is logged, not fatal."""
    for param, value in params:
        # mallopt returns 1 on success, 0 on error.
        if libc.mallopt(ctypes.c_int(param), ctypes.c_int(value)) != 1:
            logger.warning("mallopt(%d, %d) failed", param, value)
    logger.debug("malloc tuning: %s", params)


class MallocTuning:
    """Extension: sets glibc malloc parameters for the crawl's process."""

    def __init__(self, crawler: Crawler, libc: Any, params: list[tuple[int, int]]) -> None:
        self.crawler = crawler
        self.libc = libc
        self.params = params

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MallocTuning:
        # Read first, so that a bad value is reported even where glibc is missing.
        params = malloc_params(crawler.settings)
        # NotConfigured without a message: Scrapy logs a message as a
        # warning, and a switched-off or non-glibc crawl is nothing to warn about.
        if not params:
            raise NotConfigured
        libc = load_glibc()
        if libc is None:
            raise NotConfigured
        extension = cls(crawler, libc, params)
        # Now, not at spider_opened: arenas are made when threads first
        # allocate, and the limit does not shrink arenas that already exist.
        extension.apply()
        return extension

    def apply(self) -> None:
        apply_params(self.libc, self.params)
