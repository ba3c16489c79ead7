"""Search and social metadata on every page of both demo brands."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from articles.models import Article, Topic
from clinic.models import Brand, Location
from portal import seo
from tests.conftest import client_for


class TestFitting:
    def test_a_title_keeps_the_brand_within_sixty_characters(self):
        title = seo.fit_title("Can ketamine infusion therapy help treat PTSD and anxiety?", "K\\MD")
        assert len(title) <= 60 and title.endswith(" · K\\MD") and "…" in title

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


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def indexable_pages(slug):
    article = Article.objects.live().filter(canonical_brand__slug=slug, language="en").first()
    topic = Topic.objects.filter(articles=article).first()
    location = Location.objects.filter(brand__slug=slug).first()
    return [
        "/",
        "/articles/",
        f"/articles/topic/{topic.slug}/",
        f"/articles/{article.slug}/",
        "/locations/",
        f"/locations/{location.slug}/",
        "/consultation/",
        "/privacy/",
    ]


def ld_types(soup):
    return [
        json.loads(tag.string)["@type"] for tag in soup.select('script[type="application/ld+json"]')
    ]


@pytest.mark.parametrize("slug", ["ignite", "kmd"])
def test_every_indexable_page_has_complete_metadata(demo, slug):
    brand = Brand.objects.get(slug=slug)
    client = client_for(host=f"{slug}.localhost")
    for path in indexable_pages(slug):
        soup = BeautifulSoup(client.get(path).content, "html.parser")
        title = soup.title.get_text()
        assert len(title) <= 60 and title.endswith(brand.name), (path, title)
        description = soup.find("meta", attrs={"name": "description"})["content"]
        assert 50 <= len(description) <= 160, (path, description)
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical.startswith("http://") and canonical.endswith(path), (path, canonical)
        for name in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert soup.find("meta", property=name)["content"], (path, name)
        assert soup.find("meta", attrs={"name": "twitter:card"}), path
        assert soup.find("meta", attrs={"name": "robots"}) is None, path


@pytest.mark.parametrize("slug", ["ignite", "kmd"])
def test_structured_data_where_it_belongs(demo, slug):
    client = client_for(host=f"{slug}.localhost")
    pages = indexable_pages(slug)
    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert ld_types(home) == ["MedicalOrganization"]
    article = BeautifulSoup(client.get(pages[3]).content, "html.parser")
    assert ld_types(article) == ["MedicalWebPage", "BreadcrumbList"]
    page = json.loads(article.select('script[type="application/ld+json"]')[0].string)
    assert page["publisher"]["url"] == f"http://{slug}.localhost/"
    assert page["author"]["name"]
    crumbs = json.loads(article.select('script[type="application/ld+json"]')[1].string)
    names = [item["name"] for item in crumbs["itemListElement"]]
    assert names[:2] == ["Home", "Articles"] and names[-1] == page["headline"]
    location = BeautifulSoup(client.get(pages[5]).content, "html.parser")
    assert ld_types(location) == ["MedicalClinic", "BreadcrumbList"]
    clinic = json.loads(location.select('script[type="application/ld+json"]')[0].string)
    assert clinic["@id"] == f"http://{slug}.localhost{pages[5]}#clinic"
    assert clinic["parentOrganization"]["@id"] == f"http://{slug}.localhost/#organization"


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
