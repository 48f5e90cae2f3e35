"""Bodies a server calls HTML that are not (a feed, a sitemap) store nothing,
and HTML a server calls application/octet-stream is read as the HTML it is."""
from __future__ import annotations

from newsarchive.extraction.page import extract_article
from newsarchive.pipelines.validation import validate_article

URL = "https://news.example/2026/12/01/harbour.html"
PARAGRAPH = ("The harbour board met on Tuesday evening to discuss the long delayed repairs to the "
             "eastern breakwater, which engineers say has been weakened by three winters of storms. ")
HTML_HEADER = {"Content-Type": "text/html; charset=utf-8"}


def _items(tag: str, n: int = 8) -> str:
    return "".join(f"<{tag}><title>Breakwater story {i}</title><link>https://news.example/{i}</link>"
                   f"<description>{PARAGRAPH * 2}</description></{tag}>" for i in range(n))


def test_a_feed_served_as_html_is_no_article() -> None:
    # Read as HTML, a feed's channel title was the headline and its items'
    # text the body: stored as an article.
    feeds = [
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>{_items("item")}'
        "</channel></rss>",
        f'<rss version="2.0"><channel><title>News</title>{_items("item")}</channel></rss>',
        f'<?xml version="1.0"?>\n<!-- generator -->\n<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>'
        f'{_items("entry")}</feed>',
    ]
    for feed in feeds:
        for data in (feed.encode(), feed):
            article = extract_article(data, URL, headers=HTML_HEADER)
            assert not article.body, feed[:60]
            assert validate_article(article) is not None


def test_xhtml_with_an_xml_declaration_is_still_html() -> None:
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
            "<head><title>Breakwater repairs approved</title></head><body><article><h1>Breakwater repairs approved</h1>"
            + f"<p>{PARAGRAPH}</p>" * 8 + "</article></body></html>")
    article = extract_article(page.encode(), URL, headers=HTML_HEADER)
    assert article.headline == "Breakwater repairs approved"
    assert validate_article(article) is None


def test_html_served_as_octet_stream_is_read() -> None:
    # Scrapy sniffs such a body as HTML; extraction used to take the header's
    # word for it and store nothing (dropped as no-headline).
    page = ("<!doctype html><html><head><title>Breakwater repairs approved</title></head><body><article>"
            "<h1>Breakwater repairs approved</h1>" + f"<p>{PARAGRAPH}</p>" * 8 + "</article></body></html>")
    octet = {"Content-Type": "application/octet-stream"}
    article = extract_article(page.encode(), URL, headers=octet)
    assert article.headline == "Breakwater repairs approved"
    assert validate_article(article) is None
    assert not extract_article(bytes(range(256)) * 40, URL, headers=octet).headline


def test_a_page_nested_past_256_levels_keeps_its_body() -> None:
    # Unclosed <div>s (a template bug repeated per item) nest the article past
    # libxml2's default depth limit (256): its parse stopped there, and the
    # body was cut to what came before.
    page = ("<html><head><title>Breakwater repairs approved</title></head><body><article>"
            "<h1>Breakwater repairs approved</h1>" + '<div class="note">Filed' * 400
            + "".join(f"<p>{PARAGRAPH}Point {i} of the report.</p>" for i in range(8)) + "</article></body></html>")
    article = extract_article(page.encode(), URL, headers=HTML_HEADER)
    assert article.body and "Point 7 of the report." in article.body
