"""Resolve a request's Host header to a brand, with a shared cache.

Answers are cached per hostname under a generation number; saving or deleting a
brand or a domain bumps it once the save commits (portal.retirement), which retires
every cached answer at once, in every process that shares the cache.
"""

import copy
from dataclasses import dataclass, replace

from django.conf import settings

from clinic.models import Brand, BrandDomain
from portal import generations
from portal.generations import DecodedMemo
from portal.hosts import bare_hostname, normalise_hostname

# Decoded host answers, by host-map generation (read from the shared cache every time).
_decoded = DecodedMemo(1024)


@dataclass(frozen=True)
class HostMatch:
    """What a hostname means: a brand to serve, or a hostname to redirect to."""

    brand: Brand
    redirect_to: str | None = None


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


def brands_and_hosts(brand_ids: set[int] | None) -> tuple[list[int], set[str]]:
    """The brands among ``brand_ids`` (None: all) that exist, and every hostname that
    serves them (the default brand's development hosts too): what a save retires."""
    brands = Brand.objects.all() if brand_ids is None else Brand.objects.filter(pk__in=brand_ids)
    found, hosts = [], set()
    for brand_id, is_default in brands.values_list("pk", "is_default"):
        found.append(brand_id)
        if is_default:
            hosts.update(settings.DEFAULT_BRAND_HOSTS)
    hosts.update(
        BrandDomain.objects.across_brands()
        .filter(brand_id__in=found)
        .values_list("hostname", flat=True)
    )
    return found, hosts


def remember_hostname(sender, instance, **kwargs):
    """pre_save: note the name a domain had, whose pages must be retired too."""
    if instance.pk:
        instance._hostname_before = (
            sender._default_manager.across_brands()
            .filter(pk=instance.pk)
            .values_list("hostname", flat=True)
            .first()
        )


def hostnames_of_a_save(domain) -> set[str]:
    """The hostnames a saved or deleted domain concerns: its name, and the one it had."""
    return {domain.hostname, getattr(domain, "_hostname_before", None)} - {None}


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
