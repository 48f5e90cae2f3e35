"""The Article item: what the archive stores for one news page.

A dataclass rather than a ``scrapy.Item`` so that the same type is used by
the crawl, by ``extract_article`` outside any crawl, and by the database
module, which must not import Scrapy. ``itemadapter`` handles dataclasses,
so feed exports and pipelines treat it like any other item.

Raw values stay beside normalised ones (``published_raw`` next to
``published``) so a user can check what a date was parsed from.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Caption:
    """One image caption found in the article, kept out of the body."""

    text: str
    """The caption text, without the photo credit."""

    credit: str | None = None
    """The photo credit split off the caption ("AFP/Getty Images"), if any."""

    image_url: str | None = None
    """Absolute URL of the image the caption belongs to, if known."""


@dataclass
class DroppedBlock:
    """A block of text the cleaning removed from the body, kept for auditing."""

    rule: str
    """Name of the boilerplate rule that dropped the block (see ``boilerplate.py``)."""

    text: str
    """The text that was dropped, as it stood in the page."""

    stage: str = "clean"
    """Where it was dropped: ``"extract"`` (page markup) or ``"clean"`` (body text)."""


@dataclass
class RawPage:
    """The fetched response, kept so stored pages can be re-extracted later.

    Never exported to feeds: it is only for the archive's raw-page table.
    """

    body: bytes
    """The response body exactly as fetched."""

    headers: dict[str, str] = field(default_factory=dict)
    """Response headers, one value per name (the last one wins)."""

    status: int = 200
    """HTTP status code of the response."""

    redirected_from: tuple[str, ...] = ()
    """The addresses asked for before this one when the request was redirected,
    first first: an archived article that moved is found under its old address."""


@dataclass
class Article:
    """One archived news article.

    Every field is optional except ``url``: extraction fills what the page
    offers, and validation decides whether the item is worth storing.
    """

    url: str
    """The URL the page was fetched from (after redirects)."""

    canonical_url: str | None = None
    """The page's own canonical URL, canonicalised; the archive's unique key."""

    site: str | None = None
    """Short site name: the configured site name, or the host without ``www.``."""

    headline: str | None = None
    """The article's headline as a reader sees it, without the site name."""

    standfirst: str | None = None
    """The subtitle, dek or description under the headline."""

    authors: list[str] = field(default_factory=list)
    """Person names of the authors, one per entry, without "By", roles or agencies."""

    byline: str | None = None
    """The byline as printed on the page."""

    published: str | None = None
    """Publication time, ISO 8601 with a UTC offset (or a bare date if only that is known)."""

    published_raw: str | None = None
    """The string ``published`` was parsed from, as found in the page."""

    modified: str | None = None
    """Last modification time, ISO 8601 with a UTC offset."""

    modified_raw: str | None = None
    """The string ``modified`` was parsed from, as found in the page."""

    section: str | None = None
    """The section or category the site files the article under."""

    tags: list[str] = field(default_factory=list)
    """Keywords and tags the site gives the article."""

    language: str | None = None
    """Language of the article as a BCP 47 tag ("en", "de-DE"), if declared."""

    image_url: str | None = None
    """Absolute URL of the article's lead image."""

    captions: list[Caption] = field(default_factory=list)
    """Image captions with their credits, kept out of ``body``."""

    body: str | None = None
    """The article text: plain text, paragraphs separated by one blank line."""

    word_count: int | None = None
    """Number of words in ``body``."""

    fetched_at: str | None = None
    """When the page was fetched, ISO 8601 in UTC."""

    page_type: str | None = None
    """The schema.org type the page declares ("NewsArticle", "LiveBlogPosting",
    "CollectionPage"...), used by the crawl to tell articles from other pages."""

    dropped: list[DroppedBlock] = field(default_factory=list)
    """Blocks removed as promo, comment or boilerplate, with the rule that removed them.
    Stored in the archive for auditing; not in the default JSONL feed."""

    raw: RawPage | None = None
    """The fetched response, for the archive's raw-page store. Never exported."""


ARTICLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article))

# What feeds export by default: everything a reader of the archive uses.
# ``dropped`` and ``raw`` are internal to the archive.
FEED_FIELDS: tuple[str, ...] = tuple(
    name for name in ARTICLE_FIELDS if name not in {"dropped", "raw"}
)


def article_to_dict(article: Article, *, include_internal: bool = False) -> dict[str, Any]:
    """Plain JSON-ready dict of an article (captions and dropped blocks as dicts)."""
    names = ARTICLE_FIELDS if include_internal else FEED_FIELDS
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(article, name)
        if name == "captions":
            value = [vars(c).copy() for c in value]
        elif name == "dropped":
            value = [vars(d).copy() for d in value]
        elif name == "raw":
            continue
        out[name] = value
    return out
