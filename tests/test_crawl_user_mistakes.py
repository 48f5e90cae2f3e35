"""Mistakes a user makes on the ``scrapy crawl news`` command line, and what a
scheduler sees: each stops the run at start with one line and status 2 (or 3
for a busy JOBDIR) instead of crawling the wrong thing with status 0 or 4.
Found by following the README as a new user (usertest2)."""
from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

import subprocess
import sys

from crawlsite import REPO, crawl_command, crawl_env, read_feed, run_crawl
from newsarchive import exitcodes
from newsarchive.commands.crawl import JOBDIR_LOCK
from newsarchive.demo.server import SiteServer
from newsarchive.runlock import RunLocks

# Nothing listens on port 9: a run that does start ends quickly with status 4.
NOWHERE = "http://127.0.0.1:9/"


def _sites(tmp_path: Path) -> Path:
    folder = tmp_path / "sites"
    folder.mkdir()
    (folder / "local.toml").write_text('domains = ["127.0.0.1:9"]\nstart_urls = ["http://127.0.0.1:9/"]\n')
    return folder


@pytest.mark.parametrize("args, message", [
    # A typo in the argument's name was ignored: every configured site was crawled.
    (("-a", "sit=local"), "unknown argument -a sit="),
    # An empty variable in a cron line (-a site=$SITE) meant "every site".
    (("-a", "site="), "-a site= is empty"),
    (("-a", "site=,"), "-a site=, is empty"),
    (("-a", "url="), "-a url= is empty"),
    # ...and an empty since= meant the whole back catalogue.
    (("-a", "site=local", "-a", "since="), "-a since= is empty"),
    # These ended in tracebacks (exit 1, or 4 as if the site were down).
    (("-a", "url=http://127.0.0.1:99999/"), "port"),
    (("-a", "url=http://exa mple.com/"), "not a host name"),
    (("-a", f"url={NOWHERE}", "-a", "since=99999999999d"), "1000 years"),
])
def test_bad_arguments_stop_at_start_with_status_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_crawl(tmp_path, *args, feed=None, timeout=60,
                       settings={"NEWSARCHIVE_SITES_DIR": str(_sites(tmp_path)), "RETRY_TIMES": "0"})
    assert result.returncode == exitcodes.CONFIG_ERROR, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "newsarchive: " in result.stderr and message in result.stderr, result.stderr[-2000:]
    assert "Spider opened" not in result.stderr


@pytest.mark.parametrize("db_url, message", [
    # Nothing listens on port 1: no PostgreSQL server is needed to see the refusal.
    ("postgresql://127.0.0.1:1/test", "Connection refused"),
    ("mysql://127.0.0.1/test", "database driver is not installed"),
    # A folder where the SQLite file should be.
    ("sqlite:///{tmp}", "unable to open database file"),
])
def test_an_unusable_archive_stops_the_crawl_at_start_in_one_line(
        tmp_path: Path, db_url: str, message: str) -> None:
    """These ended in three tracebacks and exit status 1 once the spider had
    started, from the store pipeline opening the archive."""
    result = run_crawl(tmp_path, "-a", f"url={NOWHERE}", feed=None, timeout=60,
                       settings={"NEWSARCHIVE_DB_URL": db_url.format(tmp=tmp_path), "RETRY_TIMES": "0"})
    assert result.returncode == exitcodes.FAILED, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "newsarchive: cannot use the archive: " in result.stderr, result.stderr[-2000:]
    assert message in result.stderr, result.stderr[-2000:]
    assert "Spider opened" not in result.stderr


def test_the_crawl_leaves_another_program_s_sqlite_file_alone(tmp_path: Path) -> None:
    """A crawl pointed at another program's SQLite file added the archive's
    tables beside the file's own (as read commands did, usertest7)."""
    import sqlite3

    path = tmp_path / "notes.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("create table notes(id integer primary key, txt text)")
    before = path.read_bytes()
    result = run_crawl(tmp_path, "-a", f"url={NOWHERE}", feed=None, timeout=60,
                       settings={"NEWSARCHIVE_DB_URL": f"sqlite:///{path}"})
    assert result.returncode == exitcodes.FAILED, result.stderr[-2000:]
    assert (f"newsarchive: cannot use the archive: {path} is not a newsarchive archive: an SQLite "
            "database without an archive's tables (it holds notes)") in result.stderr, result.stderr[-2000:]
    assert path.read_bytes() == before
    # An empty file is no one's data: the crawl makes it the archive.
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run_crawl(tmp_path, "-a", f"url={NOWHERE}", feed=None, timeout=60,
                       settings={"NEWSARCHIVE_DB_URL": f"sqlite:///{empty}", "RETRY_TIMES": "0"})
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-2000:]
    with closing(sqlite3.connect(empty)) as conn:
        assert conn.execute("select count(*) from sqlite_master where name = 'articles'").fetchone() == (1,)


def test_scrapyd_style_underscore_arguments_are_let_through(tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={NOWHERE}", "-a", "_job=abc123", feed=None, timeout=60,
                       settings={"RETRY_TIMES": "0"})
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-2000:]


