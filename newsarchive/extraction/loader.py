"""The ArticleLoader: every Article field except the body, from one parsed tree.

``load_metadata`` is what ``page.load_article`` calls before the body is
extracted. It reads the page's structured data (JSON-LD, OpenGraph and other
meta tags, microdata) and its visible markup once, decides per field which
candidate to trust, and feeds the chosen raw strings through the
ArticleLoader's processors. It never mutates the tree: the body extraction
runs on the same tree afterwards.

Precedence, decided on evidence from real pages (see notes/readme-metadata.md):
- headline: by agreement between the visible heading, the structured titles
  (JSON-LD, og:title...) and <title>, with the site's name removed only on
  evidence; the heading as printed when a structured title confirms it.
- authors: JSON-LD persons, author meta tags, microdata, byline markup,
  unmarked "By ..." lines; the byline next to the headline wins when it names
  other people. Organisations, agencies, roles and the site are never authors.
- published: JSON-LD, meta tags, microdata, <time>, printed dates near the
  headline; the day in the URL when it disagrees. Never the modified date.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from itemloaders import ItemLoader
from itemloaders.processors import Compose, Identity, MapCompose, TakeFirst
from lxml import etree
from lxml import html as lxml_html

from newsarchive.extraction import dates as date_parsing
from newsarchive.extraction.captions import extract_captions
from newsarchive.extraction.config import DEFAULT_CONFIG, ExtractionConfig
from newsarchive.extraction.processors import (
    dedupe,
    fold,
    is_person_name,
    is_role_word,
    normalize_language,
    normalize_space,
    site_name_keys,
    split_authors,
    split_tags,
    strip_short_suffix,
    strip_site_name,
)
from newsarchive.extraction.structured import (
    ORGANISATION_TYPES,
    StructuredData,
    json_strings,
    json_text,
    microdata_value,
    read_structured,
    schema_types,
)
from newsarchive.extraction.visible import VisiblePage, element_text, read_visible
from newsarchive.items import Article
from newsarchive.urls import canonicalize_url, site_of

# Meta keys, most trusted first.
HEADLINE_META = ("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "dcterms.title", "title")
AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
               "dcterms.creator", "byl", "citation_author", "cxenseparse:author", "article.author",
               "og:article:author", "author_name", "authors", "shareaholic:article_author_name")
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
DESCRIPTION_META = ("og:description", "description", "twitter:description", "dc.description", "dcterms.abstract")
SECTION_META = ("article:section", "parsely-section", "section", "sailthru.section", "cxenseparse:recs:articlesection", "category")
IMAGE_META = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")

# A heading shorter than this is a section label ("Opinion"), not a headline.
HEADING_MIN_WORDS = 3

_OG_TYPES = {"article": "Article", "website": "WebPage", "video.other": "VideoObject",
             "video": "VideoObject", "profile": "ProfilePage", "blog": "Blog"}


# --------------------------------------------------------------------------
# Processor steps bound to the loader context
# --------------------------------------------------------------------------


def _http_only(value: str) -> str | None:
    return value if urlsplit(value).scheme in {"http", "https"} else None


_ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
_text = MapCompose(normalize_space)
_first = TakeFirst()


class ArticleLoader(ItemLoader):
    """Processors per Article field; values are added most trusted first.

    Every field declares its processors here, so itemloaders never has to
    look them up in the item's field metadata (an ItemAdapter per lookup).
    """

    default_item_class = dict
    default_input_processor = _text
    default_output_processor = _first

    url_in, url_out = _text, _first
    # Values arrive absolute (``_first_http``); no loader context is used, as
    # itemloaders inspects a function's signature on every call that takes one.
    canonical_url_in = MapCompose(normalize_space, _http_only, canonicalize_url)
    canonical_url_out = _first
    site_in, site_out = _text, _first
    headline_in, headline_out = _text, _first
    standfirst_in, standfirst_out = _text, _first
    # Names arrive split by ``choose_authors`` (or ``split_authors`` for a
    # site's selector); here they are only normalised and de-duplicated.
    authors_in = MapCompose(normalize_space)
    authors_out = Compose(dedupe)
    byline_in = MapCompose(normalize_space, lambda v: v if len(v) <= 300 else None)
    byline_out = _first
    published_in, published_out = _text, _first
    published_raw_in, published_raw_out = _text, _first
    modified_in, modified_out = _text, _first
    modified_raw_in, modified_raw_out = _text, _first
    section_in, section_out = _text, _first
    tags_in = MapCompose(split_tags)
    tags_out = Compose(dedupe)
    language_in, language_out = MapCompose(normalize_language), _first
    image_url_in = MapCompose(normalize_space, _http_only)
    image_url_out = _first
    captions_in, captions_out = Identity(), Identity()
    fetched_at_in, fetched_at_out = _text, _first
    page_type_in, page_type_out = _text, _first
    # Filled by the body extraction and the cleaning, not here.
    body_in, body_out = Identity(), _first
    word_count_in, word_count_out = Identity(), _first
    dropped_in, dropped_out = Identity(), Identity()
    raw_in, raw_out = Identity(), _first


# --------------------------------------------------------------------------
# Field decisions
# --------------------------------------------------------------------------


def _select(doc: lxml_html.HtmlElement, selector: str) -> list[str]:
    """Texts (or attribute values) matched by a site's CSS or XPath selector."""
    try:
        if selector.startswith(("/", "(")):
            found = doc.xpath(selector)
        else:
            found = doc.cssselect(selector)
    except Exception:  # a user's selector must not stop extraction
        return []
    out: list[str] = []
    for item in found if isinstance(found, list) else [found]:
        if isinstance(item, str):
            text = normalize_space(item)
        elif isinstance(item, lxml_html.HtmlElement):
            text = item.get("content") or item.get("datetime") or element_text(item)
            text = normalize_space(text)
        else:
            text = None
        if text:
            out.append(text)
    return out


