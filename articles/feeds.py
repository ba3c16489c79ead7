"""The brand's Atom feed of articles."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.models import Article

FEED_SIZE = 20


class PlainSummaryAtomFeed(Atom1Feed):
    """Atom whose entry summaries are declared as the plain text they are.

    Django writes ``<summary type="html">``; our summaries are plain text, and a reader
    told they are HTML would interpret any ``<`` a member of staff typed.
    """

    def add_item_elements(self, handler, item):
        description, item["description"] = item["description"], None
        super().add_item_elements(handler, item)
        item["description"] = description
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})


class ArticleFeed(Feed):
    feed_type = PlainSummaryAtomFeed

    def get_object(self, request):
        return request.brand

    def title(self, brand):
        return _("%(brand)s: articles") % {"brand": brand.name}

    def subtitle(self, brand):
        return brand.tagline

    def link(self, brand):
        return reverse("articles:list")

    def items(self, brand):
        # Like the sitemap: only articles whose canonical address is on this brand.
        articles = list(
            Article.objects.readable(brand)
            .filter(canonical_brand=brand)
            .select_related("author", "canonical_brand", "written_by")
            .only(
                "title",
                "slug",
                "language",
                "summary",
                "publish_at",
                "updated",
                "canonical_brand__name",
                "author__first_name",
                "author__last_name",
                "written_by__name",
                "written_by__credentials",
            )[:FEED_SIZE]
        )
        for article in articles:
            article.feed_brand = brand  # the byline names this feed's brand
        return articles

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        if item.written_by_id:
            return item.written_by.display_name
        return item.public_author_name(item.feed_brand) if item.author_id else None
