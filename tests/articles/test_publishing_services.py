"""Publication steps as plain services (articles/services.py), and the admin's use of them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Status
from tests.articles.test_admin import change_url, content_of, errors, form_data
from tests.conftest import HOST_A, client_for
from tests.factories import article


@pytest.fixture
def editors_may_not_publish(db):
    """A clinic that keeps publishing for its brand admins alone."""
    permission = Permission.objects.get(codename="publish_article")
    Group.objects.get(name="Editor").permissions.remove(permission)


def page_status(slug):
    return client_for(host=HOST_A).get(f"/articles/{slug}/").status_code


class TestServices:
    def test_publishing_a_reviewed_article_puts_it_live_at_once(self, editor_a, brand_a):
        draft = article(brand_a, slug="ready", status=Status.DRAFT, publish_at=None)
        assert page_status("ready") == 404
        published = services.publish(draft, user=editor_a)
        assert published.status == Status.PUBLISHED and published.is_live
        assert page_status("ready") == 200

    def test_a_publication_can_be_scheduled(self, editor_a, brand_a):
        later = timezone.now() + timedelta(days=2)
        draft = article(brand_a, slug="later", status=Status.DRAFT, publish_at=None)
        published = services.publish(draft, user=editor_a, at=later)
        assert published.publish_at == later and not published.is_live
        assert page_status("later") == 404

    def test_an_unreviewed_health_article_is_refused_and_left_as_it_was(self, editor_a, brand_a):
        draft = article(
            brand_a,
            slug="raw",
            status=Status.DRAFT,
            publish_at=None,
            reviewer_name="",
            last_reviewed=None,
        )
        with pytest.raises(ValidationError) as refusal:
            services.publish(draft, user=editor_a)
        assert set(refusal.value.message_dict) == {"reviewer_name", "last_reviewed", "status"}
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT and draft.publish_at is None

    def test_an_article_on_no_health_topic_needs_no_medical_review(self, editor_a, brand_a):
        draft = article(
            brand_a,
            slug="parking",
            topics=(),
            status=Status.DRAFT,
            reviewer_name="",
            last_reviewed=None,
        )
        assert services.publish(draft, user=editor_a).is_live

    def test_only_staff_allowed_to_publish_can_publish_or_unpublish(
        self, editor_a, brand_a, editors_may_not_publish
    ):
        draft = article(brand_a, slug="draft", status=Status.DRAFT)
        live = article(brand_a, slug="live")
        with pytest.raises(PermissionDenied):
            services.publish(draft, user=editor_a)
        with pytest.raises(PermissionDenied):
            services.unpublish(live, user=editor_a)
        assert services.send_to_review(draft, user=editor_a).status == Status.IN_REVIEW
        live.refresh_from_db()
        assert live.is_live

    def test_unpublishing_takes_the_article_off_the_site_at_once(self, editor_a, brand_a):
        live = article(brand_a, slug="live")
        assert page_status("live") == 200
        assert services.unpublish(live, user=editor_a).status == Status.DRAFT
        assert page_status("live") == 404

    def test_a_live_article_is_not_sent_to_review(self, editor_a, brand_a):
        live = article(brand_a, slug="live")
        with pytest.raises(ValidationError):
            services.send_to_review(live, user=editor_a)
        live.refresh_from_db()
        assert live.is_live

    @pytest.mark.parametrize(
        ("start", "wanted"),
        [
            (Status.DRAFT, Status.IN_REVIEW),
            (Status.IN_REVIEW, Status.PUBLISHED),
            (Status.PUBLISHED, Status.DRAFT),
            (Status.IN_REVIEW, Status.DRAFT),
        ],
    )
    def test_set_status_takes_the_step_that_leads_there(self, editor_a, brand_a, start, wanted):
        item = article(brand_a, slug="moving", status=start)
        assert services.set_status(item, wanted, user=editor_a).status == wanted
        assert Article.objects.across_brands().get(pk=item.pk).status == wanted

    def test_each_step_is_recorded_in_the_history(self, editor_a, brand_a):
        draft = article(brand_a, slug="tracked", status=Status.DRAFT, publish_at=None)
        services.publish(draft, user=editor_a)
        services.unpublish(draft, user=editor_a)
        statuses = list(draft.history.order_by("history_date").values_list("status", flat=True))
        assert statuses[-2:] == [Status.PUBLISHED, Status.DRAFT]


class TestAdminUsesTheServices:
    def test_the_change_form_publishes_through_the_rules(self, editor_a, brand_a):
        draft = article(brand_a, slug="sleep-and-mood", status=Status.DRAFT, publish_at=None)
        response = client_for(editor_a).post(
            change_url(draft),
            form_data(brand_a, **{**content_of(draft), "status": Status.PUBLISHED}),
        )
        assert response.status_code == 302, errors(response)
        draft.refresh_from_db()
        assert draft.is_live

    def test_an_editor_who_may_not_publish_is_told_so_and_nothing_is_saved(
        self, editor_a, brand_a, editors_may_not_publish
    ):
        draft = article(brand_a, slug="sleep-and-mood", status=Status.DRAFT, title="Kept")
        response = client_for(editor_a).post(
            change_url(draft), form_data(brand_a, status=Status.PUBLISHED, title="Changed")
        )
        assert response.status_code == 200
        assert any("Only staff who may publish" in error for error in errors(response))
        draft.refresh_from_db()
        assert (draft.status, draft.title) == (Status.DRAFT, "Kept")

    def test_such_an_editor_may_still_edit_a_live_article_without_unpublishing_it(
        self, editor_a, brand_a, editors_may_not_publish
    ):
        live = article(brand_a, slug="sleep-and-mood")
        shown = timezone.localtime(live.publish_at)
        same_time = {
            "publish_at_0": shown.strftime("%Y-%m-%d"),
            "publish_at_1": shown.strftime("%H:%M:%S"),
        }
        staff = client_for(editor_a)
        response = staff.post(
            change_url(live),
            form_data(
                brand_a,
                **{**content_of(live), "summary": "A clearer summary."},
                status=Status.PUBLISHED,
                **same_time,
            ),
        )
        assert response.status_code == 302, errors(response)
        live.refresh_from_db()
        # Saved as a change waiting for its medical review; the article stays live.
        assert live.is_live and live.proposed_content.summary == "A clearer summary."
        # Moving the publication time is publishing again: refused, with a message.
        later = {"publish_at_0": "2027-01-05", "publish_at_1": "09:00:00"}
        response = staff.post(
            change_url(live),
            form_data(brand_a, **content_of(live), status=Status.PUBLISHED, **later),
        )
        assert any("Only staff who may publish can change" in e for e in errors(response))
        live.refresh_from_db()
        assert live.is_live

    def test_a_change_to_a_live_texts_needs_a_new_approval_and_loses_nothing(
        self, editor_a, brand_a
    ):
        live = article(brand_a, slug="sleep-and-mood")
        shown = timezone.localtime(live.publish_at)
        response = client_for(editor_a).post(
            change_url(live),
            form_data(
                brand_a,
                status=Status.PUBLISHED,
                title="Sleep and mood, revised",
                body=live.body,
                publish_at_0=shown.strftime("%Y-%m-%d"),
                publish_at_1=shown.strftime("%H:%M:%S"),
            ),
        )
        # Kept aside for review (tests/articles/test_proposed_change.py): never live yet.
        assert response.status_code == 302, errors(response)
        live.refresh_from_db()
        assert live.is_live and live.title == "Sleep and mood"
        assert live.proposed_content.title == "Sleep and mood, revised"

    def test_the_list_action_reports_refusals_from_the_services(
        self, editor_a, brand_a, editors_may_not_publish
    ):
        live = article(brand_a, slug="live")
        response = client_for(editor_a).post(
            reverse("admin:articles_article_changelist"),
            {"action": "send_to_review", "_selected_action": [live.pk]},
            follow=True,
        )
        assert "Not sent to review: Live" in response.content.decode()
