"""``newsarchive demo`` and ``newsarchive sites``: the offline demo crawl and
the list of configured sites. Crawls themselves are ``scrapy crawl news``."""
from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import sys
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import click

from newsarchive.cli.archive_commands import ENV_VAR


def _archive_count(path: Path) -> int | None:
    # A peek with the standard library: the demo's archive is a SQLite file we just wrote.
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(path)) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return None


def _last_run_stats(path: Path) -> dict[str, object]:
    # The crawl records its stats in the archive's crawl_runs table.
    if not path.exists():
        return {}
    try:
        with closing(sqlite3.connect(path)) as conn:
            row = conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return {}
    try:
        return json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        return {}


def _reasons(stats: dict[str, object], prefix: str) -> str:
    counts = {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix) and v}
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


@click.command()
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"), show_default=True,
    help="Folder for the demo's archive.db, articles.jsonl and crawl.log (replaced if present).",
)
@click.option("--rows", type=click.IntRange(0), default=5, show_default=True,
              help="How many archived rows to print.")
def demo(directory: Path, rows: int) -> None:
    """Crawl the bundled sample news site into a fresh archive, offline.

    Serves the sample site (articles, a paginated section page, a tag page,
    robots.txt, sitemaps and an RSS feed) on 127.0.0.1, runs the real
    spider on it (scrapy crawl news -a url=...) and writes DIR/archive.db
    (SQLite) and DIR/articles.jsonl. Needs no internet.

    \b
    Example:
      newsarchive demo --dir /tmp/demo
      newsarchive search levee --db /tmp/demo/archive.db
    """
    from newsarchive.demo.run import DemoDirectoryInUse, format_rows, log_tail, run_demo

    try:
        result = run_demo(directory, echo=click.echo)
    except DemoDirectoryInUse as exc:
        raise click.ClickException(str(exc)) from None
    if result.returncode != 0 or not result.articles:
        click.echo(log_tail(result.log_path), err=True)
        raise click.ClickException(
            f"the demo crawl failed (exit status {result.returncode}, "
            f"{len(result.articles)} articles); full log: {result.log_path}"
        )
    stored = _archive_count(result.archive_path)
    click.echo(
        f"Crawl finished in {result.seconds:.1f} s: {result.requests} requests to the site, "
        f"{len(result.articles)} articles in the feed"
        + (f", {stored} in the archive." if stored is not None else ".")
    )
    stats = _last_run_stats(result.archive_path)
    if skipped := _reasons(stats, "newsarchive/skipped/"):
        # Most skips are decided on the link (its address or the site's patterns),
        # before any fetch: calling them "pages crawled" overstated the requests.
        click.echo(f"Links and pages not stored as articles, by reason: {skipped}")
    if dropped := _reasons(stats, "newsarchive/dropped/"):
        click.echo(f"Items dropped by validation, by reason: {dropped}")
    click.echo("")
    click.echo(f"Archive (SQLite): {result.archive_path}")
    click.echo(f"JSONL feed:       {result.feed_path}")
    click.echo(f"Crawl log:        {result.log_path}")
    click.echo("")
    for line in format_rows(result.articles, limit=rows):
        click.echo(line)
    click.echo("")
    # --db, not `export NEWSARCHIVE_DB_URL=...`: the variable would outlive the
    # demo in the user's shell and send their next real crawl into this
    # archive, which the next demo run deletes.
    db = shlex.quote(str(result.archive_path))
    # The crawl ran with its own NEWSARCHIVE_DB_URL, but the user's shell may
    # have one exported (the README's PostgreSQL set-up): it wins over --db, so
    # the hints would have queried that archive. Emptied for the one command,
    # it counts as unset.
    clear_env = f"{ENV_VAR}= " if os.environ.get(ENV_VAR) else ""
    click.echo("Query it (the next demo run replaces this archive):")
    if clear_env:
        click.echo(f"  ({ENV_VAR} is set in this shell and would win over --db; "
                   f"these commands clear it for themselves)")
    program = _program_as_typed()
    click.echo(f"  {clear_env}{program} search 'levee OR ceasefire' --db {db}")
    click.echo(f"  {clear_env}{program} stats --db {db}")


