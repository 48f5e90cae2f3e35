"""Bad input never stops a crawl (issue 2): each hostile page is either stored
with what could be extracted or dropped/skipped with a counted reason, and the
good article beside them is stored as usual."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from crawlsite import crawl_stats, read_feed, run_crawl

PARAGRAPH = (
    "The harbour board met on Tuesday evening to discuss the long delayed repairs to the "
    "eastern breakwater, which engineers say has been weakened by three winters of storms. "
)
BODY = "".join(f"<p>{PARAGRAPH}Point {i} of the report was read aloud to the members.</p>" for i in range(8))


def _article(title: str, head: str = "", body: str = BODY) -> str:
    return (f"<!doctype html><html><head><title>{title}</title>{head}</head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


def _write_site(root: Path, base: str) -> dict[str, str]:
    """Writes the site; returns path -> what the page is."""
    pages: dict[str, bytes] = {
        "/news/good-story.html": _article("Breakwater repairs approved").encode(),
        "/news/empty-page.html": b"",
        "/news/binary-page.html": bytes(range(256)) * 40,
        "/news/broken-markup.html": (
            "<html><head><title>Board splits over repairs</title><body></div><article><h1>Board splits over repairs"
            + BODY.replace("</p>", "</b></span>") + "<div><span><b>unclosed</i></td>"
        ).encode(),
        # Declares UTF-8, is Latin-1: decoded with replacement characters, not an error.
        "/news/wrong-charset.html": _article(
            "Café owners welcome the decision", '<meta charset="utf-8">',
            BODY.replace("harbour", "harbour café")).encode("latin-1"),
        "/news/invalid-json-ld.html": _article(
            "Ferry timetable changes in spring",
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry, </script>'
            '<script type="application/ld+json">[[[{{{</script>').encode(),
        "/news/absurd-date.html": _article(
            "Lighthouse keeper retires after forty years",
            '<meta property="article:published_time" content="9999-99-99T99:99:99Z">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01"}</script>'
        ).encode(),
        "/news/report.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
    }
    for path, data in pages.items():
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in pages)
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n")
    (root / "index.html").write_text("<html><body><p>Home</p></body></html>")
    return {path: path for path in pages}


def test_hostile_pages_never_stop_the_crawl(tmp_path: Path, serve_dir) -> None:
    site = tmp_path / "site"
    site.mkdir()
    base = serve_dir(site)
    pages = _write_site(site, base)

    result = run_crawl(tmp_path, "-a", f"url={base}/")

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert stats["finish_reason"] == "finished"

    feed = {row["url"].split("/news/")[-1]: row for row in read_feed(tmp_path / "articles.jsonl")}
    assert feed["good-story.html"]["headline"] == "Breakwater repairs approved"
    # Stored with what could be extracted.
    assert feed["broken-markup.html"]["headline"] == "Board splits over repairs"
    assert "breakwater" in feed["wrong-charset.html"]["body"]
    assert feed["invalid-json-ld.html"]["headline"] == "Ferry timetable changes in spring"
    absurd = feed["absurd-date.html"]
    assert absurd["headline"] == "Lighthouse keeper retires after forty years"
    assert absurd["published"] is None

    # The rest were dropped or skipped, each under a counted reason.
    not_stored = {p for p in pages if p.rsplit("/", 1)[-1] not in feed}
    assert not_stored == {"/news/empty-page.html", "/news/binary-page.html", "/news/report.pdf"}
    counted = sum(v for k, v in stats.items()
                  if k.startswith(("newsarchive/skipped/", "newsarchive/dropped/", "newsarchive/failed/")))
    assert counted >= len(not_stored)

    with sqlite3.connect(tmp_path / "archive.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(feed)


def test_a_log_file_in_a_missing_folder_is_written_not_a_traceback(tmp_path: Path) -> None:
    """The README's cron line logs to logs/SITE.log: a fresh checkout has no
    logs/ folder, and Scrapy opened the file before any of our code ran."""
    log = tmp_path / "logs" / "site.log"
    result = run_crawl(tmp_path, "-a", "url=http://127.0.0.1:9/",  # nothing listens: exit 4
                       settings={"LOG_FILE": str(log), "RETRY_TIMES": "0"}, feed=None, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 4
    assert "Spider closed" in log.read_text()
