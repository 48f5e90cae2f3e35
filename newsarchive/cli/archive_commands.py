"""Archive commands: search, show, diff, export, stats, reparse, db upgrade.

Each command opens the archive given by ``--db`` (a URL or an SQLite file
path). As for the crawl, the environment variable ``NEWSARCHIVE_DB_URL``
overrides it; the command says so on stderr when both are set and differ.
Errors a user can act on are one line on stderr with a non-zero exit status
(2 for a bad query or argument), never a traceback.
"""
from __future__ import annotations

import csv
import functools
import itertools
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

ENV_VAR = "NEWSARCHIVE_DB_URL"


def whole_number(minimum: int = 0) -> click.IntRange:
    """An integer option or argument the archive can store: from ``minimum`` to the
    database's largest integer. A larger one ended in a traceback (OverflowError,
    "Python int too large to convert to SQLite INTEGER"); now it is a usage error."""
    from newsarchive.database.schema import MAX_INTEGER

    return click.IntRange(minimum, MAX_INTEGER)


def _not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # An empty filter (`--site "$SITE"` with SITE unset) filtered nothing: the
    # whole archive was exported as that site's. The crawl refuses `-a site=` too.
    # An empty --db quietly meant ./newsarchive.db.
    if value is not None and not value.strip():
        raise click.BadParameter("is empty; give a value or leave the option out")
    return value


