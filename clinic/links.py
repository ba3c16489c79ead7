"""Every absolute address the portal gives out, built in one place.

Three kinds, one function each:

- ``on_site(brand, path, request)``: a page of a brand's public site. While a page is
  being served (``request`` given) the address keeps the request's scheme, and its
  development port where the stored hostname has none; on the brand's own host it is
  the request's own host. Without a request (an e-mail, a text message, a task) it is
  the brand's primary host in ``PORTAL_URL_SCHEME``, with ``PORTAL_PUBLIC_PORT``.
- ``in_back_office(path)``: a page of the back office, from ``BACK_OFFICE_URL`` (never
  from a request's Host header: links in e-mails must not be steerable).
- ``back_office_origin()``: the back office's scheme and host, for Django's own
  e-mails (the password reset) that build their link from a domain.

A brand's other hostnames redirect to its primary one (clinic.domains), so a public
page is only ever served on the host these addresses name.
"""

from urllib.parse import urlsplit

from django.conf import settings


def with_port(hostname: str, port: str) -> str:
    """Add ``port`` to a stored hostname that has none (development ports)."""
    if port and ":" not in hostname:
        return f"{hostname}:{port}"
    return hostname


def request_port(request) -> str:
    """The port the request was addressed to, if its Host header names one."""
    host = request.get_host()
    if host.endswith("]") or ":" not in host:
        return ""
    return host.rsplit(":", 1)[1]


def on_site(brand, path: str, request=None) -> str:
    """``path`` on ``brand``'s public site (see the module's notes)."""
    if urlsplit(path).scheme:
        return path  # already absolute (a file on another host)
    if request is not None:
        if brand is None or brand == getattr(request, "brand", None):
            return request.build_absolute_uri(path)
        host = brand.primary_domain
        if not host:
            return request.build_absolute_uri(path)
        return f"{request.scheme}://{with_port(host, request_port(request))}{path}"
    host = with_port(brand.primary_domain or "localhost", settings.PORTAL_PUBLIC_PORT)
    return f"{settings.PORTAL_URL_SCHEME}://{host}{path}"


def here(request, path: str) -> str:
    """``path`` on the site the request is for (the page being served)."""
    return on_site(getattr(request, "brand", None), path, request)


def in_back_office(path: str) -> str:
    """``path`` in the back office (``BACK_OFFICE_URL``)."""
    return settings.BACK_OFFICE_URL.rstrip("/") + path


def back_office_origin() -> tuple[str, str]:
    """(scheme, host[:port]) of the back office, as configured."""
    parts = urlsplit(settings.BACK_OFFICE_URL)
    return parts.scheme or "https", parts.netloc
