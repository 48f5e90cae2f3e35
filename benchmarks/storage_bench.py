"""Storage benchmark: store pipeline throughput, and search / export / stats on
an archive of 100,000 synthetic articles, plus the cost of keeping raw pages.

    .venv/bin/python benchmarks/storage_bench.py                # everything
    .venv/bin/python benchmarks/storage_bench.py --articles 20000 --store 2000   # quicker
    .venv/bin/python benchmarks/storage_bench.py --postgres postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/storage_bench.py --only-store [--batch 10 100]   # store throughput only
    .venv/bin/python benchmarks/storage_bench.py --only-queries   # search, export, stats only
    .venv/bin/python benchmarks/storage_bench.py --only-raw-cost  # raw-page storage per 1,000 articles

Figures printed (targets from issue 5 in brackets):
- store pipeline throughput into SQLite, batches of 10 (the crawl's setting)
  and 100 [>= 2,000 articles/s], with the project's ``settings.py`` values of
  ``NEWSARCHIVE_STORE_BATCH_BYTES`` and ``NEWSARCHIVE_STORE_GROUP_BATCHES``
  (as a crawl; ``--batch-bytes``/``--group-batches`` to change them),
  with raw pages kept (the default; (a) and (b) below) and without, as a wall-clock rate and as
  CPU time per article over all threads (and over both processes with
  ``--writer process``, the optional writer process; the default is the
  pipeline's own, a writer thread), the figure that holds on a busy machine,
  against three references measured in the same run: the same
  pipeline committing every article, bare sqlite3 ``executemany`` of the
  article rows with an FTS5 index kept by a trigger (the floor for searchable
  rows), and of the rows alone, each committed by the same batch size;
- the store pipeline's memory: peak RSS above the process's own baseline
  (and above the writer process's, added) while it stores fresh pages (each item a new copy of a corpus page, dropped
  after the pipeline, as in a crawl), measured in a fresh process;
- search latency p50/p95/max by query kind and overall, over a mix of
  queries and filters [p95 < 50 ms];
- export of the whole archive as JSONL, rows/s (wall, and per CPU-second)
  and peak RSS, measured in a fresh process [>= 20,000 rows/s, flat memory];
- stats [< 1 s];
- raw-page storage per 1,000 articles, with real pages from the shared corpus,
  for pages served plain (compressed here, zstd level 1) and served
  gzip-encoded (stored as sent).

Raw pages are measured two ways, both printed: (a) pages served
uncompressed, which the pipeline compresses itself, and (b) pages served
``Content-Encoding: gzip`` (level 6, encoded before the clock starts, as a
server would have), which the crawl stores as they came
(``newsarchive/wirebody.py``): what most news sites send.

Synthetic articles draw their words from the corpus's own vocabulary with its
real frequencies, so common words are common and rare words rare, as in news.
The 100k archive is cached (``--archive``) and rebuilt only when missing.
For a before/after, point ``NEWSARCHIVE_BENCH_CODE`` at another copy of the
package (e.g. ``git archive <commit> | tar -x -C /tmp/old``) and run the same
script: it then measures that copy.
Timings depend on what else the machine runs: the load average is printed
at the start and end.
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import gzip
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# NEWSARCHIVE_BENCH_CODE: another copy of the package to measure (see the docstring).
sys.path.insert(0, os.environ.get("NEWSARCHIVE_BENCH_CODE") or str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

from newsarchive.items import Article, Caption, RawPage  # noqa: E402

SITES = [f"{name}.example" for name in (
    "daily-herald", "morning-post", "city-times", "the-observer", "evening-star",
    "tribune", "gazette", "chronicle", "courier", "ledger")]
SECTIONS = ["World", "Politics", "Business", "Science", "Sport", "Culture", "Opinion"]


class Vocabulary:
    """Words of the corpus with their frequencies, for realistic synthetic text."""

    def __init__(self) -> None:
        counts: collections.Counter[str] = collections.Counter()
        for line in (CORPUS / "corpus.jsonl").open(encoding="utf-8"):
            counts.update(re.findall(r"[^\W\d_]{2,}", (json.loads(line).get("body") or "").lower()))
        self.ranked = [w for w, _ in counts.most_common()]
        total = 0
        self.cumulative = []
        for _, n in counts.most_common():
            total += n
            self.cumulative.append(total)
        self.names = [w.capitalize() for w in self.ranked[300:3000] if len(w) > 3]

    def words(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.ranked, cum_weights=self.cumulative, k=k)


def synthetic(i: int, vocab: Vocabulary, rng: random.Random) -> Article:
    paragraphs = []
    for _ in range(rng.randint(5, 12)):
        words = vocab.words(rng, rng.randint(30, 70))
        words[0] = words[0].capitalize()
        paragraphs.append(" ".join(words) + ".")
    body = "\n\n".join(paragraphs)
    headline = " ".join(vocab.words(rng, rng.randint(6, 12))).capitalize()
    n_authors = rng.choice([0, 1, 1, 1, 2, 2, 3])
    authors = [f"{rng.choice(vocab.names)} {rng.choice(vocab.names)}" for _ in range(n_authors)]
    site = SITES[i % len(SITES)]
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    year = 2016 + (i // 336) % 9
    return Article(
        url=f"https://www.{site}/news/{year}/{month:02d}/{i}-{headline[:30].replace(' ', '-')}",
        site=site,
        headline=headline,
        standfirst=" ".join(vocab.words(rng, 20)).capitalize(),
        authors=authors,
        byline=", ".join(authors) or None,
        published=f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+01:00",
        section=rng.choice(SECTIONS),
        tags=vocab.words(rng, 3),
        language="en",
        captions=[Caption(" ".join(vocab.words(rng, 12)), rng.choice(["AP", "Reuters", "AFP/Getty Images"]))
                  for _ in range(rng.choice([0, 0, 1, 1, 2]))],
        body=body,
        word_count=len(body.split()),
        fetched_at=f"2026-11-{1 + i % 24:02d}T06:00:00+00:00",
        page_type="NewsArticle",
    )


def corpus_pages() -> list[bytes]:
    return [gzip.decompress(p.read_bytes()) for p in sorted((CORPUS / "pages").glob("*.html.gz"))]


def fresh_url(folder: Path, name: str) -> str:
    path = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return f"sqlite:///{path}"


# --- store throughput --------------------------------------------------------------


# Pipeline settings given on the command line (--batch-bytes, --group-batches), for every
# pipeline of the run; the pipeline's defaults otherwise.
EXTRA_SETTINGS: dict[str, Any] = {}


def _bytes_note() -> str:
    return "".join(f", {name}={value:,}" if isinstance(value, int) else f", {name}={value}"
                   for name, value in EXTRA_SETTINGS.items())


def open_store_pipeline(db_url: str, *, batch: int, keep_raw: bool) -> tuple[Any, Any]:
    """A StorePipeline opened as a crawl would open it, and its crawler (for stats).

    Batches are cut by count only (no timer), so every run commits the same way.
    """
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from newsarchive.pipelines.storage import StorePipeline

    settings = {"NEWSARCHIVE_DB_URL": db_url, "NEWSARCHIVE_STORE_BATCH": batch,
                "NEWSARCHIVE_STORE_BATCH_SECONDS": 0, "NEWSARCHIVE_KEEP_RAW": keep_raw}
    settings.update(EXTRA_SETTINGS)
    crawler = get_crawler(Spider, settings)
    crawler.spider = crawler._create_spider(name="news")
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    # A crawl's writer process starts while the first pages are fetched; here
    # the items are all at hand, so the clock starts once it is ready.
    getattr(pipeline, "wait_for_writer", lambda: None)()
    return pipeline, crawler


def run_pipeline(db_url: str, articles: list[Article], *, batch: int,
                 keep_raw: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the crawl's process and of the writer process
    if the pipeline has one, all threads)."""
    pipeline, crawler = open_store_pipeline(db_url, batch=batch, keep_raw=keep_raw)
    started, cpu_started = time.perf_counter(), time.process_time()
    for article in articles:
        pipeline.process_item(article)
    pipeline.close_spider()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # The writer process's CPU from when it was ready (its start-up, like the
    # archive's opening in the crawl's process, is before the clock starts).
    cpu += getattr(pipeline, "writer_cpu_seconds", None) or 0.0
    assert crawler.stats.get_value("newsarchive/stored/new") == len(articles)
    return elapsed, cpu


