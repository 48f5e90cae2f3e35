"""Full-text search: one query language (FTS5's), two engines.

Users write SQLite FTS5 syntax: words (all must match), ``"exact phrases"``,
``OR``, ``AND``, ``NOT``, ``prefix*``, parentheses, and column filters
(``headline: putin``, ``{headline body}: putin``, ``-body: putin``), plus
the web searches' ``-word`` to leave a word out (``port -harbour`` is
``port NOT harbour``). The query is parsed here first, so that

- a malformed query becomes a ``QueryError`` with one clear line, on both
  back ends, before any SQL runs;
- everyday text that is not FTS5 syntax still works: ``covid-19`` or
  ``Russia's`` are quoted as phrases instead of failing;
- PostgreSQL gets the same meaning as a ``tsquery`` built from bound
  parameters (``phraseto_tsquery``/``to_tsquery`` combined with ``&&``,
  ``||``, ``!!``), parsed with the archive's text search configuration
  (``text_search_config``: accents folded as FTS5's tokenizer folds them,
  since revision 0007).

All filters are bound parameters too; no user text is ever put into SQL.
"""
from __future__ import annotations

import calendar
import json
import re
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from newsarchive.database.normalisation import author_key
from newsarchive.database.schema import MAX_INTEGER

COLUMNS = ("headline", "standfirst", "body")
_PG_WEIGHT = {"headline": "A", "standfirst": "B", "body": "D"}
DEFAULT_LIMIT = 20
# Matches ranked per query: the newest this many (see ``search``).
RANK_WINDOW = 5000


class QueryError(ValueError):
    """A search query that cannot be parsed; the message is one line for the user."""


# --- parsing ---------------------------------------------------------------------


@dataclass
class Term:
    text: str
    phrase: bool = False  # written in quotes
    prefix: bool = False
    # The columns searched, in COLUMNS order; None for all of them.
    columns: tuple[str, ...] | None = None


@dataclass
class Node:
    op: str  # "AND" | "OR" | "NOT"
    children: list[Any] = field(default_factory=list)


_TOKEN = re.compile(
    r'\s*(?:(?P<quote>"(?:[^"]|"")*")|(?P<open>\()|(?P<close>\))|(?P<star>\*)'
    r'|(?P<colon>:)|(?P<colset>-?\{[^{}"]*\})|(?P<word>[^\s"():*{}]+)|(?P<bad>["{}]))'
)


