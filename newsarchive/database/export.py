"""Streaming export: every matching article as a feed dict, in constant memory.

Rows are read in pages of ``PAGE_SIZE`` by id (keyset paging: each page is an
index range scan, never an OFFSET), with the authors and captions of just that
page fetched alongside, so memory stays flat whatever the archive's size.
All pages are read in one transaction, so the export is one consistent
snapshot even while a crawl writes (WAL on SQLite, REPEATABLE READ on
PostgreSQL).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

import orjson
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import TextClause

from newsarchive.database.search import (
    filter_sql,
    parse_query,
    text_search_config,
    to_fts5,
    to_tsquery_sql,
)
from newsarchive.items import FEED_FIELDS

PAGE_SIZE = 1000

# The archive's own columns, added after the feed fields.
# gone_at / gone_status: when the site took the article down and with which
# HTTP status (404, 410); empty while it is online.
ARCHIVE_FIELDS: tuple[str, ...] = ("id", "first_seen", "last_seen", "version", "gone_at",
                                   "gone_status")
EXPORT_FIELDS: tuple[str, ...] = (*FEED_FIELDS, *ARCHIVE_FIELDS)

_ARTICLE_COLUMNS = (
    "a.id, a.url, a.canonical_url, a.site, a.headline, a.standfirst, a.byline, a.published, "
    "a.published_raw, a.modified, a.modified_raw, a.section, a.tags, a.language, a.image_url, "
    "a.body, a.word_count, a.fetched_at, a.page_type, a.first_seen, a.last_seen, a.version, "
    "a.gone_at, a.gone_status"
)


def _fetcher(conn: Connection) -> Callable[[TextClause, dict[str, Any]], Sequence[Sequence[Any]]]:
    """A function running one query and returning all its rows as tuples.

    On SQLite it uses the driver's cursor (inside the same transaction),
    skipping SQLAlchemy's result rows: 4 % less CPU for a whole export as
    JSONL (20,850 -> 21,800 rows per CPU-second on 100,000 articles, most of
    the rest being the JSON encoding). sqlite3 takes the same ``:name``
    parameters.
    """
    if conn.dialect.name != "sqlite":
        return lambda sql, params: conn.execute(sql, params).all()
    raw = conn.connection.driver_connection
    assert raw is not None

    def fetch(sql: TextClause, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        cursor = raw.cursor()
        try:
            return cursor.execute(sql.text, params).fetchall()
        finally:
            cursor.close()

    return fetch


def iter_articles(
    engine: Engine,
    *,
    query: str | None = None,
    page_size: int = PAGE_SIZE,
    **filters: Any,
) -> Iterator[dict[str, Any]]:
    """Yield one dict per article (``EXPORT_FIELDS``), oldest id first."""
    params: dict[str, Any] = {"page": int(page_size)}
    where = filter_sql(params, **filters)
    dialect = engine.dialect.name
    tree = parse_query(query) if query else None
    if tree is not None and dialect != "postgresql":
        params["match"] = to_fts5(tree)
        where.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match)")
    where.append("a.id > :last_id")
    if dialect == "postgresql":
        authors_sql = text(
            "SELECT aa.article_id, au.name FROM article_authors aa "
            "JOIN authors au ON au.id = aa.author_id "
            "WHERE aa.article_id = ANY(:ids) ORDER BY aa.article_id, aa.position"
        )
        captions_sql = text(
            "SELECT article_id, text, credit, image_url FROM captions "
            "WHERE article_id = ANY(:ids) ORDER BY article_id, position"
        )
    else:
        # The page's ids as one JSON parameter: one statement per page, any size.
        authors_sql = text(
            "SELECT aa.article_id, au.name FROM article_authors aa "
            "JOIN authors au ON au.id = aa.author_id "
            "WHERE aa.article_id IN (SELECT value FROM json_each(:ids)) "
            "ORDER BY aa.article_id, aa.position"
        )
        captions_sql = text(
            "SELECT article_id, text, credit, image_url FROM captions "
            "WHERE article_id IN (SELECT value FROM json_each(:ids)) "
            "ORDER BY article_id, position"
        )

    with engine.connect() as conn:
        if dialect == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if tree is not None and dialect == "postgresql":
                # Parsed with the archive's text search configuration (accents
                # folded or not), which takes a query to read.
                where.insert(0, f"a.search_vector @@ "
                                f"{to_tsquery_sql(tree, params, text_search_config(conn))}")
            sql = text(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE {' AND '.join(where)} "
                       "ORDER BY a.id LIMIT :page")
            fetch = _fetcher(conn)
            last_id = 0
            while True:
                rows = fetch(sql, {**params, "last_id": last_id})
                if not rows:
                    return
                ids = [row[0] for row in rows]
                id_param: Any = ids if dialect == "postgresql" else json.dumps(ids)
                names: dict[int, list[str]] = {}
                for article_id, name in fetch(authors_sql, {"ids": id_param}):
                    names.setdefault(article_id, []).append(name)
                caps: dict[int, list[dict[str, Any]]] = {}
                for article_id, cap_text, credit, image_url in fetch(captions_sql, {"ids": id_param}):
                    caps.setdefault(article_id, []).append(
                        {"text": cap_text, "credit": credit, "image_url": image_url}
                    )
                # Plain tuple unpacking: attribute access on each Row costs more
                # than the rest of the row's handling.
                for (article_id, url, canonical_url, site, headline, standfirst, byline,
                     published, published_raw, modified, modified_raw, section, tags, language,
                     image_url, body, word_count, fetched_at, page_type, first_seen, last_seen,
                     version, gone_at, gone_status) in rows:
                    yield {
                        "url": url,
                        "canonical_url": canonical_url,
                        "site": site,
                        "headline": headline,
                        "standfirst": standfirst,
                        "authors": names.get(article_id, []),
                        "byline": byline,
                        "published": published,
                        "published_raw": published_raw,
                        "modified": modified,
                        "modified_raw": modified_raw,
                        "section": section,
                        "tags": json.loads(tags) if tags and tags != "[]" else [],
                        "language": language,
                        "image_url": image_url,
                        "captions": caps.get(article_id, []),
                        "body": body,
                        "word_count": word_count,
                        "fetched_at": fetched_at,
                        "page_type": page_type,
                        "id": article_id,
                        "first_seen": first_seen,
                        "last_seen": last_seen,
                        "version": version,
                        "gone_at": gone_at,
                        "gone_status": gone_status,
                    }
                last_id = ids[-1]
                del rows, names, caps


def csv_cell(name: str, value: Any) -> Any:
    """One field of an article as a CSV cell: lists joined with "; ", captions
    as a JSON array of ``{text, credit, image_url}``, nothing as an empty cell.

    The one encoding of both CSVs a user gets: ``newsarchive export --format
    csv`` and the crawl's ``-O file.csv`` feed.
    """
    if name == "captions":
        return json.dumps(value, ensure_ascii=False) if value else ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else value


def csv_field(value: Any) -> str:
    """One CSV field as ``csv.writer`` writes it (the excel dialect, quoting
    only fields holding a comma, a quote or a line break), for ``write_csv``."""
    if value is None:
        return ""
    value = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    """Write ``rows`` (``EXPORT_FIELDS``, header first) to a text ``stream`` as
    CSV, byte for byte what ``csv.writer`` writes; return how many rows.

    ``csv.writer`` reads every character of every field to decide on quoting
    and doubling quotes: the whole CSV export of 100,000 articles ran at about
    9,000 rows/s, a quarter of the JSONL export. ``str`` methods find the
    characters that need quoting in C at memory speed.
    """
    write = stream.write
    write(",".join(csv_field(name) for name in EXPORT_FIELDS) + "\r\n")
    count = 0
    for row in rows:
        write(",".join([csv_field(csv_cell(name, row[name])) for name in EXPORT_FIELDS]) + "\r\n")
        count += 1
    return count


def write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """Write ``rows`` to a binary ``stream`` as JSON lines (UTF-8, non-ASCII
    as is); return how many.

    orjson, not the standard library: encoding was two thirds of an export's
    CPU (a ``json.dumps`` call builds an encoder per row, then the text is
    encoded to UTF-8 again on write); orjson writes UTF-8 bytes directly,
    and the whole JSONL export of 100,000 articles takes 2.5 instead of 5.3 s
    of CPU (``benchmarks/storage_bench.py``).
    """
    dumps = orjson.dumps
    option = orjson.OPT_APPEND_NEWLINE
    write = stream.write
    count = 0
    for row in rows:
        write(dumps(row, option=option))
        count += 1
    return count


def write_json_array(rows: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """Write ``rows`` to a binary ``stream`` as one JSON array, a row a line,
    as it goes (constant memory, like ``write_jsonl``); return how many.

    For ``export -o x.json``, which wrote JSON lines that ``json.load`` and
    other tools reading a ``.json`` file refuse ("Extra data"), while the
    crawl's ``-O x.json`` writes an array.
    """
    dumps = orjson.dumps
    write = stream.write
    count = 0
    for row in rows:
        write(b",\n" if count else b"[\n")
        write(dumps(row))
        count += 1
    write(b"\n]\n" if count else b"[]\n")
    return count
