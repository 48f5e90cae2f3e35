"""The body extraction's fast paths give the verdicts of the rules they stand for.

Each test checks a fast path (substring tests, a translate table, a simpler
pattern) against the reference it replaces (the regexes or the camelCase word
split), on the cases where they could part: any letter case, non-ASCII text,
characters that only Unicode case folding relates.
"""
from __future__ import annotations

import re

import lxml.html
import pytest

from newsarchive.extraction import boilerplate
from newsarchive.extraction import body as body_mod
from newsarchive.extraction import visible

# Readability's class weights as the regexes read them (the reference).
_POSITIVE_REF = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|artikel|texto|contenu|cuerpo|inhalt",
    re.I)
_NEGATIVE_REF = re.compile(
    r"-ad-|hidden|banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|media|meta|outbrain|promo|"
    r"related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|teaser|recommend|"
    r"newsletter|nav|menu", re.I)

CLASS_VALUES = [
    "entry-content", "ENTRY-CONTENT", "wp-block-group__inner-container col-md-8", "post-42 sidebar-left",
    "ArticleBody", "commentList", "site-footer", "x-ad-slot", "com-box", "plain", "", "Inhalt",
    "skyscraper-BANNER", "story media", "h-entry", "ContentMain Sidebar",
    # Non-ASCII: the regexes' case folding also relates "\u212a" (Kelvin) to "k",
    # "\u017f" (long s) to "s" and "\u0131" (dotless i) to "i".
    "Ba\u212ar", "\u017fhare-bar", "med\u0131a", "contenu-\u00e9dito", "st\u00f6ry", "\u0130nhalt",
]


@pytest.mark.parametrize("value", CLASS_VALUES)
def test_class_weight_is_the_regexes_verdict(value):
    body_mod._weight_cache.clear()
    expected = (25 if _POSITIVE_REF.search(value) else 0) - (25 if _NEGATIVE_REF.search(value) else 0)
    assert body_mod._value_weight(value) == expected


def test_class_weight_words_are_the_regexes_words():
    assert body_mod._POSITIVE.pattern.replace("\\", "") == _POSITIVE_REF.pattern
    assert body_mod._NEGATIVE.pattern.replace("\\", "") == _NEGATIVE_REF.pattern


def test_class_weight_reads_case_and_substrings():
    body_mod._weight_cache.clear()
    assert body_mod._value_weight("mainArticle") == 25
    assert body_mod._value_weight("SIDEBAR") == -25
    assert body_mod._value_weight("post-sidebar") == 0  # both
    assert body_mod._value_weight("s\u212ayscraper") == -25  # "\u212a" (Kelvin) is a "k" to re.I
    assert body_mod._value_weight("\u017fhare") == -25  # and the long s an "s"


INVISIBLE_CASES = [
    "", "plain ascii text", "Ita\u00adli\u00adens", "zero\u200bwidth", "word\u2060joiner", "\ufeffbom",
    "caf\u00e9 \u201cquoted\u201d", "\u200c\u200d joiners are kept", "\u00a0no-break space",
]


@pytest.mark.parametrize("text", INVISIBLE_CASES)
def test_has_invisible_is_the_regex_search(text):
    assert body_mod._has_invisible(text) is (body_mod._INVISIBLE.search(text) is not None)


def _fold_reference(text: str | None) -> str:
    if not text:
        return ""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


FOLD_CASES = [
    None, "", "By Jane Doe | 12 March 2020, 10:45 a.m. EDT", "Council votes\tto close\nthe old bridge!",
    "snake_case stays_one word", "\x1c\x1dcontrol\x1fchars", "Stra\u00dfe \u2013 ein Bericht", "\u017fo",
    "Ma\u00f1ana, en Espa\u00f1a", "\u65e5\u672c\u8a9e\u3001\u30c6\u30b9\u30c8", "\u0130stanbul", "A.B.C.",
]


@pytest.mark.parametrize("text", FOLD_CASES)
def test_fold_is_the_regex_fold(text):
    assert body_mod._fold(text) == _fold_reference(text)


TOKENS = [
    "related-articles", "relatedArticles", "RelatedArticles", "related_posts", "comments-open", "commentlinks",
    "commentary", "has-comments", "entry-content-read-more", "mainContent__legend", "article__content--social",
    "ad", "AD", "adSlot", "header", "col-md-8", "x2y3comment", "caf\u00e9-share", "\u00c9dition-related",
]


def _words_reference(token: str) -> list[str]:
    return [w.lower() for w in boilerplate._WORD.findall(token)]


@pytest.mark.parametrize("token", TOKENS)
def test_lower_case_tokens_are_cut_as_camel_case_ones(token):
    if token.lower() == token:
        assert boilerplate._LOWER_WORD.findall(token) == _words_reference(token)


def test_token_verdicts_do_not_depend_on_the_memo():
    verdicts = {}
    for token in TOKENS:
        boilerplate._token_verdicts.pop(token, None)
        verdicts[token] = boilerplate.token_rule(token)
        assert boilerplate.token_rule(token) == verdicts[token]  # from the memo
    assert verdicts["related-articles"] == verdicts["relatedArticles"] == "related"
    assert verdicts["commentlinks"] == "comments"  # the stem
    assert verdicts["commentary"] is None  # a stem exception
    assert verdicts["comments-open"] is None  # a state word
    assert verdicts["has-comments"] is None  # a qualifier
    assert verdicts["adSlot"] == verdicts["ad"] == "advertisement"
    assert verdicts["header"] is None and verdicts["col-md-8"] is None
    assert verdicts["caf\u00e9-share"] == "share"


COLLAPSE_CASES = [
    "", "one line of text", "two  spaces", " leading", "trailing ", "tab\there", "line\nbreak",
    "no\xa0break", "thin\u2009space", "ideographic\u3000space", "next\x85line", "file\x1cseparator",
    "zero\u200bwidth is no white space", "caf\u00e9 \u201cquoted\u201d", "\u65e5\u672c\u8a9e \u30c6\u30b9\u30c8",
]