db_option = click.option(
    "--db", "db", metavar="URL|FILE", default=None, callback=_not_empty,
    help="Archive: an SQLAlchemy URL or an SQLite file "
         "(default sqlite:///newsarchive.db; env NEWSARCHIVE_DB_URL overrides).",
)


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--site --author --section --since --until, shared by search, export and stats."""
    for option in reversed([
        click.option("--site", callback=_not_empty,
                     help="Only this site, as `newsarchive stats` lists it: a site "
                          "file's name (bbc-news), or the host of a crawl by URL."),
        click.option("--author", callback=_not_empty,
                     help="Only articles by an author whose name contains this."),
        click.option("--section", callback=_not_empty, help="Only this section (case-insensitive)."),
        click.option("--since", metavar="DATE|AGO", callback=_not_empty,
                     help="Published on or after (YYYY-MM-DD, ISO 8601, or a duration "
                          "back from now as the crawl's since= takes it: 12h, 2d, 1w)."),
        click.option("--until", metavar="DATE|AGO", callback=_not_empty,
                     help="Published on or before (a bare date includes that day; "
                          "2d: before two days ago)."),
    ]):
        func = option(func)
    return func


gone_option = click.option(
    "--gone", is_flag=True,
    help="Only articles the site has taken down (a re-fetch answered HTTP 404 or 410); "
         "without it, taken-down articles are included like the others.")


# Control characters (C0 but tab and newline, DEL, C1). Archived text is the
# crawled sites' own, and a terminal runs such characters as commands: an
# escape sequence in a headline set the window title, recoloured the screen
# or (OSC 52) wrote the clipboard when `show`, `search` or `diff` printed it.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _displayable(value: Any) -> Any:
    """``value`` with the control characters gone from its text, for the
    commands' text output (their JSON and CSV keep the text as stored)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, dict):
        return {key: _displayable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_displayable(item) for item in value)
    return value


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@contextmanager
def open_archive(db: str | None, *, upgrade: bool = True, create: bool = False,
                 read_only: bool = False) -> Iterator[Any]:
    """The archive, with every database problem turned into one line and an exit code.

    ``create``: an SQLite file that does not exist yet is made (only ``db
    upgrade`` does that); otherwise a missing file is an error, so a mistyped
    --db path is reported instead of answering "No matches" from a new, empty
    archive left behind at that path. ``read_only``: the command only reads,
    so an SQLite archive this user cannot write (the crawl's user owns it) is
    read without writing.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from newsarchive.database import Archive, ArchiveError, QueryError
    from newsarchive.database.archive import database_error_line

    env = os.environ.get(ENV_VAR)
    if env and db and Archive.resolve_url(None) != _resolved_without_env(db):
        click.echo(f"Note: {ENV_VAR} is set and overrides --db; using {env}", err=True)
    archive = None
    try:
        if not create:
            problem = _missing_archive(Archive.resolve_url(db))
            if problem:
                _fail(problem, 1)
        try:
            archive = Archive(db, upgrade=False, read_only=read_only)
        except ImportError as exc:  # e.g. mysql://: SQLAlchemy knows it, its driver is not installed
            _fail(f"cannot use the archive: its database driver is not installed ({exc})", 1)
        if upgrade:
            before, after = archive.upgrade()
            if before is not None and before != after:
                # Said, not done silently: the upgrade cannot be undone, and an
                # older newsarchive (a cron job not yet updated) now refuses the archive.
                click.echo(f"Note: upgraded the archive's schema from revision {before} to {after}; "
                           "older newsarchive releases now refuse it", err=True)
        yield archive
    except QueryError as exc:
        _fail(f"bad query: {exc}", 2)
    except (ArchiveError, KeyError) as exc:
        _fail(str(exc).strip("'\""), 1)
    except SQLAlchemyError as exc:
        _fail(f"cannot use the archive: {database_error_line(exc)}", 1)
    except BrokenPipeError:  # `newsarchive export | head`: the reader has had enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the exit-time flush cannot fail again
        sys.exit(0)
    finally:
        if archive is not None:
            archive.close()


def _missing_archive(url: str) -> str | None:
    """Why ``url`` names no archive, else None (read commands never create one)."""
    from sqlalchemy.engine import make_url

    # A malformed URL, or one naming no database SQLAlchemy knows (http://,
    # a typo), raises here: open_archive reports it as one line.
    parsed = make_url(url)
    parsed.get_dialect()
    if parsed.get_backend_name() == "sqlite":
        return _missing_sqlite_file(parsed)
    return _missing_server_archive(url, parsed)


def _missing_sqlite_file(parsed: URL) -> str | None:
    """Why an SQLite URL names no archive (no such file, or a folder), else None."""
    from newsarchive.database.engine import sqlite_file_path

    if (parsed.database or "").startswith("file:") and parsed.query.get("uri") != "true":
        # SQLite's own URI form (`--db 'file:archive.db?mode=ro'`): without
        # SQLAlchemy's uri=true the driver took it for a relative path, and
        # the command made an empty archive under ./file:/... and answered
        # "The archive has no articles yet."
        return (f"{parsed.database} is an SQLite URI, which --db does not take: give the archive's "
                "file path (read commands open an archive this user cannot write read-only)")
    path = sqlite_file_path(parsed)
    if path is None:
        return None
    if path.is_dir():
        return f"{path} is a folder, not an archive file (give --db FOLDER/archive.db)"
    if not path.exists():
        return (f"no archive at {path} (crawl into it first, or give --db FILE "
                f"or {ENV_VAR} for an existing one)")
    return _foreign_sqlite_file(path)


def _foreign_sqlite_file(path: Path) -> str | None:
    """Why an existing file is not an archive, else None."""
    from newsarchive.database.engine import foreign_sqlite_file

    found = foreign_sqlite_file(path)
    if found is None:
        return None
    kind, what = found
    if kind == "not-sqlite":
        return f"{path} is not a newsarchive archive ({what}); give --db the archive's file"
    return (f"{path} is not a newsarchive archive: {what}; give --db the archive's file "
            f"(newsarchive db upgrade --db {path} makes an archive in it)")


def _missing_server_archive(url: str, parsed: URL) -> str | None:
    """Why a server database (PostgreSQL) holds no archive, else None.

    Opening an archive creates its tables, so without this check a mistyped
    database name (or ``postgresql://``, which means the user's own database)
    would quietly gain an empty archive, as a mistyped SQLite path gained a file.
    """
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    from newsarchive.database.engine import make_engine

    try:
        engine = make_engine(url)
    except ImportError:
        return None  # Archive() names the missing driver
    try:
        with engine.connect() as conn:
            if inspect(conn).has_table("articles"):
                return None
    except SQLAlchemyError:
        return None  # Archive() reports the connection error
    finally:
        engine.dispose()
    shown = parsed.render_as_string(hide_password=True)
    return (f"no archive in {shown} (no newsarchive tables there; crawl into it first, "
            f"or create it with: newsarchive db upgrade --db URL)")


def _require_known_site(archive: Any, site: str | None, sites_dir: str | None = None) -> None:
    """Exit 2 naming the archive's sites when --site matches none of its articles.

    A misspelt site, or a configured site's domain given for its name
    ("independent.co.uk" for "independent"), would otherwise give an empty
    search or export with status 0, which a cron job cannot tell from a quiet day.
    """
    if not site:
        return
    from newsarchive.database.stats import has_site, site_names

    with archive.engine.connect() as conn:
        if has_site(conn, site):
            return
        known = site_names(conn)
    if not known:
        return  # an empty archive: nothing is known yet, nothing to correct
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    host = _address_host(site)
    # An address copied from the browser ("https://www.bbc.co.uk/news") names a
    # configured site by its host: the site file's name is what the archive holds.
    hint = (_configured_alias(site, known, sites_dir)
            or (host and _configured_alias(host, known, sites_dir))
            or (host if host in known and host != site.lower() else None))
    _fail(f"no article from site {site!r} in the archive"
          + (f"; did you mean {hint!r}?" if hint else "")
          + f" (its sites: {shown})", 2)


def _configured_alias(site: str, known: list[str], sites_dir: str | None = None) -> str | None:
    """The archive's name for ``site`` when a site file gives it another name.

    A configured crawl stores the site file's name ("independent"), a crawl
    by URL the host ("independent.co.uk", "127.0.0.1" for a file's
    "127.0.0.1:8765"); users type either.
    """
    try:
        from newsarchive.sites import load_sites

        configs = list(load_sites(sites_dir or os.environ.get("NEWSARCHIVE_SITES_DIR") or None).values())
    except Exception:  # a broken site file must not hide the real error
        return None
    wanted = site.lower().removeprefix("www.")
    for config in configs:
        names = [config.name, *config.domains, *(domain.rsplit(":", 1)[0] for domain in config.domains)]
        if wanted in [n.lower() for n in names]:
            for name in names:
                if name in known and name.lower() != wanted:
                    return name
    return None


def _address_host(site: str) -> str | None:
    """The host of ``site`` typed as an address, without ``www.``: a crawl by URL
    stores the host alone, so "127.0.0.1:8765" (the address crawled) or
    "https://www.bbc.co.uk/" match nothing until the port or scheme goes."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(site if "//" in site else f"//{site}").hostname
    except ValueError:  # a port that is not a number, an unbalanced "[": no host to offer
        return None
    return (host or "").removeprefix("www.") or None


def _resolved_without_env(db: str) -> str:
    from newsarchive.database.engine import resolve_url

    saved = os.environ.pop(ENV_VAR, None)
    try:
        return resolve_url(db)
    finally:
        if saved is not None:
            os.environ[ENV_VAR] = saved


def _filters(site: str | None, author: str | None, section: str | None,
             since: str | None, until: str | None) -> dict[str, Any]:
    return {"site": site, "author": author, "section": section, "since": since, "until": until}


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))


