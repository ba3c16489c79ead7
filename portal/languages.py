"""Which language a page is in, and the same page's address in the other languages.

A public page's language is in its address and nowhere else: ``/articles/`` is English
(the main language, without a prefix) and ``/es/articles/`` Spanish. Neither the
browser's Accept-Language nor a cookie changes what an address shows, so a page cache or
CDN keyed by the address can never hand a Spanish reader the English page or the other
way round, and ``<html lang>`` always names the language of the text. A brand offers
only the languages it chose (``Brand.languages``); any other prefix is a 404.

The back office has no language in its addresses: staff choose theirs (a cookie set by
Django's ``set_language`` view), else their browser's is used.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from portal.paths import ADMIN_PREFIX

MAIN = settings.LANGUAGE_CODE
CODES = tuple(code for code, _name in settings.LANGUAGES)
# Each language's own name, written as its speakers write it (for the switcher).
NATIVE_NAMES = {"en": "English", "es": "Español"}


def split_codes(value: str) -> tuple[str, ...]:
    """Return the language codes of a stored "en es" value, in the order of LANGUAGES."""
    chosen = set(value.split())
    return tuple(code for code in CODES if code in chosen)


def prefix_of(path: str) -> str | None:
    """Return the language code a path starts with ("/es/…" → "es"), else None."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in CODES and first != MAIN else None


def without_prefix(path: str) -> str:
    """Return the path as the main language addresses it ("/es/faq/" → "/faq/")."""
    code = prefix_of(path)
    return path[len(code) + 1 :] if code else path


def path_in(path: str, code: str) -> str:
    """Return the same page's path in language ``code``."""
    bare = without_prefix(path)
    return bare if code == MAIN else f"/{code}{bare}"


def localize_link(link: str, code: str) -> str:
    """A link staff typed, in language ``code``: a path of the public site gets its
    prefix ("/first-visit/" → "/es/first-visit/"); an outside address stays."""
    if not link.startswith("/") or link.startswith("//") or link.startswith(_NOT_PUBLIC):
        return link
    return path_in(link, code)


# The sitemaps live at the root, in no language.
_SITEMAPS = ("/sitemap.xml", "/sitemap-site.xml", "/sitemap-articles-")
_NOT_PUBLIC = (ADMIN_PREFIX, settings.STATIC_URL, settings.MEDIA_URL, *_SITEMAPS)


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str
    path: str
    current: bool
    exists: bool = True  # False: the page has no version in this language (``path``
    # then leads to that language's nearest page instead)


@dataclass(frozen=True)
class Versions:
    """The addresses of a page whose versions are separate pages (an article and its
    translations): {code: path}, and where a language without one leads instead."""

    paths: dict[str, str]
    elsewhere: str


def alternates(
    path: str, offered: tuple[str, ...], current: str, versions: Versions | None = None
) -> list[Alternate]:
    """Return the page in each language the brand offers (empty when it offers one)."""
    if len(offered) < 2:
        return []
    found = []
    for code in offered:
        if versions is None:
            own, exists = path_in(path, code), True
        else:
            exists = code in versions.paths
            own = versions.paths[code] if exists else path_in(versions.elsewhere, code)
        found.append(Alternate(code, NATIVE_NAMES.get(code, code), own, code == current, exists))
    return found


def of_page(request, path: str, brand) -> list[Alternate]:
    """This request's page (at ``path``) in each of the brand's languages: the versions
    its view named (``request.page_versions``), else the same path in each language."""
    return alternates(
        path,
        brand.language_codes,
        public_language(request),
        getattr(request, "page_versions", None),
    )


def public_language(request) -> str:
    """Return the language of a public request's page, from its address alone."""
    return prefix_of(request.path_info) or MAIN


def staff_language(request) -> str:
    """The back office: the language staff chose, else their browser's, else English."""
    return translation.get_language_from_request(request, check_path=False)


class LanguageMiddleware:
    """Activate the page's language (in place of Django's LocaleMiddleware).

    After BrandMiddleware (a prefix must be one the brand offers) and after the session
    (for the back office's choice).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        brand = getattr(request, "brand", None)
        if request.path_info.startswith(ADMIN_PREFIX):
            brand = None  # the back office speaks the staff member's language
        if brand is not None:
            language = public_language(request)
            if language not in brand.language_codes:
                raise Http404(_("This site is not offered in that language."))
        else:
            language = staff_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        if brand is None:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
