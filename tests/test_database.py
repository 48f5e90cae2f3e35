"""The archive database: storing, versions, authors, raw pages, page states,
runs, search, export, stats and diffs, on SQLite and PostgreSQL."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from archive_support import SEED_BODY, archive_url, pg_url, sample_articles  # noqa: F401 (fixtures)
from newsarchive.database import Archive, QueryError
from newsarchive.database import schema as s
from newsarchive.database.engine import WAL_AUTOCHECKPOINT_BYTES
from newsarchive.database.export import EXPORT_FIELDS
from newsarchive.database.rawpages import decompress
from newsarchive.items import FEED_FIELDS, Caption
from newsarchive.database.history import word_diff as history_word_diff


@pytest.fixture
def archive(archive_url: str):  # noqa: F811
    with Archive(archive_url) as arch:
        yield arch


def _count(archive: Archive, table) -> int:
    with archive.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _seed(archive: Archive):
    articles = sample_articles()
    assert archive.store_articles(articles) == ["new"] * 5
    return articles


# --- storing and versions ----------------------------------------------------------


def test_store_is_an_upsert_on_the_canonical_url(archive: Archive) -> None:
    articles = _seed(archive)
    assert archive.store_articles(articles) == ["unchanged"] * 5
    # The same article reached through a tracking/AMP/mobile variant of its URL.
    variant = dataclasses.replace(
        articles[1], url="https://m.bbc.co.uk/news/uk-politics-35820000?utm_medium=rss",
        canonical_url=None)
    assert archive.store_articles([variant]) == ["unchanged"]
    assert _count(archive, s.articles) == 5
    assert _count(archive, s.versions) == 5
    assert _count(archive, s.fetches) == 11


def test_only_real_changes_add_a_version(archive: Archive) -> None:
    seed = _seed(archive)[0]
    noise = [
        dataclasses.replace(seed, body=SEED_BODY.replace(" ", "  ").replace("\n\n", " \n\n ")),
        dataclasses.replace(seed, body="Updated 5 minutes ago\n\n" + SEED_BODY),
        dataclasses.replace(seed, body=SEED_BODY.replace("Tuesday.", "Tuesday. Published 2 hours ago")),
        dataclasses.replace(seed, headline=seed.headline + "\u200b", standfirst=seed.standfirst + " "),
        dataclasses.replace(seed, body=SEED_BODY.replace("Moscow", "<img src='https://t.co/p.gif'>Moscow")),
        dataclasses.replace(seed, published="2016-03-15T07:39:00Z"),  # same instant, other offset
        dataclasses.replace(seed, authors=["laura pitel", "NADIA BEARD", "Steve  Anderson"]),
    ]
    for variant in noise:
        assert archive.store_articles([variant]) == ["unchanged"], variant
    # A link in the text differs only by its tracking parameters.
    linked = dataclasses.replace(seed, body=SEED_BODY + "\n\nMore at https://example.com/x")
    assert archive.store_articles([linked]) == ["updated"]
    tracked = dataclasses.replace(seed, body=SEED_BODY + "\n\nMore at https://www.example.com/x?utm_source=a")
    assert archive.store_articles([tracked]) == ["unchanged"]
    changes = [
        dataclasses.replace(seed, headline="Russia completes military withdrawal from Syria"),
        dataclasses.replace(seed, headline="Russia completes military withdrawal from Syria",
                            authors=["Laura Pitel"]),
        dataclasses.replace(seed, headline="Russia completes military withdrawal from Syria",
                            authors=["Laura Pitel"], modified="2016-03-16T10:00:00+00:00"),
    ]
    for changed in changes:
        assert archive.store_articles([changed]) == ["updated"]
    versions = archive.get_versions(1)
    assert [v["version"] for v in versions] == [1, 2, 3, 4, 5]
    assert versions[0]["headline"] == seed.headline
    assert versions[0]["authors"] == ["Laura Pitel", "Nadia Beard", "Steve Anderson"]
    assert versions[2]["authors"] == ["Laura Pitel", "Nadia Beard", "Steve Anderson"]
    assert versions[3]["authors"] == ["Laura Pitel"]
    assert versions[4]["modified"] == "2016-03-16T10:00:00+00:00"
    article = archive.get_article(1)
    assert article["version"] == 5 and article["authors"] == ["Laura Pitel"]


def _served(article, last_modified: str, modified: str, **changes):
    """``article`` fetched with a Last-Modified header that extraction took as
    its modification date (the page itself gave none)."""
    from newsarchive.items import RawPage

    page = RawPage(b"<html><body><p>the page</p></body></html>", {"Last-Modified": last_modified})
    return dataclasses.replace(article, modified=modified, modified_raw=last_modified,
                               raw=page, **changes)


def test_a_modification_date_only_the_http_header_gave_adds_no_version(archive: Archive) -> None:
    """A server or CDN moves Last-Modified whenever it renders or touches the
    file: every re-fetch of an unchanged article recorded a version,
    "modification date changed"."""
    seed = sample_articles()[0]
    first = _served(seed, "Tue, 15 Mar 2016 08:00:00 GMT", "2016-03-15T08:00:00+00:00")
    assert archive.store_articles([first]) == ["new"]
    touched = _served(seed, "Wed, 16 Mar 2016 09:30:00 GMT", "2016-03-16T09:30:00+00:00")
    assert archive.store_articles([touched]) == ["unchanged"]
    edited = _served(seed, "Thu, 17 Mar 2016 10:00:00 GMT", "2016-03-17T10:00:00+00:00",
                     headline="Russia completes military withdrawal from Syria")
    assert archive.store_articles([edited]) == ["updated"]
    versions = archive.get_versions(1)
    assert [v["version"] for v in versions] == [1, 2]
    # The header's date is still kept, as the date seen with each version.
    assert versions[0]["modified"] == "2016-03-15T08:00:00+00:00"
    assert versions[1]["modified"] == "2016-03-17T10:00:00+00:00"
    # A modification date the page gives is content: it changing alone is a version.
    stated = dataclasses.replace(edited, modified="2016-03-18T10:00:00+00:00",
                                 modified_raw="18 March 2016, 10:00")
    assert archive.store_articles([stated]) == ["updated"]


def test_diff_names_a_header_date_as_the_server_s(archive: Archive) -> None:
    """"byline changed; modification date changed" when only the server's
    Last-Modified header moved with the byline."""
    seed = sample_articles()[0]
    archive.store_articles([_served(seed, "Tue, 15 Mar 2016 08:00:00 GMT", "2016-03-15T08:00:00+00:00")])
    rebylined = _served(seed, "Wed, 16 Mar 2016 09:30:00 GMT", "2016-03-16T09:30:00+00:00",
                        authors=["Laura Pitel"], byline="Laura Pitel")
    assert archive.store_articles([rebylined]) == ["updated"]
    assert archive.diff(1).summary == ["byline changed", "server's Last-Modified date changed"]
    # A date the page states is the page's.
    stated = dataclasses.replace(rebylined, modified="2016-03-17T10:00:00+00:00",
                                 modified_raw="17 March 2016, 10:00")
    assert archive.store_articles([stated]) == ["updated"]
    assert archive.diff(1).summary == ["modification date changed"]


def test_an_archive_from_before_the_header_rule_gets_no_version_for_it(archive: Archive) -> None:
    """Earlier releases put the header's date in the fingerprint; their stored
    fingerprint still counts as unchanged, once, and is replaced by today's."""
    from newsarchive.database.normalisation import content_fingerprint

    seed = sample_articles()[0]
    old = _served(seed, "Tue, 15 Mar 2016 08:00:00 GMT", "2016-03-15T08:00:00+00:00")
    assert archive.store_articles([old]) == ["new"]
    with archive.engine.begin() as conn:  # what an earlier release stored
        conn.execute(s.articles.update().values(content_hash=content_fingerprint(old)))
    assert archive.store_articles([old]) == ["unchanged"]
    with archive.engine.connect() as conn:
        stored = conn.execute(select(s.articles.c.content_hash)).scalar_one()
    assert stored == content_fingerprint(old, with_modified=False)
    touched = _served(seed, "Wed, 16 Mar 2016 09:30:00 GMT", "2016-03-16T09:30:00+00:00")
    assert archive.store_articles([touched]) == ["unchanged"]
    assert _count(archive, s.versions) == 1


