"""The edges of the hours engine that a mutation of it once crossed unseen (the suite's
mutation score, docs/testing.md): a Sunday rule, intervals closing at midnight, rules
that touch without overlapping, searches a year ahead, slot steps. Plain values, no
database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic.hours import (
    Hours,
    SpecialDay,
    WeeklyRule,
    rule_conflicts,
    rule_problems,
    span_conflicts,
    span_problems,
)

NY = ZoneInfo("America/New_York")
# A Monday morning in New York.
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=NY)


def weekdays(opens=time(9), closes=time(17), **extra):
    return [WeeklyRule(day, opens, closes, **extra) for day in range(5)]


def closed(first: date, last: date) -> SpecialDay:
    return SpecialDay(first, last)


class TestRulesOnTheirOwn:
    def test_sunday_is_a_weekday_like_the_others(self):
        assert rule_problems(WeeklyRule(6, time(10), time(14))) == []
        assert rule_problems(WeeklyRule(7, time(10), time(14))) == ["weekday"]

    def test_an_interval_closing_at_midnight_runs_to_the_end_of_the_day(self):
        assert span_problems(time(20), time(0)) == []
        assert span_problems(time(9), time(9)) == ["zero_length"]
        assert span_problems(time(17), time(9)) == ["inverted"]

    def test_an_evening_to_midnight_interval_overlaps_one_inside_it(self):
        assert span_conflicts([(time(20), time(0)), (time(21), time(22))]) == [(0, 1)]
        assert span_conflicts([(time(9), time(12)), (time(12), time(15))]) == []


class TestRulesSharingADay:
    def test_back_to_back_intervals_do_not_overlap_in_either_order(self):
        afternoon = WeeklyRule(0, time(12), time(15))
        morning = WeeklyRule(0, time(9), time(12))
        assert rule_conflicts([afternoon, morning]) == []
        assert rule_conflicts([morning, afternoon]) == []

    def test_a_weekly_rule_meets_an_alternate_week_rule_every_fortnight(self):
        weekly = WeeklyRule(4, time(9), time(13))
        alternate = WeeklyRule(
            4, time(12), time(16), every_other_week=True, anchor=date(2026, 11, 6)
        )
        assert rule_conflicts([weekly, alternate]) == [(0, 1)]
        assert rule_conflicts([alternate, weekly]) == [(0, 1)]

    def test_an_anchor_on_a_weekly_rule_changes_nothing(self):
        """A weekly rule keeps an anchor left from when it alternated: it still opens
        every week, so it meets an alternate rule anchored in the other week."""
        weekly = WeeklyRule(4, time(9), time(13), anchor=date(2026, 11, 13))
        alternate = WeeklyRule(
            4, time(12), time(16), every_other_week=True, anchor=date(2026, 11, 6)
        )
        assert rule_conflicts([weekly, alternate]) == [(0, 1)]

    def test_alternate_rules_in_opposite_weeks_never_meet(self):
        first = WeeklyRule(4, time(9), time(13), every_other_week=True, anchor=date(2026, 11, 6))
        second = WeeklyRule(4, time(12), time(16), every_other_week=True, anchor=date(2026, 11, 13))
        assert rule_conflicts([first, second]) == []


class TestTheCalendarAsAValue:
    def test_equal_rules_make_equal_calendars_and_others_differ(self):
        one = Hours(weekdays(), [], "America/New_York")
        same = Hours(weekdays(), [], NY)
        later = Hours(weekdays(closes=time(18)), [], NY)
        assert one == same and hash(one) == hash(same)
        assert one != later
        assert one != "America/New_York" and (one == object()) is False

    def test_a_set_starting_on_a_day_is_not_upcoming_that_day(self):
        now = weekdays()
        winter = weekdays(closes=time(16), valid_from=date(2026, 12, 1))
        spring = weekdays(closes=time(18), valid_from=date(2027, 3, 1))
        hours = Hours([*now, *winter, *spring], [], NY)
        assert hours.upcoming_set_start(date(2026, 11, 30)) == date(2026, 12, 1)
        assert hours.upcoming_set_start(date(2026, 12, 1)) == date(2027, 3, 1)
        assert hours.upcoming_set_start(date(2027, 3, 1)) is None


class TestSearchingAhead:
    def test_a_reopening_after_a_year_long_closure_is_found(self):
        # Closed from today for 370 days; it reopens on the weekday after.
        reopening_day = MONDAY.date() + timedelta(days=371)  # a Wednesday
        hours = Hours(weekdays(), [closed(MONDAY.date(), reopening_day - timedelta(days=1))], NY)
        change = hours.next_change(MONDAY)
        assert change is not None and change.opens
        assert change.at == datetime.combine(reopening_day, time(9), tzinfo=NY).astimezone(UTC)

    def test_round_the_clock_opening_is_followed_to_its_close_weeks_ahead(self):
        always = [WeeklyRule(day, time(0), time(0)) for day in range(7)]
        shut = MONDAY.date() + timedelta(days=20)
        hours = Hours(always, [closed(shut, shut)], NY)
        change = hours.next_change(MONDAY)
        assert change is not None and not change.opens
        assert change.at == datetime.combine(shut, time(0), tzinfo=NY).astimezone(UTC)

    def test_the_next_open_weekday_is_found_almost_a_year_ahead(self):
        today = MONDAY.date()
        reopening = today + timedelta(weeks=50)
        hours = Hours(weekdays(), [closed(today, reopening - timedelta(days=1))], NY)
        assert hours.next_open_day(0, today, every_other_week=False) == reopening

    def test_beyond_the_search_there_is_no_next_open_weekday(self):
        today = MONDAY.date()
        # Week 55 from today is past a year and a fortnight: not searched.
        beyond = today + timedelta(weeks=55)
        hours = Hours(weekdays(), [closed(today, beyond - timedelta(days=1))], NY)
        assert hours.next_open_day(0, today, every_other_week=False) is None
        nearer = Hours(weekdays(), [closed(today, beyond - timedelta(weeks=1, days=1))], NY)
        assert nearer.next_open_day(0, today, every_other_week=False) == beyond - timedelta(weeks=1)

    def test_the_next_open_weekday_follows_the_set_in_force_that_day(self):
        today = MONDAY.date()
        # From December, Mondays are closed: the set that begins then has no Monday.
        later = [WeeklyRule(day, time(9), time(17), valid_from=date(2026, 12, 1)) for day in (1, 2)]
        hours = Hours([*weekdays(), *later], [], NY)
        assert hours.next_open_day(0, today, every_other_week=False) == today
        assert hours.next_open_day(0, date(2026, 12, 1), every_other_week=False) is None


class TestSlots:
    def test_a_step_shorter_than_the_slot_offers_overlapping_starts(self):
        hours = Hours(weekdays(), [], NY)
        starts = hours.slots(MONDAY, timedelta(hours=1), 1, step=timedelta(minutes=30))
        local = [start.astimezone(NY).strftime("%H:%M") for start in starts]
        assert local[:3] == ["09:00", "09:30", "10:00"] and local[-1] == "16:00"

    @pytest.mark.parametrize(
        ("length", "step"),
        [
            (timedelta(0), None),
            (timedelta(minutes=-30), None),
            (timedelta(minutes=30), timedelta(0)),
            (timedelta(minutes=30), timedelta(minutes=-5)),
        ],
    )
    def test_a_slot_or_step_that_is_not_positive_is_refused(self, length, step):
        hours = Hours(weekdays(), [], NY)
        with pytest.raises(ValueError, match=r"^slot length and step must be positive$"):
            hours.slots(MONDAY, length, 1, step=step)

    def test_special_day_labels_speak_the_page_s_language(self):
        christmas = SpecialDay(
            date(2026, 12, 25),
            date(2026, 12, 25),
            label="Christmas",
            translations=(("es", "Navidad"),),
        )
        assert christmas.label_in("es") == "Navidad"
        assert christmas.label_in("fr") == "Christmas"


class TestTheSpringGap:
    """8 March 2026 in New York: at 2:00 the clocks jump to 3:00."""

    @pytest.mark.parametrize("typed", [time(2, 0), time(2, 15), time(2, 30), time(2, 59)])
    def test_a_time_inside_the_skipped_hour_happens_when_the_clocks_jump(self, typed):
        hours = Hours([], [], NY)
        minute = typed.hour * 60 + typed.minute
        jump = datetime(2026, 3, 8, 3, 0, tzinfo=NY).astimezone(UTC)
        assert hours.instant(date(2026, 3, 8), minute) == jump
        assert hours.instant(date(2026, 3, 8), minute).second == 0

    def test_an_alternate_week_rule_without_its_anchor_opens_every_week(self):
        """Such a rule is refused when saved; read from an old row, it is not a crash."""
        rule = WeeklyRule(4, time(9), time(13), every_other_week=True)
        assert rule.applies_on(date(2026, 11, 27)) and rule.applies_on(date(2026, 12, 4))


class TestSpecialDaysAndGaps:
    def test_a_special_day_open_until_midnight_is_open_late_that_night(self):
        eve = SpecialDay(date(2026, 12, 31), date(2026, 12, 31), ((time(20), time(0)),))
        hours = Hours(weekdays(), [eve], NY)
        assert hours.is_open(datetime(2026, 12, 31, 23, 30, tzinfo=NY))
        assert hours.spans_on(date(2026, 12, 31)) == [(20 * 60, 24 * 60)]

    def test_an_opening_inside_the_skipped_hour_leaves_the_day_s_others(self):
        """14 March 2027: an interval wholly inside 2:00-3:00 never opens; the day's
        later opening does."""
        rules = [WeeklyRule(6, time(2, 0), time(2, 30)), WeeklyRule(6, time(9), time(17))]
        hours = Hours(rules, [], NY)
        (only,) = hours.intervals(date(2027, 3, 14), date(2027, 3, 14))
        assert only[0] == datetime(2027, 3, 14, 9, 0, tzinfo=NY).astimezone(UTC)

    def test_a_moment_without_a_zone_is_refused_in_words(self):
        with pytest.raises(ValueError) as refused:
            Hours(weekdays(), [], NY).is_open(datetime(2026, 11, 23, 9, 0))
        assert str(refused.value) == "instants must be timezone-aware"
