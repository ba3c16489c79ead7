"""Run the whole suite at another moment: ``--clock=MOMENT`` or ``TEST_CLOCK=MOMENT``.

A test whose outcome depends on the day it runs must state its moment (time frozen with
time-machine, or data placed relative to a location's calendar). This option finds the
ones that do not before the calendar does: it moves the clock of the whole run (every
test, the live server's threads, the seed data) to a named moment, and time goes on
ticking from there. A test that travels itself still goes where it says.

The named moments are the ones that have broken tests written on a weekday afternoon:
the evening when the UTC date is already tomorrow, the hour before the clinics open, a
Friday that the every-other-week rule closes, and both days the clocks change. Any ISO
8601 moment with an offset works too. CI runs the real date and one of these, in turn.
"""

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic.hours import week_parity

# The demo's and the factories' every-other-Friday rhythm (clinic.demo, which cannot be
# imported before Django is set up; tests/portal/test_clock.py holds the two equal).
ALTERNATE_FRIDAY_ANCHOR = date(2026, 11, 13)

EASTERN = ZoneInfo("America/New_York")
SUNDAY, MONDAY, FRIDAY = 6, 0, 4


def _next_weekday(after: date, weekday: int) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(SUNDAY - first.weekday()) % 7 + 7 * (n - 1))


def _next_of_year(after: date, day_in: Callable[[int], date]) -> date:
    this_year = day_in(after.year)
    return this_year if this_year > after else day_in(after.year + 1)


def _next_closed_friday(after: date) -> date:
    friday = _next_weekday(after, FRIDAY)
    # Every other Friday is open, counted from the demo's anchor (the factories' too).
    if week_parity(friday, ALTERNATE_FRIDAY_ANCHOR) == 0:
        friday += timedelta(days=7)
    return friday


# Each moment is the next one after the real date, in Miami's time: always ahead, so
# cookies a moved server sets are not already expired for the browser's real clock, and
# within a year, so the factories' dated data (a review in October 2026) stays current.
MOMENTS: dict[str, Callable[[date], datetime]] = {
    # 20:30 in Miami is Monday in UTC (00:30 or 01:30): not the clinic's date.
    "sunday-evening": lambda today: datetime.combine(
        _next_weekday(today, SUNDAY), time(20, 30), EASTERN
    ),
    # Half an hour before the East Coast opens; 04:30 in Portland.
    "monday-morning": lambda today: datetime.combine(
        _next_weekday(today, MONDAY), time(7, 30), EASTERN
    ),
    # Mid-morning on a Friday that the every-other-Friday hours keep closed.
    "alternate-friday": lambda today: datetime.combine(
        _next_closed_friday(today), time(10), EASTERN
    ),
    # The clocks go forward at 02:00 on the second Sunday of March; that morning.
    "dst-spring": lambda today: datetime.combine(
        _next_of_year(today, lambda year: _nth_sunday(year, 3, 2)), time(9), EASTERN
    ),
    # The clocks go back at 02:00 on the first Sunday of November; that morning.
    "dst-autumn": lambda today: datetime.combine(
        _next_of_year(today, lambda year: _nth_sunday(year, 11, 1)), time(9), EASTERN
    ),
}


def moment(name: str, today: date) -> datetime:
    """The moment a --clock value names, after ``today``: one of MOMENTS or an ISO 8601
    time with an offset."""
    if name in MOMENTS:
        return MOMENTS[name](today)
    try:
        parsed = datetime.fromisoformat(name)
    except ValueError:
        raise pytest.UsageError(
            f"--clock={name!r}: give one of {', '.join(MOMENTS)}, rotating, or an ISO 8601 "
            "time with an offset, e.g. 2026-12-25T10:00-05:00"
        ) from None
    if parsed.tzinfo is None:
        raise pytest.UsageError(f"--clock={name!r} needs an offset, e.g. -05:00")
    return parsed


def moment_of_the_day(today: date) -> str:
    """The named moment a 'rotating' run uses on a given day: each in turn, one a day."""
    names = list(MOMENTS)
    return names[today.toordinal() % len(names)]


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=None,
        help=(
            "run at another moment (the clock ticks on from there): one of "
            f"{', '.join(MOMENTS)}, 'rotating' (one of them, a different one each day) "
            "or an ISO 8601 time with offset. Default: $TEST_CLOCK, else the real time."
        ),
    )


def _chosen(config) -> str | None:
    name = config.getoption("--clock") or os.environ.get("TEST_CLOCK") or None
    if name == "rotating":
        name = moment_of_the_day(datetime.now(UTC).date())
    return name


def pytest_configure(config):
    name = _chosen(config)
    if not name:
        return
    import time_machine

    destination = moment(name, datetime.now(UTC).date())
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    config._clock_traveller = traveller
    config._clock_moment = f"{name}: {destination.isoformat()}"


def pytest_unconfigure(config):
    traveller = getattr(config, "_clock_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    moved = getattr(config, "_clock_moment", None)
    return f"clock moved to {moved}" if moved else None


def pytest_terminal_summary(terminalreporter, config):
    # Said again at the end, where a quiet run (-q, no header) still shows it.
    moved = getattr(config, "_clock_moment", None)
    if moved:
        terminalreporter.write_line(f"clock moved to {moved}")
