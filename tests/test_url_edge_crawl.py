"""Addresses a site gets wrong never cost more than themselves: a template
placeholder in a sitemap, feed, page or redirect skips that one link; a cut
sitemap is used for what it holds and read again next run; ``<base href>``
is honoured; an IPv6 literal host can be crawled."""
from __future__ import annotations

import gzip
import http.server
import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crawlsite import crawl_stats, read_feed, run_crawl

PLACEHOLDER = "https://[YOUR-DOMAIN]"
PARAGRAPH = (
    "The harbour board met on Tuesday evening to discuss the long delayed repairs to the "
    "eastern breakwater, which engineers say has been weakened by three winters of storms. "
)


def _article(title: str) -> bytes:
    body = "".join(f"<p>{PARAGRAPH}Point {i} of the report was read aloud.</p>" for i in range(8))
    return (f"<!doctype html><html><head><title>{title}</title>"
            '<meta property="article:published_time" content="2026-12-05T09:00:00Z"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


Routes = Callable[[str, str], "tuple[int, dict[str, str], bytes] | None"]


def _handler(routes: Routes) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            host = self.headers.get("Host", "")
            found = routes(self.path, f"http://{host}")
            status, headers, body = found or (404, {"Content-Type": "text/html"}, b"not found")
            self.send_response(status)
            for key, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(routes: Routes, host: str = "127.0.0.1") -> str:
        server_class = http.server.ThreadingHTTPServer
        if ":" in host:
            server_class = type("V6Server", (server_class,), {"address_family": socket.AF_INET6})
        server = server_class((host, 0), _handler(routes))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        port = server.server_address[1]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _html(text: str) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "text/html; charset=utf-8"}, text.encode()


def _xml(data: bytes, kind: str = "application/xml") -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": kind}, data


def _urlset(base: str, locs: list[str]) -> bytes:
    return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{loc}</loc><lastmod>2026-11-20</lastmod></url>" for loc in locs)
            + "</urlset>").encode()


def _stored(tmp_path: Path) -> set[str]:
    return {row["url"].rsplit("/", 1)[-1] for row in read_feed(tmp_path / "articles.jsonl")}


def test_a_placeholder_address_skips_one_link_not_its_document(tmp_path: Path, serve) -> None:
    def routes(path: str, base: str) -> tuple[int, dict[str, str], bytes] | None:
        if path == "/robots.txt":
            return _xml(f"User-agent: *\nSitemap: {PLACEHOLDER}/sitemap.xml\nSitemap: {base}/sitemap.xml\n"
                        .encode(), "text/plain")
        if path == "/sitemap.xml":
            return _xml(_urlset(base, [f"{base}/news/2026/12/05/sitemap-first",
                                       f"{PLACEHOLDER}/news/2026/12/05/template",
                                       f"{base}/news/2026/12/05/sitemap-last"]))
        if path == "/rss.xml":
            items = [f"{base}/news/2026/12/05/feed-first", f"{PLACEHOLDER}/news/x",
                     f"{base}/news/2026/12/05/feed-last"]
            return _xml(('<rss version="2.0"><channel>'
                         + "".join(f"<item><link>{link}</link></item>" for link in items)
                         + "</channel></rss>").encode(), "application/rss+xml")
        if path == "/":
            return _html(
                '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>'
                '<a href="/news/2026/12/05/home-first">a</a>'
                f'<a href="{PLACEHOLDER}/about">about</a><a href="http://[127.0.0.1]/x">x</a>'
                '<a href="/news/2026/12/05/moved-away">m</a>'
                '<a href="/news/2026/12/05/home-last">b</a></body></html>')
        if path == "/news/2026/12/05/moved-away":
            return 301, {"Location": f"{PLACEHOLDER}/news/2026/12/05/moved-away"}, b""
        if path.startswith("/news/"):
            return _html(_article("Story " + path.rsplit("/", 1)[1]).decode())
        return None

    base = serve(routes)
    result = run_crawl(tmp_path, "-a", f"url={base}/")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert _stored(tmp_path) == {"sitemap-first", "sitemap-last", "feed-first", "feed-last",
                                 "home-first", "home-last"}
    stats = crawl_stats(result.stderr)
    assert stats["newsarchive/discovered/urlset_entries"] == 2
    assert stats["newsarchive/discovered/feed_entries"] == 2
    # The redirect to a placeholder is one failed article, counted.
    assert stats.get("newsarchive/failed/article", 0) == 1


