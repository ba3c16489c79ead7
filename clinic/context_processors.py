"""Template context shared by every page."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from clinic.locations import primary_location
from clinic.opening import opening_of


def brand(request):
    """Expose the brand and, lazily, its main location's hours right now.

    ``opening`` is computed only by templates that use it (the admin never does), at
    the moment of the request, so the open/closed status is never older than the page.
    """
    current = getattr(request, "brand", None)
    if current is None:
        return {"brand": None, "opening": None}

    def main_opening():
        location = primary_location(current)
        return opening_of(location, timezone.now()) if location else None

    return {"brand": current, "opening": SimpleLazyObject(main_opening)}
