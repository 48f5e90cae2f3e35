"""Keep each page's body as the server sent it, so the archive stores it as it is.

Nearly every news server sends its HTML ``Content-Encoding: gzip`` (or
``br``, ``zstd``, ``deflate``). Scrapy's ``HttpCompressionMiddleware`` (590)
decodes it for extraction; the archive used to compress the decoded page
again (zstd level 1, about a third of a millisecond of CPU per article, the
largest single cost of storing). Keeping the bytes that came over the wire
instead costs nothing but holding a reference to them.

Two small middlewares, since the store pipeline never sees a response:

- ``WireBodyMiddleware`` (downloader, 595): its ``process_response`` runs just
  before Scrapy's decoding, sees the encoded body and keeps a reference to it
  and its ``Content-Encoding`` in ``request.meta["na_wire_body"]`` (which is
  the decoded response's ``meta`` too).
- ``WireBodySpiderMiddleware`` (spider): where the response and the items it
  gave meet. An article whose raw page is that response's body gets an
  ``EncodedRawPage`` carrying the encoded bytes, which ``Archive`` stores
  with ``compression`` = the encoding instead of compressing the page.

A page is kept as it came only when reading it back is certain to give the
body extraction read: a 2xx response (not to a HEAD), every coding one Scrapy
decodes (so none is left on the decoded response), no ``dataloss`` flag
(a body cut short, with ``DOWNLOAD_FAIL_ON_DATALOSS`` off), and for gzip a
trailer whose length matches the decoded body (a stream cut short or of
several members is otherwise read by Scrapy's lenient ``gunzip``, so the
check is cheap insurance). Otherwise the decoded body is compressed as before.
This assumes what Scrapy decoded reaches the spider unchanged: no downloader
middleware below 590 rewrites a body (none in this project does; one that did
would have to drop ``META_KEY``).
Reading back uses Scrapy's own decoders (``newsarchive.database.rawpages``).

Both stand aside (``NotConfigured``) when the crawl keeps no raw pages (no
archive, or ``NEWSARCHIVE_KEEP_RAW`` off), so nothing is then held.

Memory: the encoded body lives as long as its response (a reference, not a
copy: it is what the server sent, about a fifth of the HTML), and from the
article to the store pipeline in place of the compressed copy the pipeline
used to make.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsarchive.items import Article, RawPage

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

META_KEY = "na_wire_body"
# The content codings Scrapy's HttpCompressionMiddleware decodes (its
# ACCEPTED_ENCODINGS and x-gzip), the only ones a page is stored in as it came.
WIRE_ENCODINGS = frozenset(("gzip", "x-gzip", "deflate", "br", "zstd"))


@dataclass
class EncodedRawPage(RawPage):
    """A fetched page that also keeps its body as the server sent it.

    ``body`` is the decoded page (what extraction read); ``encoded`` is the
    same page with ``encoding`` (its ``Content-Encoding``, e.g. ``"gzip"`` or
    ``"gzip, br"``) still applied, which the archive stores as it is.
    """

    encoding: str = ""
    encoded: bytes = b""


def encoding_tokens(value: str) -> list[str]:
    """The codings of a ``Content-Encoding`` value (or a ``compression`` column),
    lower case, in the order they were applied."""
    return [token.strip().lower() for token in value.split(",") if token.strip()]


def keeping_raw_pages(crawler: Crawler) -> bool:
    """Whether the crawl stores raw pages (as ``StorePipeline.from_crawler`` decides)."""
    # Imported here: the database package imports this module (EncodedRawPage).
    from newsarchive.database.engine import crawl_archive_url

    settings = crawler.settings
    return (crawl_archive_url(settings.get("NEWSARCHIVE_DB_URL")) is not None
            and settings.getbool("NEWSARCHIVE_KEEP_RAW", True))


def wire_encoding(headers: Any) -> str | None:
    """The ``Content-Encoding`` of ``headers`` as a ``compression`` value
    (``"gzip"``, ``"gzip, br"``), or None when there is none or Scrapy would
    leave one of its codings undecoded."""
    values = headers.getlist(b"Content-Encoding")
    if not values:
        return None
    tokens = encoding_tokens(", ".join(v.decode("latin-1") for v in values))
    if not tokens or any(token not in WIRE_ENCODINGS for token in tokens):
        return None
    return ", ".join(tokens)


def _stand_aside_without_raw_pages(crawler: Crawler) -> None:
    from scrapy.exceptions import NotConfigured

    if not keeping_raw_pages(crawler):
        raise NotConfigured("raw pages are not stored")


class WireBodyMiddleware:
    """Downloader middleware, just outside ``HttpCompressionMiddleware``: see the module."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WireBodyMiddleware:
        _stand_aside_without_raw_pages(crawler)
        return cls()

    def process_request(self, request: Request) -> None:
        # A retried or redirected request copies the meta of the one before:
        # what that response kept must never stand for this one's body.
        request.meta.pop(META_KEY, None)

    def process_response(self, request: Request, response: Response) -> Response:
        request.meta.pop(META_KEY, None)
        if (request.method != "HEAD" and 200 <= response.status < 300 and response.body
                and "dataloss" not in response.flags):
            encoding = wire_encoding(response.headers)
            if encoding is not None:
                request.meta[META_KEY] = (encoding, response.body)
        return response


class WireBodySpiderMiddleware:
    """Spider middleware: hands the kept encoded body to the article made from it."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WireBodySpiderMiddleware:
        _stand_aside_without_raw_pages(crawler)
        return cls()

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        wire = _take(response)
        for item in result:
            yield _attach(item, response, wire)

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        wire = _take(response)
        async for item in result:
            yield _attach(item, response, wire)


def _take(response: Response) -> tuple[str, bytes] | None:
    try:
        meta = response.meta
    except AttributeError:  # a response without a request (built by hand)
        return None
    wire = meta.pop(META_KEY, None)
    if wire is None or response.headers.get(b"Content-Encoding"):
        return None  # not decoded (HEAD, or HttpCompressionMiddleware off) or not fully
    encoding, encoded = wire
    if encoding in ("gzip", "x-gzip") and not _gzip_trailer_matches(encoded, len(response.body)):
        return None
    return wire


def _gzip_trailer_matches(encoded: bytes, size: int) -> bool:
    """Whether a gzip stream ends with the length of ``size`` bytes (RFC 1952
    ISIZE, modulo 2**32): false for a stream cut short or of several members,
    which Scrapy's lenient ``gunzip`` decodes only so far or whole."""
    return len(encoded) >= 18 and int.from_bytes(encoded[-4:], "little") == size & 0xFFFFFFFF


def _attach(item: Any, response: Response, wire: tuple[str, bytes] | None) -> Any:
    if wire is None or not isinstance(item, Article):
        return item
    raw = item.raw
    # The raw page must be this response's decoded body itself.
    if type(raw) is RawPage and raw.body is response.body:
        item.raw = EncodedRawPage(body=raw.body, headers=raw.headers, status=raw.status,
                                  redirected_from=raw.redirected_from, encoding=wire[0], encoded=wire[1])
    return item
