"""Confirming a request into a time, with capacity enforced by the database.

A confirmed consultation takes its whole length (the location's consultation minutes),
not only its start: it holds one seat in every five-minute step it covers
(``OccupiedSeat``, unique per location, step and seat). Two consultations that overlap
anywhere share a step, so a location never has more patients at once than seats,
whatever start minutes staff type (09:00 and 09:10 overlap), across a change of the
clocks (steps are instants in UTC), and however many staff confirm at the same moment:
the database refuses the second holder of a seat, and the loser looks again.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from appointments.models import OccupiedSeat, SlotBooking

STEP = timedelta(minutes=5)
# Confirming looks again this often when other staff take seats meanwhile.
ATTEMPTS = 5


class SlotFull(Exception):
    """Every seat is taken for some part of the consultation's time."""

    def __str__(self):
        return _(
            "That time is already fully booked: it overlaps consultations that fill "
            "every seat. Choose another time."
        )


def steps(starts_at: datetime, length: timedelta) -> list[datetime]:
    """The five-minute steps (their starts, in UTC) that [starts_at, starts_at + length)
    touches: a start between steps takes the step it falls in."""
    start = starts_at.astimezone(UTC)
    first = start.replace(second=0, microsecond=0)
    first -= timedelta(minutes=first.minute % (STEP.seconds // 60))
    end = start + length
    found = []
    at = first
    while at < end:
        found.append(at)
        at += STEP
    return found


def plan_seats(wanted: list[datetime], taken: dict, capacity: int) -> list[tuple[datetime, int]]:
    """A free seat (1..capacity) for every step, or SlotFull (pure)."""
    plan = []
    for at in wanted:
        seat = next((s for s in range(1, capacity + 1) if s not in taken.get(at, ())), None)
        if seat is None:
            raise SlotFull
        plan.append((at, seat))
    return plan


def length_of(location) -> timedelta:
    return timedelta(minutes=location.consult_minutes)


def _taken(location, wanted, request=None) -> dict:
    seats = OccupiedSeat.objects.across_brands().filter(location=location, at__in=wanted)
    if request is not None and request.pk:
        seats = seats.exclude(booking__request=request)
    taken: dict = defaultdict(set)
    for at, seat in seats.values_list("at", "seat"):
        taken[at].add(seat)
    return taken


def reserve(request, location, starts_at) -> SlotBooking:
    """Give ``request`` a seat for its whole consultation at ``starts_at`` (moving it
    from any earlier time), or raise SlotFull with nothing changed."""
    length = length_of(location)
    wanted = steps(starts_at, length)
    with transaction.atomic():
        release(request)
        for _attempt in range(ATTEMPTS):
            plan = plan_seats(wanted, _taken(location, wanted), location.slot_capacity)
            try:
                with transaction.atomic():
                    held = SlotBooking.objects.create(
                        request=request,
                        location=location,
                        starts_at=starts_at,
                        ends_at=starts_at + length,
                    )
                    OccupiedSeat.objects.bulk_create(
                        OccupiedSeat(booking=held, location=location, at=at, seat=seat)
                        for at, seat in plan
                    )
                return held
            except IntegrityError:
                continue  # another member of staff took a seat meanwhile: look again
        raise SlotFull


def has_free_seat(location, starts_at, request=None) -> bool:
    """Is there a seat for ``request`` for its whole consultation at ``starts_at``?
    (Its own seats count as free.) For telling staff early; ``reserve`` enforces it."""
    wanted = steps(starts_at, length_of(location))
    try:
        plan_seats(wanted, _taken(location, wanted, request), location.slot_capacity)
    except SlotFull:
        return False
    return True


def full_steps(locations, since: datetime) -> set[tuple[int, datetime]]:
    """(location id, step) of every step from ``since`` whose seats are all taken."""
    capacity = {location.pk: location.slot_capacity for location in locations}
    counts = (
        # Narrowed to the given locations, which are one brand's (the caller's).
        OccupiedSeat.objects.across_brands()
        .filter(location_id__in=capacity, at__gte=since - STEP)
        .values_list("location_id", "at")
        .annotate(taken=Count("id"))
        .order_by()
    )
    return {
        (location_id, at) for location_id, at, taken in counts if taken >= capacity[location_id]
    }


def release(request) -> None:
    SlotBooking.objects.across_brands().filter(request=request).delete()
