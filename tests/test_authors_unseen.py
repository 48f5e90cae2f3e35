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
