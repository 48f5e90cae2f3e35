"""The class searches of the visible-page reader: Python tests over the tree
that must select exactly what the XPath queries they replaced selected, and
the reuse of searched subtrees (headline region, blocks next to the
headline) when the search widens to the whole page."""
from __future__ import annotations

import lxml.html
from lxml import etree

from newsarchive.extraction import visible
from newsarchive.extraction.visible import read_visible

# The XPath queries the Python tests replaced, kept as the reference.
BYLINE_XPATH = etree.XPath(
    ".//*[@rel='author' or self::address"
    " or (@class and (contains(@class, 'uthor') or contains(@class, 'yline') or contains(@class, 'autor')))"
    " or (@id and contains(@id, 'uthor'))"
    " or (@data-testid and contains(@data-testid, 'yline'))"
    " or (self::a and @href and (contains(@href, '/author') or contains(@href, '/autor')"
    " or contains(@href, '/staff/') or contains(@href, '/journalist')))]"
)
TIME_XPATH = etree.XPath(
    ".//*[@class][contains(@class, 'date') or contains(@class, 'Date') or contains(@class, 'publi')"
    " or contains(@class, 'datum') or contains(@class, 'fecha') or contains(@class, 'time')"
    " or contains(@class, 'meta')][not(self::time)][not(self::meta)]"
)
HEADING_FALLBACK_XPATH = etree.XPath(
    ".//h2[contains(@class, 'title') or contains(@class, 'headline')]"
    " | .//*[contains(@class, 'entry-title') or contains(@class, 'post-title')"
    " or contains(@class, 'article-title') or contains(@class, 'article__title')]"
)
LABEL_XPATH = etree.XPath("//p | //em | //strong | //h5 | //h6 | //address | //b")

PAGE = """<html><head><title>T</title><meta class="date" name="x" content="y"></head><body>
<div class="author-box" id="top"><!-- a comment --><span class="">x</span>
  <p class="Byline">By <a href="/authors/jane">Jane</a></p>
  <a href="/authorities/names/1">Authority</a><a href="/staff/joe">Joe</a>
  <address>Addr</address><div id="theAuthor">A</div><div data-testid="byline-x">B</div>
  <span rel="author">R</span><span rel="Author">not exact</span><a class="journalist" href="/journalist/x">J</a>
</div>
<main><h2 class="entry-title headline">Heading</h2><time class="date">1 May 2020</time>
  <div class="post-meta Date"><em>Published 1 May</em></div><meta class="meta" itemprop="x" content="z">
  <div class="publication-time"><b>12:00</b><strong>s</strong><h5>h5</h5><h6>h6</h6></div>
  <h2 class="article__title">Other</h2><div class="article-title"><p class="datum">x</p></div>
  <span class="fecha">f</span><span class="autorin">A</span>
</main></body></html>"""


def _doc() -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(PAGE)


def test_python_tests_select_what_the_xpath_queries_selected() -> None:
    doc = _doc()
    for test, query in ((visible._is_byline_candidate, BYLINE_XPATH), (visible._is_time_candidate, TIME_XPATH),
                        (visible._is_heading_fallback, HEADING_FALLBACK_XPATH)):
        for root in [doc, *doc.iter("div", "main")]:
            expected = query(root)
            assert list(visible._iter_matching(root, test)) == expected
            assert expected or root is not doc
    assert len(BYLINE_XPATH(doc)) == 11  # "/authorities" too: the filters after the search drop it
    page = read_visible(doc)
    assert page._label_candidates(400) == LABEL_XPATH(doc)
    assert page._label_candidates(3) == LABEL_XPATH(doc)[:3]


def test_skipped_and_known_subtrees_give_the_plain_search_in_document_order() -> None:
    doc = _doc()
    test = visible._is_byline_candidate
    everything = BYLINE_XPATH(doc)
    box = doc.get_element_by_id("top")
    inside = BYLINE_XPATH(box)
    # The skipped element is itself tested ("author-box"), its subtree is not.
    skipped = list(visible._iter_matching(doc, test, skip=box))
    assert skipped == [el for el in everything if el not in inside]
    assert box in skipped
    # A subtree searched before is taken from the memo, at its place.
    known = {id(box): (box, list(visible._iter_matching(box, test, include_self=True)))}
    assert list(visible._iter_matching(doc, test, known=known)) == everything


