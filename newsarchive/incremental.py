"""Incremental re-crawls: fetch an article page only when it may have changed.

The archive knows, for every URL of every stored article, when it was fetched
and with which validators (``Archive.page_states_for``). Before the spider asks
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
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
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
    url: str | None = None
    """The address to ask for a page the archive already has: the one its
    article was last fetched from, when it is the same page (same key)."""


# Page states the filter keeps at most (hits and misses alike), least
# recently used first out. An hourly run meets a few thousand article URLs (a
# site's young sitemaps, feeds and first section pages), most of them more
# than once (a feed and a sitemap list the same story): 20,000 holds a whole
# such run, for about 11 MB at most (some 550 bytes a state), whatever the
# size of the archive. A first crawl's big sitemaps are looked up in slices
# (PREFETCH_BATCH), so they need no more.
STATE_CACHE_SIZE = 20_000
# URLs looked up in one go by ``prefetch``'s callers: well under the cache's
# size, so a slice is still cached when its URLs are decided, and under
# ``canonicalize_url``'s own cache (512), so the keys prefetch computes are
# still there when the same URLs are decided: with slices of 2,000 every URL
# was canonicalised twice from scratch (33 against 22 us a URL in a loop of
# prefetch and decide over 10,000 URLs).
PREFETCH_BATCH = 400


class IncrementalFilter:
    """The archive's page states for the crawled sites, and the fetch decision.

    States are looked up as discovery meets URLs (``prefetch`` for a batch,
    else one by one), and a bounded cache keeps the recent ones: a run's
    memory does not grow with the archive. The archive is opened on first use
    (after the crawl has started), never when the object is built, so no
    connection is opened at import or set-up time; ``close`` closes it.

    Decisions are those of the archive as it was when the run began: the
    state of a URL the run fetches (or stores, ``hold``) is kept for the rest
    of the run, so the run's own stores never make its pages look archived.

    ``source``: keys -> the states found (for tests); the archive by default.
    """

    def __init__(self, db_url: str | None, *, recent: timedelta, every: timedelta,
                 source: Callable[[list[str]], Mapping[str, Any]] | None = None):
        self.db_url = db_url
        self.recent = recent
        self.every = every
        self._source = source or self._from_archive
        self._reads_archive = source is None
        self._sites: set[str | None] = set()
        self._cache: OrderedDict[str, Any] = OrderedDict()
        # Held out of the cache's eviction: pre-run states of the pages this
        # run fetches, as many as the run fetches (see the class docstring).
        self._held: dict[str, Any] = {}
        self._archive: Any = None
        self._off = False
        self.queries = 0
        """Lookups sent to the source (what the cache saves)."""

    @property
    def cached(self) -> int:
        return len(self._cache)

    def is_recent(self, when: datetime, now: datetime, recent: timedelta | None = None) -> bool:
        """Whether ``when`` lies inside the re-check window (a site's ``recent``,
        else the crawl's).

        The window reaches as far ahead as back: a date some hours ahead (a
        zone read wrong) is recent, but one years ahead (a typed year) would
        have kept its page "recent", re-checked every ``every``, for years."""
        window = self.recent if recent is None else recent
        return -window <= now - when <= window

    def recheck_due(self, published: datetime, answered: datetime, now: datetime,
                    recent: timedelta | None = None, every: timedelta | None = None) -> bool:
        """Whether a page dated ``published`` whose last answer came at
        ``answered`` is to be asked again: it is inside the re-check window and
        ``every`` (a site's, else the crawl's) has passed since that answer."""
        every = self.every if every is None else every
        return self.is_recent(published, now, recent) and now - answered >= every

    def load(self, site: str | None) -> int:
        """Take ``site``'s archived pages into account (None: every site's);
        returns how many URLs the archive knows of it, counted, not read."""
        if site in self._sites:
            return 0
        self._sites.add(site)
        # Misses looked up before were misses among the other sites only.
        self._cache.clear()
        archive = self._open() if self._reads_archive else None
        if archive is None:
            return 0
        try:
            return archive.count_page_states([site])
        except Exception as exc:  # a broken archive must not stop discovery
            self._turn_off(exc)
            return 0

    def close(self) -> None:
        """Close the archive (the crawl is over)."""
        archive, self._archive = self._archive, None
        if archive is not None:
            archive.close()

    def prefetch(self, urls: Iterable[str]) -> None:
        """Look up, in one go, those of ``urls`` neither cached nor held."""
        keys = {canonicalize_url(url) for url in urls}
        self._fetch([key for key in keys if key not in self._held and key not in self._cache])

    def hold(self, *urls: str | None) -> None:
        """Keep the archive's pre-run state of ``urls`` for the rest of the run:
        a page about to be stored (its address, its canonical URL)."""
        for url in urls:
            if url:
                key = canonicalize_url(url)
                if key not in self._held:
                    self._held[key] = self._state(key)

    def known(self, url: str) -> bool:
        return self._state(canonicalize_url(url)) is not None

    def _state(self, key: str) -> Any:
        if key in self._held:
            return self._held[key]
        if key not in self._cache:
            self._fetch([key])
        self._cache.move_to_end(key)
        return self._cache[key]

    def _fetch(self, keys: list[str]) -> None:
        found: Mapping[str, Any] = {}
        if keys and not self._off:
            self.queries += 1
            try:
                found = self._source(keys)
            except Exception as exc:  # a broken archive must not stop discovery
                self._turn_off(exc)
        for key in keys:
            # Misses are cached too: a URL the archive lacks is asked for once.
            self._cache[key] = found.get(key)
            self._cache.move_to_end(key)
        while len(self._cache) > STATE_CACHE_SIZE:
            self._cache.popitem(last=False)

    def _from_archive(self, keys: list[str]) -> Mapping[str, Any]:
        archive = self._open() if self._sites else None
        return archive.page_states_for(keys, self._sites) if archive is not None else {}

    def _open(self) -> Any:
        if self._archive is None and not self._off:
            try:
                from newsarchive.database import Archive
            except ImportError as exc:  # storage not installed: every page is new
                logger.warning("incremental crawl off: archive module unavailable (%s)", exc)
                self._off = True
                return None
            try:
                self._archive = Archive(self.db_url)
            except Exception as exc:  # a broken archive must not stop discovery
                self._turn_off(exc)
        return self._archive

    def _turn_off(self, exc: Exception) -> None:
        # Once: a crawl that asked again per URL would log (and wait on a
        # locked database) once per URL.
        self._off = True
        logger.error("incremental crawl off: cannot read the archive (every page counts as new): %s", exc)

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
        key = canonicalize_url(url)
        state = self._state(key)
        decision = self._decide(state, discovered=discovered, recent=recent, every=every,
                                now=now, checked=checked)
        archived_url = getattr(state, "url", None)
        if (decision.fetch and archived_url and archived_url != url
                and canonicalize_url(archived_url) == key):
            # Another spelling of the archived address (a trailing slash, http
            # for https, a mobile host) may not answer as it does: a sitemap's
            # "/story.html/" answering 404 marked the story taken down.
            decision = Decision(True, decision.reason, decision.headers, archived_url)
        if decision.fetch:
            # The page is stored this run: its next decision must still see
            # the archive's state from before (see the class docstring).
            self._held.setdefault(key, state)
        return decision

    def _decide(self, state: Any, *, discovered: datetime | None, recent: timedelta | None,
                every: timedelta | None, now: datetime | None, checked: datetime | None) -> Decision:
        if state is None:
            return Decision(True, "new", {})
        now = now or datetime.now(timezone.utc)
        fetched = parse_instant(state.fetched_at)
        headers = _conditional_headers(state)
        if fetched is None:
            return Decision(True, "changed", headers)
        if checked is not None and checked > fetched:
            fetched = checked
        archived = max(fetched, _modified_as_of(parse_instant(state.modified), fetched))
        if discovered is not None and discovered > archived:
            return Decision(True, "changed", headers)
        # A page that states no date is as recent as its listing's date, or,
        # listed with none, as the archive's first sight of it: without a date
        # it was never re-checked, and an edit the sitemap does not date was
        # never seen. (An undated back catalogue stored by a first crawl keeps
        # its old lastmods, so it is not re-checked for two days.)
        published = (parse_instant(state.published) or parse_instant(state.modified)
                     or discovered or parse_instant(state.first_seen))
        if published is not None and self.recheck_due(published, fetched, now, recent, every):
            return Decision(True, "recheck", headers)
        return Decision(False, "unchanged", {})


# How far past the fetch a page's own modification date may lie and still date
# the archived copy: the site's clock or zone differs from ours (zone offsets
# span 26 hours, UTC-12 to UTC+14), and its sitemap dates that copy alike. A
# date later still is a typo (2062 for 2026); counted, it hid every later change.
MODIFIED_AHEAD = timedelta(hours=26)


def _modified_as_of(modified: datetime | None, fetched: datetime) -> datetime:
    """The archived copy's date by its page's modification date (``fetched``
    when the page gives none, or one too far ahead to be a clock's error)."""
    if modified is None or modified - fetched > MODIFIED_AHEAD:
        return fetched
    return modified


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
        (not only this crawl's skip memory) knows they were checked, and
        restore those that were taken down. A run
        killed before this point loses nothing but those returns, recorded
        at the next re-check's 304: the skip memory has the rest."""
        if not self.not_modified or not self.db_url:
            return
        try:
            from newsarchive.database import Archive

            with Archive(self.db_url) as archive:
                for at in sorted({when for _, when in self.not_modified}):
                    result = archive.mark_not_modified([u for u, when in self.not_modified if when == at],
                                                       at=at)
                    # Taken-down pages back as they were: restored, as a stored 200 is.
                    if result.restored:
                        self.stats.inc_value("newsarchive/archive/restored", result.restored)
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
