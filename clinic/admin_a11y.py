"""Accessibility fixes for Django admin widgets that axe-core flags.

Date-and-time fields render two inputs that share one label; each gets its own
accessible name here.
"""

from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.utils.translation import gettext as _


class AccessibleAdminMixin:
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