def _structured_headlines(data: StructuredData) -> list[str]:
    out: list[str] = []
    if data.main is not None:
        for key in ("headline", "name"):
            text = json_text(data.main.get(key))
            if text:
                out.append(text)
    out.extend(data.all_meta(*HEADLINE_META[:2]))
    out.extend(data.all_meta(*HEADLINE_META[2:]))
    if not out:
        for el in data.microdata.get("headline", [])[:2]:
            text = microdata_value(el)
            if text:
                out.append(text)
    return [t for t in dict.fromkeys(out) if t]


def _word_overlap(a: str, b: str) -> float:
    """Jaccard overlap of the word sets of two folded strings."""
    wa, wb = set(a.split()), set(b.split())
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def choose_headline(data: StructuredData, page: VisiblePage, site_names: list[str]) -> str | None:
    """The headline a reader sees, decided by agreement between sources."""
    structured = _structured_headlines(data)
    headings = page.headings
    structured_keys = {fold(c) for c in structured}
    # A "site" heading or site name that is the structured headline is the
    # headline after all (themes put the post title in "header-title" too).
    for name in page.site_headings:
        if fold(name) in structured_keys:
            return name
    site_names = [n for n in site_names + page.site_headings if fold(n) not in structured_keys]
    jsonld_headline = structured[0] if data.main is not None and structured else None
    keys = site_name_keys(site_names)
    # The <title> is evidence too; headings that name the site were set
    # aside already, so they cannot match the title's site-name part.
    evidence = structured + ([page.title] if page.title else [])
    # 1. A heading that a structured title (site name removed) confirms.
    for heading in headings:
        fh = fold(heading)
        if not fh or fh in keys:
            continue
        for candidate in evidence:
            stripped = strip_site_name(candidate, site_names, reference=heading)
            if fold(stripped) == fh:
                return heading
    # 2. A heading that a structured title holds whole, with a kicker or the
    #    site's name around it ("Chronik: <h1>", "<h1> › Blog name").
    for heading in headings:
        fh = fold(heading)
        if len(fh.split()) < 3 or fh in keys:
            continue
        for candidate in evidence:
            fc = fold(candidate)
            if fc.startswith(fh + " ") or fc.endswith(" " + fh):
                return heading
    # 3. A heading with a kicker in front that markup does not set apart
    #    ("Tunesien Große Aufgaben..."): the structured title is its tail.
    stripped_structured = [strip_site_name(c, site_names) for c in structured]
    for heading in headings:
        fh = fold(heading)
        for candidate in stripped_structured:
            fc = fold(candidate)
            if not fc or fh == fc or not fh.endswith(" " + fc):
                continue
            # Two words are enough when the kicker ends with a colon or dash.
            kicker = heading[: len(heading) - len(candidate)].rstrip() if heading.endswith(candidate) else ""
            if len(fc.split()) >= HEADING_MIN_WORDS or kicker.endswith((":", "-", "–", "—", "|")):
                return candidate
    # 4. The page's own heading when it reads like a headline and is about
    #    the same thing: structured titles are often rewritten for search
    #    engines ("Das beste ... 2022 - Vergleich") while readers see the h1.
    for heading in headings:
        fh = fold(heading)
        if fh in keys or len(fh.split()) < HEADING_MIN_WORDS:
            continue
        comparisons = stripped_structured or ([strip_site_name(page.title, site_names)] if page.title else [])
        if not comparisons or any(_word_overlap(fh, fold(c)) >= 0.2 for c in comparisons):
            return heading
    # 5. The structured headline, site name removed; of two structured
    #    titles where one is the other's tail, the tail (a kicker in front).
    for i, candidate in enumerate(stripped_structured):
        if candidate is None or (structured[i] is jsonld_headline and candidate.endswith(("…", "..."))):
            continue
        fc = fold(candidate)
        if not fc or fc in keys:
            continue
        for other in stripped_structured[i + 1 :]:
            fo = fold(other)
            if fo and len(fo.split()) >= HEADING_MIN_WORDS and fc.endswith(" " + fo):
                return other
        return candidate
    # 6. The <title> without the site's name, then any heading.
    if page.title:
        title = strip_site_name(page.title, site_names)
        if title and fold(title) not in keys:
            return strip_short_suffix(title)
    for heading in headings:
        if fold(heading) not in keys:
            return heading
    return page.title


