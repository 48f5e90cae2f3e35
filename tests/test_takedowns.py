"""Takedowns: an archived article whose page later answers 404 or 410 is
marked gone in the archive (``gone_at``, ``gone_status``, a "gone" event in
its history), shown so by ``show``, ``search``, ``export``, ``stats`` and
Datasette, and restored when the page answers again."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_support import archive_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.cli import main
from newsarchive.database import Archive
from newsarchive.database.archive import GoneMark, PreparedBatch

SEED = sample_articles()[0]
# The address it was fetched from (tracking parameter and all) and its canonical key.
FETCHED = SEED.url
CANONICAL = "https://www.independent.co.uk/news/world/europe/russia-syria-withdrawal-a6931146.html"


def _gone_state(archive: Archive, ref: str | int = 1) -> tuple[str | None, int | None, list[tuple]]:
    article = archive.get_article(ref)
    assert article is not None
    events = [(e["event"], e["status"], e["at"]) for e in article["events"]]
    return article["gone_at"], article["gone_status"], events


def _listing(path: str, lastmod: str) -> tuple[int, dict[str, str], str]:
    """A sitemap route listing ``path`` with ``lastmod``."""
    return (200, {"Content-Type": "application/xml"},
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{{base}}{path}</loc><lastmod>{lastmod}</lastmod></url></urlset>")


def _closing_line(log: str) -> str:
    """The crawl log's summary of the run (its last line but for an exit-4 reason)."""
    return next(line for line in reversed(log.splitlines()) if "newsarchive: run finished" in line)


def _a_second_later() -> str:
    time.sleep(1.1)  # a lastmod after the last fetch, to the second
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def test_mark_gone_keeps_the_first_takedown_and_a_fetch_restores(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url) as archive:
        archive.store_articles(sample_articles())
        assert _gone_state(archive) == (None, None, [])

        # Any address of the article finds it: here the canonical one, not the one fetched.
        assert archive.mark_gone([CANONICAL], 410, at="2016-05-01T10:00:00+00:00") == 1
        first = ("2016-05-01T10:00:00+00:00", 410, [("gone", 410, "2016-05-01T10:00:00+00:00")])
        assert _gone_state(archive) == first
        # Marked again (a later run, a 404 this time): the first date and status stay.
        assert archive.mark_gone([FETCHED], 404, at="2016-05-02T10:00:00+00:00") == 0
        assert _gone_state(archive) == first
        # The other articles are untouched.
        assert archive.get_article(2)["gone_at"] is None

        # The page answers again: stored, the mark is cleared and the return recorded.
        outcome = archive.store_articles([dataclasses.replace(
            SEED, fetched_at="2016-05-03T10:00:00+00:00")])
        assert outcome == ["unchanged"] and outcome.restored == 1
        gone_at, status, events = _gone_state(archive)
        assert (gone_at, status) == (None, None)
        assert events == [("gone", 410, "2016-05-01T10:00:00+00:00"),
                          ("restored", None, "2016-05-03T10:00:00+00:00")]
        # Taken down once more: a new takedown, with its own date.
        assert archive.mark_gone([FETCHED], 404, at="2016-06-01T00:00:00+00:00") == 1
        assert _gone_state(archive)[:2] == ("2016-06-01T00:00:00+00:00", 404)


def test_unknown_urls_and_stale_marks_are_ignored(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url) as archive:
        archive.store_articles(sample_articles())
        assert archive.mark_gone(["https://example.com/never-archived"], 404) == 0
        assert archive.mark_gone([], 404) == 0
        # A 404 older than the article's last successful fetch says nothing of it now.
        assert archive.mark_gone([FETCHED], 404, at="2016-03-01T00:00:00+00:00") == 0
        assert _gone_state(archive) == (None, None, [])
        with archive.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM article_events").scalar() == 0


