from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles import listing, review_mail
        from articles.models import Article, SlugRedirect, Topic, next_publication
        from outbox import kinds
        from portal import pagecache, signals

        listing.connect()
        kinds.register(*review_mail.KINDS, compose=review_mail.compose)

        signals.content(Topic, shared=True)  # shared by every brand
        signals.content(Article)
        signals.content(SlugRedirect)
        pagecache.changes_scheduled_by(next_publication)