def bare_sqlite_floor(path: Path, articles: list[Article], *, fts: bool = False,
                      batch: int = 100) -> tuple[float, float]:
    """Reference: the article rows alone, one executemany and one commit per
    ``batch`` (no authors, no versions): what any Python writer of these rows pays at
    least; with ``fts`` also an FTS5 index of headline, standfirst and body
    kept by a trigger, as the archive does (the floor for searchable rows)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, url TEXT UNIQUE, site TEXT, headline TEXT, "
                 "standfirst TEXT, published TEXT, section TEXT, body TEXT)")
    if fts:
        conn.execute("CREATE VIRTUAL TABLE a_fts USING fts5(headline, standfirst, body, content=[a], "
                     "content_rowid=[id], tokenize='unicode61 remove_diacritics 2')")
        conn.execute("CREATE TRIGGER a_fts_i AFTER INSERT ON a BEGIN INSERT INTO a_fts(rowid, headline, "
                     "standfirst, body) VALUES (new.id, new.headline, new.standfirst, new.body); END")
    conn.commit()
    rows = [(a.url, a.site, a.headline, a.standfirst, a.published, a.section, a.body) for a in articles]
    started, cpu_started = time.perf_counter(), time.process_time()
    for start in range(0, len(rows), batch):
        conn.executemany("INSERT INTO a (url, site, headline, standfirst, published, section, body) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", rows[start:start + batch])
        conn.commit()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    conn.close()
    return elapsed, cpu


def served_gzip(pages: list[bytes]) -> list[bytes]:
    """The pages as a server sends them ``Content-Encoding: gzip``, at gzip's
    (and Apache mod_deflate's) default level 6; made before any clock starts,
    as the server made them."""
    return [gzip.compress(page, GZIP_SERVED_LEVEL, mtime=0) for page in pages]


GZIP_SERVED_LEVEL = 6


def wire_pages(pages: list[bytes], encoded: list[bytes]) -> list[RawPage] | None:
    """Raw pages as the crawl gives them for pages served gzip-encoded (the
    decoded page and the bytes as sent), or None when the code measured
    predates storing pages as sent (NEWSARCHIVE_BENCH_CODE)."""
    try:
        from newsarchive.wirebody import EncodedRawPage
    except ImportError:
        return None
    return [EncodedRawPage(page, {"Content-Type": "text/html"}, encoding="gzip", encoded=sent)
            for page, sent in zip(pages, encoded)]


def bench_store(folder: Path, vocab: Vocabulary, n: int, pages: list[bytes],
                batches: list[int]) -> None:
    rng = random.Random(1)
    base = [synthetic(1_000_000 + i, vocab, rng) for i in range(n)]
    with_raw = [dataclasses.replace(a, raw=RawPage(pages[i % len(pages)], {"Content-Type": "text/html"}))
                for i, a in enumerate(base)]
    as_sent = wire_pages(pages, served_gzip(pages))
    with_wire = None if as_sent is None else [
        dataclasses.replace(a, raw=as_sent[i % len(as_sent)]) for i, a in enumerate(base)]
    print(f"\n== Store pipeline throughput ({n} new articles into a fresh SQLite archive"
          f"{_bytes_note()}) ==")
    print("  (wall rate, and CPU per article over all threads: the CPU figure holds on a busy machine)")
    print("  raw pages two ways: (a) served uncompressed, so the pipeline compresses each page (zstd 1);")
    print(f"  (b) served gzip-encoded (level {GZIP_SERVED_LEVEL}, encoded before the clock starts, as "
          "by the server), stored as sent: what most news sites send")

    def line(label: str, count: int, wall: float, cpu: float, extra: str = "") -> None:
        print(f"  {label:<46}: {count / wall:9,.0f} articles/s   {cpu / count * 1000:6.3f} ms CPU/article{extra}")

    one = base[: max(n // 10, 200)]
    t_single, c_single = run_pipeline(fresh_url(folder, "store-single.db"), one, batch=1, keep_raw=False)
    line("reference: the pipeline, a commit per article", len(one), t_single, c_single)
    for batch in batches:
        t_raw, c_raw = run_pipeline(fresh_url(folder, f"store-raw-{batch}.db"), with_raw, batch=batch,
                                    keep_raw=True)
        t_noraw, c_noraw = run_pipeline(fresh_url(folder, f"store-noraw-{batch}.db"), base, batch=batch,
                                        keep_raw=False)
        t_fts, c_fts = bare_sqlite_floor(folder / "floor-fts.db", base, fts=True, batch=batch)
        t_floor, c_floor = bare_sqlite_floor(folder / "floor.db", base, batch=batch)
        line(f"batches of {batch}, raw pages (a) served plain", n, t_raw, c_raw, "   [target >= 2,000/s]")
        if with_wire is not None:
            t_wire, c_wire = run_pipeline(fresh_url(folder, f"store-wire-{batch}.db"), with_wire,
                                          batch=batch, keep_raw=True)
            line(f"batches of {batch}, raw pages (b) served gzip", n, t_wire, c_wire,
                 "   [target >= 2,000/s]")
        line(f"batches of {batch}, raw pages off", n, t_noraw, c_noraw,
             f"   (x{(n / t_noraw) / (len(one) / t_single):.1f} a commit per article)")
        line(f"reference: bare sqlite3 rows + FTS5, by {batch}", n, t_fts, c_fts,
             f"   (pipeline without raw pages at {(n / t_noraw) / (n / t_fts):.0%} of it)")
        line(f"reference: bare sqlite3 rows only, by {batch}", n, t_floor, c_floor,
             f"   (pipeline without raw pages at {(n / t_noraw) / (n / t_floor):.0%} of it)")


def memory_child(db_url: str, n: int, keep_raw: bool, batch: int) -> None:
    """Run in a fresh process: the store pipeline's peak RSS above its baseline."""
    def status(field: str, pid: int | str = "self") -> float:
        with open(f"/proc/{pid}/status") as lines:
            for line in lines:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0

    vocab = Vocabulary()
    pages = corpus_pages()
    rng = random.Random(5)
    articles = [synthetic(3_000_000 + i, vocab, rng) for i in range(n)]
    pipeline, crawler = open_store_pipeline(db_url, batch=batch, keep_raw=keep_raw)
    # Warm-up, so imports and the first connection's set-up are in the baseline.
    pipeline.process_item(dataclasses.replace(articles[0], url=articles[0].url + "-warm-up"))
    pipeline.flush()
    pipeline.drain()
    # Resident memory can only be given back so far; VmHWM from here on is
    # compared with the current RSS, so the baseline counts everything above.
    # The writer process (NEWSARCHIVE_STORE_WRITER=process) is measured the same way.
    writer = getattr(pipeline, "_process", None)
    pids: list[int | str] = ["self"] + ([writer.process.pid] if writer is not None else [])
    for pid in pids:
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as clear:  # resets VmHWM to the current RSS
                clear.write("5")
        except OSError:  # then the peak may predate the baseline: the figure is an upper bound
            pass
    baselines = [status("VmRSS", pid) for pid in pids]
    for i, article in enumerate(articles):
        # A fresh copy of the page per item, as each response is in a crawl.
        page = bytes(bytearray(pages[i % len(pages)]))
        pipeline.process_item(dataclasses.replace(
            article, raw=RawPage(page, {"Content-Type": "text/html"})))
        del page
    pipeline.flush()
    pipeline.drain()
    peaks = [status("VmHWM", pid) for pid in pids]  # the writer's before it ends
    pipeline.close_spider()
    peaks[0] = status("VmHWM")
    print(json.dumps({"baseline": baselines[0], "peak": peaks[0],
                      "writer": peaks[1] - baselines[1] if writer is not None else None}))


def bench_memory(folder: Path, n: int, batch: int) -> dict[str, float]:
    out = {}
    for keep in (True, False):
        result = subprocess.run(
            [sys.executable, __file__, "--memory-child", fresh_url(folder, f"mem-{keep}.db"),
             str(n), str(int(keep)), str(batch)]
            + [f"--{name.removeprefix('NEWSARCHIVE_STORE_').lower().replace('_', '-')}={value}"
               for name, value in EXTRA_SETTINGS.items()],
            capture_output=True, text=True, check=True)
        data = json.loads(result.stdout.strip().splitlines()[-1])
        out[f"keep_raw={keep}"] = data["peak"] - data["baseline"]
        if data.get("writer") is not None:
            out[f"keep_raw={keep}"] += data["writer"]
            out[f"keep_raw={keep} (of which the writer process)"] = data["writer"]
    print(f"\n== Store pipeline memory ({n} fresh pages, batches of {batch}{_bytes_note()}, "
          "fresh process) ==")
    print("  peak RSS above the pipeline's own baseline: "
          + ", ".join(f"{k}: +{v:.0f} MB" for k, v in out.items()))
    return out


# --- the 100k archive --------------------------------------------------------------


def build_archive(url: str, vocab: Vocabulary, n: int) -> None:
    from newsarchive.database import Archive

    rng = random.Random(7)
    started = time.perf_counter()
    with Archive(url, keep_raw=False) as archive:
        have = archive.count_articles()
        batch: list[Article] = []
        for i in range(have, n):
            batch.append(synthetic(i, vocab, rng))
            if len(batch) == 1000:
                archive.store_articles(batch)
                batch = []
        if batch:
            archive.store_articles(batch)
        with archive.engine.connect() as conn:
            # What a long-lived archive gets from time to time; FTS5 merges its b-trees.
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES('optimize')")
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    print(f"  built {n - have:,} articles in {time.perf_counter() - started:.0f} s")


def queries(vocab: Vocabulary, rng: random.Random) -> list[tuple[str, str, dict]]:
    common = vocab.ranked[30:300]
    mid = vocab.ranked[300:3000]
    rare = vocab.ranked[3000:15000]
    out: list[tuple[str, str, dict]] = []
    for _ in range(40):
        out.append(("one common word", rng.choice(common), {}))
        out.append(("one mid-frequency word", rng.choice(mid), {}))
        out.append(("one rare word", rng.choice(rare), {}))
        out.append(("two words (AND)", f"{rng.choice(mid)} {rng.choice(common)}", {}))
        out.append(("phrase", f'"{rng.choice(common)} {rng.choice(common)}"', {}))
        out.append(("OR", f"{rng.choice(mid)} OR {rng.choice(rare)}", {}))
        out.append(("prefix*", rng.choice(mid)[:4] + "*", {}))
        out.append(("word + --site --since", rng.choice(common),
                    {"site": rng.choice(SITES), "since": "2020-01-01"}))
        out.append(("word + --author", rng.choice(mid), {"author": rng.choice(vocab.names)}))
    rng.shuffle(out)
    return out


def bench_search(url: str, vocab: Vocabulary) -> None:
    from newsarchive.database import Archive

    rng = random.Random(3)
    timings: dict[str, list[float]] = collections.defaultdict(list)
    hits = []
    with Archive(url) as archive:
        archive.search("warm up")
        for kind, query, filters in queries(vocab, rng):
            started = time.perf_counter()
            results = archive.search(query, limit=20, **filters)
            timings[kind].append(time.perf_counter() - started)
            hits.append(len(results))
    every = sorted(t for ts in timings.values() for t in ts)
    print(f"\n== Search ({len(every)} queries, 20 results with snippets, in-process) ==")
    for kind, ts in timings.items():
        ts.sort()
        print(f"  {kind:<24} p50 {statistics.median(ts) * 1000:6.1f} ms   "
              f"p95 {ts[int(len(ts) * 0.95) - 1] * 1000:6.1f} ms   max {ts[-1] * 1000:6.1f} ms")
    p95 = every[int(len(every) * 0.95) - 1] * 1000
    print(f"  ALL                      p50 {statistics.median(every) * 1000:6.1f} ms   "
          f"p95 {p95:6.1f} ms   max {every[-1] * 1000:6.1f} ms   [target p95 < 50 ms]")
    print(f"  (mean results per query {statistics.mean(hits):.1f})")


def export_child(url: str) -> None:
    """Run in a fresh process: export everything to /dev/null as the CLI does."""
    from newsarchive.database import Archive

    try:
        from newsarchive.database.export import write_jsonl
    except ImportError:  # NEWSARCHIVE_BENCH_CODE: code from before write_jsonl, as its CLI wrote
        def write_jsonl(rows, stream) -> int:
            count = 0
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
                count += 1
            return count

    def rss_mb() -> float:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def sampled(rows):
        for n, row in enumerate(rows, 1):
            yield row
            if n % 10_000 == 0:
                samples.append(round(rss_mb(), 1))

    with Archive(url) as archive, open(os.devnull, "wb") as sink:
        before = rss_mb()
        samples: list[float] = []
        cpu_started = time.process_time()
        started = time.perf_counter()
        n = write_jsonl(sampled(archive.export()), sink)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    peak = 0.0
    with open("/proc/self/status") as status:  # VmHWM: this process's own peak
        for line in status:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    print(json.dumps({"rows": n, "seconds": elapsed, "cpu": cpu, "rss_before": before,
                      "rss_samples": samples, "peak": peak}))


def bench_export(url: str) -> None:
    out = subprocess.run([sys.executable, __file__, "--export-child", url], capture_output=True,
                         text=True, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    rate = data["rows"] / data["seconds"]
    print("\n== Export (JSONL, whole archive, fresh process) ==")
    print(f"  {data['rows']:,} rows in {data['seconds']:.2f} s = {rate:,.0f} rows/s   [target >= 20,000]; "
          f"{data['rows'] / data['cpu']:,.0f} rows per CPU-second")
    print(f"  RSS before {data['rss_before']:.0f} MB; every 10k rows: {data['rss_samples']} MB; "
          f"peak {data['peak']:.0f} MB")


def bench_stats(url: str) -> None:
    from newsarchive.database import Archive

    with Archive(url) as archive:
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            sites = archive.stats()
            timings.append(time.perf_counter() - started)
    print(f"\n== Stats ({sum(s.articles for s in sites):,} articles, {len(sites)} sites) ==")
    print(f"  median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms   [target < 1 s]")


def bench_raw_cost(folder: Path, vocab: Vocabulary, pages: list[bytes]) -> None:
    from newsarchive.database import Archive

    rng = random.Random(11)
    n = 1000
    base = [synthetic(2_000_000 + i, vocab, rng) for i in range(n)]
    plain = [RawPage(page, {"Content-Type": "text/html"}) for page in pages]
    kinds: dict[str, tuple[list[RawPage], bool]] = {
        "(a) served plain, compressed here": (plain, True),
        "none": (plain, False),
    }
    as_sent = wire_pages(pages, served_gzip(pages))
    if as_sent is not None:
        kinds[f"(b) served gzip -{GZIP_SERVED_LEVEL}, stored as sent"] = (as_sent, True)
    sizes = {}
    for number, (kind, (raw_pages, keep)) in enumerate(kinds.items()):
        url = fresh_url(folder, f"raw-{number}.db")
        articles = [dataclasses.replace(a, raw=raw_pages[i % len(raw_pages)]) for i, a in enumerate(base)]
        with Archive(url, keep_raw=keep) as archive:
            archive.store_articles(articles)
            with archive.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                stored = conn.exec_driver_sql(
                    "SELECT coalesce(sum(length(body)), 0), coalesce(sum(size), 0), "
                    "group_concat(DISTINCT compression) FROM raw_pages").one()
        sizes[kind] = (Path(url.removeprefix("sqlite:///")).stat().st_size, stored)
    without_size = sizes.pop("none")[0]
    print(f"\n== Raw pages: storage per 1,000 articles (real corpus pages, {len(pages)} cycled) ==")
    for kind, (with_size, (compressed, original, method)) in sizes.items():
        print(f"  {kind:<36}: fetched HTML {original / 1e6:.1f} MB -> stored {compressed / 1e6:.1f} MB "
              f"({method}, {compressed / original:.1%}); archive file {with_size / 1e6:.1f} MB with raw "
              f"pages, {without_size / 1e6:.1f} MB without: +{(with_size - without_size) / 1e6:.1f} MB "
              "per 1,000 articles")


def bench_postgres(base_url: str, vocab: Vocabulary, n: int) -> None:
    """The same query mix on PostgreSQL, in a throw-away schema."""
    import psycopg

    from newsarchive.database import Archive

    schema = f"newsarchive_bench_{os.getpid()}"
    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base_url else "?"
    url = f"{base_url}{sep}options=-csearch_path%3D{schema}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    try:
        rng = random.Random(7)
        articles = [synthetic(i, vocab, rng) for i in range(n)]
        with Archive(url, keep_raw=False) as archive:
            started = time.perf_counter()
            for start in range(0, n, 500):
                archive.store_articles(articles[start:start + 500])
            store_rate = n / (time.perf_counter() - started)
            with archive.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            timings = []
            for _, query, filters in queries(vocab, random.Random(3)):
                started = time.perf_counter()
                archive.search(query, limit=20, **filters)
                timings.append(time.perf_counter() - started)
            timings.sort()
            started = time.perf_counter()
            rows = sum(1 for _ in archive.export())
            export_rate = rows / (time.perf_counter() - started)
            started = time.perf_counter()
            archive.stats()
            stats_ms = (time.perf_counter() - started) * 1000
        print(f"\n== PostgreSQL ({n:,} synthetic articles, batches of 500, no raw pages) ==")
        print(f"  store {store_rate:,.0f} articles/s; search p50 {statistics.median(timings) * 1000:.1f} ms, "
              f"p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.1f} ms; export {export_rate:,.0f} rows/s; "
              f"stats {stats_ms:.0f} ms")
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000, help="size of the query archive")
    parser.add_argument("--store", type=int, default=5000, help="articles for the throughput test")
    parser.add_argument("--archive", default=str(Path(tempfile.gettempdir()) / "newsarchive-bench-100k.db"),
                        help="cached query archive (built when missing or smaller)")
    parser.add_argument("--postgres", metavar="URL",
                        help="also run the query mix on PostgreSQL (a throw-away schema), "
                             "e.g. postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--postgres-articles", type=int, default=50_000)
    parser.add_argument("--only-postgres", action="store_true", help="run only the PostgreSQL part")
    parser.add_argument("--batch", type=int, nargs="+", default=[10, 100],
                        help="NEWSARCHIVE_STORE_BATCH values for the throughput test "
                             "(default 10, the crawl's setting, and 100); the memory test uses the first")
    parser.add_argument("--batch-bytes", type=int,
                        help="NEWSARCHIVE_STORE_BATCH_BYTES for the store tests (default: the "
                             "project's settings.py, 4000000, as a crawl; 0 = the pipeline's own "
                             "default, 32 MB)")
    parser.add_argument("--group-batches", type=int,
                        help="NEWSARCHIVE_STORE_GROUP_BATCHES for the store tests (default: the "
                             "project's settings.py if it sets one, else the pipeline's, 3; "
                             "1 = a commit per batch)")
    parser.add_argument("--writer", choices=["process", "thread"],
                        help="NEWSARCHIVE_STORE_WRITER for the store tests (default: the "
                             "pipeline's own, a writer thread)")
    parser.add_argument("--only-store", action="store_true",
                        help="run only the store throughput test (quick)")
    parser.add_argument("--only-raw-cost", action="store_true",
                        help="run only the raw-page storage cost per 1,000 articles")
    parser.add_argument("--only-queries", action="store_true",
                        help="run only search, export and stats on the query archive")
    parser.add_argument("--memory", type=int, default=3000,
                        help="fresh pages for the store memory test (0 = skip)")
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    for name, value in (("NEWSARCHIVE_STORE_BATCH_BYTES", args.batch_bytes),
                        ("NEWSARCHIVE_STORE_GROUP_BATCHES", args.group_batches)):
        if value is None and not (args.export_child or args.memory_child):
            # What a crawl uses: the project's settings (of the code measured).
            from newsarchive import settings as project_settings
            value = getattr(project_settings, name, None)
        if value:
            EXTRA_SETTINGS[name] = value
    if args.writer:
        EXTRA_SETTINGS["NEWSARCHIVE_STORE_WRITER"] = args.writer
    if args.export_child:
        export_child(args.export_child)
        return
    if args.memory_child:
        url, n, keep, batch = args.memory_child
        memory_child(url, int(n), keep == "1", int(batch))
        return
    os.environ.pop("NEWSARCHIVE_DB_URL", None)
    vocab = Vocabulary()
    pages = corpus_pages()
    print(f"newsarchive storage benchmark (SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f})")
    if args.only_postgres and args.postgres:
        bench_postgres(args.postgres, vocab, args.postgres_articles)
        return
    try:
        if args.only_raw_cost:
            with tempfile.TemporaryDirectory() as tmp:
                bench_raw_cost(Path(tmp), vocab, pages)
            return
        if not args.only_queries:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                bench_store(folder, vocab, args.store, pages, args.batch)
                if args.memory:
                    bench_memory(folder, args.memory, args.batch[0])
                if args.only_store:
                    return
                bench_raw_cost(folder, vocab, pages)
        url = f"sqlite:///{args.archive}"
        print(f"\n== Query archive: {args.articles:,} synthetic articles at {args.archive} ==")
        build_archive(url, vocab, args.articles)
        bench_search(url, vocab)
        bench_export(url)
        bench_stats(url)
        if args.postgres:
            bench_postgres(args.postgres, vocab, args.postgres_articles)
    finally:
        print(f"\n(load average at the end {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
