"""A member of staff's own page for the time zone they read the back office in."""

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from portal.form_fields import field_of
from staff import time_zones
from staff.models import StaffProfile


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Your time zone"),
        required=False,
        help_text=gettext_lazy(
            "Every date and time in the back office is shown, and read when you type it, "
            "in this zone. A consultation's own times stay in its location's zone, and "
            "say so."
        ),
    )

    def __init__(self, *args, default, **kwargs):
        super().__init__(*args, **kwargs)
        label = _("Your clinic's: %(zone)s") % {"zone": default.key.replace("_", " ")}
        field_of(self, "time_zone", forms.ChoiceField).choices = [
            ("", label),
            *time_zones.choices(),
        ]


@never_cache
@staff_member_required
def own_time_zone(request):
    user = request.user
    from staff import two_factor

    if two_factor.is_required(user) and not two_factor.is_verified(request):
        return redirect("admin:index")  # which asks for the second factor first
    default = time_zones.default_zone(user)
    profile = StaffProfile.objects.filter(user=user).first()
    form = TimeZoneForm(
        request.POST or None,
        default=default,
        initial={"time_zone": profile.time_zone if profile else ""},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["time_zone"]
        time_zones.set_own_zone(user, chosen)
        zone = ZoneInfo(chosen) if chosen else default
        time_zones.remember(request, zone)
        now = timezone.localtime(timezone.now(), zone)
        messages.success(
            request,
            _("Times are now shown in %(zone)s: it is %(time)s there.")
            % {"zone": zone.key.replace("_", " "), "time": f"{now:%H:%M} {now.tzname()}"},
        )
        return redirect("staff_time_zone")
    context = {
        **admin.site.each_context(request),
        "title": _("Your time zone"),
        "form": form,
    }
    return render(request, "staff/time_zone.html", context)
