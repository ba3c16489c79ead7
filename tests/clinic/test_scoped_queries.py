"""On a brand's public page, brand-owned rows are that brand's rows: every query of
such a model is narrowed, however it is reached, and spanning brands is declared."""

import pytest
from django.core.checks import Error
from django.db import models

from appointments.models import ConsultationRequest, RequestNote
from articles.models import Article, Topic
from clinic.models import BrandDomain, BrandMembership, Location, OpeningHours
from clinic.scope_check import models_declare_their_brand_scope
from clinic.scoped import ScopeError, serving
from outbox.models import Message
from tests.conftest import client_for
from tests.factories import article, reference_location


@pytest.fixture
def places(brand_a, brand_b):
    return (
        reference_location(brand_a, slug="downtown", name="Downtown"),
        reference_location(brand_b, slug="other", name="Other clinic"),
    )


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


class TestDuringAPublicRequest:
    def test_a_query_that_forgets_the_brand_gets_only_the_pages_brand(self, brand_a, places):
        with serving(brand_a):
            assert names(Location.objects.all()) == ["Downtown"]
            assert Location.objects.count() == 1
            assert Location.objects.filter(slug="other").first() is None
            assert not Location.objects.filter(slug="other").exists()
            assert [loc.name for loc in Location.objects.iterator()] == ["Downtown"]
            assert Location.objects.aggregate(n=models.Count("pk"))["n"] == 1
            assert BrandDomain.objects.values_list("hostname", flat=True).count() == 1

    def test_a_shared_topic_lists_only_this_brands_articles(self, brand_a, brand_b):
        article(brand_a, slug="ours")
        article(brand_b, slug="theirs")
        sleep = Topic.objects.get(slug="sleep")
        assert sleep.articles.count() == 2  # the admin, a command: every brand
        with serving(brand_a):
            assert [a.slug for a in sleep.articles.all()] == ["ours"]
            prefetched = Topic.objects.prefetch_related("articles").get(slug="sleep")
            assert [a.slug for a in prefetched.articles.all()] == ["ours"]

    def test_querysets_of_one_page_do_not_share_their_filters(self, brand_a, brand_b, places):
        """The narrowed query is built once per page and copied: what one queryset adds
        reaches no other, and the next page (another brand's) starts from its own."""
        with serving(brand_a):
            filtered = Location.objects.filter(slug="no-such-place")
            ordered = Location.objects.order_by("-name").exclude(name="Nowhere")
            assert list(filtered) == []
            assert names(Location.objects.all()) == ["Downtown"]
            assert [place.name for place in ordered] == ["Downtown"]
            assert Location.objects.across_brands().count() == 2
            # A related manager filters its queryset in place (Django's own way).
            assert [place.name for place in brand_a.locations.filter(slug="downtown")]
            assert names(Location.objects.all()) == ["Downtown"]
        with serving(brand_b):
            assert names(Location.objects.all()) == ["Other clinic"]

    def test_a_related_manager_leaves_the_next_query_whole(self, brand_a, places):
        """A related manager narrows its queryset in place (Django's own way); the
        next queryset of that model on the page starts whole again."""
        downtown = places[0]
        uptown = reference_location(brand_a, slug="uptown", name="Uptown")
        every_hour = set(OpeningHours.objects.filter(location__in=[downtown, uptown]))
        with serving(brand_a):
            assert set(downtown.opening_hours.all()) < every_hour
            assert set(OpeningHours.objects.all()) == every_hour
            article(brand_a, slug="on-sleep", topics=("sleep",))
            article(brand_a, slug="on-ptsd", topics=("ptsd",))
            sleep = Topic.objects.get(slug="sleep")
            assert [a.slug for a in sleep.articles.all()] == ["on-sleep"]
            slugs = sorted(Article.objects.values_list("slug", flat=True))
            assert slugs == ["on-ptsd", "on-sleep"]

    def test_rows_through_a_parent_of_the_brand_are_found(self, brand_a, places):
        downtown = places[0]
        with serving(brand_a):
            assert len(downtown.opening_hours.all()) > 0
            located = Location.objects.prefetch_related("opening_hours")
            assert located[0].opening_hours.all()

    def test_updates_and_deletes_reach_only_the_pages_brand(self, brand_a, places):
        with serving(brand_a):
            assert Location.objects.update(name="Renamed") == 1
            assert Location.objects.filter(slug="other").delete()[0] == 0
        assert names(Location.objects.all()) == ["Other clinic", "Renamed"]

    def test_the_notes_notifications_and_memberships_are_narrowed_too(
        self, brand_a, brand_b, editor_a, staff_b
    ):
        ours = ConsultationRequest.objects.create(brand=brand_a, name="A", phone="+13055550100")
        theirs = ConsultationRequest.objects.create(brand=brand_b, name="B", phone="+13055550101")
        for item in (ours, theirs):
            RequestNote.objects.create(request=item, text="called")
            Message.objects.create(about=item, brand_id=item.brand_id, kind="confirmation")
        with serving(brand_a):
            assert list(RequestNote.objects.values_list("request", flat=True)) == [ours.pk]
            assert list(Message.objects.values_list("about_id", flat=True)) == [ours.pk]
            assert set(BrandMembership.objects.values_list("brand", flat=True)) == {brand_a.pk}
            assert not staff_b.brand_memberships.exists()

    def test_spanning_brands_is_declared(self, brand_a, places):
        with serving(brand_a):
            assert names(Location.objects.across_brands()) == ["Downtown", "Other clinic"]
            assert BrandDomain.objects.across_brands().count() == 2

    def test_another_brands_rows_are_refused_not_silently_empty(self, brand_a, brand_b, places):
        with serving(brand_a):
            assert names(Location.objects.for_brand(brand_a)) == ["Downtown"]  # once
            with pytest.raises(ScopeError) as refused:
                Location.objects.for_brand(brand_b)
            assert str(refused.value) == (
                "Location rows of another brand asked for on this brand's page: start "
                "from Model.objects.across_brands() where that is meant."
            )
            assert names(Location.objects.across_brands().for_brand(brand_b)) == ["Other clinic"]
            with pytest.raises(ScopeError) as refused:
                Location.objects.filter(slug="x").across_brands()
            assert str(refused.value) == (
                "Location: this queryset is narrowed to the page's brand and filtered "
                "since; start from Model.objects.across_brands()."
            )

    def test_rows_narrowed_to_one_brand_are_not_narrowed_to_another(self, brand_a, brand_b, places):
        """Outside a page too (a command, the admin): one brand's queryset asked for
        another's rows says so, instead of answering with nothing."""
        ours = Location.objects.for_brand(brand_a)
        assert names(ours.for_brand(brand_a.pk)) == ["Downtown"]
        with pytest.raises(ScopeError, match="another brand"):
            ours.for_brand(brand_b)
        with pytest.raises(ScopeError, match="another brand"):
            ours.filter(slug="downtown").for_brand(brand_b)

    def test_a_row_of_several_brands_is_found_once(self, brand_a, brand_b):
        """A model whose brands are a many-to-many (a clinician working for two
        clinics) is narrowed without repeating a row, whatever is filtered after."""
        from care.models import Clinician

        both = Clinician.objects.create(name="Dana Reyes", slug="dana-reyes")
        both.brands.set([brand_a, brand_b])
        narrowed = Clinician.objects.for_brand(brand_a).filter(brands__in=[brand_a, brand_b])
        assert list(narrowed) == [both]

    def test_a_queryset_made_by_hand_is_django_s_own(self, brand_a, places):
        """Built with the model (and a query) given by position, as Django's own code
        may: the model is kept, and a query given is not narrowed a second time."""
        from clinic.scoped import BrandScopedQuerySet

        assert BrandScopedQuerySet(Location).model is Location
        with serving(brand_a):
            assert names(BrandScopedQuerySet(Location)) == ["Downtown"]
            wide = Location.objects.across_brands()
            assert names(BrandScopedQuerySet(Location, wide.query)) == ["Downtown", "Other clinic"]

    def test_raw_sql_is_refused(self, brand_a, places):
        with serving(brand_a), pytest.raises(ScopeError, match="raw SQL"):
            list(Location.objects.raw("SELECT * FROM clinic_location"))
        with serving(brand_a), pytest.raises(ScopeError) as refused:
            Location.objects.raw("SELECT 1")
        assert str(refused.value) == (
            "raw SQL on Location during a public request: no brand filter reaches it. Use the ORM."
        )
        assert len(list(Location.objects.raw("SELECT * FROM clinic_location"))) == 2

    def test_raw_sql_outside_a_public_request_is_django_s_own(self, places):
        """The admin, commands and tasks keep raw() as Django has it: parameters,
        translated column names and the database to ask."""
        (found,) = Location.objects.raw(
            "SELECT id, brand_id, slug AS address FROM clinic_location WHERE slug = %s",
            ["other"],
            translations={"address": "slug"},
            using="default",
        )
        assert "slug" not in found.get_deferred_fields() and found.slug == "other"

    def test_saving_another_brands_row_is_refused(self, brand_a, brand_b, places):
        other = Location.objects.get(slug="other")
        with serving(brand_a), pytest.raises(ScopeError, match="another brand"):
            other.save()
        with serving(brand_b):
            other.save()  # its own brand's page

    def test_outside_a_public_request_nothing_is_narrowed(self, places):
        assert Location.objects.count() == 2  # the admin, commands and tasks


