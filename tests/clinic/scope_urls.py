"""A public page that forgets to name the brand (for tests/clinic/test_scoped_queries.py)."""

from django.http import HttpResponse
from django.urls import path

from clinic.models import Location
from portal import urls as portal_urls


def forgetful(request):
    return HttpResponse(", ".join(location.name for location in Location.objects.all()))


def careful(request):
    names = Location.objects.for_brand(request.brand).values_list("name", flat=True)
    return HttpResponse(", ".join(names))


urlpatterns = [
    path("forgetful/", forgetful),
    path("careful/", careful),
    *portal_urls.urlpatterns,  # i18n_patterns may not be include()d
]