def _program_as_typed() -> str:
    """How to run this newsarchive again from the user's shell.

    The Quick start runs ``.venv/bin/newsarchive demo`` without activating the
    virtualenv: hints starting with a bare ``newsarchive`` answered "command
    not found" (or ran another install's). So the script is named as it was
    typed unless ``newsarchive`` on PATH is this very script; ``python -m
    newsarchive`` is named with its interpreter.
    """
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is None:
        return "newsarchive"
    if started.name == "newsarchive" and started.is_file():
        on_path = shutil.which("newsarchive")
        if on_path and Path(on_path).resolve() == started.resolve():
            return "newsarchive"
        return shlex.quote(str(started))
    if started.name == "__main__.py" and started.parent.name == "newsarchive":
        return f"{shlex.quote(sys.executable)} -m newsarchive"
    return "newsarchive"


@click.command()
@click.option(
    "--dir", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
    help="Folder of site files (default: $NEWSARCHIVE_SITES_DIR, else the bundled sites).",
)
@click.option("-v", "--verbose", is_flag=True,
              help="Also show the file, start URLs, sitemaps, feeds, URL patterns, rules, selectors, limits and recheck.")
def sites(folder: Path | None, verbose: bool) -> None:
    """List the configured sites (one TOML file each).

    Crawl one with `scrapy crawl news -a site=NAME`, or all of them with
    `scrapy crawl news`. A bad file is reported with its name, key and problem.

    \b
    Example:
      newsarchive sites
      newsarchive sites --dir ./sites -v
    """
    from newsarchive.sites import SiteConfigError, load_sites, sites_dir

    chosen = folder if folder is not None else (os.environ.get("NEWSARCHIVE_SITES_DIR") or None)
    try:
        configured = load_sites(chosen)
    except SiteConfigError as exc:
        # Status 2, as the crawl gives for the same file: a script may check
        # the files with this command before it crawls.
        error = click.ClickException(str(exc))
        error.exit_code = 2
        raise error from None
    where = sites_dir(chosen)
    if not configured:
        click.echo(f"No site files (*.toml) in {where}")
        return
    click.echo(f"{len(configured)} site(s) in {where}")
    width = max(len(name) for name in configured)
    for name, site in sorted(configured.items()):
        click.echo(f"{name:<{width}}  {', '.join(site.domains):<30}  {site.timezone or '-'}")
        if verbose:
            details = {
                "file": str(site.source) if site.source else None,
                "start": ", ".join(site.start_urls),
                "sitemaps": ", ".join(site.sitemaps),
                "feeds": ", ".join(site.feeds),
                "allow": ", ".join(p.pattern for p in site.allow),
                "deny": ", ".join(p.pattern for p in site.deny),
                "rules": ", ".join(rule.name for rule in site.rules),
                # What the file changes from the defaults, as it was read: a
                # user checking a new file sees its limits took effect.
                "selectors": ", ".join(f"{k}={v}" for k, v in sorted(site.selectors.items())),
                "limits": ", ".join(f"{k}={getattr(site, k)}" for k in
                                    ("max_articles", "max_listing_pages", "listing_depth", "download_delay")
                                    if getattr(site, k) is not None),
                "recheck": ", ".join(f"{k}={_span(getattr(site, 'recheck_' + k))}" for k in ("recent", "every")
                                     if getattr(site, "recheck_" + k) is not None),
            }
            for label, value in details.items():
                if value:
                    click.echo(f"{'':<{width}}    {label:<9} {value}")


def _span(value: timedelta) -> str:
    """A re-check window as a site file writes it (2d, 6h, 90s)."""
    seconds = int(value.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{value.total_seconds():g}s"


COMMANDS = [demo, sites]
