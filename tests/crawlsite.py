"""The crawl test site (tests/site/) served on 127.0.0.1, and a crawl runner.

Static files carry ``{base}`` where the server's own address goes. The
handler adds what static files cannot do: a gzipped sitemap, redirects
(on-site, off-site, to ftp:), a 404, a 500, a 429 with Retry-After on the
first try, AMP copies, ETag/304, a robots.txt that fails on demand, slow
pages and generated "bulk" articles for the kill-and-resume test. Every
request is logged so tests can check what a crawl fetched. ``editable_copy``
serves a copy of the site that a test changes between two crawls.
"""
from __future__ import annotations

import ast
import gzip
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SITE_DIR = Path(__file__).parent / "site"
REPO = Path(__file__).parent.parent

REDIRECTS = {
    "/go/hospital-waiting-lists-short-link": (301, "{base}/news/2024/03/04/hospital-waiting-lists-fall.html"),
    "/go/off-site-redirect-story": (302, "http://elsewhere.invalid/news/2024/03/05/story-elsewhere.html"),
    "/go/ftp-scheme-redirect-story": (302, "ftp://127.0.0.1/news/story.html"),
}
ALWAYS_500 = "/news/2024/03/09/story-that-breaks-the-server.html"
BUSY_ONCE = "/news/2024/03/10/busy-server-asks-to-wait.html"
LAST_MODIFIED = "Fri, 08 Mar 2024 12:00:00 GMT"

# What a full crawl of the site must store: every real article, once.
EXPECTED_ARTICLES = {
    "/news/2024/03/01/council-approves-new-cycle-lanes.html",
    "/news/2024/03/02/school-meals-programme-expands.html",
    "/world/2024/03/03/trade-talks-resume-in-brussels.html",
    "/news/2024/03/04/hospital-waiting-lists-fall.html",
    "/news/2024/03/05/library-opens-late-on-fridays.html",
    "/news/2024/03/06/river-cleanup-volunteers-honoured.html",
    "/news/2024/03/07/harbour-bridge-reopens-after-repairs.html",
    "/news/2019/06/01/old-market-hall-restoration-begins.html",
    "/culture/2024/03/09/lantern-festival-draws-record-crowds.html",
    "/news/2024/03/10/busy-server-asks-to-wait.html",
}
DISCOVERY_PATHS = {
    "/robots.txt", "/sitemap_index.xml", "/sitemaps/articles.xml.gz", "/sitemaps/news.xml",
    "/sitemaps/archive-2019.xml", "/sitemaps/missing.xml", "/sitemaps/bulk.xml",
    "/rss.xml", "/atom.xml", "/culture.rdf", "/", "/news/", "/news/page/2", "/news/page/3",
    "/world/", "/broken-feed.xml",
}


@dataclass
class Hit:
    path: str
    query: str
    status: int
    at: float
    headers: dict[str, str]


@dataclass
class SiteState:
    """Behaviour switches and the request log, shared with the handler threads."""

    robots_mode: str = "normal"  # "normal" | "500" | "slow"
    page_delay: float = 0.0  # seconds before answering an article page
    bulk_count: int = 0  # extra generated articles listed in /sitemaps/bulk.xml
    busy_forever: bool = False  # BUSY_ONCE answers 429 every time
    root: Path = SITE_DIR  # the files served (see editable_copy)
    slow_paths: dict[str, float] = field(default_factory=dict)  # path -> seconds before answering
    hits: list[Hit] = field(default_factory=list)
    busy_served: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self, status: int | None = None) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits if status is None or h.status == status]

    def clear(self) -> None:
        with self.lock:
            self.hits.clear()


def _bulk_article(n: int) -> bytes:
    template = (SITE_DIR / "news/2024/03/01/council-approves-new-cycle-lanes.html").read_text()
    return template.replace(
        "news/2024/03/01/council-approves-new-cycle-lanes", f"bulk/2024/03/01/bulk-story-number-{n}"
    ).replace("Council approves new cycle lanes across the city centre", f"Bulk story number {n} for the resume test").encode()


