"""newsarchive: a clean, queryable archive of news sites, built on Scrapy."""
from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from newsarchive.items import Article

__all__ = ["extract_article", "__version__"]


def extract_article(html: bytes | str, url: str, **kwargs) -> "Article":
    """Extract and clean one page: exactly the item a crawl would store.

    Imported lazily so that ``import newsarchive`` stays cheap for the CLI.
    See ``newsarchive.extraction.page.extract_article`` for the options.
    """
    from newsarchive.extraction.page import extract_article as _extract

    return _extract(html, url, **kwargs)
