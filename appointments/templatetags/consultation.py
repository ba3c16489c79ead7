"""What the patient chose, said back to them: times where the consultation is, in the
patient's language (the formats themselves are translated: "Tuesday, December 8, 2026"
is "martes 8 de diciembre de 2026")."""

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import pgettext

from clinic.hours_text import moment_text

register = template.Library()


def _zone(location):
    return location.zone if location is not None else timezone.get_current_timezone()


@register.filter
def at_location(instant, location) -> str:
    """``{{ request.preferred_slot|at_location:location }}``: "Tuesday, December 8,
    9 A.M. EST", in the location's zone (the site's without one)."""
    if instant is None:
        return ""
    return moment_text(instant, _zone(location))


@register.filter
def full_time_at(instant, location) -> str:
    """ "Tuesday, December 8, 2026, 9:00 AM": a consultation's time in an e-mail."""
    if instant is None:
        return ""
    local = timezone.localtime(instant, _zone(location))
    return dateformat.format(local, pgettext("date format", "l, F j, Y, g:i A"))


@register.filter
def day_at(instant, location) -> str:
    """ "December 8": a consultation's day in an e-mail's subject."""
    if instant is None:
        return ""
    local = timezone.localtime(instant, _zone(location))
    return dateformat.format(local, pgettext("date format", "F j"))