@pytest.mark.parametrize("text", COLLAPSE_CASES)
def test_is_collapsed_only_when_splitting_changes_nothing(text):
    if boilerplate.is_collapsed(text):
        assert " ".join(text.split()) == text


def test_is_collapsed_on_written_blocks():
    assert boilerplate.is_collapsed("Engineers said the structure, built in 1887, could no longer carry traffic.")
    assert not boilerplate.is_collapsed("two  spaces")
    assert not boilerplate.is_collapsed("thin\u2009space")
    # Every white space character but the space is unprintable: the test holds for all of them.
    assert all(not chr(c).isprintable() for c in range(0x110000) if chr(c).isspace() and chr(c) != " ")


def test_judge_block_same_on_collapsed_and_uncollapsed_text():
    boilerplate.judge_block.cache_clear()
    for text in ("Related articles", "Related\u2009 articles", "  Subscribe to our newsletter  ",
                 "Subscribe to our newsletter", "The council voted on Tuesday to close the old bridge."):
        assert boilerplate.judge_block(text) == boilerplate.judge_block(" ".join(text.split()))


def test_literal_run_is_a_substring_of_every_match():
    assert boilerplate.literal_run(r"\((anzeige|werbung)\)$") == "("
    assert boilerplate.literal_run(r"ab(c|d)efg") == "efg"
    assert boilerplate.literal_run(r"x*") == ""
    for rule in boilerplate.TEXT_RULES + boilerplate.CONTAINER_HEADINGS:
        needle = boilerplate.literal_run(rule.pattern)
        for text in ("(anzeige)", "bild (foto: jane doe)", "(getty images)", "text (advertisement)"):
            if re.search(rule.pattern, text):
                assert needle in text


def test_rules_without_a_needle_get_their_literal_run():
    compiled = boilerplate.compile_text_rules(boilerplate.TEXT_RULES)
    needles = {pattern.pattern: needle for needle, _, _, pattern in compiled.floating}
    assert needles[r"\((anzeige|werbung)\)$"] == "("
    assert compiled.match("ein text (anzeige)") == "advertisement"
    assert compiled.match("ein text ohne klammern anzeige") is None


def test_anchored_rules_are_tried_only_when_their_literal_occurs():
    compiled = boilerplate.compile_text_rules(boilerplate.TEXT_RULES)
    needles = {pattern.pattern: compiled._needles[i] for i, _, pattern, _ in compiled.anchored}
    assert needles[r".{0,90}\b(findest du|finden sie|findet ihr|lest ihr|lesen sie) hier\W*$"] == " hier"
    for i, _, pattern, _ in compiled.anchored:
        assert compiled._needles[i] == boilerplate.literal_run(pattern.pattern)
    # A rule that ignores case matches its literal in any case: it gets no needle.
    folded = boilerplate.compile_text_rules((boilerplate.TextRule("promo", "en", r"^(?i)x*Buy now", 80),))
    assert folded._needles == {0: ""}
    assert folded.match("xxbuy NOW") == "promo"


# Texts each rule with a needle matches (the needle occurs), and near misses
# (the needle occurs, the rule does not match; or it is absent).
NEEDLE_TEXTS = [
    "die rezepte findest du hier", "die rezepte findest du hier:", "die rezepte findest du dort", "hier",
    "jan. 5, 2020 updated", "jan. 5, 2020", "kontakt: jane.doe@example.com", "mail me @ home",
    "previous: the old story", "previous story", "photo credit: jane doe", "credit where due",
    "12. märz 2020", "lesen sie auch", "4 kommentare", "teilen auf facebook", "",
]


@pytest.mark.parametrize("rules", [boilerplate.TEXT_RULES, boilerplate.CONTAINER_HEADINGS], ids=["text", "container"])
def test_needles_keep_the_verdict_of_every_anchored_rule(rules):
    compiled = boilerplate.compile_text_rules(rules)
    for text in NEEDLE_TEXTS:
        expected = None
        for rule in rules:
            if rule.pattern.startswith("^") and len(text) <= rule.max_chars and re.match(rule.pattern, text):
                expected = rule.name
                break
        else:
            for rule in rules:
                if not rule.pattern.startswith("^") and len(text) <= rule.max_chars and re.search(rule.pattern, text):
                    expected = rule.name
                    break
        assert compiled.match(text) == expected, text


def _choose_container_reference(root, scores):
    """``choose_container`` measuring the link density of all eight top candidates."""
    if not scores:
        return root, 0.0
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:8]
    adjusted = []
    for el, score in ranked:
        if el.tag in ("html", "body"):
            adjusted.append((el, score * 0.5))
            continue
        adjusted.append((el, score * (1 - body_mod._link_density(el))))
    adjusted.sort(key=lambda kv: kv[1], reverse=True)
    top, top_score = adjusted[0]
    strong = [el for el, s in adjusted[1:5] if s >= 0.75 * top_score
              and not body_mod._is_ancestor(el, top) and not body_mod._is_ancestor(top, el)]
    if len(strong) >= 2:
        node = top.getparent()
        while node is not None and node.tag not in ("body", "html"):
            if sum(1 for el in strong if body_mod._is_ancestor(node, el)) >= 2:
                top = node
                top_score = max(top_score, scores.get(node, 0.0))
                break
            node = node.getparent()
    while True:
        parent = top.getparent()
        if parent is None or parent.tag in ("body", "html") or len(parent) != 1:
            break
        top = parent
    return top, top_score


_PROSE = "The council voted on Tuesday, after a long debate, to close the old bridge, which was built in 1887. "


def _container_pages():
    p = f"<p>{_PROSE * 2}</p>"
    links = "".join(f'<a href="/s{i}">Another story of the day, number {i}</a>' for i in range(8))
    yield f"<html><body><div class=main><article><div class=body>{p * 6}</div></article></div></body></html>"
    # The article split in sections under one ancestor (the strong candidates).
    yield ("<html><body><div class=wrap>" + "".join(f"<section><div>{p * 3}</div></section>" for _ in range(4))
           + "</div></body></html>")
    # A link-heavy box that scores high before its penalty.
    yield (f"<html><body><div class=content>{p * 4}</div><div class=teasers><p>{links}, {links}</p>"
           f"<p>{links}, {links}</p></div></body></html>")
    # Paragraphs straight in <body>: the page itself is a candidate.
    yield f"<html><body>{p * 5}<div>{p}</div></body></html>"
    # Negative class weights only.
    yield f"<html><body><div class=sidebar><div class=footer>{p}</div></div></body></html>"


