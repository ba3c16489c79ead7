"""A per-client limit on consultation submissions, shared through the cache.

With Redis (REDIS_URL) every app server counts against the same budget.
"""

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 10 * 60


def allow(client_key: str, brand_id: int, *, limit: int | None = None) -> bool:
    """Count one submission; return False when the client is over its limit."""
    limit = settings.CONSULTATION_RATE_LIMIT if limit is None else limit
    key = f"ratelimit:consultation:{brand_id}:{client_key}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit
