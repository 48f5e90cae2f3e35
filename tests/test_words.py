"""count_words: the one word count behind word_count, detection's
few-words and validation's body-too-short, for scripts written with and
without spaces between words."""
from __future__ import annotations

import pytest

from newsarchive.detection import page_skip_reason
from newsarchive.extraction.page import extract_article
from newsarchive.extraction.words import CHARS_PER_WORD, UNSPACED_SCRIPT_RANGES, count_words
from newsarchive.items import Article
from newsarchive.pipelines.validation import BODY_TOO_SHORT, DEFAULT_MIN_WORDS, validate_article
from tests.conftest import FIXTURES

# The spider's default NEWSARCHIVE_DETECT_MIN_WORDS.
DETECT_MIN_WORDS = 80
ZH_ARTICLE = FIXTURES / "zh_article_unspaced.html"
JA_ARTICLE = FIXTURES / "ja_article_shift_jis.html"
URL = "https://news.example/2020/01/02/story-12345.html"


@pytest.mark.parametrize("text", [
    "The harbour reopened on Tuesday — after three days, the port's authority said.",
    "Der Hafen wurde am Dienstag wieder geöffnet, teilte die Behörde mit.",
    "Порт вновь открылся во вторник, сообщили власти.",
    "항구가 화요일에 다시 문을 열었다고 당국이 밝혔다.",
    "الميناء أعيد فتحه يوم الثلاثاء",
    "“Quoted” words … and a line\n\nbreak – with dashes",
])
def test_spaced_scripts_are_counted_by_spaces(text: str) -> None:
    assert count_words(text) == len(text.split())


def test_empty_text_has_no_words() -> None:
    assert count_words(None) == count_words("") == count_words("  \n") == 0


def test_han_is_counted_by_characters_per_word() -> None:
    text = "益水之阳是名益阳" * 10  # 80 ideographs
    assert count_words(text) == round(80 / CHARS_PER_WORD["han"])


def test_punctuation_beside_unspaced_text_is_no_word() -> None:
    assert count_words("“数字”赋能农业，") == count_words("数字赋能农业")


def test_japanese_kana_and_kanji_are_counted_by_characters() -> None:
    # 6 kanji, 4 kana.
    assert count_words("市議会は火曜日の夜だ") == round(6 / CHARS_PER_WORD["han"] + 4 / CHARS_PER_WORD["kana"])


@pytest.mark.parametrize("script, sample", [
    ("thai", "ภาษาไทยเป็นภาษาราชการ"),
    ("lao", "ພາສາລາວເປັນພາສາທາງການ"),
    ("khmer", "ភាសាខ្មែរជាភាសាផ្លូវការ"),
    ("myanmar", "မြန်မာဘာသာစကားသည်ရုံးသုံးဘာသာဖြစ်သည်"),
])
def test_southeast_asian_scripts_without_spaces(script: str, sample: str) -> None:
    assert count_words(sample) == round(len(sample) / CHARS_PER_WORD[script])
    assert count_words(sample) > 1


def test_every_unspaced_script_has_a_figure() -> None:
    assert set(UNSPACED_SCRIPT_RANGES) == set(CHARS_PER_WORD)


def test_mixed_text_counts_each_part_its_way() -> None:
    assert count_words("The 東京 office opened") == 3 + 1
    assert count_words("2020年1月2日，记者报道") == 3 + round(7 / CHARS_PER_WORD["han"])
    # A lone ideograph or kana between English words is a word, not none.
    assert count_words("the ア key") == 3


def test_a_chinese_article_passes_extraction_and_detection_thresholds() -> None:
    article = extract_article(ZH_ARTICLE.read_text(encoding="utf-8"), URL)
    assert len(article.body or "") > 1500
    # A space split counted 21 words here.
    assert article.word_count == count_words(article.body) >= DETECT_MIN_WORDS
    assert validate_article(article) is None
    # og:type "news" is no schema.org type: detection counts the body's words.
    assert page_skip_reason(article, site=None) is None


def test_a_japanese_article_is_stored() -> None:
    article = extract_article(JA_ARTICLE.read_bytes(), URL)
    assert article.headline == "港橋の計画がまた延期"
    assert article.word_count is not None and article.word_count >= DEFAULT_MIN_WORDS
    assert validate_article(article) is None


def test_a_short_chinese_snippet_still_fails_both_thresholds() -> None:
    snippet = "益阳近3年连续举办智慧乡村互联网大会，引来行业大咖云集。请关注我们的微信公众号。"
    article = Article(url=URL, headline="益阳", body=snippet, word_count=count_words(snippet))
    assert article.word_count < DEFAULT_MIN_WORDS
    assert validate_article(article) == BODY_TOO_SHORT
    assert page_skip_reason(article, site=None) == "few-words"


def test_validation_and_detection_count_a_body_without_word_count_the_same_way() -> None:
    body = "这是一段没有空格的中文文本，" * 12  # 156 ideographs
    article = Article(url=URL, headline="标题", body=body)
    assert validate_article(article) is None
    assert page_skip_reason(article, site=None) is None
