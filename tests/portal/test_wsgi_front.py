"""Stored pages are answered by the WSGI entry point itself (portal/wsgi.py), whole:
the same bytes and headers the full stack sends, before Django handles the request."""

import io
import sys

import pytest

from portal.wsgi import application
from tests.conftest import HOST_A
from tests.factories import article

# Real commits: the WSGI handler closes the database connection after each request (as
# in production), which the test's own outer transaction would not survive.
pytestmark = pytest.mark.django_db(transaction=True)


def call(path="/articles/piece/", host=HOST_A, **extra):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        **extra,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    body = application(environ, start_response)
    content = b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return answer["status"], answer["headers"], content


@pytest.fixture
def piece(brand_a):
    return article(brand_a, slug="piece", title="Stored piece")


def test_a_hit_is_the_full_answer_again(piece):
    status, first, content = call()
    assert status == "200 OK" and first["X-Page-Cache"] == "miss"
    status, again, cached = call()
    assert status == "200 OK" and again["X-Page-Cache"] == "hit"
    assert cached == content and b"Stored piece" in cached
    for name in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "Vary",
        "Content-Type",
        "Surrogate-Key",
    ):
        assert again[name] == first[name], name
    assert again["Cache-Control"].startswith("public, max-age=0, s-maxage=")


def test_signed_in_staff_and_bad_hosts_go_to_django(piece, editor_a):
    call()
    _status, headers, _content = call(HTTP_COOKIE="sessionid=anything")
    assert "X-Page-Cache" not in headers and "private" in headers["Cache-Control"]
    status, _headers, _content = call(host="evil.example")
    assert status.startswith("400")


def test_a_save_is_seen_by_the_next_request(piece):
    call()
    assert call()[1]["X-Page-Cache"] == "hit"
    piece.title = "Retitled piece"
    piece.save()
    _status, headers, content = call()
    assert headers["X-Page-Cache"] == "miss" and b"Retitled piece" in content


def test_https_answers_are_stored_apart(piece):
    """Their headers differ (HSTS is sent on https only), so they never share an entry."""
    call()
    assert call()[1]["X-Page-Cache"] == "hit"
    assert call(**{"wsgi.url_scheme": "https"})[1]["X-Page-Cache"] == "miss"
    assert call(**{"wsgi.url_scheme": "https"})[1]["X-Page-Cache"] == "hit"


def test_a_stored_page_the_browser_holds_is_answered_304_before_django(piece, monkeypatch):
    status, first, _content = call(HTTP_ACCEPT_ENCODING="br")
    assert first["Content-Encoding"] == "br"
    from portal import wsgi

    def django_must_not_answer(*args):
        raise AssertionError("Django was asked")

    monkeypatch.setattr(wsgi, "django_application", django_must_not_answer)
    status, headers, content = call(HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (status, content) == ("304 Not Modified", b"")
    assert headers["ETag"] == first["ETag"] and "Content-Length" not in headers
    status, _headers, content = call(HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH='"old"')
    assert status == "200 OK" and content
