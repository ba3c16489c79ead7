"""The Host header decides the brand: through the client and on a bare request."""

import pytest
from bs4 import BeautifulSoup
from django.http import HttpRequest, HttpResponse

from clinic.middleware import BrandMiddleware
from clinic.models import BrandDomain
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import BrandFactory


def title(response) -> str:
    return BeautifulSoup(response.content, "html.parser").title.get_text()


def test_it_serves_each_brand_on_its_own_host(brand_a, brand_b):
    page_a = client_for(host=HOST_A).get("/")
    page_b = client_for(host=HOST_B).get("/")
    assert page_a.status_code == page_b.status_code == 200
    assert "Alpha Wellness" in title(page_a)
    assert "Beta Infusion Center" in title(page_b)
    assert "Beta" not in page_a.content.decode()


@pytest.mark.parametrize(
    "host", ["BRAND-A.LOCALHOST", "Brand-A.Localhost:8000", "brand-a.localhost."]
)
def test_it_ignores_case_port_and_trailing_dot(brand_a, host):
    response = client_for(host=host).get("/")
    assert response.status_code == 200
    assert "Alpha Wellness" in title(response)


def test_a_hostname_stored_with_a_port_wins_over_the_bare_one(brand_a, brand_b):
    BrandDomain.objects.create(brand=brand_b, hostname="brand-a.localhost:9000")
    assert "Alpha Wellness" in title(client_for(host="brand-a.localhost:8000").get("/"))
    response = client_for(host="brand-a.localhost:9000").get("/")
    assert response.status_code == 301
    assert response["Location"] == "http://brand-b.localhost:9000/"


def test_it_redirects_a_secondary_host_to_the_primary_keeping_path_query_and_port(brand_a):
    BrandDomain.objects.create(brand=brand_a, hostname="www.brand-a.localhost")
    response = client_for(host="www.brand-a.localhost:8000").get("/privacy/?lang=en&x=1")
    assert response.status_code == 301
    assert response["Location"] == "http://brand-a.localhost:8000/privacy/?lang=en&x=1"


def test_an_unknown_host_is_a_404_that_shows_no_brand(brand_a, brand_b):
    response = client_for(host="stranger.localhost").get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "No clinic is served at this address" in body
    assert "Alpha" not in body and "Beta" not in body


@pytest.mark.parametrize(
    "host",
    [
        "evil.example.com",  # not in ALLOWED_HOSTS
        "brand-a.localhost:notaport",
        "bad host",
        "brand-a.localhost/../admin",
        "<script>.localhost",
        "",
    ],
)
def test_a_malformed_or_disallowed_host_is_a_400(brand_a, host):
    response = client_for(host=host).get("/")
    assert response.status_code == 400


def test_localhost_serves_the_default_brand_without_redirect(brand_a, brand_b):
    brand_b.is_default = True
    brand_b.save()
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
        response = client_for(host=host).get("/")
        assert response.status_code == 200, host
        assert "Beta Infusion Center" in title(response)


def test_localhost_is_a_404_when_no_brand_is_the_default(brand_a):
    assert client_for(host="127.0.0.1").get("/").status_code == 404


def test_responses_vary_on_host(brand_a):
    response = client_for(host=HOST_A).get("/")
    assert "Host" in response["Vary"]


def test_the_health_check_answers_on_any_host(db):
    # Load balancers probe by IP address, which is no brand's host.
    assert client_for(host="10.0.0.7").get("/healthz").status_code == 200
    assert client_for(host="127.0.0.1").get("/healthz").status_code == 200


def test_a_warm_request_resolves_the_brand_without_a_query(brand_a, django_assert_num_queries):
    client = client_for(host=HOST_A)
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_renaming_a_domain_takes_effect_at_once(brand_a):
    client_for(host=HOST_A).get("/")  # warm the cache
    domain = BrandDomain.objects.get(hostname=HOST_A)
    domain.hostname = "renamed.localhost"
    domain.save()
    assert client_for(host=HOST_A).get("/").status_code == 404
    assert client_for(host="renamed.localhost").get("/").status_code == 200


def test_a_new_domain_is_served_even_after_its_host_was_cached_as_unknown(brand_a):
    assert client_for(host="new.localhost").get("/").status_code == 404
    BrandDomain.objects.create(brand=brand_a, hostname="new.localhost")
    assert client_for(host="new.localhost").get("/").status_code == 301


def test_editing_a_brand_shows_at_once(brand_a):
    client_for(host=HOST_A).get("/")
    brand_a.name = "Alpha Renamed"
    brand_a.save()
    assert "Alpha Renamed" in title(client_for(host=HOST_A).get("/"))


class TestOnABareRequest:
    """The middleware alone, as Django tests CurrentSiteMiddleware."""

    @staticmethod
    def run(host, path="/"):
        request = HttpRequest()
        request.META = {"HTTP_HOST": host, "SERVER_NAME": "x", "SERVER_PORT": "80"}
        request.path = request.path_info = path
        seen = {}

        def view(req):
            seen["brand"] = req.brand
            return HttpResponse("ok")

        return BrandMiddleware(view)(request), seen

    def test_it_sets_request_brand(self, brand_a):
        response, seen = self.run("brand-a.localhost")
        assert seen["brand"] == brand_a
        assert response.headers["Vary"] == "Host"

    def test_unknown_hosts_raise_404(self, brand_a):
        from django.http import Http404

        with pytest.raises(Http404):
            self.run("nobody.localhost")


def test_each_brand_is_isolated_from_a_third(db):
    third = BrandFactory(slug="third", name="Gamma Sleep", hostname="gamma.localhost")
    assert "Gamma Sleep" in title(client_for(host="gamma.localhost").get("/"))
    assert third.primary_domain == "gamma.localhost"


def test_host_answers_shared_through_redis_are_retired_on_save(redis_cache, brand_a):
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "ResilientRedisCache"
    assert client_for(host=HOST_A).get("/").status_code == 200
    domain = BrandDomain.objects.get(hostname=HOST_A)
    domain.hostname = "moved.localhost"
    domain.save()
    assert client_for(host=HOST_A).get("/").status_code == 404
    assert client_for(host="moved.localhost").get("/").status_code == 200
