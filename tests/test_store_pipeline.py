"""StorePipeline: batching, flushing, stats and settings, on SQLite and PostgreSQL."""
from __future__ import annotations

import dataclasses
import gzip
import threading
import time

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from archive_support import archive_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.database import Archive
from newsarchive.items import RawPage, article_to_dict
from newsarchive.pipelines.storage import StorePipeline
from newsarchive.wirebody import EncodedRawPage


# For tests that reach into the writer (monkeypatching ``Archive.store_prepared``
# or reading its queue), which only a writer thread in this process allows;
# the writer process runs the same GroupWriter (see the process tests below).
IN_THREAD = {"NEWSARCHIVE_STORE_WRITER": "thread"}
# The optional writer process (NEWSARCHIVE_STORE_WRITER=process).
IN_PROCESS = {"NEWSARCHIVE_STORE_WRITER": "process"}


def make_pipeline(db_url: str | None, **settings) -> tuple[StorePipeline, object]:
    crawler = get_crawler(Spider, {"NEWSARCHIVE_DB_URL": db_url, **settings})
    crawler.spider = crawler._create_spider(name="news")
    return StorePipeline.from_crawler(crawler), crawler


def many(n: int, start: int = 0):
    base = sample_articles()[0]
    return [dataclasses.replace(base, url=f"https://www.independent.co.uk/news/story-{i}.html",
                                canonical_url=None, headline=f"Story number {i}")
            for i in range(start, start + n)]


def count(db_url: str) -> int:
    with Archive(db_url) as archive:
        return archive.count_articles()


def test_commits_in_batches_and_flushes_on_close(archive_url: str) -> None:  # noqa: F811
    pipeline, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=3,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=3600)
    pipeline.open_spider()
    items = many(7)
    for item in items:
        assert pipeline.process_item(item) is item
    pipeline.drain()
    assert count(archive_url) == 6  # two batches committed, one item pending
    pipeline.close_spider()
    assert count(archive_url) == 7
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/stored/new"] == 7
    assert stats["newsarchive/stored/batches"] == 3

    again, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=100)
    again.open_spider()
    for item in items[:3]:
        again.process_item(item)
    again.process_item(dataclasses.replace(items[3], headline="A corrected headline"))
    again.close_spider()
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/stored/unchanged"] == 3
    assert stats["newsarchive/stored/updated"] == 1


def test_commits_after_the_batch_time(archive_url: str) -> None:  # noqa: F811
    pipeline, _ = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=100,
                                NEWSARCHIVE_STORE_BATCH_SECONDS=0.05)
    pipeline.open_spider()
    first, second = many(2)
    pipeline.process_item(first)
    assert count(archive_url) == 0
    time.sleep(0.06)
    pipeline.process_item(second)
    pipeline.drain()
    assert count(archive_url) == 2
    pipeline.close_spider()


def test_the_batch_time_counts_from_a_waiting_takedown(archive_url: str) -> None:  # noqa: F811
    # A takedown waiting when the first article comes keeps its place in the
    # batch timer: the article must not start the wait again.
    from newsarchive.signals import article_gone

    pipeline, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=100,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=0.05)
    pipeline.open_spider()
    crawler.signals.send_catch_log(signal=article_gone, urls=["https://example.com/x"], status=404)
    time.sleep(0.06)
    pipeline.process_item(many(1)[0])
    pipeline.drain()
    assert count(archive_url) == 1
    pipeline.close_spider()


def test_links_fetches_to_the_run_and_accepts_dict_items(archive_url: str) -> None:  # noqa: F811
    pipeline, crawler = make_pipeline(archive_url)
    with Archive(archive_url) as archive:
        run_id = archive.start_run("independent.co.uk", "news", {})
    crawler.spider.run_id = run_id
    pipeline.open_spider()
    as_dict = article_to_dict(sample_articles()[1])
    pipeline.process_item(as_dict)
    pipeline.close_spider()
    with Archive(archive_url) as archive:
        article = archive.get_article(as_dict["url"])
        with archive.engine.connect() as conn:
            runs = conn.exec_driver_sql("SELECT run_id FROM fetches").scalars().all()
    assert article["authors"] == ["Laura Kuenssberg"]
    assert runs == [run_id]


