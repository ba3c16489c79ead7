"""seed_demo on a database of its own: refused in production, and the demo's hours
seeded at a known date (the other demo tests share one seeded world: test_seed_demo)."""

import pytest
from django.core.management import CommandError, call_command

from clinic.models import Brand


def test_it_refuses_to_seed_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run with PORTAL_ENV=production"):
        call_command("seed_demo")
    assert Brand.objects.count() == 0


def test_the_demo_locations_have_exactly_the_reference_hours(db):
    from datetime import date, time

    import time_machine

    from clinic.models import Location

    with time_machine.travel(date(2026, 11, 21), tick=False):
        call_command("seed_demo")
    brickell = Location.objects.get(brand__slug="kmd", slug="brickell")
    assert brickell.time_zone == "America/New_York"
    rules = sorted(
        (r.weekday, r.opens, r.closes, r.recurrence) for r in brickell.opening_hours.all()
    )
    assert rules == [
        (0, time(8), time(16, 30), "weekly"),
        (1, time(8), time(16, 30), "weekly"),
        (2, time(8), time(16, 30), "weekly"),
        (3, time(8), time(16, 30), "weekly"),
        (4, time(8), time(16, 30), "every_other_week"),
    ]
    holidays = {h.first_day: h for h in brickell.special_hours.all()}
    thanksgiving, christmas = holidays[date(2026, 11, 26)], holidays[date(2026, 12, 25)]
    assert (thanksgiving.label, thanksgiving.is_closed) == ("Thanksgiving Day", True)
    assert (christmas.label, christmas.is_closed) == ("Christmas Day", True)
    eve = holidays[date(2026, 12, 24)]
    assert (eve.opens, eve.closes) == (time(8), time(12, 30))
    # The federal holidays of the year ahead, and nothing before today.
    assert {date(2027, 1, 18), date(2027, 5, 31), date(2027, 7, 5)} <= set(holidays)
    assert min(holidays) >= date(2026, 11, 21)
    assert date(2026, 11, 27) not in holidays  # Florida's own "Friday After": open
    for location in Location.objects.all():
        location.full_clean()
        assert location.opening_hours.count() == 5
