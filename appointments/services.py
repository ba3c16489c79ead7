"""The consultation inbox's business rules, for every caller (admin, patient pages).

Plain functions with explicit transactions; the brand is the request's own. The admin
calls these, and nothing else changes a request's handling.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from appointments import audit, booking, notify, ratelimit
from appointments.models import ConsultationRequest, RequestStatus
from clinic.models import BrandMembership, Role

# Who works requests: a brand's front desk and brand admins (never its editors).
ASSIGNABLE_ROLES = (Role.FRONT_DESK, Role.BRAND_ADMIN)


def assignable_users(brand_id):
    """Who may be assigned a request of this brand."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            brand_memberships__brand_id=brand_id,
            brand_memberships__role__in=ASSIGNABLE_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assign_to_self(queryset, user) -> int:
    """Assign to ``user`` those of the requests they may work (the brands where they
    are front desk or brand admin; a superuser, any); return how many."""
    if not user.is_superuser:
        allowed = BrandMembership.objects.filter(user=user, role__in=ASSIGNABLE_ROLES)
        queryset = queryset.filter(brand_id__in=allowed.values("brand_id"))
    with transaction.atomic():
        rows = list(queryset.select_related(None).only("pk", "brand_id", "reference"))
        count = queryset.update(assignee=user, updated=timezone.now())
        audit.changed_many(user, rows, "assignee")
    return count


