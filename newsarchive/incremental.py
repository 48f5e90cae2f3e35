"""Incremental re-crawls: fetch an article page only when it may have changed.

The archive knows, for every URL of every stored article, when it was fetched
and with which validators (``Archive.page_states``). Before the spider asks
for an article page, ``IncrementalFilter.decide`` compares that with what
discovery says about the page:

- not in the archive: fetch;
- the sitemap ``lastmod`` / news date / feed date is newer than the archived
  copy: fetch again, conditionally;
- published within the re-check window (``recent``) and last fetched longer
  ago than ``every``: fetch again, conditionally;
- otherwise: skip, counted as ``newsarchive/skipped/unchanged``.

A conditional fetch carries ``If-None-Match`` / ``If-Modified-Since``;
``NotModifiedMiddleware`` turns the server's 304 into a counted skip, so an
unchanged page costs a header exchange and nothing else.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from newsarchive.timespan import parse_instant
from newsarchive.urls import canonicalize_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


CHECKED = "checked"
"""Skip-memory reason for "a conditional fetch said 304 at this time": not a
skip, but the time the re-check window counts from."""


@dataclass(frozen=True)
class Decision:
    """Whether to fetch an article URL, and how."""

    fetch: bool
    reason: str
    """``new``, ``changed``, ``recheck`` (fetch) or ``unchanged`` (skip)."""
    headers: dict[str, str]
    """Conditional-GET headers for a page the archive already has."""


class IncrementalFilter:
    """The archive's page states for the crawled sites, and the fetch decision.

    States are loaded on first use (after the crawl has started), never when
    the object is built, so no connection is opened at import or set-up time.
    """

    def __init__(self, db_url: str | None, *, recent: timedelta, every: timedelta):
        self.db_url = db_url
        self.recent = recent
        self.every = every
        self._states: dict[str, Any] = {}
        self._loaded: set[str | None] = set()

    def is_recent(self, when: datetime, now: datetime, recent: timedelta | None = None) -> bool:
        """Whether ``when`` lies inside the re-check window (a site's ``recent``,
        else the crawl's)."""
        return now - when <= (self.recent if recent is None else recent)

    def load(self, site: str | None) -> int:
        """Read the archive's states for one site; returns how many URLs it knows."""
        if site in self._loaded:
            return 0
        self._loaded.add(site)
        try:
            from newsarchive.database import Archive
        except ImportError as exc:  # storage not installed: every page is new
            logger.warning("incremental crawl off: archive module unavailable (%s)", exc)
            return 0
        try:
            with Archive(self.db_url) as archive:
                states = archive.page_states(site)
        except Exception as exc:  # a broken archive must not stop discovery
            logger.error("incremental crawl off for %s: cannot read the archive: %s", site, exc)
            return 0
        self._states.update(states)
        return len(states)

    def known(self, url: str) -> bool:
        return canonicalize_url(url) in self._states

    def decide(
        self,
        url: str,
        *,
        discovered: datetime | None = None,
        recent: timedelta | None = None,
        every: timedelta | None = None,
        now: datetime | None = None,
        checked: datetime | None = None,
    ) -> Decision:
        """``checked``: when a conditional fetch last answered 304 (the archive's
        fetch time does not move then; the crawl's skip memory keeps it)."""
        state = self._states.get(canonicalize_url(url))
        if state is None:
            return Decision(True, "new", {})
        now = now or datetime.now(timezone.utc)
        fetched = parse_instant(state.fetched_at)
        headers = _conditional_headers(state)
        if fetched is None:
            return Decision(True, "changed", headers)
        if checked is not None and checked > fetched:
            fetched = checked
        archived = max(d for d in (fetched, parse_instant(state.modified)) if d is not None)
        if discovered is not None and discovered > archived:
            return Decision(True, "changed", headers)
        published = parse_instant(state.published) or parse_instant(state.modified)
        every = self.every if every is None else every
        if published is not None and self.is_recent(published, now, recent) and now - fetched >= every:
            return Decision(True, "recheck", headers)
        return Decision(False, "unchanged", {})


def _conditional_headers(state: Any) -> dict[str, str]:
    headers: dict[str, str] = {}
    if getattr(state, "etag", None):
        headers["If-None-Match"] = state.etag
    if getattr(state, "last_modified", None):
        headers["If-Modified-Since"] = state.last_modified
    return headers


class IncrementalMiddleware:
    """Downloader middleware for the two incremental cases the spider cannot see.

    - A 304 to a conditional article fetch is a skip, counted as
      ``newsarchive/skipped/not-modified`` (not an ignored HTTP error).
    - A redirect from a discovered link (a feed's short link, an old address)
      lands on a URL the spider never checked: the spider's
      ``redirect_skip_reason`` decides it before it is fetched, and
      ``note_redirect`` hears of every redirect before RedirectMiddleware
      follows it (this middleware sits above it, at 650).
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_url: str | None = crawler.settings.get("NEWSARCHIVE_DB_URL")
        self.not_modified: list[tuple[str, str]] = []
        """(url, when) of each 304: written to the archive once, at close."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        if not crawler.settings.getbool("NEWSARCHIVE_INCREMENTAL", True):
            raise NotConfigured
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self, spider: Any = None) -> None:
        """Move the archived fetch time of 304'd pages forward, so the archive
        (not only this crawl's skip memory) knows they were checked. A run
        killed before this point loses nothing: the skip memory has them."""
        if not self.not_modified or not self.db_url:
            return
        try:
            from newsarchive.database import Archive

            with Archive(self.db_url) as archive:
                for at in sorted({when for _, when in self.not_modified}):
                    archive.mark_not_modified([u for u, when in self.not_modified if when == at], at=at)
        except Exception as exc:  # bookkeeping: never fail the crawl over it
            logger.error("could not record 304 Not Modified pages in the archive: %s", exc)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if not request.meta.get("redirect_urls") or request.meta.get("na_kind") != "article":
            return None
        decide = getattr(self.crawler.spider, "redirect_skip_reason", None)
        reason = decide(request) if decide is not None else None
        if reason is not None:
            self.stats.inc_value(f"newsarchive/skipped/{reason}")
            raise IgnoreRequest(f"{reason}: {request.url}")
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if 300 <= response.status < 400 and request.meta.get("na_kind") == "article":
            location = response.headers.get(b"Location")
            note = getattr(self.crawler.spider, "note_redirect", None)
            if location and note is not None:
                note(request, urljoin(request.url, location.decode("latin-1").strip()))
        if response.status == 304 and request.meta.get("na_conditional"):
            self.stats.inc_value("newsarchive/skipped/not-modified")
            self.not_modified.append((request.url, _utc_now_second()))
            note = getattr(self.crawler.spider, "remember_skip", None)
            if note is not None:
                note(request.meta.get("na_site", ""), request.url, CHECKED)
            raise IgnoreRequest(f"not modified: {request.url}")
        return response


def _utc_now_second() -> str:
    # Second precision groups a run's 304s into few archive updates.
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
