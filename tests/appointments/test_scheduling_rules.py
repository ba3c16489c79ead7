"""Whatever schedules a consultation (the inbox's form, its free times, the patient's
own page, a script), the services refuse a time the clinic cannot keep, and nothing
changes: no seat is held and nobody is told."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appointments import services
from appointments.models import RequestStatus, SlotBooking
from outbox.models import Message
from tests.appointments.test_inbox_admin import make_request
from tests.factories import reference_location

NY = ZoneInfo("America/New_York")


@pytest.fixture
def monday():
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=NY), tick=False):
        yield


@pytest.fixture
def item(brand_a, monday):
    return make_request(brand_a, reference_location(brand_a, slug="downtown"))


def schedule(item, when):
    services.handle(
        item, status=RequestStatus.SCHEDULED, confirmed_slot=when, assignee=None, user=None
    )


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        (datetime(2026, 11, 23, 9, 0, tzinfo=NY), "in the future"),  # an hour ago
        (datetime(2026, 11, 28, 10, 0, tzinfo=NY), "not open"),  # a Saturday
        (datetime(2026, 11, 24, 16, 15, tzinfo=NY), "not open"),  # ends after 16:30
        (None, "Give the confirmed time"),
    ],
    ids=["past", "closed-day", "past-closing", "no-time"],
)
def test_a_time_the_clinic_cannot_keep_is_refused_and_nothing_changes(item, when, reason):
    with pytest.raises(ValidationError, match=reason):
        schedule(item, when)
    item.refresh_from_db()
    assert item.status == RequestStatus.NEW and item.confirmed_slot is None
    assert not SlotBooking.objects.exists()
    assert not Message.objects.filter(kind="confirmation").exists()


def test_a_request_without_a_location_cannot_be_scheduled(brand_a, monday):
    homeless = make_request(brand_a)
    with pytest.raises(ValidationError, match="Set a location"):
        schedule(homeless, datetime(2026, 11, 24, 9, 0, tzinfo=NY))


def test_a_time_within_the_hours_is_booked_and_an_unchanged_one_is_not_checked_again(item):
    tuesday = datetime(2026, 11, 24, 9, 0, tzinfo=NY)
    schedule(item, tuesday)
    assert SlotBooking.objects.count() == 1
    with time_machine.travel(datetime(2026, 11, 25, 9, 0, tzinfo=NY), tick=False):
        # A day later the time is past; assigning someone keeps it without a complaint.
        services.handle(item, status=RequestStatus.SCHEDULED, confirmed_slot=tuesday, assignee=None)
    item.refresh_from_db()
    assert item.status == RequestStatus.SCHEDULED and item.confirmed_slot == tuesday


def test_only_a_scheduled_consultation_is_cancelled_and_always_with_a_reason(item):
    """The cancellation rule is the services', whoever calls them (a script too)."""
    with pytest.raises(ValidationError, match="Only a scheduled consultation"):
        services.cancel(item, reason="Double booked.", user=None)
    item.refresh_from_db()
    assert item.status == RequestStatus.NEW
    schedule(item, datetime(2026, 11, 24, 9, 0, tzinfo=NY))
    for blank in ("", "   \n"):
        with pytest.raises(ValidationError, match="Say why it is cancelled"):
            services.cancel(item, reason=blank, user=None)
    item.refresh_from_db()
    assert item.status == RequestStatus.SCHEDULED and SlotBooking.objects.exists()
    assert not Message.objects.filter(kind="cancellation").exists()
    services.cancel(item, reason="The clinician is ill.", user=None)
    item.refresh_from_db()
    assert item.status == RequestStatus.CANCELLED and not SlotBooking.objects.exists()
    assert Message.objects.filter(kind="cancellation").count() == 1


def test_only_a_scheduled_consultation_is_moved(item):
    tuesday_9, tuesday_11 = (datetime(2026, 11, 24, h, 0, tzinfo=NY) for h in (9, 11))
    with pytest.raises(ValidationError, match="Only a scheduled consultation can be moved"):
        services.reschedule(item, tuesday_9, user=None)
    item.refresh_from_db()
    assert item.status == RequestStatus.NEW and not SlotBooking.objects.exists()
    schedule(item, tuesday_9)
    services.reschedule(item, tuesday_11, user=None)
    item.refresh_from_db()
    assert item.confirmed_slot == tuesday_11
    assert Message.objects.filter(kind="reschedule").count() == 1
