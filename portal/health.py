"""The health check, answered before any other middleware.

Load balancers probe app servers by IP address and over plain HTTP, so the answer
must not depend on the Host header (ALLOWED_HOSTS, brands) or on the HTTPS redirect.
"""

import logging
import sys
import threading
import time

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from portal import db_deadline

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


# After finding the database down, a worker says so at once for this long instead of
# probing again: a load balancer asking every second costs a worker nothing.
REMEMBER_DOWN_SECONDS = 2.0
_last_down = {"at": float("-inf")}


def forget_down() -> None:
    """Probe afresh at the next check (tests, and nothing else, need this)."""
    _last_down["at"] = float("-inf")


def _database_answers() -> bool:
    if time.monotonic() - _last_down["at"] < REMEMBER_DOWN_SECONDS:
        return False
    try:
        # In gunicorn's workers a quick deadline (portal/db_deadline.py): a database
        # that accepts and never answers is "down" in a fraction of a second.
        with db_deadline.deadline(db_deadline.quick_seconds()), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        _last_down["at"] = time.monotonic()
        if isinstance(sys.exc_info()[1], db_deadline.DatabaseUnanswered):
            connection.close()  # the next request connects anew
        return False
    return True


def database_status() -> JsonResponse:
    """Answer 200 when the database answers a query, 503 otherwise; name the state of
    each dependency. The cache is asked beside the database, not after it, so that two
    silent servers cost the time of one."""
    cache: dict[str, str] = {}
    asking = threading.Thread(target=lambda: cache.update(state=cache_status()), daemon=True)
    asking.start()
    database_up = _database_answers()
    asking.join(timeout=CACHE_ASK_SECONDS)
    states = {"database": "up" if database_up else "down", "cache": cache.get("state", "unknown")}
    if database_up:
        response = JsonResponse({"status": "ok", **states})
    else:
        logger.warning("Health check: the database did not answer.")
        response = JsonResponse({"status": "unavailable", **states}, status=503)
    add_never_cache_headers(response)
    # Answered before SecurityMiddleware, so its headers are set here.
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The cache's own socket timeout (CACHE_TIMEOUT, 0.5 s) ends a silent Redis's ping first.
CACHE_ASK_SECONDS = 0.7


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return database_status()
        return self.get_response(request)
