"""``scrapy crawl``, with the news spider's exit codes (newsarchive/exitcodes.py).

Scrapy's own command exits 0 for any run that started. A scheduler needs
more: bad configuration, an overlapping run, an unreachable site and an
interrupted run each get their own code. Argument and site-file errors
(status 2), and an archive the crawl cannot open (status 1), are reported as
one clear line before the crawl starts.
"""
from __future__ import annotations

import inspect
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newsarchive import exitcodes
from newsarchive.runlock import RunLocks
from newsarchive.runrecord import run_summary

if TYPE_CHECKING:
    import argparse

JOBDIR_LOCK = "newsarchive-run"
"""Lock (``JOBDIR/newsarchive-run.lock``) held by the run that uses a JOBDIR."""

JOBDIR_ARGS = "newsarchive-run.json"
"""The ``-a site=`` / ``-a url=`` of the run that last used a JOBDIR."""

logger = logging.getLogger(__name__)


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
        spidercls = self.crawler_process.spider_loader.load(args[0])
        # CrawlerProcess.crawl(crawler) copies the command's settings over the
        # crawler's again (Scrapy 2.19), at their own priority: the spider's
        # update_settings() lost every key it set at the same priority, such as
        # the dated default feed merged into FEEDS when -O/-o also gave one.
        # Applied to the command's settings too, there is nothing left to undo.
        spidercls.update_settings(self.crawler_process.settings)
        crawler = self._create_crawler(spidercls)
        check = getattr(crawler.spidercls, "check_arguments", None)
        if check is not None:
            try:
                _check_argument_names(check, opts.spargs)
                check(crawler.settings, **opts.spargs)
            except ValueError as exc:  # SiteConfigError and argument errors
                self._refuse(str(exc), exitcodes.CONFIG_ERROR)
                return
            problem = _archive_problem(crawler.settings.get("NEWSARCHIVE_DB_URL"))
            if problem:
                self._refuse(f"cannot use the archive: {problem}", exitcodes.FAILED)
                return
        jobdir = crawler.settings.get("JOBDIR")
        job_lock = RunLocks(jobdir) if jobdir else None
        if job_lock is not None and not job_lock.acquire(JOBDIR_LOCK):
            # A second run on the same JOBDIR would load the first one's saved
            # queue, fetch part of it without holding the site's lock, save its
            # own queue state over the first run's and delete its requests.seen:
            # the first run could then wait forever on a queue file cut short.
            self._refuse(f"JOBDIR {jobdir} is in use by another run "
                         f"({job_lock.holder(JOBDIR_LOCK)}); this run crawled nothing",
                         exitcodes.ALREADY_RUNNING)
            return
        if jobdir:
            problem = _claim_jobdir(Path(jobdir), opts.spargs)
            if problem:
                job_lock.release_all()
                self._refuse(problem, exitcodes.CONFIG_ERROR)
                return
        try:
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
        finally:
            if job_lock is not None:
                job_lock.release_all()
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            self.exitcode = exitcodes.FAILED
            return
        stats = crawler.stats.get_stats()
        self.exitcode = exitcodes.exit_code_for(stats)
        # The closing line a scheduler's log reader looks for (before the
        # exit-4 reason, which stays the log's last line).
        logger.info("newsarchive: %s", run_summary(stats, self.exitcode))
        empty = exitcodes.nothing_fetched(stats)
        if empty is not None:
            # Status 4 left only a stat (robotstxt/forbidden) in the log to say why.
            logger.error("newsarchive: %s", empty[1])

    def _refuse(self, problem: str, exitcode: int) -> None:
        """Stop before the crawl starts, saying why in one line.

        The line goes to stderr, and also to ``LOG_FILE`` when there is one:
        a scheduled run (the README's cron line) mails only its status and
        logs to a file, which otherwise held a Scrapy banner and no reason.
        Without ``LOG_FILE`` Scrapy logs to stderr, so it is written once.
        """
        print(f"newsarchive: {problem}", file=sys.stderr)
        assert self.settings is not None
        if self.settings.get("LOG_FILE"):
            logger.error("newsarchive: %s", problem)
        self.exitcode = exitcode


