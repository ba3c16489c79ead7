"""The WSGI entry point: stored public pages first, then Django.

A page in the shared page cache (portal/pagecache.py) is answered here, before Django
builds a request, runs its middleware or sends its signals: the same stored status,
headers and bytes the full stack would send, at a fraction of the cost. Everything
else (a miss, staff, forms, static files) goes to Django as usual, and the page-cache
middleware there stores what may be stored.
"""

import os
from http import HTTPStatus

from django.core.handlers.wsgi import WSGIRequest
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django_application = get_wsgi_application()

from portal import pagecache  # noqa: E402  (needs the settings loaded above)
from portal.health import HEALTH_PATH  # noqa: E402


def application(environ, start_response):
    # The health check is never a stored page: it does not wait on the cache first.
    if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and environ.get("PATH_INFO") != HEALTH_PATH:
        try:
            found = pagecache.answer_from_cache(WSGIRequest(environ))
        except Exception:
            found = None  # a bad Host header, an unreadable entry: let Django answer
        if found is not None:
            status, headers, content = found
            start_response(f"{status} {HTTPStatus(status).phrase}", headers)
            return [content]
    return django_application(environ, start_response)
