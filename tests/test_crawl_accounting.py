"""Crawl outcomes a user walk (usertest9) found lost or miscounted: the one
article -a url= names, redirect chains and loops, robots.txt and long URLs,
the guessed sitemap, and what "nothing fetched" says."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawlsite import crawl_stats, read_feed, run_crawl
from routedsite import article, robots, serve_routes, sitemap

pytestmark = pytest.mark.slow

HOME = "<html><body><p>Home</p></body></html>"


def test_a_given_article_whose_address_looks_like_a_section_is_stored(tmp_path: Path) -> None:
    """/news/articles/c4g0xyz12o is no URL rule's article: it was read as a
    listing only, and the sitemap's request for it dropped as a duplicate."""
    wanted = "/news/articles/c4g0xyz12o"
    routes = {
        "/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
        "/sitemap.xml": (200, {"Content-Type": "application/xml"},
                         sitemap(wanted, "/news/2024/03/01/other-story-in-the-sitemap.html")),
        wanted: (200, {}, article("Mayor resigns after vote")),
        "/news/2024/03/01/other-story-in-the-sitemap.html": (200, {}, article("Other story")),
        "/": (200, {}, HOME),
    }
    with serve_routes(routes) as (base, hits):
        result = run_crawl(tmp_path, "-a", f"url={base}{wanted}?utm_source=x#frag")
    assert result.returncode == 0, result.stderr[-3000:]
    stored = {item["url"] for item in read_feed(tmp_path / "articles.jsonl")}
    assert stored == {f"{base}{wanted}", f"{base}/news/2024/03/01/other-story-in-the-sitemap.html"}
    # Requested once, without the tracking parameter (README: -a url=).
    assert [(q, s) for p, q, s in hits if p == wanted] == [("", 200)]
    # The sitemap's entry for it is no second request, dropped by the scheduler.
    stats = crawl_stats(result.stderr)
    assert "dupefilter/filtered" not in stats and stats["newsarchive/articles/new"] == 1, stats


def test_a_given_section_page_is_read_for_links_not_stored(tmp_path: Path) -> None:
    links = "".join(f'<li><a href="/news/2024/03/0{i}/story-number-{i}-of-the-day.html">Story {i} of the '
                    f'day in brief</a></li>' for i in range(1, 6))
    routes = {
        "/robots.txt": robots("Allow: /"),
        "/news/politics": (200, {}, f"<html><body><h1>Politics</h1><ul>{links}</ul></body></html>"),
        **{f"/news/2024/03/0{i}/story-number-{i}-of-the-day.html": (200, {}, article(f"Story {i}"))
           for i in range(1, 6)},
    }
    with serve_routes(routes) as (base, hits):
        result = run_crawl(tmp_path, "-a", f"url={base}/news/politics")
    assert result.returncode == 0, result.stderr[-3000:]
    stored = {item["url"].removeprefix(base) for item in read_feed(tmp_path / "articles.jsonl")}
    assert stored == {f"/news/2024/03/0{i}/story-number-{i}-of-the-day.html" for i in range(1, 6)}
    # The section page is not a skip (the guessed /sitemap.xml is missing, that is all).
    skipped = {key for key in crawl_stats(result.stderr) if key.startswith("newsarchive/skipped/")}
    assert skipped <= {"newsarchive/skipped/sitemap-guess-missing"}, skipped


def _redirect(to: str, status: int = 302) -> tuple[int, dict[str, str], str]:
    return status, {"Location": to}, ""


