"""Corpus evaluation: how good and how fast is ``extract_article``?

Measures an extractor over a folder laid out like ``shared/corpus``
(``corpus.jsonl`` plus gzipped pages) with the metrics that folder's README
defines, which follow the public article-extraction benchmark:

- body F1: text split into ``\\w+`` tokens, 4-token shingles counted as a
  multiset; per page TP/FP/FN normalised to sum 1 (so every page weighs the
  same); precision and recall averaged over pages; F1 of the two averages.
- snippet rates: share of ``must_contain`` snippets found in the body, share
  of ``must_not_contain`` and ``comments`` snippets absent from it, after
  lower-casing and folding punctuation and white space.
- headline / authors / date accuracy: exact after the same folding; authors
  compared as a set of names; dates on the calendar day.
- median and p95 milliseconds per page for the extraction call alone
  (reading and un-gzipping the file is not timed).

Free of Scrapy and of the CLI: ``newsarchive evaluate`` and the benchmark
script both call :func:`evaluate_corpus`. The extractor is a parameter so the
same numbers can be computed for another library in the same run.
"""
from __future__ import annotations

import gzip
import json
import math
import re
import statistics
import time
import unicodedata
from collections import Counter
from datetime import date
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

# An extractor takes the page bytes and its URL and returns the fields the
# metrics read: body, headline, authors, published.
Extractor = Callable[[bytes, str], Mapping[str, Any]]

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_FOLD_RE = re.compile(r"[\W_]+", re.UNICODE)
SHINGLE_SIZE = 4


# --------------------------------------------------------------------------
# Metric primitives (pure functions, unit-tested)

