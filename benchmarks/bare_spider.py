"""Bare Scrapy, fetch only: the benchmark's reference crawl.

Follows the site's robots.txt to its sitemap index and fetches every page
listed, doing nothing with the responses. Run with ``scrapy runspider`` from
a folder without a scrapy.cfg, so that only Scrapy's own defaults (and the
benchmark's ``-s`` overrides) apply.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class BareSpider(SitemapSpider):
    name = "bare"

    def __init__(self, url: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sitemap_urls = [url.rstrip("/") + "/robots.txt"]

    def parse(self, response: Response) -> Iterator[Any]:
        return iter(())