def test_an_old_address_gone_is_no_takedown_of_the_article(archive_url: str) -> None:  # noqa: F811
    """An address the article is known by but does not live at (the URL a
    sitemap gave for a page declaring another canonical, the address before
    a move) answering 404 is not the article taken down: it was marked gone
    while its own address answered."""
    alias = "https://www.example.com/news/2016/old-address-of-the-story"
    declared = "https://www.example.com/news/2016/the-story"
    story = dataclasses.replace(SEED, url=alias, canonical_url=declared)
    with Archive(archive_url) as archive:
        archive.store_articles([story])
        assert archive.get_article(alias) is not None  # known by that address
        assert archive.mark_gone([alias], 404, at="2016-05-04T00:00:00+00:00") == 0
        assert _gone_state(archive) == (None, None, [])
        assert archive.mark_gone([declared], 410, at="2016-05-04T00:00:00+00:00") == 1


def test_a_batch_carries_takedowns_in_its_transaction(archive_url: str) -> None:  # noqa: F811
    """The crawl's path: takedowns ride in a prepared batch (the store
    pipeline's writer), with articles or alone; time, not order, decides."""
    with Archive(archive_url) as archive:
        archive.store_articles(sample_articles())
        later = dataclasses.replace(SEED, fetched_at="2016-05-03T10:00:00+00:00")
        batch = archive.prepare([later])
        # Found gone before the fetch that stored it in the same batch: live.
        batch.gone = [GoneMark(FETCHED, 404, "2016-05-02T10:00:00+00:00"),
                      GoneMark("https://www.bbc.co.uk/news/uk-politics-35820000", 410,
                               "2016-05-02T11:00:00+00:00"),
                      GoneMark("https://example.com/unknown", 410, "2016-05-02T11:00:00+00:00")]
        result = archive.store_prepared(batch)
        assert list(result) == ["unchanged"] and (result.gone, result.restored) == (1, 0)
        assert archive.get_article(1)["gone_at"] is None
        assert archive.get_article(2)["gone_status"] == 410
        alone = archive.store_prepared(PreparedBatch([], [GoneMark(FETCHED, 410, "2016-05-04T00:00:00+00:00")]))
        assert list(alone) == [] and alone.gone == 1
        assert archive.get_article(1)["gone_at"] == "2016-05-04T00:00:00+00:00"


def test_joined_batches_keep_their_takedowns() -> None:
    mark = GoneMark("https://example.com/a", 410, "2016-05-04T00:00:00+00:00")
    joined = PreparedBatch.join([PreparedBatch([], [mark]), PreparedBatch([], [])])
    assert joined.gone == [mark]


@pytest.mark.parametrize("writer", ["thread", "process"])
def test_the_store_pipeline_writes_takedowns_with_its_batches(archive_url: str, writer: str) -> None:  # noqa: F811
    """The spider's ``article_gone`` signal reaches the archive through the
    store pipeline's writer (thread or process), counted in the crawl's stats."""
    from test_store_pipeline import make_pipeline

    from newsarchive.signals import article_gone

    with Archive(archive_url) as archive:
        archive.store_articles(sample_articles())
    pipeline, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_WRITER=writer,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=3600)
    pipeline.open_spider()
    crawler.signals.send_catch_log(signal=article_gone, urls=[FETCHED], status=410)
    crawler.signals.send_catch_log(signal=article_gone, urls=["https://example.com/x"], status=404)
    pipeline.close_spider()
    assert crawler.stats.get_value("newsarchive/archive/gone") == 1
    with Archive(archive_url) as archive:
        assert _gone_state(archive)[1] == 410

    # The page answers again: stored with the next run, restored and counted.
    pipeline, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_WRITER=writer)
    pipeline.open_spider()
    pipeline.process_item(dataclasses.replace(SEED, fetched_at=None))
    pipeline.close_spider()
    assert crawler.stats.get_value("newsarchive/archive/restored") == 1
    with Archive(archive_url) as archive:
        assert _gone_state(archive)[:2] == (None, None)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _taken_down(archive_url: str) -> str:  # noqa: F811
    with Archive(archive_url) as archive:
        archive.store_articles(sample_articles())
        archive.store_articles([dataclasses.replace(
            SEED, headline="Russia completes withdrawal from Syria",
            fetched_at="2016-03-16T09:00:00+00:00")])
        archive.mark_gone([FETCHED], 410, at="2016-05-01T10:00:00+00:00")
    return archive_url


