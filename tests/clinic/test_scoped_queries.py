"""A brand-owned model queried on a public page without a brand fails loudly."""

import pytest

from appointments.models import ConsultationRequest
from articles.models import Article
from clinic.models import BrandDomain, Location
from clinic.scoped import ScopeError, brand_scope_required
from tests.conftest import client_for
from tests.factories import article, reference_location


@pytest.fixture
def place(brand_a):
    return reference_location(brand_a, slug="downtown", name="Downtown")


class TestInsideAPublicRequest:
    @pytest.mark.parametrize(
        "query",
        [
            lambda: list(Location.objects.all()),
            lambda: Location.objects.filter(slug="downtown").first(),
            lambda: Location.objects.count(),
            lambda: Location.objects.exists(),
            lambda: list(Article.objects.live()),
            lambda: ConsultationRequest.objects.filter(name="x").exists(),
            lambda: list(BrandDomain.objects.values_list("hostname")),
        ],
        ids=["all", "first", "count", "exists", "articles", "requests", "domains"],
    )
    def test_an_unscoped_query_raises(self, place, query):
        with brand_scope_required(), pytest.raises(ScopeError, match="without a brand"):
            query()

    def test_queries_that_name_the_brand_run(self, brand_a, place):
        article(brand_a, slug="piece")
        with brand_scope_required():
            assert [loc.name for loc in Location.objects.for_brand(brand_a)] == ["Downtown"]
            assert Article.objects.live().on_brand(brand_a).count() == 1
            assert len(place.opening_hours.all()) > 0  # narrowed by its parent
            located = Location.objects.for_brand(brand_a).prefetch_related("opening_hours")
            assert located[0].opening_hours.all()
            assert BrandDomain.objects.across_brands().exists()  # declared on purpose

    def test_another_brand_is_not_returned_by_for_brand(self, brand_a, brand_b, place):
        reference_location(brand_b, slug="other", name="Other")
        with brand_scope_required():
            assert [loc.slug for loc in Location.objects.for_brand(brand_b)] == ["other"]

    def test_outside_a_public_request_nothing_is_checked(self, place):
        assert Location.objects.count() == 1  # the admin, commands and tests


class TestThroughTheMiddleware:
    @pytest.fixture(autouse=True)
    def _urls(self, settings):
        settings.ROOT_URLCONF = "tests.clinic.scope_urls"

    def test_a_page_that_forgets_the_brand_fails_instead_of_leaking(self, place, brand_b):
        reference_location(brand_b, slug="other", name="Other clinic")
        with pytest.raises(ScopeError):
            client_for().get("/forgetful/")

    def test_a_page_that_names_the_brand_shows_only_its_rows(self, place, brand_b):
        reference_location(brand_b, slug="other", name="Other clinic")
        assert client_for().get("/careful/").content == b"Downtown"

    def test_production_can_turn_the_check_off(self, place, settings):
        settings.BRAND_SCOPE_CHECKS = False
        assert client_for().get("/forgetful/").status_code == 200

    def test_the_admin_is_scoped_by_its_own_mixin_instead(self, place, superuser):
        assert client_for(superuser).get("/admin/clinic/location/").status_code == 200
