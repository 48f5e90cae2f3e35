"""The archive commands (search, show, diff, export, stats, reparse, db) through
click's CliRunner, on temporary SQLite and PostgreSQL archives."""
from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from click.testing import CliRunner

from archive_support import SEED_BODY, archive_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.cli import main
from newsarchive.cli.archive_commands import COMMANDS
from newsarchive.database import Archive


@pytest.fixture
def filled(archive_url: str) -> str:  # noqa: F811
    with Archive(archive_url) as archive:
        articles = sample_articles()
        archive.store_articles(articles)
        seed = articles[0]
        archive.store_articles([dataclasses.replace(
            seed, headline="Russia completes military withdrawal from Syria",
            authors=["Laura Pitel", "Nadia Beard"], fetched_at="2016-03-16T09:00:00+00:00",
            body=SEED_BODY + "\n\nCorrection: an earlier version of this article misnamed the air base.")])
    return archive_url


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_an_example_in_its_help() -> None:
    names = []
    for command in COMMANDS:
        names.append([command.name])
        if hasattr(command, "commands"):
            names.extend([command.name, sub] for sub in command.commands)
    for path in names:
        code, out, _ = run(*path, "--help")
        assert code == 0
        assert "Example" in out, path
        assert "newsarchive " in out.split("Example", 1)[1], path


def test_search_table(filled: str) -> None:
    code, out, err = run("search", "russia", "--db", filled)
    assert code == 0
    lines = out.splitlines()
    assert "Russia completes military withdrawal from Syria" in lines[0]
    assert lines[0].split()[0] == "1" and "2016-03-15" in lines[0]
    assert "[Russia]" in out
    assert "Oil price rises" in out
    assert "2 result(s)" in err


def test_search_formats_and_filters(filled: str) -> None:
    code, out, _ = run("search", "russia", "--site", "independent.co.uk", "--author", "pitel",
                       "--section", "business", "--since", "2016-03-17", "--json", "--db", filled)
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [5]
    # A list, as export, show --json and the feed give it (it was "A; B").
    assert rows[0]["authors"] == ["Laura Pitel"]
    code, out, _ = run("search", '"fighter jets" OR earthquake', "--jsonl", "--db", filled)
    lines = [json.loads(line) for line in out.splitlines()]
    assert sorted(row["id"] for row in lines) == [1, 4]
    assert {row["id"]: row["authors"] for row in lines} == {1: ["Laura Pitel", "Nadia Beard"], 4: []}
    code, out, _ = run("search", "climat*", "--until", "2016-03-17", "--csv", "--db", filled)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["site"] for r in rows] == ["theguardian.com"]
    assert rows[0]["authors"] == "José García; Zoë Müller"
    code, out, _ = run("search", "Ecuador's", "coast", "--json", "--db", filled)
    assert [r["id"] for r in json.loads(out)] == [4]


@pytest.mark.parametrize("query", ['"fighter jets', "russia OR", "(syria", "NOT"])
def test_malformed_query_is_one_line_and_exit_2(filled: str, query: str) -> None:
    code, out, err = run("search", query, "--db", filled)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("Error: bad query:")
    assert "Traceback" not in err


def test_bad_date_and_conflicting_formats_exit_2(filled: str) -> None:
    code, _, err = run("search", "russia", "--since", "last tuesday", "--db", filled)
    assert code == 2 and err.count("\n") == 1
    code, _, err = run("search", "russia", "--json", "--csv", "--db", filled)
    assert code == 2


def test_show_by_id_and_url(filled: str) -> None:
    code, out, _ = run("show", "1", "--db", filled)
    assert code == 0
    assert out.startswith("Russia completes military withdrawal from Syria")
    assert "Laura Pitel; Nadia Beard" in out
    assert "A Russian jet lands at the Hmeimim air base (AFP/Getty Images)" in out
    assert "Versions (2):" in out and "v1" in out and "v2" in out
    code, out, _ = run("show", "https://www.independent.co.uk/news/world/europe/"
                       "russia-syria-withdrawal-a6931146.html?utm_source=twitter", "--json",
                       "--db", filled)
    data = json.loads(out)
    assert data["id"] == 1 and [v["version"] for v in data["versions"]] == [1, 2]
    assert data["versions"][0]["headline"].startswith("Russia starts")
    code, _, err = run("show", "999", "--db", filled)
    assert code == 1 and "no article" in err