def _highlight(snippet: str, color: bool) -> str:
    snippet = re.sub(r"\s+", " ", snippet or "").strip()
    if not color:
        return snippet
    return re.sub(r"\[([^\]]*)\]", lambda m: click.style(m.group(1), bold=True, fg="yellow"), snippet)


def _short(value: str | None, width: int) -> str:
    value = re.sub(r"\s+", " ", value or "").strip()
    return value if len(value) <= width else value[: max(width - 1, 0)] + "…"


# --- search ----------------------------------------------------------------------

SEARCH_FORMATS = ("table", "json", "jsonl", "csv")


class _QueryCommand(click.Command):
    """A command whose words beginning with a single "-" are its QUERY, not options.

    `newsarchive search -harbour` (or `port -harbour`) failed with click's
    "No such option: -a"; a query may leave words out that way (see
    ``newsarchive.database.search``). Long options, unknown ones too, stay options.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value = {name for param in self.get_params(ctx)
                       if isinstance(param, click.Option) and not param.is_flag
                       for name in param.opts}
        return super().parse_args(ctx, query_words_last(args, takes_value))


def query_words_last(args: list[str], takes_value: set[str]) -> list[str]:
    """``args`` with every word that is not an option (or an option's value)
    moved after a ``--``, so click reads "-harbour" as a word. Only long
    options and ``-h`` are options: search has no other short ones."""
    options: list[str] = []
    words: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            words.extend(rest)
        elif arg.startswith("--") or arg == "-h":
            options.append(arg)
            if arg in takes_value:
                value = next(rest, None)
                if value is None:
                    return args  # click's own "requires an argument", not "'--' is not an integer"
                options.append(value)
        else:
            words.append(arg)
    return [*options, "--", *words] if words else options


@click.command(cls=_QueryCommand)
@click.argument("query", nargs=-1, required=True)
@filter_options
@gone_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000),
              help="Number of results.")
@click.option("--offset", default=0, type=whole_number(), help="Skip this many results (paging).")
@click.option("--json", "as_json", is_flag=True, help="Output one JSON array.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Output one JSON object per line.")
@click.option("--csv", "as_csv", is_flag=True, help="Output CSV with a header row.")
@db_option
def search(query: tuple[str, ...], site: str | None, author: str | None, section: str | None,
           since: str | None, until: str | None, gone: bool, limit: int, offset: int, as_json: bool,
           as_jsonl: bool, as_csv: bool, db: str | None) -> None:
    """Full-text search over headlines, standfirsts and bodies, best match first.

    QUERY uses SQLite FTS5 syntax: words (all must match), "exact phrases",
    OR, AND, NOT, prefix*, parentheses, and headline:/standfirst:/body:
    column filters ({headline body}:word for several, -body:word for all
    but one). A leading - leaves a word out: port -harbour is port NOT
    harbour. Ordinary text such as covid-19 works as typed.

    \b
    Examples:
      newsarchive search putin syria --since 2016-01-01
      newsarchive search '"military withdrawal" OR withdr*' --site independent
      newsarchive search 'headline:election NOT poll' --author 'Laura Pitel' --json
      newsarchive search minister --gone      # only stories the outlet took down
    """
    from newsarchive.database.export import csv_cell

    if sum([as_json, as_jsonl, as_csv]) > 1:
        _fail("choose one of --json, --jsonl, --csv", 2)
    text = " ".join(query)
    with open_archive(db, read_only=True) as archive:
        # One row past the page tells whether there are more: a full page said
        # "N result(s)" as if that were all the matches.
        results = archive.search(text, limit=limit + 1, offset=offset, gone=gone,
                                 **_filters(site, author, section, since, until))
        more = len(results) > limit
        results = results[:limit]
        if not results:
            _require_known_site(archive, site)
            _hint_column_filters(text)
        for row in results:
            row["snippet"] = re.sub(r"\s+", " ", row.get("snippet") or "").strip()
            row["score"] = round(-float(row["score"] or 0), 6)
        if as_json:
            click.echo(json.dumps(results, ensure_ascii=False, indent=2))
        elif as_jsonl:
            for row in results:
                click.echo(json.dumps(row, ensure_ascii=False))
        elif as_csv:
            fields = ["id", "score", "published", "site", "section", "authors", "headline",
                      "url", "canonical_url", "snippet", "word_count", "version", "gone_at",
                      "gone_status"]
            writer = csv.writer(sys.stdout)
            writer.writerow(fields)
            for row in results:  # cells as export's CSV writes them (authors "A; B")
                writer.writerow([csv_cell(name, row.get(name)) for name in fields])
        else:
            _print_results(_displayable(results), offset, limit if more else 0)


def _hint_column_filters(query: str) -> None:
    """On no match, say when a ``word:`` the user wrote was read as text, not a column."""
    from newsarchive.database.search import COLUMNS

    # Outside quotes only: a quoted "Note: ..." is meant as text.
    unquoted = re.sub(r'"(?:[^"]|"")*"', " ", query)
    unknown = [w for w in re.findall(r"(?<![\w/])([A-Za-z]+):", unquoted) if w.lower() not in COLUMNS]
    if unknown:
        click.echo(f"Note: {unknown[0]}: is not a column filter and was searched as a word; "
                   "the column filters are " + ", ".join(f"{c}:" for c in COLUMNS), err=True)


def _print_results(results: list[dict[str, Any]], offset: int, more_after: int = 0) -> None:
    if not results:
        # Past the last page is not the same news as no match at all.
        click.echo(f"No matches after the first {offset}." if offset else "No matches.", err=True)
        return
    width = _width()
    color = sys.stdout.isatty()
    for row in results:
        date = (row.get("published") or "")[:10] or "—"
        head = f"{row['id']:>7}  {date:<10}  {_short(row.get('site'), 22):<22}  "
        # Said on the result itself: a quote from a pulled story needs the caveat.
        gone = f"[taken down {row['gone_at'][:10]}] " if row.get("gone_at") else ""
        click.echo(head + gone + click.style(_short(row.get("headline") or "(no headline)",
                                                    width - len(head) - len(gone)), bold=color))
        byline = _short("; ".join(row.get("authors") or []), 60)
        if byline:
            click.echo(" " * 9 + byline)
        snippet = _short(row.get("snippet"), width - 9)
        click.echo(" " * 9 + _highlight(snippet, color))
    first = offset + 1
    more = f" more with --offset {offset + more_after};" if more_after else ""
    click.echo(f"{len(results)} result(s), {first}–{offset + len(results)};{more} "
               "`newsarchive show ID` for the whole article.", err=True)


# --- show ------------------------------------------------------------------------


@click.command()
@click.argument("ref", metavar="URL|ID")
@click.option("--json", "as_json", is_flag=True, help="Output the article and its versions as JSON.")
@click.option("--no-body", is_flag=True, help="Leave the body out.")
@click.option("--dropped", is_flag=True, help="Also list the blocks the cleaning dropped.")
@click.option("--raw", is_flag=True,
              help="Write the stored page (the HTML as fetched, decoded) to standard output instead.")
@click.option("--version", "version", type=whole_number(1), default=None,
              help="With --raw: that version's page (default: the current one).")
@db_option
def show(ref: str, as_json: bool, no_body: bool, dropped: bool, raw: bool, version: int | None,
         db: str | None) -> None:
    """Show one article (current version) and the list of its versions.

    \b
    Examples:
      newsarchive show 42
      newsarchive show https://www.independent.co.uk/news/world/europe/russia-syria-a6931146.html
      newsarchive show 42 --raw > page.html      # the page as fetched
    """
    if version is not None and not raw:
        raise click.UsageError("--version goes with --raw (the versions are listed by show itself)")
    with open_archive(db, read_only=True) as archive:
        if raw:
            page = archive.get_raw_page(ref, version)
            if page is None:
                which = f"version {version} of " if version else ""
                _fail(f"no stored page for {which}{ref!r} (raw pages kept off, or not in the archive)", 1)
            body = page.body.encode("utf-8") if isinstance(page.body, str) else page.body
            click.echo(body, nl=False)  # bytes go to the binary stream as they are
            charset = _header_charset(page.headers)
            if charset and charset.lower().replace("_", "-") not in {"utf-8", "utf8"}:
                # The bytes alone lose the header: `extract` would read them as UTF-8.
                click.echo(f"newsarchive: the server sent this page as {charset} (Content-Type header); "
                           f"read it again with: newsarchive extract FILE --url URL --charset {charset}", err=True)
            return
        article = archive.get_article(ref)
        if article is None:
            _fail(f"no article {ref!r} in the archive", 1)
        if no_body:
            article.pop("body", None)
            for version in article["versions"]:
                version.pop("body", None)
        if as_json:
            click.echo(json.dumps(article, ensure_ascii=False, indent=2, default=str))
            return
        _print_article(_displayable(article), dropped)


def _header_charset(headers: dict[str, str] | None) -> str | None:
    """The charset a stored page's Content-Type header names, if any."""
    content_type = next((v for k, v in (headers or {}).items() if k.lower() == "content-type"), "")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _print_article(a: dict[str, Any], dropped: bool) -> None:
    bold = sys.stdout.isatty()
    click.echo(click.style(a.get("headline") or "(no headline)", bold=bold))
    if a.get("standfirst"):
        click.echo(a["standfirst"])
    click.echo()
    rows = [
        # `url` is where the page was fetched; the canonical URL is the archive's
        # key (always https, no www.), not always an address that answers.
        ("id", a["id"]), ("url", a.get("url") or a["canonical_url"]),
        ("canonical", a["canonical_url"] if a.get("url") != a["canonical_url"] else None),
        ("site", a.get("site")),
        ("authors", "; ".join(a.get("authors") or []) or None), ("byline", a.get("byline")),
        ("published", a.get("published")), ("modified", a.get("modified")),
        ("section", a.get("section")), ("tags", ", ".join(a.get("tags") or []) or None),
        ("language", a.get("language")), ("words", a.get("word_count")),
        ("first seen", a.get("first_seen")), ("last seen", a.get("last_seen")),
    ]
    if a.get("gone_at"):
        # First, before the text: a reader must not take the archived copy for what the site shows.
        gone = {"event": "gone", "status": a.get("gone_status"), "at": a["gone_at"]}
        rows.insert(0, ("taken down", f"{_event_line(gone)}; what follows is the archived copy"))
    for label, value in rows:
        if value not in (None, ""):
            click.echo(f"{label:>11}: {value}")
    for caption in a.get("captions") or []:
        credit = f" ({caption['credit']})" if caption.get("credit") else ""
        click.echo(f"{'caption':>11}: {caption['text']}{credit}")
    if a.get("body"):
        click.echo()
        click.echo(a["body"])
    if dropped and a.get("dropped"):
        click.echo()
        click.echo("Dropped blocks:")
        for block in a["dropped"]:
            click.echo(f"  [{block['rule']}] {_short(block['text'], _width() - 20)}")
    click.echo()
    click.echo(f"Versions ({len(a['versions'])}):")
    from newsarchive.database.history import history

    for kind, entry in history(a["versions"], a.get("events") or []):
        if kind == "event":
            click.echo(f"  {_event_line(entry)}")
            continue
        v = entry
        click.echo(f"  v{v['version']:<3} first seen {v['first_seen']}  last seen {v['last_seen']}"
                   f"  {v['word_count']} words  {_short(v.get('headline'), 50)}")
    if len(a["versions"]) > 1:
        click.echo(f"`newsarchive diff {a['id']}` shows what changed.")


def _event_line(event: dict[str, Any]) -> str:
    """An article event as `show` words it."""
    if event["event"] == "gone":
        status = f" (HTTP {event['status']})" if event.get("status") else ""
        return f"removed from the site{status} on {event['at']}"
    return f"back on the site (restored) on {event['at']}"


# --- diff ------------------------------------------------------------------------


@click.command()
@click.argument("ref", metavar="URL|ID")
@click.argument("v1", required=False, type=whole_number(1))
@click.argument("v2", required=False, type=whole_number(1))
@click.option("--json", "as_json", is_flag=True, help="Output the summary and word diffs as JSON.")
@click.option("--context", default=12, show_default=True, type=whole_number(),
              help="Unchanged words shown around each change.")
@click.option("--color/--no-color", default=None, help="Colour the changes (default: on a terminal).")
@db_option
def diff(ref: str, v1: int | None, v2: int | None, as_json: bool, context: int,
         color: bool | None, db: str | None) -> None:
    """Word-level diff between two versions of an article (default: the last two).

    V1 alone compares that version with the current one. Starts with a
    summary such as "headline changed", "byline changed" or "correction
    added"; removed words show as [-words-], added ones as {+words+}.

    \b
    Examples:
      newsarchive diff 42
      newsarchive diff https://example.com/news/story-1 1 3
    """
    with open_archive(db, read_only=True) as archive:
        result = archive.diff(ref, v1, v2)
        if result is None:
            _fail(f"no article {ref!r} in the archive", 1)
        if as_json:
            click.echo(json.dumps({
                "article_id": result.article_id, "headline": result.headline,
                "from_version": result.v1, "to_version": result.v2,
                "from_seen": result.seen1, "to_seen": result.seen2, "summary": result.summary,
                "fields": [{"name": f.name, "old": f.old, "new": f.new,
                            "changes": [list(p) for p in f.pieces]} for f in result.fields],
            }, ensure_ascii=False, indent=2))
            return
        color = sys.stdout.isatty() if color is None else color
        click.echo(f"Article {result.article_id}: {_displayable(result.headline) or '(no headline)'}")
        if result.v1 == result.v2 and v1 is None and v2 is None:
            click.echo(f"It has one version (first seen {result.seen1}): nothing to compare yet.")
            return
        click.echo(f"v{result.v1} (first seen {result.seen1}) -> v{result.v2} (first seen {result.seen2})")
        click.echo("Summary: " + "; ".join(result.summary))
        for field_diff in result.fields:
            click.echo()
            click.echo(click.style(f"{field_diff.name}:", bold=color))
            click.echo(_render_pieces(_displayable(field_diff.pieces), context, color))


def _render_pieces(pieces: list[tuple[str, str]], context: int, color: bool) -> str:
    from newsarchive.database.history import unspaced_edge

    out: list[str] = []
    # Each piece's first and last character of text, markers aside: Chinese
    # or Japanese pieces join without the space that separates words.
    edges: list[tuple[str, str]] = []
    for i, (op, text) in enumerate(pieces):
        core = text.strip()
        edges.append((core[:1], core[-1:]))
        if op == "equal":
            words = text.split(" ")
            first, last = i == 0, i == len(pieces) - 1
            if len(words) > 2 * context + 1 or (first and len(words) > context) or (
                    last and len(words) > context):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:] if context else []
                text = " ".join(head + ["…"] + tail)
            out.append(text)
        else:
            # Paragraph breaks stay outside the markers: "{+\n\nNew para+}" reads badly.
            core = text.strip("\n")
            lead = text[: len(text) - len(text.lstrip("\n"))]
            trail = text[len(text.rstrip("\n")):]
            marked = f"[-{core}-]" if op == "delete" else f"{{+{core}+}}"
            if color:
                marked = click.style(marked, fg="red" if op == "delete" else "green")
            out.append(lead + marked + trail)
    joined = ""
    last = ""
    for piece, (first, end) in zip(out, edges):
        if not piece:
            continue
        if joined and not (last and first and unspaced_edge(last, first)):
            joined += " "
        joined += piece
        last = end
    return re.sub(r" ?\n\n ?", "\n\n", joined)