def _corpus_pages(step: int = 13):
    from pathlib import Path

    from newsarchive.evaluation import read_corpus, read_page

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not (corpus / "corpus.jsonl").exists():
        return []
    return [read_page(corpus, row) for row in read_corpus(corpus)[::step]]


def test_choose_container_skips_candidates_that_cannot_win(monkeypatch):
    from newsarchive.extraction.page import parse_html

    measured = []
    real = body_mod._link_density
    monkeypatch.setattr(body_mod, "_link_density", lambda el, *a, **k: measured.append(el) or real(el, *a, **k))
    pages = list(_container_pages()) + _corpus_pages()
    skipped = 0
    for html in pages:
        for variant in range(2):
            root = parse_html(html).find("body")
            if variant:
                body_mod.prune(root, None, None, [])
            scores, _ = body_mod.score_candidates(root)
            measured.clear()
            chosen = body_mod.choose_container(root, scores)
            candidates = min(8, len(scores))
            skipped += candidates - len(measured) - sum(1 for el in scores if el.tag in ("html", "body"))
            assert chosen == _choose_container_reference(root, scores)
    assert skipped > 0  # the fast path was taken


@pytest.mark.parametrize("text", ["", " ", "\t\n\r\x0b\x0c", "\u3000\u2029\x85\xa0\u200a", "\x1c\x1d\x1e\x1f", "\u200b", " x "])
def test_blank_page_test_is_the_strip_test(text):
    from newsarchive.extraction import page as page_mod

    assert (not text or text.isspace()) is (not text.strip())
    if not text.strip():  # a blank page is an empty document, as before
        parsed = page_mod.parse_html(text.encode())
        assert page_mod.etree.tostring(parsed) == page_mod.etree.tostring(page_mod._empty_document())


def test_iter_matching_is_the_filtered_walk():
    from lxml import etree

    from newsarchive.extraction import visible
    from newsarchive.extraction.page import parse_html

    pages = list(_container_pages()) + _corpus_pages(step=29) + [
        b'<html><body><address>Jane</address><a rel="author" href="/author/jane">Jane</a>'
        b'<h2 class="entry-title">Title</h2><span class="date">1 May</span></body></html>']
    for html in pages:
        doc = parse_html(html)
        for test in (visible._is_byline_candidate, visible._is_heading_fallback, visible._is_time_candidate):
            walk = [el for el in doc.iter(etree.Element) if test(el)]
            assert list(visible._iter_matching(doc, test, include_self=True)) == walk
            assert list(visible._iter_matching(doc, test)) == [el for el in walk if el is not doc]


def test_collected_elements_hold_what_the_body_reads():
    from newsarchive.extraction import loader

    assert {"script", "h1"} <= set(loader._COLLECTED_TAGS)


_HEADLINE_PAGES = [
    # The headline's <h1> after a logo <h1>, JSON-LD with an articleBody longer than the page.
    ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bridge closes",'
     f' "articleBody": "{_PROSE * 12}"}}</script></head><body><h1 class=logo>Daily</h1>'
     f'<article><h1>Bridge closes</h1><p>{_PROSE}</p></article></body></html>'),
    # No <h1> inside <body>, one in <head> (broken markup), scripts in both.
    (f'<html><head><h1>Bridge closes</h1><script>var x = 1;</script></head><body><div class=content><p>{_PROSE * 3}'
     '</p><script type="application/ld+json">{"articleBody": "short"}</script></div></body></html>'),
    # Elements after </html> and no <body> element of its own.
    f'<h1>Bridge closes</h1><p>{_PROSE * 3}</p></html><h1>After the end</h1><p>{_PROSE}</p>',
]


def test_body_reads_the_collected_scripts_and_headings_as_its_own_walks():
    import dataclasses

    from newsarchive.extraction.config import DEFAULT_CONFIG
    from newsarchive.extraction.loader import collect_elements, load_metadata
    from newsarchive.extraction.page import parse_html

    for html in _HEADLINE_PAGES + list(_container_pages()) + _corpus_pages(step=23):
        results = []
        for collected in (False, True):
            doc = parse_html(html)
            elements = collect_elements(doc)
            article = load_metadata(doc, "https://example.com/a", config=DEFAULT_CONFIG, elements=elements)
            result = body_mod.extract_body(doc, article, DEFAULT_CONFIG, elements if collected else None)
            results.append((result.text, [dataclasses.astuple(d) for d in result.dropped]))
        assert results[0] == results[1]


def test_headline_element_reads_only_the_collected_headings_inside_the_root():
    from newsarchive.extraction.loader import collect_elements
    from newsarchive.extraction.page import parse_html

    for html in _HEADLINE_PAGES:
        doc = parse_html(html)
        root = doc.find("body")
        h1s = [el for el in collect_elements(doc) if el.tag == "h1"]
        for headline in ("Bridge closes", "After the end", None):
            assert (body_mod._headline_element(root, headline, h1s)
                    is body_mod._headline_element(root, headline))


def test_a_dek_outside_the_container_equal_to_the_standfirst_is_dropped_and_a_paragraph_is_kept():
    dek = "Der Gemeinderat schließt die alte Brücke – nach einer langen Debatte über ihre Zukunft."
    dropped: list = []
    article = body_mod.Article(url="https://example.com/a", standfirst=dek)
    writer = body_mod._Writer(article, dropped, boilerplate.container_rules())
    from newsarchive.extraction.page import parse_html

    doc = parse_html(f'<html><body><p class="standfirst">{dek}</p><p>{dek}</p></body></html>'.encode())
    dek_el, plain = doc.find("body")
    for el in (dek_el, plain):
        writer.walk(el)
    assert [d.rule for d in dropped] == ["standfirst"]
    assert [b.text for b in writer.blocks] == [dek]