def test_diff(filled: str) -> None:
    code, out, _ = run("diff", "1", "--db", filled)
    assert code == 0
    assert "Summary: headline changed; byline changed; correction added" in out
    assert "[-starts-]" in out and "{+completes+}" in out
    assert "{+Correction: an earlier version" in out
    assert "[-Steve Anderson-]" in out or "[-; Steve Anderson-]" in out
    code, out, _ = run("diff", "1", "1", "2", "--json", "--db", filled)
    data = json.loads(out)
    assert data["from_version"] == 1 and data["to_version"] == 2
    assert "correction added" in data["summary"]
    code, _, err = run("diff", "1", "1", "5", "--db", filled)
    assert code == 1 and err.count("\n") == 1


def test_export_jsonl_and_csv(filled: str, tmp_path) -> None:
    code, out, _ = run("export", "--db", filled)
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 5 and rows[0]["version"] == 2
    assert rows[0]["authors"] == ["Laura Pitel", "Nadia Beard"]
    target = tmp_path / "out.csv"
    code, _, err = run("export", "--format", "csv", "--site", "independent.co.uk", "-o", str(target),
                       "--db", filled)
    assert code == 0 and "2 article(s) written" in err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "5"]
    assert json.loads(rows[0]["captions"])[1]["credit"] == "AP"
    assert rows[0]["tags"] == "Syria; Russia"
    code, out, _ = run("export", "--query", "earthquake", "--db", filled)
    assert [json.loads(line)["id"] for line in out.splitlines()] == [4]


def test_stats(filled: str) -> None:
    code, out, _ = run("stats", "--db", filled)
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["SITE", "ARTICLES", "VERSIONS"]
    independent = next(line for line in out.splitlines() if line.startswith("independent.co.uk"))
    assert independent.split()[1:3] == ["2", "3"]
    assert "4 site(s), 5 article(s)" in out
    code, out, _ = run("stats", "--json", "--site", "theguardian.com", "--db", filled)
    assert json.loads(out) == [{
        "site": "theguardian.com", "articles": 1, "last_crawl": "2016-03-17T08:00:00+00:00",
        "last_status": None, "with_date": 1.0, "with_authors": 1.0, "with_captions": 1.0,
        "versions": 1, "gone": 0, "flags": []}]