class TestThroughTheMiddleware:
    @pytest.fixture(autouse=True)
    def _urls(self, settings):
        settings.ROOT_URLCONF = "tests.clinic.scope_urls"

    def test_a_page_that_forgets_the_brand_shows_only_its_own_rows(self, places):
        assert client_for().get("/forgetful/").content == b"Downtown"

    def test_a_page_that_names_the_brand_shows_only_its_rows(self, places):
        assert client_for().get("/careful/").content == b"Downtown"

    def test_the_admin_is_scoped_by_its_own_mixin_instead(self, places, superuser):
        page = client_for(superuser).get("/admin/clinic/location/").content.decode()
        assert "Downtown" in page and "Other clinic" in page


class TestEveryModelSaysHowItIsScoped:
    def test_the_projects_models_pass(self):
        assert models_declare_their_brand_scope() == []

    def test_a_model_linking_to_a_brand_without_saying_how_fails(self, settings):
        from django.apps import apps

        from clinic.models import Brand

        class Leaflet(models.Model):
            brand = models.ForeignKey(Brand, on_delete=models.CASCADE)

            class Meta:
                app_label = "pages"

            def __str__(self):
                return "leaflet"

        class Poster(models.Model):
            brand_lookup = "location__brand"
            brand = models.ForeignKey(Brand, on_delete=models.CASCADE)

            class Meta:
                app_label = "pages"

            def __str__(self):
                return "poster"

        try:
            found = {(e.obj, e.id) for e in models_declare_their_brand_scope()}
            assert (Leaflet, "clinic.E020") in found
            assert (Poster, "clinic.E021") in found  # a plain manager
            assert (Poster, "clinic.E022") in found  # no such path
            assert all(isinstance(e, Error) for e in models_declare_their_brand_scope())
        finally:
            for name in ("leaflet", "poster"):
                apps.all_models["pages"].pop(name, None)
            apps.clear_cache()
