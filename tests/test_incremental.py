"""Incremental, overlapping and resumed runs.

Unit tests of the fetch decision, then real crawls of the test site: a
second run over an unchanged site fetches no article page; two runs of one
site at once (the second exits 3 at once); a run killed with SIGTERM and
resumed from its JOBDIR (every article archived once, at most
CONCURRENT_REQUESTS pages fetched twice); and a site changed between two
runs (late edits, pages that went live or grew) archived as it now is.
"""
from __future__ import annotations

import dataclasses
import json
import re
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawlsite import (
    ALWAYS_500,
    DISCOVERY_PATHS,
    EXPECTED_ARTICLES,
    REPO,
    SiteState,
    crawl_command,
    crawl_env,
    crawl_stats,
    edit,
    editable_copy,
    read_feed,
    run_crawl,
    serve_site,
)
from newsarchive import exitcodes, incremental
from newsarchive.database import Archive, PageState
from newsarchive.incremental import IncrementalFilter

NOW = datetime(2024, 3, 10, 12, tzinfo=timezone.utc)
URL = "https://news.example/news/2024/03/01/story.html"


def incremental_with(state: PageState) -> IncrementalFilter:
    return IncrementalFilter(None, recent=timedelta(days=2), every=timedelta(hours=6),
                             source=lambda keys: {URL: state})


def test_decision_new_unchanged_changed_recheck() -> None:
    old = PageState(fetched_at="2024-03-09T00:00:00+00:00", etag='"abc"',
                    last_modified="Fri, 08 Mar 2024 12:00:00 GMT",
                    published="2024-03-01T09:00:00+00:00", modified=None)
    inc = incremental_with(old)
    assert inc.decide("https://news.example/other.html", now=NOW).reason == "new"
    # Variants of an archived URL are the archived URL.
    same = inc.decide("http://www.news.example/news/2024/03/01/story.html?utm_source=x", now=NOW)
    assert (same.fetch, same.reason) == (False, "unchanged")
    older = inc.decide(URL, discovered=datetime(2024, 3, 1, tzinfo=timezone.utc), now=NOW)
    assert not older.fetch
    newer = inc.decide(URL, discovered=datetime(2024, 3, 9, 6, tzinfo=timezone.utc), now=NOW)
    assert (newer.fetch, newer.reason) == (True, "changed")
    assert newer.headers == {"If-None-Match": '"abc"', "If-Modified-Since": "Fri, 08 Mar 2024 12:00:00 GMT"}


def test_recent_articles_are_rechecked_after_the_window() -> None:
    fresh = PageState(fetched_at="2024-03-10T09:00:00+00:00", etag=None, last_modified=None,
                      published="2024-03-09T20:00:00+00:00", modified=None)
    inc = incremental_with(fresh)
    assert inc.decide(URL, now=NOW).reason == "unchanged"  # fetched 3 h ago < 6 h
    later = inc.decide(URL, now=NOW + timedelta(hours=4))
    assert (later.fetch, later.reason) == (True, "recheck")
    # Past the "recent" window, never again unless discovery says it changed.
    assert not inc.decide(URL, now=NOW + timedelta(days=5)).fetch
    # A site's own window wins over the default.
    assert not inc.decide(URL, now=NOW + timedelta(hours=4), every=timedelta(hours=12)).fetch
    # A 304 an hour ago restarts the window, though the archive's fetch time stays.
    assert not inc.decide(URL, now=NOW + timedelta(hours=4), checked=NOW + timedelta(hours=3)).fetch


def test_a_publication_date_years_ahead_is_not_recent() -> None:
    """A page dated 2062 (a typed year) was "published within the window" for
    36 years: a re-check every six hours. A date a few hours ahead (a zone
    read wrong) still counts as recent."""
    typo = PageState(fetched_at="2024-03-03T00:00:00+00:00", etag=None, last_modified=None,
                     published="2062-03-01T09:00:00+00:00", modified=None)
    assert incremental_with(typo).decide(URL, now=NOW).reason == "unchanged"
    ahead = dataclasses.replace(typo, published="2024-03-10T20:00:00+00:00")
    assert incremental_with(ahead).decide(URL, now=NOW).reason == "recheck"


def test_a_modification_date_years_ahead_does_not_hide_later_changes() -> None:
    """The archived copy counted as of its page's modification date when that
    was later than the fetch: a page claiming to be modified in 2062 (a typed
    year) looked newer than every sitemap lastmod, so no change was fetched
    until then. A date some hours ahead (clocks that differ) still counts."""
    typo = PageState(fetched_at="2024-03-09T00:00:00+00:00", etag=None, last_modified=None,
                     published="2024-03-01T09:00:00+00:00", modified="2062-03-01T09:00:00+00:00")
    edited = datetime(2024, 3, 10, 6, tzinfo=timezone.utc)
    assert incremental_with(typo).decide(URL, discovered=edited, now=NOW).reason == "changed"
    skewed = dataclasses.replace(typo, modified="2024-03-09T03:00:00+00:00")
    assert not incremental_with(skewed).decide(URL, discovered=datetime(2024, 3, 9, 3, tzinfo=timezone.utc),
                                               now=NOW).fetch


