"""Rows an editor publishes with a tick (treatments, clinicians, pages, FAQ, home
sections, testimonials): what patients may see is said once, here."""

from clinic.scoped import BrandScopedQuerySet


class PublishableQuerySet(BrandScopedQuerySet):
    def published(self):
        """The rows patients may see: the one definition the pages, the sitemap, the
        consultation form and the home page share."""
        return self.filter(is_published=True)