def _person_names(value: Any, site_names: list[str]) -> list[str]:
    """Person names in a JSON-LD author value; organisations are skipped."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            out.extend(split_authors(item, site_names))
        elif isinstance(item, dict):
            types = schema_types(item)
            if any(t in ORGANISATION_TYPES for t in types) and "Person" not in types:
                continue
            name = json_text(item.get("name"))
            if not name and (item.get("givenName") or item.get("familyName")):
                name = " ".join(filter(None, [json_text(item.get("givenName")), json_text(item.get("familyName"))]))
            if name:
                # A declared Person named like the site runs a personal site:
                # still a person. Untyped names must not be the site's.
                out.extend(split_authors(name, () if "Person" in types else site_names))
    return out


def _url_like(value: str) -> bool:
    return value.startswith(("http://", "https://", "//", "/")) or "www." in value


def _visible_names(bylines: list[tuple[str, str, str]], site_names: list[str], *, strict: bool) -> tuple[list[str], str | None]:
    """Names in byline markup: every rel=author link, else the first "byline"
    element, else (unless ``strict``) the first element with an author class."""
    rel_names: list[str] = []
    rel_printed: list[str] = []
    for kind, text, printed in bylines:
        if kind == "rel":
            found = split_authors(text, site_names)
            if found:
                rel_names.extend(found)
                rel_printed.append(printed)
    if rel_names:
        return dedupe(rel_names), ", ".join(rel_printed)
    kinds = ("byline",) if strict else ("byline", "class")
    for wanted in kinds:
        for kind, text, printed in bylines:
            if kind == wanted:
                found = split_authors(text, site_names)
                if found:
                    return found, printed
    return [], None


def choose_authors(
    data: StructuredData, page: VisiblePage, site_names: list[str]
) -> tuple[list[str], str | None]:
    """(authors, byline as printed).

    Structured data first; but when the byline markup next to the headline
    names other people than the structured data, the page wins: CMSs often
    declare the account that posted the article as its author.
    """
    near = page.bylines(region_only=True)
    shown, shown_printed = _visible_names(near, site_names, strict=True)
    byline = shown_printed or next((printed for _k, _t, printed in near), None)

    def printed_for(names: list[str], fallback: str | None) -> str | None:
        # The one element that prints every name, as printed ("A,B,C").
        wanted = {fold(n) for n in names}
        for _kind, text, printed in near:
            if wanted <= {fold(n) for n in split_authors(text, site_names)}:
                return printed
        return fallback

    keys = site_name_keys(site_names)

    def has_role(text: str | None) -> bool:
        return bool(text) and any(is_role_word(w) for w in text.replace(",", " ").split())

    def settle(names: list[str], printed: str | None) -> tuple[list[str], str | None]:
        declared = {fold(n) for n in names}
        visible = {fold(n) for n in shown}
        # The byline names other people, or the same and more in a plain list
        # of names (no job titles whose commas would split "name, title, unit"):
        # the page wins.
        if shown and not declared & visible:
            return shown, printed_for(shown, shown_printed)
        listed, listed_printed = _visible_names(near, site_names, strict=False)
        if declared < {fold(n) for n in listed} and not has_role(listed_printed):
            return listed, printed_for(listed, listed_printed)
        if declared <= keys:
            # A "Person" named like the site: a short byline next to the
            # headline that names someone else is the better evidence.
            others, others_printed = _visible_names(near, site_names, strict=False)
            if others and len(others) <= 3 and not {fold(n) for n in others} <= keys:
                return others, others_printed
        return names, printed_for(names, byline or printed)

    meta_names: list[str] = []
    meta_values: list[str] = []
    for key in AUTHOR_META:
        meta_values = [v for v in data.all_meta(key) if not _url_like(v)]
        meta_names = dedupe(n for v in meta_values for n in split_authors(v, site_names))
        if meta_names:
            break
    if data.main is not None:
        names = _person_names(data.resolve(data.main.get("author") or data.main.get("creator")), site_names)
        if names:
            # JSON-LD often names only the first of several authors the
            # author meta tag lists.
            if {fold(n) for n in names} < {fold(n) for n in meta_names}:
                names = meta_names
            return settle(names, ", ".join(names))
    if meta_names:
        return settle(meta_names, ", ".join(meta_values))
    for el in data.microdata.get("author", []) + data.microdata.get("creator", []):
        name_el = next(iter(_ITEMPROP_NAME(el)), None)
        text = microdata_value(name_el) if name_el is not None else element_text(el, spaced=True)
        names = split_authors(text, site_names) if text and not _url_like(text) else []
        if names:
            return settle(names, text)
    if shown:
        return shown, printed_for(shown, shown_printed)
    names, printed = _visible_names(page.bylines(), site_names, strict=False)
    if names:
        return names, printed
    # An author-class element next to a headline that sits in a container
    # classed like a sidebar (found only by the lenient neighbour search).
    names, printed = _visible_names(near, site_names, strict=False)
    if names:
        return names, printed
    for text in [page.byline_after_headline(), *page.label_bylines()]:
        names = split_authors(text, site_names) if text else []
        if names:
            return names, text
    # Authors declared on other JSON-LD objects (the WebPage, a teaser list).
    for obj in data.jsonld:
        if obj is data.main:
            continue
        names = _person_names(data.resolve(obj.get("author")), site_names)
        if names:
            return names, byline or ", ".join(names)
    for text in page.submitted_lines():
        names = split_authors(text, site_names)
        if names:
            return names, text
    for text in page.author_box_names():
        names = split_authors(text, site_names)
        if names:
            return names, text
    # A personal site named after its owner ("Jane Doe", og:site_name "Jane
    # Doe"): an author field that names the site is the owner, when nothing
    # else names anyone and the name reads as a person's.
    declared = [v for key in AUTHOR_META for v in data.all_meta(key) if not _url_like(v)]
    declared += [microdata_value(el) or "" for el in data.microdata.get("author", [])]
    for value in declared:
        if not value or split_authors(value, site_names):
            continue  # not the site's name: split_authors rejected it for another reason
        names = [n for n in split_authors(value) if _person_like(n)]
        if names:
            return names, value
    return [], byline


def _person_like(name: str) -> bool:
    """Two or three capitalised words of letters: "Jane Doe", not "ACME
    News Online" or "heise.de"."""
    words = name.split()
    return 2 <= len(words) <= 3 and is_person_name(name) and all(w[0].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words) \
        and not any(is_role_word(w) for w in words)


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
        published = _agree_with_page(published, data, page, first)
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
            text = element_text(regions[0])
            published = date_parsing.find_printed_date(text[:2000] if text else None, **kwargs)
    if published is None:
        # A date printed just after (or above) the headline, in no date markup.
        published = date_parsing.find_printed_date(page.text_around_headline(headline), **kwargs)
    if published is None:
        # "Erschienen am: 01.11.2023" anywhere outside comments and footers.
        for text in page.label_dates():
            published = date_parsing.find_printed_date(text, **kwargs)
            if published:
                break
    from_selector = published is not None and selected is not None and published[1] == normalize_space(selected)
    url_day = None if from_selector else date_parsing.date_from_url(url)
    if url_day and not date_parsing.parse_date(url_day, now=now):
        url_day = None  # an event's future date, or an archive number that looks like one
    if published is not None and selected is None:
        published = _local_midnight(published, language)
    if url_day and _url_day_wins(published, url_day):
        # The site filed the article under this day: the calendar day
        # readers and archives know it by, whatever zone the CMS wrote.
        published = (url_day, url_day)

    def modified_candidates() -> Iterator[str | None]:
        yield selected_modified
        if data.main is not None:
            yield json_text(data.main.get("dateModified"))
        yield from data.all_meta(*MODIFIED_META)
        for el in data.microdata.get("dateModified", []):
            yield microdata_value(el)

    modified = first(modified_candidates())
    return published, modified


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


