from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff accounts")

    def ready(self):
        from outbox import kinds
        from staff import (
            checks,  # noqa: F401 (registers the system check)
            invitations,
            password_reset,
        )

        kinds.register(invitations.KIND, compose=invitations.compose)
        kinds.register(password_reset.KIND, compose=password_reset.compose)
