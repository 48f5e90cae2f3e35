"""``newsarchive extract`` and ``newsarchive evaluate``: check one page, or
measure extraction over a corpus folder."""
from __future__ import annotations

import gzip
import json
import math
import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

# Metrics a floor can be set on, with the option that sets it.
_FLOOR_OPTIONS = {
    "f1": "--min-f1",
    "must_contain": "--min-must-contain",
    "must_not_contain": "--min-must-not-contain",
    "comments": "--min-comments",
    "headline": "--min-headline",
    "authors": "--min-authors",
    "date": "--min-date",
    "median_ms": "--max-median-ms",
    "p95_ms": "--max-p95-ms",
}


# Any of these tags means the input is an HTML source, not the text a browser shows.
_HTML_TAG = re.compile(rb"<(?:!doctype|html|head|body|meta|title|p|div|article|main|span|br|a)[\s>/]", re.I)


def _read_file(path: str) -> bytes:
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--url", required=True, help="The page's address (resolves links, names the site).")
@click.option("--charset", default=None, help="Charset to decode the file with, as an HTTP header would give it.")
@click.option("--dropped", is_flag=True, help="Also print the blocks dropped as promo/comments, with their rule.")
@click.option("--sites-dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of site files (default: NEWSARCHIVE_SITES_DIR, else the bundled sites). "
                   "The file whose domains hold --url applies, as in a crawl.")
def extract(file: str, url: str, charset: str | None, dropped: bool, sites_dir: str | None) -> None:
    """Extract one saved page and print the Article as JSON.

    FILE is an HTML file (gzip is fine; "-" reads standard input). The item
    is exactly what a crawl would store for that page: the site file that
    owns --url (its selectors, timezone, rules and name) applies, and notes
    on stderr say which of its selectors matched nothing on the page and when
    a crawl would drop the page instead.

    \b
    Example:
      curl -s https://example.com/news/story.html > story.html
      newsarchive extract story.html --url https://example.com/news/story.html
    """
    from w3lib.encoding import resolve_encoding

    from newsarchive.extraction.page import extract_page
    from newsarchive.items import article_to_dict

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        # Without a scheme the page has no host: no site, no links resolved.
        raise click.BadParameter(f"{url!r} is not an http(s) address "
                                 "(e.g. https://www.example.com/news/story.html)", param_hint="--url")
    if charset and resolve_encoding(charset) is None:
        # An unknown name in a server's header is ignored (the page is sniffed),
        # but one the user typed is a mistake to report, not to pass over.
        raise click.BadParameter(f"{charset!r} is not a charset name (e.g. utf-8, windows-1252, "
                                 "iso-8859-1, shift_jis)", param_hint="--charset")
    headers = {"Content-Type": f"text/html; charset={charset}"} if charset else None
    data = _read_file(file)
    if data.strip() and not _HTML_TAG.search(data):
        # Text copied from a browser window has no paragraphs, headline or
        # metadata left: the result would be one run-on block, silently.
        click.echo(f"Warning: {file} holds no HTML markup. Extraction reads a page's HTML source "
                   "(curl -s URL > page.html, or the browser's \"Save Page As…\", HTML only), "
                   "not the text a browser shows.", err=True)
    site = _site_for(url, sites_dir)
    config = site.extraction if site is not None else None
    if site is not None:
        click.echo(f"Note: using the site file of {site.name!r} ({', '.join(site.domains)}).", err=True)
    page = extract_page(data, url, config=config, headers=headers)
    article = page.article
    if site is not None and page.selectors_missed:
        missed = ", ".join(f"{name} = {site.selectors[name]!r}" for name in page.selectors_missed)
        click.echo(f"Note: these [selectors] matched nothing on this page, so the generic extraction "
                   f"gave those fields: {missed}.", err=True)
    reason = _drop_reason(article)
    if reason:
        click.echo(f"Note: a crawl would not store this page ({reason}); the item is printed anyway.", err=True)
    out = article_to_dict(article, include_internal=dropped)
    out.pop("raw", None)
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))


def _site_for(url: str, folder: str | None) -> Any:
    """The configured site that owns ``url``, as the crawl picks it, or None."""
    from newsarchive.sites import SiteConfigError, load_sites

    try:
        sites = load_sites(folder or os.environ.get("NEWSARCHIVE_SITES_DIR") or None)
    except SiteConfigError as exc:
        # Status 2, a bad file, as the crawl and `newsarchive sites` say it.
        error = click.ClickException(f"cannot read the site files: {exc}")
        error.exit_code = 2
        raise error from None
    return next((site for site in sites.values() if site.owns(url)), None)


def _drop_reason(article: Any) -> str | None:
    """ValidatePipeline's reason to drop the item (``NEWSARCHIVE_MIN_WORDS`` as in a crawl)."""
    from newsarchive.pipelines.validation import DEFAULT_MIN_WORDS, validate_article

    try:
        min_words = int(os.environ.get("NEWSARCHIVE_MIN_WORDS") or DEFAULT_MIN_WORDS)
    except ValueError:
        min_words = DEFAULT_MIN_WORDS
    return validate_article(article, min_words=min_words)


