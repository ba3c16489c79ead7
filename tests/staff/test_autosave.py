"""Autosave of content forms (staff/autosave.py): one draft per person and form, offered
back after a crash, removed by a save; garbage refused; nothing of a patient's kept."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Status
from staff.models import FormDraft
from tests.articles.test_admin import change_url, content_of, errors, form_data
from tests.conftest import client_for
from tests.factories import article, staff


@pytest.fixture
def draft_article(brand_a, editor_a):
    return article(
        brand_a, slug="draft-piece", title="Draft piece", status=Status.DRAFT, author=editor_a
    )


def autosave_url(item) -> str:
    return reverse("admin:articles_article_autosave", args=[item.pk])


def typed(**fields) -> dict:
    return {"fields": json.dumps(fields)}


def offered(client, item) -> dict | None:
    page = BeautifulSoup(client.get(change_url(item)).content, "html.parser")
    found = page.find("script", id="autosave-draft")
    return json.loads(found.string) if found else None


def test_what_is_typed_is_kept_and_offered_back(editor_a, draft_article):
    client = client_for(editor_a)
    revisions = draft_article.history.count()
    answer = client.post(
        autosave_url(draft_article),
        typed(title="Draft piece, longer", body="<p>Half a thought</p>", topics=["1", "2"]),
    )
    assert answer.status_code == 200 and "saved_at" in answer.json()
    again = client.post(autosave_url(draft_article), typed(title="Draft piece, longest"))
    assert again.status_code == 200
    assert FormDraft.objects.count() == 1  # overwritten, never a revision
    assert draft_article.history.count() == revisions
    assert offered(client, draft_article) == {"title": "Draft piece, longest"}


def test_saving_the_form_removes_the_draft(editor_a, brand_a, draft_article):
    client = client_for(editor_a)
    client.post(autosave_url(draft_article), typed(title="Typed, then saved"))
    saved = client.post(
        change_url(draft_article),
        form_data(brand_a, **{**content_of(draft_article), "slug": draft_article.slug}),
    )
    assert saved.status_code == 302, errors(saved)
    assert not FormDraft.objects.exists()
    assert offered(client, draft_article) is None


def test_a_draft_older_than_the_last_save_is_not_offered(editor_a, draft_article):
    client = client_for(editor_a)
    with time_machine.travel(timezone.now() - timedelta(hours=1)):
        client.post(autosave_url(draft_article), typed(title="Old typing"))
    draft_article.save()  # someone saved since
    assert offered(client, draft_article) is None


def test_the_draft_is_the_typist_s_own(editor_a, brand_a, draft_article):
    client_for(editor_a).post(autosave_url(draft_article), typed(title="Mine"))
    colleague = client_for(staff("ed2", (brand_a, "editor")))
    assert offered(colleague, draft_article) is None


def test_a_new_article_s_draft_is_kept_under_add(editor_a):
    client = client_for(editor_a)
    url = reverse("admin:articles_article_autosave_add")
    assert client.post(url, typed(title="Not saved yet")).status_code == 200
    page = BeautifulSoup(client.get(reverse("admin:articles_article_add")).content, "html.parser")
    assert json.loads(page.find("script", id="autosave-draft").string) == {"title": "Not saved yet"}


def test_discard_removes_it(editor_a, draft_article):
    client = client_for(editor_a)
    client.post(autosave_url(draft_article), typed(title="Unwanted"))
    assert client.post(autosave_url(draft_article), {"discard": "1"}).status_code == 200
    assert not FormDraft.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"fields": "not json"},
        {"fields": "[1, 2]"},
        {"fields": json.dumps({"title": {"nested": "object"}})},
        {"fields": json.dumps({"title": [1, 2]})},
        {"fields": json.dumps({f"f{n}": "x" for n in range(500)})},
        {},
    ],
)
def test_garbage_is_refused_and_keeps_nothing(editor_a, draft_article, body):
    answer = client_for(editor_a).post(autosave_url(draft_article), body)
    assert answer.status_code == 400
    assert not FormDraft.objects.exists()


def test_too_much_is_refused(editor_a, draft_article):
    huge = typed(body="<p>" + "word " * 120_000 + "</p>")
    assert client_for(editor_a).post(autosave_url(draft_article), huge).status_code == 400
    assert not FormDraft.objects.exists()


def test_hostile_text_is_kept_as_text_and_shown_inertly(editor_a, draft_article):
    client = client_for(editor_a)
    hostile = "</script><script>alert(1)</script> ' OR 1=1; -- ✓"
    client.post(autosave_url(draft_article), typed(title=hostile))
    page = client.get(change_url(draft_article)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert offered(client, draft_article) == {"title": hostile}


def test_only_by_post_and_only_where_the_user_may_edit(editor_a, staff_b, draft_article):
    assert client_for(editor_a).get(autosave_url(draft_article)).status_code == 405
    answer = client_for(staff_b).post(autosave_url(draft_article), typed(title="Theirs"))
    assert answer.status_code in (403, 404)
    assert not FormDraft.objects.exists()


def test_the_inbox_never_autosaves(front_desk_a):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("admin:appointments_consultationrequest_autosave", args=[1])


def test_forgotten_drafts_are_purged(editor_a, draft_article):
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        client_for(editor_a).post(autosave_url(draft_article), typed(title="Forgotten"))
    out = StringIO()
    call_command("purge_form_drafts", stdout=out)
    assert "1 unsaved form draft(s) removed." in out.getvalue()
    assert not FormDraft.objects.exists()
