"""A brand's menu: its published menu pages, and whether it answers questions (FAQ).

Read on every page (the header), so it is kept like the brand's locations: in the
shared cache under the brand's generation (any save in the brand retires it) and,
decoded, in each process. A cold read is one query.
"""

from django.db.models import Value

from pages.models import FaqEntry, Page
from portal import generations
from portal.generations import DecodedMemo

CACHE_SECONDS = 60 * 60
_decoded = DecodedMemo(256)
_FAQ_ROW = "?faq"  # a row that says "this brand has published questions"


def site_menu(brand) -> dict:
    """Return {"pages": [(title, url), ...], "has_faq": bool} for the brand's header."""
    key = f"pages:menu:{brand.pk}:{generations.of_brand(brand)}"
    return _decoded.fetch(key, lambda: _load(brand), CACHE_SECONDS)


def _load(brand) -> dict:
    pages = (
        Page.objects.for_brand(brand)
        .filter(is_published=True, in_menu=True)
        .order_by()  # sorted below: a part of a UNION may not be ordered
        .values_list("order", "title", "slug")
    )
    faq = (
        FaqEntry.objects.for_brand(brand)
        .filter(is_published=True)
        .order_by()
        .values_list(Value(0), Value(_FAQ_ROW), Value(_FAQ_ROW))
        .distinct()
    )
    rows = sorted(pages.union(faq, all=True))
    return {
        "pages": [
            (title, Page(slug=slug).get_absolute_url())
            for _order, title, slug in rows
            if slug != _FAQ_ROW
        ],
        "has_faq": any(slug == _FAQ_ROW for _order, _title, slug in rows),
    }
