"""The compiled text rules give the verdict of the rules tried one by one,
in order (``boilerplate.CompiledTextRules``), whatever script a text starts
with; and the parser reads a page's UTF-8 bytes as it reads their text."""
from __future__ import annotations

import re

import pytest

from newsarchive.extraction import boilerplate
from newsarchive.extraction.page import decode_html, parse_html


def reference(rules: tuple[boilerplate.TextRule, ...], text: str) -> str | None:
    """The first rule, in rule order, whose pattern matches and whose
    ``max_chars`` admits the text: what the compiled form must give.
    Anchored rules come before the unanchored ones, as compiled."""
    n = len(text)
    for rule in rules:
        if rule.pattern.startswith("^") and n <= rule.max_chars and re.match(rule.pattern, text):
            return rule.name
    for rule in rules:
        if not rule.pattern.startswith("^") and n <= rule.max_chars and re.search(rule.pattern, text):
            return rule.name
    return None


SAMPLES = [
    "4 thoughts on “15 jahre”", "kommentare (3)", "share this article", "related articles", "advertisement",
    "read more: the council's plan", "12:45", "© 2024 example media", "foto: dpa", "1 of 8",
    "the council voted on tuesday to close the bridge, ending a decade of debate.",
    # First characters no rule names: other scripts, digits of other scripts, symbols.
    "评论 (12)", "コメント", "комментарии", "реклама", "تعليقات", "٣ تعليقات", "🏃 run", "→ weiter ←", "",
    "reklama", "» lire aussi", "publicidad", "x" * 700,
    "share this article: facebook twitter whatsapp", "share: facebook twitter whatsapp",
    "teilen: facebook whatsapp e-mail", "partager : facebook twitter", "share this with a friend",
]


@pytest.mark.parametrize("rules", [boilerplate.TEXT_RULES, boilerplate.CONTAINER_HEADINGS],
                         ids=["text", "container"])
def test_compiled_rules_agree_with_the_rules_one_by_one(rules):
    compiled = boilerplate.compile_text_rules(rules)
    for text in SAMPLES:
        assert compiled.match(text) == reference(rules, text), text


def test_texts_starting_with_characters_no_rule_names_share_one_bucket():
    # A crawl of CJK pages meets thousands of first characters: they must
    # not each get their own bucket of rules.
    compiled = boilerplate.compile_text_rules(boilerplate.TEXT_RULES)
    for ch in "评论コメント記事新闻中文한국어":
        compiled.match(ch + " 12")
    assert len({first for _cap, first in compiled._buckets}) == 1


@pytest.mark.parametrize("data", [
    "<html><body><p>Le conseil a décidé — “fermer” le pont 🌉</p></body></html>".encode(),
    b"\xef\xbb\xbf<html><body><p>BOM first: caf\xc3\xa9</p></body></html>",
    b"<html><body><p>broken \xff\xfe bytes and caf\xc3\xa9</p></body></html>",
    "<html><body><p>literal \ufffd replacement</p></body></html>".encode(),
])
def test_utf8_bytes_parse_as_their_decoded_text(data):
    from lxml import etree

    text = decode_html(data)
    expected = parse_html(text.encode("utf-8"))
    assert etree.tostring(parse_html(data), encoding="unicode") == etree.tostring(expected, encoding="unicode")


@pytest.mark.parametrize("text", [
    "share this article: facebook twitter whatsapp", "share: facebook twitter whatsapp",
    "share this article", "facebook twitter whatsapp", "share on facebook", "share via email:", "share on facebook | share on twitter",
    "share via email · share via whatsapp",
    "artikel teilen: facebook whatsapp e-mail", "compartir en: facebook twitter", "partager : facebook twitter",
])
def test_a_share_label_and_the_services_after_it_are_a_share_bar(text):
    assert boilerplate.match_text_rules(text) == "share"


@pytest.mark.parametrize("text", [
    "share this with a friend who lives by the harbour", "twitter said on monday it would close its office",
    "teilen sie uns ihre meinung mit", "facebook",
])
def test_a_sentence_about_sharing_or_a_service_is_not_a_share_bar(text):
    assert boilerplate.match_text_rules(text) != "share"
