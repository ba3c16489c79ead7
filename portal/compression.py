"""Compress public pages (brotli where the browser takes it, else gzip), and only
where compression cannot leak a secret.

Compression leaks (BREACH): when one compressed response holds both a secret (a CSRF
token, a session's personal data) and text an attacker can choose (a search query),
the response's size tells the attacker how much of a guess matched the secret. So only
responses with no secret in them are compressed: pages for visitors without a session,
that used no CSRF token, are not private, and are text. Static files are compressed
ahead of time by WhiteNoise and never reach this middleware.
"""

import brotli
from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

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


def chosen_encoding(request) -> str:
    """ "br", "gzip" or "plain": what this client's answer is compressed with (and so
    which copy of a page the page cache keeps for it)."""
    accepted = set()
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _semicolon, parameters = part.partition(";")
        quality = parameters.strip().removeprefix("q=").strip() if parameters else "1"
        try:
            if float(quality or 1) > 0:
                accepted.add(name.strip().lower())
        except ValueError:
            continue  # a malformed weight: not taken as a yes
    for encoding in ("br", "gzip"):
        if encoding in accepted:
            return encoding
    return "plain"


# Quality 5: about gzip's speed on a page that is rendered, 15-20 % smaller than gzip;
# a stored page is compressed once, on the miss that stores it.
BROTLI_QUALITY = 5
SMALLEST_WORTH_IT = 200  # bytes (Django's own gzip threshold)


class PublicCompressionMiddleware(GZipMiddleware):
    """Django's gzip middleware, with brotli first, for what ``safe_to_compress`` lets
    through."""

    def process_response(self, request, response):
        if not safe_to_compress(request, response):
            return response
        encoding = chosen_encoding(request)
        if encoding == "gzip":
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if (
            encoding != "br"
            or response.streaming
            or response.has_header("Content-Encoding")
            or len(response.content) < SMALLEST_WORTH_IT
        ):
            return response
        compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        if etag := response.get("ETag"):
            # As Django's gzip does: another representation of the same content.
            response["ETag"] = etag if etag.startswith("W/") else f"W/{etag}"
        response["Content-Encoding"] = "br"
        return response
