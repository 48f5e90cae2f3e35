"""``newsarchive extract`` and ``newsarchive evaluate``."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from click.testing import CliRunner

from newsarchive.cli import main
from tests.test_evaluation import write_corpus

SEED = Path(__file__).parent / "fixtures" / "seed_independent.html"
URL = "https://www.independent.co.uk/news/world/europe/russia-a6931506.html"


def test_extract_prints_the_item_as_json(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(SEED), "--url", URL])
    assert result.exit_code == 0, result.output
    item = json.loads(result.stdout)
    assert item["url"] == URL
    assert item["body"].startswith("Russia has started preparing its fighter jets")
    assert "dropped" not in item and "raw" not in item


def test_extract_reads_gzip_and_shows_dropped_blocks(tmp_path):
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(SEED.read_bytes()))
    result = CliRunner().invoke(main, ["extract", str(packed), "--url", URL, "--dropped"])
    assert result.exit_code == 0, result.output
    item = json.loads(result.stdout)
    assert any(d["rule"] == "donation" for d in item["dropped"])


def test_evaluate_prints_metrics_and_writes_predictions(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    predictions = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--predictions", str(predictions)])
    assert result.exit_code == 0, result.output
    assert "body F1" in result.output and "median ms/page" in result.output
    assert len(predictions.read_text().splitlines()) == 2


def test_evaluate_fails_below_a_floor_and_names_the_metric(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--min-must-contain", "0.99", "--min-f1", "0.5"])
    assert result.exit_code == 1
    assert "must_contain" in result.output and "below the floor" in result.output
    assert "FAIL f1" not in result.output


def test_evaluate_floors_file(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"f1": 0.5, "comments": 0.5}))
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--floors", str(floors), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["f1"] > 0.5
    floors.write_text(json.dumps({"bogus": 1}))
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--floors", str(floors)])
    assert result.exit_code != 0 and "unknown metric" in result.output


def test_help_has_examples():
    for command in ("extract", "evaluate"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert "Example:" in result.output


def test_extract_says_which_site_selectors_matched_nothing(tmp_path):
    from tests.test_crawl_extraction import SELECTED_PAGE

    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "harbour.toml").write_text(
        'domains = ["harbour.example"]\n\n[selectors]\nheadline = "h1.story-title"\n'
        'authors = ".byline .author-name"\n', encoding="utf-8")
    page = tmp_path / "story.html"
    page.write_text(SELECTED_PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(page), "--url", "https://harbour.example/a",
                                       "--sites-dir", str(sites)])
    assert result.exit_code == 0, result.output
    assert ("Note: these [selectors] matched nothing on this page, so the generic extraction gave "
            "those fields: authors = '.byline .author-name'.") in result.stderr
    assert "headline =" not in result.stderr
    assert json.loads(result.stdout)["authors"] == ["Jane Doe"]


def _rewrite_rows(corpus: Path, **changes: object) -> None:
    """Set ``changes`` on the first row of the corpus written by write_corpus."""
    path = corpus / "corpus.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows[0].update(changes)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")


def test_evaluate_warns_of_a_reference_date_that_is_no_calendar_day(tmp_path):
    """It was scored as a miss with no word: a corpus slip looked like an extraction miss."""
    corpus = write_corpus(tmp_path / "corpus")
    _rewrite_rows(corpus, published="2022-25-10")
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    assert "warning: page a: reference published '2022-25-10' is no calendar day" in result.stderr
    assert json.loads(result.stdout)["date"] == 0.0
    # A page the run does not score is not warned of.
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--source", "s2"])
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_evaluate_refuses_a_reference_of_the_wrong_type_naming_the_line(tmp_path):
    """Authors given as one string were compared letter by letter."""
    corpus = write_corpus(tmp_path / "corpus")
    _rewrite_rows(corpus, authors="Ann Lee")
    result = CliRunner().invoke(main, ["evaluate", str(corpus)])
    assert result.exit_code == 2
    assert 'line 1: "authors" must be a list of strings or null' in result.output
    assert "Traceback" not in result.output
    _rewrite_rows(corpus, authors=["Ann Lee"], published=20200102)
    result = CliRunner().invoke(main, ["evaluate", str(corpus)])
    assert result.exit_code == 2 and '"published" must be a string or null, not int' in result.output


def test_extract_with_a_bad_site_file_exits_2_as_the_crawl_does(tmp_path):
    # Checking a new site file on a saved page is what `extract --sites-dir`
    # is for; a bad file gave status 1 (the crawl and `sites` give 2).
    (tmp_path / "broken.toml").write_text('domains = ["a.example"]\ntimezone = "Europe/Berln"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(SEED), "--url", URL, "--sites-dir", str(tmp_path)])
    assert result.exit_code == 2 and "broken.toml" in result.output and "'timezone'" in result.output
