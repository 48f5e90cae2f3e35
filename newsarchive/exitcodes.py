"""Exit codes of ``scrapy crawl news``, for cron, systemd and other schedulers.

    0  finished (or stopped at a configured limit); pages, sitemaps or feeds that
       failed (cut short included) are counted in newsarchive/failed/*, not an
       exit status: the next run tries them again (README, Exit codes)
    1  the crawl could not start or crashed (see the log)
    2  bad site file or spider argument (the message names file, key, problem)
    3  another run of the site(s) is in progress; nothing was crawled
    4  finished, but no page at all could be fetched (site down or all disallowed);
       the log's last ERROR line says which, and the run record's status
       (site_down, site_moved, robots_disallow_all, robots_5xx)
    5  interrupted (SIGTERM / Ctrl-C): run again with the same JOBDIR to resume
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OK = 0
FAILED = 1
CONFIG_ERROR = 2
ALREADY_RUNNING = 3
NOTHING_FETCHED = 4
INTERRUPTED = 5

LOCKED_REASON = "already_running"
"""Finish reason of a run whose every site was locked by another run."""

# Run statuses (``crawl_runs.status``) of a run that finished but fetched no page
# (exit status 4), instead of Scrapy's "finished", which read as success in
# `newsarchive stats`; Scrapy's own close reason stays in the run's stats
# (``finish_reason``). Each with the line the log ends with.
ROBOTS_5XX = "robots_5xx"
ROBOTS_DISALLOW_ALL = "robots_disallow_all"
SITE_DOWN = "site_down"
SITE_MOVED = "site_moved"
# Stat: "<start page> -> <where it redirects>" for the first start page that
# redirected off its site (set by politeness.SiteBoundMiddleware).
MOVED_KEY = "newsarchive/run/start_moved_to"
# A run of several sites exits 0 when any of them answered; the ones that did
# not are named in this stat (comma-separated), and `newsarchive stats` gives
# each of them this status for that run.
SITES_NOTHING_FETCHED_KEY = "newsarchive/run/sites_nothing_fetched"
SITE_NOTHING_FETCHED = "nothing_fetched"
_NOTHING_FETCHED_WHY = {
    ROBOTS_5XX: "robots.txt answered with a server error, which means every page is "
                "disallowed (RFC 9309)",
    ROBOTS_DISALLOW_ALL: "robots.txt disallows every page the crawl asked for",
    SITE_DOWN: "the site answered no page",
    SITE_MOVED: "the site only redirected elsewhere, which the crawl does not follow",
}


def exit_code_for(stats: Mapping[str, Any]) -> int:
    """The exit code a finished crawl's stats call for."""
    reason = stats.get("finish_reason")
    if stats.get("newsarchive/run/all_locked"):
        return ALREADY_RUNNING
    if reason is None:
        return FAILED
    if reason in {"shutdown", "cancelled"}:
        return INTERRUPTED
    if reason != "finished" and not str(reason).startswith("closespider_"):
        return FAILED
    # robots.txt answering is not the site answering: a site whose every page
    # fails (500s behind a CDN that still serves robots.txt), or whose
    # robots.txt disallows everything, fetched nothing either.
    responses = _good_responses(stats, "downloader/") - _good_responses(stats, "robotstxt/")
    skipped_unchanged = stats.get("newsarchive/skipped/unchanged", 0)
    if responses == 0 and not skipped_unchanged:
        return NOTHING_FETCHED
    return OK


def nothing_fetched(stats: Mapping[str, Any]) -> tuple[str, str] | None:
    """(run status, the log line saying why) for a run that exits NOTHING_FETCHED, else None."""
    if exit_code_for(stats) != NOTHING_FETCHED:
        return None
    if any(code.startswith("5") for code in _answers(stats, "robotstxt/")):
        status = ROBOTS_5XX
    elif (stats.get("robotstxt/forbidden") and not _page_requests(stats)
          and not stats.get("newsarchive/robots/unreachable")):
        status = ROBOTS_DISALLOW_ALL
    elif stats.get(MOVED_KEY):
        # Up, but at another address: "site down" sent the user looking for an outage.
        status = SITE_MOVED
    else:
        # Also a robots.txt that could not be fetched at all (connection
        # refused, timeout): the host did not answer.
        status = SITE_DOWN
    why = _NOTHING_FETCHED_WHY[status]
    if status == SITE_MOVED:
        why += (f": {stats[MOVED_KEY]} (crawl the new address with -a url=, or add its host "
                f"to the site file's domains)")
    if status in {SITE_DOWN, SITE_MOVED}:
        why += _failures(stats)
    return status, f"nothing fetched (exit status {NOTHING_FETCHED}): {why}"


def _page_requests(stats: Mapping[str, Any]) -> int:
    """Requests for pages, robots.txt not counted."""
    return int(stats.get("downloader/request_count", 0)) - int(stats.get("robotstxt/request_count", 0))


def _answers(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """HTTP status -> answers counted under ``<prefix>response_status_count/``."""
    counted = f"{prefix}response_status_count/"
    return {key[len(counted):]: int(value) for key, value in stats.items() if key.startswith(counted)}


def _failures(stats: Mapping[str, Any]) -> str:
    """What the requests got instead: " (12 × ConnectionRefusedError; 3 × HTTP 503)"."""
    errors = "downloader/exception_type_count/"
    # IgnoreRequest is the crawl's own refusal (robots.txt, the site bound), not the site's answer.
    parts = [f"{value} × {name}" for key, value in sorted(stats.items()) if key.startswith(errors)
             and (name := key[len(errors):].rsplit(".", 1)[-1]) != "IgnoreRequest"]
    # robots.txt's answers are not the site's (the README says so of exit 4):
    # "1 × HTTP 200" beside every page's 403 was robots.txt.
    robots = _answers(stats, "robotstxt/")
    parts += [f"{value - robots.get(code, 0)} × HTTP {code}"
              for code, value in sorted(_answers(stats, "downloader/").items()) if value > robots.get(code, 0)]
    return f" ({'; '.join(parts)})" if parts else ""


def _good_responses(stats: Mapping[str, Any], prefix: str) -> int:
    """2xx and 304 answers counted under ``<prefix>response_status_count/``."""
    return sum(value for code, value in _answers(stats, prefix).items()
               if code == "304" or code.startswith("2"))
