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
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation

from portal import compression, conditional, generations, languages, purge
from portal.hosts import bare_hostname
from portal.paths import ADMIN_PREFIX, CONSULTATION_PREFIX


def _host_generation(host: str) -> str:
    # Whole pages are looked up before the brand is known: they are retired by host.
    return generations.host_key(bare_hostname(host))


def _page_key(request) -> str:
    """The page's key under its host's current generation (one read of the shared cache)."""
    host = request.get_host().lower()
    gen = generations.current(_host_generation(host))
    # Compressed and plain answers are stored apart (see portal/compression.py).
    encoding = compression.chosen_encoding(request)
    # The scheme too: the stored headers include HSTS on https only.
    # The path holds the language too (portal/languages.py): /es/… is another page.
    raw = f"{request.scheme}|{host}|{encoding}|{request.get_full_path()}"
    return f"pagecache:{gen}:{request.method}:{hashlib.sha256(raw.encode()).hexdigest()}"


# Query strings a cached page may carry: page numbers only. Any other query (a search,
# or junk such as ``/?evict=123``) is rendered but not stored, so nobody can fill the
# cache with endless variants of one page and push real entries out.
CACHEABLE_QUERY_PARAMETERS = {"page": 6}  # name -> longest value


def _cacheable_query(request) -> bool:
    if not request.META.get("QUERY_STRING"):
        return True
    for name, values in request.GET.lists():
        longest = CACHEABLE_QUERY_PARAMETERS.get(name)
        if longest is None or len(values) != 1 or not values[0].isdigit():
            return False
        if len(values[0]) > longest:
            return False
    return True


# Staff, the form (CSRF tokens) and files (answered by WhiteNoise and the media view,
# below; looked at here without a single cache read).
_NEVER_SHARED = (ADMIN_PREFIX, CONSULTATION_PREFIX, settings.STATIC_URL, settings.MEDIA_URL)


def _shareable_request(request) -> bool:
    """May the answer to this request be kept for everybody (here or in a CDN)?"""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not languages.without_prefix(request.path_info).startswith(_NEVER_SHARED)
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


# When a brand's pages next change by themselves, as the apps know it (each tells it in
# its AppConfig.ready, so that this module imports no app):
# - scheduled changes are read from the database (an article's publication): the
#   earliest is kept in the shared cache until that moment;
# - timetable changes are worked out from rows already at hand (a location's next
#   opening or closing, its next local midnight).
ScheduledChange = Callable[[Any, datetime], datetime | None]
TimetableChanges = Callable[[Any, datetime], Iterable[datetime | None]]
_scheduled: list[ScheduledChange] = []
_timetables: list[TimetableChanges] = []


def changes_scheduled_by(source: ScheduledChange) -> None:
    if source not in _scheduled:
        _scheduled.append(source)


def changes_on_the_timetable_of(source: TimetableChanges) -> None:
    if source not in _timetables:
        _timetables.append(source)


def next_publication(brand, now: datetime) -> datetime | None:
    """Return when the brand's next scheduled change happens, if any."""
    moments = [source(brand, now) for source in _scheduled]
    return min((moment for moment in moments if moment is not None), default=None)


def _scheduled_publication(brand, now: datetime) -> datetime | None:
    """The brand's next scheduled publication, cached under the brand's generation until
    that moment, so that a warm page costs no query for it."""
    limit = now + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    key = f"publication:{generations.of_brand(brand)}:{brand.pk}"
    stored = cache.get(key)
    if stored is None or 0 < stored <= now.timestamp():  # unknown, or gone live since
        upcoming = next_publication(brand, now)
        stored = upcoming.timestamp() if upcoming is not None else 0.0
        until = limit if upcoming is None else min(limit, upcoming)
        cache.set(key, stored, max(1, int((until - now).total_seconds())))
    return datetime.fromtimestamp(stored, tz=UTC) if stored else None