# --- export ----------------------------------------------------------------------


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "json"]), default=None,
              help="Output format (json: one array).  [default: csv for an -o file "
                   "ending in .csv, json for one ending in .json, else jsonl]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="File to write (default: standard output).")
@click.option("--query", "query", default=None, callback=_not_empty,
              help="Only articles matching this search query.")
@filter_options
@gone_option
@db_option
def export(fmt: str | None, output: str, query: str | None, site: str | None, author: str | None,
           section: str | None, since: str | None, until: str | None, gone: bool,
           db: str | None) -> None:
    """Stream articles out of the archive (constant memory, any size).

    JSONL rows carry the feed fields (as `scrapy crawl -O x.jsonl` writes
    them) plus the archive's id, first_seen, last_seen, version, and
    gone_at and gone_status (when and with which HTTP status the site took
    the article down; empty while it is online); json
    writes the same rows as one array. In CSV, authors and tags are joined
    with "; " and captions are JSON.

    \b
    Examples:
      newsarchive export --format jsonl -o archive.jsonl
      newsarchive export --format csv --site bbc-news --since 2024-01-01 > bbc.csv
      newsarchive export --gone -o taken-down.csv
    """
    from newsarchive.database.export import write_csv, write_json_array, write_jsonl

    if fmt is None:
        # As `scrapy crawl -O x.csv` does: `-o bbc.csv` wrote JSONL lines into
        # bbc.csv, and `-o x.json` JSON lines that no JSON reader takes.
        fmt = {".csv": "csv", ".json": "json"}.get(Path(output).suffix.lower(), "jsonl")
    with open_archive(db, read_only=True) as archive:
        _require_known_site(archive, site)
        source = archive.export(query=query, gone=gone,
                                **_filters(site, author, section, since, until))
        try:
            # The query and the dates are checked when the first row is read:
            # read it before the file is opened, so that a mistyped query or date
            # (status 2) leaves an earlier export at that path as it was, instead
            # of truncating it to a header.
            first = next(source, None)
            stream = _open_export_file(output, fmt)
        except BaseException:
            source.close()
            raise
        count = 0
        try:
            try:
                rows = itertools.chain([] if first is None else [first], source)
                if fmt == "jsonl":
                    count = write_jsonl(rows, stream)
                elif fmt == "json":
                    count = write_json_array(rows, stream)
                else:
                    count = write_csv(rows, stream)
                stream.flush()
            finally:
                # End the export's read transaction now, not whenever the
                # generator is collected: on PostgreSQL an open one holds locks.
                source.close()
                if output != "-":
                    stream.close()
        except BrokenPipeError:
            raise  # the reader stopped early (`| head`): open_archive ends quietly
        except OSError as exc:  # a full disk or a lost mount, mid-export
            where = "standard output" if output == "-" else output
            _fail(f"cannot write {where}: {exc.strerror or exc}; the export is incomplete", 1)
        if output != "-":
            click.echo(f"{count} article(s) written to {output}", err=True)