def test_env_var_overrides_db_option(filled: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSARCHIVE_DB_URL", filled)
    code, out, err = run("stats", "--json", "--db", str(tmp_path / "other.db"))
    assert code == 0 and len(json.loads(out)) == 4
    assert "overrides --db" in err
    assert not (tmp_path / "other.db").exists()


def test_unreachable_database_is_one_line(tmp_path) -> None:
    code, _, err = run("stats", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert code == 1 and err.startswith("Error: cannot use the archive") and err.count("\n") == 1


OIL_HTML = (
    "<html><head><title>Oil</title>"
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
    ' "headline": "Oil price rises as producers meet", "datePublished": "2016-03-18T10:15:00Z",'
    ' "author": {"@type": "Person", "name": "Laura Pitel"}}</script></head><body><article>'
    "<h1>Oil price rises as producers meet</h1>"
    + "".join(f"<p>Paragraph {i}: Brent crude rose above forty dollars a barrel as producers "
              "discussed an output freeze in Doha on Sunday.</p>" for i in range(6))
    + "</article></body></html>"
).encode()
OIL_URL = "https://www.independent.co.uk/news/business/oil-price-a6940000.html"


def test_reparse_re_extracts_stored_pages(archive_url: str, monkeypatch) -> None:  # noqa: F811
    from newsarchive.items import Article, RawPage

    with Archive(archive_url) as archive:
        archive.store_articles([Article(
            url=OIL_URL, site="independent.co.uk", headline="(old extractor missed it)", body="short",
            raw=RawPage(OIL_HTML, {"Content-Type": "text/html; charset=utf-8"}))])
    code, out, _ = run("reparse", "--dry-run", "--db", archive_url)
    assert code == 0 and out.startswith("1 would change, 0 unchanged")
    # --site is compared as search, export and stats compare it.
    code, out, err = run("reparse", "--site", "WWW.Independent.co.uk", "--db", archive_url)
    assert code == 0, err
    assert out.startswith("1 updated")
    with Archive(archive_url) as archive:
        article = archive.get_article(1)
    assert article["headline"] == "Oil price rises as producers meet"
    assert article["authors"] == ["Laura Pitel"]
    assert "Brent crude" in article["body"]
    assert len(article["versions"]) == 1
    # Now the archive holds what the extractor gives: a dry run finds nothing
    # to do, as the real run would.
    code, out, _ = run("reparse", "--dry-run", "--db", archive_url)
    assert code == 0 and out.startswith("0 would change, 1 unchanged")
    code, out, _ = run("reparse", "--db", archive_url)
    assert out.startswith("0 updated, 1 unchanged")




def _crawled(last_modified: str, fetched_at: str):
    """The oil page as a crawl stores it, served with ``last_modified`` (it states no modified date)."""
    from newsarchive import extract_article
    from newsarchive.items import RawPage

    headers = {"Content-Type": "text/html; charset=utf-8", "Last-Modified": last_modified}
    article = extract_article(OIL_HTML, OIL_URL, headers=headers, fetched_at=fetched_at)
    assert article.modified_raw == last_modified  # the header's date, the page has none
    return dataclasses.replace(article, raw=RawPage(OIL_HTML, headers))


def test_reparse_then_crawl_adds_no_version_for_a_header_date(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url) as archive:
        archive.store_articles([_crawled("Fri, 18 Mar 2016 10:20:00 GMT", "2016-03-18T11:00:00+00:00")])
    code, out, _ = run("reparse", "--db", archive_url)
    assert code == 0 and out == "0 updated, 1 unchanged, 0 skipped\n"
    with Archive(archive_url) as archive:
        touched = _crawled("Sat, 19 Mar 2016 08:00:00 GMT", "2016-03-19T09:00:00+00:00")
        assert archive.store_articles([touched]) == ["unchanged"]


def test_reparse_names_a_newer_header_date_apart_from_updates(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url) as archive:
        archive.store_articles([_crawled("Fri, 18 Mar 2016 10:20:00 GMT", "2016-03-18T11:00:00+00:00")])
        archive.store_articles([_crawled("Sat, 19 Mar 2016 08:00:00 GMT", "2016-03-19T09:00:00+00:00")])
    code, out, _ = run("reparse", "--dry-run", "--db", archive_url)
    assert out.startswith("0 would change, 0 unchanged, 0 skipped; 1 would take only the newer "
                          "Last-Modified date"), out
    code, out, _ = run("reparse", "--db", archive_url)
    assert out.startswith("0 updated, 0 unchanged, 0 skipped; 1 took only the newer "
                          "Last-Modified date of their latest fetch"), out
    code, out, _ = run("reparse", "--db", archive_url)
    assert out == "0 updated, 1 unchanged, 0 skipped\n"


def test_reparse_says_how_many_articles_have_no_page(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url, keep_raw=False) as archive:
        archive.store_articles(sample_articles())
    code, out, _ = run("reparse", "--db", archive_url)
    assert code == 0
    assert out == ("0 updated, 0 unchanged, 0 skipped; 5 article(s) have no stored page to "
                   "re-read (crawled with NEWSARCHIVE_KEEP_RAW off)\n")
    code, out, _ = run("reparse", "--site", "bbc.co.uk", "--dry-run", "--db", archive_url)
    assert out.endswith("; 1 article(s) have no stored page to re-read (crawled with "
                        "NEWSARCHIVE_KEEP_RAW off)\n")


def test_since_and_until_take_durations_as_the_crawl_does(archive_url: str) -> None:  # noqa: F811
    """`search x --since 2d` said "bad query: not a date: '2d'", though the crawl takes -a since=2d."""
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc).replace(microsecond=0)
    recent, older = sample_articles()[1:3]
    with Archive(archive_url) as archive:
        archive.store_articles([
            dataclasses.replace(recent, published=(now - timedelta(hours=20)).isoformat()),
            dataclasses.replace(older, published=(now - timedelta(days=5)).isoformat(),
                                body=older.body + " The chancellor said so."),
        ])
    code, out, _ = run("search", "chancellor", "--since", "2d", "--json", "--db", archive_url)
    assert code == 0 and [r["site"] for r in json.loads(out)] == ["bbc.co.uk"]
    code, out, _ = run("search", "chancellor", "--until", "2d", "--json", "--db", archive_url)
    assert code == 0 and [r["site"] for r in json.loads(out)] == ["theguardian.com"]
    code, out, _ = run("export", "--since", "1w", "--until", "36h", "--db", archive_url)
    assert code == 0 and [json.loads(line)["site"] for line in out.splitlines()] == ["theguardian.com"]
    code, out, _ = run("stats", "--since", "12h", "--json", "--db", archive_url)
    assert code == 0 and json.loads(out) == []
    code, out, err = run("stats", "--since", "99999999999d", "--db", archive_url)
    assert code == 2 and "longer than 1000 years" in err and err.count("\n") == 1


def test_export_jsonl_writes_utf8_lines_to_a_file(filled: str, tmp_path) -> None:
    target = tmp_path / "out.jsonl"
    code, _, err = run("export", "-o", str(target), "--db", filled)
    assert code == 0 and "5 article(s) written" in err
    lines = target.read_bytes().splitlines()
    assert len(lines) == 5
    assert [json.loads(line)["id"] for line in lines] == [1, 2, 3, 4, 5]


def test_export_to_a_json_file_writes_one_json_array(filled: str, tmp_path) -> None:
    # `-o articles.json` wrote JSON lines, which json.load (and any tool that
    # reads a .json file) refuses with "Extra data"; the crawl's `-O x.json`
    # writes an array.
    code, lines, _ = run("export", "--db", filled)
    target = tmp_path / "articles.json"
    code, _, err = run("export", "-o", str(target), "--db", filled)
    assert code == 0 and "5 article(s) written" in err
    assert json.loads(target.read_text(encoding="utf-8")) == [json.loads(line) for line in lines.splitlines()]
    code, out, _ = run("export", "--format", "json", "--site", "bbc.co.uk", "--db", filled)
    assert code == 0 and [row["site"] for row in json.loads(out)] == ["bbc.co.uk"]
    code, out, _ = run("export", "--format", "json", "--query", "nosuchwordanywhere", "--db", filled)
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize("mistake", [["--query", '"unbalanced'], ["--since", "2024-13-45"],
                                     ["--query", "syria", "--until", "someday"]])
def test_a_bad_query_or_date_leaves_an_earlier_export_as_it_was(filled: str, tmp_path,
                                                                 mistake: list[str]) -> None:
    # The file was opened before the query and dates were read: a typo
    # (status 2) truncated yesterday's export to its CSV header.
    target = tmp_path / "archive.csv"
    assert run("export", "-o", str(target), "--db", filled)[0] == 0
    before = target.read_bytes()
    code, _, err = run("export", "-o", str(target), *mistake, "--db", filled)
    assert code == 2 and err.startswith("Error: bad query"), err
    assert target.read_bytes() == before


def test_write_jsonl_keeps_non_ascii_and_returns_the_count() -> None:
    import io

    from newsarchive.database.export import write_jsonl

    stream = io.BytesIO()
    rows = [{"headline": "Größe – ça va", "authors": ["Zoë"], "captions": [], "id": 1},
            {"headline": None, "tags": ["a\nb"], "id": 2}]
    assert write_jsonl(iter(rows), stream) == 2
    data = stream.getvalue()
    assert "Größe – ça va".encode() in data  # UTF-8 as is, not \u escapes
    assert [json.loads(line) for line in data.splitlines()] == rows
    assert data.endswith(b"\n") and data.count(b"\n") == 2


def test_export_to_a_path_that_cannot_be_written_is_one_line(filled: str, tmp_path) -> None:
    code, out, err = run("export", "-o", str(tmp_path / "missing" / "out.jsonl"), "--db", filled)
    assert code == 1 and out == ""
    assert "Could not open file" in err and "No such file or directory" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_show_raw_names_a_charset_only_the_header_gave(archive_url: str) -> None:  # noqa: F811
    # The bytes alone lose the Content-Type header: piped to `extract`, a
    # windows-1251 page read as UTF-8 came out garbled, and nothing said why.
    from newsarchive.items import RawPage

    base = sample_articles()[0]
    body = "<html><body><h1>Мост открыт</h1></body></html>".encode("cp1251")
    with Archive(archive_url) as archive:
        archive.store_articles([
            dataclasses.replace(base, raw=RawPage(body, {"Content-Type": "text/html; charset=windows-1251"})),
            dataclasses.replace(base, url="https://www.independent.co.uk/news/utf8.html", canonical_url=None,
                                raw=RawPage(b"<h1>ok</h1>", {"Content-Type": "text/html; charset=UTF-8"})),
        ])
    result = CliRunner().invoke(main, ["show", "1", "--raw", "--db", archive_url])
    assert result.exit_code == 0 and result.stdout_bytes == body
    assert "--charset windows-1251" in result.stderr
    result = CliRunner().invoke(main, ["show", "2", "--raw", "--db", archive_url])
    assert result.exit_code == 0 and result.stderr == ""


def test_show_raw_writes_the_stored_page(filled: str) -> None:
    """The page as fetched, decoded, for a browser or `newsarchive extract`."""
    page = sample_articles()[0].raw.body
    result = CliRunner().invoke(main, ["show", "1", "--raw", "--db", filled])
    assert result.exit_code == 0 and result.stdout_bytes == page
    result = CliRunner().invoke(main, ["show", "1", "--raw", "--version", "1", "--db", filled])
    assert result.exit_code == 0 and result.stdout_bytes == page
    # A version the article does not have is named as diff names it, not blamed
    # on raw pages being kept off.
    code, _, err = run("show", "1", "--raw", "--version", "9", "--db", filled)
    assert code == 1 and "article 1 has no version 9 (it has 1–2)" in err
    code, _, err = run("show", "1", "--version", "1", "--db", filled)
    assert code == 2 and "--version goes with --raw" in err


def test_stats_lists_a_site_crawled_without_any_article(filled: str) -> None:  # noqa: F811
    """A site whose runs stored nothing (extraction broken from the start, a
    site file whose patterns match none of its pages) was left out."""
    with Archive(filled) as archive:
        alone = archive.start_run("brokensite", "news", {"site": "brokensite"})
        archive.finish_run(alone, "finished", {})
        shared = archive.start_run("theguardian.com,emptyone", "news", {})
        archive.finish_run(shared, "finished", {})
    code, out, _ = run("stats", "--db", filled)
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("brokensite"))
    assert row.split()[1:3] == ["0", "0"] and "%" not in row, row
    assert "! brokensite: crawled, but no article of it is in the archive" in out
    assert "! emptyone: crawled, but no article of it is in the archive" in out
    assert "6 site(s), 5 article(s)" in out
    code, out, _ = run("stats", "--json", "--site", "brokensite", "--db", filled)
    [site] = json.loads(out)
    assert site["articles"] == 0 and site["last_status"] == "finished" and site["flags"]
    # No share to give: null, as the table's "—" (0.0 read as "found on none").
    assert (site["with_date"], site["with_authors"], site["with_captions"]) == (None, None, None)
    assert "[articles] patterns" in site["flags"][0]
    # Filters on articles (an author, a period) list only sites with such articles.
    code, out, _ = run("stats", "--json", "--since", "2000-01-01", "--db", filled)
    assert "brokensite" not in {s["site"] for s in json.loads(out)}


