"""The sitemaps of one brand: an index at /sitemap.xml naming the files of the site's
pages (home, sections, topics, locations, site pages, treatments, clinicians) and of
its live articles, ARTICLES_PER_FILE to a file.

The articles are split so that no file grows with the archive: a group's brand with
10,000 articles has 100 article files, each as quick to build as a small site's one.
They are listed oldest first, so a new article only ever changes the last file.

The sections are Django's ``Sitemap`` classes, paged by its paginator; the XML is
written here rather than by Django's template, which costs about 0.1 ms a URL. Each
document is kept in the brand's content cache, retired like the article pages by a save
or the next scheduled publication.
"""

from datetime import datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles import listing
from articles.models import Article, topics_with_live_articles
from care.models import Clinician, Treatment
from clinic import links
from clinic.locations import brand_locations
from pages.menu import site_menu
from pages.models import Page
from portal import languages
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
        # Pages their editors hid from search engines are not offered to them either.
        return (
            Page.objects.for_brand(self.brand)
            .published()
            .filter(noindex=False)
            .only("slug", "updated")
        )

    def lastmod(self, item):
        return item.updated


class TreatmentSitemap(SitePageSitemap):
    def items(self):
        return (
            Treatment.objects.for_brand(self.brand)
            .published()
            .filter(noindex=False)
            .only("slug", "updated")
        )


class ClinicianSitemap(SitePageSitemap):
    def items(self):
        return (
            Clinician.objects.for_brand(self.brand)
            .published()
            .filter(noindex=False)
            .only("slug", "updated")
        )


# Small enough that an article file costs the same at any size of archive (the bench:
# bench/public_scale.py); the protocol allows up to 50,000.
ARTICLES_PER_FILE = 100


class ArticleSitemap(_BrandSitemap):
    limit = ARTICLES_PER_FILE

    def items(self):
        # Only the articles whose canonical address is on this brand's host: a shared
        # article is listed once, by the brand search engines should index it under.
        # Every language the brand offers: each version is a page of its own. Counted
        # and paged in the brand's listing (an index range), then read by key.
        return listing.Listed(
            listing.for_search_engines(self.brand, languages=self.brand.language_codes),
            Article.objects.only("slug", "updated", "language", "translation_of"),
            order=("publish_at", "pk"),
        )

    def _offered(self):
        """What ``items`` lists, as a query of the articles themselves (each probed in
        the listing by key: one definition of what search engines are offered)."""
        rows = listing.for_search_engines(self.brand, languages=self.brand.language_codes)
        return Article.objects.filter(Exists(rows.filter(article=OuterRef("pk")))).only(
            "slug", "updated", "language", "translation_of"
        )

    def __init__(self, brand):
        super().__init__(brand)
        # Article.get_absolute_url with one reverse() for all (slugs need no quoting).
        self._address = reverse("articles:detail", args=["-"])

    def location(self, item):
        return languages.path_in(self._address.replace("/-/", f"/{item.slug}/"), item.language)

    def versions(self, urls) -> None:
        """Give each article's entry the addresses of all its versions (hreflang),
        wherever in the archive they are listed (one query for the file's families)."""
        if not urls:
            return
        first = urls[0]
        site = first["location"].removesuffix(self.location(first["item"]))
        family_ids = {url["item"].translation_of_id or url["item"].pk for url in urls}
        members = (
            self._offered()
            .filter(Q(pk__in=family_ids) | Q(translation_of_id__in=family_ids))
            .order_by("pk")
        )
        families: dict[int, list[tuple[str, str]]] = {}
        for member in members:
            families.setdefault(member.translation_of_id or member.pk, []).append(
                (member.language, site + self.location(member))
            )
        for url in urls:
            item = url["item"]
            family = families.get(item.translation_of_id or item.pk, [])
            url["alternates"] = family if len(family) > 1 else []

    def lastmod(self, item):
        return item.updated


