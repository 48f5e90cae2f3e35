"""Site files: parsing and checking one TOML file per outlet.

Why TOML: it is in the standard library (``tomllib``, Python 3.11), so no
dependency; it has comments, so a site file can say why a pattern is there;
and unlike YAML it has no implicit typing surprises ("no" -> False, times
turned into numbers) and regular expressions fit in '...' literal strings
with no escaping. JSON has no comments, INI has no lists.

The format (every key but ``domains`` optional; unknown keys are errors, so a
typo never silently does nothing)::

    name = "independent"              # default: the file name without .toml
    domains = ["independent.co.uk"]   # subdomains included
    timezone = "Europe/London"        # for dates printed without an offset
    start_urls = ["https://www.independent.co.uk/"]   # default: https://www.<first domain>/ (none for an IP or a dotless host)
    sitemaps = []                     # default: found in robots.txt
    feeds = []                        # default: found on the start pages

    [articles]                        # regular expressions over the full URL
    allow = ['-[ab]\\d+\\.html$']      # if given, only these are articles
    deny = ['/topic/']                # never articles (generic ones always apply)

    [selectors]                       # override single fields (CSS, or XPath from "/")
    # headline = "h1.headline"

    [[rules]]                         # extra promo/comment rules for this site
    name = "puzzle-promo"
    pattern = "^Try our daily puzzles"
    kind = "text"                     # or "css": elements dropped before extraction

    [limits]
    max_articles = 0                  # article pages per run, 0 = no limit
    max_listing_pages = 5             # pagination depth per section
    listing_depth = 1                 # home -> sections; 0 = start pages only
    download_delay = 1.0              # seconds between requests to this site

    [recheck]                         # incremental re-crawls
    recent = "2d"                     # articles this young are re-checked...
    every = "6h"                      # ...once this long after the last fetch
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cssselect import SelectorError
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from newsarchive.extraction.config import ExtractionConfig, ExtraRule
from newsarchive.extraction.selectors import SELECTOR_NAMESPACES, run_selector
from newsarchive.timespan import parse_duration
from newsarchive.urls import usable_host

BUNDLED_SITES_DIR = Path(__file__).parent

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d+)?$")
_TOP_KEYS = {
    "name", "domains", "timezone", "start_urls", "sitemaps", "feeds",
    "articles", "selectors", "rules", "limits", "recheck",
}
_LIMIT_KEYS = {"max_articles", "max_listing_pages", "listing_depth", "download_delay"}
SELECTOR_FIELDS = frozenset({
    "headline", "standfirst", "authors", "byline", "published", "modified",
    "section", "tags", "language", "canonical_url", "image_url",
})
"""The fields a ``[selectors]`` entry overrides (newsarchive/extraction/loader.py
reads exactly these). Body, captions and the bookkeeping fields have no
selector: accepting one would silently do nothing."""
_RULE_KINDS = {"text", "css"}
# XPath 1.0's functions and node tests, and parsel's has-class(): any other
# name failed on every page ("Unregistered function") once it was reached.
# The operators are here for "[@a and (@b or @c)]".
_XPATH_FUNCTIONS = frozenset(
    "last position count id local-name namespace-uri name string concat starts-with contains "
    "substring-before substring-after substring string-length normalize-space translate boolean "
    "not true false lang number sum floor ceiling round text node comment processing-instruction "
    "has-class and or div mod".split())
_XPATH_CALL = re.compile(r"(?<![\w.@$-])([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*\(")
_EMPTY_PAGE = lxml_html.document_fromstring("<html><body></body></html>")


class SiteConfigError(ValueError):
    """A site file is unusable. The message names the file, the key and the problem."""

    def __init__(self, path: Path | str, key: str | None, problem: str):
        self.path = Path(path)
        self.key = key
        self.problem = problem
        where = f"key '{key}'" if key else "file"
        super().__init__(f"bad site file {self.path}: {where}: {problem}")


class SitesFolderError(SiteConfigError):
    """The sites folder itself is missing: there is no file to name."""

    def __init__(self, folder: Path | str):
        self.path = Path(folder)
        self.key = None
        # A user pointing it at their one new file meets this too: "does not
        # exist" about a file they can see sent them looking for a typo.
        self.problem = ("is a file; give the folder that holds it" if self.path.is_file()
                        else "does not exist")
        ValueError.__init__(self, f"sites folder {folder} (NEWSARCHIVE_SITES_DIR) {self.problem}")


@dataclass(frozen=True)
class SiteConfig:
    """One configured site (or one built from a bare ``-a url=``)."""

    name: str
    domains: tuple[str, ...]
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    allow: tuple[re.Pattern[str], ...] = ()
    deny: tuple[re.Pattern[str], ...] = ()
    timezone: str | None = None
    selectors: dict[str, str] = field(default_factory=dict)
    rules: tuple[ExtraRule, ...] = ()
    max_articles: int | None = None
    max_listing_pages: int | None = None
    listing_depth: int | None = None
    download_delay: float | None = None
    recheck_recent: timedelta | None = None
    recheck_every: timedelta | None = None
    source: Path | None = None

    @property
    def extraction(self) -> ExtractionConfig:
        """What extraction needs from this file."""
        return ExtractionConfig(
            site=self.name,
            timezone=self.timezone,
            selectors=dict(self.selectors),
            extra_rules=self.rules,
        )

    @property
    def zone(self) -> ZoneInfo | None:
        """The site's time zone, for sitemap and feed dates written without an
        offset (the file was checked when loaded, so the name is a zone)."""
        return ZoneInfo(self.timezone) if self.timezone else None

    def owns(self, url: str) -> bool:
        """True when ``url`` is on one of the site's domains (subdomains included)."""
        return on_domains(url, self.domains)

    def entry_urls(self) -> tuple[str, ...]:
        """Start pages: the configured ones, else the home page of the first domain."""
        if self.start_urls:
            return self.start_urls
        default = default_start_page(self.domains[0])
        return (default,) if default else ()

    @classmethod
    def from_url(cls, url: str, *, name: str | None = None) -> SiteConfig:
        """A site known only by an address: its host, everything else discovered."""
        if "://" not in url and _SCHEME.match(url.strip()):
            # "mailto:x@y.z" or "javascript:..." given a made-up https:// read
            # as a user name or a port, and failed later as a traceback.
            raise ValueError(f"url={url!r} is not an http(s) address")
        full = url.strip() if "://" in url else f"https://{url.strip()}"
        problem = address_problem(full)
        if problem == _NOT_HTTP:
            raise ValueError(f"url={url!r} is not an http(s) address")
        if problem:
            raise ValueError(f"url={url!r}: {problem}")
        parts = urlsplit(full)
        if "://" not in url and "." not in parts.hostname and parts.hostname != "localhost":
            # "-a url=independent" (a site's name typed for its address) would
            # otherwise be crawled as the host "independent" and fail on DNS.
            raise ValueError(f"url={url!r} is not an address: give https://HOST/... or a host "
                             f"name such as example.com (-a site=NAME crawls a configured site)")
        start = parts._replace(path=parts.path or "/", fragment="").geturl()
        host = _host_key(start)
        return cls(name=name or host, domains=(host,), start_urls=(start,))


