"""Front-desk staff work the consultation inbox in the admin, within their brands."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse

from appointments.models import (
    AccessRecord,
    ConsultationRequest,
    NotificationKind,
    RequestNote,
    RequestStatus,
    SlotBooking,
)
from clinic.models import Role
from tests.conftest import HOST_B, client_for, content_of
from tests.factories import reference_location, staff

NY = ZoneInfo("America/New_York")
LIST = "admin:appointments_consultationrequest_changelist"


def make_request(brand, location=None, **fields):
    values = {
        "name": "Pat Example",
        "email": "pat@example.org",
        "phone": "+13055550147",
        "message": "Hello",
    }
    values.update(fields)
    return ConsultationRequest.objects.create(brand=brand, location=location, **values)


def change_url(item):
    return reverse("admin:appointments_consultationrequest_change", args=[item.pk])


def handling_data(item, **overrides):
    data = {
        "status": item.status,
        "assignee": "",
        "confirmed_slot_0": "",
        "confirmed_slot_1": "",
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "notes-0-text": "",
        "notes-0-request": str(item.pk),
    }
    data.update(overrides)
    return data


@pytest.fixture
def place(brand_a):
    return reference_location(brand_a, slug="downtown", name="Downtown clinic")


@pytest.fixture
def inbox(brand_a, brand_b, place):
    return {
        "a_new": make_request(brand_a, place, name="Alice Alpha", email="alice@example.org"),
        "a_contacted": make_request(
            brand_a, place, status=RequestStatus.CONTACTED, phone="+13055550188"
        ),
        "b_new": make_request(brand_b, name="Bob Beta", email="bob@example.org"),
    }


class TestSeeing:
    def test_front_desk_sees_their_brands_requests_with_the_useful_columns(
        self, front_desk_a, inbox
    ):
        page = client_for(front_desk_a).get(reverse(LIST))
        soup = BeautifulSoup(page.content, "html.parser")
        headers = [th.get_text(strip=True).lower() for th in soup.select("#result_list thead th")]
        for column in (
            "reference",
            "status",
            "location",
            "topic",
            "confirmed or preferred time",
            "age",
            "assigned to",
        ):
            assert column in headers
        body = page.content.decode()
        assert inbox["a_new"].reference in body and inbox["b_new"].reference not in body
        assert "Bob Beta" not in body

    def test_editors_do_not_see_requests(self, editor_a, inbox):
        assert client_for(editor_a).get(reverse(LIST)).status_code == 403
        assert client_for(editor_a).get(change_url(inbox["a_new"])).status_code == 404

    def test_another_brands_request_is_a_404_everywhere(self, front_desk_a, inbox):
        client = client_for(front_desk_a)
        other = inbox["b_new"]
        for name in ("change", "history", "delete"):
            url = reverse(f"admin:appointments_consultationrequest_{name}", args=[other.pk])
            assert client.get(url).status_code in (403, 404)
            assert client.get(url).status_code != 200
        assert client.get(change_url(other)).status_code == 404

    @pytest.mark.parametrize(
        ("term", "found"),
        [
            ("alice@example.org", "a_new"),
            ("Alice", "a_new"),
            ("(305) 555-0188", "a_contacted"),
            ("305.555.0188", "a_contacted"),
        ],
    )
    def test_search_by_name_email_and_phone_as_typed(self, front_desk_a, inbox, term, found):
        body = client_for(front_desk_a).get(reverse(LIST), {"q": term}).content.decode()
        assert inbox[found].reference in body
        others = [item for key, item in inbox.items() if key != found]
        assert all(item.reference not in body for item in others)

    def test_search_by_reference_typed_loosely(self, front_desk_a, inbox):
        reference = inbox["a_new"].reference
        loose = reference.lower().replace("-", " ")
        body = client_for(front_desk_a).get(reverse(LIST), {"q": loose}).content.decode()
        assert reference in body

    @pytest.mark.parametrize(
        "term", ["<script>alert(1)</script>", "' OR 1=1 --", "%", "\x00", "x" * 500]
    )
    def test_hostile_searches_are_harmless(self, front_desk_a, inbox, term):
        response = client_for(front_desk_a).get(reverse(LIST), {"q": term})
        assert response.status_code in (200, 400)
        assert "Bob Beta" not in response.content.decode()

    def test_the_admin_index_counts_new_requests_per_brand(
        self, group_admin, front_desk_a, inbox, brand_a
    ):
        make_request(brand_a, name="Another")
        soup = BeautifulSoup(
            client_for(front_desk_a).get(reverse("admin:index")).content, "html.parser"
        )
        rows = {
            tr.th.get_text(strip=True): tr.td.get_text() for tr in soup.select("#new-requests tr")
        }
        assert rows == {"Alpha Wellness": "2"}
        soup = BeautifulSoup(
            client_for(group_admin).get(reverse("admin:index")).content, "html.parser"
        )
        rows = {
            tr.th.get_text(strip=True): tr.td.get_text() for tr in soup.select("#new-requests tr")
        }
        assert rows == {"Alpha Wellness": "2", "Beta Infusion Center": "1"}


class TestWorking:
    def test_status_actions(self, front_desk_a, inbox):
        client_for(front_desk_a).post(
            reverse(LIST),
            {
                "action": "mark_contacted",
                "_selected_action": [inbox["a_new"].pk, inbox["b_new"].pk],
            },
        )
        inbox["a_new"].refresh_from_db()
        inbox["b_new"].refresh_from_db()
        assert inbox["a_new"].status == RequestStatus.CONTACTED
        assert inbox["b_new"].status == RequestStatus.NEW  # another brand: untouched

    def test_assign_to_me(self, front_desk_a, inbox):
        client_for(front_desk_a).post(
            reverse(LIST), {"action": "assign_to_me", "_selected_action": [inbox["a_new"].pk]}
        )
        inbox["a_new"].refresh_from_db()
        assert inbox["a_new"].assignee == front_desk_a

    def test_assignment_only_to_front_desk_of_the_same_brand(
        self, front_desk_a, editor_a, brand_a, inbox
    ):
        colleague = staff("colleague", (brand_a, Role.FRONT_DESK))
        client = client_for(front_desk_a)
        item = inbox["a_new"]
        page = BeautifulSoup(client.get(change_url(item)).content, "html.parser")
        offered = {o.get_text() for o in page.select("select[name=assignee] option") if o["value"]}
        assert offered == {"front_desk_a", "colleague"}  # editors are not offered
        ok = client.post(change_url(item), handling_data(item, assignee=str(colleague.pk)))
        assert ok.status_code == 302
        refused = client.post(change_url(item), handling_data(item, assignee=str(editor_a.pk)))
        assert "Select a valid choice" in refused.content.decode()
        item.refresh_from_db()
        assert item.assignee == colleague

    def test_staff_of_another_brand_cannot_be_chosen(self, front_desk_a, staff_b, inbox):
        item = inbox["a_new"]
        response = client_for(front_desk_a).post(
            change_url(item), handling_data(item, assignee=str(staff_b.pk))
        )
        assert "Select a valid choice" in response.content.decode()

    def test_notes_record_author_and_time_and_cannot_be_rewritten(self, front_desk_a, inbox):
        item = inbox["a_new"]
        client = client_for(front_desk_a)
        client.post(change_url(item), handling_data(item, **{"notes-0-text": "Left a voicemail."}))
        note = RequestNote.objects.get()
        assert (note.text, note.author, note.request) == ("Left a voicemail.", front_desk_a, item)
        page = client.get(change_url(item)).content.decode()
        assert "Left a voicemail." in page
        assert 'name="notes-0-text"' not in page or "notes-1-text" in page

    def test_patient_details_are_read_only(self, front_desk_a, inbox):
        item = inbox["a_new"]
        client_for(front_desk_a).post(
            change_url(item), handling_data(item, name="Changed", email="changed@example.org")
        )
        item.refresh_from_db()
        assert (item.name, item.email) == ("Alice Alpha", "alice@example.org")


class TestExport:
    def export(self, user, query=""):
        url = reverse("admin:appointments_consultationrequest_export") + query
        return client_for(user).get(url)

    def test_it_exports_the_filtered_list_of_own_brands_and_logs_it(self, front_desk_a, inbox):
        response = self.export(front_desk_a, "?status__exact=new")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(content_of(response).decode())))
        assert rows[0][:3] == ["Reference", "Received", "Status"]
        assert [row[0] for row in rows[1:]] == [inbox["a_new"].reference]
        # The access record for the whole export: who, how many, which filter, before
        # and after.
        started, ended = AccessRecord.objects.order_by("pk")
        assert (ended.user, ended.action) == (front_desk_a, "export")
        assert (started.detail, ended.detail) == (
            "1 rows to send; filter: status",
            "1 rows sent; filter: status",
        )
        assert not LogEntry.objects.exists()

    def test_spreadsheet_formulas_are_neutralised(self, front_desk_a, brand_a):
        for name in ('=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\tTab"):
            make_request(brand_a, name=name, preference_note="=cmd|' /C calc'!A0")
        rows = list(csv.reader(io.StringIO(content_of(self.export(front_desk_a)).decode())))
        for row in rows[1:]:
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t"), cell

    @pytest.mark.parametrize(
        "query", ["?no_such_field=1", "?status__exact=new&location__id__exact=abc"]
    )
    def test_an_unknown_filter_is_answered_like_the_list_does(self, front_desk_a, inbox, query):
        response = self.export(front_desk_a, query)
        changelist = reverse("admin:appointments_consultationrequest_changelist")
        assert response.status_code == 302 and response["Location"] == f"{changelist}?e=1"
        assert not AccessRecord.objects.exists()  # nothing was exported

    def test_editors_cannot_export(self, editor_a, inbox):
        assert self.export(editor_a).status_code == 403


class TestScheduling:
    confirmed = datetime(2026, 11, 24, 10, 0, tzinfo=NY)

    def schedule(self, user, item, when=None, host=None):
        when = when or self.confirmed
        data = handling_data(
            item,
            status=RequestStatus.SCHEDULED,
            # The admin shows and reads times in the clinic's own zone (New York here).
            confirmed_slot_0=when.astimezone(NY).strftime("%Y-%m-%d"),
            confirmed_slot_1=when.astimezone(NY).strftime("%H:%M:%S"),
        )
        client = client_for(user) if host is None else client_for(user, host=host)
        return client.post(change_url(item), data, follow=True)

    def test_scheduling_books_the_slot_and_sends_a_confirmation(
        self, monday, front_desk_a, inbox, django_capture_on_commit_callbacks
    ):
        item = inbox["a_new"]
        with django_capture_on_commit_callbacks(execute=True):
            response = self.schedule(front_desk_a, item)
        assert response.status_code == 200
        booked = SlotBooking.objects.get()
        assert (booked.request, booked.starts_at) == (item, self.confirmed)
        # Its whole half hour is held: six five-minute steps of the one seat.
        assert booked.ends_at - booked.starts_at == timedelta(minutes=30)
        assert [seat.seat for seat in booked.seats.order_by("at")] == [1] * 6
        confirmation = [m for m in mail.outbox if "confirmed" in m.subject]
        assert confirmation and confirmation[0].attachments[0][0] == "consultation.ics"
        assert item.notifications.filter(kind=NotificationKind.CONFIRMATION).exists()

    def test_a_full_slot_is_refused_and_nothing_changes(
        self, monday, front_desk_a, inbox, brand_a, place
    ):
        first = inbox["a_new"]
        second = make_request(brand_a, place, name="Second patient")
        self.schedule(front_desk_a, first)
        response = self.schedule(front_desk_a, second)
        assert "already fully booked" in response.content.decode()
        second.refresh_from_db()
        assert second.status == RequestStatus.NEW and second.confirmed_slot is None
        assert SlotBooking.objects.count() == 1

    def test_a_larger_slot_takes_several_patients(self, monday, front_desk_a, brand_a, place):
        place.slot_capacity = 2
        place.save()
        patients = [make_request(brand_a, place, name=f"P{n}") for n in range(3)]
        for patient in patients:
            self.schedule(front_desk_a, patient)
        assert SlotBooking.objects.count() == 2

    @pytest.mark.parametrize(
        ("when", "message"),
        [
            (datetime(2026, 11, 22, 10, 0, tzinfo=NY), "must be in the future"),
            (datetime(2026, 11, 28, 10, 0, tzinfo=NY), "is not open for the whole of that time"),
            (datetime(2026, 11, 24, 16, 15, tzinfo=NY), "is not open for the whole of that time"),
        ],
    )
    def test_impossible_times_are_refused(self, monday, front_desk_a, inbox, when, message):
        response = self.schedule(front_desk_a, inbox["a_new"], when)
        assert message in response.content.decode()
        assert not SlotBooking.objects.exists()

    def test_unscheduling_frees_the_seat(self, monday, front_desk_a, inbox):
        item = inbox["a_new"]
        self.schedule(front_desk_a, item)
        client_for(front_desk_a).post(
            reverse(LIST), {"action": "mark_declined", "_selected_action": [item.pk]}
        )
        assert not SlotBooking.objects.exists()


# Two staff members confirming at the same moment: tests/appointments/test_overlap.py.


def test_brand_b_staff_on_their_host_see_only_b(staff_b, inbox):
    body = client_for(staff_b, host=HOST_B).get(reverse(LIST)).content.decode()
    assert inbox["b_new"].reference in body and inbox["a_new"].reference not in body


def test_the_index_link_opens_the_brands_new_requests(front_desk_a, inbox):
    client = client_for(front_desk_a)
    soup = BeautifulSoup(client.get(reverse("admin:index")).content, "html.parser")
    link = soup.select_one("#new-requests a")["href"]
    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert inbox["a_new"].reference in body and inbox["a_contacted"].reference not in body


def test_the_admin_shows_times_in_the_clinics_own_zone(monday, front_desk_a, inbox):
    item = inbox["a_new"]
    item.confirmed_slot = datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("UTC"))
    item.save()
    page = client_for(front_desk_a).get(change_url(item))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("input", {"name": "confirmed_slot_1"})["value"] == "10:00:00"
