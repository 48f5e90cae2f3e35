"""``Archive``: the one entry point to the database, for the crawl, the CLI and scripts.

Writing happens in ``store_articles``: one transaction per batch, whatever the
batch holds, so a process killed at any moment leaves each article either
whole (row, authors, captions, version, FTS entry, raw page) or absent.
Reading goes through the query modules (``search``, ``history``,
``export``, ``stats``), which this class exposes as methods.
"""
from __future__ import annotations

import json
from collections import deque
from operator import itemgetter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from newsarchive.database import migrate
from newsarchive.database.engine import (
    BackgroundCheckpointer,
    make_engine,
    resolve_url,
    run_with_retry,
)
from newsarchive.database.normalisation import (
    author_key,
    clean_name,
    content_fingerprint,
    to_utc,
)
from newsarchive.database.rawpages import compress
from newsarchive.extraction.words import count_words
from newsarchive.database.schema import (
    GONE,
    RESTORED,
    article_authors,
    article_events,
    article_urls,
    articles,
    authors,
    captions,
    crawl_runs,
    dropped_blocks,
    fetches,
    raw_pages,
    versions,
)
from newsarchive.items import Article
from newsarchive.wirebody import EncodedRawPage
from newsarchive.urls import canonicalize_url

# Keys per IN (...) list: far below SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500
# Raw pages per INSERT statement on SQLite (see _write_fetch_records).
RAW_PAGES_PER_STATEMENT = 10


class ArchiveError(Exception):
    """A problem with the archive a user can act on (shown as one line by the CLI)."""


def database_error_line(exc: BaseException) -> str:
    """A database error in one line a user can act on (the CLI's and the crawl's words)."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    line = detail[0] if detail else type(exc).__name__
    if "Can't load plugin: sqlalchemy.dialects" in line:
        # SQLAlchemy's words for a URL whose scheme names no database (http://, a typo).
        line += (" (not a database URL: give a file path, sqlite:///FILE or "
                 "postgresql://user@host/dbname)")
    if "no schema has been selected" in line:
        # PostgreSQL's words for a search_path naming a schema that does not exist.
        line += (" (the schema the URL's search_path names does not exist; create it first, e.g. "
                 "psql -c 'CREATE SCHEMA newsarchive')")
    return line


@dataclass(frozen=True)
class PageState:
    """What the archive knows about one fetched URL, for incremental crawls."""

    fetched_at: str
    etag: str | None
    last_modified: str | None
    published: str | None
    modified: str | None
    # When the archive first stored the article: the re-check window's date
    # for a page that states none (see ``IncrementalFilter``).
    first_seen: str | None = None
    # The address the article was last fetched from (``articles.url``): a
    # re-fetch asks it rather than another spelling of the same key.
    url: str | None = None


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _site_names(sites: Iterable[str | None] | None) -> list[str] | None:
    """The site names to restrict page states to, or None for every site."""
    if sites is None:
        return None
    chosen = set(sites)
    return None if None in chosen else sorted(s for s in chosen if s is not None)


def _state_select() -> Any:
    """URL rows joined with their article: what a ``PageState`` is made of."""
    return select(
        article_urls.c.url, article_urls.c.fetched_at, article_urls.c.etag,
        article_urls.c.last_modified, articles.c.published, articles.c.modified,
        articles.c.last_seen, articles.c.first_seen, articles.c.url,
    ).join(articles, articles.c.id == article_urls.c.article_id)


def _page_state(row: Sequence[Any]) -> PageState:
    """The ``PageState`` of a ``_state_select`` row (the URL first)."""
    _, fetched_at, etag, last_modified, published, modified, last_seen, first_seen, url = row
    return PageState(fetched_at=fetched_at or last_seen, etag=etag, last_modified=last_modified,
                     published=published, modified=modified, first_seen=first_seen, url=url)


def _compress_sized(data: bytes) -> tuple[str, bytes, int]:
    method, packed = compress(data)
    return method, packed, len(data)


def header_value(headers: dict[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def modified_from_header(article: Article, last_modified: str | None) -> bool:
    """Whether the article's modification date is the HTTP ``Last-Modified`` header's.

    The page gave none and extraction took the header's. (The loader folds
    white space in the raw value, hence split().)
    """
    return bool(article.modified_raw and last_modified
                and article.modified_raw.split() == last_modified.split())


def fingerprints(article: Article, last_modified: str | None) -> tuple[str, str | None]:
    """The article's content fingerprint, and the one releases before 2026-12-07 stored
    when it differs (else None): the one rule for the crawl and for reparse.

    A modification date only the ``Last-Modified`` header gave is left out:
    servers and CDNs move that header whenever they render or touch the file,
    so in the fingerprint it recorded a version ("modification date changed")
    for every re-fetch of an unchanged article. It is still stored, as the
    date seen. A reparse that fingerprinted it the old way made the next
    crawl see a change that was not there.
    """
    fingerprint = content_fingerprint(article)
    if not modified_from_header(article, last_modified):
        return fingerprint, None
    return content_fingerprint(article, with_modified=False), fingerprint


# How close to the fetch, either side, a page's own modification date lies
# when it is the time the page was served rather than an edit (the site's
# clock and ours may differ by a few minutes).
RENDER_STAMP_SECONDS = 300


def only_render_stamp(article: Article, fetched_at: str, stored_modified: str | None,
                      stored_hash: str) -> bool:
    """Whether the article differs from its stored version by its modification
    date alone, and that date is the time the page was served.

    Pages whose templates print "now" as their ``dateModified`` (or
    ``article:modified_time``) got a version, "modification date changed", at
    every re-fetch: eight a day for an article in the re-check window, with
    nothing changed. A real edit changes the text too, and still makes one.
    """
    if to_utc(article.modified) == to_utc(stored_modified) or not served_stamp(article.modified, fetched_at):
        return False
    return content_fingerprint(replace(article, modified=stored_modified)) == stored_hash


def served_stamp(modified: str | None, fetched_at: str | None) -> bool:
    """Whether a page's modification date lies within ``RENDER_STAMP_SECONDS``
    of the page's fetch (both with a time and an offset)."""
    new = to_utc(modified)
    if not new or not fetched_at or len(new) == 10:
        return False
    try:
        stamped = datetime.fromisoformat(new)
        fetched = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except ValueError:
        return False
    if stamped.tzinfo is None or fetched.tzinfo is None:
        return False
    return abs((fetched - stamped).total_seconds()) <= RENDER_STAMP_SECONDS


@dataclass(frozen=True)
class GoneMark:
    """A re-fetch of ``url`` answered ``status`` (404 or 410) at ``at``: the
    site took the page down (``Archive.mark_gone``)."""

    url: str
    status: int
    at: str


@dataclass(frozen=True)
class MoveMark:
    """A fetch of ``sources`` (a redirect chain, the first address asked
    first) was redirected to ``target`` at ``at``: the site moved the page
    there (``Archive.record_moves``)."""

    sources: tuple[str, ...]
    target: str
    at: str


@dataclass(frozen=True)
class NotModifiedResult:
    """What ``Archive.mark_not_modified`` did: how many of the URLs the
    archive knows, and how many taken-down articles the 304s found back."""

    known: int
    restored: int


class StoreResult(list[str]):
    """What writing a batch did: per article "new", "updated" or "unchanged"
    (the list), how many archived articles it marked gone (``gone``), found
    back online (``restored``) and found at a new address (``moved``: stored
    from there, or the page there, stored as an article of its own, folded
    into them; see ``record_moves``).

    A list, so callers of ``store_articles`` keep comparing outcomes as before.
    """

    def __init__(self, outcomes: Iterable[str] = (), gone: int = 0, restored: int = 0,
                 moved: int = 0):
        super().__init__(outcomes)
        self.gone = gone
        self.restored = restored
        self.moved = moved


