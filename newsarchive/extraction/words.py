"""How many words a text holds: the one count behind ``Article.word_count``
and every threshold on it (detection's ``few-words``, validation's
``body-too-short``, link density).

Most scripts separate words with spaces, and a space-split count is exact
enough. Chinese, Japanese, Thai, Lao, Khmer and Myanmar are written without
spaces between words: a space split counts a whole paragraph (or a clause
between punctuation) as one word, and every article in them fell below the
thresholds. Their text is counted by characters instead, divided by the
script's average characters per word below. Korean (Hangul) separates
words with spaces and is counted like English.
"""
from __future__ import annotations

import re

# Code-point ranges of the scripts written without spaces between words,
# labelled per script (Unicode blocks; the supplementary Han planes too).
UNSPACED_SCRIPT_RANGES: dict[str, str] = {
    # CJK Unified Ideographs, Extension A, Compatibility Ideographs, the
    # supplementary ideograph planes; 々 and 〇 stand for ideographs.
    "han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3005\u3007",
    # Hiragana, Katakana (with the prolonged sound mark), Katakana Phonetic
    # Extensions and halfwidth Katakana.
    "kana": "\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f",
    "thai": "\u0e00-\u0e7f",
    "lao": "\u0e80-\u0eff",
    "khmer": "\u1780-\u17ff\u19e0-\u19ff",
    "myanmar": "\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff",
}

# Average characters (code points, as len() counts them) per word, per
# script. Approximations: the count only has to place a page against
# thresholds of tens of words, where a figure 20% off moves no real
# article across, and a short teaser stays short.
# - han 1.7: word-segmented Chinese news text (the PKU and MSR corpora of
#   the SIGHAN 2005 segmentation bakeoff) averages 1.6-1.7 characters a
#   word; it is also the usual translators' figure of Chinese characters
#   per English word.
# - kana 2.0: Japanese runs of kana hold one-character particles beside
#   inflections and longer katakana loanwords; segmented Japanese averages
#   between 1.5 and 2.5 characters a word. Kanji in Japanese text count as
#   han.
# - thai 4.0, lao 4.0: estimated from the code-point length of the most
#   frequent words (vowel and tone marks are code points of their own);
#   Lao spells like Thai.
# - khmer 5.0, myanmar 5.0: words of one or two syllables, each syllable
#   several code points (Khmer subscript consonants, Myanmar medials and
#   the asat are code points of their own); estimated like Thai.
CHARS_PER_WORD: dict[str, float] = {
    "han": 1.7,
    "kana": 2.0,
    "thai": 4.0,
    "lao": 4.0,
    "khmer": 5.0,
    "myanmar": 5.0,
}

# Punctuation written with those scripts (CJK symbols and punctuation,
# fullwidth forms, general punctuation such as “ ” … —). Taken together
# with an adjacent unspaced run, so "“数字”赋能农业，" is no extra
# space-split word; alone (between English words) it is left as it was.
_UNSPACED_PUNCTUATION = "\u3000-\u3004\u3008-\u303f\uff00-\uff65\u2000-\u206f"

_ALL_UNSPACED = "".join(UNSPACED_SCRIPT_RANGES.values())
# The check every body goes through. Without the supplementary planes the
# class is a table lookup per character (a third faster on the corpus);
# rare ideographs from those planes come with common ones, never alone.
_SUPPLEMENTARY_HAN = "\U00020000-\U0003134f"
_ANY_UNSPACED = re.compile(f"[{_ALL_UNSPACED.replace(_SUPPLEMENTARY_HAN, '')}]")
# The first bytes of the UTF-8 forms of every character ``_ANY_UNSPACED``
# can match (U+0E00-U+1FFF start with E0-E1, U+3000-U+AFFF with E3-EA,
# U+F000-U+FFFF with EF): a body whose UTF-8 holds none of them holds none
# of those characters. Deleting every other byte is one C loop, several
# times cheaper than the regex's test of each character; typographic quotes
# and dashes (U+2000-U+206F, first byte E2) are not among them.
_UNSPACED_LEADS = bytes(range(0xE0, 0xE2)) + bytes(range(0xE3, 0xEB)) + b"\xef"
_NOT_UNSPACED_LEADS = bytes(b for b in range(256) if b not in _UNSPACED_LEADS)
_UNSPACED_RUN = re.compile(
    f"[{_UNSPACED_PUNCTUATION}]*[{_ALL_UNSPACED}][{_ALL_UNSPACED}{_UNSPACED_PUNCTUATION}]*"
)
_SCRIPT_RUNS: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(f"[{chars}]+"), CHARS_PER_WORD[script])
    for script, chars in UNSPACED_SCRIPT_RANGES.items()
)


def count_words(text: str | None) -> int:
    """Space-separated words, plus for scripts written without spaces their
    characters divided by the script's ``CHARS_PER_WORD``."""
    if not text:
        return 0
    # Most bodies hold none of those scripts: the plain split, after one
    # scan (none at all for ASCII text: isascii() reads a flag of the string).
    if text.isascii() or not _may_hold_unspaced(text) or _ANY_UNSPACED.search(text) is None:
        return len(text.split())
    spaced = len(_UNSPACED_RUN.sub(" ", text).split())
    estimated = 0.0
    for pattern, chars_per_word in _SCRIPT_RUNS:
        characters = sum(map(len, pattern.findall(text)))
        if characters:
            estimated += characters / chars_per_word
    # At least one word for any unspaced run, so a lone ideograph between
    # English words counts as the word it is.
    return spaced + max(round(estimated), 1)


def _may_hold_unspaced(text: str) -> bool:
    """False when the text holds no character of ``_ANY_UNSPACED`` (the
    first bytes test of ``_UNSPACED_LEADS``); True when it may."""
    # surrogatepass: a lone surrogate (bad JSON escapes) encodes, to ED ..,
    # which is no first byte of those scripts, as the regex does not match it.
    return bool(text.encode("utf-8", "surrogatepass").translate(None, _NOT_UNSPACED_LEADS))
