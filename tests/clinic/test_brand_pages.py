"""Each brand's pages carry its own identity and load nothing from other hosts."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from portal.errors import server_error
from tests.conftest import HOST_A, HOST_B, client_for


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_home_page_shows_the_brands_identity(brand_a):
    brand_a.tagline = "Calm, careful care"
    brand_a.save()
    soup = soup_of(client_for(host=HOST_A).get("/"))
    assert soup.title.get_text() == "Calm, careful care · Alpha Wellness"  # the tagline
    assert soup.select_one(".site-banner").get_text(strip=True) == "Calm, careful care"
    assert soup.select_one(".navbar-brand").get_text(strip=True) == "Alpha Wellness"
    call = soup.select_one('nav a[href^="tel:"]')
    assert call["href"] == "tel:+13055550100"
    assert "Call us" in call.get_text()
    assert soup.select_one("footer").get_text().count("Alpha Wellness") >= 1
    assert soup.find("h1").get_text() == "Alpha Wellness"


def test_the_navigation_offers_the_patient_journeys(brand_a):
    soup = soup_of(client_for(host=HOST_A).get("/"))
    links = {a.get_text(strip=True): a["href"] for a in soup.select("nav a")}
    assert links["Articles"] == "/articles/"
    assert links["Locations"] == "/locations/"
    assert links["Request a consultation"] == "/consultation/"


def test_the_theme_carries_each_brands_colours(brand_a, brand_b):
    brand_b.primary_color = "#14532d"
    brand_b.save()
    soup = soup_of(client_for(host=HOST_B).get("/"))
    theme_href = soup.find("link", href=lambda h: h and h.startswith("/theme.css"))["href"]
    css = client_for(host=HOST_B).get(theme_href)
    assert css["Content-Type"].startswith("text/css")
    assert "--brand-primary: #14532d;" in css.content.decode()
    assert "max-age=31536000" in css["Cache-Control"]
    # A changed brand gets a new theme URL, so the long cache never serves old colours.
    brand_b.primary_color = "#0b5d7a"
    brand_b.save()
    new_href = soup_of(client_for(host=HOST_B).get("/")).find(
        "link", href=lambda h: h and h.startswith("/theme.css")
    )["href"]
    assert new_href != theme_href


def test_the_logo_is_shown_when_uploaded(brand_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
        b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    brand_a.logo = SimpleUploadedFile("logo.gif", gif, content_type="image/gif")
    brand_a.save()
    img = soup_of(client_for(host=HOST_A).get("/")).select_one(".navbar-brand img")
    assert img["src"].startswith("/media/brands/logos/")


def test_a_brand_without_phone_shows_no_call_link(brand_a):
    brand_a.phone = ""
    brand_a.save()
    soup = soup_of(client_for(host=HOST_A).get("/"))
    assert soup.select('a[href^="tel:"]') == []


def test_the_privacy_notice_is_linked_from_the_footer_and_escaped(brand_a):
    brand_a.privacy_notice = "We keep <b>little</b>.<script>alert(1)</script>"
    brand_a.privacy_notice_version = "2026-11"
    brand_a.save()
    home = soup_of(client_for(host=HOST_A).get("/"))
    href = home.select_one("footer").find("a", string="Privacy notice")["href"]
    page = client_for(host=HOST_A).get(href)
    soup = soup_of(page)
    assert soup.find("script", string=lambda s: s and "alert" in s) is None
    assert "<script>alert(1)</script>" in soup.select_one(".privacy-notice").get_text()
    assert "Version 2026-11" in soup.get_text()


def test_the_404_page_is_branded(brand_a):
    response = client_for(host=HOST_A).get("/no-such-page/")
    assert response.status_code == 404
    soup = soup_of(response)
    assert soup.title.get_text() == "Page not found · Alpha Wellness"
    assert soup.find("a", string="Go to the Alpha Wellness home page")["href"] == "/"


def test_the_500_page_is_branded_without_touching_the_database(brand_a, django_assert_num_queries):
    request = RequestFactory().get("/", HTTP_HOST=HOST_A)
    request.brand = brand_a
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    soup = soup_of(response)
    assert soup.title.get_text() == "Something went wrong · Alpha Wellness"
    assert soup.select_one('a[href^="tel:"]')["href"] == "tel:+13055550100"


@pytest.mark.parametrize("path", ["/", "/privacy/", "/no-such-page/"])
def test_public_pages_load_nothing_from_other_hosts(brand_a, path):
    soup = soup_of(client_for(host=HOST_A).get(path))
    for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for element in soup.find_all(tag):
            url = element.get(attribute)
            if tag == "link" and {"canonical", "alternate"} & set(element.get("rel", [])):
                continue  # they name this page's addresses; they load nothing
            if url:
                assert not urlsplit(url).netloc, f"{tag} loads {url}"
                assert not url.startswith("//")
    assert soup.find("iframe") is None


def test_every_page_has_a_skip_link_landmarks_and_one_h1(brand_a):
    soup = soup_of(client_for(host=HOST_A).get("/"))
    skip = soup.find("a", class_="skip-link")
    assert skip["href"] == "#main" and soup.find("main", id="main")
    assert soup.find("header") and soup.find("footer") and soup.find("nav")
    assert len(soup.find_all("h1")) == 1
    assert soup.html["lang"] == "en"


def test_every_brand_and_the_back_office_have_a_favicon(brand_a, editor_a):
    from bs4 import BeautifulSoup

    response = client_for(host=HOST_A).get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")
    assert client_for(host=HOST_A).get(response["Location"]).status_code == 200
    for client, path in ((client_for(), "/"), (client_for(editor_a), "/admin/")):
        page = BeautifulSoup(client.get(path).content, "html.parser")
        assert page.find("link", rel="icon")["href"].endswith("favicon.svg"), path


def test_the_logo_is_sized_so_the_header_never_moves(brand_a, settings, tmp_path):
    """Its width and height are in the page (40 pixels high, the width in proportion),
    so the browser keeps its place before the file arrives."""
    from tests.portal.test_media import png

    settings.MEDIA_ROOT = tmp_path
    brand_a.logo = SimpleUploadedFile("wide.png", png(300, 100).read(), content_type="image/png")
    brand_a.save()
    brand_a.refresh_from_db()
    assert (brand_a.logo_width, brand_a.logo_height) == (300, 100)
    page = soup_of(client_for(host=HOST_A).get("/"))
    img = page.select_one(".navbar-brand img")
    assert (img["width"], img["height"]) == ("120", "40")
    # Chromium lays out a loading picture with an empty alt as nothing: the box around
    # it holds the room, sized by the brand's theme (whose address changes with it).
    assert img.parent["class"] == ["site-logo-box"]
    theme = client_for(host=HOST_A).get(page.select_one("link[href^='/theme.css']")["href"])
    assert ".site-logo-box { width: 120px; }" in theme.content.decode()


def test_a_logo_whose_file_is_gone_breaks_no_page(brand_a, settings, tmp_path):
    """Its size unknown, the logo keeps its height only; nothing reads the file when a
    brand is loaded (a lost media folder must not take the site down)."""
    settings.MEDIA_ROOT = tmp_path
    from clinic.models import Brand

    Brand.objects.filter(pk=brand_a.pk).update(logo="brands/logos/lost.png")
    loaded = Brand.objects.get(pk=brand_a.pk)
    assert loaded.logo_header_width is None
    img = soup_of(client_for(host=HOST_A).get("/")).select_one(".navbar-brand img")
    assert img["height"] == "40" and not img.has_attr("width")
    loaded.save()  # measured again on a save; still unreadable: still unknown
    assert Brand.objects.get(pk=brand_a.pk).logo_width is None
