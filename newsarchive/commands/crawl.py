"""``scrapy crawl``, with the news spider's exit codes (newsarchive/exitcodes.py).

Scrapy's own command exits 0 for any run that started. A scheduler needs
more: bad configuration, an overlapping run, an unreachable site and an
interrupted run each get their own code. Argument and site-file errors are
reported as one clear line before the crawl starts.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newsarchive import exitcodes

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # Scrapy opens LOG_FILE when it sets up logging, before any of our
        # code runs, and a missing folder ("-s LOG_FILE=logs/site.log" in a
        # fresh checkout, as the README's cron line has it) ends the run
        # with a traceback instead of a log.
        assert self.settings is not None
        log_file = self.settings.get("LOG_FILE")
        if log_file:
            Path(log_file).expanduser().parent.mkdir(parents=True, exist_ok=True)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. 'scrapy crawl news'")
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        check = getattr(crawler.spidercls, "check_arguments", None)
        if check is not None:
            try:
                check(crawler.settings, **opts.spargs)
            except ValueError as exc:  # SiteConfigError and argument errors
                print(f"newsarchive: {exc}", file=sys.stderr)
                self.exitcode = exitcodes.CONFIG_ERROR
                return
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            self.exitcode = exitcodes.FAILED
            return
        self.exitcode = exitcodes.exit_code_for(crawler.stats.get_stats())

