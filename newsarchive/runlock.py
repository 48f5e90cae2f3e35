"""Per-site run locks: two runs of one site never crawl at the same time.

One lock file per site in ``NEWSARCHIVE_STATE_DIR`` (``NEWSARCHIVE_LOCK_DIR`` is its older name), held with ``flock``: the
kernel releases it when the process ends, however it ends, so a killed run
never leaves a stale lock behind. The file holds the holder's pid and start
time, only to make the "already running" message useful.
"""
from __future__ import annotations

import fcntl
import os
import re
import time
from pathlib import Path
from typing import IO


class RunLocks:
    """The locks this process holds, one per site name."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self._held: dict[str, IO[str]] = {}

    def path_for(self, site: str) -> Path:
        return self.folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', site)}.lock"

    def acquire(self, site: str) -> bool:
        """Take the site's lock without waiting; False when another run holds it."""
        if site in self._held:
            return True
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = open(self.path_for(site), "a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid={os.getpid()} started={time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n")
        handle.flush()
        self._held[site] = handle
        return True

    def holder(self, site: str) -> str:
        """What the lock file says about the run holding it ("pid=... started=...")."""
        try:
            return self.path_for(site).read_text(encoding="utf-8").strip() or "unknown run"
        except OSError:
            return "unknown run"

    def release_all(self) -> None:
        for handle in self._held.values():
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            finally:
                handle.close()
        self._held.clear()

    @property
    def held(self) -> list[str]:
        return list(self._held)
