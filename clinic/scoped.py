"""Public pages may only read brand-owned rows through a brand: anything else raises.

The smallest equivalent of django-scopes' scoped managers, for this project's shape:
``clinic.middleware.BrandMiddleware`` runs every public request inside
``brand_scope_required()`` (when ``BRAND_SCOPE_CHECKS`` is on: development and tests).
There, a queryset of a brand-owned model that was not narrowed with ``.for_brand()``
(or ``Article``'s ``.on_brand()``), or explicitly declared ``.across_brands()``, raises
``ScopeError`` as soon as it touches the database, so a forgotten brand filter fails a
test instead of showing one clinic's rows on another clinic's site.

Why not django-scopes itself: it scopes every query everywhere (admin, commands,
tasks, tests) and would need ``scopes_disabled()`` in hundreds of places, while the
admin here is already scoped by its own mixin. What needs guarding is the public side.

Querysets reached through a parent object (``location.opening_hours.all()``,
prefetches of a parent's rows) are narrowed by that parent and count as scoped: Django
marks them with the parent as an "instance" hint. Models use
``BrandScopedQuerySet.as_manager()``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self

from django.db import models

_required: ContextVar[bool] = ContextVar("brand_scope_required", default=False)


class ScopeError(Exception):
    """A brand-owned model was queried on a public page without naming the brand."""


@contextmanager
def brand_scope_required() -> Iterator[None]:
    token = _required.set(True)
    try:
        yield
    finally:
        _required.reset(token)


class BrandScopedQuerySet(models.QuerySet):
    """A queryset that knows whether it was narrowed to a brand."""

    if TYPE_CHECKING:  # QuerySet's own, which the stubs leave out
        _hints: dict[str, Any]

        def _chain(self) -> Self: ...

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._brand_scoped = False

    def _clone(self):
        clone = super()._clone()  # type: ignore[misc]  # QuerySet's own, not in the stubs
        clone._brand_scoped = self._brand_scoped
        return clone

    def for_brand(self, brand):
        """Return the rows of ``brand`` (through the model's ``brand_lookup``)."""
        lookup: str = getattr(self.model, "brand_lookup")  # noqa: B009 (declared by each model)
        narrowed = self.filter(**{lookup: brand})
        if lookup.endswith("brands"):  # a many-to-many: one row per brand link
            narrowed = narrowed.distinct()
        return narrowed._scoped()

    def across_brands(self):
        """Declare a query that rightly spans brands (say why where it is used)."""
        return self._chain()._scoped()

    def _scoped(self):
        self._brand_scoped = True
        return self

    def _check_scope(self):
        if _required.get() and not self._brand_scoped and not self._hints.get("instance"):
            raise ScopeError(
                f"{self.model.__name__} queried on a public page without a brand: "
                "use .for_brand(request.brand), or .across_brands() where that is meant."
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def count(self):
        if self._result_cache is None:
            self._check_scope()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def iterator(self, *args, **kwargs):
        self._check_scope()
        return super().iterator(*args, **kwargs)
