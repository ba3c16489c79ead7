"""The inbox as the front desk uses it: the clinic's own times, seats that move with a
rescheduled patient, nothing typed lost, and contacts that work."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from appointments import booking
from appointments.models import RequestNote, RequestStatus, SlotBooking
from tests.appointments.test_inbox_admin import change_url, handling_data, make_request
from tests.conftest import HOST_A, HOST_B, client_for, content_of
from tests.factories import reference_location, staff

LA = ZoneInfo("America/Los_Angeles")
NY = ZoneInfo("America/New_York")


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def schedule_data(item, when, **extra):
    return handling_data(
        item,
        status=RequestStatus.SCHEDULED,
        confirmed_slot_0=when.strftime("%Y-%m-%d"),
        confirmed_slot_1=when.strftime("%H:%M:%S"),
        **extra,
    )


@pytest.fixture
def los_angeles(brand_a):
    # Brand A's main location is in New York; this one is three hours behind.
    reference_location(brand_a, slug="downtown", name="Downtown clinic")
    return reference_location(
        brand_a, slug="la", name="Los Angeles", time_zone="America/Los_Angeles"
    )


class TestTheClinicsOwnTime:
    @pytest.mark.parametrize("host", [HOST_A, HOST_B], ids=["own-host", "other-brands-host"])
    def test_a_time_typed_is_the_locations_whichever_host(
        self, monday, group_admin, brand_a, los_angeles, host
    ):
        item = make_request(brand_a, los_angeles)
        client = client_for(group_admin, host=host)
        eleven = datetime(2026, 11, 24, 11, 0)  # 11:00 in Los Angeles: open there
        response = client.post(change_url(item), schedule_data(item, eleven))
        assert response.status_code == 302, soup(response).select(".errorlist")
        item.refresh_from_db()
        assert item.confirmed_slot == datetime(2026, 11, 24, 11, 0, tzinfo=LA)
        page = soup(client.get(change_url(item)))
        assert page.find("input", {"name": "confirmed_slot_1"})["value"] == "11:00:00"
        help_text = page.select_one(".field-confirmed_slot .help").get_text()
        assert "America/Los Angeles (PST)" in help_text

    def test_an_early_los_angeles_time_is_not_refused_as_closed(
        self, monday, group_admin, brand_a, los_angeles
    ):
        item = make_request(brand_a, los_angeles)
        nine = datetime(2026, 11, 24, 9, 0)  # 9:00 LA is noon in New York; both open
        response = client_for(group_admin, host=HOST_B).post(
            change_url(item), schedule_data(item, nine)
        )
        assert response.status_code == 302

    def test_read_only_times_and_notes_carry_the_zone(
        self, monday, front_desk_a, brand_a, los_angeles
    ):
        item = make_request(brand_a, los_angeles)
        RequestNote.objects.create(request=item, author=front_desk_a, text="Left a message")
        page = soup(client_for(front_desk_a).get(change_url(item)))
        received = page.select_one(".field-received .readonly").get_text()
        assert received.endswith("PST")  # 6:00 in Los Angeles, not 9:00 New York time
        assert "6 a.m." in received
        note = page.select_one(".inline-related:not(.empty-form)")
        heading = note.select_one("h3").get_text(" ", strip=True)
        assert heading == f"Note: {item.reference}"  # no second (UTC) time beside the local one
        written = note.select_one(".field-written .readonly").get_text()
        assert written.endswith("PST") and not written.endswith("PST PST")  # said once

    def test_the_list_labels_preferred_times_with_the_zone(
        self, monday, front_desk_a, brand_a, los_angeles
    ):
        make_request(brand_a, los_angeles, preferred_slot=datetime(2026, 11, 24, 10, tzinfo=LA))
        page = soup(client_for(front_desk_a).get("/admin/appointments/consultationrequest/"))
        assert page.select_one("td.field-when").get_text() == "Prefers Tue Nov 24, 10:00 PST"


class TestRescheduling:
    def test_moving_a_patient_moves_their_seat(self, monday, front_desk_a, brand_a):
        place = reference_location(brand_a, slug="downtown")
        first = make_request(brand_a, place, name="First")
        second = make_request(brand_a, place, name="Second")
        client = client_for(front_desk_a)
        ten, eleven = datetime(2026, 11, 24, 10), datetime(2026, 11, 24, 11)
        assert client.post(change_url(first), schedule_data(first, ten)).status_code == 302
        first.refresh_from_db()
        moved = client.post(change_url(first), schedule_data(first, eleven))
        assert moved.status_code == 302
        seats = list(SlotBooking.objects.values_list("request__name", "starts_at"))
        assert seats == [("First", datetime(2026, 11, 24, 11, tzinfo=NY))]
        # The ten o'clock seat is free again for someone else.
        assert client.post(change_url(second), schedule_data(second, ten)).status_code == 302
        assert SlotBooking.objects.count() == 2

    def test_a_refused_booking_keeps_everything_typed(self, monday, front_desk_a, brand_a):
        place = reference_location(brand_a, slug="downtown")
        colleague = staff("colleague", (brand_a, "front_desk"))
        first = make_request(brand_a, place, name="First")
        second = make_request(brand_a, place, name="Second")
        client = client_for(front_desk_a)
        ten = datetime(2026, 11, 24, 10)
        client.post(change_url(first), schedule_data(first, ten))
        typed = schedule_data(
            second, ten, assignee=str(colleague.pk), **{"notes-0-text": "Prefers mornings"}
        )
        response = client.post(change_url(second), typed)
        page = soup(response)
        assert response.status_code == 200
        assert "already fully booked" in page.select_one(".field-confirmed_slot").get_text()
        assert (
            page.find("textarea", {"name": "notes-0-text"}).get_text().strip() == "Prefers mornings"
        )
        assert page.select_one("select[name=assignee] option[selected]")["value"] == str(
            colleague.pk
        )
        assert page.find("input", {"name": "confirmed_slot_1"})["value"] == "10:00:00"
        second.refresh_from_db()
        assert second.status == RequestStatus.NEW and not second.notes.exists()

    def test_a_seat_taken_at_the_last_moment_keeps_everything_typed(
        self, monday, front_desk_a, brand_a, monkeypatch
    ):
        place = reference_location(brand_a, slug="downtown")
        first = make_request(brand_a, place, name="First")
        second = make_request(brand_a, place, name="Second")
        client = client_for(front_desk_a)
        ten = datetime(2026, 11, 24, 10)
        client.post(change_url(first), schedule_data(first, ten))
        # As if the other booking landed after this form was checked.
        monkeypatch.setattr(booking, "has_free_seat", lambda *args, **kwargs: True)
        response = client.post(
            change_url(second), schedule_data(second, ten, **{"notes-0-text": "Called back"})
        )
        page = soup(response)
        assert response.status_code == 200
        assert "already fully booked" in page.select_one(".field-confirmed_slot").get_text()
        assert page.find("textarea", {"name": "notes-0-text"}).get_text().strip() == "Called back"
        assert SlotBooking.objects.count() == 1 and not second.notes.exists()


class TestWhatTheFrontDeskSees:
    def test_names_and_phones_that_dial(self, front_desk_a, brand_a):
        make_request(brand_a, name="Dana Díaz", phone="+13055550147")
        page = soup(client_for(front_desk_a).get("/admin/appointments/consultationrequest/"))
        assert page.select_one("td.field-name").get_text() == "Dana Díaz"
        link = page.select_one("td.field-phone_link a")
        assert link["href"] == "tel:+13055550147" and link.get_text() == "(305) 555-0147"
        headers = [th.get_text(" ", strip=True) for th in page.select("thead th")]
        assert "Brand" not in headers  # one brand: no brand column

    def test_staff_of_several_brands_see_and_filter_by_brand(self, group_admin, brand_a, brand_b):
        make_request(brand_a, name="Alice")
        make_request(brand_b, name="Bob")
        client = client_for(group_admin)
        page = soup(client.get("/admin/appointments/consultationrequest/"))
        assert {td.get_text() for td in page.select("td.field-brand")} == {
            "Alpha Wellness",
            "Beta Infusion Center",
        }
        only_b = soup(
            client.get(f"/admin/appointments/consultationrequest/?brand__id__exact={brand_b.pk}")
        )
        assert [td.get_text() for td in only_b.select("td.field-name")] == ["Bob"]

    def test_the_change_page_links_e_mail_and_phone(self, front_desk_a, brand_a):
        item = make_request(brand_a, email="dana@example.org", phone="+442079460958")
        page = soup(client_for(front_desk_a).get(change_url(item)))
        assert page.select_one(".field-email_link a")["href"] == "mailto:dana@example.org"
        phone = page.select_one(".field-phone_link a")
        assert phone["href"] == "tel:+442079460958"
        assert phone.get_text() == "+44 20 7946 0958"  # foreign numbers, internationally

    def test_the_export_keeps_phones_readable_and_formulas_harmless(self, front_desk_a, brand_a):
        make_request(brand_a, name="=HYPERLINK(1)", phone="+13055550147")
        make_request(brand_a, name="Abroad", phone="+442079460958")
        response = client_for(front_desk_a).get("/admin/appointments/consultationrequest/export/")
        rows = list(csv.DictReader(io.StringIO(content_of(response).decode())))
        phones = {row["Name"]: row["Phone"] for row in rows}
        assert phones["'=HYPERLINK(1)"] == "(305) 555-0147"
        assert phones["Abroad"] == "'+44 20 7946 0958"  # starts with "+": neutralised
