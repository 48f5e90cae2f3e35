"""The archive database (SQLAlchemy 2.x; no Scrapy here).

``Archive`` is the entry point; see ``archive.py``. The schema is in
``schema.py`` and versioned by the Alembic migrations in ``migrations/``.
"""
from __future__ import annotations

from newsarchive.database.archive import Archive, ArchiveError, PageState
from newsarchive.database.search import QueryError

__all__ = ["Archive", "ArchiveError", "PageState", "QueryError"]