class SiteHandler(http.server.BaseHTTPRequestHandler):
    state: SiteState  # set on the subclass made by serve_site()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        path, query = parts.path, parts.query
        base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        time.sleep(self.state.slow_paths.get(path, 0.0))
        status, headers, body = self._route(path, base)
        etag = headers.get("ETag")
        if status == 200 and etag and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""
        with self.state.lock:
            self.state.hits.append(Hit(path, query, status, time.monotonic(), dict(self.headers.items())))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self, path: str, base: str) -> tuple[int, dict[str, str], bytes]:
        state = self.state
        if path == "/robots.txt" and state.robots_mode == "500":
            return 500, {"Content-Type": "text/plain"}, b"server error"
        if path == "/robots.txt" and state.robots_mode == "slow":
            time.sleep(3)
        if path in REDIRECTS:
            code, target = REDIRECTS[path]
            return code, {"Location": target.format(base=base)}, b""
        if path == ALWAYS_500:
            return 500, {"Content-Type": "text/html"}, b"<h1>Internal Server Error</h1>"
        if path == BUSY_ONCE:
            with state.lock:
                first = path not in state.busy_served
                state.busy_served.add(path)
            if first or state.busy_forever:
                return 429, {"Retry-After": "1", "Content-Type": "text/html"}, b"slow down"
        if path == "/sitemaps/articles.xml.gz":
            xml = self._file("sitemaps/articles.xml", base)
            return 200, {"Content-Type": "application/x-gzip"}, gzip.compress(xml)
        if path == "/sitemap_index.xml" and state.bulk_count:
            xml = self._file("sitemap_index.xml", base).replace(
                b"</sitemapindex>", f"<sitemap><loc>{base}/sitemaps/bulk.xml</loc></sitemap></sitemapindex>".encode())
            return 200, {"Content-Type": "application/xml"}, xml
        if path == "/sitemaps/bulk.xml" and state.bulk_count:
            locs = "".join(f"<url><loc>{base}/bulk/2024/03/01/bulk-story-number-{n}.html</loc></url>"
                           for n in range(state.bulk_count))
            xml = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            return 200, {"Content-Type": "application/xml"}, xml.encode()
        if path.startswith("/bulk/") and state.bulk_count:
            time.sleep(state.page_delay)
            n = int(path.rsplit("-", 1)[-1].split(".")[0])
            return 200, self._html_headers(_bulk_article(n)), _bulk_article(n).replace(b"{base}", base.encode())
        if path.startswith("/amp/"):
            path = path[4:]
        target = self._resolve(path)
        if target is None:
            return 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
        body = self._file(str(target.relative_to(state.root)), base)
        if target.suffix == ".html":
            if "/20" in path:
                time.sleep(state.page_delay)
            return 200, self._html_headers(body), body
        kinds = {".xml": "application/xml", ".rdf": "application/rdf+xml", ".txt": "text/plain"}
        return 200, {"Content-Type": kinds.get(target.suffix, "application/octet-stream")}, body

    @staticmethod
    def _html_headers(body: bytes) -> dict[str, str]:
        return {"Content-Type": "text/html; charset=utf-8", "Last-Modified": LAST_MODIFIED,
                "ETag": '"' + hashlib.sha1(body).hexdigest()[:16] + '"'}

    def _resolve(self, path: str) -> Path | None:
        root = self.state.root
        rel = path.lstrip("/")
        candidates = [root / rel / "index.html"] if rel.endswith("/") or not rel else [
            root / rel, root / f"{rel}.html", root / rel / "index.html"]
        for candidate in candidates:
            try:
                candidate.resolve().relative_to(root.resolve())
            except ValueError:
                return None
            if candidate.is_file():
                return candidate
        return None

    def _file(self, rel: str, base: str) -> bytes:
        return (self.state.root / rel).read_bytes().replace(b"{base}", base.encode())


def editable_copy(state: SiteState, folder: Path) -> Path:
    """Serve a copy of the test site from ``folder`` (returned), for a test
    that changes the site between two crawls."""
    shutil.copytree(SITE_DIR, folder)
    state.root = folder
    return folder


