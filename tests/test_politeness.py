"""Politeness and faults: robots.txt failures, Retry-After, run locks, exit codes."""
from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawlsite import BUSY_ONCE, crawl_stats, run_crawl
from newsarchive import exitcodes
from newsarchive.politeness import parse_retry_after
from newsarchive.runlock import RunLocks


def test_parse_retry_after() -> None:
    now = datetime(2024, 3, 8, 12, tzinfo=timezone.utc)
    assert parse_retry_after(b"120") == 120.0
    assert parse_retry_after("Fri, 08 Mar 2024 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Fri, 08 Mar 2024 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after(b"soon") is None
    assert parse_retry_after(None) is None


def test_a_retry_after_date_counts_on_the_servers_clock() -> None:
    """An HTTP-date is the server's clock: with that clock a minute behind
    ours, "retry in 30 s" had passed already, and the page was asked for again
    at once, three times in a row, then given up."""
    now = datetime(2024, 3, 8, 12, 1, tzinfo=timezone.utc)
    assert parse_retry_after("Fri, 08 Mar 2024 12:00:30 GMT", now=now,
                             sent="Fri, 08 Mar 2024 12:00:00 GMT") == 30.0
    # Without a readable Date header, our clock.
    assert parse_retry_after("Fri, 08 Mar 2024 12:01:30 GMT", now=now, sent="whenever") == 30.0
    assert parse_retry_after(b"120", now=now, sent="Fri, 08 Mar 2024 12:00:00 GMT") == 120.0


def test_the_retry_after_wait_uses_the_responses_date(monkeypatch: pytest.MonkeyPatch) -> None:
    from email.utils import format_datetime

    from scrapy.http import Request, Response
    from scrapy.utils.test import get_crawler

    from newsarchive.politeness import RetryAfterMiddleware

    middleware = RetryAfterMiddleware.from_crawler(get_crawler(settings_dict={"RETRY_ENABLED": True}))
    waits: list[float] = []
    monkeypatch.setattr(middleware, "_hold_slot", lambda request, wait: waits.append(wait))
    behind = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5)
    request = Request("http://127.0.0.1/news/busy.html")
    response = Response(request.url, status=503, request=request, headers={
        "Date": format_datetime(behind, usegmt=True),
        "Retry-After": format_datetime(behind + timedelta(seconds=20), usegmt=True)})
    retry = middleware.process_response(request, response)
    assert isinstance(retry, Request) and waits == [20.0]


def _hold_lock(folder: str, ready, release) -> None:
    locks = RunLocks(folder)
    assert locks.acquire("courier")
    ready.set()
    release.wait(10)


def test_run_lock_is_exclusive_and_dies_with_its_process(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(tmp_path), ready, release))
    holder.start()
    assert ready.wait(10)
    mine = RunLocks(tmp_path)
    assert not mine.acquire("courier")
    assert f"pid={holder.pid}" in mine.holder("courier")
    assert mine.acquire("other-site")
    holder.kill()  # no clean-up at all: the kernel drops the flock
    holder.join(10)
    assert mine.acquire("courier")
    mine.release_all()
    assert mine.held == []


def test_exit_code_mapping() -> None:
    ok = {"finish_reason": "finished", "downloader/response_status_count/200": 3}
    assert exitcodes.exit_code_for(ok) == exitcodes.OK
    assert exitcodes.exit_code_for({"finish_reason": "closespider_itemcount",
                                    "downloader/response_status_count/304": 1}) == exitcodes.OK
    assert exitcodes.exit_code_for({"finish_reason": "finished",
                                    "downloader/response_status_count/500": 2}) == exitcodes.NOTHING_FETCHED
    assert exitcodes.exit_code_for({"finish_reason": "shutdown"}) == exitcodes.INTERRUPTED
    assert exitcodes.exit_code_for({"finish_reason": "finished", "newsarchive/run/all_locked": 1}) == \
        exitcodes.ALREADY_RUNNING
    assert exitcodes.exit_code_for({}) == exitcodes.FAILED
    # Failed sources are counted, not an exit status (README, Exit codes): a
    # sitemap cut short is read again by the next run, as a feed that failed is.
    partial = {**ok, "newsarchive/failed/sitemap-truncated": 1, "newsarchive/failed/feed": 1,
               "newsarchive/failed/sitemap-unreadable": 1}
    assert exitcodes.exit_code_for(partial) == exitcodes.OK


