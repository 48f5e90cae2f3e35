"""Durations and points in time as the crawl reads them.

``since`` (``2d``, ``12h``, ``2024-01-01``), re-check windows (``6h``) and the
dates found in sitemaps and feeds all become timezone-aware UTC datetimes
here, so every comparison in the crawl is between like and like.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_MAX_SECONDS = 1000 * 366 * 86400


def parse_duration(text: str) -> timedelta:
    """``"90s"``, ``"30m"``, ``"6h"``, ``"2d"``, ``"1w"`` -> timedelta.

    Raises ValueError with the accepted forms when ``text`` is not one of them.
    """
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a duration like 30m, 6h, 2d or 1w")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if seconds > _MAX_SECONDS:
        # timedelta itself stops at 999,999,999 days with an OverflowError, and
        # subtracting even less from now() leaves datetime's range (year 1).
        raise ValueError(f"{text!r} is longer than 1000 years")
    return timedelta(seconds=seconds)


def duration_ago(text: str, *, now: datetime | None = None) -> datetime | None:
    """``now`` minus ``text`` when it is a duration (``2d``), else None.

    Raises ValueError for a duration too long to count back. The crawl's
    ``-a since=`` and the CLI's ``--since``/``--until`` read durations here.
    """
    if not _DURATION.match(str(text)):
        return None
    return (now or datetime.now(timezone.utc)) - parse_duration(text)


_UNKNOWN_ZONE = re.compile(r"-0000\s*$")


def parse_instant(text: str | None, zone: tzinfo | None = None) -> datetime | None:
    """Parse a date as sitemaps, feeds and HTTP headers write it; None if unreadable.

    Accepts ISO 8601 / W3C datetime (sitemaps, Atom), RFC 822 (RSS,
    ``Last-Modified``) and bare dates. Values without an offset are taken in
    ``zone`` (a site's configured time zone), else as UTC. The zone matters
    for incremental decisions, which compare such a date with the archived
    fetch time: read as UTC, a Tokyo sitemap's lastmod lay nine hours ahead.
    """
    if not text:
        return None
    text = text.strip()
    if not text:
        return None
    value: datetime | None = None
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    if " " in iso and "T" not in iso and re.match(r"^\d{4}-\d{2}-\d{2} \d", iso):
        iso = iso.replace(" ", "T", 1)
    try:
        value = datetime.fromisoformat(iso)
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            value = None
        if value is not None and value.tzinfo is None and _UNKNOWN_ZONE.search(text):
            # RFC 2822's "-0000": a UTC time whose local zone is unknown
            # (parsedate_to_datetime leaves it naive), not the site's time.
            value = value.replace(tzinfo=timezone.utc)
    if value is None:
        match = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", text)
        if not match:
            return None
        try:
            value = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or timezone.utc)
    return value.astimezone(timezone.utc)


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """``-a since=`` value -> the earliest UTC datetime to crawl.

    A duration counts back from ``now`` (``2d`` = the last 48 hours); anything
    else must be an ISO date or datetime (``2024-01-01``).
    """
    now = now or datetime.now(timezone.utc)
    try:
        ago = duration_ago(text, now=now)
    except ValueError as exc:
        raise ValueError(f"since={text!r}: {exc}") from None
    if ago is not None:
        return ago
    value = parse_instant(text) if re.match(r"^\s*\d{4}-\d{2}-\d{2}", text) else None
    if value is None:
        raise ValueError(f"since={text!r}: use a duration (12h, 2d, 1w) or a date (2024-01-01)")
    if value > now:
        # A mistyped year (2062 for 2026) would skip every article, and the
        # run would still finish with status 0.
        raise ValueError(f"since={text!r} is in the future: nothing would be stored")
    return value
