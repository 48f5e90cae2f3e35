"""What each of the project's own settings must hold, checked before a crawl starts.

The components read these settings with Scrapy's ``getint``, ``getfloat`` and
``getbool`` when the engine builds them, after the spider has started: a
value that was not a number (``-s NEWSARCHIVE_STORE_BATCH=ten``, an
``-s NEWSARCHIVE_STORE_BATCH_BYTES=4MB``) ended the run with a traceback
and exit status 1, naming no setting. ``check_setting_types`` reads each one
the same way, so it refuses exactly what the component would fail on, and
says so in one line (the crawl command turns it into exit status 2).
"""
from __future__ import annotations

from collections.abc import Iterable

from scrapy.settings import BaseSettings

WHOLE_NUMBERS = (
    "NEWSARCHIVE_STORE_BATCH", "NEWSARCHIVE_STORE_BATCH_BYTES", "NEWSARCHIVE_STORE_GROUP_BATCHES",
    "NEWSARCHIVE_MIN_WORDS", "NEWSARCHIVE_DETECT_MIN_WORDS", "NEWSARCHIVE_RETRY_AFTER_TIMES",
)
NUMBERS = (
    "NEWSARCHIVE_STORE_BATCH_SECONDS", "NEWSARCHIVE_DETECT_MAX_LINK_DENSITY",
    "NEWSARCHIVE_ROBOTS_TIMEOUT", "NEWSARCHIVE_RETRY_AFTER_DEFAULT", "NEWSARCHIVE_RETRY_AFTER_MAX",
)
SWITCHES = (
    "NEWSARCHIVE_KEEP_RAW", "NEWSARCHIVE_INCREMENTAL", "NEWSARCHIVE_GUESS_SITEMAP",
    "NEWSARCHIVE_GC_FREEZE", "NEWSARCHIVE_MALLOC_TUNING", "NEWSARCHIVE_RECORD_RUNS",
    "NEWSARCHIVE_CLEAN_ENABLED", "NEWSARCHIVE_VALIDATE_ENABLED",
)


def check_setting_types(settings: BaseSettings, whole_numbers: Iterable[str] = ()) -> None:
    """Raise ValueError naming the first setting whose value its reader refuses.

    ``whole_numbers`` adds settings a caller reads with ``getint`` (the
    spider's crawl limits, whose names it keeps with their defaults).
    """
    checks = ([(name, settings.getint, "a whole number") for name in (*WHOLE_NUMBERS, *whole_numbers)]
              + [(name, settings.getfloat, "a number") for name in NUMBERS]
              + [(name, settings.getbool, "on or off (1/0, True/False)") for name in SWITCHES])
    for name, read, kind in checks:
        try:
            read(name)
        except (TypeError, ValueError):
            raise ValueError(f"setting {name}: {settings.get(name)!r} is not {kind}") from None
    from newsarchive.pipelines.storage import WRITERS

    writer = settings.get("NEWSARCHIVE_STORE_WRITER") or WRITERS[0]
    if writer not in WRITERS:
        raise ValueError(f"setting NEWSARCHIVE_STORE_WRITER: {writer!r} is not one of "
                         f"{', '.join(WRITERS)}")