def _tokens(query: str) -> list[tuple[str, str, bool]]:
    """(kind, value, preceded-by-space) tokens."""
    out: list[tuple[str, str, bool]] = []
    pos = 0
    while pos < len(query):
        if query[pos:].strip() == "":
            break
        match = _TOKEN.match(query, pos)
        if match is None or match.lastgroup == "bad":
            what = "quote" if match is None or match.group("bad") == '"' else "brace (a column set is {headline body}:word)"
            raise QueryError(f"unbalanced {what} at position {pos + 1}")
        spaced = match.start(match.lastgroup) > pos or pos == 0
        out.append((match.lastgroup, match.group(match.lastgroup), spaced))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, query: str):
        self.tokens = _tokens(query)
        self.pos = 0

    def peek(self, offset: int = 0) -> tuple[str, str, bool] | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> tuple[str, str, bool]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Any:
        if not self.tokens:
            raise QueryError("empty search query")
        node = self.or_expr()
        if self.peek() is not None:
            kind, value, _ = self.peek()  # type: ignore[misc]
            raise QueryError(f"unexpected {value!r} in query")
        return node

    def _is_op(self, name: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1] == name

    def or_expr(self) -> Any:
        children = [self.and_expr()]
        while self._is_op("OR"):
            self.take()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Node("OR", children)

    def and_expr(self) -> Any:
        children = [self.not_expr()]
        while True:
            if self._is_op("AND"):
                self.take()
                children.append(self.not_expr())
            elif self.peek() is not None and self.peek()[0] != "close" and not self._is_op("OR"):  # type: ignore[index]
                children.append(self.not_expr())
            else:
                break
        return _keep_then_leave_out(children)

    def not_expr(self) -> Any:
        node = self.primary()
        while self._is_op("NOT"):
            self.take()
            node = Node("NOT", [node, self.primary()])
            if any(_left_out(child) for child in node.children):
                raise QueryError("write either NOT or a leading -, not both: 'port NOT harbour' or 'port -harbour'")
        return node

    def primary(self) -> Any:
        token = self.peek()
        if token is None:
            raise QueryError("query ends where a word was expected")
        kind, value, _ = token
        columns = None
        nxt = self.peek(1)
        if kind == "colset" and (nxt is None or nxt[0] != "colon"):
            raise QueryError(f"{value} needs a colon and a word after it: {value}:word")
        if kind in ("word", "colset") and nxt is not None and nxt[0] == "colon":
            columns = column_filter(value)
            if columns is None:
                # "Note:" or "http:" is text, not a column filter.
                self.take()
                self.take()
                return Term(value)
            self.take()
            self.take()
            token = self.peek()
            if token is None:
                raise QueryError(f"nothing after {value}:")
            kind, value, _ = token
            if columns == COLUMNS:
                columns = None
        elif kind == "word" and _LEAVE_OUT.match(value) or (
                value == "-" and nxt is not None and not nxt[2] and nxt[0] in ("quote", "open")):
            # Web searches' "-word": left out of what the words around it find.
            self.tokens[self.pos] = (kind, value[1:], False)
            if value == "-":
                self.take()
            return Node("LEAVE_OUT", [self.primary()])
        if kind == "open":
            self.take()
            if self.peek() is not None and self.peek()[0] == "close":  # type: ignore[index]
                raise QueryError("empty parentheses in query")
            node = self.or_expr()
            if self.peek() is None or self.peek()[0] != "close":  # type: ignore[index]
                raise QueryError("missing closing parenthesis")
            self.take()
            if columns:
                _set_columns(node, columns)
            return node
        if kind in ("close", "star", "colon"):
            raise QueryError(f"unexpected {value!r} in query")
        if kind == "word" and value in ("AND", "OR", "NOT"):
            raise QueryError(f"{value} needs a word on each side")
        self.take()
        if kind == "quote":
            term = Term(value[1:-1].replace('""', '"'), phrase=True, columns=columns)
        else:
            term = Term(value, columns=columns)
        star = self.peek()
        if star is not None and star[0] == "star" and not star[2]:
            self.take()
            term.prefix = True
        if not re.search(r"[\w]", term.text):
            if term.phrase:
                raise QueryError("a quoted phrase has no words")
            # Punctuation on its own ("-", "&") carries nothing to search for.
            return Node("AND", [])
        return term


# A word the query leaves out, as web searches write it: "-harbour" (not "-19").
_LEAVE_OUT = re.compile(r"-[^\W\d_]")


def column_filter(value: str) -> tuple[str, ...] | None:
    """The columns ``value`` (before a colon) selects: ``headline``,
    ``{headline body}``, or every column but those with a leading ``-``, as
    FTS5 reads them; None when ``value`` names no column ("Note", "http")."""
    leave_out = value.startswith("-")
    names = value[1:] if leave_out else value
    if names.startswith("{"):
        named = names[1:-1].lower().split()
        if not named:
            raise QueryError(f"{value} names no column: the columns are {', '.join(COLUMNS)}")
        unknown = [name for name in named if name not in COLUMNS]
        if unknown:
            raise QueryError(f"{unknown[0]!r} in {value} is not a column: the columns are {', '.join(COLUMNS)}")
    elif names.lower() in COLUMNS:
        named = [names.lower()]
    else:
        return None
    chosen = tuple(column for column in COLUMNS if (column in named) != leave_out)
    if not chosen:
        raise QueryError(f"{value} leaves out every column")
    return chosen


def _set_columns(node: Any, columns: tuple[str, ...]) -> None:
    if isinstance(node, Term):
        node.columns = node.columns or columns
    else:
        for child in node.children:
            _set_columns(child, columns)


