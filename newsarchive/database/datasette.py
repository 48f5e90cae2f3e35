"""Datasette metadata for an archive: descriptions, facets, search on the
overview view, author labels and a few canned queries.

Datasette already works on a bare archive (tables, foreign keys, and the
search box on ``articles`` through ``articles_fts``). This adds the rest:

    python -m newsarchive.database.datasette newsarchive.db > datasette.json
    datasette newsarchive.db -m datasette.json

Datasette names a database after its file, so the metadata is made for one
file name. Datasette itself is not a dependency of newsarchive.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from newsarchive.database.search import SNIPPET_TEXT_CAP

ARTICLE_COLUMNS = {
    "canonical_url": "The article's canonical URL: the archive's unique key",
    "url": "The URL it was last fetched from",
    "site": "Short site name",
    "standfirst": "Subtitle or description",
    "byline": "The byline as printed",
    "published": "Publication time as the site gives it (ISO 8601 with offset)",
    "published_utc": "The same instant in UTC, for sorting and filtering",
    "modified": "Last modification time the site gives",
    "body": "Plain text, paragraphs separated by a blank line",
    "version": "Number of the current version (see the versions table)",
    "first_seen": "When the archive first fetched the article",
    "last_seen": "When a fetch last found it on the site (a stored page or a 304); a run that skips it as unchanged does not move it",
    "gone_at": "When a re-fetch first found the article taken down (HTTP 404 or 410); empty while it is online",
    "gone_status": "The HTTP status of that re-fetch: 404 or 410",
    "content_hash": "Fingerprint of the normalised headline, standfirst, body, authors and dates (without a modification date only the HTTP Last-Modified header gave)",
}

QUERIES = {
    "search": {
        "title": "Search (FTS5 syntax) with snippets",
        "description": (
            'FTS5 syntax: words (all must match), "exact phrase", OR, NOT, prefix*, headline:word. '
            'Put a word with a hyphen or an apostrophe in double quotes ("covid-19"): '
            "unquoted, FTS5 reads the hyphen as a column filter."
        ),
        "sql": (
            "select a.id, a.published, a.site, a.headline, "
            # snippet() on a huge body takes seconds (search.SNIPPET_TEXT_CAP).
            f"case when length(a.body) > {SNIPPET_TEXT_CAP} then substr(a.body, 1, 160) || '…' "
            "else snippet(articles_fts, -1, '[', ']', '…', 16) end as snippet, a.url, a.canonical_url "
            "from articles_fts join articles a on a.id = articles_fts.rowid "
            "where articles_fts match :q order by articles_fts.rank limit 50"
        ),
    },
    "by_author": {
        "title": "Articles by an author",
        "description": "Part of a name; case and accents are ignored (garcia, GARCÍA and García all find José García).",
        # Set below: the name folded as search --author folds it (_by_author_sql).
        "sql": "",
    },
    "history": {
        "title": "Versions of an article",
        "sql": (
            "select version, first_seen, last_seen, headline, authors, published, modified, "
            "length(body) as body_chars from versions where article_id = :id order by version"
        ),
    },
    "changed_articles": {
        "title": "Articles with more than one version, most changed first",
        "sql": (
            "select id, site, headline, version, first_seen, last_seen from articles "
            "where version > 1 order by version desc, last_seen desc limit 200"
        ),
    },
    "taken_down": {
        "title": "Articles the sites took down, most recent first",
        "description": "Archived articles whose re-fetch answered HTTP 404 or 410 (gone_at: first seen gone).",
        "sql": (
            "select id, site, headline, published, gone_at, gone_status, last_seen, canonical_url "
            "from articles where gone_at is not null order by gone_at desc limit 200"
        ),
    },
    "article_history": {
        "title": "An article's versions and takedowns, in order",
        "sql": (
            # On the same second a return comes before the version it brought
            # back, a takedown after the version it ended (as `show` lists them).
            "select at, what, headline from ("
            "select first_seen as at, 'version ' || version as what, headline, 1 as tie from versions "
            "where article_id = :id union all "
            "select at, case when event = 'gone' then 'removed from the site (HTTP ' || status || ')' "
            "else 'restored' end, null, case when event = 'gone' then 2 else 0 end "
            "from article_events where article_id = :id) order by at, tie"
        ),
    },
    "dropped_by_rule": {
        "title": "What the cleaning dropped, by rule",
        "sql": (
            "select rule, count(*) as blocks, count(distinct article_id) as articles, "
            "min(text) as example from dropped_blocks group by rule order by blocks desc"
        ),
    },
    "site_quality": {
        "title": "Per site: articles and the share with a date, authors and captions",
        "sql": (
            "select site, count(*) as articles, "
            "round(avg(published is not null), 3) as with_date, "
            "round(avg(author_count > 0), 3) as with_authors, "
            "round(avg(caption_count > 0), 3) as with_captions, max(last_seen) as last_seen "
            "from articles group by site order by articles desc"
        ),
    },
}


def _fold_table() -> tuple[str, str]:
    """Characters ``author_key`` changes, and what each becomes (two characters
    each, padded with spaces): SQLite's lower() folds A-Z only, and Datasette
    cannot call Python, so the canned query folds a name with these."""
    import unicodedata

    from newsarchive.database.normalisation import author_key

    ranges = [range(0xC0, 0x250), range(0x300, 0x370), range(0x370, 0x530), range(0x1E00, 0x2000)]
    sources, targets = [], []
    for char in map(chr, (code for span in ranges for code in span)):
        kind = unicodedata.category(char)[0]
        if kind not in "LM":
            continue
        folded = author_key(char) if kind == "L" else ""  # a combining accent typed alone
        if folded != char and len(folded) <= 2:
            sources.append(char)
            targets.append(folded.ljust(2))
    return "".join(sources), "".join(targets)


def _by_author_sql() -> str:
    """The ``by_author`` query: ``name`` folded character by character as
    ``author_key`` folds it (case, accents, dots, spacing), then found inside
    ``authors.name_key``, as ``search --author`` finds it.

    It compared ``name`` itself with LIKE, whose case folding is ASCII only:
    GÓMEZ found nobody, though gómez found Gómez.
    """
    sources, targets = (text.replace("'", "''") for text in _fold_table())
    char = "substr(typed.name, fold.i, 1)"
    at = f"instr('{sources}', {char})"
    return (
        "with recursive typed(name) as (select :name), "
        "fold(i, key) as (select 1, '' union all "
        f"select fold.i + 1, fold.key || case when {at} > 0 "
        f"then rtrim(substr('{targets}', 2 * {at} - 1, 2), ' ') else lower({char}) end "
        "from fold, typed where fold.i <= length(typed.name)), "
        # As author_key: dots are spaces, a typographic apostrophe a plain one,
        # white space one space, and the ends trimmed.
        "wanted(key) as (select trim(replace(replace(replace(replace(replace(key, '.', ' '), "
        "char(8217), char(39)), char(9), ' '), '  ', ' '), '  ', ' ')) "
        "from fold order by i desc limit 1) "
        "select a.id, a.published, a.site, a.headline, "
        "(select group_concat(au.name, '; ') from article_authors aa join authors au on au.id = aa.author_id "
        "where aa.article_id = a.id) as authors from articles a "
        "where a.id in (select aa.article_id from article_authors aa where aa.author_id in "
        "(select au.id from authors au, wanted where wanted.key <> '' and instr(au.name_key, wanted.key) > 0)) "
        "order by a.published_utc desc limit 200"
    )


QUERIES["by_author"]["sql"] = _by_author_sql()


def metadata_for(database: str) -> dict[str, Any]:
    """Datasette metadata for an archive file (``database`` = file name or stem)."""
    name = Path(database).stem
    tables: dict[str, Any] = {
        "articles": {
            # Datasette quotes each word typed in a table's search box, so
            # OR, "phrases" and prefix* are searched as words there.
            "description": ("The current version of each article. Search box: the words as typed, all of "
                            "them must match; add &_searchmode=raw to the address for FTS5 syntax "
                            "(OR, \"phrase\", prefix*), or use the search query."),
            "facets": ["site", "section", "language", "gone_status"],
            "sort_desc": "published_utc",
            "columns": ARTICLE_COLUMNS,
            # Rows pointing at an article (authors, captions, versions…)
            # name it by its headline, not as a bare id.
            "label_column": "headline",
        },
        "articles_overview": {
            "description": ("One row per article with its authors joined. Search box: the words as typed, "
                            "all of them must match (&_searchmode=raw for FTS5 syntax)."),
            "fts_table": "articles_fts",
            "fts_pk": "id",
            "facets": ["site", "section", "gone_status"],
            "sort_desc": "published_utc",
        },
        "article_events": {"description": "What happened to an article between versions: "
                                          "taken down (event gone, with the HTTP status) or restored",
                           "facets": ["event", "status"]},
        "authors": {"description": "One row per person (names folded for matching)",
                    "label_column": "name"},
        "article_authors": {"description": "Which authors wrote which article, in byline order"},
        "captions": {"description": "Image captions with their credits"},
        "versions": {"description": "Every version of every article, with when it was seen",
                     "facets": ["version"]},
        "dropped_blocks": {"description": "Text the cleaning removed, and the rule that removed it",
                           "facets": ["rule", "stage"]},
        "crawl_runs": {"description": "One row per crawl run", "facets": ["site", "status"]},
        "raw_pages": {"description": "Fetched HTML, compressed (see the compression column)"},
        "article_urls": {"description": "Every URL an article was fetched from, canonicalised"},
        "fetches": {"description": "One row per stored fetch, for per-run quality figures",
                    "facets": ["outcome"]},
        "alembic_version": {"hidden": True},
        # The index behind `search --author` (migration 0004), not for browsing.
        "authors_trigram": {"hidden": True},
    }
    return {
        "title": "newsarchive",
        "description": "A news archive made by newsarchive.",
        "databases": {name: {"tables": tables, "queries": QUERIES}},
    }


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    database = args[0] if args else "newsarchive.db"
    if "://" in database and not database.startswith("sqlite:"):
        # Datasette opens SQLite files only; metadata named after a server URL
        # would match no database and be ignored without a word.
        sys.exit(f"error: Datasette opens SQLite files only; {database.split('://')[0]} archives "
                 "cannot be browsed with it")
    if database.startswith("sqlite:"):
        database = database.split(":///", 1)[-1]
    json.dump(metadata_for(database), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