def _counting_source(states: dict[str, PageState]) -> tuple[list[list[str]], object]:
    asked: list[list[str]] = []

    def source(keys: list[str]) -> dict[str, PageState]:
        asked.append(list(keys))
        return {key: states[key] for key in keys if key in states}

    return asked, source


STATE = PageState(fetched_at="2024-03-09T00:00:00+00:00", etag='"abc"', last_modified=None,
                  published="2024-03-01T09:00:00+00:00", modified=None)


def test_the_state_cache_is_bounded_and_an_evicted_url_is_decided_alike(monkeypatch) -> None:
    monkeypatch.setattr(incremental, "STATE_CACHE_SIZE", 50)
    archived = {f"https://news.example/a/{i}.html": STATE for i in range(0, 400, 2)}
    asked, source = _counting_source(archived)
    inc = IncrementalFilter(None, recent=timedelta(days=2), every=timedelta(hours=6), source=source)
    first = {}
    for i in range(400):
        url = f"https://news.example/a/{i}.html"
        first[url] = inc.decide(url, now=NOW)
        assert inc.cached <= 50
    assert {url: d.reason for url, d in first.items()} == {
        url: "unchanged" if url in archived else "new" for url in first}
    # The first URLs were evicted long ago: asked again, decided alike.
    again = {url: inc.decide(url, now=NOW) for url in list(first)[:10]}
    assert again == {url: first[url] for url in again}
    assert inc.cached <= 50


def test_a_url_the_archive_lacks_is_asked_for_once() -> None:
    asked, source = _counting_source({URL: STATE})
    inc = IncrementalFilter(None, recent=timedelta(days=2), every=timedelta(hours=6), source=source)
    missing = "https://news.example/news/2024/03/09/other.html"
    for _ in range(3):
        assert not inc.known(missing)
        assert inc.known(URL)
        assert inc.decide(missing, now=NOW).reason == "new"
    assert sorted(asked) == [[URL], [missing]]


def test_prefetch_asks_once_for_a_batch() -> None:
    asked, source = _counting_source({URL: STATE})
    inc = IncrementalFilter(None, recent=timedelta(days=2), every=timedelta(hours=6), source=source)
    batch = [URL, *(f"https://news.example/b/{i}.html" for i in range(20))]
    inc.prefetch(batch)
    inc.prefetch(batch)  # all cached already: no query
    decisions = [inc.decide(url, now=NOW).reason for url in batch]
    assert decisions == ["unchanged"] + ["new"] * 20
    assert len(asked) == 1 and sorted(asked[0]) == sorted(batch)


def test_decisions_stay_those_of_the_archive_before_the_run(tmp_path: Path) -> None:
    from archive_support import sample_articles

    articles = sample_articles()
    # A page whose canonical URL is another address: both are stored.
    articles[2] = dataclasses.replace(articles[2], canonical_url=articles[2].url.rstrip("/") + "-canonical")
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with Archive(db) as archive:
        archive.store_articles(articles[:2])
    inc = IncrementalFilter(db, recent=timedelta(days=2), every=timedelta(hours=6))
    site = articles[2].site
    inc.load(site)
    inc.load(articles[0].site)
    try:
        new_url = articles[2].url
        assert inc.decide(new_url).reason == "new"
        assert inc.known(articles[0].url)
        inc.hold(articles[2].canonical_url)
        # The run stores the page it fetched; the same run still sees it as new.
        with Archive(db) as archive:
            archive.store_articles([articles[2]])
        inc._cache.clear()  # as if evicted
        assert inc.decide(new_url).reason == "new"
        assert not inc.known(articles[2].canonical_url)
        # A later run knows it.
        later = IncrementalFilter(db, recent=timedelta(days=2), every=timedelta(hours=6))
        assert later.load(site) >= 1
        assert later.known(new_url)
        later.close()
    finally:
        inc.close()
    assert inc._archive is None


def test_a_broken_archive_leaves_every_page_new(tmp_path: Path, caplog) -> None:
    broken = tmp_path / "archive.db"
    broken.write_bytes(b"this is not an SQLite database, whatever its name says" * 100)
    inc = IncrementalFilter(f"sqlite:///{broken}", recent=timedelta(days=2), every=timedelta(hours=6))
    with caplog.at_level("ERROR", logger="newsarchive.incremental"):
        assert inc.load("news.example") == 0
        inc.prefetch([URL, "https://news.example/x.html"])
        decisions = [inc.decide(f"https://news.example/{i}.html") for i in range(5)]
        assert not inc.known(URL)
    assert {(d.fetch, d.reason) for d in decisions} == {(True, "new")}
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "cannot read the archive" in errors[0].getMessage()
    inc.close()


