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
from typing import Any
from urllib.parse import urljoin, urlsplit

from itemloaders import ItemLoader
from itemloaders.processors import Compose, Identity, MapCompose, TakeFirst
from lxml import html as lxml_html

from newsarchive.extraction import dates as date_parsing
from newsarchive.extraction.authors import choose_authors
from newsarchive.extraction.captions import extract_captions
from newsarchive.extraction.config import DEFAULT_CONFIG, ExtractionConfig
from newsarchive.extraction.labelrules import GENERIC_OR_EMBEDDED_TYPES
# Re-exported: the date rules live in pagedates, callers import them from here.
from newsarchive.extraction.pagedates import MODIFIED_META, PUBLISHED_META, choose_dates  # noqa: F401
from newsarchive.extraction.processors import (
    clean_tag,
    dedupe,
    first_category,
    fold,
    is_address,
    is_placeholder_category,
    is_site_keyword_list,
    is_site_mark_url,
    names_the_site,
    normalize_language,
    normalize_space,
    site_name_keys,
    split_authors,
    split_tag_values,
    strip_short_suffix,
    strip_site_name,
)
from newsarchive.extraction.selectors import run_selector
from newsarchive.extraction.standfirst import (
    is_caption,
    is_cut_off,
    is_generic_description,
    is_meta_line,
    strip_headline,
    strip_markup,
)
from newsarchive.extraction.structured import (
    STRUCTURED_TAGS,
    StructuredData,
    json_strings,
    json_text,
    microdata_value,
    read_structured,
)
from newsarchive.extraction.visible import VISIBLE_TAGS, VisiblePage, element_text, read_visible
from newsarchive.items import Article
from newsarchive.urls import canonicalize_url, site_of

