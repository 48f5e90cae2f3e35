"""A small crawl stand-in for the reliability tests: pushes synthetic articles
through the real StorePipeline into an archive, as a crawl's item pipeline would.

    python tests/archive_writer.py DB_URL START COUNT [--batch N] [--edit] [--writer thread|process]

Article ``i`` is fully determined by ``i`` (see ``expected``), so a checker
can tell a whole article from a torn one. ``--edit`` stores a second version
of each article. Prints "queued N" after each batch is handed to the writer.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsarchive.items import Article, Caption, RawPage  # noqa: E402


def expected(i: int, edit: bool = False) -> Article:
    words = " ".join(f"word{(i * 7 + k) % 997}" for k in range(120))
    body = f"Story token{i} begins here.\n\n{words}\n\nIt ends with token{i}."
    if edit:
        body += "\n\nCorrection: this article was amended."
    return Article(
        url=f"https://www.example-news.com/news/{i}.html",
        site=f"site{i % 3}.example",
        headline=f"Headline of article {i}",
        standfirst=f"Standfirst {i}",
        authors=[f"Author {i % 11}", f"Writer {i % 5}"] + ([f"Guest {i}"] if i % 4 == 0 else []),
        published=f"2024-01-{1 + i % 28:02d}T10:00:00+00:00",
        captions=[Caption(f"Caption {i}.{k}", f"Agency {k}") for k in range(i % 3)],
        body=body,
        raw=RawPage(f"<html><body><h1>Headline of article {i}</h1><p>{body}</p></body></html>".encode(),
                    {"Content-Type": "text/html"}),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db_url")
    parser.add_argument("start", type=int)
    parser.add_argument("count", type=int)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--edit", action="store_true")
    parser.add_argument("--writer", default="", help="NEWSARCHIVE_STORE_WRITER (default: the pipeline's)")
    args = parser.parse_args()

    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from newsarchive.pipelines.storage import StorePipeline

    crawler = get_crawler(Spider, {"NEWSARCHIVE_DB_URL": args.db_url,
                                   "NEWSARCHIVE_STORE_BATCH": args.batch,
                                   "NEWSARCHIVE_STORE_BATCH_SECONDS": 0,
                                   "NEWSARCHIVE_STORE_WRITER": args.writer})
    crawler.spider = crawler._create_spider(name="news")
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    print("ready", flush=True)
    for n, i in enumerate(range(args.start, args.start + args.count), 1):
        pipeline.process_item(expected(i, args.edit))
        if n % args.batch == 0:
            print(f"queued {n}", flush=True)
    pipeline.close_spider()
    errors = crawler.stats.get_value("newsarchive/stored/errors", 0)
    print(f"done errors={errors}", flush=True)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
