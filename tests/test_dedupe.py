"""The request fingerprint: canonical URLs, and byte for byte what JOBDIR holds."""
from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.utils.request import fingerprint

from newsarchive.dedupe import CanonicalRequestFingerprinter
from newsarchive.urls import canonicalize_url


def reference(request: Request) -> bytes:
    """The fingerprint as it was first defined (and written to requests.seen):
    Scrapy's fingerprint of a copy of the request with the canonical URL."""
    if request.method in {"GET", "HEAD"} and not request.body:
        canonical = canonicalize_url(request.url)
        if canonical != request.url:
            request = request.replace(url=canonical)
    return fingerprint(request)


URLS = [
    "http://127.0.0.1:8123/news/2024/01/02/some-slug-17",
    "https://example.com/news/story",
    "https://example.com/news/story/",
    "http://www.example.com/a/b/?utm_source=x&id=3#top",
    "https://m.example.com/amp/news/story-1",
    "https://example.com/search?q=a+b&lang=de&q=c",
    "https://example.com/search?q=a%20b&z=%7E&a=%2F",
    "https://example.com/path with spaces/and%20escapes?x=1 2",
    "https://example.com/\u00fcber/\u65b0\u805e?\u00e9t\u00e9=\u00e0#frag",
    "https://xn--bcher-kva.example/b\u00fccher",
    "https://B\u00fccher.example/Path",
    "https://example.com:8443/a//b///c",
    "https://example.com:443/a",
    "http://example.com:80/a?",
    "https://example.com/a;params?x=1",
    "https://example.com/a?b&c=&d=1",
    "https://example.com/%E2%82%AC/%zz",
    "https://example.com/story.amp.html",
    "data:text/html,hello",
    "ftp://example.com/file.txt",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("meta", [None, {"verbatim_url": True}], ids=["plain", "verbatim"])
@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_fingerprint_is_the_reference_byte_for_byte(url: str, method: str, meta: dict | None,
                                                    encoding: str) -> None:
    try:
        request = Request(url, method=method, meta=meta, encoding=encoding)
    except (ValueError, UnicodeEncodeError):
        pytest.skip("not a request Scrapy builds")
    assert CanonicalRequestFingerprinter().fingerprint(request) == reference(request)


def test_requests_with_a_body_or_another_method_are_scrapys() -> None:
    fingerprinter = CanonicalRequestFingerprinter()
    for request in (Request("http://www.example.com/a?utm_source=x", method="POST", body=b"q=1"),
                    Request("http://www.example.com/a?utm_source=x", body=b"x"),
                    Request("http://www.example.com/a?utm_source=x", method="PUT")):
        assert fingerprinter.fingerprint(request) == fingerprint(request) == reference(request)


def test_copies_of_an_article_share_a_fingerprint() -> None:
    fingerprinter = CanonicalRequestFingerprinter()
    prints = {fingerprinter.fingerprint(Request(url)) for url in (
        "http://www.example.com/news/story-1?utm_source=x#comments",
        "https://example.com/news/story-1/",
        "https://m.example.com/amp/news/story-1",
    )}
    assert len(prints) == 1
    assert fingerprinter.fingerprint(Request("https://example.com/news/story-2")) not in prints
