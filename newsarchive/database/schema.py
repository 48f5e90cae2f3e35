"""The archive's tables, as SQLAlchemy Core metadata (the schema at the latest migration).

The migrations in ``migrations/versions`` create and change the real tables;
this module describes where they end up, for the queries. A test checks that
the two agree (``tests/test_migrations.py``).

Conventions, chosen so the file reads well in ``sqlite3`` and Datasette and
the same code runs on PostgreSQL:

- times are ISO 8601 text; ``*_utc`` columns hold the same instant in UTC
  ("2016-03-15T07:39:00+00:00") so they sort and compare as strings;
- lists and mappings (tags, authors of a version, headers, stats) are JSON text;
- full-text search lives outside these tables: the ``articles_fts`` FTS5 table
  (SQLite) or the ``search_vector`` generated column (PostgreSQL; accents
  folded by the ``newsarchive_fold`` configuration, revision 0007), both made
  by the migrations and kept in sync by the database itself; on SQLite, so
  is ``authors_trigram``, a trigram FTS5 index of ``authors.name_key`` that
  answers ``search --author`` (revision 0004).
"""
from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)

# The largest integer either back end stores (SQLite INTEGER, PostgreSQL
# bigint). Ids, versions and offsets are compared against it before they
# reach a statement: a larger Python int ended in OverflowError.
MAX_INTEGER = 2**63 - 1


def largest_integer(dialect: str) -> int:
    """The largest value of an ``Integer`` column (ids, versions): int4 on PostgreSQL,
    where SQLAlchemy casts a bound value to the column's type (a larger one is an error)."""
    return 2**31 - 1 if dialect == "postgresql" else MAX_INTEGER

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("canonical_url", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("site", Text),
    Column("headline", Text),
    Column("standfirst", Text),
    Column("byline", Text),
    Column("published", Text),
    Column("published_raw", Text),
    Column("modified", Text),
    Column("modified_raw", Text),
    Column("section", Text),
    Column("tags", Text),
    Column("language", Text),
    Column("image_url", Text),
    Column("body", Text),
    Column("word_count", Integer),
    Column("page_type", Text),
    Column("fetched_at", Text),
    Column("first_seen", Text, nullable=False),
    Column("last_seen", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("content_hash", Text, nullable=False),
    # Added by revision 0002: sortable date and counts that make stats one scan.
    Column("published_utc", Text),
    Column("author_count", Integer, nullable=False, server_default="0"),
    Column("caption_count", Integer, nullable=False, server_default="0"),
    # Added by revision 0009: when a re-fetch first answered 404 or 410, and
    # which (NULL while the page answers; see article_events for the history).
    Column("gone_at", Text),
    Column("gone_status", Integer),
    UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
    Index("ix_articles_site_published", "site", "published_utc"),
    Index("ix_articles_published_utc", "published_utc"),
    # Added by revision 0003, for --section filters and for stats.
    Index("ix_articles_section", func.lower(text("section"))),
    # gone_at added by revision 0009, so stats still reads the index alone.
    Index("ix_articles_stats", "site", "published_utc", "author_count", "caption_count",
          "version", "last_seen", "gone_at"),
    Index("ix_articles_gone_at", "gone_at"),
)

authors = Table(
    "authors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    # One person, one row: the name folded (case, accents, spacing) is unique.
    Column("name_key", Text, nullable=False),
    UniqueConstraint("name_key", name="uq_authors_name_key"),
)

article_authors = Table(
    "article_authors",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("author_id", Integer, ForeignKey("authors.id"), nullable=False),
    PrimaryKeyConstraint("article_id", "position"),
    Index("ix_article_authors_author", "author_id"),
)

captions = Table(
    "captions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("credit", Text),
    Column("image_url", Text),
    Index("ix_captions_article", "article_id"),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("first_seen", Text, nullable=False),
    Column("last_seen", Text, nullable=False),
    Column("headline", Text),
    Column("standfirst", Text),
    Column("byline", Text),
    Column("authors", Text),
    Column("published", Text),
    Column("modified", Text),
    Column("body", Text),
    Column("content_hash", Text, nullable=False),
    UniqueConstraint("article_id", "version", name="uq_versions_article_version"),
)

dropped_blocks = Table(
    "dropped_blocks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("rule", Text, nullable=False),
    Column("stage", Text),
    Column("text", Text, nullable=False),
    Index("ix_dropped_blocks_article", "article_id"),
    Index("ix_dropped_blocks_rule", "rule"),
)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("spider", Text, nullable=False),
    Column("site", Text),
    Column("args", Text),
    Column("started_at", Text, nullable=False),
    Column("finished_at", Text),
    Column("status", Text),
    Column("stats", Text),
)

raw_pages = Table(
    "raw_pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    # The article version this page showed; a refetch of the same version replaces it.
    Column("version", Integer, nullable=False),
    Column("url", Text, nullable=False),
    Column("fetched_at", Text),
    Column("status", Integer),
    Column("headers", Text),
    Column("compression", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    UniqueConstraint("article_id", "version", name="uq_raw_pages_article_version"),
)

article_urls = Table(
    "article_urls",
    metadata,
    # Canonicalised with newsarchive.urls.canonicalize_url.
    Column("url", Text, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("fetched_at", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Index("ix_article_urls_article", "article_id"),
)

# Added by revision 0002: one row per stored fetch, for per-run quality shares.
fetches = Table(
    "fetches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("crawl_runs.id", ondelete="SET NULL")),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("site", Text),
    Column("fetched_at", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("has_date", Integer, nullable=False),
    Column("has_authors", Integer, nullable=False),
    Column("has_captions", Integer, nullable=False),
    Index("ix_fetches_site_run", "site", "run_id"),
    Index("ix_fetches_article", "article_id"),
)

# Added by revision 0009: what happened to an article between its versions.
article_events = Table(
    "article_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("at", Text, nullable=False),
    # GONE (with the HTTP status) or RESTORED.
    Column("event", Text, nullable=False),
    Column("status", Integer),
    Index("ix_article_events_article", "article_id"),
)
GONE = "gone"
RESTORED = "restored"

# SQL objects the migrations make that are not tables of this metadata.
FTS_TABLE = "articles_fts"
OVERVIEW_VIEW = "articles_overview"