@dataclass
class PreparedBatch:
    """Articles ready to write, made by ``Archive.prepare``, and the takedowns
    and moves the crawl met meanwhile (written in the same transaction)."""

    items: list[_Prepared]
    gone: list[GoneMark] = field(default_factory=list)
    moved: list[MoveMark] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)

    @classmethod
    def join(cls, batches: Sequence[PreparedBatch]) -> PreparedBatch:
        """One batch of the items of ``batches``, in order (written in one transaction).

        The items are shared, renumbered for the joined batch: ``renumber``
        the parts before writing one of them on its own again.
        """
        joined = cls([item for batch in batches for item in batch.items],
                     [mark for batch in batches for mark in batch.gone],
                     [mark for batch in batches for mark in batch.moved])
        joined.renumber()
        return joined

    def renumber(self) -> None:
        """Number the items by their place in this batch (``store_prepared`` keys on it)."""
        for index, item in enumerate(self.items):
            item.index = index


@dataclass(frozen=True)
class _Existing:
    """The stored state of an article a batch writes again."""

    id: int
    content_hash: str
    version: int
    # When the site was found to have taken the article down (None: live).
    gone_at: str | None = None
    # The stored modification date (``only_render_stamp``).
    modified: str | None = None


@dataclass
class _Prepared:
    """One article ready to write: everything computed outside the transaction.

    Holds no reference to the fetched HTML: ``article`` is a copy without
    its raw page, and ``raw`` is the compressed page (or its compression,
    still running in the pool), so a batch waiting to be written keeps about
    a fifth of the bytes it was given.
    """

    index: int
    article: Article
    key: str
    fingerprint: str
    # The fingerprint releases before 2026-12-07 stored for this article, when
    # it differs (a modification date from the HTTP header): matching it is
    # "unchanged" too, so an archive made by them gets no version for it.
    legacy_fingerprint: str | None = field(default=None, kw_only=True)
    names: list[str]
    # author_key of each of ``names``, computed once, outside the transaction.
    name_keys: list[str]
    fetched_at: str
    # (compression, data, original size), or its compression still running.
    raw: tuple[str, bytes, int] | Future[tuple[str, bytes, int]] | None
    # The articles row without id, first_seen, last_seen and version.
    values: dict[str, Any] = field(default_factory=dict)
    # Every URL of the article (canonical key, fetched URL), canonicalised.
    urls: tuple[str, ...] = ()
    # The addresses the fetch was redirected from, canonicalised, not in ``urls``:
    # where an archived article that moved is found when its new key is not.
    moved_from: tuple[str, ...] = ()
    raw_status: int | None = None
    raw_headers: str = "{}"
    etag: str | None = None
    last_modified: str | None = None
    # What this article weighs in a batch: its text plus the page as fetched.
    size: int = 0

    def stored_size(self) -> int:
        """What the article adds to a transaction: ``size`` with its page
        counted compressed once that is done (as fetched until then)."""
        raw = self.raw
        if isinstance(raw, Future):
            if not raw.done() or raw.exception() is not None:
                return self.size
            raw = raw.result()
        if raw is None:
            return self.size
        return self.size - raw[2] + len(raw[1])


