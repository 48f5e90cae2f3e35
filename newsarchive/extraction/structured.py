"""Readers of the structured data a page declares: JSON-LD, meta tags
(OpenGraph, ``article:*``, Dublin Core, Parse.ly, Sailthru...), ``<link>``
and microdata.

Everything is read from the one parsed tree with a handful of XPath queries
and collected into :class:`StructuredData`; the loader then looks values up
by key. Broken JSON-LD is repaired where the damage is common (HTML comments,
CDATA wrappers, trailing commas, raw control characters) and skipped
otherwise: it never stops an extraction.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from newsarchive.extraction.processors import normalize_space

# schema.org types whose object is the article itself.
ARTICLE_TYPES: frozenset[str] = frozenset(
    {
        "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
        "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle",
        "AskPublicNewsArticle", "SatiricalArticle", "AdvertiserContentArticle", "BlogPosting",
        "LiveBlogPosting", "SocialMediaPosting", "DiscussionForumPosting", "TechArticle",
        "ScholarlyArticle", "MedicalScholarlyArticle", "Report", "Review", "Recipe",
        "HowTo", "Guide", "CreativeWork", "PodcastEpisode", "Episode",
    }
)
# Types that describe the page but are not an article.
PAGE_TYPES: frozenset[str] = frozenset(
    {
        "WebPage", "CollectionPage", "ItemPage", "ProfilePage", "SearchResultsPage",
        "AboutPage", "ContactPage", "QAPage", "FAQPage", "MediaGallery", "ImageGallery",
        "VideoGallery", "VideoObject", "AudioObject", "Event", "Product", "WebSite",
    }
)
ORGANISATION_TYPES: frozenset[str] = frozenset(
    {"Organization", "NewsMediaOrganization", "Corporation", "EducationalOrganization",
     "GovernmentOrganization", "NGO", "LocalBusiness", "Brand", "WebSite"}
)

# The itemprop attributes' owners: testing the attribute axis is 30 % cheaper
# in libxml2 than a predicate on every element. <meta> is left out in Python.
_ITEMPROP_OWNERS = etree.XPath("//body//*/@itemprop/..")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class StructuredData:
    """Everything a page declares about itself, collected once."""

    jsonld: list[dict[str, Any]] = field(default_factory=list)
    """Every JSON-LD object, flattened out of ``@graph`` and lists."""

    main: dict[str, Any] | None = None
    """The JSON-LD object describing the article (or the page)."""

    main_type: str | None = None
    """schema.org type of ``main``."""

    ids: dict[str, dict[str, Any]] = field(default_factory=dict)
    """``@id`` -> object, to resolve references such as Yoast's ``"author": {"@id": ...}``."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    """Lower-cased meta name/property -> contents, in document order."""

    links: dict[str, list[str]] = field(default_factory=dict)
    """Lower-cased ``<link rel>`` token -> hrefs."""

    meta_itemprops: dict[str, list[lxml_html.HtmlElement]] = field(default_factory=dict)
    """itemprop -> ``<meta itemprop>`` elements (collected with the meta tags)."""

    doc: lxml_html.HtmlElement | None = None

    _microdata: dict[str, list[lxml_html.HtmlElement]] | None = None

    site_names: list[str] = field(default_factory=list)
    """Names the page gives its site (og:site_name, publisher, application-name)."""

    @property
    def microdata(self) -> dict[str, list[lxml_html.HtmlElement]]:
        """itemprop -> elements, outside comments and reviews.

        Read on first use: it costs a walk of the whole tree, and most pages
        answer from JSON-LD and meta tags first.
        """
        if self._microdata is None:
            found: dict[str, list[lxml_html.HtmlElement]] = {
                k: list(v) for k, v in self.meta_itemprops.items()
            }
            if self.doc is not None:
                for el in _ITEMPROP_OWNERS(self.doc):
                    if el.tag == "meta":
                        continue
                    scope = _owning_scope_type(el)
                    if any(t in scope for t in _FOREIGN_SCOPES):
                        continue
                    for name in el.get("itemprop", "").split():
                        found.setdefault(name, []).append(el)
            self._microdata = found
        return self._microdata

    def resolve(self, value: Any) -> Any:
        """A ``{"@id": ...}`` reference replaced by the object it names."""
        if isinstance(value, dict) and "@id" in value and len(value) <= 2 and "name" not in value:
            return self.ids.get(value["@id"], value)
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def first_meta(self, *keys: str) -> str | None:
        """The first non-empty value among meta ``keys``, in key order."""
        for key in keys:
            for value in self.meta.get(key, ()):
                value = normalize_space(value)
                if value:
                    return value
        return None

    def all_meta(self, *keys: str) -> list[str]:
        out: list[str] = []
        for key in keys:
            for value in self.meta.get(key, ()):
                value = normalize_space(value)
                if value:
                    out.append(value)
        return out


