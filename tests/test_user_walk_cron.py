"""What an archivist met running hourly crawls for weeks (walk 7): each test failed before its fix.

The crawls run the real ``scrapy crawl news -a url=…`` against a site served
on 127.0.0.1 (tests/routedsite.py) that changes between runs. The re-check
window is set to ``0s`` rather than waiting: every run re-checks every recent
article, as an hourly run does once ``recheck.every`` has passed.
"""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive_support import archive_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.database import Archive

PARAGRAPH = ("The harbour board met on Tuesday evening to discuss the long delayed repairs to the "
             "eastern breakwater, which engineers say has been weakened by three winters of storms. ")
# Every run re-checks every article published within the window (2 days).
RECHECK_NOW = {"NEWSARCHIVE_RECHECK_EVERY": "0s"}


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _page(title: str, published: str, *, modified: str | None = None, extra: str = "") -> str:
    """An article as a CMS renders it: JSON-LD, a byline, eight paragraphs."""
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
            "datePublished": published, "author": {"@type": "Person", "name": "Ann Lee"}}
    if modified:
        data["dateModified"] = modified
    body = "".join(f"<p>{PARAGRAPH}Point {i} of the report was read aloud.</p>" for i in range(8))
    return (f'<!doctype html><html><head><title>{title}</title><script type="application/ld+json">'
            f'{json.dumps(data)}</script></head><body><article><h1>{title}</h1>'
            f'<p class="byline">By Ann Lee</p>{body}{extra}</article></body></html>')


def _site(paths: list[str]) -> dict:
    from routedsite import robots, sitemap

    return {"/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
            "/": (200, {}, "<html><body>home</body></html>"),
            "/sitemap.xml": (200, {"Content-Type": "application/xml"}, sitemap(*paths))}


def _closing_line(log: str) -> str:
    return next(line for line in reversed(log.splitlines()) if "newsarchive: run finished" in line)


# --- a page that prints the time it was served as its modification date ---------------


def test_a_modification_date_that_is_the_render_time_adds_no_version(archive_url: str) -> None:  # noqa: F811
    """Some CMS templates print "now" as ``dateModified``: every re-fetch of
    an unchanged article recorded a version, "modification date changed"."""
    seed = sample_articles()[0]
    first = dataclasses.replace(seed, modified="2016-03-15T09:00:00+00:00",
                                fetched_at="2016-03-15T09:00:01+00:00")
    with Archive(archive_url) as archive:
        assert archive.store_articles([first]) == ["new"]
        # Re-fetched six hours later: the page says it was modified as it was served.
        again = dataclasses.replace(seed, modified="2016-03-15T15:00:00+00:00",
                                    fetched_at="2016-03-15T15:00:02+00:00")
        assert archive.store_articles([again]) == ["unchanged"]
        stored = archive.get_article(1)
        assert stored["version"] == 1
        # The version keeps the date it was seen with; last_seen moves on.
        assert stored["modified"] == "2016-03-15T09:00:00+00:00"
        assert stored["last_seen"] == "2016-03-15T15:00:02+00:00"
        # A stamp once more (a clock two minutes ahead of ours): still nothing.
        ahead = dataclasses.replace(seed, modified="2016-03-15T21:02:00+00:00",
                                    fetched_at="2016-03-15T21:00:00+00:00")
        assert archive.store_articles([ahead]) == ["unchanged"]
        # A real edit, stamped the same way, is a version.
        edited = dataclasses.replace(seed, headline="Russia completes its withdrawal from Syria",
                                     modified="2016-03-16T03:00:00+00:00",
                                     fetched_at="2016-03-16T03:00:01+00:00")
        assert archive.store_articles([edited]) == ["updated"]
        # A modification date the page moved while the text stayed, well before
        # the fetch, is the site's own statement of a change: a version, as before.
        restated = dataclasses.replace(edited, modified="2016-03-16T05:00:00+00:00",
                                       fetched_at="2016-03-16T09:00:00+00:00")
        assert archive.store_articles([restated]) == ["updated"]
        assert archive.get_article(1)["version"] == 3


