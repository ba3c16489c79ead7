"""Tell a shared HTTP cache in front of the portal (Varnish, a CDN) to drop pages.

Every shareable public page carries its brand's surrogate key (``brand-<id>``) and the
key ``portal`` (see ``portal.pagecache.shared_cache_headers``), in both headers the
common caches read: ``Surrogate-Key`` (Varnish with the VCL in deploy/varnish.vcl,
Fastly) and ``Cache-Tag`` (Cloudflare). After a save commits, the brands it touched
are purged through the backend named by ``CDN_PURGE_BACKEND``:

- ``""`` (default): no shared cache to tell;
- ``"http"``: a ``BAN`` request carrying ``Surrogate-Key`` to each of ``CDN_PURGE_URLS``
  (Varnish; any proxy that can ban by a response header);
- ``"cloudflare"``: Cloudflare's purge-by-tag API for ``CLOUDFLARE_ZONE_ID``;
- a dotted path to a class with a ``purge(keys)`` method, for anything else.

A purge that fails is logged and the save stands: the shared cache then serves the
old page until its ``s-maxage`` runs out, which is never later than the page's own
deadline nor ``PAGE_CACHE_SECONDS``.
"""

import json
import logging
import urllib.request
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

EVERY_BRAND = "portal"
TIMEOUT_SECONDS = 3


def brand_key(brand_id: int) -> str:
    return f"brand-{brand_id}"


class NoPurge:
    def purge(self, keys: list[str]) -> None:
        pass


class HTTPBanPurge:
    """``BAN`` with the keys in ``Surrogate-Key``, to every cache in CDN_PURGE_URLS."""

    def __init__(self):
        self.urls = list(settings.CDN_PURGE_URLS)
        if not self.urls or any(urlsplit(url).scheme not in ("http", "https") for url in self.urls):
            raise ImproperlyConfigured("CDN_PURGE_BACKEND=http needs CDN_PURGE_URLS (http URLs).")

    def purge(self, keys: list[str]) -> None:
        for url in self.urls:
            request = urllib.request.Request(
                url, method="BAN", headers={"Surrogate-Key": " ".join(keys)}
            )
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                response.read()


class CloudflarePurge:
    """Cloudflare's purge by cache tag (the ``Cache-Tag`` header on every page)."""

    API = "https://api.cloudflare.com/client/v4/zones/{zone}/purge_cache"

    def __init__(self):
        if not settings.CLOUDFLARE_ZONE_ID or not settings.CLOUDFLARE_API_TOKEN:
            raise ImproperlyConfigured(
                "CDN_PURGE_BACKEND=cloudflare needs CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN."
            )
        self.url = (settings.CLOUDFLARE_API_URL or self.API).format(
            zone=settings.CLOUDFLARE_ZONE_ID
        )

    def purge(self, keys: list[str]) -> None:
        request = urllib.request.Request(
            self.url,
            method="POST",
            data=json.dumps({"tags": keys}).encode(),
            headers={
                "Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.load(response)
        if not answer.get("success"):
            raise RuntimeError(f"Cloudflare refused the purge: {answer.get('errors')}")


ALIASES = {
    "": "portal.purge.NoPurge",
    "http": "portal.purge.HTTPBanPurge",
    "cloudflare": "portal.purge.CloudflarePurge",
}


@cache
def backend():
    name = settings.CDN_PURGE_BACKEND
    return import_string(ALIASES.get(name, name))()


def purge_brands(brand_ids) -> None:
    """Purge the pages of these brands (None: of every brand) from the shared cache."""
    keys = [EVERY_BRAND] if brand_ids is None else [brand_key(pk) for pk in sorted(brand_ids)]
    if not keys:
        return
    try:
        backend().purge(keys)
    except Exception as exc:
        # Never the URL's credentials or a body: the kind of failure and the keys.
        logger.warning("Could not purge %s from the shared cache: %s", keys, type(exc).__name__)
