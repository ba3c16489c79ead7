"""The consultation times a patient may choose: real slots of each location.

Slots come from clinic.hours (opening hours and holidays, in the location's time
zone); a slot that overlaps consultations filling every seat is left out.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from appointments import booking

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


def open_slots(locations, now: datetime | None = None) -> dict[int, list[Slot]]:
    """Return the bookable slots of the next DAYS_AHEAD days, by location id: a slot
    is left out when any part of it has every seat taken (booking.full_steps)."""
    now = now or timezone.now()
    full = booking.full_steps(locations, now)
    offered = {}
    for location in locations:
        length = timedelta(minutes=location.consult_minutes)
        starts = location.calendar().slots(now, length, DAYS_AHEAD, lead=LEAD_TIME)
        offered[location.pk] = [
            Slot(location.pk, start)
            for start in starts
            if not any((location.pk, step) in full for step in booking.steps(start, length))
        ]
    return offered
