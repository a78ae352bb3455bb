"""The client address used by every rate limit (allauth, DRF throttles) and the audit log.

Rate limits count per :func:`rate_limit_key`: the address itself for IPv4, its /64 network
for IPv6 (a subscriber is given a whole /64 and can pick any of its 2^64 addresses per
request, so counting per address would not limit her at all).

One rule, so a visitor is counted and recorded under the same address everywhere:

- Without ``BEHIND_TLS_PROXY`` the site is reached directly, so the client is the
  connection's address (``REMOTE_ADDR``) and ``X-Forwarded-For`` is ignored: anyone can
  write that header.
- With it, ``TRUSTED_PROXY_COUNT`` proxies stand in front of the site and each appends the
  address it received the request from. The entry that many places from the right is the
  address the outermost trusted proxy saw; entries further left were written by the client
  and change nothing.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The visitor's IP address, normalised (``2001:DB8::7`` -> ``2001:db8::7``).

    Behind the proxy, a missing, too short or malformed ``X-Forwarded-For`` falls back to
    ``REMOTE_ADDR``, the proxy's own address: such a request shares one rate-limit bucket
    with every other one like it (stricter, never looser), and never gets an address the
    client chose. Returns None when even ``REMOTE_ADDR`` is not an IP address (e.g. a Unix
    socket without a proxy header).
    """
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    if not settings.BEHIND_TLS_PROXY:
        return remote
    entries = request.headers.get("x-forwarded-for", "").split(",")
    count: int = settings.TRUSTED_PROXY_COUNT
    if len(entries) < count:
        return remote
    return _ip(entries[-count]) or remote


#: The IPv6 prefix one client controls (RFC 6177: at least a /64 per subscriber).
IPV6_CLIENT_PREFIX = 64


def rate_limit_key(request: HttpRequest) -> str | None:
    """What a rate limit counts ``request`` under: the IPv4 address (``203.0.113.7``), or for
    IPv6 the /64 network it is in (``2001:db8:1:2::/64``); an IPv4-mapped IPv6 address is its
    IPv4 address. None when :func:`client_address` is None."""
    address = client_address(request)
    if address is None:
        return None
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False))
    return address


def _ip(entry: str) -> str | None:
    """An address as proxies write it: bare, ``1.2.3.4:port`` or ``[v6]:port``."""
    entry = entry.strip()
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        pass
    try:
        host = urlsplit(f"//{entry}").hostname
        return str(ipaddress.ip_address(host or ""))
    except ValueError:
        return None
