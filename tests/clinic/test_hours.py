"""clinic.hours: pure opening-hours logic, tested without the database."""

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.hours import (
    Change,
    Hours,
    SpecialDay,
    WeeklyRule,
    rule_conflicts,
    rule_problems,
    span_conflicts,
    span_problems,
    week_parity,
)

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")


def reference_rules(anchor=date(2026, 11, 13), **extra):
    """Mon-Thu 8 A.M.-4:30 P.M., every other Friday, closed at weekends."""
    weekdays = [WeeklyRule(day, time(8), time(16, 30), **extra) for day in range(4)]
    friday = WeeklyRule(4, time(8), time(16, 30), True, anchor, **extra)
    return [*weekdays, friday]


def at(*args, tz=NY):
    return datetime(*args, tzinfo=tz)


class TestOpenNowAndNextChange:
    hours = Hours(reference_rules(), [], NY)

    @pytest.mark.parametrize(
        ("moment", "is_open", "change"),
        [
            (at(2026, 11, 23, 7, 59), False, Change(at(2026, 11, 23, 8), True)),
            (at(2026, 11, 23, 8, 0), True, Change(at(2026, 11, 23, 16, 30), False)),
            (at(2026, 11, 23, 16, 29), True, Change(at(2026, 11, 23, 16, 30), False)),
            (at(2026, 11, 23, 16, 30), False, Change(at(2026, 11, 24, 8), True)),
            # Friday Nov 20 is an "off" Friday: next opening is Monday.
            (at(2026, 11, 19, 17, 0), False, Change(at(2026, 11, 23, 8), True)),
            # Friday Nov 27 is an "on" Friday.
            (at(2026, 11, 26, 17, 0), False, Change(at(2026, 11, 27, 8), True)),
            (at(2026, 11, 27, 12, 0), True, Change(at(2026, 11, 27, 16, 30), False)),
            (at(2026, 11, 28, 12, 0), False, Change(at(2026, 11, 30, 8), True)),
        ],
    )
    def test_reference_week(self, moment, is_open, change):
        status = self.hours.status(moment)
        assert status.is_open is is_open
        assert status.next_change == change

    def test_an_instant_in_another_zone_is_read_in_the_locations_zone(self):
        # 13:30 UTC on a Monday in November is 8:30 A.M. in New York.
        assert self.hours.is_open(datetime(2026, 11, 23, 13, 30, tzinfo=UTC))
        assert not self.hours.is_open(datetime(2026, 11, 23, 12, 30, tzinfo=UTC))

    def test_naive_instants_are_refused(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            self.hours.is_open(datetime(2026, 11, 23, 9))

    def test_no_rules_means_closed_with_no_next_opening(self):
        status = Hours([], [], NY).status(at(2026, 1, 1, 9))
        assert status.is_open is False and status.next_change is None

    def test_always_open_has_no_next_change(self):
        rules = [WeeklyRule(day, time(0), time(0)) for day in range(7)]
        status = Hours(rules, [], NY).status(at(2026, 1, 1, 9))
        assert status.is_open is True and status.next_change is None


class TestDaylightSaving:
    """New York: clocks go forward on 8 March 2026 and back on 1 November 2026."""

    def test_opening_instants_follow_the_wall_clock_across_spring_forward(self):
        hours = Hours(reference_rules(), [], NY)
        before = hours.next_change(at(2026, 3, 1, 12))  # Sunday before the change
        after = hours.next_change(at(2026, 3, 8, 12))  # the Sunday of the change
        assert before.at.astimezone(UTC) == datetime(2026, 3, 2, 13, tzinfo=UTC)  # EST
        assert after.at.astimezone(UTC) == datetime(2026, 3, 9, 12, tzinfo=UTC)  # EDT

    def test_opening_instants_follow_the_wall_clock_across_fall_back(self):
        hours = Hours(reference_rules(), [], NY)
        before = hours.next_change(at(2026, 10, 25, 12))
        after = hours.next_change(at(2026, 11, 1, 12))
        assert before.at.astimezone(UTC) == datetime(2026, 10, 26, 12, tzinfo=UTC)  # EDT
        assert after.at.astimezone(UTC) == datetime(2026, 11, 2, 13, tzinfo=UTC)  # EST

    def test_an_overnight_opening_lasts_an_hour_longer_when_clocks_go_back(self):
        rules = [WeeklyRule(5, time(22), time(0)), WeeklyRule(6, time(0), time(2))]
        hours = Hours(rules, [], NY)
        opens = hours.next_change(at(2026, 10, 31, 21)).at
        closes = hours.next_change(opens).at
        assert closes - opens == timedelta(hours=5)  # 22:00 EDT to 02:00 EST

    def test_slots_skip_the_hour_that_does_not_exist(self):
        hours = Hours([WeeklyRule(6, time(1), time(3))], [], NY)
        slots = hours.slots(at(2026, 3, 8, 0), timedelta(minutes=30), 1)
        assert [slot.astimezone(UTC).strftime("%H:%M") for slot in slots] == ["06:00", "06:30"]

    def test_slots_cover_the_hour_that_happens_twice(self):
        hours = Hours([WeeklyRule(6, time(0), time(3))], [], NY)
        slots = hours.slots(at(2026, 11, 1, 0), timedelta(hours=1), 1)
        assert len(slots) == 4  # 00:00 EDT, 01:00 EDT, 01:00 EST, 02:00 EST

    def test_is_open_in_the_repeated_hour(self):
        hours = Hours([WeeklyRule(6, time(1), time(2))], [], NY)
        # 05:30 UTC is 01:30 EDT (first pass), 06:30 UTC is 01:30 EST (second pass).
        assert hours.is_open(datetime(2026, 11, 1, 5, 30, tzinfo=UTC))
        assert hours.is_open(datetime(2026, 11, 1, 6, 30, tzinfo=UTC))
        assert not hours.is_open(datetime(2026, 11, 1, 7, 30, tzinfo=UTC))

    def test_a_rule_wholly_inside_the_skipped_hour_never_opens(self):
        hours = Hours([WeeklyRule(6, time(2), time(3))], [], NY)
        saturday = at(2026, 3, 7, 12)
        assert hours.intervals(date(2026, 3, 8), date(2026, 3, 8)) == []
        change = hours.next_change(saturday)  # no phantom opening at 07:00 UTC that night
        assert change.at == datetime(2026, 3, 15, 6, tzinfo=UTC)  # next Sunday, 2 A.M. EDT
        assert hours.slots(saturday, timedelta(minutes=30), 3) == []
        assert not hours.is_open(datetime(2026, 3, 8, 7, tzinfo=UTC))

    @pytest.mark.parametrize(
        ("opens", "closes", "expected"),
        [
            # Closing "at 2:30", which does not exist: the clinic closes when clocks jump.
            (time(1, 30), time(2, 30), ("06:30", "07:00")),
            # Opening "at 2:30": it opens at the jump (3:00 EDT), not half an hour later.
            (time(2, 30), time(5), ("07:00", "09:00")),
        ],
    )
    def test_times_inside_the_skipped_hour_mean_the_jump(self, opens, closes, expected):
        hours = Hours([WeeklyRule(6, opens, closes)], [], NY)
        [(begin, end)] = hours.intervals(date(2026, 3, 8), date(2026, 3, 8))
        assert (begin.strftime("%H:%M"), end.strftime("%H:%M")) == expected


class TestMidnight:
    def test_intervals_touching_at_midnight_read_as_one_opening(self):
        rules = [WeeklyRule(0, time(20), time(0)), WeeklyRule(1, time(0), time(4))]
        hours = Hours(rules, [], NY)
        assert hours.next_change(at(2026, 11, 23, 21)) == Change(at(2026, 11, 24, 4), False)
        assert hours.is_open(at(2026, 11, 24, 0, 0))
        assert hours.is_open(at(2026, 11, 23, 23, 59))

    def test_closing_at_midnight_means_the_end_of_the_day(self):
        hours = Hours([WeeklyRule(0, time(18), time(0))], [], NY)
        assert hours.next_change(at(2026, 11, 23, 19)) == Change(at(2026, 11, 24, 0), False)
        assert not hours.is_open(at(2026, 11, 24, 0, 1))


class TestYearBoundaryAndLeapDays:
    def test_every_other_friday_keeps_its_rhythm_across_new_year(self):
        hours = Hours([WeeklyRule(4, time(9), time(12), True, date(2025, 12, 26))], [], NY)
        assert hours.next_change(at(2025, 12, 27, 9)).at == at(2026, 1, 9, 9)
        assert not hours.is_open(at(2026, 1, 2, 10))
        assert hours.is_open(at(2026, 1, 9, 10))

    def test_a_new_years_eve_closure_spanning_the_boundary(self):
        special = SpecialDay(date(2026, 12, 31), date(2027, 1, 1), (), "New Year")
        hours = Hours(reference_rules(), [special], NY)
        assert hours.next_change(at(2026, 12, 30, 17)).at == at(2027, 1, 4, 8)

    def test_a_closure_on_a_leap_day(self):
        special = SpecialDay(date(2028, 2, 29), date(2028, 2, 29), (), "Staff training")
        hours = Hours(reference_rules(anchor=date(2028, 2, 18)), [special], NY)
        assert not hours.is_open(at(2028, 2, 29, 10))
        assert hours.next_change(at(2028, 2, 28, 17)).at == at(2028, 3, 1, 8)

    def test_every_other_week_anchored_on_a_leap_day(self):
        hours = Hours([WeeklyRule(1, time(9), time(10), True, date(2028, 2, 29))], [], NY)
        assert hours.next_change(at(2028, 2, 29, 11)).at == at(2028, 3, 14, 9)

    def test_week_parity_counts_whole_weeks_from_the_anchors_week(self):
        assert week_parity(date(2026, 11, 27), date(2026, 11, 13)) == 0
        assert week_parity(date(2026, 11, 20), date(2026, 11, 13)) == 1
        # An anchor on another weekday counts by its week (Monday to Sunday).
        assert week_parity(date(2026, 11, 27), date(2026, 11, 9)) == 0
        assert week_parity(date(2026, 11, 6), date(2026, 11, 13)) == 1


class TestSpecialHours:
    def test_a_holiday_on_an_every_other_week_day_closes_it(self):
        # Friday Nov 27 would be an "on" Friday; the clinic closes for the holiday.
        special = SpecialDay(date(2026, 11, 27), date(2026, 11, 27), (), "Day after Thanksgiving")
        hours = Hours(reference_rules(), [special], NY)
        assert not hours.is_open(at(2026, 11, 27, 10))
        assert hours.next_change(at(2026, 11, 26, 17)).at == at(2026, 11, 30, 8)
        assert hours.next_open_day(4, date(2026, 11, 21), every_other_week=True) == date(
            2026, 12, 11
        )

    def test_special_intervals_replace_the_days_rules(self):
        special = SpecialDay(date(2026, 12, 24), date(2026, 12, 24), ((time(9), time(12)),))
        hours = Hours(reference_rules(), [special], NY)
        assert hours.is_open(at(2026, 12, 24, 9, 30))
        assert hours.next_change(at(2026, 12, 24, 9, 30)).at == at(2026, 12, 24, 12)

    def test_a_special_opening_on_a_closed_day(self):
        special = SpecialDay(date(2026, 11, 28), date(2026, 11, 28), ((time(10), time(14)),))
        hours = Hours(reference_rules(), [special], NY)
        assert hours.next_change(at(2026, 11, 28, 0)).at == at(2026, 11, 28, 10)

    def test_a_long_closure(self):
        special = SpecialDay(date(2026, 1, 1), date(2026, 3, 31), (), "Renovation")
        hours = Hours(reference_rules(anchor=date(2026, 1, 2)), [special], NY)
        assert hours.next_change(at(2026, 1, 5, 9)).at == at(2026, 4, 1, 8)


class TestScheduleChanges:
    def test_a_new_weekly_set_takes_over_on_its_date(self):
        new = [WeeklyRule(day, time(9), time(17), valid_from=date(2027, 1, 4)) for day in range(5)]
        hours = Hours(reference_rules() + new, [], NY)
        assert hours.next_change(at(2027, 1, 1, 17)).at == at(2027, 1, 4, 9)
        assert hours.is_open(at(2026, 12, 31, 8, 30))  # old set until then
        assert not hours.is_open(at(2027, 1, 4, 8, 30))  # new set opens at 9
        assert hours.upcoming_set_start(date(2026, 12, 1)) == date(2027, 1, 4)

    def test_before_any_set_begins_the_location_is_closed(self):
        rules = [WeeklyRule(0, time(9), time(17), valid_from=date(2027, 1, 4))]
        hours = Hours(rules, [], NY)
        assert not hours.is_open(at(2026, 12, 28, 10))
        assert hours.next_change(at(2026, 12, 28, 10)).at == at(2027, 1, 4, 9)


class TestOpenMinutes:
    """A reply promise counts opening hours only (clinic/hours.py)."""

    def hours(self, specials=()):
        return Hours(reference_rules(), list(specials), NY)

    def test_within_one_day(self):
        assert self.hours().open_minutes_between(at(2026, 11, 23, 9), at(2026, 11, 23, 11)) == 120

    def test_a_night_and_a_weekend_do_not_count(self):
        hours = self.hours()
        # Thursday 4 P.M. to Monday 9 A.M.: 30 minutes Thursday, Friday 13 Nov was the
        # anchor's open Friday so Friday 20 Nov is closed; 60 minutes Monday.
        assert hours.open_minutes_between(at(2026, 11, 19, 16), at(2026, 11, 23, 9)) == 90
        # An open Friday counts in full (8.5 hours).
        assert hours.open_minutes_between(at(2026, 11, 12, 16), at(2026, 11, 16, 8)) == 30 + 510

    def test_a_holiday_does_not_count(self):
        holiday = SpecialDay(date(2026, 11, 23), date(2026, 11, 23), (), "Closed")
        hours = self.hours([holiday])
        assert hours.open_minutes_between(at(2026, 11, 23, 9), at(2026, 11, 24, 9)) == 60

    def test_backwards_or_empty_is_zero(self):
        hours = self.hours()
        assert hours.open_minutes_between(at(2026, 11, 23, 11), at(2026, 11, 23, 9)) == 0
        assert hours.open_minutes_between(at(2026, 11, 22, 1), at(2026, 11, 22, 23)) == 0

    def test_a_two_year_wait_counts_every_open_minute(self):
        """Laid out once for many starts: each start's answer is its own."""
        hours = self.hours()
        now = at(2026, 11, 23, 12)
        starts = [at(2024, 11, 25, 9), at(2026, 11, 23, 11, 30), at(2026, 11, 23, 13)]
        many = hours.open_minutes_from_each(starts, now)
        assert many[1:] == [30, 0]
        # 104 weeks from a Monday 9:00: 52 fortnights of nine 8.5-hour days (Monday to
        # Thursday twice, one Friday), then this Monday's three hours.
        assert many[0] == 52 * 9 * 510 + 180
        assert many == [hours.open_minutes_between(start, now) for start in starts]

    @settings(max_examples=30, deadline=None)
    @given(
        starts=st.lists(
            # Two alternate Fridays (5th and 12th), the holiday (10th) and the clock
            # change (14th) all fall in this fortnight.
            st.datetimes(min_value=datetime(2027, 3, 4), max_value=datetime(2027, 3, 16)),
            min_size=1,
            max_size=6,
        ),
        end=st.datetimes(min_value=datetime(2027, 3, 8), max_value=datetime(2027, 3, 17)),
    )
    def test_many_starts_agree_with_counting_minute_by_minute(self, starts, end):
        """Across the spring clock change, a closed holiday and alternate Fridays."""
        hours = self.hours([self.HOLIDAY])
        starts = [start.replace(second=0, microsecond=0, tzinfo=UTC) for start in starts]
        end = end.replace(second=0, microsecond=0, tzinfo=UTC)
        open_at = self.open_minutes_of_the_fortnight()
        expected = [sum(1 for m in open_at if start <= m < end) for start in starts]
        assert hours.open_minutes_from_each(starts, end) == expected

    HOLIDAY = SpecialDay(date(2027, 3, 10), date(2027, 3, 10), (), "Closed")

    @classmethod
    @functools.cache
    def open_minutes_of_the_fortnight(cls) -> frozenset:
        """Every minute the location is open, asked of is_open one minute at a time
        (the oracle): counted once for the whole fortnight, not once per example."""
        hours = Hours(reference_rules(), [cls.HOLIDAY], NY)
        minute, last = datetime(2027, 3, 4, tzinfo=UTC), datetime(2027, 3, 17, tzinfo=UTC)
        found = set()
        while minute < last:
            if hours.is_open(minute):
                found.add(minute)
            minute += timedelta(minutes=1)
        return frozenset(found)


class TestSlots:
    hours = Hours(reference_rules(), [], NY)

    def test_slots_fill_each_opening_and_start_no_earlier_than_now_plus_lead(self):
        slots = self.hours.slots(
            at(2026, 11, 23, 15, 10), timedelta(minutes=30), 2, lead=timedelta(minutes=30)
        )
        assert slots[0] == at(2026, 11, 23, 16)  # 15:40 earliest; 16:00-16:30 fits
        assert slots[1] == at(2026, 11, 24, 8)
        assert slots[-1] == at(2026, 11, 24, 16)
        assert len(slots) == 1 + 17

    def test_a_slot_must_fit_wholly_before_closing(self):
        slots = self.hours.slots(at(2026, 11, 23, 7), timedelta(minutes=45), 1)
        assert slots[-1] == at(2026, 11, 23, 15, 30)  # 15:30 + 45 min = 16:15 <= 16:30

    def test_taken_slots_and_closed_days_are_left_out(self):
        taken = {at(2026, 11, 23, 8), at(2026, 11, 23, 8, 30)}
        special = SpecialDay(date(2026, 11, 24), date(2026, 11, 24), ())
        hours = Hours(reference_rules(), [special], NY)
        slots = hours.slots(at(2026, 11, 23, 7), timedelta(minutes=30), 2, taken=taken)
        assert slots[0] == at(2026, 11, 23, 9)
        assert all(slot.astimezone(NY).date() == date(2026, 11, 23) for slot in slots)

    def test_off_fridays_have_no_slots(self):
        slots = self.hours.slots(at(2026, 11, 20, 7), timedelta(hours=1), 1)
        assert slots == []

    @pytest.mark.parametrize("length", [timedelta(0), timedelta(minutes=-30)])
    def test_a_non_positive_length_is_refused(self, length):
        with pytest.raises(ValueError):
            self.hours.slots(at(2026, 11, 23, 7), length, 1)


class TestValidation:
    @pytest.mark.parametrize(
        ("rule", "codes"),
        [
            (WeeklyRule(0, time(9), time(17)), []),
            (WeeklyRule(0, time(17), time(9)), ["inverted"]),
            (WeeklyRule(0, time(9), time(9)), ["zero_length"]),
            (WeeklyRule(0, time(0), time(0)), []),  # the whole day
            (WeeklyRule(7, time(9), time(17)), ["weekday"]),
            (WeeklyRule(4, time(9), time(17), True, None), ["anchor_missing"]),
        ],
    )
    def test_rule_problems(self, rule, codes):
        assert rule_problems(rule) == codes

    def test_overlapping_rules_on_the_same_day_conflict(self):
        rules = [
            WeeklyRule(0, time(8), time(12)),
            WeeklyRule(0, time(13), time(17)),  # a lunch break: fine
            WeeklyRule(0, time(11), time(14)),  # overlaps both
            WeeklyRule(1, time(8), time(12)),  # another day: fine
        ]
        assert rule_conflicts(rules) == [(0, 2), (1, 2)]

    def test_touching_intervals_do_not_conflict(self):
        assert (
            rule_conflicts([WeeklyRule(0, time(8), time(12)), WeeklyRule(0, time(12), time(17))])
            == []
        )

    def test_every_other_week_rules_on_alternate_weeks_do_not_conflict(self):
        week_a = WeeklyRule(4, time(8), time(12), True, date(2026, 11, 13))
        week_b = WeeklyRule(4, time(8), time(12), True, date(2026, 11, 20))
        same_week = WeeklyRule(4, time(10), time(11), True, date(2026, 11, 27))
        assert rule_conflicts([week_a, week_b]) == []
        assert rule_conflicts([week_a, same_week]) == [(0, 1)]
        assert rule_conflicts([week_a, WeeklyRule(4, time(9), time(10))]) == [(0, 1)]

    def test_rules_of_different_sets_do_not_conflict(self):
        old = WeeklyRule(0, time(8), time(12))
        new = WeeklyRule(0, time(9), time(13), valid_from=date(2027, 1, 4))
        assert rule_conflicts([old, new]) == []

    def test_special_spans(self):
        assert span_problems(time(14), time(9)) == ["inverted"]
        assert span_problems(time(9), time(9)) == ["zero_length"]
        assert span_conflicts([(time(9), time(12)), (time(11), time(13))]) == [(0, 1)]


# --- property-based: "open now" agrees with the next-change answer ------------------

ZONES = ["UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham"]
quarter_hours = st.integers(min_value=0, max_value=95).map(lambda q: time(q // 4, (q % 4) * 15))


@st.composite
def weekly_rules(draw):
    weekday = draw(st.integers(0, 6))
    opens = draw(quarter_hours)
    closes = draw(quarter_hours)
    if closes != time(0) and closes <= opens:
        opens, closes = closes, opens
    if opens == closes:
        closes = time(0) if opens != time(0) else time(1)
    alternate = draw(st.booleans())
    anchor = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31))) if alternate else None
    return WeeklyRule(weekday, opens, closes, alternate, anchor)


