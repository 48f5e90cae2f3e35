"""The ``articles_overview`` view gains ``published_utc``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

The view is what Datasette shows first, and it sorted by ``published``: text
that keeps each page's own offset, so "2024-03-07T19:30:00+01:00" (18:30 UTC)
came after "2024-03-07T18:45:00+00:00". ``published_utc`` sorts as time does.
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_AUTHORS = {
    "sqlite": """(SELECT group_concat(au.name, '; ')
          FROM (SELECT au2.name FROM article_authors aa
                  JOIN authors au2 ON au2.id = aa.author_id
                 WHERE aa.article_id = a.id ORDER BY aa.position) AS au)""",
    "postgresql": """(SELECT string_agg(au.name, '; ' ORDER BY aa.position)
          FROM article_authors aa JOIN authors au ON au.id = aa.author_id
         WHERE aa.article_id = a.id)""",
}


def _overview(dialect: str, *, with_utc: bool) -> str:
    utc = " a.published_utc," if with_utc else ""
    return f"""
CREATE VIEW articles_overview AS
SELECT a.id, a.site, a.published,{utc} a.headline,
       {_AUTHORS["postgresql" if dialect == "postgresql" else "sqlite"]} AS authors,
       a.section, a.word_count, a.caption_count, a.version AS versions,
       a.first_seen, a.last_seen, a.canonical_url
  FROM articles a
"""


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS articles_overview")
    op.execute(_overview(op.get_bind().dialect.name, with_utc=True))


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS articles_overview")
    op.execute(_overview(op.get_bind().dialect.name, with_utc=False))
