"""Staff roles as Django groups.

A role's group holds the role's permissions (a superuser may add more in the admin); a
BrandMembership says in which brand a user holds the role. ``ROLE_PERMISSIONS`` is the
one list of what each role may do. Migrations apply it, and so does every
``post_migrate`` (after ``migrate`` and ``flush``), adding what is missing.
"""

from clinic.models import Role

GROUP_NAMES: dict[str, str] = {
    Role.EDITOR: "Editor",
    Role.FRONT_DESK: "Front desk",
    Role.BRAND_ADMIN: "Brand admin",
}


def _crud(app_label, model, actions=("view", "add", "change", "delete")):
    return [f"{app_label}.{action}_{model}" for action in actions]


_ARTICLE_WRITING = [
    *_crud("articles", "article", ("view", "add", "change")),
    "articles.publish_article",
    "articles.view_topic",
    "articles.view_previewlink",
    "articles.delete_previewlink",
    "articles.view_historicalarticle",
    *_crud("articles", "bodyimage", ("view", "add", "change")),
]
# The brand's own pages and FAQ, written like articles.
_SITE_PAGES = [
    *_crud("pages", "page"),
    *_crud("pages", "faqentry"),
    *_crud("care", "treatment"),
    *_crud("care", "clinician"),
    *_crud("pages", "homesection"),
    *_crud("pages", "testimonial"),
    *_crud("pages", "menulink"),
]
_INBOX = [
    "appointments.view_consultationrequest",
    "appointments.change_consultationrequest",
    "appointments.export_consultationrequest",
    "appointments.view_requestnote",
    "appointments.add_requestnote",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.EDITOR: [
        "clinic.view_brand",
        "clinic.view_location",
        *_ARTICLE_WRITING,
        *_SITE_PAGES,
    ],
    Role.FRONT_DESK: [
        "clinic.view_brand",
        "clinic.view_location",
        "clinic.view_openinghours",
        *_crud("clinic", "specialhours"),
        *_INBOX,
    ],
    Role.BRAND_ADMIN: [
        "clinic.view_brand",
        "clinic.change_brand",
        "clinic.view_branddomain",
        *_crud("clinic", "brandmembership"),
        *_crud("staff", "invitation", ("view", "add", "delete")),
        *_crud("clinic", "location"),
        *_crud("clinic", "openinghours"),
        *_crud("clinic", "specialhours"),
        *_ARTICLE_WRITING,
        *_SITE_PAGES,
        "articles.delete_article",
        *_crud("articles", "outsidereviewer"),
        *_INBOX,
        "appointments.delete_consultationrequest",
        "appointments.view_accessrecord",
    ],
}


def grants_for(*app_labels: str) -> dict[str, list[str]]:
    """Return the role permissions that belong to the given apps."""
    return {
        role: [name for name in names if name.split(".")[0] in app_labels]
        for role, names in ROLE_PERMISSIONS.items()
    }


def grant_permissions(apps, grants: dict[str, list[str]]) -> None:
    """Give each role's group the ``app_label.codename`` permissions listed for it.

    ``apps`` is a migration's historical registry or the live one. Permissions are
    created here if ``post_migrate`` has not made them yet, as on a fresh database.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in grants.items():
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
        for name in names:
            app_label, codename = name.split(".")
            # A model that a later migration creates has no permission yet: skip it now.
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def sync_role_permissions(sender, apps=None, **kwargs):
    """post_migrate: make sure every role group holds its permissions.

    ``flush`` sends the signal without a registry; the live one serves then.
    """
    if apps is None:
        from django.apps import apps
    grant_permissions(apps, ROLE_PERMISSIONS)