HEADLINE_PAGE = """<html><body>
<div class="wrap"><div class="content"><div class="head"><h1>The headline of the story</h1>
<p class="standfirst-none">Kicker line under the headline</p></div>
<div class="text"><p>Body text of the story.</p></div></div></div>
<div class="box"><span class="byline">By Jane Doe</span></div>
</body></html>"""


def test_page_byline_search_after_the_region_and_the_neighbours() -> None:
    doc = lxml.html.document_fromstring(HEADLINE_PAGE)
    first = read_visible(doc)
    first.set_headline("The headline of the story")
    near = first.bylines(region_only=True)
    page_wide = first.bylines()
    # Without the neighbour search first, and without any region, the same.
    second = read_visible(lxml.html.document_fromstring(HEADLINE_PAGE))
    second.set_headline("The headline of the story")
    assert near == []
    assert page_wide == second.bylines() == [("byline", "By Jane Doe", "By Jane Doe")]
    third = read_visible(lxml.html.document_fromstring(HEADLINE_PAGE))
    assert third._bylines_in(visible._iter_matching(third.doc, visible._is_byline_candidate)) == page_wide


def test_element_text_limit_is_the_start_of_the_whole_text() -> None:
    # Long text with entities, invisible characters and white-space runs at
    # every place a walk may stop.
    cells = "".join(
        f"<p>  w{i}&amp;x\u00ad <b>&nbsp;&CounterClockwiseContourIntegral;</b>\n\t</p>{'&amp;' * (i % 3)} tail{i}  "
        for i in range(300)
    )
    el = lxml.html.fragment_fromstring(f"<div>{cells.replace('&amp;&amp;', '&amp; &amp;')}</div>")
    whole = visible.element_text(el)
    assert whole and len(whole) > 5000
    for limit in (1, 10, 100, 1000, 2000, 10_000):
        for spaced in (False, True):
            expected = visible.element_text(el, spaced=spaced)
            assert visible.element_text(el, spaced=spaced, limit=limit) == expected[:limit]
    assert visible.element_text(lxml.html.fragment_fromstring("<div> </div>"), limit=10) is None


def test_label_blocks_cover_elements_after_the_closing_html_tag() -> None:
    # libxml2 puts a second <html> after the first as a sibling of the root.
    doc = lxml.html.document_fromstring(
        "<html><body><p>Text</p></body></html><html><a><b>Von Jane Doe</b></a></html>"
    )
    assert list(doc.itersiblings())
    page = read_visible(doc)
    assert page._label_candidates(400) == LABEL_XPATH(doc)
    assert [el.tag for el in page._label_candidates(400)] == ["p", "b"]


def test_text_around_headline_does_not_depend_on_which_lxml_proxies_are_alive() -> None:
    # Its verdicts per parent element were keyed by id(): lxml frees a proxy
    # nobody holds, and the next one may get its id and then its verdict
    # ("Other 2" of a related list read as text, paragraphs left out).
    from newsarchive.extraction.page import parse_html

    headline = "The headline of the story"
    html = (f"<html><body><div><h1>{headline}</h1>"
            + "".join(f'<ul class="related-links"><li><a href="/x{i}">Other {i}</a></li></ul>'
                      f"<p>Text <b>{i}</b> more</p>" for i in range(6))
            + "</div></body></html>").encode()
    texts = []
    for hold in (False, True):
        doc = parse_html(html)
        alive = list(doc.iter()) if hold else []
        page = visible.read_visible(doc)
        page.set_headline(headline)
        texts.append(page.text_around_headline(headline))
        del alive
    assert texts[0] == texts[1]
    assert texts[0].startswith("Text 0 more Text 1 more Text 2 more")
    assert "Other" not in texts[0]