def test_a_table_lost_mid_run_leaves_the_rest_new(tmp_path: Path, caplog) -> None:
    from archive_support import sample_articles

    db = tmp_path / "archive.db"
    with Archive(f"sqlite:///{db}") as archive:
        archive.store_articles(sample_articles()[:1])
    inc = IncrementalFilter(f"sqlite:///{db}", recent=timedelta(days=2), every=timedelta(hours=6))
    inc.load(None)
    with sqlite3.connect(db) as conn:
        conn.execute("drop table article_urls")
    with caplog.at_level("ERROR", logger="newsarchive.incremental"):
        assert [inc.decide(f"https://news.example/{i}.html").reason for i in range(3)] == ["new"] * 3
    assert len([r for r in caplog.records if r.levelname == "ERROR"]) == 1
    inc.close()


def _archive_rows(tmp: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(tmp / "archive.db") as conn:
        return conn.execute("select canonical_url, site from articles").fetchall()


def _last_seen(tmp: Path) -> dict[str, str]:
    with sqlite3.connect(tmp / "archive.db") as conn:
        return dict(conn.execute("select canonical_url, last_seen from articles").fetchall())


@pytest.mark.slow
def test_second_run_fetches_no_article_page(crawl_site, tmp_path: Path) -> None:
    base, state = crawl_site
    first = run_crawl(tmp_path, "-a", f"url={base}/", feed="first.jsonl")
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(_archive_rows(tmp_path)) == len(EXPECTED_ARTICLES)
    seen_before = _last_seen(tmp_path)
    state.clear()
    second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl")
    assert second.returncode == 0, second.stderr[-3000:]
    # last_seen is the last time a fetch found the page (README, "What
    # last_seen says"): articles skipped as unchanged keep theirs.
    assert _last_seen(tmp_path) == seen_before
    fetched = state.paths()
    # Only robots.txt, sitemaps, feeds and section pages (and the page that
    # failed with a 500, which is worth another try); page 2 of an unchanged
    # section is not even needed. Non-articles, 404s and redirects are remembered.
    assert set(fetched) <= DISCOVERY_PATHS | {ALWAYS_500}, sorted(set(fetched) - DISCOVERY_PATHS)
    assert "/news/page/2" not in fetched
    # Child sitemaps whose lastmod in the index is older than our full read are skipped.
    assert not {"/sitemaps/archive-2019.xml", "/sitemaps/articles.xml.gz", "/sitemaps/news.xml"} & set(fetched)
    assert "/sitemap_index.xml" in fetched
    assert read_feed(tmp_path / "second.jsonl") == []
    stats = crawl_stats(second.stderr)
    # Articles met in feeds and on section pages were checked against the
    # archive; those only in the three unchanged child sitemaps were not met.
    assert stats.get("newsarchive/skipped/sitemap-unchanged") == 3
    assert stats.get("newsarchive/skipped/unchanged", 0) == 6
    assert stats.get("newsarchive/skipped/remembered", 0) >= 4  # 404, round-up, notice, short link
    assert len(_archive_rows(tmp_path)) == len(EXPECTED_ARTICLES)
    # The same site into a fresh archive (a move to PostgreSQL, a second
    # project): "this sitemap was read in full" was true of the first archive
    # only. Kept per site alone, the articles listed only in those sitemaps
    # were silently missing from the new one.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    third = run_crawl(tmp_path, "-a", f"url={base}/", feed="third.jsonl",
                      settings={"NEWSARCHIVE_DB_URL": f"sqlite:///{fresh / 'archive.db'}"})
    assert third.returncode == 0, third.stderr[-3000:]
    assert crawl_stats(third.stderr).get("newsarchive/skipped/sitemap-unchanged", 0) == 0
    assert len(_archive_rows(fresh)) == len(EXPECTED_ARTICLES)


