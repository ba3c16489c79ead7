"""The Content-Security-Policy, with the two exceptions the admin needs.

Public pages get the strict policy from settings. Admin pages also allow the rich-text
editor's import map (an inline <script type="importmap"> that cannot carry a nonce)
by its hash, and inline styles, which Django's admin templates use.
"""

import base64
import hashlib
import re
from functools import cache

from csp.middleware import CSPMiddleware

from portal.paths import ADMIN_PREFIX


@cache
def editor_importmap_hash() -> str:
    from django_prose_editor.widgets import importmap

    inner = re.sub(r"^<script[^>]*>|</script>$", "", str(importmap.render()))
    digest = hashlib.sha256(inner.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {
                **(parts.update or {}),
                "script-src": [editor_importmap_hash()],
                "style-src": ["'unsafe-inline'"],
            }
        return parts
