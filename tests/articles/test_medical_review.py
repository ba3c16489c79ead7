"""A real medical review: author -> named reviewer -> publish (articles/review.py)."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import review, services
from articles.models import Decision, MedicalReview, OutsideReviewer, Status
from care.models import Clinician
from clinic.models import Role
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import article, staff

SEND = "admin:articles_article_send_review"
OUTSIDE_LINK = re.compile(r"http://brand-a\.localhost(?::\d+)?(/articles/medical-review/\S+/)")


@pytest.fixture(autouse=True)
def _back_office(settings):
    settings.BACK_OFFICE_URL = "http://brand-a.localhost"


@pytest.fixture
def doctor(brand_a):
    login = staff("dr_rivera", (brand_a, Role.EDITOR))
    login.email = "rivera@alpha.example"
    login.save()
    person = Clinician.objects.create(
        name="Dana Rivera", slug="dana-rivera", credentials="MD", job_title="Psychiatrist"
    )
    person.brands.set([brand_a])
    person.account = login
    person.save()
    return person


@pytest.fixture
def draft(brand_a, editor_a):
    editor_a.email = "editor@alpha.example"
    editor_a.save()
    return article(
        brand_a,
        slug="sleep-after-an-infusion",
        title="Sleep after an infusion",
        status=Status.DRAFT,
        publish_at=None,
        reviewer_name="",
        last_reviewed=None,
        author=editor_a,
    )


def text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def errors(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(e.get_text(" ") for e in soup.select(".errorlist li, .errornote"))


@pytest.fixture
def lee(brand_a):
    """An outside reviewer on brand A's list, which its brand admin keeps."""
    return OutsideReviewer.objects.create(
        brand=brand_a, name="Lee Park", credentials="PhD", email="lee@university.example"
    )


def send_to(client, draft, **fields):
    return client.post(reverse(SEND, args=[draft.pk]), fields)


