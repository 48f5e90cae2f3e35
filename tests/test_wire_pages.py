"""Raw pages stored as the server sent them (newsarchive/wirebody.py).

Unit tests of the two middlewares and of the decoder dispatch (checked
against Scrapy's own HttpCompressionMiddleware on the same bytes), and a
real crawl of a 127.0.0.1 site that sends its pages gzip, br, deflate
(zlib and raw), zstd, chained and plain, after which each stored page is the
served bytes and reads back as the HTML the crawl extracted from.
"""
from __future__ import annotations

import gzip
import hashlib
import http.server
import os
import sqlite3
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import brotli
import pytest
from backports import zstd
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from newsarchive.database import Archive
from newsarchive.database.rawpages import compress, decompress
from newsarchive.items import Article, RawPage
from newsarchive.wirebody import (
    META_KEY,
    EncodedRawPage,
    WireBodyMiddleware,
    WireBodySpiderMiddleware,
)

REPO = Path(__file__).resolve().parents[1]
HTML = ("<!DOCTYPE html><html><head><title>Harbour bridge reopens</title></head><body><article>"
        "<h1>Harbour bridge reopens</h1>"
        # Varied text (hashes), so a stream cut in the middle still holds some of it.
        + "".join(f"<p>Paragraph {i}: the bridge reopened to traffic on Monday after "
                  f"repairs costing {hashlib.sha1(str(i).encode()).hexdigest()}.</p>"
                  for i in range(400))
        + "</article></body></html>").encode()


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


# Content-Encoding as a server sends it -> how the server encodes the body.
ENCODERS = {
    "gzip": lambda b: gzip.compress(b, 6),
    "x-gzip": lambda b: gzip.compress(b, 6),
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": zstd.compress,
    "gzip, br": lambda b: brotli.compress(gzip.compress(b)),
    "br, gzip": lambda b: gzip.compress(brotli.compress(b)),
}


def _encode(encoding: str, body: bytes) -> bytes:
    return ENCODERS[encoding](body)


def _crawler(**settings: object):
    return get_crawler(Spider, {"NEWSARCHIVE_DB_URL": "sqlite:///unused.db", **settings})


def _scrapy_decoded(body: bytes, encoding: str) -> bytes:
    """What Scrapy's HttpCompressionMiddleware makes of a response."""
    from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware

    middleware = HttpCompressionMiddleware.from_crawler(_crawler())
    request = Request("http://127.0.0.1/a")
    response = Response(request.url, body=body, headers={"Content-Encoding": encoding},
                        request=request)
    decoded = middleware.process_response(request, response)
    assert b"Content-Encoding" not in decoded.headers
    return decoded.body


# --- the decoder dispatch ------------------------------------------------------


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
def test_decompress_reads_each_coding_as_scrapy_decoded_it(encoding: str) -> None:
    encoded = _encode(encoding, HTML)
    assert decompress(encoding, encoded) == HTML == _scrapy_decoded(encoded, encoding)


def test_decompress_reads_raw_deflate_as_scrapy_does() -> None:
    # Some servers send deflate without its zlib header: both readings agree.
    encoded = _raw_deflate(HTML)
    assert decompress("deflate", encoded) == HTML == _scrapy_decoded(encoded, "deflate")


