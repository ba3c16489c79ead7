"""Patients see each location's hours, right now, in the location's time zone."""

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup

from clinic.models import Location, OpeningHours, SpecialHours
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import reference_location

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, tzinfo=NY)
SATURDAY_10AM = datetime(2026, 11, 21, 10, 0, tzinfo=NY)


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def location(brand_a):
    return reference_location(brand_a, slug="downtown", name="Downtown clinic")


def widget(soup):
    return soup.select_one(".hours-widget")


@pytest.mark.parametrize("path", ["/", "/locations/", "/privacy/", "/locations/downtown/"])
def test_every_page_has_the_hours_widget(location, path):
    with time_machine.travel(MONDAY_9AM, tick=False):
        soup = soup_of(client_for(host=HOST_A).get(path))
    box = widget(soup)
    assert box.find("h2").get_text() == "Opening hours"
    assert box.select_one(".opening-status").get_text() == "Open now · closes 4:30 P.M."
    today = box.select_one("tr.is-today")
    assert today.th.get_text(" ", strip=True) == "Monday – Thursday (today)"


def test_the_widget_at_a_closed_time(location):
    with time_machine.travel(SATURDAY_10AM, tick=False):
        box = widget(soup_of(client_for(host=HOST_A).get("/")))
    assert box.select_one(".opening-status").get_text() == "Closed · opens Monday 8 A.M."
    rows = [(tr.th.get_text(" ", strip=True), tr.td.get_text()) for tr in box.select("tr")]
    assert rows == [
        ("Monday – Thursday", "8 A.M. – 4:30 P.M."),
        ("Friday", "8 A.M. – 4:30 P.M. every other week — next open Friday, November 27"),
        ("Saturday – Sunday (today)", "closed"),
    ]


def test_the_status_is_computed_in_the_locations_time_zone(brand_a):
    reference_location(brand_a, slug="portland", name="Portland", time_zone="America/Los_Angeles")
    # 9 A.M. in New York is 6 A.M. in Portland: still closed there.
    with time_machine.travel(MONDAY_9AM, tick=False):
        box = widget(soup_of(client_for(host=HOST_A).get("/")))
    assert box.select_one(".opening-status").get_text() == "Closed · opens 8 A.M."


def test_the_status_changes_with_the_clock_on_the_same_cached_data(location):
    client = client_for(host=HOST_A)
    with time_machine.travel(datetime(2026, 11, 23, 16, 29, tzinfo=NY), tick=False):
        before = widget(soup_of(client.get("/"))).select_one(".opening-status").get_text()
    with time_machine.travel(datetime(2026, 11, 23, 16, 30, tzinfo=NY), tick=False):
        after = widget(soup_of(client.get("/"))).select_one(".opening-status").get_text()
    assert before == "Open now · closes 4:30 P.M."
    assert after == "Closed · opens tomorrow 8 A.M."


