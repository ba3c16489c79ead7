"""What the patient chose, said back to them: times where the consultation is."""

from django import template
from django.utils import timezone

from clinic.hours_text import moment_text

register = template.Library()


@register.filter
def at_location(instant, location) -> str:
    """``{{ request.preferred_slot|at_location:location }}``: "Tuesday, December 8,
    9 A.M. EST", in the location's zone (the site's without one)."""
    if instant is None:
        return ""
    zone = location.zone if location is not None else timezone.get_current_timezone()
    return moment_text(instant, zone)
