"""Article search: PostgreSQL full-text search, or a plain fallback on SQLite."""

from django.db import connection
from django.db.models import Q, QuerySet

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8


def normalise_query(raw: str | None) -> str:
    """Return the query trimmed, single-spaced and cut to a sane length."""
    text = " ".join((raw or "").replace("\x00", " ").split())
    return text[:MAX_QUERY_LENGTH]


def search(queryset: QuerySet, query: str) -> QuerySet:
    """Return the articles matching ``query``, best first."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        terms = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.annotate(rank=SearchRank(vector, terms))
            .filter(rank__gt=0)
            .order_by("-rank", "-publish_at")
        )
    condition = Q()
    for word in query.split()[:MAX_WORDS]:
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    return queryset.filter(condition).order_by("-publish_at")
