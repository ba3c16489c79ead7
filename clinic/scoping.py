"""Filter querysets and check objects by brand, for any model that names its brand.

A brand-owned model declares ``brand_lookup``: the ORM path from the model to its
brand's primary key ("brand", "location__brand", "brands" for a many-to-many, "pk"
for Brand itself). Nothing else needs to know how a model reaches its brand.
"""

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db.models import QuerySet


def is_brand_owned(model) -> bool:
    return hasattr(model, "brand_lookup")


def scope(queryset: QuerySet, brand_ids) -> QuerySet:
    """Return the rows owned by one of ``brand_ids`` (all rows when it is None)."""
    if brand_ids is None:
        return queryset
    lookup = queryset.model.brand_lookup
    scoped = queryset.filter(**{f"{lookup}__in": brand_ids})
    if lookup_spawns_duplicates(queryset.model._meta, lookup):
        scoped = scoped.distinct()
    return scoped


def scope_strictly(queryset: QuerySet, brand_ids) -> QuerySet:
    """Return the rows whose every brand is one of ``brand_ids`` (for writes).

    For a model with one brand this is ``scope``; an article shared by several brands
    is left out unless all of them are allowed.
    """
    scoped = scope(queryset, brand_ids)
    if brand_ids is None or not lookup_spawns_duplicates(
        queryset.model._meta, queryset.model.brand_lookup
    ):
        return scoped
    from clinic.models import Brand

    outside = Brand.objects.exclude(pk__in=brand_ids).values("pk")
    return scoped.exclude(**{f"{queryset.model.brand_lookup}__in": outside})


def brand_ids_of(obj) -> frozenset[int]:
    """Return the ids of the brands that own a saved object."""
    lookup = type(obj).brand_lookup
    if lookup == "pk":
        return frozenset({obj.pk})
    if "__" not in lookup and hasattr(obj, f"{lookup}_id"):
        return frozenset({getattr(obj, f"{lookup}_id")}) - {None}
    if obj.pk is None:
        return frozenset()
    rows = type(obj)._default_manager.all()
    if hasattr(rows, "across_brands"):
        # Which brands own it is a question across brands by nature (a public page that
        # saves, such as an outside reviewer's decision, asks it too).
        rows = type(obj)._default_manager.across_brands()
    rows = rows.filter(pk=obj.pk)
    values = rows.values_list(lookup, flat=True)
    return frozenset(value for value in values if value is not None)
