"""Scrapy settings for the newsarchive project.

Polite by default: robots.txt obeyed (5xx = disallow all), AutoThrottle on,
a few requests per domain at a time, a User-Agent that says who we are, and
Retry-After honoured. Relax them per run with ``-s NAME=VALUE``.

Nothing here opens a file or a connection: components read these values in
their ``from_crawler``. The environment gives ``NEWSARCHIVE_DB_URL`` (the
archive, for the crawl and the CLI alike; read where it is used, and it wins
over the setting), and the defaults of ``NEWSARCHIVE_CONTACT_URL``,
``NEWSARCHIVE_SITES_DIR``, ``NEWSARCHIVE_STATE_DIR`` and
``NEWSARCHIVE_EXPORT_DIR`` (``-s`` wins over these).
"""
from __future__ import annotations

import os

from scrapy.settings import default_settings as _scrapy_defaults

from newsarchive import __version__
from newsarchive.items import FEED_FIELDS

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["newsarchive.spiders"]
NEWSPIDER_MODULE = "newsarchive.spiders"
# Our ``crawl`` command replaces Scrapy's to turn the run's outcome into an exit
# code a scheduler can act on (see newsarchive/exitcodes.py).
COMMANDS_MODULE = "newsarchive.commands"

# --- Identity -----------------------------------------------------------------
# Site owners should be able to find out who is crawling them and how to ask us
# to stop. Point this at your own page when you run the archive.
NEWSARCHIVE_CONTACT_URL = os.environ.get(
    "NEWSARCHIVE_CONTACT_URL", "https://github.com/newsarchive/newsarchive#crawler"
)
USER_AGENT = f"newsarchive/{__version__} (+{NEWSARCHIVE_CONTACT_URL})"

# --- Politeness -----------------------------------------------------------------
ROBOTSTXT_OBEY = True
# RFC 9309: an unreachable robots.txt (5xx, timeout) means "disallow all".
NEWSARCHIVE_ROBOTS_TIMEOUT = 20
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # delays vary by ±50% (RANDOMIZE_DOWNLOAD_DELAY is deprecated)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
# 429 and 503 are handled by RetryAfterMiddleware, which waits as told.
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]
RETRY_TIMES = 2
NEWSARCHIVE_RETRY_AFTER_CODES = [429, 503]
NEWSARCHIVE_RETRY_AFTER_TIMES = 3
NEWSARCHIVE_RETRY_AFTER_DEFAULT = 10.0  # seconds, when the header is missing
NEWSARCHIVE_RETRY_AFTER_MAX = 300.0  # longer waits give the page up for this run
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- Components ---------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Above RedirectMiddleware (600): sees 304s and redirects before anything else.
    "newsarchive.incremental.IncrementalMiddleware": 650,
    # Before robots.txt, so an off-site redirect never costs a robots.txt fetch.
    "newsarchive.politeness.SiteBoundMiddleware": 90,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsarchive.politeness.StrictRobotsTxtMiddleware": 100,
    "newsarchive.politeness.RetryAfterMiddleware": 555,
    # Scrapy's meta-refresh check decoded every page; ours skips the pages
    # whose bytes cannot hold a refresh (newsarchive/refresh.py).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsarchive.refresh.LazyMetaRefreshMiddleware": 580,
    # Just outside HttpCompressionMiddleware (590): keeps the body as sent (newsarchive/wirebody.py).
    "newsarchive.wirebody.WireBodyMiddleware": 595,
}
# Gives each article the body its server sent, to store as it is (newsarchive/wirebody.py).
SPIDER_MIDDLEWARES = {"newsarchive.wirebody.WireBodySpiderMiddleware": 500}
EXTENSIONS = {
    "newsarchive.runrecord.RunRecorder": 500,
    "newsarchive.allocator.MallocTuning": 0,
    # Scrapy's AutoThrottle walked a site file's download_delay down to the
    # global DOWNLOAD_DELAY; this one keeps it as the site's floor.
    "scrapy.extensions.throttle.AutoThrottle": None,
    "newsarchive.politeness.SiteDelayAutoThrottle": 0,
}
# Scrapy 2.19 serves a localhost HTTP endpoint in every crawl that runs posted
# Python code (token in the user's profile folder): not for unattended runs.
REMOTE_CONTROL_ENABLED = False
ITEM_PIPELINES = {
    "newsarchive.pipelines.cleaning.CleanPipeline": 100,
    "newsarchive.pipelines.validation.ValidatePipeline": 200,
    "newsarchive.pipelines.storage.StorePipeline": 300,
}
# One key per article however it was linked (tracking parameters, AMP, www...).
REQUEST_FINGERPRINTER_CLASS = "newsarchive.dedupe.CanonicalRequestFingerprinter"
# Scrapy's default resolver, but an IPv6 literal host ("http://[::1]:8080/") is its own address.
# Scrapy 2.14+ reads TWISTED_DNS_RESOLVER and warns (a WARNING in every run's
# log) when DNS_RESOLVER is set; older Scrapy (pyproject allows 2.13) knows
# only DNS_RESOLVER. Set the one this Scrapy reads, so no version warns.
if hasattr(_scrapy_defaults, "TWISTED_DNS_RESOLVER"):
    TWISTED_DNS_RESOLVER = "newsarchive.resolver.LiteralAwareResolver"
