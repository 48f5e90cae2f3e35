"""The crawl's JSON lines feed, encoded with orjson.

Scrapy's ``JsonLinesItemExporter`` turns each item into a dict through
``ItemAdapter`` (a field lookup, a metadata lookup and a serializer call per
field), encodes it with the standard library's pure-Python-driven
``JSONEncoder`` and then encodes the text to UTF-8 again: about 0.12 ms of
CPU per article, most of what the feed costs a crawl.
``OrjsonLinesItemExporter`` writes the same lines with orjson (already a
dependency, see ``database/export.py``): one object per line, the same keys
in the same order, the same values, UTF-8 with non-ASCII characters as they
are. Only the spacing differs (``{"a":1}`` rather than ``{"a": 1}``), which
no JSON reader sees.

It takes over only when the result is certain to be the same: the feed's
encoding is UTF-8 and no other encoder option was given. Anything orjson
cannot write on its own (sets, dates, nested items, Decimals...) goes
through Scrapy's own ``ScrapyJSONEncoder.default``, as before; anything it
refuses (an integer beyond 64 bits, a lone surrogate) goes to Scrapy's
exporter, which writes it or fails exactly as it did. One difference is
left: a float NaN or infinity, which the standard library writes as the
non-JSON ``NaN`` / ``Infinity``, becomes ``null``; articles hold no floats.

Registered for ``jsonlines``, ``jsonl`` and ``jl`` in ``settings.FEED_EXPORTERS``.

``ArticleCsvItemExporter`` (registered for ``csv``) writes ``-O file.csv``
with the cells ``newsarchive export --format csv`` writes, and
``ArticleXmlItemExporter`` (``xml``) writes captions as elements.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, BinaryIO

import orjson
from scrapy.exporters import CsvItemExporter, JsonLinesItemExporter, XmlItemExporter

_UTF8 = frozenset({"utf-8", "utf8", "utf_8"})
# Dataclasses (an Article's captions) and datetimes go to Scrapy's encoder
# hook: orjson would leave out fields whose names start with "_" and format
# datetimes its own way.
_OPTIONS = orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


class OrjsonLinesItemExporter(JsonLinesItemExporter):
    """``JsonLinesItemExporter`` with the same output, encoded by orjson."""

    def __init__(self, file: BinaryIO, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        options = dict(self._kwargs)
        self.fast = (
            str(self.encoding or "").lower() in _UTF8
            and options.pop("ensure_ascii", None) is False
            and not options
        )
        # Per item class: the dataclass fields to read, in feed order, or
        # None when Scrapy's field handling is needed (see _plan).
        self._plans: dict[type, tuple[str, ...] | None] = {}

    def export_item(self, item: Any) -> None:
        if not self.fast:
            super().export_item(item)
            return
        cls = type(item)
        try:
            plan = self._plans[cls]
        except KeyError:
            plan = self._plans[cls] = self._plan(cls)
        if plan is not None:
            data = {name: getattr(item, name) for name in plan}
        else:
            data = dict(self.get_serialized_fields(item))
        try:
            line = orjson.dumps(data, default=self._default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            super().export_item(item)
            return
        self.file.write(line)

    def _default(self, value: Any) -> Any:
        """What ``ScrapyJSONEncoder.default`` gives, without ItemAdapter's
        detour for a dataclass (an Article's captions): its fields in order.
        Values inside come back here, as they would through ``asdict``."""
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        return self.encoder.default(value)

    def _plan(self, cls: type) -> tuple[str, ...] | None:
        """The fields of a dataclass item, read straight off the object.

        That is what ``get_serialized_fields`` gives when the feed names its
        fields as a list and empty fields are not forced in (a dataclass has
        every field, so each named one that exists is exported, None or not)
        and no field declares a serializer. Otherwise None: Scrapy's path.
        """
        if not dataclasses.is_dataclass(cls) or self.export_empty_fields:
            return None
        wanted = self.fields_to_export
        if wanted is None or isinstance(wanted, (Mapping, str)):
            return None
        fields = {field.name: field for field in dataclasses.fields(cls)}
        names = []
        for name in wanted:
            if not isinstance(name, str):
                return None
            field = fields.get(name)
            if field is None:
                continue
            if "serializer" in field.metadata:
                return None
            names.append(name)
        return tuple(names)


class ArticleCsvItemExporter(CsvItemExporter):
    """Scrapy's CSV feed with the archive export's cells (``csv_cell``).

    Scrapy's own wrote an Article's captions as Python's repr
    (``[Caption(text='...', ...)]``), which no CSV reader can take apart, and
    joined lists with "," where ``newsarchive export --format csv`` has "; ".
    """

    def __init__(self, file: BinaryIO, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        # Imported here: the database package loads SQLAlchemy, which a crawl
        # with storage off and a JSON lines feed (this module) never needs.
        from newsarchive.database.export import csv_cell

        self._cell = csv_cell

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        if name == "captions" and value:
            value = [dataclasses.asdict(c) if dataclasses.is_dataclass(c) else c for c in value]
        return self._cell(name, value)


# What XML 1.0 forbids in text: C0 controls but tab, LF and CR, lone
# surrogates, U+FFFE and U+FFFF. A page's text may hold them (a form feed or
# an escape pasted into a CMS); written as they are, the XML feed was not
# well-formed and no XML reader opened it. JSON and CSV escape or keep them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_value(value: Any) -> Any:
    """A field as Scrapy's XML exporter writes it well: a caption (a
    dataclass) as a dict, whose keys become elements, nothing as an
    empty element instead of the text "None", and text without the
    characters XML cannot hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _xml_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_xml_value(v) for v in value]
    return value


class ArticleXmlItemExporter(XmlItemExporter):
    """Scrapy's XML feed with an Article's captions as elements.

    Scrapy's own wrote each caption as Python's repr
    (``<value>Caption(text='...', ...)</value>``) and a missing field as the
    text ``None``; now a caption is ``<value><text>...</text><credit>...</credit>
    <image_url>...</image_url></value>`` and a missing field an empty element.
    """

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        return super().serialize_field(field, name, _xml_value(value))


__all__ = ["ArticleCsvItemExporter", "ArticleXmlItemExporter", "OrjsonLinesItemExporter"]
