"""Scrapy's meta-refresh redirects, without decoding pages that cannot hold one.

Scrapy's ``MetaRefreshMiddleware`` reads ``response.text[:4096]`` of every
HTML response, and ``response.text`` decodes the whole body (twice for a page
that declares no charset: once to guess it). Nothing else in the news crawl
reads ``response.text``: extraction decodes the bytes itself. So on a crawl
of news pages Scrapy's check cost a full decode of every page, about a tenth
of the CPU the crawl spent outside extraction and storage.

A refresh is only recognised in a ``<meta>`` tag whose attributes contain
``refresh`` in the first 4,096 characters (w3lib's rule). In an encoding
where ASCII characters are their own bytes and no byte can vanish between two
of them, that text cannot be there unless the bytes ``refresh`` (any case)
are in the first 4 x 4,096 bytes, so a page without them is handed on at
once. Everything else (the bytes are there, the encoding is not known
without decoding, or it is not such an encoding) goes to Scrapy's own check,
so which pages redirect is unchanged.
"""
from __future__ import annotations

import codecs
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse

if TYPE_CHECKING:
    from scrapy.http import Request, Response

# Scrapy looks at response.text[0:4096]; no encoding with ASCII-compatible
# bytes takes more than 4 bytes a character (UTF-8, GB18030), plus a BOM.
SCANNED_CHARACTERS = 4096
SCANNED_BYTES = 4 * SCANNED_CHARACTERS + 4

_ASCII = bytes(range(128))
_ASCII_TEXT = _ASCII.decode("ascii")
# Bytes an encoding can drop while decoding, so that "ref" ESC ( B "resh"
# reads "refresh" under ISO-2022-JP: SO, SI and a redundant switch to ASCII.
_DROPPED = (b"\x1b(B", b"\x0e", b"\x0f")


@lru_cache(maxsize=64)
def bytes_show_ascii(encoding: str) -> bool:
    """Whether ASCII text in a document of ``encoding`` is always the same
    ASCII bytes, so that text the bytes lack is text the page lacks."""
    try:
        if _ASCII.decode(encoding, "replace") != _ASCII_TEXT:
            return False
        return all((b"a" + dropped + b"b").decode(encoding, "replace") != "ab" for dropped in _DROPPED)
    except (LookupError, ValueError):
        return False


def page_encoding(response: HtmlResponse) -> str | None:
    """The encoding Scrapy will decode ``response`` with, when that is known
    without decoding the body; None when it is not."""
    declared = getattr(response, "_declared_encoding", None)
    if declared is None:  # another Scrapy: ask it the slow way
        return None
    encoding = declared()
    if encoding:
        return encoding
    # Nothing declared: Scrapy takes ASCII, then UTF-8, if the bytes decode
    # as such, and otherwise guesses (which needs the decode we avoid).
    body = response.body
    if body.isascii():
        return "ascii"
    try:
        codecs.utf_8_decode(body, "strict", True)
    except UnicodeDecodeError:
        return None
    return "utf-8"


def may_refresh(response: HtmlResponse) -> bool:
    """False when the page certainly has no meta refresh Scrapy would follow."""
    head = response.body[:SCANNED_BYTES]
    if b"refresh" in head.lower():
        return True
    encoding = page_encoding(response)
    return encoding is None or not bytes_show_ascii(encoding)


class LazyMetaRefreshMiddleware(MetaRefreshMiddleware):
    """``MetaRefreshMiddleware`` that skips pages with no ``refresh`` in their bytes.

    Replaces Scrapy's (same order, 580; same ``METAREFRESH_*`` settings).
    """

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        if isinstance(response, HtmlResponse) and not may_refresh(response):
            return response
        return super().process_response(request, response)
