"""validate_article and ValidatePipeline."""
from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from newsarchive.items import Article
from newsarchive.pipelines.validation import ValidatePipeline, validate_article

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
