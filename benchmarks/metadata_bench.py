"""Cost of the metadata loader per page, against parsing the same page.

    .venv/bin/python benchmarks/metadata_bench.py /work/shared/corpus [--limit N] [--profile]
    valgrind --tool=callgrind .venv/bin/python benchmarks/metadata_bench.py /work/shared/corpus --pass meta

Times ``load_metadata`` on an already parsed tree (CPU time of this thread,
so other processes on the machine count less) and, in the same run, the lxml
parse of the same page as the reference; prints medians, p95 and the ratio,
plus the per-part split (structured data, headline, authors, dates,
captions). ``--profile`` prints the top functions of the hot path.

``--pass parse|meta|extract`` only makes one pass over the pages (parse
each; parse and ``load_metadata``; ``extract_article``) and times nothing:
run it under ``valgrind --tool=callgrind``, whose instruction counts do not
depend on what else the machine runs. ``meta`` minus ``parse`` is the
loader's count. ``--pass read`` reads the pages (and warms up) only: the
baseline to subtract.

First sight of a page, as a crawl pays it (rules compiled, memos holding
only what other pages put there), per page::

    valgrind --tool=callgrind .venv/bin/python benchmarks/metadata_bench.py CORPUS --warm 5 --every 16 --offset 8 --pass extract
    valgrind --tool=callgrind .venv/bin/python benchmarks/metadata_bench.py CORPUS --warm 5 --every 16 --offset 8 --pass read

the difference of the two totals divided by the pages of the pass (25 of 399).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsarchive.evaluation import page_url, read_corpus, read_page  # noqa: E402
from newsarchive.extraction import loader  # noqa: E402
from newsarchive.extraction.captions import extract_captions  # noqa: E402
from newsarchive.extraction.config import DEFAULT_CONFIG  # noqa: E402
from newsarchive.extraction.page import parse_html  # noqa: E402
from newsarchive.extraction.structured import read_structured  # noqa: E402
from newsarchive.extraction.visible import read_visible  # noqa: E402
from newsarchive.urls import site_of  # noqa: E402


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def one_pass(pages: list[tuple[bytes, str]], what: str, *, warm: int = 0, every: int = 1, offset: int = 0) -> None:
    """One untimed pass over the pages, for an instruction counter: after
    ``extract_article`` of the first ``warm`` pages, every ``every``-th page
    from ``offset``."""
    from newsarchive.extraction.page import extract_article

    for html, url in pages[:warm]:
        extract_article(html, url)
    if what == "read":
        return
    for html, url in pages[offset::every]:
        if what == "extract":
            extract_article(html, url)
            continue
        doc = parse_html(html)
        if what == "meta":
            loader.load_metadata(doc, url, config=DEFAULT_CONFIG)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pass", dest="one_pass", choices=("read", "parse", "meta", "extract"), default=None)
    parser.add_argument("--warm", type=int, default=0, help="--pass: extract this many first pages before the pass")
    parser.add_argument("--every", type=int, default=1, help="--pass: every N-th page")
    parser.add_argument("--offset", type=int, default=0, help="--pass: starting at this page")
    args = parser.parse_args()

    pages = [(read_page(args.corpus, row), page_url(row)) for row in read_corpus(args.corpus, limit=args.limit)]
    if args.one_pass:
        one_pass(pages, args.one_pass, warm=args.warm, every=args.every, offset=args.offset)
        return
    parse_ms: list[float] = []
    meta_ms: list[float] = []
    parts: dict[str, list[float]] = {k: [] for k in ("structured", "headline", "authors", "dates", "captions")}
    for html, url in pages:
        t0 = time.thread_time()
        doc = parse_html(html)
        t1 = time.thread_time()
        loader.load_metadata(doc, url, config=DEFAULT_CONFIG)
        t2 = time.thread_time()
        parse_ms.append((t1 - t0) * 1000)
        meta_ms.append((t2 - t1) * 1000)

        # The same work again, split by part (on the same, unchanged tree).
        a = time.thread_time()
        data = read_structured(doc)
        page = read_visible(doc)
        b = time.thread_time()
        names = data.site_names + [site_of(url)]
        headline = loader.choose_headline(data, page, names)
        page.set_headline(headline)
        c = time.thread_time()
        loader.choose_authors(data, page, names)
        d = time.thread_time()
        loader.choose_dates(data, page, url, config=DEFAULT_CONFIG, language=None, now=None, selected=None)
        e = time.thread_time()
        extract_captions(doc, url, page.figures, page.article_root())
        f = time.thread_time()
        for key, start, end in (("structured", a, b), ("headline", b, c), ("authors", c, d),
                                ("dates", d, e), ("captions", e, f)):
            parts[key].append((end - start) * 1000)

    print(f"pages                    {len(pages)}")
    print(f"parse (reference)        median {statistics.median(parse_ms):.2f} ms  p95 {_p95(parse_ms):.2f} ms")
    print(f"load_metadata            median {statistics.median(meta_ms):.2f} ms  p95 {_p95(meta_ms):.2f} ms")
    print(f"ratio metadata/parse     {statistics.median(meta_ms) / statistics.median(parse_ms):.2f} (medians)")
    for key, values in parts.items():
        print(f"  {key:22s} median {statistics.median(values):.2f} ms")

    if args.profile:
        docs = [(parse_html(html), url) for html, url in pages]
        profile = cProfile.Profile()
        profile.enable()
        for doc, url in docs:
            loader.load_metadata(doc, url, config=DEFAULT_CONFIG)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