def test_prune_returns_the_elements_its_walk_visited_before_pruning():
    # extract_body holds them so that the score pass and the writer reuse
    # their lxml proxies: they must be the walk's elements, in its order,
    # on the tree as it was before any box was dropped.
    from newsarchive.extraction.page import parse_html

    def key(el):
        return el.tag, el.get("class"), el.sourceline

    pages = list(_container_pages()) + _corpus_pages(step=31)
    for html in pages:
        root = parse_html(html).find("body")
        reference = parse_html(html).find("body")
        body_mod.etree.strip_elements(reference, *boilerplate.JUNK_TAGS, with_tail=False)
        expected = [key(el) for el in reference.iter(*body_mod._RULE_TAGS, "a", "p")]
        dropped: list = []
        visited = body_mod.prune(root, None, None, dropped)
        assert [key(el) for el in visited] == expected
    assert pages


def _iter_matching_walk_reference(root, test, include_self, skip, known):
    """The Python walk of every element that ``visible._iter_matching_walk`` replaced."""
    from lxml import etree

    walker = etree.iterwalk(root, events=("start",))
    for _event, el in walker:
        if el is skip:
            if (include_self or el is not root) and test(el):
                yield el
            walker.skip_subtree()
            continue
        if el is not root:
            searched = known.get(id(el))
            if searched is not None and searched[0] is el:
                yield from searched[1]
                walker.skip_subtree()
                continue
        elif not include_self:
            continue
        if test(el):
            yield el


