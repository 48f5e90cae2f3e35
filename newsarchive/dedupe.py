"""One request fingerprint per article, however its URL was written.

Scrapy's duplicate filter (and JOBDIR's ``requests.seen``) keys requests by
fingerprint. Fingerprinting the canonical URL instead of the literal one means
``?utm_source=...``, ``#comments``, ``/amp/``, ``m.``, ``www.`` and
http/https copies of a page are fetched once per run, and a resumed run
recognises them too.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from scrapy.utils.request import RequestFingerprinter
from w3lib.url import canonicalize_url as w3lib_canonicalize_url
from w3lib.url import safe_url_string

from newsarchive.urls import canonicalize_url

if TYPE_CHECKING:
    from scrapy.http import Request


class CanonicalRequestFingerprinter(RequestFingerprinter):
    """Scrapy's fingerprinter over the canonical URL of body-less GET requests.

    The fingerprint is the one Scrapy's ``fingerprint()`` gives a copy of
    the request carrying the canonical URL: JOBDIR's ``requests.seen`` holds
    these, so a resumed crawl must compute them byte for byte as before
    (tests/test_dedupe.py compares the two). It is built here without the
    copy (``Request.replace`` builds a whole request, headers and meta
    included) and without the sorted dict Scrapy serialises: for a body-less
    request without headers in the key that JSON is a fixed text around the
    method and the URL. About 80 -> 30 us a request.
    """

    def fingerprint(self, request: Request) -> bytes:
        if request.method in {"GET", "HEAD"} and not request.body:
            verbatim = bool(request.meta.get("verbatim_url"))
            url = request.url
            canonical = canonicalize_url(url)
            if canonical != url:
                # What the copy's URL would be: Request makes it safe unless verbatim.
                url = canonical if verbatim else safe_url_string(canonical, request.encoding)
            if not verbatim:
                url = w3lib_canonicalize_url(url)
            # json.dumps(..., sort_keys=True) of Scrapy's fingerprint_data with
            # an empty body and no headers: keys in this order, ", " and ": ".
            text = (f'{{"body": "", "headers": {{}}, "method": {json.dumps(request.method)}, '
                    f'"url": {json.dumps(url)}}}')
            return hashlib.sha1(text.encode()).digest()  # noqa: S324 (Scrapy's own hash)
        return super().fingerprint(request)
