"""Discovery: robots.txt, sitemaps (index, gzip, news), feeds, listing pages, ordering."""
from __future__ import annotations

import gzip
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from parsel import Selector

from newsarchive import discovery

SITE = Path(__file__).parent / "site"
BASE = "http://127.0.0.1:8000"


def site_file(rel: str) -> bytes:
    return (SITE / rel).read_bytes().replace(b"{base}", BASE.encode())


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_robots_sitemaps_are_absolute_and_unique() -> None:
    body = site_file("robots.txt") + b"Sitemap: /extra.xml\nsitemap: /extra.xml\n"
    assert discovery.robots_sitemaps(body, f"{BASE}/robots.txt") == [
        f"{BASE}/sitemap_index.xml", f"{BASE}/extra.xml"]


def test_sitemap_index_lists_children_with_dates() -> None:
    kind, entries = discovery.sitemap_entries(site_file("sitemap_index.xml"), BASE)
    assert kind == "sitemapindex"
    assert [e.url for e in entries][:2] == [f"{BASE}/sitemaps/articles.xml.gz", f"{BASE}/sitemaps/news.xml"]
    assert all(e.is_sitemap for e in entries)
    assert entries[2].date == utc(2019, 6, 1, 12)
    assert entries[3].date is None


def test_gzipped_sitemap_is_unpacked() -> None:
    packed = gzip.compress(site_file("sitemaps/articles.xml"))
    body = discovery.sitemap_body(packed, f"{BASE}/sitemaps/articles.xml.gz")
    kind, entries = discovery.sitemap_entries(body, BASE)
    assert kind == "urlset"
    assert entries[0].url == f"{BASE}/news/2024/03/01/council-approves-new-cycle-lanes.html"
    assert entries[0].date == utc(2024, 3, 1, 9)
    # Plain XML passes through untouched (already decompressed by the HTTP layer).
    assert discovery.sitemap_body(b"<urlset/>", "x.xml.gz") == b"<urlset/>"
    # A truncated gzip file never raises.
    assert discovery.sitemap_body(packed[:20], "x.gz") is None


def test_news_sitemap_keeps_publication_date_and_title() -> None:
    kind, entries = discovery.sitemap_entries(site_file("sitemaps/news.xml"), BASE)
    assert kind == "urlset"
    (entry,) = entries
    assert entry.date == utc(2024, 3, 3, 10, 15)
    assert entry.title == "Trade talks resume in Brussels after a month of delay"


def _urlset(*urls: tuple[str, str, str | None]) -> bytes:
    """A news sitemap of (path, lastmod, news publication date) entries."""
    items = "".join(
        f"<url><loc>{BASE}{path}</loc><lastmod>{lastmod}</lastmod>"
        + (f"<news:news><news:publication_date>{published}</news:publication_date></news:news>" if published else "")
        + "</url>"
        for path, lastmod, published in urls)
    return ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{items}</urlset>').encode()


def test_a_sitemap_dating_every_entry_when_it_was_built_is_a_stamp() -> None:
    served = utc(2026, 12, 7, 16, 30)
    body = _urlset(("/a", "2026-12-07T16:29:58Z", None), ("/b", "2026-12-07T16:29:59Z", "2026-12-01T08:00:00Z"),
                   ("/c", "2026-12-07T16:29:59Z", None))
    _, entries = discovery.sitemap_entries(body, BASE)
    stamp = discovery.generation_stamp(entries, served)
    assert stamp == (utc(2026, 12, 7, 16, 29, 58), utc(2026, 12, 7, 16, 29, 59))
    # What else the index said of an entry stays: the news publication date.
    assert [e.date for e in discovery.without_stamp(entries, stamp)] == [None, utc(2026, 12, 1, 8), None]


@pytest.mark.parametrize("urls, why", [
    ([("/a", "2026-12-07T16:29:59Z", None), ("/b", "2026-12-07T16:29:59Z", None)],
     "two entries changed in the same minute are ordinary news"),
    ([("/a", "2026-12-07T16:29:59Z", None), ("/b", "2026-12-07T16:29:59Z", None), ("/c", "2026-12-07T16:20:00Z", None)],
     "dates spread over minutes are real"),
    ([("/a", "2026-12-01T00:00:00Z", None), ("/b", "2026-12-01T00:00:00Z", None), ("/c", "2026-12-01T00:00:00Z", None)],
     "one date long before the fetch is a real bulk change (a migration): fetched once, then old"),
])
def test_dates_that_are_not_a_stamp(urls: list[tuple[str, str, str | None]], why: str) -> None:
    _, entries = discovery.sitemap_entries(_urlset(*urls), BASE)
    assert discovery.generation_stamp(entries, utc(2026, 12, 7, 16, 30)) is None, why