def receive_request(brand, data: dict, *, client: str, is_spam: bool, article=None):
    """A patient's request, as the form cleaned it: counted against the sender's limit,
    saved with their consent, and the clinic told (never for spam). Raises
    ``ratelimit.LimitReached`` when the sender has sent too many."""
    with transaction.atomic():
        ratelimit.hold(brand, client)
        consultation = ConsultationRequest.objects.create(
            brand=brand,
            location=data["location"],
            submission_token=data["submission_token"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            contact_method=data["contact_method"],
            language=data["language"],
            topic=data.get("topic"),
            treatment=data.get("treatment"),
            preferred_slot=data.get("preferred_slot"),
            preference_note=data.get("preference_note", ""),
            message=data.get("message", ""),
            consent_at=timezone.now(),
            privacy_notice_version=brand.privacy_notice_version,
            source_article=article,
            client_hash=client,
            # A filled-in hidden field means a bot: kept for staff to see, never notified.
            status=RequestStatus.SPAM if is_spam else RequestStatus.NEW,
        )
        notify.queue_for_new_request(consultation)
    return consultation


def handle(
    item: ConsultationRequest,
    *,
    status: str,
    confirmed_slot: datetime | None,
    assignee=None,
    user=None,
    reason: str = "",
) -> None:
    """Apply a change of status, confirmed time and assignee, as one step.

    Scheduling takes the seats of the consultation's time and tells the patient: a
    confirmation, or, when the time moves, a message that the earlier time no longer
    holds with the same calendar event moved. Leaving "scheduled" before the time (any
    status but completed or spam) cancels the consultation and tells the patient so;
    any other status gives the seats back. Raises ``booking.SlotFull``, with nothing
    changed, when the time has no free seat.
    """
    with transaction.atomic():
        previous = (
            # Named by the request's own brand: patients' pages call this too.
            ConsultationRequest.objects.for_brand(item.brand_id)
            .select_for_update()
            .filter(pk=item.pk)
            .values_list("status", "confirmed_slot")
            .first()
        )
        was_scheduled = previous is not None and previous[0] == RequestStatus.SCHEDULED
        if status == RequestStatus.CANCELLED and previous is not None:
            refused = cancellation_problem(previous[0], reason)
            if refused:
                raise ValidationError(refused)
        earlier = previous[1] if previous is not None and was_scheduled else None
        if status == RequestStatus.SCHEDULED and (not was_scheduled or confirmed_slot != earlier):
            # Every way of scheduling (the inbox's form, its free times, the patient's
            # own page) passes here, with the row locked.
            # (The seats are the database's to refuse, below: booking.SlotFull.)
            refused = scheduling_problem(item, confirmed_slot, seats=False)
            if refused:
                raise ValidationError(refused)
        item.status = status
        item.confirmed_slot = confirmed_slot
        item.assignee = assignee
        if status == RequestStatus.SCHEDULED:
            if earlier != confirmed_slot or not was_scheduled:
                booking.reserve(item, item.location, confirmed_slot)  # frees the old seats
                item.calendar_sequence += 1
                item.save()
                if earlier is not None:
                    notify.queue_reschedule(item, earlier)
                else:
                    notify.queue_confirmation(item)
            else:
                item.save()
            return
        booking.release(item)
        if earlier is not None and _cancels(status, earlier):
            _record_cancellation(item, earlier, user, reason)
            item.save()
            notify.queue_cancellation(item, earlier)
        else:
            item.save()


def scheduling_problem(
    item: ConsultationRequest, slot: datetime | None, *, seats: bool = True
) -> dict[str, str]:
    """What stops scheduling ``item`` at ``slot`` ({field: message}; {}: nothing), its
    location included (``seats``: whether a free seat is asked too)."""
    from django.utils.translation import gettext as _

    if slot is None:
        return {"confirmed_slot": _("Give the confirmed time to schedule a request.")}
    if item.location is None:
        return {"status": _("Set a location before scheduling.")}
    problem = why_not_schedulable(item, item.location, slot, seats=seats)
    return {"confirmed_slot": problem} if problem else {}


def cancellation_problem(current_status: str, reason: str) -> dict[str, str]:
    """What stops cancelling a request now in ``current_status`` for ``reason`` ({} :
    nothing): only a scheduled consultation is cancelled, and staff say why."""
    from django.utils.translation import gettext as _

    if current_status == RequestStatus.CANCELLED:
        return {}
    if current_status != RequestStatus.SCHEDULED:
        return {
            "status": _(
                "Only a scheduled consultation can be cancelled. To close a request "
                "without one, mark it declined."
            )
        }
    if not (reason or "").strip():
        return {
            "cancel_reason": _(
                "Say why it is cancelled (for staff; the patient is not told the reason)."
            )
        }
    return {}


def why_not_schedulable(
    item: ConsultationRequest, location, slot: datetime, *, seats: bool = True
) -> str | None:
    """What stops confirming ``item`` at ``slot`` at ``location`` (None: nothing): a
    time in the past, outside the opening hours for any part of the consultation, or
    overlapping consultations that fill every seat."""
    from django.utils.translation import gettext as _

    if slot <= timezone.now():
        return _("The confirmed time must be in the future.")
    hours = location.calendar()
    end = slot + booking.length_of(location) - timedelta(seconds=1)
    if not (hours.is_open(slot) and hours.is_open(end)):
        return _(
            "%(location)s is not open for the whole of that time. Choose a time within "
            "its opening hours."
        ) % {"location": location.name}
    if seats and not booking.has_free_seat(location, slot, item):
        return str(booking.SlotFull())
    return None


def confirm_time(item: ConsultationRequest, slot: datetime, *, user) -> None:
    """Schedule ``item`` at ``slot`` in one step (the free times on its page): checked
    as any confirmation is (``handle``), then booked and the patient told. Raises
    ValidationError with the reason, or ``booking.SlotFull`` when the last seat went
    meanwhile."""
    handle(
        item,
        status=RequestStatus.SCHEDULED,
        confirmed_slot=slot,
        assignee=item.assignee,
        user=user,
    )


def reschedule(item: ConsultationRequest, slot: datetime, *, user) -> None:
    """Move a confirmed consultation to ``slot``: the earlier time's seats are freed and
    the patient is told the new time (with the calendar event moved). Raises
    ValidationError for a request not scheduled, or a time that cannot be kept;
    ``booking.SlotFull`` when its last seat went meanwhile. Nothing changes then."""
    from django.utils.translation import gettext as _

    with transaction.atomic():
        current = (
            ConsultationRequest.objects.for_brand(item.brand_id)
            .select_for_update()
            .filter(pk=item.pk)
            .values_list("status", flat=True)
            .first()
        )
        if current != RequestStatus.SCHEDULED:
            raise ValidationError(_("Only a scheduled consultation can be moved."))
        confirm_time(item, slot, user=user)


def _cancels(status: str, earlier: datetime) -> bool:
    """Does leaving "scheduled" for ``status`` take away a time the patient expects?"""
    return status not in (RequestStatus.COMPLETED, RequestStatus.SPAM) and earlier > timezone.now()


def _record_cancellation(item, earlier, user, reason) -> None:
    item.confirmed_slot = None
    item.cancelled_slot = earlier
    item.cancelled_at = timezone.now()
    item.cancelled_by = user
    item.cancel_reason = (reason or "").strip()[:500]
    item.calendar_sequence += 1


def cancel(item: ConsultationRequest, *, reason: str, user) -> None:
    """Cancel the confirmed consultation: free its seats, record who, when and why, and
    tell the patient (with how to book again)."""
    handle(
        item,
        status=RequestStatus.CANCELLED,
        confirmed_slot=None,
        assignee=item.assignee,
        user=user,
        reason=reason,
    )


def set_status(item: ConsultationRequest, status: str, *, user=None) -> None:
    """Change only the status (the list's actions), through the same rules: leaving
    "scheduled" frees the seats, and before the time tells the patient."""
    item.refresh_from_db(fields=["confirmed_slot"])  # as saved, not as a caller holds it
    if status == RequestStatus.SCHEDULED and item.confirmed_slot is None:
        return  # a time is needed to schedule; the list's actions never do this
    # The time stays on record (a completed consultation keeps when it was); only a
    # cancellation clears it, and keeps it as the cancelled time.
    handle(
        item, status=status, confirmed_slot=item.confirmed_slot, assignee=item.assignee, user=user
    )


CONTACT_FIELDS = ("name", "email", "phone", "contact_method")


def correct_contact(item: ConsultationRequest, *, user, **values) -> list[str]:
    """Put right how to reach the patient (a misspelt address, a new number), and say
    which of ``CONTACT_FIELDS`` changed: the caller records those names, never the
    values, in the access record. A scheduled patient's later e-mails go to the
    corrected address; nothing is sent because of the correction itself."""
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact details: {sorted(unknown)}")
    with transaction.atomic():
        current = ConsultationRequest.objects.select_for_update().get(pk=item.pk)
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if changed:
            ConsultationRequest.objects.filter(pk=item.pk).update(
                updated=timezone.now(), **{name: values[name] for name in changed}
            )
            for name in changed:
                setattr(item, name, values[name])
    return changed


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
