from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Consultations")

    def ready(self):
        from appointments import checks  # noqa: F401  (registers the deploy checks)
        from appointments.models import SlotBooking
        from portal import signals

        signals.bookings(SlotBooking)  # the form's free times change with its seats
