"""Public holidays, from the holidays package, reviewed in the admin and then applied
everywhere hours are read (issue 32, item 1)."""

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic import public_holidays
from clinic.models import SpecialHours
from tests.conftest import HOST_A, client_for
from tests.factories import reference_location

NY = ZoneInfo("America/New_York")
LOCATIONS = reverse("admin:clinic_location_changelist")


# The package, read for a location ------------------------------------------------


def test_florida_s_year_has_christmas_as_a_national_holiday():
    year = {h.day: h for h in public_holidays.for_year("US", "FL", 2026)}
    assert year[date(2026, 12, 25)].name == "Christmas Day" and year[date(2026, 12, 25)].national
    assert year[date(2026, 11, 26)].name == "Thanksgiving Day"
    # Kept by Florida only: suggested open, not closed.
    assert not year[date(2026, 11, 27)].national


def test_a_state_is_found_by_its_name_or_its_code():
    assert public_holidays.subdivision("US", "Florida") == "FL"
    assert public_holidays.subdivision("us", "or") == "OR"
    assert public_holidays.subdivision("US", "Atlantis") is None


def test_an_unknown_country_has_no_holidays_rather_than_an_error():
    assert public_holidays.for_year("XX", "", 2026) == []
    assert not public_holidays.known("XX") and public_holidays.known("US")


# The admin action: review, then save ----------------------------------------------


@pytest.fixture
def brickell(brand_a):
    return reference_location(brand_a, slug="brickell", name="Brickell")


def act(user, locations, **data):
    return client_for(user).post(
        LOCATIONS,
        {
            "action": "add_public_holidays",
            "_selected_action": [str(location.pk) for location in locations],
            **data,
        },
    )


def review_page(user, locations, year=2026):
    with time_machine.travel(datetime(2026, 12, 6, 12, tzinfo=NY), tick=False):
        answer = act(user, locations, year=str(year))
    assert answer.status_code == 200
    return BeautifulSoup(answer.content, "html.parser")


def choices_from(page) -> dict:
    """What the review offers, as the browser would post it back unchanged."""
    data = {}
    for field in page.select("form.public-holidays input, form.public-holidays select"):
        name = field.get("name")
        if not name or field.get("type") == "submit":
            continue
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen["value"]
        else:
            data[name] = field.get("value", "")
    return data


def test_the_review_suggests_closing_on_national_holidays(brand_admin_a, brickell):
    page = review_page(brand_admin_a, [brickell])
    rows = {
        tr.select("td")[1].get_text(" ", strip=True): tr
        for tr in page.select("table.holiday-review tbody tr")
    }
    christmas = rows["Christmas Day"]
    assert christmas.select_one("td").get_text() == "Friday, Dec. 25"
    assert christmas.select_one("select option[selected]")["value"] == "closed"
    state_only = rows["Friday After Thanksgiving (state holiday)"]
    assert state_only.select_one("select option[selected]")["value"] == "open"
    assert not SpecialHours.objects.exists()  # nothing saved by looking


def test_saving_the_review_closes_the_location_on_those_days(brand_admin_a, brickell):
    data = choices_from(review_page(brand_admin_a, [brickell]))
    with time_machine.travel(datetime(2026, 12, 6, 12, tzinfo=NY), tick=False):
        answer = act(brand_admin_a, [brickell], **{**data, "apply": "Save"})
    assert answer.status_code == 302
    saved = {s.first_day: s for s in SpecialHours.objects.filter(location=brickell)}
    assert saved[date(2026, 12, 25)].is_closed and saved[date(2026, 12, 25)].label == (
        "Christmas Day"
    )
    assert date(2026, 11, 27) not in saved  # left open, as suggested
    # Run again: every day is already set, so nothing is doubled.
    again = review_page(brand_admin_a, [brickell])
    assert "Already set, left as it is: Brickell" in again.get_text()
    christmas_row = next(
        tr for tr in again.select("table.holiday-review tbody tr") if "Christmas" in tr.get_text()
    )
    assert christmas_row.select_one("select") is None  # nothing to choose for it now


