"""Scrapy with trafilatura in the callback: a further reference for the crawl
benchmark (what a user gets by bolting an extractor onto a bare spider).

Same discovery as bare_spider.py; each page goes through
``trafilatura.extract`` with metadata, and the result is yielded as an item
(the benchmark writes them to a JSONL feed, as the full crawl does).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import trafilatura
from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class TrafilaturaSpider(SitemapSpider):
    name = "trafilatura"

    def __init__(self, url: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sitemap_urls = [url.rstrip("/") + "/robots.txt"]

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        extracted = trafilatura.extract(
            response.body, url=response.url, output_format="json", with_metadata=True
        )
        if extracted:
            yield json.loads(extracted)
