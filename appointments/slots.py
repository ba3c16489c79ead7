"""The consultation times a patient may choose: real slots of each location.

Slots come from clinic.hours (opening hours and holidays, in the location's time
zone); a slot whose seats are all confirmed is left out.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from appointments.models import SlotBooking

DAYS_AHEAD = 14
# Nobody can be called in for a slot that starts in the next two hours.
LEAD_TIME = timedelta(hours=2)


@dataclass(frozen=True)
class Slot:
    location_id: int
    starts_at: datetime  # UTC

    @property
    def value(self) -> str:
        """The form value: location and instant, so one select serves every location."""
        return f"{self.location_id}|{self.starts_at.strftime('%Y-%m-%dT%H:%MZ')}"


def parse_value(value: str) -> tuple[int, datetime] | None:
    try:
        location_id, instant = value.split("|", 1)
        starts_at = datetime.strptime(instant, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
        return int(location_id), starts_at
    except (ValueError, AttributeError):
        return None


def full_slots(locations, since: datetime) -> set[tuple[int, datetime]]:
    """Return (location id, start) of slots with every seat confirmed."""
    capacity = {location.pk: location.slot_capacity for location in locations}
    counts = Counter(
        # Narrowed to the given locations, which are one brand's (the caller's).
        SlotBooking.objects.across_brands()
        .filter(location_id__in=capacity, starts_at__gte=since)
        .values_list("location_id", "starts_at")
    )
    return {key for key, taken in counts.items() if taken >= capacity[key[0]]}


def open_slots(locations, now: datetime | None = None) -> dict[int, list[Slot]]:
    """Return the bookable slots of the next DAYS_AHEAD days, by location id."""
    now = now or timezone.now()
    full = full_slots(locations, now)
    offered = {}
    for location in locations:
        starts = location.calendar().slots(
            now, timedelta(minutes=location.consult_minutes), DAYS_AHEAD, lead=LEAD_TIME
        )
        offered[location.pk] = [
            Slot(location.pk, start) for start in starts if (location.pk, start) not in full
        ]
    return offered
