"""The public consultation form."""

from datetime import date
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.formfields import PhoneNumberField

from appointments import slots as slot_logic
from appointments.models import ContactMethod
from appointments.widgets import ManyOptionsSelect
from clinic.hours_text import clock_of, long_date
from portal import languages
from portal.form_fields import field_of
from portal.text import clean_text


def _ambiguous(local) -> bool:
    """Return True when this wall-clock time happens twice (the hour clocks go back)."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _zone_help(locations, now) -> str:
    """Say whose clock the times are on: "Times are local time in Miami and Fort
    Lauderdale (EST).", per zone when the locations are in several."""
    towns: dict[str, list[str]] = {}
    for location in locations:
        # Help text is shown as HTML (crispy forms): a town is staff's text, escaped.
        place = escape(location.locality or location.name)
        names = towns.setdefault(location.zone.key, [])
        if place not in names:
            names.append(place)
    parts = [
        _("%(places)s (%(zone)s)")
        % {
            "places": _(" and ").join(names),
            "zone": timezone.localtime(now, locations_zone).tzname(),
        }
        for key, names in towns.items()
        for locations_zone in [ZoneInfo(key)]
    ]
    if not parts:
        return ""
    return _("Times are local time in %(places)s.") % {"places": "; ".join(parts)}


def _slot_choices(locations, offered, several: bool, *, no_preference: bool = True):
    choices: list = []
    if no_preference:
        choices.append(("", gettext_lazy("No preference: call me to agree a time")))
    # Each day and each time of day is put into words once.
    days: dict[date, str] = {}
    clocks: dict[int, str] = {}
    for location in locations:
        zone = location.zone
        by_day: dict[str, list] = {}
        for slot in offered.get(location.pk, []):
            local = slot.starts_at.astimezone(zone)
            day = days.get(local.date()) or days.setdefault(local.date(), long_date(local.date()))
            minute = local.hour * 60 + local.minute
            time = clocks.get(minute) or clocks.setdefault(minute, clock_of(local))
            if _ambiguous(local):
                # The night clocks go back, "1 A.M." happens twice: name the zone.
                time = f"{time} {local.tzname()}"
            label = f"{location.name} · {day}" if several else day
            by_day.setdefault(label, []).append((slot.value, f"{day}, {time}"))
        choices.extend(by_day.items())
    return choices


class ConsultationForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneNumberField(
        label=gettext_lazy("Phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_method = forms.ChoiceField(
        label=gettext_lazy("How should we contact you?"),
        choices=ContactMethod.choices,
        initial=ContactMethod.PHONE,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Which language should we use with you?"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        required=False,
    )
    location: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Location"), queryset=None, empty_label=None
    )
    topic: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("What would you like to talk about?"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Something else / not sure"),
    )
    treatment: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Is there a treatment you are asking about?"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Not sure yet"),
    )
    slot = forms.ChoiceField(
        label=gettext_lazy("Preferred time"),
        required=False,
        widget=ManyOptionsSelect,
        error_messages={
            "invalid_choice": gettext_lazy(
                "That time is not available (it may have passed or been taken). "
                "Please choose another time, or no preference."
            )
        },
    )
    preference_note = forms.CharField(
        label=gettext_lazy("Or tell us what suits you"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example: weekday mornings, or after 3 P.M."),
    )
    message = forms.CharField(
        label=gettext_lazy("Anything you would like us to know (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Please do not include detailed medical history here; we will ask when we call."
        ),
    )
    consent = forms.BooleanField(required=True)
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    article = forms.SlugField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, brand, locations, topics, treatments, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.brand = brand
        # Slots are offered by the minute: the blank page is rendered once a minute
        # (appointments.blank_form), and its choices must still be valid when sent
        # within that minute.
        self.now = (now or timezone.now()).replace(second=0, microsecond=0)
        self.locations = list(locations)
        self.offered = slot_logic.open_slots(self.locations, self.now)
        several = len(self.locations) > 1
        field_of(self, "phone", PhoneNumberField).region = brand.country
        self._choose_languages(brand)
        field_of(self, "location", forms.ModelChoiceField).queryset = brand.locations.filter(
            pk__in=[loc.pk for loc in self.locations]
        )
        if not several:
            self.fields["location"].required = False
            self.fields["location"].widget = forms.HiddenInput()
        field_of(self, "topic", forms.ModelChoiceField).queryset = topics
        field_of(self, "treatment", forms.ModelChoiceField).queryset = treatments
        self.offers_treatments = treatments.exists()
        if not self.offers_treatments:
            del self.fields["treatment"]
        field_of(self, "slot", forms.ChoiceField).choices = _slot_choices(
            self.locations, self.offered, several
        )
        self.fields["slot"].help_text = _zone_help(self.locations, self.now)
        # With JavaScript the one list becomes a day, then a time (static/js/consultation.js);
        # these are the two lists' names in the page's language.
        self.fields["slot"].widget.attrs.update(
            {"data-day-label": _("Day"), "data-time-label": _("Time")}
        )
        privacy = reverse("clinic:privacy")
        self.fields["consent"].label = format_html(
            _(
                "I agree that {} may use these details to contact me about my request, as "
                'described in its <a href="{}" target="_blank">privacy notice</a>.'
            ),
            brand.name,
            privacy,
        )
        self.fields["consent"].error_messages["required"] = _(
            "Please tick the box to let us contact you; we cannot reply without it."
        )
        self.helper = self._helper()

    def _choose_languages(self, brand):
        """The brand's languages, each named in itself; the page's own chosen at first."""
        offered = brand.language_codes
        field_of(self, "language", forms.ChoiceField).choices = [
            (code, languages.NATIVE_NAMES.get(code, code)) for code in offered
        ]
        page = translation.get_language()
        self.fields["language"].initial = page if page in offered else offered[0]
        self.asks_language = len(offered) > 1
        if not self.asks_language:
            self.fields["language"].widget = forms.HiddenInput()

    def clean_language(self):
        # Unsent (a one-language site, or an old form): the language the page was in.
        chosen = self.cleaned_data.get("language")
        return chosen or self.fields["language"].initial

    def _helper(self):
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Div(
                Field("website", tabindex="-1", autocomplete="off"),
                css_class="hp-field",
                aria_hidden="true",
            ),
            "name",
            "email",
            "phone",
            "contact_method",
            "language",
            "location",
            "topic",
            *(["treatment"] if self.offers_treatments else []),
            Field("slot", css_class="form-select"),
            "preference_note",
            "message",
            "consent",
            "submission_token",
            "article",
            Submit("submit", _("Request a consultation"), css_class="btn-brand btn-lg"),
        )
        return helper

    def clean_name(self):
        name = clean_text(self.cleaned_data["name"])
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Please enter your name."))
        return name

    def clean_preference_note(self):
        return clean_text(self.cleaned_data["preference_note"])

    def clean_message(self):
        return clean_text(self.cleaned_data["message"], multiline=True)

    def clean_location(self):
        location = self.cleaned_data.get("location")
        if location is None and len(self.locations) == 1:
            return self.locations[0]
        return location

    def clean(self):
        super().clean()
        data = self.cleaned_data
        value = data.get("slot")
        location = data.get("location")
        data["preferred_slot"] = None
        if value:
            parsed = slot_logic.parse_value(value)
            offered = {slot.value for slots in self.offered.values() for slot in slots}
            if parsed is None or value not in offered:
                self.add_error(
                    "slot",
                    _(
                        "That time is not available (it may have passed or been taken). "
                        "Please choose another time, or no preference."
                    ),
                )
            elif location is not None and parsed[0] != location.pk:
                self.add_error(
                    "slot", _("That time belongs to another location. Please choose again.")
                )
            else:
                data["preferred_slot"] = parsed[1]
        return data

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class ContactCorrectionForm(forms.Form):
    """Staff putting right how to reach a patient: the public form's own rules for a
    name, an address and a number."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254)
    phone = PhoneNumberField(
        label=gettext_lazy("Phone"),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text=gettext_lazy("A number of the clinic's country, or one starting with +."),
    )
    contact_method = forms.ChoiceField(
        label=gettext_lazy("Preferred contact"), choices=ContactMethod.choices
    )

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        phone = self.fields["phone"]
        assert isinstance(phone, PhoneNumberField)
        phone.region = country  # local numbers are read as the clinic's country's

    def clean_name(self):
        name = clean_text(self.cleaned_data["name"])
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Enter the patient's name."))
        return name