@st.composite
def special_days(draw):
    first = draw(st.dates(date(2025, 6, 1), date(2027, 6, 1)))
    last = first + timedelta(days=draw(st.integers(0, 10)))
    spans = draw(st.lists(st.tuples(quarter_hours, quarter_hours), max_size=1))
    spans = tuple((min(o, c), max(o, c)) for o, c in spans if o != c)
    return SpecialDay(first, last, spans)


@settings(max_examples=150, deadline=None)
@given(
    rules=st.lists(weekly_rules(), max_size=6),
    specials=st.lists(special_days(), max_size=2),
    zone=st.sampled_from(ZONES),
    moment=st.datetimes(datetime(2025, 6, 1), datetime(2027, 6, 1), timezones=st.just(UTC)),
)
def test_open_now_agrees_with_the_next_change(rules, specials, zone, moment):
    hours = Hours(rules, specials, zone)
    status = hours.status(moment)
    assert status.is_open == hours.is_open(moment)
    change = status.next_change
    if change is None:
        return
    assert change.at > moment
    assert change.opens is not status.is_open
    assert hours.is_open(change.at) is change.opens
    # Nothing changes in between: the same answer just before and halfway.
    assert hours.is_open(change.at - timedelta(seconds=1)) is status.is_open
    assert hours.is_open(moment + (change.at - moment) / 2) is status.is_open
