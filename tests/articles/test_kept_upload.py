"""A chosen hero image survives a form that came back with errors (portal/kept_uploads)."""

import os
from datetime import timedelta

import time_machine
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.utils import timezone

from articles.models import Article
from portal import kept_uploads
from tests.articles.test_admin import add_url, errors, form_data
from tests.articles.test_images import jpeg_with_gps, upload
from tests.conftest import client_for


def kept_token(response) -> str:
    field = BeautifulSoup(response.content, "html.parser").select_one("input[name=kept_hero]")
    return field["value"] if field and field.has_attr("value") else ""


def kept_files() -> list[str]:
    try:
        return default_storage.listdir(kept_uploads.FOLDER)[1]
    except FileNotFoundError:
        return []


def test_the_image_is_kept_and_saved_once_the_rest_is_right(editor_a, brand_a):
    client = client_for(editor_a)
    refused = client.post(
        add_url(),
        {**form_data(brand_a, title=""), "hero_image": upload("bedroom.jpg", jpeg_with_gps())},
    )
    assert refused.status_code == 200 and "This field is required." in errors(refused)
    assert "Kept from your last try" in refused.content.decode()
    assert "bedroom.jpg" in refused.content.decode()
    token = kept_token(refused)
    assert token and len(kept_files()) == 1

    saved = client.post(
        add_url(),
        form_data(brand_a, title="Sleep and mood", hero_alt="A quiet bedroom", kept_hero=token),
    )
    assert saved.status_code == 302, errors(saved)
    article = Article.objects.get()
    assert article.hero_image.name.startswith("articles/hero/")
    assert article.hero_renditions["webp"]
    assert kept_files() == []  # the kept copy is gone once saved


def test_a_bad_image_is_not_kept(editor_a, brand_a):
    response = client_for(editor_a).post(
        add_url(), {**form_data(brand_a, title=""), "hero_image": upload("x.jpg", b"not an image")}
    )
    assert not kept_token(response) and kept_files() == []


def test_another_member_of_staff_cannot_use_the_token(editor_a, brand_admin_a, brand_a):
    refused = client_for(editor_a).post(
        add_url(), {**form_data(brand_a, title=""), "hero_image": upload("a.jpg", jpeg_with_gps())}
    )
    other = client_for(brand_admin_a).post(
        add_url(), form_data(brand_a, hero_alt="x", kept_hero=kept_token(refused))
    )
    assert other.status_code == 302
    assert not Article.objects.get().hero_image


def test_forged_and_old_tokens_are_ignored(editor_a, brand_a):
    client = client_for(editor_a)
    for token in ["forged", "<script>x</script>", "' OR 1=1 --", "ü" * 2000]:
        answer = client.post(add_url(), form_data(brand_a, slug=f"s{len(token)}", kept_hero=token))
        assert answer.status_code == 302, errors(answer)
    refused = client.post(
        add_url(), {**form_data(brand_a, title=""), "hero_image": upload("a.jpg", jpeg_with_gps())}
    )
    token = kept_token(refused)
    assert kept_uploads.bring_back(token, user_id=editor_a.pk, field="hero_image")
    assert kept_uploads.bring_back(token, user_id=editor_a.pk, field="photo") is None
    with time_machine.travel(timezone.now() + timedelta(days=2)):  # a day is the limit
        assert kept_uploads.bring_back(token, user_id=editor_a.pk, field="hero_image") is None


def test_files_nobody_came_back_for_are_removed(editor_a, brand_a):
    client_for(editor_a).post(
        add_url(), {**form_data(brand_a, title=""), "hero_image": upload("a.jpg", jpeg_with_gps())}
    )
    # The file's age is the file system's, which a moved test clock (--clock) does not
    # move: date it to the test's own now, as it would be in production.
    for name in kept_files():
        stamp = timezone.now().timestamp()
        os.utime(default_storage.path(f"{kept_uploads.FOLDER}/{name}"), (stamp, stamp))
    assert kept_uploads.remove_stale() == 0
    assert kept_uploads.remove_stale(timezone.now() + timedelta(days=2)) == 1
    assert kept_files() == []


def test_the_purge_command_says_how_many_it_removed(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("purge_kept_uploads", stdout=out)
    assert "0 kept upload(s) removed." in out.getvalue()
