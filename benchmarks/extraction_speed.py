"""How fast is extract_article, against trafilatura measured in the same run?

Times one extraction per corpus page (the page bytes already in memory; one
core), for newsarchive's ``extract_article`` (loader + body + cleaning) and,
if installed, ``trafilatura.extract`` with its defaults plus metadata (the
configuration the issue's peer figures use). Prints median and p95
milliseconds and the ratio, then a cProfile of the hot path.

Usage:
    .venv/bin/python benchmarks/extraction_speed.py [CORPUS_DIR] [--limit N] [--repeat R] [--no-profile]

Install the reference with ``pip install -r benchmarks/requirements.txt``.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsarchive.evaluation import page_url, read_corpus, read_page  # noqa: E402
from newsarchive.extraction.page import extract_article  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]


def best_ms(fn, html: bytes, url: str, repeat: int) -> float:
    """The best of ``repeat`` runs (the one least disturbed by other processes)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(html, url)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def time_pages(fns, pages: list[tuple[bytes, str]], repeat: int) -> list[list[float]]:
    """Per-page milliseconds of each function. The functions take turns on
    each page, so a busy moment on a shared machine slows them alike and the
    ratio stays fair."""
    out: list[list[float]] = [[] for _ in fns]
    gc.disable()
    try:
        for html, url in pages:
            for i, fn in enumerate(fns):
                out[i].append(best_ms(fn, html, url, repeat))
    finally:
        gc.enable()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()

    rows = read_corpus(args.corpus, limit=args.limit)
    pages = [(read_page(args.corpus, row), page_url(row)) for row in rows]
    print(f"{len(pages)} pages from {args.corpus}, best of {args.repeat} runs per page")

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

    # Warm-up: imports, compiled rules, lxml parser.
    for html, url in pages[:5]:
        for fn in fns:
            fn(html, url)
    timings = time_pages(fns, pages, args.repeat)
    for name, ms in zip(names, timings):
        print(f"{name:<29} median {statistics.median(ms):7.2f} ms   p95 {_percentile(ms, 0.95):7.2f} ms")
    if len(timings) == 2:
        ratio = statistics.median(timings[0]) / statistics.median(timings[1])
        print(f"ratio (ours / trafilatura, medians): {ratio:.3f}  (target <= 0.25)")

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