# Meta keys, most trusted first.
HEADLINE_META = ("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "dcterms.title", "title")
DESCRIPTION_META = ("og:description", "description", "twitter:description", "dc.description", "dcterms.abstract")
SECTION_META = ("article:section", "parsely-section", "section", "sailthru.section", "cxenseparse:recs:articlesection", "category")
TAG_META = ("article:tag", "news_keywords", "parsely-tags", "sailthru.tags")
IMAGE_META = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")

_COLLECTED_TAGS = (*STRUCTURED_TAGS, *VISIBLE_TAGS, "base")

# A heading shorter than this is a section label ("Opinion"), not a headline.
HEADING_MIN_WORDS = 3

_OG_TYPES = {"article": "Article", "website": "WebPage", "video.other": "VideoObject",
             "video": "VideoObject", "profile": "ProfilePage", "blog": "Blog"}


# --------------------------------------------------------------------------
# Processor steps bound to the loader context
# --------------------------------------------------------------------------


def _http_only(value: str) -> str | None:
    return value if urlsplit(value).scheme in {"http", "https"} else None


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
    # Values arrive split and cleaned by ``choose_tags``.
    tags_in = MapCompose(normalize_space)
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

    # itemloaders looks a field's processor up on every value (getattr, then
    # an AttributeError guard to unwrap it): a fifth of the loader's cost.
    # The processors are class attributes, so each is looked up once per class.
    def get_input_processor(self, field_name: str) -> Any:
        key = (type(self), field_name, "in")
        proc = _PROCESSORS.get(key)
        if proc is None:
            proc = _PROCESSORS[key] = super().get_input_processor(field_name)
        return proc

    def get_output_processor(self, field_name: str) -> Any:
        key = (type(self), field_name, "out")
        proc = _PROCESSORS.get(key)
        if proc is None:
            proc = _PROCESSORS[key] = super().get_output_processor(field_name)
        return proc


_PROCESSORS: dict[tuple[type, str, str], Any] = {}


# --------------------------------------------------------------------------
# Field decisions
# --------------------------------------------------------------------------


# Fields whose value is an address: an element matched for them gives the
# attribute that holds it, since an <img>, <link> or empty <a> has no text.
_ADDRESS_FIELDS = {"image_url", "canonical_url"}
_ADDRESS_ATTRIBUTES = ("content", "href", "src")
_DATE_FIELDS = {"published", "modified"}


def _select(doc: lxml_html.HtmlElement, selector: str, address: bool = False) -> list[str]:
    """Texts (or attribute values) matched by a site's CSS or XPath selector;
    for an ``address`` field an element's ``content``, ``href`` or ``src``."""
    try:
        found = run_selector(doc, selector)
    except Exception:  # a user's selector must not stop extraction
        return []
    out: list[str] = []
    for item in found if isinstance(found, list) else [found]:
        if isinstance(item, str):
            text = normalize_space(item)
        elif isinstance(item, lxml_html.HtmlElement):
            attributes = _ADDRESS_ATTRIBUTES if address else ("content", "datetime")
            text = normalize_space(next(filter(None, map(item.get, attributes)), None) or element_text(item))
        else:
            text = None
        if text:
            out.append(text)
    return out


def select_fields(doc: lxml_html.HtmlElement, selectors: Mapping[str, str]) -> dict[str, list[str]]:
    """What each of a site's ``[selectors]`` found on the page, by field.

    An empty list is a selector that matched nothing (or only empty text):
    the generic decision then stands for that field, and the caller may want
    to say so (``LoadedPage.selectors_missed``).
    """
    found = {name: _select(doc, sel, name in _ADDRESS_FIELDS) for name, sel in selectors.items() if sel}
    for name in _DATE_FIELDS.intersection(found):
        # Text that reads as no date ("Updated two hours ago", after a
        # redesign) left the generic date standing while the selector
        # counted as a hit: it is a miss, and reported as one.
        found[name] = [text for text in found[name] if date_parsing.parse_date(text)]
    return found


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


# Words this long carry the topic; shorter ones are mostly function words.
CONTENT_WORD_MIN_LETTERS = 4


def _shares_content_word(a: str, b: str) -> bool:
    """Whether two folded strings share a word of ``CONTENT_WORD_MIN_LETTERS`` letters or more."""
    long_a = {w for w in a.split() if len(w) >= CONTENT_WORD_MIN_LETTERS}
    return any(w in long_a for w in b.split())


def _permalink_heading(heading: str, page: VisiblePage) -> bool:
    """Whether the heading links to its post with ``rel="bookmark"`` (the
    permalink of the article it heads, as blog themes mark it): the post's
    title, even when the <title> is only the site's name."""
    for text, el in page.heading_elements():
        if text == heading:
            return any(True for a in el.iter("a") if "bookmark" in (a.get("rel") or "").split())
    return False


def choose_headline(data: StructuredData, page: VisiblePage, site_names: list[str]) -> str | None:
    """The headline a reader sees, decided by agreement between sources."""
    structured = _structured_headlines(data)
    page.entry_title_fallback = not structured
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
    # Without structured titles the <title> (site name removed) is the only
    # title the page gives: a heading with a kicker before it is read the same way.
    tails = stripped_structured or ([strip_short_suffix(strip_site_name(page.title, site_names))] if page.title else [])
    for heading in headings:
        fh = fold(heading)
        for candidate in tails:
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
        if stripped_structured:
            if any(_word_overlap(fh, fold(c)) >= 0.2 for c in stripped_structured):
                return heading
        elif (not page.title or _shares_content_word(fh, fold(strip_site_name(page.title, site_names)))
              or _permalink_heading(heading, page)):
            # Only the <title> to compare with: it is written for search
            # results and tabs ("Wahl 2022: Kandidaten an der Uni - Stadt -
            # Land - SITE"), so one shared word says it is the same story.
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


def choose_standfirst(
    data: StructuredData, page: VisiblePage, headline: str | None, site_names: Iterable[str] = ()
) -> str | None:
    """The dek as printed next to the headline (a standfirst/dek/lead
    element), else the declared description. The printed one comes first:
    descriptions are often the article's first paragraph or a teaser, which
    the body extraction would then mistake for a dek and leave out."""
    # Embed code is sometimes printed as text in a dek-classed block.
    standfirst = strip_markup(page.standfirst())
    if (standfirst and fold(standfirst) != fold(headline)
            and not is_meta_line(standfirst) and not is_caption(standfirst)):
        return standfirst
    candidates: list[str | None] = []
    if data.main is not None:
        candidates.append(json_text(data.main.get("description")))
    candidates.append(data.first_meta(*DESCRIPTION_META))
    for candidate in candidates:
        candidate = strip_headline(strip_markup(candidate), headline)
        if not candidate or fold(candidate) == fold(headline):
            continue
        # A description is often not written for the article: the body's
        # opening cut to a length, the site's slogan, a caption.
        if is_cut_off(candidate) or is_caption(candidate) or is_generic_description(candidate, site_names):
            continue
        return candidate
    return None


def html_lang(attributes: Mapping[str, str]) -> str | None:
    """The ``<html>`` element's language tag. A template that printed the
    attribute twice (``lang="lang="de-DE""``) leaves "lang=" as the value
    and the tag as an attribute name (``de-de""``): read it from there."""
    value = attributes.get("lang") or attributes.get("xml:lang")
    if value and value.rstrip().endswith("="):
        for name in attributes:
            tag = normalize_language(name.strip("\"'"))
            if tag:
                return tag
    return value


def _language_candidates(doc: lxml_html.HtmlElement, data: StructuredData) -> Iterator[str | None]:
    """Most trusted first, each read only when the ones before it gave none."""
    if data.main is not None:
        yield json_text(data.main.get("inLanguage"))
    # Yoast and others state it on the WebPage node beside the article.
    for obj in data.jsonld:
        if obj is not data.main and "inLanguage" in obj:
            yield json_text(obj["inLanguage"])
    yield data.first_meta("content-language", "dc.language", "dcterms.language", "language")
    yield html_lang(doc.attrib)
    yield data.first_meta("og:locale")


def choose_language(doc: lxml_html.HtmlElement, data: StructuredData) -> str | None:
    for candidate in _language_candidates(doc, data):
        tag = normalize_language(candidate)
        if tag:
            return tag
    return None


def choose_section(candidates: list[str | None], site_names: list[str]) -> str | None:
    """The first candidate that names a section: a category list gives its
    first item; the site's own name, a CMS placeholder ("Uncategorized")
    and an address give way to the next candidate."""
    keys = site_name_keys(site_names)
    for candidate in candidates:
        section = first_category(candidate)
        if not section or is_address(section) or is_placeholder_category(section):
            continue
        folded = fold(section)
        if folded in keys or folded.replace(" ", "") in keys:
            continue
        return section
    return None


def choose_tags(data: StructuredData, selected: list[str], names: list[str | None],
                site_names: list[str]) -> list[str]:
    """Tags from the site's selector, ``article:tag`` and friends, JSON-LD
    ``keywords``; ``<meta name="keywords">`` only without them. A source
    that holds the site's keyword list instead of the article's is left
    out. ``names`` (the headline, the authors) and the site's name are
    never tags."""
    tags = split_tag_values(selected)
    sources = [split_tag_values(data.meta.get(key, ())) for key in TAG_META]
    if data.main is not None:
        sources.append(split_tag_values(json_strings(data.main.get("keywords"))))
    # Some sites fill news_keywords with the site's list, too.
    tags += [t for source in sources if not names_the_site(source) for t in source]
    if not tags:
        keywords = split_tag_values(data.all_meta("keywords"))
        if not is_site_keyword_list(keywords):
            tags = keywords
    refused = {fold(n) for n in names if n} | site_name_keys(site_names)
    out = []
    for tag in tags:
        cleaned = clean_tag(tag)
        if not cleaned or is_placeholder_category(cleaned):
            continue
        folded = fold(cleaned)
        if folded in refused or folded.replace(" ", "") in refused:
            continue
        out.append(cleaned)
    return out


def choose_page_type(data: StructuredData) -> str | None:
    """The JSON-LD main type, unless it is a generic page or a thing the
    page embeds (a WebPage, the video player, the product reviewed) while
    og:type says "article": an article then, as the crawl must store it."""
    og_type = _OG_TYPES.get((data.first_meta("og:type") or "").lower())
    if og_type == "Article" and data.main_type in GENERIC_OR_EMBEDDED_TYPES:
        return og_type
    return data.main_type or og_type


def _base_url(doc: lxml_html.HtmlElement, url: str, elements: list[lxml_html.HtmlElement] | None = None) -> str:
    """``url`` resolved against the page's first <base href>; ``elements``
    holds the page's <base> elements when the caller collected them."""
    if elements is None:
        base = doc.find(".//base[@href]")
    else:
        base = next((el for el in elements if el.tag == "base" and el.get("href") is not None and el is not doc), None)
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
    """URLs of a JSON-LD ``image``: a string, an ImageObject, or a list of
    them (``@id`` references resolved by the caller). An ``@id`` with a
    fragment names a node of the graph ("…/story/#primaryimage", as Yoast
    writes it), not a picture."""
    if isinstance(value, list):
        return [u for item in value for u in _image_urls(item)]
    if isinstance(value, dict):
        node_id = value.get("@id")
        value = value.get("url") or value.get("contentUrl") or (
            node_id if isinstance(node_id, str) and "#" not in node_id else None)
    return [value] if isinstance(value, str) and value.strip() else []


def _first_http(candidates: Iterable[str | None], base_url: str) -> str | None:
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


def collect_elements(doc: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The page's elements of the tags the loader reads (``<script>``,
    ``<h1>``, ``<meta>``, ``<time>``, ``<figure>``...), in document order.

    One walk of the tree collects what the structured data, the visible
    page, the base URL and the body extraction's look-ups (JSON-LD
    ``articleBody``, the headline element) need: each tag-filtered walk
    costs ~0.13 ms on a median page even when it finds nothing, a tenth
    of ``load_metadata``."""
    return list(doc.iter(*_COLLECTED_TAGS))


def load_metadata(
    doc: lxml_html.HtmlElement,
    url: str,
    *,
    config: ExtractionConfig = DEFAULT_CONFIG,
    headers: Mapping[str, str] | None = None,
    fetched_at: str | None = None,
    elements: list[lxml_html.HtmlElement] | None = None,
    selected: Mapping[str, list[str]] | None = None,
) -> Article:
    """Every Article field except ``body``, ``word_count`` and ``dropped``.
    ``elements``: ``collect_elements(doc)``, when the caller has it;
    ``selected``: ``select_fields(doc, config.selectors)``, likewise."""
    config = config or DEFAULT_CONFIG
    if elements is None:
        elements = collect_elements(doc)
    data = read_structured(doc, elements)
    page = read_visible(doc, elements)
    base_url = _base_url(doc, url, elements)
    host = site_of(url)
    # Long "names" are slogans or descriptions, not what a title is suffixed with.
    site_names = [n for n in data.site_names if len(n.split()) <= 6] + [host]
    if config.site:
        site_names.insert(0, config.site)
    if selected is None:
        selected = select_fields(doc, config.selectors)

    # A loader of its own dict, not of Article(url=url): given an item,
    # itemloaders copies every one of its ~22 fields in as a value and runs
    # each field's output processor in load_item, fields nothing was added
    # to included (~40 µs a page). Fields left out keep Article's defaults.
    loader = ArticleLoader()
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
    loader.add_value("standfirst", (selected.get("standfirst") or [None])[0] or choose_standfirst(data, page, headline, site_names))

    # Read before the authors: it tells how a byline in Han characters splits.
    language = choose_language(doc, data)
    if selected.get("authors"):
        authors_raw = selected["authors"]
        author_names = [n for raw in authors_raw for n in split_authors(raw, site_names, language)]
        loader.add_value("authors", author_names)
        loader.add_value("byline", ", ".join(authors_raw))
    else:
        authors, byline = choose_authors(data, page, site_names, language)
        author_names = authors
        loader.add_value("authors", authors)
        loader.add_value("byline", (selected.get("byline") or [None])[0] or byline)

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
    if not section:
        candidates = [json_text(data.main.get("articleSection"))] if data.main is not None else []
        section = choose_section(candidates + data.all_meta(*SECTION_META), site_names)
    loader.add_value("section", section)

    loader.add_value("tags", choose_tags(data, list(selected.get("tags") or []),
                                         [headline, *author_names], site_names))

    images = list(selected.get("image_url") or []) + data.all_meta(*IMAGE_META)
    if data.main is not None:
        images += _image_urls(data.resolve(data.main.get("image")))
    captions = extract_captions(doc, base_url, page.figures, page.article_root())
    images += [c.image_url for c in captions if c.image_url]
    # The site's logo or a blank placeholder is no picture of the story.
    loader.add_value("image_url", _first_http((u for u in images if not is_site_mark_url(u)), base_url))
    loader.add_value("captions", captions)

    loader.add_value("fetched_at", fetched_at)
    loader.add_value("page_type", choose_page_type(data))
    return Article(url=url, **loader.load_item())


__all__ = ["ArticleLoader", "collect_elements", "load_metadata", "select_fields", "choose_headline",
           "choose_authors", "choose_dates"]
