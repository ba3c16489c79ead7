"""A shared cache of anonymous public pages, per host and URL.

What it may cache: GET/HEAD answers with status 200 to visitors without a session
cookie, that set no cookie and are not marked private or no-cache (forms with CSRF
tokens, previews and the thanks page are). What keeps it honest:

- a save of content (brands, domains, locations, hours, articles, topics) bumps the
  generation of every host of the brands it touches, after commit (portal.retirement),
  so an edit shows at once on every app server that shares the cache;
- a page is kept only until the next moment its content changes by itself: the next
  opening or closing of any of the brand's locations (the "open now" line and the
  calls to action) or the next scheduled publication of one of its articles.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation

from portal import generations, purge


def _host_generation(request) -> str:
    # Whole pages are looked up before the brand is known: they are retired by host.
    from clinic.domains import bare_hostname

    return generations.host(bare_hostname(request.get_host()))


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


def _shareable_request(request) -> bool:
    """May the answer to this request be kept for everybody (here or in a CDN)?"""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(("/admin/", "/consultation/"))
        and _cacheable_query(request)
    )


def _shareable_response(request, response) -> bool:
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


def content_deadline(brand, now: datetime) -> datetime:
    """Return when the brand's articles next change by themselves (or the default age).

    The answer (the next scheduled publication) is itself cached under the brand's
    generation until that moment, so a warm page costs no query for it.
    """
    limit = now + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    key = f"publication:{generations.current(generations.brand(brand.pk))}:{brand.pk}"
    stored = cache.get(key)
    if stored is None or 0 < stored <= now.timestamp():  # unknown, or gone live since
        upcoming = next_publication(brand, now)
        stored = upcoming.timestamp() if upcoming is not None else 0.0
        until = limit if upcoming is None else min(limit, upcoming)
        cache.set(key, stored, max(1, int((until - now).total_seconds())))
    if stored and stored > now.timestamp():
        return min(limit, datetime.fromtimestamp(stored, tz=UTC))
    return limit


def page_deadline(brand, now: datetime) -> datetime:
    """Return when the brand's pages next change by themselves (or the default age)."""
    from clinic.locations import brand_locations

    deadline = content_deadline(brand, now)
    for location in brand_locations(brand):
        change = location.calendar().next_change(now)
        if change is not None:
            deadline = min(deadline, change.at)
    return deadline


def cached_content(request, name: str, build):
    """Return ``build()``, reused until content is saved or an article goes live.

    For what a page shows of articles (not of hours): it outlives the page cache's
    shorter, hours-bound entries and serves URL variants the page cache keeps apart.
    """
    if settings.PAGE_CACHE_SECONDS <= 0:
        return build()
    now = timezone.now()
    gen = generations.current(generations.brand(request.brand.pk))
    # What is built here may hold translated words: one entry per language.
    raw = f"{request.get_host().lower()}|{translation.get_language()}|{name}"
    key = f"content:{gen}:{hashlib.sha256(raw.encode()).hexdigest()}"
    stored = cache.get(key)
    if stored is not None and stored[0] > now.timestamp():
        return stored[1]
    value = build()
    expires = content_deadline(request.brand, now)
    seconds = int((expires - now).total_seconds())
    if seconds > 0:
        cache.set(key, (expires.timestamp(), value), seconds)
    return value


def shared_cache_headers(response, brand_id: int, expires: datetime, now: datetime) -> None:
    """Let a shared cache (CDN, Varnish) keep the page until ``expires``, by brand key.

    Browsers ask again each time (max-age=0); a shared cache keeps the page until its
    own deadline and is purged by brand key after a save (portal.purge). An answer that
    says how long it may be kept (the fingerprinted theme stylesheet) keeps its word.
    """
    if "Cache-Control" not in response:
        seconds = max(0, int((expires - now).total_seconds()))
        response["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
    keys = [purge.EVERY_BRAND, purge.brand_key(brand_id)]
    response["Surrogate-Key"] = " ".join(keys)
    response["Cache-Tag"] = ",".join(keys)


class PublicPageCacheMiddleware:
    """Serve anonymous public pages from the shared cache; mark what others may keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _shareable_request(request):
            return self._private(self.get_response(request))
        store = settings.PAGE_CACHE
        key = _key(request, generations.current(_host_generation(request))) if store else ""
        now = timezone.now()
        stored = cache.get(key) if store else None
        if stored is not None and stored["expires"] > now.timestamp():
            response = HttpResponse(stored["content"], status=stored["status"])
            for name, value in stored["headers"]:
                response[name] = value
            expires = datetime.fromtimestamp(stored["expires"], tz=UTC)
            shared_cache_headers(response, stored["brand_id"], expires, now)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if not _shareable_response(request, response):
            return self._private(response)
        expires = page_deadline(request.brand, now)
        seconds = int((expires - now).total_seconds())
        if seconds <= 0:
            return self._private(response)
        if store:
            entry = {
                "content": response.content,
                "status": response.status_code,
                "headers": list(response.items()),
                "expires": expires.timestamp(),
                "brand_id": request.brand.pk,
            }
            cache.set(key, entry, seconds)
            response["X-Page-Cache"] = "miss"
        shared_cache_headers(response, request.brand.pk, expires, now)
        return response

    @staticmethod
    def _private(response):
        # Nothing that is not marked shareable above may be kept by a shared cache
        # (a 404 that an article will fill, a page for a signed-in member of staff).
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-cache"
        return response