def test_a_second_run_on_a_busy_jobdir_exits_3_and_leaves_it_alone(tmp_path: Path) -> None:
    """Two runs on one JOBDIR (the README's cron and systemd lines give every
    run of a site the same one): the second loaded the first one's saved
    queue, fetched part of it without the site's lock (KeyError tracebacks),
    saved its state over the first run's and deleted its requests.seen; the
    first run then looped forever on a queue file cut short."""
    jobdir = tmp_path / "job"
    jobdir.mkdir()
    (jobdir / "requests.seen").write_text("0123abcd\n")
    holder = RunLocks(jobdir)
    assert holder.acquire(JOBDIR_LOCK)  # as the running crawl holds it
    try:
        busy = run_crawl(tmp_path, "-a", f"url={NOWHERE}", feed=None, timeout=60,
                         settings={"JOBDIR": str(jobdir), "RETRY_TIMES": "0"})
    finally:
        holder.release_all()
    assert busy.returncode == exitcodes.ALREADY_RUNNING, busy.stderr[-2000:]
    assert f"JOBDIR {jobdir} is in use by another run (pid=" in busy.stderr
    assert "Spider opened" not in busy.stderr
    assert (jobdir / "requests.seen").read_text() == "0123abcd\n"
    assert not (jobdir / "requests.queue").exists()

    # Once free, the same JOBDIR serves the next run as before.
    free = run_crawl(tmp_path, "-a", f"url={NOWHERE}", feed=None, timeout=60,
                     settings={"JOBDIR": str(jobdir), "RETRY_TIMES": "0"})
    assert free.returncode == exitcodes.NOTHING_FETCHED, free.stderr[-2000:]


def test_an_O_feed_does_not_replace_the_dated_default_feed(tmp_path: Path) -> None:
    """README: "-O and -o add their own feed; they do not replace the default
    one". Scrapy 2.19 copied the command's FEEDS (the -O file only) over the
    spider's merged FEEDS, so the dated feed silently went missing."""
    exports = tmp_path / "exports"
    with SiteServer() as site:
        result = run_crawl(tmp_path, "-a", f"url={site.base_url}/", feed="mine.jsonl",
                           settings={"NEWSARCHIVE_EXPORT_DIR": str(exports)})
    assert result.returncode == 0, result.stderr[-3000:]
    mine = read_feed(tmp_path / "mine.jsonl")
    assert len(mine) == 8
    (dated,) = exports.glob("news-127.0.0.1-*.jsonl")
    assert sorted(row["url"] for row in read_feed(dated)) == sorted(row["url"] for row in mine)


def test_the_dated_feed_takes_its_folder_from_the_environment_and_the_sites_name(tmp_path: Path) -> None:
    """NEWSARCHIVE_EXPORT_DIR was read only as a -s setting, unlike the
    archive, sites and state folders; and -a site=LOCAL named the feed (and
    the run record) "LOCAL" while its articles were the site "local".
    Found by usertest5."""
    exports = tmp_path / "from-env"
    with SiteServer() as site:
        folder = tmp_path / "sites"
        folder.mkdir()
        host = site.base_url.split("://", 1)[1].rstrip("/")
        (folder / "local.toml").write_text(
            f'name = "local"\ndomains = ["{host}"]\nstart_urls = ["{site.base_url}/"]\n')
        env = {**crawl_env(), "NEWSARCHIVE_EXPORT_DIR": str(exports)}
        command = crawl_command(tmp_path, "-a", "site=LOCAL", feed=None,
                                settings={"NEWSARCHIVE_SITES_DIR": str(folder)})
        # The tests' -s NEWSARCHIVE_EXPORT_DIR= would win over the environment.
        at = command.index("NEWSARCHIVE_EXPORT_DIR=")
        del command[at - 1:at + 1]
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    (dated,) = exports.glob("news-*.jsonl")
    assert dated.name.startswith("news-local-"), dated.name
    assert len(read_feed(dated)) == 8


def test_a_jobdir_holding_another_runs_queue_is_refused(tmp_path: Path) -> None:
    """A JOBDIR shared by mistake (`-s JOBDIR=.jobs/independent` copied into
    another site's cron line) replayed the interrupted run's queue: each of
    its pages ended in a KeyError traceback, the run exited 0, and the
    interrupted job was lost. Found by usertest5."""
    jobdir = tmp_path / "job"
    settings = {"JOBDIR": str(jobdir), "RETRY_TIMES": "0"}
    first = run_crawl(tmp_path, "-a", f"url={NOWHERE}", feed=None, timeout=60, settings=settings)
    assert first.returncode == exitcodes.NOTHING_FETCHED, first.stderr[-2000:]
    # As an interrupted run leaves it (a finished one deletes requests.seen).
    (jobdir / "requests.seen").write_text("")
    other = run_crawl(tmp_path, "-a", "url=http://127.0.0.1:8/", feed=None, timeout=60, settings=settings)
    assert other.returncode == exitcodes.CONFIG_ERROR, other.stderr[-2000:]
    assert (f"newsarchive: JOBDIR {jobdir} holds the unfinished queue of a run with -a url={NOWHERE}; "
            in other.stderr), other.stderr[-2000:]
    assert "Spider opened" not in other.stderr
    # The same command finishes the job, as the README says.
    again = run_crawl(tmp_path, "-a", f"url={NOWHERE}", feed=None, timeout=60, settings=settings)
    assert again.returncode == exitcodes.NOTHING_FETCHED, again.stderr[-2000:]