def test_walk_leaving_out_subtrees_is_the_python_walk():
    from lxml import etree

    from newsarchive.extraction import visible
    from newsarchive.extraction.page import parse_html

    tests = (visible._is_byline_candidate, visible._is_time_candidate, visible._is_submitted,
             lambda el: True)
    pages = list(_container_pages()) + _corpus_pages(step=67) + [
        b'<html><body><div id=a><address>Jane</address><div id=b><a rel="author" href="/author/jane">Jane</a>'
        b'<span class="date">1 May</span></div><p class="byline">By Jane</p></div>'
        b'<div id=c><span class="submitted">x</span></div></body></html>']
    compared = 0
    for html in pages:
        doc = parse_html(html)
        elements = list(doc.iter(etree.Element))
        picks = elements[:: max(1, len(elements) // 4)] + [elements[-1]]
        for i, skip in enumerate([None, *picks]):
            for root in (doc, picks[len(picks) // 2], skip if skip is not None else doc):
                # Known subtrees: a run of siblings (as the blocks next to a
                # headline are), one holding or inside the skipped element, one outside root.
                blocks = []
                anchor = picks[i % len(picks)]
                parent = anchor.getparent()
                if parent is not None:
                    blocks += [el for el in parent.iterchildren(etree.Element)][:6]
                    blocks.append(parent)
                if skip is not None and skip.getparent() is not None:
                    blocks.append(skip.getparent())
                blocks.append(doc)
                for test in tests:
                    known = {id(b): (b, list(visible._iter_matching(b, test, include_self=True))) for b in blocks}
                    for k in (known, {}):
                        for include_self in (False, True):
                            got = list(visible._iter_matching_walk(root, test, include_self, skip, k))
                            want = list(_iter_matching_walk_reference(root, test, include_self, skip, k))
                            assert got == want
                            compared += 1
    assert compared > 1000


@pytest.mark.parametrize("value", CLASS_VALUES + ["related-posts", "comments", "nav main-nav", "Share__bar"])
def test_rule_cache_gives_the_attribute_rule(value):
    body_mod._rule_cache.clear()
    expected = boilerplate.attribute_rule_for(value)
    assert body_mod._rule_cache[value] == expected  # a miss
    assert body_mod._rule_cache[value] == expected  # a hit
    assert value in body_mod._rule_cache


def test_rule_cache_stays_bounded():
    body_mod._rule_cache.clear()
    body_mod._rule_cache.update((f"c{i}", None) for i in range(50_001))
    assert body_mod._rule_cache["sidebar"] == boilerplate.attribute_rule_for("sidebar")
    assert len(body_mod._rule_cache) == 1
    body_mod._rule_cache.clear()


_TEXT_PAGES = [
    b"<html><body><div>lead <b>bold</b> tail<br>line &amp; &eacute; &#8212; <i></i>end</div>after</body></html>",
    "<html><body><p>Caf\u00e9 \u201cquoted\u201d <a href='/x'>link<span> in</span></a> \u65e5\u672c</p>"
    "<script>var x = '<p>';</script><style>p {}</style><p></p><br/><textarea>raw <b>text</b></textarea>"
    "<!-- a comment --><p>x<?pi y?>z</p></body></html>".encode(),
    b"",  # an empty document
]


def test_text_content_is_lxml_text_content():
    # The text serializer gives what the XPath string() of text_content
    # gives, on every element of the page (tails left out), and on a subtree
    # cut from its tree as prune's drop_tree leaves it.
    from lxml import etree

    from newsarchive.extraction.page import parse_html

    compared = 0
    for html in _TEXT_PAGES + list(_container_pages()) + _corpus_pages(step=7):
        doc = parse_html(html)
        elements = list(doc.iter(etree.Element))
        for el in elements:
            assert body_mod._text_content(el) == el.text_content()
            compared += 1
        for el in elements[len(elements) // 2::5]:
            if el.getparent() is not None:
                el.drop_tree()
                assert body_mod._text_content(el) == el.text_content()
    assert compared > 10_000


def _parse_html_reference(html, headers=None):
    """parse_html as it was: the page decoded first, its own bytes handed to
    lxml only when they decoded as UTF-8 without a replacement character."""
    from newsarchive.extraction import page as page_mod

    if not html or page_mod._looks_binary(html, headers):
        return page_mod._empty_document()
    text, codec = page_mod._decode(html, headers)
    if not text or text.isspace():
        return page_mod._empty_document()
    if codec == "utf-8" and isinstance(html, bytes) and "\ufffd" not in text:
        data = html
    else:
        data = text.encode("utf-8", "replace")
    # Parsed as it is now (past libxml2's depth limit too): the fast path is what is compared.
    return page_mod._parse_bytes(data)


_BAD_UTF8 = [b"\xfc", b"\xc3", b"\xc0\xaf", b"\xc1\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80",
             b"\xe2\x82", b"\x80", b"\xbf", b"\xe0\x80\x80", b"\xe0\x9f\xbf", b"\xf0\x80\x80\x80", b"\xf0\x8f\xbf\xbf",
             b"\xf5\x80\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xfe", b"\xff", b"\xf0\x9f\x98"]
_GOOD_UTF8 = [b"\xc3\xa9", b"\xe2\x80\x9c", b"\xef\xbf\xbd", b"\xef\xbf\xbe", b"\xf0\x9f\x98\x80", b"\xf4\x8f\xbf\xbf",
              b"\xc2\xa0", b"\xe3\x80\x80"]
_BYTE_PLACES = [
    b"<html><body><p>a%sb</p></body></html>", b"<html><head><title>a%s</title></head></html>",
    b"<html><head><script>var a='%s';</script></head><body></body></html>",
    b"<html><body><!-- a%s --><p>x</p></body></html>", b"<html><body><p class='a%s'>x</p></body></html>",
    b"<html><body><p%s>x</p></body></html>", b"<!DOCTYPE html%s><html></html>",
    b"<html><body><p>x</p></body></html>%s", b"%s", b"%s<p>x</p>", b"  %s", b"\n<p>%s",
    b"<html><body><textarea>%s</textarea></body></html>", b"<html><body><p>&amp%s;</p></body></html>",
    b"<html><body><p>" + b"x" * 70000 + b"%s</p></body></html>",
    # As many errors as libxml2 reports, or more, before the byte.
    *(b"<html><body>" + b"</x>" * n + b"<p>a%sb</p></body></html>" for n in (98, 99, 100, 101, 500)),
    b"<html><body>" + b"<x:y>" * 500 + b"<p>a%sb</p></body></html>",
]


def test_parse_html_without_decoding_is_the_decoding_parse(monkeypatch):
    # Valid and invalid UTF-8 in every part of a page, blank pages, pages
    # with many parse errors, other encodings, and corpus pages: the same
    # tree as when every page was decoded first.
    from newsarchive.extraction import page as page_mod

    decoded = []
    real = page_mod._decode
    monkeypatch.setattr(page_mod, "_decode", lambda *a: decoded.append(1) or real(*a))
    pages = [place.replace(b"%s", seq) for seq in _BAD_UTF8 + _GOOD_UTF8 for place in _BYTE_PLACES]
    pages += [b"", b" ", b"\x1c\x1d<p>x</p>", b"\xc2\xa0\xe3\x80\x80", b"\xc2\xa0<p>x</p>", b"\xef\xbb\xbf<p>x</p>", b" \xef\xbb\xbf ",
              b"\xef\xbb\xbf", "<p>\u00e9</p>".encode("utf-16"), '<meta charset="latin-1"><p>\xe9</p>'.encode("latin-1"),
              b'<meta charset="utf-8"><p>\xe9</p>', b'<meta charset="bogus-enc"><p>\xc3\xa9</p>']
    pages += _TEXT_PAGES + [p.encode() for p in _container_pages()] + _corpus_pages(step=3)
    fast = 0
    for html in pages:
        for headers in (None, {"Content-Type": "text/html; charset=utf-8"}, {"Content-Type": "text/html; charset=cp1252"}):
            decoded.clear()
            got = page_mod.etree.tostring(page_mod.parse_html(html, headers))
            fast += not decoded
            assert got == page_mod.etree.tostring(_parse_html_reference(html, headers)), (html[:80], headers)
    assert fast >= len(pages) // 2  # the fast path was taken


def test_text_content_of_a_leaf_is_its_text(monkeypatch):
    # Elements without children are read through .text, not the serializer:
    # the same string, entity references and CDATA-like content included.
    from lxml import etree

    from newsarchive.extraction.page import parse_html

    serialized = []
    real = body_mod.etree.tostring
    leaves = 0
    pages = _TEXT_PAGES + [b"<p>a &unknown; b</p><p>&amp;&lt;&#160;&#x1F600;</p><p></p><p> </p>"] + _corpus_pages(step=11)
    for html in pages:
        for el in parse_html(html).iter(etree.Element):
            if len(el):
                continue
            monkeypatch.setattr(body_mod.etree, "tostring", lambda *a, **k: serialized.append(1) or real(*a, **k))
            got = body_mod._text_content(el)
            monkeypatch.setattr(body_mod.etree, "tostring", real)
            assert got == etree.tostring(el, method="text", encoding="unicode", with_tail=False) == el.text_content()
            leaves += 1
    assert leaves > 5_000 and not serialized


def test_prune_ancestor_test_is_the_any_over_ancestors():
    # prune asks "is this element inside a box already dropped" with
    # set.isdisjoint over iterancestors(); the same answer as any() over
    # the ancestors, for sets holding ancestors, non-ancestors and nothing.
    import random

    from lxml import etree

    from newsarchive.extraction.page import parse_html

    rng = random.Random(7)
    checked = 0
    for html in list(_container_pages()) + _corpus_pages(step=17):
        elements = list(parse_html(html).iter(etree.Element))
        for _ in range(40):
            boxes = set(rng.sample(elements, min(len(elements), rng.choice((1, 3, 10)))))
            for el in rng.sample(elements, min(len(elements), 25)):
                assert (not boxes.isdisjoint(el.iterancestors())) is any(anc in boxes for anc in el.iterancestors())
                checked += 1
    assert checked > 10_000


def test_prune_drops_the_same_boxes_as_with_the_any_test(monkeypatch):
    # The whole pass, before and after: the same dropped blocks, the same tree.
    import inspect

    from newsarchive.extraction.page import parse_html

    # The two tests live in the walk (comment threads) and in _drop_boxes;
    # prune is compiled again beside them so that it calls the reference ones.
    source = "\n\n".join(inspect.getsource(part) for part in (body_mod._RuleWalk, body_mod._drop_boxes, body_mod.prune))
    reference_source = source.replace("not gone.isdisjoint(el.iterancestors())",
                                      "any(anc in gone for anc in el.iterancestors())")
    reference_source = reference_source.replace("boxes.isdisjoint(el.iterancestors())",
                                                "not any(anc in boxes for anc in el.iterancestors())")
    assert reference_source.count("any(anc in") == 2
    namespace = dict(vars(body_mod))
    exec(compile(reference_source, "prune_reference", "exec"), namespace)
    reference = namespace["prune"]
    for html in list(_container_pages()) + _corpus_pages(step=5):
        got_dropped, want_dropped = [], []
        got_root, want_root = parse_html(html), parse_html(html)
        body_mod.prune(got_root, None, None, got_dropped)
        reference(want_root, None, None, want_dropped)
        assert got_dropped == want_dropped
        assert body_mod.etree.tostring(got_root) == body_mod.etree.tostring(want_root)


def test_holds_word_is_any_over_the_words():
    # The caption tests' loop gives any()'s answer, on every class/id string
    # of crafted and corpus pages and on edge cases.
    from lxml import etree

    from newsarchive.extraction import captions
    from newsarchive.extraction.page import parse_html

    values = ["", " ", "related", "xrelatedx", "nav", "Nav".lower(), "credit photo", "wp-caption", "main content"]
    for html in _TEXT_PAGES + list(_container_pages()) + _corpus_pages(step=9):
        values += [captions._classes(el) for el in parse_html(html).iter(etree.Element)]
    hits = 0
    for value in values:
        for words in (captions.FOREIGN_CONTAINER_WORDS, captions.CREDIT_CLASS_WORDS, ()):
            want = any(w in value for w in words)
            assert captions._holds_word(value, words) is want
            hits += want
    assert len(values) > 5_000 and hits > 100


@pytest.mark.parametrize("rules", [boilerplate.TEXT_RULES, boilerplate.CONTAINER_HEADINGS], ids=["text", "container"])
def test_buckets_cut_from_the_rules_of_a_first_character_are_the_filtered_rules(rules):
    # The old construction: every anchored rule tested for each new bucket.
    compiled = boilerplate.compile_text_rules(rules)
    for first in [*sorted(compiled._firsts), "", "x", "评"]:
        key = first if first in compiled._firsts else ""
        for cap in compiled.tier_caps:
            expected = tuple(
                (pattern.match, name, compiled._needles[i]) for i, name, pattern, firsts in compiled.anchored
                if compiled.caps[i] >= cap and (firsts is None or (key and key in firsts)))
            assert compiled._bucket(cap, first) == expected, (cap, first)


@pytest.mark.parametrize("rules", [boilerplate.TEXT_RULES, boilerplate.CONTAINER_HEADINGS], ids=["text", "container"])
def test_rules_indexed_by_first_character_are_the_filtered_rules(rules):
    # The filter _first_rules ran per new character before the index was built in one pass.
    compiled = boilerplate.compile_text_rules(rules)
    for first in [*sorted(compiled._firsts), ""]:
        expected = tuple(
            (compiled.caps[i], pattern.match, name, compiled._needles[i]) for i, name, pattern, firsts in compiled.anchored
            if firsts is None or (first and first in firsts))
        assert compiled._first_rules(first) == expected, first


FIRST_SENTENCE_LINES = [
    "", "short.", "exactly8. x", "1234567. no", "12345678. yes", "a. b. c. d. e. the first real one. and more",
    "no end mark at all here but a long line " * 10, "ends with a mark.", "ends with a mark. ",
    "x" * 199 + ". late", "x" * 200 + ". later", "x" * 201 + ". too late", "x" * 300 + ". far",
    "what? yes! no. maybe", "e.g. the u.s. economy grew 3.5% in 2020. then", "tab?\tnext", "nbsp.\xa0next",
    "ideographic space!\u3000next", "see www.example.com. done", "...... dots. done",
]


def test_first_sentence_is_the_lazy_regex_match():
    lines = FIRST_SENTENCE_LINES + [" ".join(p.lower().split()) for page in _corpus_texts_of_bodies() for p in page]
    for line in lines:
        m = boilerplate._FIRST_SENTENCE.match(line)
        assert boilerplate.first_sentence(line) == (m.group(1) if m else None), line


def _corpus_texts_of_bodies(step: int = 13):
    from newsarchive.extraction.page import extract_article

    out = []
    for html in _corpus_pages(step):
        article = extract_article(html, "https://example.com/a")
        blocks = [b.text for b in article.dropped] + [article.body or ""]
        out.append([line for block in blocks for line in block.split("\n")])  # lines, as judge_block reads them
    return out


def test_word_count_given_to_the_cleaning_is_the_counted_one():
    # extract_article hands clean_article the word count load_page took;
    # without it, clean_article counts the cleaned body's words itself.
    from newsarchive.extraction.cleaning import clean_article
    from newsarchive.extraction.page import extract_article, load_article
    from newsarchive.items import Article

    pages = _corpus_pages(7) + [
        b"<html><body><p>Subscribe to our newsletter!</p><p>" + b"A real paragraph of text, long enough. " * 5 + b"</p></body></html>",
        b"<html><body><pre>a  b\n\n\n c</pre></body></html>", b"", b"<html><body></body></html>",
    ]
    for html in pages:
        raw = load_article(html, "https://example.com/a")
        assert raw.word_count in (None, len((raw.body or "").split()))
        expected = clean_article(raw)
        got = extract_article(html, "https://example.com/a")
        assert got.word_count == expected.word_count == (len(got.body.split()) if got.body else 0)
        assert got == expected
    # A count for a body that the cleaning changed is not used.
    article = Article(url="https://example.com/a", body="Subscribe to our newsletter!\n\nWords here.")
    assert clean_article(article, body_words=999).word_count == len(clean_article(article).body.split())


LANGUAGE_TEXTS = [
    "", "   ", "word " * 59, "word " * 60, "Der Hund und die Katze sind nicht hier. " * 30,
    "The cat and the dog. " * 100, ("Le chat et le chien. " * 80) + ("the and of " * 400),
    # A final sigma lowers by its neighbours: inside a word, at its end, alone.
    "ΟΔΟΣ ΣΤΗΝ ΑΘΗΝΑ Σ ΟΣ. " * 40 + "the and of is " * 20,
    "İstanbul ŞEHİR und die Stadt. " * 50, "\u00a0no-break\u2003spaces and\ttabs\nlines " * 40,
    ("Wort " * 500) + "the " * 400, "x" * 9000,
]


def test_text_language_check_is_the_check_of_the_split_words():
    # The body's language check lowers the opening once and splits it only
    # as far as the sample goes; the reference splits 8,000 characters and
    # lowers each word.
    from newsarchive.extraction.processors import (
        FUNCTION_WORDS, LANGUAGE_SAMPLE_CHARS, checked_language, checked_text_language,
    )

    texts = LANGUAGE_TEXTS + ["\n".join(lines) for lines in _corpus_texts_of_bodies(7)]
    declared = [None, "", "en", "en-US", "de-DE", "fr", "ja", "el", "tr", *FUNCTION_WORDS]
    for text in texts:
        for lang in declared:
            expected = checked_language(lang, (text or "")[:LANGUAGE_SAMPLE_CHARS].split())
            assert checked_text_language(lang, text) == expected, (lang, text[:80])
    assert checked_text_language("en", None) == "en"


def _is_foreign_reference(el):
    # captions._is_foreign before its verdicts on ancestors were shared.
    from newsarchive.extraction import captions

    node, depth = el.getparent(), 0
    while node is not None and depth < 12:
        if captions._is_foreign_box(node):
            return True
        node, depth = node.getparent(), depth + 1
    return False


def test_caption_foreign_test_with_shared_verdicts_is_the_walk_up():
    # extract_captions shares the verdicts on ancestors between a page's
    # captions; every element of a page, in document order and in reverse
    # (verdicts left by deeper and by shallower elements), gets the same answer.
    from lxml import etree

    from newsarchive.extraction import captions
    from newsarchive.extraction.page import parse_html

    pages = _corpus_pages(5) + [
        b"<html><body><aside><div><figure><figcaption>x</figcaption></figure></div></aside>"
        b"<div class='related-posts'><p><span>y</span></p></div>"
        b"<div id='Main'>" + b"<div>" * 14 + b"<p>deep</p>" + b"</div>" * 14 + b"</div></body></html>",
    ]
    for html in pages:
        elements = list(parse_html(html).iter(etree.Element))
        expected = [_is_foreign_reference(el) for el in elements]
        for order in (elements, elements[::-1]):
            boxes: dict = {}
            got = {el: captions._is_foreign(el, boxes) for el in order}
            assert [got[el] for el in elements] == expected


def test_caption_link_test_with_the_page_site_given_is_the_same():
    from newsarchive.extraction import captions
    from newsarchive.extraction.page import parse_html

    html = (b"<html><body><p id=a><a href='/x'>all linked</a></p><p id=b>Photo <a href='https://other.org/'>J</a></p>"
            b"<p id=c><a href='https://photos.example.com/1'>sub</a></p><button id=d>b</button></body></html>")
    doc = parse_html(html)
    for base in ("https://www.example.com/a", "https://example.com/a", "http://other.org/"):
        for el in doc.iter("p", "button"):
            assert captions._in_link(el, base, captions._page_site(base)) == captions._in_link(el, base)


def _processors_fold_reference(text):
    # processors.fold before it joined the word runs: runs of non-word
    # characters and underscores to a space, then the spaces collapsed.
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split()) if text else ""


def test_fold_joining_word_runs_is_the_substitution():
    from newsarchive.extraction.processors import fold

    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    texts = [every, " x ".join(every), "_".join(every[:5000]), "", None, "  ", "__a__b__", "ÉTÉ à Noël", "İSTANBUL",
             "ΟΔΟΣ Σ", "a\u00a0b\u2003c\u3000d", "x\u0301y", "١٢٣ ٤", "ＡＢＣ　ｄｅｆ", "tab\tnew\nline\rcr\x1ffs"]
    texts += [line for lines in _corpus_texts_of_bodies(11) for line in lines]
    fold.cache_clear()
    for text in texts:
        assert fold(text) == _processors_fold_reference(text), (text or "")[:60]


def test_caption_first_descendant_is_the_path_find():
    from lxml import etree

    from newsarchive.extraction import captions
    from newsarchive.extraction.page import parse_html

    pages = _corpus_pages(9) + [b"<html><body><figure><figure><img src=a></figure><figcaption>c<a>x</a>"
                                b"</figcaption></figure><sup><a>1</a></sup><img src=b></body></html>"]
    for html in pages:
        for el in parse_html(html).iter(etree.Element):
            for tag in ("figcaption", "img", "a"):
                assert captions._first_descendant(el, tag) is el.find(".//" + tag)


def test_unspaced_first_byte_test_misses_no_character_of_the_regex():
    # count_words skips the regex when the UTF-8 first-byte test says no
    # character of those scripts is there: it must never say so wrongly.
    from newsarchive.extraction import words

    for i in range(0x110000):
        if words._ANY_UNSPACED.search(chr(i)) is not None:
            assert words._may_hold_unspaced(chr(i)), hex(i)
    assert not words._may_hold_unspaced("caf\u00e9 \u201cquoted\u201d \u2014 \u20ac5 \ud800 lone surrogate")
    assert words._may_hold_unspaced("English and \u4e2d\u6587")


def test_word_count_with_the_first_byte_test_is_the_regex_count(monkeypatch):
    from newsarchive.extraction import words

    texts = ["\n".join(lines) for lines in _corpus_texts_of_bodies(7)] + [
        "caf\u00e9 \u201cquoted\u201d", "\u201c\u6570\u5b57\u201d\u8d4b\u80fd\u519c\u4e1a\uff0c and English",
        "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22 text", "\ud800 lone", "\U00020000 rare ideograph alone",
    ]
    counts = [words.count_words(t) for t in texts]
    monkeypatch.setattr(words, "_may_hold_unspaced", lambda text: True)
    assert counts == [words.count_words(t) for t in texts]


CREDIT_TEXTS = [
    "Photo: Jane Doe", "Protesters in the square. Photo: Jane Doe/Reuters", "Credit... Jane Doe", "Foto … AP",
    "Foto… AP", "Lanterns on the water (Photo: Ana Ruiz)", "PHOTO : JANE DOE", "Bild:Jane", "A caption, no credit",
    "Jets prepare (AFP/Getty Images)", "Source:", "Crédit photo : Jean", "Fotografía: Ana", "image credit: x y",
    "ratio 3:2 photo", "a.b.c... photo", "", "Photo Jane Doe",
]


def test_credit_label_search_is_the_regex_search():
    from newsarchive.extraction import processors
    from newsarchive.extraction.page import extract_article

    texts = list(CREDIT_TEXTS)
    for html in _corpus_pages(5):
        for caption in extract_article(html, "https://example.com/a").captions:
            texts += [caption.text, caption.credit or "", f"{caption.text} Photo: {caption.credit}"]
    for text in texts:
        got = processors._credit_label_search(text)
        expected = processors._CREDIT_LABEL_RE.search(text)
        assert (got and (got.span(), got.group("credit"))) == (expected and (expected.span(), expected.group("credit")))


def test_split_credit_pre_tests_give_the_regexes_split(monkeypatch):
    # split_credit tries its trailing patterns only on a text that ends in a
    # bracket or holds a sentence end and a space; with the pre-tests always
    # passing (the regexes on every text) every split is the same.
    from newsarchive.extraction import processors
    from newsarchive.extraction.page import extract_article

    texts = CREDIT_TEXTS + [
        "Jets prepare for the withdrawal (AFP/Getty Images)", "Jets (AFP).", "Jets [AP] .", "Jets (AP)\n",
        "Scene in 2019. J. Scott Applewhite / AP file", "Scene pasado. EFE", "Scene! Reuters", "Scene?\u00a0AP",
        "Scene.\tAP", "Scene. AP.", "A submitted photo", "Ein Archivfoto.", "(Foto: Jane Doe)", "© Jane Doe",
        "x (c) AP", " (left) ", "Fig. 3", "Caption (pictured)", "Caption [ Jane Doe ] . ",
    ]
    for html in _corpus_pages(5):
        for caption in extract_article(html, "https://example.com/a").captions:
            texts += [caption.text, f"{caption.text} ({caption.credit})", f"{caption.text}. {caption.credit}"]
    got = [processors.split_credit(t) for t in texts]
    monkeypatch.setattr(processors, "_may_end_in_brackets", lambda text: True)
    monkeypatch.setattr(processors, "_may_end_in_agency", lambda text: True)
    assert got == [processors.split_credit(t) for t in texts]


@pytest.mark.parametrize("part", visible.AUTHOR_PATH_PARTS)
def test_byline_candidate_links_spell_out_every_author_path_part(part: str) -> None:
    # _is_byline_candidate spells the folders out for speed; a folder added
    # to AUTHOR_PATH_PARTS alone would make author links and bylines disagree.
    link = lxml.html.fromstring(f'<a href="https://example.com{part.rstrip("/")}/jane-doe">Jane Doe</a>')
    assert visible._is_author_link(link)
    assert visible._is_byline_candidate(link)


def _rule_reference(el, tag: str) -> tuple[str, str | None]:
    """The prune walk's verdict on a box with attributes, read as the chain
    of tests it replaced: ("marked", None) for an articleBody, else
    ("rule", name or None)."""
    from newsarchive.extraction import boilerplate as bp

    keys = el.keys()
    rule = None
    if "role" in keys and el.get("role") in bp.JUNK_ROLES:
        rule = "role-" + el.get("role")
    elif ("aria-hidden" in keys and el.get("aria-hidden") == "true") or "hidden" in keys:
        rule = "hidden"
    elif "style" in keys and body_mod._HIDDEN_STYLE.search(el.get("style")):
        rule = "hidden"
    elif tag not in body_mod.STRUCTURAL_TAGS:
        if "class" in keys:
            rule = body_mod._rule_cache[el.get("class")]
        if not rule and "id" in keys:
            rule = body_mod._rule_cache[el.get("id")]
    if rule == "caption":
        return "rule", None
    if not rule and "itemprop" in keys:
        prop = el.get("itemprop")
        if prop == "articleBody":
            return "marked", None
        rule = bp.MICRODATA_RULES.get(prop) if prop and tag in body_mod.BOX_TAGS else None
    if not rule and "itemtype" in keys:
        rule = body_mod._microdata_type_rule(el.get("itemtype"))
    return "rule", rule


_RULE_ATTRIBUTES = [
    'class="share-bar"', 'class="entry-content"', 'class="wp-caption"', 'id="comments"', 'id="main"',
    'role="navigation"', 'role="main"', 'aria-hidden="true"', 'aria-hidden="false"', "hidden",
    'style="display: none"', 'style="color: red"', 'itemprop="articleBody"', 'itemprop="comment"',
    'itemprop="author"', 'itemtype="https://schema.org/Comment"', 'itemtype="https://schema.org/Person"',
    'data-x="1"',
]


@pytest.mark.parametrize("tag", ["div", "span", "article", "section"])
def test_prune_walk_reads_only_class_and_id_of_plain_boxes(tag: str) -> None:
    # Boxes without a role, hidden state, style or microdata skip those
    # tests (_state_rule runs only when one of them is there): every pair
    # of attributes gets the verdict of the full chain of tests.
    import itertools

    combos = [(a,) for a in _RULE_ATTRIBUTES] + list(itertools.combinations(_RULE_ATTRIBUTES, 2))
    html = "<html><body>" + "".join(f"<{tag} {' '.join(c)}>x</{tag}>" for c in combos) + "</body></html>"
    root = lxml.html.fromstring(html).find("body")
    expected_found, expected_marked = [], []
    for el in root:
        kind, rule = _rule_reference(el, tag)
        if kind == "marked":
            expected_marked.append(el)
        elif rule:
            expected_found.append((el, rule))
    walk = body_mod._RuleWalk(root)
    found = [(el, rule) for el, rule in walk.found if el.getparent() is root]
    assert found == expected_found and walk.marked == expected_marked
    assert body_mod._state_rule(root[0], root[0].keys()) is None  # a class alone names no state
