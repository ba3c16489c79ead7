from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from clinic.admin_scoping import BrandScopedAdmin, BrandScopedTabularInline
from clinic.models import Brand, BrandDomain, BrandMembership

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
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "logo", "is_default"]}),
        (_("Colours"), {"fields": ["primary_color", "accent_color"]}),
        (_("Contact"), {"fields": ["phone", "country", "public_email", "notification_email"]}),
        (_("Call to action"), {"fields": ["cta_heading", "cta_text"]}),
        (_("Privacy"), {"fields": ["privacy_notice", "privacy_notice_version"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

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


@admin.register(BrandMembership)
class BrandMembershipAdmin(BrandScopedAdmin):
    list_display = ["user", "brand", "role", "created"]
    list_filter = ["role", "brand"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "brand"]
    autocomplete_fields = ["brand"]
