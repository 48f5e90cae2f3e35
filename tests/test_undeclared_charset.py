"""Pages that declare no charset (no header, byte-order mark or meta) and
are not UTF-8: their codec is guessed, and a body that still decodes to
replacement characters is not stored."""
from __future__ import annotations

import codecs
import json

from click.testing import CliRunner

from newsarchive.cli import main
from newsarchive.extraction.page import decode_html, extract_article, guess_undeclared_codec
from newsarchive.pipelines.validation import validate_article
from tests.conftest import FIXTURES

CP1251_PAGE = FIXTURES / "ru_article_cp1251_undeclared.html"
URL = "https://news.example/2026/12/01/budget-approved.html"
FRENCH = "Le conseil a débattu mardi soir des projets d'un nouveau pont, déjà reportés à plusieurs reprises. "


def _guess(data: bytes) -> str | None:
    return guess_undeclared_codec(data, data.decode("utf-8", "replace"))


def test_an_undeclared_windows_1251_page_is_read_as_windows_1251() -> None:
    article = extract_article(CP1251_PAGE.read_bytes(), URL)
    assert article.headline == "Бюджет утверждён без объявления кодировки"
    assert article.body and article.body.startswith("Городской совет во вторник вечером")
    assert "\ufffd" not in article.body
    assert validate_article(article) is None


def test_guessed_codecs_of_undeclared_pages() -> None:
    page = f"<html><body><p>{FRENCH * 20}</p></body></html>"
    assert _guess(page.encode("cp1252")) == "cp1252"
    chinese = "<html><body><p>" + "益水之阳，是名益阳。这个洞庭湖区的重要城市，在作家笔下展现风貌。" * 20 + "</p></body></html>"
    assert decode_html(chinese.encode("gb18030")) == chinese


def test_utf8_with_a_few_damaged_bytes_stays_utf8() -> None:
    page = ("<html><body><p>" + "Привет, это тест. " * 50 + "</p></body></html>").encode().replace(b"\xd0\x9f", b"\xd0", 1)
    assert _guess(page) is None
    assert decode_html(page).count("\ufffd") == 1


def test_a_declared_charset_is_never_second_guessed() -> None:
    page = CP1251_PAGE.read_bytes().replace(b"<head>", b'<head><meta charset="utf-8">', 1)
    assert "Городской" not in decode_html(page)
    assert "Городской" not in decode_html(CP1251_PAGE.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})


def test_extract_says_a_garbled_body_would_not_be_stored(tmp_path) -> None:
    # Declared UTF-8 but sent as windows-1251: every Cyrillic letter is U+FFFD.
    page = tmp_path / "page.html"
    page.write_bytes(CP1251_PAGE.read_bytes().replace(b"<head>", b'<head><meta charset="utf-8">', 1))
    result = CliRunner().invoke(main, ["extract", str(page), "--url", URL])
    assert result.exit_code == 0, result.output
    assert "a crawl would not store this page (body-garbled)" in result.stderr
    assert json.loads(result.stdout)["body"].count("\ufffd") > 100


def test_an_undeclared_windows_1252_page_is_not_read_in_a_codec_no_browser_knows() -> None:
    # Short French prose reads as well in mac-latin2 ('é' as 'ť') by
    # charset_normalizer's language model; no web page is in that codec.
    prose = ("Le conseil municipal s'est réuni mardi soir pour débattre des réparations du brise-lames, "
             "que les ingénieurs jugent affaibli par trois hivers de tempêtes. Déjà évoqué à maintes reprises. ")
    page = ("<html><head><title>Café: l'été sera chaud à Genève</title></head><body>"
            + "".join(f"<p>{prose}Point {i} du rapport a été lu aux membres.</p>" for i in range(8))
            + "</body></html>")
    assert _guess(page.encode("cp1252")) == "cp1252"
    assert decode_html(page.encode("cp1252")) == page


LATIN1_HEADER = {"Content-Type": "text/html; charset=ISO-8859-1"}


def test_a_byte_order_mark_outranks_the_header() -> None:
    # The HTML standard reads a BOM before the header's charset, as browsers do.
    page = "<html><body><p>" + FRENCH * 5 + "</p></body></html>"
    assert decode_html(codecs.BOM_UTF8 + page.encode(), LATIN1_HEADER).lstrip("\ufeff") == page


def test_a_page_declared_in_a_legacy_charset_whose_bytes_are_utf8_is_read_as_utf8() -> None:
    # A server's default 'charset=ISO-8859-1' on UTF-8 pages is common; text in
    # a legacy codec is practically never valid UTF-8 beyond ASCII. Read as
    # declared, the headline was mojibake ('CafÃ©') and the body was lost.
    title = "Café: l'été sera chaud à Genève"
    page = (f'<html><head><meta charset="windows-1252"><title>{title}</title></head><body><article>'
            f"<h1>{title}</h1>" + "".join(f"<p>{FRENCH}Point {i}.</p>" for i in range(8)) + "</article></body></html>")
    for headers in (None, LATIN1_HEADER):
        article = extract_article(page.encode(), URL, headers=headers)
        assert article.headline == title
        assert article.body and article.body.startswith(FRENCH.strip())
    # A page that is not valid UTF-8 keeps its declared codec.
    assert decode_html(page.encode("cp1252")) == page


def test_a_utf16_page_with_its_byte_order_mark_is_read() -> None:
    # Its NUL bytes made it look binary: an empty tree, the page dropped.
    title = "Café: l'été sera chaud à Genève"
    page = (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            + "".join(f"<p>{FRENCH}Point {i}.</p>" for i in range(8)) + "</article></body></html>")
    for codec in ("utf-16", "utf-16-be"):
        data = page.encode(codec) if codec == "utf-16" else codecs.BOM_UTF16_BE + page.encode(codec)
        article = extract_article(data, URL, headers={"Content-Type": "text/html"})
        assert article.headline == title
        assert validate_article(article) is None
