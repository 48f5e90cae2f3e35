"""Engines for the archive: URL resolution, SQLite tuning and lock-safe retries.

SQLite is the default back end and the one people open with ``sqlite3`` and
Datasette while a crawl writes to it, so its connections are set up for that:

- WAL journal, so readers never block the writer and the writer never blocks
  readers;
- ``synchronous=NORMAL``: in WAL mode a killed process never loses or tears a
  committed transaction (only a power cut can lose the last few);
- 16 KB pages in a new archive (``NEW_ARCHIVE_PAGE_SIZE``: fewer, larger
  writes for each raw page; an existing archive keeps its page size);
- a busy timeout, and write transactions that start with ``BEGIN IMMEDIATE``
  so two writers queue for the lock instead of failing on a lock upgrade;
- and, above that, ``run_with_retry``, which retries a whole transaction when
  the database is still busy, so "database is locked" never reaches a user.
"""
from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

logger = logging.getLogger(__name__)

ENV_VAR = "NEWSARCHIVE_DB_URL"
DEFAULT_URL = "sqlite:///newsarchive.db"

# How long one SQLite statement waits for a lock before the driver gives up,
# and how long ``run_with_retry`` keeps retrying a transaction after that.
BUSY_TIMEOUT_S = 15.0
RETRY_FOR_S = 300.0
# WAL bytes before SQLite copies the log back into the file (its default is
# 1,000 pages, 4 MB with 4 KB pages). A batch of 100 articles with raw pages
# writes 4-5 MB, so the default checkpointed (and fsynced) on nearly every
# commit; 16 MB lets the copy and fsync happen once for several batches, and
# pages rewritten by successive batches (index and FTS b-tree pages) are
# copied once. SQLite counts the threshold in pages, so each connection sets
# it from its archive's page size (an archive keeps the size it was made with).
WAL_AUTOCHECKPOINT_BYTES = 16_384_000
# The page size of a new SQLite archive (SQLite's default is 4 KB). A raw
# page is a ~33 KB blob: with 4 KB pages SQLite writes it as a chain of nine
# overflow pages, each a WAL frame of its own with its header and checksum,
# and copies each back at the checkpoint; with 16 KB pages, three. The page
# size is fixed when the file is created: an existing archive keeps its own
# (setting it later does nothing in WAL mode), so old archives work as before.
# The store cost 3.5-4.4 % less CPU per article with raw pages in alternated
# runs (less than half the pwrite calls), search and stats no more, the file
# ~2.5 % more per raw page (a blob's last overflow page is half empty on
# average): see the README's "Page size".
NEW_ARCHIVE_PAGE_SIZE = 16384
# Page cache per connection, in KiB (SQLite's default is 2 MB). 32 MB cost the
# crawl 23 MB of memory for no measurable gain: store CPU per article and
# search p95 on 100,000 articles were the same with 8 MB (benchmarks/storage_bench.py).
CACHE_SIZE_KB = 8000

T = TypeVar("T")


def resolve_url(url: str | None = None) -> str:
    """The archive URL to use: env ``NEWSARCHIVE_DB_URL`` > ``url`` > the default.

    A plain file path (no ``://``) is taken as an SQLite file, so
    ``--db archive.db`` works as well as ``--db sqlite:///archive.db``.
    """
    chosen = os.environ.get(ENV_VAR) or url or DEFAULT_URL
    if "://" not in chosen:
        chosen = f"sqlite:///{Path(chosen).expanduser()}"
    # SQLAlchemy's plain "postgresql://" means psycopg2, which we do not ship.
    if chosen.startswith("postgresql://") or chosen.startswith("postgres://"):
        chosen = "postgresql+psycopg://" + chosen.split("://", 1)[1]
    return chosen


def crawl_archive_url(setting: str | None) -> str | None:
    """The archive a crawl writes to: env ``NEWSARCHIVE_DB_URL`` > the setting.

    Unlike ``resolve_url`` there is no default: an empty value switches
    storage off (and with it everything that only serves storage).
    """
    return os.environ.get(ENV_VAR) or setting or None


