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
