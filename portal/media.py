"""Uploaded images served by the app itself, for a one-machine deployment.

With several app servers, uploads go to object storage (``MEDIA_STORAGE=s3``) and this
view is not used. On one machine, gunicorn alone serves everything, so the portal
answers ``/media/`` itself: only image files under ``MEDIA_ROOT`` (what the upload
checks let in), never a directory listing, with a day of browser caching (a file name
may be reused after its image is deleted, so not "immutable").
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
MAX_AGE_SECONDS = 24 * 60 * 60


@require_safe
def media(request, path: str):
    """Return one uploaded image (``django.views.static.serve`` guards the path)."""
    if PurePosixPath(path).suffix.lower() not in IMAGE_SUFFIXES:
        raise Http404
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT), show_indexes=False)
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    return response
