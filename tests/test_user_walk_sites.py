"""What a new user met adding a site file of their own, crawling it, re-crawling
it and re-reading the archive (user test 5): each test failed before its fix."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from archive_support import archive_url  # noqa: F401 (fixture)
from newsarchive import extract_article
from newsarchive.cli import main
from newsarchive.database import Archive
from newsarchive.items import RawPage

LOCAL_URL = "http://127.0.0.1:8765/news/harbour-bridge-reopens.html"
LOCAL_PAGE = (
    "<html><head><title>Harbour bridge reopens</title>"
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
    ' "headline": "Harbour bridge reopens after repairs", "datePublished": "2026-12-06T10:00:00Z",'
    ' "author": {"@type": "Person", "name": "Jane Doe"}}</script></head><body><article>'
    "<h1>Harbour bridge reopens after repairs</h1>"
    + "".join(f"<p>Paragraph {i}: the council met on Tuesday to discuss the plan and many "
              "residents spoke about the changes in detail.</p>" for i in range(6))
    + "</article></body></html>"
).encode()


def test_reparse_keeps_the_site_the_crawl_gave(archive_url: str,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # The crawl named the articles after the user's site file; a reparse run
    # without that sites folder (another shell, cron's environment) renamed
    # every one to its host, so `--site localtimes` found nothing afterwards,
    # and the dry run had said "0 would change".
    monkeypatch.delenv("NEWSARCHIVE_SITES_DIR", raising=False)
    headers = {"Content-Type": "text/html; charset=utf-8"}
    article = extract_article(LOCAL_PAGE, LOCAL_URL, headers=headers)
    article.site = "localtimes"
    article.raw = RawPage(LOCAL_PAGE, headers)
    with Archive(archive_url) as archive:
        archive.store_articles([article])
    runner = CliRunner()
    dry = runner.invoke(main, ["reparse", "--dry-run", "--db", archive_url])
    assert dry.exit_code == 0 and dry.stdout.startswith("0 would change, 1 unchanged"), dry.output
    real = runner.invoke(main, ["reparse", "--db", archive_url])
    assert real.exit_code == 0 and real.stdout.startswith("0 updated, 1 unchanged"), real.output
    with Archive(archive_url) as archive:
        assert archive.get_article(1)["site"] == "localtimes"
    assert runner.invoke(main, ["reparse", "--site", "localtimes", "--db", archive_url]).exit_code == 0


def test_unknown_site_names_the_file_whose_name_key_differs(tmp_path) -> None:
    # Following "Adding a site" (copy a shipped file to sites/<name>.toml),
    # the copy keeps `name = "independent"`, and `-a site=<name>` answered
    # only that the site was unknown, listing "independent".
    from scrapy.settings import Settings

    from newsarchive.spiders.news import SpiderArgumentError, resolve_targets

    (tmp_path / "localtimes.toml").write_text(
        'name = "independent"\ndomains = ["127.0.0.1:8765"]\nstart_urls = ["http://127.0.0.1:8765/"]\n',
        encoding="utf-8")
    settings = Settings({"NEWSARCHIVE_SITES_DIR": str(tmp_path)})
    with pytest.raises(SpiderArgumentError) as caught:
        resolve_targets(settings, site="localtimes")
    assert f"{tmp_path / 'localtimes.toml'} is named 'independent' by its `name` key" in str(caught.value)


@pytest.mark.parametrize("allow, warned", [
    # The shipped independent.toml's pattern, left in a copy for another site.
    (r'-[ab]\d{5,}\.html$', True),
    (r'/20\d\d/\d\d/\d\d/', False),
])
def test_allow_patterns_that_match_nothing_are_reported(tmp_path, allow: str, warned: bool) -> None:
    # The run read every article page as a listing, stored nothing and said
    # nothing: exit 0, no skip count, no warning.
    from crawlsite import crawl_demo_with_site_file

    result, site_file = crawl_demo_with_site_file(tmp_path, f"[articles]\nallow = ['{allow}']\n", feed=None)
    assert result.returncode == 0, result.stderr[-3000:]
    message = (f"site local: no address found matched the [articles] allow patterns of "
               f"{site_file}")
    assert (message in result.stderr) is warned, result.stderr[-3000:]


def test_show_and_diff_take_an_address_without_its_scheme(archive_url: str) -> None:  # noqa: F811
    # The crawl takes `-a url=host/path`; show and diff answered "no article"
    # for the same address typed without http(s)://.
    article = extract_article(LOCAL_PAGE, LOCAL_URL, headers={"Content-Type": "text/html"})
    with Archive(archive_url) as archive:
        archive.store_articles([article])
    runner = CliRunner()
    for command in ("show", "diff"):
        result = runner.invoke(main, [command, "127.0.0.1:8765/news/harbour-bridge-reopens.html",
                                      "--db", archive_url])
        assert result.exit_code == 0, result.output
        assert "Harbour bridge reopens after repairs" in result.stdout
    missing = runner.invoke(main, ["show", "harbour-bridge-reopens", "--db", archive_url])
    assert missing.exit_code == 1 and "no article 'harbour-bridge-reopens'" in missing.stderr


def test_export_to_a_csv_file_writes_csv(archive_url: str, tmp_path) -> None:  # noqa: F811
    # `export -o bbc.csv` without --format wrote JSONL lines into bbc.csv
    # (and said "written to bbc.csv"), unlike `scrapy crawl -O x.csv`.
    article = extract_article(LOCAL_PAGE, LOCAL_URL, headers={"Content-Type": "text/html"})
    with Archive(archive_url) as archive:
        archive.store_articles([article])
    target = tmp_path / "local.CSV"
    result = CliRunner().invoke(main, ["export", "-o", str(target), "--db", archive_url])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("url,canonical_url,site,headline,")
    lines = CliRunner().invoke(main, ["export", "--db", archive_url]).stdout
    assert lines.startswith('{"url":')


def test_sites_reports_a_bad_file_with_the_crawls_status(tmp_path) -> None:
    # README: "run `newsarchive sites` to check the file"; a bad file gave
    # status 1 there and 2 in the crawl.
    (tmp_path / "Local Times.toml").write_text('domains = ["127.0.0.1:8765"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["sites", "--dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "bad site file" in result.stderr and "Local Times.toml" in result.stderr


def test_a_site_file_given_as_the_sites_folder_is_named_a_file(tmp_path) -> None:
    # NEWSARCHIVE_SITES_DIR=sites/localtimes.toml was answered "does not exist".
    from newsarchive.sites import SiteConfigError, load_sites

    site_file = tmp_path / "localtimes.toml"
    site_file.write_text('domains = ["127.0.0.1:8765"]\n', encoding="utf-8")
    with pytest.raises(SiteConfigError) as caught:
        load_sites(site_file)
    assert str(caught.value) == (f"sites folder {site_file} (NEWSARCHIVE_SITES_DIR) "
                                 "is a file; give the folder that holds it")


def _small_hourly_runs_then_a_redesign(archive: Archive) -> None:
    """Eight runs of 2 articles each; the last three lost their authors."""
    n = 0
    for hour in range(8):
        run = archive.start_run("localtimes", "news", {"site": "localtimes"})
        batch = []
        for _ in range(2):
            n += 1
            article = extract_article(LOCAL_PAGE, LOCAL_URL.replace(".html", f"-{n}.html"),
                                      headers={"Content-Type": "text/html"})
            article.site = "localtimes"
            article.fetched_at = f"2026-12-07T{hour:02d}:05:00+00:00"
            if hour >= 5:  # the redesign
                article.authors = []
            batch.append(article)
        archive.store_articles(batch, run_id=run)
        archive.finish_run(run, "finished", {})


def test_stats_flags_a_redesign_of_a_site_with_small_hourly_runs(archive_url: str) -> None:  # noqa: F811
    # Every run stored 2 articles, fewer than the 5 a run needed to count:
    # the authors share fell from 100 % to 0 % and stats said nothing.
    with Archive(archive_url) as archive:
        _small_hourly_runs_then_a_redesign(archive)
        (flag,) = archive.stats()[0].flags
    assert flag.startswith("authors share fell from 100% to 0% in the latest 3 runs (run 6 to run 8, "
                           "6 articles)"), flag


def test_stats_says_a_flag_is_the_whole_sites_beside_filtered_shares(archive_url: str) -> None:  # noqa: F811
    # `stats --author X` printed the site's redesign flag under X's own
    # percentages, as if X's articles had lost their authors.
    with Archive(archive_url) as archive:
        _small_hourly_runs_then_a_redesign(archive)
    plain = CliRunner().invoke(main, ["stats", "--db", archive_url])
    filtered = CliRunner().invoke(main, ["stats", "--since", "2000-01-01", "--db", archive_url])
    assert plain.exit_code == 0 and filtered.exit_code == 0, (plain.output, filtered.output)
    assert "! localtimes: authors share fell" in plain.stdout
    assert "not only these filters' articles" not in plain.stdout
    assert "(from all the site's runs, not only these filters' articles)" in filtered.stdout


@pytest.mark.parametrize("args", [
    ["export", "--site", ""], ["export", "--query", " "], ["reparse", "--site", "", "--dry-run"],
    ["search", "council", "--author", ""], ["stats", "--until", ""],
])
def test_an_empty_filter_is_refused(archive_url: str, args: list[str]) -> None:  # noqa: F811
    # `newsarchive export --site "$SITE"` with SITE unset exported the whole
    # archive (and reparse --site "" re-read every article), status 0.
    article = extract_article(LOCAL_PAGE, LOCAL_URL, headers={"Content-Type": "text/html"})
    with Archive(archive_url) as archive:
        archive.store_articles([article])
    result = CliRunner().invoke(main, [*args, "--db", archive_url])
    assert result.exit_code == 2, result.output
    assert "is empty; give a value or leave the option out" in result.stderr
    assert result.stdout == ""


@pytest.mark.slow
def test_a_site_renamed_in_its_file_keeps_its_articles_and_its_incremental_runs(tmp_path) -> None:
    # The README says to change a copied file's `name`. After a rename every
    # article stored before was "unchanged" and kept the old name, so the run's
    # lookups (by site) never found it again: every later run fetched every
    # article as new, `stats` said the site had no article ("check its
    # [articles] patterns") and `--site NEWNAME` found nothing.
    import sqlite3

    from crawlsite import crawl_stats, run_crawl
    from newsarchive.demo.server import SiteServer

    sites = tmp_path / "sites"
    sites.mkdir()
    settings = {"NEWSARCHIVE_SITES_DIR": str(sites)}
    with SiteServer() as site:
        host = site.base_url.split("//", 1)[1].rstrip("/")
        body = f'domains = ["{host}"]\nstart_urls = ["{site.base_url}/"]\n'
        (sites / "local.toml").write_text(body, encoding="utf-8")
        first = run_crawl(tmp_path, "-a", "site=local", settings=settings, feed=None)
        assert first.returncode == 0, first.stderr[-3000:]
        (sites / "local.toml").write_text('name = "harbour"\n' + body, encoding="utf-8")
        runs = [run_crawl(tmp_path, "-a", "site=harbour", settings=settings, feed=None)
                for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr[-3000:]
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        assert conn.execute("select site, count(*) from articles group by site").fetchall() == [
            ("harbour", 8)]
    last = crawl_stats(runs[-1].stderr)
    assert "newsarchive/articles/new" not in last, last
    result = CliRunner().invoke(main, ["stats", "--json", "--db", str(tmp_path / "archive.db")])
    assert [(row["site"], row["articles"]) for row in __import__("json").loads(result.stdout)] == [
        ("harbour", 8)]


def test_reparse_stops_at_a_bad_site_file_in_the_environments_folder(
        archive_url: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # With NEWSARCHIVE_SITES_DIR set (as for the crawl) and a typo in one of
    # its files, reparse went on with no site files at all: every article was
    # rewritten without its site's timezone and selectors ('3 would change'),
    # where the crawl and `newsarchive sites` stop with status 2.
    headers = {"Content-Type": "text/html; charset=utf-8"}
    article = extract_article(LOCAL_PAGE, LOCAL_URL, headers=headers)
    article.raw = RawPage(LOCAL_PAGE, headers)
    with Archive(archive_url) as archive:
        archive.store_articles([article])
    (tmp_path / "localtimes.toml").write_text(
        'domains = ["127.0.0.1:8765"]\nstart_urls = ["http://127.0.0.1:8765/"]\ntimezone = "Europe/Berln"\n',
        encoding="utf-8")
    monkeypatch.setenv("NEWSARCHIVE_SITES_DIR", str(tmp_path))
    for args in (["reparse", "--dry-run"], ["reparse"]):
        result = CliRunner().invoke(main, [*args, "--db", archive_url])
        assert result.exit_code == 2, result.output
        assert "localtimes.toml" in result.output and "'timezone'" in result.output


def test_a_limit_given_with_s_wins_over_the_site_files_for_that_run(tmp_path) -> None:
    # "Adding a site" says to try a file with -s NEWSARCHIVE_MAX_ARTICLES=20;
    # a file written after the README's example (max_articles = 0, "no
    # limit") crawled the whole site anyway, the file's value winning.
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from newsarchive.spiders.news import NewsSpider

    (tmp_path / "courier.toml").write_text(
        'domains = ["courier.example"]\n[limits]\nmax_articles = 0\nmax_listing_pages = 4\nlisting_depth = 2\n',
        encoding="utf-8")

    def limits(**cmdline: str) -> tuple[int, int, int]:
        settings = Settings()
        settings.setmodule("newsarchive.settings", priority="project")
        settings.setdict({"NEWSARCHIVE_SITES_DIR": str(tmp_path), "NEWSARCHIVE_STATE_DIR": "",
                          **cmdline}, priority="cmdline")
        spider = NewsSpider.from_crawler(Crawler(NewsSpider, settings), site="courier")
        site = spider.targets["courier"]
        return tuple(spider._limit(site, name) for name in ("max_articles", "max_listing_pages", "listing_depth"))

    assert limits() == (0, 4, 2)  # the file's, over the project's defaults
    assert limits(NEWSARCHIVE_MAX_ARTICLES="20", NEWSARCHIVE_LISTING_DEPTH="0") == (20, 4, 0)
