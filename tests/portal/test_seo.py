"""Search and social metadata on every page of both demo brands."""

import json

import pytest
from bs4 import BeautifulSoup

from portal import seo
from tests.conftest import client_for


class TestFitting:
    def test_a_long_title_keeps_every_word_and_the_brand_gives_way(self):
        question = "Can ketamine infusion therapy help treat PTSD and anxiety?"
        assert seo.fit_title(question, "K\\MD Wellness") == question  # no room: no brand
        shorter = "Can ketamine infusion therapy help treat PTSD?"
        assert seo.fit_title(shorter, "Ignite Wellness Clinic") == f"{shorter} · Ignite"
        whole = "Ketamine for chronic pain"
        assert seo.fit_title(whole, "Ignite Wellness Clinic") == (
            "Ketamine for chronic pain · Ignite Wellness Clinic"
        )
        longer_than_sixty = "word " * 20
        assert seo.fit_title(longer_than_sixty, "Ignite") == longer_than_sixty.strip()

    def test_the_shorter_names_of_a_brand_drop_words_from_the_end(self):
        assert seo.shorter_names("Ignite Wellness Clinic") == [
            "Ignite Wellness Clinic",
            "Ignite Wellness",
            "Ignite",
        ]
        assert seo.shorter_names("") == []

    def test_the_home_page_title_is_the_brand_with_its_tagline_where_it_fits(self):
        assert seo.home_title("Ignite", "Ketamine care, close to home") == (
            "Ketamine care, close to home · Ignite"
        )
        assert seo.home_title("Alpha", "Alpha: care close to home") == "Alpha: care close to home"
        long_tagline = "Medically supervised ketamine care for depression, PTSD and sleep."
        assert seo.home_title("Ignite Wellness Clinic", long_tagline) == "Ignite Wellness Clinic"
        assert seo.home_title("Ignite", "") == "Ignite"

    def test_editors_are_told_what_search_engines_will_do(self):
        assert seo.title_problems("Short title", "Ignite") == []
        assert "longer than 60" in seo.title_problems("word " * 20, "Ignite")[0]
        assert "shortened or not at all" in seo.title_problems("w" * 55, "Ignite Wellness")[0]
        assert "No description" in seo.description_problems("  ")[0]
        assert "short" in seo.description_problems("Too short.")[0]
        assert "cut" in seo.description_problems("x" * 161)[0]
        assert seo.description_problems("x" * 100) == []

    def test_a_short_title_is_left_alone(self):
        assert seo.fit_title("Locations", "Ignite") == "Locations · Ignite"

    def test_a_form_with_errors_says_so_first(self):
        assert seo.fit_title("Request a consultation", "Ignite", error=True) == (
            "Error: Request a consultation · Ignite"
        )

    @pytest.mark.parametrize("text", ["", "Short.", "x" * 30])
    def test_short_descriptions_are_completed(self, text):
        fitted = seo.fit_description(text, "Ignite Wellness Clinic")
        assert 50 <= len(fitted) <= 160 and fitted.startswith(text)

    def test_long_descriptions_are_cut_at_a_word(self):
        fitted = seo.fit_description("word " * 60, "Ignite")
        assert len(fitted) <= 160 and fitted.endswith("word…")

    def test_canonical_paths_keep_only_a_real_page_number(self):
        assert seo.canonical_path("/articles/", "3") == "/articles/?page=3"
        assert seo.canonical_path("/articles/", "1") == "/articles/"
        assert seo.canonical_path("/articles/", "<x>") == "/articles/"


def test_the_organization_carries_the_logo_when_there_is_one(brand_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.portal.test_media import png

    upload = png(200, 80)
    brand_a.logo = SimpleUploadedFile("logo.png", upload.read(), content_type="image/png")
    brand_a.save()
    soup = BeautifulSoup(client_for().get("/").content, "html.parser")
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["logo"].startswith("http://brand-a.localhost/media/")
    assert soup.find("meta", property="og:image")["content"] == data["logo"]


@pytest.mark.parametrize(
    "path", ["/articles/search/?q=sleep", "/consultation/thanks/", "/no-such-page/"]
)
def test_pages_not_for_search_engines_say_so(brand_a, path):
    soup = BeautifulSoup(client_for().get(path).content, "html.parser")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert soup.find("link", rel="canonical") is None


def test_a_form_with_errors_starts_its_title_with_error(brand_a):
    from tests.factories import reference_location

    reference_location(brand_a)
    soup = BeautifulSoup(client_for().post("/consultation/", {}).content, "html.parser")
    assert soup.title.get_text().startswith("Error: Request a consultation")
