"""Every absolute address comes from clinic.links: the public site while a page is
served, the public site from an e-mail, and the back office."""

import pytest
from django.test import RequestFactory

from clinic import links


class Brand:
    def __init__(self, host):
        self.primary_domain = host


IGNITE, KMD = Brand("ignite.example"), Brand("kmd.example")


@pytest.fixture(autouse=True)
def any_host(settings):
    settings.ALLOWED_HOSTS = ["*"]  # the brand middleware is what refuses unknown hosts


def request_for(host, brand, secure=False):
    request = RequestFactory().get("/", HTTP_HOST=host, secure=secure)
    request.brand = brand
    return request


def test_a_page_on_its_own_brand_keeps_the_requests_host_and_scheme():
    request = request_for("ignite.example:8443", IGNITE, secure=True)
    assert links.on_site(IGNITE, "/sleep/", request) == "https://ignite.example:8443/sleep/"
    assert links.here(request, "/sleep/") == "https://ignite.example:8443/sleep/"


def test_another_brand_from_a_page_gets_its_primary_host_with_the_development_port():
    request = request_for("ignite.example:8000", IGNITE)
    assert links.on_site(KMD, "/es/", request) == "http://kmd.example:8000/es/"


def test_a_stored_port_is_not_doubled_and_an_ipv6_host_gives_no_port():
    assert links.with_port("kmd.example:9000", "8000") == "kmd.example:9000"
    request = RequestFactory().get("/", HTTP_HOST="[::1]")
    assert links.request_port(request) == ""


def test_a_brand_without_a_host_falls_back_to_the_request():
    request = request_for("ignite.example", IGNITE)
    assert links.on_site(Brand(""), "/x/", request) == "http://ignite.example/x/"


def test_an_address_without_a_request_uses_the_configured_scheme_and_port(settings):
    settings.PORTAL_URL_SCHEME, settings.PORTAL_PUBLIC_PORT = "https", ""
    assert links.on_site(KMD, "/consultation/") == "https://kmd.example/consultation/"
    settings.PORTAL_URL_SCHEME, settings.PORTAL_PUBLIC_PORT = "http", "8000"
    assert links.on_site(KMD, "/consultation/") == "http://kmd.example:8000/consultation/"


def test_an_absolute_file_address_passes_unchanged():
    request = request_for("ignite.example", IGNITE)
    media = "https://media.example/logo.png"
    assert links.on_site(KMD, media, request) == media
    assert links.on_site(KMD, media) == media


@pytest.mark.parametrize("configured", ["https://office.example", "https://office.example/"])
def test_the_back_office_comes_from_its_setting_never_a_host_header(settings, configured):
    settings.BACK_OFFICE_URL = configured
    assert links.in_back_office("/admin/") == "https://office.example/admin/"
    assert links.back_office_origin() == ("https", "office.example")
