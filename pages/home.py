"""Compose a brand's home page: its sections, each with what it lists.

Published sections in their order; with ``preview``, drafts too (marked as such). A
brand with no sections gets ``DEFAULT_SECTIONS``. A section with nothing to list (no
published treatments, say) is left out rather than shown empty.
"""

from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.models import Article, in_page_language, with_translations
from care.models import Clinician, Treatment
from clinic.locations import brand_locations
from clinic.models import Brand
from clinic.opening import opening_of
from pages.models import FaqEntry, HomeSection, SectionKind, Testimonial
from pages.models.home import DEFAULT_SECTIONS
from portal.pagecache import cached_content
from portal.translated import lang_of


@dataclass
class Block:
    section: HomeSection
    heading: str
    items: list = field(default_factory=list)
    anchor: str = ""  # the heading's id, for the section's aria-labelledby
    heading_lang: str = ""  # the heading's language where it is not the page's

    @property
    def template(self) -> str:
        return f"pages/home/{self.section.kind}.html"


def _default_heading(kind: str, brand) -> str:
    headings: dict[str, str] = {
        SectionKind.HERO: brand.name,
        SectionKind.TREATMENTS: _("What we treat"),
        SectionKind.ARTICLES: _("Read before you visit"),
        SectionKind.CLINICIANS: _("Who will care for you"),
        SectionKind.LOCATIONS: _("Where to find us"),
        SectionKind.FAQ: _("Questions patients ask"),
        SectionKind.TESTIMONIALS: _("What patients say"),
        SectionKind.CTA: brand.cta_heading or _("Ready to talk?"),
        SectionKind.TEXT: "",
    }
    return headings[kind]


def sections_of(brand, *, preview: bool = False) -> list[HomeSection]:
    rows = HomeSection.objects.for_brand(brand)
    if not preview:
        rows = rows.published()
    found = list(rows.prefetch_related("featured_articles"))
    if found:
        return found
    return [HomeSection(brand=brand, kind=kind, is_published=True) for kind in DEFAULT_SECTIONS]


def _items(section: HomeSection, brand) -> list | None:
    """What the section lists (None: the kind lists nothing)."""
    count = section.items
    kind = section.kind
    if kind == SectionKind.TREATMENTS:
        return list(Treatment.objects.for_brand(brand).published()[:count])
    if kind == SectionKind.CLINICIANS:
        return list(Clinician.objects.for_brand(brand).published()[:count])
    if kind == SectionKind.ARTICLES:
        fields = ("title", "slug", "summary", "language", "translation_of")
        chosen = [a.pk for a in section.featured_articles.all()] if section.pk else []
        if chosen:
            # Staff's choice, each in the page's language where it is translated.
            live = Article.objects.live().for_brand(brand).only(*fields)
            return in_page_language(live.filter(with_translations(chosen)))[:count]
        return list(Article.objects.readable(brand).only(*fields).order_by("-publish_at")[:count])
    if kind == SectionKind.FAQ:
        return list(FaqEntry.objects.for_brand(brand).published()[:count])
    if kind == SectionKind.TESTIMONIALS:
        return list(Testimonial.objects.for_brand(brand).shown()[:count])
    return None  # the hero, bands of text, and locations (filled in at each render)


def _content_blocks(brand, preview: bool) -> list[Block]:
    blocks = []
    for section in sections_of(brand, preview=preview):
        items = _items(section, brand)
        if items is not None and not items:
            continue  # nothing to list: no empty band on the page
        if section.kind == SectionKind.TEXT and not (section.text or section.heading):
            continue
        heading = section.heading or _default_heading(section.kind, brand)
        blocks.append(Block(section, heading, items or [], heading_lang=_heading_lang(section)))
    return blocks


def _heading_lang(section: HomeSection) -> str:
    """The language of a staff-written heading shown untranslated ("" for the page's)."""
    source: HomeSection | Brand
    if section.heading:
        source, name = section, "heading"
    elif section.kind == SectionKind.CTA and section.brand.cta_heading:
        source, name = section.brand, "cta_heading"
    else:
        return ""
    shown = lang_of(source, name)
    return "" if shown == translation.get_language() else shown


def home_blocks(request, *, preview: bool = False) -> list[Block]:
    """The home page's blocks: the content kept until the brand's next save (drafts
    never), the locations' hours as of now."""
    brand = request.brand
    if preview:
        blocks = _content_blocks(brand, preview=True)
    else:
        blocks = cached_content(request, "home", lambda: _content_blocks(brand, preview=False))
    # The locations band says what is open *now*: filled in at each render, never stored.
    now = timezone.now()
    openings = [opening_of(location, now) for location in brand_locations(brand)]
    shown = [block for block in blocks if openings or block.section.kind != SectionKind.LOCATIONS]
    return [
        Block(
            block.section,
            block.heading,
            openings if block.section.kind == SectionKind.LOCATIONS else block.items,
            anchor=f"home-{position}",
            heading_lang=block.heading_lang,
        )
        for position, block in enumerate(shown, start=1)
    ]
