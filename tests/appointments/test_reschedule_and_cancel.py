"""Cancel and reschedule reach the patient (issue 30, item 2): one calendar event per
consultation, moved or cancelled, and e-mails that say what no longer holds."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from icalendar import Calendar

from appointments import services
from appointments.models import (
    ConsultationRequest,
    NotificationKind,
    OccupiedSeat,
    RequestStatus,
)
from outbox import sending
from outbox.models import Message
from tests.appointments.test_inbox_admin import change_url, handling_data, make_request
from tests.conftest import client_for
from tests.factories import reference_location, topic

NY = ZoneInfo("America/New_York")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=NY)
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=NY)
WEDNESDAY_11 = datetime(2026, 11, 25, 11, 0, tzinfo=NY)


@pytest.fixture(autouse=True)
def monday(settings):
    # The sender sends, as in production (and the tests say when: ``to_patient``).
    settings.NOTIFICATIONS_SENT_FROM = "sender"
    with time_machine.travel(MONDAY_9, tick=False):
        yield


@pytest.fixture
def patient(brand_a):
    place = reference_location(brand_a, slug="downtown", name="Downtown clinic")
    return make_request(
        brand_a,
        place,
        name="Ana Patient",
        email="ana@example.org",
        topic=topic("ptsd"),
        message="Nightmares since the accident.",
    )


def post(user, item, **fields):
    data = handling_data(item, **fields)
    return client_for(user).post(change_url(item), data, follow=True)


def schedule(user, item, when, **fields):
    return post(
        user,
        item,
        status=RequestStatus.SCHEDULED,
        confirmed_slot_0=when.strftime("%Y-%m-%d"),
        confirmed_slot_1=when.strftime("%H:%M:%S"),
        **fields,
    )


def cancel(user, item, reason="The clinician is ill."):
    item.refresh_from_db()
    return post(
        user,
        item,
        status=RequestStatus.CANCELLED,
        confirmed_slot_0=item.confirmed_slot.astimezone(NY).strftime("%Y-%m-%d"),
        confirmed_slot_1=item.confirmed_slot.astimezone(NY).strftime("%H:%M:%S"),
        cancel_reason=reason,
    )


def to_patient():
    sending.send_due()
    return [m for m in mail.outbox if m.to == ["ana@example.org"]]


def event_of(message):
    _name, content, mimetype = message.attachments[0]
    calendar = Calendar.from_ical(content)
    return calendar, calendar.walk("VEVENT")[0], mimetype


def test_a_new_time_moves_the_one_event_and_says_the_old_one_is_gone(front_desk_a, patient):
    schedule(front_desk_a, patient, TUESDAY_10)
    confirmation = to_patient()[-1]
    _calendar, first, _mimetype = event_of(confirmation)
    schedule(front_desk_a, patient, WEDNESDAY_11)
    moved = to_patient()[-1]
    assert moved is not confirmation and "has moved" in moved.subject
    assert "Wednesday, November 25, 2026, 11:00 AM" in moved.body
    assert "No longer: Tuesday, November 24, 2026, 10:00 AM" in moved.body
    assert "Please do not come at that time." in moved.body
    calendar, event, mimetype = event_of(moved)
    assert mimetype == "text/calendar; method=REQUEST"
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == str(first["uid"])  # the same event ...
    assert int(event["sequence"]) > int(first["sequence"])  # ... in a newer version
    assert event.decoded("dtstart") == WEDNESDAY_11
    # The seats moved with it.
    held = OccupiedSeat.objects.filter(booking__request=patient)
    assert min(held.values_list("at", flat=True)) == WEDNESDAY_11


def test_the_calendar_event_reminds_the_patient_the_day_before(front_desk_a, patient):
    """Issue 32, item 5 (its calendar part): an alarm a day ahead, naming the clinic and
    nothing about why; a moved event keeps it."""
    from datetime import timedelta

    schedule(front_desk_a, patient, TUESDAY_10)
    message = to_patient()[-1]
    _calendar, event, _mimetype = event_of(message)
    (alarm,) = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == -timedelta(days=1)
    assert str(alarm["description"]) == "Consultation with Alpha Wellness tomorrow"
    assert "Nightmares" not in str(message.attachments[0][1])
    schedule(front_desk_a, patient, WEDNESDAY_11)
    _calendar, moved, _mimetype = event_of(to_patient()[-1])
    assert len(moved.walk("VALARM")) == 1


def test_cancelling_frees_the_seats_records_who_and_tells_the_patient(front_desk_a, patient):
    schedule(front_desk_a, patient, TUESDAY_10)
    first = event_of(to_patient()[-1])[1]
    cancel(front_desk_a, patient)
    patient.refresh_from_db()
    assert patient.status == RequestStatus.CANCELLED
    assert patient.confirmed_slot is None and patient.cancelled_slot == TUESDAY_10
    assert (patient.cancelled_by, patient.cancel_reason) == (front_desk_a, "The clinician is ill.")
    assert patient.cancelled_at is not None
    assert not OccupiedSeat.objects.exists()
    message = to_patient()[-1]
    assert "is cancelled" in message.subject and "November 24" in message.subject
    assert "Tuesday, November 24, 2026, 10:00 AM" in message.body
    assert "http://brand-a.localhost:8000/consultation/" in message.body  # book again
    # Plain words, no health detail, and not the staff's reason.
    for text in (message.subject, message.body, message.alternatives[0][0]):
        assert "PTSD" not in text and "Nightmares" not in text and "ill" not in text
    calendar, event, mimetype = event_of(message)
    assert mimetype == "text/calendar; method=CANCEL"
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == str(first["uid"])
    assert int(event["sequence"]) > int(first["sequence"])
    # The request's page shows the cancellation to staff.
    page = client_for(front_desk_a).get(change_url(patient))
    shown = BeautifulSoup(page.content, "html.parser").select_one(".field-cancellation")
    assert "cancelled on" in shown.get_text() and "The patient was told" in shown.get_text()


def test_a_cancellation_needs_a_reason_and_a_scheduled_consultation(front_desk_a, patient):
    answer = post(front_desk_a, patient, status=RequestStatus.CANCELLED, cancel_reason="x")
    assert "Only a scheduled consultation can be cancelled" in answer.content.decode()
    schedule(front_desk_a, patient, TUESDAY_10)
    for reason in ("", "   "):
        answer = cancel(front_desk_a, patient, reason=reason)
        assert "Say why it is cancelled" in answer.content.decode()
    answer = cancel(front_desk_a, patient, reason="R" * 501)
    assert "at most 500 characters" in answer.content.decode()
    patient.refresh_from_db()
    assert patient.status == RequestStatus.SCHEDULED and patient.confirmed_slot == TUESDAY_10
    hostile = cancel(front_desk_a, patient, reason="<script>alert(1)</script> ' OR 1=1 --")
    assert "<script>alert(1)</script>" not in hostile.content.decode()
    patient.refresh_from_db()
    assert patient.cancel_reason == "<script>alert(1)</script> ' OR 1=1 --"


def test_declining_a_scheduled_consultation_tells_the_patient_too(front_desk_a, patient):
    schedule(front_desk_a, patient, TUESDAY_10)
    to_patient()  # the confirmation goes
    mail.outbox.clear()
    services.set_status(patient, RequestStatus.DECLINED, user=front_desk_a)
    (message,) = to_patient()
    assert "is cancelled" in message.subject
    patient.refresh_from_db()
    assert patient.confirmed_slot is None and patient.cancelled_slot == TUESDAY_10


@pytest.mark.parametrize("status", [RequestStatus.COMPLETED, RequestStatus.SPAM])
def test_completing_or_spam_sends_nothing(front_desk_a, patient, status):
    schedule(front_desk_a, patient, TUESDAY_10)
    to_patient()
    mail.outbox.clear()
    services.set_status(patient, status, user=front_desk_a)
    assert not to_patient()
    assert not OccupiedSeat.objects.exists()
    patient.refresh_from_db()
    assert patient.confirmed_slot == TUESDAY_10  # when it was stays on record


def test_a_time_already_past_is_not_cancelled_to_the_patient(front_desk_a, patient):
    schedule(front_desk_a, patient, TUESDAY_10)
    to_patient()  # the confirmation goes
    mail.outbox.clear()
    with time_machine.travel(TUESDAY_10 + timedelta(hours=2), tick=False):
        services.set_status(patient, RequestStatus.DECLINED, user=front_desk_a)
    assert not to_patient()


def test_only_the_newest_time_e_mail_waits_in_the_outbox(front_desk_a, patient):
    """With the sender down, a confirmation then a move: the patient gets one e-mail,
    the true one, with the outbox's retry."""
    services.handle(patient, status=RequestStatus.SCHEDULED, confirmed_slot=TUESDAY_10)
    services.handle(patient, status=RequestStatus.SCHEDULED, confirmed_slot=WEDNESDAY_11)
    waiting = Message.objects.filter(consultation__pk=patient.pk, status="pending")
    # The true e-mail, and the reminder of the new time (due the day before it).
    assert sorted(waiting.values_list("kind", flat=True)) == [
        NotificationKind.REMINDER,
        NotificationKind.RESCHEDULE,
    ]
    sending.send_due()
    (message,) = to_patient()
    assert "Wednesday, November 25" in message.body