def test_keep_raw_setting(archive_url: str) -> None:  # noqa: F811
    pipeline, _ = make_pipeline(archive_url, NEWSARCHIVE_KEEP_RAW=False)
    pipeline.open_spider()
    pipeline.process_item(sample_articles()[0])
    pipeline.close_spider()
    with Archive(archive_url) as archive:
        assert archive.get_article(1)["raw_pages"] == []
        assert list(archive.raw_pages()) == []


def test_environment_overrides_the_setting(tmp_path, monkeypatch) -> None:
    env_db = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("NEWSARCHIVE_DB_URL", env_db)
    pipeline, _ = make_pipeline(f"sqlite:///{tmp_path / 'setting.db'}")
    pipeline.open_spider()
    pipeline.process_item(sample_articles()[0])
    pipeline.close_spider()
    assert not (tmp_path / "setting.db").exists()
    assert count(env_db) == 1


def test_empty_url_switches_storage_off(monkeypatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    with pytest.raises(NotConfigured):
        make_pipeline("")


def test_a_failed_batch_is_counted_not_raised(archive_url: str, monkeypatch) -> None:  # noqa: F811
    pipeline, crawler = make_pipeline(archive_url, **IN_THREAD, NEWSARCHIVE_STORE_BATCH=2)
    pipeline.open_spider()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline.archive, "store_prepared", broken)
    pipeline.article_gone(["https://example.com/pulled-story"], 410)
    for item in many(2):
        pipeline.process_item(item)
    pipeline.close_spider()
    assert crawler.stats.get_value("newsarchive/stored/errors") == 2
    # The batch's takedown is lost with it, and said so (its URL is not asked again for days).
    assert crawler.stats.get_value("newsarchive/archive/gone_errors") == 1


def test_pending_items_keep_the_compressed_page_not_the_html(archive_url: str) -> None:  # noqa: F811
    pipeline, _ = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=100,
                                NEWSARCHIVE_STORE_BATCH_SECONDS=0)
    pipeline.open_spider()
    html = b"<html><body>" + b"<p>The same paragraph again.</p>" * 5000 + b"</body></html>"
    item = dataclasses.replace(sample_articles()[0], raw=RawPage(html, {"ETag": '"v1"'}))
    pipeline.process_item(item)
    assert item.raw is not None and item.raw.body is html  # the item itself is untouched
    (pending,) = pipeline.pending
    assert pending.article.raw is None
    method, data, size = pending.raw.result()
    assert size == len(html) and len(data) < len(html) // 20
    pipeline.close_spider()
    with Archive(archive_url) as archive:
        (stored,) = [page.raw for page in archive.raw_pages()]
        assert stored.body == html and stored.headers["ETag"] == '"v1"'


def test_a_batch_is_also_bounded_by_bytes(archive_url: str) -> None:  # noqa: F811
    pipeline, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=100,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=0,
                                      NEWSARCHIVE_STORE_BATCH_BYTES=250_000)
    pipeline.open_spider()
    page = b"<html>" + b"x" * 100_000 + b"</html>"
    for item in many(5):
        pipeline.process_item(dataclasses.replace(item, raw=RawPage(page)))
    pipeline.drain()
    # Each item weighs its text plus a 100 kB page: the third one reaches 250 kB.
    assert crawler.stats.get_value("newsarchive/stored/batches") == 1
    assert count(archive_url) == 3
    pipeline.close_spider()
    assert count(archive_url) == 5


def _hold_first_write(pipeline: StorePipeline, items: list, monkeypatch,
                      then_wait: threading.Event | None = None) -> tuple[threading.Event, list[int]]:
    """Process ``items``, the writer waiting inside its first write while the
    rest queue (and in its second until ``then_wait`` is set, if given);
    returns (release, sizes written)."""
    entered, release = threading.Event(), threading.Event()
    sizes: list[int] = []
    real = pipeline.archive.store_prepared

    def held(prepared, **kwargs):
        if not sizes:
            entered.set()
            release.wait(10)
        elif len(sizes) == 1 and then_wait is not None:
            then_wait.wait(10)
        sizes.append(len(prepared))
        if any(item.article.headline == "Refused" for item in prepared.items):
            raise RuntimeError("this article cannot be written")
        return real(prepared, **kwargs)

    monkeypatch.setattr(pipeline.archive, "store_prepared", held)
    for item in items[:2]:
        pipeline.process_item(item)
    assert entered.wait(10)
    for item in items[2:]:
        pipeline.process_item(item)
    return release, sizes


