"""One article and its history: lookup by id or URL, versions, word-level diffs,
and the raw pages kept for re-extraction."""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.engine import Connection, Engine

from newsarchive.database.normalisation import (
    author_key,
    content_fingerprint,
    normalise_text,
    to_utc,
)
from newsarchive.database.rawpages import decompress
from newsarchive.extraction.words import UNSPACED_SCRIPT_RANGES, count_words
from newsarchive.database.schema import (
    RESTORED,
    article_authors,
    article_events,
    article_urls,
    articles,
    authors,
    captions,
    dropped_blocks,
    largest_integer,
    raw_pages,
    versions,
)
from newsarchive.items import Article, RawPage
from newsarchive.urls import canonicalize_url

# Text that, when it appears in a new version, marks a correction notice.
CORRECTION = re.compile(
    r"\b(?:correction|clarification|corrected|amended|erratum|"
    r"an earlier version of this (?:article|story|report)|this (?:article|story) has been (?:updated|amended))\b",
    re.I,
)
UPDATE_NOTE = re.compile(r"(?:^|\n)\s*(?:update|updated|editor'?s note)\b", re.I)


def find_article_id(conn: Connection, ref: str | int) -> int | None:
    """The id of the article ``ref`` names: an id, its canonical URL, or any URL it was fetched from."""
    text = str(ref).strip()
    if text.isdigit():
        if int(text) > largest_integer(conn.dialect.name):
            return None  # no id is that large (and the database cannot bind it)
        found = conn.execute(select(articles.c.id).where(articles.c.id == int(text))).scalar()
        return int(found) if found is not None else None
    if "://" not in text and not text.startswith("//"):
        # An address typed without its scheme, as the crawl's -a url= takes it.
        text = f"//{text}"
    key = canonicalize_url(text)
    found = conn.execute(select(articles.c.id).where(articles.c.canonical_url == key)).scalar()
    if found is None:
        found = conn.execute(
            select(article_urls.c.article_id).where(article_urls.c.url == key)
        ).scalar()
    return int(found) if found is not None else None


def get_article(conn: Connection, ref: str | int) -> dict[str, Any] | None:
    """The current version with authors, captions, dropped blocks, URLs and versions."""
    article_id = find_article_id(conn, ref)
    if article_id is None:
        return None
    row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().one()
    out = dict(row)
    out["tags"] = json.loads(out["tags"] or "[]")
    out["authors"] = [
        r.name for r in conn.execute(
            select(authors.c.name).join(article_authors, article_authors.c.author_id == authors.c.id)
            .where(article_authors.c.article_id == article_id).order_by(article_authors.c.position)
        )
    ]
    out["captions"] = [
        {"text": r.text, "credit": r.credit, "image_url": r.image_url}
        for r in conn.execute(
            select(captions).where(captions.c.article_id == article_id).order_by(captions.c.position)
        )
    ]
    out["dropped"] = [
        {"rule": r.rule, "stage": r.stage, "text": r.text}
        for r in conn.execute(
            select(dropped_blocks).where(dropped_blocks.c.article_id == article_id)
            .order_by(dropped_blocks.c.position)
        )
    ]
    out["urls"] = [
        r.url for r in conn.execute(
            select(article_urls.c.url).where(article_urls.c.article_id == article_id)
            .order_by(article_urls.c.url)
        )
    ]
    out["versions"] = _versions(conn, article_id)
    out["events"] = [
        {"at": r.at, "event": r.event, "status": r.status}
        for r in conn.execute(
            select(article_events.c.at, article_events.c.event, article_events.c.status)
            .where(article_events.c.article_id == article_id)
            .order_by(article_events.c.at, article_events.c.id)
        )
    ]
    out["raw_pages"] = [
        {"version": r.version, "url": r.url, "fetched_at": r.fetched_at, "status": r.status,
         "size": r.size, "stored_bytes": r.stored, "compression": r.compression}
        for r in conn.execute(
            select(raw_pages.c.version, raw_pages.c.url, raw_pages.c.fetched_at,
                   raw_pages.c.status, raw_pages.c.size, raw_pages.c.compression,
                   _length(conn, raw_pages.c.body).label("stored"))
            .where(raw_pages.c.article_id == article_id).order_by(raw_pages.c.version)
        )
    ]
    return out


