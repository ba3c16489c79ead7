from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def back_office_url(app_configs, **kwargs):
    parts = urlsplit(settings.BACK_OFFICE_URL)
    if parts.scheme in ("http", "https") and parts.netloc:
        return []
    return [
        Warning(
            "BACK_OFFICE_URL is not set (e.g. https://backoffice.example.com): staff "
            "password-reset e-mails cannot be sent, since their links are never built "
            "from a request's Host header.",
            id="staff.W001",
        )
    ]
