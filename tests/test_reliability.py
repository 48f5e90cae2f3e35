"""Reliability of the archive under kill -9 and under concurrent writers and readers.

- A writer (the real StorePipeline, fed by tests/archive_writer.py) is killed
  with SIGKILL at random moments, 20 times. Its store writer process ends
  soon after (it finishes the transaction it is in). Then the SQLite file
  passes ``PRAGMA integrity_check``, the FTS index matches the table, and
  every article is whole (row, authors, captions, version, FTS entry, raw
  page, URL) or absent. A last, uninterrupted run then stores the rest: the
  committed rows were intact and the missing ones are simply written again.
- Two writers with overlapping articles and a CLI reader run at once: no row
  is lost or duplicated and nobody sees a lock error.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from archive_support import archive_url  # noqa: F401 (fixture)
from archive_writer import expected
from newsarchive.database import Archive
from newsarchive.database.rawpages import decompress

TESTS = Path(__file__).parent
WRITER = TESTS / "archive_writer.py"
READER = TESTS / "archive_reader.py"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NEWSARCHIVE_DB_URL", None)
    return env


def start_writer(db_url: str, start: int, count: int, *, batch: int = 20,
                 edit: bool = False, writer: str = "") -> subprocess.Popen:
    args = [sys.executable, str(WRITER), db_url, str(start), str(count), "--batch", str(batch)]
    if edit:
        args.append("--edit")
    if writer:
        args += ["--writer", writer]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env())


def child_processes(pid: int) -> list[int]:
    """The processes ``pid`` started (its store writer process), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended (nobody may reap it in a container)


def check_archive(db_url: str) -> set[int]:
    """Assert the archive is consistent and every article whole; returns the article numbers."""
    with Archive(db_url) as archive, archive.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            # Raises if the FTS index and the articles table disagree.
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
            indexed = conn.exec_driver_sql("SELECT count(*) FROM articles_fts_docsize").scalar()
        else:
            indexed = conn.execute(text(
                "SELECT count(*) FROM articles WHERE search_vector IS NOT NULL "
                "AND search_vector <> ''::tsvector")).scalar()
        rows = conn.execute(text(
            "SELECT id, url, headline, standfirst, body, version, author_count, caption_count "
            "FROM articles")).all()
        assert indexed == len(rows)
        authors: dict[int, list[str]] = {}
        for article_id, name in conn.execute(text(
                "SELECT aa.article_id, au.name FROM article_authors aa "
                "JOIN authors au ON au.id = aa.author_id ORDER BY aa.article_id, aa.position")):
            authors.setdefault(article_id, []).append(name)
        captions: dict[int, list[tuple[str, str]]] = {}
        for article_id, caption, credit in conn.execute(text(
                "SELECT article_id, text, credit FROM captions ORDER BY article_id, position")):
            captions.setdefault(article_id, []).append((caption, credit))
        versions: dict[int, list[tuple[int, str]]] = {}
        for article_id, number, body in conn.execute(text(
                "SELECT article_id, version, body FROM versions ORDER BY article_id, version")):
            versions.setdefault(article_id, []).append((number, body))
        raw = {(r.article_id, r.version): r for r in conn.execute(text(
            "SELECT article_id, version, compression, body FROM raw_pages"))}
        urls = {r.article_id for r in conn.execute(text("SELECT article_id FROM article_urls"))}
        numbers = set()
        for row in rows:
            i = int(row.url.rsplit("/", 1)[1].split(".")[0])
            assert i not in numbers, f"article {i} stored twice"
            numbers.add(i)
            want = expected(i)
            edited = expected(i, edit=True)
            assert row.headline == want.headline and row.standfirst == want.standfirst
            assert row.body in (want.body, edited.body)
            assert authors.get(row.id, []) == want.authors
            assert row.author_count == len(want.authors)
            assert captions.get(row.id, []) == [(c.text, c.credit) for c in want.captions]
            assert row.caption_count == len(want.captions)
            history = versions[row.id]
            assert [n for n, _ in history] == list(range(1, row.version + 1))
            assert history[-1][1] == row.body
            page = raw[(row.id, row.version)]
            assert row.body in decompress(page.compression, page.body).decode()
            assert row.id in urls
        # FTS finds articles by their own words.
        for i in random.sample(sorted(numbers), min(5, len(numbers))):
            hits = archive.search(f"token{i}", limit=5)
            assert expected(i).headline in [h["headline"] for h in hits]
        return numbers


@pytest.mark.parametrize("store_writer", ["thread", "process"])
def test_kill_9_at_random_points_leaves_whole_articles(tmp_path: Path, store_writer: str) -> None:
    db_url = f"sqlite:///{tmp_path / 'archive.db'}"
    rng = random.Random(20261125)
    total = 4000
    committed_before = 0
    kills = 0
    for attempt in range(20):
        # Odd runs edit every article, so kills also land inside updates
        # (old authors/captions deleted, new ones inserted, a version added).
        writer = start_writer(db_url, 0, total, batch=rng.choice([1, 7, 25, 60]),
                              edit=attempt % 2 == 1, writer=store_writer)
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        # The crawl's store writer process (NEWSARCHIVE_STORE_WRITER=process);
        # a writer thread dies with the crawl.
        writer_processes = child_processes(writer.pid)
        assert len(writer_processes) == (store_writer == "process")
        time.sleep(rng.uniform(0.02, 0.5))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        if writer.returncode == -signal.SIGKILL:
            kills += 1
        # It does not outlive the crawl: it finishes the transaction it is
        # in, if any, and ends.
        deadline = time.monotonic() + 10
        while any(map(running, writer_processes)) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not any(map(running, writer_processes)), "the writer process outlived the crawl"
        numbers = check_archive(db_url)
        assert numbers == set(range(len(numbers))), "articles are stored in order, batch by batch"
        assert len(numbers) >= committed_before  # nothing committed is ever lost
        committed_before = len(numbers)
    assert kills >= 18  # (a run may finish before its kill on a very fast machine)
    # The "re-crawl": an uninterrupted run stores what the killed runs did not commit.
    writer = start_writer(db_url, 0, total, batch=200, writer=store_writer)
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert check_archive(db_url) == set(range(total))


@pytest.mark.timeout(180)
def test_two_writers_and_a_reader_at_once(archive_url: str, tmp_path: Path) -> None:  # noqa: F811
    Archive(archive_url).close()  # schema first: both writers then find it ready
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, str(READER), archive_url, str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    first = start_writer(archive_url, 0, 600, batch=10)
    second = start_writer(archive_url, 300, 600, batch=10)
    outputs = [w.communicate(timeout=150) for w in (first, second)]
    stop.touch()
    reader_out, reader_err = reader.communicate(timeout=60)
    for writer, (out, err) in zip((first, second), outputs):
        assert writer.returncode == 0, err
        assert "locked" not in err and "done errors=0" in out
    assert reader.returncode == 0, reader_out + reader_err
    assert reader_out.startswith("reads ")
    assert check_archive(archive_url) == set(range(900))
    with Archive(archive_url) as archive, archive.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 900
        assert conn.execute(text("SELECT max(version) FROM articles")).scalar() == 1
        outcomes = dict(conn.execute(text("SELECT outcome, count(*) FROM fetches GROUP BY outcome")).all())
        assert outcomes == {"new": 900, "unchanged": 300}
        stats = json.loads(json.dumps([s.as_dict() for s in archive.stats()]))
        assert sum(s["articles"] for s in stats) == 900
