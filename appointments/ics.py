"""The one calendar event of a confirmed consultation, as the patient's calendar sees it.

Every message about the consultation's time carries the same event (UID: the request's
reference), each change with a higher SEQUENCE: the first confirmation adds it, a new
time moves it (METHOD:REQUEST), a cancellation removes it (METHOD:CANCEL), instead of
a second event beside the first.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Clinic portal//Consultations//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def _event(request, starts_at, sequence: int) -> Event:
    location = request.location
    event = Event()
    event.add("uid", f"{request.reference}@{request.brand.primary_domain or 'clinic'}")
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=location.consult_minutes))
    # In the language the patient chose (the e-mail composing it is in it).
    event.add("summary", _("Consultation · %(brand)s") % {"brand": request.brand.name})
    event.add("location", f"{location.name}, {location.address_line}")
    organizer = request.brand.public_email
    if organizer:
        event.add("organizer", f"mailto:{organizer}")
    # The patient's own address, in the patient's own e-mail: calendars that follow
    # invitations (iTIP) match a move or a cancellation to the event through it.
    if request.email:
        event.add("attendee", f"mailto:{request.email}", parameters={"RSVP": "FALSE"})
    return event


def consultation_event(request, *, sequence: int | None = None) -> bytes:
    """The event at the request's confirmed time (a first confirmation or a move)."""
    calendar = _calendar("REQUEST")
    event = _event(
        request,
        request.confirmed_slot,
        request.calendar_sequence if sequence is None else sequence,
    )
    phone = request.location.phone_or_brand
    contact = phone.as_national if phone else request.brand.name
    event.add("status", "CONFIRMED")
    event.add(
        "description",
        _("Reference %(reference)s. To change or cancel, call %(phone)s.")
        % {"reference": request.reference, "phone": contact},
    )
    event.add_component(_reminder(request))
    calendar.add_component(event)
    return calendar.to_ical()


# The calendar reminds the patient the day before (issue 32, item 5): the brand's name
# and the time only, nothing about why.
REMINDER_BEFORE = timedelta(days=1)


def _reminder(request) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -REMINDER_BEFORE)
    alarm.add(
        "description", _("Consultation with %(brand)s tomorrow") % {"brand": request.brand.name}
    )
    return alarm


def cancelled_event(request, starts_at, *, sequence: int) -> bytes:
    """The same event, cancelled: calendars remove it."""
    calendar = _calendar("CANCEL")
    event = _event(request, starts_at, sequence)
    event.add("status", "CANCELLED")
    event.add(
        "description",
        _("Reference %(reference)s. This consultation is cancelled.")
        % {"reference": request.reference},
    )
    calendar.add_component(event)
    return calendar.to_ical()