def schema_types(obj: dict[str, Any]) -> list[str]:
    """The bare type names of a JSON-LD object ("schema:NewsArticle" -> "NewsArticle")."""
    value = obj.get("@type")
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(v.rsplit("/", 1)[-1].rsplit(":", 1)[-1].strip())
    return out


def parse_json_ld(text: str | None) -> Any:
    """json.loads with repairs for the damage seen in the wild; None if hopeless."""
    if not text:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    repaired = text
    for junk in ("<!--", "-->", "//<![CDATA[", "//]]>", "<![CDATA[", "]]>"):
        repaired = repaired.replace(junk, "")
    repaired = _CONTROL.sub(" ", repaired)
    repaired = _TRAILING_COMMA.sub(r"\1", repaired.strip().rstrip(";"))
    try:
        return json.loads(repaired, strict=False)
    except ValueError:
        pass
    # Several objects pasted one after the other in one script.
    decoder = json.JSONDecoder(strict=False)
    out: list[Any] = []
    pos = 0
    while pos < len(repaired):
        while pos < len(repaired) and repaired[pos] not in "{[":
            pos += 1
        if pos >= len(repaired):
            break
        try:
            obj, end = decoder.raw_decode(repaired, pos)
        except ValueError:
            break
        out.append(obj)
        pos = end
    return out or None


