"""One page in, one Article out: decode, parse once, load metadata, extract the body.

``load_article`` is what the spider calls; ``extract_article`` adds the
cleaning step and is what tests, the CLI and re-extraction call, so every
caller gets exactly the item a crawl would store.

The HTML is parsed into a single lxml tree. The metadata loader reads it
first (it needs the page as served); the body extraction then prunes it in
place. Nothing here raises on bad input: empty bodies, binary files,
broken markup or a wrong charset give an Article with what could be found.
"""
from __future__ import annotations

import codecs
import logging
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import lxml.html
from lxml import etree
from w3lib.encoding import http_content_type_encoding, read_bom, resolve_encoding

from newsarchive.extraction.body import extract_body
from newsarchive.extraction.byline import clean_byline
from newsarchive.extraction.cleaning import clean_article
from newsarchive.extraction.config import DEFAULT_CONFIG, ExtractionConfig
from newsarchive.extraction.loader import collect_elements, load_metadata, select_fields
from newsarchive.extraction.processors import checked_text_language
from newsarchive.extraction.standfirst import is_body_excerpt
from newsarchive.extraction.words import count_words
from newsarchive.items import Article

logger = logging.getLogger(__name__)

# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">,
# searched in the first bytes only (the HTML spec's prescan window).
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
_PRESCAN = 4096
# Content types that are certainly not a page of text.
# application/octet-stream is no such type: it says the server does not know
# (Scrapy sniffs such a body), and the bytes decide.
_NON_HTML = re.compile(r"^\s*(image|audio|video|font)/|application/(pdf|zip|gzip|json|javascript|x-|vnd\.|msword)", re.I)
# An XML document whose root is not html (a feed, a sitemap), with or without
# its declaration: read as HTML, a feed's title was the headline and its
# items' text the body. XHTML (an html root or doctype) is not matched.
_XML_NOT_HTML = re.compile(
    r"\A\ufeff?\s*(?:"
    r"<\?xml[^>]*>(?:\s*(?:<!--.*?-->|<\?[^>]*>))*\s*<(?!html\b|!DOCTYPE\s+html\b)[A-Za-z!]"
    r"|(?:(?:<!--.*?-->|<\?[^>]*>)\s*)*<(?:rss|feed|rdf:RDF|urlset|sitemapindex)\b)", re.S | re.I)

# One parser per thread: parse_html reads the parser's error log after a
# parse, and that log is the last parse's, whichever thread ran it.
_parsers = threading.local()


def _html_parser(huge: bool = False) -> etree.HTMLParser:
    """The thread's parser; ``huge``: the one without libxml2's limits (256
    levels of nesting, 10 MB a text node), for a page that reached them."""
    # Built on first use, not at import; lxml parsers are reusable.
    name = "huge" if huge else "parser"
    parser = getattr(_parsers, name, None)
    if parser is None:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                      collect_ids=False, huge_tree=huge)
        # Every element an HtmlElement (text_content, cssselect...), chosen in C:
        # lxml.html's default lookup runs Python code for each element proxy to
        # pick form/input/label subclasses, which extraction never uses.
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
        setattr(_parsers, name, parser)
    return parser


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            if isinstance(value, (list, tuple)):
                value = value[-1] if value else None
            if isinstance(value, bytes):
                value = value.decode("latin-1", "replace")
            return value
    return None


def decode_html(html: bytes | str, headers: Mapping[str, str] | None = None) -> str:
    """The page as text: charset from the HTTP header, else a byte-order mark,
    else ``<meta charset>``, else UTF-8 with replacement characters, unless
    the page is not UTF-8 (``guess_undeclared_codec``)."""
    return _decode(html, headers)[0]


