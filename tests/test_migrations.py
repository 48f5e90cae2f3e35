"""Schema migrations: an archive made with the first schema upgrades in place
with every row kept, and the latest migration matches ``schema.py``."""
from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import text

import archive_support
from archive_support import archive_url, pg_url  # noqa: F401 (fixtures)
from newsarchive.cli import main
from newsarchive.database import Archive, ArchiveError
from newsarchive.database import migrate
from newsarchive.database.engine import make_engine
from newsarchive.database.schema import metadata
from newsarchive.database.search import text_search_config

# Rows as release 0.1 (revision 0001) wrote them, table by table.
OLD_ROWS: dict[str, list[dict]] = {
    "articles": [
        {"id": 1, "canonical_url": "https://independent.co.uk/news/russia-syria",
         "url": "https://www.independent.co.uk/news/russia-syria?utm_source=x",
         "site": "independent.co.uk", "headline": "Russia starts withdrawal from Syria",
         "standfirst": "Putin orders the main part of the forces home", "byline": "Laura Pitel",
         "published": "2016-03-15T03:39:00-04:00", "published_raw": "Tuesday 15 March 2016 03:39 EDT",
         "modified": None, "modified_raw": None, "section": "Europe", "tags": '["Syria"]',
         "language": "en", "image_url": None,
         "body": "Russia has started preparing its fighter jets.\n\nSchools and hospitals.",
         "word_count": 10, "page_type": "NewsArticle", "fetched_at": "2016-03-15T09:00:00+00:00",
         "first_seen": "2016-03-15T09:00:00+00:00", "last_seen": "2016-03-16T09:00:00+00:00",
         "version": 2, "content_hash": "h2"},
        {"id": 2, "canonical_url": "https://apnews.com/article/quake", "url": "https://apnews.com/article/quake",
         "site": "apnews.com", "headline": "Earthquake shakes Ecuador", "standfirst": None,
         "byline": None, "published": "2016-04-16", "published_raw": "April 16, 2016",
         "modified": None, "modified_raw": None, "section": None, "tags": "[]", "language": None,
         "image_url": None, "body": "A magnitude 7.8 earthquake struck Ecuador.", "word_count": 6,
         "page_type": None, "fetched_at": None, "first_seen": "2016-04-17T01:00:00+00:00",
         "last_seen": "2016-04-17T01:00:00+00:00", "version": 1, "content_hash": "h3"},
        {"id": 3, "canonical_url": "https://bbc.co.uk/news/budget", "url": "https://www.bbc.co.uk/news/budget",
         "site": "bbc.co.uk", "headline": "Budget: Osborne cuts spending", "standfirst": None,
         "byline": "By Laura Kuenssberg", "published": "2016-03-16T12:30:00Z", "published_raw": None,
         "modified": "2016-03-16T14:00:00+01:00", "modified_raw": None, "section": "Politics",
         "tags": "[]", "language": "en-GB", "image_url": None, "body": "George Osborne announced cuts.",
         "word_count": 4, "page_type": "NewsArticle", "fetched_at": "2016-03-16T13:00:00+00:00",
         "first_seen": "2016-03-16T13:00:00+00:00", "last_seen": "2016-03-16T13:00:00+00:00",
         "version": 1, "content_hash": "h4"},
    ],
    "authors": [
        {"id": 1, "name": "Laura Pitel", "name_key": "laura pitel"},
        {"id": 2, "name": "Nadia Beard", "name_key": "nadia beard"},
        {"id": 3, "name": "Laura Kuenssberg", "name_key": "laura kuenssberg"},
    ],
    "article_authors": [
        {"article_id": 1, "position": 0, "author_id": 1},
        {"article_id": 1, "position": 1, "author_id": 2},
        {"article_id": 3, "position": 0, "author_id": 3},
    ],
    "captions": [
        {"id": 1, "article_id": 1, "position": 0, "text": "A Russian jet", "credit": "AFP/Getty Images",
         "image_url": "https://example.com/jet.jpg"},
        {"id": 2, "article_id": 1, "position": 1, "text": "Putin", "credit": "AP", "image_url": None},
    ],
    "versions": [
        {"id": 1, "article_id": 1, "version": 1, "first_seen": "2016-03-15T09:00:00+00:00",
         "last_seen": "2016-03-15T12:00:00+00:00", "headline": "Russia starts withdrawal",
         "standfirst": None, "byline": "Laura Pitel", "authors": '["Laura Pitel"]',
         "published": "2016-03-15T03:39:00-04:00", "modified": None,
         "body": "Russia has started preparing.", "content_hash": "h1"},
        {"id": 2, "article_id": 1, "version": 2, "first_seen": "2016-03-16T09:00:00+00:00",
         "last_seen": "2016-03-16T09:00:00+00:00", "headline": "Russia starts withdrawal from Syria",
         "standfirst": "Putin orders the main part of the forces home", "byline": "Laura Pitel",
         "authors": '["Laura Pitel", "Nadia Beard"]', "published": "2016-03-15T03:39:00-04:00",
         "modified": None, "body": "Russia has started preparing its fighter jets.\n\nSchools and hospitals.",
         "content_hash": "h2"},
        {"id": 3, "article_id": 2, "version": 1, "first_seen": "2016-04-17T01:00:00+00:00",
         "last_seen": "2016-04-17T01:00:00+00:00", "headline": "Earthquake shakes Ecuador",
         "standfirst": None, "byline": None, "authors": "[]", "published": "2016-04-16",
         "modified": None, "body": "A magnitude 7.8 earthquake struck Ecuador.", "content_hash": "h3"},
        {"id": 4, "article_id": 3, "version": 1, "first_seen": "2016-03-16T13:00:00+00:00",
         "last_seen": "2016-03-16T13:00:00+00:00", "headline": "Budget: Osborne cuts spending",
         "standfirst": None, "byline": "By Laura Kuenssberg", "authors": '["Laura Kuenssberg"]',
         "published": "2016-03-16T12:30:00Z", "modified": "2016-03-16T14:00:00+01:00",
         "body": "George Osborne announced cuts.", "content_hash": "h4"},
    ],
    "dropped_blocks": [
        {"id": 1, "article_id": 1, "position": 0, "rule": "donation-appeal", "stage": "clean",
         "text": "Please support our journalism"},
    ],
    "crawl_runs": [
        {"id": 1, "spider": "news", "site": "independent.co.uk", "args": '{"url": "https://www.independent.co.uk/"}',
         "started_at": "2016-03-15T08:55:00+00:00", "finished_at": "2016-03-15T09:05:00+00:00",
         "status": "finished", "stats": '{"item_scraped_count": 1}'},
    ],
    "raw_pages": [
        {"id": 1, "article_id": 1, "version": 2, "url": "https://www.independent.co.uk/news/russia-syria",
         "fetched_at": "2016-03-16T09:00:00+00:00", "status": 200, "headers": '{"ETag": "\\"x\\""}',
         "compression": "gzip", "size": 6,
         # gzip of b"<html>": the bytes must come through the upgrade unchanged.
         "body": b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xb3\xc9(\xc9\xcd\xb1\x03\x00A\x0cC\xc7\x06\x00\x00\x00'},
    ],
    "article_urls": [
        {"url": "https://independent.co.uk/news/russia-syria", "article_id": 1,
         "fetched_at": "2016-03-16T09:00:00+00:00", "etag": '"x"', "last_modified": None},
        {"url": "https://apnews.com/article/quake", "article_id": 2,
         "fetched_at": "2016-04-17T01:00:00+00:00", "etag": None, "last_modified": None},
        {"url": "https://bbc.co.uk/news/budget", "article_id": 3,
         "fetched_at": "2016-03-16T13:00:00+00:00", "etag": None, "last_modified": "Wed, 16 Mar 2016"},
    ],
}


def _make_first_schema_archive(url: str) -> None:
    engine = make_engine(url)
    try:
        assert migrate.upgrade(engine, "0001") == (None, "0001")
        with engine.begin() as conn:
            for table, rows in OLD_ROWS.items():
                columns = list(rows[0])
                conn.execute(
                    text(f"INSERT INTO {table} ({', '.join(columns)}) "
                         f"VALUES ({', '.join(':' + c for c in columns)})"),
                    rows,
                )
            if conn.dialect.name == "postgresql":
                # Explicit ids do not move PostgreSQL's sequences; release 0.1 never wrote them.
                for table in ("articles", "authors", "captions", "versions", "dropped_blocks",
                              "crawl_runs", "raw_pages"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(SELECT max(id) FROM {table}))"))
    finally:
        engine.dispose()


def _rows(archive: Archive, table: str, columns: list[str]) -> list[dict]:
    order = "article_id, position" if table == "article_authors" else (
        "url" if table == "article_urls" else "id")
    with archive.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"))
        return [dict(r._mapping) for r in rows]


def test_first_schema_archive_upgrades_with_every_row(archive_url: str) -> None:  # noqa: F811
    _make_first_schema_archive(archive_url)
    with Archive(archive_url) as archive:
        assert archive.revision() == migrate.head_revision()
        for table, rows in OLD_ROWS.items():
            found = _rows(archive, table, list(rows[0]))
            expected = sorted(rows, key=lambda r: (r.get("article_id", 0), r.get("position", 0))) \
                if table == "article_authors" else sorted(rows, key=lambda r: r.get("id") or r["url"])
            assert [{k: (bytes(v) if isinstance(v, memoryview) else v) for k, v in r.items()}
                    for r in found] == expected, table

        # What revision 0002 adds is filled in from the old rows.
        added = _rows(archive, "articles", ["id", "published_utc", "author_count", "caption_count"])
        assert added == [
            {"id": 1, "published_utc": "2016-03-15T07:39:00+00:00", "author_count": 2, "caption_count": 2},
            {"id": 2, "published_utc": "2016-04-16", "author_count": 0, "caption_count": 0},
            {"id": 3, "published_utc": "2016-03-16T12:30:00+00:00", "author_count": 1, "caption_count": 0},
        ]
        fetches = _rows(archive, "fetches", ["article_id", "run_id", "outcome", "has_date",
                                             "has_authors", "has_captions", "fetched_at"])
        assert [(f["article_id"], f["outcome"], f["has_authors"], f["has_captions"]) for f in fetches] == [
            (1, "migrated", 1, 1), (2, "migrated", 0, 0), (3, "migrated", 1, 0)]
        assert fetches[1]["fetched_at"] == "2016-04-17T01:00:00+00:00"  # no fetched_at: last_seen
        overview = _rows(archive, "articles_overview", ["id", "authors", "versions", "published_utc"])
        # Revision 0006: the view carries the UTC instant Datasette sorts it by.
        assert overview[0] == {"id": 1, "authors": "Laura Pitel; Nadia Beard", "versions": 2,
                               "published_utc": "2016-03-15T07:39:00+00:00"}

        # Revision 0009: every old article is online (no takedown), with no event;
        # the view carries the takedown columns, and marking one works.
        assert _rows(archive, "articles", ["id", "gone_at", "gone_status"]) == [
            {"id": r["id"], "gone_at": None, "gone_status": None} for r in OLD_ROWS["articles"]]
        assert _rows(archive, "article_events", ["id"]) == []
        assert _rows(archive, "articles_overview", ["id", "gone_at"])[0] == {"id": 1, "gone_at": None}
        # Found through an address of article_urls written by release 0.1.
        assert archive.mark_gone(["https://bbc.co.uk/news/budget"], 404,
                                 at="2016-05-01T00:00:00+00:00") == 1
        assert archive.get_article(3)["events"] == [
            {"at": "2016-05-01T00:00:00+00:00", "event": "gone", "status": 404}]
        assert [s.gone for s in archive.stats(site="bbc.co.uk")] == [1]

        # The upgraded archive works like a new one: search, filters, new versions.
        assert [r["id"] for r in archive.search("fighter jets")] == [1]
        assert [r["id"] for r in archive.search("osborne", since="2016-03-16")] == [3]
        # Revision 0007: PostgreSQL folds accents as SQLite does, in the rows already there.
        assert [r["id"] for r in archive.search("Écuador")] == [2]
        if archive.dialect == "postgresql":
            with archive.engine.connect() as conn:
                assert text_search_config(conn) == "newsarchive_fold"
        assert archive.get_article(1)["authors"] == ["Laura Pitel", "Nadia Beard"]
        # Revision 0004 indexes the authors already there (SQLite's --author lookup).
        assert [r["id"] for r in archive.search("fighter jets", author="pitel")] == [1]
        assert [r["id"] for r in archive.search("fighter jets", author="beard")] == [1]
        if archive.dialect == "sqlite":
            with archive.engine.connect() as conn:
                assert conn.exec_driver_sql(
                    "SELECT rowid FROM authors_trigram WHERE name_key LIKE '%nadia%' "
                    "ORDER BY rowid").scalars().all() == [
                    r["id"] for r in OLD_ROWS["authors"] if "nadia" in r["name_key"]]
        assert "https://independent.co.uk/news/russia-syria" in archive.page_states()
        assert [(p.article_id, p.raw.body) for p in archive.raw_pages()] == [(1, b"<html>")]
        from newsarchive.items import Article

        outcome = archive.store_articles([Article(
            url="https://www.independent.co.uk/news/russia-syria", site="independent.co.uk",
            headline="Russia completes withdrawal from Syria", authors=["Laura Pitel"],
            body="Russia has completed its withdrawal.")])
        assert outcome == ["updated"]
        assert [v["version"] for v in archive.get_versions(1)] == [1, 2, 3]
        assert archive.diff(1).summary[0] == "headline changed"


# SQLite cannot reflect expression indexes (lower(section)); Alembic says so and skips it.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_latest_migration_matches_the_schema_module(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url) as archive, archive.engine.connect() as conn:
        def include(obj, name, type_, reflected, compare_to) -> bool:
            # Made by raw SQL in the migrations, deliberately outside the metadata.
            if type_ == "table" and (name or "").startswith(("articles_fts", "authors_trigram", "alembic_version")):
                return False
            if type_ == "column" and name == "search_vector":
                return False
            if type_ == "index" and name == "ix_articles_search_vector":
                return False
            return True

        context = MigrationContext.configure(conn, opts={"include_object": include,
                                                         "compare_type": False})
        diffs = compare_metadata(context, metadata)
        assert diffs == []


def test_db_upgrade_command(archive_url: str) -> None:  # noqa: F811
    _make_first_schema_archive(archive_url)
    runner = CliRunner()
    result = runner.invoke(main, ["db", "current", "--db", archive_url])
    head = migrate.head_revision()
    assert result.exit_code == 0 and f"revision 0001 (latest {head};" in result.output
    result = runner.invoke(main, ["db", "upgrade", "--db", archive_url])
    assert result.exit_code == 0, result.output
    assert f"upgraded from 0001 to {head}" in result.output
    result = runner.invoke(main, ["db", "upgrade", "--db", archive_url])
    assert f"already at revision {head}" in result.output


def test_an_archive_from_a_newer_release_is_refused(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url) as archive, archive.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(ArchiveError, match="newer than this newsarchive"):
        Archive(archive_url)
    result = CliRunner().invoke(main, ["stats", "--db", archive_url])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "upgrade newsarchive" in result.output


def test_concurrent_first_opens_create_the_schema_once(archive_url: str) -> None:  # noqa: F811
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            Archive(archive_url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Archive(archive_url) as archive:
        assert archive.revision() == migrate.head_revision()


def test_revisions_read_without_alembic_agree_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.all_revisions() == tuple(
        rev.revision for rev in reversed(list(script.walk_revisions())))


def test_opening_an_up_to_date_archive_does_not_import_alembic(tmp_path) -> None:
    # Alembic costs 9 MB of memory: the crawl and the CLI load it only to migrate.
    import subprocess
    import sys

    db = f"sqlite:///{tmp_path / 'a.db'}"
    probe = (
        "import sys\n"
        "from newsarchive.database import Archive\n"
        f"a = Archive({db!r}); a.revision(); a.search('word'); a.close()\n"
        "print('alembic' in sys.modules)\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "NEWSARCHIVE_DB_URL"}

    def alembic_imported() -> str:
        return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              check=True, env=env).stdout.strip()

    assert alembic_imported() == "True"  # a new archive: migrated
    assert alembic_imported() == "False"  # up to date: no migration, no Alembic


def test_a_command_that_upgrades_the_archive_says_so(archive_url: str) -> None:  # noqa: F811
    # Opening upgrades in place, and the older release then refuses the archive:
    # the user is told, once, on stderr (stdout stays the command's output).
    _make_first_schema_archive(archive_url)
    head = migrate.head_revision()
    result = CliRunner().invoke(main, ["stats", "--json", "--db", archive_url])
    assert result.exit_code == 0, result.output
    assert f"upgraded the archive's schema from revision 0001 to {head}" in result.stderr
    assert "upgraded" not in result.stdout
    again = CliRunner().invoke(main, ["stats", "--json", "--db", archive_url])
    assert again.exit_code == 0 and "upgraded" not in again.stderr


def _ts_configs(archive: Archive) -> list[str]:
    with archive.engine.connect() as conn:
        return conn.execute(text(
            "SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = "
            "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())")).scalars().all()


def _pg_matches(archive: Archive, word: str) -> list[int]:
    """Ids of the articles whose search_vector matches ``word``, with the archive's configuration."""
    with archive.engine.connect() as conn:
        config = text_search_config(conn)
        return list(conn.execute(text(
            "SELECT id FROM articles WHERE search_vector @@ plainto_tsquery(CAST(:c AS regconfig), :w) "
            "ORDER BY id"), {"c": config, "w": word}).scalars())


@pytest.mark.postgres
def test_postgresql_accent_folding_migrates_up_and_down(pg_url: str) -> None:  # noqa: F811
    _make_first_schema_archive(pg_url)
    with Archive(pg_url) as archive:
        assert _ts_configs(archive) == ["newsarchive_fold"]
        assert [r["id"] for r in archive.search("écuador")] == [2]
        with archive.engine.begin() as conn:
            from alembic import command

            command.downgrade(migrate.alembic_config(conn), "0006")
    # A new Archive: each connection remembers the configuration it read.
    with Archive(pg_url, upgrade=False) as archive:
        assert archive.revision() == "0006" and _ts_configs(archive) == []
        with archive.engine.connect() as conn:
            assert text_search_config(conn) == "simple"
        # Asked in SQL: this release's search reads columns of later revisions (0009).
        assert _pg_matches(archive, "ecuador") == [2]
        assert _pg_matches(archive, "écuador") == []  # 'simple' keeps the accent
        assert _rows(archive, "articles", ["id", "headline"]) == [
            {"id": r["id"], "headline": r["headline"]} for r in OLD_ROWS["articles"]]
    with Archive(pg_url) as archive:
        assert archive.revision() == migrate.head_revision()
        assert [r["id"] for r in archive.search("écuador")] == [2]


@pytest.mark.postgres
def test_a_postgresql_server_without_unaccent_keeps_simple_and_says_so(
        pg_url: str, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    # The server as the migration sees it without contrib's unaccent: views in
    # the archive's schema, searched before pg_catalog, hide the extension.
    import psycopg

    schema = pg_url.rsplit("%3D", 1)[1]
    with psycopg.connect(archive_support._PG.replace("postgresql+psycopg", "postgresql"),
                         autocommit=True) as conn:
        for view in ("pg_extension", "pg_available_extensions"):
            conn.execute(f"CREATE VIEW {schema}.{view} AS SELECT * FROM pg_catalog.{view} "
                         "WHERE false")
    url = pg_url + "%2Cpg_catalog"
    with caplog.at_level("WARNING", logger="newsarchive.database.migrations"), Archive(url) as archive:
        assert archive.revision() == migrate.head_revision()
        assert _ts_configs(archive) == []
        with archive.engine.connect() as conn:
            assert text_search_config(conn) == "simple"
        from newsarchive.items import Article

        archive.store_articles([Article(url="https://example.com/z", headline="Zürich",
                                        body="Die Stadt Zürich.")])
        assert [r["id"] for r in archive.search("Zürich")] == [1]
        assert archive.search("Zurich") == []
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "no unaccent extension" in warnings[0], warnings


def test_revision_0008_rekeys_urls_to_the_normalised_percent_encoding(archive_url: str) -> None:  # noqa: F811
    """Keys written by the old rules (``%2d`` escapes, raw non-ASCII, a
    latin-1 query turned into U+FFFD) take the keys this release computes."""
    from newsarchive.items import Article
    from newsarchive.urls import canonicalize_url

    body = "The harbour board met on Tuesday evening to discuss the repairs. " * 20
    fetched = ["https://example.fr/news/a%2Db", "https://example.fr/news/мост",
               "https://example.fr/a.php?t=caf%E9", "https://example.fr/news/a-b-twin"]
    with Archive(archive_url) as archive:
        archive.store_articles([Article(url=u, site="example.fr", headline=f"Story {i}", body=body)
                                for i, u in enumerate(fetched)])
    old_keys = {
        canonicalize_url(fetched[0]): "https://example.fr/news/a%2db",
        canonicalize_url(fetched[1]): "https://example.fr/news/мост",
        canonicalize_url(fetched[2]): "https://example.fr/a.php?t=caf%EF%BF%BD",
    }
    engine = make_engine(archive_url)
    try:
        with engine.begin() as conn:
            from alembic import command

            # The schema 0008 left (later revisions undone), to run 0008 again on it.
            command.downgrade(migrate.alembic_config(conn), "0008")
            for new, old in old_keys.items():
                conn.execute(text("UPDATE article_urls SET url = :old WHERE url = :new"), {"old": old, "new": new})
                conn.execute(text("UPDATE articles SET canonical_url = :old WHERE canonical_url = :new"),
                             {"old": old, "new": new})
            # The same address twice under the old rules: one row survives.
            twin = conn.execute(text("SELECT article_id FROM article_urls WHERE url = :u"),
                                {"u": "https://example.fr/news/a-b-twin"}).scalar()
            conn.execute(text("INSERT INTO article_urls (url, article_id) VALUES (:u, :a)"),
                         {"u": "https://example.fr/news/a%2Db-twin", "a": twin})
            conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    finally:
        engine.dispose()
    with Archive(archive_url) as archive:
        assert archive.revision() == migrate.head_revision()
        keys = {r["url"] for r in _rows(archive, "article_urls", ["url"])}
        assert keys == {canonicalize_url(u) for u in fetched}
        canonical = {r["canonical_url"] for r in _rows(archive, "articles", ["canonical_url"])}
        assert canonical == {canonicalize_url(u) for u in fetched}
        assert set(archive.page_states()) == keys