def flatten_json_ld(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every typed object of a JSON-LD document: @graph members, list items
    and a nested ``mainEntity``."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from flatten_json_ld(item, depth + 1)
        return
    if not isinstance(data, dict):
        return
    graph = data.get("@graph")
    if "@type" in data:
        yield data
    if isinstance(graph, (list, dict)):
        yield from flatten_json_ld(graph, depth + 1)
    main_entity = data.get("mainEntity")
    if isinstance(main_entity, (dict, list)):
        yield from flatten_json_ld(main_entity, depth + 1)


def _choose_main(objects: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None]:
    best: dict[str, Any] | None = None
    best_type: str | None = None
    best_score = -1
    for obj in objects:
        types = schema_types(obj)
        article_type = next((t for t in types if t in ARTICLE_TYPES), None)
        page_type = next((t for t in types if t in PAGE_TYPES), None)
        if article_type:
            # An article with a headline beats an "Article" teaser without one.
            score = 10 + ("headline" in obj) * 3 + ("datePublished" in obj) + ("author" in obj)
            if article_type == "CreativeWork":
                score -= 5
            chosen = article_type
        elif page_type and page_type != "WebSite":
            score = 1 + ("datePublished" in obj) + ("author" in obj)
            chosen = page_type
        else:
            continue
        if score > best_score:
            best, best_type, best_score = obj, chosen, score
    return best, best_type


# Ancestors whose itemprops describe something else than the article.
_FOREIGN_SCOPES = ("Comment", "Review", "Answer", "Question", "Offer", "Rating")


def _owning_scope_type(el: lxml_html.HtmlElement) -> str:
    parent = el.getparent()
    while parent is not None:
        if parent.get("itemscope") is not None:
            return parent.get("itemtype") or ""
        parent = parent.getparent()
    return ""


# Dublin Core prefixes as RDFa writes them in a meta ``property``.
_RDFA_DUBLIN_CORE = ("dc:", "dcterms:")

# The elements ``read_structured`` reads.
STRUCTURED_TAGS: tuple[str, ...] = ("meta", "link", "script")


def read_structured(
    doc: lxml_html.HtmlElement, elements: Iterable[lxml_html.HtmlElement] | None = None
) -> StructuredData:
    """Collect JSON-LD, meta, link and microdata from one parsed page.

    ``elements`` are the page's elements of ``STRUCTURED_TAGS`` (others are
    ignored) in document order, when the caller collected them in a walk it
    makes anyway; else one C-level walk for the three tags finds them (XPath
    per tag would walk thrice)."""
    data = StructuredData(doc=doc)
    meta = data.meta
    for el in doc.iter(*STRUCTURED_TAGS) if elements is None else elements:
        tag = el.tag
        if tag == "meta":
            content = el.get("content")
            if content is None:
                content = el.get("value")
                if content is None:
                    continue
            key = el.get("property") or el.get("name") or el.get("http-equiv")
            if key:
                for k in key.lower().split():
                    if k.startswith(_RDFA_DUBLIN_CORE):
                        # RDFa writes Dublin Core as "dc:creator" and
                        # "dcterms:created"; HTML meta as "DC.creator": one key.
                        k = k.replace(":", ".", 1)
                    meta.setdefault(k, []).append(content)
            itemprop = el.get("itemprop")
            if itemprop:
                for name in itemprop.split():
                    data.meta_itemprops.setdefault(name, []).append(el)
        elif tag == "link":
            href, rel = el.get("href"), el.get("rel")
            if href and rel:
                for token in rel.lower().split():
                    data.links.setdefault(token, []).append(href)
        elif tag == "script" and "ld+json" in (el.get("type") or "").lower():
            parsed = parse_json_ld(el.text)
            if parsed is not None:
                data.jsonld.extend(flatten_json_ld(parsed))
    for obj in data.jsonld:
        ident = obj.get("@id")
        if isinstance(ident, str) and len(obj) > 1:
            data.ids.setdefault(ident, obj)
    data.main, data.main_type = _choose_main(data.jsonld)

    names: list[str] = []
    for key in ("og:site_name", "application-name", "al:android:app_name", "al:ios:app_name"):
        for value in data.meta.get(key, ()):
            if value and value.strip():
                names.append(value.strip())
    for obj in ([data.main] if data.main else []) + data.jsonld:
        publisher = obj.get("publisher")
        if isinstance(publisher, list):
            publisher = publisher[0] if publisher else None
        # A blog's publisher is often its author (a Person): not a site name.
        if (
            isinstance(publisher, dict)
            and isinstance(publisher.get("name"), str)
            and "Person" not in schema_types(publisher)
        ):
            names.append(publisher["name"])
        types = schema_types(obj)
        # Yoast types a blogger ["Person", "Organization"]: a person, not a site name.
        if "Person" not in types and ("WebSite" in types or any(t in ORGANISATION_TYPES for t in types)):
            if isinstance(obj.get("name"), str):
                names.append(obj["name"])
            alt = obj.get("alternateName")
            if isinstance(alt, str):
                names.append(alt)
    data.site_names = list(dict.fromkeys(n for n in names if n))
    return data


def microdata_value(el: lxml_html.HtmlElement) -> str | None:
    """The value of one microdata property element, per the microdata spec."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "meta":
        value = el.get("content")
    elif tag in {"a", "link", "area"}:
        value = el.get("href") if el.get("itemscope") is None else None
        if value is None:
            value = el.text_content()
    elif tag in {"img", "audio", "video", "source", "iframe", "embed"}:
        value = el.get("src")
    elif tag == "time":
        value = el.get("datetime") or el.text_content()
    elif tag == "abbr":
        # hAtom: <abbr class="published" title="2019-10-16T14:33:00-07:00">
        value = el.get("title") or el.text_content()
    else:
        value = el.get("content") or el.text_content()
    return normalize_space(value)


def json_text(value: Any) -> str | None:
    """A JSON-LD value as one string: strings as they are, the first of a
    list, ``name``/``@value``/``url`` of an object."""
    if isinstance(value, str):
        return normalize_space(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        for item in value:
            text = json_text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        for key in ("@value", "name", "url", "@id"):
            text = json_text(value.get(key))
            if text:
                return text
    return None


def json_strings(value: Any) -> list[str]:
    """Every string of a JSON-LD value (lists flattened)."""
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(json_strings(item))
        return out
    text = json_text(value)
    return [text] if text else []
