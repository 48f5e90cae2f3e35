"""Articles record when the site took them down (HTTP 404/410), and when they came back.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08

- ``articles.gone_at`` / ``articles.gone_status``: when a re-fetch of the
  archived article first answered 404 or 410, and which; NULL while the
  page answers. An article found again clears both.
- ``article_events``: the article's history between versions ("gone" with
  its status, "restored"), which ``show`` lists with the versions.
- ``articles_overview`` (what Datasette shows first) gains both columns.
- ``ix_articles_stats`` ends with ``gone_at``, so ``stats`` (which counts
  takedowns per site) still reads that covering index alone;
  ``ix_articles_gone_at`` serves ``--gone``.

Rows already there are live: nothing to fill in. Downgrade drops the lot
(the takedown history with it).
"""
from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The authors column as revision 0006 made it (that file never changes).
_AUTHORS = importlib.import_module(
    "newsarchive.database.migrations.versions.0006_overview_published_utc")._AUTHORS


def _overview(dialect: str, *, with_gone: bool) -> str:
    gone = ", a.gone_at, a.gone_status" if with_gone else ""
    return f"""
CREATE VIEW articles_overview AS
SELECT a.id, a.site, a.published, a.published_utc, a.headline,
       {_AUTHORS["postgresql" if dialect == "postgresql" else "sqlite"]} AS authors,
       a.section, a.word_count, a.caption_count, a.version AS versions,
       a.first_seen, a.last_seen, a.canonical_url{gone}
  FROM articles a
"""


def _stats_index(*, with_gone: bool) -> None:
    """``ix_articles_stats`` (revision 0003), with ``gone_at`` last or without:
    the stats query reads that index alone, and counts takedowns too."""
    op.drop_index("ix_articles_stats", table_name="articles")
    columns = ["site", "published_utc", "author_count", "caption_count", "version", "last_seen"]
    op.create_index("ix_articles_stats", "articles", columns + ["gone_at"] * with_gone)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP VIEW IF EXISTS articles_overview")
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("gone_at", sa.Text(), nullable=True))
        batch.add_column(sa.Column("gone_status", sa.Integer(), nullable=True))
    op.create_index("ix_articles_gone_at", "articles", ["gone_at"])
    _stats_index(with_gone=True)
    op.create_table(
        "article_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
    )
    op.create_index("ix_article_events_article", "article_events", ["article_id"])
    op.execute(_overview(dialect, with_gone=True))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP VIEW IF EXISTS articles_overview")
    op.drop_index("ix_article_events_article", table_name="article_events")
    op.drop_table("article_events")
    op.drop_index("ix_articles_gone_at", table_name="articles")
    _stats_index(with_gone=False)
    # Dropped in place (SQLite >= 3.35), not by a batch copy of the table: on
    # SQLite that copy drops the old table, and its ON DELETE CASCADE would take
    # every article's versions, URLs and pages with it.
    op.execute("ALTER TABLE articles DROP COLUMN gone_status")
    op.execute("ALTER TABLE articles DROP COLUMN gone_at")
    op.execute(_overview(dialect, with_gone=False))
