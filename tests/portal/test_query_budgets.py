"""Every public page type and the busiest admin lists cost a small, constant number of
queries: the same with 5 rows as with 500."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appointments.models import ConsultationRequest
from articles import listing
from articles.models import Article, Status
from tests.conftest import HOST_A, client_for
from tests.factories import reference_location, topic


def add_articles(brand, count, start=0):
    now = timezone.now()
    rows = Article.objects.bulk_create(
        Article(
            slug=f"bulk-{n}",
            title=f"Ketamine bulk {n}",
            summary="s",
            body="<h2>A</h2><p>b</p>",
            canonical_brand=brand,
            status=Status.PUBLISHED,
            reviewer_name="Dr. R",
            publish_at=now - timedelta(minutes=n + 1),
        )
        for n in range(start, start + count)
    )
    sleep = topic("sleep")
    Article.brands.through.objects.bulk_create(
        Article.brands.through(article=row, brand=brand) for row in rows
    )
    Article.topics.through.objects.bulk_create(
        Article.topics.through(article=row, topic=sleep) for row in rows
    )
    listing.rebuild()  # bulk rows bypass the saves that list an article


def add_requests(brand, location, count, start=0):
    ConsultationRequest.objects.bulk_create(
        ConsultationRequest(
            brand=brand,
            location=location,
            reference=f"BRA-{n:04d}-XX",
            name=f"P {n}",
            email=f"p{n}@example.org",
            phone="+13055550100",
        )
        for n in range(start, start + count)
    )


def queries(client, path) -> int:
    cache.clear()  # cold: count what the page itself costs
    # Warm the brand's own data (its locations and menu, which every page shows and
    # the brand cache keeps); with PAGE_CACHE_SECONDS=0 nothing of the page itself.
    client.get("/privacy/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


# Measured with the brand, its locations and its menu already cached (they are after
# the first request to any page): what is left is the page's own cost.
PUBLIC = [
    # The composed home page: its sections, treatments, clinicians, newest articles,
    # questions and testimonials, one query each (kept in the content cache in production).
    ("/", 6),
    ("/articles/", 4),
    ("/articles/topic/sleep/", 5),
    ("/articles/bulk-2/", 5),
    ("/articles/search/?q=ketamine", 3),
    ("/articles/feed/", 1),
    ("/sitemap.xml", 1),  # how many articles: how many files
    ("/sitemap-site.xml", 5),  # topics, locations, pages, treatments, clinicians
    ("/sitemap-articles-1.xml", 3),  # how many, this file's, their other versions
    ("/locations/", 0),
    ("/locations/main/", 0),
    ("/consultation/", 4),
    ("/privacy/", 0),
]


@pytest.mark.parametrize(("path", "budget"), PUBLIC)
def test_public_pages_cost_the_same_at_5_and_500_articles(brand_a, settings, path, budget):
    settings.PAGE_CACHE_SECONDS = 0
    reference_location(brand_a)
    add_articles(brand_a, 5)
    client = client_for(host=HOST_A)
    small = queries(client, path)
    add_articles(brand_a, 495, start=5)
    large = queries(client, path)
    assert small == large, f"{path}: {small} queries with 5 articles, {large} with 500"
    assert large <= budget, f"{path}: {large} queries, budget {budget}"


@pytest.mark.parametrize(
    ("user", "path", "budget"),
    [
        # One of these is the session's second factor (django-otp loads its device).
        # And one asks whether the user's brands have sites in several languages (the
        # inbox then shows the patient's language).
        ("front_desk_a", "/admin/appointments/consultationrequest/", 12),
        ("editor_a", "/admin/articles/article/", 13),
    ],
)
def test_the_busiest_admin_lists_cost_the_same_at_5_and_500_rows(
    personas, brand_a, user, path, budget
):
    location = reference_location(brand_a)
    add_requests(brand_a, location, 5)
    add_articles(brand_a, 5)
    client = client_for(personas[user])
    client.get("/admin/")  # a session's first page works out its reader's time zone once
    small = queries(client, path)
    add_requests(brand_a, location, 495, start=5)
    add_articles(brand_a, 495, start=5)
    large = queries(client, path)
    assert small == large, f"{path}: {small} queries with 5 rows, {large} with 500"
    assert large <= budget, f"{path}: {large} queries, budget {budget}"


@pytest.mark.parametrize(("path", "budget"), PUBLIC)
def test_public_pages_cost_the_same_when_other_brands_grow(
    brand_a, brand_b, settings, path, budget
):
    """A clinic group's archive: another brand's thousand articles add no query to this
    brand's pages (bench/public_scale.py measures the time at 50 brands of 10,000)."""
    settings.PAGE_CACHE_SECONDS = 0
    reference_location(brand_a)
    add_articles(brand_a, 5)
    client = client_for(host=HOST_A)
    alone = queries(client, path)
    add_articles(brand_b, 1000, start=1000)
    beside_a_big_brand = queries(client, path)
    assert alone == beside_a_big_brand, (
        f"{path}: {alone} queries alone, {beside_a_big_brand} beside a brand of 1,000"
    )
    assert beside_a_big_brand <= budget