def _left_out(node: Any) -> bool:
    return isinstance(node, Node) and node.op == "LEAVE_OUT"


def _keep_then_leave_out(children: list[Any]) -> Any:
    """The AND of ``children`` with their "-word"s as NOTs: ``a -b c`` is ``(a c) NOT b``."""
    keep = [child for child in children if not _left_out(child)]
    if not keep:
        word = children[0].children[0]
        shown = getattr(word, "text", "…")
        raise QueryError(f"-{shown} leaves a word out, but no word is left to search for: "
                         f"write what to find first, as in 'port -{shown}' or 'port NOT {shown}'")
    node = keep[0] if len(keep) == 1 else Node("AND", keep)
    for child in children:
        if _left_out(child):
            node = Node("NOT", [node, child.children[0]])
    return node


def _prune(node: Any) -> Any:
    """Drop the empty groups that stand-alone punctuation leaves."""
    if isinstance(node, Term):
        return node
    children = [c for c in (_prune(c) for c in node.children) if c is not None]
    if node.op == "NOT":
        if not children or children[0] is None:
            return None
        return node if len(children) == 2 else children[0]
    if not children:
        return None
    return children[0] if len(children) == 1 else Node(node.op, children)


def parse_query(query: str) -> Any:
    """The query's syntax tree; raises ``QueryError`` when malformed."""
    tree = _prune(_Parser(query).parse())
    if tree is None:
        raise QueryError("the query has no words to search for")
    return tree


# --- compiling -------------------------------------------------------------------


def to_fts5(node: Any) -> str:
    """FTS5 MATCH text; every term quoted, so user text never breaks the syntax."""
    if isinstance(node, Term):
        out = '"' + node.text.replace('"', '""') + '"'
        if node.prefix:
            out += "*"
        if node.columns:
            out = f"{{{' '.join(node.columns)}}} : {out}"
        return out
    if node.op == "NOT":
        return f"({to_fts5(node.children[0])} NOT {to_fts5(node.children[1])})"
    joined = f" {node.op} ".join(to_fts5(child) for child in node.children)
    return f"({joined})"


def text_search_config(conn: Connection) -> str:
    """The text search configuration the archive's ``search_vector`` is built with.

    ``newsarchive_fold`` (accents folded, revision 0007) or ``simple`` (an
    archive before it, or one whose server had no ``unaccent``): a query must
    be parsed with the configuration the stored text was, or "Zürich" would
    look for a word the folded column does not hold. Read from the column's
    own expression, once per database connection.
    """
    config = conn.info.get(_TS_CONFIG_KEY)
    if config is None:
        expression = conn.execute(text(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
            "JOIN pg_attribute c ON c.attrelid = d.adrelid AND c.attnum = d.adnum "
            "WHERE d.adrelid = 'articles'::regclass AND c.attname = 'search_vector'")).scalar()
        found = re.search(r"to_tsvector\('((?:[^']|'')+)'::regconfig", expression or "")
        config = found.group(1).replace("''", "'") if found else "simple"
        conn.info[_TS_CONFIG_KEY] = config
    return config


_TS_CONFIG_KEY = "newsarchive_ts_config"


def to_tsquery_sql(node: Any, params: dict[str, Any], config: str) -> str:
    """A PostgreSQL tsquery expression, with each term a bound parameter.

    ``config``: the archive's ``text_search_config``.
    """
    params["ts_config"] = config
    if isinstance(node, Term):
        name = f"q{len(params)}"
        words = re.findall(r"\w+", node.text)
        if node.prefix or node.columns:
            weight = "".join(_PG_WEIGHT[column] for column in node.columns or ())
            pieces = []
            for i, word in enumerate(words):
                suffix = ""
                if node.prefix and i == len(words) - 1:
                    suffix = "*"
                if suffix or weight:
                    suffix = ":" + suffix + weight
                pieces.append("'" + word.lower().replace("'", "''") + "'" + suffix)
            params[name] = " <-> ".join(pieces)
            return f"to_tsquery(CAST(:ts_config AS regconfig), :{name})"
        params[name] = node.text
        return f"phraseto_tsquery(CAST(:ts_config AS regconfig), :{name})"
    if node.op == "NOT":
        return (f"({to_tsquery_sql(node.children[0], params, config)} && "
                f"!!({to_tsquery_sql(node.children[1], params, config)}))")
    op = " && " if node.op == "AND" else " || "
    return "(" + op.join(to_tsquery_sql(child, params, config) for child in node.children) + ")"


