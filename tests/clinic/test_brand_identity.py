"""A brand's identity: typeface, look, favicon, its own menu and footer links, and the
phone bar, all chosen in the admin."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from clinic.models import Brand
from pages.models import MenuLink
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import admin_data, reference_location

NY = ZoneInfo("America/New_York")


def get(path, host=HOST_A):
    return client_for(host=host).get(path)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def errors(response):
    return " ".join(li.get_text() for li in soup_of(response).select(".errorlist li"))


def png(width, height) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#0b5d7a").save(buffer, "PNG")
    return SimpleUploadedFile("icon.png", buffer.getvalue(), content_type="image/png")


class TestTypefaceAndLook:
    def test_a_chosen_typeface_is_served_by_the_site_itself(self, brand_a):
        brand_a.typeface = "classic"
        brand_a.save()
        home = soup_of(get("/"))
        theme_url = home.select_one("link[href^='/theme.css']")["href"]
        css = get(theme_url).content.decode()
        urls = re.findall(r'url\("([^"]+)"\)', css)
        assert sorted(urls) == [
            "/static/fonts/lora/400.woff2",
            "/static/fonts/lora/700.woff2",
            "/static/fonts/source-sans-3/400.woff2",
            "/static/fonts/source-sans-3/700.woff2",
        ]
        assert '--brand-font-heading: "Lora", "Lora fallback", Georgia' in css
        assert '--brand-font-text: "Source Sans 3", "Source Sans 3 fallback", system-ui' in css
        # The files a page sets its text and headings in are asked for with the page.
        preloads = [link["href"] for link in home.select("link[rel=preload][as=font]")]
        assert preloads == ["/static/fonts/source-sans-3/400.woff2", "/static/fonts/lora/700.woff2"]
        assert all(link.has_attr("crossorigin") for link in home.select("link[rel=preload]"))

    def test_until_the_fonts_arrive_a_local_font_holds_their_room(self, brand_a):
        """Each web font has a fallback face per weight: a font of the device, stretched
        to the web font's width and line height, so nothing moves when it swaps in."""
        brand_a.typeface = "classic"
        brand_a.save()
        css = get(soup_of(get("/")).select_one("link[href^='/theme.css']")["href"]).content
        faces = re.findall(r"@font-face \{(.*?)\}", css.decode(), re.S)
        fallbacks = {
            (
                re.search(r'font-family: "([^"]+)"', face)[1],
                re.search(r"font-weight: (\d+)", face)[1],
            ): face
            for face in faces
            if "local(" in face
        }
        assert sorted(fallbacks) == [
            ("Lora fallback", "400"),
            ("Lora fallback", "700"),
            ("Source Sans 3 fallback", "400"),
            ("Source Sans 3 fallback", "700"),
        ]
        lora = fallbacks[("Lora fallback", "400")]
        assert 'local("Times New Roman")' in lora and "size-adjust: 115.95%" in lora
        assert 'local("Liberation Sans Bold")' in fallbacks[("Source Sans 3 fallback", "700")]
        for face in fallbacks.values():
            for rule in ("size-adjust", "ascent-override", "descent-override", "line-gap-override"):
                assert rule in face
        # A web font that misses the first paint is not swapped in (text would reflow):
        # the page keeps the fallback, and the next page has the font from the cache.
        web_fonts = [face for face in faces if "local(" not in face]
        assert len(web_fonts) == 4
        assert all("font-display: optional;" in face for face in web_fonts)

    def test_the_device_s_own_typeface_downloads_nothing(self, brand_a):
        home = soup_of(get("/"))
        css = get(home.select_one("link[href^='/theme.css']")["href"])
        assert "@font-face" not in css.content.decode()
        assert home.select("link[rel=preload][as=font]") == []

    def test_changing_the_theme_changes_its_address(self, brand_a, brand_b):
        before = soup_of(get("/")).select_one("link[href^='/theme.css']")["href"]
        brand_a.look = "bold"
        brand_a.save()
        after = soup_of(get("/"))
        assert after.select_one("link[href^='/theme.css']")["href"] != before
        assert after.body["class"] == ["look-bold"]
        assert soup_of(get("/", HOST_B)).body["class"] == ["look-soft"]


