"""The consultation inbox's business rules, for every caller (admin, patient pages).

Plain functions with explicit transactions; the brand is the request's own. The admin
calls these, and nothing else changes a request's handling.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from appointments import booking, notify
from appointments.models import ConsultationRequest, RequestStatus


def handle(
    item: ConsultationRequest,
    *,
    status: str,
    confirmed_slot: datetime | None,
    assignee=None,
) -> None:
    """Apply a change of status, confirmed time and assignee, as one step.

    Scheduling takes a seat of the slot (moving the request's seat when it is
    rescheduled) and tells the patient; any other status gives the seat back. Raises
    ``booking.SlotFull``, with nothing changed, when the slot has no free seat.
    """
    with transaction.atomic():
        previous = dict(
            ConsultationRequest.objects.select_for_update()
            .filter(pk=item.pk)
            .values("status", "confirmed_slot")
            .first()
            or {}
        )
        item.status = status
        item.confirmed_slot = confirmed_slot
        item.assignee = assignee
        item.save()
        if status == RequestStatus.SCHEDULED:
            changed = previous != {"status": status, "confirmed_slot": confirmed_slot}
            if changed:
                booking.reserve(item, item.location, confirmed_slot)  # frees the old seat
                notify.queue_confirmation(item)
        else:
            booking.release(item)


def set_status(item: ConsultationRequest, status: str) -> None:
    """Change only the status (the list's actions); leaving "scheduled" frees the seat."""
    with transaction.atomic():
        item.status = status
        item.save(update_fields=["status", "updated"])
        if status != RequestStatus.SCHEDULED:
            booking.release(item)


def add_note(item: ConsultationRequest, text: str, author) -> None:
    from appointments.models import RequestNote

    RequestNote.objects.create(request=item, text=text, author=author)


# A resend within this time of the very same request (after a lost answer, a "back"
# and "send" again) finds the first one instead of making a second.
RESEND_WINDOW = timedelta(minutes=30)
_SAME_FIELDS = (
    "name",
    "email",
    "phone",
    "contact_method",
    "location",
    "topic",
    "treatment",
    "preferred_slot",
    "preference_note",
    "message",
)


def recent_duplicate(brand, client: str, data: dict) -> ConsultationRequest | None:
    """The same patient's identical request from this client in the last half hour."""
    recent = ConsultationRequest.objects.for_brand(brand).filter(
        client_hash=client, created__gte=timezone.now() - RESEND_WINDOW
    )
    for earlier in recent.order_by("-created")[:20]:
        if all(
            getattr(earlier, field) == (data.get(field) or _empty(earlier, field))
            for field in _SAME_FIELDS
        ):
            return earlier
    return None


def _empty(item: ConsultationRequest, field: str):
    """What the model stores for a field the form left empty ("" or None)."""
    return "" if isinstance(getattr(item, field), str) else None