# A scheme before a colon, unless what follows is a port ("example.com:8080/").
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d*(?:[/?#]|$))")

_NOT_HTTP = "is not an absolute http(s) URL"


def address_problem(url: str) -> str | None:
    """Why ``url`` is no address a crawl can start from, or None. Shared by
    ``-a url=`` and a site file's start pages, sitemaps and feeds, which met
    none of these checks: a port that is no number crashed the run at start."""
    try:
        parts = urlsplit(url)
    except ValueError:
        # "https://[YOUR-DOMAIN]/": brackets hold only an IP address.
        return "the host is not a host name or IP address"
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return _NOT_HTTP
    try:
        parts.port
    except ValueError:
        return "the port is not a number from 1 to 65535"
    if parts.username is not None or parts.password is not None:
        # Refused rather than sent: the address (with the password) would be
        # written to the archive's URLs, the state files, logs and exports,
        # and the archive is for public pages.
        return ("a user name or password in the address is not supported (the archive keeps "
                "every address it crawls); give the address without user:password@")
    if not usable_host(parts.hostname):
        # A space or other stray character reached the request as an
        # "Invalid URI" traceback, or its robots.txt as "unreachable".
        return f"{parts.hostname!r} is not a host name"
    return None


def on_domains(url: str, domains: Iterable[str]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or under one. A domain
    given with a port ("127.0.0.1:8080") is that port only; one without, the
    host on any port (a site file for a local copy names its host alone)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False  # "https://[YOUR-DOMAIN]/...": on no site
    host = _host_key(url)
    name = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    if ":" in name:
        name = f"[{name}]"
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    # The key drops a default port, so a domain given with one
    # ("127.0.0.1:80") is compared with the port the address goes to.
    with_port = f"{name}:{port}" if port else host
    return any(h == d or h.endswith("." + d) for d in domains
               for h in ((host, with_port) if ":" in d.rpartition("]")[2] else (host, name)))


def _host_key(url: str) -> str:
    """Host (with a non-default port) lower-cased and without ``www.``; an
    IPv6 literal keeps its brackets, so "[::1]:8080" still reads as host and port."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    return host


def sites_dir(configured: str | Path | None) -> Path:
    """The folder to read: the configured one, or the bundled outlets when unset."""
    return Path(configured).expanduser() if configured else BUNDLED_SITES_DIR


def load_sites(folder: str | Path | None = None) -> dict[str, SiteConfig]:
    """Read every ``*.toml`` in ``folder`` (default: the bundled sites), by name.

    Raises SiteConfigError on the first bad file, or when two files claim the
    same name or the same domain. A missing folder is an error too: the user
    named it.
    """
    folder = sites_dir(folder)
    if not folder.is_dir():
        raise SitesFolderError(folder)
    sites: dict[str, SiteConfig] = {}
    for path in sorted(folder.glob("*.toml")):
        site = load_site(path)
        if site.name in sites:
            other = sites[site.name].source
            raise SiteConfigError(path, "name", f"{site.name!r} is already used by {other}")
        _check_domains_unclaimed(path, site, sites.values())
        sites[site.name] = site
    return sites


def _check_domains_unclaimed(path: Path, site: SiteConfig, others: Iterable[SiteConfig]) -> None:
    # Every URL is routed to the first site that owns it (subdomains
    # included), so a domain in two files would give its pages one file's
    # selectors, rules and limits by the order of the file names, and let two
    # runs of "different" sites crawl one host at once past the run lock.
    for other in others:
        for domain in site.domains:
            for theirs in other.domains:
                # A domain without a port is its host on every port, so it
                # meets one with a port by host name.
                a, b = domain, theirs
                if _port_of(a) is None or _port_of(b) is None:
                    a, b = _without_port(a), _without_port(b)
                if a == b or a.endswith("." + b) or b.endswith("." + a):
                    raise SiteConfigError(
                        path, "domains",
                        f"{domain!r} overlaps {theirs!r} of site {other.name!r} ({other.source}); "
                        "a page there would belong to both: list the domains in one file",
                    )


def _port_of(domain: str) -> str | None:
    tail = domain.rpartition("]")[2]  # after an IPv6 literal's brackets
    return tail.rpartition(":")[2] if ":" in tail else None


def _without_port(domain: str) -> str:
    port = _port_of(domain)
    return domain[: -len(port) - 1] if port is not None else domain


def load_site(path: str | Path) -> SiteConfig:
    """Parse and check one site file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(path, None, f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteConfigError(path, None, f"cannot read it: {exc}") from None
    return _build(path, data)


def _build(path: Path, data: dict[str, Any]) -> SiteConfig:
    check = _Checker(path)
    for key in data:
        if key not in _TOP_KEYS:
            check.fail(key, f"unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
    name = check.string("name", data.get("name", path.stem)).lower()
    if not _NAME.match(name):
        if "name" in data:
            check.fail("name", f"{name!r} must be lower-case letters, digits, '.', '_' or '-'")
        check.fail("name", f"missing, and the file name gives {name!r}, which is not a site name "
                           f"(lower-case letters, digits, '.', '_' or '-'); add name = \"...\" or rename the file")
    if "domains" not in data:
        check.fail("domains", "missing; give the site's domains, e.g. [\"example.com\"]")
    domains = tuple(_clean_domain(check, d) for d in check.string_list("domains", data["domains"]))
    if not domains:
        check.fail("domains", "must list at least one domain")
    urls = {k: tuple(check.url(k, u) for u in check.string_list(k, data.get(k, [])))
            for k in ("start_urls", "sitemaps", "feeds")}
    for start in urls["start_urls"]:
        # Feeds and sitemaps may live elsewhere; a start page off the site's
        # domains is dropped by the site-bound middleware, so the run would
        # crawl nothing from it and say so only in the stats.
        if not on_domains(start, domains):
            check.fail("start_urls", f"{start!r} is not on the site's domains ({', '.join(domains)})")
    if not urls["start_urls"] and not urls["sitemaps"] and not urls["feeds"] \
            and default_start_page(domains[0]) is None:
        # The run had nothing to request, and ended with exit status 4, "the
        # site answered no page", for a site that is up.
        check.fail("start_urls", f"missing, and there is no default start page for {domains[0]!r} "
                                 "(https://www.<domain>/ needs a host name with a dot); give one, "
                                 f"e.g. start_urls = [\"http://{domains[0]}/\"]")
    tz = data.get("timezone")
    if tz is not None:
        tz = check.string("timezone", tz)
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            # OSError: "Europe" names tzdata's folder of zones, not a zone.
            check.fail("timezone", f"{tz!r} is not an IANA time zone such as 'Europe/London'")
    articles = check.table("articles", data.get("articles", {}), {"allow", "deny"})
    allow = tuple(check.regex("articles.allow", p) for p in check.string_list("articles.allow", articles.get("allow", [])))
    deny = tuple(check.regex("articles.deny", p) for p in check.string_list("articles.deny", articles.get("deny", [])))
    selectors_raw = check.table("selectors", data.get("selectors", {}), set(SELECTOR_FIELDS))
    selectors = {k: check.selector(f"selectors.{k}", check.string(f"selectors.{k}", v))
                 for k, v in selectors_raw.items()}
    rules = tuple(_rule(check, i, r) for i, r in enumerate(_as_list(check, "rules", data.get("rules", []))))
    limits = check.table("limits", data.get("limits", {}), _LIMIT_KEYS)
    recheck = check.table("recheck", data.get("recheck", {}), {"recent", "every"})
    return SiteConfig(
        name=name,
        domains=domains,
        start_urls=urls["start_urls"],
        sitemaps=urls["sitemaps"],
        feeds=urls["feeds"],
        allow=allow,
        deny=deny,
        timezone=tz,
        selectors=selectors,
        rules=rules,
        max_articles=check.count("limits.max_articles", limits.get("max_articles")),
        max_listing_pages=check.count("limits.max_listing_pages", limits.get("max_listing_pages")),
        listing_depth=check.count("limits.listing_depth", limits.get("listing_depth")),
        download_delay=check.seconds("limits.download_delay", limits.get("download_delay")),
        recheck_recent=check.duration("recheck.recent", recheck.get("recent")),
        recheck_every=check.duration("recheck.every", recheck.get("every")),
        source=path,
    )


def default_start_page(domain: str) -> str | None:
    """``https://www.<domain>/``, the start page of a file without
    ``start_urls``, or None where that is no address: an IP address
    (``www.127.0.0.1`` fails its DNS lookup) or a host without a dot
    (``localhost``, an intranet name)."""
    host = domain.rsplit(":", 1)[0] if ":" in domain else domain
    if "." not in host or re.fullmatch(r"[\d.]+", host):
        return None
    return f"https://www.{domain}/"


def _as_list(check: _Checker, key: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        check.fail(key, f"must be an array of tables ([[{key}]]), got {type(value).__name__}")
    return value


def _rule(check: _Checker, index: int, raw: Any) -> ExtraRule:
    key = f"rules[{index}]"
    table = check.table(key, raw, {"name", "pattern", "kind"})
    for needed in ("name", "pattern"):
        if needed not in table:
            check.fail(f"{key}.{needed}", "missing")
    name = check.string(f"{key}.name", table["name"])
    pattern = check.string(f"{key}.pattern", table["pattern"])
    kind = check.string(f"{key}.kind", table.get("kind", "text"))
    if kind not in _RULE_KINDS:
        check.fail(f"{key}.kind", f"{kind!r} must be one of {sorted(_RULE_KINDS)}")
    if kind == "text":
        check.regex(f"{key}.pattern", pattern)
    else:
        check.css(f"{key}.pattern", pattern)
    return ExtraRule(name=name, pattern=pattern, kind=kind)


def _clean_domain(check: _Checker, value: str) -> str:
    domain = value.strip().lower().rstrip(".")
    if "://" in domain:
        check.fail("domains", f"{value!r} is a URL; give the bare domain, e.g. 'example.com'")
    if domain.startswith("www."):
        domain = domain[4:]
    if not domain.isascii():
        # An internationalised name is a domain name: "is not a domain name"
        # sent users looking for a typo. Addresses on the wire carry its
        # ASCII (punycode) form, which is what the file must give.
        try:
            ascii_form = domain.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_form = None
        if ascii_form and _DOMAIN.match(ascii_form):
            check.fail("domains", f"{value!r}: give an internationalised domain in its ASCII "
                                  f"(punycode) form, {ascii_form!r}")
    if not _DOMAIN.match(domain):
        check.fail("domains", f"{value!r} is not a domain name")
    return domain


class _Checker:
    """Type checks that fail with the file, the key and what was wrong."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str | None, problem: str) -> None:
        raise SiteConfigError(self.path, key, problem)

    def string(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def string_list(self, key: str, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(key, f"must be a list of strings, got {type(value).__name__}")
        return [self.string(key, v) for v in value]

    def table(self, key: str, value: Any, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, f"must be a table ([{key}]), got {type(value).__name__}")
        for sub in value:
            if sub not in allowed:
                self.fail(f"{key}.{sub}", f"unknown key (known: {', '.join(sorted(allowed))})")
        return value

    def url(self, key: str, value: str) -> str:
        problem = address_problem(value)
        if problem == _NOT_HTTP:
            self.fail(key, f"{value!r} {problem}")
        if problem:
            self.fail(key, f"{value!r}: {problem}")
        return value

    def regex(self, key: str, value: str) -> re.Pattern[str]:
        try:
            return re.compile(value)
        except re.error as exc:
            self.fail(key, f"{value!r} is not a valid regular expression: {exc}")
            raise  # unreachable; keeps type checkers content

    def css(self, key: str, value: str) -> str:
        try:
            selector = CSSSelector(value, translator="html")  # as extraction compiles it
        except SelectorError as exc:
            # Extraction skips a selector it cannot compile, so a typo here
            # would silently do nothing on every page.
            self.fail(key, f"{value!r} is not a valid CSS selector: {exc}")
        self._runs(key, value, selector)
        return value

    def selector(self, key: str, value: str) -> str:
        """CSS, or XPath when it starts with '/' or '(' (as extraction reads it)."""
        if not value.startswith(("/", "(")):
            return self.css(key, value)
        try:
            etree.XPath(value, namespaces=SELECTOR_NAMESPACES)
        except etree.XPathError as exc:
            self.fail(key, f"{value!r} is not a valid XPath expression: {exc}")
        literals_out = re.sub(r"'[^']*'|\"[^\"]*\"", "''", value)
        for function in _XPATH_CALL.findall(literals_out):
            if function not in _XPATH_FUNCTIONS and function.partition(":")[0] not in SELECTOR_NAMESPACES:
                self.fail(key, f"{value!r}: unknown XPath function '{function}()' (lxml runs XPath 1.0, "
                               f"with has-class() and the EXSLT re: and set: functions)")
        self._runs(key, value, lambda page: run_selector(page, value))
        return value

    def _runs(self, key: str, value: str, run: Callable[[Any], Any]) -> None:
        # Run once on an empty page: a selector that compiles may still fail
        # on every page (a namespace prefix), which extraction took for one
        # that matched nothing, or, as a css rule, failed the page's body.
        try:
            run(_EMPTY_PAGE)
        except etree.XPathError as exc:
            problem = "a namespace prefix no page declares" if "namespace prefix" in str(exc) else str(exc)
            self.fail(key, f"{value!r} cannot run: {problem}")

    def count(self, key: str, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(key, f"must be a whole number >= 0, got {value!r}")
        return value

    def seconds(self, key: str, value: Any) -> float | None:
        if value is None:
            return None
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value) or value < 0):
            # TOML has nan and inf; neither is a delay Scrapy can wait.
            self.fail(key, f"must be a number of seconds >= 0, got {value!r}")
        return float(value)

    def duration(self, key: str, value: Any) -> timedelta | None:
        if value is None:
            return None
        text = self.string(key, value)
        try:
            return parse_duration(text)
        except ValueError as exc:
            self.fail(key, str(exc))
            raise