class TestFavicon:
    def change(self, user, brand, **fields):
        data = {
            "name": brand.name,
            "tagline": brand.tagline,
            "primary_color": brand.primary_color,
            "accent_color": brand.accent_color,
            "typeface": "system",
            "look": "soft",
            "reply_hours": "4",
            "languages": ["en"],
            "country": "US",
            "privacy_notice_version": "1",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
        }
        data.update(fields)
        url = reverse("admin:clinic_brand_change", args=[brand.pk])
        return client_for(user).post(url, admin_data(Brand, data))

    def test_a_square_icon_is_used_and_a_crooked_one_refused(
        self, brand_a, brand_b, brand_admin_a, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        crooked = self.change(brand_admin_a, brand_a, favicon=png(64, 32))
        assert "An icon must be square; this image is 64 × 32 pixels." in errors(crooked)
        tiny = self.change(brand_admin_a, brand_a, favicon=png(16, 16))
        assert "at least 32 × 32 pixels" in errors(tiny)
        brand_a.refresh_from_db()
        assert not brand_a.favicon
        fine = self.change(brand_admin_a, brand_a, favicon=png(64, 64))
        assert fine.status_code == 302, errors(fine)
        brand_a.refresh_from_db()
        icon = soup_of(get("/")).select_one("link[rel=icon]")["href"]
        assert icon == brand_a.favicon.url
        assert get("/favicon.ico")["Location"] == brand_a.favicon.url
        assert get("/favicon.ico", HOST_B)["Location"].endswith(".svg")


class TestMenuAndFooterLinks:
    def add(self, user, **fields):
        data = {"brand": "", "place": "header", "label": "Careers", "link": "/careers/"}
        data.update(fields, order="0")
        return client_for(user).post(
            reverse("admin:pages_menulink_add"), admin_data(MenuLink, data)
        )

    def test_links_appear_where_staff_put_them_at_once(self, brand_a, editor_a):
        get("/")  # header and footer are cached now
        assert self.add(editor_a, brand=brand_a.pk).status_code == 302
        footer = self.add(
            editor_a,
            brand=brand_a.pk,
            place="footer",
            label="Patient portal",
            link="https://portal.example.org/",
        )
        assert footer.status_code == 302, errors(footer)
        soup = soup_of(get("/"))
        assert soup.select_one("#site-nav a[href='/careers/']").get_text() == "Careers"
        assert soup.select_one(".site-footer a[href='https://portal.example.org/']")
        assert "/careers/" not in get("/", HOST_B).content.decode()

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"link": "javascript:alert(1)"}, "starting with https://"),
            ({"link": "//evil.example/"}, "starting with https://"),
            ({"link": "data:text/html,hi"}, "starting with https://"),
            ({"label": ""}, "required"),
            ({"label": "x" * 61}, "at most 60"),
            ({"place": "sidebar"}, "Select a valid choice"),
        ],
    )
    def test_bad_links_are_refused(self, brand_a, editor_a, fields, message):
        response = self.add(editor_a, brand=brand_a.pk, **fields)
        assert response.status_code == 200 and message in errors(response)
        assert not MenuLink.objects.exists()

    def test_the_same_label_twice_in_one_place_is_refused(self, brand_a, editor_a):
        self.add(editor_a, brand=brand_a.pk)
        again = self.add(editor_a, brand=brand_a.pk, link="/other/")
        assert "already has a link with that label there" in errors(again)
        assert MenuLink.objects.get().link == "/careers/"


class TestPhoneBar:
    def test_call_while_open_and_always_a_consultation(self, brand_a):
        reference_location(brand_a)
        with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=NY), tick=False):
            bar = soup_of(get("/articles/")).select_one("nav.mobile-actions")
        links = [(a.get_text(" ", strip=True), a["href"]) for a in bar.select("a")]
        assert links[0][1].startswith("tel:+1")
        assert links[1] == ("Request a consultation", "/consultation/")
        with time_machine.travel(datetime(2026, 11, 23, 22, tzinfo=NY), tick=False):
            bar = soup_of(get("/articles/")).select_one("nav.mobile-actions")
        # Closed: no call into an empty clinic, the request stays.
        assert [a["href"] for a in bar.select("a")] == ["/consultation/"]
