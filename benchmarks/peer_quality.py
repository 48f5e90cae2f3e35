"""trafilatura scored by ``newsarchive evaluate``'s own metrics, with or
without an ablation, so that ``evaluate --without NAME`` has a peer figure
measured the same way in the same run.

trafilatura runs with ``include_comments=False`` (it keeps comments by
default, which the issue's peer figure for comments, 0.923, does not) and
its metadata extraction for headline, authors and date. With ``--without
NAME`` each page is parsed, edited by the same tree edit ``evaluate`` uses
(``newsarchive/ablation.py``) and serialised again before trafilatura reads
it.

Usage:
    .venv/bin/python benchmarks/peer_quality.py ../shared/corpus [--without classes]

Install the reference with ``pip install -r benchmarks/requirements.txt``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lxml.html  # noqa: E402

from newsarchive import evaluation  # noqa: E402
from newsarchive.ablation import ABLATIONS  # noqa: E402
from newsarchive.extraction.page import parse_html  # noqa: E402


def trafilatura_extractor(without: str | None) -> evaluation.Extractor:
    """trafilatura's body and metadata of a page, after the named ablation."""
    import trafilatura

    edit = ABLATIONS[without] if without else None

    def extract(html: bytes | str, url: str) -> dict[str, Any]:
        if edit is not None:
            # Parsed as extraction parses it (charset from the page), handed
            # on as text: bytes re-encoded as UTF-8 under the page's own
            # <meta charset> would be misread.
            doc = parse_html(html)
            edit(doc)
            html = lxml.html.tostring(doc, encoding="unicode")
        meta = trafilatura.extract_metadata(html)
        authors = (meta.author or "") if meta else ""
        return {
            "body": trafilatura.extract(html, url=url, include_comments=False) or "",
            "headline": meta.title if meta else None,
            # trafilatura joins several authors with "; ".
            "authors": [name.strip() for name in authors.split(";") if name.strip()],
            "published": meta.date if meta else None,
        }

    return extract


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default="../shared/corpus")
    parser.add_argument("--without", choices=sorted(ABLATIONS))
    args = parser.parse_args()
    report = evaluation.evaluate_corpus(args.corpus, extractor=trafilatura_extractor(args.without))
    print(f"trafilatura, without {args.without or 'nothing'}")
    for name, value in report.metrics().items():
        if isinstance(value, float):
            print(f"  {name:<20} {value:.3f}")


if __name__ == "__main__":
    main()
