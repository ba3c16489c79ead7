"""What the public sees of the people behind an article: never a login name."""

import json
from xml.etree import ElementTree

from bs4 import BeautifulSoup

from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import UserFactory, article

ATOM = "{http://www.w3.org/2005/Atom}"


def page_of(path, host=HOST_A):
    return BeautifulSoup(client_for(host=host).get(path).content, "html.parser")


def json_ld(soup):
    return [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]


def feed_entries(host=HOST_A):
    root = ElementTree.fromstring(client_for(host=host).get("/articles/feed/").content)
    return root.findall(f"{ATOM}entry")


def test_an_author_without_a_full_name_is_shown_as_the_brand(brand_a):
    login = UserFactory(username="jdoe-admin-7", first_name="", last_name="")
    article(brand_a, slug="piece", author=login)
    soup = page_of("/articles/piece/")
    page_text = soup.get_text()
    assert "jdoe-admin-7" not in client_for().get("/articles/piece/").content.decode()
    assert "By Alpha Wellness" in page_text
    authors = [data.get("author") for data in json_ld(soup) if data.get("author")]
    assert authors == [
        {
            "@type": "MedicalOrganization",
            "name": "Alpha Wellness",
            "url": "http://brand-a.localhost/",
        }
    ]
    entry = feed_entries()[0]
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Alpha Wellness"
    assert b"jdoe-admin-7" not in client_for().get("/articles/feed/").content


def test_a_shared_article_names_the_brand_whose_page_it_is(brand_a, brand_b):
    login = UserFactory(username="editor-login", first_name="", last_name="")
    article(brand_b, brand_a, slug="shared", author=login)  # canonical on brand B
    assert "By Alpha Wellness" in page_of("/articles/shared/", HOST_A).get_text()
    assert "By Beta Infusion Center" in page_of("/articles/shared/", HOST_B).get_text()
    name = feed_entries(HOST_B)[0].find(f"{ATOM}author/{ATOM}name").text
    assert name == "Beta Infusion Center"


def test_an_author_with_a_full_name_is_named_on_their_own_brand(brand_a, brand_b):
    from clinic.models import BrandMembership

    author = UserFactory(username="dr-login", first_name="Dana", last_name="Ruiz")
    BrandMembership.objects.create(user=author, brand=brand_a, role="editor")
    article(brand_a, brand_b, slug="piece", author=author)
    # On another brand's page, a shared article does not name that brand's staff.
    assert "By Beta Infusion Center" in page_of("/articles/piece/", HOST_B).get_text()
    soup = page_of("/articles/piece/")
    assert "By Dana Ruiz" in soup.get_text()
    authors = [data.get("author") for data in json_ld(soup) if data.get("author")]
    assert authors == [{"@type": "Person", "name": "Dana Ruiz"}]
    assert b"dr-login" not in client_for().get("/articles/piece/").content


def test_feed_summaries_are_plain_text(brand_a):
    article(brand_a, slug="piece", summary="Less <b>than</b> & more")
    summary = feed_entries()[0].find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "Less <b>than</b> & more"  # the characters, not markup


def test_an_overdue_review_is_not_presented_as_fresh(brand_a):
    from datetime import date

    import time_machine

    with time_machine.travel(date(2026, 2, 1), tick=False):
        article(
            brand_a,
            slug="old-review",
            last_reviewed=date(2025, 3, 1),
            review_due=date(2026, 3, 1),
        )
        fresh = page_of("/articles/old-review/").select_one(".reviewed-by").get_text()
    assert fresh.startswith("Medically reviewed by")
    with time_machine.travel(date(2026, 11, 23), tick=False):  # months later: overdue
        line = page_of("/articles/old-review/").select_one(".reviewed-by").get_text()
    assert line.startswith("Last medically reviewed by Dr. Test Reviewer, MD on March 1, 2025")
    assert "an updated review is due" in line
