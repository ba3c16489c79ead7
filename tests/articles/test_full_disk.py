"""A full disk is a clear message in the admin, and leaves no partial files behind."""

import errno
import os

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from articles.models import Article, BodyImage
from tests.articles.test_admin import change_url, form_data
from tests.articles.test_images import jpeg_with_gps, upload
from tests.conftest import client_for
from tests.factories import article


@pytest.fixture
def disk_fills_up(settings, tmp_path, monkeypatch):
    """The disk takes two files, then the third is cut off half-written."""
    settings.MEDIA_ROOT = tmp_path
    real_save = FileSystemStorage._save
    calls = {"n": 0}

    def save(self, name, content):
        calls["n"] += 1
        if calls["n"] <= 2:
            return real_save(self, name, content)
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as partial:
            partial.write(content.read()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return tmp_path


def files_under(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def test_a_hero_upload_on_a_full_disk_says_so_and_leaves_nothing(editor_a, brand_a, disk_fills_up):
    item = article(brand_a, slug="sleep-and-mood", title="Sleep and mood")
    before = Article.objects.across_brands().get(pk=item.pk).summary
    client = client_for(editor_a)
    data = form_data(brand_a, slug=item.slug, summary="A changed summary.", status=item.status)
    data["hero_image"] = upload("bedroom.jpg", jpeg_with_gps())
    data["hero_alt"] = "A bedroom"
    response = client.post(change_url(item), data)
    assert response.status_code == 302  # back to the form, in the admin
    page = client.get(response["Location"])
    assert page.status_code == 200
    message = BeautifulSoup(page.content, "html.parser").select_one(".messagelist .error")
    assert "storage is full" in message.get_text()
    assert files_under(disk_fills_up) == []  # no original, no half-written rendition
    saved = Article.objects.across_brands().get(pk=item.pk)
    assert saved.summary == before and not saved.hero_image  # the save was rolled back


def test_an_image_for_the_text_on_a_full_disk_is_a_form_error(editor_a, brand_a, disk_fills_up):
    response = client_for(editor_a).post(
        reverse("admin:articles_bodyimage_pick"),
        {"brand": brand_a.pk, "alt_text": "A lamp", "image": upload("lamp.jpg", jpeg_with_gps())},
    )
    assert response.status_code == 200
    assert "storage is full" in response.content.decode()
    assert not BodyImage.objects.exists() and files_under(disk_fills_up) == []
