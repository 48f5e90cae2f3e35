"""What a user gets for the everyday mistakes: a mistyped archive path, an
impossible date, a site the archive does not hold, a missing file or folder.
Each is one line on stderr with a non-zero status, never a traceback and never
a silent empty answer; and the CLI's output names addresses a user can open."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_support import archive_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.cli import main
from newsarchive.database import Archive


@pytest.fixture
def filled(archive_url: str) -> str:  # noqa: F811
    with Archive(archive_url) as archive:
        archive.store_articles(sample_articles())
    return archive_url


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback the user would have seen
    return result.exit_code, result.stdout, result.stderr


def one_error_line(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("Error: ") and "Traceback" not in err


READ_COMMANDS = [
    ["search", "russia"], ["show", "1"], ["diff", "1"], ["export"], ["stats"], ["reparse"],
    ["db", "current"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c))
def test_a_mistyped_archive_path_is_an_error_and_leaves_no_file(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    missing = tmp_path / "archve.db"
    code, out, err = run(*command, "--db", str(missing))
    assert code == 1 and out == ""
    assert one_error_line(err) and f"no archive at {missing}" in err
    assert not missing.exists()


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c))
def test_an_sqlite_uri_is_refused_and_makes_no_archive(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `--db 'file:archive.db?mode=ro'` (sqlite3's URI form) was read as a
    # relative path: an empty archive appeared under ./file:/..., and the
    # answer was "The archive has no articles yet."
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "archive.db"
    with Archive(f"sqlite:///{existing}"):
        pass
    code, out, err = run(*command, "--db", f"file:{existing}?mode=ro")
    assert code == 1 and out == ""
    assert one_error_line(err) and "is an SQLite URI" in err
    assert not (tmp_path / "file:").exists()


def test_the_default_archive_missing_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    code, _, err = run("search", "russia")
    assert code == 1 and one_error_line(err) and "no archive at newsarchive.db" in err
    assert not (tmp_path / "newsarchive.db").exists()


def test_a_folder_given_as_archive_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    code, _, err = run("stats", "--db", str(tmp_path))
    assert code == 1 and one_error_line(err) and "is a folder" in err


def test_db_upgrade_still_creates_a_new_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    target = tmp_path / "new.db"
    code, out, _ = run("db", "upgrade", "--db", str(target))
    assert code == 0 and "upgraded from empty" in out and target.exists()
    code, out, _ = run("stats", "--db", str(target))
    assert code == 0 and out == ""


@pytest.mark.skipif(importlib.util.find_spec("MySQLdb") is not None, reason="MySQLdb is installed")
def test_a_database_whose_driver_is_missing_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    code, _, err = run("stats", "--db", "mysql://user@127.0.0.1/news")
    assert code == 1 and one_error_line(err) and "driver is not installed" in err


@pytest.mark.parametrize("url", ["http://127.0.0.1:8766/", "notaurl://"])
@pytest.mark.parametrize("command", READ_COMMANDS + [["db", "upgrade"]], ids=lambda c: " ".join(c))
def test_a_url_naming_no_database_is_one_line(command: list[str], url: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    code, out, err = run(*command, "--db", url)
    assert code == 1 and out == "" and one_error_line(err), err
    assert err.startswith("Error: cannot use the archive: ") and "not a database URL" in err


def test_an_environment_url_naming_no_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSARCHIVE_DB_URL", "bogus://")
    code, _, err = run("stats")
    assert code == 1 and one_error_line(err) and "not a database URL" in err


@pytest.mark.parametrize("args", [
    ["show", "99999999999999999999"], ["diff", "99999999999999999999"],
    ["show", "9223372036854775807"], ["show", "--json", "99999999999999999999"],
])
def test_an_id_too_large_for_the_database_is_not_found(filled: str, args: list[str]) -> None:
    code, out, err = run(*args, "--db", filled)
    assert code == 1 and out == "" and one_error_line(err) and "no article '9" in err


@pytest.mark.parametrize("args", [
    ["show", "1", "--raw", "--version", "9223372036854775808"],
    ["diff", "1", "9223372036854775808"], ["diff", "1", "1", "99999999999999999999"],
    ["search", "russia", "--offset", "9223372036854775808"],
    ["reparse", "--batch", "9223372036854775808"],
])
def test_an_integer_too_large_for_the_database_is_a_usage_error(filled: str, args: list[str]) -> None:
    code, out, err = run(*args, "--db", filled)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "is not in the range" in err and err.strip().splitlines()[-1].startswith("Error: ")


def test_the_largest_version_is_one_the_article_does_not_have(filled: str) -> None:
    code, out, err = run("show", "1", "--raw", "--version", "9223372036854775807", "--db", filled)
    assert code == 1 and out == "" and one_error_line(err) and "has no version 9223372036854775807" in err


def test_a_version_of_a_one_version_article_names_the_one_it_has(filled: str) -> None:
    # It read "(it has 1–1)".
    code, out, err = run("show", "1", "--raw", "--version", "3", "--db", filled)
    assert code == 1 and out == "" and one_error_line(err)
    assert "article 1 has no version 3 (it has only version 1)" in err


def test_the_largest_offset_is_past_the_last_match(filled: str) -> None:
    code, out, err = run("search", "russia", "--offset", "9223372036854775807", "--db", filled)
    assert code == 0 and out == "" and err == "No matches after the first 9223372036854775807.\n"


@pytest.mark.parametrize("option,value", [
    ("--since", "2016-13-45"), ("--until", "2016-02-30"), ("--since", "2016-13"),
])
def test_an_impossible_calendar_date_is_refused(filled: str, option: str, value: str) -> None:
    for command in (["search", "russia"], ["export"], ["stats"]):
        code, out, err = run(*command, option, value, "--db", filled)
        assert code == 2 and out == "", command
        assert one_error_line(err) and f"not a date: '{value}" in err


def test_since_after_until_is_refused_not_answered_with_no_matches(filled: str) -> None:
    for command in (["search", "russia"], ["export"], ["stats"]):
        code, out, err = run(*command, "--since", "2016-03-16", "--until", "2016-03-15", "--db", filled)
        assert code == 2 and out == "", command
        assert one_error_line(err) and "--since 2016-03-16 is after --until 2016-03-15" in err
    # One day, given as both bounds, is not swapped.
    code, out, _ = run("search", "russia", "--since", "2016-03-15", "--until", "2016-03-15", "--json",
                       "--db", filled)
    assert code == 0 and len(json.loads(out)) == 1


def test_a_month_bound_covers_the_whole_month(filled: str) -> None:
    code, out, _ = run("search", "russia", "--since", "2016-03", "--until", "2016-03", "--json",
                       "--db", filled)
    assert code == 0 and len(json.loads(out)) == 2


def test_an_unknown_site_names_the_archive_sites(filled: str) -> None:
    for command in (["search", "russia"], ["export"], ["stats"], ["reparse"]):
        code, out, err = run(*command, "--site", "independnet.co.uk", "--db", filled)
        assert code == 2 and out == "", command
        assert one_error_line(err), command
        assert "no article from site 'independnet.co.uk'" in err
        assert "independent.co.uk" in err and "theguardian.com" in err


def test_a_configured_site_name_points_to_the_stored_one(
        filled: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The bundled site file "independent" covers independent.co.uk.
    monkeypatch.delenv("NEWSARCHIVE_SITES_DIR", raising=False)
    code, _, err = run("export", "--site", "independent", "--db", filled)
    assert code == 2 and "did you mean 'independent.co.uk'?" in err


def test_a_known_site_with_no_match_is_not_an_error(filled: str) -> None:
    code, out, err = run("search", "russia", "--site", "theguardian.com", "--since", "2030",
                         "--db", filled)
    assert code == 0 and out == "" and "No matches." in err
    code, out, err = run("stats", "--site", "theguardian.com", "--since", "2030", "--db", filled)
    assert code == 0 and "No article matches these filters." in err
    assert "no articles yet" not in err


def test_paging_past_the_end_says_so(filled: str) -> None:
    code, out, err = run("search", "russia", "--offset", "40", "--db", filled)
    assert code == 0 and out == "" and "No matches after the first 40." in err


def test_search_and_show_give_the_fetched_url_and_the_canonical_key(filled: str) -> None:
    with Archive(filled) as archive:
        stored = archive.get_article(1)
    assert stored["url"] != stored["canonical_url"]
    code, out, _ = run("search", "withdrawal", "--json", "--db", filled)
    row = json.loads(out)[0]
    assert (row["url"], row["canonical_url"]) == (stored["url"], stored["canonical_url"])
    code, out, _ = run("search", "withdrawal", "--csv", "--db", filled)
    header, line = out.splitlines()[:2]
    assert "url,canonical_url" in header and stored["url"] in line
    code, out, _ = run("show", "1", "--no-body", "--db", filled)
    assert f"url: {stored['url']}" in out and f"canonical: {stored['canonical_url']}" in out


def test_diff_of_an_article_with_one_version_says_there_is_nothing_to_compare(filled: str) -> None:
    code, out, _ = run("diff", "2", "--db", filled)
    assert code == 0
    assert "one version" in out and "nothing to compare" in out
    assert "Summary" not in out


def test_missing_folders_and_files_are_usage_errors(filled: str, tmp_path: Path) -> None:
    for args in (["sites", "--dir", str(tmp_path / "no-sites")],
                 ["reparse", "--sites-dir", str(tmp_path / "no-sites"), "--db", filled],
                 ["extract", str(tmp_path / "story.html"), "--url", "https://example.com/a"],
                 ["evaluate", str(tmp_path)]):
        code, out, err = run(*args)
        assert code == 2 and out == "", args
        assert err.rstrip().splitlines()[-1].startswith("Error: "), args


def test_evaluate_to_an_unwritable_predictions_path_is_one_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "corpus.jsonl").write_text("", encoding="utf-8")
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    code, out, err = run("evaluate", str(corpus), "--predictions", str(blocker / "pred.jsonl"))
    assert code == 1 and out == ""
    assert one_error_line(err) and "Could not open file" in err


def test_demo_refuses_a_negative_row_count(tmp_path: Path) -> None:
    # Checked before anything is served or crawled; -1 used to print all rows but one.
    code, out, err = run("demo", "--rows", "-1", "--dir", str(tmp_path / "demo"))
    assert code == 2 and out == "" and "--rows" in err
    assert not (tmp_path / "demo").exists()


def test_datasette_search_query_gives_the_fetched_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from newsarchive.database.datasette import QUERIES

    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    path = tmp_path / "archive.db"
    with Archive(f"sqlite:///{path}") as archive:
        archive.store_articles(sample_articles())
        stored = archive.get_article(1)
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute(QUERIES["search"]["sql"], {"q": "withdrawal"}).fetchone()
    assert (row["url"], row["canonical_url"]) == (stored["url"], stored["canonical_url"])
    assert "[withdrawal]" in row["snippet"]


def test_datasette_search_query_gives_a_huge_body_its_opening_as_snippet(tmp_path: Path) -> None:
    # snippet() on a 12 MB body made the query take 35 s (search.SNIPPET_TEXT_CAP).
    import dataclasses
    import sqlite3

    from newsarchive.database.datasette import QUERIES
    from newsarchive.database.search import SNIPPET_TEXT_CAP

    path = tmp_path / "archive.db"
    body = "The harbour terminal opened. " * (SNIPPET_TEXT_CAP // 25)
    with Archive(f"sqlite:///{path}") as archive:
        archive.store_articles([dataclasses.replace(sample_articles()[0], body=body)])
    with sqlite3.connect(path) as conn:
        snippet = conn.execute(QUERIES["search"]["sql"], {"q": "harbour"}).fetchone()[4]
    assert snippet == body[:160] + "…"


def test_an_unknown_column_filter_is_explained_when_nothing_matches(filled: str) -> None:
    code, out, err = run("search", "title:withdrawal", "--db", filled)
    assert code == 0 and out == ""
    assert "title: is not a column filter" in err and "headline:" in err
    code, out, err = run("search", "headline:withdrawal", "--db", filled)
    assert code == 0 and "not a column filter" not in err


@pytest.mark.parametrize("url", ["www.example.com/news/a.html", "not a url", "ftp://example.com/a"])
def test_extract_wants_an_http_address(tmp_path: Path, url: str) -> None:
    page = tmp_path / "story.html"
    page.write_text("<html><body><h1>Title</h1><p>Text.</p></body></html>", encoding="utf-8")
    code, out, err = run("extract", str(page), "--url", url)
    assert code == 2 and out == "" and "is not an http(s) address" in err
    code, out, _ = run("extract", str(page), "--url", "https://www.example.com/news/a.html")
    assert code == 0 and json.loads(out)["site"] == "example.com"


def test_extract_refuses_a_charset_name_it_does_not_know(tmp_path: Path) -> None:
    # --charset bogus was passed over in silence: the page was read as if the
    # option had not been given, and a typo (utf8x) looked like it had no effect.
    page = tmp_path / "story.html"
    page.write_bytes("<html><body><h1>Été</h1><p>Un été.</p></body></html>".encode("cp1252"))
    code, out, err = run("extract", str(page), "--url", "https://www.example.com/a.html", "--charset", "bogus")
    assert code == 2 and out == "" and "'bogus' is not a charset name" in err
    code, out, _ = run("extract", str(page), "--url", "https://www.example.com/a.html", "--charset", "windows-1252")
    assert code == 0 and json.loads(out)["headline"] == "Été"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_to_a_full_disk_is_one_line(filled: str, fmt: str) -> None:
    code, out, err = run("export", "--format", fmt, "-o", "/dev/full", "--db", filled)
    assert code == 1 and out == ""
    assert one_error_line(err) and "cannot write /dev/full: No space left on device" in err
    assert "incomplete" in err


def test_db_upgrade_to_an_unknown_revision_is_one_line(filled: str) -> None:
    code, out, err = run("db", "upgrade", "--revision", "bogus", "--db", filled)
    assert code == 2 and out == ""
    assert one_error_line(err) and "unknown revision 'bogus'" in err and "0001" in err


def _tiny_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pages").mkdir()
    (corpus / "pages" / "p1.html").write_text("<html><body><p>Text.</p></body></html>", encoding="utf-8")
    (corpus / "corpus.jsonl").write_text(json.dumps({"id": "p1", "source": "alpha", "html": "pages/p1.html"})
                                         + "\n", encoding="utf-8")
    return corpus


@pytest.mark.parametrize("floors,message", [
    ("{bad", "is not JSON"), ('{"f1": "high"}', "must be a number"), ("[0.9]", "JSON object"),
])
def test_evaluate_with_a_bad_floors_file_is_a_usage_error(tmp_path: Path, floors: str, message: str) -> None:
    floors_file = tmp_path / "floors.json"
    floors_file.write_text(floors, encoding="utf-8")
    code, out, err = run("evaluate", str(_tiny_corpus(tmp_path)), "--floors", str(floors_file))
    assert code == 2 and out == "" and message in err


def test_evaluate_of_a_source_the_corpus_lacks_names_its_sources(tmp_path: Path) -> None:
    code, out, err = run("evaluate", str(_tiny_corpus(tmp_path)), "--source", "beta", "--min-f1", "0.9")
    assert code == 2 and out == ""
    assert "no page of source 'beta'; sources: alpha" in err


def test_demo_leaves_a_real_archive_and_feed_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The README's crawls write archive.db / articles.jsonl too: `demo --dir` on
    # such a folder used to delete them before crawling the sample site.
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    archive = tmp_path / "archive.db"
    with Archive(f"sqlite:///{archive}") as stored:
        stored.store_articles(sample_articles())
    before = archive.read_bytes()
    code, out, err = run("demo", "--dir", str(tmp_path))
    assert code == 1 and one_error_line(err)
    assert f"{archive} holds more than a demo run" in err and "choose another --dir" in err
    assert archive.read_bytes() == before and "Serving" not in out

    feed_dir = tmp_path / "feed"
    feed_dir.mkdir()
    feed = feed_dir / "articles.jsonl"
    feed.write_text(json.dumps({"url": "https://www.independent.co.uk/a.html"}) + "\n", encoding="utf-8")
    code, _, err = run("demo", "--dir", str(feed_dir))
    assert code == 1 and f"{feed} holds more than a demo run" in err and feed.exists()


def test_demo_leaves_a_crawl_of_another_local_server_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard only asked for http://127.0.0.1: URLs, so a crawl of a site in
    development on 127.0.0.1 was replaced without a word."""
    import dataclasses

    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    archive = tmp_path / "archive.db"
    local = dataclasses.replace(sample_articles()[1], url="http://127.0.0.1:8000/blog/2024/my-first-post",
                                canonical_url=None)
    with Archive(f"sqlite:///{archive}") as stored:
        stored.store_articles([local])
    before = archive.read_bytes()
    code, out, err = run("demo", "--dir", str(tmp_path))
    assert code == 1 and one_error_line(err) and f"{archive} holds more than a demo run" in err
    assert archive.read_bytes() == before and "Serving" not in out
    feed = tmp_path / "feed" / "articles.jsonl"
    feed.parent.mkdir()
    feed.write_text(json.dumps({"url": "http://127.0.0.1:8000/blog/2024/my-first-post"}) + "\n")
    code, _, err = run("demo", "--dir", str(feed.parent))
    assert code == 1 and f"{feed} holds more than a demo run" in err and feed.exists()