class Archive:
    """The news archive database.

    ``Archive(url)`` opens (and creates, and upgrades to the latest schema) the
    archive at the environment's ``NEWSARCHIVE_DB_URL``, else ``url``, else
    ``sqlite:///newsarchive.db``.
    """

    # Fetched HTML at most waiting for the compression pool (see _compress_later).
    MAX_QUEUED_HTML = 8_000_000

    def __init__(self, url: str | None = None, *, keep_raw: bool = True, upgrade: bool = True,
                 background_checkpoints: bool = False, read_only: bool = False):
        """``background_checkpoints``: for a long-running writer on an SQLite
        file, copy the WAL back in a thread of its own, mostly outside its
        commits (see ``BackgroundCheckpointer``). ``read_only``: the caller
        only reads, so an SQLite archive this user cannot write is opened
        read-only instead of failing (see ``engine.read_only_sqlite_uri``)."""
        self.url = self.resolve_url(url)
        self.keep_raw = keep_raw
        self.engine: Engine = make_engine(self.url, read_only=read_only)
        self._pool: Any = None
        self._queued_html: deque[tuple[Future[Any], int]] = deque()
        self._queued_bytes = 0
        self._checkpointer: BackgroundCheckpointer | None = None
        self.dialect = self.engine.dialect.name
        database = self.engine.url.database
        if background_checkpoints and self.dialect == "sqlite" and database and database != ":memory:":
            # The writer's connections keep SQLite's automatic checkpoint (every
            # WAL_AUTOCHECKPOINT_BYTES, 16 MB) beside the thread. The thread
            # alone never lets the WAL start over while a writer commits back
            # to back: SQLite rewinds the log only when a write transaction
            # begins with every frame copied, and the writer always adds frames
            # while the thread copies the last ones. Storing 3,000 articles in
            # bulk grew the WAL to 266 MB that way, every commit appending to a
            # growing file. With the automatic checkpoint the commit that
            # crosses 16 MB copies what the thread has not yet (a checkpoint the
            # thread is running makes it give up at once: both are PASSIVE), the
            # next transaction rewinds the log, and the WAL stays under 20 MB.
            self._checkpointer = BackgroundCheckpointer(database)
        if upgrade:
            self.upgrade()

    # --- set-up --------------------------------------------------------------

    @staticmethod
    def resolve_url(url: str | None = None) -> str:
        """env ``NEWSARCHIVE_DB_URL`` > ``url`` > ``sqlite:///newsarchive.db``."""
        return resolve_url(url)

    def upgrade(self, revision: str = "head") -> tuple[str | None, str | None]:
        """Run pending migrations; returns (revision before, after)."""
        found = self._read(migrate.current_revision, "schema check")
        if found is not None and found not in migrate.all_revisions():
            raise ArchiveError(
                f"the archive has schema revision {found}, newer than this newsarchive "
                f"knows (latest {migrate.head_revision()}): upgrade newsarchive"
            )
        try:
            return migrate.upgrade(self.engine, revision)
        except OperationalError as exc:
            if "readonly database" not in str(exc.orig):
                raise
            # An archive opened read-only (or on a read-only disk) that needs
            # an upgrade: say what to do instead of SQLite's "attempt to write".
            raise ArchiveError(
                f"the archive's schema (revision {found}) is older than this newsarchive's "
                f"({migrate.head_revision()}) and this user cannot write the archive to "
                "upgrade it: run `newsarchive db upgrade` as its owner (a crawl upgrades it too)"
            ) from exc

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return migrate.current_revision(conn)

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, work: Any, what: str) -> Any:
        """Run ``work(conn)`` in one write transaction, retried while busy."""

        def attempt() -> Any:
            with self.engine.connect() as conn:
                conn.execution_options(newsarchive_write=True)
                with conn.begin():
                    return work(conn)

        return run_with_retry(attempt, what=what)

    def _read(self, work: Any, what: str = "archive read") -> Any:
        def attempt() -> Any:
            with self.engine.connect() as conn:
                with conn.begin():
                    return work(conn)

        return run_with_retry(attempt, what=what)

    def _insert(self, table: Any) -> Any:
        module = pg_dialect if self.dialect == "postgresql" else sqlite_dialect
        return module.insert(table)

    def _rows_by_key(self, conn: Connection, key: Any, columns: Sequence[Any],
                     keys: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """``key`` value -> the ``columns`` values of the rows whose ``key`` is in ``keys``.

        On SQLite the rows come back as one JSON array in one row: fetching
        row by row re-acquires the GIL per row (see ``_insert_rows``).
        """
        found: dict[str, tuple[Any, ...]] = {}
        if self.dialect == "sqlite":
            # The keys go in as one JSON parameter: compiling an expanding
            # IN (...) through SQLAlchemy cost more than the lookup itself.
            # Identifiers come from the schema, values are bound.
            names = ", ".join(f'"{column.name}"' for column in (key, *columns))
            sql = (f'SELECT json_group_array(json_array({names})) FROM "{key.table.name}" '
                   f'WHERE "{key.name}" IN (SELECT value FROM json_each(?))')
            packed = conn.exec_driver_sql(sql, (json.dumps(list(keys), ensure_ascii=False),)
                                          ).scalar_one()
            for values in json.loads(packed or "[]"):
                found[values[0]] = tuple(values[1:])
            return found
        for chunk in _chunks(list(keys)):
            for row in conn.execute(select(key, *columns).where(key.in_(chunk))):
                found[row[0]] = tuple(row[1:])
        return found

    def _insert_rows(self, conn: Connection, table: Any, rows: list[dict[str, Any]], *,
                     conflict: Sequence[str] = (), set_columns: Sequence[str] | None = None,
                     rows_per_statement: int = 500) -> None:
        """Insert ``rows`` (all with the same keys); on a ``conflict`` key, update
        the ``set_columns`` (``None``: do nothing).

        On SQLite this is one multi-row ``INSERT … VALUES (…), (…)`` per few
        hundred rows, not an ``executemany``: the driver releases the GIL
        around every row it steps, and while the crawl's thread is busy in
        Python each re-acquisition waits for the interpreter's switch interval
        (5 ms), so a batch of 100 articles spent most of its time waiting for
        the GIL, not in SQLite (pipeline 1,000 articles/s → 1,800/s with the
        switch interval at 0.2 ms). One statement steps once.
        """
        if not rows:
            return
        if self.dialect != "sqlite":
            stmt = self._insert(table)
            if conflict:
                stmt = (stmt.on_conflict_do_nothing(index_elements=list(conflict)) if set_columns is None
                        else stmt.on_conflict_do_update(
                            index_elements=list(conflict),
                            set_={c: getattr(stmt.excluded, c) for c in set_columns}))
            conn.execute(stmt, rows)
            return
        columns = list(rows[0])
        head = f'INSERT INTO "{table.name}" (' + ", ".join(f'"{c}"' for c in columns) + ") VALUES "
        tail = ""
        if conflict:
            target = ", ".join(f'"{c}"' for c in conflict)
            tail = (f" ON CONFLICT ({target}) DO NOTHING" if set_columns is None else
                    f" ON CONFLICT ({target}) DO UPDATE SET "
                    + ", ".join(f'"{c}" = excluded."{c}"' for c in set_columns))
        group = "(" + ", ".join("?" * len(columns)) + ")"
        # SQLite >= 3.32 binds up to 32,766 parameters per statement.
        per = max(1, min(rows_per_statement, 30_000 // len(columns)))
        values_of = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
        for chunk in _chunks(rows, per):
            params = tuple([value for row in chunk for value in values_of(row)])
            conn.exec_driver_sql(head + ", ".join([group] * len(chunk)) + tail, params)

    # --- writing -------------------------------------------------------------

    def store_articles(
        self, articles_in: Sequence[Article], *, run_id: int | None = None
    ) -> StoreResult:
        """Store a batch in one transaction; per article "new", "updated" or "unchanged".

        Upserts on the canonical URL. A new version is recorded only when the
        content fingerprint (headline, standfirst, body, authors, dates, each
        normalised) differs from the current version's.
        """
        return self.store_prepared(self.prepare(articles_in), run_id=run_id)

    def prepare(self, articles_in: Sequence[Article]) -> PreparedBatch:
        """The CPU part of storing (keys, fingerprints, rows, compression), no database.

        Split from ``store_prepared`` so a caller can prepare the next batch
        while another thread writes this one (SQLite works without the GIL).
        """
        return PreparedBatch([self.prepare_article(a, i) for i, a in enumerate(articles_in)])

    def prepare_article(self, article: Article, index: int = 0) -> _Prepared:
        """One article's part of ``prepare``; its raw page starts compressing at once.

        The store pipeline calls this as each item arrives, so compression
        runs in the pool's threads (zstd releases the GIL) while the crawl
        goes on, and the fetched HTML is released as soon as it is packed
        instead of waiting in the batch. A page that came encoded
        (``EncodedRawPage``) is stored as the server sent it, with
        ``compression`` = its ``Content-Encoding``: nothing to compress.
        """
        raw_page = article.raw
        raw: tuple[str, bytes, int] | Future[tuple[str, bytes, int]] | None = None
        html_size = 0
        if self.keep_raw and raw_page is not None and raw_page.body is not None:
            body = raw_page.body
            if isinstance(raw_page, EncodedRawPage) and raw_page.encoded and isinstance(body, bytes):
                # Stored as the server sent it: nothing to compress.
                html_size = len(body)
                raw = (raw_page.encoding, raw_page.encoded, html_size)
            else:
                data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
                html_size = len(data)
                raw = self._compress_later(data)
        headers = (raw_page.headers or {}) if raw_page is not None else {}
        last_modified = header_value(headers, "Last-Modified")
        item = self._prepare(index, replace(article, raw=None) if raw_page is not None else article,
                             last_modified=last_modified)
        item.raw = raw
        if raw_page is not None:
            item.moved_from = tuple(key for key in dict.fromkeys(
                canonicalize_url(url) for url in raw_page.redirected_from) if key not in item.urls)
            item.raw_status = raw_page.status
            item.raw_headers = json.dumps(headers, ensure_ascii=False)
            item.etag = header_value(headers, "ETag")
            item.last_modified = last_modified
        item.size += html_size
        return item

    def store_prepared(self, batch: PreparedBatch, *, run_id: int | None = None) -> StoreResult:
        """Write a prepared batch, its moves (``batch.moved``, see
        ``record_moves``) and its takedowns (``batch.gone``, see
        ``mark_gone``) in one transaction (see ``store_articles``).

        An archived article stored again after a takedown (its fetch later
        than the takedown) is live again: its gone mark is cleared and a
        "restored" event recorded. Takedowns apply by time, not by order in
        the batch, so a page stored and found gone in one batch ends as the
        later of the two says.
        """
        prepared = batch.items
        if not prepared and not batch.gone and not batch.moved:
            return StoreResult([])
        for item in prepared:
            if isinstance(item.raw, Future):
                item.raw = item.raw.result()
        # The same article twice in one batch: later copies go in later rounds,
        # so each round has one row per key and they apply in order.
        rounds: list[list[_Prepared]] = []
        seen_count: dict[str, int] = {}
        for item in prepared:
            n = seen_count.get(item.key, 0)
            seen_count[item.key] = n + 1
            if n == len(rounds):
                rounds.append([])
            rounds[n].append(item)

        def work(conn: Connection) -> StoreResult:
            outcome = [""] * len(prepared)
            restored = moved = 0
            for round_items in rounds:
                statuses, back, found = self._store_round(conn, round_items, run_id)
                restored += back
                moved += found
                for item, status in zip(round_items, statuses):
                    outcome[item.index] = status
            # After the articles: the page at a move's new address may be among
            # them. A page fetched through a redirect is a move too: its new
            # address may be archived already as an article of its own.
            moved += self._apply_moves(conn, [*batch.moved, *(
                MoveMark(item.moved_from, item.key, item.fetched_at)
                for item in prepared if item.moved_from)])
            return StoreResult(outcome, self._apply_gone(conn, batch.gone), restored, moved)

        result = self._write(work, "store_articles")
        if self._checkpointer is not None:
            self._checkpointer.poke()
        return result

    def _compress_later(self, data: bytes) -> Future[tuple[str, bytes, int]]:
        """Start compressing a page in the pool; wait first while too much HTML queues.

        Pages are handed over faster than two threads compress them only when
        items arrive in bulk (a script, the benchmark); the bound keeps the
        HTML waiting for the pool under ``MAX_QUEUED_HTML`` bytes.
        """
        if self._pool is None:
            # Two threads: with the writer's SQLite work they keep two cores busy.
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="newsarchive-raw")
        queued = self._queued_html
        while queued and (queued[0][0].done() or self._queued_bytes > self.MAX_QUEUED_HTML):
            future, size = queued.popleft()
            future.exception()  # waits; a failure is raised where the batch is written
            self._queued_bytes -= size
        future = self._pool.submit(_compress_sized, data)
        queued.append((future, len(data)))
        self._queued_bytes += len(data)
        return future

    def _prepare(self, index: int, article: Article, *, last_modified: str | None = None) -> _Prepared:
        """``last_modified``: the page's HTTP ``Last-Modified`` header (see ``fingerprints``)."""
        fetched_key = canonicalize_url(article.url)
        declared = article.canonical_url
        key = canonicalize_url(declared) if declared and declared != article.url else fetched_key
        if key != fetched_key and urlsplit(key).path in ("", "/"):
            # Some sites declare their home page as every page's canonical URL;
            # trusting it would fold all their articles into one.
            key = fetched_key
        names: list[str] = []
        name_keys: list[str] = []
        for name in article.authors or []:
            cleaned = clean_name(name or "")
            k = author_key(cleaned)
            if cleaned and k not in name_keys:
                name_keys.append(k)
                names.append(cleaned)
        fingerprint, legacy_fingerprint = fingerprints(article, last_modified)
        fetched_at = article.fetched_at or utc_now()
        a = article
        values = {
            "canonical_url": key,
            "url": a.url,
            "site": a.site,
            "headline": a.headline,
            "standfirst": a.standfirst,
            "byline": a.byline,
            "published": a.published,
            "published_raw": a.published_raw,
            "modified": a.modified,
            "modified_raw": a.modified_raw,
            "section": a.section,
            "tags": json.dumps(list(a.tags or []), ensure_ascii=False),
            "language": a.language,
            "image_url": a.image_url,
            "body": a.body,
            "word_count": a.word_count if a.word_count is not None
            else count_words(a.body),
            "page_type": a.page_type,
            "fetched_at": fetched_at,
            "content_hash": fingerprint,
            "published_utc": to_utc(a.published),
            "author_count": len(names),
            "caption_count": len(a.captions or []),
        }
        size = sum(len(v) for v in (a.headline, a.standfirst, a.body) if v)
        return _Prepared(
            index=index,
            article=article,
            key=key,
            fingerprint=fingerprint,
            legacy_fingerprint=legacy_fingerprint,
            names=names,
            name_keys=name_keys,
            fetched_at=fetched_at,
            raw=None,
            values=values,
            urls=(key,) if fetched_key == key else (key, fetched_key),
            # The body is stored twice (article and version row).
            size=2 * size,
        )

    def _article_values(self, item: _Prepared) -> dict[str, Any]:
        return dict(item.values)

    def _store_round(
        self, conn: Connection, batch: list[_Prepared], run_id: int | None
    ) -> tuple[list[str], int, int]:
        """Per item its outcome, how many articles taken down it found again,
        and how many archived articles it found at a new address."""
        existing = {
            key: _Existing(*values) for key, values in self._rows_by_key(
                conn, articles.c.canonical_url,
                [articles.c.id, articles.c.content_hash, articles.c.version, articles.c.gone_at,
                 articles.c.modified],
                [item.key for item in batch]).items()
        }
        moved = self._moved_articles(conn, [item for item in batch if item.key not in existing])
        existing.update(moved)

        new_items: list[_Prepared] = []
        changed: list[tuple[_Prepared, Any]] = []
        unchanged: list[tuple[_Prepared, Any]] = []
        stamped: set[int] = set()
        for item in batch:
            row = existing.get(item.key)
            if row is None:
                new_items.append(item)
            elif row.content_hash in (item.fingerprint, item.legacy_fingerprint):
                unchanged.append((item, row))
            elif only_render_stamp(item.article, item.fetched_at, row.modified, row.content_hash):
                # Stored as it was: the version keeps its date, and its fingerprint.
                stamped.add(item.index)
                unchanged.append((item, row))
            else:
                changed.append((item, row))

        author_ids = self._author_ids(conn, new_items + [item for item, _ in changed])

        ids: dict[int, int] = {}  # item.index -> article id
        version_of: dict[int, int] = {}
        if new_items:
            rows = [
                {**self._article_values(item), "first_seen": item.fetched_at,
                 "last_seen": item.fetched_at, "version": 1}
                for item in new_items
            ]
            chosen = self._next_ids(conn, articles, len(rows))
            if chosen is not None:
                for row, article_id in zip(rows, chosen):
                    row["id"] = article_id
            self._insert_rows(conn, articles, rows)
            if chosen is not None:
                new_ids = {item.key: (article_id,) for item, article_id in zip(new_items, chosen)}
            else:
                # The ids by key: RETURNING in parameter order makes SQLAlchemy
                # insert rows one statement at a time.
                new_ids = self._rows_by_key(conn, articles.c.canonical_url, [articles.c.id],
                                            [item.key for item in new_items])
            for item in new_items:
                ids[item.index] = new_ids[item.key][0]
                version_of[item.index] = 1
        if changed:
            rows = []
            for item, row in changed:
                ids[item.index] = row.id
                version_of[item.index] = row.version + 1
                rows.append({**self._article_values(item), "b_id": row.id,
                             "last_seen": item.fetched_at, "version": row.version + 1})
            stmt = update(articles).where(articles.c.id == bindparam("b_id")).values(
                {name: bindparam(name) for name in rows[0] if name != "b_id"}
            )
            conn.execute(stmt, rows)
            changed_ids = [row.id for _, row in changed]
            for chunk in _chunks(changed_ids):
                conn.execute(delete(article_authors).where(article_authors.c.article_id.in_(chunk)))
                conn.execute(delete(captions).where(captions.c.article_id.in_(chunk)))
                conn.execute(delete(dropped_blocks).where(dropped_blocks.c.article_id.in_(chunk)))
        if unchanged:
            rows = []
            for item, row in unchanged:
                ids[item.index] = row.id
                version_of[item.index] = row.version
                # content_hash: a legacy fingerprint matched is replaced by
                # today's, so the next change of the header alone matches too.
                # site: the crawl's name for it, as a changed version takes it.
                # Kept as it was, a site renamed in its site file (or first
                # crawled by URL, under its host) never found its articles
                # again: the crawl looks them up by its sites' names, so every
                # later run fetched every article as new.
                rows.append({"b_id": row.id, "last_seen": item.fetched_at,
                             "fetched_at": item.fetched_at, "url": item.article.url,
                             "b_hash": row.content_hash if item.index in stamped else item.fingerprint,
                             "b_site": item.article.site})
            conn.execute(
                update(articles).where(articles.c.id == bindparam("b_id")).values(
                    last_seen=bindparam("last_seen"), fetched_at=bindparam("fetched_at"),
                    url=bindparam("url"), content_hash=bindparam("b_hash"),
                    site=func.coalesce(bindparam("b_site"), articles.c.site),
                ),
                rows,
            )
            conn.execute(
                update(versions)
                .where(versions.c.article_id == bindparam("b_id"),
                       versions.c.version == bindparam("b_version"))
                .values(last_seen=bindparam("last_seen")),
                [{"b_id": row.id, "b_version": row.version, "last_seen": item.fetched_at}
                 for item, row in unchanged],
            )

        if moved:
            # The article lives on under its new address (a changed one took
            # it with its values already); its old addresses stay in article_urls.
            conn.execute(update(articles).where(articles.c.id == bindparam("b_id"))
                         .values(canonical_url=bindparam("b_key")),
                         [{"b_id": row.id, "b_key": key} for key, row in moved.items()])
        restored = self._restore(conn, [*changed, *unchanged])
        written = new_items + [item for item, _ in changed]
        if written:
            self._write_content(conn, written, ids, version_of, author_ids)
        self._write_fetch_records(conn, batch, ids, version_of, run_id,
                                  {item.index for item in new_items},
                                  {item.index for item, _ in changed})
        status = {}
        for item in new_items:
            status[item.index] = "new"
        for item, _ in changed:
            status[item.index] = "updated"
        for item, _ in unchanged:
            status[item.index] = "unchanged"
        return [status[item.index] for item in batch], restored, len(moved)

    def _restore(self, conn: Connection, stored: list[tuple[_Prepared, _Existing]]) -> int:
        """Clear the gone mark of the taken-down articles among ``stored`` fetched
        after their takedown, recording each as restored; returns how many."""
        return self._record_restored(conn, {row.id: item.fetched_at for item, row in stored
                                            if row.gone_at is not None and item.fetched_at >= row.gone_at})

    def _record_restored(self, conn: Connection, back: dict[int, str]) -> int:
        """Clear the gone mark of the articles ``back`` (id -> when the page
        answered again) and record each return; returns how many."""
        if not back:
            return 0
        conn.execute(update(articles).where(articles.c.id == bindparam("b_id"))
                     .values(gone_at=None, gone_status=None),
                     [{"b_id": article_id} for article_id in back])
        self._insert_rows(conn, article_events, [
            {"article_id": article_id, "at": at, "event": RESTORED, "status": None}
            for article_id, at in back.items()])
        return len(back)

    def _apply_gone(self, conn: Connection, marks: Sequence[GoneMark]) -> int:
        """Mark the archived articles of ``marks`` gone; returns how many were newly marked.

        A URL marks the article whose own address it is (its canonical key,
        tracking parameters and such variants merged), not one of its other
        addresses (``article_urls``: the address it had before a move, the
        URL a sitemap gave for a page declaring another canonical): an old
        address answering 404 while the article lives on at its own was
        marked a takedown. Per article the earliest mark counts, and only
        when the article was not seen live after it (``last_seen``) and is
        not already gone: the first takedown's date and status stay. URLs
        the archive does not know are ignored.
        """
        if not marks:
            return 0
        key_of = {mark.url: canonicalize_url(mark.url) for mark in marks}
        # Key -> (id, gone_at, last_seen), in one look-up.
        state = self._rows_by_key(conn, articles.c.canonical_url,
                                  [articles.c.id, articles.c.gone_at, articles.c.last_seen],
                                  sorted(set(key_of.values())))
        first: dict[str, GoneMark] = {}
        for mark in sorted(marks, key=lambda m: m.at):
            if key_of[mark.url] in state:
                first.setdefault(key_of[mark.url], mark)
        marked = {state[key][0]: mark for key, mark in first.items()
                  if state[key][1] is None and (state[key][2] or "") <= mark.at}
        if not marked:
            return 0
        conn.execute(update(articles).where(articles.c.id == bindparam("b_id"))
                     .values(gone_at=bindparam("b_at"), gone_status=bindparam("b_status")),
                     [{"b_id": article_id, "b_at": mark.at, "b_status": mark.status}
                      for article_id, mark in marked.items()])
        self._insert_rows(conn, article_events, [
            {"article_id": article_id, "at": mark.at, "event": GONE, "status": mark.status}
            for article_id, mark in marked.items()])
        return len(marked)

    def _moved_articles(self, conn: Connection, items: list[_Prepared]) -> dict[str, _Existing]:
        """New key -> the archived article of those ``items`` that were
        redirected from one of its addresses (a site that moved a story).

        Without this the page at its new address was stored as a second
        article, and the first one's history stopped at the move. An item's
        own addresses count too: a move recorded before its page was stored
        (``record_moves``) left the new address as an alias of the article.
        """
        sources = {url: item.key for item in items for url in (*item.moved_from, *item.urls)}
        if not sources:
            return {}
        article_of = {url: values[0] for url, values in self._rows_by_key(
            conn, article_urls.c.url, [article_urls.c.article_id], list(sources)).items()}
        if not article_of:
            return {}
        rows = self._rows_by_key(conn, articles.c.id,
                                 [articles.c.content_hash, articles.c.version, articles.c.gone_at,
                                  articles.c.modified],
                                 list(set(article_of.values())))
        moved: dict[str, _Existing] = {}
        taken: set[int] = set()
        for url, key in sources.items():
            article_id = article_of.get(url)
            if article_id is None or article_id in taken or key in moved or article_id not in rows:
                continue
            taken.add(article_id)
            moved[key] = _Existing(article_id, *rows[article_id])
        return moved

    def _apply_moves(self, conn: Connection, marks: Sequence[MoveMark]) -> int:
        """Apply moves (``record_moves``); returns how many articles stored at
        a move's new address were folded into the archived one."""
        folded = 0
        for mark in sorted(marks, key=lambda m: m.at):
            target = canonicalize_url(mark.target)
            sources = [key for key in dict.fromkeys(canonicalize_url(url) for url in mark.sources)
                       if key != target]
            found = self._rows_by_key(conn, article_urls.c.url, [article_urls.c.article_id], sources)
            moved_id = next((found[key][0] for key in sources if key in found), None)
            if moved_id is None:
                continue  # an address the archive does not hold: nothing moved
            there = self._rows_by_key(conn, articles.c.canonical_url, [articles.c.id], [target])
            if not there:
                # The page at the new address is not stored yet: when it is,
                # it is found by this address (``_moved_articles``).
                self._insert_rows(conn, article_urls, [{"url": target, "article_id": moved_id,
                                                        "fetched_at": None, "etag": None,
                                                        "last_modified": None}], conflict=["url"])
            elif there[target][0] != moved_id and self._fold(conn, moved_id, there[target][0]):
                folded += 1
        return folded

    def _fold(self, conn: Connection, keep_id: int, other_id: int) -> bool:
        """Fold article ``other_id`` (the page at a moved story's new address,
        stored as an article of its own) into ``keep_id`` (the story as
        archived), which takes its address. Its versions that differ from the
        one before them follow the kept article's as new versions; one the
        same (the move alone) only lengthens the kept article's current
        version. Returns False, folding nothing, when ``other_id`` was first
        seen before ``keep_id``: the site sent a story to an older one (two
        merged), which is not a move, and their histories would interleave.
        """
        keep = conn.execute(select(articles.c.first_seen, articles.c.last_seen, articles.c.version,
                                   articles.c.content_hash, articles.c.gone_at)
                            .where(articles.c.id == keep_id)).one()
        other = conn.execute(select(articles).where(articles.c.id == other_id)).one()._asdict()
        if other["first_seen"] < keep.first_seen:
            return False
        version, current = keep.version, keep.content_hash
        renumbered: dict[int, int] = {}
        for row in conn.execute(select(versions.c.version, versions.c.content_hash, versions.c.last_seen)
                                .where(versions.c.article_id == other_id).order_by(versions.c.version)):
            if row.content_hash != current:
                version, current = version + 1, row.content_hash
                renumbered[row.version] = version
            elif not renumbered:
                # The page as archived, seen at its new address: the kept version lasted.
                conn.execute(update(versions).where(versions.c.article_id == keep_id,
                                                    versions.c.version == version,
                                                    versions.c.last_seen < row.last_seen)
                             .values(last_seen=row.last_seen))
        if renumbered:
            # Its later versions follow the kept ones (no (article, version) clash:
            # every new number is above the kept article's).
            for table in (versions, raw_pages):
                conn.execute(update(table).where(table.c.article_id == other_id,
                                                 table.c.version == bindparam("b_old"))
                             .values(article_id=keep_id, version=bindparam("b_new")),
                             [{"b_old": old, "b_new": new} for old, new in renumbered.items()])
            # Its text is the story's current text, with its authors and captions.
            for table in (article_authors, captions, dropped_blocks):
                conn.execute(delete(table).where(table.c.article_id == keep_id))
                conn.execute(update(table).where(table.c.article_id == other_id).values(article_id=keep_id))
        for table in (article_urls, fetches, article_events):
            conn.execute(update(table).where(table.c.article_id == other_id).values(article_id=keep_id))
        # What is left of it: the versions (and their pages) the kept one had already.
        for table in (versions, raw_pages, article_authors, captions, dropped_blocks):
            conn.execute(delete(table).where(table.c.article_id == other_id))
        conn.execute(delete(articles).where(articles.c.id == other_id))
        kept = {"canonical_url": other["canonical_url"], "url": other["url"], "site": other["site"],
                "fetched_at": other["fetched_at"], "last_seen": max(keep.last_seen, other["last_seen"]),
                "version": version}
        if renumbered:
            own = {"id", "first_seen", "gone_at", "gone_status", *kept}
            kept.update({name: value for name, value in other.items() if name not in own})
        conn.execute(update(articles).where(articles.c.id == keep_id).values(kept))
        if keep.gone_at is not None and other["last_seen"] >= keep.gone_at:
            self._record_restored(conn, {keep_id: other["last_seen"]})
        return True

    def _author_ids(self, conn: Connection, items: list[_Prepared]) -> dict[str, int]:
        """author_key -> id for the authors of ``items``, inserting the people not yet known."""
        by_key: dict[str, str] = {}
        for item in items:
            for key, name in zip(item.name_keys, item.names):
                by_key.setdefault(key, name)
        if not by_key:
            return {}
        keys = list(by_key)
        found = {k: v[0] for k, v in self._rows_by_key(
            conn, authors.c.name_key, [authors.c.id], keys).items()}
        missing = [k for k in keys if k not in found]
        if missing:
            rows = [{"name": by_key[k], "name_key": k} for k in missing]
            chosen = self._next_ids(conn, authors, len(rows))
            if chosen is not None:
                for row, author_id in zip(rows, chosen):
                    row["id"] = author_id
                self._insert_rows(conn, authors, rows)
                found.update(zip(missing, chosen))
            else:
                self._insert_rows(conn, authors, rows, conflict=["name_key"])
                found.update({k: v[0] for k, v in self._rows_by_key(
                    conn, authors.c.name_key, [authors.c.id], missing).items()})
        return found

    def _next_ids(self, conn: Connection, table: Any, n: int) -> list[int] | None:
        """On SQLite, the ids the next ``n`` rows of ``table`` would get; else None.

        A write transaction there holds the database's only write lock (BEGIN
        IMMEDIATE), so nobody else can take these ids, and they are what
        SQLite itself would choose (the largest id plus one). Inserting with
        them saves reading the new rows back to learn their ids.
        """
        if self.dialect != "sqlite":
            return None
        last = conn.exec_driver_sql(f'SELECT max(id) FROM "{table.name}"').scalar()
        first = int(last or 0) + 1
        return list(range(first, first + n))

    def _write_content(
        self,
        conn: Connection,
        items: list[_Prepared],
        ids: dict[int, int],
        version_of: dict[int, int],
        author_ids: dict[str, int],
    ) -> None:
        version_rows, author_rows, caption_rows, dropped_rows = [], [], [], []
        for item in items:
            a = item.article
            article_id = ids[item.index]
            version_rows.append({
                "article_id": article_id,
                "version": version_of[item.index],
                "first_seen": item.fetched_at,
                "last_seen": item.fetched_at,
                **_version_content(item),
            })
            for position, key in enumerate(item.name_keys):
                author_rows.append({"article_id": article_id, "position": position,
                                    "author_id": author_ids[key]})
            for position, caption in enumerate(a.captions or []):
                caption_rows.append({"article_id": article_id, "position": position,
                                     "text": caption.text or "", "credit": caption.credit,
                                     "image_url": caption.image_url})
            for position, block in enumerate(a.dropped or []):
                dropped_rows.append({"article_id": article_id, "position": position,
                                     "rule": block.rule or "", "stage": block.stage,
                                     "text": block.text or ""})
        self._insert_rows(conn, versions, version_rows)
        self._insert_rows(conn, article_authors, author_rows)
        self._insert_rows(conn, captions, caption_rows)
        self._insert_rows(conn, dropped_blocks, dropped_rows)

    def _write_fetch_records(
        self,
        conn: Connection,
        batch: list[_Prepared],
        ids: dict[int, int],
        version_of: dict[int, int],
        run_id: int | None,
        new: set[int],
        changed: set[int],
    ) -> None:
        url_rows: dict[str, dict[str, Any]] = {}
        fetch_rows, raw_rows = [], []
        for item in batch:
            a = item.article
            article_id = ids[item.index]
            for url in item.urls:
                url_rows[url] = {
                    "url": url, "article_id": article_id, "fetched_at": item.fetched_at,
                    "etag": item.etag, "last_modified": item.last_modified,
                }
            outcome = ("new" if item.index in new
                       else "updated" if item.index in changed else "unchanged")
            fetch_rows.append({
                "run_id": run_id, "article_id": article_id, "site": a.site,
                "fetched_at": item.fetched_at, "outcome": outcome,
                "has_date": int(bool(a.published)), "has_authors": int(bool(item.names)),
                "has_captions": int(bool(a.captions)),
            })
            if item.raw is not None:
                assert not isinstance(item.raw, Future)
                method, data, size = item.raw
                raw_rows.append({
                    "article_id": article_id, "version": version_of[item.index], "url": a.url,
                    "fetched_at": item.fetched_at, "status": item.raw_status,
                    "headers": item.raw_headers,
                    "compression": method, "size": size, "body": data,
                })
        self._insert_rows(conn, article_urls, list(url_rows.values()), conflict=["url"],
                          set_columns=["article_id", "fetched_at", "etag", "last_modified"])
        self._insert_rows(conn, fetches, fetch_rows)
        # Python's sqlite3 keeps a copy of the last values bound to each cached
        # statement, and each row count is a statement of its own: statements
        # of at most RAW_PAGES_PER_STATEMENT pages keep those copies (of 35 kB
        # pages) to one batch's worth when grouped commits vary the count.
        self._insert_rows(conn, raw_pages, raw_rows, conflict=["article_id", "version"],
                          set_columns=["url", "fetched_at", "status", "headers", "compression",
                                       "size", "body"],
                          rows_per_statement=RAW_PAGES_PER_STATEMENT)

    def replace_extraction(self, pairs: Sequence[tuple[int, Article]]) -> list[str]:
        """Rewrite articles' current version in place with a new extraction (reparse).

        No version is added: the page did not change, only how we read it.
        The article keeps its id, canonical URL, site and history (the
        version's first and last seen times included). The fingerprint is
        made as the crawl makes it (``fingerprints``, with the Last-Modified
        header of the page re-read), so the next crawl of an unchanged page
        finds it unchanged. Returns per pair "updated", "unchanged",
        "header_date" or "served_date" (only the modification date changed, and
        it is the header's or the time the page was served: see
        ``reparse_outcome``) or "missing".
        """
        if not pairs:
            return []

        def work(conn: Connection) -> list[str]:
            current = self._reparse_targets(conn, [article_id for article_id, _ in pairs])
            out: list[str] = []
            for article_id, article in pairs:
                row = current.get(article_id)
                out.append("missing" if row is None
                           else self._replace_one(conn, row, article))
            return out

        return self._write(work, "reparse")

    def replace_older_versions(self, triples: Sequence[tuple[int, int, Article]], *,
                               dry_run: bool = False) -> list[str]:
        """Rewrite earlier versions' text with a new extraction of their own stored
        pages (reparse): per (article id, version, article) "updated",
        "unchanged" or "missing"; ``dry_run`` only compares.

        Without it a reparse changed the current version alone, and ``diff``
        then showed what the new extractor reads differently (a bio now
        dropped, a byline now split) as an edit the site made. The version's
        number and times stay: the page was seen when it was.
        """
        if not triples:
            return []

        def work(conn: Connection) -> list[str]:
            out: list[str] = []
            for article_id, number, article in triples:
                where = (versions.c.article_id == article_id) & (versions.c.version == number)
                row = conn.execute(
                    select(versions, raw_pages.c.headers.label("page_headers"))
                    .select_from(versions.outerjoin(raw_pages, (raw_pages.c.article_id == versions.c.article_id)
                                                    & (raw_pages.c.version == versions.c.version)))
                    .where(where)).first()
                if row is None:
                    out.append("missing")
                    continue
                last_modified = header_value(json.loads(row.page_headers or "{}"), "Last-Modified")
                values = _version_content(self._prepare(0, article, last_modified=last_modified))
                if all(row._mapping[name] == value for name, value in values.items()):
                    out.append("unchanged")
                    continue
                if not dry_run:
                    conn.execute(update(versions).where(where).values(values))
                out.append("updated")
            return out

        return self._read(work, "reparse") if dry_run else self._write(work, "reparse")

    def _reparse_targets(self, conn: Connection, ids: list[int]) -> dict[int, Any]:
        """Article id -> its row's keys, its current version's times and its page's headers."""
        current: dict[int, Any] = {}
        joined = articles.outerjoin(
            versions, (versions.c.article_id == articles.c.id)
            & (versions.c.version == articles.c.version)
        ).outerjoin(
            raw_pages, (raw_pages.c.article_id == articles.c.id)
            & (raw_pages.c.version == articles.c.version)
        )
        for chunk in _chunks(ids):
            for row in conn.execute(
                select(articles.c.id, articles.c.canonical_url, articles.c.version,
                       articles.c.fetched_at, articles.c.url, articles.c.site,
                       versions.c.first_seen, versions.c.last_seen,
                       raw_pages.c.headers.label("page_headers"))
                .select_from(joined).where(articles.c.id.in_(chunk))
            ):
                current[row.id] = row
        return current

    def _replace_one(self, conn: Connection, row: Any, article: Article) -> str:
        """One article of ``replace_extraction``; returns its outcome."""
        article_id = row.id
        last_modified = header_value(json.loads(row.page_headers or "{}"), "Last-Modified")
        item = self._prepare(0, article, last_modified=last_modified)
        item.key = row.canonical_url
        values = self._article_values(item)
        values["url"] = row.url
        # The site is the crawl's name for it (a site file's name); a
        # reparse without that file would otherwise rename it to the host.
        values["site"] = row.site
        values.pop("fetched_at")
        before = conn.execute(select(articles).where(articles.c.id == article_id)).one()
        before_parts = _authors_and_captions(conn, article_id)
        author_ids = self._author_ids(conn, [item])
        conn.execute(update(articles).where(articles.c.id == article_id).values(values))
        conn.execute(delete(article_authors).where(article_authors.c.article_id == article_id))
        conn.execute(delete(captions).where(captions.c.article_id == article_id))
        conn.execute(delete(dropped_blocks).where(dropped_blocks.c.article_id == article_id))
        conn.execute(delete(versions).where(versions.c.article_id == article_id,
                                            versions.c.version == row.version))
        item.fetched_at = row.first_seen or row.fetched_at or item.fetched_at
        self._write_content(conn, [item], {0: article_id}, {0: row.version}, author_ids)
        # The version's times are its history: when it was first and last
        # seen, not when its fetches happened to be (a 304 moves last_seen
        # without a fetch row, and the earliest fetch may be an older version's).
        conn.execute(update(versions).where(versions.c.article_id == article_id,
                                            versions.c.version == row.version)
                     .values(first_seen=item.fetched_at,
                             last_seen=row.last_seen or item.fetched_at))
        after = conn.execute(select(articles).where(articles.c.id == article_id)).one()
        changed = {k for k in values if k != "content_hash"
                   and before._mapping[k] != after._mapping[k]}
        # A renamed author or a re-read caption changes no article
        # column (the counts stay), so they are compared too.
        if before_parts != _authors_and_captions(conn, article_id):
            changed.add("authors or captions")
        return reparse_outcome(changed, item.legacy_fingerprint is not None,
                               served_stamp(article.modified, row.fetched_at))

    # --- incremental crawls and runs ----------------------------------------

    def page_states(self, site: str | None = None) -> dict[str, PageState]:
        """Every known URL of every archived article -> what the archive has of it."""

        def work(conn: Connection) -> dict[str, PageState]:
            stmt = _state_select()
            if site is not None:
                stmt = stmt.where(articles.c.site == site)
            return {canonicalize_url(row[0]): _page_state(row) for row in conn.execute(stmt)}

        return self._read(work)

    def page_states_for(self, urls: Iterable[str],
                        sites: Iterable[str | None] | None = None) -> dict[str, PageState]:
        """What the archive has of ``urls`` (canonical key -> state), for the
        URLs it knows: ``page_states`` for just these URLs, so a crawl reads
        what discovery meets instead of the whole archive.

        ``sites``: only articles of these sites (None among them, or no
        ``sites``, means every site). The keys are looked up in chunks, each
        chunk a short read transaction of its own: on SQLite a long-open read
        would keep the store pipeline's checkpoints from rewinding the WAL.
        """
        keys = sorted({canonicalize_url(url) for url in urls})
        names = _site_names(sites)
        if not keys or names == []:
            return {}
        states: dict[str, PageState] = {}
        for chunk in _chunks(keys):
            states.update(self._read(lambda conn, chunk=chunk: self._states_by_key(conn, chunk, names),
                                     "page states"))
        return states

    def _states_by_key(self, conn: Connection, keys: Sequence[str],
                       sites: Sequence[str] | None) -> dict[str, PageState]:
        if self.dialect == "sqlite":
            # One JSON parameter in, one JSON array out (see _rows_by_key).
            # The columns are _state_select's, in its order.
            sql = ('SELECT json_group_array(json_array(u."url", u."fetched_at", u."etag", '
                   'u."last_modified", a."published", a."modified", a."last_seen", a."first_seen", a."url")) '
                   'FROM "article_urls" AS u JOIN "articles" AS a ON a."id" = u."article_id" '
                   'WHERE u."url" IN (SELECT value FROM json_each(?))')
            params: tuple[str, ...] = (json.dumps(list(keys), ensure_ascii=False),)
            if sites is not None:
                sql += ' AND a."site" IN (SELECT value FROM json_each(?))'
                params += (json.dumps(list(sites), ensure_ascii=False),)
            packed = conn.exec_driver_sql(sql, params).scalar_one()
            rows: Iterable[Sequence[Any]] = json.loads(packed or "[]")
        else:
            stmt = _state_select().where(article_urls.c.url.in_(list(keys)))
            if sites is not None:
                stmt = stmt.where(articles.c.site.in_(list(sites)))
            rows = conn.execute(stmt)
        return {row[0]: _page_state(row) for row in rows}

    def count_page_states(self, sites: Iterable[str | None] | None = None) -> int:
        """How many URLs ``page_states`` would give for ``sites`` (None: every
        site), without reading them."""
        names = _site_names(sites)

        def work(conn: Connection) -> int:
            stmt = select(func.count()).select_from(article_urls)
            if names is not None:
                stmt = stmt.join(articles, articles.c.id == article_urls.c.article_id).where(
                    articles.c.site.in_(names))
            return int(conn.execute(stmt).scalar_one())

        return self._read(work, "page state count")

    def mark_not_modified(self, urls: Iterable[str], at: str | None = None) -> NotModifiedResult:
        """Record that conditional fetches of ``urls`` answered 304 Not Modified at ``at``.

        The page is as archived, so its fetch time (what ``page_states`` and
        thus the next incremental crawl count from) and its article's
        ``last_seen`` (and the current version's) move to ``at``; no version
        is added. Times never move backwards. A taken-down article whose page
        answers 304 after its takedown is back on the site as it was: it is
        restored, as by a 200 (a page that comes back unchanged answers the
        crawl's conditional GET with 304, never with a 200 to store). Returns
        how many of the URLs the archive knows and how many it restored.
        """
        seen_at = at or utc_now()
        keys = sorted({canonicalize_url(url) for url in urls})
        if not keys:
            return NotModifiedResult(0, 0)

        def work(conn: Connection) -> NotModifiedResult:
            known = restored = 0
            for chunk in _chunks(keys):
                found = self._rows_by_key(conn, article_urls.c.url,
                                          [article_urls.c.article_id], chunk)
                if not found:
                    continue
                known += len(found)
                ids = {values[0] for values in found.values()}
                conn.execute(
                    update(article_urls)
                    .where(article_urls.c.url.in_(chunk),
                           func.coalesce(article_urls.c.fetched_at, "") < seen_at)
                    .values(fetched_at=seen_at)
                )
                conn.execute(update(articles).where(articles.c.id.in_(ids),
                                                    articles.c.last_seen < seen_at)
                             .values(last_seen=seen_at))
                conn.execute(
                    update(versions)
                    .where(versions.c.article_id.in_(ids), versions.c.last_seen < seen_at,
                           versions.c.version == select(articles.c.version)
                           .where(articles.c.id == versions.c.article_id).scalar_subquery())
                    .values(last_seen=seen_at)
                )
                gone = conn.execute(select(articles.c.id).where(
                    articles.c.id.in_(ids), articles.c.gone_at <= seen_at)).scalars()
                restored += self._record_restored(conn, dict.fromkeys(gone, seen_at))
            return NotModifiedResult(known, restored)

        return self._write(work, "mark_not_modified")

    def mark_gone(self, urls: Iterable[str], status: int, at: str | None = None) -> int:
        """Record that fetches of ``urls`` answered ``status`` (404 or 410) at ``at``:
        the site took those archived articles down.

        Each article the archive has under one of the URLs gets ``gone_at`` and
        ``gone_status`` and a "gone" event in its history, unless it is
        already gone (the first takedown's date stays) or was seen live after
        ``at``. Unknown URLs are ignored. Storing the article again later
        clears the mark (``store_prepared``). Returns how many articles were
        newly marked.
        """
        seen_at = at or utc_now()
        marks = [GoneMark(url, int(status), seen_at) for url in dict.fromkeys(urls)]
        if not marks:
            return 0
        return self._write(lambda conn: self._apply_gone(conn, marks), "mark_gone")

    def record_moves(self, marks: Sequence[MoveMark]) -> int:
        """Record that the site moved pages: a fetch of each mark's ``sources``
        was redirected to its ``target``.

        The crawl sends these when it does not follow the redirect (the new
        address was requested on its own, from a sitemap): the archived
        article at one of the sources is the story, now at the target. If
        the page at the target was stored as an article of its own (it was
        answered first, this run or an earlier one), that article is folded
        into the archived one (``_fold``); if not yet, the target becomes an
        address of the archived article, so the page is stored as it when it
        comes. Marks for addresses the archive does not hold are ignored.
        Returns how many articles were folded.
        """
        if not marks:
            return 0
        return self._write(lambda conn: self._apply_moves(conn, marks), "record_moves")

    def start_run(self, site: str | None, spider: str, args: dict | None = None) -> int:
        """Record the start of a crawl run; returns its id."""

        def work(conn: Connection) -> int:
            result = conn.execute(
                crawl_runs.insert().returning(crawl_runs.c.id),
                {"spider": spider, "site": site, "started_at": utc_now(),
                 "args": json.dumps(args or {}, ensure_ascii=False, default=str)},
            )
            return int(result.scalar_one())

        return self._write(work, "start_run")

    def finish_run(self, run_id: int, status: str, stats: dict | None = None) -> None:
        """Record how a crawl run ended (``status`` such as "finished", "shutdown")."""

        def work(conn: Connection) -> None:
            conn.execute(
                update(crawl_runs).where(crawl_runs.c.id == run_id).values(
                    finished_at=utc_now(), status=status,
                    stats=json.dumps(stats or {}, ensure_ascii=False, default=str, sort_keys=True),
                )
            )

        self._write(work, "finish_run")

    # --- reading -------------------------------------------------------------

    def search(self, query: str, **filters: Any) -> list[dict[str, Any]]:
        """Ranked full-text search; see ``newsarchive.database.search.search``."""
        from newsarchive.database.search import search

        return self._read(lambda conn: search(conn, query, **filters), "search")

    def find_article_id(self, ref: str | int) -> int | None:
        """An article id from an id, or any URL the article was fetched from."""
        from newsarchive.database.history import find_article_id

        return self._read(lambda conn: find_article_id(conn, ref))

    def get_article(self, ref: str | int) -> dict[str, Any] | None:
        """The article (current version) with authors, captions, dropped blocks and versions."""
        from newsarchive.database.history import get_article

        return self._read(lambda conn: get_article(conn, ref))

    def get_versions(self, ref: str | int) -> list[dict[str, Any]]:
        from newsarchive.database.history import get_versions

        return self._read(lambda conn: get_versions(conn, ref))

    def get_raw_page(self, ref: str | int, version: int | None = None) -> Any:
        """The stored page (a ``RawPage``, decoded) of the current or a given version, or None."""
        from newsarchive.database.history import get_raw_page

        return self._read(lambda conn: get_raw_page(conn, ref, version))

    def diff(self, ref: str | int, v1: int | None = None, v2: int | None = None) -> Any:
        """A ``VersionDiff`` between two versions (default: the last two)."""
        from newsarchive.database.history import diff_versions

        return self._read(lambda conn: diff_versions(conn, ref, v1, v2))

    def export(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Stream articles as feed dicts in constant memory; same filters as search."""
        from newsarchive.database.export import iter_articles

        return iter_articles(self.engine, **filters)

    def stats(self, **options: Any) -> Any:
        """Per-site counts, shares and quality-drop flags (``SiteStats`` list)."""
        from newsarchive.database.stats import site_stats

        return self._read(lambda conn: site_stats(conn, **options), "stats")

    def raw_pages(self, site: str | None = None, *, older: bool = False) -> Iterator[Any]:
        """Each article's latest stored page (``StoredPage``); ``older``: its
        earlier versions' pages instead."""
        from newsarchive.database.history import iter_latest_raw_pages

        return iter_latest_raw_pages(self.engine, site=site, older=older)

    def count_without_raw_page(self, site: str | None = None) -> int:
        """Articles (of ``site``) whose current version has no stored page: reparse skips them."""
        from newsarchive.database.history import count_without_raw_page

        return self._read(lambda conn: count_without_raw_page(conn, site))

    def count_articles(self) -> int:
        return self._read(lambda conn: conn.execute(select(func.count()).select_from(articles)).scalar_one())


def _version_content(item: _Prepared) -> dict[str, Any]:
    """A ``versions`` row's text and fingerprint, as the crawl and reparse write them."""
    a = item.article
    return {"headline": a.headline, "standfirst": a.standfirst, "byline": a.byline,
            "authors": json.dumps(item.names, ensure_ascii=False), "published": a.published,
            "modified": a.modified, "body": a.body, "content_hash": item.fingerprint}


def reparse_outcome(changed: set[str], header_date: bool, served_date: bool = False) -> str:
    """"unchanged", "updated", "header_date": only the modification date
    moved, and it is the page's Last-Modified header (the page states none),
    or "served_date": only the modification date moved, and it is the time
    the page was served (``only_render_stamp``).

    The crawl leaves such a date as first stored while the content is the
    same, and keeps the page of the latest fetch: re-reading that page takes
    its newer date. That is the server touching the file or rendering the
    page, not the extractor reading the page otherwise.
    """
    if not changed:
        return "unchanged"
    if changed <= {"modified", "modified_raw"}:
        if header_date:
            return "header_date"
        if served_date:
            return "served_date"
    return "updated"


def _authors_and_captions(conn: Connection, article_id: int) -> tuple[list[Any], list[Any]]:
    """An article's author names and captions, in order (what reparse compares)."""
    names = conn.execute(
        select(authors.c.name).join(article_authors, article_authors.c.author_id == authors.c.id)
        .where(article_authors.c.article_id == article_id).order_by(article_authors.c.position)
    ).scalars().all()
    shown = conn.execute(
        select(captions.c.text, captions.c.credit, captions.c.image_url)
        .where(captions.c.article_id == article_id).order_by(captions.c.position)
    ).all()
    return list(names), [tuple(row) for row in shown]


def articles_from(items: Iterable[Any]) -> list[Article]:
    """Articles from Article objects or dicts shaped like the feed (for scripts)."""
    from newsarchive.items import Caption, DroppedBlock

    out = []
    for item in items:
        if isinstance(item, Article):
            out.append(item)
            continue
        data = dict(item)
        data["captions"] = [c if isinstance(c, Caption) else Caption(**c)
                            for c in data.get("captions") or []]
        data["dropped"] = [d if isinstance(d, DroppedBlock) else DroppedBlock(**d)
                           for d in data.get("dropped") or []]
        known = {k: v for k, v in data.items() if k in Article.__dataclass_fields__}
        out.append(Article(**known))
    return out
