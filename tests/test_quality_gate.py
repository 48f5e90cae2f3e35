"""The extraction quality gate: the corpus metrics must not fall below the
floors in ``quality_floors.json`` (set a little under what the extractor
reaches, and raised as it improves). Speed is not gated here: timings belong
in benchmarks/, not in tests on a shared machine.

The same gate from the shell:
    newsarchive evaluate ../shared/corpus --floors tests/quality_floors.json
    newsarchive evaluate ../shared/corpus --without structured --floors tests/quality_floors_without_structured.json
    newsarchive evaluate ../shared/corpus --without classes --floors tests/quality_floors_without_classes.json
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsarchive import evaluation

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(not (CORPUS / "corpus.jsonl").exists(),
                    reason=f"evaluation corpus not found at {CORPUS}")
def test_corpus_metrics_stay_above_floors() -> None:
    report = evaluation.evaluate_corpus(CORPUS)
    expected = sum(1 for line in (CORPUS / "corpus.jsonl").open(encoding="utf-8") if line.strip())
    assert report.pages == expected, "every corpus page must be evaluated"
    assert report.errors == 0, f"{report.errors} pages raised during extraction"
    failures = evaluation.check_floors(report, FLOORS)
    assert not failures, "extraction quality regressed:\n" + "\n".join(failures)


# The same corpus after an ablation (``evaluate --without``), floors a little
# under what each reaches: the page-level fallbacks alone, with the structured
# data removed as sites that declare nothing serve their pages; and the rules
# without class words, every class name hashed as CSS-in-JS sites serve them.
ABLATION_FLOORS = {
    "structured": "quality_floors_without_structured.json",
    "classes": "quality_floors_without_classes.json",
}


@pytest.mark.skipif(not (CORPUS / "corpus.jsonl").exists(),
                    reason=f"evaluation corpus not found at {CORPUS}")
@pytest.mark.parametrize("without", sorted(ABLATION_FLOORS))
def test_ablations_stay_above_floors(without: str) -> None:
    floors = json.loads((Path(__file__).parent / ABLATION_FLOORS[without]).read_text(encoding="utf-8"))
    report = evaluation.evaluate_corpus(CORPUS, without=without)
    assert report.errors == 0, f"{report.errors} pages raised during extraction"
    failures = evaluation.check_floors(report, floors)
    assert not failures, f"extraction --without {without} regressed:\n" + "\n".join(failures)
