"""sitemap.xml for one brand: its pages, live articles, topics, locations, treatments
and clinicians."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article, topics_with_live_articles
from care.views import published_clinicians, published_treatments
from clinic.locations import brand_locations
from pages.menu import site_menu
from pages.models import Page


class _BrandSitemap(Sitemap):
    def __init__(self, brand):
        self.brand = brand


class PagesSitemap(_BrandSitemap):
    def items(self):
        menu = site_menu(self.brand)  # which sections have content (kept in the cache)
        sections = [
            ("clinic:home", True),
            ("articles:list", True),
            ("clinic:locations", True),
            ("care:treatments", menu["has_treatments"]),
            ("care:clinicians", menu["has_clinicians"]),
            ("pages:faq", menu["has_faq"]),
        ]
        return [name for name, shown in sections if shown]

    def location(self, item):
        return reverse(item)


class SitePageSitemap(_BrandSitemap):
    def items(self):
        return Page.objects.for_brand(self.brand).filter(is_published=True).only("slug", "updated")

    def lastmod(self, item):
        return item.updated


class TreatmentSitemap(SitePageSitemap):
    def items(self):
        return published_treatments(self.brand).only("slug", "updated")


class ClinicianSitemap(SitePageSitemap):
    def items(self):
        return published_clinicians(self.brand).only("slug", "updated")


class ArticleSitemap(_BrandSitemap):
    def items(self):
        # Only the articles whose canonical address is on this brand's host: a shared
        # article is listed once, by the brand search engines should index it under.
        return (
            Article.objects.live()
            .on_brand(self.brand)
            .filter(canonical_brand=self.brand)
            .only("slug", "updated")
        )

    def lastmod(self, item):
        return item.updated


class TopicSitemap(_BrandSitemap):
    def items(self):
        return topics_with_live_articles(self.brand)


class LocationSitemap(_BrandSitemap):
    def items(self):
        return brand_locations(self.brand)


@require_safe
def brand_sitemap(request):
    brand = request.brand
    sections = {
        "pages": PagesSitemap(brand),
        "articles": ArticleSitemap(brand),
        "topics": TopicSitemap(brand),
        "locations": LocationSitemap(brand),
        "site-pages": SitePageSitemap(brand),
        "treatments": TreatmentSitemap(brand),
        "clinicians": ClinicianSitemap(brand),
    }
    return sitemap(request, sitemaps=sections)
