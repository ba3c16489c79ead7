"""A brand's active locations with their hours, cached per brand.

Pages ask here instead of querying: a warm request costs no query however many
locations and rules a brand has. The list is keyed on the brand's generation, which
any save of the brand's content bumps after commit (portal.retirement).
"""

import copy
from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from clinic.models import Location, SpecialHours
from portal import generations
from portal.generations import DecodedMemo

CACHE_SECONDS = 60 * 60
# Unpickling a brand's locations with their hours costs more than the rest of a cached
# page. Each process keeps the decoded lists it has read, by brand and generation: the
# generation is read from the shared cache on every request, so a save anywhere makes
# every process read the new list at once (nothing here can be stale).
_decoded = DecodedMemo(256)


def _load(brand) -> list[Location]:
    # Past special days can never matter again; leave them out of the cached copy.
    cutoff = timezone.now().date() - timedelta(days=2)
    current_specials = SpecialHours.objects.for_brand(brand).filter(
        Q(last_day__gte=cutoff) | Q(last_day__isnull=True, first_day__gte=cutoff)
    )
    return list(
        Location.objects.for_brand(brand)
        .filter(is_active=True)
        .prefetch_related("opening_hours", Prefetch("special_hours", queryset=current_specials))
    )


def brand_locations(brand) -> list[Location]:
    """Return the brand's active locations in display order, hours prefetched.

    Kept on the brand object for the rest of the request: the middleware (time zone)
    and the page (hours widget) both ask, and each cache read means an unpickling.
    """
    remembered = getattr(brand, "_active_locations", None)
    if remembered is not None:
        return remembered
    key = f"clinic:locations:{brand.pk}:{generations.of_brand(brand)}"
    locations = _decoded.fetch(key, lambda: _load(brand), CACHE_SECONDS)
    for location in locations:
        location.calendar()  # built once per process and generation, then shared
    # The request gets its own copies (it sets their brand; threads may share a process).
    locations = [copy.copy(location) for location in locations]
    for location in locations:
        location.brand = brand  # the request's brand: no query, no stale copy
    brand._active_locations = locations
    return locations


def primary_location(brand) -> Location | None:
    """Return the brand's main location: the first active one."""
    locations = brand_locations(brand)
    return locations[0] if locations else None


def location_by_slug(brand, slug: str) -> Location | None:
    return next((loc for loc in brand_locations(brand) if loc.slug == slug), None)


def timetable_changes(brand, now):
    """When the brand's pages next change by themselves because of its locations: each
    location's next opening or closing, and its next local midnight ("today", "tomorrow"
    and the highlighted weekday move on then). Registered with the page cache."""
    from portal.pagecache import next_midnight

    for location in brand_locations(brand):
        calendar = location.calendar()
        change = calendar.next_change(now)
        yield change.at if change else None
        yield next_midnight(calendar.tz, now)
