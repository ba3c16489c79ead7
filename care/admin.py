from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from care.models import Clinician, Treatment
from clinic.admin_scoping import BrandScopedAdmin
from clinic.search_panel_admin import SEARCH_FIELDSET, SearchPanelAdminMixin
from staff.autosave import AutosaveAdminMixin


def _names(rows) -> str:
    return ", ".join(str(row) for row in rows)


class TreatmentForm(forms.ModelForm):
    class Meta:
        model = Treatment
        exclude: list[str] = []  # every field; the admin's fieldsets choose what shows

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        brand = cleaned.get("brand")
        if brand is None:
            return cleaned
        # A treatment's page shows only what belongs to its own clinic.
        elsewhere = [
            a for a in cleaned.get("related_articles") or [] if brand not in a.brands.all()
        ]
        if elsewhere:
            self.add_error(
                "related_articles",
                ngettext(
                    "Not published for %(brand)s: %(names)s.",
                    "Not published for %(brand)s: %(names)s.",
                    len(elsewhere),
                )
                % {"brand": brand.name, "names": _names(elsewhere)},
            )
        outside = [c for c in cleaned.get("clinicians") or [] if brand not in c.brands.all()]
        if outside:
            self.add_error(
                "clinicians",
                _("Does not work for %(brand)s: %(names)s.")
                % {"brand": brand.name, "names": _names(outside)},
            )
        return cleaned


class ClinicianForm(forms.ModelForm):
    class Meta:
        model = Clinician
        exclude: list[str] = []

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        brands = set(cleaned.get("brands") or [])
        stray = [loc for loc in cleaned.get("locations") or [] if loc.brand not in brands]
        if brands and stray:
            self.add_error(
                "locations",
                _("Belongs to a clinic this person does not work for: %(names)s.")
                % {"names": _names(stray)},
            )
        return cleaned


@admin.register(Treatment)
class TreatmentAdmin(SearchPanelAdminMixin, AutosaveAdminMixin, BrandScopedAdmin):
    form = TreatmentForm
    list_display = ["name", "brand", "price_text", "order", "is_published", "updated"]
    list_filter = ["brand", "is_published"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["related_articles"]
    fieldsets = [
        (None, {"fields": ["brand", "name", "slug", "summary", "who_for", "what_to_expect"]}),
        (
            _("Duration and cost"),
            {
                "fields": [
                    "duration",
                    ("price_from", "price_to", "currency"),
                    "price_note",
                    "insurance_note",
                ]
            },
        ),
        (_("On the page"), {"fields": ["clinicians", "related_articles"]}),
        (_("Publication"), {"fields": ["is_published", "order"]}),
        SEARCH_FIELDSET,
    ]
    search_source = ("name", "summary")

    @admin.display(description=_("price"))
    def price_text(self, obj):
        return obj.price_text or "—"


@admin.register(Clinician)
class ClinicianAdmin(SearchPanelAdminMixin, AutosaveAdminMixin, BrandScopedAdmin):
    form = ClinicianForm
    list_display = ["name", "job_title", "brand_names", "order", "is_published"]
    list_filter = ["brands", "is_published"]
    search_fields = ["name", "specialties"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "credentials", "job_title", "is_physician"]}),
        (_("Where"), {"fields": ["brands", "locations"]}),
        (_("Profile"), {"fields": ["photo", "photo_alt", "specialties", "languages", "bio"]}),
        (_("Publication"), {"fields": ["is_published", "order"]}),
        SEARCH_FIELDSET,
    ]
    search_source = ("name", "job_title")

    def search_brand(self, obj):
        return obj.brands.order_by("name").first()

    def search_picture(self, obj) -> str:
        picture = obj.picture
        return picture["src"] if picture else ""

    def search_others(self, obj):
        return type(obj).objects.across_brands().filter(brands=self.search_brand(obj))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("brands")

    @admin.display(description=_("brands"))
    def brand_names(self, obj):
        return ", ".join(brand.name for brand in obj.brands.all())

    # A colleague shared with another clinic is read-only here (changing them needs the
    # right in every clinic); its page shows only this user's clinics' locations.

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "locations_here" if f == "locations" else f for f in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return [*fields, "locations_here"]
        return fields

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        # The names this user may see, worked out with the request (the admin itself is
        # shared by every request, so it keeps nothing of one).
        allowed = self.brand_ids(request, "view")
        mine = (
            obj.locations.all() if allowed is None else obj.locations.filter(brand_id__in=allowed)
        )
        obj.locations_here_names = [location.name for location in mine]
        return obj

    @admin.display(description=_("locations"))
    def locations_here(self, obj):
        return ", ".join(getattr(obj, "locations_here_names", [])) or "—"
