"""The extraction quality gate: the corpus metrics must not fall below the
floors in ``quality_floors.json`` (set a little under what the extractor
reaches, and raised as it improves). Speed is not gated here: timings belong
in benchmarks/, not in tests on a shared machine.

The same gate from the shell:
    newsarchive evaluate ../shared/corpus --floors tests/quality_floors.json
    newsarchive evaluate ../shared/corpus --without structured --floors tests/quality_floors_without_structured.json
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


# The page-level fallbacks alone: the same corpus with its structured data
# removed after parsing (``--without structured``), as sites that declare
# nothing serve their pages. Floors a little under what they reach.
FLOORS_WITHOUT_STRUCTURED = json.loads(
    (Path(__file__).parent / "quality_floors_without_structured.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(not (CORPUS / "corpus.jsonl").exists(),
                    reason=f"evaluation corpus not found at {CORPUS}")
def test_fallbacks_without_structured_data_stay_above_floors() -> None:
    report = evaluation.evaluate_corpus(CORPUS, without="structured")
    assert report.errors == 0, f"{report.errors} pages raised during extraction"
    failures = evaluation.check_floors(report, FLOORS_WITHOUT_STRUCTURED)
    assert not failures, "fallback quality (no structured data) regressed:\n" + "\n".join(failures)
