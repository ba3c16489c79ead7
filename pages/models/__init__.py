"""A brand's own site content, written by its staff in the admin."""

from pages.models.home import HomeSection, SectionKind
from pages.models.site_pages import RESERVED_SLUGS, FaqEntry, Page, not_reserved
from pages.models.testimonials import Testimonial

__all__ = [
    "RESERVED_SLUGS",
    "FaqEntry",
    "HomeSection",
    "Page",
    "SectionKind",
    "Testimonial",
    "not_reserved",
]