def _decode(html: bytes | str, headers: Mapping[str, str] | None,
            codec: str | None = None) -> tuple[str, str | None]:
    """``decode_html`` and the codec that decoded the bytes (None for str
    input); ``codec``: ``_codec``'s answer, when the caller has it."""
    if isinstance(html, str):
        return html, None
    codec = codec or _codec(html, headers)
    text = html.decode(codec, errors="replace")
    # Only a page that fell back to UTF-8 and is not UTF-8 is looked at again
    # (valid UTF-8 pages mostly never get here: parse_html hands lxml the bytes).
    if codec == "utf-8" and "\ufffd" in text and _declared_encoding(html, headers) is None:
        guessed = guess_undeclared_codec(html, text)
        if guessed is not None:
            return html.decode(guessed, errors="replace"), guessed
    return text, codec


def guess_undeclared_codec(html: bytes, as_utf8: str) -> str | None:
    """The codec of a page that declares none (header, byte-order mark or
    meta) and is not UTF-8, or None to keep UTF-8 with replacements.

    ``as_utf8``: the page decoded as UTF-8 with replacements. A page whose
    valid multi-byte sequences outnumber its invalid bytes is UTF-8 with a
    few damaged characters, and stays UTF-8. Otherwise charset_normalizer
    picks the codec: among its matches as free of mess as its best, the one
    whose text reads most like a language (its "coherence"): on a Latin
    page several single-byte codecs decode without mess (windows-1257 reads
    French "à" as "ą"), and the language model tells the right one apart
    when the page is long enough.
    """
    replaced = as_utf8.count("\ufffd")
    # Each valid multi-byte character is 2-4 bytes that decode to one.
    if len(html) - len(as_utf8) >= replaced:
        return None
    from charset_normalizer import from_bytes  # imported only for such a page

    matches = [m for m in from_bytes(html) if _web_codec(m.encoding)]
    if not matches:
        return None
    least_mess = min(m.chaos for m in matches)
    # Ties (a short Latin page reads alike in windows-1250, -1252 and -1257)
    # go to windows-1252, the HTML standard's default for undeclared pages
    # and the codec Scrapy's own fallback tries.
    best = max((m for m in matches if m.chaos <= least_mess + _MESS_MARGIN),
               key=lambda m: (round(m.coherence, 2), m.encoding == "cp1252"))
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None


def _web_codec(name: str) -> bool:
    try:
        return codecs.lookup(name).name in _WEB_CODECS
    except LookupError:
        return False


# The codecs of the WHATWG Encoding Standard, the only ones a browser reads a
# page in, under Python's names (ISO-8859-1 and the GB/Big5/Shift_JIS/EUC-KR
# labels it maps to supersets are kept as charset_normalizer names them).
# charset_normalizer also tries Mac and DOS code pages: short French prose in
# windows-1252 read as well in mac-latin2 ('été' as 'ťtť') by its language
# model, and was stored so.
_WEB_CODECS = frozenset(codecs.lookup(name).name for name in (
    "utf-8", "utf-16-le", "utf-16-be", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5",
    "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15",
    "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252",
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "latin-1", "ascii", "gb2312", "gbk",
    "gb18030", "big5", "big5hkscs", "euc-jp", "iso2022-jp", "shift-jis", "cp932", "euc-kr", "cp949",
))


# charset_normalizer's mess ratio is 0-1; a codec that reads one Latin
# letter otherwise than the best in a page of prose is a few hundredths off.
_MESS_MARGIN = 0.05


def _codec(html: bytes, headers: Mapping[str, str] | None) -> str:
    """The name of the codec ``_decode`` decodes ``html`` with, found
    without decoding it."""
    encoding = _declared_encoding(html, headers)
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            return "utf-8"
        if codec != "utf-8" and not read_bom(html)[0] and _is_utf8_beyond_ascii(html):
            # A server's default 'charset=ISO-8859-1' (or a template's meta) on
            # UTF-8 pages is common, and text in a legacy codec is practically
            # never valid UTF-8 beyond ASCII: read as declared, the headline
            # was mojibake ('CafÃ©') and extraction found no body.
            return "utf-8"
        return codec
    return "utf-8"


