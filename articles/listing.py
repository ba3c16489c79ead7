"""Where published articles are listed (``Listing``): kept current, and read by range.

``refresh`` is the one writer: it makes an article's rows again from the article as
saved, its brands and its topics. ArticlesConfig.ready runs it after every save of an
article and every change of its brands or topics, whoever makes it (a service, the
admin's form, the demo seed); ``rebuild`` makes every row again, set-based (a bulk load
that bypassed saves: ``manage.py rebuild_listings``).

The readers walk one brand's range of the listing's index (newest first for the public
lists, the later-made of two at the same moment first; oldest first for the sitemap)
and read each article by its key once its place is known.
"""

from collections.abc import Iterable

from django.db import connection, connections, transaction
from django.db.models.signals import m2m_changed, post_save

from articles.models import Article, Listing, Status

NEWEST_FIRST = ("-publish_at", "-article_id")


def refresh(article_ids: Iterable[int]) -> None:
    """Make the listing rows of these articles again from what is saved."""
    ids = list(article_ids)
    if not ids:
        return
    articles = (
        Article.objects.across_brands()  # an article's rows on every brand it is on
        .filter(pk__in=ids, status=Status.PUBLISHED, publish_at__isnull=False)
        .only("language", "publish_at", "canonical_brand_id", "noindex")
        .prefetch_related("brands", "topics")
    )
    rows = [
        Listing(
            brand=brand,
            topic=topic,
            article=article,
            language=article.language,
            publish_at=article.publish_at,
            indexed=topic is None
            and brand.pk == article.canonical_brand_id
            and not article.noindex,
        )
        for article in articles
        for brand in article.brands.all()
        for topic in [None, *article.topics.all()]
    ]
    with transaction.atomic():
        Listing.objects.across_brands().filter(article_id__in=ids).delete()
        Listing.objects.across_brands().bulk_create(rows, batch_size=500)


def rebuild(using: str = "default") -> int:
    """Make every row again, set-based (a migration, or after a bulk load that bypassed
    saves: ``manage.py rebuild_listings``); return how many rows there are."""
    with transaction.atomic(using=using):
        fill(Listing, Article, connections[using])
    return Listing.objects.across_brands().using(using).count()


def fill(listing_model, article_model, db) -> None:
    """Replace every listing row with what the articles say: one INSERT ... SELECT.

    Takes the models as arguments so that a migration can pass its historical ones.
    """
    table = db.ops.quote_name
    listing = table(listing_model._meta.db_table)
    articles = table(article_model._meta.db_table)
    brands = table(article_model._meta.get_field("brands").remote_field.through._meta.db_table)
    topics = table(article_model._meta.get_field("topics").remote_field.through._meta.db_table)
    published = "a.status = %s AND a.publish_at IS NOT NULL"
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            # A group's archive takes longer than a request may (DB_STATEMENT_TIMEOUT);
            # for this transaction only (rebuild's, or the migration's).
            cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute(f"DELETE FROM {listing}")
        cursor.execute(
            f"INSERT INTO {listing} "
            "(brand_id, topic_id, article_id, language, publish_at, indexed) "
            "SELECT b.brand_id, NULL, a.id, a.language, a.publish_at, "
            "(a.canonical_brand_id = b.brand_id AND NOT a.noindex) "
            f"FROM {articles} a JOIN {brands} b ON b.article_id = a.id WHERE {published} "
            "UNION ALL "
            "SELECT b.brand_id, t.topic_id, a.id, a.language, a.publish_at, FALSE "
            f"FROM {articles} a "
            f"JOIN {brands} b ON b.article_id = a.id "
            f"JOIN {topics} t ON t.article_id = a.id WHERE {published}",
            [Status.PUBLISHED, Status.PUBLISHED],
        )


def live(brand, *, language: str, topic=None):
    """The listing rows of ``brand``'s live articles in ``language`` (of ``topic``, or
    its whole list), newest first."""
    return (
        Listing.objects.for_brand(brand)
        .live()
        .filter(topic=topic, language=language)
        .order_by(*NEWEST_FIRST)
    )


def for_search_engines(brand, *, languages):
    """The listing rows of the live articles ``brand``'s sitemap offers, oldest first:
    those whose canonical address is on this brand, not hidden from search engines,
    in one of ``languages``."""
    return (
        Listing.objects.for_brand(brand)
        .live()
        .filter(topic=None, indexed=True, language__in=languages)
        .order_by("publish_at", "article_id")
    )


class Listed:
    """Listed articles, sliced and counted like a queryset (``paging``, the sitemap's
    paginator): the slice is taken of the listing, then only those articles are read,
    in the same order (``order``: the listing's, in the article's own columns)."""

    def __init__(self, rows, articles, order=("-publish_at", "-pk")):
        self.rows = rows
        self.articles = articles
        self.order = order

    def __getitem__(self, window: slice) -> list[Article]:
        chosen = self.rows.values("article_id")[window]
        return list(self.articles.filter(pk__in=chosen).order_by(*self.order))

    def count(self) -> int:
        return self.rows.count()


def sidebar(brand, article: Article, topics, *, language: str, recent: int, related: int):
    """The keys of the articles beside ``article``: the ``recent`` newest live ones, and
    the ``related`` newest that share one of its ``topics``.

    Each is the head of one index range (the brand's list, each topic's list); on
    PostgreSQL the heads come in one query (UNION ALL of the ranges), where compound
    queries cannot be sliced (SQLite) one query each.
    """
    heads = [
        live(brand, language=language, topic=topic)
        .exclude(article_id=article.pk)
        .values_list("topic_id", "publish_at", "article_id")[: recent if topic is None else related]
        for topic in [None, *topics]
    ]
    if connection.features.supports_slicing_ordering_in_compound and len(heads) > 1:
        rows = list(heads[0].union(*heads[1:], all=True))
    else:
        rows = [row for head in heads for row in head]
    newest = sorted({(at, pk) for topic, at, pk in rows if topic is None}, reverse=True)
    sharing = sorted({(at, pk) for topic, at, pk in rows if topic is not None}, reverse=True)
    return [pk for _, pk in newest], [pk for _, pk in sharing][:related]


def connect() -> None:
    """Keep the listing current whoever writes (ArticlesConfig.ready)."""
    post_save.connect(_article_saved, sender=Article, dispatch_uid="listing-article-saved")
    for through in (Article.brands.through, Article.topics.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"listing-{through}")


# The article's own columns a listing row is made from (besides its brands and topics).
LISTED_FROM = frozenset({"status", "publish_at", "language", "canonical_brand", "noindex"})


def _article_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw:  # fixtures load articles and their links apart: `rebuild` after
        return
    if update_fields is not None and not LISTED_FROM & set(update_fields):
        return  # a change the listing does not show (a proposal, the main topic ...)
    refresh([instance.pk])


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not reverse:  # article.brands / article.topics changed
        if action in ("post_add", "post_remove", "post_clear"):
            refresh([instance.pk])
        return
    # brand.articles / topic.articles changed: the articles named, or all it had
    if action == "pre_clear":
        column = "brand" if sender is Article.brands.through else "topic"
        links = sender.objects.filter(**{column: instance})
        instance._listing_cleared = list(links.values_list("article_id", flat=True))
    elif action == "post_clear":
        refresh(getattr(instance, "_listing_cleared", []))
    elif action in ("post_add", "post_remove"):
        refresh(pk_set or [])