def test_a_feed_dating_every_item_now_is_a_stamp() -> None:
    items = "".join(f"<item><link>{BASE}/{n}</link><pubDate>Mon, 07 Dec 2026 16:29:59 GMT</pubDate></item>"
                    for n in range(4))
    entries = discovery.feed_entries(f"<rss><channel>{items}</channel></rss>".encode(), BASE)
    # The server's clock may be a little ahead of the stamp, or behind it.
    assert discovery.generation_stamp(entries, utc(2026, 12, 7, 16, 10)) is not None
    assert discovery.generation_stamp(entries, utc(2026, 12, 7, 18, 0)) is None


def test_broken_and_foreign_xml_give_nothing() -> None:
    assert discovery.sitemap_entries(b"<html><body>not a sitemap</body></html>", BASE) == ("", [])
    assert discovery.sitemap_entries(b"", BASE) == ("", [])
    kind, entries = discovery.sitemap_entries(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/a</loc></url>'
        b"<url><loc>javascript:alert(1)</loc></url><url><loc>/b", BASE)
    assert kind == "urlset" and [e.url for e in entries][:1] == [f"{BASE}/a"]


def test_rss_atom_and_rdf_feeds() -> None:
    rss = discovery.feed_entries(site_file("rss.xml"), BASE)
    assert [e.url for e in rss] == [
        f"{BASE}/go/hospital-waiting-lists-short-link",
        f"{BASE}/news/2024/03/01/council-approves-new-cycle-lanes.html?utm_source=rss&utm_medium=feed",
    ]
    assert rss[0].date == utc(2024, 3, 4, 7, 45)
    atom = discovery.feed_entries(site_file("atom.xml"), BASE)
    assert atom[0].url.endswith("/news/2024/03/05/library-opens-late-on-fridays.html#comments")
    assert atom[0].date == utc(2024, 3, 5, 10)
    rdf = discovery.feed_entries(site_file("culture.rdf"), BASE)
    assert [e.url for e in rdf] == [f"{BASE}/culture/2024/03/09/lantern-festival-draws-record-crowds.html"]
    assert rdf[0].date == utc(2024, 3, 9, 20)
    assert discovery.feed_entries(b"<html><p>no feed</p></html>", BASE) == []
    assert discovery.feed_entries(b"\x00\x01 binary", BASE) == []


def test_document_kind() -> None:
    assert discovery.document_kind(site_file("rss.xml")) == "feed"
    assert discovery.document_kind(site_file("atom.xml")) == "feed"
    assert discovery.document_kind(site_file("culture.rdf")) == "feed"
    assert discovery.document_kind(site_file("sitemap_index.xml")) == "sitemap"
    assert discovery.document_kind(gzip.compress(b"<urlset/>")) == "sitemap"
    assert discovery.document_kind(site_file("index.html")) == "html"


def test_feed_autodiscovery_and_links_of_the_home_page() -> None:
    page = Selector(text=site_file("index.html").decode())
    assert discovery.feed_links(page, f"{BASE}/") == [f"{BASE}/rss.xml", f"{BASE}/atom.xml"]
    links = discovery.listing_links(page, f"{BASE}/")
    assert f"{BASE}/news/" in links
    # Fragments dropped; mailto: and other schemes ignored.
    assert f"{BASE}/news/2024/03/07/harbour-bridge-reopens-after-repairs.html?utm_source=home&utm_medium=web" in links
    assert not any(link.startswith("mailto:") for link in links)


def test_pagination_links() -> None:
    first = Selector(text=site_file("news/index.html").decode())
    assert discovery.next_page_links(first, f"{BASE}/news/") == [f"{BASE}/news/page/2"]
    second = Selector(text=site_file("news/page/2.html").decode())
    assert discovery.next_page_links(second, f"{BASE}/news/page/2") == [f"{BASE}/news/page/3"]
    last = Selector(text=site_file("news/page/3.html").decode())
    assert discovery.next_page_links(last, f"{BASE}/news/page/3") == []
    numbered = Selector(text='<a href="?page=2">2</a><a href="?page=3">3</a><a href="/other?page=2">x</a>')
    assert discovery.next_page_links(numbered, f"{BASE}/world") == [f"{BASE}/world?page=2"]


