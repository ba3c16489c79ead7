from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.sitemaps import brand_sitemap
from articles.views import robots_txt
from portal.media import media

urlpatterns = [
    path("admin/", include("staff.urls")),  # before the admin, which claims all /admin/
    path("admin/", admin.site.urls),
    path("articles/", include("articles.urls")),
    path("consultation/", include("appointments.urls")),
    path("sitemap.xml", brand_sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("clinic.urls")),
    path("", include("care.urls")),
    # Last: a brand's own pages live at the top level (/about/, /costs/).
    path("", include("pages.urls")),
]

if settings.SERVE_MEDIA:  # uploads on this machine's disk (not object storage)
    urlpatterns.insert(0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media"))

handler500 = "portal.errors.server_error"
