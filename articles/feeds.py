"""The brand's Atom feed of articles."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.models import Article

FEED_SIZE = 20


class ArticleFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        return request.brand

    def title(self, brand):
        return _("%(brand)s: articles") % {"brand": brand.name}

    def subtitle(self, brand):
        return brand.tagline

    def link(self, brand):
        return "/articles/"

    def items(self, brand):
        return (
            Article.objects.live()
            .on_brand(brand)
            .select_related("author")
            .only("title", "slug", "summary", "publish_at", "updated", "author")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        if item.author:
            return item.author.get_full_name() or item.author.get_username()
        return None
