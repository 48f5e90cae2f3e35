"""The body extraction's fast paths give the verdicts of the rules they stand for.

Each test checks a fast path (substring tests, a translate table, a simpler
pattern) against the reference it replaces (the regexes or the camelCase word
split), on the cases where they could part: any letter case, non-ASCII text,
characters that only Unicode case folding relates.
"""
from __future__ import annotations

import re

import pytest

from newsarchive.extraction import boilerplate
from newsarchive.extraction import body as body_mod

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
