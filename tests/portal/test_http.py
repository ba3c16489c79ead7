"""HTTP done right: HEAD everywhere, compression only where safe, static files first."""

import gzip

import brotli
import pytest

from tests.conftest import client_for
from tests.factories import article, reference_location


@pytest.fixture
def site(brand_a):
    reference_location(brand_a, slug="downtown")
    article(brand_a, slug="piece", topics=("sleep",))
    return brand_a


PUBLIC_PATHS = [
    "/",
    "/articles/",
    "/articles/piece/",
    "/articles/topic/sleep/",
    "/articles/search/?q=sleep",
    "/articles/feed/",
    "/locations/",
    "/locations/downtown/",
    "/consultation/",
    "/consultation/thanks/",
    "/privacy/",
    "/sitemap.xml",
    "/sitemap-site.xml",
    "/sitemap-articles-1.xml",
    "/robots.txt",
    "/theme.css",
]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_head_answers_like_get_without_a_body(site, path):
    get = client_for().get(path)
    head = client_for().head(path)
    assert get.status_code == 200
    assert head.status_code == 200, path
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


def test_head_on_the_form_saves_nothing(site):
    from appointments.models import ConsultationRequest

    assert client_for().head("/consultation/").status_code == 200
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/", "/articles/", "/articles/piece/", "/articles/search/?q=sleep", "/sitemap-site.xml"],
)
def test_public_pages_are_compressed(site, path):
    """Brotli for a browser that takes it (all current ones do), gzip for the rest."""
    plain = client_for().get(path)
    response = client_for().get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert brotli.decompress(response.content) == plain.content
    assert len(response.content) < len(plain.content) / 3
    older = client_for().get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert older["Content-Encoding"] == "gzip"
    assert gzip.decompress(older.content) == plain.content
    refused = client_for().get(path, HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0.5")
    assert refused["Content-Encoding"] == "gzip"


def test_a_secret_is_never_brotli_compressed_either(site, editor_a):
    for client, path in ((client_for(), "/consultation/"), (client_for(editor_a), "/")):
        response = client.get(path, HTTP_ACCEPT_ENCODING="br")
        assert "Content-Encoding" not in response, path


def test_pages_with_a_csrf_token_are_never_compressed(site):
    response = client_for().get("/consultation/", HTTP_ACCEPT_ENCODING="gzip")
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_staff_pages_are_never_compressed(site, editor_a):
    staff = client_for(editor_a)
    for path in ("/", "/admin/", "/admin/articles/article/?q=sleep"):
        response = staff.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and "Content-Encoding" not in response, path


def test_the_login_page_is_never_compressed(site):
    response = client_for().get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in response


def test_a_cached_page_is_compressed_too(site):
    first = client_for().get("/articles/piece/", HTTP_ACCEPT_ENCODING="gzip")
    second = client_for().get("/articles/piece/", HTTP_ACCEPT_ENCODING="gzip")
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Encoding"] == "gzip"
    assert gzip.decompress(second.content) == gzip.decompress(first.content)
    # Each encoding is its own stored copy: a brotli client never gets the gzip one.
    third = client_for().get("/articles/piece/", HTTP_ACCEPT_ENCODING="br")
    assert third["Content-Encoding"] == "br"
    assert brotli.decompress(third.content) == gzip.decompress(first.content)


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
@pytest.mark.parametrize("path", ["/", "/articles/", "/articles/piece/", "/articles/feed/"])
def test_a_page_the_browser_holds_is_answered_304(site, path, encoding):
    """Every public page carries a strong ETag for the bytes sent; asking again with
    it is answered 304 without a body, freshly rendered or from the page cache."""
    first = client_for().get(path, HTTP_ACCEPT_ENCODING=encoding)
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34  # strong: no W/
    for _ in range(2):  # the first from the cache: a hit
        again = client_for().get(path, HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=etag)
        assert (again.status_code, again.content) == (304, b"")
        assert again["ETag"] == etag and "Content-Type" not in again
        assert "s-maxage" in again["Cache-Control"]
    other = client_for().get(path, HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200 and other["ETag"] == etag


def test_each_encoding_has_its_own_tag(site):
    tags = {
        client_for().get("/articles/", HTTP_ACCEPT_ENCODING=encoding)["ETag"]
        for encoding in ("", "gzip", "br")
    }
    assert len(tags) == 3


def test_the_feed_answers_if_modified_since(site):
    feed = client_for().get("/articles/feed/")
    modified = feed["Last-Modified"]
    assert client_for().get("/articles/feed/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    earlier = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert client_for().get("/articles/feed/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # An ETag that does not match decides alone: the page is sent whole.
    answer = client_for().get(
        "/articles/feed/", HTTP_IF_MODIFIED_SINCE=modified, HTTP_IF_NONE_MATCH='"other"'
    )
    assert answer.status_code == 200


def test_private_pages_carry_no_shared_validator(site, editor_a):
    for client, path in ((client_for(), "/consultation/"), (client_for(editor_a), "/")):
        response = client.get(path)
        assert "ETag" not in response, path


def test_static_files_are_answered_before_the_page_cache(site, settings, monkeypatch):
    """A static file costs no cache round trip (it once cost two)."""
    from django.core import cache as cache_module

    calls = []
    default = cache_module.caches["default"]
    for name in ("get", "set", "add", "incr", "get_many"):
        original = getattr(default, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(default, name, spy)
    response = client_for().get("/static/css/portal.css")
    assert response.status_code == 200
    assert calls == []


def test_the_page_cache_stores_what_the_security_middleware_adds():
    """Stored pages are answered whole by the WSGI entry point: the page cache must sit
    outside every middleware that adds a header (static files skip it: test above)."""
    from django.conf import settings

    order = settings.MIDDLEWARE
    assert order.index("portal.pagecache.PublicPageCacheMiddleware") < order.index(
        "django.middleware.security.SecurityMiddleware"
    )


def test_healthz_says_nosniff(db):
    response = client_for().get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "unsafe_next", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_a_login_with_an_unsafe_next_lands_on_the_admin_index(site, editor_a, unsafe_next):
    from tests.factories import TEST_PASSWORD

    response = client_for().post(
        "/admin/login/", {"username": "editor_a", "password": TEST_PASSWORD, "next": unsafe_next}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
