"""Signed tokens for reviewer preview links.

The token carries the link's id, signed with the secret key; the row holds the expiry
and the revocation, so a link can be withdrawn before it expires.
"""

import zlib
from datetime import timedelta

from django.core import signing
from django.utils import timezone

from articles.models import PreviewLink

SALT = "articles.preview-link"
LIFETIME = timedelta(days=14)


def create_link(article, brand, user, lifetime: timedelta = LIFETIME) -> tuple[PreviewLink, str]:
    link = PreviewLink.objects.create(
        article=article, brand=brand, created_by=user, expires_at=timezone.now() + lifetime
    )
    return link, signing.dumps({"link": link.pk}, salt=SALT, compress=True)


def resolve(token: str, brand) -> PreviewLink | None:
    """Return the usable link a token names for this brand, or None."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LIFETIME * 2)
    except (signing.BadSignature, ValueError, zlib.error):  # signed, but not our JSON
        return None
    # A correctly signed token still names only what we signed: {"link": <id>}.
    # Anything else (another shape, a huge or non-integer id) names no link.
    link_id = payload.get("link") if isinstance(payload, dict) else None
    if type(link_id) is not int or not 0 < link_id < 2**63:
        return None
    link = (
        PreviewLink.objects.for_brand(brand)
        .select_related("article")
        .filter(pk=link_id, brand=brand)
        .first()
    )
    return link if link is not None and link.is_usable else None
