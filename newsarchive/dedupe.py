"""One request fingerprint per article, however its URL was written.

Scrapy's duplicate filter (and JOBDIR's ``requests.seen``) keys requests by
fingerprint. Fingerprinting the canonical URL instead of the literal one means
``?utm_source=...``, ``#comments``, ``/amp/``, ``m.``, ``www.`` and
http/https copies of a page are fetched once per run, and a resumed run
recognises them too.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.utils.request import RequestFingerprinter

from newsarchive.urls import canonicalize_url

if TYPE_CHECKING:
    from scrapy.http import Request


class CanonicalRequestFingerprinter(RequestFingerprinter):
    """Scrapy's fingerprinter over the canonical URL of body-less GET requests."""

    def fingerprint(self, request: Request) -> bytes:
        if request.method in {"GET", "HEAD"} and not request.body:
            canonical = canonicalize_url(request.url)
            if canonical != request.url:
                request = request.replace(url=canonical)
        return super().fingerprint(request)
