from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinic")

    def ready(self):
        from django.db.models.signals import post_migrate

        from clinic import checks  # noqa: F401  (registers the system checks)
        from clinic.roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, sender=self, dispatch_uid="clinic-roles")
