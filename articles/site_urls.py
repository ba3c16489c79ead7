"""Addresses at a brand site's root that describe the site to search engines (included
by the project's URLconf outside the language prefixes)."""

from django.urls import path

from articles.sitemaps import brand_sitemap
from articles.views import robots_txt

urlpatterns = [
    path("sitemap.xml", brand_sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]
