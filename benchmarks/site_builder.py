"""A large local news site built from the shared corpus, for crawl benchmarks.

The 399 real pages of ``../shared/corpus`` are served under many distinct
article URLs (page ``i`` of the site is corpus page ``i % 399``), listed in a
sitemap index of 1,000-URL sitemaps (every other one gzipped), with a
robots.txt that names the index. Each copy is made its own article: the
page's original address is replaced by the served one wherever it appears
(canonical link, og:url, JSON-LD) and a canonical link to the served URL is
put first in ``<head>``, so a crawl that keys on canonical URLs stores every
copy rather than folding them into 399 rows.

The server is a small asyncio HTTP/1.1 server with keep-alive, run in its own
process so that it never competes with the crawler for the GIL, and so its
memory is not counted as the crawler's. It also answers ``/__stats``
(requests served, article pages served, first and last request times on the
system-wide monotonic clock) and ``/__reset``, which the benchmark uses to
count what each crawl fetched.

Run on its own::

    python benchmarks/site_builder.py --pages 8000 --port 8001
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote, unquote

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SITEMAP_SIZE = 1000
ARTICLE_PREFIX = "/news/"

_CANONICAL = re.compile(rb"<link\b[^>]*\brel\s*=\s*[\"']?canonical[\"']?[^>]*>", re.I)
_OG_URL = re.compile(rb"<meta\b[^>]*\bproperty\s*=\s*[\"']og:url[\"'][^>]*>", re.I)
_HEAD = re.compile(rb"<head\b[^>]*>", re.I)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class CorpusPage:
    slug: str
    original_url: bytes | None
    html: bytes
    head_end: int
    """Offset just after ``<head>`` (0 when the page has none), where the canonical link goes."""


def load_corpus(corpus: Path = CORPUS) -> list[CorpusPage]:
    """The corpus pages, decompressed, with their own canonical links removed."""
    meta: dict[str, str | None] = {}
    with (corpus / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            meta[Path(record["html"]).name] = record.get("url")
    pages = []
    for path in sorted((corpus / "pages").glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes())
        html = _OG_URL.sub(b"", _CANONICAL.sub(b"", html))
        head = _HEAD.search(html)
        original = meta.get(path.name)
        slug = _SLUG.sub("-", path.name.removesuffix(".html.gz").lower()).strip("-")[:60]
        pages.append(CorpusPage(slug, original.encode() if original else None, html,
                                head.end() if head else 0))
    return pages


class BenchSite:
    """``pages`` article URLs over the corpus, with robots.txt and a sitemap index."""

    def __init__(self, pages: int, corpus: list[CorpusPage]) -> None:
        self.pages = pages
        self.corpus = corpus
        # Spread over recent days, newest first, so date-limited crawls include them all.
        self.now = datetime.now(timezone.utc).replace(microsecond=0)

    def path_of(self, index: int) -> str:
        page = self.corpus[index % len(self.corpus)]
        day = self.now - timedelta(minutes=index)
        return f"{ARTICLE_PREFIX}{day:%Y/%m/%d}/{page.slug}-{index}"

    def index_of(self, path: str) -> int | None:
        if not path.startswith(ARTICLE_PREFIX):
            return None
        tail = path.rsplit("-", 1)[-1]
        if not tail.isdigit():
            return None
        index = int(tail)
        if index >= self.pages or self.path_of(index) != path:
            return None
        return index

    def article(self, index: int, base: bytes) -> bytes:
        page = self.corpus[index % len(self.corpus)]
        url = base + quote(self.path_of(index)).encode()
        html = page.html
        if page.original_url:
            html = html.replace(page.original_url, url)
        link = b'<link rel="canonical" href="' + url + b'">'
        return html[: page.head_end] + link + html[page.head_end:]

    def robots(self, base: bytes) -> bytes:
        return b"User-agent: *\nDisallow: /private/\n\nSitemap: " + base + b"/sitemap_index.xml\n"

    def home(self, base: bytes) -> bytes:
        return (b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bench News</title>"
                b"<link rel='canonical' href='" + base + b"/'></head><body><h1>Bench News</h1>"
                b"<p>Every story is in the <a href='/sitemap_index.xml'>sitemap</a>.</p></body></html>")

    def sitemap_count(self) -> int:
        return (self.pages + SITEMAP_SIZE - 1) // SITEMAP_SIZE

    def sitemap_name(self, number: int) -> str:
        return f"/sitemaps/articles-{number}.xml" + (".gz" if number % 2 else "")

    def sitemap_index(self, base: bytes) -> bytes:
        parts = [b'<?xml version="1.0" encoding="UTF-8"?>\n'
                 b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
        for number in range(self.sitemap_count()):
            parts.append(b"<sitemap><loc>" + base + self.sitemap_name(number).encode()
                         + b"</loc><lastmod>" + self.now.isoformat().encode() + b"</lastmod></sitemap>\n")
        parts.append(b"</sitemapindex>\n")
        return b"".join(parts)

    def sitemap(self, number: int, base: bytes) -> bytes:
        parts = [b'<?xml version="1.0" encoding="UTF-8"?>\n'
                 b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
        start = number * SITEMAP_SIZE
        for index in range(start, min(start + SITEMAP_SIZE, self.pages)):
            lastmod = (self.now - timedelta(minutes=index)).isoformat().encode()
            parts.append(b"<url><loc>" + base + quote(self.path_of(index)).encode()
                         + b"</loc><lastmod>" + lastmod + b"</lastmod></url>\n")
        parts.append(b"</urlset>\n")
        body = b"".join(parts)
        return gzip.compress(body, 5) if number % 2 else body

    def respond(self, path: str, base: bytes) -> tuple[int, bytes, bytes]:
        """``(status, content type, body)`` for a request path."""
        index = self.index_of(path)
        if index is not None:
            return 200, b"text/html", self.article(index, base)
        if path == "/robots.txt":
            return 200, b"text/plain; charset=utf-8", self.robots(base)
        if path == "/":
            return 200, b"text/html; charset=utf-8", self.home(base)
        if path == "/sitemap_index.xml":
            return 200, b"application/xml", self.sitemap_index(base)
        for number in range(self.sitemap_count()):
            if path == self.sitemap_name(number):
                kind = b"application/x-gzip" if path.endswith(".gz") else b"application/xml"
                return 200, kind, self.sitemap(number, base)
        return 404, b"text/html", b"<html><body><h1>Not found</h1></body></html>"


class Counters:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.requests = 0
        self.articles = 0
        self.statuses: dict[int, int] = {}
        self.first: float | None = None
        self.last: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {"requests": self.requests, "articles": self.articles, "statuses": self.statuses,
                "first": self.first, "last": self.last}


async def serve(site: BenchSite, host: str, port: int) -> None:
    counters = Counters()
    base_holder: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                request_line, _, rest = head.partition(b"\r\n")
                parts = request_line.split()
                if len(parts) < 2:
                    return
                method, target = parts[0], parts[1].decode("latin-1")
                close = b"connection: close" in rest.lower()
                path = unquote(target.split("?", 1)[0])
                if path == "/__stats":
                    status, kind, body = 200, b"application/json", json.dumps(counters.as_dict()).encode()
                elif path == "/__reset":
                    counters.reset()
                    status, kind, body = 200, b"text/plain", b"ok"
                else:
                    now = time.monotonic()
                    counters.first = counters.first if counters.first is not None else now
                    counters.last = now
                    status, kind, body = site.respond(path, base_holder[0])
                    counters.requests += 1
                    counters.statuses[status] = counters.statuses.get(status, 0) + 1
                    if status == 200 and path.startswith(ARTICLE_PREFIX):
                        counters.articles += 1
                reason = b"OK" if status == 200 else b"Not Found"
                writer.write(
                    b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s\r\n"
                    % (status, reason, kind, len(body), b"Connection: close\r\n" if close else b"")
                )
                if method != b"HEAD":
                    writer.write(body)
                await writer.drain()
                if close:
                    return
        finally:
            writer.close()

    server = await asyncio.start_server(handle, host, port, backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    base_holder.append(f"http://{host}:{bound}".encode())
    print(f"READY http://{host}:{bound}", flush=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=8000, help="article pages on the site")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free one)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the shared corpus folder")
    args = parser.parse_args(argv)
    site = BenchSite(args.pages, load_corpus(args.corpus))
    try:
        asyncio.run(serve(site, "127.0.0.1", args.port))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
