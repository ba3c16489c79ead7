"""Locations, hours and holidays in the admin stay inside the user's brands."""

from datetime import date

import pytest
from django.urls import reverse

from clinic.models import SpecialHours
from tests.conftest import HOST_B, client_for
from tests.factories import reference_location


@pytest.fixture
def location_a(brand_a):
    return reference_location(brand_a, slug="a-main", name="Alpha main")


@pytest.fixture
def location_b(brand_b):
    return reference_location(brand_b, slug="b-main", name="Beta main")


@pytest.mark.parametrize("persona", ["editor_a", "front_desk_a", "brand_admin_a"])
def test_another_brands_location_is_invisible_and_untouchable(personas, location_b, persona):
    client = client_for(personas[persona])
    listing = client.get(reverse("admin:clinic_location_changelist"))
    assert listing.status_code == 200
    assert "Beta main" not in listing.content.decode()
    for name in ("change", "delete", "history"):
        url = reverse(f"admin:clinic_location_{name}", args=[location_b.pk])
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("admin:clinic_location_delete", args=[location_b.pk]), {"post": "yes"}
        ).status_code
        == 404
    )
    assert location_b.opening_hours.count() == 5


def test_an_editor_may_look_but_not_edit(editor_a, location_a):
    client = client_for(editor_a)
    page = client.get(reverse("admin:clinic_location_change", args=[location_a.pk]))
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()
    assert client.get(reverse("admin:clinic_location_add")).status_code == 403


def test_front_desk_posts_a_closure_for_their_own_location(front_desk_a, location_a):
    client = client_for(front_desk_a)
    response = client.post(
        reverse("admin:clinic_specialhours_add"),
        {"location": location_a.pk, "first_day": "2026-12-24", "label": "Christmas Eve"},
    )
    assert response.status_code == 302
    assert SpecialHours.objects.get().location == location_a


def test_front_desk_cannot_post_a_closure_into_another_brand(front_desk_a, location_a, location_b):
    response = client_for(front_desk_a).post(
        reverse("admin:clinic_specialhours_add"),
        {"location": location_b.pk, "first_day": "2026-12-24", "label": "Sabotage"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SpecialHours.objects.exists()


def test_the_holiday_list_hides_other_brands(front_desk_a, location_a, location_b):
    SpecialHours.objects.create(location=location_b, first_day=date(2026, 12, 31), label="Beta NYE")
    SpecialHours.objects.create(
        location=location_a, first_day=date(2026, 12, 31), label="Alpha NYE"
    )
    body = client_for(front_desk_a).get(reverse("admin:clinic_specialhours_changelist")).content
    assert b"Alpha NYE" in body and b"Beta NYE" not in body


def new_location_data(brand, slug):
    return {
        "brand": brand.pk,
        "name": "New place",
        "slug": slug,
        "order": "0",
        "street_address": "1",
        "locality": "X",
        "country": "US",
        "time_zone": "America/New_York",
        "consult_minutes": "30",
        "slot_capacity": "1",
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        "special_hours-TOTAL_FORMS": "0",
        "special_hours-INITIAL_FORMS": "0",
    }


def test_a_brand_admin_adds_a_location_to_their_brand_only(brand_admin_a, brand_b):
    response = client_for(brand_admin_a).post(
        reverse("admin:clinic_location_add"), new_location_data(brand_b, "sneaky")
    )
    assert "Select a valid choice" in response.content.decode()
    assert not brand_b.locations.exists()


def test_a_duplicate_location_slug_in_a_brand_gets_a_clear_message(brand_admin_a, location_a):
    response = client_for(brand_admin_a).post(
        reverse("admin:clinic_location_add"), new_location_data(location_a.brand, "a-main")
    )
    assert "This brand already has a location with this slug." in response.content.decode()


def test_the_same_slug_in_another_brand_is_fine(location_a, location_b, brand_b):
    reference_location(brand_b, slug="a-main", name="Beta's own a-main")
    assert client_for(host=HOST_B).get("/locations/a-main/").status_code == 200