def edit(file: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a served file."""
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new), encoding="utf-8")


def serve_site(state: SiteState) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = type("BoundSiteHandler", (SiteHandler,), {"state": state})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


# Politeness relaxed for localhost; everything else as shipped.
FAST = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_TIMES": "1",
    "NEWSARCHIVE_EXPORT_DIR": "",
    "LOG_LEVEL": "INFO",
}


def crawl_command(tmp: Path, *args: str, settings: dict[str, str] | None = None,
                  feed: str | None = "articles.jsonl") -> list[str]:
    merged = {**FAST, "NEWSARCHIVE_STATE_DIR": str(tmp / "state"),
              "NEWSARCHIVE_DB_URL": f"sqlite:///{tmp / 'archive.db'}", **(settings or {})}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", *args]
    for key, value in merged.items():
        cmd += ["-s", f"{key}={value}"]
    if feed:
        cmd += ["-O", str(tmp / feed)]
    return cmd


def crawl_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSARCHIVE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return env


def run_crawl(tmp: Path, *args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run ``scrapy crawl news`` in a subprocess from the repository root."""
    return subprocess.run(crawl_command(tmp, *args, **kwargs), cwd=REPO, env=crawl_env(),
                          capture_output=True, text=True, timeout=timeout)


def crawl_demo_with_site_file(tmp: Path, tables: str, settings: dict[str, str] | None = None,
                              **kwargs) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Crawl the bundled demo site as ``-a site=local``, configured by
    ``tmp/sites/local.toml``: its domain and start page, then ``tables`` (TOML
    tables such as ``[selectors]``). Returns the run and the site file's path."""
    from newsarchive.demo.server import SiteServer

    sites = tmp / "sites"
    sites.mkdir()
    site_file = sites / "local.toml"
    with SiteServer() as site:
        host = site.base_url.split("//", 1)[1].rstrip("/")
        site_file.write_text(f'domains = ["{host}"]\nstart_urls = ["{site.base_url}/"]\n\n{tables}',
                             encoding="utf-8")
        result = run_crawl(tmp, "-a", "site=local",
                           settings={"NEWSARCHIVE_SITES_DIR": str(sites), **(settings or {})}, **kwargs)
    return result, site_file


def read_feed(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def crawl_stats(stderr: str) -> dict:
    """The stats dict Scrapy dumps at the end of a crawl log."""
    marker = "Dumping Scrapy stats:"
    if marker not in stderr:
        return {}
    text = stderr.split(marker, 1)[1]
    start = text.index("{")
    depth = 0
    for i, ch in enumerate(text[start:], start):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0:
            # datetime values are not literals; the tests do not need them.
            literal = re.sub(r"datetime\.datetime\([^)]*\)", "None", text[start:i + 1])
            return ast.literal_eval(literal)
    return {}


def main() -> None:
    """Print what two consecutive crawls of the test site request:
    ``PYTHONPATH=. python tests/crawlsite.py`` (figures quoted in notes/readme-crawl.md)."""
    import tempfile

    state = SiteState()
    base, server = serve_site(state)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for run in ("first", "second"):
            state.clear()
            started = time.monotonic()
            result = run_crawl(tmp, "-a", f"url={base}/", feed=f"{run}.jsonl")
            elapsed = time.monotonic() - started
            hits = state.paths()
            articles = [p for p in hits if p in EXPECTED_ARTICLES]
            stats = crawl_stats(result.stderr)
            print(f"{run} run: exit {result.returncode}, {elapsed:.1f} s, {len(hits)} requests, "
                  f"{len(articles)} article pages, {len(read_feed(tmp / f'{run}.jsonl'))} items stored, "
                  f"skipped unchanged={stats.get('newsarchive/skipped/unchanged', 0)} "
                  f"remembered={stats.get('newsarchive/skipped/remembered', 0)}")
    server.shutdown()


if __name__ == "__main__":
    main()
