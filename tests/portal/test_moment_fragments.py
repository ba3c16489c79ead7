"""Parts of a page that depend on the moment ("open now", calls to action, "today")
are rendered once and reused until the brand's pages change by themselves: the next
opening or closing, the next local midnight, or a save (``moment_fragment``)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.conftest import HOST_A, client_for
from tests.factories import article, reference_location

NY = ZoneInfo("America/New_York")


@pytest.fixture(params=[True, False], ids=["page cache", "fragments only"])
def page_cache(request, settings):
    settings.PAGE_CACHE = request.param
    settings.PAGE_CACHE_SECONDS = 24 * 3600  # only the hours and midnight bound a page
    return request.param


def page(path):
    return client_for(host=HOST_A).get(path).content.decode()


def test_open_now_turns_on_the_minute_the_clinic_opens(brand_a, page_cache):
    reference_location(brand_a)  # Mondays 8 A.M. to 4:30 P.M.
    article(brand_a, slug="piece")
    with time_machine.travel(datetime(2026, 11, 23, 7, 59, tzinfo=NY), tick=False):
        before = page("/articles/piece/")
        assert page("/articles/piece/") == before  # reused within the minute...
    assert "Open now" not in before and "Closed" in before
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=NY), tick=False):
        after = page("/articles/piece/")
    assert "Open now · closes 4:30" in after  # ...and not a moment longer


def test_tomorrow_becomes_today_at_midnight(brand_a, page_cache):
    """Closed from Friday evening to Monday 8 A.M.: the words still change at midnight."""
    reference_location(brand_a)
    with time_machine.travel(datetime(2026, 11, 22, 23, 58, tzinfo=NY), tick=False):
        sunday = page("/")
    with time_machine.travel(datetime(2026, 11, 23, 0, 1, tzinfo=NY), tick=False):
        monday = page("/")
    assert "opens tomorrow 8" in sunday.replace("\xa0", " ")
    assert "opens tomorrow" not in monday and "opens 8" in monday.replace("\xa0", " ")


def test_a_location_in_another_time_zone_has_its_own_midnight(brand_a, page_cache):
    """Los Angeles still says "tomorrow" when New York's day has already begun."""
    reference_location(brand_a, time_zone="America/Los_Angeles")
    with time_machine.travel(datetime(2026, 11, 23, 1, 0, tzinfo=NY), tick=False):
        late_sunday_in_la = page("/")
    with time_machine.travel(datetime(2026, 11, 23, 3, 1, tzinfo=NY), tick=False):
        monday_in_la = page("/")
    assert "opens tomorrow 8" in late_sunday_in_la.replace("\xa0", " ")
    assert "opens tomorrow" not in monday_in_la


def test_renaming_the_brand_shows_in_the_header_at_once(brand_a, page_cache):
    reference_location(brand_a)
    assert "<span>Alpha Wellness</span>" in page("/locations/")
    brand_a.name = "Alpha Sleep Clinic"
    brand_a.save()
    fresh = page("/locations/")
    assert "<span>Alpha Sleep Clinic</span>" in fresh and "<span>Alpha Wellness</span>" not in fresh
