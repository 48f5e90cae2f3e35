"""Schema upgrades with Alembic, run from code: users never need an alembic.ini.

``upgrade(engine)`` is what ``Archive()`` calls on open and what
``newsarchive db upgrade`` runs. It takes the archive's write lock first
(``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), checks the
revision again inside it, and runs every pending migration in that one
transaction, so two processes opening an old archive at once upgrade it once,
and a process killed mid-upgrade leaves the archive as it was.

Alembic itself (9 MB of memory once imported) is imported only when a
migration has to run: the revision an archive is at is read straight from
its ``alembic_version`` table, and the revisions this release knows from the
headers of the files in ``migrations/versions``. So the crawl and the CLI,
which nearly always open an archive that is already up to date, never load it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from newsarchive.database.engine import run_with_retry

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"
# Any constant: the key of the PostgreSQL advisory lock that serialises upgrades.
_PG_LOCK_KEY = 7_260_531_119


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the migrations shipped in this package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


_REVISION = re.compile(r'^revision = "([^"]+)"', re.M)
_DOWN_REVISION = re.compile(r'^down_revision = (?:None|"([^"]+)")', re.M)


@lru_cache(maxsize=1)
def all_revisions() -> tuple[str, ...]:
    """Every revision, oldest first (read from the migration files' headers)."""
    parent: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            continue  # __init__.py
        parent[revision.group(1)] = down.group(1)
    chain: list[str] = []
    children = {down: rev for rev, down in parent.items()}
    if len(children) != len(parent):
        raise RuntimeError("the archive migrations branch: two revisions share a parent")
    current = children.get(None)
    while current is not None:
        chain.append(current)
        current = children.get(current)
    if len(chain) != len(parent):
        raise RuntimeError("the archive migrations do not form one chain")
    return tuple(chain)


def head_revision() -> str:
    """The newest revision this version of newsarchive knows."""
    return all_revisions()[-1]


def current_revision(conn: Connection) -> str | None:
    """The archive's revision, or None for an empty (new) database."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    found = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(found) > 1:
        raise RuntimeError(f"the archive has several schema revisions: {', '.join(found)}")
    return found[0] if found else None


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
                    from alembic import command

                    command.upgrade(alembic_config(conn), target)
                after = current_revision(conn)
            return found, after

    found, after = run_with_retry(locked_upgrade, what="schema upgrade")
    return found, after
