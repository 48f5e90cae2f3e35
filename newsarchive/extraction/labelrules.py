"""Named rules for the labels a page gives itself: its tags, its section,
its lead image and its type.

Data only, labelled per language where it is words; the processors that
apply it live in ``processors.py`` and the loader decides where each is
used. Every entry describes how sites in general write these labels, never
one site.
"""
from __future__ import annotations

# Sections (and tags) that a CMS fills in when the editor chose none, or
# that every page of the site carries: they say nothing about the article.
PLACEHOLDER_CATEGORIES: dict[str, frozenset[str]] = {
    "en": frozenset({"uncategorized", "uncategorised", "all", "post", "posts", "general", "front page",
                     "frontpage", "home", "homepage", "default", "none", "null", "undefined", "article",
                     "articles", "page", "misc", "other", "main"}),
    "de": frozenset({"allgemein", "unkategorisiert", "startseite", "sonstiges", "artikel"}),
    "fr": frozenset({"non classé", "général", "accueil", "divers", "à la une", "a la une"}),
    "es": frozenset({"sin categoría", "general", "portada", "inicio", "otros"}),
    "pt": frozenset({"sem categoria", "geral", "página inicial", "outros"}),
    "it": frozenset({"senza categoria", "generale", "home page", "varie"}),
    "nl": frozenset({"geen categorie", "algemeen", "overig"}),
}

# schema.org types that a page embeds (a video player, the product reviewed)
# or that only say "a web page": when one is the page's only JSON-LD node,
# og:type "article" says more about the page.
GENERIC_OR_EMBEDDED_TYPES: frozenset[str] = frozenset(
    {"WebPage", "ItemPage", "VideoObject", "AudioObject", "Product", "Event"}
)
