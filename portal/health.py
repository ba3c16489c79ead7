"""The health check, answered before any other middleware.

Load balancers probe app servers by IP address and over plain HTTP, so the answer
must not depend on the Host header (ALLOWED_HOSTS, brands) or on the HTTPS redirect.
"""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


def cache_status() -> str:
    """Say whether the shared cache answers: "up", "down" or "local" (no Redis).

    A cache that is down does not make the app server unhealthy (pages render without
    it, portal/resilient_cache.py): it is reported, not answered with a 503.
    """
    from django.core.cache import caches
    from redis.exceptions import RedisError

    from portal.resilient_cache import ResilientRedisCache

    real = caches["default"]
    if not isinstance(real, ResilientRedisCache):
        return "local"
    if not real.available:
        return "down"  # within the back-off after a failure: no new connection attempt
    try:
        real._cache.get_client(write=True).ping()
    except RedisError:
        return "down"
    return "up"


def database_status() -> JsonResponse:
    """Answer 200 when the database answers a query, 503 otherwise; name the cache's
    state too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database did not answer.")
        response = JsonResponse(
            {"status": "unavailable", "database": "down", "cache": cache_status()}, status=503
        )
    else:
        response = JsonResponse({"status": "ok", "database": "up", "cache": cache_status()})
    add_never_cache_headers(response)
    # Answered before SecurityMiddleware, so its headers are set here.
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return database_status()
        return self.get_response(request)