def test_the_readme_cron_line_s_folders_are_ignored_by_git() -> None:
    import shutil
    import subprocess

    root = Path(__file__).resolve().parent.parent
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    for path in (".jobs/independent/requests.queue", "logs/independent.log"):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=root).returncode == 0, path


def _other_program_db(path: Path) -> Path:
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("create table notes(id integer primary key, txt text)")
    conn.close()
    return path


@pytest.mark.parametrize("kind", ["other tables", "empty file", "not sqlite"])
@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c))
def test_a_file_that_is_not_an_archive_is_refused_and_left_as_it_was(
        command: list[str], kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read command made any existing SQLite file (or an empty one) an archive:
    ~25 tables beside the file's own, and "The archive has no articles yet"."""
    import sqlite3

    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    path = tmp_path / "other.db"
    if kind == "other tables":
        _other_program_db(path)
    elif kind == "empty file":
        path.touch()
    else:
        path.write_text("hello\n")
    before = path.read_bytes()
    code, out, err = run(*command, "--db", str(path))
    assert code == 1 and out == "" and one_error_line(err), err
    assert f"{path} is not a newsarchive archive" in err
    assert ("db upgrade --db" in err) == (kind != "not sqlite")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]
    if kind == "other tables":
        with sqlite3.connect(path) as conn:
            assert [r[0] for r in conn.execute("select name from sqlite_master")] == ["notes"]
        conn.close()


