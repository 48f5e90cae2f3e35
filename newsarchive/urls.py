"""URL canonicalisation: one article, one key, however it was linked.

Every decision about "have we seen this page" goes through
``canonicalize_url`` first, so tracking parameters, fragments, scheme,
``www.``, trailing-slash, AMP and mobile variants all map to one string.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonical

# Query parameters that identify a campaign or a click, never a page.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "mc_cid", "mc_eid", "igshid", "twclid", "ttclid", "li_fat_id",
        "_ga", "_gl", "_hsenc", "_hsmi", "ref", "ref_src", "referrer",
        "cmpid", "cmp", "ito", "ico", "icid", "int_cmp", "ocid", "smid",
        "share", "shared", "via", "source", "src", "amp", "outputType",
        "CMP", "mbid", "rss", "s_cid", "at_medium", "at_campaign",
        "sr_share", "guccounter", "guce_referrer", "guce_referrer_sig",
        "__twitter_impression", "spm", "xtor", "ns_source", "ns_mchannel",
        "ns_campaign", "ns_linkname", "ns_fee",
    }
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "hsa_", "oly_", "vero_")

# Hosts that serve the mobile copy of a site ("m.example.com", "mobile.example.com").
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp)\.(?=[^.]+\.[^.]+)")
# AMP paths: "/amp/...", ".../amp", ".../amp.html", "...?amp" handled by TRACKING_PARAMS.
_AMP_PATH = re.compile(r"(?:^/amp(?=/)|/amp/?$|\.amp(?=\.html?$|$)|/amp\.html?$)", re.I)


# What w3lib's normalisation can change; most addresses hold none of it and
# skip that step (it doubled the cost of a call).
_NEEDS_NORMALISING = re.compile(r'[^!-~]|[%"<>{}|\\^`\[\]]')


def _is_tracking(name: str) -> bool:
    return name in TRACKING_PARAMS or name.lower().startswith(TRACKING_PREFIXES)


def needs_normalising(url: str) -> bool:
    """Whether ``url`` holds what w3lib's normalisation changes (an escape, a
    space, non-ASCII, a character browsers escape); other keys stay as they are."""
    return _NEEDS_NORMALISING.search(url) is not None


# A crawl canonicalises each URL about seven times (first sight, skip memory,
# incremental check and fingerprint when it is discovered; extraction and
# the archive twice when its page is stored), each burst close together, so
# a small cache holds the repeats (~15 us a call saved; 512 entries are
# about 150 KB).
@lru_cache(maxsize=512)
def canonicalize_url(url: str) -> str:
    """Return the one form of ``url`` the archive uses as a key.

    >>> canonicalize_url("http://www.example.com/a/b/?utm_source=x&id=3#top")
    'https://example.com/a/b?id=3'
    >>> canonicalize_url("https://m.example.com/amp/news/story-1")
    'https://example.com/news/story-1'
    """
    url = url.strip()
    parts = split_url(url)
    if parts is None:
        # Not an address (a "[YOUR-DOMAIN]" placeholder, a port that is not a
        # number): its own text is its key, and nothing fetches it.
        return url
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https", ""}:
        return url
    if scheme and needs_normalising(url):
        # w3lib normalises percent-encoding the way browsers resolve it:
        # unreserved escapes ("%2D") decoded, raw non-ASCII and spaces encoded
        # as UTF-8, hex in upper case; escapes that are not UTF-8 ("caf%E9")
        # are kept as they are, so two legacy-encoded addresses stay two keys.
        try:
            normalised = split_url(_w3lib_canonical(url, keep_blank_values=True))
        except (ValueError, UnicodeError):
            normalised = None
        if normalised is not None:
            parts = normalised
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    host = _MOBILE_HOST.sub("", host)
    port = parts.port
    netloc = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
    if port and port not in (80, 443):
        netloc = f"{netloc}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    path = _AMP_PATH.sub("", path) or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    # surrogateescape both ways: bytes that are not UTF-8 come back as the
    # same escapes, where the default "replace" made every one U+FFFD.
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True, errors="surrogateescape")
        if not _is_tracking(k)
    ]
    query.sort()
    # The scheme is folded to https: http and https copies are the same article.
    return urlunsplit(("https", netloc, path, urlencode(query, doseq=True, errors="surrogateescape"), ""))


def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None when it is not a usable address.

    Python raises ValueError for a bracketed host that is no IP address
    ("https://[YOUR-DOMAIN]/x", a template placeholder left on real pages),
    and for a port that is not a number only when ``.port`` is read; both
    are checked here so callers can read every field safely.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for "host:abc"
    except ValueError:
        return None
    return parts


# Characters no host name holds. Python's urlsplit takes them into the host
# ("http://exa mple.com/", "http://%zz/"), and the request then fails with a
# Twisted "Invalid URI" error instead of the link being skipped and counted.
# A percent-escaped host is legal in theory and not written by real sites.
_NOT_IN_HOST = re.compile(r'[\s<>"{}|\\^`%]')


def usable_host(hostname: str) -> bool:
    """Whether ``hostname`` (as ``urlsplit`` gives it) can be requested."""
    return bool(hostname) and _NOT_IN_HOST.search(hostname) is None


def absolute_url(base_url: str, href: str) -> str | None:
    """``href`` resolved against ``base_url`` if it is a usable http(s)
    address with a host, else None (other schemes, placeholders, bad ports,
    stray characters in the host)."""
    try:
        url = urljoin(base_url, href)
    except ValueError:
        return None
    parts = split_url(url)
    if parts is None or parts.scheme not in {"http", "https"} or not usable_host(parts.hostname or ""):
        return None
    return url


def site_of(url: str) -> str:
    """Short site name for a URL: its host without ``www.`` or a mobile prefix."""
    parts = split_url(url)
    host = ((parts.hostname if parts is not None else None) or "").lower()
    if host.startswith("www."):
        host = host[4:]
    host = _MOBILE_HOST.sub("", host)
    return f"[{host}]" if ":" in host else host


def strip_tracking(url: str) -> str:
    """``url`` without tracking parameters and fragment, otherwise untouched.

    This is the address the crawl requests: unlike ``canonicalize_url`` it
    keeps the scheme, host and path as the site wrote them, so it is always
    a real address of the page.
    """
    parts = split_url(url.strip())
    if parts is None or parts.scheme.lower() not in {"http", "https"}:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True, errors="surrogateescape")
    kept = [(k, v) for k, v in pairs if not _is_tracking(k)]
    # Re-encode only when something was dropped: the site's own query stays byte for byte
    # (and bytes that are not UTF-8 go back as they came, see canonicalize_url).
    query = urlencode(kept, doseq=True, errors="surrogateescape") if len(kept) != len(pairs) else parts.query
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
