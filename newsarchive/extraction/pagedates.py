"""The publication and modification dates of a page, chosen among its
structured data, its printed dates and its URL.

``choose_dates`` is what the loader calls. The rules, in order:
- publication fields only (JSON-LD ``datePublished``, publication meta tags,
  microdata, ``<time>``, printed dates near the headline or after a
  publication label); a modification date is never the publication date;
- when publication fields disagree on the day, the one the page prints wins;
- dates in comments, related lists, footers, copyright lines and the page
  chrome (a header's "today" date, a "registered since" line) are skipped;
- the day in the URL wins over a structured value on another day, unless
  the value is in the site's own offset one day later;
- a UTC value that is exactly local midnight in the zone of the page's
  language is a date-only value, and its local day is the one meant.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsarchive.extraction import dates as date_parsing
from newsarchive.extraction.config import ExtractionConfig
from newsarchive.extraction.processors import normalize_space
from newsarchive.extraction.structured import StructuredData, json_text, microdata_value
from newsarchive.extraction.visible import UNSEEN_WORDS, VisiblePage, element_text, in_foreign_region

# Meta keys, most trusted first.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published", "datepublished",
    "og:published_time", "published_time", "publish-date", "publish_date", "publishdate",
    "pubdate", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date.created",
    "dcterms.issued", "dcterms.created", "dc.date", "dcterms.date", "citation_publication_date",
    "citation_date", "article.published", "date", "creation_date", "date.available",
    "cxenseparse:recs:publishtime", "originalpublicationdate", "ptime", "displaydate",
    "bt:pubdate", "rnews:datepublished", "article_date_original", "release_date",
)
MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "article.updated",
    "sailthru.lastmodified", "utime", "modified_time",
)


def _dayfirst(language: str | None) -> bool:
    if not language:
        return True
    language = language.lower()
    return not (language == "en" or language.startswith(("en-us", "en-ca")))


def choose_dates(
    data: StructuredData,
    page: VisiblePage,
    url: str,
    *,
    config: ExtractionConfig,
    language: str | None,
    now: datetime | None,
    selected: str | None,
    selected_modified: str | None = None,
    headline: str | None = None,
) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """((published, raw), (modified, raw)); each None when not found.

    ``selected``/``selected_modified`` come from the site's own selectors
    and win over everything, including the date in the URL.
    """
    kwargs = {"tz_name": config.timezone, "dayfirst": _dayfirst(language), "now": now}

    def first(candidates: Iterable[str | None]) -> tuple[str, str] | None:
        for raw in candidates:
            if not raw:
                continue
            raw = normalize_space(raw)
            value = date_parsing.parse_date(raw, **kwargs)
            if value:
                return value, raw
        return None

    def published_candidates() -> Iterator[str | None]:
        # A generator, so that costly sources are read only when cheap ones fail.
        yield selected
        if data.main is not None:
            for key in ("datePublished", "dateCreated"):
                yield json_text(data.main.get(key))
        yield from data.all_meta(*PUBLISHED_META)
        if data.main is not None:
            # A video's upload date: when the "main" object is an embedded
            # video, the article's own meta date comes first.
            yield json_text(data.main.get("uploadDate"))
        for el in data.microdata.get("datePublished", []):
            yield microdata_value(el)
        for obj in data.jsonld:
            if obj is not data.main:
                yield json_text(obj.get("datePublished"))

    published = first(published_candidates())
    if published is not None and selected is None:
        published = _agree_with_page(published, data, page, first, headline, kwargs)
        published = _weak_meta_against_page(published, data, page, first, headline, kwargs)
    if published is None:
        times = page.times()
        published = first(v for kind, v in times if kind in {"pubdate", "published"})
        if published is None:
            published = first(v for kind, v in times if kind in {"time", "text"})
    elif page.time_elements:
        published = _as_printed(published, page, kwargs)
    if published is None:
        # "Von Jane Doe (21. November 2022)", "Submitted by X on 24. Juli 2017":
        # a date in a labelled byline is the article's, unlike any date in
        # the text around the headline.
        for text in [*page.label_bylines(full=True), *page.submitted_lines()]:
            published = date_parsing.find_printed_date(text, **kwargs)
            if published:
                break
    if published is None:
        # A date printed near the headline without any date markup.
        regions = page.regions()
        if len(regions) > 1:
            # Its first 2000 characters, read without the rest of the region
            # and without what readers do not see (a hidden "updated" stamp
            # for search engines before the printed day).
            text = element_text(regions[0], limit=2000, skip_words=UNSEEN_WORDS)
            published = date_parsing.find_printed_date(text, **kwargs)
    if published is None:
        # A date printed just after (or above) the headline, in no date markup.
        published = date_parsing.find_printed_date(page.text_around_headline(headline), **kwargs)
    if published is None:
        # "Erschienen am: 01.11.2023" anywhere outside comments and footers.
        for text in page.label_dates():
            published = date_parsing.find_printed_date(text, **kwargs)
            if published:
                break
    if published is None:
        # "<div>Publiziert 02/02/2022 um 09:23</div>": the same labels on
        # divs and spans, a walk of its own.
        for text in page.label_date_lines():
            published = date_parsing.find_printed_date(text, **kwargs)
            if published:
                break
    if published is None and date_parsing.date_from_url(url) is None:
        # The page prints no date of its own, but a teaser of this very
        # article (a "latest news" list in the menu or sidebar) does.
        published = _date_in_own_teaser(page, url, kwargs)
    from_selector = published is not None and selected is not None and published[1] == normalize_space(selected)
    url_day = None if from_selector else date_parsing.date_from_url(url)
    if url_day and not date_parsing.parse_date(url_day, now=now):
        url_day = None  # an event's future date, or an archive number that looks like one
    if published is not None and selected is None:
        published = _local_midnight(published, language)
    stated: list[str] | None = None  # read only for a zone-less value or a URL day

    def stated_values() -> list[str]:
        nonlocal stated
        if stated is None:
            stated = _stated_values(data, page, kwargs)
        return stated

    if url_day and _url_day_wins(published, url_day):
        # The site filed the article under this day: the calendar day
        # readers and archives know it by, whatever zone the CMS wrote.
        # The instant is kept when an offset the site uses puts it on that
        # day, and the page's own string stays the raw value.
        published = _on_url_day(published, url_day, stated_values(), config.timezone)
    elif published is not None and _zoneless_time(published[0]):
        published = (borrow_zone(published[0], stated_values(), _language_zone(language)), published[1])

    def modified_candidates() -> Iterator[str | None]:
        yield selected_modified
        if data.main is not None:
            yield json_text(data.main.get("dateModified"))
        yield from data.all_meta(*MODIFIED_META)
        for el in data.microdata.get("dateModified", []):
            # A teaser in a related list or a sidebar is another article
            # with its own microdata, dates included.
            if not in_foreign_region(el):
                yield microdata_value(el)

    def with_zone(found: tuple[str, str] | None) -> tuple[str, str] | None:
        if found is not None and _zoneless_time(found[0]):
            return borrow_zone(found[0], stated_values(), _language_zone(language)), found[1]
        return found

    modified = with_zone(first(modified_candidates()))
    if published is not None and modified is not None and modified_before(modified[0], published[0]):
        modified = _modified_after(published, modified_candidates(), page, headline, kwargs, with_zone)
    return published, modified


def _modified_after(
    published: tuple[str, str],
    candidates: Iterable[str | None],
    page: VisiblePage,
    headline: str | None,
    kwargs: dict[str, Any],
    with_zone: Any,
) -> tuple[str, str] | None:
    """The modification date when the first one precedes the publication: a
    modification cannot, so that one is a scheduled post's draft save or a
    12-hour clock written without its "PM". The date the page prints as
    "Updated …" wins, else a later structured modification date, else none
    (the page then states no modification that can be true)."""
    printed = date_parsing.find_modified_date(page.text_around_headline(headline, after=600, before=200), **kwargs)
    if printed is None:
        for el in page.time_elements[:6]:
            if not in_foreign_region(el):
                printed = date_parsing.find_modified_date(element_text(el, limit=200), **kwargs)
                if printed:
                    break
    if printed is not None and not modified_before(printed[0], published[0]):
        return printed
    for raw in candidates:
        if not raw:
            continue
        raw = normalize_space(raw)
        value = date_parsing.parse_date(raw, **kwargs)
        found = with_zone((value, raw)) if value else None
        # The zone first: the same early value written without its offset
        # would otherwise pass the looser comparison of a zone-less value.
        if found and not modified_before(found[0], published[0]):
            return found
    return None


_SAME_SAVE = timedelta(minutes=1)


def modified_before(value: str, other: str) -> bool:
    """Whether ISO ``value`` is certainly before ``other``. Two instants
    with offsets, or two local times, are compared as they are, with a
    minute's slack (a value stated to the minute, or the save that goes
    with the publication); when one of them lacks a time or an offset,
    only a day before the other's previous day counts, as an unknown zone
    can shift the day by one."""
    first, second = date_parsing.to_datetime(value), date_parsing.to_datetime(other)
    if first is not None and second is not None and (first.tzinfo is None) == (second.tzinfo is None):
        return second - first > _SAME_SAVE
    try:
        gap = (date.fromisoformat(other[:10]) - date.fromisoformat(value[:10])).days
    except ValueError:
        return False
    return gap > 1


def _zoneless_time(value: str) -> bool:
    return len(value) > 10 and len(value) <= 19


def _stated_values(data: StructuredData, page: VisiblePage, kwargs: dict[str, Any]) -> list[str]:
    """Every date the page's JSON-LD, meta tags and ``<time>`` datetimes
    state, parsed: where a zone-less value finds the offset the site uses."""
    raws: list[str | None] = []
    objects = [data.main] if data.main is not None else []
    objects += [obj for obj in data.jsonld if obj is not data.main]
    for obj in objects:
        for key in ("datePublished", "dateCreated", "dateModified", "uploadDate"):
            raws.append(json_text(obj.get(key)))
    raws += data.all_meta(*PUBLISHED_META, *MODIFIED_META)
    # <meta itemprop> only: the other microdata costs a walk of the tree.
    raws += [el.get("content") for key in ("datePublished", "dateModified")
             for el in data.meta_itemprops.get(key, ())]
    raws += [el.get("datetime") for el in page.time_elements[:6]]
    out: list[str] = []
    for raw in raws:
        value = date_parsing.parse_date(raw, **kwargs) if raw else None
        if value and value not in out:
            out.append(value)
    return out


# Offsets that exist: at most 14 hours from UTC, in quarter hours.
_MAX_OFFSET_MINUTES = 14 * 60


def _offset_between(local: datetime, instant: datetime) -> timedelta | None:
    """The offset at which the local time ``local`` is ``instant``, when
    one that exists does it."""
    offset = local - instant.replace(tzinfo=None) + (instant.utcoffset() or timedelta(0))
    minutes = offset.total_seconds() / 60
    if minutes % 15 or abs(minutes) > _MAX_OFFSET_MINUTES:
        return None
    return offset


def borrow_zone(value: str, stated: Iterable[str], zone_name: str | None = None) -> str:
    """A zone-less local time with the offset another field of the page
    states it in.

    The same wall-clock time to the minute with an offset
    ("2019-11-18T17:01:27.893" beside "…17:01:27.893Z") gives its offset.
    Failing that, a field stating the same instant in another offset
    (local "09:13:00" beside "08:13:00Z") gives the offset between them, but
    only when it is the one the zone of the page's language has then: two
    times an hour apart to the second may otherwise be two events.
    """
    local = date_parsing.to_datetime(value)
    if local is None or local.tzinfo is not None:
        return value
    aware = [t for t in map(date_parsing.to_datetime, stated) if t is not None and t.tzinfo is not None]
    for other in aware:
        if other.replace(tzinfo=None, second=0, microsecond=0) == local.replace(second=0, microsecond=0):
            return local.replace(tzinfo=other.tzinfo).isoformat()
    zone = date_parsing.zone_named(zone_name)
    if zone is None:
        return value
    expected = local.replace(tzinfo=zone).utcoffset()
    for other in aware:
        if _offset_between(local, other) == expected and expected is not None:
            return local.replace(tzinfo=timezone(expected)).isoformat()
    return value


def _on_url_day(
    published: tuple[str, str] | None, url_day: str, stated: list[str], tz_name: str | None
) -> tuple[str, str]:
    """The publication on the URL's day: the same instant in an offset the
    site uses, when one puts it on that day (04:58Z is 20:58 the day before
    at -08:00), else the URL's day as a bare date. The raw value stays the
    page's own string when it is within a day of the URL's (the same
    instant in a zone the page does not name); a value far off is a stale
    field, and the URL is then what the day was read from."""
    if published is None:
        return url_day, url_day
    try:
        gap = abs((date.fromisoformat(published[0][:10]) - date.fromisoformat(url_day)).days)
    except ValueError:
        gap = None
    if gap is None or gap > 1:
        return url_day, url_day
    instant = date_parsing.to_datetime(published[0])
    if instant is not None and instant.tzinfo is not None:
        offsets: list[timedelta] = []
        zone = date_parsing.zone_named(tz_name)
        if zone is not None:
            offsets.append(instant.astimezone(zone).utcoffset() or timedelta(0))
        parsed = [t for t in map(date_parsing.to_datetime, stated) if t is not None]
        offsets += [t.utcoffset() for t in parsed if t.tzinfo is not None]
        # A zone-less field stating the same instant in local time (the
        # same minutes and seconds): "2019-11-18 20:58:46" beside "…04:58:46Z".
        for local in parsed:
            if local.tzinfo is None and (local.minute, local.second) == (instant.minute, instant.second):
                offsets.append(_offset_between(local, instant))
        for offset in offsets:
            if offset is None:
                continue
            shifted = instant.astimezone(timezone(offset))
            if shifted.date().isoformat() == url_day:
                return shifted.isoformat(), published[1]
    return url_day, published[1]


def _date_in_own_teaser(page: VisiblePage, url: str, kwargs: dict[str, Any]) -> tuple[str, str] | None:
    """The date printed in a teaser that links to the page itself: the
    smallest block around such a link (up to three levels) that holds no
    link to another page, so that a neighbouring teaser's date is never
    read. A last resort: it walks every link of the page."""
    # Resolved against itself: dot segments go ("/news/123/." is "/news/123/").
    path = urlsplit(urljoin(url, urlsplit(url).path)).path.rstrip("/")
    if not path:
        return None  # a home page: every logo links to it

    # Each link is judged again for every block around a teaser: once per address.
    verdicts: dict[str, bool] = {}

    def same_page(href: str) -> bool:
        verdict = verdicts.get(href)
        if verdict is None:
            try:
                verdict = urlsplit(urljoin(url, href.strip())).path.rstrip("/") == path
            except ValueError:  # a malformed address ("http://[x"): no link to this page
                verdict = False
            verdicts[href] = verdict
        return verdict

    # The elements themselves, not their id(): lxml makes a new proxy object
    # for a node no Python reference holds, and a freed proxy's id can be reused.
    seen: set[Any] = set()
    for link in page.doc.iter("a"):
        href = link.get("href")
        # A fragment or a query marks a comment's permalink ("#comment-12")
        # or a share button, not a teaser of the article.
        if not href or "#" in href or "?" in href or not same_page(href):
            continue
        node = link
        for _level in range(3):
            node = node.getparent()
            if node is None or node.tag in {"body", "html"} or node in seen:
                break
            seen.add(node)
            if any((other_href := other.get("href")) and not same_page(other_href) for other in node.iter("a")):
                break  # the list of teasers, not this article's own
            text = element_text(node, limit=300)
            found = date_parsing.find_printed_date(text, **kwargs) if text else None
            if found:
                return found
    return None


# Meta names that often hold the day the page was generated or last touched
# rather than first published.
WEAK_PUBLISHED_META = ("date", "dc.date", "dcterms.date")


def _weak_meta_against_page(
    published: tuple[str, str],
    data: StructuredData,
    page: VisiblePage,
    first: Any,
    headline: str | None,
    kwargs: dict[str, Any],
) -> tuple[str, str]:
    """A bare ``<meta name="date">`` is the only structured date and the page
    prints another day next to the headline ("Von X 29.04.2020, 12:01 Uhr",
    "Stand: 28.04.2020"): the printed day is what readers saw."""
    if data.main is not None and data.main.get("datePublished"):
        return published
    strong = [k for k in PUBLISHED_META if k not in WEAK_PUBLISHED_META and data.meta.get(k)]
    if strong or not any(data.meta.get(k) for k in WEAK_PUBLISHED_META):
        return published
    printed = first(v for _kind, v in page.times())
    if printed is None:
        printed = date_parsing.find_printed_date(page.text_around_headline(headline), **kwargs)
    if printed is not None and printed[0][:10] != published[0][:10]:
        return printed
    return published


def _url_day_wins(published: tuple[str, str] | None, url_day: str) -> bool:
    """Whether the day in the URL replaces the chosen publication date.

    The URL is fixed when the draft is created; a structured date written
    in the site's own offset (not UTC) one day later is the day the article
    went out, which is what the page and its structured data state. A UTC
    value on another day, or a date far off, is a zone shift or a stale
    CMS field, and the URL's day is the better evidence.
    """
    if published is None:
        return True
    day = published[0][:10]
    if day == url_day:
        return False
    offset = published[0][19:]
    if len(published[0]) > 10 and offset and offset not in {"+00:00", "Z"}:
        try:
            gap = (date.fromisoformat(day) - date.fromisoformat(url_day)).days
        except ValueError:
            return True
        if gap == 1:
            return False
    return True


# The zone most pages of a language are written in, for languages spoken
# (almost only) in one zone family east of Greenwich, where local midnight
# falls on the previous UTC day. "en", "es" and "pt" pages are as likely
# American, so only their European variants stand here; "fr" stands whole,
# as West Africa's WAT shares Paris's winter midnight (a Quebec page would
# need a value exactly at 22:00 or 23:00 UTC, 6 pm there). A
# whole-language entry such as "de" covers "de-AT" and "de-CH" too.
LANGUAGE_ZONES: dict[str, str] = {
    **dict.fromkeys(
        "de fr it nl pl cs sk sl hr sr bs hu da sv nb nn no ca eu gl lb mt sq mk es-es"
        .split(), "Europe/Berlin"),  # CET/CEST, one set of rules across these countries
    **dict.fromkeys("el ro bg fi et lv lt uk".split(), "Europe/Helsinki"),  # EET/EEST
    "ru": "Europe/Moscow", "be": "Europe/Minsk", "tr": "Europe/Istanbul",
    **dict.fromkeys("en-gb en-ie pt-pt".split(), "Europe/London"),
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "zh": "Asia/Shanghai",
}


def _language_zone(language: str | None) -> str | None:
    tag = (language or "").lower().replace("_", "-")
    return LANGUAGE_ZONES.get(tag) or LANGUAGE_ZONES.get(tag.split("-")[0])


def _local_midnight(published: tuple[str, str], language: str | None) -> tuple[str, str]:
    """The local day of a date-only value that the CMS stored as local
    midnight and serialised in UTC ("2022-11-06T23:00:00.000Z" on a German
    page is 7 November 00:00 CET).

    Only a UTC value that is *exactly* midnight in the zone of the page's
    language counts: a real publication time is seldom to the second on
    the hour, and the zone's own daylight-saving rules decide whether 22:00
    or 23:00 UTC is midnight. Pages whose language spans oceans (plain
    "en", "es", "pt") are left alone: 04:00 UTC may be midnight in New York
    or a real time in London."""
    value = published[0]
    if len(value) < 25 or value[19:] not in {"+00:00", "Z"}:
        return published
    zone = date_parsing.zone_named(_language_zone(language))
    instant = date_parsing.to_datetime(value)
    if zone is None or instant is None:
        return published
    local = instant.astimezone(zone)
    if (local.hour, local.minute, local.second) != (0, 0, 0) or local.date() == instant.date():
        return published
    return local.date().isoformat(), published[1]


def _agree_with_page(
    published: tuple[str, str],
    data: StructuredData,
    page: VisiblePage,
    first: Any,
    headline: str | None = None,
    kwargs: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """When the publication fields disagree on the day, take the one the
    page itself prints (a CMS that re-publishes keeps the old date in one).

    What the page prints is the day of a ``<time>`` (its datetime and its
    text, which may differ: "Dec. 6 ... / Updated Dec. 7" under a datetime
    of the update), else the date printed by the headline.

    JSON-LD is weighed against the first publication meta tag. Without
    JSON-LD, the meta tags (and a microdata article's date) are weighed
    against each other ("pubdate" left
    at the first version, "dc.date.issued" at the re-publication) and, when
    the page prints neither, the latest wins: re-publishing updates one
    field and leaves the old day in the others. Modified fields are never
    candidates.
    """
    candidates: list[tuple[str, str]] = []
    if data.main is not None and data.main.get("datePublished") and not data.main_is_microdata:
        jsonld = first([json_text(data.main.get("datePublished"))])
        meta = first(data.all_meta(*PUBLISHED_META))
        candidates = [c for c in (jsonld, meta) if c]
        latest_wins = False
    else:
        # Microdata dates are written in <meta itemprop> tags like the meta
        # tags, and as often left at the first draft's day: one of them.
        declared = [json_text(data.main.get("datePublished"))] if data.main_is_microdata and data.main else []
        for raw in declared + data.all_meta(*PUBLISHED_META):
            parsed = first([raw])
            if parsed:
                candidates.append(parsed)
        latest_wins = True
    days = {c[0][:10] for c in candidates}
    if len(days) < 2 or published[0][:10] not in days:
        return published
    printed_days: set[str] = set()
    for _kind, raw in page.times():
        parsed = first([raw])
        if parsed:
            printed_days.add(parsed[0][:10])
    for el in page.time_elements[:6]:
        if el.get("datetime") and not in_foreign_region(el):
            printed = date_parsing.find_printed_date(element_text(el), **(kwargs or {}))
            if printed:
                printed_days.add(printed[0][:10])
    if not printed_days:
        # No date markup: the date printed by the headline ("Jane Doe
        # 15.12.2022"), maybe after a standfirst, is what readers see. The
        # window is wider than for finding a date, as the day only settles
        # between two the structured data already names.
        printed = date_parsing.find_printed_date(
            page.text_around_headline(headline, after=1000), **(kwargs or {}))
        if printed:
            printed_days.add(printed[0][:10])
    for candidate in candidates:
        if candidate[0][:10] in printed_days:
            return candidate
    return max(candidates, key=lambda c: c[0][:10]) if latest_wins else published


def _as_printed(
    published: tuple[str, str], page: VisiblePage, kwargs: dict[str, Any]
) -> tuple[str, str]:
    """The same instant in the zone the page prints it in.

    Structured dates are often UTC ("07:39:00.000Z") while the reader sees
    "03:39 EDT"; the archive keeps the offset the page shows.
    """
    value = date_parsing.to_datetime(published[0])
    if value is None or value.tzinfo is None:
        return published
    for el in page.time_elements[:6]:
        printed = element_text(el)
        if not printed or printed == published[1]:
            continue
        parsed = date_parsing.parse_date(printed, **kwargs)
        other = date_parsing.to_datetime(parsed)
        if other is not None and other.tzinfo is not None and other == value and parsed != published[0]:
            return parsed, printed
    return published
