"""Serve the bundled sample news site on 127.0.0.1, for the demo and the tests.

The site's files hold ``{base}`` wherever a real site would print its own
absolute address (canonical links, robots.txt's ``Sitemap:`` line, sitemap
``<loc>``s, feed links). The port is only known once the server is bound, so
``{base}`` is filled in as each file is served.

URLs map to files the way a typical CMS serves them: ``/news/`` is
``news/index.html``, ``/world/2024/03/12/slug`` is ``.../slug.html``, and
``.../slug/amp`` serves the AMP copy of an article (the same page, whose
canonical link points back to the article). Responses carry an ``ETag`` and
``Last-Modified`` and answer conditional requests with 304, like most news
sites' front-end caches, so incremental crawls can be tried on it: a file
edited under the root is served as it now is (the server re-reads a file
whose modification time or size changed).

Run it on its own to look at the site in a browser::

    python -m newsarchive.demo.server --port 8000
"""
from __future__ import annotations

import argparse
import email.utils
import hashlib
import http.client
import http.server
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

SITE_DIR = Path(__file__).with_name("site")
"""The bundled sample site."""

BASE_PLACEHOLDER = "{base}"

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


@dataclass(frozen=True)
class ServedRequest:
    """One request the server answered, for tests and the demo's summary."""

    method: str
    path: str
    """The request target as sent (path and query)."""
    status: int
    headers: dict[str, str]


class _Page:
    """A rendered file: body with ``{base}`` filled in, and its validators."""

    __slots__ = ("body", "content_type", "etag", "last_modified", "mtime", "stamp")

    def __init__(self, body: bytes, content_type: str, stamp: tuple[int, int]) -> None:
        self.body = body
        self.content_type = content_type
        self.stamp = stamp
        """The file's (mtime in ns, size) when rendered: a page is served again
        only while its file still has them."""
        self.mtime = stamp[0] // 1_000_000_000
        self.etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        self.last_modified = email.utils.formatdate(self.mtime, usegmt=True)


class SiteServer:
    """A threaded HTTP server for a folder of site files.

    Use as a context manager::

        with SiteServer() as site:
            print(site.base_url)   # http://127.0.0.1:PORT
    """

    def __init__(self, root: Path | str = SITE_DIR, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root).resolve()
        self.host = host
        self.port = port
        self.requests: list[ServedRequest] = []
        self._lock = threading.Lock()
        self._pages: dict[Path, _Page] = {}
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    def start(self) -> str:
        """Bind (a free port unless one was given), serve in a thread, return the base URL."""
        handler = _make_handler(self)
        self._httpd = http.server.ThreadingHTTPServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="demo-site-server", daemon=True
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> SiteServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what was served -------------------------------------------------------
    def paths_served(self, status: int | None = 200) -> list[str]:
        """Request targets answered (with ``status``, or any status when None)."""
        with self._lock:
            return [r.path for r in self.requests if status is None or r.status == status]

    def _record(self, request: ServedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    # -- routing ---------------------------------------------------------------
    def resolve(self, target: str) -> tuple[Path | None, str | None]:
        """Map a request path to ``(file, None)``, ``(None, redirect_path)`` or ``(None, None)``."""
        path = unquote(urlsplit(target).path) or "/"
        if "\x00" in path:
            return None, None
        rel = path.lstrip("/")
        if path.endswith("/amp") or path.endswith("/amp/"):
            # AMP copy of an article: serve the article itself.
            found = self._file_for(path[: path.rindex("/amp")].lstrip("/"))
            return found, None
        if path.endswith("/"):
            return self._within(self.root / rel / "index.html"), None
        found = self._file_for(rel)
        if found is not None:
            return found, None
        if self._within(self.root / rel / "index.html") is not None:
            return None, path + "/"
        return None, None

    def _file_for(self, rel: str) -> Path | None:
        candidate = self._within(self.root / rel)
        if candidate is not None:
            return candidate
        return self._within(self.root / f"{rel}.html")

    def _within(self, candidate: Path) -> Path | None:
        # Never serve anything outside the site folder ("/../../etc/passwd").
        try:
            resolved = candidate.resolve()
        except OSError:
            return None
        if not resolved.is_file() or not resolved.is_relative_to(self.root):
            return None
        return resolved

    def render(self, file: Path) -> _Page:
        """The file as served now: rendered again once it has changed on disk,
        so an edit under the root shows on the next request (as incremental
        crawls need), while an unchanged file costs one stat()."""
        stat = file.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        page = self._pages.get(file)
        if page is None or page.stamp != stamp:
            raw = file.read_bytes()
            content_type = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
            if content_type.startswith(("text/", "application/xml", "application/rss", "application/atom")):
                raw = raw.replace(BASE_PLACEHOLDER.encode(), self.base_url.encode())
            page = _Page(raw, content_type, stamp)
            with self._lock:
                self._pages[file] = page
        return page


def _not_modified(page: _Page, headers: http.client.HTTPMessage) -> bool:
    etags = headers.get("If-None-Match")
    if etags is not None:
        return page.etag in {tag.strip() for tag in etags.split(",")} or etags.strip() == "*"
    since = headers.get("If-Modified-Since")
    if since:
        try:
            parsed = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return parsed.timestamp() >= page.mtime
    return False


def _make_handler(server: SiteServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "HarbourGazette/1.0"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the request list is the log

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def do_GET(self) -> None:  # noqa: N802
            self._answer(send_body=True)

        def _answer(self, *, send_body: bool) -> None:
            file, redirect = server.resolve(self.path)
            status: int
            body = b""
            extra: dict[str, str] = {}
            if redirect is not None:
                status = 301
                extra["Location"] = server.base_url + redirect
                content_type = "text/plain; charset=utf-8"
            elif file is None:
                status = 404
                body = b"<!DOCTYPE html><html><head><title>Page not found</title></head>" \
                       b"<body><h1>Page not found</h1></body></html>"
                content_type = CONTENT_TYPES[".html"]
            else:
                page = server.render(file)
                content_type = page.content_type
                extra["ETag"] = page.etag
                extra["Last-Modified"] = page.last_modified
                extra["Cache-Control"] = "max-age=60"
                if _not_modified(page, self.headers):
                    status = 304
                else:
                    status = 200
                    body = page.body
            server._record(
                ServedRequest(self.command, self.path, status, {k: v for k, v in self.headers.items()})
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            if send_body and body:
                self.wfile.write(body)

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the newsarchive sample news site.")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0 = any free one)")
    parser.add_argument("--root", type=Path, default=SITE_DIR, help="site folder to serve")
    args = parser.parse_args(argv)
    site = SiteServer(args.root, port=args.port)
    try:
        site.start()
    except OSError as exc:  # the port is taken, or not ours to bind
        parser.exit(1, f"newsarchive demo server: cannot listen on 127.0.0.1:{args.port}: "
                       f"{exc.strerror or exc}; try another --port, or 0 for any free one\n")
    try:
        print(f"Serving {args.root} at {site.base_url}/ (Ctrl-C to stop)", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()


if __name__ == "__main__":
    main()