else:  # pragma: no cover - Scrapy < 2.14
    DNS_RESOLVER = "newsarchive.resolver.LiteralAwareResolver"
# Tells the spider of redirects it drops as duplicates, so a redirect loop is counted.
DUPEFILTER_CLASS = "newsarchive.dedupe.RedirectAwareDupeFilter"

# --- Archive ------------------------------------------------------------------
# An SQLAlchemy URL. The environment variable of the same name wins over this
# and over ``-s`` (NewsSpider.update_settings applies it to the crawl).
NEWSARCHIVE_DB_URL = "sqlite:///newsarchive.db"
NEWSARCHIVE_MIN_WORDS = 50
# Articles per transaction. Up to four batches are alive at once (filling,
# two waiting, one being written), each holding its articles and compressed
# pages. 25 rather than 100 lowered a 2,000-page crawl's peak memory by 8-19 MB
# (three A/B pairs); 10, with the malloc tuning below, brought an 8,000-page
# crawl from 216 MB (batch 25) to 204 MB at the same pages/s
# (benchmarks/crawl_bench.py, README "The crawl benchmark"). At a crawl's
# ~100 articles/s that is ten small commits a second, which WAL absorbs.
NEWSARCHIVE_STORE_BATCH = 10
NEWSARCHIVE_STORE_BATCH_BYTES = 4_000_000

# --- Sites and discovery ------------------------------------------------------
# Folder of site files (*.toml); the bundled one holds the shipped outlets.
NEWSARCHIVE_SITES_DIR = os.environ.get("NEWSARCHIVE_SITES_DIR", "")  # "" = bundled
NEWSARCHIVE_MAX_LISTING_PAGES = 5  # pagination depth per section page
NEWSARCHIVE_LISTING_DEPTH = 1  # home -> section pages; 0 = only the start pages
NEWSARCHIVE_MAX_ARTICLES = 0  # article pages per site and run; 0 = no limit
NEWSARCHIVE_GUESS_SITEMAP = True  # try /sitemap.xml when robots.txt names none
# Detection of non-article pages (see newsarchive/detection.py).
NEWSARCHIVE_DETECT_MIN_WORDS = 80
NEWSARCHIVE_DETECT_MAX_LINK_DENSITY = 0.5

# --- Incremental re-crawls ------------------------------------------------------
NEWSARCHIVE_INCREMENTAL = True
# Articles published within RECHECK_RECENT are fetched again (conditionally)
# once RECHECK_EVERY has passed since the archived copy was fetched.
NEWSARCHIVE_RECHECK_RECENT = "2d"
NEWSARCHIVE_RECHECK_EVERY = "6h"

# Non-article pages, 404s and refused redirects are not fetched again for this
# long (remembered per site and archive in NEWSARCHIVE_STATE_DIR). "" = no memory.
NEWSARCHIVE_SKIP_RECHECK = "7d"

# --- Runs ---------------------------------------------------------------------
# Per-site run state: lock files (two runs of one site never crawl at once)
# and the skip memory. Relative to the directory the crawl runs in.
# "" turns both off.
# NEWSARCHIVE_LOCK_DIR, if set, is an older name for the same folder.
NEWSARCHIVE_STATE_DIR = (
    os.environ.get("NEWSARCHIVE_STATE_DIR") or os.environ.get("NEWSARCHIVE_LOCK_DIR") or ".newsarchive-state"
)
NEWSARCHIVE_RECORD_RUNS = True

