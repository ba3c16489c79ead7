from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.sitemaps import brand_sitemap
from articles.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("articles/", include("articles.urls")),
    path("consultation/", include("appointments.urls")),
    path("sitemap.xml", brand_sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("clinic.urls")),
]

if settings.DEBUG:  # pragma: no cover - development only; production serves media elsewhere
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "portal.errors.server_error"