def test_show_states_the_takedown_in_the_history(archive_url: str) -> None:  # noqa: F811
    db = _taken_down(archive_url)
    code, out, _ = _run("show", FETCHED, "--db", db, "--no-body")
    assert code == 0
    assert ("taken down: removed from the site (HTTP 410) on 2016-05-01T10:00:00+00:00; "
            "what follows is the archived copy") in out
    history = out.split("Versions (2):", 1)[1].splitlines()
    assert [line.split()[0] for line in history[1:4]] == ["v1", "v2", "removed"]
    assert "removed from the site (HTTP 410) on 2016-05-01T10:00:00+00:00" in history[3]
    code, out, _ = _run("show", "1", "--db", db, "--json", "--no-body")
    article = json.loads(out)
    assert (article["gone_at"], article["gone_status"]) == ("2016-05-01T10:00:00+00:00", 410)
    assert article["events"] == [{"at": "2016-05-01T10:00:00+00:00", "event": "gone", "status": 410}]
    # A live article says nothing of takedowns.
    code, out, _ = _run("show", "2", "--db", db, "--no-body")
    assert "taken down" not in out and "removed from the site" not in out


def test_search_gone_filter_and_default(archive_url: str) -> None:  # noqa: F811
    db = _taken_down(archive_url)
    code, out, _ = _run("search", "russia OR osborne", "--db", db, "--json")
    by_id = {row["id"]: row for row in json.loads(out)}
    assert {1, 2} <= set(by_id)  # taken-down articles stay in a plain search
    assert (by_id[1]["gone_at"], by_id[1]["gone_status"]) == ("2016-05-01T10:00:00+00:00", 410)
    assert by_id[2]["gone_at"] is None
    code, out, _ = _run("search", "russia OR osborne", "--gone", "--db", db, "--json")
    assert [row["id"] for row in json.loads(out)] == [1]
    code, out, _ = _run("search", "russia", "--db", db)
    assert "[taken down 2016-05-01]" in out.splitlines()[0]
    code, out, _ = _run("search", "osborne", "--gone", "--db", db)
    assert out == ""


def test_export_carries_the_takedown(archive_url: str) -> None:  # noqa: F811
    db = _taken_down(archive_url)
    code, out, _ = _run("export", "--format", "jsonl", "--db", db)
    rows = {row["id"]: row for row in map(json.loads, out.splitlines())}
    assert (rows[1]["gone_at"], rows[1]["gone_status"]) == ("2016-05-01T10:00:00+00:00", 410)
    assert (rows[2]["gone_at"], rows[2]["gone_status"]) == (None, None)
    code, out, _ = _run("export", "--format", "csv", "--gone", "--db", db)
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["gone_at"], r["gone_status"]) for r in table] == [
        ("1", "2016-05-01T10:00:00+00:00", "410")]
    code, out, _ = _run("export", "--format", "json", "--db", db)
    assert [row["gone_status"] for row in json.loads(out)] == [410] + [None] * 4


def test_stats_count_takedowns_per_site(archive_url: str) -> None:  # noqa: F811
    db = _taken_down(archive_url)
    code, out, _ = _run("stats", "--db", db, "--json")
    gone = {row["site"]: row["gone"] for row in json.loads(out)}
    assert gone["independent.co.uk"] == 1 and sum(gone.values()) == 1
    code, out, _ = _run("stats", "--db", db)
    header = out.splitlines()[0].split()
    row = next(line.split() for line in out.splitlines() if line.startswith("independent.co.uk"))
    assert row[header.index("GONE")] == "1"


