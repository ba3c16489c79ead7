"""A select that renders hundreds of options quickly."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class ManyOptionsSelect(forms.Select):
    """Same HTML as forms.Select, built in Python.

    Two weeks of slots for a few locations are several hundred options; rendering
    each through Django's option template cost more than the rest of the page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        parts = [format_html("<select{}>", attributes)]
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.append(self._options(label, chosen))
                parts.append(mark_safe("</optgroup>"))
            else:
                parts.append(self._options([(option_value, label)], chosen))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))

    @staticmethod
    def _options(options, chosen):
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, mark_safe(" selected") if str(value) == chosen else "", label)
                for value, label in options
            ),
        )
