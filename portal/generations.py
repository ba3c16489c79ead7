"""Generation counters in the shared cache: bump one to retire every key built on it.

A counter starts at a random large value (so that an evicted counter never restarts at
a number old entries still carry) and is incremented atomically (Redis INCR), so two
app servers bumping at once both count.

Three families, and nothing else, retire cached data (docs/caching.md):

- ``HOST_MAP``: the hostname-to-brand answers (any brand or domain saved);
- ``brand(id)``: everything cached about one brand's content (its locations and hours,
  the article data behind its pages);
- ``host(name)``: the whole pages served on one hostname.
"""

import secrets

from django.core.cache import cache

HOST_MAP = "generation:host-map"


def brand(brand_id: int) -> str:
    return f"generation:brand:{brand_id}"


def host(hostname: str) -> str:
    return f"generation:host:{hostname}"


def current(key: str) -> int:
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.randbits(62), None)
        value = cache.get(key)
    return value


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted or never read): any fresh start will do
        cache.add(key, secrets.randbits(62), None)