class TestCallsToAction:
    def header_buttons(self, soup):
        return [a.get_text(" ", strip=True) for a in soup.select(".header-cta a")]

    def test_while_open_call_us_leads(self, location):
        with time_machine.travel(MONDAY_9AM, tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/"))
        assert self.header_buttons(soup)[0].startswith("Call us")
        assert soup.select_one(".header-cta a")["href"] == "tel:+13055550100"
        assert soup.select_one(".callback-line") is None

    def test_while_closed_the_request_leads_and_says_when_we_call_back(self, location):
        with time_machine.travel(SATURDAY_10AM, tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/"))
        assert self.header_buttons(soup)[0] == "Request a consultation"
        assert soup.select_one(".callback-line").get_text() == (
            "We’ll call you back Monday after 8 A.M."
        )

    def test_the_location_page_follows_its_own_location(self, brand_a, location):
        reference_location(
            brand_a, slug="west", name="West", time_zone="America/Los_Angeles", order=5
        )
        with time_machine.travel(MONDAY_9AM, tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/locations/west/"))
        main = soup.find("main")
        assert main.select_one(".opening-status").get_text() == "Closed · opens 8 A.M."
        assert (
            main.select_one(".callback-line").get_text() == "We’ll call you back today after 8 A.M."
        )
        first_button = main.select_one("p.d-flex a")
        assert first_button.get_text() == "Request a consultation"

    def test_a_holiday_moves_the_callback(self, location):
        SpecialHours.objects.create(
            location=location, first_day=date(2026, 11, 26), label="Thanksgiving"
        )
        with time_machine.travel(datetime(2026, 11, 25, 18, tzinfo=NY), tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/"))
        assert (
            soup.select_one(".callback-line").get_text()
            == "We’ll call you back Friday after 8 A.M."
        )


class TestLocationPages:
    def test_the_list_shows_each_active_location_with_its_status(self, brand_a, location):
        reference_location(brand_a, slug="closed-for-good", name="Old site", is_active=False)
        with time_machine.travel(MONDAY_9AM, tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/locations/"))
        cards = soup.select("main article")
        assert [card.h2.get_text(strip=True) for card in cards] == ["Downtown clinic"]
        assert cards[0].select_one(".opening-status").get_text() == "Open now · closes 4:30 P.M."

    def test_the_detail_page(self, location):
        location.latitude, location.longitude = 25.7664, -80.1912
        location.save()
        SpecialHours.objects.create(
            location=location, first_day=date(2026, 11, 26), label="Thanksgiving"
        )
        SpecialHours.objects.create(
            location=location, first_day=date(2025, 11, 27), label="Last year"
        )
        with time_machine.travel(SATURDAY_10AM, tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/locations/downtown/"))
        main = soup.find("main")
        assert main.h1.get_text() == "Downtown clinic"
        assert "1 Main Street" in main.address.get_text()
        assert main.select_one('a[href^="tel:"]')["href"] == "tel:+13055550100"
        map_link = main.find("a", string="Open in a map (OpenStreetMap)")
        assert map_link["href"].startswith("https://www.openstreetmap.org/?mlat=25.766400")
        assert soup.find("iframe") is None  # a plain link, no embedded map
        specials = [li.get_text(" ", strip=True) for li in main.select(".special-hours li")]
        assert specials == ["Thursday, November 26 : closed (Thanksgiving)"]

    def test_json_ld_describes_a_medical_clinic_with_its_hours(self, location):
        SpecialHours.objects.create(
            location=location, first_day=date(2026, 11, 26), label="Thanksgiving"
        )
        with time_machine.travel(SATURDAY_10AM, tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/locations/downtown/"))
        data = json.loads(soup.find("script", type="application/ld+json").string)
        assert data["@type"] == "MedicalClinic"
        assert data["address"]["addressLocality"] == "Miami"
        assert data["telephone"] == "+13055550100"
        specs = data["openingHoursSpecification"]
        assert specs[0]["opens"] == "08:00" and specs[0]["closes"] == "16:30"
        assert {"validFrom": "2026-11-26", "opens": "00:00"}.items() <= specs[1].items()

    def test_hostile_location_text_cannot_break_out_of_json_ld(self, location):
        location.name = '</script><script>alert("x")</script>'
        location.save()
        with time_machine.travel(SATURDAY_10AM, tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/locations/downtown/"))
        scripts = soup.find_all("script")
        inline = [s.get("type") for s in scripts if not s.get("src")]
        assert inline == ["application/ld+json"] * 2  # the clinic and its breadcrumbs
        data = json.loads(soup.find("script", type="application/ld+json").string)
        assert data["name"].endswith('</script><script>alert("x")</script>')
        assert soup.h1.get_text() == '</script><script>alert("x")</script>'

    def test_new_hours_are_announced_before_they_start(self, location):
        for weekday in range(5):
            OpeningHours.objects.create(
                location=location,
                weekday=weekday,
                opens=time(9),
                closes=time(17),
                valid_from=date(2027, 1, 4),
            )
        with time_machine.travel(SATURDAY_10AM, tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/locations/downtown/"))
            widget_rows = widget(soup).select("tr")
        assert widget_rows[0].td.get_text() == "8 A.M. – 4:30 P.M."  # still the old week
        announced = soup.select_one(".upcoming-hours")
        assert announced.h3.get_text() == "New hours from Monday, January 4"
        assert (
            announced.select("tr")[0].get_text(" ", strip=True) == "Monday – Friday 9 A.M. – 5 P.M."
        )
        with time_machine.travel(datetime(2027, 1, 4, 8, 30, tzinfo=NY), tick=False):
            soup = soup_of(client_for(host=HOST_A).get("/locations/downtown/"))
        assert soup.select_one(".upcoming-hours") is None
        assert widget(soup).select_one(".opening-status").get_text() == "Closed · opens 9 A.M."

    def test_another_brands_location_is_a_404(self, brand_b, location):
        reference_location(brand_b, slug="beta-only", name="Beta only")
        assert client_for(host=HOST_A).get("/locations/beta-only/").status_code == 404
        assert client_for(host=HOST_B).get("/locations/downtown/").status_code == 404
        body = client_for(host=HOST_A).get("/locations/").content.decode()
        assert "Beta only" not in body

    def test_an_inactive_location_is_a_404(self, brand_a):
        reference_location(brand_a, slug="gone", name="Gone", is_active=False)
        assert client_for(host=HOST_A).get("/locations/gone/").status_code == 404

    def test_a_brand_without_locations_says_so_and_shows_no_widget(self, brand_a):
        soup = soup_of(client_for(host=HOST_A).get("/locations/"))
        assert "has not published its locations yet" in soup.get_text()
        assert widget(soup) is None


class TestFreshness:
    def test_edited_hours_show_on_the_next_request(self, location):
        client = client_for(host=HOST_A)
        with time_machine.travel(SATURDAY_10AM, tick=False):
            client.get("/")  # warm the cache
            OpeningHours.objects.create(
                location=location, weekday=5, opens=time(9), closes=time(12)
            )
            status = widget(soup_of(client.get("/"))).select_one(".opening-status").get_text()
        assert status == "Open now · closes noon"

    def test_a_new_holiday_shows_on_the_next_request(self, location):
        client = client_for(host=HOST_A)
        with time_machine.travel(MONDAY_9AM, tick=False):
            client.get("/")
            SpecialHours.objects.create(
                location=location, first_day=date(2026, 11, 23), label="Storm"
            )
            status = widget(soup_of(client.get("/"))).select_one(".opening-status").get_text()
        assert status == "Closed · opens tomorrow 8 A.M."

    def test_a_renamed_location_shows_on_the_next_request(self, location):
        client = client_for(host=HOST_A)
        client.get("/")
        location.name = "Renamed clinic"
        location.save()
        assert "Renamed clinic" in client.get("/").content.decode()


def add_locations(brand, count, rules_each):
    for index in range(count):
        place = Location.objects.create(
            brand=brand,
            name=f"L{index}",
            slug=f"l{index}",
            street_address="1",
            locality="X",
            order=index + 10,
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(
                location=place, weekday=n % 7, opens=time(6 + n // 7), closes=time(7 + n // 7)
            )
            for n in range(rules_each)
        )
        SpecialHours.objects.create(location=place, first_day=date(2026, 12, 25))


@pytest.mark.parametrize(
    ("path", "budget"),
    # The home page also lists its sections' content (see test_query_budgets).
    [("/", 11), ("/locations/", 5), ("/locations/downtown/", 5)],
)
def test_pages_with_hours_cost_the_same_queries_for_1_or_20_locations(
    brand_a, location, path, budget, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the pages themselves, not the page cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cold_queries():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client_for(host=HOST_A).get(path).status_code == 200
        return len(captured)

    small = cold_queries()
    add_locations(brand_a, 20, rules_each=14)
    assert cold_queries() == small
    assert small <= budget
    client = client_for(host=HOST_A)
    client.get(path)
    with django_assert_max_num_queries(budget - 5):  # warm: the hours cost no query
        client.get(path)
