"""Messages to patients and to the clinic about consultation requests.

They are rows of the one outbox (``outbox.sending``: written in the request's
transaction, sent and retried by its one sender); this module decides which rows a
change writes and composes each message when it is sent. Staff e-mails carry no name,
contact detail or message, not even the topic: only the reference, brand, location and
a link to the admin.
"""

from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from appointments import ics
from appointments.models import (
    ConsultationRequest,
    ContactMethod,
    NotificationKind,
    RequestStatus,
)
from clinic import links
from outbox import kinds, sending
from outbox.models import Channel, Message


def queue(request: ConsultationRequest, *kind_names: str) -> list[Message]:
    """Write messages about ``request``; they are sent once the transaction commits."""
    if request.status == RequestStatus.SPAM:
        return []
    return sending.write(request, *kind_names, brand_id=request.brand_id)


def queue_for_new_request(request: ConsultationRequest) -> list[Message]:
    rows = queue(request, NotificationKind.INBOX, NotificationKind.ACKNOWLEDGMENT)
    return rows + _queue_text(request, NotificationKind.ACKNOWLEDGMENT)


def wants_texts(request: ConsultationRequest) -> bool:
    return request.contact_method == ContactMethod.TEXT and bool(request.phone)


def _details(request, previous_slot=None) -> dict:
    """What a message about the confirmed time must say as it was when written."""
    return {"previous_slot": previous_slot, "calendar_sequence": request.calendar_sequence}


def previous_slot(row: Message) -> datetime | None:
    """The time a change of the confirmed time replaced (None: there was none)."""
    value = row.details.get("previous_slot")
    if isinstance(value, datetime):  # a row not yet saved
        return value
    return parse_datetime(value) if value else None


def calendar_sequence(row: Message) -> int:
    """The calendar event's version a message carries."""
    return int(row.details.get("calendar_sequence") or 0)


def _queue_text(request, kind, *, previous_slot=None, due=None) -> list[Message]:
    """The same news as a text message, for a patient who chose texts (the e-mail still
    goes: it carries the calendar file and the whole message)."""
    if not wants_texts(request) or request.status == RequestStatus.SPAM:
        return []
    return sending.write(
        request,
        kind,
        brand_id=request.brand_id,
        channel=Channel.TEXT,
        details=_details(request, previous_slot),
        due=due,  # a reminder waits for the sender, when it falls due
    )


REMINDER_BEFORE = timedelta(days=1)

# The messages that give the confirmed time (and carry its calendar event).
BOOKED_KINDS = (NotificationKind.CONFIRMATION, NotificationKind.RESCHEDULE)
# The e-mails about a confirmed time: only the newest one not yet sent is still true.
TIME_KINDS = (
    NotificationKind.CONFIRMATION,
    NotificationKind.RESCHEDULE,
    NotificationKind.CANCELLATION,
)


def _queue_time_change(request, kind, previous_slot=None) -> list[Message]:
    """Write the e-mail about the request's confirmed time; one still waiting to go
    about an earlier change says something no longer true and is dropped."""
    if request.status == RequestStatus.SPAM:
        return []
    # A reminder still waiting is about a time that no longer holds either.
    sending.withdraw_pending(request, *TIME_KINDS, NotificationKind.REMINDER)
    rows = sending.write(
        request, kind, brand_id=request.brand_id, details=_details(request, previous_slot)
    )
    rows += _queue_reminder(request, kind)
    return rows + _queue_text(request, kind, previous_slot=previous_slot)


def _queue_reminder(request, kind) -> list[Message]:
    """The reminder of a confirmed time, due the day before: a row in the outbox, so a
    restart loses nothing; the sender sends it when it falls due. Not for a time less
    than a day away (its confirmation has just gone)."""
    if kind not in BOOKED_KINDS:
        return []
    due = request.confirmed_slot - REMINDER_BEFORE
    if due <= timezone.now():
        return []
    reminder = sending.write(
        request,
        NotificationKind.REMINDER,
        brand_id=request.brand_id,
        details=_details(request),
        due=due,
    )
    return reminder + _queue_text(request, NotificationKind.REMINDER, due=due)


def queue_confirmation(request: ConsultationRequest) -> list[Message]:
    return _queue_time_change(request, NotificationKind.CONFIRMATION)


