"""The "Add public holidays" admin action: a year's holidays for the chosen locations,
reviewed before anything is saved.

Staff pick locations in the list and the action. They see each holiday of the year
where those locations are (clinic/public_holidays.py), with which locations keep it and
a suggestion (closed for a national holiday, open as usual otherwise), and choose for
each: closed, open as usual, or short hours. Days a location already has special hours
for are shown and left as they are. Saving adds special hours rows, which every hours
display, "open now", callback promise, slot and JSON-LD already follow.
"""

from dataclasses import dataclass, field
from datetime import date, time

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clinic import public_holidays
from clinic.models import SpecialHours

CLOSED, OPEN, SHORT = "closed", "open", "short"
YEARS_AHEAD = 2  # this year and the next two


class HolidayChoiceForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=80, widget=forms.HiddenInput)
    choice = forms.ChoiceField(
        label=gettext_lazy("On that day"),
        choices=[
            (CLOSED, gettext_lazy("Closed")),
            (OPEN, gettext_lazy("Open as usual")),
            (SHORT, gettext_lazy("Short hours")),
        ],
    )
    opens = forms.TimeField(
        label=gettext_lazy("opens"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"size": 6}),
    )
    closes = forms.TimeField(
        label=gettext_lazy("closes"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"size": 6}),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("choice") == SHORT:
            opens, closes = data.get("opens"), data.get("closes")
            if opens is None or closes is None:
                raise ValidationError(_("Give the opening and closing time of the short day."))
            if closes <= opens:
                raise ValidationError(_("The closing time must be after the opening time."))
        return data


HolidayFormSet = forms.formset_factory(HolidayChoiceForm, extra=0, max_num=100, validate_max=True)


@dataclass
class Row:
    holiday: public_holidays.Holiday
    locations: list = field(default_factory=list)  # keep it, no special hours yet
    already: list = field(default_factory=list)  # (location, its special hours label)


def rows_for(locations, year: int) -> list[Row]:
    by_day: dict[date, Row] = {}
    for location in locations:
        for holiday in public_holidays.for_year(location.country, location.region, year):
            row = by_day.setdefault(holiday.day, Row(holiday))
            row.locations.append(location)
    if by_day:
        taken = SpecialHours.objects.filter(
            location__in=list(locations),
            first_day__lte=max(by_day),
        ).select_related("location")
        for special in taken:
            for day, row in by_day.items():
                if special.first_day <= day <= special.effective_last_day and (
                    special.location in row.locations
                ):
                    row.locations.remove(special.location)
                    row.already.append((special.location, special.label or _("special hours")))
    return [by_day[day] for day in sorted(by_day)]


def _initial(row: Row) -> dict:
    return {
        "day": row.holiday.day,
        "name": row.holiday.name[:80],
        "choice": CLOSED if row.holiday.national else OPEN,
        "opens": time(8, 0),
        "closes": time(12, 0),
    }


def _year(request) -> int:
    this_year = timezone.localdate().year
    try:
        wanted = int(request.POST.get("year", this_year))
    except ValueError:
        wanted = this_year
    return min(max(wanted, this_year), this_year + YEARS_AHEAD)


def review(model_admin, request, queryset):
    """The action: show the review, or save what was chosen and go back to the list."""
    from clinic.access import brand_ids_with

    allowed = brand_ids_with(request.user, "clinic.add_specialhours")
    if allowed is not None:  # only where this member of staff may post closures
        queryset = queryset.filter(brand_id__in=allowed)
    locations = list(queryset.select_related("brand").order_by("brand__name", "name"))
    year = _year(request)
    rows = rows_for(locations, year)
    applying = "apply" in request.POST and request.POST.get("shown_year") == str(year)
    formset = HolidayFormSet(
        request.POST if applying else None,
        initial=[_initial(row) for row in rows if row.locations],
        prefix="holiday",
    )
    if applying and formset.is_valid():
        added = _save(rows, formset.cleaned_data)
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d holiday day saved as special hours.",
                "%(count)d holiday days saved as special hours.",
                added,
            )
            % {"count": added},
            messages.SUCCESS,
        )
        return None  # back to the list
    editable = iter(formset.forms)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Public holidays of %(year)d") % {"year": year},
        "opts": model_admin.model._meta,
        "locations": locations,
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year + YEARS_AHEAD + 1),
        "formset": formset,
        "rows": [
            (row, next(editable) if row.locations else None, date_format(row.holiday.day, "l"))
            for row in rows
        ],
        "action": request.POST.get("action", "add_public_holidays"),
        "no_country": [loc for loc in locations if not public_holidays.known(loc.country)],
    }
    return TemplateResponse(request, "admin/clinic/location/public_holidays.html", context)


@transaction.atomic
def _save(rows: list[Row], choices: list[dict]) -> int:
    """Add a special hours row per location for each day chosen closed or short."""
    by_day = {row.holiday.day: row for row in rows}
    added = 0
    for chosen in choices:
        row = by_day.get(chosen["day"])
        if row is None or chosen["choice"] == OPEN:
            continue
        for location in row.locations:
            special = SpecialHours(
                location=location,
                first_day=chosen["day"],
                label_en=chosen["name"][:80],
                # Its Spanish name where one is known (the /es/ pages' hours tables).
                label_es=public_holidays.name_in(chosen["name"], "es")[:80],
                opens=chosen["opens"] if chosen["choice"] == SHORT else None,
                closes=chosen["closes"] if chosen["choice"] == SHORT else None,
            )
            special.full_clean()
            special.save()
            added += 1
    return added