def test_decompress_reads_damaged_streams_as_scrapy_does() -> None:
    # A gzip stream cut short and a zstd frame cut short: Scrapy keeps what it
    # could decode (of the zstd frame, nothing), and a stored page must read
    # back as exactly that. (The crawl stores neither as sent: wirebody's checks.)
    for encoding in ("gzip", "zstd"):
        encoded = _encode(encoding, HTML)
        cut = encoded[: len(encoded) // 2]
        scrapy_body = _scrapy_decoded(cut, encoding)
        assert len(scrapy_body) < len(HTML)
        assert decompress(encoding, cut) == scrapy_body
    assert len(_scrapy_decoded(gzip.compress(HTML)[:5000], "gzip")) > 0


def test_decompress_of_our_own_compression_and_plain_pages() -> None:
    for method in ("zstd", "gzip"):
        name, packed = compress(HTML, method)
        assert name == method and decompress(name, packed) == HTML
    for plain in ("", "identity", "none", "Identity"):
        assert decompress(plain, HTML) == HTML
    assert decompress("GZIP , identity", gzip.compress(HTML)) == HTML


def test_decompress_refuses_an_unknown_coding() -> None:
    with pytest.raises(ValueError, match="compress"):
        decompress("compress", b"x")
    with pytest.raises(ValueError, match="unknown raw page compression"):
        decompress("gzip, sdch", b"x")


# --- the middlewares -------------------------------------------------------------


def _fetch(body: bytes, *, encoding: str | None, method: str = "GET", status: int = 200,
           flags: list[str] | None = None) -> tuple[Request, Response]:
    """A response through WireBodyMiddleware and then HttpCompressionMiddleware,
    in the order Scrapy calls their process_response (595, then 590)."""
    from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware

    crawler = _crawler()
    request = Request("http://127.0.0.1/news/story.html", method=method)
    headers = {"Content-Type": "text/html; charset=utf-8"}
    if encoding:
        headers["Content-Encoding"] = encoding
    response: Response = HtmlResponse(request.url, body=body, headers=headers, status=status,
                                      request=request, flags=flags)
    response = WireBodyMiddleware.from_crawler(crawler).process_response(request, response)
    response = HttpCompressionMiddleware.from_crawler(crawler).process_response(request, response)
    return request, response


def _article_from(response: Response) -> Article:
    """What the spider yields for a page: its raw page is the response's body itself."""
    return Article(url=response.url, raw=RawPage(body=response.body, status=response.status))


def _through_spider_middleware(response: Response, items: list[object]) -> list[object]:
    return list(WireBodySpiderMiddleware.from_crawler(_crawler()).process_spider_output(
        response, iter(items)))


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd", "deflate", "gzip, br"])
def test_an_encoded_page_keeps_its_body_as_sent(encoding: str) -> None:
    encoded = _encode(encoding, HTML)
    request, response = _fetch(encoded, encoding=encoding)
    assert response.body == HTML
    article = _article_from(response)
    other = Article(url="http://127.0.0.1/other", raw=RawPage(body=bytes(bytearray(HTML))))
    (out, out_other, out_request) = _through_spider_middleware(
        response, [article, other, Request("http://127.0.0.1/next")])
    assert isinstance(out.raw, EncodedRawPage)
    assert out.raw.encoded is encoded and out.raw.encoding == encoding
    assert out.raw.body is response.body and out.raw.status == 200
    # An item whose raw page is not this response's body gets nothing.
    assert type(out_other.raw) is RawPage
    assert isinstance(out_request, Request) and META_KEY not in out_request.meta
    # Taken once: the reference goes with the article, not the request.
    assert META_KEY not in request.meta


def test_the_spider_middleware_works_on_async_output() -> None:
    import asyncio

    encoded = gzip.compress(HTML)
    _, response = _fetch(encoded, encoding="gzip")

    async def output():
        yield _article_from(response)

    async def collect() -> list[object]:
        middleware = WireBodySpiderMiddleware.from_crawler(_crawler())
        return [item async for item in middleware.process_spider_output_async(response, output())]

    (article,) = asyncio.run(collect())
    assert isinstance(article.raw, EncodedRawPage) and article.raw.encoded is encoded


@pytest.mark.parametrize("case", ["plain", "head", "404", "dataloss", "unknown coding",
                                  "cut gzip", "gzip members"])
def test_pages_not_kept_as_sent(case: str) -> None:
    encoding: str | None = "gzip"
    body = gzip.compress(HTML)
    kwargs: dict[str, object] = {}
    if case == "plain":
        encoding, body = None, HTML
    elif case == "head":
        kwargs["method"] = "HEAD"
    elif case == "404":
        kwargs["status"] = 404
    elif case == "dataloss":
        kwargs["flags"] = ["dataloss"]
    elif case == "unknown coding":
        encoding = "gzip, sdch"
    elif case == "cut gzip":
        body = body[:-30]  # Scrapy's gunzip reads what it can
    elif case == "gzip members":
        half = len(HTML) // 2
        body = gzip.compress(HTML[:half]) + gzip.compress(HTML[half:])
    request, response = _fetch(body, encoding=encoding, **kwargs)
    (article,) = _through_spider_middleware(response, [_article_from(response)])
    assert type(article.raw) is RawPage
    assert META_KEY not in request.meta


def test_a_new_request_never_carries_an_old_body() -> None:
    # Retries and redirects copy the meta of the request before them.
    request = Request("http://127.0.0.1/a", meta={META_KEY: ("gzip", b"stale")})
    WireBodyMiddleware.from_crawler(_crawler()).process_request(request)
    assert META_KEY not in request.meta


@pytest.mark.parametrize("settings", [{"NEWSARCHIVE_KEEP_RAW": False}, {"NEWSARCHIVE_DB_URL": ""}])
def test_middlewares_stand_aside_without_raw_pages(settings: dict, monkeypatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    for middleware in (WireBodyMiddleware, WireBodySpiderMiddleware):
        with pytest.raises(NotConfigured):
            middleware.from_crawler(_crawler(**settings))


# --- the archive ------------------------------------------------------------------


def test_archive_stores_the_encoded_body_as_it_is(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    encoded = brotli.compress(gzip.compress(HTML))
    pages = [
        EncodedRawPage(body=HTML, headers={"Content-Type": "text/html"}, encoding="gzip, br",
                       encoded=encoded),
        RawPage(body=HTML, headers={"Content-Type": "text/html"}),
    ]
    articles = [Article(url=f"https://example.com/news/{i}", site="example.com",
                        headline=f"Story {i}", body="Some text. " * 30, raw=page)
                for i, page in enumerate(pages)]
    with Archive(url) as archive:
        archive.store_articles(articles)
        stored = {page.url: page.raw.body for _, page in
                  ((p.article_id, p) for p in archive.raw_pages())}
        shown = archive.get_article(1)["raw_pages"]
    assert stored == {a.url: HTML for a in articles}
    assert shown[0]["compression"] == "gzip, br" and shown[0]["size"] == len(HTML)
    assert shown[0]["stored_bytes"] == len(encoded)
    conn = sqlite3.connect(tmp_path / "a.db")
    rows = conn.execute("SELECT compression, body, size FROM raw_pages ORDER BY article_id").fetchall()
    conn.close()
    assert rows[0] == ("gzip, br", encoded, len(HTML))
    assert rows[1][0] == "zstd" and rows[1][2] == len(HTML)


# --- a real crawl -------------------------------------------------------------------

# The codings the site below sends its HTML pages with, in turn ("" = none;
# "deflate raw" is deflate without the zlib header, labelled plain deflate).
SITE_CODINGS = ["gzip", "br", "deflate", "zstd", "gzip, br", "", "deflate raw"]


class EncodingSite:
    """The demo site on 127.0.0.1, its article pages sent with SITE_CODINGS in
    turn and other HTML pages gzip, when the client accepts it; every served
    (path, coding, encoded body, decoded body) is recorded."""

    def __init__(self) -> None:
        from newsarchive.demo.server import SiteServer

        self.files = SiteServer()  # used for its routing and {base} filling only
        # Article pages (not index pages) take the codings in turn, in path order.
        articles = sorted(p for p in self.files.root.rglob("*.html") if p.name != "index.html")
        assert len(articles) >= len(SITE_CODINGS)
        self.codings = {file: SITE_CODINGS[i % len(SITE_CODINGS)] for i, file in enumerate(articles)}
        self.served: dict[str, tuple[str, bytes, bytes]] = {}
        self.lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.files._httpd = self.httpd  # type: ignore[assignment]  # gives it its base_url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return self.files.base_url

    def __enter__(self) -> EncodingSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                file, redirect = site.files.resolve(self.path)
                headers: dict[str, str] = {}
                if redirect is not None:
                    status, body, headers["Location"] = 301, b"", site.base_url + redirect
                elif file is None:
                    status, body = 404, b"not found"
                else:
                    page = site.files.render(file)
                    status, body = 200, page.body
                    headers["Content-Type"] = page.content_type
                    if page.content_type.startswith("text/html"):
                        body = site._encode(self.path, file, body, self.headers.get("Accept-Encoding", ""),
                                            headers)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def _encode(self, path: str, file: Path, html: bytes, accepted: str,
                headers: dict[str, str]) -> bytes:
        coding = self.codings.get(file, "gzip")
        label = "deflate" if coding == "deflate raw" else coding
        if any(token.strip() not in accepted for token in label.split(",") if token.strip()):
            return html  # the client did not ask for it
        body = _raw_deflate(html) if coding == "deflate raw" else _encode(coding, html) if coding else html
        if label:
            headers["Content-Encoding"] = label
        with self.lock:
            self.served[path] = (label, body, html)
        return body


@pytest.mark.slow
def test_crawl_stores_pages_as_sent_and_reparse_reads_them(tmp_path: Path) -> None:
    from newsarchive.demo.run import LOCALHOST_SETTINGS

    db_path = tmp_path / "archive.db"
    db_url = f"sqlite:///{db_path}"
    with EncodingSite() as site:
        command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={site.base_url}/",
                   "-s", "NEWSARCHIVE_EXPORT_DIR=", "-s", f"NEWSARCHIVE_STATE_DIR={tmp_path / 'state'}",
                   "-s", f"LOG_FILE={tmp_path / 'crawl.log'}"]
        for setting, value in LOCALHOST_SETTINGS.items():
            command += ["-s", f"{setting}={value}"]
        env = dict(os.environ, NEWSARCHIVE_DB_URL=db_url)
        env.pop("SCRAPY_SETTINGS_MODULE", None)
        done = subprocess.run(command, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=240, check=False)
        served = dict(site.served)
    log = (tmp_path / "crawl.log").read_text(errors="replace") if (tmp_path / "crawl.log").exists() else ""
    assert done.returncode == 0, log[-3000:] + done.stderr.decode(errors="replace")[-2000:]
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT url, compression, body, size FROM raw_pages").fetchall()
    conn.close()
    assert len(rows) >= len(SITE_CODINGS)
    by_path = {url.removeprefix(site.base_url): (c, body, size) for url, c, body, size in rows}
    seen = set()
    for path, (compression, body, size) in by_path.items():
        label, sent, html = served[path]
        assert size == len(html)
        assert decompress(compression, body) == html
        if label:
            # Stored as it came over the wire, byte for byte.
            assert (compression, body) == (label, sent), path
        else:
            assert compression == "zstd"
        seen.add(label)
    assert seen == {"gzip", "br", "deflate", "zstd", "gzip, br", ""}
    # The extractor, run again on what the archive holds, finds what the crawl found.
    reparse = subprocess.run([sys.executable, "-m", "newsarchive", "reparse", "--dry-run",
                              "--db", db_url], cwd=REPO, env=env, capture_output=True, text=True,
                             timeout=120, check=False)
    assert reparse.returncode == 0, reparse.stderr
    assert reparse.stdout.startswith(f"0 would change, {len(rows)} unchanged"), reparse.stdout
