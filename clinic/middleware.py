"""Set ``request.brand`` from the Host header, once per request."""

from contextlib import nullcontext

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from clinic import back_office, links
from clinic.domains import resolve_host
from clinic.scoped import serving
from portal.paths import ADMIN_PREFIX


class BrandMiddleware:
    """Resolve the host to a brand; unknown hosts are a 404, secondary hosts redirect.

    ``request.get_host()`` has already refused malformed hosts and hosts outside
    ALLOWED_HOSTS with a 400 (Django's SuspiciousOperation handling).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.brand = None
        host = request.get_host()
        if back_office.enabled() and back_office.is_back_office(host):
            return self._back_office(request)
        match = resolve_host(host)
        if match is None:
            raise Http404(_("No clinic is served at this address."))
        if match.redirect_to:
            return HttpResponsePermanentRedirect(self._redirect_url(request, host, match))
        if back_office.enabled() and request.path_info.startswith(ADMIN_PREFIX):
            # One back office for the group: a brand's /admin/ leads there.
            return HttpResponseRedirect(links.in_back_office(request.get_full_path()))
        request.brand = match.brand
        # Dates on the brand's pages and in its back office read in the clinic's own time
        # zone (that of its main location), not in UTC.
        with timezone.override(self._time_zone(match.brand)), self._scoped(request):
            response = self.get_response(request)
        # Caches must key on the host: the same path is different content per brand.
        patch_vary_headers(response, ("Host",))
        return response

    def _back_office(self, request):
        """The admin of every brand, on a host of no brand's own (request.brand None)."""
        if request.path_info == "/":
            return HttpResponseRedirect(ADMIN_PREFIX)
        own = request.path_info.startswith(ADMIN_PREFIX) or (
            # Uploads served from this machine: the admin shows logos and images.
            settings.SERVE_MEDIA and request.path_info.startswith(settings.MEDIA_URL)
        )
        if not own:
            raise Http404(_("The back office has only its own pages."))
        with timezone.override(settings.BACK_OFFICE_TIME_ZONE):
            response = self.get_response(request)
        patch_vary_headers(response, ("Host",))
        return response

    @staticmethod
    def _scoped(request):
        """A public page's queries are narrowed to its brand (clinic/scoped.py); the
        admin scopes by the signed-in person's brands instead (clinic/admin_scoping)."""
        if request.path_info.startswith(ADMIN_PREFIX):
            return nullcontext()
        return serving(request.brand)

    @staticmethod
    def _time_zone(brand):
        from clinic.locations import primary_location

        location = primary_location(brand)
        return location.zone if location is not None else None

    @staticmethod
    def _redirect_url(request, host, match):
        target = links.with_port(match.redirect_to, links.request_port(request))
        return f"{request.scheme}://{target}{request.get_full_path()}"
