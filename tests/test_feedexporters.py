"""The orjson JSON lines exporter writes what Scrapy's exporter writes (newsarchive/feedexporters.py)."""
from __future__ import annotations

import dataclasses
import datetime
import io
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from scrapy.exporters import JsonLinesItemExporter

from newsarchive.feedexporters import OrjsonLinesItemExporter
from newsarchive.items import FEED_FIELDS, Article, Caption, DroppedBlock, RawPage


def _export(cls: type, items: list[Any], **options: Any) -> bytes:
    out = io.BytesIO()
    exporter = cls(out, **options)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return out.getvalue()


def _same_lines(items: list[Any], **options: Any) -> bytes:
    """Export with both exporters; each line must hold the same object, keys in the same order."""
    ours = _export(OrjsonLinesItemExporter, items, **options)
    scrapys = _export(JsonLinesItemExporter, items, **options)
    ours_lines, scrapy_lines = ours.splitlines(), scrapys.splitlines()
    assert len(ours_lines) == len(scrapy_lines) == len(items)
    assert ours.endswith(b"\n")
    for mine, theirs in zip(ours_lines, scrapy_lines):
        decoded, expected = json.loads(mine), json.loads(theirs)
        assert decoded == expected
        assert list(decoded) == list(expected)
    return ours


def _article(**overrides: Any) -> Article:
    values: dict[str, Any] = dict(
        url="https://news.example/2024/05/01/ünïcode-story", canonical_url="https://news.example/2024/05/01/story",
        site="news.example", headline="Zürich: «Grüße» — 東京 \u2028 \"quoted\" \\ back",
        authors=["Jane Doe", "Søren Ågård"], published="2024-05-01T10:00:00+02:00", tags=[],
        captions=[Caption("A caption", credit="AFP"), Caption("Another", image_url="https://img.example/a.jpg")],
        body="First paragraph.\n\nSecond\tparagraph with a control \x01 character.", word_count=9,
        page_type="NewsArticle", dropped=[DroppedBlock("promo", "Subscribe now")],
        raw=RawPage(body=b"<html>raw</html>", headers={"Content-Type": "text/html"}),
    )
    values.update(overrides)
    return Article(**values)


def test_articles_as_the_crawl_feeds_them() -> None:
    items = [_article(), _article(standfirst=None, captions=[], authors=[], word_count=0), Article(url="https://x.example/")]
    lines = _same_lines(items, fields_to_export=list(FEED_FIELDS), encoding="utf-8")
    # UTF-8 as is, not \u escapes; the internal fields stay out.
    assert "Grüße".encode() in lines and b"\\u00fc" not in lines
    assert b'"dropped"' not in lines and b'"raw"' not in lines


def test_items_the_fast_path_does_not_read_directly() -> None:
    @dataclass
    class Odd:
        _private: int = 1
        when: datetime.datetime = datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.timezone.utc)
        tags: set[str] = field(default_factory=lambda: {"only"})
        nested: Caption = field(default_factory=lambda: Caption("c"))

    @dataclass
    class WithSerializer:
        name: str = "x"
        size: int = field(default=3, metadata={"serializer": str})

    dict_item = {"url": "https://x.example/", "n": 2 ** 40, "day": datetime.date(2024, 5, 1), "t": (1, 2)}
    for options in ({"encoding": "utf-8"}, {"encoding": "utf-8", "fields_to_export": ["size", "name", "_private"]},
                    {"encoding": "utf-8", "fields_to_export": {"name": "renamed", "when": "when"}},
                    {"encoding": "utf-8", "fields_to_export": ["name", "when"], "export_empty_fields": True}):
        _same_lines([Odd(), WithSerializer(), dict_item], **options)


def test_other_encodings_are_left_to_scrapy() -> None:
    items = [_article(headline="Café «crème»", captions=[Caption("Déjà vu")]), {"text": "café"}]
    fields = {"fields_to_export": [*FEED_FIELDS, "text"]}
    for options in ({"encoding": "latin-1", **fields}, fields, {"encoding": "utf-8", "ensure_ascii": True, **fields},
                    {"encoding": "utf-8", "sort_keys": True, **fields}):
        exporter = OrjsonLinesItemExporter(io.BytesIO(), **options)
        assert not exporter.fast
        assert _export(OrjsonLinesItemExporter, items, **options) == _export(JsonLinesItemExporter, items, **options)
    assert OrjsonLinesItemExporter(io.BytesIO(), encoding="UTF-8").fast


