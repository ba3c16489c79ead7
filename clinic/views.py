"""Public brand pages: home, locations, privacy notice, theme."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from clinic import home_page, hours_text, links, structured_data
from clinic.access import brand_ids_with
from clinic.locations import brand_locations, location_by_slug
from clinic.opening import opening_of
from clinic.typefaces import theme_fonts


def may_edit_home(user, brand) -> bool:
    """May ``user`` see this brand's draft home page sections?"""
    if not (user.is_authenticated and user.is_staff):
        return False
    brands = brand_ids_with(user, "pages.view_homesection")
    return brands is None or brand.pk in brands


@require_safe
def home(request):
    brand = request.brand
    preview = "preview" in request.GET
    if preview and not may_edit_home(request.user, brand):
        # Drafts are for the clinic's staff: sign in on this site first.
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    response = render(
        request,
        "clinic/home.html",
        {
            # Worked out only when the sections are rendered (not when reused).
            "blocks": SimpleLazyObject(lambda: home_page.blocks(request, preview=preview)),
            "preview": preview,
            "structured_data": structured_data.organization(brand, request),
        },
    )
    if preview:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def privacy(request):
    # The period `purge_consultations` keeps a closed request's details: stated, not typed.
    return render(
        request, "clinic/privacy.html", {"retention_days": settings.CONSULTATION_RETENTION_DAYS}
    )


@require_safe
def locations(request):
    now = timezone.now()
    openings = [opening_of(location, now) for location in brand_locations(request.brand)]
    return render(request, "clinic/locations.html", {"openings": openings})


@require_safe
def location(request, slug):
    found = location_by_slug(request.brand, slug)
    if found is None:
        raise Http404(_("No such location."))
    now = timezone.now()
    opening = opening_of(found, now)
    hours = opening.hours
    upcoming_start = hours.upcoming_set_start(hours.local(now).date())
    context = {
        "location": found,
        "location_opening": opening,
        "specials": hours_text.special_rows(hours, now),
        "upcoming_start": upcoming_start,
        "upcoming_week": (
            hours_text.week_table(hours, now, reference=upcoming_start) if upcoming_start else None
        ),
        "structured_data": structured_data.medical_clinic(
            found, links.here(request, found.get_absolute_url()), now, request
        ),
        "breadcrumbs": structured_data.breadcrumb_list(
            request,
            [
                (_("Home"), reverse("clinic:home")),
                (_("Locations"), reverse("clinic:locations")),
                (found.name, found.get_absolute_url()),
            ],
        ),
    }
    return render(request, "clinic/location.html", context)


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24)
def favicon(request):
    """Answer the address browsers and feed readers try on their own (/favicon.ico)."""
    brand = request.brand
    return HttpResponseRedirect(brand.favicon.url if brand.favicon else static("favicon.svg"))


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24 * 365, immutable=True)
def theme(request):
    """Serve the brand's colours as CSS (a file, so the CSP can forbid inline styles).

    The URL carries a fingerprint of the colours, so a year-long cache is safe.
    """
    return render(
        request,
        "clinic/theme.css",
        {"fonts": theme_fonts(request.brand.typeface)},
        content_type="text/css; charset=utf-8",
    )


@never_cache
@require_safe
def staff_handoff(request, token):
    """Sign in on this brand's site a member of staff the back office sent here."""
    from django.contrib.auth import get_user_model, login

    from clinic import back_office

    redeemed = back_office.redeem(token, request.brand)
    if redeemed is None:
        return render(request, "clinic/handoff_gone.html", status=410)
    user_id, next_url, device_id = redeemed
    user = get_user_model().objects.filter(pk=user_id, is_active=True, is_staff=True).first()
    if user is None:
        return render(request, "clinic/handoff_gone.html", status=410)
    login(request, user, backend="clinic.auth.BrandRoleBackend")
    # The back office's session passed the second factor: so has this one.
    from django_otp import login as otp_login
    from django_otp.models import Device

    device = Device.from_persistent_id(device_id, for_verify=False)
    if device is not None and device.user_id == user.pk:
        otp_login(request, device)
    return HttpResponseRedirect(next_url)