@pytest.mark.slow
def test_recheck_window_uses_conditional_get(crawl_site, tmp_path: Path) -> None:
    base, state = crawl_site
    assert run_crawl(tmp_path, "-a", f"url={base}/").returncode == 0
    with Archive(f"sqlite:///{tmp_path / 'archive.db'}") as archive:
        before = {url: s.fetched_at for url, s in archive.page_states().items()}
    time.sleep(1.1)  # the archive keeps fetch times to the second
    state.clear()
    # Everything counts as recent and due: each article is asked for again,
    # conditionally, and the server's 304 costs no body and stores nothing.
    again = run_crawl(tmp_path, "-a", f"url={base}/", feed="again.jsonl",
                      settings={"NEWSARCHIVE_RECHECK_RECENT": "5000d", "NEWSARCHIVE_RECHECK_EVERY": "1s"})
    assert again.returncode == 0, again.stderr[-3000:]
    article_hits = [h for h in state.hits if h.path in EXPECTED_ARTICLES]
    # Every one the run can meet: the 2019 story listed only in a child
    # sitemap unchanged since the first run's full read, and the one linked
    # only from page 2 of a section, included (that sitemap was skipped, and
    # pagination stopped at page 1, so the window never saw them). The
    # hospital story is reached only through a feed short link remembered as
    # redirecting to it, and through a remembered non-article round-up page.
    hospital = "/news/2024/03/04/hospital-waiting-lists-fall.html"
    assert {h.path for h in article_hits} == EXPECTED_ARTICLES - {hospital}
    assert {"/sitemaps/archive-2019.xml", "/news/page/2"} <= set(state.paths())
    assert all(h.headers.get("If-None-Match") for h in article_hits)
    assert {h.status for h in article_hits} == {304}
    assert crawl_stats(again.stderr).get("newsarchive/skipped/not-modified") == len(article_hits)
    assert read_feed(tmp_path / "again.jsonl") == []
    # Each 304 is remembered as the time the next re-check counts from.
    memory = json.loads(next((tmp_path / "state").glob("*.skipped.json")).read_text())
    checked = {urlsplit(url).path for url, (reason, _) in memory.items() if reason == "checked"}
    assert checked == {h.path for h in article_hits}
    # The archive hears of the 304s too: their fetch time moves forward, nothing else.
    with Archive(f"sqlite:///{tmp_path / 'archive.db'}") as archive:
        after = {url: s.fetched_at for url, s in archive.page_states().items()}
    moved = {urlsplit(url).path for url in after if after[url] > before[url]}
    assert {h.path for h in article_hits} <= moved
    assert len(_archive_rows(tmp_path)) == len(EXPECTED_ARTICLES)


def _versions(tmp: Path) -> dict[str, int]:
    """Archived article path -> its version number."""
    with sqlite3.connect(tmp / "archive.db") as conn:
        rows = conn.execute("select canonical_url, version from articles").fetchall()
    return {urlsplit(url).path: version for url, version in rows}


def _move_lastmod(sitemap: Path, path: str, when: datetime) -> None:
    """Give the ``<url>`` / ``<sitemap>`` entry of ``path`` in ``sitemap`` the ``lastmod`` ``when``."""
    text = sitemap.read_text(encoding="utf-8")
    entry = rf"(<loc>\{{base\}}{re.escape(path)}</loc><lastmod>)[^<]+"
    assert re.search(entry, text), f"{path} not in {sitemap}"
    sitemap.write_text(re.sub(entry, rf"\g<1>{when.isoformat()}", text), encoding="utf-8")


def _first_run(crawl_site, tmp_path: Path) -> tuple[str, object, Path]:
    """Crawl an editable copy of the test site once; returns (base, state, site folder)."""
    base, state = crawl_site
    site = editable_copy(state, tmp_path / "site")
    first = run_crawl(tmp_path, "-a", f"url={base}/", feed="first.jsonl")
    assert first.returncode == 0, first.stderr[-3000:]
    # The archive and skip memory keep times to the second; the changes come after.
    time.sleep(1.1)
    state.clear()
    return base, state, site


@pytest.mark.slow
def test_since_keeps_late_edits_of_archived_articles(crawl_site, tmp_path: Path) -> None:
    # `since` is about publication for new articles, about the change for
    # archived ones: a 2019 article edited today is a new version. It was
    # fetched as changed, then dropped for its 2019 publication date.
    base, state, site = _first_run(crawl_site, tmp_path)
    old = "/news/2019/06/01/old-market-hall-restoration-begins.html"
    edit(site / old.lstrip("/"), "(8.2)", "(8.2) Correction: the hall reopens in May, not June.")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    _move_lastmod(site / "sitemaps/archive-2019.xml", old, now)
    _move_lastmod(site / "sitemap_index.xml", "/sitemaps/archive-2019.xml", now)
    second = run_crawl(tmp_path, "-a", f"url={base}/", "-a", "since=2d", feed="second.jsonl")
    assert second.returncode == 0, second.stderr[-3000:]
    stats = crawl_stats(second.stderr)
    assert stats.get("newsarchive/articles/changed") == 1
    assert [urlsplit(a["url"]).path for a in read_feed(tmp_path / "second.jsonl")] == [old]
    assert _versions(tmp_path)[old] == 2
    # Archived articles not changed since `since` are not even asked for.
    assert state.paths().count(old) == 1
    assert not set(state.paths()) & (EXPECTED_ARTICLES - {old})