def history(versions_in: list[dict[str, Any]],
            events: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """An article's versions and events (takedowns, restorations) in the order
    they happened: ("version", version) and ("event", event) pairs.

    A version counts from when it was first seen. On the same second a
    return comes before a version (the page came back, showing it: a story
    back with an edit read "v2", then "back on the site", as if v2 had been
    seen while it was down) and a takedown after it (it ends the version
    seen until then).
    """
    timed = [(v["first_seen"] or "", 1, i, ("version", v)) for i, v in enumerate(versions_in)]
    timed += [(e["at"] or "", 0 if e["event"] == RESTORED else 2, i, ("event", e))
              for i, e in enumerate(events)]
    return [entry for *_, entry in sorted(timed, key=lambda t: t[:3])]


def _length(conn: Connection, column: Any) -> Any:
    from sqlalchemy import func

    return func.octet_length(column) if conn.dialect.name == "postgresql" else func.length(column)


def _versions(conn: Connection, article_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(versions).where(versions.c.article_id == article_id).order_by(versions.c.version)
    ).mappings().all()
    out = []
    for row in rows:
        item = dict(row)
        item["authors"] = json.loads(item["authors"] or "[]")
        item["word_count"] = count_words(item["body"])
        out.append(item)
    return out


def get_versions(conn: Connection, ref: str | int) -> list[dict[str, Any]]:
    article_id = find_article_id(conn, ref)
    return [] if article_id is None else _versions(conn, article_id)


# --- diffs -----------------------------------------------------------------------


@dataclass
class FieldDiff:
    """A word-level diff of one field: (op, text) pieces, op in equal/insert/delete."""

    name: str
    old: str
    new: str
    pieces: list[tuple[str, str]] = field(default_factory=list)

    # Words as Article.word_count counts them: a space split counted a
    # Chinese or Japanese paragraph as one word.
    @property
    def added_words(self) -> int:
        return sum(count_words(t) for op, t in self.pieces if op == "insert")

    @property
    def removed_words(self) -> int:
        return sum(count_words(t) for op, t in self.pieces if op == "delete")


@dataclass
class VersionDiff:
    article_id: int
    headline: str | None
    v1: int
    v2: int
    seen1: str
    seen2: str
    summary: list[str]
    fields: list[FieldDiff]


# Between two paragraphs of a stored body: a blank line (white space allowed).
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff; paragraph breaks are kept as "\\n\\n" tokens.

    Paragraphs are matched first, and words are compared only within the runs
    of paragraphs that differ: one word-level match over a whole body made
    `diff` of a 7 MB article (1.2 M words, 500 paragraphs edited) run for more
    than 10 minutes, since every common word ("the") is a candidate match
    for every other one.
    """
    a = _paragraph_words(old)
    b = _paragraph_words(new)
    out: list[tuple[str, list[str]]] = []
    matcher = difflib.SequenceMatcher(None, [tuple(p) for p in a], [tuple(p) for p in b],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        # The break before a block's first paragraph belongs to that block, on
        # each side that has a paragraph before it.
        a_words = _with_breaks(a[i1:i2], leading=i1 > 0)
        b_words = _with_breaks(b[j1:j2], leading=j1 > 0)
        if tag == "equal":
            if a_words[:1] == ["\n\n"] and b_words[:1] != ["\n\n"]:
                _emit(out, "delete", a_words[:1])
                a_words = a_words[1:]
            elif b_words[:1] == ["\n\n"] and a_words[:1] != ["\n\n"]:
                _emit(out, "insert", b_words[:1])
            _emit(out, "equal", a_words)
            continue
        words = difflib.SequenceMatcher(None, a_words, b_words, autojunk=False)
        for op, k1, k2, l1, l2 in words.get_opcodes():
            if op == "equal":
                _emit(out, "equal", a_words[k1:k2])
            else:
                _emit(out, "delete", a_words[k1:k2])
                _emit(out, "insert", b_words[l1:l2])
    return [(op, _join(words)) for op, words in out]


def _paragraph_words(value: str) -> list[list[str]]:
    return [_words(paragraph) for paragraph in _PARAGRAPH_BREAK.split(value or "")] if value else []


def _with_breaks(paragraphs: list[list[str]], *, leading: bool) -> list[str]:
    out: list[str] = []
    for i, words in enumerate(paragraphs):
        if i or leading:
            out.append("\n\n")
        out.extend(words)
    return out


def _emit(out: list[tuple[str, list[str]]], op: str, words: list[str]) -> None:
    """Add a piece, joined to the one before when it has the same op (as one
    word-level match would have given it)."""
    if not words:
        return
    if out and out[-1][0] == op:
        out[-1][1].extend(words)
    else:
        out.append((op, list(words)))


def name_diff(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """Diff of two author lists, a whole name at a time."""
    matcher = difflib.SequenceMatcher(None, [author_key(n) for n in old],
                                      [author_key(n) for n in new], autojunk=False)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("equal", "; ".join(new[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "; ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "; ".join(new[j1:j2])))
    return pieces


# Scripts written without spaces, and their own punctuation (not the general
# punctuation English shares, such as "—"): one diff token a character, or an
# edit of one character replaced a whole clause, and joined without spaces.
_UNSPACED = "".join(UNSPACED_SCRIPT_RANGES.values()) + "\u3000-\u303f\uff00-\uff65"
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_TOKEN = re.compile(f"[{_UNSPACED}]|[^\\s{_UNSPACED}]+")


def _words(value: str) -> list[str]:
    out: list[str] = []
    for i, paragraph in enumerate(_PARAGRAPH_BREAK.split(value or "")):
        if i:
            out.append("\n\n")
        if paragraph.isascii() or _UNSPACED_CHAR.search(paragraph) is None:
            out.extend(paragraph.split())
        else:
            out.extend(_TOKEN.findall(paragraph))
    return out


def _join(words: list[str]) -> str:
    out = ""
    for word in words:
        if word == "\n\n":
            out += "\n\n"
        elif not out or out.endswith("\n\n") or unspaced_edge(out[-1], word[0]):
            out += word
        else:
            out += " " + word
    return out


def unspaced_edge(left: str, right: str) -> bool:
    """Whether text ending in ``left`` and text starting with ``right`` join
    without a space (either is a character of a script written without them)."""
    return _UNSPACED_CHAR.match(left) is not None or _UNSPACED_CHAR.match(right) is not None


def _no_such_version(article_id: int, version: int, numbers: list[int]) -> KeyError:
    held = f"only version {numbers[0]}" if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
    return KeyError(f"article {article_id} has no version {version} (it has {held})")


def diff_versions(conn: Connection, ref: str | int, v1: int | None = None,
                  v2: int | None = None) -> VersionDiff | None:
    """The diff between versions ``v1`` and ``v2`` (default: the last two)."""
    article_id = find_article_id(conn, ref)
    if article_id is None:
        return None
    rows = {v["version"]: v for v in _versions(conn, article_id)}
    if not rows:
        return None
    numbers = sorted(rows)
    if v1 is None and v2 is None:
        v2 = numbers[-1]
        v1 = numbers[-2] if len(numbers) > 1 else numbers[-1]
    elif v2 is None:
        v2 = numbers[-1]
    for v in (v1, v2):
        if v not in rows:
            raise _no_such_version(article_id, v, numbers)
    return compare_versions(article_id, rows[v1], rows[v2])  # type: ignore[index]


def compare_versions(article_id: int, old: dict[str, Any], new: dict[str, Any]) -> VersionDiff:
    fields_out: list[FieldDiff] = []
    summary: list[str] = []
    for name in ("headline", "standfirst"):
        if normalise_text(old[name]) != normalise_text(new[name]):
            fields_out.append(FieldDiff(name, old[name] or "", new[name] or "",
                                        word_diff(old[name] or "", new[name] or "")))
            summary.append(f"{name} changed")
    old_authors = [author_key(a) for a in old["authors"]]
    new_authors = [author_key(a) for a in new["authors"]]
    if old_authors != new_authors or normalise_text(old["byline"]) != normalise_text(new["byline"]):
        if old_authors != new_authors:
            before, after = "; ".join(old["authors"]), "; ".join(new["authors"])
            pieces = name_diff(old["authors"], new["authors"])
        else:
            before, after = old["byline"] or "", new["byline"] or ""
            pieces = word_diff(before, after)
        fields_out.append(FieldDiff("byline", before, after, pieces))
        summary.append("byline changed")
    for name, label in (("published", "publication date"), ("modified", "modification date")):
        if (to_utc(old[name]) or old[name]) != (to_utc(new[name]) or new[name]):
            fields_out.append(FieldDiff(name, old[name] or "", new[name] or "",
                                        [("delete", old[name] or ""), ("insert", new[name] or "")]))
            if name == "modified" and all(_modified_from_header(v) for v in (old, new) if v[name]):
                # Not an edit the page states: the server's header moved (the
                # version was added for something else, or before that rule).
                label = "server's Last-Modified date"
            summary.append(f"{label} changed")
    if normalise_text(old["body"]) != normalise_text(new["body"]):
        body = FieldDiff("body", old["body"] or "", new["body"] or "",
                         word_diff(old["body"] or "", new["body"] or ""))
        fields_out.append(body)
        added = " ".join(t for op, t in body.pieces if op == "insert")
        removed = " ".join(t for op, t in body.pieces if op == "delete")
        if CORRECTION.search(added) and not CORRECTION.search(removed):
            summary.append("correction added")
        elif UPDATE_NOTE.search(added):
            summary.append("update note added")
        old_paras, new_paras = _paragraphs(old["body"]), _paragraphs(new["body"])
        if len(new_paras) > len(old_paras):
            summary.append(f"{len(new_paras) - len(old_paras)} paragraph(s) added")
        elif len(new_paras) < len(old_paras):
            summary.append(f"{len(old_paras) - len(new_paras)} paragraph(s) removed")
        moved = _paragraphs_moved(old_paras, new_paras)
        if moved:
            summary.append(f"{moved} paragraph(s) moved")
        else:
            summary.append(f"body edited (+{body.added_words}/-{body.removed_words} words)")
    if not summary:
        summary.append("no change")
    return VersionDiff(article_id, new["headline"], old["version"], new["version"],
                       old["first_seen"], new["first_seen"], summary, fields_out)


def _paragraphs(body: str | None) -> list[str]:
    """The body's paragraphs, each as compared for a change (``normalise_text``)."""
    return [normalise_text(p) for p in _PARAGRAPH_BREAK.split(body or "") if p.strip()]


def _paragraphs_moved(old: list[str], new: list[str]) -> int:
    """How many paragraphs moved when the body holds the same ones in another
    order (0 otherwise): a word diff reads a move as the moved words deleted
    and inserted, "body edited (+21/-21 words)"."""
    if sorted(old) != sorted(new):
        return 0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return len(new) - sum(block.size for block in matcher.get_matching_blocks())


def _modified_from_header(version: dict[str, Any]) -> bool:
    """Whether the version's modification date is the HTTP Last-Modified header's.

    Its fingerprint then leaves the date out (``archive.fingerprints``):
    that is how a stored version tells. A version stored before that rule
    (2026-12-07) counts as the page's date.
    """
    article = Article(url="", headline=version["headline"], standfirst=version["standfirst"],
                      body=version["body"], authors=list(version["authors"]),
                      published=version["published"], modified=version["modified"])
    return version["content_hash"] == content_fingerprint(article, with_modified=False)


# --- raw pages -------------------------------------------------------------------


@dataclass
class StoredPage:
    article_id: int
    url: str
    site: str | None
    fetched_at: str | None
    raw: RawPage
    version: int = 0


def get_raw_page(conn: Connection, ref: str | int, version: int | None = None) -> RawPage | None:
    """One stored page of an article, decoded: its current version's, or ``version``'s.

    None when the article, or that version's page, is not in the archive
    (raw pages kept off, or a version whose page a later fetch replaced);
    KeyError when the article has no such version.
    """
    article_id = find_article_id(conn, ref)
    if article_id is None:
        return None
    stmt = select(raw_pages).where(raw_pages.c.article_id == article_id)
    if version is None:
        stmt = stmt.order_by(raw_pages.c.version.desc()).limit(1)
    elif version > largest_integer(conn.dialect.name):
        stmt = stmt.where(false())  # no version is that large (and the database cannot bind it)
    else:
        stmt = stmt.where(raw_pages.c.version == version)
    row = conn.execute(stmt).mappings().first()
    if row is None:
        if version is not None:
            numbers = list(conn.execute(select(versions.c.version).where(versions.c.article_id == article_id)
                                        .order_by(versions.c.version)).scalars())
            if numbers and version not in numbers:
                # Not "no page kept": the version itself does not exist (as diff says).
                raise _no_such_version(article_id, version, numbers)
        return None
    return RawPage(body=decompress(row["compression"], row["body"]),
                   headers=json.loads(row["headers"] or "{}"), status=row["status"] or 200)


def _site_filter(stmt: Any, site: str | None) -> Any:
    # Compared as search, export and stats compare --site.
    return stmt.where(articles.c.site == site.lower().removeprefix("www.")) if site else stmt


def count_without_raw_page(conn: Connection, site: str | None = None) -> int:
    """Articles whose current version has no stored page (raw pages kept off)."""
    from sqlalchemy import exists, func

    has_page = exists().where(raw_pages.c.article_id == articles.c.id,
                              raw_pages.c.version == articles.c.version)
    stmt = _site_filter(select(func.count()).select_from(articles).where(~has_page), site)
    return int(conn.execute(stmt).scalar_one())


def iter_latest_raw_pages(engine: Engine, *, site: str | None = None, older: bool = False,
                          page_size: int = 200) -> Iterator[StoredPage]:
    """Each article's most recent raw page, decompressed, in page id order (keyset
    paging); ``older``: the stored pages of its earlier versions instead."""
    last_id = 0
    which = raw_pages.c.version < articles.c.version if older else raw_pages.c.version == articles.c.version
    while True:
        with engine.connect() as conn:
            stmt = (
                select(raw_pages, articles.c.site)
                .join(articles, articles.c.id == raw_pages.c.article_id)
                .where(raw_pages.c.id > last_id, which)
                .order_by(raw_pages.c.id).limit(page_size)
            )
            stmt = _site_filter(stmt, site)
            rows = conn.execute(stmt).mappings().all()
        if not rows:
            return
        for row in rows:
            last_id = row["id"]
            yield StoredPage(
                article_id=row["article_id"], url=row["url"], site=row["site"],
                fetched_at=row["fetched_at"],
                raw=RawPage(body=decompress(row["compression"], row["body"]),
                            headers=json.loads(row["headers"] or "{}"),
                            status=row["status"] or 200),
                version=row["version"],
            )
