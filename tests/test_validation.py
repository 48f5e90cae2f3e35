"""validate_article and ValidatePipeline."""
from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from newsarchive.items import Article
from newsarchive.pipelines.validation import (
    BODY_GARBLED,
    ValidatePipeline,
    replacement_share,
    validate_article,
)

LONG = " ".join(["word"] * 60)


def make(**fields) -> Article:
    base = {"url": "https://example.com/a", "headline": "A headline", "body": LONG, "word_count": 60}
    base.update(fields)
    return Article(**base)


@pytest.mark.parametrize("fields, reason", [
    ({}, None),
    ({"headline": None}, "no-headline"),
    ({"headline": "   "}, "no-headline"),
    ({"body": None, "word_count": 0}, "no-body"),
    ({"body": "too short", "word_count": 2}, "body-too-short"),
    ({"url": ""}, "no-url"),
])
def test_reasons(fields, reason):
    assert validate_article(make(**fields), min_words=50) == reason


def test_word_count_is_recomputed_when_missing():
    assert validate_article(make(word_count=None), min_words=50) is None
    assert validate_article(make(word_count=None), min_words=61) == "body-too-short"


def test_pipeline_drops_with_reason_and_counts():
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_MIN_WORDS": 100})
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="body-too-short"):
        pipeline.process_item(make(), None)
    with pytest.raises(DropItem, match="no-headline"):
        pipeline.process_item(make(headline=None), None)
    assert crawler.stats.get_value("newsarchive/dropped/body-too-short") == 1
    assert crawler.stats.get_value("newsarchive/dropped/no-headline") == 1
    good = make(body=" ".join(["word"] * 120), word_count=120)
    assert pipeline.process_item(good, None) is good


def test_default_minimum_is_50_words():
    pipeline = ValidatePipeline.from_crawler(get_crawler(settings_dict={}))
    assert pipeline.min_words == 50


def test_can_be_switched_off():
    with pytest.raises(NotConfigured):
        ValidatePipeline.from_crawler(get_crawler(settings_dict={"NEWSARCHIVE_VALIDATE_ENABLED": False}))


def test_replacement_share_counts_non_space_characters() -> None:
    assert replacement_share("plain text") == 0.0
    assert replacement_share("\ufffd\ufffd ab") == 0.5
    assert replacement_share("\ufffd\ufffd\ufffd \ufffd\ufffd") == 1.0


def test_a_body_of_replacement_characters_is_garbled() -> None:
    garbage = " ".join(["\ufffd\ufffd\ufffd\ufffd\ufffd"] * 80)
    assert validate_article(make(body=garbage, word_count=80)) == BODY_GARBLED
    # A stray undecodable byte in a real article is no reason to drop it.
    assert validate_article(make(body=LONG + " caf\ufffd", word_count=61)) is None


def test_pipeline_counts_garbled_bodies() -> None:
    crawler = get_crawler()
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="body-garbled"):
        pipeline.process_item(make(body="\ufffd\ufffd " * 60, word_count=60), None)
    assert crawler.stats.get_value("newsarchive/dropped/body-garbled") == 1