def test_reparse_names_a_served_time_apart_from_updates(archive_url: str) -> None:  # noqa: F811
    """The crawl keeps the version's date while only the served time moved, and
    keeps the latest fetch's page: `reparse` re-read that page and counted its
    newer date as "1 updated", though the extractor read nothing otherwise."""
    from newsarchive.cli.archive_commands import _reparse_summary

    seed = sample_articles()[0]
    with Archive(archive_url) as archive:
        archive.store_articles([dataclasses.replace(seed, modified="2016-03-15T09:00:00+00:00",
                                                    fetched_at="2016-03-15T09:00:01+00:00")])
        again = dataclasses.replace(seed, modified="2016-03-15T15:00:00+00:00",
                                    fetched_at="2016-03-15T15:00:02+00:00")
        assert archive.store_articles([again]) == ["unchanged"]
        assert archive.replace_extraction([(1, dataclasses.replace(again, raw=None))]) == ["served_date"]
        assert archive.replace_extraction([(1, dataclasses.replace(again, raw=None))]) == ["unchanged"]
        assert archive.get_article(1)["version"] == 1
    counts = {"updated": 0, "unchanged": 0, "skipped": 0, "header_date": 0, "served_date": 1}
    assert _reparse_summary(counts, 0, dry_run=True) == (
        "0 would change, 0 unchanged, 0 skipped; 1 would take only the newer modification date of "
        "their latest fetch, the time the page was served (the content is the same)")


def test_a_crawl_of_a_page_stamped_as_served_stores_one_version(tmp_path: Path) -> None:
    """The hourly run re-checks the article (recheck window) and gets the same
    story with a new ``dateModified``: no version, as the README's
    "Versions: what counts as a change" promises; a real edit still is one."""
    from crawlsite import run_crawl
    from routedsite import serve_routes

    now = datetime.now(timezone.utc)
    path = f"/news/{now:%Y/%m/%d}/council-rendered-story.html"
    published = _iso(now - timedelta(hours=3))
    routes = _site([path])
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with serve_routes(routes) as (base, hits):
        stamps = []
        for run, extra in enumerate(["", "", "<p>Correction: the board met on Monday, not Tuesday.</p>"]):
            stamps.append(_iso(datetime.now(timezone.utc)))
            routes[path] = (200, {}, _page("Council rendered story", published, modified=stamps[-1], extra=extra))
            result = run_crawl(tmp_path, "-a", f"url={base}/", feed=f"run{run}.jsonl", settings=RECHECK_NOW)
            assert result.returncode == 0, result.stderr[-3000:]
        assert [hit for hit in hits if hit[0] == path] == [(path, "", 200)] * 3
    assert len(set(stamps)) == 3  # each run saw a new stamp
    with Archive(db) as archive:
        story = archive.get_article(f"{base}{path}")
        assert story["version"] == 2, [v["first_seen"] for v in story["versions"]]
    from newsarchive.cli import main
    from click.testing import CliRunner

    out = CliRunner().invoke(main, ["diff", f"{base}{path}", "--db", db]).stdout
    assert "correction added" in out.split("Summary:", 1)[1].splitlines()[0], out


# --- relative times as news sites print them ----------------------------------------------


@pytest.mark.parametrize(("stamps", "text"), [
    (["Posted 2h ago", "Posted 5m ago", "Updated: 2 hours, 5 minutes ago", "Updated 3 hours and 10 minutes ago",
      "Updated 4hrs ago"], "The hearing lasted 3h."),
    (["Aktualisiert vor 5 Minuten", "Aktualisiert vor 2 Std.", "Aktualisiert vor einer Stunde"],
     "Der Zeuge sprach vor 3 Zeugen."),
    (["Mis à jour il y a 5 minutes", "Mis à jour il y a 2 heures", "Mis à jour il y a une heure"],
     "Il y a 3 raisons à cela."),
    (["Actualizado hace 5 minutos", "Actualizado hace 2 horas", "Actualizado hace una hora"], "Hace 3 goles."),
    (["Atualizado há 5 minutos", "Atualizado há 2 horas", "Atualizado há uma hora"], "Há 3 motivos."),
    (["Aggiornato 5 minuti fa", "Aggiornato 2 ore fa", "Aggiornato una ora fa"], "Ne fa 3 ore di lavoro."),
    (["Bijgewerkt 5 minuten geleden", "Bijgewerkt 2 uur geleden", "Bijgewerkt een uur geleden"], "3 uur lang."),
], ids=["en", "de", "fr", "es", "pt", "it", "nl"])
def test_relative_times_add_no_version(
        archive_url: str, stamps: list[str], text: str) -> None:  # noqa: F811
    """"Posted 2h ago" (the short form many sites print) was kept in the
    fingerprint, and "Posted: 2 hours, 5 minutes ago" lost only its last part,
    so "2 hours," stayed; "Aktualisiert vor 5 Minuten" was kept whole (only
    English "… ago" was taken out). Each re-check an hour later was a version.
    A number that is not an age ("lasted 3h", "vor 3 Zeugen") is still text:
    changing it is an edit."""
    seed = sample_articles()[0]
    with Archive(archive_url) as archive:
        archive.store_articles([dataclasses.replace(seed, body=f"{stamps[0]}\n\n{text}\n\n{seed.body}")])
        for line in stamps[1:]:
            variant = dataclasses.replace(seed, body=f"{line}\n\n{text}\n\n{seed.body}")
            assert archive.store_articles([variant]) == ["unchanged"], line
        edited = dataclasses.replace(seed, body=f"{stamps[0]}\n\n{text.replace('3', '4')}\n\n{seed.body}")
        assert archive.store_articles([edited]) == ["updated"]


