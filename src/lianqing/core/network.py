"""The client's address, the same for every caller (rate limits, login lockout, audit rows).

Behind a reverse proxy REMOTE_ADDR is the proxy. `LIANQING_TRUSTED_PROXIES` lists the proxies'
networks (CIDRs); only a request whose peer is one of them has its X-Forwarded-For read, right to
left, and the first hop that is not a trusted proxy is the client. Anything a client writes into
the header itself sits to the left of that hop and is never believed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=4)
def _networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text ("" when the server was not told one)."""
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    if not _trusted(peer):
        return str(peer)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:  # a hop our own proxy would never write: stop at the last known one
            break
        peer = address
        if not _trusted(address):
            break
    return str(peer)
