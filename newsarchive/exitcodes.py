"""Exit codes of ``scrapy crawl news``, for cron, systemd and other schedulers.

    0  finished (or stopped at a configured limit)
    1  the crawl could not start or crashed (see the log)
    2  bad site file or spider argument (the message names file, key, problem)
    3  another run of the site(s) is in progress; nothing was crawled
    4  finished, but no page at all could be fetched (site down or all disallowed)
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


def _good_responses(stats: Mapping[str, Any], prefix: str) -> int:
    """2xx and 304 answers counted under ``<prefix>response_status_count/``."""
    counted = f"{prefix}response_status_count/"
    return sum(
        value for key, value in stats.items()
        if key.startswith(counted) and (key.endswith("/304") or key.rsplit("/", 1)[-1].startswith("2"))
    )
