"""Special days wherever hours are shown, and calls to action that know every location."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup

from clinic.models import OpeningHours, SpecialHours
from tests.conftest import HOST_A, client_for
from tests.factories import reference_location

NY = ZoneInfo("America/New_York")
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, tzinfo=NY)  # Thanksgiving is Thursday the 26th


def soup_at(moment, path="/"):
    with time_machine.travel(moment, tick=False):
        response = client_for(host=HOST_A).get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def brickell(brand_a):
    return reference_location(brand_a, slug="brickell", name="Brickell", phone="+13055550101")


@pytest.fixture
def thanksgiving(brickell):
    return SpecialHours.objects.create(
        location=brickell, first_day=date(2026, 11, 26), label="Thanksgiving"
    )


class TestSpecialDaysAreShownWithTheWeek:
    def test_the_widget_names_this_weeks_holiday(self, thanksgiving):
        box = soup_at(MONDAY_9AM).select_one(".hours-widget")
        lines = [li.get_text() for li in box.select(".hours-exceptions li")]
        assert lines == ["Thursday, November 26: closed (Thanksgiving)"]

    def test_the_locations_list_names_it_too(self, thanksgiving):
        card = soup_at(MONDAY_9AM, "/locations/").select_one("main article")
        lines = [li.get_text() for li in card.select(".hours-exceptions li")]
        assert lines == ["Thursday, November 26: closed (Thanksgiving)"]

    def test_next_weeks_special_hours_are_shown_and_later_ones_are_not(self, brickell):
        SpecialHours.objects.create(
            location=brickell,
            first_day=date(2026, 12, 3),
            opens=time(8),
            closes=time(12),
            label="Staff training",
        )
        SpecialHours.objects.create(location=brickell, first_day=date(2026, 12, 25), label="Xmas")
        box = soup_at(MONDAY_9AM).select_one(".hours-widget")
        lines = [li.get_text() for li in box.select(".hours-exceptions li")]
        assert lines == ["Thursday, December 3: 8 A.M. – noon (Staff training)"]

    def test_no_special_days_no_list(self, brickell):
        assert soup_at(MONDAY_9AM).select_one(".hours-exceptions") is None

    def test_next_open_skips_a_closed_alternate_friday(self, brickell):
        # Friday Nov 27 is an "every other week" Friday; close it: the next is Dec 11.
        SpecialHours.objects.create(location=brickell, first_day=date(2026, 11, 27), label="Off")
        box = soup_at(MONDAY_9AM).select_one(".hours-widget")
        friday = next(tr for tr in box.select("tr") if tr.th.get_text().startswith("Friday"))
        assert "next open Friday, December 11" in friday.td.get_text()
        assert "November 27" not in friday.td.get_text()


class TestCallsToActionKnowEveryLocation:
    @pytest.fixture
    def lauderdale(self, brand_a):
        place = reference_location(
            brand_a, slug="lauderdale", name="Fort Lauderdale", phone="+19545550102"
        )
        # Open on Saturdays too, when Brickell is closed.
        OpeningHours.objects.create(location=place, weekday=5, opens=time(9), closes=time(13))
        return place

    def test_while_any_location_is_open_call_us_rings_it(self, brickell, lauderdale):
        saturday = datetime(2026, 11, 21, 10, 0, tzinfo=NY)
        soup = soup_at(saturday)
        lead = soup.select_one("header a.btn-brand, main a.btn-brand")
        assert lead.get_text(" ", strip=True).startswith("Call us")
        assert lead["href"] == "tel:+19545550102"
        assert soup.select_one(".hours-widget .opening-status").get_text().startswith("Open now")
        assert not soup.select(".callback-line")

    def test_when_all_are_closed_the_earliest_reopening_is_promised(self, brickell, brand_a):
        # A clinic three hours west reopens later: the promise follows Brickell.
        reference_location(brand_a, slug="la", name="Los Angeles", time_zone="America/Los_Angeles")
        sunday_evening = datetime(2026, 11, 22, 20, 0, tzinfo=NY)
        lines = [p.get_text() for p in soup_at(sunday_evening).select(".callback-line")]
        assert lines and all(line == "We’ll call you back tomorrow after 8 A.M." for line in lines)

    def test_the_promise_skips_a_closed_location_for_an_open_one_tomorrow(
        self, brickell, lauderdale
    ):
        # Brickell closed for the day after Thanksgiving week's Monday? Close Brickell
        # on Tuesday; Fort Lauderdale opens Tuesday as usual.
        SpecialHours.objects.create(location=brickell, first_day=date(2026, 11, 24), label="Off")
        monday_evening = datetime(2026, 11, 23, 18, 0, tzinfo=NY)
        lines = [p.get_text() for p in soup_at(monday_evening).select(".callback-line")]
        assert lines and all("tomorrow after 8 A.M." in line for line in lines)


def test_fall_back_slots_are_labelled_unambiguously(brand_a):
    from appointments.forms import ConsultationForm
    from articles.models import Topic
    from care.models import Treatment
    from clinic.locations import brand_locations

    night = reference_location(brand_a, slug="night", name="Night clinic")
    OpeningHours.objects.filter(location=night).delete()
    # Sunday Nov 1, 2026: clocks go back at 2 A.M.; open midnight to 3 A.M.
    OpeningHours.objects.create(location=night, weekday=6, opens=time(0), closes=time(3))
    with time_machine.travel(datetime(2026, 10, 31, 12, tzinfo=NY), tick=False):
        form = ConsultationForm(
            brand=brand_a,
            locations=brand_locations(brand_a),
            topics=Topic.objects.none(),
            treatments=Treatment.objects.none(),
        )
    groups = form.fields["slot"].choices[1:]
    labels = [label for _group, options in groups for _value, label in options]
    one_am = [label for label in labels if "1 A.M." in label or "1:30 A.M." in label]
    assert "Sunday, November 1, 1 A.M. EDT" in one_am
    assert "Sunday, November 1, 1 A.M. EST" in one_am
    assert len(labels) == len(set(labels))  # every choice reads differently
    assert "Sunday, November 1, midnight" in labels  # unambiguous times stay plain
