"""DEBUG lines per page and per item are only made when a handler keeps them (newsarchive/logformat.py)."""
from __future__ import annotations

import logging
import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.logformatter import LogFormatter

from newsarchive import logformat
from newsarchive.items import Article
from newsarchive.logformat import ArchiveLogFormatter, handled


@pytest.fixture
def tree() -> tuple[logging.Logger, logging.Logger]:
    """A parent logger and its child, outside the logging registry (so no
    test log capture is attached to them) and with no handlers."""
    parent = logging.Logger("logformat-test", level=1)  # Scrapy lets every record past the loggers
    parent.propagate = False
    child = logging.Logger("logformat-test.core.engine")
    child.parent = parent
    return parent, child


def _handler(level: int) -> logging.Handler:
    handler = logging.NullHandler()
    handler.setLevel(level)
    return handler


def test_handled_follows_the_handlers_levels(tree: tuple[logging.Logger, logging.Logger]) -> None:
    parent, child = tree
    # As Scrapy sets it up: everything passes the loggers, the handler filters.
    parent.addHandler(_handler(logging.INFO))
    assert not handled(child, logging.DEBUG)
    assert handled(child, logging.INFO) and handled(child, logging.WARNING)
    parent.addHandler(_handler(logging.DEBUG))
    assert handled(child, logging.DEBUG)
    # A logger level above the record's stops it before any handler.
    strict = logging.Logger("logformat-test.strict", level=logging.WARNING)
    strict.parent = parent
    assert not handled(strict, logging.INFO) and handled(strict, logging.WARNING)
    # A child that does not propagate sees only its own handlers.
    child.propagate = False
    child.addHandler(_handler(logging.ERROR))
    assert not handled(child, logging.WARNING) and handled(child, logging.ERROR)


def test_handled_with_no_handler_at_all_is_the_last_resort(tree: tuple[logging.Logger, logging.Logger]) -> None:
    _, child = tree
    assert logging.lastResort is not None
    assert not handled(child, logging.DEBUG)
    assert handled(child, logging.WARNING) == (logging.WARNING >= logging.lastResort.level)


def test_crawled_and_scraped_lines_only_when_debug_is_kept(
        tree: tuple[logging.Logger, logging.Logger], monkeypatch: pytest.MonkeyPatch) -> None:
    parent, child = tree
    monkeypatch.setattr(logformat, "_ENGINE", child)
    monkeypatch.setattr(logformat, "_SCRAPER", child)
    request = Request("https://news.example/a", headers={"Referer": "https://news.example/"})
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    item = Article(url=request.url)
    formatter = ArchiveLogFormatter()

    parent.addHandler(_handler(logging.INFO))  # LOG_LEVEL=INFO, the default
    assert formatter.crawled(request, response, None) is None
    assert formatter.scraped(item, response, None) is None

    parent.addHandler(_handler(logging.DEBUG))  # LOG_LEVEL=DEBUG
    assert formatter.crawled(request, response, None) == LogFormatter().crawled(request, response, None)
    scraped = formatter.scraped(item, response, None)
    assert scraped is not None and scraped["level"] == logging.DEBUG
    assert scraped["msg"] % scraped["args"] == "Scraped https://news.example/a"
