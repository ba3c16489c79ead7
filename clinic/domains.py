"""Resolve a request's Host header to a brand, with a shared cache.

Answers are cached per hostname under a generation number; saving or deleting a
brand or a domain bumps it once the save commits (portal.retirement), which retires
every cached answer at once, in every process that shares the cache.
"""

import copy
from dataclasses import dataclass, replace

from django.conf import settings

from clinic.fields import normalise_hostname
from clinic.models import Brand, BrandDomain
from portal import generations
from portal.generations import DecodedMemo

# Decoded host answers, by host-map generation (read from the shared cache every time).
_decoded = DecodedMemo(1024)


@dataclass(frozen=True)
class HostMatch:
    """What a hostname means: a brand to serve, or a hostname to redirect to."""

    brand: Brand
    redirect_to: str | None = None


def bare_hostname(host: str) -> str:
    """Return a Host header's name in its normal form, without its port."""
    host = normalise_hostname(host)
    return host.rsplit(":", 1)[0] if not host.endswith("]") and ":" in host else host


def _candidates(host: str) -> list[str]:
    """Return the host with its port, then without (as contrib.sites does)."""
    host = normalise_hostname(host)
    bare = bare_hostname(host)
    return [host] if bare == host else [host, bare]


def _lookup(candidates: list[str]) -> HostMatch | None:
    domains = {
        domain.hostname: domain
        # The host is how the brand is found: this lookup spans brands by design.
        for domain in BrandDomain.objects.across_brands()
        .filter(hostname__in=candidates)
        .select_related("brand")
    }
    for candidate in candidates:
        domain = domains.get(candidate)
        if domain is None:
            continue
        if domain.is_primary:
            return HostMatch(brand=domain.brand)
        primary = (
            BrandDomain.objects.for_brand(domain.brand)
            .filter(is_primary=True)
            .values_list("hostname", flat=True)
            .first()
        )
        return HostMatch(brand=domain.brand, redirect_to=primary)
    if candidates[-1] in settings.DEFAULT_BRAND_HOSTS:
        brand = Brand.objects.filter(is_default=True).first()
        if brand is not None:
            return HostMatch(brand=brand)
    return None


def resolve_host(host: str) -> HostMatch | None:
    """Return the brand (or redirect) for a Host header value, or None if unknown."""
    candidates = _candidates(host)
    key = f"clinic:host:{generations.current(generations.HOST_MAP)}:{candidates[0]}"
    found = _decoded.fetch(
        key,
        lambda: _lookup(candidates) or False,  # False: a host of no brand
        settings.BRAND_CACHE_SECONDS,
    )
    if not found:
        return None
    # Each request gets its own brand object: it keeps per-request notes on it.
    return replace(found, brand=copy.copy(found.brand))


def with_request_port(hostname: str, request_host: str) -> str:
    """Add the request's port to a stored hostname that has none (development ports)."""
    if ":" not in hostname and not request_host.endswith("]") and ":" in request_host:
        return f"{hostname}:{request_host.rsplit(':', 1)[1]}"
    return hostname


def absolute_url(brand, path: str, request) -> str:
    """Return ``path`` on the brand's primary host, in the request's scheme.

    A development port on the request is kept when the stored hostname has none.
    """
    if brand is None or brand == getattr(request, "brand", None):
        return request.build_absolute_uri(path)
    host = brand.primary_domain
    if not host:
        return request.build_absolute_uri(path)
    return f"{request.scheme}://{with_request_port(host, request.get_host())}{path}"
