"""/healthz tells a load balancer whether this app server can reach its database (and
names the state of the shared cache, which does not make it unhealthy)."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

from tests.conftest import client_for


def test_it_answers_200_when_the_database_answers(db):
    response = client_for(host="127.0.0.1").get("/healthz")
    assert response.status_code == 200
    # No Redis here: the cache is this machine's own ("local").
    assert response.json() == {"status": "ok", "database": "up", "cache": "local"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_does_not(db):
    client = client_for(host="127.0.0.1")
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_it_ignores_the_host_and_https_redirect(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client_for(host="10.1.2.3:8000").get("/healthz")
    assert response.status_code == 200


def test_other_methods_are_not_health_checks(brand_a):
    assert client_for(host="brand-a.localhost").post("/healthz").status_code == 404


def test_a_lost_database_gives_a_clear_503_page_not_a_500(brand_a, settings):
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 0  # a cached page would not reach the database at all
    client = Client(HTTP_HOST="brand-a.localhost", raise_request_exception=False)
    client.get("/")  # the brand is now cached: the page itself hits the lost database
    with mock.patch(
        "clinic.views.render", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "briefly unavailable" in body and "Nothing you sent in the last moment was saved" in body
    assert "Alpha Wellness" in body  # still branded


def test_other_errors_stay_500(brand_a):
    from django.test import Client

    client = Client(HTTP_HOST="brand-a.localhost", raise_request_exception=False)
    with mock.patch("clinic.views.render", side_effect=RuntimeError("bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


# Issue 31, item 4: a health check never ties up a worker --------------------------


class _SilentCursor:
    """A cursor whose query never comes back (a server that accepts and never answers)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql):
        import time

        time.sleep(30)


@pytest.fixture
def deadlines():
    from portal import db_deadline

    db_deadline.enable(4.0)  # as in a gunicorn worker
    yield
    db_deadline.enable(0)


def test_a_database_that_never_answers_is_down_within_a_second(db, deadlines):
    import time

    started = time.monotonic()
    with (
        mock.patch.object(connection, "cursor", return_value=_SilentCursor()),
        mock.patch.object(connection, "close") as closed,
    ):
        response = client_for(host="127.0.0.1").get("/healthz")
    assert time.monotonic() - started < 1
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down", "cache": "local"}
    closed.assert_called()  # the connection's state is unknown: the next check opens anew


def test_a_worker_that_found_the_database_down_says_so_without_asking_again(db):
    from portal import health

    client = client_for(host="127.0.0.1")
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        assert client.get("/healthz").status_code == 503
    with mock.patch.object(connection, "cursor") as asked:
        assert client.get("/healthz").status_code == 503  # remembered for a moment
    asked.assert_not_called()
    health.forget_down()  # as when the moment has passed
    assert client.get("/healthz").status_code == 200


def test_a_silent_cache_and_a_silent_database_cost_the_time_of_one(db, deadlines):
    import time

    from portal import health

    def silent_cache():
        time.sleep(0.5)  # the cache's socket timeout
        return "down"

    started = time.monotonic()
    with (
        mock.patch.object(connection, "cursor", return_value=_SilentCursor()),
        mock.patch.object(connection, "close"),
        mock.patch.object(health, "cache_status", silent_cache),
    ):
        response = client_for(host="127.0.0.1").get("/healthz")
    assert time.monotonic() - started < 1
    assert response.json() == {"status": "unavailable", "database": "down", "cache": "down"}
