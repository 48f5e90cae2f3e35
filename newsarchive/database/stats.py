"""Per-site statistics, and the early warning that a site's redesign broke extraction.

The counts come from one scan of ``articles`` (``author_count`` and
``caption_count`` are kept on the row for this). The warning compares, for
each site, the share of fetched articles with a date, authors and captions in
its latest crawl run against the runs before it, from the ``fetches`` log: a
sharp drop (say authors found on 95 % of pages, then on 10 %) is what a
changed page template looks like.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from newsarchive import exitcodes
from newsarchive.database.search import filter_sql

MEASURES = ("date", "authors", "captions")


@dataclass
class RunShare:
    key: str
    started: str
    articles: int
    shares: dict[str, float]


@dataclass
class SiteStats:
    site: str | None
    articles: int
    last_crawl: str | None
    last_status: str | None
    # None for a site with no article (crawl runs only): no share to give.
    with_date: float | None
    with_authors: float | None
    with_captions: float | None
    versions: int
    # Articles the site has taken down (a re-fetch answered 404 or 410).
    gone: int = 0
    runs: list[RunShare] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "site": self.site, "articles": self.articles, "last_crawl": self.last_crawl,
            "last_status": self.last_status, "with_date": _share(self.with_date),
            "with_authors": _share(self.with_authors),
            "with_captions": _share(self.with_captions), "versions": self.versions,
            "gone": self.gone, "flags": self.flags,
        }


def site_stats(
    conn: Connection,
    *,
    recent_runs: int = 5,
    min_articles: int = 5,
    drop: float = 0.3,
    **filters: Any,
) -> list[SiteStats]:
    """Stats per site, biggest first, with quality-drop flags."""
    params: dict[str, Any] = {}
    where = filter_sql(params, **filters)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(
        text(
            "SELECT a.site, count(*) AS n, max(a.last_seen) AS last_seen, "
            # published_utc (set whenever published parses) keeps this query
            # inside the covering index ix_articles_stats.
            "sum(CASE WHEN a.published_utc IS NOT NULL THEN 1 ELSE 0 END) AS dated, "
            "sum(CASE WHEN a.author_count > 0 THEN 1 ELSE 0 END) AS authored, "
            "sum(CASE WHEN a.caption_count > 0 THEN 1 ELSE 0 END) AS captioned, "
            "sum(a.version) AS versions, "
            "sum(CASE WHEN a.gone_at IS NOT NULL THEN 1 ELSE 0 END) AS gone "
            f"FROM articles a {clause} GROUP BY a.site ORDER BY n DESC, a.site"
        ),
        params,
    ).all()
    names = {row.site for row in rows}
    # A site crawled but never stored (a site file whose patterns match none of
    # its addresses, extraction broken from the first run) has no article row:
    # it is listed from its runs, as the site that most needs a look. Only
    # without article filters: a zero among an author's or a period's articles
    # says nothing of the site.
    idle: list[str] = []
    if not any(filters.get(name) for name in ("author", "section", "since", "until")):
        wanted = filters.get("site")
        wanted = wanted.lower().removeprefix("www.") if wanted else None
        idle = sorted(name for name in crawled_sites(conn) - names if wanted in (None, name))
        renamed = stored_under(conn, idle)
        idle = [name for name in idle if name not in renamed]
    runs = last_runs(conn, names | set(idle))
    out: list[SiteStats] = []
    for row in rows:
        n = row.n or 0
        last = runs.get(row.site)
        out.append(SiteStats(
            site=row.site,
            articles=n,
            last_crawl=max(filter(None, [last[0] if last else None, row.last_seen]), default=None),
            last_status=last[1] if last else None,
            with_date=(row.dated or 0) / n if n else None,
            with_authors=(row.authored or 0) / n if n else None,
            with_captions=(row.captioned or 0) / n if n else None,
            versions=int(row.versions or 0),
            gone=int(row.gone or 0),
        ))
    _add_run_history(conn, out)
    for site in out:
        site.flags = quality_flags(site.runs, min_articles=min_articles, drop=drop,
                                   recent_runs=recent_runs)
        ended = last_run_flag(site.last_status, site.last_crawl)
        if ended:
            site.flags.append(ended)
    for name in idle:
        last = runs.get(name)
        out.append(SiteStats(site=name, articles=0, last_crawl=last[0] if last else None,
                             last_status=last[1] if last else None, with_date=None, with_authors=None,
                             with_captions=None, versions=0,
                             flags=[no_articles_flag(last[1] if last else None)]))
    return out


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


_NO_ARTICLES = "crawled, but no article of it is in the archive"
NO_ARTICLES_FLAG = (f"{_NO_ARTICLES}: check its site file's "
                    "[articles] patterns and the crawl log (newsarchive/skipped/ counts)")
"""The advice for a site whose last run ended well (or is not known)."""

# The advice for a site with no article whose last run says why it stored
# none (see newsarchive.exitcodes): its site file's patterns are then not
# the first thing to look at.
_NO_ARTICLES_BECAUSE = {
    exitcodes.SITE_DOWN: "its last crawl fetched no page of it (site_down): check that the site is up "
                 "and the crawl log's last ERROR line, then crawl again",
    exitcodes.SITE_NOTHING_FETCHED: "its last crawl fetched no page of it (nothing_fetched, in a run of several "
                       "sites): check that the site is up and that run's log, then crawl again",
    exitcodes.SITE_MOVED: "its start page only redirected off the site (site_moved): crawl the new address "
                  "with -a url=, or add its host to the site file's domains",
    exitcodes.ROBOTS_5XX: "its robots.txt answered with a server error, which disallows every page "
                  "(robots_5xx, RFC 9309): crawl again when it answers",
    exitcodes.ROBOTS_DISALLOW_ALL: "its robots.txt disallows every page the crawl asked for "
                           "(robots_disallow_all): the crawl obeys it",
}


def ended_well(last_status: str | None) -> bool:
    """Whether a run's status needs no one's attention (or is not known)."""
    return last_status is None or last_status == "finished" or last_status.startswith("closespider_")


def last_run_flag(last_status: str | None, last_crawl: str | None) -> str | None:
    """The flag of a site with articles whose last run did not end well, or None.

    It is a flag, not only ``last_status``, so that ``stats --json`` users who
    watch ``flags`` see what the table's reader sees: a LAST CRAWL column alone
    reads as a good crawl.
    """
    if ended_well(last_status):
        return None
    if last_status == exitcodes.SITE_NOTHING_FETCHED:
        return (f"the last crawl ({last_crawl}) fetched no page of it (a run of several sites, "
                "whose others answered: see the run's log for why)")
    return f"the last crawl ({last_crawl}) ended {last_status}"


def no_articles_flag(last_status: str | None) -> str:
    """The flag of a site crawled but with no article in the archive, with the
    advice its last run's status calls for."""
    if ended_well(last_status):
        return NO_ARTICLES_FLAG
    because = _NO_ARTICLES_BECAUSE.get(last_status)
    if because is None:
        because = f"its last crawl ended {last_status} (see that run's log), so crawl it again"
    return f"{_NO_ARTICLES}: {because}"


