"""sitemap.xml for one brand: its pages, live articles, topics, locations, treatments
and clinicians.

The sections are Django's ``Sitemap`` classes; the XML is written here rather than by
Django's template, which costs about 0.1 ms a URL (a second at 10,000 articles). The
document is kept in the brand's content cache, retired like the article pages by a save
or the next scheduled publication.
"""

from datetime import datetime
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.requests import RequestSite
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article, topics_with_live_articles
from care.views import published_clinicians, published_treatments
from clinic.locations import brand_locations
from pages.menu import site_menu
from pages.models import Page
from portal.pagecache import cached_content


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

    def __init__(self, brand):
        super().__init__(brand)
        # Article.get_absolute_url with one reverse() for all (slugs need no quoting).
        self._address = reverse("articles:detail", args=["-"])

    def location(self, item):
        return self._address.replace("/-/", f"/{item.slug}/")

    def lastmod(self, item):
        return item.updated


class TopicSitemap(_BrandSitemap):
    def items(self):
        return topics_with_live_articles(self.brand)


class LocationSitemap(_BrandSitemap):
    def items(self):
        return brand_locations(self.brand)


def urlset(urls: list[dict]) -> str:
    """The <urlset> document of ``Sitemap.get_urls()`` entries."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in urls:
        lastmod = url["lastmod"]
        if isinstance(lastmod, datetime):  # the day where the clinic is, as pages show it
            lastmod = timezone.localtime(lastmod).date()
        shown = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(url['location'])}</loc>{shown}</url>")
    lines.append("</urlset>")
    return "\n".join(lines)


def _sections(brand) -> list[Sitemap]:
    return [
        PagesSitemap(brand),
        ArticleSitemap(brand),
        TopicSitemap(brand),
        LocationSitemap(brand),
        SitePageSitemap(brand),
        TreatmentSitemap(brand),
        ClinicianSitemap(brand),
    ]


@require_safe
@x_robots_tag
def brand_sitemap(request):
    def build():
        site = RequestSite(request)
        urls = [
            url
            for section in _sections(request.brand)
            for url in section.get_urls(site=site, protocol=request.scheme)
        ]
        return urlset(urls)

    return HttpResponse(cached_content(request, "sitemap", build), content_type="application/xml")
