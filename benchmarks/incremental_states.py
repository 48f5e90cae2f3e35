"""Incremental crawls: what reading the archive's page states costs a run, as
the archive grows, before (every state of the site read at start) and now
(only the URLs discovery meets, looked up in batches through a bounded cache).

    .venv/bin/python benchmarks/incremental_states.py                  # 25,000 and 100,000 articles
    .venv/bin/python benchmarks/incremental_states.py --sizes 10000 40000 --discovered 2000
    .venv/bin/python benchmarks/incremental_states.py --rebuild        # build the archives again

The archives (``/tmp/newsarchive-states-<n>.db``, kept for the next run) are
built directly, not through the store pipeline, to take seconds instead of
minutes: ``Archive`` creates the schema (with its full-text triggers), then
one site's ``n`` articles go in with sqlite3 ``executemany`` (bodies of about
2,600 characters, as ``storage_bench.py``'s synthetic articles, so rows span
overflow pages as real ones do; one article in four has a second address,
as a fetched variant of its canonical URL gives) and their URL rows with
fetch times and validators. Then ``ANALYZE``.

Each variant runs in a fresh subprocess, so its RSS figures are its own:

- ``eager``: what runs did before: ``Archive.page_states(site)`` at the site's
  start, then the decisions read from that dict;
- ``lookup``: ``IncrementalFilter`` as the spider uses it: ``load(site)`` (a
  COUNT), then the discovered URLs in ``PREFETCH_BATCH`` slices, each slice
  ``prefetch``-ed and then decided one by one (as ``_from_index`` does).

Both decide the same ``--discovered`` URLs (default 5,000, as an hourly run's
sitemaps list: half of them archived, picked at random over the whole
archive, half new, shuffled); the decisions of the two are checked equal.
Figures: RSS growth (peak and at the end, over the process after its imports),
CPU seconds and wall seconds of the work, their ratios, and how each grows
from the smallest archive to the largest (flat = 1.0x).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

SITE = "daily.example"
WORDS = ("minister said the council would report on plans for schools roads and "
         "hospitals after a vote in parliament this week while critics warned costs "
         "rose again").split()


def article_url(i: int) -> str:
    return f"https://{SITE}/news/{2010 + i % 15}/{i:07d}-story.html"


def new_url(i: int) -> str:
    return f"https://{SITE}/news/2026/{i:07d}-fresh-story.html"


def archive_path(n: int) -> Path:
    return Path(f"/tmp/newsarchive-states-{n}.db")


def build(n: int, rebuild: bool) -> None:
    path = archive_path(n)
    if path.exists() and not rebuild:
        with sqlite3.connect(path) as conn:
            if conn.execute("select count(*) from articles").fetchone()[0] == n:
                return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    from newsarchive.database import Archive

    started = time.perf_counter()
    Archive(f"sqlite:///{path}").close()  # the schema, as a crawl's first run creates it
    rng = random.Random(n)
    base = datetime(2010, 1, 1, tzinfo=timezone.utc)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    for start in range(0, n, 5_000):
        article_rows, url_rows = [], []
        for i in range(start, min(n, start + 5_000)):
            published = (base + timedelta(minutes=75 * i)).isoformat()
            fetched = (base + timedelta(minutes=75 * i + 30)).isoformat()
            body = " ".join(rng.choices(WORDS, k=430))
            url = article_url(i)
            article_rows.append((i + 1, url, url, SITE, f"Story {i}", body, published, fetched,
                                 fetched, fetched, f"{i:032x}", published))
            url_rows.append((url, i + 1, fetched, f'"{i:x}"', None))
            if i % 4 == 0:
                url_rows.append((url.replace("/news/", "/amp/news/"), i + 1, fetched, None, None))
        conn.executemany(
            "INSERT INTO articles (id, canonical_url, url, site, headline, body, published, fetched_at, "
            "first_seen, last_seen, content_hash, published_utc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            article_rows)
        conn.executemany("INSERT INTO article_urls (url, article_id, fetched_at, etag, last_modified) "
                         "VALUES (?,?,?,?,?)", url_rows)
        conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = path.stat().st_size / 1e6
    print(f"  built {n:,} articles ({size:,.0f} MB) in {time.perf_counter() - started:.0f} s", flush=True)


def discovered(n: int, m: int) -> list[str]:
    rng = random.Random(m)
    archived = [article_url(i) for i in rng.sample(range(n), m // 2)]
    urls = archived + [new_url(i) for i in range(m - m // 2)]
    rng.shuffle(urls)
    return urls


def rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(variant: str, n: int, m: int) -> dict[str, float | str | int]:
    """One variant on one archive (run in a subprocess of its own)."""
    from newsarchive.database import Archive
    from newsarchive.incremental import PREFETCH_BATCH, IncrementalFilter

    urls = discovered(n, m)
    db = f"sqlite:///{archive_path(n)}"
    now = datetime(2026, 12, 7, tzinfo=timezone.utc)
    window = {"recent": timedelta(days=2), "every": timedelta(hours=6)}
    # Opened and closed once first: the imports and set-up an archive costs
    # any run stay out of the figures.
    Archive(db).close()
    baseline = rss_kb()
    cpu, wall = time.process_time(), time.perf_counter()
    if variant == "eager":
        with Archive(db) as archive:
            states = archive.page_states(SITE)
        inc = IncrementalFilter(None, **window, source=lambda keys: {k: states[k] for k in keys if k in states})
        decisions = [inc.decide(url, now=now).reason for url in urls]
        known, queries = len(states), 1
    else:
        inc = IncrementalFilter(db, **window)
        known = inc.load(SITE)
        decisions = []
        for start in range(0, len(urls), PREFETCH_BATCH):
            batch = urls[start:start + PREFETCH_BATCH]
            inc.prefetch(batch)
            decisions.extend(inc.decide(url, now=now).reason for url in batch)
        queries = inc.queries
        inc.close()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    end = rss_kb()
    return {"variant": variant, "n": n, "cpu_s": cpu, "wall_s": wall,
            "rss_growth_mb": (end - baseline) / 1024, "peak_growth_mb": (peak - baseline) / 1024,
            "known": known, "queries": queries,
            "new": decisions.count("new"), "unchanged": decisions.count("unchanged"),
            "decisions": hashlib.sha1("\n".join(decisions).encode()).hexdigest()[:12]}


def run_child(variant: str, n: int, m: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", variant, str(n), str(m)],
                         check=True, capture_output=True, text=True, env=os.environ)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--discovered", type=int, default=5_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        variant, n, m = args.child
        print(json.dumps(measure(variant, int(n), int(m))))
        return
    sizes = sorted(args.sizes)
    print(f"archives: one site, {', '.join(f'{n:,}' for n in sizes)} articles; "
          f"{args.discovered:,} discovered URLs (half archived, half new)", flush=True)
    for n in sizes:
        build(n, args.rebuild)
    results: dict[tuple[str, int], dict] = {}
    for n in sizes:
        # Each archive read once untimed first, so both variants find it in
        # the OS's file cache rather than the first paying for the disk.
        run_child("eager", n, args.discovered)
        for variant in ("eager", "lookup"):
            results[variant, n] = run_child(variant, n, args.discovered)
    print(f"\n{'articles':>9} {'variant':>7} {'URLs read':>10} {'queries':>7} {'peak RSS +MB':>12} "
          f"{'end RSS +MB':>11} {'CPU s':>7} {'wall s':>7}  decisions")
    for n in sizes:
        for variant in ("eager", "lookup"):
            r = results[variant, n]
            read = r["known"] if variant == "eager" else args.discovered
            print(f"{n:>9,} {variant:>7} {read:>10,} {r['queries']:>7,} {r['peak_growth_mb']:>12.1f} "
                  f"{r['rss_growth_mb']:>11.1f} {r['cpu_s']:>7.2f} {r['wall_s']:>7.2f}  "
                  f"{r['new']:,} new, {r['unchanged']:,} unchanged ({r['decisions']})")
        same = results["eager", n]["decisions"] == results["lookup", n]["decisions"]
        eager, lookup = results["eager", n], results["lookup", n]
        print(f"{'':>9} eager/lookup: peak RSS {eager['peak_growth_mb'] / max(lookup['peak_growth_mb'], 0.1):.1f}x, "
              f"CPU {eager['cpu_s'] / lookup['cpu_s']:.1f}x, wall {eager['wall_s'] / lookup['wall_s']:.1f}x; "
              f"decisions identical: {same}")
    small, large = sizes[0], sizes[-1]
    print(f"\ngrowth from {small:,} to {large:,} articles ({large / small:.0f}x the archive):")
    for variant in ("eager", "lookup"):
        a, b = results[variant, small], results[variant, large]
        print(f"  {variant:>6}: peak RSS {b['peak_growth_mb'] / max(a['peak_growth_mb'], 0.1):.2f}x, "
              f"CPU {b['cpu_s'] / a['cpu_s']:.2f}x, wall {b['wall_s'] / a['wall_s']:.2f}x")


if __name__ == "__main__":
    main()
