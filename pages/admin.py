from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from clinic.admin_scoping import BrandScopedAdmin
from pages.models import FaqEntry, Page


@admin.register(Page)
class PageAdmin(BrandScopedAdmin):
    list_display = ["title", "slug", "brand", "in_menu", "order", "is_published", "updated"]
    list_filter = ["brand", "is_published", "in_menu"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["brand", "title", "slug", "summary", "body"]}),
        (_("Publication and menu"), {"fields": ["is_published", "in_menu", "order"]}),
    ]


@admin.register(FaqEntry)
class FaqEntryAdmin(BrandScopedAdmin):
    list_display = ["question", "brand", "topic", "order", "is_published"]
    list_filter = ["brand", "topic", "is_published"]
    search_fields = ["question"]
    fields = ["brand", "question", "answer", "topic", "order", "is_published"]
