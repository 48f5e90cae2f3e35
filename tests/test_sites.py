"""Site files: the shipped outlets load, and a bad file names file, key and problem."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsarchive.extraction.config import ExtractionConfig
from newsarchive.sites import BUNDLED_SITES_DIR, SiteConfig, SiteConfigError, load_site, load_sites
from newsarchive.timespan import parse_duration, parse_instant, parse_since

GOOD = """
name = "courier"
domains = ["www.courier.example", "courier-news.example"]
timezone = "Europe/Berlin"
start_urls = ["https://courier.example/", "https://courier.example/world"]
feeds = ["https://feeds.courier.example/all.rss"]

[articles]
allow = ['/\\d{4}/\\d{2}/\\d{2}/']
deny = ['/puzzles/']

[selectors]
headline = "h1.title"

[[rules]]
name = "puzzle-promo"
pattern = "^Try our puzzles"

[limits]
max_articles = 200
listing_depth = 0
download_delay = 2.5

[recheck]
recent = "3d"
every = "12h"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sites_load_with_the_independent_among_them() -> None:
    sites = load_sites(BUNDLED_SITES_DIR)
    assert {"independent", "guardian", "bbc-news", "apnews"} <= set(sites)
    independent = sites["independent"]
    assert independent.owns("https://www.independent.co.uk/news/world/x-b2345678.html")
    assert independent.timezone == "Europe/London"
    for site in sites.values():
        # Shipped configs are discovery and patterns only: no invented selectors.
        assert site.selectors == {}


def test_a_full_site_file(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, "courier.toml", GOOD))
    assert site.name == "courier"
    assert site.domains == ("courier.example", "courier-news.example")
    assert site.owns("https://www.courier.example/a") and site.owns("http://sub.courier-news.example/")
    assert not site.owns("https://courier.example.evil.com/")
    assert site.max_articles == 200 and site.listing_depth == 0 and site.download_delay == 2.5
    assert site.recheck_recent == timedelta(days=3) and site.recheck_every == timedelta(hours=12)
    extraction = site.extraction
    assert isinstance(extraction, ExtractionConfig)
    assert extraction.site == "courier" and extraction.timezone == "Europe/Berlin"
    assert extraction.selectors == {"headline": "h1.title"}
    assert extraction.extra_rules[0].name == "puzzle-promo"
    assert extraction.extra_rules[0].kind == "text"


def test_minimal_file_defaults(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, "tiny.toml", 'domains = ["tiny.example"]\n'))
    assert site.name == "tiny"
    assert site.entry_urls() == ("https://www.tiny.example/",)
    assert site.max_articles is None and site.allow == ()


@pytest.mark.parametrize("text, key, problem", [
    ('domains = ["a.example"]\ncolour = "red"\n', "colour", "unknown key"),
    ('name = "x"\n', "domains", "missing"),
    ('domains = "https://a.example/"\n', "domains", "is a URL"),
    ('domains = ["a.example"]\ntimezone = "Mars/Olympus"\n', "timezone", "IANA"),
    ('domains = ["a.example"]\n[articles]\nallow = ["("]\n', "articles.allow", "regular expression"),
    ('domains = ["a.example"]\n[limits]\nmax_articles = "ten"\n', "limits.max_articles", "whole number"),
    ('domains = ["a.example"]\n[limits]\nmax_pages = 3\n', "limits.max_pages", "unknown key"),
    ('domains = ["a.example"]\n[recheck]\nevery = "soon"\n', "recheck.every", "duration"),
    ('domains = ["a.example"]\n[selectors]\nheadlin = "h1"\n', "selectors.headlin", "unknown key"),
    ('domains = ["a.example"]\n[[rules]]\nname = "x"\npattern = "y"\nkind = "xpath"\n', "rules[0].kind", "must be one of"),
    ('domains = ["a.example"]\nfeeds = ["/rss.xml"]\n', "feeds", "absolute"),
])
def test_bad_file_names_file_key_and_problem(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(SiteConfigError) as caught:
        load_sites(tmp_path)
    message = str(caught.value)
    assert str(path) in message
    assert f"'{key}'" in message
    assert problem in message


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "syntax.toml", 'domains = ["a.example"\n')
    with pytest.raises(SiteConfigError, match="not valid TOML") as caught:
        load_sites(tmp_path)
    assert str(path) in str(caught.value)


def test_duplicate_names_and_missing_folder(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'name = "same"\ndomains = ["a.example"]\n')
    write(tmp_path, "b.toml", 'name = "same"\ndomains = ["b.example"]\n')
    with pytest.raises(SiteConfigError, match="already used"):
        load_sites(tmp_path)
    with pytest.raises(SiteConfigError, match="does not exist"):
        load_sites(tmp_path / "nope")


def test_site_from_a_bare_url() -> None:
    site = SiteConfig.from_url("http://127.0.0.1:8123/")
    assert site.domains == ("127.0.0.1:8123",)
    assert site.owns("http://127.0.0.1:8123/news/x.html")
    assert not site.owns("http://127.0.0.1:9999/news/x.html")
    with pytest.raises(ValueError):
        SiteConfig.from_url("ftp://example.com/")


def test_durations_and_since() -> None:
    assert parse_duration("90s") == timedelta(seconds=90)
    assert parse_duration("6h") == timedelta(hours=6)
    assert parse_duration("2d") == timedelta(days=2)
    assert parse_duration("1w") == timedelta(weeks=1)
    with pytest.raises(ValueError):
        parse_duration("two days")
    now = datetime(2024, 3, 10, 12, tzinfo=timezone.utc)
    assert parse_since("2d", now=now) == datetime(2024, 3, 8, 12, tzinfo=timezone.utc)
    assert parse_since("2024-01-01", now=now) == datetime(2024, 1, 1, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        parse_since("yesterday", now=now)


@pytest.mark.parametrize("text, expected", [
    ("2024-03-01T10:00:00+01:00", datetime(2024, 3, 1, 9, tzinfo=timezone.utc)),
    ("2024-03-01T10:00:00Z", datetime(2024, 3, 1, 10, tzinfo=timezone.utc)),
    ("2024-03-01", datetime(2024, 3, 1, tzinfo=timezone.utc)),
    ("2024-03-01 10:00:00", datetime(2024, 3, 1, 10, tzinfo=timezone.utc)),
    ("Tue, 15 Mar 2016 03:39:00 -0400", datetime(2016, 3, 15, 7, 39, tzinfo=timezone.utc)),
    ("Fri, 08 Mar 2024 12:00:00 GMT", datetime(2024, 3, 8, 12, tzinfo=timezone.utc)),
    ("2024-03", datetime(2024, 3, 1, tzinfo=timezone.utc)),
    ("not a date", None),
    ("", None),
])
def test_parse_instant(text: str, expected: datetime | None) -> None:
    assert parse_instant(text) == expected
