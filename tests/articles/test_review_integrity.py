"""Medical review that cannot be bypassed (issue 29, item 1): each test is an attack that
put unreviewed text live before, and what staff and readers see now."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Status
from tests.articles.test_admin import change_url, errors, form_data
from tests.articles.test_proposed_change import edit, public_page
from tests.conftest import client_for
from tests.factories import article, topic

APPROVED_BODY = "<h2>Why</h2><p>The approved words.</p>"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def clinic_news():
    return topic("clinic-news", "Clinic news", health=False)


@pytest.fixture
def live(brand_a):
    return article(
        brand_a,
        slug="sleep-and-mood",
        title="Sleep and mood",
        body=APPROVED_BODY,
        topics=("sleep", "depression"),
        reviewer_name="Dr. Earlier Reviewer, MD",
        last_reviewed=date(2026, 10, 1),
    )


def test_dropping_the_health_topics_does_not_put_new_text_live(editor_a, live, clinic_news):
    response = edit(
        client_for(editor_a),
        live,
        title="Sleep and mood",
        body="<p>Unreviewed claims.</p>",
        topics=[clinic_news.pk],
    )
    assert response.status_code == 200
    assert any("keeps its health topics (Depression, Sleep)" in e for e in errors(response))
    live.refresh_from_db()
    assert live.body == APPROVED_BODY and not live.proposed_at
    assert {t.slug for t in live.topics.all()} == {"sleep", "depression"}
    page = public_page(live).get_text()
    assert "The approved words." in page and "Unreviewed claims." not in page


def test_losing_one_health_topic_of_two_is_refused_too(editor_a, live):
    response = edit(client_for(editor_a), live, topics=[topic("sleep").pk])
    assert response.status_code == 200
    assert any("keeps its health topics (Depression)" in e for e in errors(response))
    assert live.topics.count() == 2


def test_a_draft_health_article_is_not_published_by_changing_its_topics(
    brand_admin_a, brand_a, clinic_news
):
    draft = article(
        brand_a,
        slug="unseen",
        title="Unseen",
        status=Status.DRAFT,
        reviewer_name="",
        last_reviewed=None,
    )
    response = client_for(brand_admin_a).post(
        change_url(draft),
        form_data(
            brand_a,
            title="Unseen",
            slug="unseen",
            status=Status.PUBLISHED,
            topics=[clinic_news.pk],
        ),
    )
    assert response.status_code == 200
    assert services.NOT_APPROVED in errors(response)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_draft_that_had_a_health_topic_stays_under_review(brand_admin_a, brand_a, clinic_news):
    draft = article(
        brand_a,
        slug="unseen",
        title="Unseen",
        status=Status.DRAFT,
        reviewer_name="",
        last_reviewed=None,
    )
    client = client_for(brand_admin_a)
    # Saved as a draft without its health topic: allowed, a draft is off the site...
    response = client.post(
        change_url(draft),
        form_data(brand_a, title="Unseen", slug="unseen", topics=[clinic_news.pk]),
    )
    assert response.status_code == 302, errors(response)
    draft.refresh_from_db()
    assert draft.health_governed
    # ...but neither the form nor the list's action publishes it unreviewed.
    refused = client.post(
        change_url(draft),
        form_data(
            brand_a, title="Unseen", slug="unseen", status="published", topics=[clinic_news.pk]
        ),
    )
    assert services.NOT_APPROVED in errors(refused)
    listed = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Not published" in listed.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_health_topic_added_to_live_news_waits_for_a_review(editor_a, brand_a, clinic_news):
    """The topics are part of what a medical approval covers: the site keeps the news
    article as it was until a reviewer approves it as a health article."""
    news = article(
        brand_a,
        slug="new-parking",
        title="New parking",
        topics=("clinic-news",),
        reviewer_name="",
        last_reviewed=None,
    )
    response = edit(
        client_for(editor_a),
        news,
        title="New parking",
        body=news.body,
        topics=[clinic_news.pk, topic("sleep").pk],
    )
    assert response.status_code == 302, errors(response)
    news.refresh_from_db()
    assert list(news.topics.all()) == [clinic_news] and news.is_live
    assert news.proposed_content.topics == tuple(sorted([clinic_news.pk, topic("sleep").pk]))


def history_url(item, record):
    return reverse("admin:articles_article_simple_history", args=[item.pk, record.history_id])


def test_reverting_to_unreviewed_text_waits_for_review_and_keeps_the_credits(editor_a, live):
    # An earlier row of the history: text nobody approved, another reviewer's credit.
    Article.objects.filter(pk=live.pk).update(
        body="<p>An unreviewed first draft.</p>",
        reviewer_name="Dr. Made Up",
        last_reviewed=date(2020, 1, 1),
    )
    rogue = Article.objects.get(pk=live.pk)
    rogue.save()  # recorded in the history
    old = rogue.history.order_by("-history_id").first()
    Article.objects.filter(pk=live.pk).update(
        body=APPROVED_BODY,
        reviewer_name="Dr. Earlier Reviewer, MD",
        last_reviewed=date(2026, 10, 1),
    )
    shown = timezone.localtime(live.publish_at)
    response = client_for(editor_a).post(
        history_url(live, old),
        form_data(
            live.canonical_brand,
            slug=live.slug,
            title="Sleep and mood",
            body="<p>An unreviewed first draft.</p>",
            topics=[topic("sleep").pk, topic("depression").pk],
            status=Status.PUBLISHED,
            publish_at_0=shown.strftime("%Y-%m-%d"),
            publish_at_1=shown.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302, errors(response)
    live.refresh_from_db()
    assert live.body == APPROVED_BODY
    assert live.proposed_content.body == "<p>An unreviewed first draft.</p>"
    assert (live.reviewer_name, live.last_reviewed) == (
        "Dr. Earlier Reviewer, MD",
        date(2026, 10, 1),
    )
    page = public_page(live)
    assert "An unreviewed first draft." not in page.get_text()
    assert "Dr. Earlier Reviewer, MD" in page.select_one(".reviewed-by").get_text()
