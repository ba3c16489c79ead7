"""The --clock option's moments (tests/clock.py): each is what its name says, after the
real date and within a year of it, whatever day the suite runs on."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from clinic import demo
from clinic.hours import week_parity
from tests.clock import ALTERNATE_FRIDAY_ANCHOR, EASTERN, MOMENTS, moment, moment_of_the_day

# A year of run dates, one a day, starting on the day this was written.
RUN_DATES = [date(2026, 12, 6) + timedelta(days=n) for n in range(366)]


def test_the_clock_counts_alternate_fridays_as_the_demo_does():
    assert ALTERNATE_FRIDAY_ANCHOR == demo.ALTERNATE_FRIDAY_ANCHOR


@pytest.mark.parametrize("name", list(MOMENTS))
def test_every_moment_is_ahead_of_the_run_and_within_a_year(name):
    for today in RUN_DATES:
        moved = moment(name, today)
        assert today < moved.date() <= today + timedelta(days=366), (name, today, moved)


def test_the_moments_are_what_their_names_say():
    for today in RUN_DATES:
        sunday = moment("sunday-evening", today)
        assert (sunday.weekday(), sunday.hour) == (6, 20)
        assert sunday.astimezone(UTC).weekday() == 0  # already Monday in UTC
        monday = moment("monday-morning", today)
        assert (monday.weekday(), monday.hour) == (0, 7)
        friday = moment("alternate-friday", today)
        assert friday.weekday() == 4
        assert week_parity(friday.date(), ALTERNATE_FRIDAY_ANCHOR) == 1  # a closed week


def test_the_dst_moments_fall_on_the_days_the_clocks_change():
    for today in RUN_DATES[::30]:
        for name in ("dst-spring", "dst-autumn"):
            day = moment(name, today).date()
            before = day - timedelta(days=1)
            offset_before = datetime.combine(before, time(12), EASTERN).utcoffset()
            offset_after = datetime.combine(day, time(12), EASTERN).utcoffset()
            assert offset_before != offset_after, (name, day)


def test_a_rotating_run_takes_each_moment_in_turn():
    week = [moment_of_the_day(date(2026, 12, 6) + timedelta(days=n)) for n in range(5)]
    assert sorted(week) == sorted(MOMENTS)


def test_an_explicit_moment_needs_an_offset():
    assert moment("2026-12-25T10:00-05:00", date(2026, 12, 6)).day == 25
    with pytest.raises(pytest.UsageError, match="offset"):
        moment("2026-12-25T10:00", date(2026, 12, 6))
    with pytest.raises(pytest.UsageError, match="sunday-evening"):
        moment("next tuesday", date(2026, 12, 6))
