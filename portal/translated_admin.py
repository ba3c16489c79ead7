"""The admin of models with translated fields (portal/translated.py).

An admin names a translated field once ("title") in its fields, fieldsets, search and
prepopulated fields; each becomes one field per language, labelled "Title [en]",
"Title [es]", one under the other. A slug is prepopulated from the main language.
"""

from django.conf import settings
from translated_fields.admin import TranslatedFieldAdmin

from portal.translated import Translated, column_names


def _translated_names(model) -> list[str]:
    return [name for name, value in vars(model).items() if isinstance(value, Translated)]


def _without(items, hidden: set[str]) -> list:
    kept = []
    for item in items:
        if isinstance(item, (list, tuple)):
            item = tuple(part for part in item if part not in hidden)
            if item:
                kept.append(item)
        elif item not in hidden:
            kept.append(item)
    return kept


def _expand(model, items) -> list[str | tuple[str, ...]]:
    expanded: list[str | tuple[str, ...]] = []
    for item in items:
        if isinstance(item, (list, tuple)):  # fields on one line stay on one line
            expanded.append(tuple(column_names(model, *item)))
        else:
            expanded.extend(column_names(model, item))
    return expanded


class TranslatedFieldsMixin(TranslatedFieldAdmin):
    def __init__(self, model, admin_site):
        # An inline names its own model; ``model`` is then its parent's.
        own = getattr(self, "model", None) or model
        # Set on the instance, where the admin's checks and views read them; the class
        # keeps the names as written.
        expanded: dict = {
            "prepopulated_fields": {
                target: [column_names(own, source)[0] for source in sources]
                for target, sources in self.prepopulated_fields.items()
            }
        }
        if self.fields:
            expanded["fields"] = _expand(own, self.fields)
        if self.fieldsets:
            expanded["fieldsets"] = [
                (name, {**options, "fields": _expand(own, options["fields"])})
                for name, options in self.fieldsets
            ]
        if getattr(self, "search_fields", None):  # inlines have none
            expanded["search_fields"] = _expand(own, self.search_fields)
        self.__dict__.update(expanded)
        # Each language's columns, to leave out those of languages nobody here writes.
        self.columns_by_language = {
            code: {f"{name}_{code}" for name in _translated_names(own)}
            for code, _name in settings.LANGUAGES
        }
        super().__init__(model, admin_site)

    def shown_languages(self, request) -> set[str]:
        """The languages whose fields this user writes (every one, unless narrowed)."""
        return {code for code, _name in settings.LANGUAGES}

    # "Question [en]" only where a user writes several languages; plain "Question" else.
    def changeform_view(self, request, *args, **kwargs):
        if len(self.shown_languages(request)) > 1:
            return super().changeform_view(request, *args, **kwargs)
        return super(TranslatedFieldAdmin, self).changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        # A list's column shows the value in the reader's language: no code beside it.
        return super(TranslatedFieldAdmin, self).changelist_view(request, *args, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        shown = self.shown_languages(request)
        hidden = set().union(
            *(columns for code, columns in self.columns_by_language.items() if code not in shown)
        )
        if not hidden:
            return fieldsets
        return [
            (name, {**options, "fields": _without(options["fields"], hidden)})
            for name, options in fieldsets
        ]
