"""First archive schema: articles, authors, captions, versions, dropped blocks,
crawl runs, raw pages, article URLs and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Frozen: this file describes the schema as release 0.1 shipped it. Later
changes go in new revisions, never here.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_FTS = [
    # External-content FTS5 table: the text lives once, in articles; the index
    # is kept in sync by triggers inside the writing transaction.
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "headline, standfirst, body, content=[articles], content_rowid=[id], "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, headline, standfirst, body) "
    "VALUES (new.id, new.headline, new.standfirst, new.body); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, headline, standfirst, body) "
    "VALUES ('delete', old.id, old.headline, old.standfirst, old.body); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF headline, standfirst, body "
    "ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, headline, standfirst, body) "
    "VALUES ('delete', old.id, old.headline, old.standfirst, old.body); "
    "INSERT INTO articles_fts(rowid, headline, standfirst, body) "
    "VALUES (new.id, new.headline, new.standfirst, new.body); END",
    # Headline matches weigh most, then the standfirst, then the body.
    "INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')",
]

POSTGRES_FTS = [
    # 'simple' (no stemming, no stop words) matches SQLite's unicode61 tokenizer
    # and suits an archive of many languages.
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(headline, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(standfirst, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(body, '')), 'D')) STORED",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
]


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("canonical_url", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("site", sa.Text),
        sa.Column("headline", sa.Text),
        sa.Column("standfirst", sa.Text),
        sa.Column("byline", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("published_raw", sa.Text),
        sa.Column("modified", sa.Text),
        sa.Column("modified_raw", sa.Text),
        sa.Column("section", sa.Text),
        sa.Column("tags", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("image_url", sa.Text),
        sa.Column("body", sa.Text),
        sa.Column("word_count", sa.Integer),
        sa.Column("page_type", sa.Text),
        sa.Column("fetched_at", sa.Text),
        sa.Column("first_seen", sa.Text, nullable=False),
        sa.Column("last_seen", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
    )
    op.create_table(
        "authors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.UniqueConstraint("name_key", name="uq_authors_name_key"),
    )
    op.create_table(
        "article_authors",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("authors.id"), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "position"),
    )
    op.create_index("ix_article_authors_author", "article_authors", ["author_id"])
    op.create_table(
        "captions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("credit", sa.Text),
        sa.Column("image_url", sa.Text),
    )
    op.create_index("ix_captions_article", "captions", ["article_id"])
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.Text, nullable=False),
        sa.Column("last_seen", sa.Text, nullable=False),
        sa.Column("headline", sa.Text),
        sa.Column("standfirst", sa.Text),
        sa.Column("byline", sa.Text),
        sa.Column("authors", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("modified", sa.Text),
        sa.Column("body", sa.Text),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.UniqueConstraint("article_id", "version", name="uq_versions_article_version"),
    )
    op.create_table(
        "dropped_blocks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("stage", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_dropped_blocks_article", "dropped_blocks", ["article_id"])
    op.create_index("ix_dropped_blocks_rule", "dropped_blocks", ["rule"])
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("spider", sa.Text, nullable=False),
        sa.Column("site", sa.Text),
        sa.Column("args", sa.Text),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("finished_at", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("stats", sa.Text),
    )
    op.create_table(
        "raw_pages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("fetched_at", sa.Text),
        sa.Column("status", sa.Integer),
        sa.Column("headers", sa.Text),
        sa.Column("compression", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("article_id", "version", name="uq_raw_pages_article_version"),
    )
    op.create_table(
        "article_urls",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("fetched_at", sa.Text),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
    )
    op.create_index("ix_article_urls_article", "article_urls", ["article_id"])

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in ("article_urls", "raw_pages", "crawl_runs", "dropped_blocks", "versions",
                  "captions", "article_authors", "authors", "articles"):
        op.drop_table(table)
