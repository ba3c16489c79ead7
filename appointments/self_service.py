"""The patient's own link to their consultation: signed, expiring, and replaced by the
next one we send.

The link carries only the request's number and the version of its time (its calendar
sequence), signed with the site's secret: no name, e-mail or reference. Each new
confirmation, move or cancellation raises the version, so a link from an older e-mail
says so and points to the latest one. Whatever the patient does goes through the same
services as the admin (appointments.services): capacity, overlap and opening hours
included, the patient told by e-mail, the clinic told without patient details.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from appointments import audit, notify, services
from appointments.models import ConsultationRequest, NotificationKind, RequestStatus
from clinic.hours_text import moment_text

SALT = "appointments.self-service"
LIFETIME = timedelta(days=90)
# Changes one request may take through its link in an hour: enough for any patient,
# too few to use a leaked link to churn a clinic's calendar.
CHANGES_PER_HOUR = 6
OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.CONTACTED, RequestStatus.SCHEDULED)


def token_for(item: ConsultationRequest) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"r": item.pk, "v": item.calendar_sequence}
    )


def link_for(item: ConsultationRequest) -> str:
    """The page's path, in the patient's language."""
    with translation.override(item.language):
        return reverse("appointments:manage", args=[token_for(item)])


@dataclass(frozen=True)
class Opened:
    item: ConsultationRequest | None
    problem: str = ""  # "expired", "replaced" or "unknown"


def open_link(token: str, brand) -> Opened:
    """The request behind a link of this brand's site, or why there is none."""
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=LIFETIME.total_seconds()
        )
    except signing.SignatureExpired:
        return Opened(None, "expired")
    except (signing.BadSignature, ValueError, TypeError):
        return Opened(None, "unknown")
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return Opened(None, "unknown")
    item = (
        ConsultationRequest.objects.for_brand(brand)
        .select_related("location", "brand")
        .filter(pk=data["r"], anonymised_at__isnull=True)
        .first()
    )
    if item is None:
        return Opened(None, "unknown")
    if item.calendar_sequence != data.get("v"):
        return Opened(None, "replaced")
    return Opened(item)


def can_change(item: ConsultationRequest) -> bool:
    return item.status in OPEN_STATUSES


def over_limit(item: ConsultationRequest) -> bool:
    since = timezone.now() - timedelta(hours=1)
    return audit.patient_changes_since(item, since) >= CHANGES_PER_HOUR


def _recorded(item: ConsultationRequest, what: str, note: str) -> None:
    """The request's history: an access-record entry and a note for the front desk,
    and an e-mail to the clinic's inbox naming only the reference."""
    audit.changed_by_patient(item, what)
    services.add_note(item, note, author=None)
    notify.queue(item, NotificationKind.PATIENT_CHANGE)


def cancel(item: ConsultationRequest) -> None:
    """The patient cancels: seats freed, the patient sent the cancellation."""
    with transaction.atomic():
        services.cancel(item, reason="Cancelled by the patient through their link.", user=None)
        _recorded(item, "patient: cancelled", "The patient cancelled through their own link.")


def move(item: ConsultationRequest, slot) -> None:
    """The patient moves a confirmed consultation to another free time (ValidationError or
    booking.SlotFull when that time cannot be had; nothing changes then)."""
    with transaction.atomic():
        earlier = item.confirmed_slot
        services.reschedule(item, slot, user=None)
        with translation.override("en"):  # a note for the clinic's staff
            was = moment_text(earlier, item.location.zone) if earlier and item.location else ""
        _recorded(
            item,
            "patient: moved",
            f"The patient moved the consultation through their own link (was {was}).",
        )


def add_availability(item: ConsultationRequest, preferred_slot, note: str) -> None:
    """A patient not yet booked says which times suit them."""
    with transaction.atomic():
        fields = []
        if preferred_slot is not None:
            item.preferred_slot = preferred_slot
            fields.append("preferred_slot")
        if note:
            item.preference_note = note[:200]
            fields.append("preference_note")
        if not fields:
            return
        item.save(update_fields=[*fields, "updated"])
        _recorded(
            item,
            "patient: availability",
            "The patient added times that suit them through their own link.",
        )
