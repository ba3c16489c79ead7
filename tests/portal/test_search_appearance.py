"""What editors set for search results and link previews reaches the page's head and
the sitemap; their SEO panel previews it and warns about what search engines would do."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from care.models import Clinician, Treatment
from pages.models import Page
from tests.articles.test_images import jpeg_with_gps, upload
from tests.conftest import HOST_A, client_for
from tests.factories import article
from tests.sitemaps import sitemap_text


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PAGE_CACHE_SECONDS = 0


def head(path, host=HOST_A) -> BeautifulSoup:
    response = client_for(host=host).get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser")


def meta(soup, **attrs) -> str | None:
    found = soup.find("meta", attrs=attrs)
    return found["content"] if found else None


@pytest.fixture
def page(brand_a):
    return Page.objects.create(
        brand=brand_a,
        title="Costs and insurance",
        slug="costs",
        summary="What a session costs, what insurance pays and how to claim it back.",
        body="<p>Prices.</p>",
        is_published=True,
    )


def test_the_editors_title_description_and_picture_reach_the_head(page):
    page.seo_title = "Ketamine therapy prices and insurance"
    page.seo_description = "Per-session prices, packages, HSA and FSA cards, and superbills."
    page.social_image = upload("share.jpg", jpeg_with_gps(1200, 630))
    page.social_image_alt = "A calm waiting room"
    page.full_clean()
    page.save()
    soup = head("/costs/")
    assert soup.title.get_text() == "Ketamine therapy prices and insurance · Alpha Wellness"
    assert meta(soup, name="description").startswith("Per-session prices")
    image = meta(soup, property="og:image")
    assert "/media/social/" in image and meta(soup, property="og:image:alt") == (
        "A calm waiting room"
    )
    assert meta(soup, name="robots") is None


def test_empty_fields_fall_back_to_the_page_s_own_words_and_picture(page):
    soup = head("/costs/")
    assert soup.title.get_text() == "Costs and insurance · Alpha Wellness"
    assert meta(soup, name="description").startswith("What a session costs")
    assert meta(soup, property="og:image").endswith("/static/img/link-preview.png")
    assert meta(soup, property="og:image:alt") == "A pale sun over soft green hills"


def test_hidden_pages_say_so_and_leave_the_sitemap(page, brand_a):
    treatment = Treatment.objects.create(
        brand=brand_a, name="Spravato", slug="spravato", summary="Nasal spray.", is_published=True
    )
    assert "/costs/" in sitemap_text(HOST_A)
    page.noindex = treatment.noindex = True
    page.save()
    treatment.save()
    soup = head("/costs/")
    assert meta(soup, name="robots") == "noindex"
    assert meta(soup, property="og:title")  # still shared with a preview
    sitemap = sitemap_text(HOST_A)
    assert "/costs/" not in sitemap and "/treatments/spravato/" not in sitemap


def test_a_hidden_article_leaves_the_sitemap(brand_a):
    piece = article(brand_a, slug="campaign-piece", noindex=True)
    assert meta(head(piece.get_absolute_url()), name="robots") == "noindex"
    assert "campaign-piece" not in sitemap_text(HOST_A)


def test_a_clinician_page_shares_the_portrait(brand_a):
    person = Clinician.objects.create(
        name="Ada Byron",
        slug="ada-byron",
        credentials="MD",
        job_title="Psychiatrist",
        photo=upload("ada.jpg", jpeg_with_gps(800, 1000)),
        photo_alt="Dr. Byron smiling",
        is_published=True,
    )
    person.brands.set([brand_a])
    soup = head("/clinicians/ada-byron/")
    assert "/media/clinicians/" in meta(soup, property="og:image")


def test_a_link_preview_picture_needs_a_description(page):
    page.social_image = upload("share.jpg", jpeg_with_gps(1200, 630))
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "social_image_alt" in refused.value.message_dict


def test_a_link_preview_picture_loses_its_location(page):
    from PIL import Image

    page.social_image = upload("share.jpg", jpeg_with_gps(1200, 630))
    page.social_image_alt = "A calm waiting room"
    page.save()
    with Image.open(page.social_image.path) as stored:
        assert not stored.getexif().get(0x8825)


# The panel ----------------------------------------------------------------------------


def panel(user, url) -> BeautifulSoup:
    return BeautifulSoup(client_for(user).get(url).content, "html.parser").select_one(
        "#search-panel"
    )


def test_the_panel_previews_the_result_and_warns(brand_admin_a, page, brand_a):
    Page.objects.create(brand=brand_a, title="Prices", slug="prices", seo_title="Same title")
    page.seo_title = "Same title"
    page.summary = ""
    page.save()
    found = panel(brand_admin_a, reverse("admin:pages_page_change", args=[page.pk]))
    assert found.select_one("#search-snippet-title").get_text() == "Same title · Alpha Wellness"
    assert "http://brand-a.localhost/costs/" in found.get_text()
    problems = found.select_one(".search-problems").get_text()
    assert "same title" in problems and "No description" in problems


def test_the_panel_is_on_every_content_form(editor_a, brand_admin_a, brand_a, page):
    piece = article(brand_a, slug="a-piece")
    assert panel(editor_a, reverse("admin:articles_article_change", args=[piece.pk]))
    assert panel(brand_admin_a, reverse("admin:pages_page_change", args=[page.pk]))
    treatment = Treatment.objects.create(brand=brand_a, name="Infusions", slug="infusions")
    assert panel(brand_admin_a, reverse("admin:care_treatment_change", args=[treatment.pk]))
    person = Clinician.objects.create(name="Ada Byron", slug="ada-byron", job_title="MD")
    person.brands.set([brand_a])
    assert panel(brand_admin_a, reverse("admin:care_clinician_change", args=[person.pk]))


def test_hostile_seo_text_is_shown_as_text(brand_admin_a, page):
    page.seo_title = "<script>alert(1)</script>"
    page.save()
    html = client_for(brand_admin_a).get(reverse("admin:pages_page_change", args=[page.pk]))
    assert "<script>alert(1)</script>" not in html.content.decode()
    assert (
        "<script>alert(1)</script>" not in client_for(host=HOST_A).get("/costs/").content.decode()
    )


def test_every_shared_picture_is_described(brand_a):
    """A brand's logo stands in for a page without a picture: it says so; a picture
    nobody described is named by the brand."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import reference_location
    from tests.portal.test_media import png

    reference_location(brand_a)
    brand_a.logo = SimpleUploadedFile("logo.png", png(200, 80).read(), content_type="image/png")
    brand_a.save()
    soup = head("/locations/")
    assert "/media/" in meta(soup, property="og:image")
    assert meta(soup, property="og:image:alt") == "Logo of Alpha Wellness"
