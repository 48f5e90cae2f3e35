"""Discovery: finding article URLs, with dates, from a site's own indexes.

Pure functions over response bodies (or parsel selectors), no requests: the
spider decides what to fetch. Sitemaps go through Scrapy's own parser
(``scrapy.utils.sitemap``) and gzip helpers; news sitemap fields, feeds and
HTML listing pages are read here.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from io import BytesIO
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import lxml.etree
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from newsarchive.timespan import parse_instant
from newsarchive.urls import absolute_url

if TYPE_CHECKING:
    from parsel import Selector

__all__ = [
    "Entry",
    "document_base",
    "document_kind",
    "feed_entries",
    "feed_links",
    "generation_stamp",
    "listing_links",
    "next_page_links",
    "priority_for",
    "robots_sitemaps",
    "sitemap_body",
    "sitemap_entries",
    "sitemap_xml",
    "without_stamp",
]


@dataclass(frozen=True)
class Entry:
    """One URL found by discovery, with what the index said about it."""

    url: str
    date: datetime | None = None
    """Newest of lastmod / news publication date / feed date, in UTC."""
    title: str | None = None
    dates: tuple[datetime, ...] = ()
    """Every date the index gave the entry; ``date`` is the newest of them."""
    is_sitemap: bool = False
    """True for a child sitemap listed in a sitemap index."""


# --- robots.txt ---------------------------------------------------------------

def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """Sitemap URLs declared in a robots.txt body (Scrapy's parser), de-duplicated."""
    seen: dict[str, None] = {}
    for line in BytesIO(body):
        # Scrapy's helper joins inside its generator, so one bad line would end it.
        for url in _robots_sitemap_lines(line, base_url):
            seen.setdefault(url, None)
    return list(seen)


def _robots_sitemap_lines(line: bytes, base_url: str) -> list[str]:
    try:
        found = list(sitemap_urls_from_robots(line, base_url=base_url))
    except ValueError:
        return []
    return [url for url in (absolute_url(base_url, u) for u in found) if url]


# --- Sitemaps -----------------------------------------------------------------

def sitemap_body(body: bytes, url: str, *, max_size: int = 0) -> bytes | None:
    """The XML of a sitemap response, gunzipped when it is a .gz file.

    Same rules as Scrapy's SitemapSpider: gzip by magic number (servers send
    .xml.gz as application/octet-stream), and a body already decompressed by
    HttpCompressionMiddleware passes through. None when too large or broken.
    """
    return sitemap_xml(body, url, max_size=max_size)[0]


def sitemap_xml(body: bytes, url: str, *, max_size: int = 0) -> tuple[bytes | None, bool]:
    """``(xml, truncated)``: ``sitemap_body``, and whether the document was
    cut short: its root element is never closed.

    Scrapy's ``gunzip`` returns what it could unpack of a cut .gz without a
    word, and lxml's recovering parser reads a cut XML file without one; the
    missing end tag is what either leaves behind (a gzip stream cut only in
    its trailer still holds the whole document). A cut sitemap still lists
    its complete entries, but it must not count as read in full, and its last
    entry may be a half-written address.
    """
    if body[:3] == b"\x1f\x8b\x08":
        try:
            xml = gunzip(body, max_size=max_size)
        except (_DecompressionMaxSizeExceeded, OSError, EOFError):
            return None, False
    else:
        xml = body
    return xml, not xml_complete(xml)


# The root's end tag, then only comments or blanks (generators add timing notes).
_ROOT_END = re.compile(rb"(?:</\s*(?:[\w.-]+:)?(?:urlset|sitemapindex)\s*>"
                       rb"|<(?:[\w.-]+:)?(?:urlset|sitemapindex)\b[^<>]*/>)(?:\s|<!--.*?-->)*\Z", re.S)


def xml_complete(xml: bytes) -> bool:
    """Whether a sitemap document ends with its root's end tag (only the tail is read)."""
    return _ROOT_END.search(xml[-4096:].rstrip(b"\x00")) is not None


class NewsSitemap(Sitemap):
    """Scrapy's Sitemap parser, also keeping the news sitemap's nested fields
    (``news:publication_date``, ``news:title``), which the base class drops."""

    __slots__ = ()

    def _process_sitemap_element(self, elem: lxml.etree._Element) -> dict[str, Any] | None:
        news: dict[str, str] = {}
        for child in elem.iter():
            name = self._get_tag_name(child)
            if name in {"publication_date", "title"} and child.text and child.text.strip():
                news[f"news_{name}"] = child.text.strip()
        found = super()._process_sitemap_element(elem)
        if found is not None:
            found.update(news)
        return found


def sitemap_entries(xml: bytes, base_url: str, *, truncated: bool = False,
                    zone: tzinfo | None = None) -> tuple[str, list[Entry]]:
    """``(kind, entries)`` where kind is ``"sitemapindex"``, ``"urlset"`` or
    ``""`` (not a sitemap). Entries carry the newest date the sitemap gives.

    ``zone``: the site's time zone, for dates written without an offset.

    ``truncated`` (see ``sitemap_xml``): the last entry is dropped, as its
    address may have been cut mid-way.
    """
    try:
        sitemap = NewsSitemap(xml)
    except (lxml.etree.XMLSyntaxError, StopIteration, ValueError):
        return "", []
    kind = sitemap.type if sitemap.type in {"sitemapindex", "urlset"} else ""
    if not kind:
        return "", []
    entries: list[Entry] = []
    try:
        for item in sitemap:
            loc = absolute_url(base_url, _escaped_twice(item.get("loc", "").strip(), base_url))
            if loc is None:
                continue
            dates = [parse_instant(item.get(k), zone) for k in ("lastmod", "news_publication_date")]
            known = [d for d in dates if d is not None]
            entries.append(Entry(
                url=loc,
                date=max(known) if known else None,
                title=item.get("news_title"),
                is_sitemap=kind == "sitemapindex",
                dates=tuple(known),
            ))
    except lxml.etree.XMLSyntaxError:
        pass  # keep what was read before the break
    if truncated and entries:
        entries.pop()
    return kind, entries


# --- Feeds --------------------------------------------------------------------

_FEED_ROOTS = {"rss": "rss", "feed": "atom", "rdf": "rdf"}
_XML_PARSER_OPTS = dict(recover=True, resolve_entities=False, no_network=True, huge_tree=True)


def _local(tag: object) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def document_kind(body: bytes) -> str:
    """``"sitemap"``, ``"feed"`` or ``"html"`` by the document's root element."""
    head = body[:2048].lstrip()
    if head[:3] == b"\x1f\x8b\x08":
        return "sitemap"
    match = re.search(rb"<\s*([A-Za-z_][\w:.-]*)[\s>/]", re.sub(rb"<[?!][^>]*>", b"", head))
    if not match:
        return "html"
    root = match.group(1).split(b":")[-1].lower()
    if root in {b"urlset", b"sitemapindex"}:
        return "sitemap"
    if root in {b"rss", b"feed", b"rdf"}:
        return "feed"
    return "html"


def feed_is_empty(body: bytes) -> bool:
    """Whether ``body`` is a well-formed feed that lists no item at all.

    A quiet section's feed, or one of the last few hours' stories, is empty
    at times: a feed, not a broken one (``feed_entries`` gives ``[]`` for both).
    """
    try:
        root = lxml.etree.fromstring(body, lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    except (lxml.etree.XMLSyntaxError, ValueError):
        return False
    return (root is not None and _local(root.tag) in _FEED_ROOTS
            and not any(_local(item.tag) in {"item", "entry"} for item in root.iter()))


def feed_entries(body: bytes, base_url: str, *, zone: tzinfo | None = None) -> list[Entry]:
    """Items of an RSS 2.0, Atom or RSS 1.0 (RDF) feed: link, date, title.

    ``zone``: the site's time zone, for dates written without an offset.
    """
    try:
        root = lxml.etree.fromstring(body, lxml.etree.XMLParser(**_XML_PARSER_OPTS))
    except (lxml.etree.XMLSyntaxError, ValueError):
        return []
    if root is None or _local(root.tag) not in _FEED_ROOTS:
        return []
    entries: list[Entry] = []
    for item in root.iter():
        if _local(item.tag) not in {"item", "entry"}:
            continue
        link = _item_link(item)
        if not link:
            continue
        url = absolute_url(base_url, _escaped_twice(link, base_url))
        if url is None:
            continue
        dates: list[datetime] = []
        title = None
        for child in item:
            name = _local(child.tag)
            if name in {"pubdate", "date", "published", "updated", "issued", "modified"}:
                value = parse_instant(child.text, zone)
                if value is not None:
                    dates.append(value)
            elif name == "title" and child.text:
                title = child.text.strip()
        entries.append(Entry(url=url, date=max(dates) if dates else None, title=title, dates=tuple(dates)))
    return entries


def _escaped_twice(link: str, base_url: str) -> str:
    """``link`` with ``&amp;`` read as ``&`` when the feed or sitemap escaped it twice.

    A feed or sitemap that writes ``&amp;amp;`` (an escaped address escaped again, a
    common generator bug) leaves ``&amp;`` in the parsed link: every query
    parameter after the first is then named ``amp;...``, the site answers
    another page or none, and the same article has two keys. No real
    address holds ``&amp;``. The host must stay the same: only the path
    and query are mended, never where the link leads.
    """
    if "&amp;" not in link:
        return link
    mended = link.replace("&amp;", "&")
    if urlsplit(mended).netloc != urlsplit(link).netloc or absolute_url(base_url, mended) is None:
        return link
    return mended


def _item_link(item: lxml.etree._Element) -> str | None:
    fallback = None
    for child in item:
        name = _local(child.tag)
        if name == "link":
            href = child.get("href")
            if href:  # Atom
                if child.get("rel", "alternate") == "alternate":
                    return href.strip()
                continue
            if child.text and child.text.strip():  # RSS / RDF
                return child.text.strip()
        elif name == "guid" and child.text and child.get("isPermaLink", "true") != "false":
            fallback = child.text.strip() if child.text.strip().startswith("http") else fallback
        elif name == "origlink" and child.text:  # FeedBurner keeps the real link here
            return child.text.strip()
    return fallback


# --- Generation stamps ----------------------------------------------------------

STAMP_MIN_ENTRIES = 3
"""Fewer dated entries than this are never taken for a stamp: two articles
changed in the same minute just before the fetch are ordinary news."""
STAMP_SPREAD = timedelta(seconds=60)
"""How close together every entry's newest date must lie to be one stamp."""
STAMP_NEAR = timedelta(hours=1)
"""How close to the response's time the stamp must lie (either side: clocks
and caches differ). A real bulk change dated earlier is trusted, so it is
fetched by the next run at the latest."""


def generation_stamp(entries: Sequence[Entry], at: datetime) -> tuple[datetime, datetime] | None:
    """The span of the stamp when an index dates every entry "now", else None.

    Sitemaps and feeds built on request often give every entry the time they
    were built as its ``lastmod`` (or ``pubDate``). Taken at its word, such a
    date says every archived article changed since the last run, so each run
    would fetch the whole index again. A stamp is every dated entry's newest
    date lying within ``STAMP_SPREAD`` of the others and within
    ``STAMP_NEAR`` of the response's time ``at``.
    """
    dated = [entry.date for entry in entries if entry.date is not None]
    if len(dated) < STAMP_MIN_ENTRIES:
        return None
    low, high = min(dated), max(dated)
    if high - low > STAMP_SPREAD or abs(at - high) > STAMP_NEAR:
        return None
    return low, high


def without_stamp(entries: Sequence[Entry], stamp: tuple[datetime, datetime]) -> list[Entry]:
    """``entries`` with the dates inside ``stamp`` removed: an entry keeps what
    else the index said of it (a news sitemap's publication date), else no date."""
    low, high = stamp
    out: list[Entry] = []
    for entry in entries:
        kept = tuple(d for d in entry.dates if not low <= d <= high)
        out.append(replace(entry, date=max(kept) if kept else None, dates=kept))
    return out


FUTURE_SLACK = STAMP_NEAR
"""How far past the response's time an entry's date may lie and still count
(clocks and caches differ, as for the stamp)."""


def without_future(entries: Sequence[Entry], at: datetime) -> tuple[list[Entry], int]:
    """``entries`` without the dates later than ``at`` (the response's time)
    plus ``FUTURE_SLACK``, and how many entries lost one.

    No page changed after the index was served: a date years ahead (a typed
    year, a scheduled post, an offset that lies) would say "changed since the
    archived copy" on every run until that date comes, and the article would be
    fetched every hour. An entry keeps its other dates; once such a date has
    passed it counts again, so a real change dated a few hours ahead is
    fetched late, not lost.
    """
    limit = at + FUTURE_SLACK
    out: list[Entry] = []
    cut = 0
    for entry in entries:
        kept = tuple(d for d in entry.dates if d <= limit)
        if len(kept) == len(entry.dates):
            out.append(entry)
            continue
        cut += 1
        out.append(replace(entry, date=max(kept) if kept else None, dates=kept))
    return out, cut


# --- HTML pages ---------------------------------------------------------------

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/feed+json", "text/xml", "application/xml")
_NEXT_TEXT = re.compile(r"^\s*(?:next|older|more|weiter|suivant|siguiente|»|›|>+)(?:\s+(?:page|posts|stories|articles|»|›))?\s*[»›>]*\s*$", re.I)
_PAGE_PARAM = re.compile(r"(?:/page/(\d+)/?$|[?&](?:page|p|pg)=(\d+))", re.I)


# Links that are no page by design (scripts, mail, phone, in-page anchors):
# not a skip, and on every page.
_NOT_PAGE_LINKS = ("javascript:", "mailto:", "tel:", "#", "data:")
# Another scheme (whatsapp:, sms:, ftp:...): a link to something else, not
# a page address written wrong.
_OTHER_SCHEME = re.compile(r"^(?!https?:)[a-z][a-z0-9+.-]*:", re.I)


def _absolute(base_url: str, href: str | None, unusable: list[str] | None = None) -> str | None:
    """``href`` made absolute, without its fragment; None for no page link.

    ``unusable``: collects the hrefs that meant to be a page's address and
    are no usable one (a template placeholder, a bad port)."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(_NOT_PAGE_LINKS):
        return None
    url = absolute_url(base_url, href)
    if url is None:
        if unusable is not None and not _OTHER_SCHEME.match(href):
            unusable.append(href)
        return None
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def document_base(selector: Selector, page_url: str) -> str:
    """The URL a page's relative links resolve against: its ``<base href>``
    (itself resolved against the page's address) when usable, else ``page_url``."""
    href = selector.xpath("(//base[@href])[1]/@href").get()
    base = absolute_url(page_url, href.strip()) if href and href.strip() else None
    return base or page_url


def feed_links(selector: Selector, page_url: str) -> list[str]:
    """Feeds a page announces with ``<link rel="alternate" type="application/rss+xml">``."""
    base_url = document_base(selector, page_url)
    found: dict[str, None] = {}
    for link in selector.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in _FEED_TYPES and kind != "application/feed+json":
            url = _absolute(base_url, link.attrib.get("href"))
            if url:
                found.setdefault(url, None)
    return list(found)


def listing_links(selector: Selector, page_url: str, unusable: list[str] | None = None) -> list[str]:
    """Every distinct link of a page, absolute (against its ``<base href>``
    when it has one), in page order, without fragments.

    ``unusable``: gets each href that is no usable address, to be counted."""
    base_url = document_base(selector, page_url)
    found: dict[str, None] = {}
    for href in selector.xpath("//a/@href").getall():
        url = _absolute(base_url, href, unusable)
        if url:
            found.setdefault(url, None)
    return list(found)


def next_page_links(selector: Selector, page_url: str) -> list[str]:
    """The next page of a paginated listing: rel=next, "Next"/"Older" links, or
    the link to page N+1 when the URL carries a page number."""
    base_url = document_base(selector, page_url)
    found: dict[str, None] = {}
    for href in selector.xpath("//link[contains(concat(' ', @rel, ' '), ' next ')]/@href"
                               " | //a[contains(concat(' ', @rel, ' '), ' next ')]/@href").getall():
        url = _absolute(base_url, href)
        if url:
            found.setdefault(url, None)
    for anchor in selector.xpath("//a[@href]"):
        text = " ".join(anchor.xpath(".//text()").getall()).strip()
        label = text or anchor.attrib.get("aria-label", "")
        if label and _NEXT_TEXT.match(label):
            url = _absolute(base_url, anchor.attrib.get("href"))
            if url:
                found.setdefault(url, None)
    # Page numbers and "is this the page itself" go by the page's own
    # address; only resolving links goes by its base.
    current = _page_number(page_url)
    for href in selector.xpath("//a/@href").getall():
        url = _absolute(base_url, href)
        if url and _page_number(url) == current + 1 and _same_listing(url, page_url):
            found.setdefault(url, None)
    return [u for u in found if u.rstrip("/") != page_url.rstrip("/")]


def _page_number(url: str) -> int:
    match = _PAGE_PARAM.search(url)
    if not match:
        return 1
    return int(match.group(1) or match.group(2))


def _same_listing(url: str, base_url: str) -> bool:
    strip = lambda u: _PAGE_PARAM.sub("", urlsplit(u).path + ("?" + urlsplit(u).query if urlsplit(u).query else "")).rstrip("/?&")  # noqa: E731
    return strip(url) == strip(base_url)


# --- Ordering -----------------------------------------------------------------

# Coarse buckets: Scrapy keeps one queue per priority (one folder each under
# JOBDIR), so a handful of levels, newest first, rather than one per date.
_AGE_PRIORITY: tuple[tuple[timedelta, int], ...] = (
    (timedelta(days=1), 50),
    (timedelta(days=2), 40),
    (timedelta(days=7), 30),
    (timedelta(days=31), 20),
    (timedelta(days=366), 10),
)
UNDATED_PRIORITY = 25
"""Links from home and section pages carry no date but are usually fresh."""


def priority_for(date: datetime | None, now: datetime) -> int:
    """Request priority of an article by its discovered date: newer first."""
    if date is None:
        return UNDATED_PRIORITY
    age = now - date
    for limit, priority in _AGE_PRIORITY:
        if age <= limit:
            return priority
    return 0
