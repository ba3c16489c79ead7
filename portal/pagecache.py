"""A shared cache of anonymous public pages, per host and URL.

What it may cache: GET/HEAD answers with status 200 to visitors without a session
cookie, that set no cookie and are not marked private or no-cache (forms with CSRF
tokens, previews and the thanks page are). What keeps it honest:

- every save of content (brands, domains, locations, hours, articles, topics) bumps
  one generation number that is part of every key, so an edit shows at once on every
  app server that shares the cache (Redis in production);
- a page is kept only until the next moment its content changes by itself: the next
  opening or closing of any of the brand's locations (the "open now" line and the
  calls to action) or the next scheduled publication of one of its articles.
"""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation

from portal import generations


def _host_generation(host: str) -> str:
    # Whole pages are looked up before the brand is known: they are retired by host.
    from clinic.domains import bare_hostname

    return f"pagecache:generation:{bare_hostname(host)}"


def _brand_generation(brand_id: int) -> str:
    return f"content:generation:{brand_id}"


def invalidate(brand_ids=None) -> None:
    """Retire the cached pages and content of these brands (None: of every brand).

    A save in one clinic leaves every other clinic's cache warm.
    """
    from clinic.models import Brand, BrandDomain

    brands = Brand.objects.all() if brand_ids is None else Brand.objects.filter(pk__in=brand_ids)
    for brand in brands.only("pk", "is_default"):
        generations.bump(_brand_generation(brand.pk))
        hosts = list(BrandDomain.objects.for_brand(brand).values_list("hostname", flat=True))
        if brand.is_default:
            hosts += settings.DEFAULT_BRAND_HOSTS
        for host in hosts:
            retire_host(host)


def retire_host(host: str) -> None:
    """Retire every page cached for one hostname (e.g. a domain that changed hands)."""
    generations.bump(_host_generation(host))


def _key(request, gen) -> str:
    # The language is part of the key so that translated pages never mix.
    language = translation.get_language_from_request(request)
    # Compressed and plain answers are stored apart (see portal/compression.py).
    encoding = "gzip" if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") else "plain"
    raw = f"{request.get_host().lower()}|{language}|{encoding}|{request.get_full_path()}"
    return f"pagecache:{gen}:{request.method}:{hashlib.sha256(raw.encode()).hexdigest()}"


# Query strings a cached page may carry: page numbers only. Any other query (a search,
# or junk such as ``/?evict=123``) is rendered but not stored, so nobody can fill the
# cache with endless variants of one page and push real entries out.
CACHEABLE_QUERY_PARAMETERS = {"page": 6}  # name -> longest value


def _cacheable_query(request) -> bool:
    for name, values in request.GET.lists():
        longest = CACHEABLE_QUERY_PARAMETERS.get(name)
        if longest is None or len(values) != 1 or not values[0].isdigit():
            return False
        if len(values[0]) > longest:
            return False
    return True


def _cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE
        and settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(("/admin/", "/consultation/"))
        and _cacheable_query(request)
    )


def _cacheable_response(request, response) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and getattr(request, "brand", None) is not None
        and not response.cookies
        and not response.streaming
        and "private" not in control
        and "no-cache" not in control
        and "no-store" not in control
    )


def next_publication(brand, now: datetime) -> datetime | None:
    """Return when the brand's next scheduled article goes live, if any."""
    from articles.models import Article, Status

    return (
        Article.objects.on_brand(brand)
        .filter(status=Status.PUBLISHED, publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


def page_deadline(brand, now: datetime) -> datetime:
    """Return when the brand's pages next change by themselves (or the default age)."""
    from clinic.locations import brand_locations

    deadline = now + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    for location in brand_locations(brand):
        change = location.calendar().next_change(now)
        if change is not None:
            deadline = min(deadline, change.at)
    upcoming = next_publication(brand, now)
    return deadline if upcoming is None else min(deadline, upcoming)


def cached_content(request, name: str, build):
    """Return ``build()``, reused until content is saved or an article goes live.

    For what a page shows of articles (not of hours): it outlives the page cache's
    shorter, hours-bound entries and serves URL variants the page cache keeps apart.
    """
    if settings.PAGE_CACHE_SECONDS <= 0:
        return build()
    now = timezone.now()
    gen = generations.current(_brand_generation(request.brand.pk))
    # What is built here may hold translated words: one entry per language.
    raw = f"{request.get_host().lower()}|{translation.get_language()}|{name}"
    key = f"content:{gen}:{hashlib.sha256(raw.encode()).hexdigest()}"
    stored = cache.get(key)
    if stored is not None and stored[0] > now.timestamp():
        return stored[1]
    value = build()
    upcoming = next_publication(request.brand, now)
    expires = now + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    if upcoming is not None:
        expires = min(expires, upcoming)
    seconds = int((expires - now).total_seconds())
    if seconds > 0:
        cache.set(key, (expires.timestamp(), value), seconds)
    return value


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request, generations.current(_host_generation(request.get_host())))
        now = timezone.now()
        stored = cache.get(key)
        if stored is not None and stored["expires"] > now.timestamp():
            response = HttpResponse(stored["content"], status=stored["status"])
            for name, value in stored["headers"]:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            expires = page_deadline(request.brand, now)
            seconds = int((expires - now).total_seconds())
            if seconds > 0:
                if "Cache-Control" not in response:
                    # Browsers and proxies ask again each time; this cache answers fast.
                    response["Cache-Control"] = "max-age=0"
                cache.set(
                    key,
                    {
                        "content": response.content,
                        "status": response.status_code,
                        "headers": list(response.items()),
                        "expires": expires.timestamp(),
                    },
                    seconds,
                )
                response["X-Page-Cache"] = "miss"
        return response
