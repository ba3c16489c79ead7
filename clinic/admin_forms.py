"""Admin formsets that validate a location's hours as a whole."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from clinic import hours
from clinic.models.brands import Brand
from clinic.models.locations import OVERLAP_MESSAGE, special_conflict


class _WholeSetFormSet(BaseInlineFormSet):
    """Check rows against each other as submitted, not against their saved versions."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The model's own sibling check would compare with stale saved rows.
        form.instance._checked_with_siblings = True

    def live_forms(self):
        return [
            form
            for form in self.forms
            if form.is_valid()
            and (form.has_changed() or form.instance.pk is not None)
            and not form.cleaned_data.get(DELETION_FIELD_NAME)
        ]

    def clean(self):
        super().clean()
        forms = self.live_forms()
        problems = self.problems([form.instance for form in forms])
        for index, message in problems:
            forms[index].add_error(None, message)
        if problems:
            raise ValidationError(_("Please correct the conflicting rows below."))

    def problems(self, instances) -> list[tuple[int, str]]:
        raise NotImplementedError


class OpeningHoursFormSet(_WholeSetFormSet):
    def problems(self, instances):
        pairs = hours.rule_conflicts([row.as_rule() for row in instances])
        return [(second, str(OVERLAP_MESSAGE)) for _first, second in pairs]


class SpecialHoursFormSet(_WholeSetFormSet):
    def problems(self, instances):
        found = []
        for index, row in enumerate(instances):
            message = special_conflict(row, instances[:index])
            if message:
                found.append((index, str(message)))
        return found


class BrandForm(forms.ModelForm):
    """The brand, its languages chosen with a box each (stored as "en es")."""

    languages = forms.MultipleChoiceField(
        label=Brand._meta.get_field("languages").verbose_name,
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=Brand._meta.get_field("languages").help_text,
    )

    class Meta:
        model = Brand
        fields = ["languages"]  # the admin adds its fieldsets' fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = list(self.instance.language_codes)
        else:
            self.initial["languages"] = [settings.LANGUAGE_CODE]

    def clean_languages(self):
        chosen = self.cleaned_data["languages"]
        if settings.LANGUAGE_CODE not in chosen:
            raise ValidationError(
                _("English is the site's main language and stays on; add others beside it.")
            )
        return " ".join(code for code, _name in settings.LANGUAGES if code in chosen)