def _is_utf8_beyond_ascii(html: bytes) -> bool:
    if html.isascii():
        return False
    try:
        html.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared_encoding(html: bytes, headers: Mapping[str, str] | None) -> str | None:
    """The page's encoding as a byte-order mark, the HTTP header or its
    ``<meta charset>`` name it (in that order), or None."""
    # The HTML standard reads a byte-order mark before the header, as browsers do.
    encoding, _ = read_bom(html)
    if not encoding:
        content_type = _header(headers, "content-type")
        if content_type:
            encoding = http_content_type_encoding(content_type)
    if not encoding:
        m = _META_CHARSET.search(html[:_PRESCAN])
        if m:
            encoding = resolve_encoding(m.group(1).decode("ascii", "ignore"))
            # A <meta> that could be read as ASCII cannot be UTF-16/32 (HTML
            # spec: browsers read it as UTF-8).
            if encoding and encoding.replace("-", "").lower().startswith(("utf16", "utf32")):
                encoding = "utf-8"
    return encoding


def _looks_binary(data: bytes | str, headers: Mapping[str, str] | None) -> bool:
    content_type = _header(headers, "content-type")
    if content_type and _NON_HTML.search(content_type):
        return True
    head = data[:1024]
    if isinstance(head, bytes):
        bom = read_bom(head)[0] if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None
        if bom:
            # NUL bytes are half of UTF-16 text: the mark says how to read it.
            head = head.decode(bom, "replace")
        elif b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04")):
            return True
        else:
            head = head.decode("latin-1")
    return "\x00" in head or _XML_NOT_HTML.match(head) is not None


# The first byte that is not white space for str.isspace() (ASCII part).
_NOT_SPACE = re.compile(rb"[^\t\n\x0b\x0c\r\x1c-\x20]")
# libxml2 reports at most 100 errors of a parse (XML_MAX_ERRORS; warnings
# are counted apart): a log this long may hide an invalid byte.
_MAX_TRUSTED_ERRORS = 100


def _parse_utf8(html: bytes) -> lxml.html.HtmlElement | None:
    """The tree ``parse_html`` makes of a page it decodes as UTF-8, without
    decoding it; None when it must decode it to know.

    ``parse_html`` hands lxml the page's own bytes when they are valid UTF-8,
    and decodes the page (~150 µs for a page of 170 KB; 354 of the 399
    corpus pages hold characters beyond Latin-1) only to learn that. libxml2,
    given the same bytes as UTF-8, checks them itself and logs
    ERR_INVALID_ENCODING for the first invalid sequence (though it replaces
    such bytes otherwise than Python does): a parse that logged no such
    error, nor a fatal one, in a log short enough to be complete, read the
    bytes the decoding path would have handed it. A page whose first
    character other than ASCII white space is beyond ASCII may be blank to
    ``str.isspace`` (a page of no-break spaces) and is left to that path
    too, unless that character is a byte-order mark (no space)."""
    first = _NOT_SPACE.search(html)
    if first is None or (first.group() >= b"\x80" and not html.startswith(codecs.BOM_UTF8, first.start())):
        return None
    parser = _html_parser()
    try:
        doc = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    log = parser.error_log
    if len(log) >= _MAX_TRUSTED_ERRORS:
        return None
    for error in log:
        if error.type == _INVALID_ENCODING or error.level == _FATAL:
            return None
    if doc is None or not isinstance(doc.tag, str):
        return None
    return doc


_INVALID_ENCODING = etree.ErrorTypes.ERR_INVALID_ENCODING
_FATAL = etree.ErrorLevels.FATAL


