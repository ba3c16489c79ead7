"""Template context shared by every page."""

from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from clinic import home_page
from clinic.locations import brand_locations
from clinic.opening import brand_opening


def brand(request):
    """Expose the brand and, lazily, what its hours mean right now.

    ``opening`` speaks for all the brand's locations (``clinic.opening.brand_opening``):
    an open location's phone while any is open, else the earliest reopening. It is
    computed only by templates that use it (the admin never does), at the moment of the
    request, so the open/closed status is never older than the page.
    """
    current = getattr(request, "brand", None)
    if current is None:
        return {"brand": None, "opening": None, "main_language": settings.LANGUAGE_CODE}

    def lead_opening():
        return brand_opening(brand_locations(current), timezone.now())

    def site_menu():
        return home_page.menu(current)

    return {
        "brand": current,
        # Text written in the site's main language (testimonials, untranslated content)
        # is marked as such on a page in another.
        "main_language": settings.LANGUAGE_CODE,
        "opening": SimpleLazyObject(lead_opening),
        # Read only where a page's menu is rendered (and then kept with the header).
        "site_menu": SimpleLazyObject(site_menu),
    }
