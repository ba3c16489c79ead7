"""The base of a ModelAdmin mixin, so that the type checker knows what it mixes into.

At run time a mixin is a plain class placed before ``admin.ModelAdmin`` in the bases;
while type checking it inherits ModelAdmin, so ``self.model``, ``super().get_urls()``
and the other hooks it extends are checked rather than unknown.
"""

from typing import TYPE_CHECKING

from django.contrib import admin

if TYPE_CHECKING:
    ModelAdminMixin = admin.ModelAdmin
else:
    ModelAdminMixin = object
