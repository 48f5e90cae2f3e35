"""Discovery outcomes that were lost or miscounted (review leftovers): links
no address can be made of, links robots.txt refuses, a guessed /sitemap.xml
that is a page. Each served from 127.0.0.1."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawlsite import crawl_stats, read_feed, run_crawl
from routedsite import article, robots, serve_routes

pytestmark = pytest.mark.slow

FINE = "/news/2024/03/01/story-that-is-fine-today.html"


def _home(*links: str) -> tuple[int, dict[str, str], str]:
    anchors = "".join(f'<li><a href="{link}">A story</a></li>' for link in links)
    return 200, {}, f"<html><body><ul>{anchors}</ul></body></html>"


def _crawl(tmp_path: Path, routes: dict[str, tuple[int, dict[str, str], str]]
           ) -> tuple[str, list[tuple[str, str, int]], dict]:
    """``-a url=`` the served site's home page: (base, hits, stats); the run must exit 0."""
    with serve_routes(routes) as (base, hits):
        result = run_crawl(tmp_path, "-a", f"url={base}/")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "gave nothing usable" not in result.stderr
    return base, hits, crawl_stats(result.stderr)


def test_unusable_links_on_a_listing_page_are_counted(tmp_path: Path) -> None:
    """A template placeholder or a bad port in an <a href> was dropped under no
    reason: every skip is counted (README, How a site is crawled)."""
    bad = ["https://[YOUR-DOMAIN]/news/2024/03/01/template-story.html", "http://127.0.0.1:port/news/x"]
    routes = {
        "/robots.txt": robots("Allow: /"),
        # The same broken link on both pages: one skip a run, as other links.
        "/": _home(FINE, *bad, "/world", "mailto:desk@example.com"),
        "/world": _home(bad[0]),
        FINE: (200, {}, article("Fine")),
    }
    base, _, stats = _crawl(tmp_path, routes)
    assert stats.get("newsarchive/skipped/unusable-url") == 2, stats
    assert [item["url"] for item in read_feed(tmp_path / "articles.jsonl")] == [f"{base}{FINE}"]


def test_an_article_refused_by_robots_txt_is_not_counted_as_requested(tmp_path: Path) -> None:
    """It was in articles/new (and requests/article) as if fetched, beside
    skipped/robots-disallowed."""
    private = [f"/private/2024/03/0{i}/story-behind-robots-rule-{i}.html" for i in range(1, 4)]
    routes = {
        "/robots.txt": robots("Disallow: /private/"),
        "/": _home(*private, FINE),
        FINE: (200, {}, article("Fine")),
    }
    base, hits, stats = _crawl(tmp_path, routes)
    assert stats.get("newsarchive/skipped/robots-disallowed") == 3, stats
    assert stats.get("newsarchive/articles/new") == 1, stats
    assert stats.get("newsarchive/requests/article") == 1, stats
    assert not any(path.startswith("/private/") for path, _, _ in hits)
    assert [item["url"] for item in read_feed(tmp_path / "articles.jsonl")] == [f"{base}{FINE}"]


def test_links_robots_txt_refuses_do_not_use_up_max_articles(tmp_path: Path) -> None:
    """Every link of a page was routed (and max_articles applied) before
    robots.txt refused any: with max_articles = 1 the first /private/ link
    took the one place, the public article after it was skipped as
    limit-max-articles and nothing was stored. robots.txt is decided when the
    link is routed, before the limit."""
    private = [f"/private/2026/12/06/s{i}.html" for i in range(1, 4)]
    public = "/news/2026/12/06/pub.html"
    routes = {
        "/robots.txt": robots("Disallow: /private/"),
        "/": _home(*private, public),
        public: (200, {}, article("Public")),
    }
    with serve_routes(routes) as (base, hits):
        result = run_crawl(tmp_path, "-a", f"url={base}/", settings={"NEWSARCHIVE_MAX_ARTICLES": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert stats.get("newsarchive/skipped/robots-disallowed") == 3, stats
    assert "newsarchive/skipped/limit-max-articles" not in stats, stats
    assert stats.get("newsarchive/articles/new") == 1, stats
    assert stats.get("newsarchive/requests/article") == 1, stats
    assert not any(path.startswith("/private/") for path, _, _ in hits)
    assert [item["url"] for item in read_feed(tmp_path / "articles.jsonl")] == [f"{base}{public}"]


def test_a_guessed_sitemap_that_is_a_page_is_a_guess_that_missed(tmp_path: Path) -> None:
    """Sites that answer every address with a page (a soft 404, the home page)
    gave failed/sitemap-unreadable and a WARNING on every run, for a sitemap
    robots.txt never named."""
    routes = {
        "/robots.txt": robots("Allow: /"),
        "/": _home(FINE),
        "/sitemap.xml": (200, {}, "<html><body><h1>Page not found</h1></body></html>"),
        FINE: (200, {}, article("Fine")),
    }
    _, hits, stats = _crawl(tmp_path, routes)
    assert ("/sitemap.xml", "", 200) in hits
    assert stats.get("newsarchive/skipped/sitemap-guess-missing") == 1, stats
    assert not any(key.startswith("newsarchive/failed/") for key in stats), stats


def test_a_refused_article_gives_its_place_in_max_articles_back(tmp_path: Path) -> None:
    """A link robots.txt refused used up one of the site's max_articles: a
    run whose first links were refused fetched fewer articles than allowed."""
    from datetime import datetime, timezone

    from scrapy.crawler import Crawler
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from newsarchive.spiders.news import NewsSpider

    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "courier.toml").write_text('domains = ["courier.example"]\n[limits]\nmax_articles = 1\n',
                                        encoding="utf-8")
    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.setdict({"NEWSARCHIVE_SITES_DIR": str(sites), "NEWSARCHIVE_STATE_DIR": str(tmp_path / "state"),
                      "NEWSARCHIVE_INCREMENTAL": "0"}, priority="cmdline")
    crawler = Crawler(NewsSpider, settings)
    spider = NewsSpider.from_crawler(crawler, site="courier")
    crawler.stats = MemoryStatsCollector(crawler)
    site, now = spider.targets["courier"], datetime.now(timezone.utc)
    try:
        refused = spider._article_request("https://courier.example/news/2024/03/01/private-story.html", site,
                                          date=None, source="listing", now=now)
        assert refused is not None
        spider.not_requested(refused)  # what StrictRobotsTxtMiddleware calls
        allowed = spider._article_request("https://courier.example/news/2024/03/01/fine-story.html", site,
                                          date=None, source="listing", now=now)
        assert allowed is not None
        stats = crawler.stats.get_stats()
        assert stats.get("newsarchive/articles/new") == 1 and "newsarchive/skipped/limit-max-articles" not in stats
    finally:
        spider._release_locks(spider)
