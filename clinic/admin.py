from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic import back_office, links
from clinic.admin_forms import BrandForm, OpeningHoursFormSet, SpecialHoursFormSet
from clinic.admin_scoping import BrandScopedAdmin, BrandScopedTabularInline
from clinic.models import (
    Brand,
    BrandDomain,
    Location,
    OpeningHours,
    SpecialHours,
)
from clinic.models.locations import time_zone_names

admin.site.site_header = _("Clinic portal")
admin.site.site_title = _("Clinic portal")
admin.site.index_title = _("Back office")


class BrandDomainInline(BrandScopedTabularInline):
    model = BrandDomain
    extra = 0
    fields = ["hostname", "is_primary"]


@admin.register(Brand)
class BrandAdmin(BrandScopedAdmin):
    list_display = ["name", "tagline", "primary_domain_display", "is_default"]
    search_fields = ["name", "slug", "domains__hostname"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BrandDomainInline]
    form = BrandForm
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "languages", "is_default"]}),
        (
            _("Look"),
            {"fields": ["logo", "favicon", "primary_color", "accent_color", "typeface", "look"]},
        ),
        (
            _("Contact"),
            {"fields": ["phone", "country", "public_email", "notification_email", "reply_hours"]},
        ),
        (_("Call to action"), {"fields": ["cta_heading", "cta_text"]}),
        (_("Privacy"), {"fields": ["privacy_notice", "privacy_notice_version"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    def get_urls(self):
        preview = path(
            "<int:brand_id>/preview/",
            self.admin_site.admin_view(self.preview_handoff),
            name="clinic_brand_preview",
        )
        return [preview, *super().get_urls()]

    def preview_handoff(self, request, brand_id):
        """From the back office to a page of the brand's own site, signed in there too.

        Only for the brand's own staff (another brand's id is a 404) and only to a path
        on that site; the pass works once, for a minute (clinic/back_office.py).
        """
        brand = self.get_object(request, str(brand_id))
        wanted = request.GET.get("next", "/")
        if brand is None or not back_office.is_local_path(wanted):
            raise Http404(_("No such page."))
        device = getattr(request.user, "otp_device", None)
        token = back_office.handoff_token(
            request.user, brand, wanted, device.persistent_id if device is not None else ""
        )
        return HttpResponseRedirect(
            links.on_site(brand, reverse("clinic:staff_handoff", args=[token]), request)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        brand = self.get_object(request, object_id)
        if brand is not None and request.method == "GET" and not brand.alert_recipients():
            messages.warning(
                request,
                _(
                    "Nobody hears of this brand's consultation requests: it has no "
                    "notification inbox and no brand admin with an e-mail address. Set the "
                    "notification inbox below."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("primary_color", "accent_color"):
            kwargs["widget"] = forms.TextInput(attrs={"type": "color"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # The slug names per-brand template overrides and the default brand is a
        # deployment choice: both stay with superusers.
        if request.user.is_superuser:
            return ()
        return ("slug", "is_default")

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}

    @admin.display(description=_("primary hostname"))
    def primary_domain_display(self, obj):
        return obj.primary_domain or "—"


class OpeningHoursInline(BrandScopedTabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 0
    fields = ["weekday", "opens", "closes", "recurrence", "anchor", "valid_from"]


class SpecialHoursInline(BrandScopedTabularInline):
    model = SpecialHours
    formset = SpecialHoursFormSet
    extra = 0
    fields = ["first_day", "last_day", "label", "opens", "closes"]
    verbose_name_plural = _("holidays and special hours")

    def get_queryset(self, request):
        # Past holidays stay in the database but out of the way.
        since = timezone.now().date() - timedelta(days=7)
        return (
            super()
            .get_queryset(request)
            .filter(Q(last_day__gte=since) | Q(last_day__isnull=True, first_day__gte=since))
        )


@admin.register(Location)
class LocationAdmin(BrandScopedAdmin):
    list_display = ["name", "brand", "locality", "time_zone", "order", "is_active"]
    list_filter = ["brand", "is_active"]
    search_fields = ["name", "locality", "street_address"]
    list_select_related = ["brand"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, SpecialHoursInline]
    fieldsets = [
        (None, {"fields": ["brand", "name", "slug", "order", "is_active"]}),
        (
            _("Address"),
            {"fields": ["street_address", "locality", "region", "postal_code", "country"]},
        ),
        (_("Contact"), {"fields": ["phone", "email"]}),
        (_("Time and place"), {"fields": ["time_zone", "latitude", "longitude"]}),
        (_("Consultations"), {"fields": ["consult_minutes", "slot_capacity"]}),
    ]

    actions = ["add_public_holidays"]

    def get_readonly_fields(self, request, obj=None):
        # A location's requests and hours belong to its brand: it never moves.
        return ("brand",) if obj is not None else ()

    @admin.action(description=_("Add public holidays (review before saving)"), permissions=["view"])
    def add_public_holidays(self, request, queryset):
        from clinic import holiday_review

        # Special hours are what it adds: the review keeps the locations of the brands
        # where this member of staff may add them.
        return holiday_review.review(self, request, queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("clinic.add_specialhours"):
            actions.pop("add_public_holidays", None)
        return actions

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "time_zone":
            kwargs["widget"] = forms.Select(choices=[(n, n) for n in time_zone_names()])
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(SpecialHours)
class SpecialHoursAdmin(BrandScopedAdmin):
    """Holidays at a glance, for front-desk staff who post closures."""

    list_display = ["first_day", "last_day", "label", "location", "opens", "closes"]
    list_filter = ["location__brand", "location"]
    search_fields = ["label", "location__name"]
    date_hierarchy = "first_day"
    list_select_related = ["location"]
    fields = ["location", "first_day", "last_day", "label", "opens", "closes"]