def _open_export_file(output: str, fmt: str) -> Any:
    """The export's output stream (binary for JSON), or one line for a path that cannot be opened."""
    try:
        if fmt in ("jsonl", "json"):
            return click.open_file(output, "wb", lazy=False)
        return click.open_file(output, "w", encoding="utf-8", lazy=False)
    except OSError as exc:  # a missing folder, no permission: one line, not a traceback
        raise click.FileError(output, hint=exc.strerror or str(exc)) from None


# --- stats -----------------------------------------------------------------------


@click.command()
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@db_option
def stats(site: str | None, author: str | None, section: str | None, since: str | None,
          until: str | None, as_json: bool, db: str | None) -> None:
    """Per site: articles, versions, articles taken down, last crawl, and the
    share with a date, authors and captions.

    GONE counts the site's archived articles whose latest re-fetch answered
    HTTP 404 or 410 (`newsarchive search --gone` lists them).

    A site whose share of dates, authors or captions fell sharply in its
    latest crawl run compared with the runs before is flagged: usually a
    redesign that broke extraction. The exit status is 0 either way.

    \b
    Examples:
      newsarchive stats
      newsarchive stats --site guardian --json
    """

    with open_archive(db, read_only=True) as archive:
        sites = archive.stats(**_filters(site, author, section, since, until))
        if not sites:
            _require_known_site(archive, site)
        if as_json:
            click.echo(json.dumps([s.as_dict() for s in sites], ensure_ascii=False, indent=2))
            return
        if not sites:
            filtered = any((site, author, section, since, until))
            click.echo("No article matches these filters." if filtered
                       else "The archive has no articles yet.", err=True)
            return
        header = (f"{'SITE':<28} {'ARTICLES':>8} {'VERSIONS':>8} {'GONE':>5}  {'LAST CRAWL':<25} "
                  f"{'DATE':>5} {'AUTHOR':>6} {'CAPTION':>7}")
        click.echo(header)
        total = 0
        for s in sites:
            total += s.articles
            mark = " !" if s.flags else ""
            # No articles: no share to give (0% would read as "found on none").
            shares = (f"{s.with_date:>5.0%} {s.with_authors:>6.0%} {s.with_captions:>7.0%}" if s.articles
                      else f"{'—':>5} {'—':>6} {'—':>7}")
            click.echo(
                f"{_short(s.site or '(none)', 28):<28} {s.articles:>8} {s.versions:>8} {s.gone:>5}  "
                f"{(s.last_crawl or '—')[:25]:<25} {shares}{mark}"
            )
        click.echo(f"{len(sites)} site(s), {total} article(s)")
        # Flags come from every run of the site: beside percentages of only
        # an author's, a section's or a period's articles they read as theirs.
        scope = " (from all the site's runs, not only these filters' articles)" \
            if any((author, section, since, until)) else ""
        for s in sites:
            for flag in s.flags:
                click.echo(f"! {s.site}: {flag}{scope}")


