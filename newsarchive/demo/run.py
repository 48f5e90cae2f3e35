"""``newsarchive demo``: crawl the bundled sample site with the real spider.

The demo is the same crawl a user runs on a real site,
``scrapy crawl news -a url=<base> -O articles.jsonl``, started as a child
process with the project's settings, against the sample site served on
127.0.0.1. Only politeness is relaxed (no download delay, no AutoThrottle
start delay): the server is our own, on this machine. Nothing touches the
network.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from newsarchive.demo.server import SITE_DIR, SiteServer

ARCHIVE_NAME = "archive.db"
FEED_NAME = "articles.jsonl"
LOG_NAME = "crawl.log"
STATE_NAME = ".newsarchive-state"

# Politeness is for other people's servers; this one is ours and local.
LOCALHOST_SETTINGS: dict[str, str] = {
    "DOWNLOAD_DELAY": "0",
    "DOWNLOAD_DELAY_JITTER": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


@dataclass
class DemoResult:
    """What the demo produced, for the CLI to print and the tests to check."""

    directory: Path
    base_url: str
    db_url: str
    archive_path: Path
    feed_path: Path
    log_path: Path
    returncode: int
    seconds: float
    requests: int
    """Requests the sample site answered during the crawl."""
    articles: list[dict[str, Any]] = field(default_factory=list)
    """The JSONL feed's rows."""
    command: list[str] = field(default_factory=list)


def package_root() -> Path:
    """The folder that holds the ``newsarchive`` package (for the child's PYTHONPATH)."""
    return Path(__file__).resolve().parents[2]


