"""PostgreSQL: search folds accents, as SQLite's FTS5 tokenizer does.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

SQLite's ``articles_fts`` uses ``unicode61 remove_diacritics 2``, so ``zurich``
finds "Zürich" and ``Zürich`` finds "Zurich". PostgreSQL's ``search_vector``
was built with the ``simple`` configuration, which keeps accents: the same
query found other articles on the two back ends. Here PostgreSQL gets

- the ``unaccent`` extension (trusted since PostgreSQL 13, so the database's
  owner may create it), put in ``public`` when it can go there and else in
  the archive's schema; an extension already installed is used where it is;
- ``newsarchive_fold``, a copy of ``simple`` whose word mappings go through
  ``unaccent`` first, in the archive's schema;
- ``search_vector`` rebuilt with it (the column is dropped and added again:
  PostgreSQL before 17 cannot change a generated column's expression; the
  text it is computed from is untouched, and the rebuild reads every article
  once).

A server without ``unaccent`` (contrib not installed) or a role that may
not create it keeps ``simple``: the archive works as before, and one warning
says so. Search reads which configuration ``search_vector`` is built with
(``newsarchive.database.search.text_search_config``), so either way queries
are parsed as the stored text was. SQLite has nothing to do here.

Frozen: the column's expression is written out here, not imported.
"""
from __future__ import annotations

import logging

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

logger = logging.getLogger("newsarchive.database.migrations")

CONFIG = "newsarchive_fold"
# The token types of ``simple`` that can hold a letter outside ASCII: the
# ascii* ones have no accents to fold.
FOLDED_TOKENS = ("word", "hword", "hword_part", "numword", "numhword", "hword_numpart")


def _search_vector(config: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS ix_articles_search_vector",
        "ALTER TABLE articles DROP COLUMN search_vector",
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"setweight(to_tsvector('{config}', coalesce(headline, '')), 'A') || "
        f"setweight(to_tsvector('{config}', coalesce(standfirst, '')), 'B') || "
        f"setweight(to_tsvector('{config}', coalesce(body, '')), 'D')) STORED",
        "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
    ]


def _installed_schema(bind: Connection) -> str | None:
    return bind.execute(text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'")).scalar()


def _unaccent_schema(bind: Connection) -> str | None:
    """The schema holding ``unaccent``, created if the server has it; None when it cannot be had.

    ``public`` first: an extension lives once per database, and one in an
    archive's own schema would go with a ``DROP SCHEMA … CASCADE`` of that
    archive, taking with it the search column of every other archive that
    uses it.
    """
    found = _installed_schema(bind)
    if found is not None:
        return found
    if bind.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")).first() is None:
        logger.warning("PostgreSQL search keeps accents (zurich does not find Zürich): the server "
                       "has no unaccent extension (PostgreSQL's contrib package); the archive "
                       "uses the 'simple' text search configuration, as before")
        return None
    targets = [row[0] for row in bind.execute(text(
        "SELECT nspname FROM pg_namespace WHERE nspname IN ('public', current_schema()) "
        "ORDER BY nspname <> 'public'"))]
    error: DBAPIError | None = None
    for schema in targets:
        try:
            # A savepoint: a refusal (no CREATE right on the schema or the
            # database) must not abort the upgrade's transaction.
            with bind.begin_nested():
                bind.execute(text(f'CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA "{schema}"'))
            return _installed_schema(bind)
        except DBAPIError as exc:
            error = exc
    reason = str(getattr(error, "orig", error)).splitlines()[0] if error else "no schema to put it in"
    logger.warning("PostgreSQL search keeps accents (zurich does not find Zürich): could not "
                   "create the unaccent extension (%s); the archive uses the 'simple' text search "
                   "configuration, as before", reason)
    return None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = _unaccent_schema(bind)
    if schema is None:
        return
    dictionary = f'"{schema}".unaccent'
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)")
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR "
               f"{', '.join(FOLDED_TOKENS)} WITH {dictionary}, pg_catalog.simple")
    for statement in _search_vector(CONFIG):
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    exists = bind.execute(text(
        "SELECT 1 FROM pg_ts_config WHERE cfgname = :name AND cfgnamespace = "
        "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"), {"name": CONFIG}).first()
    if exists is None:
        return  # the upgrade kept 'simple'
    for statement in _search_vector("simple"):
        op.execute(statement)
    # The extension stays: other archives in the database may use it.
    op.execute(f"DROP TEXT SEARCH CONFIGURATION {CONFIG}")