def test_long_redirect_chains_and_loops_are_counted_and_logged(tmp_path: Path) -> None:
    """They lost the article with only DEBUG lines ("max redirections
    reached", "Filtered duplicate request") and no count."""
    chain = {f"/go/hop-{i}": _redirect(f"/go/hop-{i + 1}") for i in range(7)}
    loop = {"/news/2024/03/01/loop-story-one-way.html": _redirect("/news/2024/03/01/loop-story-other-way.html"),
            "/news/2024/03/01/loop-story-other-way.html": _redirect("/news/2024/03/01/loop-story-one-way.html")}
    refresh = "/news/2024/03/01/refresh-to-itself-story.html"
    routes = {
        "/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
        "/sitemap.xml": (200, {"Content-Type": "application/xml"},
                         sitemap("/go/hop-0", "/news/2024/03/01/loop-story-one-way.html", refresh,
                                 "/news/2024/03/01/a-story-that-is-fine.html")),
        **chain, **loop,
        refresh: (200, {}, f'<html><head><meta http-equiv="refresh" content="0; url={{base}}{refresh}">'
                           '</head><body>moved</body></html>'),
        "/news/2024/03/01/a-story-that-is-fine.html": (200, {}, article("Fine")),
        "/": (200, {}, HOME),
    }
    with serve_routes(routes) as (base, _):
        result = run_crawl(tmp_path, "-a", f"url={base}/")
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert stats.get("newsarchive/failed/too-many-redirects") == 1, stats
    assert stats.get("newsarchive/failed/redirect-loop") == 2, stats
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line and "redirect" in line
                or "loop" in line and "WARNING" in line]
    assert any(f"{base}/go/hop-0: it redirects more than 5 times" in line for line in warnings), warnings
    assert any(f"{base}/news/2024/03/01/loop-story-one-way.html: it goes round in a loop" in line
               for line in warnings), warnings
    assert any(f"{base}{refresh}: it goes round in a loop" in line for line in warnings), warnings


def test_nothing_fetched_leaves_robots_txt_out_of_the_site_s_answers() -> None:
    from newsarchive import exitcodes

    blocked = {"finish_reason": "finished", "downloader/request_count": 3, "robotstxt/request_count": 1,
               "downloader/response_status_count/200": 1, "robotstxt/response_status_count/200": 1,
               "downloader/response_status_count/403": 2}
    assert exitcodes.nothing_fetched(blocked) == (
        exitcodes.SITE_DOWN, "nothing fetched (exit status 4): the site answered no page (2 × HTTP 403)")


def test_a_site_that_only_redirects_elsewhere_says_where(tmp_path: Path) -> None:
    """It said "the site answered no page (2 × HTTP 301; 1 × HTTP 404)" and
    recorded site_down; the 404 was robots.txt, and the site is up elsewhere."""
    import json
    import sqlite3

    from newsarchive import exitcodes

    routes = {"/robots.txt": (404, {}, "no"), "/": _redirect("http://localhost:9/", 301),
              "/sitemap.xml": _redirect("http://localhost:9/sitemap.xml", 301)}
    with serve_routes(routes) as (base, _):
        result = run_crawl(tmp_path, "-a", f"url={base}/", feed=None, settings={"RETRY_TIMES": "0"})
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-2000:]
    last = result.stderr.split("nothing fetched (exit status 4): ", 1)[1].splitlines()[0]
    assert last == (f"the site only redirected elsewhere, which the crawl does not follow: {base}/ -> "
                    "http://localhost:9/ (crawl the new address with -a url=, or add its host to the site "
                    "file's domains) (2 × HTTP 301)"), last
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        status, stats = conn.execute("SELECT status, stats FROM crawl_runs").fetchone()
    assert status == exitcodes.SITE_MOVED
    assert json.loads(stats)["newsarchive/run/start_moved_to"] == f"{base}/ -> http://localhost:9/"


