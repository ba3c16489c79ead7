from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Consultations")

    def ready(self):
        from appointments import (
            checks,  # noqa: F401  (registers the deploy checks)
            notify,
        )
        from appointments.models import NotificationKind, SlotBooking
        from outbox import kinds
        from portal import signals

        kinds.register(*NotificationKind.values, compose=notify.compose, label=notify.label)

        signals.bookings(SlotBooking)  # the form's free times change with its seats
