"""Reviewing what changed: every patient-facing field of a live health article waits for
approval; compare, the reviewer's page and previews show the change, words marked;
reviewers comment on parts of the text; the dashboard is the editor's to-do list."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import review, services
from articles.content import Content, changed_fields
from articles.models import Decision, ReviewComment, Status
from articles.revisions import words
from tests.articles.test_images import jpeg_with_gps, upload
from tests.articles.test_medical_review import doctor, lee  # noqa: F401 (fixtures)
from tests.articles.test_proposed_change import edit, public_page
from tests.conftest import HOST_A, client_for
from tests.factories import article, staff, topic


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.PAGE_CACHE_SECONDS = 0
    settings.BACK_OFFICE_URL = "http://brand-a.localhost"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def live(brand_a):
    return article(
        brand_a,
        slug="ketamine-side-effects",
        title="Ketamine side effects and safety",
        summary="What to expect during and after an infusion.",
        body="<h2>During</h2><p>Most people feel detached for about an hour.</p>"
        "<p>Blood pressure is checked every two weeks.</p>",
        topics=("depression",),
        reviewer_name="Dr. Earlier Reviewer, MD",
        last_reviewed=date(2026, 10, 1),
    )


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text_of(response) -> str:
    return soup(response).get_text(" ", strip=True)


# Pure: the content value and the word marks ------------------------------------------


def test_every_patient_facing_field_changes_the_fingerprint():
    base = Content(title="T", summary="S", body="<p>B</p>", topics=(1,))
    for change in [
        {"title": "T2"},
        {"summary": "S2"},
        {"body": "<p>B2</p>"},
        {"hero_image": "a.jpg"},
        {"hero_alt": "A"},
        {"topics": (1, 2)},
        {"main_topic": 1},
        {"seo_title": "X"},
        {"seo_description": "Y"},
        {"social_image": "social/a.jpg"},
        {"social_image_alt": "A picture"},
    ]:
        changed = base.with_changes(**change)
        assert changed.fingerprint() != base.fingerprint(), change
        assert changed_fields(base, changed) == list(change), change


def test_layout_and_renditions_are_not_a_change():
    base = Content(title="T", body="<p>One</p><p>Two</p>")
    relaid = Content(title=" T ", body="<p>One</p>\n  <p>Two</p>", hero_renditions={"x": 1})
    assert relaid.fingerprint() == base.fingerprint() and changed_fields(base, relaid) == []
    assert Content(topics=(2, 1, 2)) == Content(topics=(1, 2))


def test_a_waiting_change_survives_its_json():
    content = Content(title="T", topics=(3, 1), main_topic=3, hero_renditions={"w": ["a"]})
    again = Content.from_json(content.to_json())
    assert again == content and again.hero_renditions == {"w": ["a"]}
    assert Content.from_json({"title": "T", "unknown": "ignored"}).title == "T"


def test_words_within_a_block_are_marked():
    before, after = words("Checked every two weeks.", "Checked every three weeks.")
    assert ("removed", "two") in before and ("added", "three") in after
    assert all(kind != "added" for kind, _ in before)
    assert "".join(text for _, text in after) == "Checked every three weeks."
    # Neighbouring changed words are one change, not one mark a word.
    _before, after = words("What to expect.", "What to expect, hour by hour.")
    assert after == [("same", "What to "), ("added", "expect, hour by hour.")]


# Every field waits -----------------------------------------------------------------


def test_a_new_hero_image_of_a_live_article_waits_and_loses_its_location(editor_a, live):
    response = edit(
        client_for(editor_a),
        live,
        hero_image=upload("clinic.jpg", jpeg_with_gps()),
        hero_alt="The infusion room, with a reclining chair",
    )
    assert response.status_code == 302
    live.refresh_from_db()
    assert not live.hero_image and live.is_live  # the site shows no hero yet
    waiting = live.proposed_content
    assert waiting.hero_alt == "The infusion room, with a reclining chair"
    stored = live.hero_image.storage.open(waiting.hero_image)
    with Image.open(io.BytesIO(stored.read())) as image:
        assert not image.getexif().get(0x8825)  # no GPS block
    assert waiting.hero_renditions  # a preview can show it
    assert "reclining chair" not in str(public_page(live))


def test_topics_and_search_fields_of_a_live_article_wait_too(editor_a, live):
    edit(
        client_for(editor_a),
        live,
        topics=[topic("depression").pk, topic("sleep").pk],
        seo_title="Side effects of ketamine",
        seo_description="A calmer description.",
    )
    live.refresh_from_db()
    assert [t.slug for t in live.topics.all()] == ["depression"]
    assert live.seo_title == "" and live.proposed_content.seo_title == "Side effects of ketamine"
    page = public_page(live)
    assert "A calmer description." not in str(page.find("meta", attrs={"name": "description"}))


def test_a_link_preview_picture_of_a_live_article_waits_too(editor_a, live):
    edit(
        client_for(editor_a),
        live,
        social_image=upload("share.jpg", jpeg_with_gps(1200, 630)),
        social_image_alt="A calm room with a reclining chair",
    )
    live.refresh_from_db()
    assert not live.social_image and live.proposed_content.social_image.startswith("social/")
    assert "reclining chair" not in str(public_page(live))


def test_content_approved_before_link_previews_keeps_its_fingerprint():
    """Approvals recorded before the link-preview fields existed still cover the content."""
    before = Content(title="T", body="<p>B</p>")
    assert (
        before.fingerprint() == Content(title="T", body="<p>B</p>", social_image="").fingerprint()
    )
    assert before.fingerprint() != before.with_changes(social_image="social/a.jpg").fingerprint()


def test_the_approved_change_goes_live_whole_with_its_reviewer(editor_a, live, doctor):  # noqa: F811
    edit(
        client_for(editor_a),
        live,
        summary="What to expect, hour by hour.",
        body=live.body.replace("two weeks", "three weeks"),
        topics=[topic("depression").pk, topic("sleep").pk],
    )
    live.refresh_from_db()
    with pytest.raises(ValidationError):
        services.put_change_live(live, user=editor_a)  # not approved yet
    review.decide(review.send(live, user=editor_a, clinician=doctor), approve=True)
    services.put_change_live(live, user=editor_a)
    live.refresh_from_db()
    assert live.summary == "What to expect, hour by hour." and "three weeks" in live.body
    assert sorted(t.slug for t in live.topics.all()) == ["depression", "sleep"]
    assert live.proposed_at is None and live.reviewer_name == "Dana Rivera, MD"
    assert review.approval_for(live) is not None  # the site shows what was approved
    assert "hour by hour" in str(public_page(live))


# Compare, the reviewer's page and previews -----------------------------------------------


def test_compare_opens_on_live_against_the_proposed_change(editor_a, live):
    client = client_for(editor_a)
    edit(
        client,
        live,
        summary="What to expect, hour by hour.",
        body=live.body.replace("two weeks", "three weeks"),
    )
    page = client.get(reverse("admin:articles_article_compare", args=[live.pk]))
    html = soup(page)
    assert html.select_one("#compare-a option[selected]")["value"] == "live"
    assert html.select_one("#compare-b option[selected]")["value"] == "proposed"
    summary_row = html.select_one(".compare-field-summary")
    assert summary_row is not None and "hour by hour" in summary_row.select("ins")[0].get_text()
    assert [d.get_text() for d in html.select(".compare-text del")] == ["two"]
    assert [i.get_text() for i in html.select(".compare-text ins")] == ["three"]
    assert "2 changes." in text_of(page)


def test_the_reviewer_sees_what_changed_and_a_preview_of_it(editor_a, live, doctor):  # noqa: F811
    client = client_for(editor_a)
    edit(client, live, title="Ketamine side effects, and how we keep you safe")
    live.refresh_from_db()
    sent = review.send(live, user=editor_a, clinician=doctor)
    reviewer = client_for(doctor.account)
    page = reviewer.get(reverse("admin:articles_article_review", args=[live.pk, sent.pk]))
    html = soup(page)
    assert "how we keep you safe" in [i.get_text() for i in html.select("ins")]
    preview = html.find("a", string=lambda s: s and "Preview it as patients" in s)
    assert preview is not None
    # The staff preview shows the change, marked as such; the site still the approved one.
    shown = client_for(doctor.account, host=HOST_A).get(reverse("articles:preview", args=[live.pk]))
    assert "how we keep you safe" in shown.content.decode()
    assert "change waiting for medical review" in shown.content.decode()
    assert "how we keep you safe" not in str(public_page(live))


def test_an_outside_reviewer_previews_exactly_what_was_sent(editor_a, live, lee, mailoutbox):  # noqa: F811
    edit(client_for(editor_a), live, summary="A summary sent for review.")
    live.refresh_from_db()
    sent = review.send(live, user=editor_a, outside=lee)
    token = review.token_for(sent)
    visitor = client_for(host=HOST_A)
    page = visitor.get(reverse("articles:medical_review", args=[token]))
    assert "A summary sent for review." in text_of(page)
    shown = visitor.get(reverse("articles:medical_review_preview", args=[token]))
    assert shown.status_code == 200 and "A summary sent for review." in shown.content.decode()
    assert shown["X-Robots-Tag"] == "noindex, nofollow"
    gone = visitor.get(reverse("articles:medical_review_preview", args=["forged-token"]))
    assert gone.status_code == 410


# Comments ----------------------------------------------------------------------------


@pytest.fixture
def sent(editor_a, live, doctor):  # noqa: F811
    edit(client_for(editor_a), live, body=live.body.replace("two weeks", "three weeks"))
    live.refresh_from_db()
    return review.send(live, user=editor_a, clinician=doctor)


def review_url(round_):
    return reverse("admin:articles_article_review", args=[round_.article_id, round_.pk])


def test_a_reviewer_comments_on_a_part_and_asks_for_changes(
    sent,
    doctor,  # noqa: F811
    editor_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    reviewer = client_for(doctor.account)
    page = soup(reviewer.get(review_url(sent)))
    links = page.select("a.comment-on")
    blocks = [int(link["data-block"]) for link in links]
    assert blocks == [0, 1, 2, 3]  # the title and every block of the text
    answer = reviewer.post(
        review_url(sent),
        {"action": "comment", "block": "3", "text": "Say who checks it, and where."},
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#review-comments")
    note = ReviewComment.objects.across_brands().get()
    assert note.quote == "Blood pressure is checked every three weeks."
    assert note.author_name == "Dana Rivera, MD"
    # The comments say what should change: no overall comment is needed.
    editor_a.email = "editor@alpha.example"
    editor_a.save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided = reviewer.post(review_url(sent), {"decision": "changes", "comment": ""})
    assert decided.status_code == 302
    sent.refresh_from_db()
    assert sent.decision == Decision.CHANGES
    told = next(m for m in mailoutbox if "editor@alpha.example" in m.to)
    assert "Say who checks it, and where." in told.body  # the comments, in the e-mail


@pytest.mark.parametrize(
    ("block", "comment", "message"),
    [
        ("99", "Fine.", "Select a valid choice"),
        ("-1", "Fine.", "Select a valid choice"),
        ("one", "Fine.", "Select a valid choice"),
        ("1", "   ", "This field is required"),
        ("1", "x" * 2001, "at most 2000 characters"),
    ],
)
def test_bad_comments_are_refused_clearly(sent, doctor, block, comment, message):  # noqa: F811
    reviewer = client_for(doctor.account)
    answer = reviewer.post(review_url(sent), {"action": "comment", "block": block, "text": comment})
    assert answer.status_code == 200 and message in text_of(answer)
    assert not ReviewComment.objects.across_brands().exists()


def test_hostile_comments_are_shown_as_text(sent, doctor, editor_a, live):  # noqa: F811
    hostile = "<script>alert(1)</script> ' OR 1=1; -- ✓ ñ"
    client_for(doctor.account).post(
        review_url(sent), {"action": "comment", "block": "1", "text": hostile}
    )
    form = client_for(editor_a).get(reverse("admin:articles_article_change", args=[live.pk]))
    assert "<script>alert(1)</script>" not in form.content.decode()
    assert hostile in soup(form).select_one("#review-comments").get_text()


def test_no_comment_once_decided_or_by_someone_else(sent, doctor, editor_a):  # noqa: F811
    other = staff("dr_other", (sent.article.canonical_brand, "editor"))
    assert client_for(other).post(review_url(sent), {"action": "comment"}).status_code == 404
    review.decide(sent, approve=True)
    with pytest.raises(ValidationError):
        review.comment(sent, block=1, text="Too late.")


def test_the_editor_sees_comments_beside_the_text_and_resolves_them(sent, doctor, editor_a, live):  # noqa: F811
    review.comment(sent, block=1, text="Name the usual length.")
    editor = client_for(editor_a)
    form = soup(editor.get(reverse("admin:articles_article_change", args=[live.pk])))
    aside = form.select_one("aside#content-related #review-comments")
    assert aside is not None and "Name the usual length." in aside.get_text()
    note = ReviewComment.objects.across_brands().get()
    resolve = reverse("admin:articles_article_resolve_comment", args=[live.pk, note.pk])
    assert editor.get(resolve).status_code == 405
    assert editor.post(resolve).status_code == 302
    note.refresh_from_db()
    assert note.resolved_by == editor_a and note.resolved_at is not None
    again = soup(editor.get(reverse("admin:articles_article_change", args=[live.pk])))
    kept = again.select_one(".review-comments-resolved")
    assert kept is not None and "Name the usual length." in kept.get_text()
    assert "Every comment is resolved." in again.select_one("#review-comments").get_text()


def test_another_brand_cannot_resolve_a_comment(sent, staff_b, live):
    note = review.comment(sent, block=1, text="Fine.")
    resolve = reverse("admin:articles_article_resolve_comment", args=[live.pk, note.pk])
    assert client_for(staff_b).post(resolve).status_code in (403, 404)
    note.refresh_from_db()
    assert note.resolved_at is None


# The dashboard -------------------------------------------------------------------------


def dashboard(user) -> BeautifulSoup:
    return soup(client_for(user).get(reverse("admin:index")))


def test_the_dashboard_lists_the_editor_s_next_steps(brand_a, editor_a, doctor, live):  # noqa: F811
    asked = article(
        brand_a,
        slug="asked",
        title="Asked article",
        status=Status.DRAFT,
        reviewer_name="",
        last_reviewed=None,
    )
    round_ = review.send(asked, user=editor_a, clinician=doctor)
    review.comment(round_, block=1, text="Cite the trial.")
    review.decide(round_, approve=False, comment="Two points below.")
    ready = article(
        brand_a,
        slug="ready",
        title="Ready article",
        status=Status.DRAFT,
        reviewer_name="",
        last_reviewed=None,
    )
    review.decide(review.send(ready, user=editor_a, clinician=doctor), approve=True)
    edit(client_for(editor_a), live, summary="A reviewed new summary.")
    live.refresh_from_db()
    review.decide(review.send(live, user=editor_a, clinician=doctor), approve=True)
    page = dashboard(editor_a)
    changes = page.select_one("#panel-changes-asked").get_text(" ", strip=True)
    assert "Asked article" in changes and "Two points below." in changes
    assert "1 open comment" in changes
    assert "Ready article" in page.select_one("#panel-ready").get_text()
    assert "Ketamine side effects" in page.select_one("#panel-change-approved").get_text()


def test_publish_schedule_and_put_live_in_one_click(brand_a, editor_a, doctor, live):  # noqa: F811
    ready = article(
        brand_a, slug="ready", status=Status.DRAFT, reviewer_name="", last_reviewed=None
    )
    review.decide(review.send(ready, user=editor_a, clinician=doctor), approve=True)
    client = client_for(editor_a)
    publish = reverse("admin:articles_article_publish", args=[ready.pk])
    for garbage in ["tomorrow", "2026-13-40T25:00", "<script>", "1999-01-01T09:00"]:
        answer = client.post(publish, {"at": garbage, "next": "dashboard"}, follow=True)
        assert "Give a time in the future" in text_of(answer)
    ready.refresh_from_db()
    assert ready.status != Status.PUBLISHED
    later = timezone.localtime() + timedelta(days=2)
    answer = client.post(publish, {"at": later.strftime("%Y-%m-%dT%H:%M"), "next": "dashboard"})
    assert answer.status_code == 302 and answer["Location"] == reverse("admin:index")
    ready.refresh_from_db()
    assert ready.status == Status.PUBLISHED and not ready.is_live
    assert client.get(publish).status_code == 405
    edit(client, live, summary="A reviewed new summary.")
    live.refresh_from_db()
    review.decide(review.send(live, user=editor_a, clinician=doctor), approve=True)
    client.post(reverse("admin:articles_article_put_live", args=[live.pk]), {"next": "dashboard"})
    live.refresh_from_db()
    assert live.summary == "A reviewed new summary." and live.proposed_at is None


def test_an_unapproved_draft_is_not_published_from_the_dashboard(brand_a, editor_a):
    draft = article(
        brand_a, slug="unreviewed", status=Status.DRAFT, reviewer_name="", last_reviewed=None
    )
    answer = client_for(editor_a).post(
        reverse("admin:articles_article_publish", args=[draft.pk]), follow=True
    )
    assert "No medical reviewer has approved" in text_of(answer)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_overdue_means_the_same_in_the_list_and_on_the_dashboard(brand_a, editor_a):
    with time_machine.travel("2026-12-01 12:00", tick=False):
        article(brand_a, slug="stale-live", title="Stale live", review_due=date(2026, 6, 1))
        article(
            brand_a,
            slug="stale-draft",
            title="Stale draft",
            status=Status.DRAFT,
            review_due=date(2026, 6, 1),
        )
        page = dashboard(editor_a).select_one("#panel-review-overdue").get_text()
        listing = client_for(editor_a).get(
            reverse("admin:articles_article_changelist"), {"review": "overdue"}
        )
    listed = text_of(listing)
    assert "Stale live" in page and "Stale live" in listed
    assert "Stale draft" not in page and "Stale draft" not in listed


def test_an_approval_dated_today_in_utc_does_not_block_a_portland_editor(brand_a):
    """At 10 p.m. in Portland it is already tomorrow where the approval was dated: the
    article still saves (the defect was a server error on a field the form lacks)."""
    from tests.factories import reference_location
    from tests.staff.test_time_zones import PORTLAND

    reference_location(brand_a, slug="pearl", name="Pearl District", time_zone=PORTLAND.key)
    editor = staff("portland_editor", (brand_a, "editor"))
    with time_machine.travel("2026-12-07 06:00Z", tick=False):
        piece = article(brand_a, slug="late-approval", last_reviewed=date(2026, 12, 7))
        response = edit(client_for(editor), piece, review_due="2027-06-01")
    assert response.status_code == 302
    piece.refresh_from_db()
    # The date typed is kept: the approval was credited when it was given.
    assert piece.review_due == date(2027, 6, 1) and piece.is_live