# --- a story listed before its page answers --------------------------------------------------


def test_a_new_story_that_answered_404_once_is_asked_again(tmp_path: Path) -> None:
    """The feed lists a story minutes before its page goes live (a scheduled
    post, a cache still serving the 404), or while it is a breaking-news stub
    too short to pass for an article. The 404 (or the stub) was remembered for
    7 days, so the story was missed by every hourly run that met it.
    It is asked again once ``recheck.every`` has passed, while the feed dates
    it within ``recheck.recent``; a dead link dated years ago is still held back."""
    from email.utils import format_datetime

    from crawlsite import crawl_stats, run_crawl
    from routedsite import robots, serve_routes

    now = datetime.now(timezone.utc)
    story = f"/news/{now:%Y/%m/%d}/scheduled-story.html"
    stub = f"/news/{now:%Y/%m/%d}/breaking-story.html"
    dead = "/news/2019/06/01/dead-link.html"
    fresh = format_datetime(now - timedelta(minutes=5))
    items = "".join(f"<item><title>{title}</title><link>{{base}}{path}</link><pubDate>{date}</pubDate></item>"
                    for path, title, date in ((story, "Scheduled", fresh), (stub, "Breaking", fresh),
                                              (dead, "Dead", "Sat, 01 Jun 2019 10:00:00 GMT")))
    routes = {"/robots.txt": robots("Allow: /"),
              "/": (200, {}, '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
                             "</head><body>home</body></html>"),
              "/rss.xml": (200, {"Content-Type": "application/rss+xml"},
                           f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
                           f"<link>{{base}}/</link>{items}</channel></rss>"),
              story: (404, {}, "not found"), dead: (404, {}, "not found"),
              stub: (200, {}, "<html><head><title>Breaking</title></head><body><article><h1>Harbour fire"
                              "</h1><p>This is a breaking news story. More to follow.</p></article></body></html>")}
    with serve_routes(routes) as (base, hits):
        first = run_crawl(tmp_path, "-a", f"url={base}/", settings=RECHECK_NOW)
        assert first.returncode == 0, first.stderr[-3000:]
        assert (story, "", 404) in hits and (dead, "", 404) in hits
        assert crawl_stats(first.stderr).get("newsarchive/skipped/few-words") == 1, first.stderr[-3000:]
        routes[story] = (200, {}, _page("Scheduled story goes live", _iso(now - timedelta(minutes=5))))
        routes[stub] = (200, {}, _page("Harbour fire", _iso(now - timedelta(minutes=5))))
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl", settings=RECHECK_NOW)
        assert second.returncode == 0, second.stderr[-3000:]
        assert hits.count((story, "", 200)) == 1 and hits.count((stub, "", 200)) == 2
        assert hits.count((dead, "", 404)) == 1  # not asked again
    assert crawl_stats(second.stderr).get("newsarchive/skipped/remembered") == 1
    with Archive(f"sqlite:///{tmp_path / 'archive.db'}") as archive:
        assert archive.get_article(f"{base}{story}")["headline"] == "Scheduled story goes live"
        assert archive.get_article(f"{base}{stub}")["headline"] == "Harbour fire"


# --- a page that states no date -----------------------------------------------------------


