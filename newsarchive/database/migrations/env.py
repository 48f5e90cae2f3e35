"""Alembic environment for the archive, run programmatically by
``newsarchive.database.migrate`` (no alembic.ini needed).

The caller passes an open connection, already inside the transaction that
holds the archive's write lock, in ``config.attributes["connection"]``; the
whole upgrade then commits or rolls back as one.
"""
from __future__ import annotations

from alembic import context

from newsarchive.database.engine import make_engine, resolve_url
from newsarchive.database.schema import metadata

config = context.config


def _run(connection) -> None:  # noqa: ANN001 - an SQLAlchemy Connection
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(resolve_url(config.get_main_option("sqlalchemy.url")))
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("newsarchive migrations run online only: use `newsarchive db upgrade`")
run_migrations()
