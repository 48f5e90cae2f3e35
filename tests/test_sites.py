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


def test_a_host_with_no_default_start_page_may_start_from_its_sitemaps(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, "dev.toml", 'domains = ["127.0.0.1:8765"]\n'
                           'sitemaps = ["http://127.0.0.1:8765/sitemap.xml"]\n'))
    assert site.entry_urls() == ()
    site = load_site(write(tmp_path, "dev.toml", 'domains = ["127.0.0.1:8765"]\n'
                           'start_urls = ["http://127.0.0.1:8765/"]\n'))
    assert site.entry_urls() == ("http://127.0.0.1:8765/",)


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
    # tzdata's folder of zones: was an IsADirectoryError traceback.
    ('domains = ["a.example"]\ntimezone = "Europe"\n', "timezone", "IANA"),
    # TOML's nan and inf passed the ">= 0" check.
    ('domains = ["a.example"]\n[limits]\ndownload_delay = nan\n', "limits.download_delay", "seconds"),
    ('domains = ["a.example"]\n[limits]\ndownload_delay = inf\n', "limits.download_delay", "seconds"),
    # Was an OverflowError traceback.
    ('domains = ["a.example"]\n[recheck]\nrecent = "99999999999d"\n', "recheck.recent", "1000 years"),
    # Selectors and css rules extraction cannot compile were skipped on every page.
    ('domains = ["a.example"]\n[selectors]\nheadline = "h1[[["\n', "selectors.headline", "CSS selector"),
    ('domains = ["a.example"]\n[selectors]\nauthors = "//span[@class="\n', "selectors.authors", "XPath"),
    ('domains = ["a.example"]\n[[rules]]\nname = "x"\npattern = "div..promo"\nkind = "css"\n',
     "rules[0].pattern", "CSS selector"),
    # Fields extraction has no selector for were accepted and ignored.
    ('domains = ["a.example"]\n[selectors]\nbody = "div.article-body"\n', "selectors.body", "unknown key"),
    ('domains = ["a.example"]\n[selectors]\nword_count = "p"\n', "selectors.word_count", "unknown key"),
    # A start page off the site is dropped by the site-bound middleware: the run crawled nothing.
    ('domains = ["a.example"]\nstart_urls = ["https://www.b.example/"]\n', "start_urls", "not on the site's domains"),
    # No start page to default to: https://www.127.0.0.1:8765/ failed its DNS
    # lookup, and a host without a dot got none, so the run requested nothing
    # and exited 4, "the site answered no page".
    ('domains = ["127.0.0.1:8765"]\n', "start_urls", "no default start page for '127.0.0.1:8765'"),
    ('domains = ["localhost:8080"]\n', "start_urls", "no default start page for 'localhost:8080'"),
    # An internationalised domain was "not a domain name": a typo to look for.
    ('domains = ["bücher.example"]\n', "domains", "ASCII (punycode) form, 'xn--bcher-kva.example'"),
    # Addresses -a url= refuses: a port that is no number crashed the run at
    # start (exit 1, a traceback), a placeholder host crashed `newsarchive
    # sites`, and a space or a password made the host's robots.txt
    # "unreachable", so the source was silently never read.
    ('domains = ["a.example"]\nfeeds = ["https://a.example:80x/rss"]\n', "feeds", "port is not a number"),
    ('domains = ["a.example"]\nfeeds = ["https://[YOUR-DOMAIN]/rss"]\n', "feeds", "not a host name or IP address"),
    ('domains = ["a.example"]\nsitemaps = ["https://a exa.mple/s.xml"]\n', "sitemaps", "is not a host name"),
    ('domains = ["a.example"]\nstart_urls = ["https://me:pw@a.example/"]\n', "start_urls", "user name or password"),
    # Selectors that compile but fail on every page (XPath 2.0's matches(),
    # namespace prefixes) silently matched nothing, warned as a selector the
    # page lacked.
    ('domains = ["a.example"]\n[selectors]\nauthors = "//span[matches(@class, \'by\')]"\n', "selectors.authors",
     "unknown XPath function 'matches()'"),
    ('domains = ["a.example"]\n[selectors]\npublished = "//og:time"\n', "selectors.published", "namespace prefix"),
    ('domains = ["a.example"]\n[selectors]\npublished = "og|time"\n', "selectors.published", "namespace prefix"),
    # A css rule that compiled but could not run failed every page's body
    # extraction: no article of the site was stored (no-body).
    ('domains = ["a.example"]\n[[rules]]\nname = "x"\npattern = "svg|path"\nkind = "css"\n',
     "rules[0].pattern", "namespace prefix"),
])
def test_bad_file_names_file_key_and_problem(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(SiteConfigError) as caught:
        load_sites(tmp_path)
    message = str(caught.value)
    assert str(path) in message
    assert f"'{key}'" in message
    assert problem in message
    assert message.count("bad site file") == 1


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


@pytest.mark.parametrize("first, second", [
    ('["news.example"]', '["news.example"]'),
    ('["news.example"]', '["www.news.example"]'),        # www. is dropped, so the same domain
    ('["news.example"]', '["blog.news.example"]'),       # a subdomain belongs to the domain's site
    ('["blog.news.example"]', '["other.example", "news.example"]'),
    # A domain without a port is its host on every port: a page on :8080
    # belonged to both files, routed by the order of their names.
    ('["news.example"]', '["news.example:8080"]'),
    ('["blog.news.example:8080"]', '["news.example"]'),
])
def test_two_files_claiming_one_domain_name_both(tmp_path: Path, first: str, second: str) -> None:
    write(tmp_path, "a.toml", f'name = "one"\ndomains = {first}\n')
    second_path = write(tmp_path, "b.toml", f'name = "two"\ndomains = {second}\n')
    with pytest.raises(SiteConfigError, match="overlaps") as caught:
        load_sites(tmp_path)
    message = str(caught.value)
    assert str(second_path) in message and "a.toml" in message and "'one'" in message


def test_neighbouring_domains_are_not_an_overlap(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'name = "one"\ndomains = ["news.example"]\n')
    write(tmp_path, "b.toml", 'name = "two"\ndomains = ["mynews.example", "news.example.org"]\n')
    write(tmp_path, "c.toml", 'name = "three"\ndomains = ["local.example:8080"]\n')
    write(tmp_path, "d.toml", 'name = "four"\ndomains = ["local.example:9090"]\n')
    assert sorted(load_sites(tmp_path)) == ["four", "one", "three", "two"]


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


# --- more mistakes a user made in a site file (usertest2; the bad-file cases are in the table above) ---


def test_a_wrong_type_in_recheck_is_reported_once(tmp_path: Path) -> None:
    write(tmp_path, "broken.toml", 'domains = ["a.example"]\n[recheck]\nrecent = 2\n')
    with pytest.raises(SiteConfigError) as caught:
        load_sites(tmp_path)
    # It used to read "bad site file X: key 'recheck.recent': bad site file X: key ...".
    assert str(caught.value).count("bad site file") == 1
    assert "non-empty string, got 2" in str(caught.value)


def test_a_name_taken_from_the_file_name_says_so(tmp_path: Path) -> None:
    write(tmp_path, "My Gazette.toml", 'domains = ["a.example"]\n')
    with pytest.raises(SiteConfigError, match="file name gives 'my gazette'.*add name ="):
        load_sites(tmp_path)


def test_good_selectors_and_start_pages_on_subdomains_still_load(tmp_path: Path) -> None:
    write(tmp_path, "ok.toml", 'domains = ["a.example"]\nstart_urls = ["https://news.a.example/world"]\n'
          '[selectors]\nheadline = "h1.title, h2.title"\nauthors = "//a[@rel=\'author\']"\n'
          'published = "(//time/@datetime)[1]"\n'
          '[[rules]]\nname = "promo"\npattern = "div.promo > p:first-child"\nkind = "css"\n')
    site = load_sites(tmp_path)["ok"]
    assert set(site.selectors) == {"headline", "authors", "published"}


def test_a_domain_without_a_port_is_its_host_on_any_port(tmp_path: Path) -> None:
    # usertest8: a site file for a local copy, domains = ["127.0.0.1"], was
    # refused: "'http://127.0.0.1:18781/' is not on the site's domains (127.0.0.1)".
    write(tmp_path, "local.toml", 'domains = ["127.0.0.1"]\nstart_urls = ["http://127.0.0.1:18781/"]\n')
    site = load_sites(tmp_path)["local"]
    assert site.owns("http://127.0.0.1:18781/news/a.html") and site.owns("http://127.0.0.1/news/a.html")
    assert not site.owns("http://127.0.0.2:18781/")
    pinned = SiteConfig(name="pinned", domains=("127.0.0.1:8080",))
    assert pinned.owns("http://127.0.0.1:8080/a") and not pinned.owns("http://127.0.0.1:9090/a")
    assert SiteConfig(name="ex", domains=("example.com",)).owns("https://www.news.example.com:8443/a")
    with pytest.raises(SiteConfigError, match="is not on the site's domains"):
        write(tmp_path, "other.toml", 'domains = ["127.0.0.1:8080"]\nstart_urls = ["http://127.0.0.1:9090/"]\n')
        load_site(tmp_path / "other.toml")


def test_a_domain_given_with_its_schemes_default_port_owns_its_pages(tmp_path: Path) -> None:
    # A server on port 80 written "127.0.0.1:80" was refused: its start page
    # "http://127.0.0.1:80/" was "not on the site's domains (127.0.0.1:80)",
    # since an address's key drops a default port; "example.com:443" loaded
    # and owned none of its pages, so the run kept nothing it found.
    write(tmp_path, "local.toml", 'domains = ["127.0.0.1:80"]\nstart_urls = ["http://127.0.0.1:80/"]\n')
    site = load_sites(tmp_path)["local"]
    assert site.owns("http://127.0.0.1/news/a.html") and not site.owns("http://127.0.0.1:8080/a")
    secure = SiteConfig(name="ex", domains=("example.com:443",))
    assert secure.owns(secure.entry_urls()[0]) and secure.owns("https://example.com/a")
    assert not secure.owns("http://example.com/a") and not secure.owns("https://example.com:8443/a")


def test_every_selector_field_is_one_extraction_reads() -> None:
    """A [selectors] key is accepted only if extraction uses it: each one,
    pointed at a marked element, changes the extracted article."""
    from itemadapter import ItemAdapter

    from newsarchive.extraction.page import extract_article
    from newsarchive.sites.siteconfig import SELECTOR_FIELDS

    html = """<html lang="en"><head><title>Plain title</title></head><body><article>
      <h1>Plain title</h1><div id="m" content="{value}">x</div>
      <p>{para}</p></article></body></html>"""
    para = " ".join(["The council met on Tuesday to discuss the harbour repairs."] * 12)
    values = {
        "headline": "Marked headline", "standfirst": "Marked standfirst text here",
        "authors": "Jane Marked", "byline": "By Jane Marked", "published": "2024-03-01T10:00:00+00:00",
        "modified": "2024-03-02T10:00:00+00:00", "section": "Marked section", "tags": "markedtag",
        "language": "fr", "canonical_url": "https://a.example/marked", "image_url": "https://a.example/m.jpg",
    }
    assert set(values) == SELECTOR_FIELDS
    url = "https://a.example/2024/03/01/story"
    for field_name, value in values.items():
        page = html.format(value=value, para=para).encode()
        plain = extract_article(page, url=url)
        marked = extract_article(page, url=url, config=ExtractionConfig(selectors={field_name: "#m"}))
        assert ItemAdapter(plain).asdict() != ItemAdapter(marked).asdict(), field_name


def test_a_bare_url_with_a_bad_port_or_a_space_is_refused() -> None:
    # Both reached the crawl: a w3lib traceback (exit 1) and "Invalid URI" (exit 4).
    with pytest.raises(ValueError, match="port"):
        SiteConfig.from_url("http://127.0.0.1:99999/")
    with pytest.raises(ValueError, match="not a host name"):
        SiteConfig.from_url("http://exa mple.com/")
    assert SiteConfig.from_url("http://[::1]:8080/").start_urls == ("http://[::1]:8080/",)


def test_since_too_long_or_in_the_future_is_an_error_not_a_traceback() -> None:
    now = datetime(2024, 3, 10, 12, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="1000 years"):
        parse_since("99999999999d", now=now)  # was OverflowError
    with pytest.raises(ValueError, match="1000 years"):
        parse_duration("400000w")
    # A mistyped year skipped every article and still exited 0.
    with pytest.raises(ValueError, match="in the future"):
        parse_since("2042-03-01", now=now)
    assert parse_since("2024-03-10", now=now) == datetime(2024, 3, 10, tzinfo=timezone.utc)
