"""Per-site extraction options: the part of a site file that extraction reads.

Everything here is optional; ``ExtractionConfig()`` is what a site never
seen before gets. ``newsarchive.sites`` builds one from a site's TOML file.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExtraRule:
    """A site's own promo/comment rule, added to the built-in ones.

    ``pattern`` is a regular expression matched against a body block's text
    (``kind="text"``) or a CSS selector of elements to drop from the page
    before extraction (``kind="css"``).
    """

    name: str
    pattern: str
    kind: str = "text"


@dataclass(frozen=True)
class ExtractionConfig:
    """How to extract one site's pages, beyond the generic rules."""

    site: str | None = None
    """Site name to put in ``Article.site``; the host name when unset."""

    timezone: str | None = None
    """IANA zone ("Europe/London") for dates printed without an offset."""

    selectors: dict[str, str] = field(default_factory=dict)
    """Field name -> CSS selector (or XPath when it starts with "/" or "(")
    that overrides the generic extraction of that single field."""

    extra_rules: tuple[ExtraRule, ...] = ()
    """Extra promo/comment rules for this site."""


DEFAULT_CONFIG = ExtractionConfig()
