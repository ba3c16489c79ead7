"""A Redis outage is a slower site, not a broken one (portal/resilient_cache.py).

Redis is reached through a loopback TCP proxy that can cut every connection, so each
test sees the real backend lose and regain its server.
"""

import logging
import os
import uuid

import pytest
import redis
from django.core.cache import caches

from appointments.models import ConsultationRequest
from portal import resilient_cache
from tests.appointments.conftest import submit
from tests.conftest import client_for
from tests.factories import article, reference_location
from tests.reliability.harness import TcpProxy

REDIS_PORT = int(os.environ.get("TEST_REDIS_PORT", "6379"))


@pytest.fixture
def proxy():
    try:
        redis.Redis(port=REDIS_PORT, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"no Redis server answers on port {REDIS_PORT}")
    forwarder = TcpProxy(REDIS_PORT)
    yield forwarder
    forwarder.close()


@pytest.fixture
def redis_behind_proxy(settings, proxy):
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.resilient_cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}/{15 - worker % 8}",
            "KEY_PREFIX": f"outage-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield caches["default"]
    proxy.restore()
    caches["default"].clear()


@pytest.fixture
def no_back_off(monkeypatch):
    """Try Redis again at once after a failure (the back-off has its own test)."""
    monkeypatch.setattr(resilient_cache, "RETRY_SECONDS", 0.0)


@pytest.fixture
def clinic(brand_a):
    place = reference_location(brand_a)
    piece = article(brand_a, slug="sleep-well", title="Sleeping well")
    return place, piece


def test_every_kind_of_page_answers_while_redis_is_cut(
    redis_behind_proxy, proxy, clinic, front_desk_a, brand_a
):
    _place, piece = clinic
    patient = client_for()
    assert patient.get("/").status_code == 200  # warm, with Redis
    proxy.cut()
    for path in ("/", "/articles/", piece.get_absolute_url(), "/locations/", "/consultation/"):
        assert patient.get(path).status_code == 200, path
    desk = client_for(front_desk_a)
    assert desk.get("/admin/").status_code == 200
    assert desk.get("/admin/appointments/consultationrequest/").status_code == 200


def test_a_request_sent_while_redis_is_cut_is_saved(redis_behind_proxy, proxy, clinic):
    place, _ = clinic
    proxy.cut()
    _, response = submit(place, slot="", preference_note="Mornings")
    assert response.status_code == 302 and "/consultation/thanks/" in response["Location"]
    assert ConsultationRequest.objects.count() == 1


def test_the_log_says_so_once_and_again_when_it_is_back(
    redis_behind_proxy, proxy, clinic, caplog, no_back_off
):
    patient = client_for()
    proxy.cut()
    with caplog.at_level(logging.WARNING, logger="portal.resilient_cache"):
        for _ in range(3):
            patient.get("/articles/")
        proxy.restore()
        patient.get("/articles/")
    messages = [r.getMessage() for r in caplog.records if r.name == "portal.resilient_cache"]
    assert sum("unavailable" in m for m in messages) == 1
    assert any("answers again" in m for m in messages)


def test_after_a_failure_it_waits_before_trying_again(redis_behind_proxy, proxy, monkeypatch):
    cache = redis_behind_proxy
    proxy.cut()
    assert cache.get("anything") is None  # pays the failure once
    tries = []
    original = resilient_cache.RedisCache.get
    monkeypatch.setattr(
        resilient_cache.RedisCache, "get", lambda *a, **k: tries.append(1) or original(*a, **k)
    )
    for _ in range(20):
        assert cache.get("anything", "missing") == "missing"
    assert tries == []  # within the back-off: answered as misses without a connection


def test_a_save_during_the_outage_shows_once_redis_is_back(
    redis_behind_proxy, proxy, clinic, no_back_off
):
    _, piece = clinic
    patient = client_for()
    assert "Sleeping well" in patient.get(piece.get_absolute_url()).content.decode()
    assert "Sleeping well" in patient.get("/articles/").content.decode()  # cached now
    proxy.cut()
    piece.title = "Resting well"
    piece.save()  # its retirement cannot reach Redis
    assert "Resting well" in patient.get("/articles/").content.decode()
    proxy.restore()
    # Redis still holds the list cached before the save; it must not come back.
    assert "Resting well" in patient.get("/articles/").content.decode()
    assert "Resting well" in patient.get(piece.get_absolute_url()).content.decode()


def test_pages_are_cached_again_once_redis_is_back(redis_behind_proxy, proxy, clinic, no_back_off):
    proxy.cut()
    client_for().get("/articles/")
    proxy.restore()
    client_for().get("/articles/")
    raw = redis.Redis(port=REDIS_PORT, db=redis_behind_proxy._cache._servers[0].rsplit("/", 1)[1])
    prefix = redis_behind_proxy.key_prefix
    assert any(key.decode().startswith(prefix) for key in raw.scan_iter(f"{prefix}*"))


def test_the_health_check_names_the_cache_and_stays_healthy_without_it(
    redis_behind_proxy, proxy, brand_a, no_back_off
):
    from django.test import Client

    probe = Client()  # load balancers probe by address, without a brand's host
    assert probe.get("/healthz").json() == {"status": "ok", "database": "up", "cache": "up"}
    proxy.cut()
    answer = probe.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "up", "cache": "down"}
    proxy.restore()
    assert probe.get("/healthz").json()["cache"] == "up"
