"""Configured sites: one TOML file per outlet in a ``sites/`` folder.

The shipped outlets live next to this module; ``NEWSARCHIVE_SITES_DIR`` points
the crawl at another folder. See ``siteconfig.py`` for the file format.
"""
from __future__ import annotations

from newsarchive.sites.siteconfig import (
    BUNDLED_SITES_DIR,
    SiteConfig,
    SiteConfigError,
    load_site,
    load_sites,
    sites_dir,
)

__all__ = [
    "BUNDLED_SITES_DIR",
    "SiteConfig",
    "SiteConfigError",
    "load_site",
    "load_sites",
    "sites_dir",
]
