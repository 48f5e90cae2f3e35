"""Downloader middlewares that keep the crawl polite and on its own site.

- ``StrictRobotsTxtMiddleware``: Scrapy's robots.txt middleware, but an
  unreachable robots.txt (5xx, timeout, connection error) means "disallow
  all" as RFC 9309 section 2.3.1.4 says, and a 4xx means "allow all".
- ``SiteBoundMiddleware``: every request belongs to a configured site; a
  redirect off that site or to a non-HTTP scheme is not followed.
- ``RetryAfterMiddleware``: 429 and 503 wait as long as ``Retry-After`` says
  (or back off exponentially without it), for the whole site, a bounded
  number of times.
- ``SiteDelayAutoThrottle``: Scrapy's AutoThrottle, but a site file's
  ``[limits] download_delay`` stays the site's floor.
"""
from __future__ import annotations

import logging
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from time import monotonic
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred
from w3lib.url import safe_url_string

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class _RobotsErrorLogFilter(logging.Filter):
    """Drops Scrapy's ERROR with a traceback for a robots.txt that could not
    be downloaded (a site down, a timeout): ``_robots_error`` says it in one
    WARNING line with what follows from it, and an hourly log showed a
    traceback, and counted an ERROR, every run the site was down."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (record.msg == _SCRAPY_ROBOTS_ERROR and exc is not None
                    and not isinstance(exc, IgnoreRequest))


# The record Scrapy's RobotsTxtMiddleware.robot_parser logs for a failed download.
_SCRAPY_ROBOTS_ERROR = "Error downloading %(request)s: %(f_exception)s"
_SCRAPY_ROBOTS_LOGGER = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt with RFC 9309's rules for unreachable files."""

    robots_hook_enabled = True
    """Marks the middleware that hands robots.txt bodies to the spider."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.timeout = crawler.settings.getfloat("NEWSARCHIVE_ROBOTS_TIMEOUT", 20)
        # On Scrapy's logger for this crawl only: a crawl with Scrapy's own
        # middleware in the same process keeps its record.
        self._log_filter = _RobotsErrorLogFilter()
        _SCRAPY_ROBOTS_LOGGER.addFilter(self._log_filter)
        crawler.signals.connect(self._remove_log_filter, signal=signals.engine_stopped)

    def _remove_log_filter(self) -> None:
        _SCRAPY_ROBOTS_LOGGER.removeFilter(self._log_filter)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            # robots.txt requests themselves: a short timeout, since every page
            # of the host waits for them.
            if urlparse_cached(request).path == "/robots.txt":
                request.meta.setdefault("download_timeout", self.timeout)
            return None
        return await super().process_request(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._stats.inc_value("newsarchive/robots/unreachable")
            logger.warning("robots.txt of %s answered %s: treating the site as disallowed (RFC 9309)",
                           netloc, response.status)
            response = response.replace(body=DISALLOW_ALL)
        elif response.status >= 400:
            # "Unavailable": no rules, crawl freely. Do not parse an HTML error page.
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)
        self._hand_to_spider(response.url, response.body if response.status < 500 else None)

    def process_request_2(self, rp: Any, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            # Scrapy counts robotstxt/forbidden, beside the crawl's own skip
            # reasons: an article link refused here was under no
            # newsarchive/skipped/ reason, and in articles/new as if fetched.
            self._stats.inc_value("newsarchive/skipped/robots-disallowed")
            refused = getattr(self.crawler.spider, "not_requested", None)
            if refused is not None:
                refused(request)
            raise

    def refuses(self, url: str) -> bool | None:
        """Whether robots.txt refuses ``url``, when its host's robots.txt is
        already decided (parsed, or unreachable and so "disallow all");
        None while it is not (not fetched yet, or being fetched): the
        request is then decided when it is sent, as any other.

        The spider asks this when it routes an article link, so a refused
        link is skipped before it is counted against ``max_articles``.
        """
        url = safe_url_string(url)  # as the Request would hold it
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc not in self._parsers:
            return None
        parser = self._parsers[parts.netloc]
        if isinstance(parser, Deferred):
            return None
        if parser is None:  # robots.txt could not be had at all: Scrapy allows all then
            return False
        agent = self._robotstxt_useragent or self._default_useragent
        if parser.allowed(url, agent):
            return False
        self._stats.inc_value("robotstxt/forbidden")
        return True

    def _hand_to_spider(self, url: str, body: bytes | None) -> None:
        hook = getattr(self.crawler.spider, "robots_fetched", None)
        if hook is None:
            return
        try:
            hook(url, body)
        except Exception:  # discovery trouble must not break robots handling
            logger.exception("robots.txt hook failed for %s", url)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._stats.inc_value("newsarchive/robots/unreachable")
        logger.warning("robots.txt of %s unreachable (%s): treating the site as disallowed (RFC 9309)",
                       netloc, exc)
        pending = self._parsers[netloc]
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        self._parsers[netloc] = parser
        pending.callback(parser)  # type: ignore[union-attr]


class SiteBoundMiddleware:
    """Keep each request on the site it was made for.

    The spider tags requests with ``meta["na_site"]``. A request (typically a
    redirect, which keeps the meta) whose host is not one of that site's
    domains is dropped, unless it is a URL the site file names explicitly
    (``meta["na_configured"]``: feeds may live on another host).
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteBoundMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        scheme = urlparse_cached(request).scheme
        if scheme not in {"http", "https"}:
            self.stats.inc_value("newsarchive/skipped/non-http")
            raise IgnoreRequest(f"not an http(s) URL: {request.url}")
        name = request.meta.get("na_site")
        owner = getattr(self.crawler.spider, "site_owns", None)
        if name is None or owner is None or request.meta.get("na_configured"):
            return None
        if not owner(name, request.url):
            reason = "offsite-redirect" if request.meta.get("redirect_urls") else "offsite"
            self.stats.inc_value(f"newsarchive/skipped/{reason}")
            remember = getattr(self.crawler.spider, "remember_skip", None)
            if remember is not None and request.meta.get("redirect_urls"):
                remember(name, request.meta["redirect_urls"][0], reason)
            if (reason == "offsite-redirect" and request.meta.get("na_depth") == 0
                    and request.meta.get("na_kind") == "listing"):
                # A start page that moved: exit 4 names where it went (exitcodes.SITE_MOVED).
                from newsarchive.exitcodes import MOVED_KEY

                if not self.stats.get_value(MOVED_KEY):
                    self.stats.set_value(MOVED_KEY, f"{request.meta['redirect_urls'][0]} -> {request.url}")
                logger.warning("start page %s redirects to %s, off site %s: not followed",
                               request.meta["redirect_urls"][0], request.url, name)
            raise IgnoreRequest(f"{reason}: {request.url} is not on site {name}")
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location:
            target = location.decode("latin-1").strip().lower()
            if ":" in target.split("/", 1)[0] and not target.startswith(("http:", "https:")):
                # Scrapy's RedirectMiddleware will not follow it either; count it.
                self.stats.inc_value("newsarchive/skipped/redirect-scheme")
                # The 3xx then reaches the spider's errback, which must not
                # count it a second time as a failed fetch.
                request.meta["na_skipped"] = "redirect-scheme"
        return response


