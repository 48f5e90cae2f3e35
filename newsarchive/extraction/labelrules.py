"""Named rules for the labels a page gives itself: its tags, its section,
its lead image and its type.

Data only, labelled per language where it is words; the processors that
apply it live in ``processors.py`` and the loader decides where each is
used. Every entry describes how sites in general write these labels, never
one site.
"""
from __future__ import annotations

# schema.org types that a page embeds (a video player, the product reviewed)
# or that only say "a web page": when one is the page's only JSON-LD node,
# og:type "article" says more about the page.
GENERIC_OR_EMBEDDED_TYPES: frozenset[str] = frozenset(
    {"WebPage", "ItemPage", "VideoObject", "AudioObject", "Product", "Event"}
)
