import re

from django.urls import path, register_converter

from pages import views
from pages.models import RESERVED_SLUGS


class PageSlugConverter:
    """A page's address: any slug but those the site already uses (so /healthz, say,
    never turns into a redirect to a page that cannot exist)."""

    reserved = "|".join(re.escape(slug) for slug in sorted(RESERVED_SLUGS))
    regex = rf"(?!(?:{reserved})(?:/|$))[-a-zA-Z0-9_]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PageSlugConverter, "page_slug")

app_name = "pages"

urlpatterns = [
    path("faq/", views.faq, name="faq"),
    # Last of all the site's addresses: a brand's own page, e.g. /about/.
    path("<page_slug:slug>/", views.page, name="page"),
]