# Languages spoken (almost only) east of Greenwich, where local midnight is
# 20:00-23:00 UTC; "en"/"es"/"pt" pages may as well be American.
_EAST_OF_UTC_LANGUAGES = frozenset(
    "de fr it nl pl cs sk sl hr sr bs hu ro bg el da sv nb nn no fi et lv lt ru uk be tr "
    "ca eu gl lb mt sq mk is ja ko zh".split()
)


def _local_midnight(published: tuple[str, str], language: str | None) -> tuple[str, str]:
    """A UTC instant at exactly 20:00-23:00 on a page in a language of
    Europe or East Asia is a date-only value that the CMS stored as local
    midnight (CET, EET, MSK...) and converted to UTC; the day the site meant
    is the next one. (On an American page it may be a 4 pm scheduled post.)"""
    value = published[0]
    primary = (language or "").lower().split("-")[0]
    if primary not in _EAST_OF_UTC_LANGUAGES and (language or "").lower() not in {"en-gb", "en-ie", "pt-pt", "es-es"}:
        return published
    if len(value) >= 25 and value[19:] in {"+00:00", "Z"} and value[13:19] == ":00:00" and value[11:13] in {"20", "21", "22", "23"}:
        try:
            day = date.fromisoformat(value[:10]) + timedelta(days=1)
        except ValueError:
            return published
        return day.isoformat(), published[1]
    return published