def _floors_from(options: dict[str, float | None], floors_file: str | None) -> dict[str, float]:
    floors: dict[str, float] = {}
    if floors_file:
        try:
            data = json.loads(Path(floors_file).read_text(encoding="utf-8"))
        except ValueError as exc:
            raise click.BadParameter(f"{floors_file} is not JSON: {exc}", param_hint="--floors") from None
        if not isinstance(data, dict):
            raise click.BadParameter('expected a JSON object such as {"f1": 0.96}', param_hint="--floors")
        unknown = set(data) - set(_FLOOR_OPTIONS)
        if unknown:
            raise click.BadParameter(f"unknown metric(s) {sorted(unknown)}; known: {sorted(_FLOOR_OPTIONS)}",
                                     param_hint="--floors")
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in data.values()):
            # float("0.9") and float(True) would be taken silently.
            raise click.BadParameter("each floor must be a number", param_hint="--floors")
        floors.update({k: float(v) for k, v in data.items()})
    floors.update({k: v for k, v in options.items() if v is not None})
    for name, value in floors.items():
        if not math.isfinite(value):
            # NaN compares false with everything, so it would pass any metric.
            hint = "--floors" if options.get(name) is None else _FLOOR_OPTIONS[name]
            raise click.BadParameter(f"{value} is not a usable floor for {name}", param_hint=hint)
    return floors


@click.command()
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--predictions", type=click.Path(dir_okay=False, writable=True),
              help="Write one JSON line per page: prediction, scores, missing and leaked snippets.")
@click.option("--source", help="Only pages of this corpus source (e.g. scrapinghub).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N pages.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON instead of a table.")
@click.option("--floors", "floors_file", type=click.Path(exists=True, dir_okay=False),
              help='JSON file of floors, e.g. {"f1": 0.96, "median_ms": 6}.')
@click.option("--min-f1", type=float, help="Fail (exit 1) if body F1 is below this.")
@click.option("--min-must-contain", type=float, help="Fail if the must_contain rate is below this.")
@click.option("--min-must-not-contain", type=float, help="Fail if the must_not_contain rate is below this.")
@click.option("--min-comments", type=float, help="Fail if the comments-left-out rate is below this.")
@click.option("--min-headline", type=float, help="Fail if headline accuracy is below this.")
@click.option("--min-authors", type=float, help="Fail if authors accuracy is below this.")
@click.option("--min-date", type=float, help="Fail if date accuracy is below this.")
@click.option("--max-median-ms", type=float, help="Fail if the median ms/page is above this.")
@click.option("--max-p95-ms", type=float, help="Fail if the p95 ms/page is above this.")
# The names of ablation.ABLATIONS, spelled out so that the CLI starts without
# importing the extraction modules (a test keeps the two lists equal).
@click.option("--without", type=click.Choice(["jsonld", "structured", "classes"]), default=None,
              help="Remove this markup from each page after parsing, before extraction, to measure "
                   "the fallbacks sites without it get: jsonld (JSON-LD blocks), structured (JSON-LD, "
                   "data <meta> tags, microdata attributes, <link rel=author>), classes (every class "
                   "name replaced by a meaningless hash, as CSS-in-JS sites serve them). "
                   "E.g. --without structured.")
def evaluate(corpus_dir: str, predictions: str | None, source: str | None, limit: int | None,
             as_json: bool, floors_file: str | None, without: str | None, **floor_options: float | None) -> None:
    """Measure extraction over a corpus folder and print the metrics.

    CORPUS_DIR holds corpus.jsonl and the gzipped pages it names (the layout
    of shared/corpus). Metrics: body F1 overall and per source, must_contain /
    must_not_contain / comments rates, headline, authors and date accuracy,
    median and p95 ms per page. With floors, exits with status 1 and names
    each metric that fell below its floor, so CI can gate on quality.

    \b
    Example:
      newsarchive evaluate ../shared/corpus --predictions /tmp/pred.jsonl
      newsarchive evaluate ../shared/corpus --min-f1 0.96 --min-comments 0.98
      newsarchive evaluate ../shared/corpus --without structured --predictions /tmp/bare.jsonl
    """
    from newsarchive import evaluation

    floors = _floors_from({key: floor_options.get(opt[2:].replace("-", "_")) for key, opt in _FLOOR_OPTIONS.items()},
                          floors_file)
    if not (Path(corpus_dir) / "corpus.jsonl").is_file():
        raise click.BadParameter(f"{corpus_dir} has no corpus.jsonl (the layout of shared/corpus)",
                                 param_hint="CORPUS_DIR")
    try:
        rows = evaluation.read_corpus(corpus_dir)  # a broken corpus: one line, before any page runs
    except (evaluation.CorpusError, UnicodeDecodeError) as exc:
        raise click.BadParameter(str(exc), param_hint="CORPUS_DIR") from None
    if source and not any(row.get("source") == source for row in rows):
        # Zero pages would print empty metrics and pass every floor.
        sources = sorted({row.get("source") or "" for row in rows})
        raise click.BadParameter(f"no page of source {source!r}; sources: {', '.join(sources)}",
                                 param_hint="--source")
    # The pages the run scores (read_corpus's --source and --limit), no others.
    for warning in evaluation.reference_warnings(
            [row for row in rows if not source or row.get("source") == source][:limit]):
        click.echo(f"warning: {warning}", err=True)
    if predictions:
        try:
            fh = open(predictions, "w", encoding="utf-8")
        except OSError as exc:  # a missing folder, no permission: one line, not a traceback
            raise click.FileError(predictions, hint=exc.strerror or str(exc)) from None
        with fh:
            report = evaluation.evaluate_corpus(corpus_dir, source=source, limit=limit, predictions=fh,
                                                without=without)
    else:
        report = evaluation.evaluate_corpus(corpus_dir, source=source, limit=limit, without=without)
    if as_json:
        # "without": the ablation that ran (null: none), so a saved file says which run it is.
        click.echo(json.dumps({"without": report.without, **report.metrics()}, indent=2))
    else:
        click.echo(evaluation.format_report(report))
    if predictions:
        click.echo(f"predictions written to {predictions}")
    failures = evaluation.check_floors(report, floors)
    if failures:
        for message in failures:
            click.echo(f"FAIL {message}", err=True)
        raise SystemExit(1)


COMMANDS = [extract, evaluate]
