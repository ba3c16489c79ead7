from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic import accounts, back_office, links
from clinic.admin_forms import BrandForm, OpeningHoursFormSet, SpecialHoursFormSet
from clinic.admin_scoping import BrandScopedAdmin, BrandScopedTabularInline
from clinic.models import (
    Brand,
    BrandDomain,
    BrandMembership,
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


class AccountStateFilter(admin.SimpleListFilter):
    title = _("account")
    parameter_name = "account"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("deactivated", _("Deactivated"))]

    def queryset(self, request, queryset):
        if self.value() in ("active", "deactivated"):
            return queryset.filter(user__is_active=self.value() == "active")
        return queryset


@admin.register(BrandMembership)
class BrandMembershipAdmin(BrandScopedAdmin):
    list_display = ["user", "brand", "role", "account_state", "created"]
    list_filter = ["role", AccountStateFilter, "brand"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "brand"]
    autocomplete_fields = ["brand"]
    actions = ["deactivate", "reactivate", "reset_two_factor"]

    @admin.display(description=_("account"), boolean=False, ordering="user__is_active")
    def account_state(self, obj):
        return _("Active") if obj.user.is_active else _("Deactivated: cannot sign in")

    def get_readonly_fields(self, request, obj=None):
        # A membership belongs to its person: the role may change, the person may not
        # (moving it would hand someone else this clinic's access).
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "user"] if obj is not None else fields

    @admin.action(
        description=_("Reactivate these colleagues' accounts"),
        permissions=["delete"],
    )
    def reactivate(self, request, queryset):
        """Let deactivated colleagues sign in again: only those who work for none but
        the admin's own brands (the others are for another brand's admin)."""
        mine = self.brand_ids(request, "delete")
        for membership in queryset.select_related("user"):
            user = membership.user
            name = user.get_full_name() or user.get_username()
            outcome = accounts.reactivate(user, brand_ids=mine)
            if outcome == accounts.Outcome.ELSEWHERE:
                self.message_user(
                    request,
                    _("%(name)s was left as is: ask a superuser.") % {"name": name},
                    messages.WARNING,
                )
            elif outcome == accounts.Outcome.REACTIVATED:
                self.message_user(
                    request,
                    _("%(name)s can sign in again (with two-factor sign-in as before).")
                    % {"name": name},
                    messages.SUCCESS,
                )

    @admin.action(
        description=_("Deactivate these colleagues' accounts (or take them off your clinics)"),
        permissions=["delete"],
    )
    def deactivate(self, request, queryset):
        """Stop colleagues signing in, without touching another brand's staff.

        An account that also works for a brand outside the admin's own only loses its
        roles in the admin's brands; nobody deactivates themselves or a superuser.
        """
        mine = self.brand_ids(request, "delete")
        for membership in queryset.select_related("user", "brand"):
            user = membership.user
            name = user.get_full_name() or user.get_username()
            outcome = accounts.deactivate(user, by=request.user, brand_ids=mine)
            if outcome == accounts.Outcome.LEFT_AS_IS:
                self.message_user(
                    request, _("%(name)s was left as is.") % {"name": name}, messages.WARNING
                )
            elif outcome == accounts.Outcome.TAKEN_OFF:
                self.message_user(
                    request,
                    _(
                        "%(name)s also works for another clinic: taken off yours, the "
                        "account stays active there."
                    )
                    % {"name": name},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("%(name)s can no longer sign in.") % {"name": name},
                    messages.SUCCESS,
                )

    @admin.action(
        description=_("Reset two-factor sign-in (a lost phone): they set it up again"),
        permissions=["delete"],
    )
    def reset_two_factor(self, request, queryset):
        """Remove a colleague's authenticator and recovery codes.

        Only for colleagues who work for none but the admin's own brands (another
        brand's admin, or a superuser, answers for the rest); never oneself (one's own
        page does that) or a superuser.
        """
        mine = self.brand_ids(request, "delete")
        done = set()
        for membership in queryset.select_related("user"):
            user = membership.user
            if user.pk in done:
                continue
            done.add(user.pk)
            name = user.get_full_name() or user.get_username()
            outcome = accounts.reset_two_factor(user, by=request.user, brand_ids=mine)
            if outcome == accounts.Outcome.OWN:
                self.message_user(
                    request,
                    _("Your own: use your Two-factor sign-in page."),
                    messages.WARNING,
                )
            elif outcome == accounts.Outcome.ELSEWHERE:
                self.message_user(
                    request,
                    _("%(name)s was left as is: ask a superuser.") % {"name": name},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("%(name)s sets up two-factor sign-in again at the next sign-in.")
                    % {"name": name},
                    messages.SUCCESS,
                )


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
