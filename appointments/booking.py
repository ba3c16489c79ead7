"""Confirming a request into a slot, with capacity enforced by the database."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from appointments.models import SlotBooking


class SlotFull(Exception):
    """Every seat of the slot is already confirmed."""

    def __str__(self):
        return _("That time is already fully booked. Choose another time.")


def reserve(request, location, starts_at) -> SlotBooking:
    """Give ``request`` a seat at ``starts_at`` or raise SlotFull.

    Each seat is a row under a unique constraint: two staff members confirming the
    last seat at the same moment cannot both succeed, whatever the timing.
    """
    SlotBooking.objects.filter(request=request).delete()
    for seat in range(1, location.slot_capacity + 1):
        try:
            with transaction.atomic():
                return SlotBooking.objects.create(
                    location=location, starts_at=starts_at, seat=seat, request=request
                )
        except IntegrityError:
            continue
    raise SlotFull


def has_free_seat(location, starts_at, request=None) -> bool:
    """Return True when the slot has a seat for ``request`` (its own seat counts as free).

    For telling staff early; ``reserve`` is what enforces capacity.
    """
    taken = SlotBooking.objects.filter(location=location, starts_at=starts_at)
    if request is not None and request.pk:
        taken = taken.exclude(request=request)
    return taken.count() < location.slot_capacity


def release(request) -> None:
    SlotBooking.objects.filter(request=request).delete()
