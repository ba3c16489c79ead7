"""Images inside article text: uploaded from the editor's picker, described, responsive."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles import body_images, richtext
from articles.models import Article, BodyImage, Status
from tests.articles.test_admin import change_url, errors, form_data
from tests.articles.test_images import jpeg_with_gps, png_bytes, upload
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import article

PREFIX = "/media/articles/body/"
PICK = "admin:articles_bodyimage_pick"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PAGE_CACHE_SECONDS = 0


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def uploaded(brand, alt="A lamp on a bedside table", size=(1000, 500)) -> BodyImage:
    return BodyImage.objects.create(
        brand=brand, image=upload("lamp.png", png_bytes(*size), "image/png"), alt_text=alt
    )


# The rules, without the database ---------------------------------------------------------


class TestRules:
    def test_an_image_from_elsewhere_and_one_without_description_are_named(self):
        text = (
            '<p>x</p><img src="https://tracker.example/pixel.png" alt="A pixel">'
            f'<img src="{PREFIX}2026/12/a.png" alt="  ">'
        )
        found = body_images.problems(text, PREFIX)
        assert len(found) == 2
        assert "image library" in found[0] and "Browse" in found[0]
        assert "Describe every image" in found[1]

    def test_our_described_images_and_text_without_images_pass(self):
        assert body_images.problems(f'<img src="{PREFIX}a.png" alt="Lamp">', PREFIX) == []
        assert body_images.problems("<p>No images here</p>", PREFIX) == []
        assert body_images.problems("", PREFIX) == []

    @pytest.mark.parametrize(
        "src",
        [
            f"{PREFIX}../../secret.png",
            "/media/articles/hero/a.png",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            f"https://evil.example{PREFIX}a.png",
            f"{PREFIX}a\\..\\b.png",
            # Issue 29, item 6: dot segments a browser decodes and resolves.
            f"{PREFIX}%2e%2e/%2e%2e/admin/logout/",
            f"{PREFIX}%2E%2E/secret.png",
            f"{PREFIX}2026/%2e/%2e%2e/%2e%2e/x.png",
            f"{PREFIX}%5c..%5csecret.png",
            f"{PREFIX}2026//a.png",
            f"{PREFIX}a.png?next=/admin/",
            f"{PREFIX}a.png#x",
            f"{PREFIX}a%00.png",
        ],
    )
    def test_any_other_address_is_not_ours(self, src):
        assert not body_images.is_ours(src, PREFIX)
        assert body_images.keep_attribute("img", "src", src, PREFIX) is None

    def test_sizes_must_be_numbers_and_layout_classes_go(self):
        assert body_images.keep_attribute("img", "width", "800", PREFIX) == "800"
        assert body_images.keep_attribute("img", "width", "100%", PREFIX) is None
        assert body_images.keep_attribute("img", "height", "0", PREFIX) is None
        assert body_images.keep_attribute("img", "data-file", "7", PREFIX) is None
        assert body_images.keep_attribute("figure", "class", "float-left", PREFIX) is None
        assert body_images.keep_attribute("a", "href", "https://x.example/", PREFIX) == (
            "https://x.example/"
        )

    def test_a_known_image_becomes_a_picture_with_its_renditions(self):
        picture = {
            "webp_srcset": "/m/a-480w.webp 480w, /m/a-800w.webp 800w",
            "srcset": "/m/a-480w.png 480w, /m/a-800w.png 800w",
            "src": "/m/a-800w.png",
            "width": 1000,
            "height": 500,
        }
        text = '<p>Before</p><img src="/m/a-800w.png" alt="A &quot;quiet&quot; room &amp; bed">'
        shown = BeautifulSoup(
            body_images.responsive(text, {"/m/a-800w.png": picture}), "html.parser"
        )
        image = shown.select_one("picture > img")
        assert shown.select_one("picture > source[type='image/webp']")["srcset"].endswith("800w")
        assert image["alt"] == 'A "quiet" room & bed'
        assert (image["width"], image["height"], image["loading"]) == ("1000", "500", "lazy")
        assert image["srcset"] == picture["srcset"]

    def test_an_unknown_image_keeps_its_plain_tag(self):
        text = '<img src="/m/gone.png" alt="Gone">'
        assert body_images.responsive(text, {}) == text

    def test_sources_are_listed_once_in_order(self):
        text = '<img src="/b.png" alt="b"><img src="/a.png" alt="a"><img src="/b.png" alt="b">'
        assert body_images.sources(text) == ["/b.png", "/a.png"]


class TestSanitiser:
    def test_an_image_from_elsewhere_is_removed_with_its_empty_frame(self):
        text = (
            "<p>Text</p><figure><img src='https://cdn.example/x.png' alt='x'>"
            "<figcaption>Caption</figcaption></figure>"
        )
        assert richtext.sanitize(text) == "<p>Text</p>"

    def test_our_image_keeps_its_description_and_caption_without_handlers(self):
        text = (
            f'<figure class="wide"><img src="{PREFIX}a.png" alt="A lamp" onerror="alert(1)" '
            f'width="640" data-file="3"><figcaption>A <b>lamp</b><script>x()</script>'
            "</figcaption></figure>"
        )
        assert richtext.sanitize(text) == (
            f'<figure><img src="{PREFIX}a.png" alt="A lamp" width="640">'
            "<figcaption>A lamp</figcaption></figure>"
        )


# The picker the editor's "Browse…" opens ----------------------------------------------------


def pick_url(**query) -> str:
    from urllib.parse import urlencode

    return reverse(PICK) + (f"?{urlencode(query)}" if query else "")


class TestPicker:
    def test_an_editor_uploads_a_described_image_and_it_is_handed_to_the_editor(
        self, editor_a, brand_a
    ):
        client = client_for(editor_a)
        page = client.get(pick_url(CKEditorFuncNum="-3"))  # as the editor numbers them
        assert page.status_code == 200
        assert soup_of(page).select_one("input[name=CKEditorFuncNum]")["value"] == "-3"

        response = client.post(
            pick_url(),
            {
                "CKEditorFuncNum": "3",
                "brand": brand_a.pk,
                "alt_text": "A lamp on a bedside table",
                "image": upload("lamp.jpg", jpeg_with_gps()),
            },
        )
        assert response.status_code == 200, errors(response)
        saved = BodyImage.objects.get()
        assert (saved.brand, saved.uploaded_by) == (brand_a, editor_a)
        assert saved.renditions["webp"] and saved.shown_name.startswith("articles/body/")
        with saved.image.open("rb") as handle:
            assert b"PhoneMaker" not in handle.read()  # the camera's details are gone
        picked = soup_of(response).select_one("[data-picked]")
        assert picked["data-src"] == saved.src == f"/media/{saved.shown_name}"
        assert picked["data-alt"] == "A lamp on a bedside table"
        assert soup_of(response).select_one("#image-picker")["data-callback"] == "3"

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"alt_text": ""}, "This field is required."),
            ({"alt_text": "x" * 251}, "at most 250 characters"),
            ({"image": None}, "This field is required."),
            ({"image": ("notes.png", b"MZ\x90\x00 not a picture")}, "Upload a valid image"),
            ({"image": ("drawing.svg", b"<svg onload='alert(1)'/>")}, "Upload a valid image"),
        ],
    )
    def test_bad_uploads_say_what_is_wrong_and_store_nothing(
        self, editor_a, brand_a, fields, message
    ):
        data = {"brand": brand_a.pk, "alt_text": "A lamp", "image": ("lamp.png", png_bytes())}
        data.update(fields)
        if data["image"] is None:
            del data["image"]
        else:
            data["image"] = upload(*data["image"], "image/png")
        response = client_for(editor_a).post(pick_url(), data)
        assert response.status_code == 200
        assert any(message in error for error in errors(response)), errors(response)
        assert "nothing was uploaded" in response.content.decode()
        assert not BodyImage.objects.exists()

    def test_a_hostile_description_is_kept_as_text(self, editor_a, brand_a):
        hostile = "<script>alert(1)</script> ' OR 1=1; -- 睡眠 🌙"
        response = client_for(editor_a).post(
            pick_url(),
            {
                "brand": brand_a.pk,
                "alt_text": hostile,
                "image": upload("a.png", png_bytes(), "image/png"),
            },
        )
        assert response.status_code == 200, errors(response)
        assert BodyImage.objects.get().alt_text == hostile
        assert "<script>alert(1)</script>" not in response.content.decode()
        assert soup_of(response).select_one("[data-picked]")["data-alt"] == hostile

    def test_nobody_uploads_into_another_clinic(self, editor_a, brand_a, brand_b):
        response = client_for(editor_a).post(
            pick_url(),
            {
                "brand": brand_b.pk,
                "alt_text": "A lamp",
                "image": upload("a.png", png_bytes(), "image/png"),
            },
        )
        assert "Select a valid choice" in " ".join(errors(response))
        assert not BodyImage.objects.exists()

    def test_the_library_shows_only_the_own_clinics_images_and_finds_by_description(
        self, editor_a, brand_a, brand_b
    ):
        uploaded(brand_a, alt="A lamp on a bedside table")
        uploaded(brand_a, alt="A sunrise over the bay")
        uploaded(brand_b, alt="The other clinic's waiting room")
        client = client_for(editor_a)
        listed = [s.get_text() for s in soup_of(client.get(pick_url())).select(".image-picker-alt")]
        assert sorted(listed) == ["A lamp on a bedside table", "A sunrise over the bay"]
        found = soup_of(client.get(pick_url(q="sunrise"))).select(".image-picker-alt")
        assert [s.get_text() for s in found] == ["A sunrise over the bay"]
        none = client.get(pick_url(q="<script>"))
        assert "No image is described with" in none.content.decode()
        assert "<script>" not in none.content.decode().split('id="library-heading"')[1]

    def test_a_group_admin_sees_each_images_clinic(self, group_admin, brand_a, brand_b):
        uploaded(brand_a)
        uploaded(brand_b)
        page = soup_of(client_for(group_admin).get(pick_url()))
        assert {s.get_text() for s in page.select(".image-picker-brand")} == {
            str(brand_a),
            str(brand_b),
        }

    def test_front_desk_may_not_open_it_and_garbage_callbacks_are_dropped(
        self, front_desk_a, editor_a
    ):
        assert client_for(front_desk_a).get(pick_url()).status_code == 403
        page = client_for(editor_a).get(pick_url(CKEditorFuncNum="1);alert(1)//"))
        assert soup_of(page).select_one("#image-picker")["data-callback"] == ""

    def test_the_editor_offers_browse_in_its_image_dialog(self, editor_a, brand_a):
        item = article(brand_a)
        page = client_for(editor_a).get(change_url(item))
        config = soup_of(page).select_one("textarea[name=body]")
        assert reverse(PICK) in config["data-django-prose-editor-configurable"]


# In the article -------------------------------------------------------------------------------


class TestInArticle:
    def test_an_image_from_elsewhere_is_refused_with_a_clear_message_and_nothing_is_lost(
        self, editor_a, brand_a
    ):
        item = article(brand_a, status=Status.DRAFT)
        before = item.body
        response = client_for(editor_a).post(
            change_url(item),
            form_data(
                brand_a,
                slug=item.slug,
                body='<p>New words</p><img src="https://tracker.example/p.gif" alt="pixel">',
            ),
        )
        assert response.status_code == 200
        assert any("image library" in error for error in errors(response))
        item.refresh_from_db()
        assert item.body == before
        # What the editor typed comes back to them, image and all.
        assert "New words" in soup_of(response).select_one("textarea[name=body]").get_text()

    def test_an_image_without_description_is_refused(self, editor_a, brand_a):
        image = uploaded(brand_a)
        item = article(brand_a, status=Status.DRAFT)
        response = client_for(editor_a).post(
            change_url(item),
            form_data(brand_a, slug=item.slug, body=f'<p>x</p><img src="{image.src}" alt="">'),
        )
        assert any("Describe every image" in error for error in errors(response))

    def test_the_page_shows_the_image_responsively_on_every_clinic_it_is_shared_with(
        self, brand_a, brand_b, django_assert_max_num_queries
    ):
        image = uploaded(brand_a, size=(1600, 800))
        body = (
            "<h2>Light</h2><p>Dim the lights.</p>"
            f'<figure><img src="{image.src}" alt="A lamp"><figcaption>Warm light at night'
            "</figcaption></figure>"
        )
        item = article(brand_a, brand_b, slug="evening-light", body=body)
        assert Article.objects.across_brands().get(pk=item.pk).body == body
        # The article page's 5 queries and one for the images; on the clinic it is shared
        # with, one more for the canonical clinic's address.
        for host, budget in ((HOST_A, 6), (HOST_B, 7)):
            client = client_for(host=host)
            client.get("/")  # warm the brand caches
            with django_assert_max_num_queries(budget):
                page = soup_of(client.get(item.get_absolute_url()))
            shown = page.select_one(".article-body figure picture img")
            assert shown["alt"] == "A lamp" and shown["loading"] == "lazy"
            assert (shown["width"], shown["height"]) == ("1600", "800")
            assert "480w" in shown["srcset"] and "1600w" in shown["srcset"]
            assert page.select_one(".article-body figure figcaption").get_text() == (
                "Warm light at night"
            )

    def test_an_article_without_images_costs_no_image_query(
        self, brand_a, django_assert_max_num_queries
    ):
        item = article(brand_a)
        client = client_for(host=HOST_A)
        client.get("/")
        with django_assert_max_num_queries(5):
            assert client.get(item.get_absolute_url()).status_code == 200

    def test_another_clinics_image_is_refused(self, editor_a, brand_a, brand_b):
        """Issue 29, item 6: any brand's library image was accepted in another's text."""
        theirs = uploaded(brand_b)
        item = article(brand_a, status=Status.DRAFT)
        before = item.body
        response = client_for(editor_a).post(
            change_url(item),
            form_data(
                brand_a,
                slug=item.slug,
                body=f'<p>Mine</p><img src="{theirs.src}" alt="Their lamp">',
            ),
        )
        assert response.status_code == 200
        assert any("another clinic's, or deleted" in error for error in errors(response))
        item.refresh_from_db()
        assert item.body == before
        # Nor does their library's "used in" learn this clinic's draft titles, even of a
        # text that holds their image from before this rule.
        article(
            brand_a,
            slug="secret-draft",
            status=Status.DRAFT,
            body=f'<img src="{theirs.src}" alt="x">',
        )
        page = client_for(staff_b_of(brand_b)).get(
            reverse("admin:articles_bodyimage_change", args=[theirs.pk])
        )
        assert "Secret draft" not in page.content.decode()
        assert "No article text shows this image yet." in page.content.decode()

    def test_a_shared_article_shows_its_canonical_clinics_images(self, editor_a, brand_a, brand_b):
        mine = uploaded(brand_a)
        item = article(brand_a, status=Status.DRAFT)
        response = client_for(editor_a).post(
            change_url(item),
            form_data(brand_a, slug=item.slug, body=f'<img src="{mine.src}" alt="A lamp">'),
        )
        assert response.status_code == 302, errors(response)

    def test_the_library_says_where_an_image_is_used(self, editor_a, brand_a):
        image = uploaded(brand_a)
        article(brand_a, slug="evening-light", body=f'<img src="{image.src}" alt="A lamp">')
        page = client_for(editor_a).get(reverse("admin:articles_bodyimage_change", args=[image.pk]))
        assert "Evening light" in page.content.decode()
        # The file itself stays: pages point at its renditions.
        assert soup_of(page).select_one("input[name=image]") is None


def staff_b_of(brand_b):
    from clinic.models import Role
    from tests.factories import staff

    return staff("beta_editor", (brand_b, Role.EDITOR))


def test_a_refused_form_keeps_the_text_with_its_images_and_the_hero(editor_a, brand_a):
    """Nothing typed is lost on a validation error: the text comes back with its images
    from the library, and the chosen hero image is kept for the next try."""
    image = uploaded(brand_a)
    body = (
        f'<p>Before the picture.</p><figure><img src="{image.src}" alt="{image.alt_text}">'
        "<figcaption>A lamp</figcaption></figure><p>After the picture.</p>"
    )
    refused = client_for(editor_a).post(
        reverse("admin:articles_article_add"),
        {
            **form_data(brand_a, title="", body=body),
            "hero_image": upload("bedroom.jpg", jpeg_with_gps()),
        },
    )
    assert refused.status_code == 200 and "This field is required." in errors(refused)
    textarea = soup_of(refused).find("textarea", attrs={"name": "body"})
    kept = textarea.get_text()
    assert image.src in kept and "After the picture." in kept and "A lamp" in kept
    assert "Kept from your last try" in refused.content.decode()
    assert not Article.objects.across_brands().exists()