def test_stats_advice_for_a_site_without_articles_fits_its_last_status(archive_url: str) -> None:  # noqa: F811
    """A site down on its last run was told to check its site file's
    [articles] patterns, which had nothing to do with it."""
    with Archive(archive_url) as archive:
        for name, status in [("downsite", "site_down"), ("movedsite", "site_moved"),
                             ("robotsite", "robots_5xx"), ("stoppedsite", "shutdown"),
                             ("patternsite", "finished")]:
            archive.finish_run(archive.start_run(name, "news", {"site": name}), status, {})
    code, out, _ = run("stats", "--json", "--db", archive_url)
    assert code == 0
    flags = {s["site"]: s["flags"] for s in json.loads(out)}
    assert all(len(f) == 1 and f[0].startswith("crawled, but no article of it is in the archive")
               for f in flags.values()), flags
    assert "[articles] patterns" in flags["patternsite"][0]
    assert not any("[articles] patterns" in flags[name][0]
                   for name in ("downsite", "movedsite", "robotsite", "stoppedsite")), flags
    assert "site_down" in flags["downsite"][0] and "site is up" in flags["downsite"][0]
    assert "-a url=" in flags["movedsite"][0]
    assert "robots.txt" in flags["robotsite"][0]
    assert "ended shutdown" in flags["stoppedsite"][0]
    code, out, _ = run("stats", "--db", archive_url)
    assert "! downsite: crawled, but no article of it is in the archive: its last crawl fetched no page" in out


