"""A brand's own site content, written by its staff in the admin."""

from pages.models.home import HomeSection, SectionKind
from pages.models.links import MenuLink, Place
from pages.models.site_pages import RESERVED_SLUGS, FaqEntry, Page, not_reserved
from pages.models.testimonials import Testimonial

__all__ = [
    "RESERVED_SLUGS",
    "FaqEntry",
    "HomeSection",
    "MenuLink",
    "Page",
    "Place",
    "SectionKind",
    "Testimonial",
    "not_reserved",
]
