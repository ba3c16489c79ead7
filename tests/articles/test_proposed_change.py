"""A change to a live health article waits for approval while the site keeps the approved one."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles import review
from articles.models import Article, Status
from tests.articles.test_admin import change_url, content_of, errors, form_data
from tests.articles.test_medical_review import doctor  # noqa: F401 (a fixture)
from tests.conftest import HOST_A, client_for
from tests.factories import article


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.BACK_OFFICE_URL = "http://brand-a.localhost"


@pytest.fixture
def live(brand_a):
    return article(
        brand_a,
        slug="sleep-and-mood",
        title="Sleep and mood",
        body="<h2>Why</h2><p>The approved words.</p>",
        reviewer_name="Dr. Earlier Reviewer, MD",
        last_reviewed=date(2026, 10, 1),
    )


def edit(client, item, **fields):
    shown = timezone.localtime(item.publish_at)
    return client.post(
        change_url(item),
        form_data(
            item.canonical_brand,
            slug=item.slug,
            status=Status.PUBLISHED,
            publish_at_0=shown.strftime("%Y-%m-%d"),
            publish_at_1=shown.strftime("%H:%M:%S"),
            **{**content_of(item), **fields},
        ),
    )


def public_page(item) -> BeautifulSoup:
    page = client_for(host=HOST_A).get(item.get_absolute_url())
    assert page.status_code == 200
    return BeautifulSoup(page.content, "html.parser")


def test_the_change_waits_aside_and_the_site_keeps_the_approved_version(editor_a, live):
    client = client_for(editor_a)
    response = edit(client, live, title="Sleep and mood, revised", body="<p>New words.</p>")
    assert response.status_code == 302, errors(response)
    follow = client.get(response["Location"])
    assert "waits for a medical review" in follow.content.decode()
    live.refresh_from_db()
    assert live.is_live and (live.title, live.body) == (
        "Sleep and mood",
        "<h2>Why</h2><p>The approved words.</p>",
    )
    waiting = live.proposed_content
    assert (waiting.title, waiting.body) == ("Sleep and mood, revised", "<p>New words.</p>")
    page = public_page(live)
    assert page.h1.get_text(strip=True) == "Sleep and mood"
    assert "The approved words." in page.get_text() and "New words." not in page.get_text()

    # The editor goes on with the change, not with the text the site shows.
    form = BeautifulSoup(client.get(change_url(live)).content, "html.parser")
    assert form.select_one("#id_title")["value"] == "Sleep and mood, revised"
    assert "New words." in form.select_one("textarea[name=body]").get_text()
    assert "waits for medical review" in form.select_one(".proposed-change").get_text()
    assert "for what the site shows" in form.select_one(".review-approved").get_text()


def test_the_reviewer_sees_the_change_and_approving_it_does_not_put_it_live(
    editor_a,
    live,
    doctor,  # noqa: F811
):
    client = client_for(editor_a)
    edit(client, live, title="Sleep and mood, revised", body="<p>New words.</p>")
    live.refresh_from_db()
    sent = review.send(live, user=editor_a, clinician=doctor)
    page = client_for(doctor.account).get(
        reverse("admin:articles_article_review", args=[live.pk, sent.pk])
    )
    shown = BeautifulSoup(page.content, "html.parser").select_one(".review-text")
    assert shown.h2.get_text() == "Sleep and mood, revised" and "New words." in shown.get_text()

    review.decide(sent, approve=True)
    live.refresh_from_db()
    # Approved, but the site still shows (and credits) the version it shows.
    assert live.title == "Sleep and mood" and live.reviewer_name == "Dr. Earlier Reviewer, MD"
    assert "Dana Rivera, MD approved the change" in client.get(change_url(live)).content.decode()

    # Saving it again puts the approved change live, with the credits of its review.
    response = edit(client, live, title="Sleep and mood, revised", body="<p>New words.</p>")
    assert response.status_code == 302, errors(response)
    live.refresh_from_db()
    assert (live.title, live.body, live.proposed_at) == (
        "Sleep and mood, revised",
        "<p>New words.</p>",
        None,
    )
    assert live.reviewer_name == "Dana Rivera, MD" and live.reviewed_by == doctor
    assert live.last_reviewed == timezone.localdate()
    page = public_page(live)
    assert page.h1.get_text(strip=True) == "Sleep and mood, revised"


def test_a_further_edit_after_the_approval_needs_approval_again(editor_a, live, doctor):  # noqa: F811
    client = client_for(editor_a)
    edit(client, live, title="Sleep and mood, revised", body="<p>New words.</p>")
    live.refresh_from_db()
    review.decide(review.send(live, user=editor_a, clinician=doctor), approve=True)
    edit(client, live, title="Sleep and mood, revised", body="<p>New words, and one more.</p>")
    live.refresh_from_db()
    assert (
        live.title == "Sleep and mood"
        and live.proposed_content.body == "<p>New words, and one more.</p>"
    )


def test_the_summary_of_a_live_article_waits_for_review_too(editor_a, live):
    """Search results and cards show the summary: it is medical content like the text."""
    response = edit(
        client_for(editor_a), live, title=live.title, body=live.body, summary="Shorter."
    )
    assert response.status_code == 302, errors(response)
    live.refresh_from_db()
    assert live.summary != "Shorter." and live.proposed_content.summary == "Shorter."
    assert "Shorter." not in str(public_page(live))


def test_hostile_text_in_a_proposed_change_is_sanitised_and_not_shown(editor_a, live):
    edit(
        client_for(editor_a),
        live,
        title="<script>alert(1)</script> revised",
        body='<p onclick="x()">Hi</p><script>alert(2)</script>',
    )
    live.refresh_from_db()
    assert live.proposed_content.body == "<p>Hi</p>"
    assert "alert(" not in str(public_page(live))


def test_discarding_the_change_keeps_the_approved_version(editor_a, live):
    client = client_for(editor_a)
    edit(client, live, title="Sleep and mood, revised", body="<p>New words.</p>")
    response = client.post(reverse("admin:articles_article_discard_change", args=[live.pk]))
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.proposed_at is None and live.proposed == {}
    assert live.title == "Sleep and mood" and live.is_live
    # Nobody discards another clinic's change, and only by POST.
    assert (
        client.get(reverse("admin:articles_article_discard_change", args=[live.pk])).status_code
        == 405
    )


def test_staff_of_another_clinic_cannot_discard(staff_b, live):
    edit(client_for(staff_b), live, title="x", body="<p>y</p>")  # refused: not theirs
    response = client_for(staff_b).post(
        reverse("admin:articles_article_discard_change", args=[live.pk])
    )
    assert response.status_code == 404
    assert Article.objects.across_brands().get(pk=live.pk).title == "Sleep and mood"


def test_taking_the_article_off_the_site_makes_the_change_its_draft_text(editor_a, live):
    client = client_for(editor_a)
    edit(client, live, title="Sleep and mood, revised", body="<p>New words.</p>")
    live.refresh_from_db()
    response = client.post(
        change_url(live),
        form_data(
            live.canonical_brand,
            slug=live.slug,
            status=Status.DRAFT,
            title="Sleep and mood, revised",
            body="<p>New words.</p>",
        ),
    )
    assert response.status_code == 302, errors(response)
    live.refresh_from_db()
    assert live.status == Status.DRAFT and live.title == "Sleep and mood, revised"
    assert live.proposed_at is None


def test_other_fields_of_a_live_article_without_a_recorded_approval_still_change(editor_a, live):
    live.reviews.all().delete()  # say, rows written in bulk by an import
    response = edit(
        client_for(editor_a), live, title=live.title, body=live.body, review_due="2027-06-01"
    )
    assert response.status_code == 302, errors(response)
    live.refresh_from_db()
    assert live.review_due == date(2027, 6, 1) and live.proposed_at is None and live.is_live