class TestAClinicianReviewsInTheBackOffice:
    def test_author_reviewer_publish(
        self, draft, doctor, editor_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        author = client_for(editor_a)
        with django_capture_on_commit_callbacks(execute=True):
            answer = send_to(author, draft, clinician=doctor.pk)
        assert answer.status_code == 302, errors(answer)
        draft.refresh_from_db()
        assert draft.status == Status.IN_REVIEW
        request_mail = next(m for m in mailoutbox if m.to == ["rivera@alpha.example"])
        assert "Sleep after an infusion" in request_mail.subject
        link = re.search(r"http://brand-a\.localhost(/admin/\S+/)", request_mail.body)[1]
        assert any(m.to == ["editor@alpha.example"] for m in mailoutbox)  # "sent to ..."

        # Publishing before the approval is refused.
        with pytest.raises(ValidationError):
            services.publish(draft, user=editor_a)

        reviewer = client_for(doctor.account)
        page = reviewer.get(link)
        assert page.status_code == 200 and "Sleep after an infusion" in text(page)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            decided = reviewer.post(link, {"decision": "approve", "comment": ""})
        assert decided.status_code == 302
        draft.refresh_from_db()
        assert draft.reviewed_by == doctor and draft.reviewer_name == "Dana Rivera, MD"
        assert draft.last_reviewed == timezone.localdate()
        assert any(
            m.to == ["editor@alpha.example"] and "approved" in m.subject.lower() for m in mailoutbox
        )
        assert any(m.to == ["rivera@alpha.example"] for m in mailoutbox)  # "recorded"

        services.publish(draft, user=editor_a)
        live = client_for(host=HOST_A).get(draft.get_absolute_url())
        assert live.status_code == 200
        assert "Dana Rivera" in text(live)
        graph = json.loads(
            BeautifulSoup(live.content, "html.parser")
            .find("script", type="application/ld+json")
            .string
        )
        assert timezone.localdate().isoformat() in json.dumps(graph)

    def test_the_reviewers_dashboard_lists_what_waits_for_them(self, draft, doctor, editor_a):
        sent = review.send(draft, user=editor_a, clinician=doctor)
        index = client_for(doctor.account).get("/admin/")
        panel = BeautifulSoup(index.content, "html.parser").select_one("#panel-my-reviews")
        assert "Sleep after an infusion" in panel.get_text()
        link = reverse("admin:articles_article_review", args=[draft.pk, sent.pk])
        assert panel.find("a")["href"] == link
        review.decide(sent, approve=True)
        after = client_for(doctor.account).get("/admin/")
        assert not BeautifulSoup(after.content, "html.parser").select_one("#panel-my-reviews")

    def test_the_change_form_shows_each_round(self, draft, doctor, editor_a):
        round_ = review.send(draft, user=editor_a, clinician=doctor)
        review.decide(round_, approve=False, comment="Cite the 2023 sleep study.")
        page = client_for(editor_a).get(reverse("admin:articles_article_change", args=[draft.pk]))
        shown = text(page)
        assert "Changes asked for" in shown and "Cite the 2023 sleep study." in shown
        assert "No approval covers the article as it is now." in shown

    def test_only_the_named_reviewer_opens_the_decision(self, draft, doctor, editor_a):
        round_ = review.send(draft, user=editor_a, clinician=doctor)
        url = reverse("admin:articles_article_review", args=[draft.pk, round_.pk])
        assert client_for(editor_a).get(url).status_code == 404
        assert client_for(editor_a).post(url, {"decision": "approve"}).status_code == 404
        round_.refresh_from_db()
        assert round_.decision == Decision.PENDING

    def test_a_clinician_of_another_brand_cannot_be_chosen(self, draft, editor_a, brand_b):
        other = Clinician.objects.create(name="Only Beta", slug="only-beta", job_title="MD")
        other.brands.set([brand_b])
        other.account = staff("beta_doc", (brand_b, Role.EDITOR))
        other.save()
        answer = send_to(client_for(editor_a), draft, clinician=other.pk)
        assert "Select a valid choice" in errors(answer)
        assert not MedicalReview.objects.across_brands().exists()


class TestAnOutsideReviewerUsesASignedLink:
    @pytest.fixture(autouse=True)
    def _listed(self, lee):
        self.lee = lee

    def sent(self, draft, editor_a, mailoutbox, capture):
        with capture(execute=True):
            answer = send_to(client_for(editor_a), draft, outside_reviewer=self.lee.pk)
        assert answer.status_code == 302, errors(answer)
        mail = next(m for m in mailoutbox if m.to == ["lee@university.example"])
        return OUTSIDE_LINK.search(mail.body)[1]

    def test_changes_asked_for_with_a_comment(
        self, draft, editor_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        link = self.sent(draft, editor_a, mailoutbox, django_capture_on_commit_callbacks)
        reviewer = client_for(host=HOST_A)
        page = reviewer.get(link)
        assert page.status_code == 200 and "no-store" in page["Cache-Control"]
        assert "Sleep after an infusion" in text(page)
        assert "Say what should change" in errors(reviewer.post(link, {"decision": "changes"}))
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            done = reviewer.post(link, {"decision": "changes", "comment": "Add the dose range."})
        assert "your decision is recorded" in text(done)
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT and draft.last_reviewed is None
        to_author = next(m for m in mailoutbox if m.to == ["editor@alpha.example"])
        assert "Add the dose range." in to_author.body
        # Decided is decided: the link shows the outcome and takes no second decision.
        again = reviewer.post(link, {"decision": "approve"})
        assert "Changes asked for" in text(again)
        assert MedicalReview.objects.across_brands().get().decision == Decision.CHANGES

    def test_the_link_opens_only_on_its_brands_site_and_only_for_two_weeks(
        self, draft, editor_a, brand_b, mailoutbox, django_capture_on_commit_callbacks
    ):
        link = self.sent(draft, editor_a, mailoutbox, django_capture_on_commit_callbacks)
        assert client_for(host=HOST_B).get(link).status_code == 410
        with time_machine.travel(timezone.now() + timedelta(days=15)):
            assert client_for(host=HOST_A).get(link).status_code == 410

    @pytest.mark.parametrize("token", ["forged", "<script>x</script>", "' OR 1=1 --", "é" * 300])
    def test_forged_links_open_nothing(self, brand_a, token):
        from urllib.parse import quote

        answer = client_for(host=HOST_A).get(f"/articles/medical-review/{quote(token)}/")
        assert answer.status_code in (404, 410)
        assert "<script>x" not in answer.content.decode()

    def test_a_text_changed_after_sending_cannot_be_approved(
        self, draft, editor_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        link = self.sent(draft, editor_a, mailoutbox, django_capture_on_commit_callbacks)
        draft.body = draft.body + "<p>One more line.</p>"
        draft.save()
        answer = client_for(host=HOST_A).post(link, {"decision": "approve"})
        assert "changed after it was sent" in text(answer)
        draft.refresh_from_db()
        assert draft.last_reviewed is None


class TestTheApprovalCoversTheText:
    def test_an_approved_text_changed_later_needs_a_new_approval(self, draft, doctor, editor_a):
        review.decide(review.send(draft, user=editor_a, clinician=doctor), approve=True)
        draft.refresh_from_db()
        draft.title = "Sleep after an infusion, revised"
        draft.save()
        with pytest.raises(ValidationError) as refusal:
            services.publish(draft, user=editor_a)
        assert "status" in refusal.value.message_dict

    def test_the_round_records_the_revision_it_was_sent(self, draft, doctor, editor_a):
        sent = review.send(draft, user=editor_a, clinician=doctor)
        assert sent.revision_id == draft.history.latest("history_id").history_id
        assert sent.covers(draft)

    def test_sending_again_withdraws_the_open_round(self, draft, doctor, editor_a, lee):
        first = review.send(draft, user=editor_a, clinician=doctor)
        review.send(draft, user=editor_a, outside=lee)
        first.refresh_from_db()
        assert first.decision == Decision.WITHDRAWN
        with pytest.raises(ValidationError):
            review.decide(first, approve=True)


class TestTheSendFormAnswersBadInput:
    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({}, "Choose a clinician or an outside reviewer."),
            ({"outside_reviewer": "999999"}, "Select a valid choice"),
            ({"outside_reviewer": "<script>alert(1)</script>"}, "Select a valid choice"),
            ({"clinician": "999999"}, "Select a valid choice"),
            ({"clinician": "' OR 1=1 --"}, "Select a valid choice"),
            ({"outside_name": "Me", "outside_email": "me@x.example"}, "Choose a clinician or"),
        ],
    )
    def test_it_says_what_is_wrong_and_sends_nothing(
        self, draft, editor_a, mailoutbox, fields, message
    ):
        answer = send_to(client_for(editor_a), draft, **fields)
        assert answer.status_code == 200
        assert message in errors(answer)
        assert "<script>alert" not in answer.content.decode()
        assert not MedicalReview.objects.across_brands().exists() and not mailoutbox

    def test_both_a_clinician_and_an_outside_reviewer_is_refused(
        self, draft, doctor, editor_a, lee
    ):
        answer = send_to(client_for(editor_a), draft, clinician=doctor.pk, outside_reviewer=lee.pk)
        assert "not both" in errors(answer)

    def test_a_hostile_name_on_the_list_is_kept_as_text(
        self, draft, editor_a, brand_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        hostile = OutsideReviewer.objects.create(
            brand=brand_a,
            name="<script>alert(1)</script> Lee",
            credentials="PhD",
            email="hostile@university.example",
        )
        with django_capture_on_commit_callbacks(execute=True):
            send_to(client_for(editor_a), draft, outside_reviewer=hostile.pk)
        page = client_for(editor_a).get(reverse("admin:articles_article_change", args=[draft.pk]))
        assert "<script>alert(1)</script>" not in page.content.decode()

    def test_another_brands_article_cannot_be_sent(self, brand_b, editor_a, lee):
        theirs = article(brand_b, slug="beta-piece", status=Status.DRAFT)
        answer = send_to(client_for(editor_a), theirs, outside_reviewer=lee.pk)
        assert answer.status_code == 404


class TestNobodyApprovesTheirOwnText:
    """Issue 29, item 3: an approval comes from someone other than the author and the
    person who sent the text."""

    def test_an_editor_cannot_name_themselves_an_outside_reviewer(
        self, draft, editor_a, mailoutbox
    ):
        # The old form took any name and address: the editor's own mailbox approved.
        answer = send_to(
            client_for(editor_a),
            draft,
            outside_name="Dr. Invented, MD",
            outside_email="editor@alpha.example",
        )
        assert answer.status_code == 200
        assert not MedicalReview.objects.across_brands().exists() and not mailoutbox

    def test_the_list_leaves_out_the_address_of_whoever_sends(self, draft, editor_a, brand_a):
        own = OutsideReviewer.objects.create(
            brand=brand_a, name="Ed Itor", credentials="MD", email="EDITOR@alpha.example"
        )
        page = client_for(editor_a).get(reverse(SEND, args=[draft.pk]))
        assert f'value="{own.pk}"' not in page.content.decode()
        assert "Select a valid choice" in errors(
            send_to(client_for(editor_a), draft, outside_reviewer=own.pk)
        )
        with pytest.raises(ValidationError):
            review.send(draft, user=editor_a, outside=own)

    def test_another_brands_list_is_not_offered(self, draft, editor_a, brand_b):
        theirs = OutsideReviewer.objects.create(
            brand=brand_b, name="Beta Reviewer", credentials="MD", email="b@beta.example"
        )
        assert "Select a valid choice" in errors(
            send_to(client_for(editor_a), draft, outside_reviewer=theirs.pk)
        )

    def test_a_clinician_cannot_send_their_own_change_to_themselves(self, draft, doctor):
        login = doctor.account
        draft.author = login
        draft.save()
        answer = send_to(client_for(login), draft, clinician=doctor.pk)
        assert "Select a valid choice" in errors(answer)
        with pytest.raises(ValidationError):
            review.send(draft, user=login, clinician=doctor)
        assert not MedicalReview.objects.across_brands().exists()

    def test_a_clinician_who_edited_the_text_cannot_be_sent_it(self, draft, doctor, editor_a):
        draft.body += "<p>A line the clinician added.</p>"
        draft._history_user = doctor.account
        draft.save()
        page = client_for(editor_a).get(reverse(SEND, args=[draft.pk]))
        assert "Dana Rivera" not in page.content.decode()
        with pytest.raises(ValidationError, match="did not write or send"):
            review.send(draft, user=editor_a, clinician=doctor)

    def test_the_decision_page_refuses_the_clinicians_own_change(self, draft, doctor, editor_a):
        sent = review.send(draft, user=editor_a, clinician=doctor)
        # The clinician edits the text after it was sent to them and asks again.
        MedicalReview.objects.filter(pk=sent.pk).update(requested_by=doctor.account)
        answer = client_for(doctor.account).post(
            reverse("admin:articles_article_review", args=[draft.pk, sent.pk]),
            {"decision": "approve"},
        )
        assert "another reviewer must approve it" in errors(answer)
        sent.refresh_from_db()
        assert sent.decision == Decision.PENDING


class TestTheOutsideReviewerList:
    def add(self, user, **fields):
        data = {
            "brand": fields.pop("brand"),
            "name": "Lee Park",
            "credentials": "PhD",
            "email": "lee@university.example",
            "is_active": "on",
            **fields,
        }
        return client_for(user).post(reverse("admin:articles_outsidereviewer_add"), data)

    def test_a_brand_admin_keeps_it(self, brand_admin_a, brand_a):
        assert self.add(brand_admin_a, brand=brand_a.pk).status_code == 302
        found = OutsideReviewer.objects.across_brands().get()
        assert (found.brand, found.credited_name) == (brand_a, "Lee Park, PhD")

    def test_an_editor_cannot_add_to_it(self, editor_a, brand_a):
        assert self.add(editor_a, brand=brand_a.pk).status_code == 403
        assert not OutsideReviewer.objects.across_brands().exists()

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"email": "not-an-address"}, "valid email"),
            ({"name": ""}, "This field is required"),
            ({"name": "N" * 81}, "at most 80"),
            ({"email": "LEE@university.example"}, "has a reviewer with this address already"),
        ],
    )
    def test_bad_input_gets_a_clear_message(self, brand_admin_a, brand_a, lee, fields, message):
        answer = self.add(brand_admin_a, brand=brand_a.pk, **fields)
        assert answer.status_code == 200
        assert message in errors(answer)
        assert OutsideReviewer.objects.across_brands().count() == 1
