"""Defects found walking the archive's history tools and the PostgreSQL back
end as a user would (walk 3): each test runs on SQLite and, when it is
running, PostgreSQL, through click's CliRunner."""
from __future__ import annotations

import dataclasses
import json

import pytest

from archive_support import archive_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.database import Archive
from test_cli_archive import filled, run  # noqa: F401 (fixture)


def ids(*args: str) -> list[int]:
    code, out, err = run("search", *args, "--json")
    assert code == 0, err
    return sorted(row["id"] for row in json.loads(out))


# --- a query word beginning with "-" -----------------------------------------------


def test_a_query_beginning_with_a_dash_is_the_query_not_an_option(filled: str) -> None:
    """`newsarchive search -harbour` failed with click's "No such option '-a'"."""
    code, out, err = run("search", "-syria", "russia", "--db", filled)
    assert code == 0, err
    assert "No such option" not in err
    assert ids("-syria", "russia", "--db", filled) == [5]
    # Its place among the words does not matter; an option after it is still one.
    assert ids("russia", "-syria", "--site", "independent.co.uk", "--db", filled) == [5]
    assert ids("--db", filled, "russia", "-oil") == [1]


def test_a_leading_dash_leaves_a_word_out_as_web_searches_do(filled: str) -> None:
    """`russia -syria` searched for both words: the "-" was dropped with the
    punctuation, so the word meant to be left out was required instead."""
    assert ids("russia -syria", "--db", filled) == [5]
    assert ids('russia -"fighter jets"', "--db", filled) == [5]
    # Within a word the dash is text, as before.
    assert ids("Ecuador's", "--db", filled) == [4]


def test_a_query_of_left_out_words_only_is_one_line_exit_2(filled: str) -> None:
    code, out, err = run("search", "-harbour", "--db", filled)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("Error: bad query:")
    assert "NOT" in err


def test_an_unknown_long_option_is_still_an_error(filled: str) -> None:
    code, _, err = run("search", "russia", "--sinse", "2016", "--db", filled)
    assert code == 2 and "No such option" in err


# --- FTS5 column sets ----------------------------------------------------------------


def test_a_column_set_filters_as_fts5_has_it(filled: str) -> None:
    """`{headline body}:word` answered "No matches" (read as the words
    "{headline" and "body}")."""
    # "Russia" is in 1's headline and body, in 5's body only.
    assert ids("{headline standfirst}:russia", "--db", filled) == [1]
    assert ids("{headline body}:russia", "--db", filled) == [1, 5]
    assert ids("{body}:traders", "--db", filled) == [5]
    assert ids("{ headline  body }:russ*", "--db", filled) == [1, 5]


def test_a_column_left_out_with_a_dash(filled: str) -> None:
    """FTS5's `-headline:word` (every column but the headline)."""
    assert ids("-headline:russia", "--db", filled) == [1, 5]
    assert ids("-{body}:russia", "--db", filled) == [1]
    assert ids("-{body standfirst}:oil", "--db", filled) == [5]


@pytest.mark.parametrize("query", ["{title}:russia", "{headline}", "{headline body:russia", "{}:russia"])
def test_a_bad_column_set_is_one_line_exit_2(filled: str, query: str) -> None:
    code, out, err = run("search", query, "--db", filled)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("Error: bad query:"), err


# --- --site with a port ------------------------------------------------------------


def test_site_with_a_port_suggests_the_host(archive_url: str) -> None:  # noqa: F811
    """Sites crawled by URL are stored by host, without the port the user crawled."""
    seed = sample_articles()[1]
    with Archive(archive_url) as archive:
        archive.store_articles([dataclasses.replace(
            seed, site="127.0.0.1", url="http://127.0.0.1:8765/news/1.html", canonical_url=None)])
    for command in (["search", "osborne"], ["export"], ["stats"]):
        code, out, err = run(*command, "--site", "127.0.0.1:8765", "--db", archive_url)
        assert code == 2, (command, err)
        assert "did you mean '127.0.0.1'?" in err, (command, err)
    code, out, err = run("search", "osborne", "--site", "http://www.bbc.co.uk/", "--db", archive_url)
    assert code == 2 and "did you mean '127.0.0.1'?" not in err


# --- stats ---------------------------------------------------------------------------


def test_stats_names_a_site_that_answered_nothing_once(archive_url: str) -> None:  # noqa: F811
    """A site of a several-site run that fetched no page got the "!" line
    twice: once as "crawled, but no article" and once as "fetched no page"."""
    with Archive(archive_url) as archive:
        archive.store_articles(sample_articles()[1:2])  # bbc.co.uk
        run_id = archive.start_run("bbc.co.uk,downsite", "news", {})
        archive.finish_run(run_id, "finished", {"newsarchive/run/sites_nothing_fetched": "downsite"})
        down = archive.start_run("othersite", "news", {})
        archive.finish_run(down, "site_down", {})
    code, out, _ = run("stats", "--db", archive_url)
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith("! downsite:")]
    assert len(lines) == 1, out
    assert "fetched no page" in lines[0]
    lines = [line for line in out.splitlines() if line.startswith("! othersite:")]
    assert len(lines) == 1, out
    assert "site_down" in lines[0]


def test_an_option_missing_its_value_is_named_as_before(filled: str) -> None:
    code, _, err = run("search", "russia", "--db", filled, "--limit")
    assert code == 2 and "'--limit' requires an argument" in err, err


# --- Datasette -----------------------------------------------------------------------


