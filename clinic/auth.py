"""Authentication backend that grants permissions through brand roles."""

from django.contrib.auth.backends import ModelBackend

from clinic.access import brand_permissions


class BrandRoleBackend(ModelBackend):
    """ModelBackend whose group permissions come from the user's brand roles.

    A permission held in any brand lets the admin show the model; which rows the
    user then sees is decided per brand by clinic.admin_scoping. Membership of a
    group outside a brand role grants nothing, so every permission has a brand.
    """

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set().union(*brand_permissions(user_obj).values())

    def get_user_permissions(self, user_obj, obj=None):
        # Direct permissions would hold in no particular brand: not used here.
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj)
        return self.get_group_permissions(user_obj)
