"""The admin of models with translated fields (portal/translated.py).

An admin names a translated field once ("title") in its fields, fieldsets, search and
prepopulated fields; each becomes one field per language, labelled "Title [en]",
"Title [es]", one under the other. A slug is prepopulated from the main language.
"""

from translated_fields.admin import TranslatedFieldAdmin

from portal.translated import column_names


def _expand(model, items):
    expanded = []
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
        vars(self).update(expanded)
        super().__init__(model, admin_site)