def test_listing_links_resolve_against_base_href(tmp_path: Path, serve) -> None:
    def routes(path: str, base: str) -> tuple[int, dict[str, str], bytes] | None:
        if path == "/robots.txt":
            return _xml(b"User-agent: *\n", "text/plain")
        if path == "/":
            return _html(f'<html><head><base href="{base}/sub/"></head><body>'
                         '<a href="2026/12/05/based-story">s</a></body></html>')
        if path == "/sub/2026/12/05/based-story":
            return _html(_article("A story under the base").decode())
        return None

    base = serve(routes)
    result = run_crawl(tmp_path, "-a", f"url={base}/")
    assert result.returncode == 0, result.stderr[-3000:]
    assert [row["url"] for row in read_feed(tmp_path / "articles.jsonl")] == [
        f"{base}/sub/2026/12/05/based-story"]


def test_a_cut_sitemap_is_counted_used_and_read_again(tmp_path: Path, serve) -> None:
    xml = _urlset("", [f"/news/2026/11/story-number-{i}" for i in range(60)])
    cut = gzip.compress(xml)
    cut = cut[:len(cut) * 2 // 3]

    def routes(path: str, base: str) -> tuple[int, dict[str, str], bytes] | None:
        if path == "/robots.txt":
            return _xml(f"User-agent: *\nSitemap: {base}/index.xml\n".encode(), "text/plain")
        if path == "/index.xml":
            return _xml(('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                         f"<sitemap><loc>{base}/2026-11.xml.gz</loc><lastmod>2026-11-30T23:00:00Z</lastmod>"
                         "</sitemap></sitemapindex>").encode())
        if path == "/2026-11.xml.gz":
            return _xml(cut, "application/x-gzip")
        if path.startswith("/news/"):
            if not path.rsplit("-", 1)[1].isdigit():
                return None
            return _html(_article("Story " + path.rsplit("/", 1)[1]).decode())
        return _html("<html><body>home</body></html>")

    base = serve(routes)
    first = run_crawl(tmp_path, "-a", f"url={base}/")
    assert first.returncode == 0, first.stderr[-3000:]
    stats = crawl_stats(first.stderr)
    assert stats["newsarchive/failed/sitemap-truncated"] == 1
    assert first.stderr.count("is cut short") == 1
    entries = stats["newsarchive/discovered/urlset_entries"]
    assert 0 < entries < 60
    # Only complete addresses were requested: no 404 for a half-written one.
    assert "failed/article" not in json.dumps(stats)
    assert len(_stored(tmp_path)) == entries
    state = "".join(p.read_text() for p in (tmp_path / "state").rglob("*.json"))
    assert "sitemap-read" not in state

    again = run_crawl(tmp_path, "-a", f"url={base}/", feed="again.jsonl")
    stats = crawl_stats(again.stderr)
    assert "newsarchive/skipped/sitemap-unchanged" not in stats
    assert stats["newsarchive/failed/sitemap-truncated"] == 1


def _ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback here")
def test_an_ipv6_literal_host_is_crawled(tmp_path: Path, serve) -> None:
    def routes(path: str, base: str) -> tuple[int, dict[str, str], bytes] | None:
        if path == "/robots.txt":
            return _xml(b"User-agent: *\n", "text/plain")
        if path == "/":
            return _html('<html><body><a href="/news/2026/12/05/six-story">s</a></body></html>')
        if path == "/news/2026/12/05/six-story":
            return _html(_article("A story over IPv6").decode())
        return None

    base = serve(routes, host="::1")
    result = run_crawl(tmp_path, "-a", f"url={base}/")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert [row["url"] for row in read_feed(tmp_path / "articles.jsonl")] == [
        f"{base}/news/2026/12/05/six-story"]
