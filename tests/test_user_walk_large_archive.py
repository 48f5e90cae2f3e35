"""What a researcher met on a 100,000-article archive (walk 10): each test failed before its fix."""
from __future__ import annotations

import dataclasses
import difflib

import pytest

from archive_support import archive_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.database import Archive
from newsarchive.database.history import word_diff

# --- diff of a very long article ---------------------------------------------------


def _long_body(paragraphs: int) -> str:
    # Common words repeated everywhere, as in any long text: the case that made
    # one word-level match over the whole body run for minutes.
    return "\n\n".join(f"Paragraph {i} of the report says the council and the city agreed."
                       for i in range(paragraphs))


def test_diff_compares_words_only_within_the_paragraphs_that_changed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`newsarchive diff` of a 7 MB article (1.2 M words, 500 paragraphs edited)
    ran for more than 10 minutes: every word of the body was matched against
    every other in one SequenceMatcher."""
    old = _long_body(400)
    paragraphs = old.split("\n\n")
    paragraphs[200] = paragraphs[200].replace("agreed", "disagreed")
    new = "\n\n".join(paragraphs)
    longest: list[int] = []
    real = difflib.SequenceMatcher

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, isjunk: object = None, a: object = "", b: object = "",
                     autojunk: bool = True) -> None:
            if a and isinstance(a[0], str):  # type: ignore[index]
                longest.append(max(len(a), len(b)))  # type: ignore[arg-type]
            super().__init__(isjunk, a, b, autojunk)

    monkeypatch.setattr(difflib, "SequenceMatcher", Recording)
    pieces = word_diff(old, new)
    assert longest and max(longest) < 50, "words were compared across the whole body"
    assert [(op, text) for op, text in pieces if op != "equal"] == [
        ("delete", "agreed."), ("insert", "disagreed.")]
    assert "".join(text for op, text in pieces if op != "insert").replace(" ", "") == old.replace(" ", "")
    assert "".join(text for op, text in pieces if op != "delete").replace(" ", "") == new.replace(" ", "")


# --- paging deep into a search ---------------------------------------------------


def test_paging_past_the_ranking_window_shows_each_match_once(archive_url: str) -> None:  # noqa: F811
    """Paging 100 at a time to 7,000 through a word in most of the 100,000
    articles showed 1,961 results twice and never showed as many: the ranking
    window (the newest 5,000 matches) grew with --offset, so each page was cut
    from a differently ranked set. Here the window is 10 and the matches 30."""
    base = sample_articles()[0]
    articles = [dataclasses.replace(
        base, url=f"https://example.org/news/{i}", canonical_url=None, site="example.org",
        # Scores differ from article to article, and not in the order stored.
        body=" ".join(["harbour"] * (1 + (i * 7) % 11) + ["quay"] * 40) + " and more words.",
        headline=f"Story {i}")
        for i in range(30)]
    with Archive(archive_url) as archive:
        archive.store_articles(articles)
        every = [r["id"] for r in archive.search("harbour", limit=100, window=10)]
        pages = [r["id"] for offset in range(0, 35, 7)
                 for r in archive.search("harbour", limit=7, offset=offset, window=10)]
    assert len(every) == 30
    assert pages == every
