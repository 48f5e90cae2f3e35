"""Drop promo and comment blocks from an article's body text.

The body extraction already removes boxes it can see in the markup; this
step works on the text alone, paragraph by paragraph, so it also cleans
bodies that came from structured data or from re-extraction, and it is where
a site's own text rules (``ExtractionConfig.extra_rules`` of kind ``"text"``)
apply. The rules themselves are data in ``boilerplate.py``.
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace

from newsarchive.extraction import boilerplate
from newsarchive.extraction.config import DEFAULT_CONFIG, ExtractionConfig
from newsarchive.extraction.processors import drop_control_characters
from newsarchive.extraction.words import count_words
from newsarchive.items import Article, DroppedBlock

logger = logging.getLogger(__name__)

_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n")


def _site_rules(config: ExtractionConfig) -> list[tuple[str, re.Pattern[str]]]:
    rules = []
    for rule in config.extra_rules:
        if rule.kind != "text":
            continue
        try:
            rules.append((rule.name, re.compile(rule.pattern, re.I)))
        except re.error:
            logger.warning("site rule %r has an invalid pattern; ignored", rule.name)
    return rules


def paragraph_rule(paragraph: str, site_rules: list[tuple[str, re.Pattern[str]]] | None = None) -> str | None:
    """Name of the rule that drops ``paragraph``, or None to keep it."""
    if site_rules:
        text = " ".join(paragraph.split())
        for name, pattern in site_rules:
            if pattern.search(text):
                return name
    return boilerplate.judge_block(paragraph)


def clean_article(article: Article, config: ExtractionConfig | None = None, *,
                  body_words: int | None = None) -> Article:
    """The article with promo/comment paragraphs removed from ``body``, one
    ``DroppedBlock(stage="clean")`` per removed paragraph, and ``word_count``
    recomputed. Returns a new Article; the input is left as it was.

    ``body_words``: ``count_words(article.body)``, when the caller counted
    it already; it is the word count when cleaning leaves the body as it
    was (most pages: the body extraction applied the same rules). Splitting
    a body into words to count them is most of this function's cost."""
    config = config or DEFAULT_CONFIG
    cleaned = _without_control_characters(article)
    if cleaned.body != article.body:
        body_words = None  # counted on the body with its control characters
    article = cleaned
    body = article.body or ""
    site_rules = _site_rules(config)
    kept: list[str] = []
    dropped = list(article.dropped)
    for paragraph in _PARAGRAPH_SPLIT.split(body):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        rule = paragraph_rule(paragraph, site_rules)
        if rule:
            dropped.append(DroppedBlock(rule, paragraph, "clean"))
        else:
            kept.append(paragraph)
    text = "\n\n".join(kept)
    if body_words is not None and text == body:
        word_count = body_words
    else:
        word_count = count_words(text)
    return replace(
        article,
        body=text or None,
        word_count=word_count,
        dropped=dropped,
    )


def _without_control_characters(article: Article) -> Article:
    """The article with control characters gone from every text a reader
    sees; the raw date strings and the blocks extraction dropped stay as the
    page had them.
    The same Article when there are none (nearly every page): one scan of
    each text, no copy."""
    clean = drop_control_characters
    changes: dict[str, object] = {}
    for name in ("headline", "standfirst", "byline", "section", "body"):
        value = getattr(article, name)
        cleaned = clean(value)
        if cleaned is not value:
            changes[name] = cleaned
    for name in ("authors", "tags"):
        values = getattr(article, name)
        if any(clean(v) is not v for v in values):
            changes[name] = [c for c in map(clean, values) if c]
    if any(clean(c.text) is not c.text or clean(c.credit) is not c.credit for c in article.captions):
        changes["captions"] = [replace(c, text=clean(c.text) or "", credit=clean(c.credit))
                               for c in article.captions]
    return replace(article, **changes) if changes else article
