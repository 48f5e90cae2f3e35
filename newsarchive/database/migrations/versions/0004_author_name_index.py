"""An index for ``search --author`` on SQLite.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

``--author`` matches part of a name (``--author pitel`` finds "Laura
Pitel"), a ``LIKE '%…%'`` that no b-tree index serves: every search with it
read all of ``authors`` (25 ms with 141,000 authors, the slowest kind of
search in benchmarks/storage_bench.py). An FTS5 table with the trigram
tokenizer answers the same ``LIKE`` from its index for names of three
characters or more (under 1 ms); it is external-content, so the names are
stored once, and triggers keep it in step inside the writing transaction.
PostgreSQL keeps its plain ``LIKE`` (its authors scan is not the bottleneck
there, and pg_trgm is an extension the database may not have).
"""
from __future__ import annotations

import sqlite3

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The trigram tokenizer arrived in SQLite 3.34; older SQLites keep the scan
# (search checks whether the table exists).
TRIGRAM_MIN_SQLITE = (3, 34, 0)

SQLITE_AUTHOR_INDEX = [
    # detail=none: LIKE needs only which names hold each trigram.
    "CREATE VIRTUAL TABLE authors_trigram USING fts5("
    "name_key, content=[authors], content_rowid=[id], tokenize='trigram', detail=none)",
    "CREATE TRIGGER authors_trigram_insert AFTER INSERT ON authors BEGIN "
    "INSERT INTO authors_trigram(rowid, name_key) VALUES (new.id, new.name_key); END",
    "CREATE TRIGGER authors_trigram_delete AFTER DELETE ON authors BEGIN "
    "INSERT INTO authors_trigram(authors_trigram, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); END",
    "CREATE TRIGGER authors_trigram_update AFTER UPDATE OF name_key ON authors BEGIN "
    "INSERT INTO authors_trigram(authors_trigram, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); "
    "INSERT INTO authors_trigram(rowid, name_key) VALUES (new.id, new.name_key); END",
    "INSERT INTO authors_trigram(authors_trigram) VALUES ('rebuild')",
]


def _applies() -> bool:
    return op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= TRIGRAM_MIN_SQLITE


def upgrade() -> None:
    if _applies():
        for statement in SQLITE_AUTHOR_INDEX:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("authors_trigram_insert", "authors_trigram_delete", "authors_trigram_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS authors_trigram")