@pytest.mark.slow
def test_a_page_dropped_by_since_is_not_fetched_again_while_since_excludes_it(crawl_site, tmp_path: Path) -> None:
    # Old articles linked from the home and section pages (undated links) are
    # fetched, then dropped for their publication date: every hourly run with
    # a since fetched them all again. A run whose since admits them still must.
    base, state = crawl_site
    first = run_crawl(tmp_path, "-a", f"url={base}/", "-a", "since=2d", feed="first.jsonl")
    assert first.returncode == 0, first.stderr[-3000:]
    dropped = set(state.paths()) & EXPECTED_ARTICLES
    assert dropped and crawl_stats(first.stderr)["newsarchive/skipped/older-than-since"] >= len(dropped)
    assert read_feed(tmp_path / "first.jsonl") == []

    state.clear()
    second = run_crawl(tmp_path, "-a", f"url={base}/", "-a", "since=2d", feed="second.jsonl")
    assert second.returncode == 0, second.stderr[-3000:]
    # Only the pages the first run fetched and dropped are remembered. An old
    # page that both a sitemap (dated) and a section page (undated) list was
    # skipped unfetched if the sitemap came first, and is fetched once (then
    # remembered) when a run meets the section page's link first: that order
    # is the downloads' race, so the second run is not asked to repeat it.
    assert not set(state.paths()) & dropped
    assert crawl_stats(second.stderr)["newsarchive/skipped/older-than-since"] >= len(dropped)
    # Whichever run fetched and dropped a page, no later run fetches it again.
    dropped |= set(state.paths()) & EXPECTED_ARTICLES
    state.clear()
    third = run_crawl(tmp_path, "-a", f"url={base}/", "-a", "since=2d", feed="third.jsonl")
    assert third.returncode == 0, third.stderr[-3000:]
    assert not set(state.paths()) & dropped

    state.clear()
    backfill = run_crawl(tmp_path, "-a", f"url={base}/", "-a", "since=2019-01-01", feed="backfill.jsonl")
    assert backfill.returncode == 0, backfill.stderr[-3000:]
    stored = {urlsplit(a["url"]).path for a in read_feed(tmp_path / "backfill.jsonl")}
    assert dropped <= stored


@pytest.mark.slow
def test_newer_discovery_date_overrides_a_remembered_skip(crawl_site, tmp_path: Path) -> None:
    base, state = crawl_site
    site = editable_copy(state, tmp_path / "site")
    today = datetime.now(timezone.utc)
    # Listed before they are ready: a page still 404, and a breaking-news stub too short to be an article.
    coming = f"/news/{today:%Y/%m/%d}/ferry-timetable-changes.html"
    stub = f"/news/{today:%Y/%m/%d}/storm-warning-for-the-coast.html"
    listed = "".join(f"<url><loc>{{base}}{path}</loc><lastmod>2024-03-10T06:00:00+00:00</lastmod></url>"
                     for path in (coming, stub))
    edit(site / "sitemaps/articles.xml", "</urlset>", listed + "</urlset>")
    stub_file = site / stub.lstrip("/")
    stub_file.parent.mkdir(parents=True)
    stub_page = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                 f"<title>Storm warning | The Local Courier</title><meta property='article:published_time' "
                 f"content='{today.isoformat()}'></head><body><article><h1>Storm warning for the coast</h1>"
                 "<p>A storm warning is in force for the coast. More soon.</p>{more}</article></body></html>")
    stub_file.write_text(stub_page.replace("{more}", ""), encoding="utf-8")
    first = run_crawl(tmp_path, "-a", f"url={base}/", feed="first.jsonl")
    assert first.returncode == 0, first.stderr[-3000:]
    memory = json.loads(next((tmp_path / "state").glob("*.skipped.json")).read_text())
    reasons = {urlsplit(url).path: reason for url, (reason, _) in memory.items()}
    assert (reasons[coming], reasons[stub]) == ("gone", "few-words")
    time.sleep(1.1)
    state.clear()
    # The page goes live, the stub grows into a story, and the sitemap says so.
    template = (site / "news/2024/03/02/school-meals-programme-expands.html").read_text(encoding="utf-8")
    (site / coming.lstrip("/")).write_text(
        template.replace("/news/2024/03/02/school-meals-programme-expands.html", coming)
        .replace("2024-03-02T08:30:00+00:00", today.isoformat()), encoding="utf-8")
    more = "".join(f"<p>Update {n}: crews worked through the night to clear fallen trees from the coast road, "
                   "and the ferry company said sailings would resume once the wind drops below gale force.</p>"
                   for n in range(1, 5))
    stub_file.write_text(stub_page.replace("{more}", more), encoding="utf-8")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    roundup = "/world/2024/03/08/weekly-roundup-of-world-stories.html"
    for path in (coming, stub, roundup):
        _move_lastmod(site / "sitemaps/articles.xml", path, now)
    _move_lastmod(site / "sitemap_index.xml", "/sitemaps/articles.xml.gz", now)
    second = run_crawl(tmp_path, "-a", f"url={base}/", "-a", "since=2d", feed="second.jsonl")
    assert second.returncode == 0, second.stderr[-3000:]
    stored = {urlsplit(a["url"]).path for a in read_feed(tmp_path / "second.jsonl")}
    assert stored == {coming, stub}
    assert {path: _versions(tmp_path).get(path) for path in stored} == {coming: 1, stub: 1}
    # A verdict on what a page is holds even against a newer date: the
    # round-up (a CollectionPage, as a category page that carries its newest
    # post's lastmod) is not asked for again.
    assert roundup not in state.paths()
    assert crawl_stats(second.stderr).get("newsarchive/skipped/remembered", 0) >= 1
    # Judged an article now: the old verdicts are forgotten.
    memory = json.loads(next((tmp_path / "state").glob("*.skipped.json")).read_text())
    assert not {coming, stub} & {urlsplit(url).path for url in memory}


