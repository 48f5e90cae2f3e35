"""Date parsing: ISO values, printed dates in several languages, zone names."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newsarchive.extraction.dates import (
    date_from_url,
    find_printed_date,
    parse_date,
    parse_reference,
    to_datetime,
)

NOW = datetime(2024, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-01-03T07:00:02.000Z", "2019-01-03T07:00:02+00:00"),
        ("2021-11-01T10:52:50+0100", "2021-11-01T10:52:50+01:00"),
        ("2021-11-01 10:52:50+01:00", "2021-11-01T10:52:50+01:00"),
        ("2020-04-30", "2020-04-30"),
        ("20190315", "2019-03-15"),
    ],
)
def test_machine_readable_dates_keep_their_offset(raw: str, expected: str) -> None:
    assert parse_date(raw, now=NOW) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tuesday 15 March 2016 03:39 EDT", "2016-03-15T03:39:00-04:00"),
        ("Tuesday 15 March 2016 03:39 GMT", "2016-03-15T03:39:00+00:00"),
        ("15 July 2016 10:00 BST", "2016-07-15T10:00:00+01:00"),
        ("15.03.2019 10:00 MEZ", "2019-03-15T10:00:00+01:00"),
        ("15.07.2019 10:00 MESZ", "2019-07-15T10:00:00+02:00"),
        ("15 Jan 2019 08:00 PST", "2019-01-15T08:00:00-08:00"),
        ("15 Jan 2019 08:00 CET", "2019-01-15T08:00:00+01:00"),
        ("15 Jan 2019 08:00 UTC", "2019-01-15T08:00:00+00:00"),
    ],
)
def test_zone_names_become_offsets(raw: str, expected: str) -> None:
    assert parse_date(raw, now=NOW) == expected


def test_generic_us_zone_follows_daylight_saving() -> None:
    assert parse_date("Nov 18, 2019 10:00 am ET", now=NOW) == "2019-11-18T10:00:00-05:00"
    assert parse_date("July 18, 2019 10:00 am ET", now=NOW) == "2019-07-18T10:00:00-04:00"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15. März 2019", "2019-03-15"),
        ("Mittwoch, 01. November 2023", "2023-11-01"),
        ("3 de mayo de 2020", "2020-05-03"),
        ("12 juin 2021", "2021-06-12"),
        ("le 12 juin 2021 à 14h30", "2021-06-12T14:30:00"),
        ("am 15.03.2019 um 10.15 Uhr", "2019-03-15T10:15:00"),
        ("2019年3月15日", "2019-03-15"),
        ("Oct. 5th, 2018", "2018-10-05"),
    ],
)
def test_dates_in_other_languages(raw: str, expected: str) -> None:
    assert parse_date(raw, now=NOW) == expected


def test_configured_timezone_applies_to_dates_without_offset() -> None:
    assert parse_date("15.07.2019, 10:22 Uhr", tz_name="Europe/Berlin", now=NOW) == "2019-07-15T10:22:00+02:00"
    # A bare date stays a date: no time, no zone to invent.
    assert parse_date("15.07.2019", tz_name="Europe/Berlin", now=NOW) == "2019-07-15"


def test_day_first_depends_on_language() -> None:
    assert parse_date("03/04/2020", dayfirst=True, now=NOW) == "2020-04-03"
    assert parse_date("03/04/2020", dayfirst=False, now=NOW) == "2020-03-04"


@pytest.mark.parametrize("raw", ["Copyright 1985", "1 January 1970", "March 5, 2030", "5 hours ago", "", "no date"])
def test_absurd_or_missing_dates_are_rejected(raw: str) -> None:
    assert parse_date(raw, now=NOW) is None


def test_future_is_judged_against_fetch_time() -> None:
    fetched = parse_reference("2020-01-01T00:00:00Z")
    assert parse_date("2020-01-01T20:00:00+00:00", now=fetched) == "2020-01-01T20:00:00+00:00"
    assert parse_date("2020-01-03T00:00:00+00:00", now=fetched) is None


def test_date_from_url() -> None:
    assert date_from_url("https://example.com/2019/11/18/business/story.html") == "2019-11-18"
    assert date_from_url("https://example.com/news/story-20190315-abc") == "2019-03-15"
    assert date_from_url("https://example.com/2019/13/45/x") is None
    assert date_from_url("https://example.com/news/12345") is None


def test_find_printed_date_in_short_text() -> None:
    assert find_printed_date("Erschienen am: 01.11.2023", now=NOW) == ("2023-11-01", "01.11.2023")
    assert find_printed_date("Posted on April 19, 2019 by Jane", now=NOW) == ("2019-04-19", "April 19, 2019")
    assert find_printed_date("Stand: 20. April 2020, 14:57 Uhr", now=NOW)[0] == "2020-04-20T14:57:00"
    assert find_printed_date("only a year 2020", now=NOW) is None


def test_to_datetime_round_trip() -> None:
    assert to_datetime("2016-03-15T03:39:00-04:00") == datetime(2016, 3, 15, 7, 39, tzinfo=timezone.utc)
    assert to_datetime("2016-03-15") is None


def test_dotted_times_before_a_zone_name() -> None:
    # Printed as "18.54 GMT" by some sites; dateutil alone misreads it.
    assert parse_date("Mon 18 Nov 2019 18.54 GMT", now=NOW) == "2019-11-18T18:54:00+00:00"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-5-5 22:17:36", "2022-05-05T22:17:36"),
        ("2022-05-6T12:00:00.000Z", "2022-05-06T12:00:00+00:00"),
        ("2022-05-11T4:10:00", "2022-05-11T04:10:00"),
        ("2022-5-6", "2022-05-06"),
    ],
)
def test_unpadded_iso_dates_are_year_month_day_even_day_first(raw: str, expected: str) -> None:
    assert parse_date(raw, dayfirst=True, now=NOW) == expected


def test_printed_day_without_space_before_the_month() -> None:
    assert find_printed_date("Rinderleber 8.Dezember 2010 um 09:43 · Rezepte", now=NOW) == (
        "2010-12-08T09:43:00", "8.Dezember 2010 um 09:43")


def test_a_repeated_date_is_not_read_as_a_time() -> None:
    # "04.04.2020 04.04.2020": the second date's "04.04" is no time of the first.
    assert find_printed_date("2 min 04.04.2020 04.04.2020 Video verfügbar bis 28.02.2021", now=NOW) == (
        "2020-04-04", "04.04.2020")


def test_dates_labelled_as_modifications_are_skipped() -> None:
    assert find_printed_date("Letzte Änderung: 31.10.2023 - 14:49:39 Erschienen am: 01.11.2023", now=NOW) == (
        "2023-11-01", "01.11.2023")
    assert find_printed_date("Updated on March 4, 2020. Posted March 3, 2020", now=NOW)[0] == "2020-03-03"


def test_common_printed_forms() -> None:
    # Each value is parsed once and cached (``_parse_value``): the readings
    # must not depend on the order values are seen or on the zone asked for.
    assert parse_date("Tue, 19 Nov 2019 06:13:48 -0600", now=NOW) == "2019-11-19T06:13:48-06:00"
    assert parse_date("Nov. 20, 2019, 9:28 AM UTC", now=NOW) == "2019-11-20T09:28:00+00:00"
    assert parse_date("November 19, 2019 at 8:59 pm", now=NOW, dayfirst=False) == "2019-11-19T20:59:00"
    assert parse_date("12:00 am", now=NOW) is None  # no year: not a date
    assert parse_date("25.08.2015 22:30", now=NOW, dayfirst=False) == "2015-08-25T22:30:00"
    assert parse_date("06/21/2014", now=NOW) == "2014-06-21"  # 21 cannot be a month
    assert parse_date("03/04/2020", now=NOW, dayfirst=False) == "2020-03-04"
    assert parse_date("03/04/2020", now=NOW) == "2020-04-03"
    assert parse_date("22 de outubro de 2010", now=NOW) == "2010-10-22"
    # The same text again, now with a site zone: the cached reading is naive,
    # the zone is applied after the cache.
    assert parse_date("25.08.2015 22:30", now=NOW, dayfirst=False, tz_name="Europe/Berlin") == (
        "2015-08-25T22:30:00+02:00")
    assert parse_date("25.08.2015 22:30", now=NOW, dayfirst=False) == "2015-08-25T22:30:00"


def _dateutil_reading(text: str, dayfirst: bool) -> datetime | None:
    from dateutil import parser as du_parser

    from newsarchive.extraction import dates

    try:
        return du_parser.parse(text, default=dates._DEFAULT, dayfirst=dayfirst, fuzzy=True, tzinfos=dates._TZINFOS)
    except (ValueError, OverflowError, TypeError):
        return None


def _compare_plain_dates(texts: list[str]) -> int:
    """Asserts that ``_plain_date`` gives dateutil's datetime wherever it
    answers; returns how many texts it answered."""
    from newsarchive.extraction.dates import _plain_date

    answered = 0
    for text in texts:
        for dayfirst in (True, False):
            fast = _plain_date(text, dayfirst)
            if fast is not None:
                answered += 1
                assert fast == _dateutil_reading(text, dayfirst), (text, dayfirst)
                assert fast.tzinfo is None
    return answered


def test_plain_dates_are_read_as_dateutil_reads_them() -> None:
    # Every day form (one or two digits, out of range too), every month name
    # dateutil knows, and dotted day.month pairs on both sides of 12.
    from dateutil import parser as du_parser

    months = [name for names in du_parser.parserinfo.MONTHS for name in names]
    days = [str(d) for d in range(0, 35)] + ["00", "01", "09"]
    texts = []
    for year in ("0999", "1999", "2020", "2023"):
        for day in days:
            texts += [f"{day} {m} {year}" for m in months] + [f"{m} {day} {year}" for m in months]
            texts += [f"{day}.{mo}.{year}" for mo in ("0", "1", "02", "9", "12", "13", "31")]
    assert _compare_plain_dates(texts) > 3000


def test_plain_times_are_read_as_dateutil_reads_them() -> None:
    clocks = []
    for hour in [str(h) for h in range(0, 26)] + ["00", "07"]:
        for minute in ("00", "05", "59", "60"):
            for second in ("", ":00", ":59", ":61"):
                for meridiem in ("", " AM", " PM"):
                    clocks.append(f"{hour}:{minute}{second}{meridiem}")
    texts = [f"{date} {clock}" for clock in clocks
             for date in ("29 February 2020", "February 29 2020", "29.02.2020", "3.4.2021")]
    assert _compare_plain_dates(texts) > 1500
