"""Treatments and clinicians: written in the admin, shown on each brand's own site."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from appointments.models import ConsultationRequest
from care.models import Clinician, Treatment
from pages.models import FaqEntry
from tests.appointments.conftest import submit
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import admin_data, article, reference_location
from tests.sitemaps import sitemap_urls


def get(host, path):
    return client_for(host=host).get(path)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def json_ld(response) -> list:
    found = []
    for tag in soup_of(response).select("script[type='application/ld+json']"):
        data = json.loads(tag.string)
        found.extend(data if isinstance(data, list) else [data])
    return found


def errors(response):
    return " ".join(li.get_text() for li in soup_of(response).select(".errorlist li"))


@pytest.fixture
def infusion(brand_a):
    return Treatment.objects.create(
        brand=brand_a,
        name="Ketamine infusions",
        slug="ketamine-infusions",
        summary="A course of infusions for depression that has not lifted.",
        who_for="<p>Adults whose depression has not improved with two medicines.</p>",
        what_to_expect="<p>You rest in a quiet room for about 40 minutes.</p>",
        duration="About 40 minutes, usually six sessions",
        price_from=Decimal("450"),
        price_to=Decimal("600"),
        price_note="per infusion",
        insurance_note="Usually not covered; we give you a receipt for your insurer.",
        is_published=True,
    )


@pytest.fixture
def dr_rivera(brand_a, brand_b):
    """A psychiatrist who works for both brands, at one location of each."""
    person = Clinician.objects.create(
        name="Elena Rivera",
        slug="elena-rivera",
        credentials="MD",
        job_title="Psychiatrist",
        is_physician=True,
        specialties="Depression, PTSD",
        languages="English, Spanish",
        bio="<p>Twenty years of outpatient psychiatry.</p>",
        is_published=True,
    )
    person.brands.set([brand_a, brand_b])
    person.locations.set(
        [
            reference_location(brand_a, slug="alpha-main", name="Alpha main"),
            reference_location(brand_b, slug="beta-main", name="Beta main"),
        ]
    )
    return person


class TestTreatmentPages:
    def test_the_page_tells_a_patient_what_when_and_how_much(self, infusion, brand_b):
        response = get(HOST_A, "/treatments/ketamine-infusions/")
        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.h1.get_text() == "Ketamine infusions"
        facts = soup.select_one(".treatment-facts").get_text(" ", strip=True)
        assert "About 40 minutes, usually six sessions" in facts
        assert "$450–$600 (per infusion)" in facts
        assert "Usually not covered" in facts
        button = soup.select_one(".treatment-facts a.btn")
        assert button["href"] == "/consultation/?treatment=ketamine-infusions"
        assert button.get_text() == "Ask about Ketamine infusions"
        # Another brand has no such treatment.
        assert get(HOST_B, "/treatments/ketamine-infusions/").status_code == 404

    def test_search_engines_read_a_therapy_the_clinic_offers(self, infusion):
        response = get(HOST_A, "/treatments/ketamine-infusions/")
        graph = next(d for d in json_ld(response) if "@graph" in d)["@graph"]
        therapy = next(node for node in graph if node["@type"] == "MedicalTherapy")
        (clinic,) = (node for node in graph if node is not therapy)
        assert therapy["name"] == "Ketamine infusions"
        assert therapy["url"] == "http://brand-a.localhost/treatments/ketamine-infusions/"
        # The brand: the same node, of the same type, as on its home page.
        home = next(d for d in json_ld(get(HOST_A, "/")) if d.get("@id") == clinic["@id"])
        assert clinic["@type"] == home["@type"] == "MedicalOrganization"
        assert clinic["@id"] == "http://brand-a.localhost/#organization"
        assert "availableService" not in clinic and "address" not in clinic
        assert clinic["makesOffer"]["itemOffered"] == {"@id": therapy["@id"]}
        assert clinic["makesOffer"]["priceSpecification"]["minPrice"] == "450.00"

    def test_a_draft_is_neither_shown_nor_listed_nor_in_the_menu(self, infusion):
        assert 'href="/treatments/"' in get(HOST_A, "/").content.decode()
        infusion.is_published = False
        infusion.save()
        assert get(HOST_A, "/treatments/ketamine-infusions/").status_code == 404
        assert "Ketamine infusions" not in get(HOST_A, "/treatments/").content.decode()
        assert 'href="/treatments/"' not in get(HOST_A, "/").content.decode()

    def test_its_questions_and_reading_are_this_brand_s_own(self, infusion, brand_b):
        FaqEntry.objects.create(
            brand=brand_a_of(infusion),
            question="Will I be able to drive home?",
            answer="<p>No: bring someone with you.</p>",
            treatment=infusion,
        )
        FaqEntry.objects.create(
            brand=brand_a_of(infusion), question="Unrelated?", answer="<p>Yes.</p>"
        )
        live = article(infusion.brand, slug="infusions-explained")
        beta_only = article(brand_b, slug="beta-piece")
        draft = article(infusion.brand, slug="not-yet", status="draft")
        infusion.related_articles.set([live, beta_only, draft])
        response = get(HOST_A, "/treatments/ketamine-infusions/")
        html = response.content.decode()
        assert "Will I be able to drive home?" in html and "Unrelated?" not in html
        assert 'href="/articles/infusions-explained/"' in html
        assert "beta-piece" not in html and "not-yet" not in html
        # Marked up once, on the FAQ page, where the same question is listed too.
        assert not any(d.get("@type") == "FAQPage" for d in json_ld(response))
        faq = next(d for d in json_ld(get(HOST_A, "/faq/")) if d.get("@type") == "FAQPage")
        assert "Will I be able to drive home?" in [q["name"] for q in faq["mainEntity"]]

    def test_the_list_shows_each_treatment_with_its_price(self, infusion):
        soup = soup_of(get(HOST_A, "/treatments/"))
        card = soup.select_one(".treatment-card")
        assert card.select_one(".card-title").get_text(strip=True) == "Ketamine infusions"
        assert "$450–$600 · per infusion" in card.get_text(" ", strip=True)

    def test_pages_cost_a_bounded_number_of_queries(
        self, infusion, dr_rivera, django_assert_max_num_queries
    ):
        infusion.clinicians.set([dr_rivera])
        get(HOST_A, "/privacy/")  # the brand's shared data is warm, as on a running site
        with django_assert_max_num_queries(8):
            assert get(HOST_A, "/treatments/ketamine-infusions/").status_code == 200
        with django_assert_max_num_queries(8):
            assert get(HOST_A, "/clinicians/elena-rivera/").status_code == 200


def brand_a_of(treatment):
    return treatment.brand


class TestAskingAboutATreatment:
    def test_the_link_chooses_the_treatment_and_the_request_records_it(
        self, monday, infusion, brand_a
    ):
        place = reference_location(brand_a, slug="downtown", name="Downtown clinic")
        page = get(HOST_A, "/consultation/?treatment=ketamine-infusions")
        chosen = soup_of(page).select_one("select[name=treatment] option[selected]")
        assert chosen.get_text() == "Ketamine infusions"
        _, response = submit(place, treatment=str(infusion.pk))
        assert response.status_code == 302
        assert ConsultationRequest.objects.get().treatment == infusion

    @pytest.mark.parametrize(
        "query", ["?treatment=<script>", "?treatment=" + "x" * 5000, "?treatment=beta-only"]
    )
    def test_unknown_hostile_or_foreign_treatments_are_not_chosen(
        self, monday, infusion, brand_a, brand_b, query
    ):
        Treatment.objects.create(
            brand=brand_b, name="Beta only", slug="beta-only", summary="b", is_published=True
        )
        reference_location(brand_a)
        response = get(HOST_A, "/consultation/" + query)
        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.select_one("select[name=treatment] option[selected]")["value"] == ""
        assert "Beta only" not in response.content.decode()

    def test_a_treatment_of_another_brand_is_refused(self, monday, brand_a, brand_b, infusion):
        place = reference_location(brand_a, slug="downtown", name="Downtown clinic")
        foreign = Treatment.objects.create(
            brand=brand_b, name="Beta only", slug="beta-only", summary="b", is_published=True
        )
        _, response = submit(place, treatment=str(foreign.pk))
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not ConsultationRequest.objects.exists()

    def test_no_treatments_no_question(self, monday, brand_a):
        reference_location(brand_a)
        assert soup_of(get(HOST_A, "/consultation/")).select_one("[name=treatment]") is None


class TestClinicians:
    def test_a_profile_shows_only_this_brand_s_part(self, dr_rivera, infusion):
        infusion.clinicians.set([dr_rivera])
        soup = soup_of(get(HOST_A, "/clinicians/elena-rivera/"))
        assert soup.h1.get_text() == "Elena Rivera, MD"
        text = soup.select_one(".clinician-profile").get_text(" ", strip=True)
        assert "Alpha main" in text and "Beta main" not in text
        assert "Ketamine infusions" in text
        assert "English, Spanish" in text
        beta = soup_of(get(HOST_B, "/clinicians/elena-rivera/"))
        beta_text = beta.select_one(".clinician-profile").get_text(" ", strip=True)
        assert "Beta main" in beta_text and "Alpha main" not in beta_text
        assert "Ketamine infusions" not in beta_text

    def test_a_profile_is_only_on_the_brands_the_person_works_for(self, dr_rivera, brand_b):
        dr_rivera.brands.set([dr_rivera.brands.exclude(pk=brand_b.pk).get()])
        assert get(HOST_B, "/clinicians/elena-rivera/").status_code == 404
        assert 'href="/clinicians/"' not in get(HOST_B, "/").content.decode()
        assert 'href="/clinicians/"' in get(HOST_A, "/").content.decode()

    def test_search_engines_read_a_physician(self, dr_rivera):
        person = next(
            d
            for d in json_ld(get(HOST_A, "/clinicians/elena-rivera/"))
            if d.get("@type") == ["Person", "Physician"]
        )
        # A person's properties, on a node that is a Person.
        assert person["jobTitle"] and person["worksFor"]["@type"] == "MedicalOrganization"
        assert person["name"] == "Elena Rivera"
        assert person["url"] == "http://brand-a.localhost/clinicians/elena-rivera/"
        assert person["knowsLanguage"] == ["English", "Spanish"]
        assert [place["name"] for place in person["workLocation"]] == ["Alpha main"]

    def test_the_byline_and_review_link_to_the_profile_where_it_is_shown(
        self, dr_rivera, brand_a, brand_b
    ):
        nurse = Clinician.objects.create(
            name="Sam Okafor", slug="sam-okafor", job_title="Nurse", is_published=True
        )
        nurse.brands.set([brand_a])  # works for Alpha only
        piece = article(brand_a, brand_b, slug="shared", written_by=nurse, reviewed_by=dr_rivera)
        alpha = get(HOST_A, "/articles/shared/")
        soup = soup_of(alpha)
        assert soup.select_one(".byline a")["href"] == "/clinicians/sam-okafor/"
        assert soup.select_one(".reviewed-by a")["href"] == "/clinicians/elena-rivera/"
        page = next(d for d in json_ld(alpha) if d.get("@type") == "MedicalWebPage")
        assert page["author"] == {
            "@type": "Person",
            "name": "Sam Okafor",
            "url": "http://brand-a.localhost/clinicians/sam-okafor/",
        }
        assert page["reviewedBy"]["@type"] == ["Person", "Physician"]
        # On Beta the nurse is named but not linked: Beta has no page for him.
        beta = get(HOST_B, "/articles/shared/")
        soup = soup_of(beta)
        assert soup.select_one(".byline").get_text() == "By Sam Okafor"
        assert soup.select_one(".byline a") is None
        assert soup.select_one(".reviewed-by a")["href"] == "/clinicians/elena-rivera/"
        page = next(d for d in json_ld(beta) if d.get("@type") == "MedicalWebPage")
        assert "url" not in page["author"]
        assert piece.pk

    def test_the_profile_links_to_what_they_wrote_on_this_brand(self, dr_rivera, brand_a):
        article(brand_a, slug="by-elena", written_by=dr_rivera)
        article(brand_a, slug="checked-by-elena", reviewed_by=dr_rivera)
        html = get(HOST_A, "/clinicians/elena-rivera/").content.decode()
        assert 'href="/articles/by-elena/"' in html
        assert 'href="/articles/checked-by-elena/"' in html


class TestWritingTreatments:
    def add(self, user, **fields):
        data = {
            "brand": "",
            "name": "Assessment",
            "slug": "assessment",
            "summary": "A first talk with a psychiatrist.",
            "who_for": "",
            "what_to_expect": "",
            "duration": "",
            "price_from": "",
            "price_to": "",
            "currency": "USD",
            "price_note": "",
            "insurance_note": "",
            "order": "0",
            "is_published": "on",
        }
        data.update(fields)
        return client_for(user).post(
            reverse("admin:care_treatment_add"), admin_data(Treatment, data)
        )

    def test_an_editor_publishes_and_the_site_shows_it_at_once(self, editor_a, brand_a):
        get(HOST_A, "/")  # the header is cached now
        response = self.add(
            editor_a,
            brand=brand_a.pk,
            what_to_expect='<p onclick="x()">Talk.</p><script>alert(1)</script>',
            price_from="250",
        )
        assert response.status_code == 302, errors(response)
        saved = Treatment.objects.get()
        assert saved.what_to_expect == "<p>Talk.</p>"
        assert 'href="/treatments/"' in get(HOST_A, "/").content.decode()
        assert "$250" in get(HOST_A, "/treatments/assessment/").content.decode()

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"price_from": "500", "price_to": "400"}, "must be above the lowest"),
            ({"price_to": "400"}, "Give the lowest price"),
            ({"price_from": "-5"}, "greater than or equal to 0"),
            ({"price_from": "abc"}, "Enter a number"),
            ({"price_from": "99999999"}, "no more than 7 digits"),
            ({"price_from": "1000001"}, "less than or equal to 1000000"),
            ({"name": "x" * 121}, "at most 120"),
            ({"summary": ""}, "required"),
            ({"slug": "not a slug"}, "Enter a valid"),
            ({"currency": "XBT"}, "Select a valid choice"),
        ],
    )
    def test_bad_input_is_refused_with_a_message(self, editor_a, brand_a, fields, message):
        response = self.add(editor_a, brand=brand_a.pk, **fields)
        assert response.status_code == 200 and message in errors(response)
        assert not Treatment.objects.exists()

    def test_hostile_text_is_shown_as_text(self, editor_a, brand_a):
        response = self.add(
            editor_a, brand=brand_a.pk, name="<script>alert(1)</script>'; DROP TABLE x;--"
        )
        assert response.status_code == 302, errors(response)
        html = get(HOST_A, "/treatments/assessment/").content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&#x27;; DROP TABLE x;--" in html

    def test_one_name_and_address_per_brand(self, group_admin, brand_a, brand_b, infusion):
        twice = self.add(group_admin, brand=brand_a.pk, name="Ketamine infusions", slug="x")
        assert "already has a treatment of that name" in errors(twice)
        same_slug = self.add(group_admin, brand=brand_a.pk, slug="ketamine-infusions")
        assert "already has a treatment at that address" in errors(same_slug)
        assert Treatment.objects.get(brand=brand_a).summary.startswith("A course")
        other = self.add(group_admin, brand=brand_b.pk, name="Ketamine infusions")
        assert other.status_code == 302, errors(other)

    def test_another_brand_s_articles_and_clinicians_are_refused(
        self, group_admin, brand_a, brand_b, dr_rivera
    ):
        beta_piece = article(brand_b, slug="beta-piece")
        outsider = Clinician.objects.create(name="Only Beta", slug="only-beta", job_title="RN")
        outsider.brands.set([brand_b])
        response = self.add(
            group_admin,
            brand=brand_a.pk,
            related_articles=[beta_piece.pk],
            clinicians=[dr_rivera.pk, outsider.pk],
        )
        assert response.status_code == 200
        assert "Not published for Alpha Wellness: Beta piece" in errors(response)
        assert "Does not work for Alpha Wellness: Only Beta" in errors(response)
        assert not Treatment.objects.exists()

    def test_front_desk_may_not_write_treatments(self, front_desk_a, brand_a):
        assert self.add(front_desk_a, brand=brand_a.pk).status_code == 403


class TestWritingClinicians:
    def add(self, user, **fields):
        data = {
            "name": "Jo Park",
            "slug": "jo-park",
            "credentials": "",
            "job_title": "Nurse practitioner",
            "specialties": "",
            "languages": "",
            "bio": "",
            "photo_alt": "",
            "order": "0",
            "is_published": "on",
        }
        data.update(fields)
        return client_for(user).post(
            reverse("admin:care_clinician_add"), admin_data(Clinician, data)
        )

    def test_a_brand_admin_adds_a_colleague(self, brand_admin_a, brand_a):
        response = self.add(brand_admin_a, brands=[brand_a.pk])
        assert response.status_code == 302, errors(response)
        assert "Jo Park" in get(HOST_A, "/clinicians/").content.decode()

    def test_a_location_of_a_clinic_they_do_not_work_for_is_refused(
        self, group_admin, brand_a, brand_b
    ):
        beta_place = reference_location(brand_b, slug="beta-main", name="Beta main")
        response = self.add(group_admin, brands=[brand_a.pk], locations=[beta_place.pk])
        assert "does not work for: Beta main" in errors(response)
        assert not Clinician.objects.exists()

    def test_a_photo_needs_a_description_and_loses_its_metadata(self, brand_admin_a, brand_a):
        from tests.articles.test_images import jpeg_with_gps, upload

        photo = upload("jo.jpg", jpeg_with_gps(800, 800))
        response = self.add(brand_admin_a, brands=[brand_a.pk], photo=photo)
        assert "Describe the photo" in errors(response)
        photo = upload("jo.jpg", jpeg_with_gps(800, 800))
        response = self.add(brand_admin_a, brands=[brand_a.pk], photo=photo, photo_alt="Jo smiling")
        assert response.status_code == 302, errors(response)
        saved = Clinician.objects.get()
        assert saved.photo_renditions["webp"]
        from PIL import Image

        with Image.open(saved.photo.path) as image:
            assert not image.getexif()

    def test_the_same_address_twice_is_refused(self, group_admin, brand_a, dr_rivera):
        response = self.add(group_admin, brands=[brand_a.pk], slug="elena-rivera")
        assert "Another clinician already has this address" in errors(response)

    def test_a_shared_colleague_s_page_shows_only_this_clinic_s_locations(
        self, editor_a, dr_rivera
    ):
        """Issue 29, item 9: the read-only page listed the other clinic's locations."""
        url = reverse("admin:care_clinician_change", args=[dr_rivera.pk])
        page = client_for(editor_a).get(url)
        assert page.status_code == 200
        shown = BeautifulSoup(page.content, "html.parser").select_one(".field-locations_here")
        mine = {loc.name for loc in dr_rivera.locations.filter(brand__slug="brand-a")}
        theirs = {loc.name for loc in dr_rivera.locations.exclude(brand__slug="brand-a")}
        assert mine and theirs
        for name in mine:
            assert name in shown.get_text()
        for name in theirs:
            assert name not in page.content.decode()

    def test_an_editor_of_one_brand_cannot_change_a_colleague_shared_with_another(
        self, editor_a, dr_rivera
    ):
        url = reverse("admin:care_clinician_change", args=[dr_rivera.pk])
        response = client_for(editor_a).post(url, {"name": "Changed"})
        assert response.status_code == 403
        dr_rivera.refresh_from_db()
        assert dr_rivera.name == "Elena Rivera"


def test_the_sitemap_lists_this_brand_s_treatments_clinicians_and_pages(
    infusion, dr_rivera, brand_a, brand_b
):
    from pages.models import Page

    Page.objects.create(
        brand=brand_a, slug="about", title="About", body="<p>x</p>", is_published=True
    )
    Treatment.objects.create(brand=brand_a, name="Draft", slug="draft", summary="s")
    Treatment.objects.create(
        brand=brand_b, name="Beta", slug="beta", summary="s", is_published=True
    )
    urls = sitemap_urls(HOST_A)
    base = "http://brand-a.localhost"
    assert {
        f"{base}/treatments/",
        f"{base}/treatments/ketamine-infusions/",
        f"{base}/clinicians/",
        f"{base}/clinicians/elena-rivera/",
        f"{base}/about/",
    } <= urls
    assert not any("/treatments/draft/" in url or "/treatments/beta/" in url for url in urls)
    beta_urls = sitemap_urls(HOST_B)
    assert "http://brand-b.localhost/treatments/beta/" in beta_urls
    assert "http://brand-b.localhost/clinicians/elena-rivera/" in beta_urls
    assert not any("/about/" in url for url in beta_urls)
