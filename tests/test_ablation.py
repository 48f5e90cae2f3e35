"""``newsarchive evaluate --without``: structured data removed from the parsed
tree before extraction, to measure the page-level fallbacks."""
from __future__ import annotations

import json

import lxml.html
from click.testing import CliRunner

from newsarchive import evaluation
from newsarchive.ablation import ABLATIONS, hash_classes, strip_jsonld, strip_structured
from newsarchive.cli import main
from tests.test_evaluation import write_corpus

URL = "https://www.harbour-news.example/local/2021/the-story"

_DECLARED = (
    '<html><head><title>T</title><meta charset="utf-8"><meta name="author" content="Jane Doe">'
    '<meta property="og:title" content="T"><link rel="author" href="/jane">'
    '<script type="application/ld+json">{"@type": "NewsArticle"}</script></head>'
    '<body><div itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">T</h1>'
    '<a rel="author" href="/jane">Jane Doe</a></div></body></html>'
)


def test_strip_jsonld_leaves_the_meta_tags() -> None:
    doc = lxml.html.document_fromstring(_DECLARED)
    strip_jsonld(doc)
    assert not doc.xpath("//script") and doc.xpath("//meta[@name='author']")


def test_strip_structured_leaves_what_a_reader_sees() -> None:
    doc = lxml.html.document_fromstring(_DECLARED)
    strip_structured(doc)
    assert not doc.xpath("//script | //meta[@name or @property] | //link[@rel='author']")
    assert not doc.xpath("//*[@itemprop or @itemscope or @itemtype]")
    # The document's own charset and the printed byline link stay.
    assert doc.xpath("//meta[@charset]") and doc.xpath("//a[@rel='author']")
    assert doc.findtext(".//h1") == "T"


def test_hash_classes_keeps_the_shape_and_loses_the_words() -> None:
    doc = lxml.html.document_fromstring(
        '<html><body><div class="comments  box" id="comments"><p class="box">Hi</p>'
        '<p class="">x</p></div></body></html>')
    hash_classes(doc)
    div, first, second = doc.xpath("//div | //p")
    names = div.get("class").split()
    assert len(names) == 2 and all(name.startswith("css-") for name in names)
    assert "comment" not in div.get("class") and "box" not in div.get("class")
    # One token, one name, as a stylesheet needs; ids stay (anchors, permalinks).
    assert first.get("class") == names[1] and div.get("id") == "comments"
    assert second.get("class") == ""


def test_ablation_extractor_changes_only_the_tree(tmp_path) -> None:
    html = _DECLARED.encode()
    declared = evaluation.default_extractor(html, URL)
    bare = evaluation.extractor_without("structured")(html, URL)
    assert declared["authors"] == ["Jane Doe"]
    assert bare["headline"] == "T"


def test_cli_without_runs_the_ablation_and_names_the_choices(tmp_path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    predictions = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--without", "structured", "--json",
                                       "--predictions", str(predictions)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.split("predictions written")[0])
    assert metrics["f1"] > 0.5 and metrics["without"] == "structured"
    lines = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert len(lines) == 2 and all(line["without"] == "structured" for line in lines)
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--without", "microformats"])
    assert result.exit_code == 2 and "jsonld" in result.output and "structured" in result.output
    help_text = CliRunner().invoke(main, ["evaluate", "--help"]).output
    assert "--without" in help_text and "--without structured" in help_text


def test_cli_choices_are_the_ablations() -> None:
    # The CLI lists the names without importing the extraction modules.
    from newsarchive.cli.extract_commands import evaluate

    option = next(p for p in evaluate.params if p.name == "without")
    assert sorted(option.type.choices) == sorted(ABLATIONS)


def test_every_output_names_the_ablation_that_ran(tmp_path) -> None:
    """Neither the table, --json nor the predictions lines said which mode ran."""
    corpus = write_corpus(tmp_path / "corpus")
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--without", "jsonld"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split()[:2] == ["without", "jsonld"]
    # A plain run: no such line in the table, null in --json and each predictions line.
    predictions = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--predictions", str(predictions)])
    assert result.exit_code == 0 and "without" not in result.output
    result = CliRunner().invoke(main, ["evaluate", str(corpus), "--json"])
    assert json.loads(result.output)["without"] is None
    assert all(json.loads(line)["without"] is None for line in predictions.read_text().splitlines())