class TopicSitemap(_BrandSitemap):
    def items(self):
        return topics_with_live_articles(self.brand)


class LocationSitemap(_BrandSitemap):
    def items(self):
        return brand_locations(self.brand)


def sitemapindex(addresses: list[str]) -> str:
    """The <sitemapindex> document naming the files at ``addresses``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(f"<sitemap><loc>{escape(address)}</loc></sitemap>" for address in addresses),
        "</sitemapindex>",
    ]
    return "\n".join(lines)


def urlset(urls: list[dict]) -> str:
    """The <urlset> document of ``Sitemap.get_urls()`` entries, each with its versions in
    the brand's other languages (``alternates``: [(code, address)], x-default the main
    language's)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url in urls:
        lastmod = url["lastmod"]
        if isinstance(lastmod, datetime):  # the day where the clinic is, as pages show it
            lastmod = timezone.localtime(lastmod).date()
        shown = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        pairs = url.get("alternates") or []
        if pairs:
            default = dict(pairs).get(languages.MAIN) or pairs[0][1]
            pairs = [*pairs, ("x-default", default)]
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{code}" href="{escape(address)}"/>'
            for code, address in pairs
        )
        lines.append(f"<url><loc>{escape(url['location'])}</loc>{shown}{links}</url>")
    lines.append("</urlset>")
    return "\n".join(lines)


def _in_each_language(brand, urls: list[dict]) -> list[dict]:
    """A page that every language has at the same address but for its prefix, listed
    once per language the brand offers, each entry naming all of them."""
    offered = brand.language_codes
    if len(offered) < 2:
        return urls
    entries: list[dict] = []
    for url in urls:
        path = urlsplit(url["location"]).path
        base = url["location"][: -len(path)] if path else url["location"]
        pairs = [(code, base + languages.path_in(path, code)) for code in offered]
        entries.extend({**url, "location": address, "alternates": pairs} for _c, address in pairs)
    return entries


def _site_sections(brand) -> list[Sitemap]:
    return [
        PagesSitemap(brand),
        TopicSitemap(brand),
        LocationSitemap(brand),
        SitePageSitemap(brand),
        TreatmentSitemap(brand),
        ClinicianSitemap(brand),
    ]


def _xml(document: str) -> HttpResponse:
    return HttpResponse(document, content_type="application/xml")


@require_safe
@x_robots_tag
def sitemap_index(request):
    """/sitemap.xml: the site's file, then one file for each ARTICLES_PER_FILE articles."""

    def build():
        paginator = ArticleSitemap(request.brand).paginator
        files = [reverse("sitemap_site")] + [
            reverse("sitemap_articles", args=[number])
            for number in (paginator.page_range if paginator.count else ())
        ]
        return sitemapindex([links.here(request, path) for path in files])

    return _xml(cached_content(request, "sitemap-index", build))


@require_safe
@x_robots_tag
def site_sitemap(request):
    """Every page of the site but the articles, in each language the brand offers."""

    def build():
        site = RequestSite(request)
        urls = []
        for section in _site_sections(request.brand):
            urls.extend(
                _in_each_language(
                    request.brand, section.get_urls(site=site, protocol=request.scheme)
                )
            )
        return urlset(urls)

    return _xml(cached_content(request, "sitemap-site", build))


@require_safe
@x_robots_tag
def article_sitemap(request, number: int):
    """The ``number``-th file of live articles (oldest first), each with its versions."""

    def build():
        section = ArticleSitemap(request.brand)
        try:
            found = section.get_urls(
                page=number, site=RequestSite(request), protocol=request.scheme
            )
        except EmptyPage:
            return None
        if not found:  # the paginator's empty first page: no articles, no file
            return None
        section.versions(found)
        return urlset(found)

    document = cached_content(request, f"sitemap-articles:{number}", build)
    if document is None:
        raise Http404("No such sitemap.")
    return _xml(document)
