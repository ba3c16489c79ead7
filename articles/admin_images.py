"""The clinic's image library for rich text, and the picker the editor's image dialog opens.

"Browse…" in the editor's image dialog opens the picker in a small window
(django-prose-editor's ``pickerUrl``, which speaks CKEditor's file-browser protocol:
the window calls back ``CKEDITOR.tools.callFunction(number, address, details)``).
Staff upload an image with its description there, or choose one already uploaded;
the upload goes through the same Pillow pipeline as hero images.
"""

import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, BodyImage
from clinic.admin_scoping import BrandScopedAdmin
from portal import images

LIBRARY_PAGE = 48


def _callback_number(request) -> str:
    """The editor window's callback number (django-prose-editor counts down from -1)."""
    raw = request.POST.get("CKEditorFuncNum") or request.GET.get("CKEditorFuncNum") or ""
    return raw if re.fullmatch(r"-?[0-9]{1,9}", raw) else ""


@admin.register(BodyImage)
class BodyImageAdmin(BrandScopedAdmin):
    list_display = ["alt_text", "thumbnail", "uploaded_by", "created"]
    list_display_links = ["alt_text"]
    search_fields = ["alt_text"]
    date_hierarchy = "created"
    fields = ["brand", "image", "alt_text", "used_in"]
    readonly_fields = ["used_in"]

    def get_readonly_fields(self, request, obj=None):
        # An image in use stays the same file: pages point at its renditions.
        fixed = ["brand", "image"] if obj is not None else []
        return [*fixed, *super().get_readonly_fields(request, obj)]

    def get_fields(self, request, obj=None):
        return self.fields if obj is not None else ["brand", "image", "alt_text"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("image"))
    def thumbnail(self, obj):
        return format_html(
            '<img src="{}" alt="" width="96" class="body-image-thumb" loading="lazy">', obj.src
        )

    @admin.display(description=gettext_lazy("used in"))
    def used_in(self, obj):
        # An image of the library shows only in articles on its own clinic (the editor
        # refuses others), so those are the ones listed: every one that shows this
        # file, so nobody edits the description thinking it changes only one of them.
        titles = (
            Article.objects.across_brands()
            .filter(brands=obj.brand_id, body__contains=obj.src)
            .distinct()
            .values_list("title", flat=True)[:20]
        )
        if not titles:
            return _("No article text shows this image yet.")
        return format_html_join(", ", "{}", ((title,) for title in titles))

    def get_urls(self):
        return [
            path(
                "pick/",
                self.admin_site.admin_view(self.pick_view),
                name="articles_bodyimage_pick",
            ),
            *super().get_urls(),
        ]

    def pick_view(self, request):
        """Upload an image with its description, or choose one; hand it to the editor."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        may_add = self.has_add_permission(request)
        form_class = self.get_form(request, fields=["brand", "image", "alt_text"])
        form = None
        chosen = None
        if may_add:
            if request.method == "POST":
                form = form_class(request.POST, request.FILES)
                if form.is_valid():
                    chosen = form.save(commit=False)
                    try:
                        self.save_model(request, chosen, form, change=False)
                    except images.NoRoomForUpload as refusal:
                        form.add_error("image", str(refusal))
                        chosen = None
                    else:
                        self.log_addition(request, chosen, [{"added": {}}])
                        messages.success(request, _("The image is uploaded."))
                        form = form_class(initial=self.get_changeform_initial_data(request))
            else:
                form = form_class(initial=self.get_changeform_initial_data(request))
        elif request.method == "POST":
            raise PermissionDenied
        query = " ".join((request.GET.get("q") or "")[:100].split())
        library = self.get_queryset(request).select_related("brand")
        if query:
            library = library.filter(alt_text__icontains=query)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Insert an image"),
            "form": form,
            "chosen": chosen,
            "library": library[:LIBRARY_PAGE],
            "query": query,
            "callback": _callback_number(request),
            "several_brands": self.works_several_brands(request),
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/articles/bodyimage/pick.html", context)
