"""Article keys take the normalised percent-encoding.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

``newsarchive.urls.canonicalize_url`` now normalises percent-encoding as
browsers and w3lib do (``%2D`` -> ``-``, raw non-ASCII and spaces -> UTF-8
escapes, hex in upper case) and keeps query escapes that are not UTF-8 (a
latin-1 ``caf%E9``) instead of turning each into ``%EF%BF%BD``. Keys stored
before (``article_urls.url``, ``articles.canonical_url``) are rewritten to
the new form here, or the next crawl would take those articles for new ones
and ``show URL`` would miss them.

- A key is re-canonicalised: the new rules applied to an old key give the
  key its address now gets (the old rules changed nothing they now undo).
- A key holding ``%EF%BF%BD`` lost its bytes; it takes the key of the
  article's fetched address when that address gave it under the old rules.
- ``article_urls``: a key that now equals one already there is one address
  twice; the row already there stays, the other goes.
- ``articles.canonical_url`` is unique: an article whose new key another
  article already has keeps its old key (two stored articles are not merged
  here); its addresses still find it through ``article_urls``.

Not frozen: it uses ``canonicalize_url`` as this release ships it, which is
the point (keys must match what this release computes). Downgrade leaves the
keys as they are: the old rules read both forms.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_LOST = "%EF%BF%BD"


def _old_query_form(key: str) -> str:
    """``key`` with its query as the old rules wrote it: undecodable bytes as U+FFFD."""
    parts = urlsplit(key)
    pairs = parse_qsl(parts.query, keep_blank_values=True, errors="replace")
    return urlunsplit(parts._replace(query=urlencode(pairs, doseq=True)))


def _new_key(old: str, fetched: str | None) -> str:
    from newsarchive.urls import canonicalize_url

    new = canonicalize_url(old)
    if _LOST in old and fetched:
        candidate = canonicalize_url(fetched)
        if _old_query_form(candidate) == new:
            return candidate
    return new


def _candidates(conn: sa.Connection, sql: str) -> list[tuple[str, ...]]:
    """The rows whose key the new rules may change, read as a stream: only a key
    holding what w3lib normalises (an escape, a space, non-ASCII) can change,
    and an archive of a million keys is not loaded to find the few that do."""
    from newsarchive.urls import needs_normalising

    # On the statement: Connection.execution_options() would change the connection,
    # and Alembic's own statements after it would run in server-side cursors.
    result = conn.execute(sa.text(sql).execution_options(stream_results=True, yield_per=10_000))
    return [tuple(row) for row in result if needs_normalising(row[0])]


def _taken(conn: sa.Connection, sql: str, key: str) -> bool:
    return conn.execute(sa.text(sql), {"key": key}).first() is not None


def upgrade() -> None:
    conn = op.get_bind()
    for old, fetched in _candidates(conn, "SELECT au.url, a.url FROM article_urls au "
                                          "JOIN articles a ON a.id = au.article_id"):
        new = _new_key(old, fetched)
        if new == old:
            continue
        if _taken(conn, "SELECT 1 FROM article_urls WHERE url = :key", new):
            conn.execute(sa.text("DELETE FROM article_urls WHERE url = :old"), {"old": old})
        else:
            conn.execute(sa.text("UPDATE article_urls SET url = :new WHERE url = :old"),
                         {"new": new, "old": old})
    for old, article_id, fetched in _candidates(conn, "SELECT canonical_url, id, url FROM articles"):
        new = _new_key(old, fetched)
        if new == old or _taken(conn, "SELECT 1 FROM articles WHERE canonical_url = :key", new):
            continue
        conn.execute(sa.text("UPDATE articles SET canonical_url = :new WHERE id = :id"),
                     {"new": new, "id": article_id})


def downgrade() -> None:
    pass
