"""The SQL users are given works: the README's example queries (run through the
real ``sqlite3`` shell when installed) and the Datasette canned queries."""
from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from archive_support import pg_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.database import Archive
from newsarchive.database.datasette import QUERIES, metadata_for

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "notes" / "readme-archive.md", ROOT / "README.md"]


# The paragraph before the README's PostgreSQL forms of the examples starts so.
POSTGRES_BLOCK = "On PostgreSQL"


def _blocks(postgres: bool) -> list[str]:
    """The ```sql blocks about the archive schema, for SQLite or for PostgreSQL."""
    blocks: list[str] = []
    for path in DOCS:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        for found in re.finditer(r"```sql\n(.*?)```", text, re.S):
            before = text[:found.start()].rstrip().rsplit("\n\n", 1)[-1]
            if "articles" in found.group(1) and before.startswith(POSTGRES_BLOCK) == postgres:
                blocks.append(found.group(1))
    return blocks


def _titled(blocks: list[str]) -> dict[str, str]:
    """{title comment: statement} of each query (a query is its "-- title" and SQL)."""
    queries: dict[str, str] = {}
    for block in blocks:
        for chunk in re.split(r"\n\s*\n", block.strip()):
            lines = chunk.strip().splitlines()
            sql = "\n".join(line for line in lines if not line.startswith("--")).strip().rstrip(";")
            queries[lines[0]] = sql
    return queries


def example_queries() -> list[str]:
    """Every statement of the SQLite ```sql blocks about the archive schema."""
    statements: list[str] = []
    for block in _blocks(postgres=False):
        text = "\n".join(line for line in block.splitlines() if not line.startswith("--"))
        statements.extend(s.strip() for s in text.split(";") if s.strip())
    return statements


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "newsarchive.db"
    with Archive(f"sqlite:///{path}") as archive:
        articles = sample_articles()
        archive.store_articles(articles)
        run = archive.start_run("independent.co.uk", "news", {"url": "https://www.independent.co.uk/"})
        edited = articles[0]
        edited.headline = "Russia completes military withdrawal from Syria"
        archive.store_articles([edited], run_id=run)
        archive.finish_run(run, "finished", {"item_scraped_count": 1})
        # A run that stored nothing: Scrapy's stats then have no item_scraped_count.
        quiet = archive.start_run("independent.co.uk", "news", {"url": "https://www.independent.co.uk/"})
        archive.finish_run(quiet, "finished", {"finish_reason": "finished"})
        # One story taken down, for the queries about takedowns.
        archive.mark_gone([articles[1].url], 410)
    return path


def test_the_docs_have_examples() -> None:
    assert len(example_queries()) >= 10


@pytest.mark.parametrize("statement", example_queries())
def test_readme_example_runs(sample_db: Path, statement: str) -> None:
    with sqlite3.connect(sample_db) as conn:
        rows = conn.execute(statement).fetchall()
    assert rows, statement
    if shutil.which("sqlite3"):
        result = subprocess.run(["sqlite3", str(sample_db), statement + ";"], capture_output=True,
                                text=True, timeout=30)
        assert result.returncode == 0 and not result.stderr, result.stderr
        assert result.stdout.strip()


def test_example_results(sample_db: Path) -> None:
    with sqlite3.connect(sample_db) as conn:
        by_pitel = conn.execute(
            "SELECT a.headline FROM articles a JOIN article_authors aa ON aa.article_id = a.id "
            "JOIN authors au ON au.id = aa.author_id WHERE au.name = 'Laura Pitel' "
            "ORDER BY a.published_utc").fetchall()
        history = conn.execute(
            "SELECT version, headline FROM versions WHERE article_id = 1 ORDER BY version").fetchall()
    assert [h for (h,) in by_pitel] == ["Russia completes military withdrawal from Syria",
                                        "Oil price rises as producers discuss output freeze"]
    assert [v for v, _ in history] == [1, 2]
    runs = _titled(_blocks(postgres=False))["-- Crawl runs, newest first"]
    with sqlite3.connect(sample_db) as conn:
        # The run that stored nothing shows 0 items, not an empty cell.
        assert [row[-1] for row in conn.execute(runs)] == [0, 1]


@pytest.mark.postgres
def test_the_readme_postgresql_forms_run(pg_url: str) -> None:  # noqa: F811
    # The README gives PostgreSQL forms of the examples that use SQLite's own
    # functions, and says the others run there as written: all of them, here.
    sqlite_forms, postgres_forms = _titled(_blocks(postgres=False)), _titled(_blocks(postgres=True))
    assert postgres_forms and set(postgres_forms) < set(sqlite_forms)
    with Archive(pg_url) as archive:
        articles = sample_articles()
        archive.store_articles(articles)
        run = archive.start_run("independent.co.uk", "news")
        articles[0].headline = "Russia completes military withdrawal from Syria"
        archive.store_articles([articles[0]], run_id=run)
        archive.finish_run(run, "finished", {"item_scraped_count": 5})
        quiet = archive.start_run("independent.co.uk", "news")
        archive.finish_run(quiet, "finished", {})
        archive.mark_gone([articles[1].url], 410)
        with archive.engine.connect() as conn:
            answers = {title: conn.exec_driver_sql(sql).fetchall()
                       for title, sql in {**sqlite_forms, **postgres_forms}.items()}
    for title, rows in answers.items():
        assert rows, title
    assert [row[-1] for row in answers["-- Crawl runs, newest first"]] == [0, 5]
    assert "[" in answers["-- Full-text search, best first, with a snippet"][0][-1]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_datasette_canned_queries_run(sample_db: Path, name: str) -> None:
    params = {"q": "russia", "name": "pitel", "id": 1}
    sql = QUERIES[name]["sql"]
    used = {p: params[p] for p in re.findall(r":(\w+)", sql)}
    with sqlite3.connect(sample_db) as conn:
        assert conn.execute(sql, used).fetchall(), name


def test_datasette_metadata_names_real_tables(sample_db: Path) -> None:
    meta = metadata_for(str(sample_db))
    tables = meta["databases"]["newsarchive"]["tables"]
    with sqlite3.connect(sample_db) as conn:
        existing = {name for (name,) in conn.execute("SELECT name FROM sqlite_master "
                                                     "WHERE type IN ('table', 'view')")}
    assert set(tables) <= existing
    assert tables["articles_overview"]["fts_table"] in existing
    # Each table sorts on a column it has: the overview by the UTC instant, not
    # by "published", whose text keeps each page's own offset.
    with sqlite3.connect(sample_db) as conn:
        for name, table in tables.items():
            if "sort_desc" in table:
                columns = {row[1] for row in conn.execute(f"PRAGMA table_info({name})")}
                assert table["sort_desc"] in columns, name
    assert tables["articles_overview"]["sort_desc"] == "published_utc"
