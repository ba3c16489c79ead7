"""Hero images: only real raster images get in, without metadata, with renditions."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.images import validate_image
from tests.factories import article


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_gps(width=2000, height=1000) -> bytes:
    image = Image.new("RGB", (width, height), (30, 90, 140))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (25.0, 46.0, 0.0), 3: "W", 4: (80.0, 11.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_bytes(width=10, height=10) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims huge dimensions (a decompression bomb)."""
    data = bytearray(png_bytes())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refused(file) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_image(file)
    return caught.value.messages[0]


def test_an_accepted_image_loses_its_exif_and_gets_renditions(brand_a):
    item = article(brand_a)
    item.hero_image = upload("photo.jpg", jpeg_with_gps())
    item.hero_alt = "A calm waiting room"
    item.save()
    with Image.open(item.hero_image.path) as stored:
        assert not stored.getexif()
        assert stored.size == (2000, 1000)
    renditions = item.hero_renditions
    assert [w for w, _ in renditions["fallback"]] == [480, 800, 1200, 1600, 2000]
    assert [w for w, _ in renditions["webp"]] == [480, 800, 1200, 1600, 2000]
    for width, name in renditions["webp"]:
        with Image.open(item.hero_image.storage.path(name)) as copy:
            assert copy.format == "WEBP" and copy.width == width
            assert not copy.getexif()
    picture = item.hero_picture
    assert picture["width"] == 2000 and picture["height"] == 1000
    assert "480w" in picture["srcset"] and picture["webp_srcset"].count("w,") == 4


def test_renditions_are_made_once(brand_a, django_capture_on_commit_callbacks):
    item = article(brand_a)
    item.hero_image = upload("photo.jpg", jpeg_with_gps(900, 600))
    item.hero_alt = "x"
    item.save()
    first = dict(item.hero_renditions)
    item.title = "Edited title"
    item.save()
    assert item.hero_renditions == first


def test_a_small_image_is_not_upscaled(brand_a):
    item = article(brand_a)
    item.hero_image = upload("small.png", png_bytes(300, 200), "image/png")
    item.hero_alt = "x"
    item.save()
    assert [w for w, _ in item.hero_renditions["fallback"]] == [300]


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("notes.jpg", b"this is plain text, not an image"), "not an image we can read"),
        (upload("cut.jpg", jpeg_with_gps()[:2000]), "damaged or incomplete"),
        (
            upload(
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                "image/svg+xml",
            ),
            "not an image we can read",
        ),
        (upload("photo.jpg", png_bytes(), "image/jpeg"), "ends in “.jpg” but the file is a PNG"),
        (upload("photo.png.exe", png_bytes(), "image/png"), "ends in “.exe”"),
        (upload("huge.png", png_claiming(7000, 7000), "image/png"), "at most 40 megapixels"),
        (upload("bomb.png", png_claiming(40000, 40000), "image/png"), "far too many pixels"),
        (upload("wide.png", png_claiming(20000, 100), "image/png"), "12,000 pixels a side"),
        (upload("big.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024)), "larger than 10 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(file, message):
    assert message in refused(file)


def test_a_tiff_is_refused_as_an_unsupported_format():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "TIFF")
    assert "Upload a JPEG, PNG, WebP or GIF" in refused(upload("scan.tif", buffer.getvalue()))


def test_a_gif_is_stored_as_png(brand_a):
    buffer = io.BytesIO()
    Image.new("P", (50, 40)).save(buffer, "GIF")
    item = article(brand_a)
    item.hero_image = upload("anim.gif", buffer.getvalue(), "image/gif")
    item.hero_alt = "x"
    item.save()
    assert item.hero_image.name.endswith(".png")


def test_a_brand_logo_is_checked_and_stripped_like_any_upload(brand_admin_a, brand_a):
    from django.urls import reverse

    from tests.conftest import client_for

    svg = upload("logo.svg", b'<svg onload="alert(1)"></svg>', "image/svg+xml")
    data = {
        "name": brand_a.name,
        "tagline": "",
        "primary_color": "#1f5f8b",
        "typeface": "system",
        "look": "soft",
        "reply_hours": "4",
        "languages": ["en"],
        "accent_color": "#9a3412",
        "phone": "+13055550100",
        "country": "US",
        "privacy_notice_version": "1",
        "domains-TOTAL_FORMS": "1",
        "domains-INITIAL_FORMS": "1",
        "domains-0-id": str(brand_a.domains.get().pk),
        "domains-0-brand": str(brand_a.pk),
    }
    url = reverse("admin:clinic_brand_change", args=[brand_a.pk])
    refused = client_for(brand_admin_a).post(url, {**data, "logo": svg})
    assert (
        "not an image we can read" in refused.content.decode()
        or "Upload a valid image" in refused.content.decode()
    )
    brand_a.refresh_from_db()
    assert not brand_a.logo
    accepted = client_for(brand_admin_a).post(
        url, {**data, "logo": upload("logo.jpg", jpeg_with_gps(200, 100))}
    )
    assert accepted.status_code == 302
    brand_a.refresh_from_db()
    with Image.open(brand_a.logo.path) as stored:
        assert not stored.getexif()
