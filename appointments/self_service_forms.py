"""The forms of the patient's own page (appointments/self_service_views.py)."""

from django import forms
from django.utils.translation import gettext_lazy

from appointments import slots as slot_logic
from appointments.forms import _slot_choices, _zone_help
from portal.form_fields import field_of
from portal.text import clean_text

NOT_OFFERED = gettext_lazy(
    "That time is not available any more (it may have passed or been taken). Please choose another."
)


class _TimesForm(forms.Form):
    """A choice among the location's real free times, grouped by day, the zone named."""

    slot = forms.ChoiceField(
        label=gettext_lazy("New time"),
        error_messages={
            "invalid_choice": NOT_OFFERED,
            "required": gettext_lazy("Choose a time."),
        },
    )

    offers_no_preference = True

    def __init__(self, *args, item, now, **kwargs):
        super().__init__(*args, **kwargs)
        location = item.location
        offered = slot_logic.open_slots([location], now) if location else {}
        if location and item.confirmed_slot:  # the time it has already is no new time
            offered[location.pk] = [
                s for s in offered[location.pk] if s.starts_at != item.confirmed_slot
            ]
        field_of(self, "slot", forms.ChoiceField).choices = _slot_choices(
            [location] if location else [],
            offered,
            False,
            no_preference=self.offers_no_preference,
        )
        if location:
            self.fields["slot"].help_text = _zone_help([location], now)

    def chosen_time(self):
        parsed = slot_logic.parse_value(self.cleaned_data.get("slot") or "")
        return parsed[1] if parsed else None


class MoveForm(_TimesForm):
    offers_no_preference = False  # moving means choosing a time


class AvailabilityForm(_TimesForm):
    note = forms.CharField(
        label=gettext_lazy("Or tell us what suits you"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example: weekday mornings, or after 3 P.M."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].required = False
        self.fields["slot"].label = gettext_lazy("A time that suits you")

    def clean_note(self):
        return clean_text(self.cleaned_data["note"])

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not self.errors and not data.get("slot") and not data.get("note"):
            raise forms.ValidationError(gettext_lazy("Choose a time or tell us what suits you."))
        return data


class CancelForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, cancel it"),
        error_messages={"required": gettext_lazy("Tick the box to confirm the cancellation.")},
    )