def test_the_request_shows_its_state_everywhere(front_desk_a, patient):
    schedule(front_desk_a, patient, TUESDAY_10)
    cancel(front_desk_a, patient)
    listing = client_for(front_desk_a).get(
        "/admin/appointments/consultationrequest/?status__exact=cancelled"
    )
    assert patient.reference in listing.content.decode()
    assert "Consultation cancelled" in listing.content.decode()
    export = client_for(front_desk_a).get(
        "/admin/appointments/consultationrequest/export/?status__exact=cancelled"
    )
    body = b"".join(export.streaming_content).decode()
    assert "Consultation cancelled" in body
    assert ConsultationRequest.objects.get().status == RequestStatus.CANCELLED


def test_the_inbox_says_which_time_is_confirmed(front_desk_a, patient, brand_a):
    from django.urls import reverse

    listing = reverse("admin:appointments_consultationrequest_changelist")
    schedule(front_desk_a, patient, TUESDAY_10)
    cell = BeautifulSoup(client_for(front_desk_a).get(listing).content, "html.parser").select_one(
        "td.field-when"
    )
    assert cell.get_text(" ", strip=True) == "Confirmed Tue Nov 24, 10:00 EST"
    cancel(front_desk_a, patient)
    cell = BeautifulSoup(client_for(front_desk_a).get(listing).content, "html.parser").select_one(
        "td.field-when"
    )
    assert cell.get_text(" ", strip=True) == "Cancelled: Tue Nov 24, 10:00 EST"