def _archive_problem(setting: str | None) -> str | None:
    """Why the crawl's archive cannot be opened, in one line, or None.

    The store pipeline opens the archive only once the engine runs: an
    unreachable PostgreSQL server, a missing driver or a ``search_path``
    naming a missing schema then ended the run with three tracebacks and
    exit status 1, with the spider already started. Opening it here also
    creates or upgrades the schema, which the pipeline would do anyway.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from newsarchive.database import Archive
    from newsarchive.database.archive import ArchiveError, database_error_line
    from newsarchive.database.engine import crawl_archive_url

    url = crawl_archive_url(setting)
    if not url:
        return None
    foreign = _foreign_sqlite_tables(url)
    if foreign:
        return foreign
    try:
        Archive(url).close()
    except ImportError as exc:  # SQLAlchemy knows the URL's database, its driver is not installed
        return f"its database driver is not installed ({exc})"
    except (ArchiveError, SQLAlchemyError, OSError) as exc:
        return database_error_line(exc)
    return None


def _foreign_sqlite_tables(url: str) -> str | None:
    """Refuse an SQLite file that holds another program's tables: the crawl
    would add the archive's beside them. An empty file becomes an archive,
    and a file that is not SQLite fails to open with its own message."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from newsarchive.database.engine import foreign_sqlite_file, sqlite_file_path

    try:
        path = sqlite_file_path(make_url(url))
    except ArgumentError:
        return None  # Archive() reports the malformed URL
    found = foreign_sqlite_file(path) if path is not None and path.is_file() else None
    if found is None or found[0] != "foreign":
        return None
    return (f"{path} is not a newsarchive archive: {found[1]}; point NEWSARCHIVE_DB_URL at the "
            f"archive's file, or at a new one")


def _check_argument_names(check: Callable[..., Any], spargs: dict[str, str]) -> None:
    """Refuse ``-a`` arguments the spider does not take, and empty ones.

    The spider accepts any ``-a`` silently, so ``-a sit=x`` or an empty
    ``-a site=$SITE`` in a cron line meant "no argument": a crawl of every
    configured site, or with ``-a since=`` empty, of every site's whole back
    catalogue, with exit status 0.
    """
    params = inspect.signature(check).parameters.values()
    known = [p.name for p in params
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "settings"]
    for name, value in spargs.items():
        if name.startswith("_"):  # scrapyd's _job and the like
            continue
        if known and name not in known:
            raise ValueError(f"unknown argument -a {name}=...; the spider takes "
                             + ", ".join(f"-a {k}=" for k in known))
        if not str(value).strip(" ,"):
            given = f"{name}={value}" if value else f"{name}="
            raise ValueError(f"-a {given} is empty; give a value or leave the argument out")


def _claim_jobdir(jobdir: Path, spargs: dict[str, str]) -> str | None:
    """Refuse a JOBDIR that holds another run's unfinished queue, or record ours.

    A resumed queue is replayed whatever the new run's arguments: its pages
    of a site this run does not crawl ended in a traceback each (KeyError)
    and the run still exited 0, while the interrupted run's job was lost.
    A finished run deletes ``requests.seen``, so only an interrupted one is
    guarded; a JOBDIR from before this check (no record) is resumed as is.
    """
    from newsarchive.spiders.news import site_names

    wanted = {name: spargs[name].strip() for name in ("site", "url") if spargs.get(name)}
    if "site" in wanted:  # -a site=b,a is the same run as -a site=a,b
        wanted["site"] = ",".join(sorted(set(site_names(wanted["site"]))))
    record = jobdir / JOBDIR_ARGS
    if (jobdir / "requests.seen").exists():
        try:
            saved = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = None
        if isinstance(saved, dict) and saved != wanted:
            given = " ".join(f"-a {k}={v}" for k, v in saved.items()) or "no -a site= or -a url="
            return (f"JOBDIR {jobdir} holds the unfinished queue of a run with {given}; "
                    "run that again to finish it, or give this run its own JOBDIR")
    try:
        jobdir.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(wanted), encoding="utf-8")
    except OSError:
        pass  # Scrapy reports an unusable JOBDIR itself
    return None
