"""/healthz tells a load balancer whether this app server can reach its database (and
names the state of the shared cache, which does not make it unhealthy)."""

from unittest import mock

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
