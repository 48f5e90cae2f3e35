"""URL canonicalisation: every variant of one article gives one key."""
from __future__ import annotations

import pytest

from newsarchive.urls import canonicalize_url, site_of, strip_tracking

CANONICAL = "https://example.com/news/2024/03/01/story-slug"


@pytest.mark.parametrize("variant", [
    "https://example.com/news/2024/03/01/story-slug",
    "http://example.com/news/2024/03/01/story-slug",
    "https://www.example.com/news/2024/03/01/story-slug",
    "https://WWW.Example.COM/news/2024/03/01/story-slug/",
    "https://example.com/news/2024/03/01/story-slug#comments",
    "https://example.com/news/2024/03/01/story-slug?utm_source=twitter&utm_medium=social",
    "https://example.com/news/2024/03/01/story-slug?fbclid=abc123",
    "https://example.com/news/2024/03/01/story-slug?gclid=x&mc_cid=y",
    "https://example.com/amp/news/2024/03/01/story-slug",
    "https://example.com/news/2024/03/01/story-slug/amp",
    "https://example.com/news/2024/03/01/story-slug?amp",
    "https://m.example.com/news/2024/03/01/story-slug",
    "https://example.com//news/2024/03/01/story-slug",
    "https://example.com:443/news/2024/03/01/story-slug",
])
def test_variants_share_one_key(variant: str) -> None:
    assert canonicalize_url(variant) == CANONICAL


def test_meaningful_query_is_kept_and_sorted() -> None:
    assert canonicalize_url("https://example.com/story?id=7&utm_campaign=x&cat=2") == \
        "https://example.com/story?cat=2&id=7"


def test_port_is_kept_for_local_sites() -> None:
    assert canonicalize_url("http://127.0.0.1:8123/a/b.html") == "https://127.0.0.1:8123/a/b.html"


def test_non_http_urls_are_left_alone() -> None:
    assert canonicalize_url("mailto:desk@example.org") == "mailto:desk@example.org"


def test_strip_tracking_keeps_the_real_address() -> None:
    url = "http://www.example.com/News/Story.html?utm_source=rss&id=3#top"
    assert strip_tracking(url) == "http://www.example.com/News/Story.html?id=3"
    assert strip_tracking("http://127.0.0.1:8000/a.html?b=1&c=2") == "http://127.0.0.1:8000/a.html?b=1&c=2"


def test_site_of() -> None:
    assert site_of("https://www.independent.co.uk/news/x") == "independent.co.uk"
    assert site_of("https://m.bbc.co.uk/news") == "bbc.co.uk"


def test_canonicalize_url_is_cached_and_bounded() -> None:
    from newsarchive.urls import canonicalize_url

    urls = [f"http://www.example.com/news/{i}/?utm_source=x&id={i}#top" for i in range(3)]
    expected = [canonicalize_url.__wrapped__(u) for u in urls]
    before = canonicalize_url.cache_info()
    assert [canonicalize_url(u) for u in urls + urls] == expected + expected
    after = canonicalize_url.cache_info()
    assert after.hits - before.hits >= 3  # the second round came from the cache
    assert after.maxsize == 512  # bounded: a crawl's memory does not grow with its URLs
    assert expected[0] == "https://example.com/news/0?id=0"


# --- addresses that are not addresses -------------------------------------------

@pytest.mark.parametrize("url", [
    "https://[YOUR-DOMAIN]/news/x",   # a template placeholder left on a real page
    "http://[127.0.0.1]/news/x",      # IPv4 is never bracketed
    "http://example.com:port/news/x",
])
def test_an_unusable_address_is_its_own_key_not_an_error(url: str) -> None:
    assert canonicalize_url(url) == url
    assert site_of(url) == ""
    assert strip_tracking(url) == url


def test_absolute_url_refuses_what_cannot_be_fetched() -> None:
    from newsarchive.urls import absolute_url

    base = "http://example.com/news/"
    assert absolute_url(base, "2026/story") == "http://example.com/news/2026/story"
    for href in ("https://[YOUR-DOMAIN]/news/x", "http://example.com:port/", "mailto:a@b.c", "https:///x",
                 "http://exa mple.com/x", "http://%zz/x", "http://a|b.example/x"):
        assert absolute_url(base, href) is None, href


