"""Redis as a cache that may go away: an outage is a cache miss, never an error page.

Django's Redis backend raises when Redis does not answer, and every page reads the cache
(the page cache, the host-to-brand map, generations), so an unreachable Redis used to
answer every request with a 500. Here:

- a read that fails is a miss and a write that fails is skipped, with one warning per
  outage in the log (and one when Redis is back);
- after a failure, Redis is left alone for ``RETRY_SECONDS`` (answers are misses at once,
  not one connection timeout per call), then tried again;
- a retirement that failed (``incr``/``delete``: a save meant to retire cached pages)
  marks this process "owing"; the first time Redis answers again, it empties the cache
  before anything is read, so nothing saved during the outage is shadowed by a page
  cached before it.

What else depends on Redis degrades as stated: sessions are read from the database
(``cached_db``); rate limits and sign-in lockouts are counted in the database already.
Connection and read timeouts are short (OPTIONS in settings), so a Redis that swallows
packets costs a request at most that long once per ``RETRY_SECONDS``.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0


class CacheUnavailable(Exception):
    """Redis did not answer (raised only inside this module)."""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._in_outage = False
        self._owes_clear = False

    @property
    def available(self) -> bool:
        """Is Redis believed to answer now (not within a back-off after a failure)?"""
        return time.monotonic() >= self._down_until

    def _call(self, operation, *args, retirement=False, **kwargs):
        if not self.available:
            if retirement:
                self._owes_clear = True
            raise CacheUnavailable
        try:
            if self._owes_clear:
                self._settle()
            answer = operation(*args, **kwargs)
        except RedisError as error:
            with self._lock:
                self._down_until = time.monotonic() + RETRY_SECONDS
                if retirement:
                    self._owes_clear = True
                if not self._in_outage:
                    self._in_outage = True
                    logger.warning(
                        "Cache (Redis) unavailable (%s): pages are rendered without it "
                        "until it answers again.",
                        type(error).__name__,
                    )
            raise CacheUnavailable from error
        if self._in_outage:
            with self._lock:
                self._in_outage = False
            logger.warning("Cache (Redis) answers again.")
        return answer

    def _settle(self):
        """Pay the retirement owed from the outage: empty the cache once."""
        super().clear()
        self._owes_clear = False
        logger.warning("Cache (Redis) emptied after the outage: saves made meanwhile show.")

    # Reads: a miss. --------------------------------------------------------------

    def get(self, key, default=None, version=None):
        try:
            return self._call(super().get, key, default, version)
        except CacheUnavailable:
            return default

    def get_many(self, keys, version=None):
        try:
            return self._call(super().get_many, keys, version)
        except CacheUnavailable:
            return {}

    def has_key(self, key, version=None):
        try:
            return self._call(super().has_key, key, version)
        except CacheUnavailable:
            return False

    # Writes: skipped. ---------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().add, key, value, timeout, version)
        except CacheUnavailable:
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().set, key, value, timeout, version)
        except CacheUnavailable:
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().set_many, data, timeout, version)
        except CacheUnavailable:
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().touch, key, timeout, version)
        except CacheUnavailable:
            return False

    # Retirements: owed until Redis answers again. ----------------------------------

    def incr(self, key, delta=1, version=None):
        try:
            return self._call(super().incr, key, delta, version, retirement=True)
        except CacheUnavailable:
            return 0

    def delete(self, key, version=None):
        try:
            return self._call(super().delete, key, version, retirement=True)
        except CacheUnavailable:
            return False

    def delete_many(self, keys, version=None):
        try:
            return self._call(super().delete_many, keys, version, retirement=True)
        except CacheUnavailable:
            return None

    def clear(self):
        try:
            return self._call(super().clear, retirement=True)
        except CacheUnavailable:
            return None