def parse_retry_after(value: bytes | str | None, *, now: datetime | None = None,
                      sent: bytes | str | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    ``sent``: the response's ``Date`` header. An HTTP-date is a time on the
    server's clock, so it is measured from the server's ``Date`` when there is
    one: against our clock, a server running a minute slow asked for "30 s"
    with a date that had passed, and every retry went out at once.
    """
    if not value:
        return None
    text = _header_text(value)
    if text.isdigit():
        return float(text)
    when = _http_date(text)
    if when is None:
        return None
    start = _http_date(_header_text(sent)) if sent else None
    return max(0.0, (when - (start or now or datetime.now(timezone.utc))).total_seconds())


def _header_text(value: bytes | str) -> str:
    return (value.decode("latin-1") if isinstance(value, bytes) else value).strip()


def _http_date(text: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


class RetryAfterMiddleware:
    """429 / 503: wait as told, for the whole site, then try again (bounded).

    The wait is applied to the request's download slot (the site), so no
    other request goes to that site before it is over: a server that says
    "slow down" is not hit by the other concurrent requests meanwhile.
    """

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.codes = {int(c) for c in settings.getlist("NEWSARCHIVE_RETRY_AFTER_CODES", [429, 503])}
        self.max_times = settings.getint("NEWSARCHIVE_RETRY_AFTER_TIMES", 3)
        self.default_wait = settings.getfloat("NEWSARCHIVE_RETRY_AFTER_DEFAULT", 10.0)
        self.max_wait = settings.getfloat("NEWSARCHIVE_RETRY_AFTER_MAX", 300.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        if not crawler.settings.getbool("RETRY_ENABLED") or not crawler.settings.getlist(
            "NEWSARCHIVE_RETRY_AFTER_CODES", [429, 503]
        ):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if response.status not in self.codes or request.meta.get("dont_retry"):
            return response
        tries = request.meta.get("na_retry_after", 0)
        told = parse_retry_after(response.headers.get(b"Retry-After"), sent=response.headers.get(b"Date"))
        wait = told if told is not None else self.default_wait * (2 ** tries)
        if tries >= self.max_times or wait > self.max_wait:
            self.stats.inc_value("newsarchive/retry_after/gave_up")
            logger.warning("giving up on %s after %d tries (status %d, Retry-After %s)",
                           request.url, tries + 1, response.status, told)
            return response
        self._hold_slot(request, wait)
        self.stats.inc_value("newsarchive/retry_after/count")
        self.stats.inc_value(f"newsarchive/retry_after/status/{response.status}")
        logger.info("%d for %s: waiting %.1fs before try %d", response.status, request.url, wait, tries + 2)
        retry = request.copy()
        retry.meta["na_retry_after"] = tries + 1
        retry.dont_filter = True
        return retry

    def _hold_slot(self, request: Request, wait: float) -> None:
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        # Scrapy waits `delay - now + lastseen` before the next request of a slot
        # with a delay: a lastseen in the future holds the whole slot that long.
        slot.delay = max(slot.delay, 0.001)
        slot.lastseen = max(slot.lastseen, monotonic() + wait)


class SiteDelayAutoThrottle(AutoThrottle):
    """AutoThrottle that keeps each download slot's configured delay as its floor.

    The spider turns a site file's ``[limits] download_delay`` into a
    ``DOWNLOAD_SLOTS`` entry. Scrapy's AutoThrottle (on by default) only
    knows the global ``DOWNLOAD_DELAY`` as its minimum, so it walked a site's
    ``download_delay = 5`` down to 1 s within a few fast responses (and a
    site's 0.2 back up to the global 1 s). Register it in place of Scrapy's:
    ``EXTENSIONS = {"scrapy.extensions.throttle.AutoThrottle": None,
    "newsarchive.politeness.SiteDelayAutoThrottle": 0}``.
    """

    def _adjust_delay(self, slot: Any, latency: float, response: Response) -> None:
        configured = self.crawler.settings.getdict("DOWNLOAD_SLOTS")
        # The response has no request yet when response_downloaded fires, so
        # the slot's key is found by the slot itself (one slot per host).
        slots = self.crawler.engine.downloader.slots if self.crawler.engine else {}
        key = next((k for k, s in slots.items() if s is slot), None)
        floor = (configured.get(key) or {}).get("delay") if key else None
        if floor is None:
            super()._adjust_delay(slot, latency, response)
            return
        global_floor = self.mindelay
        self.mindelay = float(floor)
        try:
            super()._adjust_delay(slot, latency, response)
        finally:
            self.mindelay = global_floor