def test_diff_counts_chinese_words_as_articles_count_them(archive_url: str) -> None:  # noqa: F811
    """The summary split on spaces: a Chinese paragraph added was "+1 words",
    and one character changed replaced its whole clause."""
    from newsarchive.extraction.words import count_words

    first = "市政府周二宣布，新的公园将于明年开放。\n\n市长表示这是一个好消息。"
    added = "公园占地约十二公顷，设有儿童游乐场和自行车道，预计每年接待游客五十万人次。"
    seed = sample_articles()[0]
    chinese = dataclasses.replace(seed, language="zh", body=first, word_count=count_words(first))
    with Archive(archive_url) as archive:
        archive.store_articles([chinese])
        archive.store_articles([dataclasses.replace(
            chinese, body=first.replace("周二", "周三") + "\n\n" + added,
            fetched_at="2016-03-16T09:00:00+00:00")])
    code, out, _ = run("diff", "1", "--json", "--db", archive_url)
    assert code == 0, out
    data = json.loads(out)
    edited = f"body edited (+{count_words('三') + count_words(added)}/-{count_words('二')} words)"
    assert edited in data["summary"], data["summary"]
    body = next(f for f in data["fields"] if f["name"] == "body")
    assert ["delete", "二"] in body["changes"] and ["insert", "三"] in body["changes"], body["changes"]
    code, out, _ = run("diff", "1", "--db", archive_url)
    assert "[-二-]" in out and "{+三+}" in out
    # Shown as the text is written: no spaces between the characters and the markers.
    assert "周[-二-]{+三+}宣布" in out, out


