"""How fast is extract_article, against trafilatura measured in the same run?

Times one extraction per corpus page (the page bytes already in memory; one
core), for newsarchive's ``extract_article`` (loader + body + cleaning) and,
if installed, ``trafilatura.extract`` with its defaults plus metadata (the
configuration the issue's peer figures use). Prints the mean CPU time of a
first pass over the corpus in the new process (nothing compiled or cached
yet); then median, mean and p95 milliseconds of the best of R runs and of the
first run of each page (what a crawl pays: it sees each page once, so caches
keyed by the page's own class names and text blocks are cold); the ratios,
the load average, the time per stage (parse, metadata, body, cleaning); then
a cProfile of the hot path.

Every figure is CPU time of this process (``time.process_time``) unless
``--clock wall`` is given: on a shared machine, wall-clock time also counts
the moments another process held the core.

Usage:
    .venv/bin/python benchmarks/extraction_speed.py [CORPUS_DIR] [--limit N] [--repeat R] [--clock cpu|wall] [--no-profile]

Install the reference with ``pip install -r benchmarks/requirements.txt``.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsarchive.evaluation import page_url, read_corpus, read_page  # noqa: E402
from newsarchive.extraction.page import extract_article  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = time.process_time


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]


def first_and_best_ms(fn, html: bytes, url: str, repeat: int) -> tuple[float, float]:
    """The first of ``repeat`` runs (the page seen for the first time) and
    the best (the one least disturbed by other processes)."""
    times = []
    for _ in range(repeat):
        start = clock()
        fn(html, url)
        times.append(clock() - start)
    return times[0] * 1000, min(times) * 1000


def time_pages(fns, pages: list[tuple[bytes, str]], repeat: int) -> tuple[list[list[float]], list[list[float]]]:
    """Per-page milliseconds of each function, first runs and best runs. The
    functions take turns on each page, so a busy moment on a shared machine
    slows them alike and the ratio stays fair."""
    first: list[list[float]] = [[] for _ in fns]
    best: list[list[float]] = [[] for _ in fns]
    gc.disable()
    try:
        for html, url in pages:
            for i, fn in enumerate(fns):
                f, b = first_and_best_ms(fn, html, url, repeat)
                first[i].append(f)
                best[i].append(b)
    finally:
        gc.enable()
    return first, best


def time_stages(pages: list[tuple[bytes, str]], repeat: int) -> dict[str, list[float]]:
    """Milliseconds per page of each stage of ``extract_article``, as
    ``page.load_page`` and ``extract_article`` chain them: the best of
    ``repeat`` runs of each stage (warm caches)."""
    from newsarchive.extraction.body import extract_body
    from newsarchive.extraction.cleaning import clean_article
    from newsarchive.extraction.config import DEFAULT_CONFIG
    from newsarchive.extraction.loader import load_metadata
    from newsarchive.extraction.page import parse_html

    names = ("parse", "metadata", "body", "cleaning")
    out: dict[str, list[float]] = {name: [] for name in names}
    gc.disable()
    try:
        for html, url in pages:
            best = [float("inf")] * len(names)
            for _ in range(repeat):
                t0 = clock()
                doc = parse_html(html)  # the body pass prunes the tree: a new one each run
                t1 = clock()
                article = load_metadata(doc, url, config=DEFAULT_CONFIG)
                t2 = clock()
                article.body = extract_body(doc, article, DEFAULT_CONFIG).text or None
                t3 = clock()
                clean_article(article, DEFAULT_CONFIG)
                t4 = clock()
                for i, spent in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                    best[i] = min(best[i], spent)
            for name, spent in zip(names, best):
                out[name].append(spent * 1000)
    finally:
        gc.enable()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: this process's CPU time (default); wall: elapsed time")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]

    rows = read_corpus(args.corpus, limit=args.limit)
    pages = [(read_page(args.corpus, row), page_url(row)) for row in rows]
    print(f"{len(pages)} pages from {args.corpus}, best of {args.repeat} runs per page, {args.clock} time")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    fns = [extract_article]
    names = ["newsarchive extract_article"]
    try:
        import trafilatura
    except ImportError:
        print("trafilatura not installed: pip install -r benchmarks/requirements.txt")
    else:
        def traf(html: bytes, url: str) -> object:
            return trafilatura.extract(html, url=url, output_format="json", with_metadata=True)

        fns.append(traf)
        names.append(f"trafilatura {trafilatura.__version__}")

    # One pass in this new process before anything is warm: what the first
    # pages of a crawl pay (rules compiled on first use, every memo empty).
    print("first pass in a new process (CPU time, mean per page):")
    cold = []
    for name, fn in zip(names, fns):
        start = time.process_time()
        for html, url in pages:
            fn(html, url)
        cold.append((time.process_time() - start) * 1000 / len(pages))
        print(f"  {name:<29} {cold[-1]:7.2f} ms")
    if len(cold) == 2:
        print(f"  ratio (ours / trafilatura): {cold[0] / cold[1]:.3f}")

    # Warm-up: imports, compiled rules, lxml parser.
    for html, url in pages[:5]:
        for fn in fns:
            fn(html, url)
    firsts, timings = time_pages(fns, pages, args.repeat)
    for label, runs in ((f"best of {args.repeat}", timings), ("first run", firsts)):
        print(f"{label}:")
        for name, ms in zip(names, runs):
            print(f"  {name:<29} median {statistics.median(ms):7.2f} ms   mean {statistics.mean(ms):7.2f} ms"
                  f"   p95 {_percentile(ms, 0.95):7.2f} ms")
        if len(runs) == 2:
            ratio = statistics.median(runs[0]) / statistics.median(runs[1])
            mean_ratio = statistics.mean(runs[0]) / statistics.mean(runs[1])
            print(f"  ratio (ours / trafilatura): medians {ratio:.3f} (target <= 0.25), means {mean_ratio:.3f}")
    stages = time_stages(pages, args.repeat)
    print(f"stages of extract_article (best of {args.repeat} per stage, warm):")
    for name, ms in stages.items():
        print(f"  {name:<9} median {statistics.median(ms):6.2f} ms   mean {statistics.mean(ms):6.2f} ms")
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    if not args.no_profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for html, url in pages:
            extract_article(html, url)
        profiler.disable()
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).sort_stats("cumulative")
        stats.print_stats(r"newsarchive|lxml", 25)
        print("\nHot path, by cumulative time (cProfile, one pass over the corpus):")
        print("\n".join(line for line in stream.getvalue().splitlines() if line.strip())[:6000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