# --- filters ---------------------------------------------------------------------


def filter_sql(
    params: dict[str, Any],
    *,
    alias: str = "a",
    site: str | None = None,
    author: str | None = None,
    section: str | None = None,
    since: str | None = None,
    until: str | None = None,
    gone: bool = False,
) -> list[str]:
    """WHERE conditions (bound parameters) shared by search, export and stats.

    ``gone``: only articles the site has taken down (HTTP 404/410 on re-fetch).
    """
    where: list[str] = []
    if gone:
        where.append(f"{alias}.gone_at IS NOT NULL")
    if site:
        params["f_site"] = site.lower().removeprefix("www.")
        where.append(f"{alias}.site = :f_site")
    if section:
        params["f_section"] = section.lower()
        where.append(f"lower({alias}.section) = :f_section")
    if author:
        key = author_key(author)
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["f_author"] = f"%{escaped}%"
        where.append(
            "EXISTS (SELECT 1 FROM article_authors fa JOIN authors fu ON fu.id = fa.author_id "
            f"WHERE fa.article_id = {alias}.id AND fu.name_key LIKE :f_author ESCAPE '\\')"
        )
    if since:
        params["f_since"] = normalise_bound(since, end=False)
        where.append(f"{alias}.published_utc >= :f_since")
    if until:
        params["f_until"] = normalise_bound(until, end=True)
        where.append(f"{alias}.published_utc <= :f_until")
    if since and until and params["f_since"] > params["f_until"]:
        # Swapped bounds (a typo, or the order misremembered) matched nothing,
        # reported as "No matches." as if the archive had nothing in between.
        raise QueryError(f"--since {since} is after --until {until}: no date can match both")
    return where


def filter_id_sql(params: dict[str, Any], id_column: str, *, author_index: bool = False,
                  **filters: Any) -> list[str]:
    """The filters as ``id IN (subquery)`` conditions, for search.

    Each subquery is run once and its ids kept as a set, so checking a match
    costs a set lookup instead of reading its article row: the difference
    between 200 ms and a few ms for a common word on a 100,000-article archive.
    ``author_index``: the SQLite archive has ``authors_trigram`` (see
    ``has_author_index``), so ``--author`` can be looked up instead of scanned.
    """
    column_filters = {k: filters.get(k) for k in ("site", "section", "since", "until", "gone")}
    where: list[str] = []
    inner = filter_sql(params, alias="fa_", **column_filters)
    if inner:
        where.append(f"{id_column} IN (SELECT fa_.id FROM articles fa_ WHERE {' AND '.join(inner)})")
    if filters.get("author"):
        key = author_key(filters["author"])
        if author_index and _trigram_searchable(key):
            # The same substring match and the same rows, answered from the
            # trigram index (migration 0004) instead of a scan of every author.
            params["f_author"] = f"%{key}%"
            matching = "SELECT rowid FROM authors_trigram WHERE name_key LIKE :f_author"
        else:
            escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params["f_author"] = f"%{escaped}%"
            matching = "SELECT fu.id FROM authors fu WHERE fu.name_key LIKE :f_author ESCAPE '\\'"
        where.append(
            f"{id_column} IN (SELECT fw.article_id FROM article_authors fw WHERE fw.author_id IN "
            f"({matching}))"
        )
    return where


def _trigram_searchable(key: str) -> bool:
    """Whether the trigram index can answer ``LIKE '%key%'``.

    It needs three characters to look up (a shorter key makes FTS5 read
    the whole index, slower than scanning ``authors``), and takes the
    pattern without ESCAPE, so a key holding a LIKE wildcard goes to the scan.
    """
    return len(key) >= 3 and not any(char in key for char in "%_\\")


