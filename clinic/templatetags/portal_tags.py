"""Template helpers shared by the portal's public pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the
# <script> element or open a comment, whatever staff typed.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """Render ``value`` as a JSON-LD <script> block, safe inside HTML."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{data}</script>')


@register.filter
def isotime(value) -> str:
    """Return a datetime as HTML's datetime attribute wants it (whole seconds)."""
    if not value:
        return ""
    from django.utils import timezone

    return timezone.localtime(value).isoformat(timespec="seconds")