# --- Feeds --------------------------------------------------------------------
# Every crawl also writes exports/<spider>-<site>-<time>.jsonl. Set
# NEWSARCHIVE_EXPORT_DIR to "" to switch it off; -O/-o add their own feeds.
# Read from the environment too, like the archive, sites and state folders.
NEWSARCHIVE_EXPORT_DIR = os.environ.get("NEWSARCHIVE_EXPORT_DIR", "exports")
FEED_EXPORT_FIELDS = list(FEED_FIELDS)
FEED_EXPORT_ENCODING = "utf-8"
# An hourly run that finds nothing new writes no empty file.
FEED_STORE_EMPTY = False
# JSON lines through orjson: the same lines as Scrapy's exporter (keys, values,
# UTF-8), at about a seventh of its CPU (newsarchive/feedexporters.py).
FEED_EXPORTERS = {
    "jsonlines": "newsarchive.feedexporters.OrjsonLinesItemExporter",
    "jsonl": "newsarchive.feedexporters.OrjsonLinesItemExporter",
    "jl": "newsarchive.feedexporters.OrjsonLinesItemExporter",
    # -O file.csv: the cells `newsarchive export --format csv` writes (captions as JSON).
    "csv": "newsarchive.feedexporters.ArticleCsvItemExporter",
    # -O file.xml: captions as elements, not Python reprs.
    "xml": "newsarchive.feedexporters.ArticleXmlItemExporter",
}

# --- Engine -------------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Scrapy starts CONCURRENT_ITEMS + 1 asyncio tasks (and a queue) for every
# callback's output, even when it is one article. Our callbacks yield one
# item, or requests that are handled synchronously, so more than one worker
# per response never ran anything in parallel: Scrapy's 100 cost about
# 0.5 ms of CPU a response more than 16, and 16 about 0.2 ms more than 1
# (news crawls of 2,000 local pages, benchmarks/crawl_bench.py). Responses
# are still processed concurrently: each has its own worker.
CONCURRENT_ITEMS = 1
# Bytes of responses Scrapy holds for callbacks before it stops starting
# downloads (Scrapy's default is 5 MB, about 30 news pages). Extraction is
# the slow step, so a deep queue of fetched pages only holds memory: with
# 1 MB the peak of a news crawl was 2.4-9.0 MB lower in four A/B pairs (two
# on 2,000 pages, two on 8,000) at the same CPU per page.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
LOG_LEVEL = "INFO"
# Items are logged by URL: an Article carries its raw page (see logformat.py).
LOG_FORMATTER = "newsarchive.logformat.ArchiveLogFormatter"
# A page that is not worth storing is routine, not a warning.
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

# --- Speed ----------------------------------------------------------------------
# Processes that extract articles. Extraction is most of a crawl's CPU time and
# Scrapy runs on one thread, so workers let other cores do it while the
# crawl's own process takes a page whenever they are all busy. "auto" = one
# per core beyond the first (none on one core). 0, the default, extracts in
# the crawl's process: a worker is a second Python process with Scrapy and
# extraction's caches, and copy-on-write sharing does not survive Python's
# reference counting, so on 2 cores "auto" was faster but held about 2x bare
# Scrapy's memory against the 1.5x target (README, "The crawl benchmark").
NEWSARCHIVE_EXTRACT_WORKERS = 0
# glibc malloc (newsarchive/allocator.py): a fixed 128 KB mmap threshold gives
# each large page buffer its own mapping, returned on free, instead of heap
# holes that the process keeps. On an 8,000-page crawl: 216 MB peak instead
# of 241 MB; with batches of 10, 204 MB (1.47x bare Scrapy, the issue's
# target is 1.5x). It doubles system CPU (page faults); pages/s moved by 0-5%
# in the A/B runs. -s NEWSARCHIVE_MALLOC_TUNING=0 turns it off.
NEWSARCHIVE_MALLOC_TUNING = True
NEWSARCHIVE_MALLOC_MMAP_THRESHOLD = 128 * 1024
# Freeze the objects alive when the crawl starts (gc.freeze, after a
# collection): the cyclic collector's full passes stop walking Python's and
# the libraries' start-up objects again and again. On 2,000-page crawls the
# full collections went from 0.68-0.73 to 0.18-0.23 s of CPU, at the same peak
# memory (three A/B pairs; newsarchive/spiders/news.py, freeze_start_up_objects).
NEWSARCHIVE_GC_FREEZE = True