def test_an_empty_db_option_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--db "$DB"` with DB unset quietly used ./newsarchive.db."""
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    for command in READ_COMMANDS + [["db", "upgrade"]]:
        code, out, err = run(*command, "--db", "")
        assert code == 2 and out == "" and "'--db': is empty" in err, command
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_postgres_schema_of_other_tables_gains_none(monkeypatch: pytest.MonkeyPatch) -> None:
    from archive_support import _PG, PG_SKIP_REASON, pg_schema_url
    from sqlalchemy import create_engine, inspect, text

    if _PG is None:
        pytest.skip(PG_SKIP_REASON)
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    for url in pg_schema_url():
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("create table notes(id integer primary key, txt text)"))
        for command in READ_COMMANDS:
            code, out, err = run(*command, "--db", url)
            assert code == 1 and out == "" and one_error_line(err) and "no archive in" in err
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["notes"]
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c))
def test_a_postgres_database_without_an_archive_is_an_error_and_gains_no_tables(
        command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from archive_support import _PG, PG_SKIP_REASON, pg_schema_url
    from sqlalchemy import create_engine, inspect

    if _PG is None:
        pytest.skip(PG_SKIP_REASON)
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    for url in pg_schema_url():
        code, out, err = run(*command, "--db", url)
        assert code == 1 and out == ""
        assert one_error_line(err) and "no archive in" in err and "db upgrade" in err
        engine = create_engine(url)
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
        engine.dispose()


def test_a_full_page_of_results_says_there_are_more(filled: str) -> None:
    """"1 result(s), 1–1" for a search with more matches than --limit read as
    "that is all" (usertest6: `search harbour --limit 3` said 3 of 4)."""
    code, _, err = run("search", "russia", "--db", filled)
    assert code == 0 and "more:" not in err
    total = int(err.split(" result(s)")[0].split()[-1])
    assert total >= 2
    code, _, err = run("search", "russia", "--limit", "1", "--db", filled)
    assert code == 0 and "1 result(s), 1–1; more with --offset 1;" in err
    code, _, err = run("search", "russia", "--limit", "1", "--offset", str(total - 1), "--db", filled)
    assert code == 0 and "more with" not in err