@pytest.mark.slow
def test_newest_discovery_date_of_a_url_decides(crawl_site, tmp_path: Path) -> None:
    # The council story is in the RSS feed (with its publication date), on a
    # section page (undated) and in a child sitemap. Met first in the feed or
    # the section, it was decided "unchanged" there, and the sitemap's newer
    # lastmod, met later, was dropped as a repeat.
    base, state, site = _first_run(crawl_site, tmp_path)
    council = "/news/2024/03/01/council-approves-new-cycle-lanes.html"
    edit(site / council.lstrip("/"), "<h1>Council approves new cycle lanes across the city centre</h1>",
         "<h1>Council approves fewer cycle lanes than planned</h1><p>Correction: an earlier version "
         "gave the wrong number of lanes.</p>")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    _move_lastmod(site / "sitemaps/articles.xml", council, now)
    _move_lastmod(site / "sitemap_index.xml", "/sitemaps/articles.xml.gz", now)
    # So that the feed and the section page are certainly read first.
    state.slow_paths["/sitemaps/articles.xml.gz"] = 2.0
    second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl")
    assert second.returncode == 0, second.stderr[-3000:]
    assert state.paths().count(council) == 1  # fetched once, though met three times
    stats = crawl_stats(second.stderr)
    assert stats.get("newsarchive/articles/changed") == 1
    assert [urlsplit(a["url"]).path for a in read_feed(tmp_path / "second.jsonl")] == [council]
    assert _versions(tmp_path)[council] == 2
    # One decision counted per article: the council story's skip was taken back.
    assert stats.get("newsarchive/skipped/unchanged", 0) == 6


@pytest.mark.slow
def test_a_sitemap_stamping_every_entry_now_does_not_refetch_the_archive(crawl_site, tmp_path: Path) -> None:
    # Sitemaps built on request often give every entry the time they were
    # built as its lastmod. Taken at its word, every hourly run fetched every
    # archived article it lists again, as "changed".
    base, state, site = _first_run(crawl_site, tmp_path)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    sitemap = site / "sitemaps/articles.xml"
    sitemap.write_text(re.sub(r"<lastmod>[^<]+", f"<lastmod>{now.isoformat()}", sitemap.read_text("utf-8")), "utf-8")
    _move_lastmod(site / "sitemap_index.xml", "/sitemaps/articles.xml.gz", now)
    second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl")
    assert second.returncode == 0, second.stderr[-3000:]
    assert "/sitemaps/articles.xml.gz" in state.paths()
    assert not set(state.paths()) & EXPECTED_ARTICLES
    stats = crawl_stats(second.stderr)
    assert stats.get("newsarchive/discovered/stamped_dates") == 5
    assert stats.get("newsarchive/articles/changed", 0) == 0
    assert "dates every entry" in second.stderr
    assert read_feed(tmp_path / "second.jsonl") == []


@pytest.mark.slow
def test_overlapping_runs_of_one_site(crawl_site, tmp_path: Path) -> None:
    base, state = crawl_site
    # About 8 s of crawling: long enough to overlap even on a loaded machine.
    state.page_delay, state.bulk_count = 0.5, 30
    slow = subprocess.Popen(crawl_command(tmp_path, "-a", f"url={base}/", feed="slow.jsonl",
                                          settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "2"}),
                            cwd=REPO, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not any(p.startswith("/bulk/") for p in state.paths()) and time.monotonic() < deadline:
            time.sleep(0.1)
        started = time.monotonic()
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl")
        assert second.returncode == exitcodes.ALREADY_RUNNING, second.stderr[-3000:]
        assert "already being crawled by another run" in second.stderr
        assert time.monotonic() - started < 15
        # Exit 3 shows the runs overlapped; whether the first run is still
        # going now depends on the machine's load (it may just have finished
        # while the second started up), so it is checked by its own exit
        # status and rows below, not by poll().
        assert crawl_stats(second.stderr).get("downloader/request_count", 0) == 0
        assert not (tmp_path / "second.jsonl").exists()
        # Another site may crawl into the same archive meanwhile.
        other_state = SiteState()
        other_base, other_server = serve_site(other_state)
        try:
            other = run_crawl(tmp_path, "-a", f"url={other_base}/", feed="other.jsonl")
        finally:
            other_server.shutdown()
            other_server.server_close()
        assert other.returncode == 0, other.stderr[-3000:]
        assert "database is locked" not in other.stderr
        _, err = slow.communicate(timeout=120)
        assert slow.returncode == 0, err[-3000:]
    finally:
        if slow.poll() is None:
            slow.kill()
    rows = _archive_rows(tmp_path)
    assert len(rows) == 2 * len(EXPECTED_ARTICLES) + 30
    # The lock went with the run: a new run of the site starts normally.
    assert run_crawl(tmp_path, "-a", f"url={base}/", feed="third.jsonl").returncode == 0


