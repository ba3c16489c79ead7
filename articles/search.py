"""Article search over a stored, indexed search document (migration articles.0010).

PostgreSQL matches the GIN-indexed ``search_document`` (English stemming; title
before summary before text); SQLite matches its FTS5 table (porter stemming, accents
ignored). Neither reads an article body at search time, and only the newest
``MAX_RANKED`` matches are ranked, so a search costs the same at 100 articles as at
10,000. On PostgreSQL one query gives a page of results and their total.
What a search may cost is bounded: at most 100 characters and 8 words, the
database's statement timeout, and a rate limit per client (``allowed``).
"""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.utils import translation

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
MAX_RANKED = 500
FTS5_ROWIDS = "SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s"


def normalise_query(raw: str | None) -> str:
    """Return the query trimmed, single-spaced and cut to a sane length."""
    text = " ".join((raw or "").replace("\x00", " ").split())
    return text[:MAX_QUERY_LENGTH]


def fts5_query(query: str) -> str:
    """The words of ``query`` as an FTS5 query that all must match, each a plain string
    (quotes doubled), so nothing a visitor types is read as FTS5 syntax."""
    words = query.split()[:MAX_WORDS]
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def search(queryset: QuerySet, query: str, listed: QuerySet) -> QuerySet:
    """Return the articles of ``queryset`` matching ``query``, best first.

    Only the newest ``MAX_RANKED`` matches are ranked (and counted): a word that every
    article contains then costs what it costs at a few hundred articles, and the page
    says to add a word. A visitor does not page through hundreds of results anyway.
    The newest matches are found in ``listed``, the brand's range of the article
    listing (articles.listing.live): PostgreSQL can then either walk the brand's
    articles newest first, testing each, until it has enough (a common word), or
    take the index's matches and keep the brand's (a rare one), whichever its
    statistics say is cheaper, rather than match the whole group's archive first.
    """
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        # The page's language is the articles' (migration articles.0014): one stemmer.
        config = "spanish" if translation.get_language() == "es" else "english"
        terms = SearchQuery(
            " ".join(query.split()[:MAX_WORDS]), search_type="websearch", config=config
        )
        candidates = _newest(listed.filter(article__search_document=terms))
        return (
            queryset.filter(pk__in=candidates)
            .annotate(rank=SearchRank(F("search_document"), terms))
            .order_by("-rank", "-publish_at")
        )
    matched = fts5_query(query)
    if not matched:
        return queryset.none()
    candidates = _newest(listed.filter(article_id__in=_fts5_rowids(matched)))
    # Articles with every word in the title first, then the newest. (FTS5's bm25 reads
    # each match's positions; this is one more lookup in the index.)
    in_title = " AND ".join(f"title : {phrase}" for phrase in matched.split(" "))
    return (
        queryset.filter(pk__in=candidates)
        .annotate(
            in_title=RawSQL(
                f"articles_article.id IN ({FTS5_ROWIDS})",
                [in_title],
                output_field=BooleanField(),
            )
        )
        .order_by("-in_title", "-publish_at")
    )


def is_capped(page: Page) -> bool:
    """Whether ``page`` comes from a search with more matches than were ranked."""
    return page.paginator.count >= MAX_RANKED


def _newest(matching: QuerySet) -> QuerySet:
    """The keys of the newest ``MAX_RANKED`` of these listing rows' articles."""
    return matching.values("article_id")[:MAX_RANKED]


def _fts5_rowids(matched: str) -> RawSQL:
    # "id IN (the index's answer)": the FTS5 index drives, every plan (a count too).
    return RawSQL(FTS5_ROWIDS, [matched])


def page_of(results: QuerySet, number, per_page: int) -> Page:
    """One page of ``results`` and their total: in one query on PostgreSQL (a window
    count beside the rows); on SQLite, whose FTS5 lookups cannot run beside a window
    function, a count and a page (both of at most ``MAX_RANKED`` rows)."""
    if connection.vendor != "postgresql":
        return Paginator(results, per_page).get_page(number)
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    counted = results.annotate(total=Window(Count("pk")))
    rows = list(counted[(number - 1) * per_page : number * per_page])
    if not rows and number > 1:  # past the end: the first page, as Paginator would not
        number = 1
        rows = list(counted[:per_page])
    paginator: Paginator[Any] = Paginator([], per_page)
    paginator.count = rows[0].total if rows else 0
    return Page(rows, number, paginator)


def allowed(client: str) -> bool:
    """Count this client's search; False once it ran too many this minute.

    Counted in the shared cache: when the cache is down every search is allowed (the
    statement timeout still bounds each one).
    """
    from django.utils import timezone

    key = f"search-rate:{client}:{timezone.now():%Y%m%d%H%M}"
    if cache.add(key, 1, timeout=90):
        return True
    try:
        return cache.incr(key) <= settings.SEARCHES_PER_MINUTE
    except ValueError:  # expired between add and incr
        return True