def test_batches_queued_behind_a_slow_write_share_one_commit(archive_url: str,  # noqa: F811
                                                             monkeypatch) -> None:
    pipeline, crawler = make_pipeline(archive_url, **IN_THREAD, NEWSARCHIVE_STORE_BATCH=2,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=0)
    pipeline.open_spider()
    release, sizes = _hold_first_write(pipeline, many(6), monkeypatch)
    release.set()
    pipeline.drain()
    # The first batch alone; the two that waited for it in one transaction.
    assert sizes == [2, 4]
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/stored/batches"] == 3
    assert stats["newsarchive/stored/commits"] == 2
    assert count(archive_url) == 6
    pipeline.close_spider()


def test_a_failed_group_is_written_batch_by_batch(archive_url: str, monkeypatch) -> None:  # noqa: F811
    pipeline, crawler = make_pipeline(archive_url, **IN_THREAD, NEWSARCHIVE_STORE_BATCH=2,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=0)
    pipeline.open_spider()
    items = many(6)
    items[5] = dataclasses.replace(items[5], headline="Refused")
    release, sizes = _hold_first_write(pipeline, items, monkeypatch)
    release.set()
    pipeline.close_spider()
    # The group of the last two batches fails, then each is tried alone:
    # only the batch holding the refused article is lost, and counted.
    assert sizes == [2, 4, 2, 2]
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/stored/errors"] == 2
    assert stats["newsarchive/stored/new"] == 4
    assert count(archive_url) == 4


def _start(process, wait: float = 0.3) -> tuple[bool, threading.Thread]:
    """Run ``process()`` in a thread; whether it is still waiting (the crawl
    held back) after ``wait`` seconds, and the thread, which finishes in the
    background."""
    thread = threading.Thread(target=process)
    thread.start()
    thread.join(wait)
    return thread.is_alive(), thread


@pytest.mark.parametrize(("group_batches", "out", "expected_sizes"), [
    # Two groups' worth: one being written, five queued.
    pytest.param(3, 6, [2, 6, 6], id="two groups"),
    # One batch per commit still lets three batches out.
    pytest.param(1, 3, [2, 2, 2, 2], id="one batch per commit"),
])
def test_batches_out_uncommitted_at_most(archive_url: str, monkeypatch, group_batches: int,  # noqa: F811
                                         out: int, expected_sizes: list[int]) -> None:
    pipeline, crawler = make_pipeline(archive_url, **IN_THREAD, NEWSARCHIVE_STORE_BATCH=2,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=0,
                                      NEWSARCHIVE_STORE_GROUP_BATCHES=group_batches)
    pipeline.open_spider()
    assert pipeline.max_uncommitted == out
    held = 2 * out
    # The second write waits until the held-back batch is queued: on a busy
    # machine its thread may otherwise run only after the next group was taken.
    queued = threading.Event()
    release, sizes = _hold_first_write(pipeline, many(held), monkeypatch, then_wait=queued)
    # ``out`` batches are out (one being written, the rest queued): the next waits.
    blocked, thread = _start(lambda: [pipeline.process_item(item) for item in many(2, start=held)])
    assert blocked
    release.set()
    thread.join(10)
    assert not thread.is_alive()
    queued.set()
    pipeline.close_spider()
    assert count(archive_url) == held + 2
    assert sum(sizes) == held + 2
    assert sizes == expected_sizes


