"""On a brand's public pages, brand-owned rows are that brand's rows: queries filter.

``clinic.middleware.BrandMiddleware`` serves every public request inside
``serving(brand)``. There, every queryset of a brand-owned model starts narrowed to
that brand: ``Location.objects.all()``, a related manager such as
``topic.articles.all()`` (a topic is shared by brands; its articles are not), a
prefetch, and the ``update()`` or ``delete()`` of such a queryset. A query that rightly
spans brands says so with ``.across_brands()`` (say why where it is used); asking
for another brand's rows with ``.for_brand(other)`` on a narrowed queryset raises
``ScopeError`` instead of silently returning nothing; so does ``raw()`` SQL, which no
filter can reach; and saving a row of another brand (one that names its brand
directly) raises too.

Outside a public request (the admin, which scopes by the signed-in person's brands in
``clinic.admin_scoping``; commands; tasks) nothing is narrowed.

How a model reaches its brand is its ``brand_lookup`` (clinic.scoping); the system
check ``clinic.E020`` (clinic/scope_check.py) refuses a model that links to a brand and
neither declares one nor says why it is shared.

Why not django-scopes: it raises rather than filters, everywhere (admin, commands,
tasks and tests would need ``scopes_disabled()`` in hundreds of places), while here
the admin has a scoping of its own and the public side is what must never leak.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self

from django.db import models

# The brand whose public page is being served, if any.
_serving: ContextVar[Any] = ContextVar("serving_brand", default=None)
# Each model's narrowed query, built once per request and copied for every queryset
# after (a page makes dozens: managers, related managers, prefetches), because
# building it through filter() costs more than the copy.
_narrowed_queries: ContextVar[dict | None] = ContextVar("narrowed_queries", default=None)


class ScopeError(Exception):
    """A public page asked for rows of a brand other than its own, or bypassed the
    filter (raw SQL) without declaring it."""


@contextmanager
def serving(brand) -> Iterator[None]:
    """Run the code of one public request of ``brand``: its queries are narrowed."""
    token = _serving.set(brand)
    queries = _narrowed_queries.set({})
    try:
        yield
    finally:
        _narrowed_queries.reset(queries)
        _serving.reset(token)


class BrandScopedQuerySet(models.QuerySet):
    """A queryset that knows to which brand it was narrowed (or that it spans brands).

    A queryset a manager makes afresh (``Model.objects``, a related manager, a
    prefetch) during a public request starts narrowed to the brand being served.
    """

    if TYPE_CHECKING:  # QuerySet's own, which the stubs leave out

        def _chain(self) -> Self: ...

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._brand_scope: int | None = None  # the pk of the brand it is narrowed to
        # The query before the page's brand narrowed it, while nothing else has been
        # added: ``Model.objects.across_brands()`` starts from it.
        self._before_narrowing = None
        brand = _serving.get()
        if (
            brand is not None
            and self.model is not None
            and kwargs.get("query") is None
            and len(args) < 2
        ):
            before = self.query
            self.query, self._brand_scope = self._fresh_narrowed_query(brand), brand.pk
            self._before_narrowing = before

    def _fresh_narrowed_query(self, brand):
        made = _narrowed_queries.get()
        query = None if made is None else made.get(self.model)
        if query is None:
            query = self._narrowed_to(brand).query
            if made is not None:
                made[self.model] = query
        return query.chain()

    def _clone(self):
        clone = super()._clone()  # type: ignore[misc]  # QuerySet's own, not in the stubs
        clone._brand_scope = self._brand_scope
        return clone

    def for_brand(self, brand):
        """The rows of ``brand`` (a Brand or its pk; through the model's ``brand_lookup``)."""
        brand_pk = getattr(brand, "pk", brand)
        if self._brand_scope == brand_pk:
            return self  # narrowed already (by the page's brand): once is enough
        if self._brand_scope is not None:
            raise ScopeError(
                f"{self.model.__name__} rows of another brand asked for on this brand's "
                "page: start from Model.objects.across_brands() where that is meant."
            )
        narrowed = self._narrowed_to(brand)
        narrowed._brand_scope = brand_pk
        return narrowed

    def _narrowed_to(self, brand):
        lookup: str = getattr(self.model, "brand_lookup")  # noqa: B009 (declared by each model)
        narrowed = self.filter(**{lookup: brand})
        if lookup.endswith("brands"):  # a many-to-many: one row per brand link
            narrowed = narrowed.distinct()
        return narrowed

    def across_brands(self):
        """Declare a query that rightly spans brands (say why where it is used).

        During a public request only a manager's fresh queryset can be widened
        (``Model.objects.across_brands()``): one narrowed and then filtered further
        (a related manager's) raises instead.
        """
        clone = self._chain()
        if self._before_narrowing is not None:
            clone.query = self._before_narrowing.chain()
        elif self._brand_scope is not None:
            raise ScopeError(
                f"{self.model.__name__}: this queryset is narrowed to the page's brand "
                "and filtered since; start from Model.objects.across_brands()."
            )
        clone._brand_scope = None  # declared to span brands: narrowed to none
        return clone

    def raw(self, raw_query, params=(), translations=None, using=None):
        if _serving.get() is not None:
            raise ScopeError(
                f"raw SQL on {self.model.__name__} during a public request: no brand "
                "filter reaches it. Use the ORM."
            )
        return super().raw(raw_query, params, translations, using)


def refuse_another_brands_row(sender, instance, **kwargs):
    """pre_save: a public page saves no row of another brand (of a model that names its
    brand directly; rows reached through a parent are written through that parent)."""
    brand = _serving.get()
    if brand is None or getattr(sender, "brand_lookup", None) != "brand":
        return
    if instance.brand_id is not None and instance.brand_id != brand.pk:
        raise ScopeError(
            f"A {sender.__name__} of another brand was saved during a public request of {brand}."
        )
