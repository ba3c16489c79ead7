"""Editors work on articles in the admin: workflow, review rules, scoping, previews."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink, Status
from clinic.models import Role
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import article, staff, topic


def add_url():
    return reverse("admin:articles_article_add")


def change_url(item):
    return reverse("admin:articles_article_change", args=[item.pk])


def form_data(brand, **overrides):
    data = {
        "title": "Sleep and mood",
        "slug": "sleep-and-mood",
        "summary": "How sleep and mood affect each other.",
        "body": "<h2>Why</h2><p>Because.</p>",
        "hero_alt": "",
        "topics": [topic("sleep").pk],
        "brands": [brand.pk],
        "canonical_brand": brand.pk,
        "author": "",
        "reviewer_name": "Dr. Ada Reviewer, MD",
        "last_reviewed": "2026-10-01",
        "review_due": "",
        "status": Status.DRAFT,
        "publish_at_0": "",
        "publish_at_1": "",
        "seo_title": "",
        "seo_description": "",
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def content_of(item) -> dict:
    """The form fields of what patients see of ``item``, as saved: an edit that changes
    nothing else sends these."""
    return {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "hero_alt": item.hero_alt,
        "topics": [t.pk for t in item.topics.all()],
        "main_topic": item.main_topic_id or "",
        "seo_title": item.seo_title,
        "seo_description": item.seo_description,
    }


def errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [li.get_text() for li in soup.select(".errorlist li")]


class TestWriting:
    def test_an_editor_writes_a_draft_and_the_body_is_sanitised(self, editor_a, brand_a):
        response = client_for(editor_a).post(
            add_url(),
            form_data(brand_a, body='<h2 onclick="x()">Why</h2><script>alert(1)</script><p>ok</p>'),
        )
        assert response.status_code == 302, errors(response)
        saved = Article.objects.get(slug="sleep-and-mood")
        assert saved.body == "<h2>Why</h2><p>ok</p>"
        assert list(saved.brands.all()) == [brand_a]
        # Nobody types a reviewer: the name and the date come from an approval.
        assert (saved.reviewer_name, saved.last_reviewed) == ("", None)
        assert saved.history.count() == 1
        assert saved.history.first().history_user == editor_a

    def test_publishing_a_health_article_needs_a_medical_approval(self, editor_a, brand_a):
        response = client_for(editor_a).post(add_url(), form_data(brand_a, status=Status.PUBLISHED))
        assert response.status_code == 200
        assert any("No medical reviewer has approved" in e for e in errors(response))
        assert not Article.objects.exists()

    def test_a_non_health_article_publishes_without_review(self, editor_a, brand_a):
        news = topic("clinic-news", health=False)
        response = client_for(editor_a).post(
            add_url(),
            form_data(
                brand_a,
                status=Status.PUBLISHED,
                reviewer_name="",
                last_reviewed="",
                topics=[news.pk],
            ),
        )
        assert response.status_code == 302, errors(response)
        assert Article.objects.get().is_live

    def test_a_duplicate_slug_gets_a_clear_message(self, editor_a, brand_a):
        article(brand_a, slug="sleep-and-mood")
        response = client_for(editor_a).post(add_url(), form_data(brand_a))
        assert "Another article already uses this slug. Choose another." in errors(response)

    def test_the_canonical_brand_must_be_one_of_the_brands(self, group_admin, brand_a, brand_b):
        response = client_for(group_admin).post(
            add_url(), form_data(brand_a, canonical_brand=brand_b.pk)
        )
        assert (
            "The canonical brand must be one of the brands the article is published on."
            in errors(response)
        )

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("title", "", "This field is required."),
            ("title", "x" * 201, "Ensure this value has at most 200 characters"),
            ("summary", "y" * 301, "Ensure this value has at most 300 characters"),
            ("slug", "not a slug!", "Enter a valid “slug”"),
            ("seo_title", "z" * 71, "Ensure this value has at most 70 characters"),
            ("review_due", "someday", "Enter a valid date."),
        ],
    )
    def test_bad_input_is_refused_field_by_field(self, editor_a, brand_a, field, value, message):
        response = client_for(editor_a).post(add_url(), form_data(brand_a, **{field: value}))
        assert response.status_code == 200
        assert any(message in text for text in errors(response)), errors(response)
        assert not Article.objects.exists()

    def test_a_failed_edit_changes_nothing_saved(self, editor_a, brand_a):
        item = article(brand_a, slug="kept")
        before = Article.objects.get(pk=item.pk)
        client_for(editor_a).post(
            change_url(item), form_data(brand_a, slug="kept", title="", body="<p>new</p>")
        )
        after = Article.objects.get(pk=item.pk)
        assert (after.title, after.body, after.updated) == (
            before.title,
            before.body,
            before.updated,
        )


class TestScoping:
    def test_an_editor_never_sees_or_picks_another_brands_articles(self, editor_a, brand_b):
        other = article(brand_b, slug="beta-secret")
        client = client_for(editor_a)
        listing = client.get(reverse("admin:articles_article_changelist"))
        assert "beta-secret" not in listing.content.decode()
        for name in ("change", "delete", "history"):
            url = reverse(f"admin:articles_article_{name}", args=[other.pk])
            assert client.get(url).status_code == 404
        version = other.history.first().history_id
        url = reverse("admin:articles_article_simple_history", args=[other.pk, version])
        assert client.get(url).status_code == 404

    def test_the_brand_filter_lists_only_the_users_brands(self, editor_a, brand_a, brand_b):
        article(brand_a, slug="a1")
        article(brand_b, slug="b1")
        body = client_for(editor_a).get(reverse("admin:articles_article_changelist")).content
        assert b"Alpha Wellness" in body and b"Beta Infusion Center" not in body

    def test_an_article_shared_by_two_brands_is_edited_only_by_staff_of_both(
        self, editor_a, group_admin, brand_a, brand_b
    ):
        shared = article(brand_a, brand_b, slug="shared")
        editor_page = client_for(editor_a).get(change_url(shared))
        assert editor_page.status_code == 200  # may read it ...
        assert b'name="title"' not in editor_page.content  # ... but not change it
        post = client_for(editor_a).post(change_url(shared), form_data(brand_a, slug="shared"))
        assert post.status_code == 403
        both = staff("editor_both", (brand_a, Role.EDITOR), (brand_b, Role.EDITOR))
        assert b'name="title"' in client_for(both).get(change_url(shared)).content
        assert b'name="title"' in client_for(group_admin).get(change_url(shared)).content

    def test_the_form_says_a_scheduled_article_is_not_live_yet(self, editor_a, brand_a):
        from datetime import timedelta

        from django.utils import timezone

        later = article(brand_a, slug="later", publish_at=timezone.now() + timedelta(days=3))
        page = client_for(editor_a).get(change_url(later))
        note = BeautifulSoup(page.content, "html.parser").select_one(".state-scheduled")
        assert note.get_text().startswith("Scheduled for ")
        assert "not on the site until then" in note.get_text()
        live = article(brand_a, slug="now")
        page = client_for(editor_a).get(change_url(live))
        assert not BeautifulSoup(page.content, "html.parser").select_one(".state-scheduled")

    def test_a_read_only_shared_article_says_why_and_shows_the_rendered_text(
        self, editor_a, brand_a, brand_b
    ):
        shared = article(
            brand_a,
            brand_b,
            slug="shared",
            body="<h2>Before the infusion</h2><p>Eat <strong>lightly</strong>.</p>",
        )
        page = client_for(editor_a).get(change_url(shared))
        soup = BeautifulSoup(page.content, "html.parser")
        reason = soup.select_one(".read-only-reason").get_text()
        assert "also published on Beta Infusion Center, where you may not edit" in reason
        rendered = soup.select_one(".article-rendered")
        assert rendered.h2.get_text() == "Before the infusion"
        assert rendered.strong.get_text() == "lightly"
        assert "&lt;h2&gt;" not in page.content.decode()  # not shown as raw HTML

    def test_actions_skip_articles_the_user_may_not_change(self, editor_a, brand_a, brand_b):
        shared = article(brand_a, brand_b, slug="shared")
        own = article(brand_a, slug="own")
        client_for(editor_a).post(
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish", "_selected_action": [shared.pk, own.pk]},
        )
        shared.refresh_from_db()
        own.refresh_from_db()
        assert own.status == Status.DRAFT
        assert shared.status == Status.PUBLISHED

    def test_front_desk_staff_do_not_see_articles(self, front_desk_a):
        assert (
            client_for(front_desk_a).get(reverse("admin:articles_article_changelist")).status_code
            == 403
        )


class TestWorkflowActions:
    def test_publish_refuses_unreviewed_health_articles_and_says_which(self, editor_a, brand_a):
        ready = article(brand_a, slug="ready", status=Status.IN_REVIEW, publish_at=None)
        unreviewed = article(
            brand_a, slug="unreviewed", status=Status.DRAFT, reviewer_name="", last_reviewed=None
        )
        response = client_for(editor_a).post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [ready.pk, unreviewed.pk]},
            follow=True,
        )
        ready.refresh_from_db()
        unreviewed.refresh_from_db()
        assert ready.is_live
        assert unreviewed.status == Status.DRAFT
        assert "Not published" in response.content.decode()
        assert "unreviewed" in response.content.decode().lower()

    def test_send_to_review(self, editor_a, brand_a):
        draft = article(brand_a, slug="d", status=Status.DRAFT)
        client_for(editor_a).post(
            reverse("admin:articles_article_changelist"),
            {"action": "send_to_review", "_selected_action": [draft.pk]},
        )
        draft.refresh_from_db()
        assert draft.status == Status.IN_REVIEW

    # A review is due a year after it was made: the moment is stated, not the run's.
    @pytest.mark.time_machine(datetime(2026, 12, 1, 12, tzinfo=UTC), tick=False)
    def test_the_admin_lists_articles_whose_review_is_overdue(self, editor_a, brand_a):
        article(brand_a, slug="fresh", last_reviewed=date(2026, 10, 1))
        article(brand_a, slug="stale", last_reviewed=date(2025, 1, 1))
        body = (
            client_for(editor_a)
            .get(reverse("admin:articles_article_changelist") + "?review=overdue")
            .content.decode()
        )
        assert "Stale" in body and "Fresh" not in body

    def test_history_shows_changes_and_can_revert(self, editor_a, brand_a):
        item = article(brand_a, slug="versions", title="First title")
        item.title = "Second title"
        item.save()
        client = client_for(editor_a)
        history = client.get(reverse("admin:articles_article_history", args=[item.pk]))
        assert history.status_code == 200
        table = BeautifulSoup(history.content, "html.parser").select_one("#change-history")
        changes = [li.get_text(" ", strip=True) for li in table.select("td ul li")]
        # The newest version lists what changed against the one before (the comparison).
        assert any(
            c.lower().startswith("title:") and "First title" in c and "Second title" in c
            for c in changes
        ), changes
        first = item.history.order_by("history_date").first()
        revert = client.get(
            reverse("admin:articles_article_simple_history", args=[item.pk, first.history_id])
        )
        soup = BeautifulSoup(revert.content, "html.parser")
        assert soup.find("input", {"name": "title"})["value"] == "First title"


class TestPreviews:
    def test_staff_of_the_brand_preview_a_draft(self, editor_a, brand_a):
        draft = article(brand_a, slug="draft", status=Status.DRAFT, title="Draft title")
        response = client_for(editor_a).get(f"/articles/preview/{draft.pk}/")
        assert response.status_code == 200
        assert "Draft title" in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-cache" in response["Cache-Control"]

    def test_a_password_alone_previews_nothing(self, editor_a, brand_a):
        """Issue 29: every view that acts for staff who must use two-factor asks for it."""
        draft = article(brand_a, slug="draft", status=Status.DRAFT, title="Draft title")
        answer = client_for(editor_a, second_factor=False).get(f"/articles/preview/{draft.pk}/")
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("staff_two_factor_setup"))
        assert "Draft title" not in answer.content.decode()

    def test_others_cannot_preview(self, staff_b, brand_a):
        draft = article(brand_a, slug="draft", status=Status.DRAFT)
        anonymous = client_for().get(f"/articles/preview/{draft.pk}/")
        assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
        assert (
            client_for(staff_b, host=HOST_A).get(f"/articles/preview/{draft.pk}/").status_code
            == 404
        )
        assert (
            client_for(staff_b, host=HOST_B).get(f"/articles/preview/{draft.pk}/").status_code
            == 404
        )

    def test_a_reviewer_link_works_without_an_account_until_revoked(
        self, editor_a, brand_a, brand_b
    ):
        draft = article(brand_a, slug="draft", status=Status.DRAFT, title="For the reviewer")
        response = client_for(editor_a).post(
            reverse("admin:articles_article_preview_link", args=[draft.pk]), follow=True
        )
        link = BeautifulSoup(response.content, "html.parser").select_one(".messagelist a")["href"]
        path = link.split("brand-a.localhost", 1)[1]
        page = client_for(host=HOST_A).get(path)
        assert page.status_code == 200
        assert "For the reviewer" in page.content.decode()
        assert "Preview for medical review" in page.content.decode()
        assert client_for(host=HOST_B).get(path).status_code == 410  # not another brand
        PreviewLink.objects.get().delete()  # revoke
        assert client_for(host=HOST_A).get(path).status_code == 410

    def test_a_reviewer_link_expires(self, editor_a, brand_a):
        from articles.preview import create_link

        draft = article(brand_a, slug="draft", status=Status.DRAFT)
        _, token = create_link(draft, brand_a, editor_a, lifetime=timedelta(days=2))
        path = reverse("articles:review", args=[token])
        assert client_for(host=HOST_A).get(path).status_code == 200
        with time_machine.travel(timezone.now() + timedelta(days=3)):
            assert client_for(host=HOST_A).get(path).status_code == 410

    @pytest.mark.parametrize("token", ["garbage", "eyJsaW5rIjoxfQ:forged:sig", "../../etc", "%00"])
    def test_forged_tokens_are_refused(self, brand_a, token):
        assert client_for(host=HOST_A).get(f"/articles/review/{token}/").status_code in (404, 410)

    @pytest.mark.parametrize(
        "payload",
        [[1], "1", 1, None, {}, {"link": "1"}, {"link": 2**70}, {"link": -1}, {"link": 1.5}],
        ids=repr,
    )
    def test_signed_tokens_with_odd_payloads_are_gone(self, brand_a, payload):
        """Correctly signed (say, by an old release) but not what we sign now: 410."""
        from django.core import signing

        from articles.preview import SALT

        token = signing.dumps(payload, salt=SALT, compress=True)
        assert client_for(host=HOST_A).get(f"/articles/review/{token}/").status_code == 410

    def test_the_change_page_links_each_brands_copy(self, group_admin, brand_a, brand_b):
        shared = article(brand_a, brand_b, slug="shared")
        soup = BeautifulSoup(client_for(group_admin).get(change_url(shared)).content, "html.parser")
        links = {a.get_text(): a["href"] for a in soup.select(".object-tools a.viewsitelink")}
        assert links == {
            "View on Alpha Wellness": "http://brand-a.localhost/articles/shared/",
            "View on Beta Infusion Center": "http://brand-b.localhost/articles/shared/",
        }


def test_the_list_tells_scheduled_from_published(editor_a, brand_a):
    from datetime import UTC, datetime

    article(brand_a, slug="live-now")
    article(brand_a, slug="goes-live-later", publish_at=datetime(2027, 3, 1, 14, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False):
        listing = client_for(editor_a).get(reverse("admin:articles_article_changelist"))
    soup = BeautifulSoup(listing.content, "html.parser")
    states = {
        row.select_one("th a").get_text(): row.select_one("td.field-state").get_text()
        for row in soup.select("#result_list tbody tr")
    }
    assert states["Live now"] == "Published"
    assert states["Goes live later"].startswith("Scheduled for March 1, 2027")
