"""Addresses at a brand site's root that describe the site to search engines (included
by the project's URLconf outside the language prefixes)."""

from django.urls import path

from articles.sitemaps import article_sitemap, site_sitemap, sitemap_index
from articles.views import robots_txt

urlpatterns = [
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-site.xml", site_sitemap, name="sitemap_site"),
    path("sitemap-articles-<int:number>.xml", article_sitemap, name="sitemap_articles"),
    path("robots.txt", robots_txt, name="robots"),
]