def crawled_sites(conn: Connection) -> set[str]:
    """Every site a crawl run covered (``crawl_runs.site`` names several joined by commas)."""
    names: set[str] = set()
    for (joined,) in conn.execute(text("SELECT DISTINCT site FROM crawl_runs WHERE site IS NOT NULL")):
        names.update(name for name in str(joined).split(",") if name)
    return names


def stored_under(conn: Connection, sites: list[str]) -> set[str]:
    """Those of ``sites`` that a crawl stored articles under (their fetches).

    A site with runs and such fetches but no article row now was renamed (its
    site file's ``name``, or a site first crawled by URL under its host, then
    through a site file): its articles carry the new name. It is no site whose
    crawls store nothing, which is what the "crawled, but no article" flag is for.
    """
    if not sites:
        return set()
    rows = conn.execute(text("SELECT DISTINCT site FROM fetches WHERE site IN :sites")
                        .bindparams(bindparam("sites", expanding=True)), {"sites": sites})
    return {row[0] for row in rows}


def last_runs(conn: Connection, sites: set[str]) -> dict[str, tuple[str, str | None]]:
    """Site -> (when its latest crawl run ended, or started; that run's status).

    A run of several sites (all the configured ones, or ``-a site=a,b``)
    records them joined by commas in ``crawl_runs.site``: those rows are read
    newest first, only until no site could still find a newer run there
    (one row, when the latest run was an all-sites one).
    """
    latest: dict[str, Any] = {
        row.site: row for row in conn.execute(text(
            "SELECT r.id, r.site, r.started_at, r.finished_at, r.status FROM crawl_runs r "
            "JOIN (SELECT site, max(id) AS id FROM crawl_runs GROUP BY site) last "
            "ON last.id = r.id"))
    }
    pending = set(sites)
    shared = conn.execute(text(
        "SELECT id, site, started_at, finished_at, status FROM crawl_runs "
        "WHERE site LIKE :comma ORDER BY id DESC"), {"comma": "%,%"})
    for row in shared:
        pending = {site for site in pending if site not in latest or latest[site].id < row.id}
        if not pending:
            break
        for site in set(row.site.split(",")) & pending:
            latest[site] = row
            pending.discard(site)
    shared.close()
    out = {site: (row.finished_at or row.started_at, row.status) for site, row in latest.items()}
    for site, status in _sites_nothing_fetched(conn, {row.id for row in latest.values() if "," in row.site}):
        # Only where the run's own status says all went well.
        if site in out and (out[site][1] == "finished" or str(out[site][1]).startswith("closespider_")):
            out[site] = (out[site][0], status)
    return out


