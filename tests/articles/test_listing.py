"""The listing (where each published article is listed, per brand and topic) follows
every write, and the public lists read from it say what the articles say."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import listing, services
from articles.models import Article, Listing, Status, Topic
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import article, topic
from tests.sitemaps import sitemap_text


def rows_of(*articles) -> set[tuple]:
    """(brand slug, topic slug or None, article slug, language) for each row."""
    found = Listing.objects.across_brands().filter(article__in=articles)
    return {
        (row.brand.slug, row.topic.slug if row.topic else None, row.article.slug, row.language)
        for row in found.select_related("brand", "topic", "article")
    }


def every_row() -> set[tuple]:
    found = Listing.objects.across_brands().values_list(
        "brand_id", "topic_id", "article_id", "language", "publish_at", "indexed"
    )
    return set(found)


def titles(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


def test_a_published_article_is_listed_on_each_brand_and_each_topic(brand_a, brand_b):
    piece = article(brand_a, brand_b, slug="deep-sleep", topics=("sleep", "ptsd"))
    assert rows_of(piece) == {
        (brand, topic_slug, "deep-sleep", "en")
        for brand in ("brand-a", "brand-b")
        for topic_slug in (None, "sleep", "ptsd")
    }
    publish_at = set(Listing.objects.across_brands().values_list("publish_at", flat=True))
    assert publish_at == {piece.publish_at}


def test_drafts_are_not_listed_and_unpublishing_takes_the_rows_away(brand_a, superuser):
    draft = article(brand_a, slug="a-draft", status=Status.DRAFT)
    assert rows_of(draft) == set()
    live = article(brand_a, slug="was-live")
    services.unpublish(live, user=superuser)
    assert rows_of(live) == set()
    services.publish(live, user=superuser)
    assert rows_of(live) == {
        ("brand-a", None, "was-live", "en"),
        ("brand-a", "sleep", "was-live", "en"),
    }


def test_changing_brands_topics_language_or_time_is_followed(brand_a, brand_b):
    piece = article(brand_a, slug="moving", topics=("sleep",))
    piece.brands.add(brand_b)
    piece.topics.set([topic("ptsd")])
    assert rows_of(piece) == {
        (brand, topic_slug, "moving", "en")
        for brand in ("brand-a", "brand-b")
        for topic_slug in (None, "ptsd")
    }
    piece.brands.remove(brand_a)
    piece.language = "es"
    later = timezone.now() + timedelta(days=3)
    piece.publish_at = later
    piece.save()
    assert rows_of(piece) == {
        ("brand-b", None, "moving", "es"),
        ("brand-b", "ptsd", "moving", "es"),
    }
    assert set(Listing.objects.across_brands().values_list("publish_at", flat=True)) == {later}


def test_changes_made_from_the_brand_or_topic_side_are_followed(brand_a, brand_b):
    first = article(brand_a, slug="first")
    second = article(brand_a, slug="second")
    brand_b.articles.add(first, second)
    assert {row[0] for row in rows_of(first, second)} == {"brand-a", "brand-b"}
    brand_b.articles.remove(second)
    assert ("brand-b", None, "second", "en") not in rows_of(second)
    sleep = Topic.objects.get(slug="sleep")
    sleep.articles.clear()
    assert {row[1] for row in rows_of(first, second)} == {None}
    brand_a.articles.clear()
    assert rows_of(second) == set()
    assert rows_of(first) == {("brand-b", None, "first", "en")}


def test_deleting_a_topic_or_an_article_takes_its_rows(brand_a):
    piece = article(brand_a, slug="short-lived", topics=("sleep", "ptsd"))
    Topic.objects.get(slug="ptsd").delete()
    assert rows_of(piece) == {
        ("brand-a", None, "short-lived", "en"),
        ("brand-a", "sleep", "short-lived", "en"),
    }
    piece.delete()
    assert not Listing.objects.across_brands().exists()


def test_rebuilding_makes_the_rows_the_saves_made(brand_a, brand_b, superuser):
    article(brand_a, brand_b, slug="shared", topics=("sleep", "ptsd"))
    article(brand_b, slug="spanish", language="es", topics=("depression",))
    article(brand_a, slug="draft", status=Status.DRAFT)
    scheduled = article(brand_a, slug="scheduled", publish_at=timezone.now() + timedelta(days=2))
    kept = every_row()
    assert len(kept) == 2 * 3 + 2 + 2
    Listing.objects.across_brands().filter(article=scheduled).delete()
    Listing.objects.across_brands().create(
        brand=brand_b, article=scheduled, language="en", publish_at=timezone.now(), indexed=True
    )  # a stale row, as a bulk load that bypassed saves would leave
    printed = StringIO()
    call_command("rebuild_listings", stdout=printed)
    assert every_row() == kept
    assert printed.getvalue() == f"Listed published articles again: {len(kept)} rows.\n"


def test_the_list_is_newest_first_in_the_page_language_and_the_scheduled_wait(brand_a, brand_b):
    brand_a.languages = "en es"
    brand_a.save()
    now = timezone.now()
    for days, slug in ((5, "older"), (2, "newer"), (9, "oldest")):
        article(brand_a, slug=slug, publish_at=now - timedelta(days=days))
    article(brand_a, slug="spanish-only", language="es", publish_at=now - timedelta(days=1))
    article(brand_b, slug="other-brand", publish_at=now - timedelta(days=1))
    article(brand_a, slug="tomorrow", publish_at=now + timedelta(days=1))
    client = client_for(host=HOST_A)
    assert titles(client.get("/articles/")) == ["Newer", "Older", "Oldest"]
    assert titles(client.get("/es/articles/")) == ["Spanish only"]


def test_two_articles_of_the_same_moment_keep_one_order_across_pages(brand_a, monkeypatch):
    monkeypatch.setattr("articles.views.PER_PAGE", 2)
    moment = timezone.now() - timedelta(days=1)
    made = [article(brand_a, slug=f"same-moment-{n}", publish_at=moment) for n in range(5)]
    client = client_for(host=HOST_A)
    pages = [titles(client.get(f"/articles/?page={n}")) for n in (1, 2, 3)]
    assert [title for page in pages for title in page] == [a.title for a in reversed(made)]


def test_a_topic_lists_its_own_articles_and_names_only_topics_with_some(brand_a, brand_b):
    article(brand_a, slug="about-sleep", topics=("sleep",))
    article(brand_a, slug="about-ptsd", topics=("ptsd",))
    article(brand_b, slug="about-depression", topics=("depression",))
    article(brand_a, slug="draft-anxiety", topics=("anxiety",), status=Status.DRAFT)
    response = client_for(host=HOST_A).get("/articles/topic/sleep/")
    assert titles(response) == ["About sleep"]
    assert sorted(t.slug for t in response.context["topics"]) == ["ptsd", "sleep"]


def test_related_articles_share_a_topic_newest_first_each_once(brand_a):
    now = timezone.now()
    piece = article(brand_a, slug="the-article", topics=("sleep", "ptsd"))
    for days, slug, topics in (
        (1, "both-topics", ("sleep", "ptsd")),
        (2, "only-ptsd", ("ptsd",)),
        (3, "unrelated", ("depression",)),
        (4, "only-sleep", ("sleep",)),
        (6, "old-sleep", ("sleep",)),
    ):
        article(brand_a, slug=slug, topics=topics, publish_at=now - timedelta(hours=days))
    response = client_for(host=HOST_A).get(piece.get_absolute_url())
    related = [item.slug for item in response.context["related"]]
    recent = [item.slug for item in response.context["recent"]]
    assert related == ["both-topics", "only-ptsd", "only-sleep"]
    assert recent == ["both-topics", "only-ptsd", "unrelated", "only-sleep", "old-sleep"]


@pytest.mark.parametrize("supports_compound_slices", [True, False])
def test_the_sidebar_reads_the_same_in_one_query_or_one_a_range(
    brand_a, monkeypatch, django_assert_max_num_queries, supports_compound_slices
):
    """PostgreSQL reads the heads of all ranges at once; SQLite one query each."""
    from django.db import connection

    if supports_compound_slices and not connection.features.supports_slicing_ordering_in_compound:
        pytest.skip("UNION ALL of sliced queries needs PostgreSQL")
    monkeypatch.setattr(
        connection.features, "supports_slicing_ordering_in_compound", supports_compound_slices
    )
    now = timezone.now()
    piece = article(brand_a, slug="centre", topics=("sleep", "ptsd", "depression"))
    for n in range(8):
        article(
            brand_a,
            slug=f"side-{n}",
            topics=(("sleep", "ptsd", "depression", "anxiety")[n % 4],),
            publish_at=now - timedelta(hours=n + 1),
        )
    topics = list(piece.topics.all())
    with django_assert_max_num_queries(1 if supports_compound_slices else 4):
        recent, related = listing.sidebar(
            brand_a, piece, topics, language="en", recent=5, related=3
        )
    by_pk = {a.pk: a.slug for a in Article.objects.all()}
    assert [by_pk[pk] for pk in recent] == [f"side-{n}" for n in range(5)]
    assert [by_pk[pk] for pk in related] == ["side-0", "side-1", "side-2"]


def test_the_sitemap_follows_a_change_of_canonical_brand_or_of_noindex(brand_a, brand_b):
    piece = article(brand_a, brand_b, slug="moves-home")
    assert "/articles/moves-home/" in sitemap_text(HOST_A)
    assert "/articles/moves-home/" not in sitemap_text(HOST_B)
    piece.canonical_brand = brand_b
    piece.save()
    assert "/articles/moves-home/" not in sitemap_text(HOST_A)
    assert "/articles/moves-home/" in sitemap_text(HOST_B)
    piece.noindex = True
    piece.save()
    assert "/articles/moves-home/" not in sitemap_text(HOST_B)


def test_a_save_of_columns_the_listing_does_not_show_leaves_it_alone(brand_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    piece = article(brand_a, slug="kept-still")
    before = every_row()

    def listing_writes(**save) -> int:
        with CaptureQueriesContext(connection) as captured:
            piece.save(**save)
        return sum("articles_listing" in q["sql"] for q in captured.captured_queries)

    assert listing_writes(update_fields=["summary", "proposed", "main_topic"]) == 0
    piece.noindex = True
    assert listing_writes(update_fields=["noindex"]) > 0
    assert every_row() != before  # no longer offered to search engines
    piece.noindex = False
    assert listing_writes() > 0  # a whole save: made again
    assert every_row() == before
