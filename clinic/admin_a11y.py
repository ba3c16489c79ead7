"""Accessibility fixes for Django admin widgets that axe-core flags.

Date-and-time fields render two inputs that share one label; each gets its own
accessible name here. The rich-text editor's editable area gets its field's name (a
script, for every admin; another puts the cursor after an image just inserted, not in
its caption). Many-to-many choices are labelled checkboxes rather than the
two-box widget (whose filter icons carry prohibited ARIA), unless the admin names the
field in ``autocomplete_fields`` (long lists, such as articles).
"""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.utils.translation import gettext as _

from portal.admin_mixins import ModelAdminMixin


class AccessibleAdminMixin(ModelAdminMixin):
    class Media:
        js = [
            "js/admin-editor-label.js",
            "js/admin-editor-caret.js",
            "js/admin-autosave.js",
            "js/admin-search-panel.js",
            "js/admin-unsaved.js",
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name not in getattr(self, "autocomplete_fields", ()):
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and formfield is not None:
            widget = formfield.widget
            inner = getattr(widget, "widget", widget)  # unwrap the related-field wrapper
            if isinstance(inner, AdminSplitDateTime):
                label = str(db_field.verbose_name)
                inner.widgets[0].attrs["aria-label"] = _("%(field)s: date") % {"field": label}
                inner.widgets[1].attrs["aria-label"] = _("%(field)s: time") % {"field": label}
        return formfield