def test_an_article_whose_page_gives_no_date_is_rechecked(tmp_path: Path) -> None:
    """The re-check window counted from the page's publication date only: an
    article whose page states none was never re-checked, so an edit its
    sitemap did not date was never archived. It now counts from the
    listing's date, or, listed with none, from the archive's first sight;
    an undated page listed with an old lastmod is still left alone."""
    from crawlsite import run_crawl
    from routedsite import robots, serve_routes

    undated, old = "/news/undated-story.html", "/news/undated-old-story.html"

    def page(title: str, extra: str = "") -> str:
        body = "".join(f"<p>{PARAGRAPH}Point {i} of the report was read aloud.</p>" for i in range(8))
        return (f'<html><head><title>{title}</title><script type="application/ld+json">{{"@type": '
                f'"NewsArticle", "headline": "{title}"}}</script></head><body><article><h1>{title}</h1>'
                f"{body}{extra}</article></body></html>")

    listing = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f"<url><loc>{{base}}{undated}</loc></url>"
               f"<url><loc>{{base}}{old}</loc><lastmod>2019-06-01T10:00:00Z</lastmod></url></urlset>")
    routes = {"/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
              "/": (200, {}, "<html><body>home</body></html>"),
              "/sitemap.xml": (200, {"Content-Type": "application/xml"}, listing),
              undated: (200, {"ETag": '"u1"'}, page("Undated story")),
              old: (200, {"ETag": '"o1"'}, page("Undated old story"))}
    with serve_routes(routes) as (base, hits):
        assert run_crawl(tmp_path, "-a", f"url={base}/", settings=RECHECK_NOW).returncode == 0
        routes[undated] = (200, {"ETag": '"u2"'}, page("Undated story", "<p>Correction: the board met on Monday.</p>"))
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl", settings=RECHECK_NOW)
        assert second.returncode == 0, second.stderr[-3000:]
        assert hits.count((undated, "", 200)) == 2 and hits.count((old, "", 200)) == 1
    with Archive(f"sqlite:///{tmp_path / 'archive.db'}") as archive:
        story = archive.get_article(f"{base}{undated}")
        assert story["published"] is None and story["version"] == 2


# --- another spelling of an archived address ---------------------------------------------


