"""Sortable UTC dates, author/caption counts, the fetch log and the overview view.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

- ``articles.published_utc``: the publication instant in UTC, so ``--since``
  and ``--until`` compare strings correctly whatever offset a site prints;
  back-filled from ``published``.
- ``articles.author_count`` / ``caption_count``: back-filled, so ``stats`` is
  one scan of one table.
- ``fetches``: one row per stored fetch, so ``stats`` can see a site's
  extraction quality per crawl run and flag a sudden drop.
- ``articles_overview``: one row per article with its authors joined, for
  ``sqlite3`` and Datasette users.

Frozen: the date parsing below is a copy, not an import, so that later
changes to the application cannot change what this migration does.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BATCH = 2000


def _utc(value: str | None) -> str | None:
    if not value:
        return None
    text = value.strip().replace(" ", "T", 1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    text = re.sub(r"Z$", "+00:00", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # A time without an offset: kept as written, the best that can be done.
        return parsed.replace(microsecond=0).isoformat()
    return parsed.astimezone(timezone.utc).replace(microsecond=0).isoformat()


OVERVIEW_SQLITE = """
CREATE VIEW articles_overview AS
SELECT a.id, a.site, a.published, a.headline,
       (SELECT group_concat(au.name, '; ')
          FROM (SELECT au2.name FROM article_authors aa
                  JOIN authors au2 ON au2.id = aa.author_id
                 WHERE aa.article_id = a.id ORDER BY aa.position) AS au) AS authors,
       a.section, a.word_count, a.caption_count, a.version AS versions,
       a.first_seen, a.last_seen, a.canonical_url
  FROM articles a
"""

OVERVIEW_POSTGRES = """
CREATE VIEW articles_overview AS
SELECT a.id, a.site, a.published, a.headline,
       (SELECT string_agg(au.name, '; ' ORDER BY aa.position)
          FROM article_authors aa JOIN authors au ON au.id = aa.author_id
         WHERE aa.article_id = a.id) AS authors,
       a.section, a.word_count, a.caption_count, a.version AS versions,
       a.first_seen, a.last_seen, a.canonical_url
  FROM articles a
"""


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("published_utc", sa.Text))
        batch.add_column(sa.Column("author_count", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("caption_count", sa.Integer, nullable=False, server_default="0"))

    articles = sa.table("articles", sa.column("id"), sa.column("published"),
                        sa.column("published_utc"))
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(articles.c.id, articles.c.published)
            .where(articles.c.id > last_id, articles.c.published.is_not(None))
            .order_by(articles.c.id).limit(_BATCH)
        ).all()
        if not rows:
            break
        last_id = rows[-1].id
        updates = [{"b_id": r.id, "utc": _utc(r.published)} for r in rows]
        bind.execute(
            sa.update(articles).where(articles.c.id == sa.bindparam("b_id"))
            .values(published_utc=sa.bindparam("utc")),
            updates,
        )
    op.execute(
        "UPDATE articles SET "
        "author_count = (SELECT count(*) FROM article_authors aa WHERE aa.article_id = articles.id), "
        "caption_count = (SELECT count(*) FROM captions c WHERE c.article_id = articles.id)"
    )
    op.create_index("ix_articles_site_published", "articles", ["site", "published_utc"])
    op.create_index("ix_articles_published_utc", "articles", ["published_utc"])

    op.create_table(
        "fetches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("crawl_runs.id", ondelete="SET NULL")),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("site", sa.Text),
        sa.Column("fetched_at", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("has_date", sa.Integer, nullable=False),
        sa.Column("has_authors", sa.Integer, nullable=False),
        sa.Column("has_captions", sa.Integer, nullable=False),
    )
    op.create_index("ix_fetches_site_run", "fetches", ["site", "run_id"])
    op.create_index("ix_fetches_article", "fetches", ["article_id"])
    # What the archive already holds counts as one fetch each, with no run.
    op.execute(
        "INSERT INTO fetches (run_id, article_id, site, fetched_at, outcome, has_date, "
        "has_authors, has_captions) "
        "SELECT NULL, id, site, coalesce(fetched_at, last_seen), 'migrated', "
        "CASE WHEN published IS NULL THEN 0 ELSE 1 END, "
        "CASE WHEN author_count > 0 THEN 1 ELSE 0 END, "
        "CASE WHEN caption_count > 0 THEN 1 ELSE 0 END FROM articles ORDER BY id"
    )
    op.execute(OVERVIEW_POSTGRES if bind.dialect.name == "postgresql" else OVERVIEW_SQLITE)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS articles_overview")
    op.drop_table("fetches")
    op.drop_index("ix_articles_published_utc", "articles")
    op.drop_index("ix_articles_site_published", "articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("caption_count")
        batch.drop_column("author_count")
        batch.drop_column("published_utc")
