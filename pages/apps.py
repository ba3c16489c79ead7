from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site pages")

    def ready(self):
        from pages.models import FaqEntry, HomeSection, MenuLink, Page, Testimonial
        from portal import signals

        for model in (Page, FaqEntry, HomeSection, Testimonial, MenuLink):
            signals.content(model)