def test_priority_orders_newest_first() -> None:
    now = utc(2024, 3, 10, 12)
    ages = [timedelta(hours=2), timedelta(days=1, hours=12), timedelta(days=5), timedelta(days=20),
            timedelta(days=200), timedelta(days=900)]
    priorities = [discovery.priority_for(now - age, now) for age in ages]
    assert priorities == sorted(priorities, reverse=True) and len(set(priorities)) == len(priorities)
    assert discovery.priority_for(None, now) == discovery.UNDATED_PRIORITY


# --- unusable links are skipped one by one ------------------------------------------

PLACEHOLDER = "https://[YOUR-DOMAIN]/news/2026/12/05/template"


def test_a_placeholder_address_in_a_sitemap_skips_that_entry_only() -> None:
    locs = [f"{BASE}/news/a", PLACEHOLDER, f"{BASE}/news/b", "http://example.com:port/x"]
    kind, entries = discovery.sitemap_entries(
        ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         + "".join(f"<url><loc>{loc}</loc></url>" for loc in locs) + "</urlset>").encode(), BASE)
    assert kind == "urlset"
    assert [e.url for e in entries] == [f"{BASE}/news/a", f"{BASE}/news/b"]


def test_a_placeholder_address_in_a_feed_skips_that_item_only() -> None:
    feed = (f'<rss version="2.0"><channel><item><link>{BASE}/news/a</link></item>'
            f"<item><link>{PLACEHOLDER}</link></item><item><link>{BASE}/news/b</link></item>"
            "</channel></rss>").encode()
    assert [e.url for e in discovery.feed_entries(feed, BASE)] == [f"{BASE}/news/a", f"{BASE}/news/b"]


def test_a_placeholder_address_on_a_page_skips_that_link_only() -> None:
    page = Selector(text=(
        '<link rel="alternate" type="application/rss+xml" href="https://[site-url]/feed">'
        '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        f'<a href="/news/a">a</a><a href="{PLACEHOLDER}">t</a><a href="http://[127.0.0.1]:8000/x">x</a>'
        '<a href="/news/b">b</a><a href="https://[YOUR-DOMAIN]/news/?page=2">Next</a>'
        '<a href="?page=2">Next</a>'))
    assert discovery.listing_links(page, f"{BASE}/news/") == [
        f"{BASE}/news/a", f"{BASE}/news/b", f"{BASE}/news/?page=2"]
    assert discovery.feed_links(page, f"{BASE}/news/") == [f"{BASE}/rss.xml"]
    assert discovery.next_page_links(page, f"{BASE}/news/") == [f"{BASE}/news/?page=2"]


def test_a_placeholder_sitemap_line_in_robots_txt_skips_that_line_only() -> None:
    body = f"Sitemap: {PLACEHOLDER}.xml\nSitemap: /b.xml\n".encode()
    assert discovery.robots_sitemaps(body, f"{BASE}/robots.txt") == [f"{BASE}/b.xml"]


# --- truncated sitemaps ----------------------------------------------------------------

def _long_urlset(n: int) -> bytes:
    return _urlset(*((f"/news/2026/11/story-number-{i}", "2026-11-20", None) for i in range(n)))