def _agree_with_page(
    published: tuple[str, str],
    data: StructuredData,
    page: VisiblePage,
    first: Any,
) -> tuple[str, str]:
    """When the publication fields disagree on the day, take the one the
    page itself prints (a CMS that re-publishes keeps the old date in one).

    JSON-LD is weighed against the first publication meta tag. Without
    JSON-LD, the meta tags are weighed against each other ("pubdate" left
    at the first version, "dc.date.issued" at the re-publication) and, when
    the page prints neither, the latest wins: re-publishing updates one
    field and leaves the old day in the others. Modified fields are never
    candidates.
    """
    candidates: list[tuple[str, str]] = []
    if data.main is not None and data.main.get("datePublished"):
        jsonld = first([json_text(data.main.get("datePublished"))])
        meta = first(data.all_meta(*PUBLISHED_META))
        candidates = [c for c in (jsonld, meta) if c]
        latest_wins = False
    else:
        for raw in data.all_meta(*PUBLISHED_META):
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


def choose_standfirst(data: StructuredData, page: VisiblePage, headline: str | None) -> str | None:
    """The dek as printed next to the headline (a standfirst/dek/lead
    element), else the declared description. The printed one comes first:
    descriptions are often the article's first paragraph or a teaser, which
    the body extraction would then mistake for a dek and leave out."""
    standfirst = page.standfirst()
    if standfirst and fold(standfirst) != fold(headline):
        return standfirst
    candidates: list[str | None] = []
    if data.main is not None:
        candidates.append(json_text(data.main.get("description")))
    candidates.append(data.first_meta(*DESCRIPTION_META))
    for candidate in candidates:
        if candidate and fold(candidate) != fold(headline):
            return candidate
    return None