def parse_html(html: bytes | str, headers: Mapping[str, str] | None = None) -> lxml.html.HtmlElement:
    """One lxml tree of the page; an empty document for empty or binary input."""
    if not html or _looks_binary(html, headers):
        return _empty_document()
    codec = _codec(html, headers) if isinstance(html, bytes) else None
    if codec == "utf-8":
        doc = _parse_utf8(html)
        if doc is not None:
            return doc
    text, codec = _decode(html, headers, codec)
    # isspace() tests the same characters as strip() without copying the page.
    if not text or text.isspace():
        return _empty_document()
    # lxml refuses str input that declares an encoding: hand it UTF-8 bytes.
    # Bytes that decoded as UTF-8 with no replacement character are those
    # bytes already (most pages): encoding the text again cost ~0.1 ms a page.
    if codec == "utf-8" and isinstance(html, bytes) and "\ufffd" not in text:
        data = html
    else:
        data = text.encode("utf-8", "replace")
    return _parse_bytes(data)


def _parse_bytes(data: bytes) -> lxml.html.HtmlElement:
    """The tree of UTF-8 ``data``, past libxml2's limits if need be."""
    try:
        parser = _html_parser()
        doc = lxml.html.document_fromstring(data, parser=parser)
        if any(error.type == _RESOURCE_LIMIT for error in parser.error_log):
            # Unclosed <div>s (a template bug repeated per item) nest a page
            # past 256 levels: libxml2 stopped there, and the body was cut.
            doc = lxml.html.document_fromstring(data, parser=_html_parser(huge=True))
            if doc is not None and isinstance(doc.tag, str):
                _flatten(doc)
    except (etree.ParserError, ValueError) as exc:
        logger.debug("unparseable page: %s", exc)
        return _empty_document()
    if doc is None or not isinstance(doc.tag, str):
        return _empty_document()
    return doc


_RESOURCE_LIMIT = etree.ErrorTypes.ERR_RESOURCE_LIMIT
# Extraction's tree walks recurse once a level, under Python's recursion
# limit (1000): a tree parsed without libxml2's depth limit is cut down to
# this depth. Text blocks keep their inline markup a little deeper.
_MAX_DEPTH = 200
_TEXT_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption",
                          "td", "th"})


def _flatten(doc: lxml.html.HtmlElement) -> None:
    """Unwrap the elements that would sit deeper than ``_MAX_DEPTH`` and hold
    others, keeping their text and children in place."""
    # Depth as it will be once the unwrapped ancestors are gone.
    depth: dict[etree._Element, int] = {}
    deep: list[lxml.html.HtmlElement] = []
    for el in doc.iter():
        parent = el.getparent()
        level = depth[parent] + 1 if parent is not None else 0
        if level > _MAX_DEPTH and len(el) and (el.tag not in _TEXT_BLOCKS or level > _MAX_DEPTH + 40):
            deep.append(el)
            level -= 1
        depth[el] = level
    # Deepest first: each unwrapped element's children are settled already.
    for el in reversed(deep):
        el.drop_tag()


def _empty_document() -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring("<html><head></head><body></body></html>")


def _collect_elements(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement] | None:
    try:
        return collect_elements(doc)
    except Exception:  # the loader and body then walk the tree themselves
        logger.exception("collecting elements failed")
        return None


class LoadedPage(NamedTuple):
    """What ``load_page`` gives back: the Article, the ``inspect`` hook's result,
    and which of the site's ``[selectors]`` fields matched on this page.

    Extraction only reports the selectors: counting and warning about the
    misses (a site redesign that leaves every selector matching nothing) is
    the caller's business. Plain tuples of field names, so the page pickles
    back from an extraction worker.
    """

    article: Article
    inspected: Any
    selectors_matched: tuple[str, ...] = ()
    selectors_missed: tuple[str, ...] = ()


# Changes the parsed tree in place before anything reads it (evaluation's
# ablations strip the structured data to measure the page-level fallbacks).
TreeEdit = Callable[[lxml.html.HtmlElement], None]


