"""Conditional requests for public pages: a validator on every page, 304 when it holds.

Every shareable page gets a strong ETag, a digest of the very bytes sent (each encoding
of a page is its own representation, so its own tag); the feed also keeps its
Last-Modified. A browser or a cache that already holds the page asks with
If-None-Match (or If-Modified-Since) and is answered 304 with no body, whether the
page came from the page cache (in the WSGI entry point or the middleware) or was just
rendered. The rules are RFC 9110's for GET and HEAD: If-None-Match, when present,
decides alone and compares weakly; otherwise If-Modified-Since against Last-Modified.
"""

import hashlib
from collections.abc import Iterable

from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

Headers = Iterable[tuple[str, str]]

# What a 304 carries of the full answer's headers (RFC 9110 15.4.5), plus the shared
# caches' own marks; never the body's length, type or encoding.
_LEFT_OUT = {"content-length", "content-type", "content-encoding", "content-language"}


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _header(headers: Headers, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


def not_modified(request, headers: Headers) -> bool:
    """Does the client hold this very answer already (a 304 will do)? Django's own
    reading of the conditional headers decides, given the answer's validators."""
    headers = list(headers)
    answer = get_conditional_response(
        request,
        etag=_header(headers, "ETag"),
        last_modified=parse_http_date_safe(_header(headers, "Last-Modified") or ""),
    )
    return answer is not None and answer.status_code == 304


def not_modified_headers(headers: Headers) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name.lower() not in _LEFT_OUT]