def test_the_dashboard_names_today_s_and_tomorrow_s_patients(front_desk_a, patient):
    schedule(front_desk_a, patient, TUESDAY_10)
    panel = BeautifulSoup(client_for(front_desk_a).get("/admin/").content, "html.parser")
    listed = panel.select_one("#panel-consultations").get_text(" ", strip=True)
    assert "10:00 AM EST · Ana Patient" in listed and patient.reference in listed


# Issue 30, item 4: scheduling in two clicks -----------------------------------------


def confirm_url(item):
    from django.urls import reverse

    return reverse("admin:appointments_consultationrequest_confirm_time", args=[item.pk])


def test_the_preferred_time_is_offered_first_and_one_click_confirms_it(front_desk_a, patient):
    patient.preferred_slot = WEDNESDAY_11
    patient.save()
    page = BeautifulSoup(client_for(front_desk_a).get(change_url(patient)).content, "html.parser")
    buttons = page.select(".field-free_times button[name=slot]")
    assert buttons[0]["value"] == WEDNESDAY_11.astimezone(ZoneInfo("UTC")).isoformat()
    assert "preferred time" in buttons[0].get_text() and "Wed Nov 25, 11:00 EST" in (
        buttons[0].get_text()
    )
    assert all(b["form"] == "confirm-time-form" for b in buttons)  # not the main form
    assert page.select_one("form#confirm-time-form input[name=csrfmiddlewaretoken]")
    client_for(front_desk_a).post(confirm_url(patient), {"slot": buttons[0]["value"]})
    patient.refresh_from_db()
    assert patient.status == RequestStatus.SCHEDULED and patient.confirmed_slot == WEDNESDAY_11
    assert "is confirmed" in to_patient()[-1].subject