def test_datasette_labels_an_article_by_its_headline(tmp_path) -> None:
    """Every table pointing at an article (authors, captions, versions, dropped
    blocks, raw pages, fetches) showed its article as a bare id, "1": Datasette
    labels a foreign key only by a column it is told of (or one called name)."""
    import sqlite3

    from newsarchive.database.datasette import metadata_for

    path = tmp_path / "newsarchive.db"
    with Archive(f"sqlite:///{path}") as archive:
        archive.store_articles(sample_articles()[:1])
    tables = metadata_for(str(path))["databases"]["newsarchive"]["tables"]
    label = tables["articles"]["label_column"]
    with sqlite3.connect(path) as conn:
        (shown,) = conn.execute(f"SELECT {label} FROM articles").fetchone()
        pointing = {row[2] for name in ("article_authors", "captions", "versions", "dropped_blocks",
                                        "raw_pages", "fetches", "article_urls")
                    for row in conn.execute(f"PRAGMA foreign_key_list({name})")}
    assert shown.startswith("Russia starts military withdrawal")
    assert pointing == {"articles", "authors", "crawl_runs"}


def test_reparse_site_named_by_its_site_file_suggests_the_stored_host(archive_url: str, tmp_path) -> None:  # noqa: F811
    """A site crawled by URL is stored under its host; `reparse --site gazette
    --sites-dir DIR`, whose file has the domain "127.0.0.1:8765", listed the
    sites without a hint (the port, and the --sites-dir folder, were not looked at)."""
    seed = sample_articles()[1]
    with Archive(archive_url) as archive:
        archive.store_articles([dataclasses.replace(
            seed, site="127.0.0.1", url="http://127.0.0.1:8765/news/1.html", canonical_url=None)])
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "gazette.toml").write_text(
        'domains = ["127.0.0.1:8765"]\nstart_urls = ["http://127.0.0.1:8765/"]\n')
    code, _, err = run("reparse", "--site", "gazette", "--sites-dir", str(tmp_path / "sites"),
                       "--dry-run", "--db", archive_url)
    assert code == 2 and "did you mean '127.0.0.1'?" in err, err


# --- reparse and history -------------------------------------------------------------

_PAGE = ("<html><head><title>{h}</title></head><body><article><h1>{h}</h1>"
         "<p class='byline'>By Laura Pitel</p>{body}"
         "<p>Analysts at several banks expect the price to fall back once the summer driving season "
         "ends in the United States.</p></article></body></html>")
_PARAS = ("<p>Brent crude rose above $40 a barrel as producers met in Doha to discuss a freeze in output "
          "that traders said could steady prices for the rest of the year.</p>"
          "<p>Traders said a deal between Russia and Saudi Arabia remained uncertain, and that Iran "
          "had so far refused to join any agreement on production.</p>")


def _page_versions(archive_url: str) -> None:
    """An article crawled twice: the site changed its headline in between."""
    from newsarchive import extract_article
    from newsarchive.items import RawPage

    headers = {"Content-Type": "text/html; charset=utf-8"}
    with Archive(archive_url) as archive:
        for n, headline in enumerate(["Oil price rises as producers meet",
                                      "Oil price rises as producers agree a freeze"]):
            html = _PAGE.format(h=headline, body=_PARAS).encode()
            article = extract_article(html, "https://www.independent.co.uk/news/oil-a1.html", headers=headers,
                                      fetched_at=f"2016-04-1{n}T10:00:00+00:00")
            archive.store_articles([dataclasses.replace(article, raw=RawPage(html, headers))])


def test_reparse_reads_earlier_versions_again_so_diff_shows_only_the_site_s_edits(
        archive_url: str, tmp_path) -> None:  # noqa: F811
    """A reparse rewrote the current version only: a rule that now drops a
    paragraph made `diff` say the site removed it ("body edited")."""
    _page_versions(archive_url)
    code, out, _ = run("diff", "1", "--json", "--db", archive_url)
    assert code == 0 and json.loads(out)["summary"] == ["headline changed"]
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "independent.toml").write_text(
        'domains = ["independent.co.uk"]\n\n[[rules]]\nname = "bio"\n'
        'pattern = "^Analysts at several banks"\nkind = "text"\n')
    code, out, err = run("reparse", "--dry-run", "--sites-dir", str(sites), "--db", archive_url)
    assert code == 0, err
    assert out.strip() == "1 would change, 0 unchanged, 0 skipped; earlier versions: 1 would change, 0 unchanged, 0 skipped"
    code, out, err = run("reparse", "--sites-dir", str(sites), "--db", archive_url)
    assert out.strip() == "1 updated, 0 unchanged, 0 skipped; earlier versions: 1 updated, 0 unchanged, 0 skipped"
    code, out, _ = run("show", "1", "--json", "--db", archive_url)
    shown = json.loads(out)
    assert [v["version"] for v in shown["versions"]] == [1, 2]  # no version added
    assert all("Analysts at several banks" not in v["body"] for v in shown["versions"])
    assert shown["versions"][0]["headline"] == "Oil price rises as producers meet"
    assert shown["versions"][0]["first_seen"] == "2016-04-10T10:00:00+00:00"
    code, out, _ = run("diff", "1", "--json", "--db", archive_url)
    assert json.loads(out)["summary"] == ["headline changed"]
    code, out, _ = run("reparse", "--sites-dir", str(sites), "--db", archive_url)
    assert out.strip() == "0 updated, 1 unchanged, 0 skipped; earlier versions: 0 updated, 1 unchanged, 0 skipped"