def load_page(html: bytes | str, url: str, *, config: ExtractionConfig | None = None,
              headers: Mapping[str, str] | None = None, fetched_at: str | None = None,
              inspect: Callable[[lxml.html.HtmlElement, Article], Any] | None = None,
              edit_tree: TreeEdit | None = None) -> LoadedPage:
    """``load_article``, plus one look at the parsed page before extraction prunes it.

    ``inspect(doc, article)`` is called with the whole tree and the Article as
    the metadata loader left it (body not extracted yet), so a caller that
    needs more from the page (the crawl's article detection) does not decode
    and parse it a second time. It must not change the tree. Its result comes back as ``inspected``; an
    exception in it is logged and gives None, like any extraction failure.

    ``edit_tree(doc)`` runs right after parsing, before the loader or the body
    read the tree: ``newsarchive evaluate --without`` removes structured data
    with it, so the page is extracted as a site without that markup serves it.
    """
    config = config or DEFAULT_CONFIG
    doc = parse_html(html, headers)
    if edit_tree is not None:
        edit_tree(doc)
    # One walk of the tree for the loader and the body extraction's look-ups
    # (scripts, headings): the tree is unchanged until the body prunes it.
    elements = _collect_elements(doc)
    selected: dict[str, list[str]] = {}
    try:
        if config.selectors:
            selected = select_fields(doc, config.selectors)
        article = load_metadata(doc, url, config=config, headers=headers, fetched_at=fetched_at,
                                elements=elements, selected=selected)
    except Exception:  # a loader bug on one page must not stop a crawl
        logger.exception("metadata extraction failed for %s", url)
        article = Article(url=url, fetched_at=fetched_at)
    matched = tuple(name for name, found in selected.items() if found)
    missed = tuple(name for name, found in selected.items() if not found)
    inspected = None
    if inspect is not None:
        try:
            inspected = inspect(doc, article)
        except Exception:
            logger.exception("page inspection failed for %s", url)
    try:
        result = extract_body(doc, article, config, elements)
    except Exception:
        logger.exception("body extraction failed for %s", url)
        return LoadedPage(article, inspected, matched, missed)
    article.body = result.text or None
    # Only the body tells a description that is its opening cut to a length.
    if not selected.get("standfirst") and is_body_excerpt(article.standfirst, article.body):
        article.standfirst = None
    # The byline box's whole text served the body extraction, which leaves
    # that line out of the body; the field keeps the part naming the authors.
    if not selected.get("byline") and not selected.get("authors"):
        article.byline = clean_byline(article.byline, article.authors)
    article.word_count = count_words(result.text)
    # The page's declared language checked against the body's words, now
    # known; a site's own selector for it is trusted as configured.
    if not selected.get("language"):
        article.language = checked_text_language(article.language, result.text)
    article.dropped.extend(result.dropped)
    return LoadedPage(article, inspected, matched, missed)


def load_article(html: bytes | str, url: str, *, config: ExtractionConfig | None = None,
                 headers: Mapping[str, str] | None = None, fetched_at: str | None = None) -> Article:
    """Metadata and body of one page, before cleaning. Never raises on bad input."""
    return load_page(html, url, config=config, headers=headers, fetched_at=fetched_at).article


def extract_page(html: bytes | str, url: str, *, config: ExtractionConfig | None = None,
                 headers: Mapping[str, str] | None = None, fetched_at: str | None = None,
                 edit_tree: TreeEdit | None = None) -> LoadedPage:
    """``load_page`` with its Article cleaned: the item a crawl would store,
    and which site selectors matched (``newsarchive extract`` reports both)."""
    config = config or DEFAULT_CONFIG
    page = load_page(html, url, config=config, headers=headers, fetched_at=fetched_at, edit_tree=edit_tree)
    # load_page counted the body's words (or left None when it found no body).
    return page._replace(article=clean_article(page.article, config, body_words=page.article.word_count))


def extract_article(html: bytes | str, url: str, *, config: ExtractionConfig | None = None,
                    headers: Mapping[str, str] | None = None, fetched_at: str | None = None,
                    edit_tree: TreeEdit | None = None) -> Article:
    """``load_article`` then ``clean_article``: the item a crawl would store."""
    return extract_page(html, url, config=config, headers=headers, fetched_at=fetched_at,
                        edit_tree=edit_tree).article