def test_a_recheck_asks_the_archived_address_not_a_variant_of_it(tmp_path: Path) -> None:
    """The story falls out of the feed; the sitemap lists it with a trailing
    slash, which the archive merges with its address but the server answers
    404. The re-check asked that spelling and marked the story taken down."""
    from crawlsite import crawl_stats, run_crawl
    from routedsite import robots, serve_routes, sitemap

    now = datetime.now(timezone.utc)
    path = f"/news/{now:%Y/%m/%d}/harbour-story.html"
    items = f"<item><title>Harbour</title><link>{{base}}{path}</link></item>"
    routes = {"/robots.txt": robots("Allow: /", "Sitemap: {base}/sitemap.xml"),
              "/": (200, {}, '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
                             "</head><body>home</body></html>"),
              "/rss.xml": (200, {"Content-Type": "application/rss+xml"},
                           f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
                           f"<link>{{base}}/</link>{items}</channel></rss>"),
              "/sitemap.xml": (200, {"Content-Type": "application/xml"}, sitemap()),
              path: (200, {"ETag": '"h1"'}, _page("Harbour story", _iso(now - timedelta(hours=1))))}
    with serve_routes(routes) as (base, hits):
        assert run_crawl(tmp_path, "-a", f"url={base}/", settings=RECHECK_NOW).returncode == 0
        routes["/rss.xml"] = (200, {"Content-Type": "application/rss+xml"},
                              '<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
                              "<link>{base}/</link></channel></rss>")
        routes["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, sitemap(path + "/"))
        first_run = len(hits)
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl", settings=RECHECK_NOW)
        assert second.returncode == 0, second.stderr[-3000:]
        # In the second run's requests, in whatever order the feed and the
        # sitemap were answered.
        again = hits[first_run:]
        assert (path + "/", "", 404) not in again and (path, "", 304) in again, again
    assert "newsarchive/archive/gone" not in crawl_stats(second.stderr)
    with Archive(f"sqlite:///{tmp_path / 'archive.db'}") as archive:
        assert archive.get_article(f"{base}{path}")["gone_at"] is None


# --- the closing log line -------------------------------------------------------------------


def test_the_closing_line_tells_a_304_from_a_page_not_asked_for(tmp_path: Path) -> None:
    """An hourly run re-checks its recent articles with conditional GETs: the
    site's log shows each request, answered 304. The run's closing line said
    "2 archived articles unchanged, not fetched again" for them all."""
    from crawlsite import run_crawl
    from routedsite import serve_routes

    now = datetime.now(timezone.utc)
    recent = f"/news/{now:%Y/%m/%d}/recent-story.html"
    old = "/news/2019/06/01/old-story.html"
    routes = _site([recent, old])
    routes[recent] = (200, {"ETag": '"r1"'}, _page("Recent story", _iso(now - timedelta(hours=2))))
    routes[old] = (200, {"ETag": '"o1"'}, _page("Old story", "2019-06-01T10:00:00+00:00"))
    with serve_routes(routes) as (base, hits):
        assert run_crawl(tmp_path, "-a", f"url={base}/", settings=RECHECK_NOW).returncode == 0
        second = run_crawl(tmp_path, "-a", f"url={base}/", feed="second.jsonl", settings=RECHECK_NOW)
        assert second.returncode == 0, second.stderr[-3000:]
        asked = [hit for hit in hits if hit[0] in (recent, old)]
    # The recent story was asked again (304); the old one, outside the window, was not.
    assert asked.count((recent, "", 304)) == 1 and asked.count((old, "", 200)) == 1 and len(asked) == 3
    line = _closing_line(second.stderr)
    assert line.endswith("0 articles stored (0 new, 0 updated, 0 unchanged); 2 archived articles unchanged "
                         "(1 not fetched again, 1 asked again and answered 304)"), line


def test_the_closing_line_tells_the_pages_that_failed(tmp_path: Path) -> None:
    """Articles answering 5xx for a run leave it exit 0 (README, Exit codes):
    the closing line, the one a scheduler's log reader greps, said "0 articles
    stored (0 new, 0 updated, 0 unchanged)", as for an hour with no news; the
    failures were only in WARNING lines among the rest and in the stats dump."""
    from crawlsite import crawl_stats, run_crawl
    from routedsite import serve_routes

    now = datetime.now(timezone.utc)
    paths = [f"/news/{now:%Y/%m/%d}/story-{n}.html" for n in (1, 2)]
    routes = _site(paths)
    for path in paths:
        routes[path] = (500, {}, "<h1>Internal Server Error</h1>")
    with serve_routes(routes) as (base, hits):
        result = run_crawl(tmp_path, "-a", f"url={base}/")
    assert result.returncode == 0, result.stderr[-3000:]
    assert crawl_stats(result.stderr)["newsarchive/failed/article"] == 2
    line = _closing_line(result.stderr)
    assert line.endswith("0 articles stored (0 new, 0 updated, 0 unchanged); "
                         "could not fetch 2 × article (see the warnings above)"), line


def test_the_closing_line_tells_pages_whose_callback_raised() -> None:
    """During this walk a bug raised a TypeError in the feed's callback: the
    run stored nothing of the feed, exited 0, and its closing line read "0
    articles stored (0 new, 0 updated, 0 unchanged)", an hour with no news;
    only a traceback far up the log told otherwise. Scrapy counts such errors
    as ``spider_exceptions/<type>``."""
    from newsarchive.runrecord import run_summary

    line = run_summary({"spider_exceptions/TypeError": 1, "newsarchive/stored/new": 2}, 0)
    assert line == ("run finished with exit status 0: 2 articles stored (2 new, 0 updated, 0 unchanged); "
                    "1 page not read: the crawl's code raised an error (see the tracebacks above; "
                    "please report it)")


def test_an_empty_feed_is_no_failure(tmp_path: Path) -> None:
    """A section feed with no item this hour (a quiet night) was logged every
    run as a WARNING, "feed … gave nothing usable (broken or not a feed)",
    counted as ``newsarchive/failed/feed-unreadable``, and so named in the
    closing line as a fetch that failed."""
    from crawlsite import crawl_stats, run_crawl
    from routedsite import robots, serve_routes

    routes = {"/robots.txt": robots("Allow: /"),
              "/": (200, {}, '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
                             '<link rel="alternate" type="application/atom+xml" href="/atom.xml"></head>'
                             "<body>home</body></html>"),
              "/rss.xml": (200, {"Content-Type": "application/rss+xml"},
                           '<?xml version="1.0"?><rss version="2.0"><channel><title>Night desk</title>'
                           "<link>{base}/</link><description>Latest</description></channel></rss>"),
              "/atom.xml": (200, {"Content-Type": "application/atom+xml"},
                            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Night desk'
                            "</title><id>{base}/</id><updated>2026-12-08T00:00:00Z</updated></feed>")}
    with serve_routes(routes) as (base, hits):
        result = run_crawl(tmp_path, "-a", f"url={base}/")
        assert ("/rss.xml", "", 200) in hits and ("/atom.xml", "", 200) in hits
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert "newsarchive/failed/feed-unreadable" not in stats and stats["newsarchive/discovered/empty_feeds"] == 2
    assert "gave nothing usable" not in result.stderr
    assert _closing_line(result.stderr).endswith("0 articles stored (0 new, 0 updated, 0 unchanged)")