# --- reparse ---------------------------------------------------------------------


@click.command()
@click.option("--site", callback=_not_empty,
              help="Only this site's articles (as `newsarchive stats` lists it).")
@click.option("--sites-dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of site files for per-site extraction options "
                   "(default: NEWSARCHIVE_SITES_DIR, else the bundled sites).")
@click.option("--dry-run", is_flag=True, help="Count what would change; write nothing.")
@click.option("--batch", default=100, show_default=True, type=whole_number(1),
              help="Articles per transaction.")
@db_option
def reparse(site: str | None, sites_dir: str | None, dry_run: bool, batch: int,
            db: str | None) -> None:
    """Re-extract the stored raw pages with the current extractor (no network).

    Each article's latest raw page goes through `extract_article` again and
    the result replaces the article's current version in place: history is
    kept and no version is added, since the page itself did not change.
    Earlier versions are re-read from their own stored pages too, so `diff`
    compares pages read the same way. Pages whose new extraction would not
    pass validation are left as they are.

    \b
    Examples:
      newsarchive reparse
      newsarchive reparse --site independent --dry-run
    """
    from newsarchive import extract_article

    configs = _site_configs(sites_dir)
    validate = _validator()
    counts = {"updated": 0, "unchanged": 0, "skipped": 0, "header_date": 0, "served_date": 0}
    with open_archive(db, read_only=dry_run) as archive:
        _require_known_site(archive, site, sites_dir)
        pending: list[tuple[int, Any, dict[str, str]]] = []

        def flush() -> None:
            if not pending:
                return
            if dry_run:
                outcomes = [_dry_run_outcome(archive.get_article(article_id), article, headers)
                            for article_id, article, headers in pending]
            else:
                outcomes = archive.replace_extraction([(a_id, a) for a_id, a, _ in pending])
            for status in outcomes:
                counts[status] = counts.get(status, 0) + 1
            pending.clear()

        def reread(page: Any, skipped: str = "skipped") -> Any:
            """The page extracted again; None (counted as ``skipped``, named) when it fails validation."""
            article = extract_article(page.raw.body, page.url, config=_config_for(configs, page.site, page.url),
                                      headers=page.raw.headers, fetched_at=page.fetched_at)
            reason = validate(article) if validate else None
            if reason:
                counts[skipped] = counts.get(skipped, 0) + 1
                click.echo(f"skipped article {page.article_id} version {page.version} ({reason})", err=True)
                return None
            return article

        for page in archive.raw_pages(site=site):
            article = reread(page)
            if article is not None:
                pending.append((page.article_id, article, page.raw.headers))
            if len(pending) >= batch:
                flush()
        flush()
        older: list[tuple[int, int, Any]] = []
        for page in archive.raw_pages(site=site, older=True):
            article = reread(page, "older_skipped")
            if article is not None:
                older.append((page.article_id, page.version, article))
            if len(older) >= batch:
                _count_older(counts, archive.replace_older_versions(older, dry_run=dry_run))
                older.clear()
        _count_older(counts, archive.replace_older_versions(older, dry_run=dry_run))
        without_page = archive.count_without_raw_page(site=site)
    click.echo(_reparse_summary(counts, without_page, dry_run))


