"""One back office for a clinic group: the admin on a host of its own.

With ``BACK_OFFICE_HOST`` set, staff sign in once, there, and work every brand they
belong to; each brand host's ``/admin/`` leads there. Drafts are still previewed on the
brand's own site, whose session is another (cookies belong to their host): the back
office hands the signed-in member of staff over with a signed, one-time link that
works for a minute (``handoff_url`` -> ``accept_handoff``).

Without ``BACK_OFFICE_HOST`` the admin answers on every brand host, as before.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from clinic import links

SALT = "clinic.back-office-handoff"
HANDOFF_SECONDS = 60


def enabled() -> bool:
    return bool(settings.BACK_OFFICE_HOST)


def _without_port(host: str) -> str:
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


def is_back_office(host: str) -> bool:
    """Is ``host`` (as the request gives it, port and all) the back office?"""
    wanted = settings.BACK_OFFICE_HOST.lower()
    host = host.lower()
    return bool(wanted) and (host == wanted or _without_port(host) == _without_port(wanted))


def preview_url(request, brand, path: str) -> str:
    """Where a member of staff previews ``path`` on ``brand``'s own site.

    In the back office: through a hand-over to the brand's host. Otherwise the page is
    on the host the member of staff is signed in to already.
    """
    if not enabled():
        return links.on_site(brand, path, request)
    handoff = reverse("admin:clinic_brand_preview", args=[brand.pk])
    return f"{handoff}?{urlencode({'next': path})}"


def handoff_token(user, brand, path: str, device_id: str = "") -> str:
    """A signed, one-time pass for ``user`` to ``path`` on ``brand``'s host. It names
    the second factor the back-office session passed (``device_id``), so the session it
    opens on the brand's host has passed it too."""
    return signing.dumps(
        {"u": user.pk, "b": brand.pk, "p": path, "n": secrets.token_urlsafe(12), "d": device_id},
        salt=SALT,
        compress=True,
    )


def is_local_path(path: object) -> bool:
    return (
        isinstance(path, str)
        and path.startswith("/")
        and url_has_allowed_host_and_scheme(path, allowed_hosts=set())
    )


def redeem(token: str, brand) -> tuple[int, str, str] | None:
    """Return (user id, path, second factor's device id or "") for a fresh, unused pass
    to ``brand``, or None.

    A pass works once: its nonce is taken in the shared cache. While the cache does not
    answer, no pass works (a preview waits for it; nothing else depends on a pass).
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=HANDOFF_SECONDS)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or data.get("b") != getattr(brand, "pk", None):
        return None
    user_id, path, nonce = data.get("u"), data.get("p"), data.get("n")
    device = data.get("d")
    device = device if isinstance(device, str) else ""
    if type(user_id) is not int or not isinstance(path, str) or not isinstance(nonce, str):
        return None
    if not is_local_path(path):
        return None
    if not cache.add(f"handoff:{nonce}", 1, HANDOFF_SECONDS * 2):
        return None  # used already
    return user_id, path, device