@pytest.mark.slow
def test_robots_5xx_means_disallow_all(crawl_site, tmp_path: Path) -> None:
    base, state = crawl_site
    state.robots_mode = "500"
    result = run_crawl(tmp_path, "-a", f"url={base}/")
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-3000:]
    assert set(state.paths()) == {"/robots.txt"}
    stats = crawl_stats(result.stderr)
    assert stats.get("newsarchive/robots/unreachable") == 1
    assert stats.get("robotstxt/forbidden", 0) >= 1
    assert ("nothing fetched (exit status 4): robots.txt answered with a server error"
            in result.stderr.splitlines()[-1])


@pytest.mark.slow
def test_robots_timeout_means_disallow_all(crawl_site, tmp_path: Path) -> None:
    base, state = crawl_site
    state.robots_mode = "slow"  # answers after 3 s
    result = run_crawl(tmp_path, "-a", f"url={base}/", settings={"NEWSARCHIVE_ROBOTS_TIMEOUT": "1",
                                                                "RETRY_TIMES": "0"})
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-3000:]
    assert set(state.paths()) <= {"/robots.txt"}
    assert crawl_stats(result.stderr).get("newsarchive/robots/unreachable") == 1


@pytest.mark.slow
def test_a_site_down_is_one_warning_not_a_traceback(tmp_path: Path) -> None:
    """A robots.txt that cannot be downloaded was logged by Scrapy as an
    ERROR with two tracebacks, before our WARNING said the same in one
    line: an hourly log of a site that was down showed both every run."""
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_crawl(tmp_path, "-a", f"url=http://127.0.0.1:{port}/", settings={"RETRY_TIMES": "0"})
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "[scrapy.downloadermiddlewares.robotstxt] ERROR" not in result.stderr
    assert f"robots.txt of 127.0.0.1:{port} unreachable (Connection was refused" in result.stderr
    assert crawl_stats(result.stderr).get("newsarchive/robots/unreachable") == 1


def test_the_robots_log_filter_keeps_every_other_record() -> None:
    import logging

    from scrapy.exceptions import IgnoreRequest

    from newsarchive.politeness import _SCRAPY_ROBOTS_ERROR, _RobotsErrorLogFilter

    def record(msg: str, exc: BaseException | None) -> logging.LogRecord:
        return logging.LogRecord("scrapy.downloadermiddlewares.robotstxt", logging.ERROR, __file__, 1, msg,
                                 None, (type(exc), exc, None) if exc else None)

    keep = _RobotsErrorLogFilter().filter
    assert not keep(record(_SCRAPY_ROBOTS_ERROR, ConnectionRefusedError("refused")))
    assert keep(record(_SCRAPY_ROBOTS_ERROR, IgnoreRequest("offsite")))
    assert keep(record(_SCRAPY_ROBOTS_ERROR, None))
    assert keep(record("something else: %(x)s", ValueError("bug")))


@pytest.mark.slow
def test_retry_after_is_bounded(crawl_site, tmp_path: Path) -> None:
    base, state = crawl_site
    state.busy_forever = True
    result = run_crawl(tmp_path, "-a", f"url={base}/", settings={"NEWSARCHIVE_RETRY_AFTER_TIMES": "2"})
    assert result.returncode == 0, result.stderr[-3000:]
    busy = [h for h in state.hits if h.path == BUSY_ONCE]
    assert [h.status for h in busy] == [429, 429, 429]
    assert all(b.at - a.at >= 0.95 for a, b in zip(busy, busy[1:]))
    stats = crawl_stats(result.stderr)
    assert stats.get("newsarchive/retry_after/gave_up") == 1
    # The rest of the site was crawled regardless.
    assert stats.get("item_scraped_count", 0) >= 9