def test_datasette_overview_and_queries_show_takedowns(tmp_path: Path) -> None:
    from newsarchive.database.datasette import QUERIES, metadata_for

    db = _taken_down(f"sqlite:///{tmp_path / 'archive.db'}")
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        row = conn.execute("SELECT gone_at, gone_status FROM articles_overview WHERE id = 1").fetchone()
        assert row == ("2016-05-01T10:00:00+00:00", 410)
        taken = conn.execute(QUERIES["taken_down"]["sql"]).fetchall()
        assert [r[0] for r in taken] == [1]
        history = conn.execute(QUERIES["article_history"]["sql"], {"id": 1}).fetchall()
        assert [r[1] for r in history] == ["version 1", "version 2", "removed from the site (HTTP 410)"]
    tables = metadata_for(db)["databases"]["archive"]["tables"]
    assert "gone_at" in tables["articles"]["columns"]
    assert "gone_status" in tables["articles_overview"]["facets"]


def test_a_crawl_marks_an_archived_article_gone_and_then_restored(tmp_path: Path) -> None:
    """Run 1 stores the article; run 2 (its sitemap lastmod moved) gets 410:
    the archive marks it gone; run 3 (moved again) gets the page: restored."""
    from crawlsite import crawl_stats, run_crawl
    from routedsite import article, robots, serve_routes

    path = "/news/2024/03/01/story-one.html"

    routes = {
        "/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
        "/": (200, {}, "<html><body>home</body></html>"),
        "/sitemap.xml": _listing(path, "2024-03-01T10:00:00Z"),
        path: (200, {}, article("Story one")),
    }
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with serve_routes(routes) as (base, hits):
        first = run_crawl(tmp_path, "-a", f"url={base}/")
        assert first.returncode == 0, first.stderr[-3000:]
        routes["/sitemap.xml"] = _listing(path, _a_second_later())
        routes[path] = (410, {}, "gone")
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl")
        assert (path, "", 410) in hits
        assert crawl_stats(second.stderr).get("newsarchive/archive/gone") == 1, second.stderr[-3000:]
        # A scheduler's log says so in the run's closing line, not only in the
        # stats dump: the README's example (Hourly runs) is this line.
        readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
        example = next(line for line in readme.splitlines() if line.startswith("INFO: newsarchive: run finished"))
        assert example == ("INFO: newsarchive: run finished with exit status 0: 0 articles stored (0 new, "
                           "0 updated, 0 unchanged); 1 article taken down, 0 restored")
        assert _closing_line(second.stderr).endswith(example)
        code, out, _ = _run("show", f"{base}{path}", "--db", db, "--no-body")
        assert code == 0
        assert "taken down: removed from the site (HTTP 410) on " in out
        assert "  removed from the site (HTTP 410) on " in out.split("Versions (1):", 1)[1]

        routes["/sitemap.xml"] = _listing(path, _a_second_later())
        routes[path] = (200, {}, article("Story one"))
        third = run_crawl(tmp_path, "-a", f"url={base}/", feed="third.jsonl")
        assert third.returncode == 0, third.stderr[-3000:]
        assert crawl_stats(third.stderr).get("newsarchive/archive/restored") == 1, third.stderr[-3000:]
        assert ("1 article stored (0 new, 0 updated, 1 unchanged); 0 articles taken down, 1 restored"
                in _closing_line(third.stderr))
    with Archive(db) as archive:
        article_row = archive.get_article(f"{base}{path}")
        assert article_row["gone_at"] is None and article_row["gone_status"] is None
        assert [e["event"] for e in article_row["events"]] == ["gone", "restored"]
    code, out, _ = _run("show", f"{base}{path}", "--db", db, "--no-body")
    assert "taken down" not in out.split("Versions", 1)[0]
    assert "back on the site (restored) on " in out


