"""Named rules for the labels a page gives itself: its tags, its section,
its lead image and its type.

Data only, labelled per language where it is words; the processors that
apply it live in ``processors.py`` and the loader decides where each is
used. Every entry describes how sites in general write these labels, never
one site.
"""
from __future__ import annotations

# Labels a CMS prefixes to a tag or category ("Tag:Nodejs", "Category: Moon"):
# the value after them is the tag. Any other "key:value" token is an
# internal attribute ("Lite:true", "Section:culture"), not a tag.
TAG_LABELS: dict[str, frozenset[str]] = {
    "en": frozenset({"tag", "tags", "category", "categories", "topic", "topics", "keyword", "keywords", "subject"}),
    "de": frozenset({"schlagwort", "schlagworte", "stichwort", "stichwörter", "kategorie", "thema", "themen"}),
    "fr": frozenset({"catégorie", "mot-clé", "mots-clés", "sujet", "thème"}),
    "es": frozenset({"etiqueta", "etiquetas", "categoría", "tema", "temas"}),
    "pt": frozenset({"etiqueta", "categoria", "tema", "assunto"}),
    "it": frozenset({"etichetta", "categoria", "argomento", "tema"}),
    "nl": frozenset({"trefwoord", "categorie", "onderwerp"}),
}

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

# Words of a site-wide keyword list (the same ``<meta name="keywords">`` on
# every page): they describe the site, not the article. Two of them in a
# list mark it as the site's.
SITE_KEYWORD_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset({"news", "latest news", "breaking news", "headlines", "free", "online", "blog",
                     "weblog", "web"}),
    "de": frozenset({"nachrichten", "aktuell", "aktuelles", "neuigkeiten", "inland", "ausland",
                     "schlagzeilen", "blog", "kostenlos"}),
    "fr": frozenset({"actualités", "actualité", "infos", "info", "dernières nouvelles", "gratuit"}),
    "es": frozenset({"noticias", "últimas noticias", "actualidad", "gratis"}),
    "pt": frozenset({"notícias", "últimas notícias", "grátis"}),
    "it": frozenset({"notizie", "ultime notizie", "gratis"}),
    "nl": frozenset({"nieuws", "laatste nieuws", "gratis"}),
}

# More keywords than this in ``<meta name="keywords">`` is the site's SEO
# list (dozens of terms for every page), not the article's tags.
MAX_PAGE_KEYWORDS = 25

# Words in an image's file name (split at non-letters) that mark the site's
# logo, icon or a blank placeholder instead of a picture of the story.
# Two words written apart ("no-img") count joined as well.
NON_PICTURE_FILE_WORDS: frozenset[str] = frozenset(
    {"favicon", "blavatar", "blank", "placeholder", "spacer", "noimage", "noimg", "nophoto", "icon"}
)
# Directories that hold the site's own marks.
NON_PICTURE_DIRECTORIES: frozenset[str] = frozenset({"logo", "logos", "icons", "favicon", "favicons", "blavatar"})
# The file name ends in this word (before sizes and counters): the site's
# logo ("fb_logo.jpg", "cropped-logo-1.png"), while a photo of a company's
# logo has more words after it ("acme-logo-getty-1024.jpg").
LOGO_WORD = "logo"

# schema.org types that a page embeds (a video player, the product reviewed)
# or that only say "a web page": when one is the page's only JSON-LD node,
# og:type "article" says more about the page.
GENERIC_OR_EMBEDDED_TYPES: frozenset[str] = frozenset(
    {"WebPage", "ItemPage", "VideoObject", "AudioObject", "Product", "Event"}
)
