"""Fixtures shared by every test module: a local HTTP server and a temporary
archive URL. Area-specific fixtures live next to the tests that use them."""
from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).parent
FIXTURES = TESTS_DIR / "fixtures"
SHARED = TESTS_DIR.parent.parent / "shared"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def serve_dir() -> Iterator:
    """Serve a directory on 127.0.0.1; returns ``serve(path) -> base_url``."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve(path: Path, handler: type[http.server.BaseHTTPRequestHandler] | None = None) -> str:
        cls = handler or functools.partial(_QuietHandler, directory=str(path))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), cls)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite archive URL; the environment override is cleared."""
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture
def crawl_site() -> Iterator[tuple[str, object]]:
    """The issue-4 crawl test site (tests/site/) served on 127.0.0.1: ``(base_url, state)``;
    ``state`` logs every request and switches the site's failure modes."""
    from crawlsite import SiteState, serve_site

    state = SiteState()
    base, server = serve_site(state)
    yield base, state
    server.shutdown()
    server.server_close()


def postgres_url() -> str | None:
    """URL of the local PostgreSQL test database, or None when it is not running."""
    url = os.environ.get("NEWSARCHIVE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), connect_timeout=2):
            return url
    except Exception:
        return None
