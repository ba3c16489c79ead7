"""Locations and their hours refuse what cannot be true, in the model and the admin."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.models import Location, OpeningHours, SpecialHours
from clinic.models.locations import Recurrence
from tests.conftest import client_for
from tests.factories import reference_location


@pytest.fixture
def location(brand_a):
    return reference_location(brand_a)


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus_Mons", "EST5EDT;DROP", "", "<script>", "america/new_york", "x" * 64]
)
def test_an_unknown_time_zone_is_refused(location, zone):
    location.time_zone = zone
    assert "time_zone" in errors_of(location)


def test_coordinates_must_be_on_earth_and_come_in_pairs(location):
    location.latitude = Decimal("91")
    location.longitude = Decimal("10")
    assert "latitude" in errors_of(location)
    location.latitude = Decimal("10")
    location.longitude = None
    assert "Give both latitude and longitude, or neither." in str(errors_of(location))


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (time(17), time(9), "The closing time must be after the opening time"),
        (time(9), time(9), "Opening and closing times are the same"),
    ],
)
def test_inverted_and_zero_length_rules_are_refused(location, opens, closes, message):
    rule = OpeningHours(location=location, weekday=5, opens=opens, closes=closes)
    assert message in errors_of(rule)["closes"][0]


def test_an_out_of_range_weekday_is_refused(location):
    rule = OpeningHours(location=location, weekday=9, opens=time(9), closes=time(10))
    assert "weekday" in errors_of(rule)


def test_every_other_week_needs_an_anchor(location):
    rule = OpeningHours(
        location=location,
        weekday=5,
        opens=time(9),
        closes=time(12),
        recurrence=Recurrence.EVERY_OTHER_WEEK,
    )
    assert "needs a date" in errors_of(rule)["anchor"][0]


def test_a_rule_overlapping_a_saved_one_is_refused_by_the_model(location):
    rule = OpeningHours(location=location, weekday=0, opens=time(12), closes=time(18))
    assert "overlap other hours" in str(errors_of(rule))


def test_a_lunch_break_is_fine(brand_a):
    place = Location.objects.create(
        brand=brand_a, name="X", slug="x", street_address="1", locality="Y"
    )
    OpeningHours.objects.create(location=place, weekday=0, opens=time(8), closes=time(12))
    OpeningHours(location=place, weekday=0, opens=time(13), closes=time(17)).full_clean()


def test_midnight_closing_is_accepted(location):
    OpeningHours(location=location, weekday=5, opens=time(20), closes=time(0)).full_clean()


class TestSpecialHours:
    def test_a_closed_day_is_both_times_empty(self, location):
        SpecialHours(
            location=location, first_day=date(2026, 12, 25), label="Christmas"
        ).full_clean()

    def test_one_time_without_the_other_is_refused(self, location):
        row = SpecialHours(location=location, first_day=date(2026, 12, 24), opens=time(9))
        assert "Give both times" in errors_of(row)["closes"][0]

    def test_the_last_day_cannot_precede_the_first(self, location):
        row = SpecialHours(
            location=location, first_day=date(2026, 12, 24), last_day=date(2026, 12, 1)
        )
        assert "cannot be before" in errors_of(row)["last_day"][0]

    def test_a_span_longer_than_a_year_is_refused(self, location):
        row = SpecialHours(location=location, first_day=date(2026, 1, 1), last_day=date(2028, 1, 1))
        assert "at most a year" in errors_of(row)["last_day"][0]

    def test_a_closed_day_cannot_also_have_hours(self, location):
        SpecialHours.objects.create(location=location, first_day=date(2026, 12, 24))
        row = SpecialHours(
            location=location, first_day=date(2026, 12, 24), opens=time(9), closes=time(12)
        )
        assert "closed day cannot also have" in str(errors_of(row))

    def test_partly_overlapping_date_ranges_are_refused(self, location):
        SpecialHours.objects.create(
            location=location, first_day=date(2026, 12, 24), last_day=date(2026, 12, 26)
        )
        row = SpecialHours(location=location, first_day=date(2026, 12, 26))
        assert "same dates" in str(errors_of(row))

    def test_several_intervals_on_one_special_day(self, location):
        SpecialHours.objects.create(
            location=location, first_day=date(2026, 12, 24), opens=time(8), closes=time(11)
        )
        SpecialHours(
            location=location, first_day=date(2026, 12, 24), opens=time(12), closes=time(14)
        ).full_clean()
        overlapping = SpecialHours(
            location=location, first_day=date(2026, 12, 24), opens=time(10), closes=time(13)
        )
        assert "overlap other special hours" in str(errors_of(overlapping))


# --- the admin page of a location ---------------------------------------------------


def location_form_data(location, rules, specials=()):
    data = {
        "name": location.name,
        "slug": location.slug,
        "order": "0",
        "is_active": "on",
        "street_address": location.street_address,
        "locality": location.locality,
        "region": location.region,
        "postal_code": location.postal_code,
        "country": "US",
        "phone": "",
        "email": "",
        "time_zone": location.time_zone,
        "consult_minutes": "30",
        "slot_capacity": "1",
        "latitude": "",
        "longitude": "",
        "opening_hours-TOTAL_FORMS": str(len(rules)),
        "opening_hours-INITIAL_FORMS": str(sum(1 for r in rules if r.get("id"))),
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
        "special_hours-TOTAL_FORMS": str(len(specials)),
        "special_hours-INITIAL_FORMS": "0",
        "special_hours-MIN_NUM_FORMS": "0",
        "special_hours-MAX_NUM_FORMS": "1000",
    }
    for index, rule in enumerate(rules):
        row = {"recurrence": "weekly", "anchor": "", "valid_from": "", "location": location.pk}
        row.update(rule)
        for key, value in row.items():
            data[f"opening_hours-{index}-{key}"] = value
    for index, special in enumerate(specials):
        row = {"last_day": "", "label": "", "opens": "", "closes": "", "location": location.pk}
        row.update(special)
        for key, value in row.items():
            data[f"special_hours-{index}-{key}"] = value
    return data


def saved_rules(location):
    return list(
        location.opening_hours.order_by("weekday", "opens").values_list(
            "weekday", "opens", "closes"
        )
    )


def test_the_admin_refuses_overlapping_rows_in_one_submission_and_saves_nothing(
    brand_admin_a, location
):
    before = saved_rules(location)
    url = reverse("admin:clinic_location_change", args=[location.pk])
    rules = [
        {"id": str(r.pk), "weekday": r.weekday, "opens": r.opens, "closes": r.closes}
        for r in location.opening_hours.all()
    ]
    rules += [
        {"weekday": "5", "opens": "09:00", "closes": "13:00"},
        {"weekday": "5", "opens": "12:00", "closes": "15:00"},
    ]
    response = client_for(brand_admin_a).post(url, location_form_data(location, rules))
    assert response.status_code == 200
    body = response.content.decode()
    assert "These hours overlap other hours of the same day." in body
    assert saved_rules(location) == before


def test_the_admin_accepts_moving_hours_that_only_overlap_their_old_version(
    brand_admin_a, location
):
    monday = location.opening_hours.get(weekday=0)
    url = reverse("admin:clinic_location_change", args=[location.pk])
    rules = [
        {"id": str(r.pk), "weekday": r.weekday, "opens": r.opens, "closes": r.closes}
        for r in location.opening_hours.exclude(pk=monday.pk)
    ]
    rules.append({"id": str(monday.pk), "weekday": "0", "opens": "08:00", "closes": "12:00"})
    rules.append({"weekday": "0", "opens": "12:00", "closes": "16:30"})
    data = location_form_data(location, rules)
    response = client_for(brand_admin_a).post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    mondays = list(
        location.opening_hours.filter(weekday=0).order_by("opens").values_list("opens", "closes")
    )
    assert mondays == [(time(8), time(12)), (time(12), time(16, 30))]


def test_the_admin_refuses_a_bad_time_zone_and_garbage_times(brand_admin_a, location):
    url = reverse("admin:clinic_location_change", args=[location.pk])
    data = location_form_data(location, [{"weekday": "5", "opens": "25:99", "closes": "<script>"}])
    data["time_zone"] = "Nowhere/Land"
    response = client_for(brand_admin_a).post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid time." in body
    assert "Select a valid choice." in body or "not a known time zone" in body
    location.refresh_from_db()
    assert location.time_zone == "America/New_York"
    assert not location.opening_hours.filter(weekday=5).exists()


def test_the_admin_refuses_conflicting_special_hours_in_one_submission(brand_admin_a, location):
    url = reverse("admin:clinic_location_change", args=[location.pk])
    rules = [
        {"id": str(r.pk), "weekday": r.weekday, "opens": r.opens, "closes": r.closes}
        for r in location.opening_hours.all()
    ]
    specials = [
        {"first_day": "2026-12-24", "label": "Christmas Eve"},
        {"first_day": "2026-12-24", "opens": "09:00", "closes": "12:00"},
    ]
    response = client_for(brand_admin_a).post(url, location_form_data(location, rules, specials))
    assert "A closed day cannot also have special opening hours." in response.content.decode()
    assert not location.special_hours.exists()
