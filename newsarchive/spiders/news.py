"""The ``news`` spider: finds a site's articles and routes them to extraction.

    scrapy crawl news -a url=https://www.example-news.com/   # any site, no file needed
    scrapy crawl news -a site=independent                    # one configured site
    scrapy crawl news                                         # every configured site
    scrapy crawl news -a site=guardian -a since=2d            # only the last 48 hours

Discovery order per site: robots.txt (its Sitemap: lines), configured
sitemaps and feeds, then the start pages (home and sections), whose feed
links and pagination are followed too. Article URLs are requested newest
first, after canonicalisation, URL-pattern detection, ``since`` and the
incremental check. The article callback hands the page to
``newsarchive.extraction.page.load_page`` (``load_article`` plus the text
signals detection needs, from the same parse; in a worker process when
``NEWSARCHIVE_EXTRACT_WORKERS`` is set, see workers.py) and only decides whether
what came back is an article; it never reads article fields itself.
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, NamedTuple
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.http import TextResponse, XmlResponse
from scrapy.settings import SETTINGS_PRIORITIES

from newsarchive import detection, discovery
from newsarchive.allocator import malloc_params
from newsarchive.incremental import CHECKED, PREFETCH_BATCH, IncrementalFilter
from newsarchive.items import FEED_FIELDS, Article, RawPage
from newsarchive.runlock import RunLocks
from newsarchive.settingtypes import check_setting_types
from newsarchive.signals import article_gone, article_moved
from newsarchive.skipmemory import SkipMemory, published_of, published_reason
from newsarchive.spiders.workers import ExtractionPool, load_for_crawl, resolve_workers
from newsarchive.sites import SiteConfig, load_sites
from newsarchive.timespan import parse_duration, parse_instant, parse_since
from newsarchive.urls import canonicalize_url, strip_tracking

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

    from newsarchive.extraction.config import ExtractionConfig
    from newsarchive.extraction.page import LoadedPage

logger = logging.getLogger(__name__)

# Discovery documents go before article pages: they decide what is fetched.
DISCOVERY_PRIORITY = 100
# Skip-memory reason of a discovered link that redirects to an archived article.
REDIRECT_ALIAS = "redirects-to-archived"
# Remembered skips a newer discovery date re-opens: verdicts on the page's
# state at the time (missing, too short, not yet HTML, redirecting), which
# the page can outgrow. A verdict on what the page is (its schema.org type,
# a tag or author URL, the site's patterns) stands: category and tag pages
# often carry their newest post's lastmod, and would otherwise be fetched
# again every time the site publishes.
REOPENED_BY_NEWER_DATE = frozenset({"gone", "bad-redirect", "few-words", "link-dense", "not-html",
                                    REDIRECT_ALIAS})
# Skip-memory reasons a new story's page gives before it is whole: not live
# yet (404), or a breaking-news stub too short to pass for an article. Within
# the re-check window they are asked again (see ``_new_story_due``).
UNFINISHED_STORY = frozenset({"gone", "few-words"})
# Skip-memory reason of a child sitemap read in full (see parse_sitemap).
SITEMAP_READ = "sitemap-read"
# The IgnoreRequest message of Scrapy's RedirectMiddleware at REDIRECT_MAX_TIMES.
_MAX_REDIRECTS = "max redirections reached"
# Above the "cmdline" priority (40): the environment variable chooses the archive.
_ENV_PRIORITY = 50
# The site file's [limits], and the setting (with its default) that gives
# each for files without.
_LIMIT_SETTINGS = {"max_articles": ("NEWSARCHIVE_MAX_ARTICLES", 0),
                   "max_listing_pages": ("NEWSARCHIVE_MAX_LISTING_PAGES", 5),
                   "listing_depth": ("NEWSARCHIVE_LISTING_DEPTH", 1)}


class SpiderArgumentError(ValueError):
    """A ``-a`` argument the spider cannot use; the message says why."""


def resolve_targets(
    settings: BaseSettings, *, url: str | None = None, site: str | None = None
) -> dict[str, SiteConfig]:
    """The sites a run covers, from ``-a url=`` / ``-a site=`` / neither.

    Every site file is read first, so a bad one stops any run at start.
    """
    if url and site:
        raise SpiderArgumentError("give -a url=... or -a site=..., not both")
    folder = settings.get("NEWSARCHIVE_SITES_DIR") or None
    configured = load_sites(folder)
    if url:
        try:
            adhoc = SiteConfig.from_url(url)
        except ValueError as exc:
            raise SpiderArgumentError(str(exc)) from None
        # The address requested (README): a ?utm_source= given with it was
        # requested, and its article stored, under that query.
        start = tuple(strip_tracking(u) for u in adhoc.start_urls)
        for known in configured.values():
            if known.owns(start[0]):
                # The address belongs to a configured site: its rules apply,
                # starting from the page given.
                return {known.name: _replace_start(known, start)}
        from newsarchive.urls import site_of

        name = site_of(start[0]) or adhoc.name
        return {name: _replace_start(adhoc, start, name=name)}
    if site:
        wanted = site_names(site)
        unknown = [s for s in wanted if s not in configured]
        if unknown:
            known = ", ".join(sorted(configured)) or "none"
            # A file copied from a shipped one keeps that one's `name`, so its
            # file name (what the README says to type) is not its site name.
            hints = "".join(
                f"; {config.source} is named {config.name!r} by its `name` key"
                for config in configured.values()
                if config.source is not None and config.source.stem.lower() in unknown
            )
            raise SpiderArgumentError(
                f"unknown site {', '.join(unknown)!s} (configured in {folder or 'the bundled sites'}: {known})"
                + hints
            )
        return {name: configured[name] for name in wanted}
    if not configured:
        raise SpiderArgumentError("no site files configured; use -a url=... or add a sites/*.toml file")
    return dict(configured)


def site_names(site_arg: str) -> list[str]:
    """The site names ``-a site=a,b`` asks for, as site files name them (lower case)."""
    return [s.strip().lower() for s in site_arg.split(",") if s.strip()]


def _replace_start(site: SiteConfig, start: tuple[str, ...], name: str | None = None) -> SiteConfig:
    from dataclasses import replace

    return replace(site, start_urls=start, name=name or site.name)


class NewsSpider(Spider):
    """Archive news sites: discovery, routing and article detection."""

    name = "news"

    def __init__(self, url: str | None = None, site: str | None = None,
                 since: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.url_arg = url
        self.site_arg = site
        self.since_arg = since
        self.targets: dict[str, SiteConfig] = {}
        self.since: datetime | None = None
        self.locks: RunLocks | None = None
        self.locked_out: list[str] = []
        self.incremental: IncrementalFilter | None = None
        self.articles_requested: Counter[str] = Counter()
        # Sites whose pages gave links, and sites one of whose addresses passed
        # its URL patterns: a site file whose `allow` matches none of the site's
        # addresses reads every article page as a listing and stores nothing.
        self._links_read: set[str] = set()
        self._patterns_passed: set[str] = set()
        # Site name -> the download slot all its requests share (sites with a delay).
        self._site_slots: dict[str, str] = {}
        # Indexes whose dates were found to be generation stamps, logged once each.
        self._stamps_logged: set[str] = set()
        # Indexes dating entries after they were served, logged once each.
        self._future_logged: set[str] = set()
        # (site, field) pairs whose [selectors] miss was already logged.
        self._selector_misses_logged: set[tuple[str, str]] = set()
        self.run_args = {k: v for k, v in (("url", url), ("site", site), ("since", since)) if v}
        self.run_label: str | None = None
        self.feed_label = "all"
        self._pool: ExtractionPool | None = None
        # Canonical URLs met this run: None once requested (or not an article
        # link), else the skip and the date it was decided with.
        self._seen: dict[int, _Skipped | None] = {}
        # Listing-page hrefs that are no usable address, counted once a run.
        self._unusable_links: set[str] = set()
        self.skip_memory: dict[str, SkipMemory] = {}
        self._robots_hook = False
        self._robots_refuses: Callable[[str], bool | None] | None = None
        self.freeze_gc = False
        # Sites of a several-site run with no page answered yet (robots.txt does not count).
        self._silent_sites: set[str] = set()

    # --- set-up -------------------------------------------------------------

    @classmethod
    def check_arguments(cls, settings: BaseSettings, url: str | None = None,
                        site: str | None = None, since: str | None = None,
                        **_: Any) -> tuple[dict[str, SiteConfig], datetime | None]:
        """Validate ``-a`` arguments and site files; raises ValueError with a clear message."""
        targets = resolve_targets(settings, url=url, site=site)
        start = None
        if since:
            try:
                start = parse_since(since)
            except ValueError as exc:
                raise SpiderArgumentError(str(exc)) from None
        for name, default in (("NEWSARCHIVE_RECHECK_RECENT", "2d"), ("NEWSARCHIVE_RECHECK_EVERY", "6h"),
                              ("NEWSARCHIVE_SKIP_RECHECK", "7d")):
            value = settings.get(name, default)
            if name == "NEWSARCHIVE_SKIP_RECHECK" and not value:
                continue  # "" switches the skip memory off
            try:
                parse_duration(value)
            except ValueError as exc:
                raise SpiderArgumentError(f"setting {name}: {exc}") from None
        try:
            # Their messages name the setting.
            resolve_workers(settings.get("NEWSARCHIVE_EXTRACT_WORKERS", 0))
            malloc_params(settings)
            check_setting_types(settings, (key for key, _ in _LIMIT_SETTINGS.values()))
        except ValueError as exc:
            raise SpiderArgumentError(str(exc)) from None
        return targets, start

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        contact_priority = settings.getpriority("NEWSARCHIVE_CONTACT_URL") or 0
        if contact_priority > (settings.getpriority("USER_AGENT") or 0):
            # -s NEWSARCHIVE_CONTACT_URL=... without a USER_AGENT of its own.
            from newsarchive import __version__

            agent = f"newsarchive/{__version__} (+{settings.get('NEWSARCHIVE_CONTACT_URL')})"
            settings.set("USER_AGENT", agent, priority=contact_priority)
        env_db = os.environ.get("NEWSARCHIVE_DB_URL")
        if env_db:
            settings.set("NEWSARCHIVE_DB_URL", env_db, priority=_ENV_PRIORITY)
        feeds = dict(settings.getdict("FEEDS"))
        for uri, options in feeds.items():
            if isinstance(options, dict) and options.get("overwrite") and "store_empty" not in options:
                # FEED_STORE_EMPTY = False keeps empty dated feeds away; an -O
                # file left as it was by a run that stored nothing would hold
                # the previous run's articles as if they were this run's.
                feeds[uri] = {**options, "store_empty": True}
        export_dir = settings.get("NEWSARCHIVE_EXPORT_DIR")
        if export_dir:
            # Merged into FEEDS, so -O/-o add a feed rather than replace this one.
            uri = f"{str(export_dir).rstrip('/')}/%(name)s-%(feed_label)s-%(time)s.jsonl"
            feeds.setdefault(uri, {"format": "jsonlines", "encoding": "utf-8",
                                   "fields": list(FEED_FIELDS)})
        if feeds:
            settings.set("FEEDS", feeds, priority=settings.getpriority("FEEDS") or "project")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._set_up(crawler)
        return spider

    def _set_up(self, crawler: Crawler) -> None:
        settings = crawler.settings
        targets, self.since = self.check_arguments(
            settings, url=self.url_arg, site=self.site_arg, since=self.since_arg)
        # The configured names, not the -a site= as typed: -a site=LocalTimes
        # named its dated feed and run record differently from its articles.
        self.run_label = ",".join(targets) if self.site_arg else (next(iter(targets)) if self.url_arg else None)
        self.feed_label = (self.run_label or "all").replace(",", "+").replace(":", "_")
        state_dir = settings.get("NEWSARCHIVE_LOCK_DIR")  # older name, wins when set
        if state_dir is None:
            state_dir = settings.get("NEWSARCHIVE_STATE_DIR")
        if state_dir:
            self.locks = RunLocks(state_dir)
            for name in list(targets):
                key = _state_key(targets[name])
                if not self.locks.acquire(key):
                    logger.error(
                        "site %s is already being crawled by another run (%s, lock %s); "
                        "this run leaves it alone", name, self.locks.holder(key), self.locks.path_for(key))
                    self.locked_out.append(name)
                    del targets[name]
            crawler.signals.connect(self._release_locks, signal=signals.spider_closed)
            keep = settings.get("NEWSARCHIVE_SKIP_RECHECK", "7d")
            if keep:
                for name in targets:
                    self.skip_memory[name] = SkipMemory(state_dir, _state_key(targets[name]),
                                                        keep_for=parse_duration(keep),
                                                        archive=settings.get("NEWSARCHIVE_DB_URL"))
        self.targets = targets
        if not targets:
            crawler.signals.connect(self._keep_feed_files, signal=signals.spider_opened)
        if len(targets) > 1:
            # A run of several sites exits 0 when any answered: name the ones
            # that did not, in the stats the run record keeps (exitcodes).
            self._silent_sites = set(targets)
            crawler.signals.connect(self._site_answered, signal=signals.response_downloaded)
        self.jobdir = settings.get("JOBDIR") or None
        if self.jobdir:
            crawler.signals.connect(self._job_done, signal=signals.spider_closed)
        if settings.getbool("NEWSARCHIVE_INCREMENTAL", True):
            self.incremental = IncrementalFilter(
                settings.get("NEWSARCHIVE_DB_URL"),
                recent=parse_duration(settings.get("NEWSARCHIVE_RECHECK_RECENT", "2d")),
                every=parse_duration(settings.get("NEWSARCHIVE_RECHECK_EVERY", "6h")),
            )
            crawler.signals.connect(self._close_incremental, signal=signals.spider_closed)
        # Per-site delays become download slots. Scrapy keys a slot by host
        # name alone, so a domain given with a port ("127.0.0.1:8080") must
        # lose it, or its delay never applies. Every request the spider makes
        # for such a site goes to the site's one slot (its first domain), so
        # the delay holds across all its hosts (www., static., feeds.): one
        # slot per host let each subdomain have its own, at the global delay.
        # The per-host slots stay for what Scrapy fetches itself (robots.txt).
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        for site in targets.values():
            if site.download_delay is not None:
                for domain in site.domains:
                    name = urlsplit(f"//{domain}").hostname or domain
                    self._site_slots.setdefault(site.name, name)
                    for host in (name, f"www.{name}"):
                        slots.setdefault(host, {"delay": site.download_delay})
        if slots and not settings.frozen:
            settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        elif slots:
            logger.warning("settings already frozen: per-site download delays not applied")
        # A limit given for this run (-s on the command line) wins over the
        # site file's: "try it with -s NEWSARCHIVE_MAX_ARTICLES=20" crawled a
        # whole site whose file said max_articles = 0. Project settings are
        # only the default for files that give none.
        self._run_limits = {name for name, (key, _) in _LIMIT_SETTINGS.items()
                            if (settings.getpriority(key) or 0) >= SETTINGS_PRIORITIES["cmdline"]}
        self.limits = {
            **{name: settings.getint(key, default) for name, (key, default) in _LIMIT_SETTINGS.items()},
            "min_words": settings.getint("NEWSARCHIVE_DETECT_MIN_WORDS", 80),
            "max_link_density": settings.getfloat("NEWSARCHIVE_DETECT_MAX_LINK_DENSITY", 0.5),
            "maxsize": settings.getint("DOWNLOAD_MAXSIZE"),
            "guess_sitemap": settings.getbool("NEWSARCHIVE_GUESS_SITEMAP", True),
            "url_length": settings.getint("URLLENGTH_LIMIT", 2083) or 1 << 62,
        }
        self.freeze_gc = settings.getbool("NEWSARCHIVE_GC_FREEZE", True)
        workers = resolve_workers(settings.get("NEWSARCHIVE_EXTRACT_WORKERS", 0))
        if workers > 0 and targets:
            self._pool = ExtractionPool(workers, malloc=malloc_params(settings))
            crawler.signals.connect(self._close_pool, signal=signals.spider_closed)

    def _keep_feed_files(self, spider: Spider) -> None:
        # Locked out of every site: the run that holds the lock may be writing
        # the same -O file (the same cron line), which an empty store would cut.
        from scrapy.extensions.feedexport import FeedExporter

        for extension in self.crawler.extensions.middlewares:
            if isinstance(extension, FeedExporter):
                for options in extension.feeds.values():
                    options["store_empty"] = False
                for slot in extension.slots:
                    slot.store_empty = False

    def _note_silent_sites(self) -> None:
        from newsarchive.exitcodes import SITES_NOTHING_FETCHED_KEY

        stats = self.crawler.stats
        if self._silent_sites:
            stats.set_value(SITES_NOTHING_FETCHED_KEY, ",".join(sorted(self._silent_sites)))
        else:
            stats.get_stats().pop(SITES_NOTHING_FETCHED_KEY, None)

    def _site_answered(self, response: Response, request: Request, **_: Any) -> None:
        # At download, before IncrementalMiddleware turns a 304 into a skip:
        # an unchanged page is an answer too.
        name = request.meta.get("na_site")
        if (name in self._silent_sites and request.meta.get("na_kind") != "robots"
                and (200 <= response.status < 300 or response.status == 304)):
            self._silent_sites.discard(name)
            self._note_silent_sites()

    def closed(self, reason: str) -> None:
        if self._silent_sites and len(self._silent_sites) < len(self.targets):
            logger.warning(
                "no page of %s could be fetched this run (see the warnings above for why); the "
                "other sites were crawled, so the run exits 0; `newsarchive stats` flags %s",
                ", ".join(sorted(self._silent_sites)), "them" if len(self._silent_sites) > 1 else "it")
        for name, site in self.targets.items():
            if site.allow and name in self._links_read and name not in self._patterns_passed:
                logger.warning(
                    "site %s: no address found matched the [articles] allow patterns of %s, so no "
                    "page was fetched as an article; check them against the site's article addresses",
                    name, site.source or "its site file")

    def _close_incremental(self, spider: Spider) -> None:
        if self.incremental is not None:
            self.incremental.close()

    def _close_pool(self, spider: Spider) -> None:
        if self._pool is not None:
            self._pool.close()

    def _release_locks(self, spider: Spider) -> None:
        # The memory is written while the lock is still held: one writer per site.
        for memory in self.skip_memory.values():
            try:
                memory.save()
            except OSError as exc:
                logger.error("could not save %s: %s", memory.path, exc)
        if self.locks is not None:
            self.locks.release_all()

    def _job_done(self, spider: Spider, reason: str) -> None:
        """A finished job forgets which requests it has seen, so the same JOBDIR
        can serve the next scheduled run. An interrupted one keeps them, to resume."""
        if reason != "finished" or not self.jobdir:
            return
        seen = os.path.join(self.jobdir, "requests.seen")
        try:
            os.remove(seen)
        except FileNotFoundError:
            pass
        except OSError as exc:
            logger.error("could not reset %s for the next run: %s", seen, exc)

    # --- what other components ask the spider --------------------------------

    def extraction_config_for(self, item: Any) -> ExtractionConfig | None:
        """The site's ExtractionConfig for an item (used by CleanPipeline), or None."""
        site = self.targets.get(getattr(item, "site", None) or "")
        if site is None:
            url = getattr(item, "url", None) or ""
            site = next((s for s in self.targets.values() if s.owns(url)), None)
        return site.extraction if site is not None else None

    def site_owns(self, name: str, url: str) -> bool:
        """True when ``url`` is on site ``name`` (SiteBoundMiddleware asks this)."""
        site = self.targets.get(name)
        return True if site is None else site.owns(url)

    def remember_skip(self, name: str, url: str, reason: str) -> None:
        """Record a URL that is not worth fetching again soon (see skipmemory.py)."""
        memory = self.skip_memory.get(name)
        if memory is not None:
            memory.remember(url, reason)

    def redirect_skip_reason(self, request: Request) -> str | None:
        """Why not to follow a redirect to an article URL (IncrementalMiddleware asks)."""
        site = self.targets.get(request.meta.get("na_site", ""))
        if site is None:
            return None
        if detection.non_article_reason(request.url) == "home":
            # A soft 404 (a pulled story sent to the home page): no takedown, and
            # no move either. Followed, a home page with text enough to pass for
            # an article was stored as the story, moved there.
            return "redirect-to-home"
        source = request.meta["redirect_urls"][0]
        date = parse_instant(request.meta.get("na_date"))
        held = self._remembered(site, request.url, date)[0]
        if held:
            return held
        if self.incremental is not None:
            verdict = self.incremental.decide(request.url, discovered=date, recent=site.recheck_recent,
                                              every=site.recheck_every)
            if not verdict.fetch:
                # Remembered so the next run does not even ask for the redirect.
                self.remember_skip(site.name, source, REDIRECT_ALIAS)
                # A source the archive holds is a story moved to an address
                # archived already (stored as an article of its own).
                self._moved(request, site)
                return "unchanged"
        return None

    def note_redirect(self, request: Request, target: str) -> None:
        """A discovered article link redirects to ``target`` (IncrementalMiddleware
        tells us before following it). When the target is already archived or
        already met this run, the link is remembered as its alias: the
        scheduler would drop the duplicate before anything else saw it."""
        site = self.targets.get(request.meta.get("na_site", ""))
        if site is None or not site.owns(target):
            return
        seen = hash(canonicalize_url(target)) in self._seen
        known = self.incremental is not None and self.incremental.known(target)
        if seen or known:
            self.remember_skip(site.name, (request.meta.get("redirect_urls") or [request.url])[0], REDIRECT_ALIAS)

    # --- start ----------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        stats = self.crawler.stats
        for name in self.locked_out:
            stats.inc_value("newsarchive/run/locked_sites")
        if not self.targets:
            if self.locked_out:
                stats.set_value("newsarchive/run/all_locked", 1)
            return
        if self._pool is not None:
            self._pool.warm_up()
        elif self.freeze_gc:
            freeze_start_up_objects()
        middlewares = getattr(getattr(getattr(self.crawler.engine, "downloader", None), "middleware", None),
                              "middlewares", ())
        # With our robots.txt middleware on, the robots.txt it fetches anyway is
        # handed to robots_fetched(): one fetch per host, not two.
        self._robots_hook = any(hasattr(mw, "robots_hook_enabled") for mw in middlewares)
        # It also tells, once a host's robots.txt is decided, whether it refuses
        # an article link: asked when the link is routed (see _route_article).
        self._robots_refuses = next((mw.refuses for mw in middlewares if hasattr(mw, "robots_hook_enabled")
                                     and callable(getattr(mw, "refuses", None))), None)
        self._note_silent_sites()
        for site in self.targets.values():
            for request in self._site_start(site):
                yield request

    def _site_start(self, site: SiteConfig) -> Iterator[Request]:
        if self.incremental is not None:
            known = self.incremental.load(site.name)
            self.crawler.stats.inc_value("newsarchive/incremental/known_urls", known)
        memory = self.skip_memory.get(site.name)
        if memory is not None:
            self.crawler.stats.inc_value("newsarchive/incremental/remembered_skips", memory.load())
        hosts: dict[str, None] = {}
        for url in site.entry_urls():
            parts = urlsplit(url)
            hosts.setdefault(f"{parts.scheme}://{parts.netloc}/robots.txt", None)
        if not self._robots_hook:
            for robots in hosts:
                yield self._request(robots, site, "robots", self.parse_robots,
                                    meta={"dont_obey_robotstxt": True})
        for url in site.sitemaps:
            yield self._request(url, site, "sitemap", self.parse_sitemap, configured=True)
        for url in site.feeds:
            yield self._request(url, site, "feed", self.parse_feed, configured=True)
        for url in site.entry_urls():
            if self.url_arg:
                # Requested here, so a sitemap or feed listing it adds no request
                # the scheduler would drop (counted in articles/new, stored never).
                self._seen[hash(canonicalize_url(url))] = None
            # The page -a url= names may be the one article wanted (see parse_listing).
            yield self._request(url, site, "listing", self.parse_listing,
                                meta={"na_depth": 0, "na_page": 1,
                                      **({"na_given": True} if self.url_arg else {})})

    def _request(self, url: str, site: SiteConfig, kind: str, callback: Callable[..., Any], *,
                 priority: int = DISCOVERY_PRIORITY, configured: bool = False,
                 meta: dict[str, Any] | None = None, **kwargs: Any) -> Request:
        full_meta: dict[str, Any] = {"na_site": site.name, "na_kind": kind}
        if site.name in self._site_slots:
            full_meta["download_slot"] = self._site_slots[site.name]
        if configured:
            full_meta["na_configured"] = True
        full_meta.update(meta or {})
        self.crawler.stats.inc_value(f"newsarchive/requests/{kind}")
        return Request(url, callback=callback, errback=self.on_error, priority=priority,
                       meta=full_meta, **kwargs)

    # --- discovery callbacks -----------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        site = self._site(response)
        found = discovery.robots_sitemaps(response.body, response.url)
        self.crawler.stats.inc_value("newsarchive/discovered/robots_sitemaps", len(found))
        for url in found:
            if url not in site.sitemaps:
                yield self._request(url, site, "sitemap", self.parse_sitemap, configured=True)
        if not found and not site.sitemaps:
            yield from self._guess_sitemap(response.url, site)

    def robots_fetched(self, robots_url: str, body: bytes | None) -> None:
        """Called by StrictRobotsTxtMiddleware with each robots.txt it fetched
        (``body`` None when unreachable): its Sitemap: lines start discovery."""
        site = next((s for s in self.targets.values() if s.owns(robots_url)), None)
        if site is None:
            return
        fake = TextResponse(robots_url, body=body or b"", encoding="utf-8",
                            request=Request(robots_url, meta={"na_site": site.name, "na_kind": "robots"}))
        for request in self.parse_robots(fake) if body is not None else ():
            self.crawler.engine.crawl(request)

    def _guess_sitemap(self, robots_url: str, site: SiteConfig) -> Iterator[Request]:
        if self.limits["guess_sitemap"]:
            yield self._request(robots_url.rsplit("/", 1)[0] + "/sitemap.xml", site, "sitemap",
                                self.parse_sitemap, meta={"na_guess": True})

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        site = self._site(response)
        body, truncated = discovery.sitemap_xml(response.body, response.url, max_size=self.limits["maxsize"])
        if body is None:
            self._unreadable("sitemap", response.url)
            return
        kind, entries = discovery.sitemap_entries(body, response.url, truncated=truncated, zone=site.zone)
        if kind and truncated:
            # Its complete entries are used, but it is not remembered as read:
            # the next run reads it again, whole if the server has mended it.
            self.crawler.stats.inc_value("newsarchive/failed/sitemap-truncated")
            logger.warning("sitemap %s is cut short (it ends before its closing </%s> tag): its %d "
                           "complete entries are used, and it is read again next run",
                           response.url, kind, len(entries))
        if not kind:
            found = discovery.document_kind(body)
            if found == "feed":
                yield from self._from_index(discovery.feed_entries(body, response.url, zone=site.zone), site, "feed",
                                             response)
            elif found == "html" and response.meta.get("na_guess"):
                # /sitemap.xml was only a guess, and many sites answer any
                # address with a page (a soft 404, the home page): no sitemap
                # there, as with a 404, not a broken one.
                self._skip("sitemap-guess-missing")
                logger.debug("no sitemap at %s (an HTML page answered)", response.url)
            else:
                self._unreadable("sitemap", response.url)
            return
        self.crawler.stats.inc_value(f"newsarchive/discovered/{kind}_entries", len(entries))
        memory = self.skip_memory.get(site.name)
        if kind == "sitemapindex":
            now = _now()
            for entry in entries:
                if self.since and entry.date and entry.date < self.since:
                    self._skip("sitemap-older-than-since")
                    continue
                read = memory.entry(entry.url) if memory is not None else None
                if (read is not None and read[0] == SITEMAP_READ and entry.date is not None
                        and entry.date <= read[1] and not self._may_list_rechecks(site, entry.date, now)):
                    # Read in full since its lastmod: nothing in it is new, and
                    # nothing in it is young enough to be re-checked.
                    self._skip("sitemap-unchanged", entry.url)
                    continue
                yield self._request(entry.url, site, "sitemap", self.parse_sitemap,
                                    configured=True, meta={"na_lastmod": entry.date is not None},
                                    priority=DISCOVERY_PRIORITY + discovery.priority_for(entry.date, _now()) // 10)
            return
        limited = self.crawler.stats.get_value("newsarchive/skipped/limit-max-articles", 0)
        yield from self._from_index(entries, site, "sitemap", response)
        if (memory is not None and response.meta.get("na_lastmod") and not truncated
                and self.crawler.stats.get_value("newsarchive/skipped/limit-max-articles", 0) == limited):
            # Every entry was routed (none held back by a limit): next run may
            # skip this sitemap until the index gives it a newer lastmod.
            memory.remember(response.url, SITEMAP_READ)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        site = self._site(response)
        entries = discovery.feed_entries(response.body, response.url, zone=site.zone)
        if not entries and discovery.document_kind(response.body) == "sitemap":
            yield from self.parse_sitemap(response)
            return
        if not entries and discovery.feed_is_empty(response.body):
            # Read, and nothing in it this hour: no failure to warn of every run.
            self.crawler.stats.inc_value("newsarchive/discovered/empty_feeds")
            logger.info("feed %s lists no item", response.url)
            return
        if not entries:
            self._unreadable("feed", response.url)
            return
        self.crawler.stats.inc_value("newsarchive/discovered/feed_entries", len(entries))
        yield from self._from_index(entries, site, "feed", response)

    def _from_index(self, entries: Sequence[discovery.Entry], site: SiteConfig, source: str,
                    response: Response) -> Iterator[Request]:
        now = _now()
        served = _served_at(response) or now
        entries = self._without_future_dates(entries, source, response, served)
        stamp = discovery.generation_stamp(entries, served)
        if stamp is not None:
            entries = discovery.without_stamp(entries, stamp)
            self.crawler.stats.inc_value("newsarchive/discovered/stamped_dates", len(entries))
            if response.url not in self._stamps_logged:
                self._stamps_logged.add(response.url)
                logger.info("%s %s dates every entry %s, the time it was built: these dates are ignored "
                            "(the archive and the re-check window decide what to fetch again)",
                            source, response.url, stamp[1].isoformat(timespec="seconds"))
        for start in range(0, len(entries), PREFETCH_BATCH):
            batch = entries[start:start + PREFETCH_BATCH]
            if self.incremental is not None:
                # One archive query for the slice rather than one per entry.
                self.incremental.prefetch(entry.url for entry in batch)
            for entry in batch:
                request = self._article_request(entry.url, site, date=entry.date, source=source, now=now)
                if request is not None:
                    yield request

    def _without_future_dates(self, entries: Sequence[discovery.Entry], source: str, response: Response,
                              at: datetime) -> Sequence[discovery.Entry]:
        """``entries`` without dates later than the index was served (see
        ``discovery.without_future``), counted and logged once per index."""
        entries, cut = discovery.without_future(entries, at)
        if cut:
            self.crawler.stats.inc_value("newsarchive/discovered/future_dates", cut)
            if response.url not in self._future_logged:
                self._future_logged.add(response.url)
                logger.info("%s %s dates %d entr%s after the time it was served: those dates are ignored "
                            "until they have passed", source, response.url, cut, "y" if cut == 1 else "ies")
        return entries

    def parse_listing(self, response: Response) -> Iterator[Request] | AsyncIterator[Request | Article]:
        site = self._site(response)
        depth = response.meta.get("na_depth", 0)
        page = response.meta.get("na_page", 1)
        if depth == 0 and _is_html(response):
            kind = detection.classify_link(response.url, site)
            if kind == "article":
                # -a url= pointed at an article: store it, and read its links too.
                return self._article_and_links(response, site, page)
            if (kind == "listing" and response.meta.get("na_given")
                    and detection.non_article_reason(response.url) != "home"):
                # An address no URL rule calls an article (/news/articles/c4g0xyz12o,
                # /story.html) may still be the one article wanted: the page
                # decides, as it does for article links. Read as a listing
                # only, it was never stored, and the sitemap's request for
                # it was then dropped as a duplicate.
                return self._article_or_listing(response, site, page)
        return self._parse_listing(response, site, depth, page)

    async def _article_and_links(self, response: TextResponse, site: SiteConfig,
                                 page: int) -> AsyncIterator[Request | Article]:
        async for output in self.parse_article(response):
            yield output
        for request in self._follow_links(response, site, 0, page):
            yield request

    async def _article_or_listing(self, response: TextResponse, site: SiteConfig,
                                  page: int) -> AsyncIterator[Request | Article]:
        article, loaded, headers, reason = await self._judge(response, site)
        if reason is None:
            for output in self._keep_article(response, site, article, loaded, headers):
                yield output
        # A section page is what a start page usually is: not a skip to count or remember.
        for request in self._follow_links(response, site, 0, page):
            yield request

    def _parse_listing(self, response: Response, site: SiteConfig, depth: int, page: int) -> Iterator[Request]:
        if not _is_html(response):
            kind = discovery.document_kind(response.body)
            if kind == "feed":
                yield from self.parse_feed(response)
            elif kind == "sitemap":
                yield from self.parse_sitemap(response)
            else:
                self._skip("not-html")
            return
        yield from self._follow_links(response, site, depth, page)

    def _follow_links(self, response: TextResponse, site: SiteConfig, depth: int, page: int) -> Iterator[Request]:
        self._links_read.add(site.name)
        selector = response.selector
        for feed in discovery.feed_links(selector, response.url):
            if site.owns(feed):
                yield self._request(feed, site, "feed", self.parse_feed)
        now = _now()
        fresh = 0
        unusable: list[str] = []
        links = [(link, detection.classify_link(link, site))
                 for link in discovery.listing_links(selector, response.url, unusable) if site.owns(link)]
        for href in unusable:
            # Once a run, like every other link: a template's broken footer
            # link on every section page is one skip, not one per page.
            if href not in self._unusable_links:
                self._unusable_links.add(href)
                self._skip("unusable-url", href)
        if self.incremental is not None:
            # The page's article links in one archive query.
            self.incremental.prefetch(link for link, kind in links if kind == "article")
        for link, kind in links:
            if kind == "article" and (not self._already_known(site, link) or self._due(site, link, now)):
                # Not in the archive (whether or not met earlier in this run),
                # or archived and due for a re-check: this listing still brings
                # work, so its next page is worth reading (an article linked only
                # from page 2 would otherwise never be re-checked).
                fresh += 1
            if kind == "article":
                request = self._article_request(link, site, date=None, source="listing", now=now,
                                                depth=depth + 1)
                if request is not None:
                    yield request
            elif not self._first_sight(link):
                continue
            elif kind == "listing" and len(link) > self.limits["url_length"]:
                self._skip("url-too-long", link)
            elif kind == "listing":
                if depth < self._limit(site, "listing_depth") and page == 1:
                    yield self._request(link, site, "listing", self.parse_listing,
                                        meta={"na_depth": depth + 1, "na_page": 1})
            else:
                self._skip(kind.split(":", 1)[1], link)
        # Pagination: stop at the limit, and as soon as a page brings nothing
        # new (on a re-crawl, page 1 of an unchanged section ends it).
        if page >= self._limit(site, "max_listing_pages") or fresh == 0:
            return
        for nxt in discovery.next_page_links(selector, response.url):
            if site.owns(nxt):
                yield self._request(nxt, site, "listing", self.parse_listing,
                                    meta={"na_depth": depth, "na_page": page + 1})

    def _article_request(self, url: str, site: SiteConfig, *, date: datetime | None,
                         source: str, now: datetime, depth: int | None = None) -> Request | None:
        """The request for an article link, or None (counted as a skip).

        A URL is decided once per run, except when a later sighting dates it
        after the sighting that skipped it: a feed's publication date or an
        undated section link met first must not hide the sitemap's newer
        ``lastmod``. A URL already requested is never requested again.
        """
        if not site.owns(url):
            self._skip("offsite", url)
            return None
        url = strip_tracking(url)
        key = hash(canonicalize_url(url))
        earlier = self._seen.get(key)
        if key in self._seen and (earlier is None or not _later(date, earlier.date)):
            return None
        outcome = self._route_article(url, site, date=date, source=source, now=now, depth=depth)
        if earlier is not None:
            # Stats keep one decision per article: the last one.
            self._unskip(earlier.reason)
        if isinstance(outcome, str):
            self._skip(outcome, url)
            self._seen[key] = _Skipped(date, outcome)
            return None
        self._seen[key] = None
        return outcome

    def _route_article(self, url: str, site: SiteConfig, *, date: datetime | None,
                       source: str, now: datetime, depth: int | None) -> Request | str:
        """The request for an article link, or the reason to skip it."""
        if source != "listing":
            # Sitemaps and feeds list articles; only patterns can veto one.
            decision = detection.site_decision(url, site)
            if decision is False:
                return "site-deny"
            if decision is None and site.allow:
                return "site-not-allowed"
            if decision is None:
                reason = detection.non_article_reason(url)
                if reason is not None:
                    return reason
        self._patterns_passed.add(site.name)
        if len(url) > self.limits["url_length"]:
            # Scrapy's UrlLengthMiddleware would drop the request after it was
            # counted as requested, under no skip reason.
            return "url-too-long"
        if self.since and date and date < self.since:
            return "older-than-since"
        held, checked = self._remembered(site, url, date)
        if held:
            return held
        if self._robots_refuses is not None and self._robots_refuses(url):
            # Decided here, when the host's robots.txt is known (it is by the time
            # a page of it gives links), so a refused link takes no place under
            # max_articles; the middleware still refuses what is sent before.
            return "robots-disallowed"
        limit = self._limit(site, "max_articles")
        if limit and self.articles_requested[site.name] >= limit:
            return "limit-max-articles"
        headers: dict[str, str] = {}
        reason = "new"
        if self.incremental is not None:
            verdict = self.incremental.decide(url, discovered=date, recent=site.recheck_recent,
                                              every=site.recheck_every, now=now, checked=checked)
            if not verdict.fetch:
                return "unchanged"
            headers, reason = verdict.headers, verdict.reason
            url = verdict.url or url
        self.articles_requested[site.name] += 1
        self.crawler.stats.inc_value(f"newsarchive/articles/{reason}")
        meta: dict[str, Any] = {"na_date": date.isoformat() if date else None, "na_source": source,
                                # Pages from sitemaps and feeds are never read for links.
                                "na_depth": depth if depth is not None else 1 << 16,
                                # What to take back if robots.txt refuses it (not_requested).
                                "na_counted": reason}
        if headers:
            meta["na_conditional"] = True
        return self._request(url, site, "article", self.parse_article,
                             priority=discovery.priority_for(date, now), meta=meta, headers=headers)

    def _remembered(self, site: SiteConfig, url: str, date: datetime | None) -> tuple[str | None, datetime | None]:
        """The skip to count when the memory holds ``url`` back (else None),
        and when a 304 last answered for it.

        A skip stays in force until it expires (but an archived article's
        "gone" is left to its re-check window), unless discovery dates the
        page after the skip was remembered: a 404 that went live, a stub that
        grew into an article, a short link that now leads elsewhere is fetched
        and judged afresh. A verdict on what the page is (a collection page,
        a tag URL) is not re-opened: see ``REOPENED_BY_NEWER_DATE``. A page
        dropped for its publication date is held back only by a run whose
        ``since`` it precedes, and counted as ``older-than-since`` again.
        """
        memory = self.skip_memory.get(site.name)
        remembered = memory.entry(url) if memory is not None else None
        if remembered is None:
            return None, None
        why, when = remembered
        if why == CHECKED:
            return None, when
        if why == "gone" and self._archived(url):
            # An archived article taken down: the archive holds the takedown and
            # its re-check window, counted from the 404, decides when to ask
            # again. Held here for 7 days, past the window, a story put back as
            # it was was never fetched again and stayed taken down.
            return None, when
        if why in UNFINISHED_STORY and self._new_story_due(site, date, when):
            return None, None
        published = published_of(why)
        if published is not None:
            return ("older-than-since" if self.since is not None and published < self.since else None), None
        if why not in REOPENED_BY_NEWER_DATE or date is None or date <= when:
            return "remembered", None
        return None, None

    def _new_story_due(self, site: SiteConfig, date: datetime | None, gone: datetime) -> bool:
        """Whether a page the archive does not have, remembered as not live yet
        or a stub (``UNFINISHED_STORY``), is to be asked again now: discovery
        dates it within the re-check window and ``recheck.every`` has passed
        since that answer.

        A feed or sitemap often lists a story minutes before its page answers
        (a scheduled post, a cache still serving the 404), or while it is a
        few lines of breaking news. Held back 7 days like a dead link, the
        story was missed, though each hourly run met it.
        """
        if date is None or self.incremental is None:
            return False
        return self.incremental.recheck_due(date, gone, datetime.now(timezone.utc),
                                            site.recheck_recent, site.recheck_every)

    # --- articles ---------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Article | Request]:
        site = self._site(response)
        if not _is_html(response):
            self._skip("not-html", response.url)
            self.remember_skip(site.name, response.url, "not-html")
            return
        article, page, headers, reason = await self._judge(response, site)
        if reason is not None:
            self._skip(reason, response.url)
            for url in {response.url, response.request.url if response.request else response.url,
                        *response.meta.get("redirect_urls", ())}:
                self.remember_skip(site.name, url, reason)
            depth = response.meta.get("na_depth", 1 << 16)
            if response.meta.get("na_kind") == "article" and depth <= self._limit(site, "listing_depth"):
                # A section page linked like an article: read it for links.
                for request in self._follow_links(response, site, depth, 1):
                    yield request
            return
        for output in self._keep_article(response, site, article, page, headers):
            yield output

    async def _judge(self, response: TextResponse, site: SiteConfig
                     ) -> tuple[Article, LoadedPage, dict[str, str], str | None]:
        """The page extracted, its headers, and why it is not an article (None when it is)."""
        headers = _headers(response)
        page = await self._extract(
            response.body, response.url, site.extraction, headers, _now().isoformat(timespec="seconds"))
        article, page_signals = page.article, page.inspected
        reason = detection.page_skip_reason(
            article, site=site,
            # Counted on extraction's own tree (for untyped pages); the page is
            # parsed again only if that count failed.
            signals=(lambda: page_signals) if page_signals is not None
            else lambda: detection.text_signals(response.selector.root),
            min_words=self.limits["min_words"],
            max_link_density=self.limits["max_link_density"])
        return article, page, headers, reason

    def _keep_article(self, response: TextResponse, site: SiteConfig, article: Article,
                      page: LoadedPage, headers: dict[str, str]) -> Iterator[Article]:
        """The article judged one, unless ``since`` rules it out."""
        # Counted on article pages only: a section page rightly lacks the story's elements.
        self._count_selectors(site, page, response.url)
        if self.since is not None and not self._archived(response.url, article.canonical_url):
            published = parse_instant(article.published)
            if published is not None and published < self.since:
                # Undated links (home and section pages) are fetched; the page's own
                # date then keeps -a since= honest about which new articles are stored.
                # An archived one was fetched because it changed within the window
                # (or is due for a re-check): its new version is kept whatever its age.
                self._skip("older-than-since", response.url)
                for url in {response.url, *response.meta.get("redirect_urls", ())}:
                    self.remember_skip(site.name, url, published_reason(published))
                return
        self._forget_skip(site, response.url)
        for source in response.meta.get("redirect_urls", ()):
            # The archive keys the article by where it ended up; remember the way in.
            self.remember_skip(site.name, source, REDIRECT_ALIAS)
        article.raw = RawPage(body=response.body, headers=headers, status=response.status,
                              redirected_from=tuple(response.meta.get("redirect_urls", ())))
        if self.incremental is not None:
            # Stored from here on: the rest of the run must see these addresses
            # as the archive had them when it began (a canonical URL the run
            # meets later is as new as it was).
            self.incremental.hold(response.url, article.canonical_url)
        yield article

    async def _extract(self, body: bytes, url: str, config: ExtractionConfig | None,
                       headers: dict[str, str], fetched_at: str) -> LoadedPage:
        """The page's Article (before cleaning) and its text signals, from a
        worker process when there are workers, else extracted here."""
        pool = self._pool
        if pool is not None and not pool.broken:
            # With every worker busy, this process takes the page rather than
            # wait: the rest of the crawl leaves much of its core idle.
            if pool.has_room():
                try:
                    future = pool.submit(body, url, config, headers, fetched_at)
                except (BrokenProcessPool, RuntimeError) as exc:  # RuntimeError: shut down under us
                    self._pool_failed(pool, exc)
                else:
                    try:
                        page = await _wait(future)
                    except BrokenProcessPool as exc:
                        # Any other error is this page's, raised as in-process extraction would.
                        self._pool_failed(pool, exc)
                    else:
                        self.crawler.stats.inc_value("newsarchive/extract_workers/pages")
                        return page
            else:
                self.crawler.stats.inc_value("newsarchive/extract_workers/shared")
        return load_for_crawl(body, url, None, config, headers, fetched_at)

    def _count_selectors(self, site: SiteConfig, page: LoadedPage, url: str) -> None:
        """Counts each [selectors] field that matched or missed, and logs a
        field's first miss: a redesign that leaves a site file's selectors
        matching nothing otherwise goes unnoticed, as the generic extraction
        quietly takes over."""
        stats = self.crawler.stats
        for name in page.selectors_matched:
            stats.inc_value(f"newsarchive/selectors/hit/{name}")
        for name in page.selectors_missed:
            stats.inc_value(f"newsarchive/selectors/miss/{name}")
            if (site.name, name) in self._selector_misses_logged:
                continue
            self._selector_misses_logged.add((site.name, name))
            logger.warning(
                "site %s: the [selectors] %s = %r of %s matched nothing on %s; the generic "
                "extraction gave the %s (logged once per site and field; every page it misses "
                "counts in newsarchive/selectors/miss/%s)",
                site.name, name, site.selectors.get(name), site.source or "its site file", url,
                name, name)

    def _pool_failed(self, pool: ExtractionPool, exc: BaseException) -> None:
        # A worker died (killed, out of memory): the crawl goes on without
        # workers rather than losing every page still to come.
        if not pool.broken:
            logger.error("extraction workers stopped (%r); extracting in the crawl's process", exc)
            self.crawler.stats.inc_value("newsarchive/extract_workers/broken")
            pool.give_up()

    # --- failures -------------------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[Request]:
        """One failing page, sitemap or feed is counted and logged; the crawl goes on."""
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("na_kind", "page")
        response = getattr(failure.value, "response", None)
        status = getattr(response, "status", None)
        from scrapy.exceptions import IgnoreRequest

        if isinstance(failure.value, IgnoreRequest) and response is None:
            if str(failure.value) == _MAX_REDIRECTS:
                self._redirect_failed("too-many-redirects", request, request.url)
            # Else skipped on purpose; the skipping component counted it.
            return
        if request.meta.get("na_skipped"):
            # A redirect refused and counted on the way (SiteBoundMiddleware).
            if kind == "article":
                self.remember_skip(request.meta.get("na_site", ""), request.url, "bad-redirect")
            logger.debug("skipped (%s): %s", request.meta["na_skipped"], request.url)
            return
        if request.meta.get("na_guess") and status in {404, 410}:
            # /sitemap.xml was only a guess (robots.txt names no sitemap):
            # finding none there is no failure, and happened on every run.
            self._skip("sitemap-guess-missing")
            logger.debug("no sitemap at %s", request.url)
            return
        self.crawler.stats.inc_value(f"newsarchive/failed/{kind}")
        if kind == "article" and status is not None and (status in {404, 410} or 300 <= status < 400):
            # Gone, or a redirect we refuse to follow: not worth asking every hour.
            self.remember_skip(request.meta.get("na_site", ""), request.url,
                               "gone" if status in {404, 410} else "bad-redirect")
            if status in {404, 410}:
                # The archive marks the article taken down, if it has it
                # (under any address of the redirect chain).
                self.crawler.signals.send_catch_log(
                    signal=article_gone, urls=[*request.meta.get("redirect_urls", ()), request.url],
                    status=status)
        logger.warning("could not fetch %s %s: %s", kind, request.url,
                       f"HTTP {status}" if status else repr(failure.value))
        if kind == "robots":
            site = self.targets.get(request.meta.get("na_site", ""))
            if site is not None and not site.sitemaps:
                yield from self._guess_sitemap(request.url, site)

    def not_requested(self, request: Request) -> None:
        """An article request refused before it was sent (robots.txt): it was
        counted in ``articles/<reason>`` and the site's ``max_articles`` as a
        page the run would fetch, and is counted under its skip reason alone."""
        reason = request.meta.get("na_counted")
        if request.meta.get("na_kind") != "article" or reason is None:
            return
        self._uncount(f"newsarchive/articles/{reason}")
        self._uncount("newsarchive/requests/article")
        site = request.meta.get("na_site", "")
        if self.articles_requested[site] > 0:
            self.articles_requested[site] -= 1

    def redirect_filtered(self, request: Request) -> None:
        """A redirect dropped as a duplicate (RedirectAwareDupeFilter tells us)."""
        chain = {canonicalize_url(url) for url in request.meta.get("redirect_urls", ())}
        if canonicalize_url(request.url) in chain:
            self._redirect_failed("redirect-loop", request, request.url)
        else:
            # Its target was requested this run under another address: a
            # feed's short link to an article in the sitemap, say, or an
            # archived story's old address, the sitemap listing its new one.
            self._skip("redirect-duplicate", request.url)
            site = self.targets.get(request.meta.get("na_site", ""))
            if site is not None and request.meta.get("na_kind") == "article":
                self._moved(request, site)

    def _moved(self, request: Request, site: SiteConfig) -> None:
        """Tell the archive that the redirect ``request`` came through, not
        followed, moved a page to its URL, when that URL may be an article's
        (not one the site or URL patterns rule out). The archive ignores a
        source it does not hold."""
        if (not site.owns(request.url) or detection.site_decision(request.url, site) is False
                or detection.non_article_reason(request.url) is not None):
            return
        self.crawler.signals.send_catch_log(signal=article_moved,
                                            urls=list(request.meta.get("redirect_urls", ())),
                                            target=request.url)

    def _redirect_failed(self, kind: str, request: Request, last: str) -> None:
        """A redirect chain Scrapy gave up on (too long, or back where it began)."""
        chain = [*request.meta.get("redirect_urls", ()), last]
        first = chain[0]
        self.crawler.stats.inc_value(f"newsarchive/failed/{kind}")
        self.remember_skip(request.meta.get("na_site", ""), first, "bad-redirect")
        why = ("goes round in a loop" if kind == "redirect-loop"
               else f"redirects more than {self.settings.getint('REDIRECT_MAX_TIMES')} times (REDIRECT_MAX_TIMES)")
        logger.warning("could not fetch %s %s: it %s: %s", request.meta.get("na_kind", "page"), first, why,
                       " -> ".join(chain))

    # --- helpers ----------------------------------------------------------------------

    def _site(self, response: Response) -> SiteConfig:
        return self.targets[response.meta["na_site"]]

    def _limit(self, site: SiteConfig, name: str) -> int:
        value = getattr(site, name)
        return self.limits[name] if value is None or name in self._run_limits else value

    def _skip(self, reason: str, url: str | None = None) -> None:
        self.crawler.stats.inc_value(f"newsarchive/skipped/{reason}")
        if url:
            logger.debug("skipped (%s): %s", reason, url)

    def _unskip(self, reason: str) -> None:
        """Take back one skip counted as ``reason`` (the article was decided again)."""
        self._uncount(f"newsarchive/skipped/{reason}")

    def _uncount(self, key: str) -> None:
        left = self.crawler.stats.get_value(key, 0) - 1
        if left > 0:
            self.crawler.stats.set_value(key, left)
        else:
            self.crawler.stats.get_stats().pop(key, None)

    def _may_list_rechecks(self, site: SiteConfig, lastmod: datetime, now: datetime) -> bool:
        """Whether a child sitemap last modified at ``lastmod`` may list an
        article inside the site's re-check window.

        Re-checks apply only to articles the run meets, and an article listed
        in no feed or first section page is met only in its sitemap: skipped
        as unchanged, its articles were never re-checked. An article is
        published no later than the sitemap that lists it was last modified,
        so a sitemap older than the window lists none that is due; only the
        few young ones (today's, this month's, the news sitemap) are read again.
        """
        return self.incremental is not None and self.incremental.is_recent(lastmod, now, site.recheck_recent)

    def _due(self, site: SiteConfig, url: str, now: datetime) -> bool:
        """Whether an archived article is due for a re-check by the site's window."""
        if self.incremental is None:
            return False
        verdict = self.incremental.decide(url, recent=site.recheck_recent, every=site.recheck_every,
                                          now=now, checked=self._remembered(site, url, None)[1])
        return verdict.reason == "recheck"

    def _archived(self, *urls: str | None) -> bool:
        """Whether the archive holds the article at any of ``urls``."""
        return self.incremental is not None and any(self.incremental.known(url) for url in urls if url)

    def _forget_skip(self, site: SiteConfig, url: str) -> None:
        # A page once skipped (a 404, a stub) and now judged an article: the
        # old verdict would otherwise hold back its re-checks until it expires.
        memory = self.skip_memory.get(site.name)
        if memory is not None and memory.reason(url) not in (None, CHECKED):
            memory.forget(url)

    def _already_known(self, site: SiteConfig, url: str) -> bool:
        """In the archive, or remembered as not worth fetching."""
        if self.incremental is not None and self.incremental.known(url):
            return True
        memory = self.skip_memory.get(site.name)
        reason = memory.reason(url) if memory is not None else None
        if reason is None:
            return False
        # A page dropped for its date is news to a run whose since admits it.
        return published_of(reason) is None or self._remembered(site, url, None)[0] is not None

    def _unreadable(self, kind: str, url: str) -> None:
        self.crawler.stats.inc_value(f"newsarchive/failed/{kind}-unreadable")
        logger.warning("%s %s gave nothing usable (broken or not a %s); crawl goes on", kind, url, kind)

    def _first_sight(self, url: str) -> bool:
        """True the first time this run meets ``url``, a link that is not an
        article's (those are decided by ``_article_request``).

        Scrapy's dupefilter would drop repeats too, but only after they were
        counted and checked; this keeps stats at one decision per link.
        """
        key = hash(canonicalize_url(url))
        if key in self._seen:
            return False
        self._seen[key] = None
        return True


class _Skipped(NamedTuple):
    """An article link this run skipped: why, and the date that decided it."""

    date: datetime | None
    reason: str


def _later(date: datetime | None, than: datetime | None) -> bool:
    """Whether a discovery ``date`` says more than ``than`` (an undated sighting says least)."""
    return date is not None and (than is None or date > than)


def freeze_start_up_objects() -> None:
    """Move every object alive now out of the cyclic collector's reach.

    By the time the first request goes out, the process holds most of what
    it keeps for the whole crawl: modules, Scrapy's and SQLAlchemy's objects
    (extraction's modules are imported later, with the first article, so
    that a re-crawl that fetches no article never imports them). Each full
    collection walked all of them again: 9 collections of ~75 ms on a
    2,000-page crawl, about 0.3 ms of CPU a page. Frozen (after a
    collection, so no garbage is kept), they are skipped, and the crawl's
    own objects are collected as before. The extraction workers' pool does
    the same before it forks (workers.py).
    """
    import gc

    gc.collect()
    gc.freeze()


def _state_key(site: SiteConfig) -> str:
    """Lock and skip-memory key: the configured name, or for a bare ``-a url=``
    the host with its port (two local servers are two sites)."""
    return site.name if site.source is not None else site.domains[0]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _served_at(response: Response) -> datetime | None:
    """The response's ``Date`` header: the server's clock, which its index's
    stamps were read from."""
    return parse_instant(response.headers.get("Date", b"").decode("latin-1"))


def _is_html(response: Response) -> bool:
    return isinstance(response, TextResponse) and not isinstance(response, XmlResponse)


async def _wait(future: Future[Any]) -> Any:
    """Await a concurrent.futures Future from a Scrapy callback, whatever the reactor."""
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet import reactor
    from twisted.internet.defer import Deferred

    deferred: Deferred[Any] = Deferred()

    def fire(done: Future[Any]) -> None:
        if deferred.called:
            return
        try:
            result = done.result()
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting callback
            deferred.errback(exc)
        else:
            deferred.callback(result)

    # Results arrive on the executor's thread; the reactor's thread fires the Deferred.
    future.add_done_callback(lambda done: reactor.callFromThread(fire, done))  # type: ignore[attr-defined]
    return await maybe_deferred_to_future(deferred)


def _headers(response: Response) -> dict[str, str]:
    return {
        key.decode("latin-1"): values[-1].decode("latin-1")
        for key, values in response.headers.items()
        if values
    }


__all__ = ["NewsSpider", "SpiderArgumentError", "resolve_targets"]