def _count_older(counts: dict[str, int], outcomes: list[str]) -> None:
    for outcome in outcomes:
        key = f"older_{outcome}"
        counts[key] = counts.get(key, 0) + 1


def _reparse_summary(counts: dict[str, int], without_page: int, dry_run: bool) -> str:
    """The one line reparse ends with: what changed, and what it could not re-read."""
    verb = "would change" if dry_run else "updated"
    line = f"{counts['updated']} {verb}, {counts['unchanged']} unchanged, {counts['skipped']} skipped"
    if counts["header_date"]:
        # Not the extractor reading the page otherwise: the server touched the
        # file since the article was stored (see reparse_outcome in newsarchive/database/archive.py).
        took = "would take" if dry_run else "took"
        line += (f"; {counts['header_date']} {took} only the newer Last-Modified date of their "
                 "latest fetch (the page states no date, the content is the same)")
    if counts["served_date"]:
        took = "would take" if dry_run else "took"
        line += (f"; {counts['served_date']} {took} only the newer modification date of their latest "
                 "fetch, the time the page was served (the content is the same)")
    older = [counts.get(f"older_{outcome}", 0) for outcome in ("updated", "unchanged", "skipped")]
    if any(older):
        line += f"; earlier versions: {older[0]} {verb}, {older[1]} unchanged, {older[2]} skipped"
    if without_page:
        line += (f"; {without_page} article(s) have no stored page to re-read (crawled with "
                 "NEWSARCHIVE_KEEP_RAW off)")
    return line


