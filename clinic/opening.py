"""What a page says about a location's hours at one instant."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from clinic import hours_text
from clinic.hours import Hours, Status
from clinic.models import Location


@dataclass(frozen=True)
class Opening:
    location: Location
    hours: Hours
    status: Status
    status_line: str
    callback_line: str
    today: str
    week: list

    @property
    def is_open(self) -> bool:
        return self.status.is_open


def opening_of(location: Location, at: datetime) -> Opening:
    """Return the location's hours as of ``at``.

    Opening hours are kept to the minute, so every answer holds for the whole minute:
    the words are computed once per location, rules and minute, then reused.
    """
    hours = location.hours()
    minute = at.replace(second=0, microsecond=0)
    status, status_line, callback_line, today, week = _words(hours, minute)
    return Opening(location, hours, status, status_line, callback_line, today, week)


@lru_cache(maxsize=256)
def _words(hours: Hours, at: datetime):
    status = hours.status(at)
    return (
        status,
        hours_text.status_line(status, at, hours),
        hours_text.callback_line(status, at, hours),
        hours_text.today_text(hours, at),
        hours_text.week_table(hours, at),
    )