def sqlite_file_path(url: URL) -> Path | None:
    """The file an SQLite URL names, or None (not SQLite, in memory, a ``file:`` URI)."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def foreign_sqlite_file(path: Path) -> tuple[str, str] | None:
    """What an existing file is when it is not an archive, read only, else None.

    ``(kind, description)``: kind ``not-sqlite``, ``empty`` (a 0-byte file or
    an SQLite database with no tables) or ``foreign`` (another program's
    tables, named). Opening such a file as an archive would add the
    archive's tables beside the file's own. None too when it cannot tell
    (no read access to its WAL): opening the archive then reports what fails.
    """
    import sqlite3
    from contextlib import closing

    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            tables = [row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    except sqlite3.DatabaseError as exc:
        if "not a database" not in str(exc):
            return None
        return "not-sqlite", "not an SQLite database"
    if "articles" in tables:
        return None
    if tables:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        return "foreign", f"an SQLite database without an archive's tables (it holds {shown})"
    return "empty", "an empty file" if path.stat().st_size == 0 else "an SQLite database with no tables"


def read_only_sqlite_uri(path: Path) -> str | None:
    """An SQLite ``file:`` URI that reads ``path`` without writing, when this
    user cannot open it the ordinary way; else None.

    An archive in WAL mode is opened for reading by writing its ``-shm`` file
    beside it (SQLite makes it when missing). A user who may read the archive
    but not write it or its folder (the crawl's own user owns them, as in the
    README's systemd unit, or the archive is on read-only media) got "attempt
    to write a readonly database" from every read command, but only while no
    crawl was running: a crawl keeps the ``-wal`` and ``-shm`` files in place.
    ``mode=ro`` reads with an existing ``-shm``; with none (and no WAL left
    over), nothing has the archive open, and ``immutable=1`` reads the file alone (SQLite then takes
    no lock: a crawl that starts and checkpoints mid-read can only make this
    one read fail, never harm the file).
    """
    try:
        path = path.expanduser().resolve()
    except OSError:
        return None
    if not path.is_file():
        return None
    shm = Path(f"{path}-shm")
    writable = os.access(path, os.W_OK) and (
        os.access(shm, os.W_OK) if shm.exists() else os.access(path.parent, os.W_OK))
    if writable:
        return None
    # immutable=1 reads the main file alone: not when a WAL holds commits not
    # yet copied back (a crawl killed mid-run), which it would silently miss.
    wal = Path(f"{path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    query = "mode=ro" if shm.exists() or pending else "mode=ro&immutable=1"
    return f"{path.as_uri()}?{query}"


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url`` (already resolved) with the archive's connection set-up.

    ``read_only``: the caller only reads (the CLI's read commands), so an
    SQLite archive this user cannot write is opened read-only
    (``read_only_sqlite_uri``) instead of failing.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        uri = None
        if read_only and (path := sqlite_file_path(parsed)) is not None:
            uri = read_only_sqlite_uri(path)
        if uri is None and database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
            **({"creator": _read_only_creator(uri)} if uri else {}),
        )
        _configure_sqlite(engine, read_only=uri is not None)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == "psycopg":
        # psycopg prepares a statement run 5 times, and PostgreSQL may then use
        # a generic plan: for search that means scanning every row for a rare
        # word (90 ms on 10,000 articles instead of 1 ms). Plan each query.
        connect_args["prepare_threshold"] = None
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _read_only_creator(uri: str) -> Callable[[], Any]:
    import sqlite3

    def connect() -> Any:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)

    return connect


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (the driver's implicit BEGIN is DEFERRED,
        # which turns a read lock into a write lock mid-transaction: the one case
        # where SQLite fails at once instead of waiting for the busy timeout).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # Takes effect only while the file is still empty (before switching it
        # to WAL below writes its header): new archives only.
        cursor.execute(f"PRAGMA page_size = {NEW_ARCHIVE_PAGE_SIZE}")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal" and not read_only:
            # Switching to WAL needs a moment of exclusive access; retry below if busy.
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # 8 MB of page cache (default 2 MB): the hot index pages stay in memory
        # while a crawl writes; the rest comes from the OS's file cache.
        cursor.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KB}")
        page_size = cursor.execute("PRAGMA page_size").fetchone()[0]
        cursor.execute(f"PRAGMA wal_autocheckpoint = {wal_autocheckpoint_pages(page_size)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("newsarchive_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def wal_autocheckpoint_pages(page_size: int) -> int:
    """SQLite's ``wal_autocheckpoint`` for ``WAL_AUTOCHECKPOINT_BYTES`` at ``page_size``."""
    return max(1, WAL_AUTOCHECKPOINT_BYTES // page_size)


def is_retryable(exc: BaseException) -> bool:
    """Lock contention, serialisation failures and a lost race on a unique key."""
    if isinstance(exc, IntegrityError):
        # Two writers inserting the same new article or author at once: the
        # loser's whole batch is re-run and then sees the winner's row.
        return True
    if isinstance(exc, OperationalError | DBAPIError):
        text = str(getattr(exc, "orig", exc)).lower()
        return any(
            marker in text
            for marker in (
                "database is locked",
                "database table is locked",
                "database is busy",
                "could not serialize",
                "deadlock detected",
                "lock timeout",
            )
        )
    return False


def run_with_retry(
    func: Callable[[], T], *, what: str = "archive transaction", retry_for: float = RETRY_FOR_S
) -> T:
    """Run ``func`` (one whole transaction) again while the database is busy."""
    deadline = time.monotonic() + retry_for
    delay = 0.02
    attempt = 0
    while True:
        try:
            return func()
        except (OperationalError, IntegrityError, DBAPIError) as exc:
            attempt += 1
            if not is_retryable(exc) or time.monotonic() >= deadline:
                raise
            # A unique-key race resolves on the first re-run; more means a real bug.
            if isinstance(exc, IntegrityError) and attempt > 5:
                raise
            if attempt in (1, 10, 100):
                logger.debug("%s busy (%s), retrying", what, getattr(exc, "orig", exc))
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 1.0)


class BackgroundCheckpointer:
    """Copies an SQLite archive's WAL back into the file from its own thread.

    A long writer (the store pipeline) pokes this after each commit: the copy
    and its two fsyncs (0.1 ms per article with raw pages, most of a commit's
    time) then run beside the next batch instead of inside the writer's
    commit. The writer's connections keep their automatic checkpoint every
    ``WAL_AUTOCHECKPOINT_BYTES`` as well, which copies only what this thread
    has not yet: it is what lets the WAL start over while the writer is busy
    (see ``Archive.__init__``). PASSIVE
    checkpoints never wait for or block readers and writers, and durability
    does not depend on them: a committed transaction is safe in the WAL.
    """

    # At most one checkpoint this often: pages rewritten by successive
    # batches (index and FTS pages) are then copied once.
    MIN_INTERVAL_S = 0.5

    def __init__(self, path: str):
        self.path = path
        self._wake = threading.Event()
        # Set by ``close``: it also cuts short the pause between checkpoints,
        # which otherwise added up to MIN_INTERVAL_S to every close (a tenth
        # of the wall time of storing 5,000 articles in the benchmark).
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsarchive-checkpoint",
                                        daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        import sqlite3

        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # a later poke or the final close retries
                    logger.debug("background checkpoint failed: %s", exc)
                if self._stop.is_set():
                    return
                self._stop.wait(self.MIN_INTERVAL_S)
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()