def test_version_keeps_what_it_was_and_when_seen(archive: Archive) -> None:
    seed = _seed(archive)[0]
    later = dataclasses.replace(seed, fetched_at="2016-03-15T12:00:00+00:00")
    archive.store_articles([later])
    edited = dataclasses.replace(seed, body=SEED_BODY + "\n\nCorrection: an earlier version of "
                                 "this article misnamed the air base.",
                                 fetched_at="2016-03-16T09:00:00+00:00")
    assert archive.store_articles([edited]) == ["updated"]
    v1, v2 = archive.get_versions(seed.canonical_url)
    assert (v1["first_seen"], v1["last_seen"]) == ("2016-03-15T09:00:00+00:00", "2016-03-15T12:00:00+00:00")
    assert v1["body"] == SEED_BODY
    assert v2["first_seen"] == "2016-03-16T09:00:00+00:00"
    assert v2["body"].endswith("misnamed the air base.")


def test_a_home_page_canonical_does_not_fold_articles_together(archive: Archive) -> None:
    base = sample_articles()[1]
    pages = [dataclasses.replace(base, url=f"https://www.bbc.co.uk/news/story-{i}",
                                 canonical_url="https://www.bbc.co.uk/", headline=f"Story {i}")
             for i in range(3)]
    assert archive.store_articles(pages) == ["new"] * 3
    assert archive.get_article("https://www.bbc.co.uk/news/story-2")["headline"] == "Story 2"


def test_duplicates_in_one_batch_apply_in_order(archive: Archive) -> None:
    seed = sample_articles()[0]
    edited = dataclasses.replace(seed, headline="Russia pulls out of Syria")
    assert archive.store_articles([seed, edited, edited]) == ["new", "updated", "unchanged"]
    assert archive.get_article(1)["headline"] == "Russia pulls out of Syria"


def test_authors_are_one_row_per_person(archive: Archive) -> None:
    _seed(archive)
    with archive.engine.connect() as conn:
        names = conn.execute(select(s.authors.c.name).order_by(s.authors.c.name)).scalars().all()
        pitel = conn.execute(
            text("SELECT count(*) FROM article_authors aa JOIN authors au ON au.id = aa.author_id "
                 "WHERE au.name = 'Laura Pitel'")).scalar_one()
    assert names == ["José García", "Laura Kuenssberg", "Laura Pitel", "Nadia Beard",
                     "Steve Anderson", "Zoë Müller"]
    assert pitel == 2
    assert archive.get_article(2)["authors"] == ["Laura Kuenssberg"]
    assert archive.get_article(3)["authors"] == ["José García", "Zoë Müller"]


def test_captions_dropped_blocks_and_urls(archive: Archive) -> None:
    _seed(archive)
    article = archive.get_article(
        "http://independent.co.uk/news/world/europe/russia-syria-withdrawal-a6931146.html")
    assert [(c["text"], c["credit"]) for c in article["captions"]] == [
        ("A Russian jet lands at the Hmeimim air base", "AFP/Getty Images"),
        ("Vladimir Putin meets his defence minister", "AP"),
    ]
    assert [(d["rule"], d["stage"]) for d in article["dropped"]] == [
        ("donation-appeal", "clean"), ("comment-forum", "extract")]
    assert article["tags"] == ["Syria", "Russia"]
    assert article["published_utc"] == "2016-03-15T07:39:00+00:00"
    assert article["author_count"] == 3 and article["caption_count"] == 2


def test_raw_pages_are_compressed_and_kept_per_version(archive: Archive) -> None:
    seed = _seed(archive)[0]
    with archive.engine.connect() as conn:
        row = conn.execute(select(s.raw_pages)).one()
    assert row.size == len(seed.raw.body)
    assert decompress(row.compression, row.body) == seed.raw.body
    assert json.loads(row.headers)["ETag"] == '"abc123"'
    pages = list(archive.raw_pages())
    assert [(p.article_id, p.raw.body) for p in pages] == [(1, seed.raw.body)]
    archive.store_articles([dataclasses.replace(seed, headline="Changed headline")])
    assert _count(archive, s.raw_pages) == 2
    archive.store_articles([dataclasses.replace(seed, headline="Changed headline")])
    assert _count(archive, s.raw_pages) == 2  # a refetch of the same version replaces


def test_reused_zstd_compressor_packs_each_page_as_its_own_frame() -> None:
    # One compressor per thread serves page after page: each result must be a
    # whole frame that reads back alone, byte for byte what zstd.compress gives.
    from newsarchive.database import rawpages

    if rawpages.default_compression() != "zstd":
        pytest.skip("zstd is not installed: pages are gzip-compressed")
    pages = [b"<html><body>" + ("page %d " % i).encode() * (200 * (i + 1)) + b"</body></html>"
             for i in range(3)] + [b""]
    packed = [rawpages.compress(page) for page in pages]
    assert [rawpages.decompress(method, data) for method, data in packed] == pages
    assert [data for _, data in packed] == [rawpages._zstd.compress(page, rawpages.ZSTD_LEVEL)
                                           for page in pages]


