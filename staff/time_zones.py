"""The time zone a member of staff reads and types back-office times in.

Their own choice (``StaffProfile.time_zone``), else the zone of their first clinic's
main location (a Portland editor reads Portland time without setting anything), else
``BACK_OFFICE_TIME_ZONE``. The middleware makes it the current zone on every
back-office page; a consultation's own times stay in its location's zone
(appointments.admin), which says so.
"""

from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.utils import timezone

from portal.paths import ADMIN_PREFIX


@lru_cache(maxsize=1)
def choices() -> list[tuple[str, str]]:
    """Every IANA zone people live in (no "Etc/" offsets), by name."""
    names = sorted(
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    )
    return [(name, name.replace("_", " ")) for name in names]


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(value for value, _label in choices())


def is_zone(name: str) -> bool:
    return name in _names()


def set_own_zone(user, name: str) -> None:
    """Keep ``name`` ("" : the clinics' own zone) as the zone ``user`` sees times in."""
    from staff.models import StaffProfile

    if name and not is_zone(name):
        raise ValueError(f"Not a time zone: {name!r}")
    StaffProfile.objects.update_or_create(user=user, defaults={"time_zone": name})


def default_zone(user) -> ZoneInfo:
    """The zone of the user's first clinic's main location (by clinic name)."""
    from clinic.locations import primary_location

    membership = (
        user.brand_memberships.select_related("brand").order_by("brand__name", "pk").first()
    )
    location = primary_location(membership.brand) if membership else None
    if location is not None:
        return location.zone
    return ZoneInfo(settings.BACK_OFFICE_TIME_ZONE)


def zone_for(user) -> ZoneInfo:
    from staff.models import StaffProfile

    chosen = StaffProfile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    if chosen and is_zone(chosen):
        return ZoneInfo(chosen)
    return default_zone(user)


class StaffTimeZoneMiddleware:
    """Every back-office page in the signed-in member of staff's own zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path_info.startswith(ADMIN_PREFIX)
            and user is not None
            and user.is_authenticated
            and user.is_staff
        ):
            with timezone.override(session_zone(request)):
                return self.get_response(request)
        return self.get_response(request)


SESSION_KEY = "staff_time_zone"


def session_zone(request) -> ZoneInfo:
    """The user's zone, worked out once a session (``remember`` when it changes)."""
    name = request.session.get(SESSION_KEY)
    if not (name and is_zone(name)):
        name = zone_for(request.user).key
        request.session[SESSION_KEY] = name
    return ZoneInfo(name)


def remember(request, zone: ZoneInfo) -> None:
    request.session[SESSION_KEY] = zone.key


def typing_help() -> str:
    """The help under a time staff type: whose time it is (the current zone, the
    reader's own on back-office pages), with today's abbreviation."""
    from django.utils.translation import gettext as _

    zone = timezone.get_current_timezone()
    return _("In your time zone: %(zone)s (%(abbreviation)s now).") % {
        "zone": zone.key.replace("_", " "),
        "abbreviation": timezone.localtime(timezone.now(), zone).tzname(),
    }