def choose_language(doc: lxml_html.HtmlElement, data: StructuredData) -> str | None:
    candidates: list[str | None] = []
    if data.main is not None:
        candidates.append(json_text(data.main.get("inLanguage")))
    candidates.append(data.first_meta("content-language", "dc.language", "dcterms.language", "language"))
    candidates.append(doc.get("lang") or doc.get("xml:lang"))
    candidates.append(data.first_meta("og:locale"))
    for candidate in candidates:
        tag = normalize_language(candidate)
        if tag:
            return tag
    return None


def _base_url(doc: lxml_html.HtmlElement, url: str) -> str:
    base = doc.find(".//base[@href]")
    if base is not None:
        try:
            return urljoin(url, base.get("href", "").strip())
        except ValueError:
            return url
    return url


def _canonical_candidates(data: StructuredData, url: str, base_url: str) -> list[str]:
    out = []
    fetched_path = urlsplit(url).path.rstrip("/")
    for href in data.links.get("canonical", []) + data.meta.get("og:url", []):
        if not href or not href.strip():
            continue
        try:
            absolute = urljoin(base_url, href.strip())
        except ValueError:
            continue
        # A canonical pointing at the home page from a deep page is a CMS
        # misconfiguration, not a statement about this article.
        if urlsplit(absolute).path.rstrip("/") == "" and fetched_path:
            continue
        out.append(absolute)
    return out


def _image_urls(value: Any) -> list[str]:
    """URLs of a JSON-LD ``image``: a string, an ImageObject, or a list of them."""
    if isinstance(value, list):
        return [u for item in value for u in _image_urls(item)]
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
    return [value] if isinstance(value, str) and value.strip() else []


def _first_http(candidates: list[str | None], base_url: str) -> str | None:
    """The first candidate that is, made absolute, an http(s) URL."""
    for candidate in candidates:
        if not candidate or not candidate.strip():
            continue
        try:
            absolute = urljoin(base_url, candidate.strip())
        except ValueError:
            continue
        if urlsplit(absolute).scheme in {"http", "https"}:
            return absolute
    return None