# --- an archive this user may read but not write -----------------------------
# The README's systemd unit crawls as its own user, so the archive and its
# folder are that user's (0644, 0755), and a journalist's `newsarchive search`
# runs as someone else. SQLite reads a WAL archive by writing its -shm file
# beside it: every read command failed with "attempt to write a readonly
# database", but only while no crawl ran (a running crawl keeps the -shm there).

READ_ONLY_COMMANDS = [
    ["search", "withdrawal"], ["show", "1", "--no-body"], ["diff", "1"], ["export"],
    ["export", "--format", "csv"], ["stats"], ["reparse", "--dry-run"], ["db", "current"],
]
NOBODY = 65534


def _run_as_other_user(args: list[str]) -> tuple[int, str, str]:
    """``run(*args)`` in a forked child that is not root and owns nothing here.

    Root reads and writes any file, so the test drops to another user; the
    child is forked, not started, since it may not be able to read the
    interpreter's own files (it uses the modules the parent already loaded).
    """
    import os

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, run, report, never return to pytest
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            outcome = run(*args)
        except BaseException as exc:  # noqa: BLE001 (reported to the parent)
            outcome = (-1, "", f"{type(exc).__name__}: {exc}")
        with os.fdopen(writer, "w") as out:
            json.dump(outcome, out)
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as got:
        outcome = json.load(got)
    os.waitpid(pid, 0)
    return tuple(outcome)  # type: ignore[return-value]