def tokenize(text: str | None) -> list[str]:
    """``\\w+`` tokens of ``text``, as the benchmark splits it."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE_SIZE) -> Counter[str]:
    """Multiset of ``n``-token shingles. A text shorter than ``n`` tokens is one
    shingle of all its tokens (the benchmark's behaviour); an empty text none."""
    tokens = tokenize(text)
    out: Counter[str] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = " ".join(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def shingle_match(true: str | None, pred: str | None, n: int = SHINGLE_SIZE) -> tuple[float, float, float]:
    """(TP, FP, FN) of shingles for one page, normalised to sum 1 (all 0 when
    both texts are empty), so long pages do not outweigh short ones."""
    true_sh, pred_sh = shingles(true, n), shingles(pred, n)
    tp = fp = fn = 0
    for key in true_sh.keys() | pred_sh.keys():
        t, p = true_sh.get(key, 0), pred_sh.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if not total:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def precision_recall_f1(matches: Iterable[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision, recall and F1 over pages from their normalised (TP, FP, FN):
    precision and recall are averaged over pages (a page with nothing
    predicted scores precision 0), F1 is taken of the two averages. This
    reproduces the peer figures quoted in issue 3 (trafilatura 0.962)."""
    precisions: list[float] = []
    recalls: list[float] = []
    for tp, fp, fn in matches:
        precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    if not precisions:
        return 0.0, 0.0, 0.0
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def fold(text: str | None) -> str:
    """Lower-case, Unicode-normalise, and turn every run of punctuation and
    white space into one space, so typographic quotes or line breaks do not
    decide a snippet match."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _FOLD_RE.sub(" ", text).strip()


def snippet_present(snippet: str, folded_body: str) -> bool:
    """Whether ``snippet`` occurs in a body already passed through :func:`fold`."""
    needle = fold(snippet)
    return bool(needle) and needle in folded_body


def same_day(true: str | None, pred: str | None) -> bool:
    """Whether two ISO 8601 dates fall on the same calendar day as written
    (the date part before any time; offsets are not converted)."""
    if not true or not pred:
        return False
    return true.strip()[:10] == pred.strip()[:10]


def same_authors(true: Iterable[str], pred: Iterable[str] | None) -> bool:
    """Whether two author lists hold the same set of names after folding."""
    return {fold(a) for a in true if fold(a)} == {fold(a) for a in (pred or []) if fold(a)}


# --------------------------------------------------------------------------
# Corpus reading

class CorpusError(ValueError):
    """``corpus.jsonl`` or a page it names cannot be read: the message says where."""


def read_corpus(corpus_dir: str | Path, *, source: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The rows of ``corpus.jsonl``, optionally one source and the first ``limit``.

    Every row kept is checked before any page is extracted, so a broken
    corpus fails at once with its line number, not with a traceback minutes in.
    """
    rows: list[dict[str, Any]] = []
    if limit is not None and limit <= 0:
        return rows
    path = Path(corpus_dir) / "corpus.jsonl"
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise CorpusError(f"{path}, line {number}: not JSON ({exc})") from None
            if not isinstance(row, dict) or not isinstance(row.get("html"), str):
                raise CorpusError(f'{path}, line {number}: no "html" key naming the page file')
            if not (Path(corpus_dir) / row["html"]).is_file():
                raise CorpusError(f"{path}, line {number}: no page file {row['html']} in {corpus_dir}")
            problem = _reference_type_problem(row)
            if problem:
                raise CorpusError(f"{path}, line {number}: {problem}")
            if source and row.get("source") != source:
                continue
            rows.append(row)
            if limit is not None and len(rows) >= limit:
                break
    return rows


# The reference fields and the JSON type each must have (None: not known).
# A wrong type scores silently wrong: authors given as one string were
# compared letter by letter.
_TEXT_FIELDS = ("headline", "published", "body")
_LIST_FIELDS = ("authors", "must_contain", "must_not_contain", "comments")


def _reference_type_problem(row: Mapping[str, Any]) -> str | None:
    for key in _TEXT_FIELDS:
        if row.get(key) is not None and not isinstance(row[key], str):
            return f'"{key}" must be a string or null, not {type(row[key]).__name__}'
    for key in _LIST_FIELDS:
        value = row.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return f'"{key}" must be a list of strings or null'
    return None


def reference_warnings(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Reference values that no extraction can match, one line each.

    A ``published`` that is no calendar day ("2022-25-10") is scored as a
    miss whatever is extracted; it is reported rather than refused, since
    real corpora carry such slips and the rest of the row is still good.
    """
    warnings: list[str] = []
    for row in rows:
        published = row.get("published")
        if not published:
            continue
        try:
            date.fromisoformat(published.strip()[:10])
        except ValueError:
            warnings.append(f"page {row.get('id')}: reference published {published!r} is no calendar day "
                            f"(YYYY-MM-DD): its date is scored as a miss")
    return warnings


def read_page(corpus_dir: str | Path, row: Mapping[str, Any]) -> bytes:
    """The page bytes of one corpus row (gunzipped when the file is gzip)."""
    data = (Path(corpus_dir) / row["html"]).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def page_url(row: Mapping[str, Any]) -> str:
    """The page's original address, or a stand-in for rows that lack one."""
    return row.get("url") or f"https://corpus.invalid/{row.get('id', 'page')}"


# --------------------------------------------------------------------------
# Evaluation

@dataclass
class PageResult:
    """Prediction and scores of one page."""

    id: str
    source: str
    url: str
    ms: float
    prediction: dict[str, Any]
    match: tuple[float, float, float] | None = None
    missing: list[str] = field(default_factory=list)
    """``must_contain`` snippets absent from the body."""
    leaked: list[str] = field(default_factory=list)
    """``must_not_contain`` snippets present in the body."""
    comments_leaked: list[str] = field(default_factory=list)
    headline_ok: bool | None = None
    authors_ok: bool | None = None
    date_ok: bool | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "source": self.source, "url": self.url, "ms": round(self.ms, 3)}
        if self.match is not None:
            p, r, f = precision_recall_f1([self.match])
            out.update(precision=round(p, 4), recall=round(r, 4), f1=round(f, 4))
        out.update(
            missing=self.missing, leaked=self.leaked, comments_leaked=self.comments_leaked,
            headline_ok=self.headline_ok, authors_ok=self.authors_ok, date_ok=self.date_ok,
        )
        if self.error:
            out["error"] = self.error
        out["prediction"] = self.prediction
        return out


@dataclass
class Report:
    """Corpus-level metrics. A metric is None when no page carries its truth."""

    pages: int
    body_pages: int
    precision: float | None
    recall: float | None
    f1: float | None
    f1_by_source: dict[str, float]
    must_contain: float | None
    must_not_contain: float | None
    comments: float | None
    headline: float | None
    authors: float | None
    date: float | None
    median_ms: float
    p95_ms: float
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    without: str | None = None
    """The ablation the run removed from each page (``evaluate --without``), or None."""

    def metrics(self) -> dict[str, float | None]:
        """Flat metric name -> value, the names the CLI floors use."""
        out: dict[str, float | None] = {
            "f1": self.f1, "precision": self.precision, "recall": self.recall,
            "must_contain": self.must_contain, "must_not_contain": self.must_not_contain,
            "comments": self.comments, "headline": self.headline, "authors": self.authors,
            "date": self.date, "median_ms": self.median_ms, "p95_ms": self.p95_ms,
        }
        for source, value in self.f1_by_source.items():
            out[f"f1[{source}]"] = value
        return out


def article_fields(article: Any) -> dict[str, Any]:
    """The fields the metrics read, from an Article or a mapping."""
    get = article.get if isinstance(article, Mapping) else (lambda k, d=None: getattr(article, k, d))
    return {
        "headline": get("headline"),
        "authors": list(get("authors") or []),
        "published": get("published"),
        "body": get("body") or "",
    }


def default_extractor(html: bytes, url: str) -> Mapping[str, Any]:
    """``extract_article`` as the crawl runs it, reduced to the metric fields
    plus a few that help reading failures."""
    return _extract(html, url)


def _extract(html: bytes, url: str, edit_tree: Callable[[Any], None] | None = None) -> dict[str, Any]:
    from newsarchive.extraction.page import extract_article

    article = extract_article(html, url, edit_tree=edit_tree)
    out = article_fields(article)
    out.update(
        standfirst=article.standfirst, byline=article.byline, published_raw=article.published_raw,
        captions=[vars(c).copy() for c in article.captions],
        dropped=[vars(d).copy() for d in article.dropped],
        page_type=article.page_type, language=article.language,
    )
    return out


def extractor_without(name: str) -> Extractor:
    """``default_extractor`` on the page with ``name``'s markup removed after
    parsing (``"jsonld"``, ``"structured"``): how the page-level fallbacks do
    on sites that declare nothing. Raises KeyError for an unknown name."""
    from newsarchive.ablation import ABLATIONS

    edit = ABLATIONS[name]

    def extract(html: bytes, url: str) -> Mapping[str, Any]:
        return _extract(html, url, edit)

    return extract


def score_page(row: Mapping[str, Any], prediction: Mapping[str, Any], ms: float) -> PageResult:
    """Scores of one page against its ground truth row."""
    pred = dict(prediction)
    body = pred.get("body") or ""
    folded = fold(body)
    result = PageResult(id=row.get("id", ""), source=row.get("source", ""), url=page_url(row), ms=ms, prediction=pred)
    if row.get("body"):
        result.match = shingle_match(row["body"], body)
    result.missing = [s for s in row.get("must_contain") or [] if not snippet_present(s, folded)]
    result.leaked = [s for s in row.get("must_not_contain") or [] if snippet_present(s, folded)]
    result.comments_leaked = [s for s in row.get("comments") or [] if snippet_present(s, folded)]
    if row.get("headline"):
        result.headline_ok = fold(row["headline"]) == fold(pred.get("headline"))
    if row.get("authors"):
        result.authors_ok = same_authors(row["authors"], pred.get("authors"))
    if row.get("published"):
        result.date_ok = same_day(row["published"], pred.get("published"))
    return result


def run_pages(
    corpus_dir: str | Path,
    rows: Iterable[Mapping[str, Any]],
    extractor: Extractor | None = None,
) -> Iterator[PageResult]:
    """Extract and score each row; a crash on one page is recorded, not raised.

    The first page is extracted once untimed: the first call imports and
    compiles the extractor's modules (over a second), which would otherwise be
    the slowest "page" and, on a small run (``--limit``, ``--source``), the p95.
    """
    extract = extractor or default_extractor
    rows = list(rows)
    if rows:
        try:
            extract(read_page(corpus_dir, rows[0]), page_url(rows[0]))
        except Exception:  # the timed call below records it
            pass
    for row in rows:
        html = read_page(corpus_dir, row)
        url = page_url(row)
        start = time.perf_counter()
        error = None
        try:
            prediction = extract(html, url)
        except Exception as exc:  # a crash is a measured failure, not an abort
            prediction, error = {}, f"{type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - start) * 1000
        result = score_page(row, prediction, ms)
        result.error = error
        yield result


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    # Nearest-rank percentile: an actual measured page time, no interpolation.
    rank = max(1, min(len(ordered), round(q * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarize(results: list[PageResult], rows: list[Mapping[str, Any]]) -> Report:
    """Corpus metrics from page results (``rows`` aligned with ``results``)."""
    matches = [r.match for r in results if r.match is not None]
    precision, recall, f1 = precision_recall_f1(matches) if matches else (None, None, None)
    by_source: dict[str, list[tuple[float, float, float]]] = {}
    for r in results:
        if r.match is not None:
            by_source.setdefault(r.source, []).append(r.match)
    f1_by_source = {s: precision_recall_f1(m)[2] for s, m in sorted(by_source.items())}

    n_contain = sum(len(row.get("must_contain") or []) for row in rows)
    n_not = sum(len(row.get("must_not_contain") or []) for row in rows)
    n_comments = sum(len(row.get("comments") or []) for row in rows)
    heads = [r.headline_ok for r in results if r.headline_ok is not None]
    auths = [r.authors_ok for r in results if r.authors_ok is not None]
    dates = [r.date_ok for r in results if r.date_ok is not None]
    times = [r.ms for r in results]
    return Report(
        pages=len(results),
        body_pages=len(matches),
        precision=precision, recall=recall, f1=f1,
        f1_by_source=f1_by_source,
        must_contain=_rate(n_contain - sum(len(r.missing) for r in results), n_contain),
        must_not_contain=_rate(n_not - sum(len(r.leaked) for r in results), n_not),
        comments=_rate(n_comments - sum(len(r.comments_leaked) for r in results), n_comments),
        headline=_rate(sum(heads), len(heads)),
        authors=_rate(sum(auths), len(auths)),
        date=_rate(sum(dates), len(dates)),
        median_ms=statistics.median(times) if times else 0.0,
        p95_ms=_percentile(times, 0.95),
        counts={
            "must_contain": n_contain, "must_not_contain": n_not, "comments": n_comments,
            "headline": len(heads), "authors": len(auths), "date": len(dates),
        },
        errors=sum(1 for r in results if r.error),
    )


def evaluate_corpus(
    corpus_dir: str | Path,
    *,
    source: str | None = None,
    limit: int | None = None,
    predictions: IO[str] | None = None,
    extractor: Extractor | None = None,
    without: str | None = None,
) -> Report:
    """Run ``extractor`` (default: ``extract_article``) over the corpus and
    return its metrics; with ``predictions``, also write one JSON line a page
    (prediction, scores, missing and leaked snippets) for studying failures.
    ``without`` names an ablation (:func:`extractor_without`) for the default
    extractor; it cannot be combined with another ``extractor``."""
    if without is not None:
        if extractor is not None:
            raise ValueError("without= applies to the default extractor only")
        extractor = extractor_without(without)
    rows = read_corpus(corpus_dir, source=source, limit=limit)
    results: list[PageResult] = []
    for result in run_pages(corpus_dir, rows, extractor):
        results.append(result)
        if predictions is not None:
            line = result.to_json()
            # Which run wrote it: a bare file read later names its ablation (null: none).
            line = {"id": line.pop("id"), "without": without, **line}
            predictions.write(json.dumps(line, ensure_ascii=False) + "\n")
    report = summarize(results, rows)
    report.without = without
    return report


def format_report(report: Report) -> str:
    """The metrics as an aligned plain-text table."""

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    c = report.counts
    lines = [f"without                    {report.without}  (removed from each page before extraction)"] \
        if report.without else []
    lines += [
        f"pages                      {report.pages}" + (f"  ({report.errors} raised)" if report.errors else ""),
        f"body F1                    {pct(report.f1)}  (P {pct(report.precision)}, R {pct(report.recall)}, {report.body_pages} pages with a body)",
    ]
    for source, value in report.f1_by_source.items():
        lines.append(f"  body F1 [{source}]{' ' * max(1, 15 - len(source))}{pct(value)}")
    lines += [
        f"must_contain kept          {pct(report.must_contain)}  ({c.get('must_contain', 0)} snippets)",
        f"must_not_contain left out  {pct(report.must_not_contain)}  ({c.get('must_not_contain', 0)} snippets)",
        f"comments left out          {pct(report.comments)}  ({c.get('comments', 0)} snippets)",
        f"headline exact             {pct(report.headline)}  ({c.get('headline', 0)} pages)",
        f"authors exact (set)        {pct(report.authors)}  ({c.get('authors', 0)} pages)",
        f"date (calendar day)        {pct(report.date)}  ({c.get('date', 0)} pages)",
        f"median ms/page             {report.median_ms:.2f}",
        f"p95 ms/page                {report.p95_ms:.2f}",
    ]
    return "\n".join(lines)


# Floors a CI run checks: metric name -> (kind, bound). "min" metrics must be
# at least the bound, "max" ones (times) at most.
FLOOR_KINDS: dict[str, str] = {
    "f1": "min", "must_contain": "min", "must_not_contain": "min", "comments": "min",
    "headline": "min", "authors": "min", "date": "min",
    "median_ms": "max", "p95_ms": "max",
}


def check_floors(report: Report, floors: Mapping[str, float]) -> list[str]:
    """Messages naming each metric that falls below its floor (or above its
    ceiling, for times); empty when all hold."""
    metrics = report.metrics()
    failures: list[str] = []
    for name, bound in floors.items():
        if not math.isfinite(bound):
            # Every comparison with NaN is false: the floor would always pass.
            failures.append(f"{name}: the floor {bound} is not a number")
            continue
        value = metrics.get(name)
        kind = FLOOR_KINDS.get(name, "min")
        if value is None:
            failures.append(f"{name}: no page in the corpus measures it (floor {bound})")
        elif kind == "min" and value < bound:
            failures.append(f"{name} = {value:.4f} is below the floor {bound}")
        elif kind == "max" and value > bound:
            failures.append(f"{name} = {value:.2f} is above the ceiling {bound}")
    return failures
