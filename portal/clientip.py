"""The address of the client a request came from, behind trusted proxies or not.

Everything that counts or locks per client (the consultation rate limit, django-axes,
the keyed client hash stored with a request) asks this module, never ``REMOTE_ADDR``
directly: behind a TLS-terminating load balancer ``REMOTE_ADDR`` is the balancer, and
every patient would share one budget.

``X-Forwarded-For`` is read only when the deployment says which proxies it trusts, and
only as far as those proxies wrote it: each proxy appends the address it received the
request from, so the first address from the right that is not a trusted proxy is the
client. Anything further left was sent by the client itself and is ignored.

Two ways to say which proxies are trusted (both off by default: a direct deployment
ignores the header entirely):

- ``TRUSTED_PROXIES``: the proxies' addresses or networks (``10.0.0.0/8``). A request
  whose ``REMOTE_ADDR`` is not one of them did not come through a proxy, and its
  header is ignored. The safe choice.
- ``TRUSTED_PROXY_COUNT``: how many proxies stand in front of the app. Use it only when
  the app servers cannot be reached except through those proxies.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Return the networks named by addresses or CIDR blocks; fail loudly on a typo."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network."
            ) from exc
    return tuple(networks)


def parse_address(value: str | None) -> Address | None:
    """Read one address as proxies write it (``1.2.3.4``, ``1.2.3.4:567``, ``[::1]:80``)."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("["):  # [IPv6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def resolve(
    remote_addr: str | None,
    forwarded_for: str | None,
    *,
    trusted: tuple[Network, ...] = (),
    count: int = 0,
) -> str:
    """Return the client's address from the connection's peer and the forwarded chain."""
    peer = parse_address(remote_addr)
    fallback = str(peer) if peer else ""
    if peer is None or not (trusted or count):
        return fallback
    if trusted and not any(peer in network for network in trusted):
        return fallback  # a direct request: whatever header it sent is its own invention
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    if trusted:
        for hop in reversed(hops):
            address = parse_address(hop)
            if address is None:
                return fallback  # a trusted proxy never writes garbage: stop trusting here
            if not any(address in network for network in trusted):
                return str(address)
        return str(parse_address(hops[0])) if hops else fallback
    if len(hops) < count:
        return fallback  # it did not pass through every proxy we were told of
    address = parse_address(hops[-count])
    return str(address) if address else fallback


def client_ip(request) -> str:
    """Return the address of the client that sent ``request``."""
    return resolve(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        trusted=parse_networks(tuple(settings.TRUSTED_PROXIES)),
        count=settings.TRUSTED_PROXY_COUNT,
    )