def load_metadata(
    doc: lxml_html.HtmlElement,
    url: str,
    *,
    config: ExtractionConfig = DEFAULT_CONFIG,
    headers: Mapping[str, str] | None = None,
    fetched_at: str | None = None,
) -> Article:
    """Every Article field except ``body``, ``word_count`` and ``dropped``."""
    config = config or DEFAULT_CONFIG
    data = read_structured(doc)
    page = read_visible(doc)
    base_url = _base_url(doc, url)
    host = site_of(url)
    # Long "names" are slogans or descriptions, not what a title is suffixed with.
    site_names = [n for n in data.site_names if len(n.split()) <= 6] + [host]
    if config.site:
        site_names.insert(0, config.site)
    selected = {name: _select(doc, sel) for name, sel in config.selectors.items() if sel}

    loader = ArticleLoader(item=Article(url=url))
    # Single-valued fields get one candidate each: TakeFirst would discard
    # the rest after paying for their processing.
    loader.add_value(
        "canonical_url",
        _first_http(list(selected.get("canonical_url") or []) + _canonical_candidates(data, url, base_url) + [url], base_url),
    )
    loader.add_value("site", config.site or host)

    headline = (selected.get("headline") or [None])[0] or choose_headline(data, page, site_names)
    loader.add_value("headline", headline)
    page.set_headline(headline)
    loader.add_value("standfirst", (selected.get("standfirst") or [None])[0] or choose_standfirst(data, page, headline))

    if selected.get("authors"):
        authors_raw = selected["authors"]
        loader.add_value("authors", [n for raw in authors_raw for n in split_authors(raw, site_names)])
        loader.add_value("byline", ", ".join(authors_raw))
    else:
        authors, byline = choose_authors(data, page, site_names)
        loader.add_value("authors", authors)
        loader.add_value("byline", (selected.get("byline") or [None])[0] or byline)

    language = choose_language(doc, data)
    loader.add_value("language", (selected.get("language") or []) + [language])

    published, modified = choose_dates(
        data, page, url, config=config, language=language,
        now=date_parsing.parse_reference(fetched_at),
        selected=(selected.get("published") or [None])[0],
        selected_modified=(selected.get("modified") or [None])[0],
        headline=headline,
    )
    if published:
        loader.add_value("published", published[0])
        loader.add_value("published_raw", published[1])
    if modified:
        loader.add_value("modified", modified[0])
        loader.add_value("modified_raw", modified[1])
    elif headers:
        last_modified = next((v for k, v in headers.items() if k.lower() == "last-modified"), None)
        value = date_parsing.parse_date(last_modified, now=date_parsing.parse_reference(fetched_at)) if last_modified else None
        if value:
            loader.add_value("modified", value)
            loader.add_value("modified_raw", last_modified)

    section = (selected.get("section") or [None])[0]
    if not section and data.main is not None:
        section = json_text(data.main.get("articleSection"))
    loader.add_value("section", section or data.first_meta(*SECTION_META))

    tags = list(selected.get("tags") or [])
    tags += data.all_meta("article:tag", "news_keywords", "parsely-tags", "sailthru.tags")
    if data.main is not None:
        tags += json_strings(data.main.get("keywords"))
    if not tags:
        tags += data.all_meta("keywords")
    loader.add_value("tags", tags)

    images = list(selected.get("image_url") or []) + data.all_meta(*IMAGE_META)
    if data.main is not None:
        images += _image_urls(data.main.get("image"))
    captions = extract_captions(doc, base_url, page.figures, page.article_root())
    images += [c.image_url for c in captions if c.image_url]
    loader.add_value("image_url", _first_http(images, base_url))
    loader.add_value("captions", captions)

    loader.add_value("fetched_at", fetched_at)
    loader.add_value("page_type", data.main_type or _OG_TYPES.get((data.first_meta("og:type") or "").lower()))
    return loader.load_item()


__all__ = ["ArticleLoader", "load_metadata", "choose_headline", "choose_authors", "choose_dates"]
