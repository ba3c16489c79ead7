"""Search and social metadata on every indexable page of both demo brands."""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from articles.models import Article, Topic
from clinic.models import Brand, Location
from portal import seo
from tests.conftest import client_for
from tests.portal import schema_org


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
        # Whole words always; the brand (or its first words) where it fits in 60.
        assert "…" not in title, (path, title)
        with_brand = any(title.endswith(name) for name in seo.shorter_names(brand.name))
        assert (with_brand and len(title) <= 60) or not with_brand, (path, title)
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


@pytest.mark.parametrize("slug", ["ignite", "kmd"])
def test_the_breadcrumb_search_engines_read_is_the_one_people_see(demo, slug):
    """Every page with a breadcrumb: its BreadcrumbList has the same steps, in the same
    order, with the same names and links, as the trail shown on the page."""
    from care.models import Clinician, Treatment
    from pages.models import Page

    client = client_for(host=f"{slug}.localhost")
    brand = Brand.objects.get(slug=slug)
    pages = [*indexable_pages(slug), "/faq/", "/clinicians/", "/treatments/"]
    clinician = Clinician.objects.for_brand(brand).published().first()
    treatment = Treatment.objects.for_brand(brand).published().first()
    plain = Page.objects.for_brand(brand).published().first()
    pages += [c.get_absolute_url() for c in (clinician, treatment, plain) if c is not None]
    checked = 0
    for path in pages:
        soup = BeautifulSoup(client.get(path).content, "html.parser")
        shown = soup.select('nav[aria-label="Breadcrumb"] li')
        nodes = []
        for tag in soup.select('script[type="application/ld+json"]'):
            data = json.loads(tag.string)
            nodes += data if isinstance(data, list) else [data]
        lists = [node for node in nodes if node.get("@type") == "BreadcrumbList"]
        if not shown and not lists:
            continue
        (trail,) = lists
        steps = trail["itemListElement"]
        assert [s["name"] for s in steps] == [li.get_text(strip=True) for li in shown], path
        assert [s["position"] for s in steps] == list(range(1, len(steps) + 1)), path
        for step, item in zip(steps[:-1], shown[:-1], strict=True):
            assert step["item"].endswith(item.a["href"]), path
        assert shown[-1].get("aria-current") == "page", path
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize("slug", ["ignite", "kmd"])
def test_every_page_type_prints_as_its_content(demo, slug):
    """One print stylesheet for every page (not only articles): the header, menus,
    footer and the phone's bar stay on the screen."""
    from django.contrib.staticfiles import finders

    client = client_for(host=f"{slug}.localhost")
    for path in [*indexable_pages(slug), "/faq/", "/treatments/", "/clinicians/"]:
        soup = BeautifulSoup(client.get(path).content, "html.parser")
        (sheet,) = soup.select('link[rel="stylesheet"][media="print"]')
        assert sheet["href"].endswith("css/print.css"), path
    rules = Path(finders.find("css/print.css")).read_text()
    for hidden in (".site-header", ".site-footer", ".mobile-actions", "nav", ".btn"):
        assert hidden in rules.split("{", 1)[0]


def every_page_type(slug):
    from care.models import Clinician, Treatment

    treatment = Treatment.objects.filter(brand__slug=slug, is_published=True).first()
    clinician = Clinician.objects.filter(brands__slug=slug, is_published=True).first()
    return [
        *indexable_pages(slug),
        "/treatments/",
        treatment.get_absolute_url(),
        "/clinicians/",
        clinician.get_absolute_url(),
        "/faq/",
    ]


@pytest.mark.parametrize("slug", ["ignite", "kmd"])
def test_every_graph_is_schema_org_to_the_letter(demo, slug):
    """Each page's JSON-LD against the vocabulary (tests/portal/schema_org.py): known
    types, properties their types define, required and recommended ones present; the
    questions marked up once, on the questions page."""
    client = client_for(host=f"{slug}.localhost")
    faq_pages = []
    for path in every_page_type(slug):
        response = client.get(path)
        assert response.status_code == 200, path
        for document in schema_org.documents(BeautifulSoup(response.content, "html.parser")):
            assert schema_org.problems(document) == [], path
            if schema_org.nodes_of_type(document, "FAQPage"):
                faq_pages.append(path)
    assert faq_pages == ["/faq/"]
