"""Generation counters in the shared cache: bump one to retire every key built on it.

A counter starts at a random large value (so that an evicted counter never restarts at
a number old entries still carry) and is incremented atomically (Redis INCR), so two
app servers bumping at once both count.
"""

import secrets

from django.core.cache import cache


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