def test_an_O_feed_is_emptied_by_a_run_that_stores_nothing(tmp_path: Path) -> None:
    """README: "-O overwrites its file on every run". A second, incremental
    run that stored nothing left the first run's articles in the file
    (FEED_STORE_EMPTY is off for the dated feeds), so a script reading it
    after each run took them as new. Found by usertest5."""
    with SiteServer() as site:
        first = run_crawl(tmp_path, "-a", f"url={site.base_url}/", feed="new.jsonl")
        assert first.returncode == 0, first.stderr[-3000:]
        assert len(read_feed(tmp_path / "new.jsonl")) == 8
        second = run_crawl(tmp_path, "-a", f"url={site.base_url}/", feed="new.jsonl")
    assert second.returncode == 0, second.stderr[-3000:]
    assert read_feed(tmp_path / "new.jsonl") == []


def test_the_line_that_stops_a_run_at_start_is_in_its_log_file(tmp_path: Path) -> None:
    """The README's cron line logs with -s LOG_FILE and mails only "exit N";
    the table says "read the log". The one line saying why (status 1, 2, or
    3 for a busy JOBDIR) went to stderr only, so the log showed a Scrapy
    banner and nothing else (usertest6)."""
    log = tmp_path / "logs" / "site.log"
    bad = run_crawl(tmp_path, "-a", "sit=local", feed=None, timeout=60,
                    settings={"LOG_FILE": str(log), "NEWSARCHIVE_SITES_DIR": str(_sites(tmp_path))})
    assert bad.returncode == exitcodes.CONFIG_ERROR, bad.stderr[-2000:]
    assert "newsarchive: unknown argument -a sit=" in bad.stderr  # still on stderr, once
    assert bad.stderr.count("unknown argument") == 1
    assert "unknown argument -a sit=" in log.read_text()

    jobdir = tmp_path / "job"
    jobdir.mkdir()
    holder = RunLocks(jobdir)
    assert holder.acquire(JOBDIR_LOCK)
    try:
        busy = run_crawl(tmp_path, "-a", f"url={NOWHERE}", feed=None, timeout=60,
                         settings={"JOBDIR": str(jobdir), "LOG_FILE": str(log)})
    finally:
        holder.release_all()
    assert busy.returncode == exitcodes.ALREADY_RUNNING, busy.stderr[-2000:]
    assert f"JOBDIR {jobdir} is in use by another run" in log.read_text()


def _readme_cron_line(tmp_path: Path) -> str:
    """The README's cron command, made to run in ``tmp_path``, its mail into mail.txt."""
    line = next(l for l in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
                if l.startswith("7 * * * * "))
    command = line.removeprefix("7 * * * * ")
    mail = 'mail -s "newsarchive: independent crawl exit $s" you@example.org'
    assert mail in command
    scrapy = Path(sys.executable).parent / "scrapy"
    return (command.replace(mail, "cat > mail.txt")
            .replace("/srv/newsarchive", str(tmp_path)).replace(".venv/bin/scrapy", str(scrapy)))


@pytest.mark.slow
def test_the_readme_cron_line_mails_failures_only(tmp_path: Path) -> None:
    """cron mails whatever a job prints: the line's own "is it a failure"
    test was bypassed by the crawl's one-line message on stderr, so every
    overlapping run (status 3) sent a mail all the same."""
    (tmp_path / "scrapy.cfg").write_text((REPO / "scrapy.cfg").read_text())  # the checkout the line cd's into
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "independent.toml").write_text('domains = ["127.0.0.1:9"]\nstart_urls = ["http://127.0.0.1:9/"]\n')
    line = _readme_cron_line(tmp_path)

    held = RunLocks(tmp_path / ".newsarchive-state")
    assert held.acquire("independent")
    try:
        busy = subprocess.run(["sh", "-c", line], cwd=tmp_path, env=crawl_env(), capture_output=True,
                              text=True, timeout=120)
    finally:
        held.release_all()
    assert (busy.returncode, busy.stdout, busy.stderr) == (0, "", "")
    assert not (tmp_path / "mail.txt").exists()
    assert "another run" in (tmp_path / "logs" / "independent.log").read_text()

    failing = subprocess.run(["sh", "-c", line.replace("site=independent", "site=nosuch")], cwd=tmp_path,
                             env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert (failing.stdout, failing.stderr) == ("", "")
    assert "unknown site nosuch" in (tmp_path / "mail.txt").read_text()
