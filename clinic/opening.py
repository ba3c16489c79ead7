"""What a page says about a location's hours at one instant."""

from dataclasses import dataclass
from datetime import datetime

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
    hours = location.hours()
    status = hours.status(at)
    return Opening(
        location=location,
        hours=hours,
        status=status,
        status_line=hours_text.status_line(status, at, hours),
        callback_line=hours_text.callback_line(status, at, hours),
        today=hours_text.today_text(hours, at),
        week=hours_text.week_table(hours, at),
    )
