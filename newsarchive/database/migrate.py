"""Schema upgrades with Alembic, run from code: users never need an alembic.ini.

``upgrade(engine)`` is what ``Archive()`` calls on open and what
``newsarchive db upgrade`` runs. It takes the archive's write lock first
(``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), checks the
revision again inside it, and runs every pending migration in that one
transaction, so two processes opening an old archive at once upgrade it once,
and a process killed mid-upgrade leaves the archive as it was.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from newsarchive.database.engine import run_with_retry

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any constant: the key of the PostgreSQL advisory lock that serialises upgrades.
_PG_LOCK_KEY = 7_260_531_119


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the migrations shipped in this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision this version of newsarchive knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The archive's revision, or None for an empty (new) database."""
    return MigrationContext.configure(conn).get_current_revision()


@lru_cache(maxsize=1)
def all_revisions() -> tuple[str, ...]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return tuple(rev.revision for rev in reversed(list(script.walk_revisions())))


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Bring the archive to ``revision``; returns (revision before, revision after)."""
    target = head_revision() if revision == "head" else revision

    def read() -> str | None:
        with engine.connect() as conn:
            found = current_revision(conn)
            conn.rollback()
            return found

    before = run_with_retry(read, what="schema check")
    if before == target:
        return before, before

    def locked_upgrade() -> tuple[str | None, str | None]:
        with engine.connect() as conn:
            conn.execution_options(newsarchive_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                found = current_revision(conn)
                if found != target:
                    command.upgrade(alembic_config(conn), target)
                after = current_revision(conn)
            return found, after

    found, after = run_with_retry(locked_upgrade, what="schema upgrade")
    return found, after
