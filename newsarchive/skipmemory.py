"""What the last runs learnt about URLs that are not articles.

The archive only knows articles. Without a memory of the rest, every hourly
run would fetch again each story-shaped link that turned out to be a
round-up page, a 404 or a redirect off the site. This keeps, per site, the
canonical URLs the crawl skipped after fetching them, with the reason and
when; they are not fetched again until ``NEWSARCHIVE_SKIP_RECHECK`` has
passed. One JSON file per site next to its run lock, written only by the
run holding that lock, replaced atomically at the end of the run.
"""
from __future__ import annotations

import json
import logging
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from newsarchive.urls import canonicalize_url

logger = logging.getLogger(__name__)


class SkipMemory:
    """Skipped URLs of one site: canonical URL -> (reason, when)."""

    def __init__(self, folder: str | Path, site: str, *, keep_for: timedelta):
        self.path = Path(folder) / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', site)}.skipped.json"
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
                    self._entries[url] = (str(reason), when)
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
