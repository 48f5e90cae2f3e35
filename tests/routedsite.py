"""A tiny site served on 127.0.0.1 from a table of routes, for crawl tests
that need answers static files cannot give (redirect chains and loops,
off-site moves, 403s): ``path -> (status, headers, body)``, ``{base}`` in a
header or body replaced by the server's own address. A 200 route with an
``ETag`` answers a request whose ``If-None-Match`` names it with 304, as web
servers do. ``delays`` (path -> seconds) holds some answers back, to set the
order in which concurrent requests are answered. Every request is logged
as it arrives."""
from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

Route = tuple[int, dict[str, str], str]

PARAGRAPH = ("The harbour board met on Tuesday evening to discuss the long delayed repairs to the "
             "eastern breakwater, which engineers say has been weakened by three winters of storms. ")


def article(title: str, typed: bool = True) -> str:
    """An article page; ``typed`` gives it NewsArticle structured data."""
    data = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "%s"}</script>'
            % title) if typed else ""
    body = "".join(f"<p>{PARAGRAPH}Point {i} of the report was read aloud.</p>" for i in range(8))
    return (f"<!doctype html><html><head><title>{title}</title>{data}</head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


def robots(*lines: str) -> Route:
    """A robots.txt for every agent with ``lines`` (``{base}`` is the server's address)."""
    return 200, {"Content-Type": "text/plain"}, "User-agent: *\n" + "".join(f"{line}\n" for line in lines)


def sitemap(*paths: str) -> str:
    urls = "".join(f"<url><loc>{{base}}{path}</loc></url>" for path in paths)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


@contextmanager
def serve_routes(routes: dict[str, Route], delays: dict[str, float] | None = None
                 ) -> Iterator[tuple[str, list[tuple[str, str, int]]]]:
    """Serve ``routes``; yields (base URL, log of (path, query, status)). Unknown paths answer 404."""
    hits: list[tuple[str, str, int]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            status, headers, body = routes.get(parts.path, (404, {"Content-Type": "text/plain"}, "not found"))
            if status == 200 and headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, ""
            data = body.replace("{base}", base).encode()
            hits.append((parts.path, parts.query, status))
            time.sleep((delays or {}).get(parts.path, 0.0))
            self.send_response(status)
            headers = {"Content-Type": "text/html; charset=utf-8", **headers}
            for key, value in headers.items():
                self.send_header(key, value.replace("{base}", base))
            if status != 304:
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