def test_a_304_after_a_takedown_restores_the_article(archive_url: str) -> None:  # noqa: F811
    """A page that comes back as it was answers the crawl's conditional GET
    with 304: the site has the page again, so the takedown ends, as with a
    200. It used to move ``last_seen`` past ``gone_at`` and leave the article
    taken down, for good: the page never changes, so no 200 comes."""
    with Archive(archive_url) as archive:
        archive.store_articles(sample_articles())
        archive.mark_gone([FETCHED], 404, at="2016-05-01T10:00:00+00:00")
        # A 304 from before the takedown says nothing of it.
        assert archive.mark_not_modified([FETCHED], at="2016-04-01T10:00:00+00:00").restored == 0
        assert _gone_state(archive)[:2] == ("2016-05-01T10:00:00+00:00", 404)
        checked = archive.mark_not_modified([FETCHED], at="2016-05-02T10:00:00+00:00")
        assert (checked.known, checked.restored) == (1, 1)
        assert _gone_state(archive) == (None, None, [("gone", 404, "2016-05-01T10:00:00+00:00"),
                                                     ("restored", None, "2016-05-02T10:00:00+00:00")])
        # Another 304: nothing more to restore.
        assert archive.mark_not_modified([FETCHED], at="2016-05-03T10:00:00+00:00").restored == 0


def test_a_crawl_restores_a_page_that_comes_back_unchanged_with_a_304(tmp_path: Path) -> None:
    """Run 1 stores the article (with an ETag); run 2 gets 404: gone; run 3
    (its lastmod moved) asks with If-None-Match and the site, which has the
    page back as it was, answers 304: restored and counted."""
    from crawlsite import crawl_stats, run_crawl
    from routedsite import article, robots, serve_routes

    path = "/news/2024/03/01/story-back.html"

    page = (200, {"ETag": '"v1"'}, article("Story back"))
    routes = {"/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
              "/": (200, {}, "<html><body>home</body></html>"),
              "/sitemap.xml": _listing(path, "2024-03-01T10:00:00Z"), path: page}
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with serve_routes(routes) as (base, hits):
        assert run_crawl(tmp_path, "-a", f"url={base}/").returncode == 0
        routes["/sitemap.xml"] = _listing(path, _a_second_later())
        routes[path] = (404, {}, "not found")
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl")
        assert crawl_stats(second.stderr).get("newsarchive/archive/gone") == 1, second.stderr[-3000:]
        routes["/sitemap.xml"] = _listing(path, _a_second_later())
        routes[path] = page
        third = run_crawl(tmp_path, "-a", f"url={base}/", feed="third.jsonl")
        assert third.returncode == 0, third.stderr[-3000:]
        assert hits[-1] == (path, "", 304)
        stats = crawl_stats(third.stderr)
        assert stats.get("newsarchive/archive/restored") == 1, third.stderr[-3000:]
    with Archive(db) as archive:
        row = archive.get_article(f"{base}{path}")
        assert (row["gone_at"], row["gone_status"]) == (None, None)
        assert [e["event"] for e in row["events"]] == ["gone", "restored"]


def test_a_recent_story_taken_down_is_rechecked_and_found_back(tmp_path: Path) -> None:
    """A story within the re-check window that answers 404 is asked again
    when its re-check comes round (``recheck.every`` after the 404), with no
    new date from the site: a story pulled for an hour (a CMS error, a legal
    review) and put back as it was. The skip memory's "gone" held it back for
    7 days, past the window, so it was never fetched again and stayed taken
    down."""
    from crawlsite import crawl_stats, run_crawl
    from routedsite import article, robots, serve_routes, sitemap

    day = datetime.now(timezone.utc).strftime("%Y/%m/%d")
    path = f"/news/{day}/story-pulled-for-an-hour.html"
    routes = {"/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
              "/": (200, {}, "<html><body>home</body></html>"),
              "/sitemap.xml": (200, {"Content-Type": "application/xml"}, sitemap(path)),
              path: (200, {}, article("Story pulled for an hour"))}
    settings = {"NEWSARCHIVE_RECHECK_EVERY": "1s"}
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with serve_routes(routes) as (base, hits):
        assert run_crawl(tmp_path, "-a", f"url={base}/", settings=settings).returncode == 0
        time.sleep(1.1)
        routes[path] = (404, {}, "not found")
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl", settings=settings)
        assert crawl_stats(second.stderr).get("newsarchive/archive/gone") == 1, second.stderr[-3000:]
        time.sleep(1.1)
        routes[path] = (200, {}, article("Story pulled for an hour"))
        third = run_crawl(tmp_path, "-a", f"url={base}/", feed="third.jsonl", settings=settings)
        assert third.returncode == 0, third.stderr[-3000:]
        assert hits[-1] == (path, "", 200)
        assert crawl_stats(third.stderr).get("newsarchive/archive/restored") == 1, third.stderr[-3000:]
    with Archive(db) as archive:
        assert archive.get_article(f"{base}{path}")["gone_at"] is None


