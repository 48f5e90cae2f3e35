"""What the last runs learnt about URLs that are not articles.

The archive only knows articles. Without a memory of the rest, every hourly
run would fetch again each story-shaped link that turned out to be a
round-up page, a 404 or a redirect off the site. This keeps, per site, the
canonical URLs the crawl skipped after fetching them, with the reason and
when; they are not fetched again until ``NEWSARCHIVE_SKIP_RECHECK`` has
passed, or until discovery dates one after it was remembered (the spider's
``_remembered``: a 404 that went live, a stub that grew). One JSON file per site and archive next to the site's run lock,
written only by the run holding that lock, replaced atomically at the end of
the run.

The memory is per archive as well as per site: "this sitemap was read in full"
is only true of the archive the articles went into. Kept per site alone, a
crawl into a fresh archive (a move to PostgreSQL, a second archive for a
project) skipped the sitemaps the last run had read, and the articles only
they listed were silently missing from the new archive.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from newsarchive.urls import canonicalize_url

logger = logging.getLogger(__name__)


# A page fetched and dropped by -a since= for its publication date is
# remembered with that date in its reason: hourly runs with a since would
# otherwise fetch it again every hour (an old article linked from a section
# page, or one whose lastmod a site touched), and a run whose since admits it
# (a backfill) must still get it.
PUBLISHED_PREFIX = "published-before-since:"


def published_reason(published: datetime) -> str:
    """The skip reason of a page dropped by ``-a since=``, carrying its publication instant."""
    return PUBLISHED_PREFIX + published.isoformat(timespec="seconds")


def published_of(reason: str) -> datetime | None:
    """The publication instant a ``published_reason`` carries, else None."""
    if not reason.startswith(PUBLISHED_PREFIX):
        return None
    try:
        return datetime.fromisoformat(reason[len(PUBLISHED_PREFIX):])
    except ValueError:
        return None


class SkipMemory:
    """Skipped URLs of one site, for one archive: canonical URL -> (reason, when)."""

    def __init__(self, folder: str | Path, site: str, *, keep_for: timedelta,
                 archive: str | None = None):
        name = re.sub(r'[^A-Za-z0-9_.-]+', '_', site)
        if archive:
            name = f"{name}.{archive_key(archive)}"
        self.path = Path(folder) / f"{name}.skipped.json"
        self.keep_for = keep_for
        self._entries: dict[str, tuple[str, str]] = {}
        self._dirty = False

    def load(self, now: datetime | None = None) -> int:
        """Read the file, dropping entries older than ``keep_for``; returns how many remain."""
        now = now or datetime.now(timezone.utc)
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return 0
        except (OSError, ValueError) as exc:
            logger.warning("ignoring unreadable skip memory %s: %s", self.path, exc)
            return 0
        for url, value in raw.items() if isinstance(raw, dict) else ():
            try:
                reason, when = value
                if now - datetime.fromisoformat(when) < self.keep_for:
                    # Keys written by a release with other URL rules take today's.
                    self._entries[canonicalize_url(url)] = (str(reason), when)
            except (TypeError, ValueError):
                continue
        self._dirty = len(self._entries) != len(raw)
        return len(self._entries)

    def reason(self, url: str) -> str | None:
        """Why ``url`` was skipped recently, or None."""
        entry = self._entries.get(canonicalize_url(url))
        return entry[0] if entry else None

    def entry(self, url: str) -> tuple[str, datetime] | None:
        """``(reason, when)`` for a remembered URL, or None."""
        found = self._entries.get(canonicalize_url(url))
        return (found[0], datetime.fromisoformat(found[1])) if found else None

    def remember(self, url: str, reason: str, now: datetime | None = None) -> None:
        when = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        self._entries[canonicalize_url(url)] = (reason, when)
        self._dirty = True

    def forget(self, url: str) -> None:
        if self._entries.pop(canonicalize_url(url), None) is not None:
            self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._entries, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
        self._dirty = False

    def __len__(self) -> int:
        return len(self._entries)


def archive_key(url: str) -> str:
    """A short name for the archive ``url`` points at, the same however it is written.

    A SQLite file counts by its absolute path (cron lines ``cd`` elsewhere, and
    ``sqlite:///a.db`` from two folders is two archives); a server database by
    its URL without the password, so changing the password keeps the memory.
    """
    from newsarchive.database.engine import resolve_url

    try:
        # As the archive reads it: a plain path is an SQLite file.
        parsed = make_url(resolve_url(url))
    except ArgumentError:
        ident = url
    else:
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            ident = "sqlite:" + os.path.realpath(parsed.database)
        else:
            ident = parsed.set(password=None, drivername=parsed.get_backend_name()).render_as_string()
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12]
