"""One request fingerprint per article, however its URL was written.

Scrapy's duplicate filter (and JOBDIR's ``requests.seen``) keys requests by
fingerprint. Fingerprinting the canonical URL instead of the literal one means
``?utm_source=...``, ``#comments``, ``/amp/``, ``m.``, ``www.`` and
http/https copies of a page are fetched once per run, and a resumed run
recognises them too.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.request import RequestFingerprinter

from newsarchive.urls import canonicalize_url

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Request


class CanonicalRequestFingerprinter(RequestFingerprinter):
    """Scrapy's fingerprinter over the canonical URL of body-less GET requests."""

    def fingerprint(self, request: Request) -> bytes:
        if request.method in {"GET", "HEAD"} and not request.body:
            canonical = canonicalize_url(request.url)
            if canonical != request.url:
                request = request.replace(url=canonical)
        return super().fingerprint(request)


class RedirectAwareDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, telling the spider of each redirect it drops.

    A redirect whose target was already requested never reaches the
    downloader nor any callback or errback: a redirect loop (A -> B -> A, or a
    meta refresh to the page itself) lost the page with only a DEBUG line.
    The spider counts it (``NewsSpider.redirect_filtered``).
    """

    def log(self, request: Request, spider: Spider) -> None:
        super().log(request, spider)
        if request.meta.get("redirect_urls"):
            hook = getattr(spider, "redirect_filtered", None)
            if hook is not None:
                hook(request)
