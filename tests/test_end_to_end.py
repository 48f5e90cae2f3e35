"""End to end: a real ``scrapy crawl news -a url=… -O file.jsonl`` in a child
process against the sample site served on 127.0.0.1, then the SQLite rows
and the JSONL file checked against what a reader sees on the pages.

The crawl runs twice into the same archive; the second run must not add or
duplicate anything.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from demo_expectations import ARTICLES, NON_ARTICLE_PATHS, NON_ARTICLE_TITLES, ExpectedArticle
from newsarchive.demo.run import LOCALHOST_SETTINGS
from newsarchive.demo.server import SiteServer
from newsarchive.items import FEED_FIELDS
from newsarchive.urls import canonicalize_url

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


@dataclass
class CrawlRun:
    returncode: int
    log: str
    feed: list[dict[str, Any]]
    served: list[str]


@dataclass
class Crawl:
    base: str
    db_path: Path
    first: CrawlRun
    second: CrawlRun


def _scrapy_crawl(base: str, tmp: Path, db_url: str, name: str) -> list[str]:
    command = [
        sys.executable, "-m", "scrapy", "crawl", "news",
        "-a", f"url={base}/",
        "-O", str(tmp / f"{name}.jsonl"),
        "-s", "NEWSARCHIVE_EXPORT_DIR=",
        "-s", f"NEWSARCHIVE_STATE_DIR={tmp / 'state'}",
        "-s", f"LOG_FILE={tmp / f'{name}.log'}",
    ]
    for setting, value in LOCALHOST_SETTINGS.items():
        command += ["-s", f"{setting}={value}"]
    return command


def _run(site: SiteServer, tmp: Path, db_url: str, name: str) -> CrawlRun:
    env = dict(os.environ, NEWSARCHIVE_DB_URL=db_url)
    env.pop("SCRAPY_SETTINGS_MODULE", None)  # found through scrapy.cfg, as a user runs it
    before = len(site.requests)
    completed = subprocess.run(
        _scrapy_crawl(site.base_url, tmp, db_url, name), cwd=REPO, env=env,
        stdin=subprocess.DEVNULL, capture_output=True, timeout=240, check=False,
    )
    log_file = tmp / f"{name}.log"
    log = (log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else "")
    log += completed.stdout.decode(errors="replace") + completed.stderr.decode(errors="replace")
    feed_file = tmp / f"{name}.jsonl"
    feed = []
    if feed_file.exists():
        feed = [json.loads(line) for line in feed_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    served = [r.path for r in site.requests[before:]]
    return CrawlRun(completed.returncode, log, feed, served)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    tmp = tmp_path_factory.mktemp("e2e")
    db_path = tmp / "archive.db"
    db_url = f"sqlite:///{db_path}"
    with SiteServer() as site:
        first = _run(site, tmp, db_url, "first")
        second = _run(site, tmp, db_url, "second")
        yield Crawl(site.base_url, db_path, first, second)


@pytest.fixture(scope="module")
def db(crawl: Crawl) -> Iterator[sqlite3.Connection]:
    if not crawl.db_path.exists():
        pytest.fail(f"the crawl made no archive; log tail:\n{crawl.first.log[-3000:]}")
    conn = sqlite3.connect(crawl.db_path)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def _key(base: str, path: str) -> str:
    return canonicalize_url(base + path)


def _article_row(db: sqlite3.Connection, canonical: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM articles WHERE canonical_url = ?", (canonical,)).fetchone()


def _authors(db: sqlite3.Connection, article_id: int) -> list[str]:
    rows = db.execute(
        "SELECT a.name FROM article_authors aa JOIN authors a ON a.id = aa.author_id "
        "WHERE aa.article_id = ? ORDER BY aa.position", (article_id,),
    )
    return [r[0] for r in rows]


def _captions(db: sqlite3.Connection, article_id: int) -> list[tuple[str, str | None]]:
    rows = db.execute(
        "SELECT text, credit FROM captions WHERE article_id = ? ORDER BY position", (article_id,)
    )
    return [(r[0], r[1]) for r in rows]


def _same_instant(value: str | None, expected: str) -> bool:
    if not value:
        return False
    parsed = datetime.fromisoformat(value)
    return parsed.tzinfo is not None and parsed == datetime.fromisoformat(expected)


def _fold(text: str) -> str:
    return " ".join(text.split()).rstrip(" .").casefold()


# -- the crawl ran -------------------------------------------------------------

def test_crawl_exits_cleanly(crawl: Crawl) -> None:
    assert crawl.first.returncode == 0, crawl.first.log[-3000:]
    assert crawl.second.returncode == 0, crawl.second.log[-3000:]
    assert "Traceback" not in crawl.first.log, crawl.first.log[-3000:]


def test_discovery_used_robots_sitemaps_and_feed(crawl: Crawl) -> None:
    served = crawl.first.served
    assert "/robots.txt" in served
    assert "/sitemap_index.xml" in served
    assert "/sitemap-news.xml" in served
    assert "/feed.rss" in served  # linked from the home page's <link rel="alternate">
    # Disallowed by robots.txt: never fetched.
    assert not [p for p in served if p.startswith(("/search", "/login", "/subscribe"))]


def test_each_article_page_fetched_once(crawl: Crawl) -> None:
    # The feed links carry utm_* parameters and the pages link AMP copies:
    # canonicalisation must make them one request each.
    for expected in ARTICLES:
        fetches = [p for p in crawl.first.served if canonicalize_url("http://x" + p) == canonicalize_url("http://x" + expected.path)]
        assert len(fetches) == 1, (expected.path, fetches)


# -- the archive ---------------------------------------------------------------

def test_exactly_the_articles_are_stored(crawl: Crawl, db: sqlite3.Connection) -> None:
    stored = [r[0] for r in db.execute("SELECT canonical_url FROM articles")]
    assert len(stored) == len(set(stored)), "an article is stored twice"
    assert sorted(stored) == sorted(_key(crawl.base, a.path) for a in ARTICLES)


def test_non_article_pages_not_stored(crawl: Crawl, db: sqlite3.Connection) -> None:
    keys = {_key(crawl.base, p) for p in NON_ARTICLE_PATHS}
    stored = {r[0] for r in db.execute("SELECT canonical_url FROM articles")}
    urls = {canonicalize_url(r[0]) for r in db.execute("SELECT url FROM articles")}
    assert not keys & stored
    assert not keys & urls
    headlines = {r[0] for r in db.execute("SELECT headline FROM articles")}
    assert not headlines & set(NON_ARTICLE_TITLES)
    # They were crawled, for their links, all the same.
    assert "/news/page/2/" in crawl.first.served or "/news/" in crawl.first.served


ARTICLE_IDS = [a.path.rsplit("/", 1)[-1][:40] for a in ARTICLES]


def _stored(crawl: Crawl, db: sqlite3.Connection, expected: ExpectedArticle) -> sqlite3.Row:
    row = _article_row(db, _key(crawl.base, expected.path))
    assert row is not None, f"{expected.path} not archived"
    return row


@pytest.mark.parametrize("expected", ARTICLES, ids=ARTICLE_IDS)
def test_article_metadata(crawl: Crawl, db: sqlite3.Connection, expected: ExpectedArticle) -> None:
    row = _stored(crawl, db, expected)
    assert row["headline"] == expected.headline
    if expected.standfirst is not None:
        assert _fold(row["standfirst"] or "") == _fold(expected.standfirst)
    assert _authors(db, row["id"]) == expected.authors
    assert _same_instant(row["published"], expected.published), row["published"]
    if expected.modified is not None:
        assert _same_instant(row["modified"], expected.modified), row["modified"]


@pytest.mark.parametrize("expected", ARTICLES, ids=ARTICLE_IDS)
def test_article_captions(crawl: Crawl, db: sqlite3.Connection, expected: ExpectedArticle) -> None:
    row = _stored(crawl, db, expected)
    captions = _captions(db, row["id"])
    assert [_fold(text) for text, _ in captions] == [_fold(c.text) for c in expected.captions]
    for (text, credit), want in zip(captions, expected.captions):
        assert credit and want.credit in credit, (text, credit)
        assert want.credit not in text


@pytest.mark.parametrize("expected", ARTICLES, ids=ARTICLE_IDS)
def test_article_body(crawl: Crawl, db: sqlite3.Connection, expected: ExpectedArticle) -> None:
    row = _stored(crawl, db, expected)
    body: str = row["body"]
    for snippet in expected.not_in_body:
        assert snippet.casefold() not in body.casefold(), f"{snippet!r} left in the body"
    assert body.startswith(expected.body_starts), body[:200]
    assert expected.body_contains_last in body
    assert "\n\n\n" not in body
    paragraphs = body.split("\n\n")
    assert len(paragraphs) in expected.paragraphs, paragraphs


def test_dropped_blocks_are_recorded(db: sqlite3.Connection) -> None:
    # The cleaning keeps a record of each block it dropped and the rule that did.
    rules = [r[0] for r in db.execute("SELECT rule FROM dropped_blocks")]
    assert rules, "no dropped block recorded, though every page carries promo text"
    assert all(rules)


# -- the JSONL feed --------------------------------------------------------------

def test_jsonl_feed_holds_each_article_once(crawl: Crawl) -> None:
    feed = crawl.first.feed
    keys = [row["canonical_url"] for row in feed]
    assert len(keys) == len(set(keys))
    assert sorted(keys) == sorted(_key(crawl.base, a.path) for a in ARTICLES)
    for row in feed:
        assert set(row) <= set(FEED_FIELDS)
        assert "raw" not in row and "dropped" not in row


def test_jsonl_feed_matches_archive(crawl: Crawl, db: sqlite3.Connection) -> None:
    for row in crawl.first.feed:
        stored = _article_row(db, row["canonical_url"])
        assert stored is not None
        assert row["headline"] == stored["headline"]
        assert row["body"] == stored["body"]
        assert row["published"] == stored["published"]
        assert row["authors"] == _authors(db, stored["id"])
        assert [c["text"] for c in row["captions"]] == [t for t, _ in _captions(db, stored["id"])]


# -- a second run ------------------------------------------------------------------

def test_recrawl_duplicates_nothing(crawl: Crawl, db: sqlite3.Connection) -> None:
    count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert count == len(ARTICLES)
    versions = [r[0] for r in db.execute("SELECT version FROM articles")]
    assert versions == [1] * len(ARTICLES), "an unchanged page made a new version"
    captions = db.execute("SELECT count(*) FROM captions").fetchone()[0]
    assert captions == sum(len(a.captions) for a in ARTICLES)
