"""The one admin mixin that scopes the back office to the user's brands.

Every ModelAdmin and inline of a brand-owned model inherits it. It narrows the
changelist, object URLs (another brand's object is a 404, like a missing one),
foreign-key and many-to-many choices, autocomplete (which uses get_queryset of the
related admin), actions and saves. Superusers see everything.
"""

import functools
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename, get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _

from clinic.access import brand_ids_with
from clinic.admin_a11y import AccessibleAdminMixin
from clinic.scoping import brand_ids_of, is_brand_owned, scope, scope_strictly
from portal import images
from portal.translated_admin import TranslatedFieldsMixin


def _union(first, second):
    return None if first is None or second is None else first | second


class BrandScopedMixin(AccessibleAdminMixin, TranslatedFieldsMixin):
    """Shared by ModelAdmin and InlineModelAdmin subclasses of brand-owned models."""

    opts: Any  # provided by the admin class it is mixed into

    def brand_ids(self, request, action: str):
        """Return the brands where the user may ``action`` this model (None: all)."""
        opts = self.opts
        ids = brand_ids_with(
            request.user, f"{opts.app_label}.{get_permission_codename(action, opts)}"
        )
        if action == "view":  # as in Django, the right to change implies the right to view
            ids = _union(ids, self.brand_ids(request, "change"))
        return ids

    def _owns(self, request, action, obj) -> bool:
        allowed = self.brand_ids(request, action)
        if allowed is None:
            return True
        owners = brand_ids_of(obj)
        if action == "view":
            # Seeing needs one shared brand, as in the changelist ...
            return bool(owners & allowed)
        # ... changing an object shared by several brands needs the right in all of them.
        return bool(owners) and owners <= allowed

    def get_queryset(self, request):
        return scope(super().get_queryset(request), self.brand_ids(request, "view"))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or self._owns(request, "view", obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self._owns(request, "change", obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self._owns(request, "delete", obj)
        )

    def choice_brand_ids(self, request):
        """Brands whose rows may be chosen in this admin's forms."""
        return _union(self.brand_ids(request, "add"), self.brand_ids(request, "change"))

    def scoped_choices(self, request, model, queryset):
        """Narrow the choices of a relation to ``model`` to the user's brands."""
        brand_ids = self.choice_brand_ids(request)
        if brand_ids is None:
            return queryset
        if is_brand_owned(model):
            return scope(queryset, brand_ids)
        if model is get_user_model():
            return queryset.filter(
                is_active=True, brand_memberships__brand_id__in=brand_ids
            ).distinct()
        return queryset

    def _scope_relation(self, db_field, request, kwargs):
        model = db_field.remote_field.model
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(None, db_field, request)
        if queryset is None:
            queryset = model._default_manager.all()
        kwargs["queryset"] = self.scoped_choices(request, model, queryset)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._scope_relation(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self._scope_relation(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BrandChoicesListFilter(admin.RelatedFieldListFilter):
    """A relation's list filter offering the related rows of the user's own brands.

    The choices come from the related table (locations, staff, topics: a few rows),
    never from a scan of the listed rows as ``RelatedOnlyFieldListFilter`` does, which
    costs a pass over every request of the brand on each page of the inbox.
    """

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        queryset = related._default_manager.complex_filter(field.get_limit_choices_to())
        queryset = model_admin.listed_choices(request, related, queryset)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


class BrandScopedAdmin(BrandScopedMixin, admin.ModelAdmin):
    """ModelAdmin for a brand-owned model."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # The same answer for "missing" and "another brand's": nothing leaks.
            raise Http404(_("No such object in your brands."))
        return obj

    def require_visible(self, request, object_id):
        """404 unless the object is one the user may see (as a missing one would be)."""
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404(_("No such object in your brands."))

    def history_view(self, request, object_id, extra_context=None):
        self.require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except images.NoRoomForUpload as refusal:
            # The save was rolled back and the upload's files removed: say so in the
            # admin (not the patients' error page) and show the form as it is saved.
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def shown_languages(self, request) -> set[str]:
        """A translated field's columns in the languages of this user's brands only: an
        English-only clinic's staff see no Spanish fields."""
        from clinic.models import Brand

        known = getattr(request, "_brand_languages", None)
        if known is None:
            allowed = self.brand_ids(request, "view")
            brands = (
                Brand.objects.all() if allowed is None else Brand.objects.filter(pk__in=allowed)
            )
            known = {code for brand in brands.only("languages") for code in brand.language_codes}
            request._brand_languages = known or {settings.LANGUAGE_CODE}
        return request._brand_languages

    def works_several_brands(self, request) -> bool:
        """Does this user's list mix brands (a group admin, a superuser)?"""
        allowed = self.brand_ids(request, "view")
        return allowed is None or len(allowed) > 1

    def listed_choices(self, request, model, queryset):
        """Narrow a list filter's choices of ``model`` to the brands the user may view."""
        brand_ids = self.brand_ids(request, "view")
        if brand_ids is None:
            return queryset
        if is_brand_owned(model):
            return scope(queryset, brand_ids)
        if model is get_user_model():
            return queryset.filter(brand_memberships__brand_id__in=brand_ids).distinct()
        return queryset  # shared by every brand (topics): nothing of another clinic's

    def get_list_filter(self, request):
        # A plain relation filter would list every brand's rows (their names leak);
        # offer only the rows of the user's own brands.
        entries = list(super().get_list_filter(request))
        lookup = self.model.brand_lookup
        if lookup != "pk" and lookup not in entries and self.works_several_brands(request):
            entries.insert(0, lookup)  # where lists mix brands, they can be told apart
        return [
            (entry, BrandChoicesListFilter)
            if isinstance(entry, str) and self._is_relation(entry)
            else entry
            for entry in entries
        ]

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if (
            self.model.brand_lookup == "brand"
            and "brand" not in shown
            and self.works_several_brands(request)
        ):
            shown.append("brand")
        return shown

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Say which clinic's object this is, in its colour, so nobody edits the wrong one.
        if obj is not None and obj.pk and self.model.brand_lookup != "pk":
            from clinic.models import Brand

            context["editing_brands"] = list(
                Brand.objects.filter(pk__in=brand_ids_of(obj))
                .order_by("name")
                .values_list("name", "primary_color")
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _is_relation(self, path: str) -> bool:
        model = self.model
        field = None
        for name in path.split("__"):
            field = model._meta.get_field(name)
            if not field.is_relation:
                return False
            model = field.related_model
        return field is not None

    def get_action(self, action):
        found = super().get_action(action)
        if found is None:
            return None
        func, name, description = found
        required = getattr(func, "allowed_permissions", ())

        @functools.wraps(func)
        def scoped_action(modeladmin, request, queryset):
            # Act only on rows whose brands all grant the user each required right.
            for permission in required:
                queryset = scope_strictly(queryset, modeladmin.brand_ids(request, permission))
            return func(modeladmin, request, queryset)

        return scoped_action, name, description

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        choices = self.choice_brand_ids(request)
        if choices is not None and len(choices) == 1:
            # Staff of a single brand get their brand filled in on create.
            (only,) = choices
            lookup = self.model.brand_lookup
            if lookup == "brand":
                initial.setdefault("brand", only)
            elif lookup == "brands":
                initial.setdefault("brands", [only])
        return initial

    def save_model(self, request, obj, form, change):
        self.refuse_a_brand_not_theirs(request, obj, change)
        super().save_model(request, obj, form, change)

    def refuse_a_brand_not_theirs(self, request, obj, change) -> None:
        """Last line of defence behind the narrowed choices: never write into a brand
        the user may not write to (an admin that saves through a service calls it)."""
        if not change and self.model.brand_lookup == "brand":
            allowed = self.brand_ids(request, "add")
            if allowed is not None and obj.brand_id not in allowed:
                raise PermissionDenied


class BrandScopedTabularInline(BrandScopedMixin, admin.TabularInline):
    """Tabular inline of a brand-owned model (permission checks get the parent object)."""


class BrandScopedStackedInline(BrandScopedMixin, admin.StackedInline):
    """Stacked inline of a brand-owned model."""
