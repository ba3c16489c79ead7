"""A form's field by name, as the kind of field it is.

``form.fields[name]`` is typed as any ``Field``; code that sets a choice field's
choices or a model field's queryset asks for that kind, and learns at once (rather
than silently setting an unused attribute) if the field has become another kind.
"""

from typing import TypeVar

from django import forms

FieldKind = TypeVar("FieldKind", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[FieldKind]) -> FieldKind:
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(
            f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}"
        )
    return field
