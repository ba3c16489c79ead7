"""Generation counters in the shared cache: bump one to retire every key built on it.

A counter starts at a random large value (so that an evicted counter never restarts at
a number old entries still carry) and is incremented atomically (Redis INCR), so two
app servers bumping at once both count.

Four families, and nothing else, retire cached data (docs/caching.md):

- ``HOST_MAP``: the hostname-to-brand answers (any brand or domain saved);
- ``brand_key(id)``: everything cached about one brand's content (its locations and hours,
  the article data behind its pages);
- ``host_key(name)``: the whole pages served on one hostname;
- ``bookings_key(id)``: the seats taken in the brand's slots (which times the consultation
  form offers).
"""

import secrets
from collections import OrderedDict

from django.core.cache import cache

from portal.release import RELEASE

HOST_MAP = "generation:host-map"


def brand_key(brand_id: int) -> str:
    return f"generation:brand:{brand_id}"


def bookings_key(brand_id: int) -> str:
    """Seats taken in the brand's slots (the consultation form's free times)."""
    return f"generation:bookings:{brand_id}"


def host_key(hostname: str) -> str:
    return f"generation:host:{hostname}"


def of_brand(brand) -> str:
    """The brand's generation, read from the shared cache once per request.

    Kept on the request's brand object (every request has its own copy), so the pages,
    the locations and the content cache all agree within one request.
    """
    value = getattr(brand, "_generation", None)
    if value is None:
        value = brand._generation = current(brand_key(brand.pk))
    return value


def current(key: str) -> str:
    """The counter's value, with this process's release (portal.release): keys built on
    it are retired by a bump and never read by another release of the code."""
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.randbits(62), None)
        value = cache.get(key)
    if value is None:
        # The shared cache does not answer (portal.resilient_cache): a generation of
        # this request's own, so that nothing cached, here or in this process's memo,
        # is reused while saves cannot retire it.
        return f"unshared-{secrets.token_hex(8)}.{RELEASE}"
    return f"{value}.{RELEASE}"


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted or never read): any fresh start will do
        cache.add(key, secrets.randbits(62), None)


class DecodedMemo:
    """Decoded values a process has read from the shared cache, keyed by generation.

    Only ever keyed by a generation read from the shared cache in the same request, so
    it can serve nothing that another process has retired. An entry may also carry the
    moment it expires (as its shared copy does). Bounded: the least recently used entry
    goes first. Values are shared by the requests of one process, so callers hand out
    copies of anything a request may change.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict = OrderedDict()

    def get(self, key, now: float | None = None):
        found = self.entries.get(key)
        if found is None:
            return None
        value, expires = found
        if expires is not None and (now is None or now >= expires):
            del self.entries[key]
            return None
        self.entries.move_to_end(key)
        return value

    def fetch(self, key: str, load, seconds: int):
        """Return the value under ``key`` (a generation-bearing shared-cache key): from
        this process, else from the shared cache, else ``load()``, kept in both."""
        value = self.get(key)
        if value is None:
            value = cache.get(key)
            if value is None:
                value = load()
                cache.set(key, value, seconds)
            self.put(key, value)
        return value

    def put(self, key, value, expires: float | None = None) -> None:
        self.entries[key] = (value, expires)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)
