"""Staff roles as Django groups.

A role's group holds the role's permissions (a superuser may fine-tune them in the
admin); a BrandMembership says in which brand a user holds the role. Each app's
migrations grant its own permissions with ``grant_permissions``.
"""

from clinic.models import Role

GROUP_NAMES = {
    Role.EDITOR: "Editor",
    Role.FRONT_DESK: "Front desk",
    Role.BRAND_ADMIN: "Brand admin",
}


def grant_permissions(apps, grants: dict[str, list[str]]) -> None:
    """Give each role's group the ``app_label.codename`` permissions listed for it.

    Meant for data migrations (``apps`` is the historical registry). Permissions are
    created here if ``post_migrate`` has not made them yet, as on a fresh database.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in grants.items():
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
