from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinic")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_save

        from clinic import checks, scope_check  # noqa: F401  (registers the system checks)
        from clinic.roles import sync_role_permissions
        from clinic.scoped import refuse_another_brands_row

        post_migrate.connect(sync_role_permissions, sender=self, dispatch_uid="clinic-roles")
        pre_save.connect(refuse_another_brands_row, dispatch_uid="clinic-brand-of-a-save")
