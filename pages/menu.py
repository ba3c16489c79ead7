"""A brand's menu: its published menu pages, and which of its sections have content.

Treatments, clinicians and questions are in the menu once the brand has published one.

Read on every page (the header), so it is kept like the brand's locations: in the
shared cache under the brand's generation (any save in the brand retires it) and,
decoded, in each process. A cold read is one query.
"""

from django.db.models import CharField, Value
from django.db.models.functions import Concat
from django.utils import translation

from care.models import Clinician, Treatment
from pages.models import FaqEntry, MenuLink, Page, Place
from portal import generations, languages
from portal.generations import DecodedMemo
from portal.translated import language_in, text_in

CACHE_SECONDS = 60 * 60
_decoded = DecodedMemo(256)
# Rows that say "this brand has published ..." (no slug can start with "?").
_SECTIONS = {"?faq": "has_faq", "?treatments": "has_treatments", "?clinicians": "has_clinicians"}


def site_menu(brand) -> dict:
    """Return {"pages": [(title, url, lang), ...], "has_faq": bool, ...} for the brand's
    header, in the page's language (``lang``: the language of each title, the main one
    where it is not translated)."""
    language = translation.get_language() or languages.MAIN
    key = f"pages:menu:{brand.pk}:{language}:{generations.of_brand(brand)}"
    return _decoded.fetch(key, lambda: _load(brand, language), CACHE_SECONDS)


def _load(brand, language: str) -> dict:
    pages = (
        Page.objects.for_brand(brand)
        .published()
        .filter(in_menu=True)
        .order_by()  # sorted below: a part of a UNION may not be ordered
        .values_list("order", text_in("title", language), "slug", language_in("title", language))
    )

    def marker(queryset, row):
        constant = queryset.published().order_by()
        return constant.values_list(Value(0), Value(row), Value(row), Value("")).distinct()

    sections = [
        marker(FaqEntry.objects.for_brand(brand), "?faq"),
        marker(Treatment.objects.for_brand(brand), "?treatments"),
        marker(Clinician.objects.for_brand(brand), "?clinicians"),
    ]
    # Staff's own links ride along as "place:link" (a page's slug never holds a colon).
    links = (
        MenuLink.objects.for_brand(brand)
        .order_by()
        .values_list(
            "order",
            text_in("label", language),
            Concat("place", Value(":"), "link", output_field=CharField()),
            language_in("label", language),
        )
    )
    rows = sorted(pages.union(*sections, links, all=True))

    def placed(place):
        prefix = f"{place}:"
        return [
            (title, languages.localize_link(slug[len(prefix) :], language), lang)
            for _o, title, slug, lang in rows
            if slug.startswith(prefix)
        ]

    return {
        "links": placed(Place.HEADER),
        "footer_links": placed(Place.FOOTER),
        "pages": [
            (title, Page(slug=slug).get_absolute_url(), lang)
            for _order, title, slug, lang in rows
            if slug not in _SECTIONS and ":" not in slug
        ],
        **{flag: any(row[2] == name for row in rows) for name, flag in _SECTIONS.items()},
    }
