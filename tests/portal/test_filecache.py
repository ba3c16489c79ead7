"""The one-machine shared cache (portal/filecache.py): plain pickles, atomic counters."""

import multiprocessing
import time

import pytest

from portal.filecache import SharedFileCache


def cache_in(folder) -> SharedFileCache:
    return SharedFileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 1000}})


def test_values_round_trip_and_expire(tmp_path):
    cache = cache_in(tmp_path)
    page = {"content": "<h1>Über</h1>".encode() * 500, "status": 200}
    cache.set("page", page, 1)
    assert cache.get("page") == page
    assert cache.touch("page", 60) and cache.get("page") == page
    cache.set("short", "x", 1)
    time.sleep(1.1)
    assert cache.get("short") is None
    assert cache.get("missing", "default") == "default"


def test_incr_of_a_missing_key_says_so(tmp_path):
    with pytest.raises(ValueError):
        cache_in(tmp_path).incr("nothing")


def _bump(folder, times):
    cache = cache_in(folder)
    for _ in range(times):
        cache.incr("generation")


def test_increments_from_several_processes_all_count(tmp_path):
    """Two workers retiring at once must both change the counter, every time."""
    cache_in(tmp_path).set("generation", 1000, None)
    workers = [
        multiprocessing.get_context("fork").Process(target=_bump, args=(tmp_path, 200))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    assert cache_in(tmp_path).get("generation") == 1000 + 4 * 200