def test_keep_raw_off_stores_no_pages(archive_url: str) -> None:  # noqa: F811
    with Archive(archive_url, keep_raw=False) as archive:
        _seed(archive)
        assert _count(archive, s.raw_pages) == 0
        assert _count(archive, s.articles) == 5


def test_page_states_know_every_fetched_url(archive: Archive) -> None:
    _seed(archive)
    states = archive.page_states()
    key = "https://independent.co.uk/news/world/europe/russia-syria-withdrawal-a6931146.html"
    assert key in states
    state = states[key]
    assert state.etag == '"abc123"'
    assert state.last_modified == "Tue, 15 Mar 2016 08:00:00 GMT"
    assert state.published == "2016-03-15T03:39:00-04:00"
    assert state.fetched_at == "2016-03-15T09:00:00+00:00"
    assert set(archive.page_states("bbc.co.uk")) == {"https://bbc.co.uk/news/uk-politics-35820000"}
    amp = dataclasses.replace(sample_articles()[1], url="https://www.bbc.co.uk/news/uk-politics-35820000?page=2",
                              canonical_url="https://www.bbc.co.uk/news/uk-politics-35820000")
    archive.store_articles([amp])
    assert "https://bbc.co.uk/news/uk-politics-35820000?page=2" in archive.page_states("bbc.co.uk")


def test_page_states_for_gives_page_states_of_just_those_urls(archive: Archive) -> None:
    _seed(archive)
    amp = dataclasses.replace(sample_articles()[1], url="https://www.bbc.co.uk/news/uk-politics-35820000?page=2",
                              canonical_url="https://www.bbc.co.uk/news/uk-politics-35820000")
    archive.store_articles([amp])
    archive.mark_not_modified([sample_articles()[0].url], at="2016-03-20T10:00:00+00:00")
    every = archive.page_states()
    assert len(every) > 5
    # Any variant of an archived address finds it; unknown ones are absent.
    asked = [*every, "http://www.bbc.co.uk/news/uk-politics-35820000?utm_source=x",
             "https://unknown.example/a"]
    assert archive.page_states_for(asked) == every
    assert archive.page_states_for(asked, sites=[None, "x"]) == every
    for site in ("bbc.co.uk", "independent.co.uk"):
        assert archive.page_states_for(asked, sites=[site]) == archive.page_states(site)
        assert archive.count_page_states([site]) == len(archive.page_states(site))
    both = archive.page_states_for(asked, sites=["bbc.co.uk", "independent.co.uk"])
    assert both == {**archive.page_states("bbc.co.uk"), **archive.page_states("independent.co.uk")}
    assert archive.page_states_for(asked, sites=[]) == {}
    assert archive.page_states_for([]) == {}
    assert archive.count_page_states() == len(every)


def test_page_states_for_many_urls_reads_in_chunks(archive: Archive) -> None:
    from newsarchive.database import archive as module

    _seed(archive)
    every = archive.page_states()
    misses = [f"https://news.example/story-{i}.html" for i in range(2 * module._CHUNK + 7)]
    assert archive.page_states_for([*misses, *every]) == every


def test_not_modified_moves_the_fetch_time_only(archive: Archive) -> None:
    _seed(archive)
    url = "https://www.independent.co.uk/news/world/europe/russia-syria-withdrawal-a6931146.html"
    key = "https://independent.co.uk/news/world/europe/russia-syria-withdrawal-a6931146.html"
    before = archive.get_article(url)
    assert archive.mark_not_modified([url, "https://unknown.example/a"],
                                     at="2016-03-20T10:00:00+00:00").known == 1
    state = archive.page_states()[key]
    assert state.fetched_at == "2016-03-20T10:00:00+00:00"
    assert state.etag == '"abc123"'
    after = archive.get_article(url)
    assert after["last_seen"] == "2016-03-20T10:00:00+00:00"
    assert after["version"] == before["version"] and after["body"] == before["body"]
    assert after["versions"][-1]["last_seen"] == "2016-03-20T10:00:00+00:00"
    # An older answer never moves the times back.
    archive.mark_not_modified([url], at="2016-03-16T00:00:00+00:00")
    assert archive.page_states()[key].fetched_at == "2016-03-20T10:00:00+00:00"
    assert archive.get_article(url)["last_seen"] == "2016-03-20T10:00:00+00:00"


def test_runs_are_recorded_and_linked_to_fetches(archive: Archive) -> None:
    run = archive.start_run("bbc.co.uk", "news", {"url": "https://www.bbc.co.uk/"})
    archive.store_articles(sample_articles()[1:2], run_id=run)
    archive.finish_run(run, "finished", {"item_scraped_count": 1})
    with archive.engine.connect() as conn:
        row = conn.execute(select(s.crawl_runs)).one()
        fetch = conn.execute(select(s.fetches)).one()
    assert (row.site, row.spider, row.status) == ("bbc.co.uk", "news", "finished")
    assert json.loads(row.args) == {"url": "https://www.bbc.co.uk/"}
    assert json.loads(row.stats) == {"item_scraped_count": 1}
    assert row.finished_at >= row.started_at
    assert (fetch.run_id, fetch.outcome, fetch.has_authors) == (run, "new", 1)


def test_reparse_rewrites_the_current_version_in_place(archive: Archive) -> None:
    seed = _seed(archive)[0]
    better = dataclasses.replace(seed, section="World", authors=["Laura Pitel"],
                                 captions=[Caption("Only one caption")])
    assert archive.replace_extraction([(1, better)]) == ["updated"]
    article = archive.get_article(1)
    assert article["section"] == "World" and article["authors"] == ["Laura Pitel"]
    assert [c["text"] for c in article["captions"]] == ["Only one caption"]
    assert [v["version"] for v in article["versions"]] == [1]
    assert article["versions"][0]["authors"] == ["Laura Pitel"]
    assert archive.replace_extraction([(1, better)]) == ["unchanged"]
    # A renamed author or a re-read caption changes no article column.
    renamed = dataclasses.replace(better, authors=["Laura Pitel-Smith"])
    assert archive.replace_extraction([(1, renamed)]) == ["updated"]
    assert archive.get_article(1)["authors"] == ["Laura Pitel-Smith"]
    recaptioned = dataclasses.replace(renamed, captions=[Caption("Only one caption", "AFP")])
    assert archive.replace_extraction([(1, recaptioned)]) == ["updated"]
    assert archive.replace_extraction([(1, recaptioned)]) == ["unchanged"]


def _reread(article):
    """``article`` as reparse gives it to ``replace_extraction``: extracted again, no page."""
    return dataclasses.replace(article, raw=None)


