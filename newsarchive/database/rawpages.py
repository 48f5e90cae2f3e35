"""Compression of stored raw pages.

zstd level 1 when available (it ships with Scrapy as ``backports.zstd``
before Python 3.14): about 0.3 ms and 19 % of the size for a typical 175 KB
news page of the shared corpus, against 1 ms and 22 % for gzip level 1 (level
3 saves one more point of size for a third more time). gzip is the fallback, and both are read back whatever wrote them (the ``compression``
column says which). To inspect a page by hand:
``sqlite3 archive.db "SELECT writefile('p.zst', body) FROM raw_pages WHERE id=1"``
then ``zstd -d p.zst`` (or ``gunzip`` for gzip rows).
"""
from __future__ import annotations

import threading
import zlib

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


def decompress(method: str, data: bytes) -> bytes:
    """The page body as fetched."""
    if method == "zstd":
        if _zstd is None:
            raise RuntimeError("this raw page is zstd-compressed: install backports.zstd")
        return _zstd.decompress(data)
    if method == "gzip":
        return zlib.decompress(data, 47)  # 47 = gzip or zlib header, detected
    if method in ("", "none", "identity"):
        return bytes(data)
    raise ValueError(f"unknown raw page compression {method!r}")
