"""What a crawl run leaves behind for its user: the reason in the log when it
exits 4, a ``crawl_runs.status`` that says it, and a last run (with its status)
in `newsarchive stats` for every site an all-sites run covered."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from archive_support import archive_url, sample_articles  # noqa: F401 (fixture)
from crawlsite import run_crawl
from newsarchive import exitcodes
from newsarchive.cli import main
from newsarchive.database import Archive
from newsarchive.runrecord import run_sites, run_status

NOWHERE = "http://127.0.0.1:9/"


def test_a_run_that_fetched_nothing_says_why() -> None:
    robots_down = {"finish_reason": "finished", "newsarchive/robots/unreachable": 1,  # a 503
                   "robotstxt/forbidden": 3, "downloader/request_count": 1,
                   "robotstxt/request_count": 1, "downloader/response_status_count/503": 1,
                   "robotstxt/response_status_count/503": 1}
    disallowed = {"finish_reason": "finished", "robotstxt/forbidden": 1,
                  "downloader/request_count": 1, "robotstxt/request_count": 1,
                  "downloader/response_status_count/200": 1, "robotstxt/response_status_count/200": 1}
    down = {"finish_reason": "finished", "downloader/request_count": 5,
            "downloader/exception_type_count/twisted.internet.error.ConnectionRefusedError": 3,
            # The crawl's own refusal (robots.txt), not an answer: not listed (usertest8).
            "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 1,
            "downloader/response_status_count/500": 2}
    assert exitcodes.nothing_fetched(robots_down)[0] == exitcodes.ROBOTS_5XX
    assert exitcodes.nothing_fetched(disallowed) == (
        exitcodes.ROBOTS_DISALLOW_ALL,
        "nothing fetched (exit status 4): robots.txt disallows every page the crawl asked for")
    assert exitcodes.nothing_fetched(down) == (
        exitcodes.SITE_DOWN, "nothing fetched (exit status 4): the site answered no page "
                             "(3 × ConnectionRefusedError; 2 × HTTP 500)")
    fine = {"finish_reason": "finished", "downloader/response_status_count/200": 3}
    assert exitcodes.nothing_fetched(fine) is None
    assert run_status(fine, "finished") == "finished"
    assert run_status(disallowed, "finished") == "robots_disallow_all"
    assert run_status({"newsarchive/run/all_locked": 1}, "finished") == "already_running"
    assert run_status({}, "shutdown") == "shutdown"


def _run_of(db: Path) -> tuple[str, dict]:
    with sqlite3.connect(db) as conn:
        status, stats = conn.execute("SELECT status, stats FROM crawl_runs").fetchone()
    conn.close()
    return status, json.loads(stats)


@pytest.mark.slow
def test_robots_disallowing_everything_is_logged_and_recorded(tmp_path: Path, serve_dir) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    (site / "index.html").write_text("<html><body><a href='/a.html'>a</a></body></html>")
    base = serve_dir(site)
    log = tmp_path / "crawl.log"
    result = run_crawl(tmp_path, "-a", f"url={base}/", feed=None,
                       settings={"LOG_FILE": str(log), "RETRY_TIMES": "0"})
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-2000:]
    lines = [line for line in log.read_text().splitlines() if "ERROR" in line or "WARNING" in line]
    assert any("nothing fetched (exit status 4): robots.txt disallows every page" in line
               for line in lines), lines
    status, stats = _run_of(tmp_path / "archive.db")
    assert status == "robots_disallow_all" and stats["finish_reason"] == "finished"


@pytest.mark.slow
def test_a_site_that_is_down_is_logged_and_recorded(tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={NOWHERE}", feed=None, settings={"RETRY_TIMES": "0"})
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-2000:]
    assert "nothing fetched (exit status 4): the site answered no page (" in result.stderr
    assert "ConnectionRefusedError" in result.stderr.split("nothing fetched", 1)[1]
    status, stats = _run_of(tmp_path / "archive.db")
    assert status == "site_down" and stats["finish_reason"] == "finished"


def test_an_all_sites_run_records_the_sites_it_covered() -> None:
    targets = {"alpha": object(), "beta": object()}
    assert run_sites(SimpleNamespace(run_label=None, targets=targets)) == "alpha,beta"
    assert run_sites(SimpleNamespace(run_label="alpha", targets=targets)) == "alpha"
    assert run_sites(SimpleNamespace(run_label=None, targets={})) is None


def _stats_json(url: str) -> dict[str, dict]:
    result = CliRunner().invoke(main, ["stats", "--json", "--db", url])
    assert result.exit_code == 0, result.output
    return {row["site"]: row for row in json.loads(result.stdout)}


def test_stats_finds_each_site_s_last_run_in_runs_of_several_sites(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url) as archive:
        archive.store_articles(sample_articles())
        single = archive.start_run("bbc.co.uk", "news")
        archive.finish_run(single, "finished")
        every = archive.start_run("independent.co.uk,theguardian.com,apnews.com", "news")
        archive.finish_run(every, "site_down")
        later = archive.start_run("apnews.com", "news")
        archive.finish_run(later, "shutdown")
    sites = _stats_json(archive_url)
    assert sites["bbc.co.uk"]["last_status"] == "finished"
    assert sites["independent.co.uk"]["last_status"] == "site_down"
    assert sites["theguardian.com"]["last_status"] == "site_down"
    assert sites["apnews.com"]["last_status"] == "shutdown"
    table = CliRunner().invoke(main, ["stats", "--db", archive_url])
    assert table.exit_code == 0, table.output
    ended = [line for line in table.stdout.splitlines() if "the last crawl" in line]
    assert sorted(line.split(":")[0] for line in ended) == ["! apnews.com", "! independent.co.uk", "! theguardian.com"]
    assert any(line.endswith("ended site_down") for line in ended)
    # --json's flags say the same as the table: only last_status said it, and a
    # script watching flags saw nothing wrong.
    assert sites["bbc.co.uk"]["flags"] == []
    assert any(flag.endswith("ended site_down") for flag in sites["independent.co.uk"]["flags"])
    assert any(flag.endswith("ended shutdown") for flag in sites["apnews.com"]["flags"])


@pytest.mark.slow
def test_an_all_sites_crawl_shows_in_stats(tmp_path: Path) -> None:
    from newsarchive.demo.server import SiteServer

    sites = tmp_path / "sites"
    sites.mkdir()
    with SiteServer() as site:
        host = site.base_url.split("//", 1)[1].rstrip("/")
        (sites / "local.toml").write_text(f'domains = ["{host}"]\nstart_urls = ["{site.base_url}/"]\n')
        result = run_crawl(tmp_path, feed=None, settings={"NEWSARCHIVE_SITES_DIR": str(sites)})
    assert result.returncode == 0, result.stderr[-2000:]
    local = _stats_json(f"sqlite:///{tmp_path / 'archive.db'}")["local"]
    assert local["last_status"] == "finished" and local["last_crawl"]