def content_deadline(brand, now: datetime) -> datetime:
    """Return when the brand's articles next change by themselves (or the default age)."""
    limit = now + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    upcoming = _scheduled_publication(brand, now)
    return limit if upcoming is None else min(limit, upcoming)


_deadlines = generations.DecodedMemo(256)


def natural_deadline(brand, now: datetime) -> datetime | None:
    """Return when the brand's pages next change by themselves, if ever.

    That is the next opening or closing of any location, the next local midnight of any
    location ("today", "tomorrow" and the highlighted day of the week move on then) and
    the next scheduled publication. Between when it was worked out and that moment,
    nothing changes by itself, and a save changes the brand's generation.
    """
    # Worked out once per process for the brand's content as it is (its generation),
    # then good for every request until that very moment.
    memo_key = (brand.pk, generations.of_brand(brand))
    remembered = _deadlines.get(memo_key)
    # (A few seconds earlier is the same request asking with the time it began: the
    # page it is about was made after the answer was worked out.)
    if (
        remembered is not None
        and remembered[0] - timedelta(seconds=5) <= now
        and (remembered[1] is None or now < remembered[1])
    ):
        return remembered[1]
    moments = [_scheduled_publication(brand, now)]
    for source in _timetables:
        moments += source(brand, now)
    deadline = min((moment for moment in moments if moment is not None), default=None)
    _deadlines.put(memo_key, (now, deadline))
    return deadline


def page_deadline(brand, now: datetime) -> datetime:
    """Return how long a page may be kept: its natural deadline, at most the default age."""
    limit = now + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    natural = natural_deadline(brand, now)
    return limit if natural is None else min(limit, natural)


def next_midnight(zone, now: datetime) -> datetime:
    """The next start of a day in ``zone`` (a day may start at 1 A.M. on a DST change)."""
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=zone)


# Rendered fragments and article data this process has read, in front of the shared
# cache. Their keys carry the brand's generation (read from the shared cache on every
# request) and they keep their shared copy's expiry, so they are never staler than it.
_decoded = generations.DecodedMemo(512)


def _shared_get(key: str, now: datetime):
    value = _decoded.get(key, now.timestamp())
    if value is None:
        stored = cache.get(key)
        # (An entry in another shape, from an older release, is simply a miss.)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] > now.timestamp():
            value = stored[1]
            _decoded.put(key, value, stored[0])
    return value


def _shared_set(key: str, value, expires: datetime, now: datetime) -> None:
    seconds = int((expires - now).total_seconds())
    if seconds > 0:
        cache.set(key, (expires.timestamp(), value), seconds)
        _decoded.put(key, value, expires.timestamp())


def cached_content(request, name: str, build):
    """Return ``build()``, reused until content is saved or an article goes live.

    For what a page shows of articles (not of hours): it outlives the page cache's
    shorter, hours-bound entries and serves URL variants the page cache keeps apart.
    """
    if settings.PAGE_CACHE_SECONDS <= 0:
        return build()
    now = timezone.now()
    gen = generations.of_brand(request.brand)
    # What is built here may hold translated words: one entry per language.
    raw = f"{request.get_host().lower()}|{translation.get_language()}|{name}"
    key = f"content:{gen}:{hashlib.sha256(raw.encode()).hexdigest()}"
    value = _shared_get(key, now)
    if value is None:
        value = build()
        _shared_set(key, value, content_deadline(request.brand, now), now)
    return value


def moment_cached(request, vary: list[str], render) -> str:
    """Return ``render()``, reused until the brand's pages change by themselves.

    For fragments that depend on the brand and the moment only (see the
    ``moment_fragment`` template tag). Off with the rest of the caching.
    """
    if settings.PAGE_CACHE_SECONDS <= 0:
        return render()
    brand = request.brand
    now = timezone.now()
    natural = natural_deadline(brand, now)
    expires = page_deadline(brand, now)
    # Keyed by the natural deadline (not the rolling default age): every request until
    # then shares one copy.
    moment = natural.timestamp() if natural is not None else ""
    parts = [request.get_host().lower(), translation.get_language(), moment, *vary]
    raw = "|".join(str(part) for part in parts)
    key = f"fragment:{generations.of_brand(brand)}:{hashlib.sha256(raw.encode()).hexdigest()}"
    html = _shared_get(key, now)
    if html is None:
        html = render()
        _shared_set(key, html, expires, now)
    return html


