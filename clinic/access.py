"""The one answer to "which brands may this user touch, and how".

Everything that scopes by brand (the auth backend, the admin mixin, staff-only
public views such as draft previews) asks here and nowhere else.
"""

from collections import defaultdict

from django.contrib.auth.models import Permission

from clinic.models import BrandMembership
from clinic.roles import GROUP_NAMES

_CACHE_ATTR = "_brand_permissions_cache"


def brand_permissions(user) -> dict[int, frozenset[str]]:
    """Return ``{brand_id: {"app_label.codename", ...}}`` for an active staff user.

    Two queries, then cached on the user object for the rest of the request.
    """
    if not (user.is_active and user.is_authenticated and user.is_staff):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles_by_brand = defaultdict(set)
    for brand_id, role in BrandMembership.objects.filter(user=user).values_list("brand_id", "role"):
        roles_by_brand[brand_id].add(role)
    group_to_role = {name: role for role, name in GROUP_NAMES.items()}
    perms_by_role = defaultdict(set)
    if roles_by_brand:
        wanted = [GROUP_NAMES[role] for roles in roles_by_brand.values() for role in roles]
        rows = Permission.objects.filter(group__name__in=wanted).values_list(
            "group__name", "content_type__app_label", "codename"
        )
        for group_name, app_label, codename in rows:
            perms_by_role[group_to_role[group_name]].add(f"{app_label}.{codename}")
    result = {
        brand_id: frozenset().union(*(perms_by_role[role] for role in roles))
        for brand_id, roles in roles_by_brand.items()
    }
    setattr(user, _CACHE_ATTR, result)
    return result


def brand_ids_with(user, perm: str) -> frozenset[int] | None:
    """Return the ids of the brands where ``user`` holds ``perm``; None means every brand."""
    if user.is_active and user.is_superuser:
        return None
    return frozenset(
        brand_id for brand_id, perms in brand_permissions(user).items() if perm in perms
    )
