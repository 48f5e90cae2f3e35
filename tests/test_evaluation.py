"""The corpus metrics (shared/corpus/README.md) on tiny hand-made cases."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from newsarchive import evaluation as ev


def test_tokens_and_shingles():
    assert ev.tokenize("Hello, wörld! 42") == ["Hello", "wörld", "42"]
    assert ev.shingles("a b c d e") == {"a b c d": 1, "b c d e": 1}
    assert ev.shingles("a b") == {"a b": 1}  # shorter than 4 tokens: one shingle
    assert ev.shingles("") == {}


def test_shingle_match_is_normalised_per_page():
    assert ev.shingle_match("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = ev.shingle_match("a b c d e f", "a b c d x y")
    assert (tp, fp, fn) == pytest.approx((1 / 5, 2 / 5, 2 / 5))  # 1 shared, 2 + 2 not
    assert ev.shingle_match("", "") == (0.0, 0.0, 0.0)
    assert ev.shingle_match("a b c d", "") == (0.0, 0.0, 1.0)


def test_precision_recall_f1_average_pages():
    p, r, f = ev.precision_recall_f1([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)])
    assert p == pytest.approx(0.75) and r == pytest.approx(1.0)
    assert f == pytest.approx(2 * 0.75 / 1.75)
    assert ev.precision_recall_f1([]) == (0.0, 0.0, 0.0)


def test_folding_and_snippets():
    assert ev.fold("“Don’t”  Stop\nNOW!") == "don t stop now"
    body = ev.fold("He said: “Don't stop now,” and left.")
    assert ev.snippet_present("don’t STOP now", body)
    assert not ev.snippet_present("stop later", body)
    assert not ev.snippet_present("", body)


def test_dates_authors():
    assert ev.same_day("2016-03-15", "2016-03-15T03:39:00-04:00")
    assert not ev.same_day("2016-03-15", "2016-03-16T01:00:00+00:00")
    assert not ev.same_day("2016-03-15", None)
    assert ev.same_authors(["Laura Pitel", "Nadia Beard"], ["nadia beard", "Laura  Pitel"])
    assert not ev.same_authors(["Laura Pitel"], ["Laura Pitel", "Staff"])


def write_corpus(root: Path) -> Path:
    (root / "pages").mkdir(parents=True)
    pages = {
        "a": "<html><body><article><p>" + "The quick brown fox jumps over the lazy dog. " * 8 + "</p></article></body></html>",
        "b": "<html><body><p>short</p></body></html>",
    }
    rows = [
        {"id": "a", "source": "s1", "html": "pages/a.html.gz", "url": "https://x.example/a",
         "body": "The quick brown fox jumps over the lazy dog. " * 8, "headline": "Fox",
         "authors": ["Ann Lee"], "published": "2020-01-02"},
        {"id": "b", "source": "s2", "html": "pages/b.html.gz",
         "must_contain": ["short", "missing words"], "must_not_contain": ["advert"], "comments": ["nice post"]},
    ]
    for key, html in pages.items():
        (root / "pages" / f"{key}.html.gz").write_bytes(gzip.compress(html.encode()))
    (root / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return root


def test_evaluate_corpus_with_a_given_extractor(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")

    def fake(html: bytes, url: str):
        if url.endswith("/a"):
            return {"body": "The quick brown fox jumps over the lazy dog. " * 8, "headline": "Fox!",
                    "authors": ["Ann Lee"], "published": "2020-01-02T10:00:00+01:00"}
        return {"body": "short text with an advert", "headline": None}

    out = io.StringIO()
    report = ev.evaluate_corpus(corpus, predictions=out, extractor=fake)
    assert report.pages == 2 and report.body_pages == 1
    assert report.f1 == pytest.approx(1.0)
    assert report.f1_by_source == {"s1": pytest.approx(1.0)}
    assert report.must_contain == 0.5
    assert report.must_not_contain == 0.0
    assert report.comments == 1.0
    assert report.headline == 1.0 and report.authors == 1.0 and report.date == 1.0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[1]["missing"] == ["missing words"] and lines[1]["leaked"] == ["advert"]
    assert "body F1" in ev.format_report(report)


def test_a_crashing_extractor_is_a_measured_failure(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")

    def boom(html: bytes, url: str):
        raise RuntimeError("bad page")

    report = ev.evaluate_corpus(corpus, extractor=boom)
    assert report.errors == 2 and report.f1 == 0.0


def test_source_and_limit(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    assert [r["id"] for r in ev.read_corpus(corpus, source="s2")] == ["b"]
    assert len(ev.read_corpus(corpus, limit=1)) == 1


def test_default_extractor_runs_extract_article(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    report = ev.evaluate_corpus(corpus)
    assert report.errors == 0
    assert report.f1 and report.f1 > 0.9


def test_floors():
    report = ev.Report(pages=1, body_pages=1, precision=0.9, recall=0.9, f1=0.9, f1_by_source={},
                       must_contain=0.95, must_not_contain=None, comments=1.0, headline=None,
                       authors=None, date=None, median_ms=3.0, p95_ms=9.0)
    assert ev.check_floors(report, {"f1": 0.85, "median_ms": 4}) == []
    failures = ev.check_floors(report, {"f1": 0.95, "median_ms": 2, "must_not_contain": 0.9})
    assert any(f.startswith("f1 ") for f in failures)
    assert any(f.startswith("median_ms") for f in failures)
    assert any(f.startswith("must_not_contain") for f in failures)