def test_reparse_fingerprints_as_the_crawl_does(archive: Archive) -> None:
    """A reparse wrote the old-style fingerprint (with the header's date), so the
    next fetch with only Last-Modified moved added a version "modification date changed"."""
    seed = sample_articles()[0]
    first = _served(seed, "Tue, 15 Mar 2016 08:00:00 GMT", "2016-03-15T08:00:00+00:00")
    assert archive.store_articles([first]) == ["new"]
    with archive.engine.connect() as conn:
        crawl_hash = conn.execute(select(s.articles.c.content_hash)).scalar_one()
    assert archive.replace_extraction([(1, _reread(first))]) == ["unchanged"]
    with archive.engine.connect() as conn:
        assert conn.execute(select(s.articles.c.content_hash)).scalar_one() == crawl_hash
        assert conn.execute(select(s.versions.c.content_hash)).scalar_one() == crawl_hash
    touched = _served(seed, "Wed, 16 Mar 2016 09:30:00 GMT", "2016-03-16T09:30:00+00:00",
                      fetched_at="2016-03-16T10:00:00+00:00")
    assert archive.store_articles([touched]) == ["unchanged"]
    assert _count(archive, s.versions) == 1


def test_reparse_says_when_only_the_header_date_moved(archive: Archive) -> None:
    """The crawl keeps a header date as first stored while the content is the same,
    but keeps the latest fetch's page: re-reading it takes the newer header date."""
    seed = sample_articles()[0]
    archive.store_articles([_served(seed, "Tue, 15 Mar 2016 08:00:00 GMT", "2016-03-15T08:00:00+00:00")])
    touched = _served(seed, "Wed, 16 Mar 2016 09:30:00 GMT", "2016-03-16T09:30:00+00:00",
                      fetched_at="2016-03-16T10:00:00+00:00")
    assert archive.store_articles([touched]) == ["unchanged"]
    assert archive.get_article(1)["modified"] == "2016-03-15T08:00:00+00:00"
    assert archive.replace_extraction([(1, _reread(touched))]) == ["header_date"]
    assert archive.get_article(1)["modified"] == "2016-03-16T09:30:00+00:00"
    assert archive.replace_extraction([(1, _reread(touched))]) == ["unchanged"]
    # Anything else changing with it is an update.
    retitled = dataclasses.replace(_reread(touched), headline="Another reading",
                                   modified="2016-03-16T09:31:00+00:00")
    assert archive.replace_extraction([(1, retitled)]) == ["updated"]


def test_reparse_keeps_the_version_history_times(archive: Archive) -> None:
    """The version's first_seen became the article's first fetch, and last_seen
    went back to the last fetch before a 304, behind articles.last_seen."""
    seed = sample_articles()[1]
    archive.store_articles([seed])  # 2016-03-16T13:00
    edited = dataclasses.replace(seed, headline="Budget 2016: Osborne cuts £4bn",
                                 fetched_at="2016-03-17T13:00:00+00:00")
    assert archive.store_articles([edited]) == ["updated"]
    again = dataclasses.replace(edited, fetched_at="2016-03-18T13:00:00+00:00")
    assert archive.store_articles([again]) == ["unchanged"]
    archive.mark_not_modified([seed.url], at="2016-03-19T13:00:00+00:00")
    before = archive.get_article(1)
    assert archive.replace_extraction([(1, again)]) == ["unchanged"]
    after = archive.get_article(1)
    # (The row is written again: its id may change, what it says may not.)
    assert [{**v, "id": 0} for v in after["versions"]] == [{**v, "id": 0} for v in before["versions"]]
    assert after["versions"][1]["first_seen"] == "2016-03-17T13:00:00+00:00"
    assert after["versions"][1]["last_seen"] == after["last_seen"] == "2016-03-19T13:00:00+00:00"


def test_the_full_text_index_merges_segments_in_eights(tmp_path, monkeypatch) -> None:
    # Migration 0005: fewer merge levels, so less of the writer's time
    # rewrites postings; phrases, OR, prefixes and ranking are unchanged.
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    with Archive(f"sqlite:///{tmp_path / 'a.db'}") as archive:
        with archive.engine.connect() as conn:
            setting = conn.exec_driver_sql(
                "SELECT v FROM articles_fts_config WHERE k = 'automerge'").scalar()
        assert setting == 8
        _seed(archive)
        assert archive.search('"fighter jets"')[0]["headline"].startswith("Russia starts")
        assert archive.search("fight* OR nonexistentword")


def test_background_checkpoints_copy_the_wal_outside_commits(tmp_path, monkeypatch) -> None:
    import time

    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    path = tmp_path / "bg.db"
    with Archive(f"sqlite:///{path}", background_checkpoints=True) as archive:
        with archive.engine.connect() as conn:
            # The writer's own commits checkpoint only once the WAL is large...
            page_size = conn.exec_driver_sql("PRAGMA page_size").scalar()
            pages = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
            assert pages * page_size == WAL_AUTOCHECKPOINT_BYTES
        size_before = path.stat().st_size
        many = [dataclasses.replace(a, url=f"{a.url}/copy-{i}", canonical_url=None)
                for i in range(40) for a in sample_articles()]
        stored = archive.store_articles(many).count("new")
        assert stored >= 150
        # ...the checkpoint thread does: the rows reach the main file while
        # the archive is still open.
        deadline = time.monotonic() + 10
        while path.stat().st_size <= size_before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert path.stat().st_size > size_before
        assert archive.count_articles() == stored
    with Archive(f"sqlite:///{path}") as reopened:
        assert reopened.count_articles() == stored
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_a_busy_writer_with_background_checkpoints_keeps_the_wal_small(tmp_path,  # noqa: F811
                                                                       monkeypatch) -> None:
    # Commits back to back, as the store pipeline makes them in bulk: the
    # checkpoint thread alone never finds the WAL fully copied when a write
    # begins, so SQLite never rewinds the log and it grew by every page written
    # (266 MB for 3,000 articles with raw pages). The writer's own automatic
    # checkpoint lets it start over.
    import random

    from newsarchive.items import RawPage

    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    path = tmp_path / "busy.db"
    wal = Path(f"{path}-wal")
    rng = random.Random(5)
    seed = sample_articles()[0]
    largest = 0
    written = 0
    with Archive(f"sqlite:///{path}", background_checkpoints=True) as archive:
        for batch in range(40):
            # Incompressible 200 kB pages: 2 MB of WAL per batch, 80 MB in all.
            articles = [dataclasses.replace(
                seed, url=f"https://example.org/busy/{batch}/{i}", canonical_url=None,
                raw=RawPage(rng.randbytes(200_000), {})) for i in range(10)]
            assert archive.store_articles(articles) == ["new"] * 10
            written += 10
            largest = max(largest, wal.stat().st_size)
        assert archive.count_articles() == written
    # A commit's own checkpoint gives way when the thread's is running, so
    # the log may pass the threshold by a few batches before it rewinds
    # (22 MB seen once on a quiet machine); unbounded, it reached 80 MB here.
    limit = 2 * WAL_AUTOCHECKPOINT_BYTES
    assert largest < limit, f"WAL grew to {largest:,} bytes"
    with Archive(f"sqlite:///{path}") as reopened:
        assert reopened.count_articles() == written
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_env_var_overrides_the_url(tmp_path, monkeypatch) -> None:
    env_db = tmp_path / "env.db"
    monkeypatch.setenv("NEWSARCHIVE_DB_URL", f"sqlite:///{env_db}")
    assert Archive.resolve_url(f"sqlite:///{tmp_path / 'arg.db'}") == f"sqlite:///{env_db}"
    monkeypatch.delenv("NEWSARCHIVE_DB_URL")
    assert Archive.resolve_url(None) == "sqlite:///newsarchive.db"
    assert Archive.resolve_url("archive.db") == "sqlite:///archive.db"
    assert Archive.resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    with Archive(f"sqlite:///{tmp_path / 'a.db'}") as archive:
        with archive.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_new_sqlite_archive_has_16_kb_pages(tmp_path, monkeypatch) -> None:
    # A raw page (~33 KB) then takes three overflow pages instead of nine.
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    with Archive(f"sqlite:///{tmp_path / 'new.db'}") as archive:
        assert archive.store_articles(sample_articles())
        with archive.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA page_size").scalar() == 16384
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            # The WAL threshold is in pages: the same 16 MB as with 4 KB pages.
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000