@pytest.mark.slow
def test_kill_and_resume_with_jobdir(crawl_site, tmp_path: Path) -> None:
    base, state = crawl_site
    state.page_delay, state.bulk_count = 0.2, 40
    concurrency = 4
    settings = {"JOBDIR": str(tmp_path / "job"), "CONCURRENT_REQUESTS": str(concurrency),
                "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency)}
    run = subprocess.Popen(crawl_command(tmp_path, "-a", f"url={base}/", feed="part1.jsonl", settings=settings),
                           cwd=REPO, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while sum(p.startswith("/bulk/") for p in state.paths()) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=60)
    assert run.returncode == exitcodes.INTERRUPTED, err[-3000:]
    done_first = len(read_feed(tmp_path / "part1.jsonl"))
    assert 0 < done_first < len(EXPECTED_ARTICLES) + 40

    resumed = run_crawl(tmp_path, "-a", f"url={base}/", feed="part2.jsonl", settings=settings)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    items = read_feed(tmp_path / "part1.jsonl") + read_feed(tmp_path / "part2.jsonl")
    stored = Counter(urlsplit(i["url"]).path for i in items)
    bulk = {f"/bulk/2024/03/01/bulk-story-number-{n}.html" for n in range(40)}
    assert set(stored) == EXPECTED_ARTICLES | bulk
    assert max(stored.values()) == 1
    assert len(_archive_rows(tmp_path)) == len(EXPECTED_ARTICLES) + 40
    fetched = Counter(p for p in state.paths(200) if p in EXPECTED_ARTICLES | bulk)
    assert sum(1 for n in fetched.values() if n > 1) <= concurrency
    # The finished job leaves the JOBDIR ready for the next scheduled run,
    # which discovers again (and fetches no article: all are archived).
    state.clear()
    state.page_delay = 0
    again = run_crawl(tmp_path, "-a", f"url={base}/", feed="part3.jsonl", settings=settings)
    assert again.returncode == 0, again.stderr[-3000:]
    assert {"/sitemap_index.xml", "/", "/rss.xml"} <= set(state.paths())
    assert not set(state.paths()) & (EXPECTED_ARTICLES | bulk)


def test_skip_memory_is_kept_per_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsarchive.skipmemory import SkipMemory, archive_key

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    # One archive however its URL is written; another file or server is another.
    assert archive_key("sqlite:///a.db") == archive_key(f"sqlite:///{tmp_path / 'a.db'}")
    assert archive_key("sqlite:///a.db") != archive_key("sqlite:///b.db")
    assert archive_key("a.db") == archive_key("sqlite:///a.db")  # a plain path is an SQLite file
    assert (archive_key("postgresql://u:one@127.0.0.1/test")
            == archive_key("postgresql+psycopg://u:two@127.0.0.1/test"))
    assert archive_key("postgresql://u@127.0.0.1/test") != archive_key("postgresql://u@127.0.0.1/other")
    keep = timedelta(days=7)
    first = SkipMemory(tmp_path / "state", "courier", keep_for=keep, archive="sqlite:///a.db")
    first.remember("https://courier.example/sitemap-1.xml", "sitemap-read")
    first.save()
    again = SkipMemory(tmp_path / "state", "courier", keep_for=keep, archive="sqlite:///a.db")
    assert again.load() == 1
    other = SkipMemory(tmp_path / "state", "courier", keep_for=keep, archive="sqlite:///b.db")
    assert other.load() == 0


@pytest.mark.slow
def test_a_lastmod_without_offset_is_read_in_the_sites_time_zone(tmp_path: Path) -> None:
    """A Tokyo site's sitemap writes local times without an offset. Read as
    UTC, a lastmod from before the archived fetch lay nine hours in the future,
    and every hourly run fetched the article again as "changed"."""
    from zoneinfo import ZoneInfo

    from routedsite import article, robots, serve_routes

    path = "/news/2024/03/01/tokyo-harbour-story.html"
    tokyo = ZoneInfo("Asia/Tokyo")

    def sitemap_dated(when: datetime) -> tuple[int, dict[str, str], str]:
        naive = when.astimezone(tokyo).replace(tzinfo=None, microsecond=0).isoformat()
        return (200, {"Content-Type": "application/xml"},
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{{base}}{path}</loc><lastmod>{naive}</lastmod></url></urlset>")

    routes = {"/": (200, {}, "<html><body>home</body></html>"), path: (200, {}, article("Tokyo harbour")),
              "/sitemap.xml": sitemap_dated(datetime.now(timezone.utc) - timedelta(hours=1))}
    sites = tmp_path / "sites"
    sites.mkdir()
    with serve_routes(routes) as (base, hits):
        routes["/robots.txt"] = robots("Allow: /", "Sitemap: {base}/sitemap.xml")
        (sites / "tokyo.toml").write_text(
            f'domains = ["{base.split("//", 1)[1]}"]\ntimezone = "Asia/Tokyo"\nstart_urls = ["{base}/"]\n',
            encoding="utf-8")
        settings = {"NEWSARCHIVE_SITES_DIR": str(sites)}

        def crawl(feed: str) -> dict:
            hits.clear()
            result = run_crawl(tmp_path, "-a", "site=tokyo", settings=settings, feed=feed)
            assert result.returncode == 0, result.stderr[-3000:]
            return crawl_stats(result.stderr)

        assert crawl("first.jsonl")["newsarchive/articles/new"] == 1
        stats = crawl("second.jsonl")
        assert [p for p, _, _ in hits if p == path] == [], stats
        assert stats.get("newsarchive/skipped/unchanged") == 1, stats
        # An edit after the fetch, dated in Tokyo time, is still fetched.
        time.sleep(1.1)
        routes["/sitemap.xml"] = sitemap_dated(datetime.now(timezone.utc))
        stats = crawl("third.jsonl")
        assert [p for p, _, _ in hits if p == path] == [path], stats
        assert stats.get("newsarchive/articles/changed") == 1, stats


@pytest.mark.slow
def test_a_lastmod_in_the_future_does_not_refetch_every_run(tmp_path: Path) -> None:
    """A sitemap dating an entry years ahead (a typed year, a scheduled post,
    an offset that lies) said "changed since the archived copy" on every run:
    the article was fetched again each hour, 304 or not, until that date."""
    from routedsite import article, robots, serve_routes

    path = "/news/2024/03/01/future-dated-story.html"
    other = "/news/2024/03/01/plainly-dated-story.html"
    routes = {
        "/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
        "/": (200, {}, "<html><body>home</body></html>"),
        "/sitemap.xml": (200, {"Content-Type": "application/xml"},
                         '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                         f"<url><loc>{{base}}{path}</loc><lastmod>2062-03-01T10:00:00Z</lastmod></url>"
                         f"<url><loc>{{base}}{other}</loc><lastmod>2024-03-01T10:00:00Z</lastmod></url>"
                         "</urlset>"),
        path: (200, {}, article("Future dated")),
        other: (200, {}, article("Plainly dated")),
    }
    with serve_routes(routes) as (base, hits):
        first = run_crawl(tmp_path, "-a", f"url={base}/")
        assert first.returncode == 0, first.stderr[-3000:]
        assert crawl_stats(first.stderr)["newsarchive/articles/new"] == 2
        hits.clear()
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl")
    assert second.returncode == 0, second.stderr[-3000:]
    stats = crawl_stats(second.stderr)
    assert [p for p, _, _ in hits if p == path] == [], stats
    assert stats.get("newsarchive/skipped/unchanged") == 2, stats
    assert stats.get("newsarchive/discovered/future_dates") == 1, stats
    assert "dates 1 entry after the time it was served" in second.stderr


@pytest.mark.slow
def test_an_article_moved_by_a_301_stays_one_article(tmp_path: Path) -> None:
    """A site moves a story and redirects its archived address: the page
    fetched through the redirect was stored as a second article (search and
    export showed the story twice, and the first copy's history stopped)."""
    from routedsite import article, robots, serve_routes

    old = "/news/2024/03/01/story-two.html"
    new = "/news/2024/03/02/story-two-moved.html"

    def listing(path: str, lastmod: str) -> tuple[int, dict[str, str], str]:
        return (200, {"Content-Type": "application/xml"},
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{{base}}{path}</loc><lastmod>{lastmod}</lastmod></url></urlset>")

    routes = {
        "/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
        "/": (200, {}, "<html><body>home</body></html>"),
        "/sitemap.xml": listing(old, "2024-03-01T10:00:00Z"),
        old: (200, {}, article("Story two")),
    }
    with serve_routes(routes) as (base, hits):
        first = run_crawl(tmp_path, "-a", f"url={base}/")
        assert first.returncode == 0, first.stderr[-3000:]
        time.sleep(1.1)  # a lastmod after the archived fetch, to the second
        moved_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        routes["/sitemap.xml"] = listing(old, moved_at)
        routes[old] = (301, {"Location": f"{{base}}{new}"}, "")
        routes[new] = (200, {}, article("Story two"))
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl")
        assert second.returncode == 0, second.stderr[-3000:]
        assert (new, "", 200) in hits
        hits.clear()
        routes["/sitemap.xml"] = listing(new, moved_at)
        third = run_crawl(tmp_path, "-a", f"url={base}/", feed="third.jsonl")
        assert third.returncode == 0, third.stderr[-3000:]
    rows = _archive_rows(tmp_path)
    assert [urlsplit(key).path for key, _ in rows] == [new], rows
    # The third run knows the new address: nothing is fetched again.
    assert [p for p, _, _ in hits if p in (old, new)] == [], hits