def has_author_index(conn: Connection) -> bool:
    """Whether this SQLite archive has the trigram index of author names (migration 0004)."""
    return conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'authors_trigram'"
    ).first() is not None


def normalise_bound(value: str, *, end: bool) -> str:
    """A --since/--until value as a comparable UTC string.

    A bare date covers the whole day: ``--until 2016-03-15`` includes that day.
    A duration counts back from now, as the crawl's ``-a since=`` does
    (``--since 2d``: published in the last 48 hours).
    """
    from newsarchive.database.normalisation import to_utc
    from newsarchive.timespan import duration_ago

    value = value.strip()
    try:
        ago = duration_ago(value)
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    if ago is not None:
        return ago.replace(microsecond=0).isoformat()
    if re.fullmatch(r"\d{4}", value):
        value += "-12-31" if end else "-01-01"
    elif re.fullmatch(r"\d{4}-\d{2}", value) and 1 <= int(value[5:]) <= 12:
        last_day = calendar.monthrange(int(value[:4]), int(value[5:]))[1]
        value += f"-{last_day}" if end else "-01"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        # Checked as a calendar date: "2024-13-45" compared as text would
        # quietly match nothing (or everything) instead of being refused.
        try:
            date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"not a date: {value!r} (use YYYY-MM-DD, ISO 8601 or a duration: 12h, 2d, 1w)") from None
        return value + ("T99" if end else "")
    converted = to_utc(value)
    if converted is None:
        raise QueryError(f"not a date: {value!r} (use YYYY-MM-DD, ISO 8601 or a duration: 12h, 2d, 1w)")
    return converted


# --- running ---------------------------------------------------------------------


def search(
    conn: Connection,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    window: int | None = None,
    **filters: Any,
) -> list[dict[str, Any]]:
    """Articles matching ``query`` and the filters, best first, with a snippet each.

    Ranking scores every candidate, which for a word found in most of a big
    archive costs far more than the search itself. So candidates are the
    ``window`` (default ``RANK_WINDOW``) most recently stored matches: a query
    matching fewer is ranked over all its matches; a broader one is ranked
    over its newest 5,000 (narrow it, or use --since/--until, to reach older
    ones). Measured on 100,000 articles: a word in 70 % of them drops from
    ~190 ms to ~14 ms.
    """
    if window is None:
        window = RANK_WINDOW
    tree = parse_query(query)
    params: dict[str, Any] = {"limit": int(limit), **_blocks(int(window), int(limit), int(offset))}
    try:
        if conn.dialect.name == "postgresql":
            sql = _postgres_sql(tree, params, filter_id_sql(params, "a.id", **filters),
                                text_search_config(conn))
            rows = _with_snippets(conn, tree, conn.execute(text(sql), params).mappings().all())
        else:
            rows = _sqlite_search(conn, tree, params, filters)
    except (OperationalError, DBAPIError) as exc:
        message = str(getattr(exc, "orig", exc)).splitlines()[0]
        if "fts5" in message or "syntax" in message or "tsquery" in message:
            raise QueryError(f"malformed query: {message}") from None
        raise
    return [{**row, "authors": _author_list(row["authors"])} for row in rows]


# Authors come back as a JSON list in byline order, as export, show and the
# feed give them ("A; B" in one string could not be split back safely).
_RESULT_COLUMNS = (
    "a.id, a.url, a.canonical_url, a.site, a.headline, a.published, a.section, "
    "a.word_count, a.version, a.gone_at, a.gone_status, {authors} AS authors"
)
_AUTHORS = {
    "sqlite": "(SELECT json_group_array(name) FROM (SELECT su.name FROM article_authors sa "
              "JOIN authors su ON su.id = sa.author_id WHERE sa.article_id = a.id "
              "ORDER BY sa.position))",
    "postgresql": "(SELECT coalesce(json_agg(su.name ORDER BY sa.position), '[]'::json) "
                  "FROM article_authors sa JOIN authors su ON su.id = sa.author_id "
                  "WHERE sa.article_id = a.id)",
}