def test_every_refused_article_link_is_counted_once_under_a_reason(tmp_path: Path) -> None:
    """A redirect to ftp: was counted as skipped/redirect-scheme and again as
    failed/article; links refused by robots.txt or by length were counted in
    articles/new and under no reason; a guessed /sitemap.xml answering 404
    added failed/sitemap on every run."""
    long_path = "/news/2024/03/01/" + "a-very-long-address-" * 110 + "story.html"
    links = ["/news/2024/03/01/story-that-is-fine-today.html", "/go/ftp-story-link-redirect",
             "/private/2024/03/01/story-behind-robots-rule.html", long_path]
    home = "<html><body><ul>" + "".join(f'<li><a href="{link}">A story</a></li>' for link in links) + "</ul></body></html>"
    routes = {
        "/robots.txt": robots("Disallow: /private/"),
        "/": (200, {}, home),
        "/news/2024/03/01/story-that-is-fine-today.html": (200, {}, article("Fine")),
        "/go/ftp-story-link-redirect": _redirect("ftp://127.0.0.1/news/story.html"),
    }
    with serve_routes(routes) as (base, hits):
        result = run_crawl(tmp_path, "-a", f"url={base}/")
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert stats.get("newsarchive/skipped/redirect-scheme") == 1, stats
    assert "newsarchive/failed/article" not in stats, stats
    assert "could not fetch article" not in result.stderr
    assert stats.get("newsarchive/skipped/robots-disallowed") == 1, stats
    assert stats.get("newsarchive/skipped/url-too-long") == 1, stats
    # Requested: the fine one and the ftp redirect; neither the long one nor the one robots.txt refused.
    assert stats.get("newsarchive/articles/new") == 2, stats
    assert stats.get("newsarchive/skipped/sitemap-guess-missing") == 1, stats
    assert "newsarchive/failed/sitemap" not in stats, stats
    assert ("/sitemap.xml", "", 404) in hits


def test_a_site_down_in_a_run_of_several_is_named_in_stats_and_the_run_record(tmp_path: Path) -> None:
    """The run exited 0, recorded `finished`, and `newsarchive stats` said
    nothing of the site that answered no page (only a log WARNING)."""
    from sqlalchemy import create_engine

    from newsarchive.database.stats import last_runs

    routes = {"/robots.txt": robots("Allow: /"),
              "/": (200, {}, '<html><body><a href="/news/2024/03/01/story-that-is-fine-today.html">a</a>'
                             '</body></html>'),
              "/news/2024/03/01/story-that-is-fine-today.html": (200, {}, article("Fine"))}
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "down.toml").write_text('domains = ["127.0.0.1:9"]\nstart_urls = ["http://127.0.0.1:9/"]\n')
    with serve_routes(routes) as (base, _):
        host = base.split("//", 1)[1]
        (sites / "up.toml").write_text(f'domains = ["{host}"]\nstart_urls = ["{base}/"]\n')
        result = run_crawl(tmp_path, settings={"NEWSARCHIVE_SITES_DIR": str(sites), "RETRY_TIMES": "0"})
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert stats.get("newsarchive/run/sites_nothing_fetched") == "down", stats
    assert "no page of down could be fetched this run" in result.stderr
    with create_engine(f"sqlite:///{tmp_path / 'archive.db'}").connect() as conn:
        runs = last_runs(conn, {"up", "down"})
    assert runs["down"][1] == "nothing_fetched"
    assert runs["up"][1] == "finished"


def test_an_hourly_log_carries_no_deprecation_warning(tmp_path: Path) -> None:
    """Every run logged "WARNING: ... The DNS_RESOLVER setting is deprecated,
    please use TWISTED_DNS_RESOLVER instead": a WARNING in each hourly log that
    asked nothing of the user and hid the ones that do."""
    routes = {
        "/robots.txt": robots("Allow: /"),
        "/": (200, {}, '<html><body><a href="/news/2024/03/01/quiet-log-story.html">s</a></body></html>'),
        "/news/2024/03/01/quiet-log-story.html": (200, {}, article("Quiet log")),
    }
    with serve_routes(routes) as (base, _):
        result = run_crawl(tmp_path, "-a", f"url={base}/")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "DeprecationWarning" not in result.stderr, [
        line for line in result.stderr.splitlines() if "Deprecation" in line]
    assert crawl_stats(result.stderr).get("log_count/WARNING", 0) == 0