def test_the_crawl_hands_over_the_next_group_while_one_is_written(archive_url: str,  # noqa: F811
                                                                 monkeypatch) -> None:
    # With room for only the group being written, the crawl could hand over
    # nothing while the writer wrote three batches, and the writer then took
    # the first batch that came, alone: batches of 10 were grouped by one or
    # two, never three.
    pipeline, crawler = make_pipeline(archive_url, **IN_THREAD, NEWSARCHIVE_STORE_BATCH=2,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=0,
                                      NEWSARCHIVE_STORE_GROUP_BATCHES=3)
    pipeline.open_spider()
    # The writer waits inside its first write (one batch) and then inside the
    # group of the three batches that queued meanwhile.
    entered = [threading.Event(), threading.Event()]
    release = [threading.Event(), threading.Event()]
    sizes: list[int] = []
    real = pipeline.archive.store_prepared

    def held(prepared, **kwargs):
        sizes.append(len(prepared))
        if len(sizes) <= 2:
            entered[len(sizes) - 1].set()
            release[len(sizes) - 1].wait(10)
        return real(prepared, **kwargs)

    monkeypatch.setattr(pipeline.archive, "store_prepared", held)
    items = many(14)
    for item in items[:2]:
        pipeline.process_item(item)
    assert entered[0].wait(10)
    for item in items[2:8]:  # three batches queue: the next group
        pipeline.process_item(item)
    release[0].set()
    assert entered[1].wait(10)
    # While that group is written, the next three batches go without waiting.
    blocked, _thread = _start(lambda: [pipeline.process_item(item) for item in items[8:14]], wait=10)
    assert not blocked
    release[1].set()
    pipeline.close_spider()
    assert sizes == [2, 6, 6]
    assert crawler.stats.get_value("newsarchive/stored/commits") == 3
    assert count(archive_url) == 14


def test_by_default_five_batches_share_a_commit_and_ten_are_out_at_most(  # noqa: F811
        archive_url: str) -> None:
    pipeline, _ = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=2)
    assert pipeline.group_batches == 5 and pipeline.max_uncommitted == 10


def test_a_group_counts_pages_compressed(archive_url: str, monkeypatch) -> None:  # noqa: F811
    # Each item carries a 100 kB page that compresses to a few hundred bytes.
    # As fetched, two batches (400 kB) would fill the 450 kB bound; compressed,
    # three batches share one commit.
    page = b"<p>" + b"the same words again " * 5000 + b"</p>"
    pipeline, crawler = make_pipeline(archive_url, **IN_THREAD, NEWSARCHIVE_STORE_BATCH=2,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=0,
                                      NEWSARCHIVE_STORE_BATCH_BYTES=450_000)
    pipeline.open_spider()
    items = [dataclasses.replace(item, raw=RawPage(page)) for item in many(8)]
    release, sizes = _hold_first_write(pipeline, items, monkeypatch)
    for batch, _run in list(pipeline._queue.queue):
        for item in batch.items:  # the compressions are done before the group is made
            item.raw.result()
            assert item.stored_size() < item.size - 90_000
    release.set()
    pipeline.close_spider()
    assert sizes == [2, 6]
    assert count(archive_url) == 8


@pytest.mark.parametrize(("settings", "items", "expected_sizes"), [
    # Every article alone reaches the byte bound, so no two share a commit.
    pytest.param({"NEWSARCHIVE_STORE_BATCH": 100, "NEWSARCHIVE_STORE_BATCH_BYTES": 1}, 3, [1, 1, 1],
                 id="a group stays within the batch bytes"),
    pytest.param({"NEWSARCHIVE_STORE_BATCH": 2, "NEWSARCHIVE_STORE_GROUP_BATCHES": 1}, 6, [2, 2, 2],
                 id="group commit can be switched off"),
])
def test_batches_that_commit_alone(archive_url: str, monkeypatch, settings: dict,  # noqa: F811
                                   items: int, expected_sizes: list[int]) -> None:
    pipeline, crawler = make_pipeline(archive_url, **IN_THREAD, NEWSARCHIVE_STORE_BATCH_SECONDS=0,
                                      **settings)
    pipeline.open_spider()
    release, sizes = _hold_first_write(pipeline, many(items), monkeypatch)
    release.set()
    pipeline.close_spider()
    assert sizes == expected_sizes
    assert crawler.stats.get_value("newsarchive/stored/commits") == 3
    assert count(archive_url) == items


