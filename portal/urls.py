from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from portal.media import media

# The apps' addresses are included by name: the project imports no app.

urlpatterns = [
    # Staff's choice of the back office's language (a cookie; see portal/languages.py).
    path("admin/language/", set_language, name="set_language"),
    path("admin/", include("staff.urls")),  # before the admin, which claims all /admin/
    path("admin/", admin.site.urls),
    path("", include("articles.site_urls")),  # sitemap.xml, robots.txt
    path("", include("appointments.provider_urls")),  # the SMS provider's replies
]

# The public site in each of its languages: English at the top level, others under their
# own prefix (/es/…). Which of them a brand offers is checked by portal/languages.py.
urlpatterns += i18n_patterns(
    path("articles/", include("articles.urls")),
    path("consultation/", include("appointments.urls")),
    path("", include("clinic.urls")),
    path("", include("care.urls")),
    # Last: a brand's own pages live at the top level (/about/, /costs/).
    path("", include("pages.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:  # uploads on this machine's disk (not object storage)
    urlpatterns.insert(0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media"))

handler500 = "portal.errors.server_error"