@pytest.mark.slow
def test_retry_after_longer_than_the_cap_gives_up_at_once(crawl_site, tmp_path: Path) -> None:
    base, state = crawl_site
    result = run_crawl(tmp_path, "-a", f"url={base}/", settings={"NEWSARCHIVE_RETRY_AFTER_MAX": "0.5"})
    assert result.returncode == 0
    assert [h.status for h in state.hits if h.path == BUSY_ONCE] == [429]
    assert crawl_stats(result.stderr).get("newsarchive/retry_after/gave_up") == 1


def test_robots_txt_alone_is_not_the_site_answering() -> None:
    # A CDN serving robots.txt in front of a site answering 500 everywhere
    # exited 0, not 4 ("alert if it persists" never fired).
    down = {"finish_reason": "finished", "downloader/response_status_count/200": 1,
            "downloader/response_status_count/500": 6, "robotstxt/response_status_count/200": 1}
    assert exitcodes.exit_code_for(down) == exitcodes.NOTHING_FETCHED
    up = {**down, "downloader/response_status_count/200": 2}
    assert exitcodes.exit_code_for(up) == exitcodes.OK


@pytest.mark.parametrize("robots, page_status", [
    (b"User-agent: *\nAllow: /\n", 500),     # site down behind a working robots.txt
    (b"User-agent: *\nDisallow: /\n", 200),  # everything disallowed
])
def test_a_site_that_only_answers_robots_txt_exits_4(tmp_path: Path, serve_dir, robots: bytes,
                                                     page_status: int) -> None:
    import http.server

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            status, body = (200, robots) if self.path == "/robots.txt" else (page_status, b"<h1>no</h1>")
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    base = serve_dir(tmp_path, Handler)
    result = run_crawl(tmp_path, "-a", f"url={base}/", feed=None, settings={"RETRY_TIMES": "0"}, timeout=60)
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-3000:]


def test_autothrottle_keeps_a_site_files_download_delay_as_the_floor() -> None:
    """[limits] download_delay = 5 became 1 s after a few fast responses:
    Scrapy's AutoThrottle only knows the global DOWNLOAD_DELAY as minimum."""
    from types import SimpleNamespace

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.extensions.throttle import AutoThrottle
    from scrapy.http import HtmlResponse

    from newsarchive.politeness import SiteDelayAutoThrottle

    crawler = Crawler(Spider, {"AUTOTHROTTLE_ENABLED": True, "DOWNLOAD_DELAY": 1.0,
                               "DOWNLOAD_SLOTS": {"slow.example": {"delay": 5.0},
                                                  "quick.example": {"delay": 0.2}}})

    slots: dict[str, SimpleNamespace] = {}
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(slots=slots))

    def settle(throttle: AutoThrottle, host: str, start: float) -> float:
        throttle.mindelay, throttle.maxdelay = 1.0, 60.0
        slot = slots[host] = SimpleNamespace(delay=start)
        # As the response_downloaded signal hands it over: no request attached yet.
        response = HtmlResponse(f"https://{host}/a", body=b"<p>x</p>")
        for _ in range(20):
            throttle._adjust_delay(slot, 0.01, response)
        return slot.delay

    assert settle(AutoThrottle(crawler), "slow.example", 5.0) < 1.01  # what happened before
    ours = SiteDelayAutoThrottle(crawler)
    assert settle(ours, "slow.example", 5.0) == 5.0
    assert settle(ours, "quick.example", 2.0) < 0.21
    assert settle(ours, "other.example", 2.0) < 1.01  # no site delay: the global floor
    assert ours.mindelay == 1.0


def test_project_settings_use_the_site_delay_throttle_and_no_remote_control() -> None:
    """Written but not registered, the throttle left site delays walked down to 1 s;
    Scrapy 2.19's remote-control endpoint runs posted code, not for unattended runs."""
    from scrapy.settings import Settings
    from scrapy.utils.conf import build_component_list

    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    extensions = build_component_list(settings.getwithbase("EXTENSIONS"))
    assert "newsarchive.politeness.SiteDelayAutoThrottle" in extensions
    assert "scrapy.extensions.throttle.AutoThrottle" not in extensions
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