# What a reparse rewrites, compared as the archive gives it back (``get_article``).
_REPARSED_FIELDS = ("headline", "standfirst", "byline", "authors", "published", "modified",
                    "section", "tags", "language", "image_url", "body", "page_type")


def _dry_run_outcome(stored: dict[str, Any] | None, article: Any, headers: dict[str, str]) -> str:
    """What ``Archive.replace_extraction`` would report for a new extraction."""
    from newsarchive.database.archive import header_value, modified_from_header, reparse_outcome, served_stamp

    if stored is None:
        return "missing"
    changed = {name for name in _REPARSED_FIELDS
               if (stored.get(name) or None) != (getattr(article, name) or None)}
    new_captions = [(c.text, c.credit, c.image_url) for c in article.captions]
    old_captions = [(c["text"], c["credit"], c["image_url"]) for c in stored.get("captions") or []]
    if new_captions != old_captions:
        changed.add("captions")
    return reparse_outcome(changed, modified_from_header(article, header_value(headers, "Last-Modified")),
                           served_stamp(article.modified, stored.get("fetched_at")))


def _site_configs(folder: str | None) -> list[Any]:
    from newsarchive.sites import SiteConfigError, load_sites

    try:
        return list(load_sites(folder or os.environ.get("NEWSARCHIVE_SITES_DIR") or None).values())
    except SiteConfigError as exc:
        # As in the crawl, whichever named the folder: going on without the
        # site files rewrote every article without its site's timezone,
        # selectors and rules.
        _fail(str(exc), 2)
        raise


def _config_for(configs: list[Any], site: str | None, url: str) -> Any:
    for config in configs:
        if config.name == site or config.owns(url):
            return config.extraction
    return None


def _validator() -> Callable[[Any], str | None] | None:
    try:
        from newsarchive.pipelines.validation import validate_article
    except ImportError:
        return None
    return functools.partial(validate_article, min_words=int(
        os.environ.get("NEWSARCHIVE_MIN_WORDS", "50")))


# --- db --------------------------------------------------------------------------


@click.group()
def db() -> None:
    """Manage the archive database itself (schema upgrades).

    \b
    Example:
      newsarchive db upgrade --db sqlite:///archive.db
    """


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True,
              help="Target revision (head = the latest this version knows).")
@db_option
def db_upgrade(revision: str, db: str | None) -> None:
    """Upgrade the archive's schema in place (every row kept).

    Opening an archive upgrades it anyway; this command does it explicitly
    and says what it did, e.g. before a cron job or after installing a new
    newsarchive.

    \b
    Example:
      newsarchive db upgrade --db /data/news.db
    """
    from newsarchive.database.migrate import all_revisions

    known = all_revisions()
    if revision != "head" and revision not in known:
        _fail(f"unknown revision {revision!r} (this newsarchive knows {', '.join(known)}, "
              "or head)", 2)
    with open_archive(db, upgrade=False, create=True) as archive:
        before, after = archive.upgrade(revision)
        if before == after and revision not in ("head", after) and after in known:
            # Asked to stop at an older revision: nothing is undone, say so.
            click.echo(f"{_safe_url(archive.url)}: already at revision {after}, past {revision} "
                       "(newsarchive does not downgrade; nothing changed)")
        elif before == after:
            click.echo(f"{_safe_url(archive.url)}: already at revision {after}")
        else:
            click.echo(f"{_safe_url(archive.url)}: upgraded from {before or 'empty'} to {after}")


@db.command("current")
@db_option
def db_current(db: str | None) -> None:
    """Print the archive's schema revision and the latest one known.

    \b
    Example:
      newsarchive db current
    """
    from newsarchive.database.migrate import all_revisions, head_revision

    with open_archive(db, upgrade=False, read_only=True) as archive:
        current = archive.revision()
        latest = head_revision()
        if current and current not in all_revisions():
            state = "newer than this newsarchive knows: upgrade newsarchive to use it"
        elif current and current != latest:
            state = "opening it upgrades it, or: newsarchive db upgrade"
        else:
            state = "up to date" if current else "no schema yet"
        click.echo(f"{_safe_url(archive.url)}: revision {current or 'empty'} (latest {latest}; {state})")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


COMMANDS = [search, show, diff, export, stats, reparse, db]
