"""A story that moves: the site changes its address and redirects the old one.

The archived article must end as one article at the new address, with its
history, whichever of the two addresses the crawl asks first. The sitemap
lists the new address too, so it is requested on its own; the redirect from
the old one then lands on a URL already requested and Scrapy's duplicate
filter drops it (``redirect-duplicate``): the new address was stored as a
second article and the archived one kept its old address.
"""
from __future__ import annotations

import dataclasses
import signal
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive_support import archive_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.database import Archive
from newsarchive.items import RawPage
from newsarchive.urls import canonicalize_url

OLD = "/news/2024/03/01/story-two.html"
NEW = "/news/2024/03/01/story-two-renamed.html"


def _listing(*entries: tuple[str, str]) -> tuple[int, dict[str, str], str]:
    """A sitemap route listing (path, lastmod) ``entries``."""
    urls = "".join(f"<url><loc>{{base}}{path}</loc><lastmod>{lastmod}</lastmod></url>"
                   for path, lastmod in entries)
    return (200, {"Content-Type": "application/xml"},
            f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')


def _moved_site() -> dict[str, tuple[int, dict[str, str], str]]:
    from routedsite import article, robots

    return {"/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
            "/": (200, {}, "<html><body>home</body></html>"),
            "/sitemap.xml": _listing((OLD, "2024-03-01T10:00:00Z")),
            OLD: (200, {}, article("Story two"))}


def _move(routes: dict[str, tuple[int, dict[str, str], str]]) -> str:
    """The site renames the story: both addresses listed with a new lastmod
    (after the archived fetch, returned), the old one redirecting to the new one."""
    from routedsite import article

    time.sleep(1.1)  # a lastmod after the archived fetch, to the second
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    routes["/sitemap.xml"] = _listing((OLD, now), (NEW, now))
    routes[OLD] = (301, {"Location": f"{{base}}{NEW}"}, "")
    routes[NEW] = (200, {}, article("Story two"))
    return now


def _one_story_at_the_new_address(db: str, base: str, old: str = OLD, new: str = NEW) -> None:
    with Archive(db) as archive:
        assert archive.count_articles() == 1
        story = archive.get_article(f"{base}{new}")
        assert story is not None and urlsplit(story["canonical_url"]).path == new
        assert story["id"] == archive.find_article_id(f"{base}{old}")
        # The story did not change: one version, first seen by the first run.
        assert [v["version"] for v in archive.get_versions(story["id"])] == [1]
        assert story["gone_at"] is None


@pytest.mark.slow
@pytest.mark.parametrize("first", ["new address", "redirect"])
def test_a_story_moved_to_an_address_the_sitemap_lists_stays_one_article(
        tmp_path: Path, archive_url: str, first: str) -> None:  # noqa: F811
    from crawlsite import crawl_stats, run_crawl
    from routedsite import serve_routes

    settings = {"NEWSARCHIVE_DB_URL": archive_url}
    routes = _moved_site()
    # Held back, the other address is answered first.
    delays = {OLD: 1.0} if first == "new address" else {NEW: 1.0}
    with serve_routes(routes, delays) as (base, hits):
        assert run_crawl(tmp_path, "-a", f"url={base}/", settings=settings).returncode == 0
        _move(routes)
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl", settings=settings)
        assert second.returncode == 0, second.stderr[-3000:]
        stats = crawl_stats(second.stderr)
        assert (OLD, "", 301) in hits and (NEW, "", 200) in hits
        _one_story_at_the_new_address(archive_url, base)
        assert stats.get("newsarchive/archive/moved") == 1, second.stderr[-3000:]
        # The next run knows the story at its new address: nothing to fetch.
        hits.clear()
        third = run_crawl(tmp_path, "-a", f"url={base}/", feed="third.jsonl", settings=settings)
        assert third.returncode == 0, third.stderr[-3000:]
        assert [p for p, _, _ in hits if p in (OLD, NEW)] == [], hits
    _one_story_at_the_new_address(archive_url, base)



@pytest.mark.slow
def test_a_story_stored_twice_is_mended_when_its_old_address_is_fetched(tmp_path: Path) -> None:
    """The sitemap lists only the new address at first: the old one is not
    asked, and the page at the new address is stored as a second article.
    When the old address is next fetched (its lastmod moved), its redirect is
    followed to that archived page: the two become one. The page fetched
    through the redirect was stored as the second article's, and the archived
    story stayed at its old address."""
    from crawlsite import crawl_stats, run_crawl
    from routedsite import serve_routes

    db = f"sqlite:///{tmp_path / 'archive.db'}"
    routes = _moved_site()
    with serve_routes(routes) as (base, hits):
        assert run_crawl(tmp_path, "-a", f"url={base}/").returncode == 0
        moved_at = _move(routes)
        routes["/sitemap.xml"] = _listing((NEW, moved_at))
        assert run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl").returncode == 0
        with Archive(db) as archive:
            assert archive.count_articles() == 2
        time.sleep(1.1)
        routes["/sitemap.xml"] = _listing((OLD, datetime.now(timezone.utc).isoformat(timespec="seconds")),
                                          (NEW, moved_at))
        hits.clear()
        third = run_crawl(tmp_path, "-a", f"url={base}/", feed="third.jsonl")
        assert third.returncode == 0, third.stderr[-3000:]
        assert [p for p, _, _ in hits if p in (OLD, NEW)] == [OLD, NEW], hits
        assert crawl_stats(third.stderr).get("newsarchive/archive/moved") == 1, third.stderr[-3000:]
    _one_story_at_the_new_address(db, base)


@pytest.mark.slow
def test_a_move_to_an_archived_page_not_due_is_learnt_without_fetching_it(tmp_path: Path) -> None:
    """As above, but the old address is asked by its re-check (a recent story,
    no dates in the sitemap) while the copy at the new address is not due:
    the redirect is not followed (``unchanged``), and the move is recorded
    all the same."""
    from crawlsite import crawl_stats, run_crawl
    from routedsite import article, robots, serve_routes, sitemap

    day = datetime.now(timezone.utc).strftime("%Y/%m/%d")
    old, new = f"/news/{day}/story-three.html", f"/news/{day}/story-three-renamed.html"
    # Long enough for the second run and the start of the third, under load.
    settings = {"NEWSARCHIVE_RECHECK_EVERY": "10s"}
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    routes = {"/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
              "/": (200, {}, "<html><body>home</body></html>"),
              "/sitemap.xml": (200, {"Content-Type": "application/xml"}, sitemap(old)),
              old: (200, {}, article("Story three"))}
    with serve_routes(routes) as (base, hits):
        assert run_crawl(tmp_path, "-a", f"url={base}/", settings=settings).returncode == 0
        time.sleep(10.1)  # the old address is due for its re-check from now on
        routes["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, sitemap(new))
        routes[old] = (301, {"Location": f"{{base}}{new}"}, "")
        routes[new] = (200, {}, article("Story three"))
        assert run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl", settings=settings).returncode == 0
        with Archive(db) as archive:
            assert archive.count_articles() == 2
        routes["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, sitemap(old))
        hits.clear()
        third = run_crawl(tmp_path, "-a", f"url={base}/", feed="third.jsonl", settings=settings)
        assert third.returncode == 0, third.stderr[-3000:]
        assert [p for p, _, _ in hits if p in (old, new)] == [old], hits
        stats = crawl_stats(third.stderr)
        assert stats.get("newsarchive/archive/moved") == 1, third.stderr[-3000:]
    _one_story_at_the_new_address(db, base, old, new)


@pytest.mark.slow
def test_a_move_learnt_after_a_kill_and_resume(tmp_path: Path, archive_url: str) -> None:  # noqa: F811
    """Killed once the new address is stored and before the old one is asked
    (one request at a time, the new one held by the site): the resumed run
    asks the old address, and the page stored in the killed run is folded
    into the archived story."""
    from crawlsite import REPO, crawl_command, crawl_env, crawl_stats, run_crawl
    from routedsite import serve_routes

    from newsarchive import exitcodes

    one_at_a_time = {"CONCURRENT_REQUESTS": "1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    settings = {"NEWSARCHIVE_DB_URL": archive_url, "JOBDIR": str(tmp_path / "job"), **one_at_a_time}
    routes = _moved_site()
    with serve_routes(routes, {NEW: 2.0}) as (base, hits):
        assert run_crawl(tmp_path, "-a", f"url={base}/", settings=settings).returncode == 0
        _move(routes)
        hits.clear()
        run = subprocess.Popen(crawl_command(tmp_path, "-a", f"url={base}/", feed="part1.jsonl",
                                             settings=settings),
                               cwd=REPO, env=crawl_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not {(NEW, "", 200), (OLD, "", 301)} & set(hits) and time.monotonic() < deadline:
            time.sleep(0.02)
        run.send_signal(signal.SIGTERM)
        _, err = run.communicate(timeout=60)
        assert run.returncode == exitcodes.INTERRUPTED, err[-3000:]
        # The case under test: the new address stored, the old one left to the resumed run.
        assert (NEW, "", 200) in hits and (OLD, "", 301) not in hits, hits
        with Archive(archive_url) as archive:
            assert archive.count_articles() == 2
        hits.clear()
        resumed = run_crawl(tmp_path, "-a", f"url={base}/", feed="part2.jsonl", settings=settings)
        assert (OLD, "", 301) in hits and (NEW, "", 200) not in hits, hits
        assert crawl_stats(resumed.stderr).get("newsarchive/archive/moved") == 1, resumed.stderr[-3000:]
    _one_story_at_the_new_address(archive_url, base)


SITE = "https://www.example.com"


def _story(path: str, fetched_at: str, **changes: str) -> object:
    seed = sample_articles()[0]
    return dataclasses.replace(seed, url=f"{SITE}{path}", canonical_url=f"{SITE}{path}", fetched_at=fetched_at,
                               raw=RawPage(f"<html>{path}</html>".encode(), {}), **changes)


def _move_mark(at: str) -> object:
    from newsarchive.database.archive import MoveMark

    return MoveMark((f"{SITE}{OLD}",), f"{SITE}{NEW}", at)


def _one_article(archive: Archive, versions: list[int]) -> dict:
    assert archive.count_articles() == 1
    story = archive.get_article(f"{SITE}{OLD}")
    assert story is not None and story["canonical_url"] == canonicalize_url(f"{SITE}{NEW}")
    assert story["first_seen"] == "2024-03-01T10:00:00+00:00"
    assert [v["version"] for v in archive.get_versions(story["id"])] == versions
    return story


@pytest.mark.parametrize("when", ["earlier batch", "same batch", "later batch"])
def test_a_move_folds_the_page_at_the_new_address_into_the_archived_story(
        archive_url: str, when: str) -> None:  # noqa: F811
    """The page at the new address is stored before the move is known (an
    earlier batch, or the move's own batch) or after it (a later batch): the
    archive ends with the archived story, at its new address."""
    from newsarchive.database.archive import PreparedBatch

    with Archive(archive_url) as archive:
        archive.store_articles([_story(OLD, "2024-03-01T10:00:00+00:00")])
        renamed = _story(NEW, "2024-03-05T10:00:00+00:00")
        mark = _move_mark("2024-03-05T10:00:02+00:00")
        if when == "earlier batch":
            assert archive.store_articles([renamed]) == ["new"]
            assert archive.record_moves([mark]) == 1
        elif when == "same batch":
            batch = archive.prepare([renamed])
            batch.moved = [mark]
            result = archive.store_prepared(batch)
            assert list(result) == ["new"] and result.moved == 1
        else:
            assert archive.store_prepared(PreparedBatch([], moved=[mark])).moved == 0
            assert archive.store_articles([renamed]) == ["unchanged"]
        story = _one_article(archive, [1])
        assert story["last_seen"] == "2024-03-05T10:00:00+00:00"
        assert archive.get_versions(story["id"])[0]["last_seen"] == "2024-03-05T10:00:00+00:00"
        assert archive.find_article_id(f"{SITE}{NEW}") == story["id"]
        # A move applied twice, or its redirect followed later, changes nothing.
        assert archive.record_moves([mark]) == 0
        assert archive.count_articles() == 1
        with archive.engine.connect() as conn:
            fetched = conn.exec_driver_sql("SELECT article_id FROM fetches").scalars().all()
            assert set(fetched) == {story["id"]}
        # The search index holds the story once.
        assert [hit["id"] for hit in archive.search("Syria")] == [story["id"]]


def test_an_edit_at_the_new_address_is_the_next_version(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url) as archive:
        archive.store_articles([_story(OLD, "2024-03-01T10:00:00+00:00")])
        archive.store_articles([_story(NEW, "2024-03-05T10:00:00+00:00", headline="Russia has left Syria")])
        assert archive.record_moves([_move_mark("2024-03-05T10:00:02+00:00")]) == 1
        story = _one_article(archive, [1, 2])
        assert story["headline"] == "Russia has left Syria" and story["version"] == 2
        assert archive.get_raw_page(story["id"], 2) is not None
        assert archive.diff(story["id"], 1, 2)


def test_a_move_to_an_older_article_or_from_an_unknown_address_folds_nothing(
        archive_url: str) -> None:  # noqa: F811
    from newsarchive.database.archive import MoveMark

    with Archive(archive_url) as archive:
        # The new address was archived first: two stories the site merged, not a move.
        archive.store_articles([_story(NEW, "2024-02-01T10:00:00+00:00"),
                                _story(OLD, "2024-03-01T10:00:00+00:00", headline="Another story")])
        assert archive.record_moves([_move_mark("2024-03-05T10:00:02+00:00")]) == 0
        assert archive.count_articles() == 2
        assert archive.record_moves([MoveMark((f"{SITE}/never-archived",), f"{SITE}/elsewhere",
                                              "2024-03-05T10:00:02+00:00")]) == 0
        assert archive.find_article_id(f"{SITE}/elsewhere") is None


@pytest.mark.parametrize("writer", ["thread", "process"])
def test_the_store_pipeline_writes_moves_with_its_batches(archive_url: str, writer: str) -> None:  # noqa: F811
    """The spider's ``article_moved`` signal reaches the archive through the
    store pipeline's writer (thread or process), counted in the crawl's stats."""
    from test_store_pipeline import make_pipeline

    from newsarchive.signals import article_moved

    with Archive(archive_url) as archive:
        archive.store_articles([_story(OLD, "2024-03-01T10:00:00+00:00"),
                                _story(NEW, "2024-03-05T10:00:00+00:00")])
    pipeline, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_WRITER=writer,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=3600)
    pipeline.open_spider()
    crawler.signals.send_catch_log(signal=article_moved, urls=[f"{SITE}{OLD}"], target=f"{SITE}{NEW}")
    pipeline.close_spider()
    assert crawler.stats.get_value("newsarchive/archive/moved") == 1
    with Archive(archive_url) as archive:
        _one_article(archive, [1])