def _sites_nothing_fetched(conn: Connection, run_ids: set[int]) -> list[tuple[str, str]]:
    """(site, status) for each site of these runs of several sites that fetched
    no page: such a run exits 0 and ends ``finished`` when another site
    answered, which said nothing of the site that was down."""
    import json

    from newsarchive import exitcodes

    found: list[tuple[str, str]] = []
    if not run_ids:
        return found
    rows = conn.execute(text(
        f"SELECT stats FROM crawl_runs WHERE id IN ({', '.join(str(int(i)) for i in run_ids)})"))
    for (stats,) in rows:
        try:
            named = (json.loads(stats or "{}") or {}).get(exitcodes.SITES_NOTHING_FETCHED_KEY)
        except (ValueError, AttributeError):
            continue
        found += [(site, exitcodes.SITE_NOTHING_FETCHED) for site in str(named or "").split(",") if site]
    return found


def _add_run_history(conn: Connection, sites: list[SiteStats]) -> None:
    wanted = {s.site: s for s in sites}
    if not wanted:
        return
    # A fetch stored by a crawl run belongs to that run; one stored outside any
    # run (scripts, migrated rows) is grouped by its day.
    rows = conn.execute(
        text(
            "SELECT site, run_key, min(fetched_at) AS started, count(*) AS n, "
            "sum(has_date) AS dated, sum(has_authors) AS authored, "
            "sum(has_captions) AS captioned FROM ("
            "SELECT site, fetched_at, has_date, has_authors, has_captions, "
            "CASE WHEN run_id IS NULL THEN 'day ' || substr(fetched_at, 1, 10) "
            "ELSE 'run ' || CAST(run_id AS TEXT) END AS run_key FROM fetches) f "
            "GROUP BY site, run_key"
        )
    ).all()
    history: dict[Any, list[RunShare]] = {}
    for row in rows:
        if row.site not in wanted:
            continue
        history.setdefault(row.site, []).append(RunShare(
            key=row.run_key, started=row.started, articles=row.n,
            shares={"date": (row.dated or 0) / row.n, "authors": (row.authored or 0) / row.n,
                    "captions": (row.captioned or 0) / row.n},
        ))
    for site, shares in history.items():
        shares.sort(key=lambda r: r.started)
        wanted[site].runs = shares


def quality_flags(runs: list[RunShare], *, min_articles: int = 5, drop: float = 0.3,
                  recent_runs: int = 5) -> list[str]:
    """Warnings for measures whose share in the latest run fell sharply.

    The latest run is compared with the ``recent_runs`` runs before it
    (pooled); both sides must hold at least ``min_articles`` articles, so one
    odd page flags nothing. A side with fewer takes in the runs before it:
    an hourly run of a small site stores 1 to 4 articles, and counted alone
    no run of it ever qualified, so a redesign there was never flagged.
    """
    if not runs:
        return []
    start = len(runs) - 1
    while start > 0 and sum(r.articles for r in runs[start:]) < min_articles:
        start -= 1
    latest = runs[start:]
    first = max(0, start - recent_runs)
    while first > 0 and sum(r.articles for r in runs[first:start]) < min_articles:
        first -= 1
    before = runs[first:start]
    latest_total = sum(r.articles for r in latest)
    total = sum(r.articles for r in before)
    if latest_total < min_articles or total < min_articles:
        return []
    label = latest[0].key if len(latest) == 1 else f"{latest[0].key} to {latest[-1].key}"
    which = "latest run" if len(latest) == 1 else f"latest {len(latest)} runs"
    flags = []
    for measure in MEASURES:
        baseline = sum(r.shares[measure] * r.articles for r in before) / total
        now = sum(r.shares[measure] * r.articles for r in latest) / latest_total
        if baseline >= 0.4 and baseline - now >= drop:
            flags.append(
                f"{measure} share fell from {baseline:.0%} to {now:.0%} in the {which} "
                f"({label}, {latest_total} articles): check the site's extraction"
            )
    return flags


def has_site(conn: Connection, site: str) -> bool:
    """Whether any article has this site (as ``--site`` compares it); one index lookup."""
    params: dict[str, Any] = {}
    where = " AND ".join(filter_sql(params, site=site))
    return conn.execute(text(f"SELECT 1 FROM articles a WHERE {where} LIMIT 1"),
                        params).first() is not None


def site_names(conn: Connection) -> list[str]:
    """The archive's site names, sorted (read from the site index)."""
    return [row[0] for row in conn.execute(text(
        "SELECT DISTINCT site FROM articles WHERE site IS NOT NULL ORDER BY site"))]
