"""The news spider against the local test site (tests/site/): one full crawl,
checked for what it stored, what it fetched and what it skipped, plus the
ways a run is chosen (-a url / site / none, since) and refused (bad input)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawlsite import (
    BUSY_ONCE,
    EXPECTED_ARTICLES,
    SiteState,
    crawl_demo_with_site_file,
    crawl_stats,
    read_feed,
    run_crawl,
    serve_site,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory: pytest.TempPathFactory):
    state = SiteState()
    base, server = serve_site(state)
    tmp = tmp_path_factory.mktemp("crawl")
    result = run_crawl(tmp, "-a", f"url={base}/")
    yield base, state, result, read_feed(tmp / "articles.jsonl"), tmp
    server.shutdown()
    server.server_close()


def paths(items: list[dict]) -> list[str]:
    return [urlsplit(item["url"]).path for item in items]


def test_every_article_is_stored_exactly_once(first_crawl) -> None:
    _, _, result, items, _ = first_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(paths(items)) == sorted(EXPECTED_ARTICLES)
    canonical = Counter(item["canonical_url"] for item in items)
    assert max(canonical.values()) == 1


def test_tracking_and_amp_variants_are_fetched_once(first_crawl) -> None:
    _, state, _, _, _ = first_crawl
    fetched = Counter(state.paths())
    bridge = "/news/2024/03/07/harbour-bridge-reopens-after-repairs.html"
    # Linked from the home page with utm_* and a fragment, and from /news/ as /amp/...
    assert fetched[bridge] == 1
    council = "/news/2024/03/01/council-approves-new-cycle-lanes.html"
    # In the gzipped sitemap, the RSS feed (with utm_*) and the /news/ section.
    assert fetched[council] == 1
    for hit in state.hits:
        if hit.path in EXPECTED_ARTICLES:
            assert "utm_" not in hit.query


def test_all_discovery_sources_are_read(first_crawl) -> None:
    _, state, _, items, _ = first_crawl
    fetched = set(state.paths())
    assert {"/robots.txt", "/sitemap_index.xml", "/sitemaps/articles.xml.gz", "/sitemaps/news.xml",
            "/rss.xml", "/atom.xml", "/culture.rdf", "/news/", "/news/page/2", "/world/"} <= fetched
    # Found only through: news sitemap, RSS redirect, Atom, RDF (autodiscovered on /world/), page 2.
    stored = set(paths(items))
    assert {"/world/2024/03/03/trade-talks-resume-in-brussels.html",
            "/news/2024/03/04/hospital-waiting-lists-fall.html",
            "/news/2024/03/05/library-opens-late-on-fridays.html",
            "/culture/2024/03/09/lantern-festival-draws-record-crowds.html",
            "/news/2024/03/06/river-cleanup-volunteers-honoured.html"} <= stored
    assert state.paths().count("/robots.txt") == 1


def test_robots_txt_disallowed_path_is_never_requested(first_crawl) -> None:
    _, state, result, _, _ = first_crawl
    assert not any(p.startswith("/private/") for p in state.paths())
    assert crawl_stats(result.stderr).get("robotstxt/forbidden", 0) >= 1


def test_non_article_pages_are_skipped_and_counted_by_reason(first_crawl) -> None:
    _, state, result, items, _ = first_crawl
    stats = crawl_stats(result.stderr)
    for reason in ("tag", "author", "video", "gallery", "live-index", "page-type-section", "few-words"):
        assert stats.get(f"newsarchive/skipped/{reason}", 0) >= 1, reason
    # URL-pattern skips cost no request at all.
    fetched = set(state.paths())
    assert not fetched & {"/tag/politics", "/author/jane-doe", "/live/", "/gallery/photos-of-the-week",
                          "/video/clip-of-the-day-at-the-harbour"}
    stored = set(paths(items))
    assert "/world/2024/03/08/weekly-roundup-of-world-stories.html" not in stored
    assert "/news/2024/03/08/short-notice-page-update.html" not in stored


def test_failures_redirects_and_retry_after(first_crawl) -> None:
    base, state, result, _, _ = first_crawl
    stats = crawl_stats(result.stderr)
    # 404, 500 (retried, then given up) and a missing sitemap do not end the crawl.
    assert stats["finish_reason"] == "finished"
    assert stats.get("newsarchive/failed/article", 0) >= 2
    assert stats.get("newsarchive/failed/sitemap", 0) >= 1
    assert stats.get("newsarchive/failed/feed-unreadable") == 1  # a truncated feed
    # On-site redirect followed; off-site and ftp: redirects are not.
    assert "/news/2024/03/04/hospital-waiting-lists-fall.html" in state.paths(200)
    assert stats.get("newsarchive/skipped/offsite-redirect") == 1
    assert stats.get("newsarchive/skipped/redirect-scheme") == 1
    # 429 with Retry-After: 1 -> the same page again, at least a second later.
    busy = [h for h in state.hits if h.path == BUSY_ONCE]
    assert [h.status for h in busy] == [429, 200]
    assert busy[1].at - busy[0].at >= 0.95
    assert stats.get("newsarchive/retry_after/count") == 1


def test_user_agent_carries_a_contact_url(first_crawl) -> None:
    _, state, _, _, _ = first_crawl
    agents = {h.headers.get("User-Agent", "") for h in state.hits}
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("newsarchive/") and "(+http" in agent


def test_since_limits_by_discovered_and_published_dates(tmp_path: Path) -> None:
    state = SiteState()
    base, server = serve_site(state)
    try:
        result = run_crawl(tmp_path, "-a", f"url={base}/", "-a", "since=2024-03-05")
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr[-3000:]
    stored = set(paths(read_feed(tmp_path / "articles.jsonl")))
    assert stored == {
        "/news/2024/03/05/library-opens-late-on-fridays.html",
        "/news/2024/03/06/river-cleanup-volunteers-honoured.html",
        "/news/2024/03/07/harbour-bridge-reopens-after-repairs.html",
        "/culture/2024/03/09/lantern-festival-draws-record-crowds.html",
        "/news/2024/03/10/busy-server-asks-to-wait.html",
    }
    fetched = set(state.paths())
    # The 2019 sitemap is older than since: neither it nor its article is fetched.
    assert "/sitemaps/archive-2019.xml" not in fetched
    assert "/news/2019/06/01/old-market-hall-restoration-begins.html" not in fetched
    # Dated older in the RSS feed only: not fetched.
    assert "/go/hospital-waiting-lists-short-link" not in fetched
    stats = crawl_stats(result.stderr)
    assert stats.get("newsarchive/skipped/older-than-since", 0) >= 2


def _site_file(folder: Path, name: str, base: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.toml").write_text(
        f'domains = ["{urlsplit(base).netloc}"]\nstart_urls = ["{base}/"]\n'
        "[articles]\ndeny = ['/culture/']\n[limits]\nmax_listing_pages = 1\n", encoding="utf-8")


def test_site_argument_and_all_sites(tmp_path: Path) -> None:
    one, two = SiteState(), SiteState()
    base_one, server_one = serve_site(one)
    base_two, server_two = serve_site(two)
    sites = tmp_path / "sites"
    _site_file(sites, "courier-one", base_one)
    _site_file(sites, "courier-two", base_two)
    try:
        single = run_crawl(tmp_path, "-a", "site=courier-one", feed="one.jsonl",
                           settings={"NEWSARCHIVE_SITES_DIR": str(sites)})
        assert single.returncode == 0, single.stderr[-3000:]
        assert one.hits and not two.hits
        items = read_feed(tmp_path / "one.jsonl")
        assert {item["site"] for item in items} == {"courier-one"}
        # The site's deny pattern and pagination limit apply.
        assert not any("/culture/" in item["url"] for item in items)
        assert "/news/page/2" not in one.paths()
        one.clear()
        every = run_crawl(tmp_path, feed="all.jsonl", settings={"NEWSARCHIVE_SITES_DIR": str(sites),
                                                               "NEWSARCHIVE_INCREMENTAL": "0"})
        assert every.returncode == 0, every.stderr[-3000:]
        assert one.hits and two.hits
        assert {item["site"] for item in read_feed(tmp_path / "all.jsonl")} == {"courier-one", "courier-two"}
        # While another run holds courier-one, a run of every site crawls only the rest.
        one.clear()
        two.clear()
        from newsarchive.runlock import RunLocks

        held = RunLocks(tmp_path / "state")
        assert held.acquire("courier-one")
        try:
            rest = run_crawl(tmp_path, feed="rest.jsonl", settings={"NEWSARCHIVE_SITES_DIR": str(sites),
                                                                   "NEWSARCHIVE_INCREMENTAL": "0"})
        finally:
            held.release_all()
        assert rest.returncode == 0, rest.stderr[-3000:]
        assert "site courier-one is already being crawled" in rest.stderr
        assert not one.hits and two.hits
        assert crawl_stats(rest.stderr).get("newsarchive/run/locked_sites") == 1
    finally:
        for server in (server_one, server_two):
            server.shutdown()
            server.server_close()


def test_article_limit_per_run(tmp_path: Path) -> None:
    state = SiteState()
    base, server = serve_site(state)
    try:
        result = run_crawl(tmp_path, "-a", f"url={base}/", settings={"NEWSARCHIVE_MAX_ARTICLES": "3"})
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert stats["newsarchive/requests/article"] == 3
    assert stats.get("newsarchive/skipped/limit-max-articles", 0) >= 1
    assert len(read_feed(tmp_path / "articles.jsonl")) <= 3


@pytest.mark.parametrize("args, message", [
    (("-a", "site=no-such-site"), "unknown site no-such-site"),
    (("-a", "url=http://127.0.0.1:9/", "-a", "since=last tuesday"), "since="),
    (("-a", "url=ftp://127.0.0.1/"), "not an http(s) address"),
    (("-a", "url=notaurl"), "url='notaurl' is not an address"),
    (("-a", "url=mailto:x@y.z"), "url='mailto:x@y.z' is not an http(s) address"),
    (("-a", "url=javascript:alert(1)"), "url='javascript:alert(1)' is not an http(s) address"),
    (("-a", "url=https://[YOUR-DOMAIN]/news/"), "is not a host name or IP address"),
    (("-a", "url=http://user:pw@127.0.0.1:9/"), "a user name or password in the address is not supported"),
])
def test_bad_arguments_stop_at_start_with_status_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_crawl(tmp_path, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_site_file_stops_the_crawl_naming_file_key_and_problem(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    bad = sites / "broken.toml"
    bad.write_text('domains = ["a.example"]\n[limits]\nmax_articles = -1\n', encoding="utf-8")
    result = run_crawl(tmp_path, "-a", "url=http://127.0.0.1:9/", settings={"NEWSARCHIVE_SITES_DIR": str(sites)})
    assert result.returncode == 2
    assert str(bad) in result.stderr and "'limits.max_articles'" in result.stderr
    assert "whole number" in result.stderr
    assert not (tmp_path / "articles.jsonl").exists()


def test_default_dated_feed_and_environment_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess

    from crawlsite import REPO, crawl_command, crawl_env

    from newsarchive.items import FEED_FIELDS

    state = SiteState()
    base, server = serve_site(state)
    env_db = tmp_path / "from-env.db"
    env = {**crawl_env(), "NEWSARCHIVE_DB_URL": f"sqlite:///{env_db}"}
    exports = tmp_path / "exports"
    try:
        # -s names another archive: the environment variable wins, as documented.
        result = subprocess.run(
            crawl_command(tmp_path, "-a", f"url={base}/", feed=None,
                          settings={"NEWSARCHIVE_EXPORT_DIR": str(exports)}),
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr[-3000:]
    (feed,) = exports.glob("news-127.0.0.1-*.jsonl")
    rows = read_feed(feed)
    assert len(rows) == len(EXPECTED_ARTICLES)
    assert list(rows[0]) == list(FEED_FIELDS)
    assert env_db.exists() and not (tmp_path / "archive.db").exists()
    assert os.path.getsize(env_db) > 0


def test_spider_set_up_without_a_crawl(tmp_path: Path) -> None:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from newsarchive.items import Article
    from scrapy.statscollectors import MemoryStatsCollector

    from newsarchive.spiders.news import NewsSpider

    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "courier.toml").write_text(
        'domains = ["courier.example"]\ntimezone = "Europe/Paris"\n[limits]\ndownload_delay = 3\n', encoding="utf-8")
    def get_crawler(spidercls, values):
        # As `scrapy crawl` builds it: project settings, not yet frozen.
        settings = Settings()
        settings.setmodule("newsarchive.settings", priority="project")
        settings.setdict(values, priority="cmdline")
        return Crawler(spidercls, settings)

    settings = {"NEWSARCHIVE_SITES_DIR": str(sites), "NEWSARCHIVE_STATE_DIR": str(tmp_path / "state")}
    crawler = get_crawler(NewsSpider, settings)
    spider = NewsSpider.from_crawler(crawler, site="courier")
    assert crawler.settings.getdict("DOWNLOAD_SLOTS")["www.courier.example"] == {"delay": 3.0}
    # Scrapy keys slots by host name without the port: a domain given with
    # one used to get a slot no request ever used, so its delay never applied.
    (sites / "local.toml").write_text(
        'domains = ["127.0.0.1:18431"]\nstart_urls = ["http://127.0.0.1:18431/"]\n[limits]\ndownload_delay = 2\n', encoding="utf-8")
    local = get_crawler(NewsSpider, settings)
    NewsSpider.from_crawler(local, site="local")
    assert local.settings.getdict("DOWNLOAD_SLOTS")["127.0.0.1"] == {"delay": 2.0}
    # The delay holds across the site's hosts: every request of the site goes
    # to one slot (each subdomain had its own, at the global delay).
    crawler.stats = MemoryStatsCollector(crawler)
    for url in ("https://courier.example/", "https://www.courier.example/a", "https://static.courier.example/s.xml"):
        request = spider._request(url, spider.targets["courier"], "sitemap", spider.parse_sitemap)
        assert request.meta["download_slot"] == "courier.example"
    assert crawler.settings.getdict("DOWNLOAD_SLOTS")["courier.example"] == {"delay": 3.0}
    config = spider.extraction_config_for(Article(url="https://courier.example/a", site="courier"))
    assert config is not None and config.timezone == "Europe/Paris"
    assert spider.extraction_config_for(Article(url="https://other.example/a")) is None
    assert spider.site_owns("courier", "https://www.courier.example/x")
    assert not spider.site_owns("courier", "https://elsewhere.example/x")
    spider._release_locks(spider)
    # -a url= on a configured site's domain uses that site's file.
    crawler = get_crawler(NewsSpider, settings)
    spider = NewsSpider.from_crawler(crawler, url="https://www.courier.example/world")
    assert list(spider.targets) == ["courier"]
    assert spider.targets["courier"].start_urls == ("https://www.courier.example/world",)
    spider._release_locks(spider)


def test_contact_url_setting_goes_into_the_user_agent() -> None:
    from scrapy.settings import Settings

    from newsarchive.spiders.news import NewsSpider

    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.set("NEWSARCHIVE_CONTACT_URL", "https://archive.example/crawler", priority="cmdline")
    NewsSpider.update_settings(settings)
    assert settings["USER_AGENT"].endswith("(+https://archive.example/crawler)")
    # An explicit USER_AGENT is left alone.
    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.set("USER_AGENT", "mybot/1.0 (+https://me.example)", priority="cmdline")
    settings.set("NEWSARCHIVE_CONTACT_URL", "https://archive.example/crawler", priority="cmdline")
    NewsSpider.update_settings(settings)
    assert settings["USER_AGENT"] == "mybot/1.0 (+https://me.example)"


def test_log_lines_name_items_by_url_not_by_their_raw_page() -> None:
    import logging

    from scrapy.exceptions import DropItem
    from scrapy.utils.test import get_crawler

    from newsarchive.items import Article, RawPage
    from newsarchive.logformat import ArchiveLogFormatter
    from newsarchive.spiders.news import NewsSpider

    crawler = get_crawler(NewsSpider, {"DEFAULT_DROPITEM_LOG_LEVEL": "INFO"})
    spider = type("S", (), {"crawler": crawler})()
    item = Article(url="https://news.example/a", raw=RawPage(body=b"<html>" + b"x" * 50_000))
    formatter = ArchiveLogFormatter()
    dropped = formatter.dropped(item, DropItem("no-headline"), None, spider)
    assert dropped["level"] == logging.INFO
    line = dropped["msg"] % dropped["args"]
    assert line == "Dropped (no-headline): https://news.example/a"
    # The DEBUG "Scraped" line names it by URL too (tests/test_logformat.py).


def test_start_up_objects_are_frozen_before_the_first_request(tmp_path, monkeypatch) -> None:
    import asyncio
    from types import SimpleNamespace

    from scrapy.crawler import Crawler
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from newsarchive.spiders import news

    def first_request(freeze: str | None) -> tuple[object, list[int]]:
        calls: list[int] = []
        monkeypatch.setattr(news, "freeze_start_up_objects", lambda: calls.append(1))
        settings = Settings()
        settings.setmodule("newsarchive.settings", priority="project")
        settings.setdict({"NEWSARCHIVE_STATE_DIR": "", "NEWSARCHIVE_INCREMENTAL": False,
                          **({"NEWSARCHIVE_GC_FREEZE": freeze} if freeze is not None else {})}, priority="cmdline")
        crawler = Crawler(news.NewsSpider, settings)
        spider = news.NewsSpider.from_crawler(crawler, url="http://127.0.0.1:9/")
        crawler.stats = MemoryStatsCollector(crawler)
        crawler.engine = SimpleNamespace(downloader=None)  # no robots.txt middleware to hand over to

        async def first() -> object:
            return await spider.start().__anext__()

        return asyncio.run(first()), calls

    request, calls = first_request(None)  # the default
    assert request.url == "http://127.0.0.1:9/robots.txt"
    assert calls == [1]
    assert first_request("0")[1] == []


def test_freezing_keeps_what_is_alive_out_of_the_collectors_walks() -> None:
    import gc

    from newsarchive.spiders.news import freeze_start_up_objects

    gc.unfreeze()  # an in-process crawl of an earlier test may have frozen some
    try:
        alive = [[] for _ in range(10)]  # tracked by the collector
        freeze_start_up_objects()
        assert gc.get_freeze_count() > len(alive)
        # Out of every generation the collector walks.
        walked = {id(obj) for generation in range(3) for obj in gc.get_objects(generation=generation)}
        assert not any(id(x) in walked for x in alive)
    finally:
        gc.unfreeze()


def test_a_site_selector_that_matches_nothing_is_counted_and_warned_once(tmp_path: Path) -> None:
    # After a redesign a site file's selectors all missed and the generic
    # extraction took over in silence. Extraction runs in a worker process
    # here: what it reports of the selectors comes back from it.
    result, site_file = crawl_demo_with_site_file(
        tmp_path, '[selectors]\nheadline = "h1"\nauthors = ".story-meta .writer"\n',
        settings={"NEWSARCHIVE_EXTRACT_WORKERS": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    stored = read_feed(tmp_path / "articles.jsonl")
    assert stored and all(item["authors"] for item in stored)  # the generic extraction found them
    assert stats["newsarchive/selectors/miss/authors"] == stats["newsarchive/selectors/hit/headline"] >= len(stored)
    assert "newsarchive/selectors/miss/headline" not in stats
    warnings = [line for line in result.stderr.splitlines() if "[selectors]" in line]
    assert len(warnings) == 1, warnings
    assert "WARNING" in warnings[0]
    assert (f"site local: the [selectors] authors = '.story-meta .writer' of {site_file} "
            "matched nothing on ") in warnings[0]
    assert "the generic extraction gave the authors" in warnings[0]