# --- the writer process (NEWSARCHIVE_STORE_WRITER=process, the default) --------------


def _archive_contents(db_url: str) -> dict[str, list]:
    """Every row of every archive table, and on SQLite every entry of the FTS index."""
    from sqlalchemy import inspect, text

    contents: dict[str, list] = {}
    with Archive(db_url) as archive, archive.engine.connect() as conn:
        names = inspect(conn).get_table_names()
        for name in sorted(names):
            if name.startswith(("articles_fts", "authors_trigram", "alembic")):
                continue
            contents[name] = [tuple(row) for row in conn.execute(text(f'SELECT * FROM "{name}"'))]
            contents[name].sort(key=repr)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.fts_terms USING "
                                 "fts5vocab(main, articles_fts, instance)")
            contents["fts"] = sorted(conn.exec_driver_sql("SELECT * FROM temp.fts_terms").all())
    return contents


@pytest.mark.parametrize("keep_raw", [True, False])
def test_the_writer_process_stores_what_the_thread_stores(tmp_path, keep_raw: bool) -> None:
    # Same rows, same compressed pages, same FTS entries (on SQLite, where the
    # two can be compared byte for byte; the tests above run the process on
    # PostgreSQL too). Some pages came gzip-encoded and are stored as sent.
    html = b"<html><body>" + b"<p>Sent gzip-encoded by the server.</p>" * 400 + b"</body></html>"
    sent = gzip.compress(html, 6)
    encoded = [dataclasses.replace(item, raw=EncodedRawPage(
        html, {"Content-Type": "text/html"}, encoding="gzip", encoded=sent))
        for item in many(3, start=100)]
    items = many(23) + encoded + sample_articles()
    outcomes = {}
    contents = {}
    for writer in ("process", "thread"):
        url = f"sqlite:///{tmp_path / writer}.db"
        pipeline, crawler = make_pipeline(url, NEWSARCHIVE_STORE_WRITER=writer,
                                          NEWSARCHIVE_STORE_BATCH=4, NEWSARCHIVE_KEEP_RAW=keep_raw,
                                          NEWSARCHIVE_STORE_BATCH_SECONDS=0)
        pipeline.open_spider()
        assert (pipeline._process is not None) == (writer == "process")
        for item in items:
            pipeline.process_item(item)
        pipeline.close_spider()
        outcomes[writer] = {k: v for k, v in crawler.stats.get_stats().items()
                            if k.startswith("newsarchive/stored/")
                            and k != "newsarchive/stored/commits"}  # grouping depends on timing
        contents[writer] = _archive_contents(url)
    assert outcomes["process"] == outcomes["thread"]
    assert outcomes["process"]["newsarchive/stored/new"] == len(items)
    assert contents["process"] == contents["thread"]
    with_pages = sum(1 for item in items if item.raw is not None)
    assert with_pages > 0
    assert len(contents["process"]["raw_pages"]) == (with_pages if keep_raw else 0)
    if keep_raw:
        with Archive(f"sqlite:///{tmp_path / 'process'}.db") as archive:
            pages = {page.url: page.raw.body for page in archive.raw_pages()}
        assert all(pages[item.url] == html for item in encoded)
        gzip_rows = [row for row in contents["process"]["raw_pages"] if sent in row]
        assert len(gzip_rows) == len(encoded)
    assert contents["process"]["fts"]


def test_errors_in_the_writer_process_reach_the_crawl(archive_url: str, caplog) -> None:  # noqa: F811
    pipeline, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=2, **IN_PROCESS,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=0)
    pipeline.open_spider()
    assert pipeline._process is not None
    with Archive(archive_url) as archive, archive.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE fetches")  # every batch writes a fetch row
    for item in many(4):
        pipeline.process_item(item)
    pipeline.close_spider()
    assert crawler.stats.get_value("newsarchive/stored/errors") == 4
    assert crawler.stats.get_value("newsarchive/stored/new") is None
    failures = [r for r in caplog.records if "could not store a batch of 2 articles" in r.getMessage()]
    assert len(failures) == 2 and "fetches" in failures[0].getMessage()


