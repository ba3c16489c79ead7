"""Uploaded images: served on one machine, and made through the storage API only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.conftest import client_for
from tests.factories import article


def png(width=1200, height=600) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 110, 120)).save(buffer, "PNG")
    return SimpleUploadedFile("hero.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def illustrated(brand_a):
    return article(brand_a, slug="piece", hero_image=png(), hero_alt="A teal banner.")


def test_uploaded_images_are_served_with_caching(illustrated):
    url = illustrated.hero_image.url
    response = client_for().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]
    assert client_for().head(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/",
        "/media/../manage.py",
        "/media/%2e%2e/manage.py",
        "/media/articles/",
        "/media/no-such.png",
        "/media/notes.txt",
        "/media/page.html",
        "/media/<script>.png",
    ],
)
def test_nothing_but_existing_images_is_served(illustrated, settings, path):
    (settings.MEDIA_ROOT / "notes.txt").write_text("not an image")
    (settings.MEDIA_ROOT / "page.html").write_text("<script>alert(1)</script>")
    assert client_for().get(path).status_code == 404


def test_uploads_are_refused_to_other_methods(illustrated):
    assert client_for().post(illustrated.hero_image.url).status_code == 405


def test_renditions_need_nothing_but_the_storage_api(brand_a, settings):
    """What object storage gives: no local paths. Django's in-memory storage has none."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    from django.core.files.storage import default_storage

    item = article(brand_a, slug="remote", hero_image=png(), hero_alt="A teal banner.")
    picture = item.hero_picture
    assert picture and picture["src"].startswith("/media/")
    webp = [name for _width, name in item.hero_renditions["webp"]]
    assert webp and all(name.endswith(".webp") for name in webp)
    assert all(default_storage.exists(name) for name in [item.hero_image.name, *webp])