def test_what_orjson_refuses_goes_through_scrapys_exporter() -> None:
    big = {"n": 2 ** 70}
    assert _export(OrjsonLinesItemExporter, [big], encoding="utf-8") == b'{"n": 1180591620717411303424}\n'
    with pytest.raises(UnicodeEncodeError):
        _export(JsonLinesItemExporter, [{"s": "\ud800"}], encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        _export(OrjsonLinesItemExporter, [{"s": "\ud800"}], encoding="utf-8")
    with pytest.raises(TypeError):
        _export(OrjsonLinesItemExporter, [{"o": object()}], encoding="utf-8")


def test_the_project_registers_it_for_every_json_lines_name() -> None:
    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object

    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    exporters = settings.getwithbase("FEED_EXPORTERS")
    for name in ("jsonlines", "jsonl", "jl"):
        assert load_object(exporters[name]) is OrjsonLinesItemExporter
    assert exporters["json"] == "scrapy.exporters.JsonItemExporter"


def test_a_csv_feed_has_the_cells_of_the_archives_csv_export(tmp_path, monkeypatch) -> None:
    # Scrapy's CSV exporter wrote captions as "[Caption(text='...', ...)]" and
    # joined lists with ","; `-O articles.csv` now reads like `export --format csv`.
    import csv

    from click.testing import CliRunner
    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object

    from archive_support import sample_articles
    from newsarchive.cli import main
    from newsarchive.database import Archive

    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    exporter = load_object(settings.getwithbase("FEED_EXPORTERS")["csv"])
    from newsarchive.urls import canonicalize_url

    # With its key canonical, as a crawl's items are (the archive canonicalises it).
    articles = [dataclasses.replace(a, canonical_url=canonicalize_url(a.canonical_url or a.url))
                for a in sample_articles() if a.captions and len(a.authors) > 1][:1]
    assert articles
    feed = _export(exporter, articles, fields_to_export=list(FEED_FIELDS), encoding="utf-8")
    feed_row = next(csv.DictReader(io.StringIO(feed.decode())))

    monkeypatch.delenv("NEWSARCHIVE_DB_URL", raising=False)
    db = f"sqlite:///{tmp_path / 'a.db'}"
    with Archive(db) as archive:
        archive.store_articles(articles)
    exported = CliRunner().invoke(main, ["export", "--format", "csv", "--db", db])
    assert exported.exit_code == 0, exported.output
    export_row = next(csv.DictReader(io.StringIO(exported.stdout)))
    assert {k: export_row[k] for k in FEED_FIELDS} == feed_row
    assert json.loads(feed_row["captions"])[0]["text"] == articles[0].captions[0].text
    assert feed_row["authors"] == "; ".join(articles[0].authors)


def test_an_xml_feed_writes_captions_as_elements() -> None:
    # Scrapy's XML exporter wrote "<value>Caption(text='...', ...)</value>"
    # and a missing field as the text "None".
    import xml.etree.ElementTree as ET

    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object

    from archive_support import sample_articles

    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    exporter = load_object(settings.getwithbase("FEED_EXPORTERS")["xml"])
    article = next(a for a in sample_articles() if a.captions)
    article = dataclasses.replace(article, standfirst=None)
    root = ET.fromstring(_export(exporter, [article], fields_to_export=list(FEED_FIELDS),
                                 encoding="utf-8"))
    (item,) = root
    captions = item.find("captions").findall("value")
    assert [c.findtext("text") for c in captions] == [c.text for c in article.captions]
    assert [c.findtext("credit") for c in captions] == [c.credit or "" for c in article.captions]
    assert "Caption(" not in ET.tostring(item, encoding="unicode")
    assert item.findtext("standfirst") == ""
    assert [v.text for v in item.find("authors").findall("value")] == article.authors


def test_an_xml_feed_stays_well_formed_with_control_characters_in_the_text() -> None:
    # A page's text may hold C0 control characters (a form feed or an escape
    # pasted into a CMS); XML 1.0 allows none of them but tab, CR and LF, and
    # the -O x.xml feed was then no XML at all ("not well-formed").
    import xml.etree.ElementTree as ET

    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object

    from archive_support import sample_articles

    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    exporter = load_object(settings.getwithbase("FEED_EXPORTERS")["xml"])
    article = next(a for a in sample_articles() if a.captions)
    article = dataclasses.replace(
        article, headline="Floods \x1b[31mred\x1b[0m alert\x07", body="One\x0c two\tthree\n\nfour\x00",
        captions=[Caption("A jet\x0b lands", "AFP\x1f")], tags=["Syria\x08"])
    root = ET.fromstring(_export(exporter, [article], fields_to_export=list(FEED_FIELDS),
                                 encoding="utf-8"))
    (item,) = root
    assert item.findtext("headline") == "Floods [31mred[0m alert"
    assert item.findtext("body") == "One two\tthree\n\nfour"
    assert item.find("captions").find("value").findtext("text") == "A jet lands"
    assert item.find("captions").find("value").findtext("credit") == "AFP"
    assert [v.text for v in item.find("tags").findall("value")] == ["Syria"]
