"""Each guard of the page cache on its own: remove any one and a test here fails.

The middleware is driven directly with a stand-in view, so that exactly one thing
differs from a cacheable page in each test.
"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.pagecache import PublicPageCacheMiddleware
from tests.conftest import HOST_A


class StandInView:
    """A public page that counts how often it had to be rendered."""

    def __init__(self, brand, **headers):
        self.brand, self.headers, self.renders = brand, headers, 0

    def __call__(self, request):
        self.renders += 1
        request.brand = self.brand  # as BrandMiddleware would have set it
        response = HttpResponse(f"render {self.renders}")
        for name, value in self.headers.items():
            response[name] = value
        return response


def visit_twice(view, path="/articles/", **extra):
    middleware = PublicPageCacheMiddleware(view)
    factory = RequestFactory(HTTP_HOST=HOST_A)
    first = middleware(factory.get(path, **extra))
    second = middleware(factory.get(path, **extra))
    return first, second


def test_a_plain_public_page_is_served_from_the_cache(brand_a):
    view = StandInView(brand_a)
    first, second = visit_twice(view)
    assert view.renders == 1 and second.content == first.content
    assert second["X-Page-Cache"] == "hit"


def test_a_visitor_with_a_session_is_never_served_from_it(brand_a):
    view = StandInView(brand_a)
    visit_twice(view)  # warms the cache for anonymous visitors
    factory = RequestFactory(HTTP_HOST=HOST_A)
    request = factory.get("/articles/")
    request.COOKIES["sessionid"] = "staff-session"
    response = PublicPageCacheMiddleware(view)(request)
    assert view.renders == 2 and "X-Page-Cache" not in response


@pytest.mark.parametrize("control", ["private", "no-cache", "no-store", "private, max-age=60"])
def test_a_private_answer_is_never_stored(brand_a, control):
    view = StandInView(brand_a, **{"Cache-Control": control})
    visit_twice(view)
    assert view.renders == 2


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/consultation/", "/consultation/x/"])
def test_the_back_office_and_the_form_are_never_stored(brand_a, path):
    view = StandInView(brand_a)
    visit_twice(view, path)
    assert view.renders == 2


def test_an_answer_that_sets_a_cookie_is_never_stored(brand_a):
    class SetsCookie(StandInView):
        def __call__(self, request):
            response = super().__call__(request)
            response.set_cookie("csrftoken", "secret")
            return response

    view = SetsCookie(brand_a)
    visit_twice(view)
    assert view.renders == 2


def test_another_brands_host_never_gets_this_brands_entry(brand_a, brand_b):
    from tests.conftest import HOST_B

    view = StandInView(brand_a)
    visit_twice(view)
    other = PublicPageCacheMiddleware(StandInView(brand_b))
    response = other(RequestFactory(HTTP_HOST=HOST_B).get("/articles/"))
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] == "miss"
