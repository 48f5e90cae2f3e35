"""Builds README.md from the area notes (run from the repo root)."""
from __future__ import annotations

import re
from pathlib import Path

NOTES = Path("notes")
CHAPTERS = [
    ("Crawling", "readme-crawl.md"),
    ("Extraction: from page to Article", "readme-extraction.md"),
    ("Extraction: metadata fields", "readme-metadata.md"),
    ("The archive", "readme-archive.md"),
    ("The offline demo", "readme-demo.md"),
]
DROP_SECTIONS = {"Dependencies", "Files", "What other components ask the spider",
                 "Interplay with the body (area E1)", "CI floor (for .ci/run)", "Modules"}
FIXES = [
    (r"\(area E\d[^)]*\)", ""), (r"helper E2's ", ""), (r"\bhelper \w+\b ", ""),
    (r"\(E2\)", ""), (r"area E2", "the metadata loader"), (r"area E1", "the body extraction"),
    (r"C2's ", "the "), (r"\(before E1b\)", "(earlier)"), (r"after the E1b changes ", ""),
    (r"\(area E2; ", "(metadata; "), (r"before E1b", "before the last speed pass"), (r"Then \(E1b\):", "Then:"),
    (r"other busy helpers", "other work"), (r"helpers run benchmarks", "other jobs run"), (r"/tmp/e2b-pred", "/tmp/pred"), (r"five helpers at work|four other busy helpers|other helpers", "other work"),
]


def chapter(title: str, text: str) -> str:
    out: list[str] = [f"## {title}", ""]
    skipping = False
    in_code = False
    for line in text.splitlines()[1:]:
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("## "):
            skipping = line[3:].strip() in DROP_SECTIONS
            line = "#" + line
        elif not in_code and line.startswith("### "):
            line = "#" + line
        if skipping:
            continue
        if True:
            for pattern, repl in FIXES:
                line = re.sub(pattern, repl, line)
        out.append(line)
    return "\n".join(out).rstrip() + "\n"


parts = [(NOTES / "readme-head.md").read_text()]
for title, name in CHAPTERS:
    parts.append(chapter(title, (NOTES / name).read_text()))
parts.append((NOTES / "readme-tail.md").read_text())
Path("README.md").write_text("\n".join(p.rstrip() + "\n" for p in parts))
