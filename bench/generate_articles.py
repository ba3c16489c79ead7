"""Add generated articles to the bench database (run through manage.py shell)."""

import os
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from articles.models import Article, Status, Topic
from clinic.models import Brand

count = int(os.environ["BENCH_ADD"])
brand = Brand.objects.get(slug="kmd")
topic = Topic.objects.get(slug="ptsd")
body = (Path("articles/demo_content/ptsd.html")).read_text()
start = Article.objects.filter(slug__startswith="generated-").count()
now = timezone.now()
rows = Article.objects.bulk_create(
    [
        Article(
            slug=f"generated-{n}",
            title=f"Generated explainer number {n}",
            summary="A generated article for the benchmark.",
            body=body,
            canonical_brand=brand,
            status=Status.PUBLISHED,
            reviewer_name="Dr. Bench",
            # Older than the demo articles, so lists and "recent posts" stay the same.
            publish_at=now - timedelta(days=400, minutes=n),
        )
        for n in range(start, start + count)
    ],
    batch_size=500,
)
Article.brands.through.objects.bulk_create(
    [Article.brands.through(article=row, brand=brand) for row in rows], batch_size=1000
)
Article.topics.through.objects.bulk_create(
    [Article.topics.through(article=row, topic=topic) for row in rows], batch_size=1000
)
print(Article.objects.count())

# What autovacuum does to a real database soon after such an import: fresh statistics
# and the search index's pending entries merged (until then PostgreSQL plans a search
# as a scan of every row).
from django.db import connection  # noqa: E402

if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")
        cursor.execute("VACUUM ANALYZE articles_article_brands")
