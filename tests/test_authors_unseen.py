"""Authors on pages whose class names say nothing (CSS-in-JS hashes, as in
``newsarchive evaluate --without classes``): the byline is told by its
structure and text, as on a site never seen. Small hand-made pages; each
test fails without its fix."""
from __future__ import annotations

import lxml.html

from newsarchive.extraction.config import ExtractionConfig
from newsarchive.extraction.loader import load_metadata
from newsarchive.items import Article

URL = "https://www.example-journal.fr/economie/2020/01/12/la-reforme"
PARAGRAPH = ("<p>Le gouvernement a présenté mardi une réforme des retraites qui doit entrer en vigueur "
             "au début de l'année prochaine, après des mois de concertation avec les syndicats.</p>")


def _load(html: str, url: str = URL) -> Article:
    doc = lxml.html.document_fromstring(html)
    return load_metadata(doc, url, config=ExtractionConfig())


def test_link_to_a_french_author_page_is_the_byline() -> None:
    # "/auteur/…" is the French author page, as "/author/…" and "/autor/…";
    # with the box's class a hash, the link is all that tells the byline.
    art = _load(
        '<html lang="fr"><head><title>La réforme des retraites</title></head><body><article>'
        '<h1 class="css-1ucrhqq">La réforme des retraites</h1>'
        '<div class="css-rpk8va"><span class="css-19bspht"><a href="/auteur/emmanuelle-ducros-187">'
        "Emmanuelle Ducros</a></span><span class=\"css-1y1qhpw\">12 janvier 2020</span></div>"
        f"{PARAGRAPH}</article></body></html>")
    assert art.authors == ["Emmanuelle Ducros"]


def test_byline_of_a_teaser_under_a_read_also_heading_is_not_the_authors() -> None:
    # "von Jesse Coghlan" under the headline reads like the article's own
    # byline paragraph, but a "Lesen Sie auch" heading before it says the
    # box is another story's teaser (its class, a hash, says nothing).
    teaser = ('<div class="css-qqbuds"><div class="css-vh1f8p"><h3>Lesen Sie auch</h3>'
              "<h4>Genslers Haltung gegenüber Bitcoin-ETFs</h4></div>"
              '<div class="css-a0nj3p"><p class="css-y9u86m">von <strong>Jesse Coghlan</strong></p>'
              '<p class="css-id4pdh">vor 23 Stunden</p></div></div>')
    art = _load(
        '<html lang="de"><head><title>Offene Positionen steigen</title></head><body><article>'
        '<h1>Offene Positionen steigen</h1><div class="css-yj2lkl"><a href="/authors/prashant-jha">'
        '<div class="css-1gz695t">Prashant Jha</div></a></div>'
        "<p>Die Zahl der offenen Positionen bei Bitcoin-Futures ist in dieser Woche deutlich gestiegen.</p>"
        f"{teaser}<p>Die Börse meldete am Montag einen neuen Höchststand bei den Kontrakten.</p>"
        "</article></body></html>", "https://de.example-coins.com/news/open-interest-surges")
    assert art.authors == ["Prashant Jha"]


def test_link_text_to_all_of_an_authors_articles_names_the_author() -> None:
    # The author page's link, the only byline left without class words,
    # says "Alles von Jane Doe" ("all by"): the label is no part of the name.
    art = _load(
        '<html lang="de"><head><title>Leasing oder Finanzierung?</title></head><body><article>'
        '<h1 class="css-1sv4irr">Leasing oder Finanzierung?</h1><div class="css-1uswa6h"><span>7. Oktober 2019</span></div>'
        "<p>Die Finanzierung eines Firmenwagens kann eine große Auswirkung auf die Liquidität eines Unternehmens haben.</p>"
        '<div class="css-1yac89s"><h3>Martin Junker</h3><p><a href="https://www.example-finanz.de/author/martin">'
        "Alles von Martin Junker</a></p></div></article></body></html>",
        "https://www.example-finanz.de/firmenwagen-leasing")
    assert art.authors == ["Martin Junker"]