def test_usable_host_accepts_real_hosts() -> None:
    from newsarchive.urls import usable_host

    for host in ("example.com", "127.0.0.1", "::1", "xn--mnchen-3ya.de", "münchen.de", "my_host.local"):
        assert usable_host(host), host
    for host in ("", "exa mple.com", "%zz", "a\tb", "a<b", "a^b"):
        assert not usable_host(host), host


def test_ipv6_hosts_keep_their_brackets() -> None:
    assert canonicalize_url("http://[::1]:8123/news/a/") == "https://[::1]:8123/news/a"
    assert canonicalize_url("http://[2001:DB8::1]/a") == "https://[2001:db8::1]/a"
    assert site_of("http://[::1]:8123/news/a") == "[::1]"


# --- percent-encoding ----------------------------------------------------------------

def test_escapes_that_are_not_utf8_stay_distinct() -> None:
    """Legacy latin-1 sites: "caf%E9" and "caf%E0" are two articles (they
    were both U+FFFD, one key)."""
    e_acute = canonicalize_url("http://ex.fr/a.php?t=caf%E9")
    a_grave = canonicalize_url("http://ex.fr/a.php?t=caf%E0")
    assert e_acute == "https://ex.fr/a.php?t=caf%E9"
    assert a_grave == "https://ex.fr/a.php?t=caf%E0"
    assert canonicalize_url("http://ex.fr/a.php?t=caf%e9") == e_acute
    assert "%EF%BF%BD" not in canonicalize_url("http://ex.fr/caf%E9.php?x=%FC")
    # The address requested keeps them too.
    assert strip_tracking("http://ex.fr/a.php?t=caf%E9&utm_source=rss") == "http://ex.fr/a.php?t=caf%E9"


@pytest.mark.parametrize("variant", [
    "http://example.com/news/with space é.html",
    "http://example.com/news/with%20space%20%C3%A9.html",
    "http://example.com/news/with%20space%20%c3%a9.html",
    "http://example.com/news/with%20sp%61ce%20%C3%A9.html",
])
def test_percent_encoding_is_normalised_in_the_path(variant: str) -> None:
    assert canonicalize_url(variant) == "https://example.com/news/with%20space%20%C3%A9.html"


def test_unreserved_escapes_and_raw_unicode_share_a_key() -> None:
    assert canonicalize_url("http://h.com/a%2Db%7Ec") == canonicalize_url("http://h.com/a-b~c") \
        == "https://h.com/a-b~c"
    raw = canonicalize_url("http://h.com/news/мост-story")
    assert raw == canonicalize_url("http://h.com/news/%D0%BC%D0%BE%D1%81%D1%82-story")
    assert raw == "https://h.com/news/%D0%BC%D0%BE%D1%81%D1%82-story"
    # Reserved characters stay escaped: "%2F" is not a path separator.
    assert canonicalize_url("http://h.com/a%2Fb") == "https://h.com/a%2Fb"


def test_query_keys_of_existing_archives_are_unchanged() -> None:
    """Queries in UTF-8 keep the key earlier versions gave them."""
    assert canonicalize_url("http://h.com/s?q=caf%C3%A9&b=a b&a=x%2Fy") == \
        "https://h.com/s?a=x%2Fy&b=a+b&q=caf%C3%A9"


def test_skip_memory_written_with_old_keys_is_read_with_new_ones(tmp_path) -> None:
    import json
    from datetime import datetime, timedelta, timezone

    from newsarchive.skipmemory import SkipMemory

    memory = SkipMemory(tmp_path, "example", keep_for=timedelta(days=7))
    now = datetime.now(timezone.utc).isoformat()
    memory.path.write_text(json.dumps({"https://h.com/tag/a%2db": ["tag", now]}), encoding="utf-8")
    assert memory.load() == 1
    assert memory.reason("http://h.com/tag/a-b") == "tag"