def test_short_hours_are_saved_and_bad_times_lose_nothing(brand_admin_a, brickell):
    page = review_page(brand_admin_a, [brickell])
    data = choices_from(page)
    index = next(
        i
        for i, tr in enumerate(page.select("table.holiday-review tbody tr"))
        if "Christmas Day" in tr.get_text()
    )
    bad = {
        **data,
        f"holiday-{index}-choice": "short",
        f"holiday-{index}-opens": "14:00",
        f"holiday-{index}-closes": "09:00",
        "apply": "Save",
    }
    with time_machine.travel(datetime(2026, 12, 6, 12, tzinfo=NY), tick=False):
        refused = act(brand_admin_a, [brickell], **bad)
    assert refused.status_code == 200
    assert "The closing time must be after the opening time." in refused.content.decode()
    assert not SpecialHours.objects.exists()
    for typed in ("<script>alert(1)</script>", "25:99", "' OR 1=1"):
        with time_machine.travel(datetime(2026, 12, 6, 12, tzinfo=NY), tick=False):
            garbage = act(brand_admin_a, [brickell], **{**bad, f"holiday-{index}-opens": typed})
        assert garbage.status_code == 200 and "<script>alert(1)</script>" not in (
            garbage.content.decode()
        )
        assert "Enter a valid time." in garbage.content.decode()
    assert not SpecialHours.objects.exists()
    good = {**bad, f"holiday-{index}-opens": "08:00", f"holiday-{index}-closes": "12:00"}
    with time_machine.travel(datetime(2026, 12, 6, 12, tzinfo=NY), tick=False):
        assert act(brand_admin_a, [brickell], **good).status_code == 302
    christmas = SpecialHours.objects.get(location=brickell, first_day=date(2026, 12, 25))
    assert (christmas.opens, christmas.closes) == (time(8), time(12))


def test_front_desk_may_post_holidays_for_their_own_brand_only(
    front_desk_a, brickell, brand_b, editor_a
):
    beta = reference_location(brand_b, slug="beta", name="Beta")
    page = review_page(front_desk_a, [brickell, beta])
    assert "Brickell" in page.get_text() and "Beta" not in page.select_one("form").get_text()
    # An editor has no such action: not offered, and refused when posted anyway.
    listing = BeautifulSoup(client_for(editor_a).get(LOCATIONS).content, "html.parser")
    offered = [option["value"] for option in listing.select("select[name=action] option")]
    assert "add_public_holidays" not in offered
    with time_machine.travel(datetime(2026, 12, 6, 12, tzinfo=NY), tick=False):
        answer = act(editor_a, [brickell], year="2026", apply="Save")
    assert "Public holidays of" not in answer.content.decode()
    assert not SpecialHours.objects.exists()


def test_a_year_out_of_range_shows_this_year_or_the_last_allowed(brand_admin_a, brickell):
    page = review_page(brand_admin_a, [brickell], year=1999)
    assert page.select_one("#id_year option[selected]")["value"] == "2026"
    page = review_page(brand_admin_a, [brickell], year=9999)
    assert page.select_one("#id_year option[selected]")["value"] == "2028"


# Applied everywhere: Christmas morning -------------------------------------------


CHRISTMAS_10AM = datetime(2026, 12, 25, 10, tzinfo=NY)


@pytest.fixture
def christmas(brickell):
    SpecialHours.objects.create(location=brickell, first_day=date(2026, 12, 25), label="Christmas")
    SpecialHours.objects.create(
        location=brickell,
        first_day=date(2026, 12, 24),
        opens=time(8),
        closes=time(12, 30),
        label="Christmas Eve",
    )
    return brickell


def page_at(moment, path):
    with time_machine.travel(moment, tick=False):
        answer = client_for(host=HOST_A).get(path)
    assert answer.status_code == 200
    return BeautifulSoup(answer.content, "html.parser")


def test_on_christmas_morning_the_clinic_is_closed_everywhere(christmas):
    home = page_at(CHRISTMAS_10AM, "/")
    status = home.select_one(".hours-widget").get_text(" ", strip=True)
    assert "Closed" in status and "Open now" not in status
    assert "Christmas" in status
    # No slot on the 24th after 12:30, none on the 25th.
    form = page_at(datetime(2026, 12, 23, 12, tzinfo=NY), "/consultation/")
    offered = [option["value"] for option in form.select("select[name=slot] option")]
    assert not any("2026-12-25" in value for value in offered)
    eve = [v for v in offered if "2026-12-24" in v]
    assert eve and all(
        datetime.fromisoformat(v.split("|")[-1]).astimezone(NY).time() < time(12, 30) for v in eve
    )
    # Search engines read it closed that day.
    location = page_at(CHRISTMAS_10AM, f"/locations/{christmas.slug}/")
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("validFrom") == "2026-12-25":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for script in location.select("script[type='application/ld+json']"):
        walk(json.loads(script.string))
    assert found and all(entry["opens"] == entry["closes"] == "00:00" for entry in found)


def test_on_christmas_eve_the_short_hours_hold(christmas):
    morning = page_at(datetime(2026, 12, 24, 10, tzinfo=NY), "/")
    assert "Open now" in morning.select_one(".hours-widget").get_text(" ", strip=True)
    afternoon = page_at(datetime(2026, 12, 24, 13, tzinfo=NY), "/")
    assert "Open now" not in afternoon.select_one(".hours-widget").get_text(" ", strip=True)