def test_a_dead_writer_process_costs_its_batches_and_the_thread_goes_on(archive_url: str,  # noqa: F811
                                                                      caplog) -> None:
    import os
    import signal

    pipeline, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=2, **IN_PROCESS,
                                      NEWSARCHIVE_STORE_BATCH_SECONDS=0)
    pipeline.open_spider()
    items = many(6)
    for item in items[:2]:
        pipeline.process_item(item)
    pipeline.drain()
    writer = pipeline._process
    os.kill(writer.process.pid, signal.SIGSTOP)
    for item in items[2:4]:  # handed over, never written
        pipeline.process_item(item)
    writer.process.kill()
    writer.process.wait()
    deadline = time.monotonic() + 10
    while writer.alive and time.monotonic() < deadline:
        time.sleep(0.01)
    for item in items[4:]:  # written from a thread instead
        pipeline.process_item(item)
    pipeline.close_spider()
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/stored/errors"] == 2
    assert stats["newsarchive/stored/new"] == 4 == count(archive_url)
    assert any("store writer process ended" in r.getMessage() and "(2 articles)" in r.getMessage()
               for r in caplog.records)


def test_an_unknown_writer_is_refused() -> None:
    with pytest.raises(ValueError, match="NEWSARCHIVE_STORE_WRITER"):
        make_pipeline("sqlite://", NEWSARCHIVE_STORE_WRITER="coroutine")


def test_a_process_forked_from_the_crawl_keeps_no_copy_of_the_writers_pipes(tmp_path) -> None:
    # Else a crawl killed with SIGKILL would leave the writer waiting for
    # batches (the extraction workers are forked from the crawl).
    import os

    pipeline, _ = make_pipeline(f"sqlite:///{tmp_path / 'a.db'}", **IN_PROCESS)
    pipeline.open_spider()
    fds = [pipeline._process._inbox.fileno(), pipeline._process._outbox.fileno()]
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        closed = 0
        for fd in fds:
            try:
                os.fstat(fd)
            except OSError:
                closed += 1
        os._exit(0 if closed == len(fds) else 1)
    _, status = os.waitpid(child, 0)
    pipeline.close_spider()
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_writer_process_that_does_not_start_leaves_the_writing_to_a_thread(
        archive_url: str, monkeypatch, caplog) -> None:  # noqa: F811
    from newsarchive.pipelines import store_writer

    monkeypatch.setattr(store_writer.WriterProcess, "START_TIMEOUT_S", 0)  # never ready in time
    pipeline, crawler = make_pipeline(archive_url, NEWSARCHIVE_STORE_BATCH=2, **IN_PROCESS)
    pipeline.open_spider()
    for item in many(4):
        pipeline.process_item(item)
    pipeline.close_spider()
    assert pipeline.writer == "thread"
    assert crawler.stats.get_value("newsarchive/stored/new") == 4 == count(archive_url)
    assert crawler.stats.get_value("newsarchive/stored/errors") is None
    assert any("did not start" in r.getMessage() for r in caplog.records)


def test_the_writer_process_waits_for_the_crawl_to_say_stop(tmp_path) -> None:
    # Ctrl-C or a service manager's SIGTERM reach the whole process group;
    # the crawl's graceful shutdown still needs its writer to store the rest.
    import os
    import signal

    url = f"sqlite:///{tmp_path / 'a.db'}"
    pipeline, crawler = make_pipeline(url, NEWSARCHIVE_STORE_BATCH=2, **IN_PROCESS)
    pipeline.open_spider()
    pipeline.wait_for_writer()
    for signum in (signal.SIGINT, signal.SIGTERM):
        os.kill(pipeline._process.process.pid, signum)
    time.sleep(0.2)
    for item in many(3):
        pipeline.process_item(item)
    pipeline.drain()
    assert pipeline._process.process.poll() is None and pipeline._thread is None
    pipeline.close_spider()
    assert crawler.stats.get_value("newsarchive/stored/new") == 3 == count(url)
    assert crawler.stats.get_value("newsarchive/stored/errors") is None
