"""The sample site, its server, ``newsarchive demo`` and ``newsarchive sites``."""
from __future__ import annotations

import json
import re
import shlex
import shutil
import sys
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html

from demo_expectations import ARTICLES, NON_ARTICLE_PATHS
from newsarchive.demo.server import SITE_DIR, SiteServer

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    with SiteServer() as server:
        yield server


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# -- the sample site -------------------------------------------------------------

def test_robots_txt_names_the_sitemap_at_the_served_address(site: SiteServer) -> None:
    status, headers, body = _get(site.base_url + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {site.base_url}/sitemap_index.xml" in body.decode()
    assert "{base}" not in body.decode()


def test_sitemaps_and_feed_list_every_article_and_resolve(site: SiteServer) -> None:
    _, _, index = _get(site.base_url + "/sitemap_index.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    children = etree.fromstring(index).xpath("//s:sitemap/s:loc/text()", namespaces=ns)
    assert len(children) >= 3
    listed: set[str] = set()
    for child in children:
        status, _, body = _get(child)
        assert status == 200, child
        listed.update(etree.fromstring(body).xpath("//s:url/s:loc/text()", namespaces=ns))
    article_urls = {site.base_url + a.path for a in ARTICLES}
    assert article_urls <= listed
    _, _, news = _get(site.base_url + "/sitemap-news.xml")
    assert b"<news:publication_date>" in news and b"<news:title>" in news

    status, headers, feed = _get(site.base_url + "/feed.rss")
    assert status == 200 and "rss" in headers["Content-Type"]
    links = etree.fromstring(feed).xpath("//item/link/text()")
    assert len(links) >= 5
    for link in links + sorted(listed):
        assert _get(link)[0] == 200, link


def test_article_pages_differ_in_markup(site: SiteServer) -> None:
    kinds = set()
    for article in ARTICLES:
        status, _, body = _get(site.base_url + article.path)
        assert status == 200
        tree = html.fromstring(body)
        assert tree.xpath("//h1"), article.path
        if tree.xpath('//script[@type="application/ld+json"]'):
            kinds.add("json-ld")
            if b'"@graph"' in body:
                kinds.add("json-ld-graph")
        elif tree.xpath("//*[@itemscope]"):
            kinds.add("microdata")
        elif tree.xpath('//meta[@property="og:title"]'):
            kinds.add("opengraph")
        else:
            kinds.add("plain")
    assert {"json-ld", "json-ld-graph", "microdata", "opengraph", "plain"} <= kinds
    assert 6 <= len(ARTICLES) <= 10


def test_non_article_pages_are_served(site: SiteServer) -> None:
    for path in NON_ARTICLE_PATHS:
        assert _get(site.base_url + path)[0] == 200, path
    _, _, section = _get(site.base_url + "/news/")
    assert b'rel="next"' in section


def test_server_routes(site: SiteServer) -> None:
    article = ARTICLES[0].path
    # A directory without its slash redirects, like most CMSs.
    status, _, _ = _get(site.base_url + "/news")
    assert status == 200  # urllib followed the 301
    assert site.requests[-2].status == 301 and site.requests[-2].path == "/news"
    # The AMP copy is served and points back to the article.
    status, _, body = _get(site.base_url + article + "/amp")
    assert status == 200 and f'rel="canonical" href="{site.base_url}{article}"'.encode() in body
    assert _get(site.base_url + "/no/such/page")[0] == 404
    # Nothing outside the site folder, however the path is spelled.
    assert _get(site.base_url + "/../server.py")[0] == 404
    assert _get(site.base_url + "/%2e%2e/server.py")[0] == 404


def test_server_answers_conditional_requests(site: SiteServer) -> None:
    url = site.base_url + ARTICLES[1].path
    status, headers, _ = _get(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert _get(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert _get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert _get(url, {"If-None-Match": '"other"'})[0] == 200


def test_server_serves_a_file_as_edited(tmp_path: Path) -> None:
    # Incremental crawls are tried by editing the site between runs: the
    # server used to keep each file as first served until it was restarted.
    article = ARTICLES[1].path
    root = tmp_path / "site"
    shutil.copytree(SITE_DIR, root)
    with SiteServer(root) as server:
        url = server.base_url + article
        _, before, body = _get(url)
        file = server.resolve(article)[0]
        assert file is not None
        file.write_bytes(file.read_bytes().replace(b"</p>", b" Correction added.</p>", 1))
        status, after, edited = _get(url, {"If-None-Match": before["ETag"]})
        assert status == 200 and b"Correction added." in edited and b"{base}" not in edited
        assert after["ETag"] != before["ETag"]
        assert _get(url, {"If-None-Match": after["ETag"]})[0] == 304


def test_site_files_are_package_data() -> None:
    # Every file of the site must ship in the wheel, or the installed demo breaks.
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    suffixes = {p.removeprefix("*") for p in patterns}
    files = [p for p in SITE_DIR.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert path.suffix in suffixes, f"{path} would not be installed"


def test_site_text_is_not_from_the_corpus() -> None:
    # The sample site is our own writing; no sentence of it comes from the evaluation corpus.
    corpus = REPO.parent / "shared" / "corpus" / "corpus.jsonl"
    if not corpus.exists():
        pytest.skip("shared corpus not present")
    bodies = " ".join(json.loads(line).get("body") or "" for line in corpus.open(encoding="utf-8"))
    for article in ARTICLES:
        assert article.body_starts not in bodies


# -- newsarchive demo ----------------------------------------------------------------

@pytest.mark.slow
def test_demo_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsarchive.cli import main

    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    monkeypatch.setenv("NEWSARCHIVE_STATE_DIR", str(tmp_path / "state"))
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--dir", str(out)])
    assert result.exit_code == 0, result.output
    archive, feed = out / "archive.db", out / "articles.jsonl"
    assert archive.exists() and feed.exists()
    assert str(archive) in result.output and str(feed) in result.output
    rows = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(ARTICLES)
    # A few rows are printed, newest first, with their authors and date.
    assert ARTICLES[0].headline in result.output
    assert "Maria Okafor, Tom Reyes" in result.output
    assert re.search(r"2024-03-12T08:15:00", result.output)
    assert f"{len(ARTICLES)} in the archive" in result.output
    # Skips are mostly decided on the link, unfetched: not "pages crawled".
    assert re.search(r"^Links and pages not stored as articles, by reason: .*tag 1", result.output, re.M)
    # The query hints work as printed, and leave nothing set in the user's shell
    # that would send a later real crawl into this throwaway archive.
    assert "export NEWSARCHIVE_DB_URL" not in result.output
    hint = next(line for line in result.output.splitlines()
                if line.strip().startswith("newsarchive search"))
    searched = CliRunner().invoke(main, shlex.split(hint)[1:])
    assert searched.exit_code == 0, searched.output
    assert "levee" in searched.stdout.lower() and "ceasefire" in searched.stdout.lower()

    # Running it again starts from a fresh archive and gives the same result,
    # also with an archive exported in the user's shell (the README's PostgreSQL
    # set-up), which the demo's crawl does not use ...
    elsewhere = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("NEWSARCHIVE_DB_URL", elsewhere)
    again = CliRunner().invoke(main, ["demo", "--dir", str(out)])
    assert again.exit_code == 0, again.output
    assert len(feed.read_text(encoding="utf-8").splitlines()) == len(ARTICLES)
    # ... and its hints, run as printed (VAR= before a command sets it for that
    # command), still query the demo's archive, not the exported one.
    hint = shlex.split(next(line for line in again.output.splitlines()
                            if "newsarchive search" in line))
    env = {}
    while "=" in hint[0]:
        name, _, value = hint.pop(0).partition("=")
        env[name] = value
    assert hint[0] == "newsarchive"
    searched = CliRunner().invoke(main, hint[1:], env=env)
    assert searched.exit_code == 0, searched.output
    assert "levee" in searched.stdout.lower()


def test_demo_help_has_an_example() -> None:
    from newsarchive.cli import main

    result = CliRunner().invoke(main, ["demo", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "newsarchive demo --dir" in result.output


# -- newsarchive sites ---------------------------------------------------------------

def test_sites_lists_the_bundled_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsarchive.cli import main

    monkeypatch.delenv("NEWSARCHIVE_SITES_DIR", raising=False)
    result = CliRunner().invoke(main, ["sites"])
    assert result.exit_code == 0, result.output
    assert "independent" in result.output and "independent.co.uk" in result.output
    verbose = CliRunner().invoke(main, ["sites", "-v"])
    assert "independent.toml" in verbose.output


def test_sites_reads_a_folder_and_reports_a_bad_file(tmp_path: Path) -> None:
    from newsarchive.cli import main

    (tmp_path / "gazette.toml").write_text(
        'domains = ["harbour-gazette.example"]\ntimezone = "Europe/London"\n', encoding="utf-8"
    )
    good = CliRunner().invoke(main, ["sites", "--dir", str(tmp_path)])
    assert good.exit_code == 0, good.output
    assert "gazette" in good.output and "harbour-gazette.example" in good.output and "Europe/London" in good.output

    (tmp_path / "broken.toml").write_text('domains = ["x.example"]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    bad = CliRunner().invoke(main, ["sites", "--dir", str(tmp_path)])
    assert bad.exit_code != 0
    assert "broken.toml" in bad.output and "timezone" in bad.output


def test_sites_verbose_shows_what_the_file_changes(tmp_path: Path) -> None:
    """A user checking a new file saw no sign its selectors, limits or recheck
    had been read; -v now prints them as the crawl will use them."""
    from newsarchive.cli import main

    (tmp_path / "gazette.toml").write_text(
        'domains = ["harbour-gazette.example"]\n[selectors]\nheadline = "h1.title"\n'
        '[limits]\nmax_articles = 20\ndownload_delay = 3\n[recheck]\nrecent = "2d"\nevery = "90m"\n',
        encoding="utf-8")
    result = CliRunner().invoke(main, ["sites", "--dir", str(tmp_path), "-v"])
    assert result.exit_code == 0, result.output
    assert "headline=h1.title" in result.output
    assert "max_articles=20, download_delay=3.0" in result.output
    assert "recent=2d, every=90m" in result.output


# -- the demo's helpers ----------------------------------------------------------------

def test_demo_crawl_command_is_the_users_crawl(tmp_path: Path) -> None:
    from newsarchive.demo.run import crawl_command, crawl_environment

    command = crawl_command("http://127.0.0.1:9", tmp_path / "a.jsonl", tmp_path / "c.log", tmp_path / "s")
    assert command[1:5] == ["-m", "scrapy", "crawl", "news"]
    assert ["-a", "url=http://127.0.0.1:9/"] == command[5:7]
    assert ["-O", str(tmp_path / "a.jsonl")] == command[7:9]
    assert f"NEWSARCHIVE_STATE_DIR={tmp_path / 's'}" in command
    assert "ROBOTSTXT_OBEY=False" not in command  # politeness relaxed, robots.txt still obeyed
    env = crawl_environment("sqlite:///x.db")
    assert env["NEWSARCHIVE_DB_URL"] == "sqlite:///x.db"
    assert env["SCRAPY_SETTINGS_MODULE"] == "newsarchive.settings"


def test_demo_rows_newest_first_by_instant() -> None:
    from newsarchive.demo.run import format_rows

    rows = [
        {"published": "2024-03-07T19:30:00+01:00", "headline": "earlier", "authors": ["A B"]},
        {"published": None, "headline": "undated"},
        {"published": "2024-03-07T19:00:00+00:00", "headline": "later", "authors": ["C D", "E F"]},
    ]
    lines = list(format_rows(rows, limit=2))
    assert len(lines) == 3  # header + 2 rows
    assert "later" in lines[1] and "C D, E F" in lines[1]
    assert "earlier" in lines[2]


def test_demo_server_on_a_taken_port_says_so_in_one_line() -> None:
    """It printed a 12-line OSError traceback."""
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "newsarchive.demo.server", "--port", str(port)],
                              capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr


def test_demo_hints_name_the_program_as_the_user_can_run_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The Quick start runs `.venv/bin/newsarchive demo` without activating the
    # virtualenv; its hints began with a bare `newsarchive`: command not found.
    from newsarchive.cli.crawl_commands import _program_as_typed

    script = tmp_path / ".venv" / "bin" / "newsarchive"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", [".venv/bin/newsarchive", "demo"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert _program_as_typed() == ".venv/bin/newsarchive"
    # Activated (or installed on PATH): the short name is this very program.
    monkeypatch.setenv("PATH", f"{script.parent}:/usr/bin:/bin")
    assert _program_as_typed() == "newsarchive"
    monkeypatch.setattr("sys.argv", [str(REPO / "newsarchive" / "__main__.py"), "demo"])
    assert _program_as_typed() == f"{shlex.quote(sys.executable)} -m newsarchive"
