"""Scrapy's default DNS resolver, also answering for IPv6 literal hosts.

Scrapy's ``CachingThreadedResolver`` asks ``socket.gethostbyname``, which
knows IPv4 only, so ``-a url=http://[::1]:8080/`` failed as "cannot resolve
host" although the address needs no resolving. Its IPv6-capable sibling
(``CachingHostnameResolver``) would change how every host name is looked up
(and ignores ``DNS_TIMEOUT``); only literals are answered here, as
themselves, and Twisted connects to an IPv6 answer as such.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer


class LiteralAwareResolver(CachingThreadedResolver):
    """``CachingThreadedResolver`` that returns an IPv6 literal unchanged."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:  # noqa: N802
        if ":" in name:
            try:
                return defer.succeed(str(ipaddress.IPv6Address(name.strip("[]"))))
            except ValueError:
                pass  # not a literal: resolved (and refused) as before
        return super().getHostByName(name, timeout)