@pytest.fixture
def owned_by_another_user(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An archive in a folder this test's reader may read but not write."""
    import os
    import shutil
    import stat
    import tempfile

    if os.geteuid() != 0:
        pytest.skip("needs root to read the archive as another user")
    folder = tempfile.mkdtemp(prefix="newsarchive-ro-", dir="/tmp")
    path = f"{folder}/archive.db"
    with Archive(f"sqlite:///{path}") as archive:
        archive.store_articles(sample_articles())
    os.chmod(folder, 0o755)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    yield path
    shutil.rmtree(folder)


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS, ids=lambda c: " ".join(c))
def test_a_user_who_cannot_write_the_archive_can_read_it(
        owned_by_another_user: str, command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    # The same command as the owner first: it loads every module the child needs.
    as_owner = run(*command, "--db", owned_by_another_user)
    assert as_owner[0] == 0, as_owner
    folder = os.path.dirname(owned_by_another_user)
    assert sorted(os.listdir(folder)) == ["archive.db"]  # no crawl has it open
    code, out, err = _run_as_other_user([*command, "--db", owned_by_another_user])
    assert (code, out, err) == as_owner
    assert sorted(os.listdir(folder)) == ["archive.db"]


def test_a_user_who_cannot_write_the_archive_is_told_why_reparse_fails(
        owned_by_another_user: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    run("reparse", "--dry-run", "--db", owned_by_another_user)
    code, out, err = _run_as_other_user(["reparse", "--db", owned_by_another_user])
    assert code == 1 and out == ""
    assert err.startswith("Error: cannot use the archive: ") and "readonly" in err


def test_text_output_leaves_out_control_characters_from_the_crawled_text(archive_url: str) -> None:  # noqa: F811
    # A headline holding a terminal escape (OSC: set the window title; OSC 52
    # writes the clipboard) was printed as it was by show, search and diff,
    # and the user's terminal ran it. JSON output keeps the text as stored.
    seed = sample_articles()[0]
    evil = "Russia \x1b]0;pwned\x07withdraws\x9b2J from Syria"
    with Archive(archive_url) as archive:
        archive.store_articles([dataclasses.replace(seed, headline=evil)])
        archive.store_articles([dataclasses.replace(seed, headline=evil, body=SEED_BODY + "\n\nMore\x1b]52;c;aGk=\x07.")])
    for args in (["show", "1"], ["search", "withdrawal"], ["diff", "1"]):
        code, out, _ = run(*args, "--db", archive_url)
        assert code == 0 and "withdraws" in out
        assert not any(ch in out for ch in "\x1b\x07\x9b"), (args, out)
    code, out, _ = run("show", "1", "--json", "--db", archive_url)
    assert json.loads(out)["headline"] == evil


def test_an_unwritable_archive_is_read_immutable_only_with_nothing_left_in_its_wal(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # immutable=1 reads the main file alone: a WAL a killed crawl left holds
    # commits it would miss, so that archive is read through SQLite's mode=ro.
    import os

    from newsarchive.database.engine import read_only_sqlite_uri

    path = tmp_path / "archive.db"
    path.write_bytes(b"")
    assert read_only_sqlite_uri(path) is None  # this user can write it
    monkeypatch.setattr(os, "access", lambda *_args, **_kw: False)
    assert read_only_sqlite_uri(path).endswith("?mode=ro&immutable=1")
    (tmp_path / "archive.db-wal").write_bytes(b"frames")
    assert read_only_sqlite_uri(path).endswith("?mode=ro")
