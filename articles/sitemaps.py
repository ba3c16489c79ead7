"""sitemap.xml for one brand: its pages, live articles, topics and locations."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article, topics_with_live_articles
from clinic.locations import brand_locations


class _BrandSitemap(Sitemap):
    def __init__(self, brand):
        self.brand = brand


class PagesSitemap(_BrandSitemap):
    def items(self):
        return ["clinic:home", "articles:list", "clinic:locations"]

    def location(self, item):
        return reverse(item)


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
    }
    return sitemap(request, sitemaps=sections)