def crawl_command(base_url: str, feed_path: Path, log_path: Path, state_dir: Path,
                  extra_settings: dict[str, str] | None = None) -> list[str]:
    """The ``scrapy crawl news`` command line the demo runs."""
    command = [
        sys.executable, "-m", "scrapy", "crawl", "news",
        "-a", f"url={base_url}/",
        "-O", str(feed_path),
        # The demo writes one feed, the one it prints; no dated copy in exports/.
        "-s", "NEWSARCHIVE_EXPORT_DIR=",
        # Its locks and skip memory stay in DIR, whatever the user's own setting.
        "-s", f"NEWSARCHIVE_STATE_DIR={state_dir}",
        "-s", f"LOG_FILE={log_path}",
    ]
    for name, value in {**LOCALHOST_SETTINGS, **(extra_settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl_environment(db_url: str) -> dict[str, str]:
    """Environment for the child crawl: the archive URL and the project settings."""
    env = dict(os.environ)
    env["NEWSARCHIVE_DB_URL"] = db_url
    # The bundled site files, whatever folder the user's own crawls use: a file
    # of theirs claiming 127.0.0.1 (a site in development) took the demo's pages
    # with its own [articles] patterns, and a broken one stopped the demo.
    env.pop("NEWSARCHIVE_SITES_DIR", None)
    # Found without a scrapy.cfg, so the demo runs from any folder.
    env["SCRAPY_SETTINGS_MODULE"] = "newsarchive.settings"
    root = str(package_root())
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


class DemoDirectoryInUse(Exception):
    """DIR holds an archive or feed the demo did not make; the message names it."""


# Every URL the demo stores is on its own local server.
_DEMO_URL_PREFIX = "http://127.0.0.1:"


def foreign_files(directory: Path, site_dir: Path = SITE_DIR) -> list[Path]:
    """The demo's file names in ``directory`` holding something other than a demo run.

    The demo replaces DIR/archive.db and DIR/articles.jsonl on each run; those
    are also the names the README's own crawl examples use, so ``--dir`` set
    to a real crawl's folder must not delete its archive or feed. A crawl of
    another server on 127.0.0.1 (a site in development) is told apart by its
    paths: every page the demo stores is a file of the sample site.
    """
    found: list[Path] = []
    archive = directory / ARCHIVE_NAME
    if archive.exists():
        try:
            with closing(sqlite3.connect(f"{archive.as_uri()}?mode=ro", uri=True)) as conn:
                urls = (row[0] for row in conn.execute("SELECT url FROM articles"))
                other = not all(_is_demo_url(url, site_dir) for url in urls)
        except sqlite3.Error:
            other = True  # not an archive at all: not ours to delete either
        if other:
            found.append(archive)
    feed = directory / FEED_NAME
    if feed.exists():
        with feed.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    url = str(json.loads(line).get("url") or "")
                except (ValueError, AttributeError):
                    url = ""
                if not _is_demo_url(url, site_dir):
                    found.append(feed)
                    break
    return found


def _is_demo_url(url: str, site_dir: Path) -> bool:
    """Whether ``url`` is a page of the sample site as the demo's server serves it."""
    if not url.startswith(_DEMO_URL_PREFIX):
        return False
    path = unquote(urlsplit(url).path).strip("/").removesuffix("/amp")
    if ".." in path.split("/"):
        return False  # never a path out of the site
    if not path:
        return True  # the home page
    page = site_dir / path
    return page.is_file() or page.with_name(page.name + ".html").is_file() \
        or (page / "index.html").is_file()


def _fresh(directory: Path) -> None:
    # A fresh archive each time: a re-run into an old one would fetch nothing
    # new (incremental crawling) and leave an empty feed to show.
    for name in (ARCHIVE_NAME, f"{ARCHIVE_NAME}-wal", f"{ARCHIVE_NAME}-shm", FEED_NAME, LOG_NAME):
        path = directory / name
        if path.exists():
            path.unlink()
    # The demo's own run state (locks, remembered non-article pages).
    shutil.rmtree(directory / STATE_NAME, ignore_errors=True)


def read_feed(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL feed (an absent file has none)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def run_demo(directory: Path | str, *, site_dir: Path = SITE_DIR,
             extra_settings: dict[str, str] | None = None, timeout: float = 300.0,
             echo: Callable[[str], None] = print) -> DemoResult:
    """Serve the sample site, crawl it into ``directory`` and return what came out."""
    directory = Path(directory).resolve()
    if foreign := foreign_files(directory, site_dir):
        raise DemoDirectoryInUse(
            f"{', '.join(str(p) for p in foreign)} holds more than a demo run; the demo replaces "
            "it, so it leaves this folder alone: choose another --dir")
    directory.mkdir(parents=True, exist_ok=True)
    _fresh(directory)
    archive_path = directory / ARCHIVE_NAME
    feed_path = directory / FEED_NAME
    log_path = directory / LOG_NAME
    db_url = f"sqlite:///{archive_path}"

    with SiteServer(site_dir) as site:
        base = site.base_url
        command = crawl_command(base, feed_path, log_path, directory / STATE_NAME, extra_settings)
        echo(f"Serving the sample news site at {base}/")
        echo(f"Crawling it: scrapy crawl news -a url={base}/ -O {feed_path}")
        started = time.monotonic()
        try:
            completed = subprocess.run(
                command, cwd=directory, env=crawl_environment(db_url),
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                timeout=timeout, check=False,
            )
            returncode, output = completed.returncode, completed.stdout
        except subprocess.TimeoutExpired as exc:
            # subprocess.run has killed the crawl; report it like any failed run.
            returncode = -1
            output = (exc.output or b"") + f"\ndemo: crawl killed after {timeout:g} s\n".encode()
        seconds = time.monotonic() - started
        requests = len(site.requests)
    if output:
        # Anything printed outside the log (a crash before logging started).
        with log_path.open("ab") as log:
            log.write(output)
    return DemoResult(
        directory=directory, base_url=base, db_url=db_url, archive_path=archive_path,
        feed_path=feed_path, log_path=log_path, returncode=returncode,
        seconds=seconds, requests=requests, articles=read_feed(feed_path), command=command,
    )


def log_tail(path: Path, lines: int = 25) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _published_key(article: dict[str, Any]) -> datetime:
    # Compare instants, not strings: offsets differ from page to page.
    try:
        when = datetime.fromisoformat(article.get("published") or "")
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def format_rows(articles: Sequence[dict[str, Any]], limit: int = 5) -> Iterator[str]:
    """A small table: published, authors, headline (newest first)."""
    rows = sorted(articles, key=_published_key, reverse=True)[:limit]
    yield f"{'published':<26}  {'authors':<28}  headline"
    for row in rows:
        authors = ", ".join(row.get("authors") or []) or "-"
        if len(authors) > 28:
            authors = authors[:27] + "…"
        yield f"{row.get('published') or '-':<26}  {authors:<28}  {row.get('headline') or '-'}"
