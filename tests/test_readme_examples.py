"""The README as a contract: what a user copies from it runs and says what the
README says (its example SQL is run by tests/test_database_sql.py, taken from
README.md). Each test here is a defect a walk through the README found, and one
keeps the options the README gives to the CLI real."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_support import archive_url, sample_articles  # noqa: F401 (fixture)
from newsarchive.cli import main
from newsarchive.database import Archive

README = Path(__file__).resolve().parent.parent / "README.md"


def _readme_cli_lines() -> list[str]:
    """Every `newsarchive ...` command the README shows, inline or in a block."""
    text = README.read_text(encoding="utf-8")
    found = re.findall(r"`((?:\.venv/bin/)?newsarchive [a-z][^`\n]*)`", text)
    found += [line.strip() for line in text.splitlines()
              if re.match(r"\s*(\$ )?(\.venv/bin/)?newsarchive [a-z]", line)]
    return [re.sub(r"^.*?newsarchive ", "", line).split("#")[0] for line in found]


def test_every_option_the_readme_gives_a_command_exists() -> None:
    lines = _readme_cli_lines()
    assert len(lines) > 30
    unknown = []
    for line in lines:
        words = line.split()
        command = main.commands.get(words[0])
        if command is None:
            continue  # prose such as "newsarchive CLI", not a command line
        if words[0] == "db" and len(words) > 1:
            command = command.commands.get(words[1], command)
        options = {"--help", "-h"}
        for param in command.params:
            options.update(getattr(param, "opts", []), getattr(param, "secondary_opts", []))
        for word in words[1:]:
            # A query word such as -harbour is the query, not an option.
            if word.startswith("--") and word.split("=")[0] not in options:
                unknown.append((line, word))
    assert unknown == []


def test_a_configured_site_typed_as_its_address_points_to_its_name(
        archive_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # The README: --site takes the name `newsarchive stats` lists; an address typed
    # instead gets "did you mean ...". A configured crawl stores the site file's
    # name (bbc-news), and the address a user copies from the browser is the site's
    # page: it named nothing, "no article from site 'https://www.bbc.co.uk/news'".
    monkeypatch.delenv("NEWSARCHIVE_SITES_DIR", raising=False)
    articles = [dataclasses.replace(a, site="bbc-news") if a.site == "bbc.co.uk" else a
                for a in sample_articles()]
    with Archive(archive_url) as archive:
        archive.store_articles(articles)
    for typed in ("https://www.bbc.co.uk/news", "http://bbc.com/", "www.bbc.co.uk", "bbc.co.uk"):
        result = CliRunner().invoke(main, ["search", "budget", "--site", typed, "--db", archive_url])
        assert result.exit_code == 2, typed
        assert "did you mean 'bbc-news'?" in result.stderr, (typed, result.stderr)


@pytest.mark.parametrize(("name", "value", "says"), [
    ("NEWSARCHIVE_STORE_BATCH", "ten", "is not a whole number"),
    ("NEWSARCHIVE_STORE_BATCH_BYTES", "4MB", "is not a whole number"),
    ("NEWSARCHIVE_STORE_BATCH_SECONDS", "2s", "is not a number"),
    ("NEWSARCHIVE_MAX_ARTICLES", "twenty", "is not a whole number"),
    ("NEWSARCHIVE_ROBOTS_TIMEOUT", "20s", "is not a number"),
    ("NEWSARCHIVE_KEEP_RAW", "maybe", "is not on or off"),
    ("NEWSARCHIVE_STORE_WRITER", "threads", "is not one of thread, process"),
])
def test_a_bad_store_or_crawl_setting_is_refused_with_its_name(name: str, value: str, says: str) -> None:
    # The README's settings tables give these with -s; a value that is not of
    # their kind was read only once the engine built the component: a traceback
    # and exit status 1 (ValueError: invalid literal for int() with base 10: 'ten').
    from scrapy.settings import Settings

    from newsarchive.spiders.news import NewsSpider, SpiderArgumentError

    with pytest.raises(SpiderArgumentError, match=f"setting {name}: '{value}' {says}"):
        NewsSpider.check_arguments(Settings({name: value}), url="https://news.example/")


def test_the_settings_the_readme_gives_pass_the_check() -> None:
    from scrapy.settings import Settings

    from newsarchive.spiders.news import NewsSpider

    for name, value in (("NEWSARCHIVE_STORE_WRITER", "process"), ("NEWSARCHIVE_KEEP_RAW", "0"),
                        ("NEWSARCHIVE_MALLOC_TUNING", "0"), ("NEWSARCHIVE_MAX_ARTICLES", "20"),
                        ("NEWSARCHIVE_STORE_BATCH_SECONDS", "0")):
        NewsSpider.check_arguments(Settings({name: value}), url="https://news.example/")


def test_a_crawl_given_a_bad_setting_stops_at_start_with_status_2(tmp_path: Path) -> None:
    from crawlsite import run_crawl

    # Port 9 of 127.0.0.1 is never asked: the check runs before the crawl starts.
    result = run_crawl(tmp_path, "-a", "url=http://127.0.0.1:9/",
                       settings={"NEWSARCHIVE_STORE_BATCH": "ten"}, timeout=60)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "newsarchive: setting NEWSARCHIVE_STORE_BATCH: 'ten' is not a whole number")


@pytest.mark.slow
def test_the_demo_crawls_its_own_site_whatever_sites_folder_the_user_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The README's crawl set-up exports NEWSARCHIVE_SITES_DIR; the demo keeps its
    # archive and state apart from the user's, and now its site files too. A file
    # for a site in development on 127.0.0.1 claimed the demo's server: "the demo
    # crawl failed (exit status 0, 0 articles)".
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "dev.toml").write_text('name = "devsite"\ndomains = ["127.0.0.1"]\n'
                                    'start_urls = ["http://127.0.0.1:5000/"]\n'
                                    '[articles]\nallow = ["/posts/"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSARCHIVE_SITES_DIR", str(sites))
    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--dir", str(out)])
    assert result.exit_code == 0, result.output
    assert "8 articles in the feed, 8 in the archive" in result.output


def test_every_setting_read_as_a_number_or_switch_is_checked_at_start() -> None:
    # settingtypes lists the settings by name, apart from the components that
    # read them: a new setting read with getint/getfloat/getbool and left out
    # of its list would bring back the traceback and exit status 1.
    from newsarchive import settingtypes
    from newsarchive.spiders.news import _LIMIT_SETTINGS

    package = Path(settingtypes.__file__).resolve().parent
    read = {kind: set() for kind in ("int", "float", "bool")}
    for source in package.rglob("*.py"):
        for kind, name in re.findall(r"\.get(int|float|bool)\(\s*\"(NEWSARCHIVE_[A-Z_]+)\"",
                                     source.read_text(encoding="utf-8")):
            read[kind].add(name)
    limits = {key for key, _ in _LIMIT_SETTINGS.values()}
    assert read["int"] - limits <= set(settingtypes.WHOLE_NUMBERS)
    assert read["float"] <= set(settingtypes.NUMBERS)
    assert read["bool"] <= set(settingtypes.SWITCHES)
    assert len(read["int"]) + len(read["float"]) + len(read["bool"]) >= 19
