from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic import back_office
from clinic.admin_scoping import BrandScopedAdmin
from clinic.models import Brand
from clinic.search_panel_admin import SEARCH_FIELDSET, SearchPanelAdminMixin
from pages import services
from pages.models import FaqEntry, HomeSection, MenuLink, Page, Testimonial
from staff.autosave import AutosaveAdminMixin


@admin.register(Page)
class PageAdmin(SearchPanelAdminMixin, AutosaveAdminMixin, BrandScopedAdmin):
    list_display = ["title", "slug", "brand", "in_menu", "order", "is_published", "updated"]
    list_filter = ["brand", "is_published", "in_menu"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["brand", "title", "slug", "summary", "body"]}),
        (_("Publication and menu"), {"fields": ["is_published", "in_menu", "order"]}),
        SEARCH_FIELDSET,
    ]


@admin.register(FaqEntry)
class FaqEntryAdmin(BrandScopedAdmin):
    list_display = ["question", "brand", "topic", "treatment", "order", "is_published"]
    list_filter = ["brand", "topic", "is_published"]
    search_fields = ["question"]
    fields = ["brand", "question", "answer", "topic", "treatment", "order", "is_published"]


@admin.register(HomeSection)
class HomeSectionAdmin(BrandScopedAdmin):
    list_display = ["__str__", "kind", "brand", "order", "is_published"]
    list_display_links = ["__str__"]
    list_filter = ["brand", "kind", "is_published"]
    ordering = ["brand__name", "order"]
    autocomplete_fields = ["featured_articles"]
    fieldsets = [
        (None, {"fields": ["brand", "kind", "heading", "text"]}),
        (_("Hero image"), {"fields": ["image", "image_alt"]}),
        (_("Button"), {"fields": ["button_label", "button_link"]}),
        (_("Lists"), {"fields": ["items", "featured_articles"]}),
        (_("Publication"), {"fields": ["order", "is_published"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        # A preview link per brand, on the brand's own site (where staff sign in to see
        # drafts: the session belongs to the host).
        brands = Brand.objects.order_by("name")
        allowed = self.brand_ids(request, "view")
        if allowed is not None:
            brands = brands.filter(pk__in=allowed)
        previews = [
            (brand.name, back_office.preview_url(request, brand, "/?preview=1")) for brand in brands
        ]
        return super().changelist_view(request, {**(extra_context or {}), "previews": previews})


@admin.register(Testimonial)
class TestimonialAdmin(BrandScopedAdmin):
    list_display = ["attribution", "brand", "consent_on", "consent_withdrawn_on", "is_published"]
    list_filter = ["brand", "is_published"]
    search_fields = ["attribution", "quote"]
    actions = ["withdraw_consent"]
    fieldsets = [
        (None, {"fields": ["brand", "quote", "attribution"]}),
        (
            _("Consent"),
            {"fields": ["consent_by", "consent_on", "consent_scope", "consent_withdrawn_on"]},
        ),
        (_("Publication"), {"fields": ["order", "is_published"]}),
    ]

    @admin.action(
        description=_("Record that consent was withdrawn (hides it at once)"),
        permissions=["change"],
    )
    def withdraw_consent(self, request, queryset):
        waiting = queryset.filter(consent_withdrawn_on__isnull=True)
        count = sum(services.withdraw_consent(testimonial) for testimonial in waiting)
        self.message_user(
            request,
            ngettext(
                "Consent withdrawn for %(count)d testimonial; it is no longer shown.",
                "Consent withdrawn for %(count)d testimonials; they are no longer shown.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(MenuLink)
class MenuLinkAdmin(BrandScopedAdmin):
    list_display = ["label", "link", "place", "brand", "order"]
    list_filter = ["brand", "place"]
    fields = ["brand", "place", "label", "link", "order"]
