"""Printed dates whose zone or field order was misread: offsets written after
GMT/UTC, year-first dates on day-first pages, year-month-day with a month
name. Each case is how real pages print dates, not a copy of one."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newsarchive.extraction.dates import find_printed_date, parse_date

NOW = datetime(2024, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(("raw", "expected"), [
    # dateutil alone reads these the POSIX way: GMT+2 as two hours *west*.
    ("12.05.2021 14:00 GMT+2", "2021-05-12T14:00:00+02:00"),
    ("May 12, 2021 2:00 PM UTC+03:00", "2021-05-12T14:00:00+03:00"),
    ("Tue Feb 20 2018 01:00:00 GMT+0100 (Central European Standard Time)", "2018-02-20T01:00:00+01:00"),
    ("May 12, 2021 2:00 PM GMT-5", "2021-05-12T14:00:00-05:00"),
    # Zone names keep the offset they name.
    ("3 May 2021 14:00 GMT", "2021-05-03T14:00:00+00:00"),
    ("12 June 2021 14:05 BST", "2021-06-12T14:05:00+01:00"),
    ("15 mars 2021 à 18h30 CET", "2021-03-15T18:30:00+01:00"),
])
def test_offsets_after_gmt_or_utc_keep_their_sign(raw: str, expected: str) -> None:
    assert parse_date(raw, now=NOW) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("2021/05/03 10:00", "2021-05-03T10:00:00"),
    ("2021.05.03.", "2021-05-03"),
    ("2021-05-03 10:00 UTC", "2021-05-03T10:00:00+00:00"),
    ("2021-05-03T10:00:00 EDT", "2021-05-03T10:00:00-04:00"),
])
def test_year_first_dates_are_year_month_day_on_day_first_pages(raw: str, expected: str) -> None:
    assert parse_date(raw, dayfirst=True, now=NOW) == expected


def test_day_first_habit_still_decides_day_month_year() -> None:
    assert parse_date("03/05/2021 10:05", dayfirst=True, now=NOW) == "2021-05-03T10:05:00"
    assert parse_date("03/05/2021 10:05", dayfirst=False, now=NOW) == "2021-03-05T10:05:00"


@pytest.mark.parametrize(("raw", "expected"), [
    ("2021. május 3.", "2021-05-03"),
    ("2021. márc. 15. 10:05", "2021-03-15T10:05:00"),
])
def test_year_month_name_day(raw: str, expected: str) -> None:
    assert parse_date(raw, now=NOW) == expected
    assert find_printed_date(f"Közzétéve: {raw}", now=NOW)[0] == expected


@pytest.mark.parametrize(("raw", "expected"), [
    # The "a" of "a.m." and a bare "am" are filler words elsewhere (es "a",
    # de "am"): dropped, 12:10 a.m. was read as noon.
    ("Nov. 5, 2021 12:10 a.m.", "2021-11-05T00:10:00"),
    ("Nov. 5, 2021 12:10 am", "2021-11-05T00:10:00"),
    ("March 3, 2020 11:30 p.m. EST", "2020-03-03T23:30:00-05:00"),
    ("3 de mayo de 2022 07:15 p. m.", "2022-05-03T19:15:00"),
    # German "am" before a day stays a filler word.
    ("am 5. März 2020 um 10:00", "2020-03-05T10:00:00"),
])
def test_twelve_hour_clock_markers(raw: str, expected: str) -> None:
    assert parse_date(raw, dayfirst=False, now=NOW) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # The scanner cut the time before "p.m." and the zone: 11:30, no offset.
    ("Posted March 3, 2020 11:30 p.m. EST | News", "2020-03-03T23:30:00-05:00"),
    # ... and before the offset after GMT, which then read as +00:00.
    ("Jane Doe · 5 March 2020 14:00 GMT+2 · 3 min read", "2020-03-05T14:00:00+02:00"),
    ("Publicado el 12 de mayo de 2021 a las 10:15 UTC-5", "2021-05-12T10:15:00-05:00"),
])
def test_printed_time_keeps_its_marker_and_offset(text: str, expected: str) -> None:
    found = find_printed_date(text, dayfirst=False, now=NOW)
    assert found is not None and found[0] == expected
