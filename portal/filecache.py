"""The shared cache of a one-machine deployment: files every worker reads and writes.

Django's file cache, with two changes:

- values are stored pickled but not zlib-compressed: a cached page is read on every
  hit, and decompressing it cost more than the rest of the hit (pages are sent
  compressed by the gzip layer below, which stores its own copy);
- keys are not checked for memcached (they become md5 file names);
- ``incr`` is atomic across processes (a lock file around read and replace), as the
  generation counters need: two workers retiring at once must both count, or a reader
  between the two bumps could keep a page the second save made old.
"""

import pickle
from typing import TYPE_CHECKING, BinaryIO

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class SharedFileCache(FileBasedCache):
    cache_suffix = ".cache"  # not Django's: the two stored forms never meet

    if TYPE_CHECKING:  # FileBasedCache's own helpers, which the stubs leave out

        def _key_to_file(self, key: str, version: int | None = None) -> str: ...
        def _is_expired(self, f: BinaryIO) -> bool: ...
        def _createdir(self) -> None: ...

    def validate_key(self, key):
        # Keys become md5 file names: nothing to warn about (Django checks every key
        # for memcached, which costs a tenth of a cached page's answer).
        pass

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    return pickle.loads(f.read())
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout, version)
        return True

    def incr(self, key, delta=1, version=None):
        fname = self._key_to_file(key, version)
        self._createdir()
        with open(fname + ".lock", "a+b") as lock:
            locks.lock(lock, locks.LOCK_EX)
            try:
                value = self.get(key, version=version)
                if value is None:
                    raise ValueError(f"Key '{key}' not found")
                value += delta
                # Written whole to a new file and renamed over: readers never see half.
                self.set(key, value, None, version)
            finally:
                locks.unlock(lock)
        return value