def test_every_free_time_of_the_two_weeks_is_offered_day_by_day(front_desk_a, patient, brand_a):
    """Not only the next few: the whole two weeks the public form offers, a row a day,
    with a taken time left out and any of them one click from confirmed."""
    from appointments.slots import open_slots

    other = make_request(brand_a, patient.location, name="Other")
    services.handle(other, status=RequestStatus.SCHEDULED, confirmed_slot=TUESDAY_10)
    offered = [s.starts_at for s in open_slots([patient.location])[patient.location.pk]]
    page = BeautifulSoup(client_for(front_desk_a).get(change_url(patient)).content, "html.parser")
    every = page.select(".free-times-all button[name=slot]")
    assert [b["value"] for b in every] == [at.isoformat() for at in offered]
    assert TUESDAY_10.astimezone(ZoneInfo("UTC")).isoformat() not in [b["value"] for b in every]
    days = [d.select_one(".free-day-name").get_text() for d in page.select(".free-day")]
    assert days[0] == "Monday, Nov. 23" and "Thursday, Dec. 3" in days  # two weeks
    assert len(days) == len({at.astimezone(NY).date() for at in offered})
    summary = page.select_one(".free-times-all summary").get_text()
    assert f"({len(offered)})" in summary
    # A time of the second week, by its full name for screen readers, confirms it.
    later = next(b for b in every if "December 03, 15:00 EST" in b["aria-label"])
    assert later.get_text(strip=True) == "15:00 EST"
    client_for(front_desk_a).post(confirm_url(patient), {"slot": later["value"]})
    patient.refresh_from_db()
    assert patient.confirmed_slot == datetime(2026, 12, 3, 15, 0, tzinfo=NY)


@pytest.mark.parametrize(
    "slot",
    [
        "",
        "garbage",
        "<script>alert(1)</script>",
        "2026-11-24T10:00:00",  # no zone
        "2026-11-22T15:00:00+00:00",  # past
        "2026-11-28T15:00:00+00:00",  # Saturday: closed
        "9" * 500,
    ],
)
def test_a_made_up_time_is_refused_with_a_reason(front_desk_a, patient, slot):
    answer = client_for(front_desk_a).post(confirm_url(patient), {"slot": slot}, follow=True)
    assert answer.status_code == 200
    text = BeautifulSoup(answer.content, "html.parser").select_one(".messagelist").get_text()
    assert "not a time" in text or "must be in the future" in text or "not open" in text
    patient.refresh_from_db()
    assert patient.status == RequestStatus.NEW and not to_patient()


def test_a_time_taken_meanwhile_is_refused(front_desk_a, patient, brand_a):
    other = make_request(brand_a, patient.location, name="Other")
    services.handle(other, status=RequestStatus.SCHEDULED, confirmed_slot=TUESDAY_10)
    answer = client_for(front_desk_a).post(
        confirm_url(patient),
        {"slot": (TUESDAY_10 + timedelta(minutes=10)).isoformat()},
        follow=True,
    )
    assert "already fully booked" in answer.content.decode()
    patient.refresh_from_db()
    assert patient.confirmed_slot is None


def test_only_staff_of_the_clinic_confirm(patient, staff_b, editor_a):
    for user, codes in ((staff_b, (404,)), (editor_a, (403, 404))):
        answer = client_for(user).post(confirm_url(patient), {"slot": TUESDAY_10.isoformat()})
        assert answer.status_code in codes
    assert client_for(staff_b).get(confirm_url(patient)).status_code in (404, 405)
    patient.refresh_from_db()
    assert patient.confirmed_slot is None
