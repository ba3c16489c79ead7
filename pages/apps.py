from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site pages")

    def ready(self):
        from clinic import home_page
        from pages.home import home_blocks
        from pages.menu import site_menu
        from pages.models import FaqEntry, HomeSection, MenuLink, Page, Testimonial
        from portal import signals

        home_page.blocks_from(home_blocks)  # the clinic app serves them
        home_page.menu_from(site_menu)

        for model in (Page, FaqEntry, HomeSection, Testimonial, MenuLink):
            signals.content(model)
