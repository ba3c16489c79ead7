"""A brand's home page: composed from sections in the admin, with a default for new brands."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from care.models import Clinician, Treatment
from pages.models import FaqEntry, HomeSection, Testimonial
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import admin_data, article, reference_location

NY = ZoneInfo("America/New_York")
MONDAY_10AM = datetime(2026, 11, 23, 10, tzinfo=NY)


def home(host=HOST_A, user=None, path="/"):
    return client_for(user, host=host).get(path)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def headings(response) -> list[str]:
    return [h.get_text(strip=True) for h in soup_of(response).select(".home-section h2")]


def errors(response):
    return " ".join(li.get_text() for li in soup_of(response).select(".errorlist li"))


@pytest.fixture
def content(brand_a):
    """What a clinic publishes: a treatment, a clinician, an article, a question."""
    Treatment.objects.create(
        brand=brand_a,
        name="Assessment",
        slug="assessment",
        summary="A first talk.",
        is_published=True,
    )
    person = Clinician.objects.create(
        name="Elena Rivera", slug="elena-rivera", job_title="Psychiatrist", is_published=True
    )
    person.brands.set([brand_a])
    article(brand_a, slug="sleep-explained")
    FaqEntry.objects.create(brand=brand_a, question="Do I need a referral?", answer="<p>No.</p>")
    reference_location(brand_a)


class TestDefaultHomePage:
    def test_a_new_brand_has_a_useful_home_page_without_any_setup(self, brand_a, content):
        with time_machine.travel(MONDAY_10AM, tick=False):
            response = home()
        soup = soup_of(response)
        assert soup.h1.get_text() == brand_a.name
        assert headings(response) == [
            "What we treat",
            "Who will care for you",
            "Read before you visit",
            "Where to find us",
            "Questions patients ask",
            brand_a.cta_heading or "Ready to talk?",
        ]
        assert soup.select_one(".home-treatments a[href='/treatments/assessment/']")
        assert soup.select_one(".home-clinicians a[href='/clinicians/elena-rivera/']")
        assert soup.select_one(".home-articles a[href='/articles/sleep-explained/']")
        hours = soup.select_one(".home-locations").get_text(" ", strip=True)
        assert "Open now" in hours and "Today: 8 A.M. – 4:30 P.M." in hours
        # Each band is named by its own heading (screen readers list them as regions).
        for section in soup.select(".home-section"):
            named_by = soup.find(id=section["aria-labelledby"])
            assert named_by is not None and named_by.name in ("h1", "h2")

    def test_empty_bands_are_left_out(self, brand_a):
        response = home()
        assert response.status_code == 200
        assert soup_of(response).h1.get_text() == brand_a.name
        # No treatments, clinicians, articles, locations or testimonials yet.
        assert headings(response) == [brand_a.cta_heading or "Ready to talk?"]

    def test_a_map_link_only_where_the_location_has_coordinates(self, brand_a):
        place = reference_location(brand_a)
        assert "openstreetmap" not in home().content.decode()
        place.latitude, place.longitude = 25.7617, -80.1918
        place.save()
        link = soup_of(home()).select_one(".home-locations a[href*='openstreetmap.org']")
        assert "mlat=25.7617" in link["href"] and link["rel"] == ["noopener", "noreferrer"]


class TestComposedHomePage:
    def test_staff_sections_replace_the_default_in_their_order(self, brand_a, content):
        HomeSection.objects.create(
            brand=brand_a,
            kind="hero",
            heading="Calm, careful care",
            text="<p>Help for <strong>depression</strong> and PTSD.</p>",
            button_label="Book a call",
            button_link="/consultation/?topic=ptsd",
            is_published=True,
        )
        HomeSection.objects.create(
            brand=brand_a,
            kind="text",
            heading="Our promise",
            text="<p>We listen.</p>",
            order=2,
            is_published=True,
        )
        HomeSection.objects.create(
            brand=brand_a, kind="treatments", heading="Treatments", order=1, is_published=True
        )
        response = home()
        soup = soup_of(response)
        assert soup.h1.get_text() == "Calm, careful care"
        assert soup.select_one(".home-hero strong").get_text() == "depression"
        button = soup.select_one(".home-hero a.btn")
        assert (button.get_text(), button["href"]) == ("Book a call", "/consultation/?topic=ptsd")
        assert headings(response) == ["Treatments", "Our promise"]

    def test_drafts_show_only_in_the_staff_preview(self, brand_a, editor_a, content):
        HomeSection.objects.create(brand=brand_a, kind="hero", is_published=True)
        HomeSection.objects.create(
            brand=brand_a, kind="text", heading="Coming soon", text="<p>x</p>", order=1
        )
        assert "Coming soon" not in home().content.decode()
        preview = home(user=editor_a, path="/?preview=1")
        assert preview.status_code == 200
        draft = soup_of(preview).select_one(".home-section.is-draft")
        assert "Coming soon" in draft.get_text() and "Draft" in draft.get_text()
        assert "no-cache" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
        assert preview["X-Robots-Tag"] == "noindex, nofollow"
        # Published as it is, the public sees it at once.
        HomeSection.objects.filter(heading_en="Coming soon").update(is_published=True)
        HomeSection.objects.get(heading_en="Coming soon").save()
        assert "Coming soon" in home().content.decode()

    def test_the_preview_is_for_this_brand_s_staff_only(self, brand_a, staff_b):
        HomeSection.objects.create(brand=brand_a, kind="text", heading="Secret", text="<p>x</p>")
        anonymous = home(path="/?preview=1")
        assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
        other = home(user=staff_b, path="/?preview=1")
        assert other.status_code == 302
        assert "Secret" not in home().content.decode()

    def test_chosen_articles_are_featured_but_only_this_brand_s_live_ones(
        self, brand_a, brand_b, content
    ):
        chosen = article(brand_a, slug="chosen-one")
        beta = article(brand_b, slug="beta-piece")
        draft = article(brand_a, slug="draft-piece", status="draft")
        section = HomeSection.objects.create(brand=brand_a, kind="articles", is_published=True)
        section.featured_articles.set([chosen, beta, draft])
        links = [a["href"] for a in soup_of(home()).select(".home-articles h3 a")]
        assert links == ["/articles/chosen-one/"]

    def test_the_home_page_costs_a_bounded_number_of_queries(
        self, brand_a, content, settings, django_assert_max_num_queries
    ):
        HomeSection.objects.create(brand=brand_a, kind="hero", is_published=True)
        HomeSection.objects.create(brand=brand_a, kind="articles", is_published=True)
        HomeSection.objects.create(brand=brand_a, kind="locations", is_published=True)
        settings.PAGE_CACHE = False  # rendered every time, content reused (production)
        home()
        with django_assert_max_num_queries(0):
            assert home().status_code == 200


class TestTestimonials:
    def make(self, brand, **fields):
        values = {
            "brand": brand,
            "quote": "The nurses made me feel safe.",
            "attribution": "A patient from Miami",
            "consent_by": "M. Patient",
            "consent_on": date(2026, 11, 1),
            "is_published": True,
        }
        values.update(fields)
        return Testimonial.objects.create(**values)

    def test_shown_with_consent_and_gone_everywhere_once_withdrawn(
        self, brand_a, brand_admin_a, settings
    ):
        settings.PAGE_CACHE_SECONDS = 600
        saying = self.make(brand_a)
        assert "The nurses made me feel safe." in home().content.decode()
        assert "The nurses made me feel safe." in home().content.decode()  # from the cache
        response = client_for(brand_admin_a).post(
            reverse("admin:pages_testimonial_changelist"),
            {"action": "withdraw_consent", "_selected_action": [saying.pk]},
        )
        assert response.status_code == 302
        saying.refresh_from_db()
        assert saying.consent_withdrawn_on is not None and not saying.is_published
        assert "The nurses made me feel safe." not in home().content.decode()

    def test_a_withdrawal_recorded_twice_keeps_the_first_date(self, brand_a):
        from pages import services

        saying = self.make(brand_a)
        with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC)):
            assert services.withdraw_consent(saying) is True
        with time_machine.travel(datetime(2026, 11, 27, 12, tzinfo=UTC)):
            assert services.withdraw_consent(saying) is False
        saying.refresh_from_db()
        assert saying.consent_withdrawn_on == date(2026, 11, 20)

    def test_consent_is_never_shown(self, brand_a):
        self.make(brand_a)
        assert "M. Patient" not in home().content.decode()

    def test_without_consent_it_cannot_be_published(self, brand_a, brand_admin_a):
        data = {
            "brand": brand_a.pk,
            "quote": "Great.",
            "attribution": "A patient",
            "consent_by": "",
            "consent_on": "",
            "consent_scope": "website",
            "order": "0",
            "is_published": "on",
        }
        url = reverse("admin:pages_testimonial_add")
        response = client_for(brand_admin_a).post(url, data)
        assert "Record who gave consent and when" in errors(response)
        future = client_for(brand_admin_a).post(
            url, {**data, "consent_by": "X", "consent_on": "2999-01-01"}
        )
        assert "cannot be dated in the future" in errors(future)
        assert not Testimonial.objects.exists()

    def test_the_database_refuses_a_published_testimonial_without_consent(self, brand_a):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            self.make(brand_a, consent_by="", consent_on=None)

    def test_another_brand_s_testimonials_stay_there(self, brand_a, brand_b):
        self.make(brand_b, quote="Beta was wonderful.")
        assert "Beta was wonderful." not in home().content.decode()
        assert "Beta was wonderful." in home(HOST_B).content.decode()


class TestWritingSections:
    def add(self, user, **fields):
        data = {
            "brand": "",
            "kind": "text",
            "heading": "Hello",
            "text": "<p>Words.</p>",
            "image_alt": "",
            "button_label": "",
            "button_link": "",
            "items": "3",
            "order": "0",
            "is_published": "on",
        }
        data.update(fields)
        return client_for(user).post(
            reverse("admin:pages_homesection_add"), admin_data(HomeSection, data)
        )

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"button_link": "javascript:alert(1)", "button_label": "x"}, "starting with https://"),
            ({"button_link": "//evil.example", "button_label": "x"}, "starting with https://"),
            ({"button_link": "http://plain.example", "button_label": "x"}, "https://"),
            ({"button_link": "/consultation/"}, "Give the button a label"),
            ({"items": "0"}, "greater than or equal to 1"),
            ({"items": "13"}, "less than or equal to 12"),
            ({"items": "many"}, "Enter a whole number"),
            ({"kind": "carousel"}, "Select a valid choice"),
            ({"heading": "x" * 121}, "at most 120"),
        ],
    )
    def test_bad_input_is_refused_with_a_message(self, editor_a, brand_a, fields, message):
        response = self.add(editor_a, brand=brand_a.pk, **fields)
        assert response.status_code == 200 and message in errors(response)
        assert not HomeSection.objects.exists()

    def test_hostile_text_is_cleaned_and_shown_as_text(self, editor_a, brand_a):
        response = self.add(
            editor_a,
            brand=brand_a.pk,
            heading="<img src=x onerror=alert(1)>",
            text='<p onclick="x()">Hi</p><script>alert(1)</script>',
        )
        assert response.status_code == 302, errors(response)
        html = home().content.decode()
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<script>alert(1)</script>" not in html and "onclick" not in html

    def test_the_section_list_offers_a_preview_of_each_brand(self, group_admin, brand_a, brand_b):
        response = client_for(group_admin).get(reverse("admin:pages_homesection_changelist"))
        links = [a["href"] for a in soup_of(response).select(".home-previews a")]
        assert links == [
            "http://brand-a.localhost/?preview=1",
            "http://brand-b.localhost/?preview=1",
        ]

    def test_front_desk_may_not_compose_the_home_page(self, front_desk_a, brand_a):
        assert self.add(front_desk_a, brand=brand_a.pk).status_code == 403


class TestHeroImage:
    def add(self, user, brand, **fields):
        from tests.articles.test_images import jpeg_with_gps, upload

        data = {
            "brand": brand.pk,
            "kind": "hero",
            "heading": "Welcome",
            "text": "",
            "image": upload("hero.jpg", jpeg_with_gps(1600, 900)),
            "image_alt": "",
            "button_label": "",
            "button_link": "",
            "items": "3",
            "order": "0",
            "is_published": "on",
        }
        data.update(fields)
        return client_for(user).post(
            reverse("admin:pages_homesection_add"), admin_data(HomeSection, data)
        )

    def test_a_hero_image_needs_a_description_and_gets_renditions(
        self, editor_a, brand_a, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        assert "Describe the image" in errors(self.add(editor_a, brand_a))
        wrong_kind = self.add(editor_a, brand_a, kind="faq", image_alt="A calm room")
        assert "Only a hero section shows an image." in errors(wrong_kind)
        fine = self.add(editor_a, brand_a, image_alt="A calm waiting room")
        assert fine.status_code == 302, errors(fine)
        picture = soup_of(home()).select_one(".home-hero picture")
        assert picture.img["alt"] == "A calm waiting room"
        assert "webp" in picture.source["type"]
