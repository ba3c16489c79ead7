from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("Treatments and clinicians")

    def ready(self):
        from care.models import Clinician, Treatment
        from portal import signals

        signals.content(Treatment)
        signals.content(Clinician)
