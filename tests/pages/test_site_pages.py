"""A brand's own plain pages and FAQ: written in the admin, shown on its site only."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from pages.models import FaqEntry, Page
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import admin_data, topic


def page_of(host, path):
    return client_for(host=host).get(path)


def errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(li.get_text() for li in soup.select(".errorlist li"))


@pytest.fixture
def about(brand_a):
    return Page.objects.create(
        brand=brand_a,
        slug="about",
        title="About Alpha",
        summary="Who we are.",
        body="<h2>Our team</h2><p>Nurses and doctors.</p>",
        is_published=True,
    )


class TestPublicPages:
    def test_a_published_page_is_on_its_brand_and_in_its_menu(self, about, brand_b):
        response = page_of(HOST_A, "/about/")
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.h1.get_text() == "About Alpha"
        assert soup.select_one("nav a[href='/about/']").get_text() == "About Alpha"
        assert page_of(HOST_B, "/about/").status_code == 404
        assert "/about/" not in page_of(HOST_B, "/").content.decode()

    def test_a_draft_is_not_shown_nor_in_the_menu(self, about):
        about.is_published = False
        about.save()
        assert page_of(HOST_A, "/about/").status_code == 404
        assert 'href="/about/"' not in page_of(HOST_A, "/").content.decode()

    def test_a_page_left_out_of_the_menu_is_still_reachable(self, about):
        about.in_menu = False
        about.save()
        assert page_of(HOST_A, "/about/").status_code == 200
        assert 'href="/about/"' not in page_of(HOST_A, "/locations/").content.decode()

    def test_the_site_s_own_addresses_are_never_pages(self, about):
        assert page_of(HOST_A, "/articles/").status_code == 200
        assert client_for(host=HOST_A).post("/healthz").status_code == 404

    def test_faq_groups_questions_and_describes_them_for_search_engines(self, brand_a, brand_b):
        FaqEntry.objects.create(
            brand=brand_a, question="Do I need a referral?", answer="<p>No.</p>"
        )
        FaqEntry.objects.create(
            brand=brand_a,
            question="Does it help sleep?",
            answer="<p>Sometimes <strong>it does</strong>.</p>",
            topic=topic("sleep"),
        )
        FaqEntry.objects.create(brand=brand_b, question="Beta only?", answer="<p>Yes.</p>")
        response = page_of(HOST_A, "/faq/")
        html = response.content.decode()
        soup = BeautifulSoup(html, "html.parser")
        assert [h.get_text() for h in soup.select(".faq-group h2")] == ["General", "Sleep"]
        assert "Beta only?" not in html
        data = next(
            json.loads(tag.string)
            for tag in soup.select("script[type='application/ld+json']")
            if '"FAQPage"' in tag.string
        )
        assert [q["name"] for q in data["mainEntity"]] == [
            "Do I need a referral?",
            "Does it help sleep?",
        ]
        assert data["mainEntity"][1]["acceptedAnswer"]["text"] == "Sometimes it does."
        assert soup.select_one("nav a[href='/faq/']") is not None
        # Brand B answers its own question: its menu links to its own FAQ page.
        assert "Beta only?" in page_of(HOST_B, "/faq/").content.decode()

    def test_questions_about_a_treatment_are_grouped_under_it(self, brand_a):
        from care.models import Treatment

        infusions = Treatment.objects.create(
            brand=brand_a, name="Infusions", slug="infusions", summary="s", is_published=True
        )
        draft = Treatment.objects.create(brand=brand_a, name="Secret plan", slug="x", summary="s")
        FaqEntry.objects.create(
            brand=brand_a, question="How long?", answer="<p>2 h.</p>", treatment=infusions
        )
        FaqEntry.objects.create(
            brand=brand_a, question="Sleep?", answer="<p>Maybe.</p>", topic=topic("sleep")
        )
        FaqEntry.objects.create(brand=brand_a, question="Parking?", answer="<p>Yes.</p>")
        FaqEntry.objects.create(
            brand=brand_a, question="Draft plan?", answer="<p>x</p>", treatment=draft
        )
        soup = BeautifulSoup(page_of(HOST_A, "/faq/").content, "html.parser")
        groups = {
            h.get_text(): [s.get_text() for s in h.find_parent("section").select("summary")]
            for h in soup.select(".faq-group h2")
        }
        # A draft treatment's name is not shown: its question is under "General".
        assert groups == {
            "General": ["Draft plan?", "Parking?"],
            "Sleep": ["Sleep?"],
            "Infusions": ["How long?"],
        }

    def test_no_questions_no_faq_link_and_a_kind_empty_page(self, brand_a):
        assert 'href="/faq/"' not in page_of(HOST_A, "/").content.decode()
        response = page_of(HOST_A, "/faq/")
        assert (
            response.status_code == 200
            and "No questions answered here yet" in response.content.decode()
        )
        assert "FAQPage" not in response.content.decode()


class TestWritingPages:
    def add(self, user, **fields):
        data = {
            "brand": "",
            "title": "Costs",
            "slug": "costs",
            "summary": "",
            "body": "<p>Fees.</p>",
            "order": "0",
            "is_published": "on",
            "in_menu": "on",
        }
        data.update(fields)
        return client_for(user).post(reverse("admin:pages_page_add"), admin_data(Page, data))

    def test_an_editor_publishes_a_page_and_the_menu_shows_it_at_once(self, editor_a, brand_a):
        page_of(HOST_A, "/")  # the header is cached now
        response = self.add(
            editor_a,
            brand=brand_a.pk,
            body='<h2 onclick="x()">Fees</h2><script>alert(1)</script><p>Plain.</p>',
        )
        assert response.status_code == 302, errors(response)
        saved = Page.objects.get(slug="costs")
        assert saved.body == "<h2>Fees</h2><p>Plain.</p>"
        assert 'href="/costs/"' in page_of(HOST_A, "/").content.decode()

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"slug": "articles"}, "already uses"),
            ({"slug": "faq"}, "already uses"),
            ({"slug": "no spaces"}, "Enter a valid"),
            ({"title": "x" * 121}, "at most 120"),
            ({"title": ""}, "required"),
            ({"body": ""}, "required"),
        ],
    )
    def test_bad_input_is_refused_with_a_message(self, editor_a, brand_a, fields, message):
        response = self.add(editor_a, brand=brand_a.pk, **fields)
        assert response.status_code == 200 and message in errors(response)
        assert not Page.objects.exists()

    def test_one_address_per_brand_but_both_brands_may_use_it(
        self, group_admin, brand_a, brand_b, about
    ):
        twice = self.add(group_admin, brand=brand_a.pk, slug="about", title="Again")
        assert twice.status_code == 200 and "already has a page at that address" in errors(twice)
        assert Page.objects.get(brand=brand_a, slug="about").title == "About Alpha"
        other = self.add(group_admin, brand=brand_b.pk, slug="about", title="About Beta")
        assert other.status_code == 302, errors(other)
        assert page_of(HOST_B, "/about/").status_code == 200

    def test_control_characters_and_unicode_in_titles(self, editor_a, brand_a):
        response = self.add(editor_a, brand=brand_a.pk, title="Café\u202e costs\x07 ñ")
        assert response.status_code == 302, errors(response)
        assert Page.objects.get().title == "Café costs ñ"

    def test_front_desk_may_not_write_pages(self, front_desk_a, brand_a):
        assert self.add(front_desk_a, brand=brand_a.pk).status_code == 403