def queue_reschedule(request: ConsultationRequest, earlier) -> list[Message]:
    return _queue_time_change(request, NotificationKind.RESCHEDULE, earlier)


def queue_cancellation(request: ConsultationRequest, earlier) -> list[Message]:
    return _queue_time_change(request, NotificationKind.CANCELLATION, earlier)


def compose(row: Message):
    """The e-mail or text of one row about a consultation request, as it is sent
    (None: nobody to send it to; raises ``kinds.NotSent`` when it is not to go)."""
    from appointments import texts

    request = (
        ConsultationRequest.objects.across_brands()
        .select_related("brand", "location")
        .filter(pk=row.about_id)
        .first()
    )
    if request is None or request.status == RequestStatus.SPAM or request.anonymised_at:
        raise kinds.NotSent("withdrawn")
    if row.kind == NotificationKind.REMINDER and not _still_true(row, request):
        raise kinds.NotSent("no longer true")  # moved or cancelled since: its own message said so
    if row.kind in BOOKED_KINDS and request.confirmed_slot is None:
        raise kinds.NotSent("no longer true")  # cancelled since: the cancellation says so
    if row.channel == Channel.TEXT:
        manage_url = links.on_site(request.brand, _manage_path(request))
        return texts.build(row.kind, request, previous_slot(row), manage_url)
    return build_message(row, request)


def label(row: Message) -> str:
    """A request is named in logs by its reference (never by the patient)."""
    reference = (
        ConsultationRequest.objects.across_brands()
        .filter(pk=row.about_id)
        .values_list("reference", flat=True)
        .first()
    )
    return f"request {reference or row.about_id}"


# --- the messages -------------------------------------------------------------------


def _sender(brand) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    # A display name can never break out of its header, whatever the brand is called.
    return formataddr((" ".join(brand.name.split()), address))


def _manage_path(request) -> str:
    from appointments import self_service

    return self_service.link_for(request)


def _still_true(reminder: Message, request) -> bool:
    """Is the consultation a reminder was written for still booked at that time?"""
    return request.is_booked_ahead and request.calendar_sequence == calendar_sequence(reminder)


# Told to the clinic's inbox (no patient details), in the site's main language.
FOR_THE_CLINIC = (NotificationKind.INBOX, NotificationKind.PATIENT_CHANGE)


def build_message(row: Message, request: ConsultationRequest) -> EmailMultiAlternatives | None:
    """The e-mail of one outbox row, composed as it is sent.

    A patient's e-mail (and its calendar file and links) is in the language they chose
    on the form; the brand's inbox announcement is in the site's main language.
    """
    for_staff = row.kind in FOR_THE_CLINIC
    with translation.override(settings.LANGUAGE_CODE if for_staff else request.language):
        return _compose(row, request)


def _compose(row: Message, request) -> EmailMultiAlternatives | None:
    brand = request.brand
    earlier = previous_slot(row)
    context = {
        "request": request,
        "brand": brand,
        "location": request.location,
        "previous_slot": earlier,
        "book_again_url": links.on_site(brand, reverse("appointments:form")),
        "admin_url": links.on_site(
            brand, reverse("admin:appointments_consultationrequest_change", args=[request.pk])
        ),
        "site_url": links.on_site(brand, reverse("clinic:home")),
        # The patient's own page (signed, no personal data in it): see, move or cancel.
        "manage_url": links.on_site(brand, _manage_path(request)),
    }
    if row.kind in FOR_THE_CLINIC:
        recipients, reply_to = brand.alert_recipients(), None
    else:
        recipients, reply_to = [request.email], brand.public_email or None
    if not any(recipients):
        return None
    base = f"emails/{row.kind}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{base}_body.txt", context),
        from_email=_sender(brand),
        to=recipients,
        reply_to=[reply_to] if reply_to else None,
        headers=sending.headers(row),
    )
    message.attach_alternative(render_to_string(f"{base}_body.html", context), "text/html")
    sequence = calendar_sequence(row)
    if row.kind in BOOKED_KINDS:
        message.attach(
            "consultation.ics",
            ics.consultation_event(request, sequence=sequence),
            "text/calendar; method=REQUEST",
        )
    elif row.kind == NotificationKind.CANCELLATION:
        message.attach(
            "consultation.ics",
            ics.cancelled_event(request, earlier, sequence=sequence),
            "text/calendar; method=CANCEL",
        )
    return message
