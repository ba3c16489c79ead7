"""System check: every model of the project that links to a brand says how it is
scoped (clinic/scoped.py), so a new brand-owned model cannot be left open.

- ``clinic.E020``: a model with a relation to ``Brand``, or to a brand-owned model,
  declares neither ``brand_lookup`` (its path to its brand) nor
  ``shared_across_brands`` (a sentence saying why its rows belong to no one brand).
- ``clinic.E021``: a brand-owned model's default manager does not narrow to the
  brand being served (``BrandScopedQuerySet.as_manager()``).
- ``clinic.E022``: a ``brand_lookup`` that does not lead to ``Brand``.
"""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import FieldDoesNotExist


def _project_models():
    root = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if config.path.startswith(root) and "site-packages" not in config.path:
            for model in config.get_models():
                # Many-to-many tables, and django-simple-history's copies of a model
                # (read only in the admin's history views of one scoped object).
                if not model._meta.auto_created and not hasattr(model, "instance_type"):
                    yield model


def _lookup_target(model, lookup: str):
    """The model a ``brand_lookup`` path ends at (None: a name on the way is wrong)."""
    if lookup == "pk":
        return model
    current = model
    for name in lookup.split("__"):
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.is_relation:
            return None
        current = field.related_model
    return current


def _links_to_a_brand(model, brand_model) -> bool:
    for field in model._meta.get_fields():
        if not field.is_relation or field.auto_created or field.related_model is None:
            continue
        target = field.related_model
        if target is brand_model or hasattr(target, "brand_lookup"):
            return True
    return False


@register()
def models_declare_their_brand_scope(app_configs=None, **kwargs):
    from clinic.models import Brand
    from clinic.scoped import BrandScopedQuerySet

    errors = []
    for model in _project_models():
        label = model._meta.label
        lookup = getattr(model, "brand_lookup", None)
        if lookup is None:
            if not getattr(model, "shared_across_brands", "") and _links_to_a_brand(model, Brand):
                errors.append(
                    Error(
                        f"{label} links to a brand but declares neither brand_lookup nor "
                        "shared_across_brands.",
                        hint="Give its path to its brand (brand_lookup = 'location__brand'), "
                        "or say in shared_across_brands why no one brand owns its rows.",
                        obj=model,
                        id="clinic.E020",
                    )
                )
            continue
        queryset_class = getattr(model._default_manager, "_queryset_class", None)
        if model is not Brand and not (
            isinstance(queryset_class, type) and issubclass(queryset_class, BrandScopedQuerySet)
        ):
            errors.append(
                Error(
                    f"{label} is brand-owned but its default manager does not narrow to "
                    "the brand being served.",
                    hint="objects = BrandScopedQuerySet.as_manager() (or a subclass's).",
                    obj=model,
                    id="clinic.E021",
                )
            )
        if _lookup_target(model, lookup) is not Brand:
            errors.append(
                Error(
                    f"{label}.brand_lookup {lookup!r} does not lead to Brand.",
                    obj=model,
                    id="clinic.E022",
                )
            )
    return errors
