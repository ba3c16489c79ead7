"""An iCalendar invitation for a confirmed consultation."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event


def consultation_event(request) -> bytes:
    location = request.location
    calendar = Calendar()
    calendar.add("prodid", "-//Clinic portal//Consultations//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{request.reference}@{request.brand.primary_domain or 'clinic'}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", request.confirmed_slot)
    event.add("dtend", request.confirmed_slot + timedelta(minutes=location.consult_minutes))
    event.add("summary", f"Consultation · {request.brand.name}")
    event.add("location", f"{location.name}, {location.address_line}")
    phone = location.phone_or_brand
    contact = phone.as_national if phone else request.brand.name
    event.add("description", f"Reference {request.reference}. To change or cancel, call {contact}.")
    calendar.add_component(event)
    return calendar.to_ical()
