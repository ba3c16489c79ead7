"""What a page says about a location's hours at one instant."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.utils import translation

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
    exceptions: list  # this week's and next week's special days, in words

    @property
    def is_open(self) -> bool:
        return self.status.is_open


def opening_of(location: Location, at: datetime) -> Opening:
    """Return the location's hours as of ``at``.

    Opening hours are kept to the minute, so every answer holds for the whole minute:
    the words are computed once per location, rules and minute, then reused.
    """
    hours = location.calendar()
    minute = at.replace(second=0, microsecond=0)
    # The words are translated: the language is part of what they are cached under.
    return Opening(location, hours, *_words(hours, minute, translation.get_language()))


def brand_opening(locations, at: datetime) -> Opening | None:
    """Return the opening that speaks for a brand with several locations.

    While any location is open, the first open one (so "Call us" rings a clinic that
    answers); while all are closed, the one that opens soonest (so the callback promise
    is the earliest honest one). The order of locations breaks ties.
    """
    openings = [opening_of(location, at) for location in locations]
    if not openings:
        return None
    for opening in openings:
        if opening.is_open:
            return opening

    def opens_at(opening: Opening):
        change = opening.status.next_change
        return change.at if change is not None else datetime.max.replace(tzinfo=at.tzinfo)

    return min(openings, key=opens_at)


@lru_cache(maxsize=256)
def _words(hours: Hours, at: datetime, language: str | None):
    status = hours.status(at)
    return (
        status,
        hours_text.status_line(status, at, hours),
        hours_text.callback_line(status, at, hours),
        hours_text.today_text(hours, at),
        hours_text.week_table(hours, at),
        hours_text.upcoming_exceptions(hours, at),
    )