def test_a_story_back_with_an_edit_reads_back_then_the_new_version(tmp_path: Path) -> None:
    """The page comes back edited: the return and the new version share the
    fetch's second. The history said "v2 …" before "back on the site", as if
    v2 had been seen while the story was down; `show`, the Datasette query
    and the README's SQL now put the return first (a takedown still comes
    after a version of its second: it ends that version)."""
    from newsarchive.database.datasette import QUERIES

    db = _taken_down(f"sqlite:///{tmp_path / 'archive.db'}")
    with Archive(db) as archive:
        archive.store_articles([dataclasses.replace(
            SEED, headline="Russia withdrawal: corrected", fetched_at="2016-05-03T10:00:00+00:00")])
    code, out, _ = _run("show", "1", "--db", db, "--no-body")
    history = [line.split()[0] for line in out.split("Versions (3):", 1)[1].splitlines()[1:5]]
    assert history == ["v1", "v2", "removed", "back"], out
    assert out.split("back on the site", 1)[1].splitlines()[1].split()[0] == "v3"
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("-- One article's history: its versions, takedowns and returns, in order\n", 1)[1]
    example = example.split(";", 1)[0]
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        for sql, params in ((QUERIES["article_history"]["sql"], {"id": 1}), (example, {})):
            whats = [row[1] for row in conn.execute(sql, params).fetchall()]
            assert whats[-2].startswith("restored") and whats[-1] == "version 3", (sql, whats)


def test_an_archived_story_redirected_to_the_home_page_is_left_as_it_was(tmp_path: Path) -> None:
    """A soft 404: the site sends a pulled story's address to its home page.
    It is no takedown (not detected), and must do no harm: the home page,
    judged an article (a long untyped page), was stored as the story "moved"
    there, its canonical address the home page's and its text a new version.
    The redirect is refused before the home page is fetched."""
    from crawlsite import crawl_stats, run_crawl
    from routedsite import article, robots, serve_routes

    path = "/news/2024/03/01/story-sent-home.html"

    routes = {"/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
              # A home page with text enough to pass for an article.
              "/": (200, {}, article("Harbour Gazette: news from the coast", typed=False)),
              "/news/": (200, {}, "<html><body>section</body></html>"),
              "/sitemap.xml": _listing(path, "2024-03-01T10:00:00Z"), path: (200, {}, article("Story sent home"))}
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with serve_routes(routes) as (base, hits):
        # Started from a section page: the home page is not fetched otherwise.
        assert run_crawl(tmp_path, "-a", f"url={base}/news/").returncode == 0
        routes["/sitemap.xml"] = _listing(path, _a_second_later())
        routes[path] = (301, {"Location": "{base}/"}, "")
        second = run_crawl(tmp_path, "-a", f"url={base}/news/", feed="second.jsonl")
        assert second.returncode == 0, second.stderr[-3000:]
        assert ("/", "", 200) not in hits
        stats = crawl_stats(second.stderr)
        assert stats.get("newsarchive/skipped/redirect-to-home") == 1, second.stderr[-3000:]
        assert "newsarchive/archive/gone" not in stats
    with Archive(db) as archive:
        story = archive.get_article(f"{base}{path}")
        assert story["headline"] == "Story sent home" and story["version"] == 1
        assert story["canonical_url"].endswith(path) and story["gone_at"] is None
        assert archive.get_article(f"{base}/") is None
