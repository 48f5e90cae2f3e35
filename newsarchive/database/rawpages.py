"""Stored raw pages: how their bodies are packed and read back.

A page is stored as it came over the wire when the server sent it encoded
(``Content-Encoding: gzip``, ``br``, ``deflate``, ``zstd`` or a chain such
as ``gzip, br``; see ``newsarchive.wirebody``): the ``compression`` column
holds that encoding as sent, and ``decompress`` undoes it with the decoders
Scrapy's ``HttpCompressionMiddleware`` used in the crawl, so a reparse reads
exactly the HTML the extractor read. Most news servers encode their pages,
so storing them compresses nothing; a page served without an encoding is compressed
here, with zstd level 1.

zstd level 1 when available (it ships with Scrapy as ``backports.zstd``
before Python 3.14): about 0.3 ms and 19 % of the size for a typical 175 KB
news page of the shared corpus, against 1 ms and 22 % for gzip level 1 (level
3 saves one more point of size for a third more time). gzip is the fallback, and both are read back whatever wrote them (the ``compression``
column says which). To inspect a page by hand:
``sqlite3 archive.db "SELECT writefile('p.zst', body) FROM raw_pages WHERE id=1"``
then ``zstd -d p.zst`` (or ``gunzip`` for gzip rows, ``brotli -d`` for br).
"""
from __future__ import annotations

import threading
import zlib
from collections.abc import Callable

from newsarchive.wirebody import encoding_tokens

try:  # Python 3.14+
    from compression import zstd as _zstd  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the Python version
    try:
        from backports import zstd as _zstd  # type: ignore[import-not-found,no-redef]
    except ImportError:
        _zstd = None

ZSTD_LEVEL = 1
GZIP_LEVEL = 3

# One zstd compressor per thread, reused page after page: ``zstd.compress``
# builds (and frees) a compression context on every call, which cost a tenth
# of the time of compressing a 175 KB page (0.285 -> 0.257 ms; the bytes are
# identical). Each kept compressor holds its context, about 1 MB: the store
# pipeline's two pool threads add 2 MB of peak RSS (benchmarks/storage_bench.py,
# keep_raw=True: +39 -> +41 MB). A compressor is not safe to share between threads.
_compressors = threading.local()


def default_compression() -> str:
    return "zstd" if _zstd is not None else "gzip"


def compress(data: bytes, method: str | None = None) -> tuple[str, bytes]:
    """(method, compressed bytes) of a page body."""
    method = method or default_compression()
    if method == "zstd" and _zstd is not None:
        packer = getattr(_compressors, "zstd", None)
        if packer is None:
            packer = _compressors.zstd = _zstd.ZstdCompressor(ZSTD_LEVEL)
        try:
            # FLUSH_FRAME ends the frame and leaves the compressor ready for the next one.
            return "zstd", packer.compress(data, _zstd.ZstdCompressor.FLUSH_FRAME)
        except BaseException:
            _compressors.zstd = None  # a frame left half-written must not start the next page
            raise
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31 = gzip container
    return "gzip", packer.compress(data) + packer.flush()


def _scrapy_decoders() -> dict[str, Callable[[bytes], bytes]]:
    """Each content coding Scrapy decodes, with the function it decodes it with.

    These are the functions ``HttpCompressionMiddleware._decode`` calls (``gunzip``
    is public, the others are private to Scrapy). Using them, not zlib or
    brotli directly, is what makes a stored wire page read back as the very
    bytes the crawl extracted from: they decide how a truncated stream, a bad
    gzip CRC, several gzip members, or deflate sent raw instead of with its
    zlib header (which servers do) come out. ``tests/test_wire_pages.py``
    checks them against the middleware itself, so a Scrapy release that moves
    or changes them fails the tests rather than a reparse.
    """
    from scrapy.utils._compression import _inflate, _unbrotli, _unzstd
    from scrapy.utils.gz import gunzip

    return {"gzip": gunzip, "x-gzip": gunzip, "deflate": _inflate, "br": _unbrotli,
            "zstd": _unzstd}


_decoders: dict[str, Callable[[bytes], bytes]] = {}


def decompress(method: str, data: bytes) -> bytes:
    """The page body as extraction read it.

    ``method`` is the ``compression`` column: ``zstd`` or ``gzip`` when this
    archive compressed the page, else the ``Content-Encoding`` the server sent
    it with (codings in the order applied, so they are undone last first, as
    Scrapy does). Our own zstd and gzip frames are plain ones, which Scrapy's
    decoders read exactly as the standard library does.
    """
    if method == "zstd":
        # Our own pages nearly always: the one-call decoder, unless it fails
        # (a wire page Scrapy read truncated), when Scrapy's reads what it can.
        if _zstd is None:
            raise RuntimeError("this raw page is zstd-compressed: install backports.zstd")
        try:
            return _zstd.decompress(data)
        except _zstd.ZstdError:
            pass
    tokens = encoding_tokens(method)
    if not tokens or tokens in (["none"], ["identity"]):
        return bytes(data)
    if not _decoders:
        _decoders.update(_scrapy_decoders())
    body = bytes(data)
    for token in reversed(tokens):
        if token == "identity":
            continue
        decoder = _decoders.get(token)
        if decoder is None:
            raise ValueError(f"unknown raw page compression {method!r}")
        body = decoder(body)
    return body