def test_an_archive_made_with_4_kb_pages_keeps_them_and_works(tmp_path, monkeypatch) -> None:
    from newsarchive.database import engine as engine_module

    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'old.db'}"
    first, second = sample_articles(), [
        dataclasses.replace(a, url=f"https://later.example/{i}", canonical_url=None)
        for i, a in enumerate(sample_articles())]
    # An archive made before new archives got 16 KB pages (SQLite's 4 KB default).
    monkeypatch.setattr(engine_module, "NEW_ARCHIVE_PAGE_SIZE", 4096)
    with Archive(url) as archive:
        assert archive.store_articles(first) == ["new"] * len(first)
    monkeypatch.undo()
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    with Archive(url, background_checkpoints=True) as archive:
        assert archive.store_articles(second) == ["new"] * len(second)
        with archive.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA page_size").scalar() == 4096
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 4000
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert archive.count_articles() == len(first) + len(second)
        # Rows written before and after the reopening are both found.
        found = [r["url"] for r in archive.search("russia")]
        assert len(found) == 4 and sum("later.example" in url for url in found) == 2


# --- search ------------------------------------------------------------------------


def _ids(results) -> list[int]:
    return [r["id"] for r in results]


def test_search_syntax(archive: Archive) -> None:
    _seed(archive)
    assert _ids(archive.search("russia"))[0] == 1  # headline match ranks first
    assert set(_ids(archive.search("russia"))) == {1, 5}
    assert _ids(archive.search('"fighter jets"')) == [1]
    assert _ids(archive.search('"jets fighter"')) == []
    assert _ids(archive.search("withdr*")) == [1]
    assert set(_ids(archive.search("earthquake OR climate"))) == {3, 4}
    assert _ids(archive.search("russia NOT oil")) == [1]
    assert _ids(archive.search("headline:oil")) == [5]
    assert _ids(archive.search("(osborne OR coal) AND chancellor")) == [2]
    assert _ids(archive.search("Ecuador's coast")) == [4]
    assert set(_ids(archive.search("russia", limit=1))) == {1}
    assert _ids(archive.search("russia", limit=1, offset=1)) == [5]


def test_search_filters_and_snippets(archive: Archive) -> None:
    _seed(archive)
    assert _ids(archive.search("russia", site="independent.co.uk", section="business")) == [5]
    assert _ids(archive.search("russia", author="Pitel", since="2016-03-16")) == [5]
    assert _ids(archive.search("russia", until="2016-03-15")) == [1]
    assert _ids(archive.search("ministers", author="garcia")) == [3]  # accents folded
    assert _ids(archive.search("russia", author="nobody")) == []
    result = archive.search('"fighter jets"')[0]
    assert "[fighter] [jets]" in result["snippet"] or "[fighter jets]" in result["snippet"]
    assert result["authors"] == ["Laura Pitel", "Nadia Beard", "Steve Anderson"]  # byline order


@pytest.mark.postgres
def test_postgresql_shows_the_snippets_sqlite_shows(tmp_path: Path, pg_url: str) -> None:  # noqa: F811
    # ts_headline marked every "s" of the text for Russia's, each word of a
    # phrase apart, no "…" at a cut, and chose other fragments: the same search
    # read differently on the two back ends.
    shown = []
    for url in (f"sqlite:///{tmp_path / 'a.db'}", pg_url):
        with Archive(url) as archive:
            _seed(archive)
            # Keyed by URL: the two rank with different functions (bm25, ts_rank).
            # Pairs, not dicts, so that the keys' order (--json's) is compared too.
            shown.append({query: {row["canonical_url"]: [(k, v) for k, v in row.items()
                                                         if k not in ("id", "score")]
                                  for row in archive.search(query)}
                          for query in ('"fighter jets"', "Russia's", "russia", "withdr*",
                                        "headline:syria", "osborne OR coal")})
    assert all(shown[0].values())
    assert shown[1] == shown[0]


