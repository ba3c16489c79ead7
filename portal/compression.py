"""Compress public pages, and only where compression cannot leak a secret.

Compression leaks (BREACH): when one compressed response holds both a secret (a CSRF
token, a session's personal data) and text an attacker can choose (a search query),
the response's size tells the attacker how much of a guess matched the secret. So only
responses with no secret in them are compressed: pages for visitors without a session,
that used no CSRF token, are not private, and are text. Static files are compressed
ahead of time by WhiteNoise and never reach this middleware.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

from portal import languages
from portal.paths import ADMIN_PREFIX, CONSULTATION_PREFIX

COMPRESSIBLE_TYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/json",
    "application/ld+json",
)
NEVER_COMPRESSED_PATHS = (ADMIN_PREFIX, CONSULTATION_PREFIX)


def safe_to_compress(request, response) -> bool:
    """Return True when the response carries nothing secret beside public text."""
    control = response.get("Cache-Control", "")
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not languages.without_prefix(request.path_info).startswith(NEVER_COMPRESSED_PATHS)
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
        and response.get("Content-Type", "").split(";")[0].strip() in COMPRESSIBLE_TYPES
    )


class PublicGZipMiddleware(GZipMiddleware):
    """Django's gzip middleware, for responses ``safe_to_compress`` lets through."""

    def process_response(self, request, response):
        if not safe_to_compress(request, response):
            return response
        return super().process_response(request, response)