def test_a_cut_gzip_sitemap_is_reported_and_its_last_entry_dropped() -> None:
    packed = gzip.compress(_long_urlset(60))
    for cut in (len(packed) // 3, len(packed) * 2 // 3):
        xml, truncated = discovery.sitemap_xml(packed[:cut], "x.xml.gz")
        assert xml is not None and truncated, cut
        kind, entries = discovery.sitemap_entries(xml, BASE, truncated=truncated)
        assert kind == "urlset"
        # Only whole addresses: the one being written when the stream ended is gone.
        assert all(e.url.rsplit("-", 1)[1].isdigit() for e in entries)
        assert len(entries) < 59
        assert f"{BASE}/news/2026/11/story-number-{len(entries)}" not in {e.url for e in entries}
    whole, truncated = discovery.sitemap_xml(packed, "x.xml.gz")
    assert not truncated and len(discovery.sitemap_entries(whole, BASE)[1]) == 60


def test_a_cut_xml_sitemap_is_reported_and_its_half_written_address_dropped() -> None:
    xml = _long_urlset(10)
    cut = xml[:xml.index(b"story-number-9") + len(b"story-nu")]
    body, truncated = discovery.sitemap_xml(cut, "x.xml")
    assert truncated
    kind, entries = discovery.sitemap_entries(body, BASE, truncated=truncated)
    assert [e.url for e in entries] == [f"{BASE}/news/2026/11/story-number-{i}" for i in range(9)]


@pytest.mark.parametrize("tail", [b"", b"\n", b"\n<!-- generated in 0.02s -->\n"])
def test_a_whole_sitemap_is_not_truncated(tail: bytes) -> None:
    assert discovery.sitemap_xml(_long_urlset(3) + tail, "x.xml") == (_long_urlset(3) + tail, False)
    assert discovery.sitemap_xml(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', "x")[1] is False
    index = site_file("sitemap_index.xml")
    assert discovery.sitemap_xml(index, "x.xml")[1] is False
    assert discovery.sitemap_xml(index[:-20], "x.xml")[1] is True


# --- <base href> ------------------------------------------------------------------------

def test_links_resolve_against_the_documents_base() -> None:
    page = Selector(text=(
        '<html><head><base href="http://127.0.0.1:8000/sub/">'
        '<link rel="alternate" type="application/rss+xml" href="feed.xml"></head><body>'
        '<a href="2026/12/story">s</a><a href="/abs/story">a</a><a href="?page=2">Next</a></body></html>'))
    page_url = f"{BASE}/sections/world?page=1"
    assert discovery.listing_links(page, page_url) == [
        f"{BASE}/sub/2026/12/story", f"{BASE}/abs/story", f"{BASE}/sub/?page=2"]
    assert discovery.feed_links(page, page_url) == [f"{BASE}/sub/feed.xml"]
    assert discovery.next_page_links(page, page_url) == [f"{BASE}/sub/?page=2"]
    # A relative base resolves against the page; an unusable one is ignored.
    relative = Selector(text='<base href="/other/"><a href="x">x</a>')
    assert discovery.listing_links(relative, f"{BASE}/news/") == [f"{BASE}/other/x"]
    broken = Selector(text='<base href="https://[YOUR-DOMAIN]/"><a href="x">x</a>')
    assert discovery.listing_links(broken, f"{BASE}/news/") == [f"{BASE}/news/x"]


def test_unusable_page_links_are_handed_back_to_be_counted() -> None:
    """They were dropped with no trace, so no crawl stat counted them."""
    page = Selector(text=(
        f'<a href="/news/a">a</a><a href="{PLACEHOLDER}">t</a><a href="http://127.0.0.1:abc/x">x</a>'
        '<a href="mailto:desk@example.com">m</a><a href="javascript:void(0)">j</a><a href="#top">top</a>'
        '<a href="whatsapp://send?text=x">share</a>'))
    unusable: list[str] = []
    assert discovery.listing_links(page, f"{BASE}/news/", unusable) == [f"{BASE}/news/a"]
    # Links to something other than a page (mail, scripts, apps) are no skip.
    assert unusable == [PLACEHOLDER, "http://127.0.0.1:abc/x"]


def test_a_feed_link_escaped_twice_is_read_once_unescaped() -> None:
    """<link>…&amp;amp;…</link> gave an address with "&amp;" in its query:
    a parameter named "amp;page", the wrong page, a second key for the article."""
    feed = (f"<rss><channel><item><link>{BASE}/story?id=5&amp;amp;page=2</link></item>"
            f'<item><link>{BASE}/other?id=6&amp;page=1</link></item></channel></rss>').encode()
    atom = (f'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
            f'<link href="{BASE}/a?x=1&amp;amp;y=2"/></entry></feed>').encode()
    assert [e.url for e in discovery.feed_entries(feed, BASE)] == [
        f"{BASE}/story?id=5&page=2", f"{BASE}/other?id=6&page=1"]
    assert [e.url for e in discovery.feed_entries(atom, BASE)] == [f"{BASE}/a?x=1&y=2"]


def test_a_link_escaped_twice_is_mended_on_its_own_host_not_the_feeds() -> None:
    """What the README says: the link's own host must not change; the feed's
    host does not matter."""
    other = "https://cdn.example.net"
    feed = (f"<rss><channel><item><link>{other}/story?id=5&amp;amp;page=2</link></item>"
            f"<item><link>https://a.example.com&amp;amp;b.example.org/p</link></item></channel></rss>").encode()
    assert [e.url for e in discovery.feed_entries(feed, BASE)][0] == f"{other}/story?id=5&page=2"
    assert discovery._escaped_twice("https://a.example.com&amp;b.example.org/p", BASE) \
        == "https://a.example.com&amp;b.example.org/p"


def test_a_sitemap_loc_escaped_twice_is_read_once_unescaped() -> None:
    """Feeds were mended and sitemaps were not: the same generator bug gave
    the parameter "amp;page" and a second key for the article."""
    xml = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           f"<url><loc>{BASE}/story?id=5&amp;amp;page=2</loc></url>"
           f"<url><loc>{BASE}/other?id=6&amp;page=1</loc></url></urlset>").encode()
    kind, entries = discovery.sitemap_entries(xml, BASE)
    assert kind == "urlset"
    assert [e.url for e in entries] == [f"{BASE}/story?id=5&page=2", f"{BASE}/other?id=6&page=1"]


def test_a_host_with_a_character_no_host_holds_is_an_unusable_link() -> None:
    """urlsplit took "exa mple.com" and "%zz" as hosts: the request failed with
    a Twisted error instead of the link being skipped and counted."""
    page = Selector(text=(
        '<a href="http://exa mple.com/news/x">s</a><a href="http://%zz/news/y">p</a>'
        '<a href="http://a<b.example/z">l</a><a href="/news/a">a</a>'))
    unusable: list[str] = []
    assert discovery.listing_links(page, f"{BASE}/news/", unusable) == [f"{BASE}/news/a"]
    assert unusable == ["http://exa mple.com/news/x", "http://%zz/news/y", "http://a<b.example/z"]
    xml = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           f"<url><loc>http://exa mple.com/a</loc></url><url><loc>{BASE}/b</loc></url></urlset>").encode()
    assert [e.url for e in discovery.sitemap_entries(xml, BASE)[1]] == [f"{BASE}/b"]