def test_author_filter_gives_the_same_rows_with_and_without_the_name_index(archive: Archive) -> None:
    """On SQLite, --author keys of three characters or more are looked up in the
    trigram index of migration 0004; shorter keys and keys holding LIKE
    wildcards scan the authors. Both must find exactly what the scan finds."""
    _seed(archive)
    keys = ["Pitel", "pit", "tel", "laura p", "garcía", "garcia", "Müller", "zoë", "ra", "a",
            "nobody", "50%", "a_b", "back\\slash"]
    with_index = {key: _ids(archive.search("russia OR ministers OR earthquake", author=key))
                  for key in keys}
    if archive.dialect == "sqlite":
        with archive.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM authors_trigram WHERE name_key "
                                        "LIKE '%pitel%'").scalar() == 1
            # As an archive made before migration 0004 (or by an SQLite without trigrams).
            conn.exec_driver_sql("DROP TABLE authors_trigram")
            for trigger in ("insert", "delete", "update"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS authors_trigram_{trigger}")
            conn.commit()
    scanned = {key: _ids(archive.search("russia OR ministers OR earthquake", author=key))
               for key in keys}
    assert with_index == scanned
    assert with_index["pit"] and with_index["zoë"] and with_index["garcia"] == with_index["garcía"]
    assert with_index["nobody"] == [] and with_index["50%"] == []


def test_new_authors_enter_the_name_index_in_the_same_transaction(archive: Archive) -> None:
    if archive.dialect != "sqlite":
        pytest.skip("the trigram index of author names is SQLite's (PostgreSQL scans)")
    _seed(archive)
    seed = sample_articles()[0]
    archive.store_articles([dataclasses.replace(seed, url=seed.url + "-2", canonical_url=None,
                                                authors=["Ingrid Þorsteinsdóttir"])])
    assert _ids(archive.search("russia", author="þorstein"))
    with archive.engine.connect() as conn:
        indexed = conn.exec_driver_sql("SELECT count(*) FROM authors_trigram").scalar()
        assert indexed == conn.exec_driver_sql("SELECT count(*) FROM authors").scalar()
        conn.exec_driver_sql("INSERT INTO authors_trigram(authors_trigram, rank) "
                             "VALUES ('integrity-check', 1)")


@pytest.mark.parametrize("query", ['"unbalanced', "russia OR", "AND russia", "(russia", "russia)",
                                   "", "   ", "NOT", "headline:", "()", '""'])
def test_malformed_queries_raise_query_error(archive: Archive, query: str) -> None:
    _seed(archive)
    with pytest.raises(QueryError):
        archive.search(query)


def test_search_uses_bound_parameters(archive: Archive) -> None:
    _seed(archive)
    hostile = "x'); DROP TABLE articles; --"
    assert archive.search("russia", site=hostile, author=hostile, section=hostile) == []
    assert archive.search("x' OR 1=1; DROP TABLE articles; --") == []
    assert _count(archive, s.articles) == 5


def test_search_folds_accents_on_both_back_ends(archive: Archive) -> None:
    # SQLite's FTS5 tokenizer drops diacritics; PostgreSQL folds them through
    # unaccent (revision 0007): the same query finds the same articles on both.
    from newsarchive.items import Article

    assert archive.store_articles([
        Article(url="https://example.com/zuerich", headline="Zürich opens a new tram line",
                body="Die Stadt Zürich eröffnet eine neue Tramlinie nach Oerlikon."),
        Article(url="https://example.com/zurich", headline="Zurich insurers report results",
                body="Zurich Insurance said profits rose."),
        Article(url="https://example.com/geneve", headline="Genève: la fête de l'Escalade",
                body="La fête a attiré des milliers de personnes à Genève."),
    ]) == ["new"] * 3
    assert set(_ids(archive.search("Zurich"))) == {1, 2}
    assert set(_ids(archive.search("Zürich"))) == {1, 2}
    assert _ids(archive.search('"stadt zurich"')) == [1]
    assert _ids(archive.search("headline:geneve")) == [3]
    assert _ids(archive.search("fete AND escalade")) == [3]
    assert _ids(archive.search("eroff*")) == [1]
    snippets = {r["id"]: r["snippet"] for r in archive.search("zurich")}
    assert "[Zürich]" in snippets[1] and "[Zurich]" in snippets[2]
    assert {row["canonical_url"] for row in archive.export(query="Zurich")} == {
        "https://example.com/zuerich", "https://example.com/zurich"}


def test_fts_index_follows_updates(archive: Archive) -> None:
    seed = _seed(archive)[0]
    archive.store_articles([dataclasses.replace(seed, body="Completely different text about tulips.")])
    assert _ids(archive.search("tulips")) == [1]
    assert 1 not in _ids(archive.search("hospitals"))


def _numbered(n: int, *, site_every: int = 0) -> list:
    """``n`` articles sharing the word "harbour"; every ``site_every``-th on another site."""
    base = sample_articles()[0]
    out = []
    for i in range(n):
        site = "other.example" if site_every and i % site_every == 0 else "independent.co.uk"
        out.append(dataclasses.replace(
            base, url=f"https://www.{site}/news/harbour-{i}.html", canonical_url=None, site=site,
            headline=f"Harbour report number {i}", authors=[f"Writer {i}"],
            body=f"The harbour{'master' if i % 2 else ''} said item {i} arrived. " * (1 + i % 3)))
    return out


def test_filtered_search_ranks_the_window_of_filtered_matches(archive: Archive) -> None:
    # 40 matches, 4 of them on other.example (ids 1, 11, 21, 31): a window of
    # 10 must mean the 10 newest matches that pass the filter, so the oldest
    # filtered matches are still found even though 30 newer rows match the word.
    archive.store_articles(_numbered(40, site_every=10))
    found = archive.search("harbour", site="other.example", window=10)
    assert sorted(_ids(found)) == [1, 11, 21, 31]
    # Unfiltered, the window keeps the newest 10 matches only.
    assert set(_ids(archive.search("harbour", window=10, limit=5))) <= set(range(31, 41))
    # Ranked: the best score first, ties broken newest first.
    scores = [(r["score"], -r["id"]) for r in archive.search("harbour", limit=40)]
    assert scores == sorted(scores)


def test_prefix_search_snippets_for_every_row(archive: Archive) -> None:
    archive.store_articles(_numbered(12))
    results = archive.search("harbourm*", limit=20)
    # Odd items say "harbourmaster"; each row gets its own snippet.
    assert sorted(_ids(results)) == [i + 1 for i in range(12) if i % 2]
    for row in results:
        assert "[harbourmaster]" in row["snippet"]
        assert f"item {row['id'] - 1} " in row["snippet"]
    words = archive.search("harbour", limit=3, offset=2)
    assert len(words) == 3 and all("[harbour" in r["snippet"].lower() for r in words)


def test_a_huge_body_gets_its_snippet_from_its_first_characters(archive: Archive) -> None:
    # FTS5's snippet() costs the square of the hits: one 12 MB page matching
    # a search made it take 35 s. The whole body is still searched.
    from newsarchive.database.search import SNIPPET_TEXT_CAP

    base = sample_articles()[0]
    filler = "the port authority approved a harbour terminal after debate " * (SNIPPET_TEXT_CAP // 30)
    archive.store_articles([
        dataclasses.replace(base, url="https://www.independent.co.uk/news/dump.html", canonical_url=None,
                            headline="Data dump", body=filler + " a lighthouse keeper at the very end"),
        dataclasses.replace(base, url="https://www.independent.co.uk/news/short.html", canonical_url=None,
                            headline="Short story", body="The harbour master said a lighthouse was lit."),
    ])
    rows = {row["headline"]: row for row in archive.search("harbour")}
    assert "[harbour]" in rows["Data dump"]["snippet"] and len(rows["Data dump"]["snippet"]) < 200
    assert "[harbour]" in rows["Short story"]["snippet"]
    # Found beyond the characters snippets are made from: the body's opening words.
    rows = {row["headline"]: row for row in archive.search("keeper")}
    assert rows["Data dump"]["snippet"].startswith("Data dump — ") and "[" not in rows["Data dump"]["snippet"]
    assert "[lighthouse]" in archive.search("lighthouse master")[0]["snippet"]


# --- export, stats, diff -----------------------------------------------------------


def test_export_streams_feed_dicts(archive: Archive) -> None:
    articles = _seed(archive)
    rows = list(archive.export())
    assert tuple(rows[0]) == EXPORT_FIELDS
    assert EXPORT_FIELDS[: len(FEED_FIELDS)] == FEED_FIELDS
    assert [r["headline"] for r in rows] == [a.headline for a in articles]
    assert rows[0]["authors"] == ["Laura Pitel", "Nadia Beard", "Steve Anderson"]
    assert rows[0]["captions"][0] == {"text": "A Russian jet lands at the Hmeimim air base",
                                      "credit": "AFP/Getty Images",
                                      "image_url": "https://static.independent.co.uk/jets.jpg"}
    assert [r["id"] for r in archive.export(site="independent.co.uk")] == [1, 5]
    assert [r["id"] for r in archive.export(author="kuenssberg")] == [2]
    assert [r["id"] for r in archive.export(query="russia", since="2016-03-16")] == [5]


def test_export_pages_through_many_rows(archive: Archive) -> None:
    base = sample_articles()[2]
    many = [dataclasses.replace(base, url=f"https://www.theguardian.com/a/{i}", canonical_url=None,
                                headline=f"Story {i}") for i in range(250)]
    archive.store_articles(many)
    from newsarchive.database.export import iter_articles

    rows = list(iter_articles(archive.engine, page_size=40))
    assert [r["headline"] for r in rows] == [f"Story {i}" for i in range(250)]
    assert all(r["authors"] == ["José García", "Zoë Müller"] for r in rows)


def test_stats_per_site(archive: Archive) -> None:
    _seed(archive)
    stats = {row.site: row for row in archive.stats()}
    assert stats["independent.co.uk"].articles == 2
    assert stats["independent.co.uk"].with_captions == 0.5
    assert stats["apnews.com"].with_authors == 0.0
    assert stats["apnews.com"].with_date == 1.0
    assert stats["bbc.co.uk"].last_crawl == "2016-03-16T13:00:00+00:00"
    assert all(not row.flags for row in stats.values())


def test_a_site_renamed_between_crawls_takes_its_articles(archive: Archive) -> None:
    # A site first crawled by URL (named by its host), then through a site file
    # (its name), or a site file whose `name` changed: the unchanged articles
    # kept the old name, so the crawl's lookups by site never found them again
    # and `stats` listed the new name as "crawled, but no article" of it.
    seed = sample_articles()[1]
    run = archive.start_run("bbc.co.uk", "news", {})
    archive.store_articles([seed], run_id=run)
    archive.finish_run(run, "finished", {})
    run = archive.start_run("bbc-news", "news", {})
    assert archive.store_articles([dataclasses.replace(seed, site="bbc-news")], run_id=run) == ["unchanged"]
    archive.finish_run(run, "finished", {})
    assert archive.page_states_for([seed.url], ["bbc-news"])
    assert [(row.site, row.articles, row.flags) for row in archive.stats()] == [("bbc-news", 1, [])]


def test_stats_flags_a_sharp_drop_in_recent_runs(archive: Archive) -> None:
    base = sample_articles()[0]
    n = 0
    for run_number in range(4):
        run = archive.start_run("independent.co.uk", "news", {})
        batch = []
        for _ in range(8):
            n += 1
            broken = run_number == 3  # the site's redesign
            batch.append(dataclasses.replace(
                base, url=f"https://www.independent.co.uk/news/{n}.html", canonical_url=None,
                headline=f"Story {n}", authors=[] if broken else base.authors,
                fetched_at=f"2016-03-{10 + run_number}T09:00:00+00:00"))
        archive.store_articles(batch, run_id=run)
        archive.finish_run(run, "finished", {})
    flags = archive.stats()[0].flags
    assert len(flags) == 1 and flags[0].startswith("authors share fell from 100% to 0%")


def test_diff_summarises_changes(archive: Archive) -> None:
    seed = _seed(archive)[0]
    archive.store_articles([dataclasses.replace(
        seed, headline="Russia completes withdrawal from Syria", authors=["Laura Pitel"],
        body=SEED_BODY + "\n\nCorrection: an earlier version of this article gave the wrong date.")])
    result = archive.diff(1)
    assert result.v1 == 1 and result.v2 == 2
    assert result.summary[:4] == ["headline changed", "byline changed", "correction added",
                                  "1 paragraph(s) added"]
    body = next(f for f in result.fields if f.name == "body")
    assert [t for op, t in body.pieces if op == "insert"] == [
        "\n\nCorrection: an earlier version of this article gave the wrong date."]
    headline = next(f for f in result.fields if f.name == "headline")
    assert ("delete", "starts military") in headline.pieces
    assert ("insert", "completes") in headline.pieces
    with pytest.raises(KeyError):
        archive.diff(1, 1, 7)


def test_diff_names_a_moved_paragraph_as_moved(archive: Archive) -> None:
    # A paragraph the site moved up read "body edited (+21/-21 words)", as if
    # its words had been rewritten.
    seed = _seed(archive)[0]
    paragraphs = SEED_BODY.split("\n\n")
    assert len(paragraphs) >= 3
    reordered = [paragraphs[-1], *paragraphs[:-1]]
    archive.store_articles([dataclasses.replace(seed, body="\n\n".join(reordered))])
    assert archive.diff(1).summary == ["1 paragraph(s) moved"]
    # Moved and edited is an edit.
    reordered[0] += " A sentence added."
    archive.store_articles([dataclasses.replace(seed, body="\n\n".join(reordered))])
    assert archive.diff(1, 2, 3).summary[-1].startswith("body edited (+3/-0 words)")


def test_content_fingerprints_and_author_keys_stay_as_archives_have_them() -> None:
    # Archives already hold these values: a change here would record a new
    # version of every article at its next crawl, and split its authors.
    from newsarchive.database.normalisation import author_key, content_fingerprint
    from newsarchive.items import Article

    article = Article(url="https://example.com/a", headline="Budget:  Osborne cuts spending",
                      body="George Osborne announced cuts.\n\nUpdated 5 minutes ago",
                      authors=["Laura  KUENSSBERG", "José Pérez", "J.K. Rowling"],
                      published="2016-03-16T12:30:00Z")
    assert [author_key(name) for name in article.authors] == [
        "laura kuenssberg", "jose perez", "j k rowling"]
    assert content_fingerprint(article) == "f93d8b58115a1670781ef7936b712371"


@pytest.mark.postgres
def test_a_row_fts5_does_not_match_keeps_postgresqls_snippet(pg_url: str) -> None:  # noqa: F811
    # The two tokenizers differ at the edges: a row PostgreSQL found but FTS5
    # does not match still gets a snippet with the word marked (ts_headline's).
    from newsarchive.database.search import _with_snippets, parse_query

    with Archive(pg_url) as archive, archive.engine.connect() as conn:
        _seed(archive)
        found = archive.search("chancellor")[0]
        unmatched = {**found, "headline": "x", "standfirst": None, "body": "y", "score": 0}
        rows = _with_snippets(conn, parse_query("chancellor"), [unmatched])
    assert "[chancellor]" in rows[0]["snippet"].lower()


def test_postgresql_search_without_fts5_in_pythons_sqlite_falls_back_to_ts_headline(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # The in-memory FTS5 table is a nicety for snippets: a Python built with
    # an SQLite that lacks FTS5 must still search a PostgreSQL archive.
    import sqlite3

    from newsarchive.database import search as search_module

    real_connect = sqlite3.connect

    def connect_without_fts5(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        conn.set_authorizer(lambda action, *rest: sqlite3.SQLITE_DENY
                            if action == sqlite3.SQLITE_CREATE_VTABLE else sqlite3.SQLITE_OK)
        return conn

    monkeypatch.setattr(search_module.sqlite3, "connect", connect_without_fts5)
    from newsarchive.items import Article

    with Archive(pg_url) as archive:
        _seed(archive)
        archive.store_articles([Article(url="https://example.com/zuerich", headline="Tram news",
                                        body="Die Stadt Zürich eröffnet eine neue Tramlinie.")])
        hits = archive.search("chancellor")
        folded = archive.search("zurich")
    assert hits and "[chancellor]" in hits[0]["snippet"].lower()
    # ts_headline parses with the archive's configuration too: the folded word is marked.
    assert folded and "[Zürich]" in folded[0]["snippet"]


def test_an_article_that_moved_with_a_redirect_is_not_stored_twice(archive: Archive) -> None:
    # A site moves a story: its archived address now redirects to a new one.
    # The page fetched through the redirect was stored as a second article,
    # and the first one's history stopped at the move.
    from newsarchive.items import RawPage
    from newsarchive.urls import canonicalize_url

    old = "https://www.example.com/news/2024/story-two"
    new = "https://www.example.com/news/2024/story-two-moved"
    seed = dataclasses.replace(sample_articles()[0], url=old, canonical_url=old,
                               raw=RawPage(b"<html>first</html>", {}))
    assert archive.store_articles([seed]) == ["new"]
    unchanged = dataclasses.replace(seed, url=new, canonical_url=new,
                                    raw=RawPage(b"<html>moved</html>", {}, redirected_from=(old,)))
    assert archive.store_articles([unchanged]) == ["unchanged"]
    assert archive.count_articles() == 1
    assert archive.get_article(new)["canonical_url"] == canonicalize_url(new)
    assert archive.find_article_id(old) == archive.find_article_id(new)
    # Later fetches go straight to the new address; an edit there is a new version.
    edited = dataclasses.replace(seed, url=new, canonical_url=new, headline="Russia withdraws from Syria",
                                 raw=RawPage(b"<html>edited</html>", {}))
    assert archive.store_articles([edited]) == ["updated"]
    assert archive.count_articles() == 1
    assert [v["version"] for v in archive.get_versions(old)] == [1, 2]
    # Moved and edited at once: the archived article takes the new version too.
    newer = "https://www.example.com/news/2024/story-two-final"
    both = dataclasses.replace(edited, url=newer, canonical_url=newer, headline="Russia has left Syria",
                               raw=RawPage(b"<html>final</html>", {}, redirected_from=(new,)))
    assert archive.store_articles([both]) == ["updated"]
    assert archive.count_articles() == 1
    assert archive.get_article(old)["canonical_url"] == canonicalize_url(newer)
    assert archive.get_article(old)["headline"] == "Russia has left Syria"


def test_a_redirect_from_an_address_the_archive_does_not_hold_is_a_new_article(archive: Archive) -> None:
    from newsarchive.items import RawPage

    article = dataclasses.replace(sample_articles()[0], raw=RawPage(
        b"<html></html>", {}, redirected_from=("https://short.example/x1",)))
    assert archive.store_articles([article]) == ["new"]
    assert archive.count_articles() == 1


@pytest.mark.parametrize("old, new", [
    ("a b\n\nc d", "x\n\na b\n\nc d"),          # a paragraph added first
    ("a b\n\nc d", "a b\n\nc d\n\ne f"),        # and last
    ("a b\n\nc d\n\ne f", "a b\n\ne f"),        # one removed in the middle
    ("a b c d", "a b\n\nc d"),                  # one split in two
    ("a b\n\nc d", "a b c d"),                  # two joined
    ("", "a b"), ("a b", ""),
])
def test_diff_pieces_rebuild_both_versions(old: str, new: str) -> None:
    """Matching paragraphs first must not lose or double a paragraph break."""
    pieces = history_word_diff(old, new)
    rebuilt_old = "".join(t for op, t in pieces if op != "insert")
    rebuilt_new = "".join(t for op, t in pieces if op != "delete")
    assert rebuilt_old.replace(" ", "") == old.replace(" ", "")
    assert rebuilt_new.replace(" ", "") == new.replace(" ", "")


def test_export_csv_writes_what_the_csv_module_writes() -> None:
    """write_csv quotes on its own (for speed): the bytes must stay csv.writer's."""
    import csv
    import io

    from newsarchive.database.export import EXPORT_FIELDS, csv_cell, write_csv

    tricky = ["plain", "a, b", 'say "hi"', "line\nbreak", "cr\rhere", "", " lead", "trail ",
              '"', "tab\there", "x;y", "naïve 周三", "\u2028sep"]
    rows = []
    for i, value in enumerate(tricky):
        row: dict = {name: None for name in EXPORT_FIELDS}
        row.update(headline=value, body=value + "\n\n" + value, id=i, word_count=i * 3,
                   authors=[value, "B"], captions=[{"text": value, "credit": None, "image_url": None}] if i % 2 else [],
                   tags=[value], version=1.5 if i == 3 else 2)
        rows.append(row)
    ours = io.StringIO()
    assert write_csv(rows, ours) == len(rows)
    theirs = io.StringIO()
    writer = csv.writer(theirs)
    writer.writerow(EXPORT_FIELDS)
    for row in rows:
        writer.writerow([csv_cell(name, row[name]) for name in EXPORT_FIELDS])
    assert ours.getvalue() == theirs.getvalue()
