"""The admin index shows each role what needs doing first, in its own brands only."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from appointments.models import ConsultationRequest, RequestStatus
from articles.models import Status
from tests.conftest import client_for
from tests.factories import article, reference_location

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
# Tuesday 24 November 2026, 3 P.M. in New York.
TUESDAY_3PM = datetime(2026, 11, 24, 15, tzinfo=NY)


def panels(user, now=TUESDAY_3PM) -> dict[str, str]:
    with time_machine.travel(now, tick=False):
        response = client_for(user).get(reverse("admin:index"))
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        section["id"].removeprefix("panel-"): section.get_text(" ", strip=True)
        for section in soup.select(".dashboard-panel")
    }


def new_request(brand, location, received, **fields):
    with time_machine.travel(received, tick=False):
        return ConsultationRequest.objects.create(
            brand=brand,
            location=location,
            name="Pat Example",
            email="pat@example.org",
            phone="+13055550100",
            **fields,
        )


class TestEditor:
    def test_drafts_reviews_schedule_and_overdue_reviews(self, editor_a, brand_a, brand_b):
        article(brand_a, slug="my-draft", status=Status.DRAFT, author=editor_a)
        article(brand_a, slug="someone-elses-draft", status=Status.DRAFT)
        article(brand_a, slug="needs-review", status=Status.IN_REVIEW)
        article(brand_a, slug="goes-live-friday", publish_at=TUESDAY_3PM + timedelta(days=3))
        article(
            brand_a,
            slug="stale-review",
            last_reviewed=date(2025, 1, 2),
            review_due=date(2026, 1, 2),
        )
        article(brand_b, slug="beta-review", status=Status.IN_REVIEW)
        shown = panels(editor_a)
        assert "My draft" in shown["my-drafts"] and "Someone elses" not in shown["my-drafts"]
        assert "Needs review" in shown["in-review"] and "Beta review" not in shown["in-review"]
        assert "Goes live friday" in shown["scheduled"]
        assert "Stale review" in shown["review-overdue"]
        assert "waiting" not in shown and "setup" not in shown  # not this role's work


class TestFrontDesk:
    def test_requests_past_their_promise_counted_in_opening_hours(
        self, front_desk_a, brand_a, brand_b
    ):
        downtown = reference_location(brand_a, slug="downtown", name="Downtown")
        brand_a.reply_hours = 4
        brand_a.save()
        # Monday 9 A.M.: six opening hours by Tuesday 3 P.M.? 7.5 h on Monday + 7 h today.
        late = new_request(brand_a, downtown, datetime(2026, 11, 23, 9, tzinfo=NY))
        # Tuesday 12 noon: 3 opening hours, within the promise.
        fresh = new_request(brand_a, downtown, datetime(2026, 11, 24, 12, tzinfo=NY))
        # Friday 20 November (a closed Friday), 5 P.M.: the weekend does not count.
        weekend = new_request(brand_a, downtown, datetime(2026, 11, 20, 17, tzinfo=NY))
        beta = new_request(
            brand_b,
            reference_location(brand_b, slug="beta", name="Beta"),
            datetime(2026, 11, 20, 9, tzinfo=NY),
        )
        shown = panels(front_desk_a)["waiting"]
        assert late.reference in shown and weekend.reference in shown
        assert fresh.reference not in shown and beta.reference not in shown

    def test_a_two_year_backlog_says_over_the_hours_of_eight_weeks(self, front_desk_a, brand_a):
        """Issue 31, item 2: hours are counted eight weeks back at most; an older request
        says when it came and that it waited over those hours."""
        downtown = reference_location(brand_a, slug="downtown", name="Downtown")
        old = new_request(brand_a, downtown, datetime(2024, 11, 25, 9, tzinfo=NY))
        recent = new_request(brand_a, downtown, datetime(2026, 11, 23, 9, tzinfo=NY))
        shown = panels(front_desk_a)["waiting"]
        now = TUESDAY_3PM.astimezone(UTC)  # eight weeks of 24 hours, across the clock change
        eight_weeks = downtown.calendar().open_minutes_between(now - timedelta(weeks=8), now)
        assert f"{old.reference} · Alpha Wellness · received Nov 25, 2024, waited over " in shown
        assert f"waited over {eight_weeks // 60} opening hours" in shown
        exact = downtown.calendar().open_minutes_between(recent.created, TUESDAY_3PM) // 60
        assert f"{recent.reference} · Alpha Wellness · waited {exact} opening hours" in shown

    def test_an_old_request_at_a_location_closed_for_weeks_is_counted_in_full(
        self, front_desk_a, brand_a
    ):
        """Closed for the last ten weeks: eight weeks say nothing, so the whole wait is
        counted, and it is still late (the weeks before the closure count)."""
        from clinic.models import SpecialHours

        downtown = reference_location(brand_a, slug="downtown", name="Downtown")
        SpecialHours.objects.create(
            location=downtown,
            first_day=date(2026, 9, 14),
            last_day=date(2026, 11, 30),
            label="Renovation",
        )
        old = new_request(brand_a, downtown, datetime(2026, 8, 3, 9, tzinfo=NY))
        shown = panels(front_desk_a)["waiting"]
        whole = downtown.calendar().open_minutes_between(old.created, TUESDAY_3PM) // 60
        assert 200 < whole < 400  # six weeks of opening hours before the closure
        assert f"{old.reference} · Alpha Wellness · waited {whole} opening hours" in shown

    def test_today_and_tomorrow_in_each_location_s_own_time(self, front_desk_a, brand_a):
        miami = reference_location(brand_a, slug="miami", name="Miami")
        portland = reference_location(
            brand_a, slug="portland", name="Portland", time_zone="America/Los_Angeles"
        )
        today = new_request(
            brand_a,
            miami,
            TUESDAY_3PM - timedelta(days=2),
            status=RequestStatus.SCHEDULED,
            confirmed_slot=datetime(2026, 11, 24, 16, tzinfo=NY),
        )
        tomorrow_west = new_request(
            brand_a,
            portland,
            TUESDAY_3PM - timedelta(days=2),
            status=RequestStatus.SCHEDULED,
            confirmed_slot=datetime(2026, 11, 25, 9, tzinfo=LA),
        )
        thursday = new_request(
            brand_a,
            miami,
            TUESDAY_3PM - timedelta(days=2),
            status=RequestStatus.SCHEDULED,
            confirmed_slot=datetime(2026, 11, 26, 9, tzinfo=NY),
        )
        shown = panels(front_desk_a)["consultations"]
        assert "Today" in shown and today.reference in shown and "4:00 PM EST" in shown
        assert "Tomorrow" in shown and tomorrow_west.reference in shown and "9:00 AM PST" in shown
        assert thursday.reference not in shown

    def test_nothing_waiting_says_so(self, front_desk_a, brand_a):
        shown = panels(front_desk_a)
        assert "Every new request is within its promised reply time." in shown["waiting"]
        assert "my-drafts" not in shown


class TestBrandAdmin:
    def test_set_up_problems_of_my_brands_only(self, brand_admin_a, brand_a, brand_b):
        from clinic.models import Location

        brand_a.notification_email = ""
        brand_a.save()
        Location.objects.create(
            brand=brand_a,
            name="Empty annex",
            slug="annex",
            street_address="1 A St",
            locality="Miami",
            time_zone="America/New_York",
        )
        shown = panels(brand_admin_a)
        assert "No notification address" in shown["setup"]
        assert "No logo." in shown["setup"]
        assert "Empty annex has no opening hours." in shown["setup"]
        assert brand_b.name not in shown["setup"]
        # A brand admin also writes and works the inbox: both sets of panels.
        assert "my-drafts" in shown and "waiting" in shown


@pytest.mark.parametrize("user", ["group_admin", "superuser"])
def test_the_index_stays_cheap(personas, brand_a, brand_b, user, django_assert_max_num_queries):
    location = reference_location(brand_a)
    for hour in range(30):
        new_request(brand_a, location, TUESDAY_3PM - timedelta(days=3, hours=hour))
    client = client_for(personas[user])
    client.get(reverse("admin:index"))
    with time_machine.travel(TUESDAY_3PM, tick=False), django_assert_max_num_queries(25):
        assert client.get(reverse("admin:index")).status_code == 200