def _blocks(window: int, limit: int, offset: int) -> dict[str, int]:
    """The blocks of ``window`` matches (newest first) a page falls in.

    Matches are ranked a block at a time: the newest ``window``, then the next
    ``window``, and so on, so every page of one query comes from one order.
    The window used to grow with ``--offset``, so each page ranked a different
    set: paging 100 at a time to 7,000 through a word in most of a
    100,000-article archive showed 1,961 results twice and never showed as many.
    ``start``/``span``: the matches (newest first) the page's blocks cover;
    ``skip``: where the page begins in them.
    """
    window = max(1, window)
    start = offset // window * window
    end = (offset + max(limit, 1) - 1) // window * window + window
    # Capped: an offset near the largest integer pushed the sum past what SQLite binds.
    return {"window": window, "start": min(start, MAX_INTEGER),
            "span": min(end - start, MAX_INTEGER), "skip": min(offset - start, MAX_INTEGER)}


def _author_list(value: Any) -> list[str]:
    """The ``authors`` column as a list (SQLite gives the JSON text, psycopg the list)."""
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _has_prefix(node: Any) -> bool:
    if isinstance(node, Term):
        return node.prefix
    return any(_has_prefix(child) for child in node.children)


def _sqlite_search(conn: Connection, tree: Any, params: dict[str, Any],
                   filters: dict[str, Any]) -> list[Any]:
    """Two statements, each with one FTS5 scan: rank, then snippets for the page shown.

    Why this shape (benchmarks/storage_bench.py, 100,000 articles, p95
    before -> after in one pair of runs):

    - Ranking happens in the walk over the newest matches (``ORDER BY rowid
      DESC LIMIT window``, which FTS5 serves from its index without sorting),
      so bm25 is computed only for rows that pass the filters and fall in
      the window. FTS5's own ``ORDER BY rank`` scores every match before
      SQLite applies the filters: for a common word with ``--site --since``
      that is most of the archive, to keep a few thousand (70 -> 19 ms).
    - Each MATCH cursor FTS5 opens re-reads the query's doclists, and for a
      ``prefix*`` term that means merging the doclists of every word with the
      prefix. Snippets for the 20 rows shown are therefore made in one cursor
      over the rowid range of those rows, not one cursor per row, which
      merged them 20 times (4-letter prefixes: 86 -> 18 ms).
    """
    params["match"] = to_fts5(tree)
    # The unary + stops SQLite from handing an IN list to FTS5 as one MATCH
    # per id (thousands of index lookups instead of one set test).
    author_index = bool(filters.get("author")) and has_author_index(conn)
    where = " AND ".join(["articles_fts MATCH :match",
                          *filter_id_sql(params, "+articles_fts.rowid", author_index=author_index,
                                         **filters)])
    ranked = conn.execute(text(
        "SELECT rid, score FROM (SELECT rid, score, "
        "(row_number() OVER (ORDER BY rid DESC) - 1) / :window AS block FROM ("
        "SELECT articles_fts.rowid AS rid, articles_fts.rank AS score "
        f"FROM articles_fts WHERE {where} "
        "ORDER BY articles_fts.rowid DESC LIMIT :span OFFSET :start)) "
        "ORDER BY block, score, rid DESC LIMIT :limit OFFSET :skip"
    ), params).all()
    if not ranked:
        return []
    score_of = {rid: score for rid, score in ranked}
    page: dict[str, Any] = {"match": params["match"]}
    for i, rid in enumerate(score_of):
        page[f"r{i}"] = rid
    ids = ", ".join(f":r{i}" for i in range(len(score_of)))
    columns = _RESULT_COLUMNS.format(authors=_AUTHORS["sqlite"])
    # snippet() on a huge body takes seconds (SNIPPET_TEXT_CAP): those rows get
    # theirs from the body's first characters, below.
    page["cap"] = SNIPPET_TEXT_CAP
    snippet = (f"CASE WHEN length(a.body) > :cap THEN NULL "
               f"ELSE {_SNIPPET.format(table='articles_fts')} END AS snippet")
    if _has_prefix(tree):
        # One cursor walking the rowid range of the page (see above).
        page["lo"], page["hi"] = min(score_of), max(score_of)
        sql = (f"SELECT {columns}, {snippet} FROM articles_fts "
               "JOIN articles a ON a.id = articles_fts.rowid "
               "WHERE articles_fts MATCH :match AND articles_fts.rowid BETWEEN :lo AND :hi "
               f"AND +articles_fts.rowid IN ({ids})")
    else:
        # Plain words seek straight to each row: one cheap cursor per row
        # (CROSS JOIN keeps SQLite from walking every match instead).
        sql = (f"SELECT {columns}, {snippet} FROM articles a "
               "CROSS JOIN articles_fts ON articles_fts.rowid = a.id "
               f"WHERE a.id IN ({ids}) AND articles_fts MATCH :match")
    rows = []
    for row in conn.execute(text(sql), page).mappings():
        item = dict(row)
        item["score"] = score_of[item["id"]]
        rows.append(item)
    # In the ranked order, which on a page spanning two blocks is not by score alone.
    position = {rid: i for i, rid in enumerate(score_of)}
    rows.sort(key=lambda r: position[r["id"]])
    long = [row["id"] for row in rows if row["snippet"] is None]
    if long:
        texts = conn.execute(text(
            "SELECT id, headline, standfirst, substr(body, 1, :cap) AS body FROM articles "
            "WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
            {"cap": SNIPPET_TEXT_CAP, "ids": long}).mappings().all()
        found = _fts5_snippets(tree, texts)
        for row in rows:
            if row["snippet"] is None and row["id"] in found:
                row["snippet"] = found[row["id"]]
        for row in texts:
            # Matched beyond the characters snippets are made from: its opening
            # words, as PostgreSQL's ts_headline gives them (see _postgres_headlines).
            if row["id"] not in found:
                opening = " — ".join(t for t in (row["headline"], row["standfirst"], row["body"][:400]) if t)
                next(r for r in rows if r["id"] == row["id"])["snippet"] = " ".join(opening.split()[:16]) + "…"
    return rows


_PG_HEADLINE_OPTIONS = ("'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1, "
                        "FragmentDelimiter=…'")


def _postgres_sql(tree: Any, params: dict[str, Any], where: list[str], config: str) -> str:
    # The tsquery is written out where it is used, not taken from a CTE: only a
    # constant expression lets the planner use the GIN index.
    tsquery = to_tsquery_sql(tree, params, config)
    conditions = " AND ".join([f"a.search_vector @@ {tsquery}", *where])
    columns = _RESULT_COLUMNS.format(authors=_AUTHORS["postgresql"])
    return (
        "WITH recent AS MATERIALIZED (SELECT a.id, a.search_vector "
        f"FROM articles a WHERE {conditions} ORDER BY a.id DESC LIMIT :span OFFSET :start), "
        f"hits AS (SELECT r.id, ts_rank(r.search_vector, {tsquery}) AS score, "
        "(row_number() OVER (ORDER BY r.id DESC) - 1) / :window AS block "
        "FROM recent r ORDER BY block, score DESC, r.id DESC LIMIT :limit OFFSET :skip) "
        f"SELECT {columns}, a.standfirst, a.body, -hits.score AS score "
        "FROM hits JOIN articles a ON a.id = hits.id ORDER BY hits.block, hits.score DESC, a.id DESC"
    )


def _postgres_headlines(conn: Connection, tree: Any, ids: list[int]) -> dict[int, str]:
    """``ts_headline`` snippets, for the rows FTS5 does not match (see ``_with_snippets``)."""
    params: dict[str, Any] = {"ids": ids}
    # The archive's configuration, as search_vector: with 'simple' here a
    # body holding "Zürich" would not match the folded query zurich.
    tsquery = to_tsquery_sql(tree, params, text_search_config(conn))
    config = "CAST(:ts_config AS regconfig)"
    # From the body when the body matches, else from the headline and
    # standfirst: a match there gave the body's opening words, unmarked.
    # The body's first SNIPPET_TEXT_CAP characters, as for FTS5's snippets:
    # ts_headline parses all the text it is given.
    body = f"left(coalesce(a.body, ''), {SNIPPET_TEXT_CAP})"
    sql = (f"SELECT a.id, CASE WHEN to_tsvector({config}, {body}) @@ {tsquery} "
           f"THEN ts_headline({config}, {body}, {tsquery}, {_PG_HEADLINE_OPTIONS}) "
           f"ELSE ts_headline({config}, concat_ws(' — ', a.headline, a.standfirst, {body}), "
           f"{tsquery}, {_PG_HEADLINE_OPTIONS}) END FROM articles a WHERE a.id IN :ids")
    statement = text(sql).bindparams(bindparam("ids", expanding=True))
    return {row[0]: row[1] for row in conn.execute(statement, params)}


# The tokenizer of the archive's articles_fts (migration 0001).
_FTS5_TOKENIZER = "unicode61 remove_diacritics 2"
_SNIPPET = "snippet({table}, -1, '[', ']', '…', 16)"

SNIPPET_TEXT_CAP = 100_000
"""Characters of a body that its snippet is made from (the whole body is
searched). FTS5's snippet() scores a fragment at every hit against every
other hit, so its cost grows with the square of the hits: a 12 MB page (a
data dump on a news site) made every search matching it take 35 s; a body
of 1.3 M characters 5.8 s, of 320,000 0.36 s, of 65,000 0.03 s."""


def _fts5_snippets(tree: Any, rows: Sequence[Any]) -> dict[int, str]:
    """FTS5 ``snippet()`` for each row matching ``tree``, made in an in-memory
    table from its headline, standfirst and the body's first ``SNIPPET_TEXT_CAP``
    characters; a row matching only beyond them is missing from the result."""
    if not rows:
        return {}
    with closing(sqlite3.connect(":memory:")) as memory:
        memory.execute("CREATE VIRTUAL TABLE page USING fts5(headline, standfirst, body, "
                       f"tokenize='{_FTS5_TOKENIZER}')")
        memory.executemany("INSERT INTO page (rowid, headline, standfirst, body) VALUES (?, ?, ?, ?)",
                           [(r["id"], r["headline"], r["standfirst"], (r["body"] or "")[:SNIPPET_TEXT_CAP])
                            for r in rows])
        return dict(memory.execute(f"SELECT rowid, {_SNIPPET.format(table='page')} FROM page "
                                   "WHERE page MATCH ?", (to_fts5(tree),)))


def _with_snippets(conn: Connection, tree: Any, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """PostgreSQL's results with the snippets SQLite would show.

    ``ts_headline`` marks every word of the query wherever it stands (each
    "s" of the text for ``authority's``, each word of a phrase on its own),
    never marks a cut with "…", and picks its column and fragment its own
    way: the same search showed other snippets than on SQLite. So the page
    shown (``--limit`` rows, 20 by default) goes into an in-memory FTS5 table with the archive's
    tokenizer and gets FTS5's ``snippet()``, the one SQLite uses. A row FTS5
    does not match (the two tokenizers differ at the edges) gets
    ``ts_headline``'s.
    """
    try:
        found = _fts5_snippets(tree, rows)
    except sqlite3.Error:
        # A Python whose SQLite lacks FTS5 ("no such module: fts5") can still search PostgreSQL:
        # every row then gets ts_headline's snippet.
        found = {}
    missing = [row["id"] for row in rows if row["id"] not in found]
    if missing:
        found.update(_postgres_headlines(conn, tree, missing))
    out = []
    for row in rows:
        item = {k: v for k, v in row.items() if k not in ("standfirst", "body", "score")}
        # The keys in SQLite's order, so --json output is the same on both.
        item["snippet"] = found.get(row["id"])
        item["score"] = row["score"]
        out.append(item)
    return out
