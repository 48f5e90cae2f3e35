"""clean_article and CleanPipeline: text-block rules, site rules, stats."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy.utils.test import get_crawler

from newsarchive.extraction import boilerplate
from newsarchive.extraction.cleaning import clean_article, paragraph_rule
from newsarchive.extraction.config import ExtractionConfig, ExtraRule
from newsarchive.items import Article, Caption, DroppedBlock
from newsarchive.pipelines.cleaning import CleanPipeline, config_for

STORY = ("The council voted on Tuesday to close the old bridge, ending a debate that had run for "
         "more than a decade.")


def article(*paragraphs: str) -> Article:
    body = "\n\n".join(paragraphs)
    return Article(url="https://example.com/a", headline="Bridge", body=body, word_count=len(body.split()))


@pytest.mark.parametrize("text, rule", [
    ("Advertisement", "advertisement"),
    ("Anzeige", "advertisement"),
    # The label with a colon, as sites print it over the ad.
    ("Advertisement:", "advertisement"),
    ("Anzeige:", "advertisement"),
    ("Publicidad:", "advertisement"),
    ("Publicidad", "advertisement"),
    ("Publicité", "advertisement"),
    ("Your support helps us to tell the story", "donation"),
    ("Sign up for our daily newsletter", "newsletter"),
    ("Stay up to date with notifications from The Independent", "notification"),
    ("Join our commenting forum", "comments"),
    ("12 Comments", "comments"),
    ("Thank you for registering", "registration"),
    ("Please refresh the page or navigate to another page on the site to be automatically logged in", "registration"),
    ("Read more: Council approves new bridge", "related"),
    ("Lesen Sie auch", "related"),
    ("Share this article", "share"),
    ("Download our app", "app"),
    ("© 2024 Example News. All rights reserved.", "copyright"),
    ("Image 3 of 5", "gallery"),
    ("Bild 2 von 7", "gallery"),
    ("This slideshow requires JavaScript.", "script-notice"),
    ("Published: 1 May 2024 10:00 BST", "byline"),
    ("Veröffentlicht am 01.05.2024", "byline"),
    ("Tell us what YOU think...", "comments"),
    ("Get the magazine delivered through your letterbox every month.", "donation"),
    ("In this Dec. 12, 2006, file photo, made available by NASA, two astronauts work outside.", "caption"),
    ("Related Roundup: MacBook Pro", "related"),
    ("Hat Ihnen dieser Artikel gefallen?", "rating"),
    ("Valora esta noticia", "rating"),
    ("Crédits photos : Agence", "caption"),
    ("Iklan", "advertisement"),
    ("Chat with us in Facebook Messenger. Find out what's happening in the world as it unfolds.", "app"),
    # Widget labels printed as text, which class names no longer give away
    # on a site whose classes are hashes (evaluate --without classes).
    ("Like this:", "interface"),
    ("Like Loading...", "interface"),
    ("Gefällt mir:", "interface"),
    ("Gefällt mir Wird geladen …", "interface"),
    ("Neueste Artikel", "related"),
    ("Flattr this!", "donation"),
    ("Be Sociable, Share!", "share"),
    ("This post contains references to products from one or more of our advertisers. "
     "We may receive compensation when you click on links to those products.", "affiliate"),
    ("Mehr zu diesem Thema", "related"),
    ("Verpasse keine News zu Hardware & Gadgets", "newsletter"),
    ("Bitte klicke auf den Link in der Bestätigungsmail, um deine Anmeldung abzuschließen.", "newsletter"),
])
def test_promo_paragraphs_have_a_rule(text, rule):
    assert paragraph_rule(text) == rule


@pytest.mark.parametrize("text", [
    STORY,
    "Comments from the minister came after the vote.",
    "He said the newsletter, which the campaign sent to every house in the town, was misleading and "
    "that the council had never planned to close the bridge before the engineers reported on it.",
    "Gefällt mir nicht, was die Regierung tut.",
    "Neueste Erkenntnisse zeigen, dass die Brücke nicht zu halten war.",
    "Mehr zu diesem Thema lesen Sie morgen, wenn der Rat entschieden hat und die Ergebnisse vorliegen.",
])
def test_article_paragraphs_are_kept(text):
    assert paragraph_rule(text) is None


def test_clean_article_drops_records_and_recounts():
    raw = article(STORY, "Advertisement", STORY, "Join our commenting forum")
    raw.dropped.append(DroppedBlock("caption", "A photo", "extract"))
    cleaned = clean_article(raw)
    assert cleaned.body == f"{STORY}\n\n{STORY}"
    assert cleaned.word_count == 2 * len(STORY.split())
    assert [(d.rule, d.stage) for d in cleaned.dropped] == [
        ("caption", "extract"), ("advertisement", "clean"), ("comments", "clean")]
    assert raw.body.count("Advertisement") == 1  # the input is not changed


def test_site_text_rules_apply_and_bad_patterns_are_ignored():
    config = ExtractionConfig(extra_rules=(
        ExtraRule("example-podcast", r"^listen to our daily podcast"),
        ExtraRule("broken", r"(unclosed"),
    ))
    cleaned = clean_article(article(STORY, "Listen to our daily podcast, every morning."), config)
    assert cleaned.body == STORY
    assert cleaned.dropped[-1].rule == "example-podcast"


def test_empty_body_stays_empty():
    cleaned = clean_article(Article(url="https://example.com/a"))
    assert cleaned.body is None and cleaned.word_count == 0


def test_rules_are_labelled_by_language():
    languages = {rule.language for rule in boilerplate.TEXT_RULES + boilerplate.CONTAINER_HEADINGS}
    assert {"en", "de", "es", "fr", "*"} <= languages
    assert all(rule.name and rule.pattern for rule in boilerplate.TEXT_RULES)


def test_pipeline_uses_the_spider_config_and_counts_rules():
    crawler = get_crawler(settings_dict={})
    pipeline = CleanPipeline.from_crawler(crawler)
    config = ExtractionConfig(extra_rules=(ExtraRule("site-plug", r"^visit our shop"),))
    spider = SimpleNamespace(extraction_config_for=lambda item: config)
    item = article(STORY, "Advertisement", "Visit our shop today")
    out = pipeline.process_item(item, spider)
    assert out.body == STORY
    assert crawler.stats.get_value("newsarchive/cleaning/dropped/advertisement") == 1
    assert crawler.stats.get_value("newsarchive/cleaning/dropped/site-plug") == 1


def test_pipeline_counts_what_the_sites_css_rules_dropped_at_extraction():
    # A kind = "css" rule drops its elements before extraction: its drops
    # were recorded in dropped_blocks but never counted, so the crawl's stats
    # had no newsarchive/cleaning/dropped/<rule> for the site's own rule.
    from newsarchive.extraction.page import extract_article

    crawler = get_crawler(settings_dict={})
    pipeline = CleanPipeline.from_crawler(crawler)
    config = ExtractionConfig(extra_rules=(ExtraRule("paywall-teaser", "div.paywall-teaser", "css"),))
    html = ("<html><body><article><h1>Bridge</h1>" + f"<p>{STORY}</p>" * 4
            + '<div class="paywall-teaser">Subscribe to read on</div></article></body></html>')
    item = extract_article(html, "https://example.com/a", config=config)
    assert [b.rule for b in item.dropped if b.rule == "paywall-teaser"] == ["paywall-teaser"]
    pipeline.process_item(item, SimpleNamespace(extraction_config_for=lambda item: config))
    assert crawler.stats.get_value("newsarchive/cleaning/dropped/paywall-teaser") == 1
    assert crawler.stats.get_value("newsarchive/cleaning/dropped/headline") is None


def test_pipeline_keeps_the_extraction_word_count_of_an_unchanged_body(monkeypatch):
    from newsarchive.extraction import cleaning

    pipeline = CleanPipeline.from_crawler(get_crawler(settings_dict={}))
    counted: list[str] = []
    monkeypatch.setattr(cleaning, "count_words", lambda text: counted.append(text) or len(text.split()))
    kept = article(STORY)
    kept.word_count = 7  # as load_page counted it
    assert pipeline.process_item(kept, None).word_count == 7
    assert counted == []
    # A body the rules changed is counted afresh.
    changed = article(STORY, "Advertisement")
    changed.word_count = 99
    assert pipeline.process_item(changed, None).word_count == len(STORY.split())
    assert counted == [STORY]


def test_config_lookup_order():
    config = ExtractionConfig(site="x")
    assert config_for(SimpleNamespace(extraction_config=config), None) is config
    assert config_for(SimpleNamespace(), None) is None
    assert config_for(None, None) is None


def test_pipeline_can_be_switched_off():
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        CleanPipeline.from_crawler(get_crawler(settings_dict={"NEWSARCHIVE_CLEAN_ENABLED": False}))


def test_block_judgement_beyond_one_line():
    judge = boilerplate.judge_block
    # Leading brackets and bullets do not hide a label.
    assert judge("(Credit: Jane Doe / Agency)") == "caption"
    # A block made only of labels, one per line (a gallery widget).
    assert judge("Image\n1\nof\n/\n8") == "gallery"
    assert judge("Permalien\nhttps://p.example/x") == "related"  # first line is a label (fr)
    # An appeal whose first sentence is a prompt goes whole, however it continues.
    appeal = ("Gefällt dir unser Magazin? Wir haben entschieden, keine Bezahlschranke einzuführen, "
              "und das wird auch so bleiben, denn wir möchten möglichst viele Leser erreichen.")
    assert judge(appeal) == "rating"
    # A long ordinary paragraph is never judged by a label rule.
    assert judge(STORY + " " + STORY * 8) is None


def test_clean_article_drops_control_characters_from_every_text() -> None:
    item = Article(url="https://example.com/a", headline="Bell \x07story", standfirst="Lede\x00",
                   byline="By Jane\x01 Doe", authors=["Jane\x01 Doe", "\x02"], tags=["Fl\x1bood"],
                   section="News\x7f", published_raw="2024-01-02\x07",
                   captions=[Caption(text="A bridge\x07", credit="AFP\x1f")],
                   body=STORY + "\x07\n\n\x1b\n\n" + STORY, word_count=99)
    cleaned = clean_article(item, body_words=99)
    assert cleaned.headline == "Bell story"
    assert cleaned.standfirst == "Lede"
    assert cleaned.byline == "By Jane Doe"
    assert cleaned.authors == ["Jane Doe"]
    assert cleaned.tags == ["Flood"]
    assert cleaned.section == "News"
    assert cleaned.captions == [Caption(text="A bridge", credit="AFP")]
    assert cleaned.body == STORY + "\n\n" + STORY
    # Counted again: the count handed in was the body's with its controls.
    assert cleaned.word_count == 2 * len(STORY.split())
    assert cleaned.published_raw == "2024-01-02\x07"  # raw values stay as the page had them


def test_clean_article_keeps_the_same_texts_without_control_characters() -> None:
    item = article(STORY)
    item.authors = ["Jane Doe"]
    cleaned = clean_article(item, body_words=item.word_count)
    assert cleaned.authors is item.authors
    assert cleaned.body == item.body


def test_extract_article_stores_no_control_characters() -> None:
    from newsarchive.extraction.page import extract_article

    paragraph = ("The council voted on Tuesday to close the old bridge\x07, ending a debate that had "
                 "run for more than a \x1b[1mdecade and divided the town.")
    html = ("<html><head><title>Bridge \x07to close</title></head><body><article>"
            "<h1>Bridge \x07to close</h1><p class='byline'>By Jane\x01 Doe</p>"
            f"<p>{paragraph}</p><p>{paragraph}</p></article></body></html>")
    item = extract_article(html, "https://example.com/news/bridge.html")
    assert item.headline == "Bridge to close"
    assert item.authors == ["Jane Doe"]
    assert item.body is not None and "[1mdecade" in item.body
    for text in [item.headline, item.body, *item.authors]:
        assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text)