def test_dates_without_an_offset_take_the_sites_time_zone() -> None:
    """A site file's ``timezone`` is "for dates printed without an offset", but
    discovery read a sitemap's or feed's naive dates as UTC: on a site east of
    UTC every such lastmod lay hours in the future, and each hourly run fetched
    the archived article again until the clock caught up (west of UTC, edits
    made within those hours of a fetch were never fetched)."""
    from zoneinfo import ZoneInfo

    tokyo = ZoneInfo("Asia/Tokyo")
    xml = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<url><loc>/a</loc><lastmod>2026-12-07T18:00:00</lastmod></url>"
           b"<url><loc>/b</loc><lastmod>2026-12-07T18:00:00+00:00</lastmod></url></urlset>")
    _, entries = discovery.sitemap_entries(xml, BASE, zone=tokyo)
    assert [e.date for e in entries] == [utc(2026, 12, 7, 9), utc(2026, 12, 7, 18)]
    _, entries = discovery.sitemap_entries(xml, BASE)
    assert entries[0].date == utc(2026, 12, 7, 18)  # no zone configured: UTC, as before
    rss = (b"<rss><channel><item><link>/c</link><pubDate>Mon, 07 Dec 2026 18:00:00</pubDate></item>"
           b"<item><link>/d</link><pubDate>Mon, 07 Dec 2026 18:00:00 GMT</pubDate></item></channel></rss>")
    assert [e.date for e in discovery.feed_entries(rss, BASE, zone=tokyo)] == [
        utc(2026, 12, 7, 9), utc(2026, 12, 7, 18)]
    # RFC 2822's "-0000" is UTC with the local zone unknown, not a date without a zone.
    unknown = b"<rss><channel><item><link>/e</link><pubDate>Mon, 07 Dec 2026 18:00:00 -0000</pubDate></item></channel></rss>"
    assert [e.date for e in discovery.feed_entries(unknown, BASE, zone=tokyo)] == [utc(2026, 12, 7, 18)]


def test_dates_after_the_index_was_served_are_dropped() -> None:
    served = utc(2026, 12, 7, 12)
    entries = [discovery.Entry(url="/a", date=utc(2062, 3, 1), dates=(utc(2026, 12, 1), utc(2062, 3, 1))),
               discovery.Entry(url="/b", date=utc(2026, 12, 7, 12, 30), dates=(utc(2026, 12, 7, 12, 30),)),
               discovery.Entry(url="/c", date=utc(2026, 12, 7, 15), dates=(utc(2026, 12, 7, 15),))]
    kept, cut = discovery.without_future(entries, served)
    # /a keeps its other date; /b is within the hour clocks may differ by.
    assert [e.date for e in kept] == [utc(2026, 12, 1), utc(2026, 12, 7, 12, 30), None]
    assert cut == 2