def shared_cache_header_pairs(brand_id: int, expires: datetime, now: datetime, *, control=True):
    """The headers that let a shared cache (CDN, Varnish) keep a page until ``expires``.

    Browsers ask again each time (max-age=0); a shared cache keeps the page until its
    own deadline and is purged by brand key after a save (portal.purge). ``control``
    False: the answer already says how long it may be kept (the fingerprinted theme
    stylesheet) and keeps its word.
    """
    keys = [purge.EVERY_BRAND, purge.brand_key(brand_id)]
    pairs = [("Surrogate-Key", " ".join(keys)), ("Cache-Tag", ",".join(keys))]
    if control:
        seconds = max(0, int((expires - now).total_seconds()))
        pairs.insert(0, ("Cache-Control", f"public, max-age=0, s-maxage={seconds}"))
    return pairs


def shared_cache_headers(response, brand_id: int, expires: datetime, now: datetime) -> None:
    own_control = "Cache-Control" in response
    for name, value in shared_cache_header_pairs(brand_id, expires, now, control=not own_control):
        response[name] = value


def _stored_answer(key: str, now: datetime, request=None):
    """Return (status, headers, content) stored under ``key``, or None (a 304 when
    ``request`` already holds it)."""
    stored = cache.get(key)
    if not isinstance(stored, dict) or stored.get("expires", 0) <= now.timestamp():
        return None
    headers = list(stored["headers"])
    own_control = any(name.lower() == "cache-control" for name, _value in headers)
    expires = datetime.fromtimestamp(stored["expires"], tz=UTC)
    headers += shared_cache_header_pairs(stored["brand_id"], expires, now, control=not own_control)
    headers.append(("X-Page-Cache", "hit"))
    if request is not None and conditional.not_modified(request, headers):
        return 304, conditional.not_modified_headers(headers), b""
    return stored["status"], headers, stored["content"]


def answer_from_cache(request):
    """Return (status, headers, content) for a request a stored page answers, or None.

    The WSGI entry point (portal/wsgi.py) asks this before Django handles the request
    at all: a hit then costs two reads of the shared cache and nothing else.
    """
    if not settings.PAGE_CACHE or not _shareable_request(request):
        return None
    return _stored_answer(_page_key(request), timezone.now(), request)


class PublicPageCacheMiddleware:
    """Serve anonymous public pages from the shared cache; mark what others may keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _shareable_request(request):
            return self._private(self.get_response(request))
        store = settings.PAGE_CACHE
        key = _page_key(request) if store else ""
        now = timezone.now()
        found = _stored_answer(key, now, request) if store else None
        if found is not None:
            status, headers, content = found
            response = HttpResponse(content, status=status)
            if status == 304:
                del response["Content-Type"]  # no body, so no body's type
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if not _shareable_response(request, response):
            return self._private(response)
        expires = page_deadline(request.brand, now)
        seconds = int((expires - now).total_seconds())
        if seconds <= 0:
            return self._private(response)
        if not response.has_header("ETag"):
            response["ETag"] = conditional.etag_of(response.content)
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
        if conditional.not_modified(request, response.items()):
            return self._not_modified(response)
        return response

    @staticmethod
    def _not_modified(response):
        answer = HttpResponse(status=304)
        del answer["Content-Type"]
        for name, value in conditional.not_modified_headers(response.items()):
            answer[name] = value
        return answer

    @staticmethod
    def _private(response):
        # Nothing that is not marked shareable above may be kept by a shared cache
        # (a 404 that an article will fill, a page for a signed-in member of staff).
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-cache"
        return response
