"""Opening hours in words and as schema.org data (pure, no database)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from clinic.hours import Hours, SpecialDay, WeeklyRule
from clinic.hours_schema import opening_hours_specification
from clinic.hours_text import (
    callback_line,
    clock,
    special_rows,
    status_line,
    today_text,
    week_table,
)
from tests.clinic.test_hours import reference_rules

NY = ZoneInfo("America/New_York")
THANKSGIVING = SpecialDay(date(2026, 11, 26), date(2026, 11, 26), (), "Thanksgiving")


def at(*args):
    return datetime(*args, tzinfo=NY)


@pytest.mark.parametrize(
    ("minute", "text"),
    [
        (0, "midnight"),
        (8 * 60, "8 A.M."),
        (16 * 60 + 30, "4:30 P.M."),
        (720, "noon"),
        (1440, "midnight"),
        (13 * 60 + 5, "1:05 P.M."),
        (30, "12:30 A.M."),
    ],
)
def test_clock(minute, text):
    assert clock(minute) == text


def test_the_reference_week_reads_as_people_say_it():
    hours = Hours(reference_rules(), [], NY)
    rows = week_table(hours, at(2026, 11, 21, 10))  # a Saturday
    assert [(row.label, row.text) for row in rows] == [
        ("Monday – Thursday", "8 A.M. – 4:30 P.M."),
        ("Friday", "8 A.M. – 4:30 P.M. every other week — next open Friday, November 27"),
        ("Saturday – Sunday", "closed"),
    ]
    assert [row.is_today for row in rows] == [False, False, True]


def test_the_next_open_friday_skips_a_holiday_on_it():
    closure = SpecialDay(date(2026, 11, 27), date(2026, 11, 27), (), "Day after Thanksgiving")
    hours = Hours(reference_rules(), [closure], NY)
    friday = week_table(hours, at(2026, 11, 21, 10))[1]
    assert friday.text.endswith("next open Friday, December 11")


def test_a_lunch_break_and_single_days():
    rules = [
        WeeklyRule(0, time(8), time(12)),
        WeeklyRule(0, time(13), time(17)),
        WeeklyRule(2, time(8), time(12)),
    ]
    rows = week_table(Hours(rules, [], NY), at(2026, 11, 23, 9))
    assert [(row.label, row.text) for row in rows] == [
        ("Monday", "8 A.M. – noon, 1 P.M. – 5 P.M."),
        ("Tuesday", "closed"),
        ("Wednesday", "8 A.M. – noon"),
        ("Thursday – Sunday", "closed"),
    ]


def test_the_table_can_describe_an_announced_future_week():
    new = [WeeklyRule(d, time(9), time(17), valid_from=date(2027, 1, 4)) for d in range(5)]
    hours = Hours(reference_rules() + new, [], NY)
    rows = week_table(hours, at(2026, 11, 21, 10), reference=date(2027, 1, 4))
    assert (rows[0].label, rows[0].text) == ("Monday – Friday", "9 A.M. – 5 P.M.")


@pytest.mark.parametrize(
    ("moment", "status", "callback"),
    [
        (
            at(2026, 11, 23, 9),
            "Open now · closes 4:30 P.M.",
            "We’re open now and will call you back today.",
        ),
        (
            at(2026, 11, 21, 10),
            "Closed · opens Monday 8 A.M.",
            "We’ll call you back Monday after 8 A.M.",
        ),
        (at(2026, 11, 23, 7), "Closed · opens 8 A.M.", "We’ll call you back today after 8 A.M."),
        (
            at(2026, 11, 23, 17),
            "Closed · opens tomorrow 8 A.M.",
            "We’ll call you back tomorrow after 8 A.M.",
        ),
        # Thanksgiving Thursday closed, Friday 27 is an "on" Friday.
        (
            at(2026, 11, 25, 17),
            "Closed · opens Friday 8 A.M.",
            "We’ll call you back Friday after 8 A.M.",
        ),
    ],
)
def test_status_and_callback_lines(moment, status, callback):
    hours = Hours(reference_rules(), [THANKSGIVING], NY)
    answer = hours.status(moment)
    assert status_line(answer, moment, hours) == status
    assert callback_line(answer, moment, hours) == callback


def test_a_far_opening_names_its_date():
    closure = SpecialDay(date(2026, 11, 23), date(2026, 12, 31), (), "Renovation")
    hours = Hours(reference_rules(), [closure], NY)
    moment = at(2026, 11, 21, 10)
    assert status_line(hours.status(moment), moment, hours) == (
        "Closed · opens Monday, January 4 8 A.M."  # Jan 1 is an "off" Friday
    )


def test_closed_for_good_says_so():
    hours = Hours([], [], NY)
    moment = at(2026, 11, 21, 10)
    assert status_line(hours.status(moment), moment, hours) == "Closed until further notice"


def test_today_names_the_holiday():
    hours = Hours(reference_rules(), [THANKSGIVING], NY)
    assert today_text(hours, at(2026, 11, 26, 9)) == "closed (Thanksgiving)"
    assert today_text(hours, at(2026, 11, 24, 9)) == "8 A.M. – 4:30 P.M."


def test_upcoming_special_rows():
    eve = SpecialDay(
        date(2026, 12, 24), date(2026, 12, 24), ((time(8), time(12)),), "Christmas Eve"
    )
    past = SpecialDay(date(2026, 7, 3), date(2026, 7, 3), (), "Independence Day")
    hours = Hours(reference_rules(), [THANKSGIVING, eve, past], NY)
    rows = special_rows(hours, at(2026, 11, 21, 10))
    assert [(r.dates, r.text, r.label) for r in rows] == [
        ("Thursday, November 26", "closed", "Thanksgiving"),
        ("Thursday, December 24", "8 A.M. – noon", "Christmas Eve"),
    ]


class TestSchemaOrg:
    def test_the_regular_week_groups_days_and_dates_the_alternate_fridays(self):
        hours = Hours(reference_rules(), [THANKSGIVING], NY)
        spec = opening_hours_specification(hours, at(2026, 11, 21, 10), weeks=3)
        weekly = spec[0]
        assert weekly["dayOfWeek"] == [
            "https://schema.org/Monday",
            "https://schema.org/Tuesday",
            "https://schema.org/Wednesday",
            "https://schema.org/Thursday",
        ]
        assert (weekly["opens"], weekly["closes"]) == ("08:00", "16:30")
        dated = {(e["validFrom"], e["opens"], e["closes"]) for e in spec[1:]}
        assert dated == {
            ("2026-11-26", "00:00", "00:00"),  # Thanksgiving: closed
            ("2026-11-27", "08:00", "16:30"),  # an "on" Friday
            ("2026-12-11", "08:00", "16:30"),
        }

    def test_a_new_weekly_set_gets_valid_from_and_the_old_valid_through(self):
        new = [WeeklyRule(d, time(9), time(17), valid_from=date(2026, 12, 7)) for d in range(5)]
        hours = Hours(reference_rules() + new, [], NY)
        spec = opening_hours_specification(hours, at(2026, 11, 21, 10), weeks=4)
        assert spec[0]["validThrough"] == "2026-12-06"
        assert any(e.get("validFrom") == "2026-12-07" and e["opens"] == "09:00" for e in spec)

    def test_midnight_closing_is_written_as_23_59(self):
        hours = Hours([WeeklyRule(0, time(18), time(0))], [], NY)
        spec = opening_hours_specification(hours, at(2026, 11, 21, 10))
        assert spec[0]["closes"] == "23:59"


class TestUpcomingExceptions:
    """This week's and next week's special days, in the words the widget shows."""

    def hours(self, *specials):
        from clinic.hours import Hours, WeeklyRule

        rules = [WeeklyRule(day, time(8), time(16, 30)) for day in range(5)]
        return Hours(rules, specials, "America/New_York")

    def test_this_and_next_week_only(self):
        from clinic.hours import SpecialDay
        from clinic.hours_text import upcoming_exceptions

        hours = self.hours(
            SpecialDay(date(2026, 11, 20), date(2026, 11, 20), (), "Past"),
            SpecialDay(date(2026, 11, 26), date(2026, 11, 27), (), "Thanksgiving"),
            SpecialDay(date(2026, 12, 4), date(2026, 12, 4), ((time(9), time(12)),), "Training"),
            SpecialDay(date(2026, 12, 7), date(2026, 12, 7), (), "Too far"),
        )
        wednesday = datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("America/New_York"))
        assert upcoming_exceptions(hours, wednesday) == [
            "Thursday, November 26 – Friday, November 27: closed (Thanksgiving)",
            "Friday, December 4: 9 A.M. – noon (Training)",
        ]

    def test_a_range_already_begun_starts_today(self):
        from clinic.hours import SpecialDay
        from clinic.hours_text import upcoming_exceptions

        hours = self.hours(SpecialDay(date(2026, 11, 20), date(2026, 11, 25), (), "Works"))
        wednesday = datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("America/New_York"))
        assert upcoming_exceptions(hours, wednesday) == ["Wednesday, November 25: closed (Works)"]
