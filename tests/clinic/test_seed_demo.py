"""seed_demo builds the demo world and is safe to run again."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from clinic.demo import DEMO_PASSWORD
from clinic.models import Brand, BrandDomain, BrandMembership, Role
from outbox.models import Message
from tests.conftest import client_for
from tests.two_factor import enrol


def counts():
    User = get_user_model()
    return (
        Brand.objects.count(),
        BrandDomain.objects.count(),
        User.objects.count(),
        BrandMembership.objects.count(),
    )


def test_it_creates_the_two_demo_brands_and_their_staff(demo):
    output = demo
    ignite = Brand.objects.get(slug="ignite")
    kmd = Brand.objects.get(slug="kmd")
    assert ignite.name == "Ignite Wellness Clinic" and ignite.is_default
    assert kmd.name == "K\\MD Wellness" and "South Florida" in kmd.tagline
    assert kmd.primary_domain == "kmd.localhost"
    for brand in (ignite, kmd):
        roles = set(brand.memberships.values_list("role", flat=True))
        assert roles == set(Role.values)
        brand.full_clean()  # the demo data passes the same validation as staff input
    assert "http://ignite.localhost:8000/" in output
    assert "http://kmd.localhost:8000/" in output
    assert DEMO_PASSWORD in output and "kmd-frontdesk" in output


def test_it_is_idempotent(demo):
    from appointments.models import ConsultationRequest
    from articles.models import Article
    from care.models import Clinician, Treatment
    from pages.models import FaqEntry, HomeSection, Page

    models = [ConsultationRequest, Article, Treatment, Clinician, Page, FaqEntry, HomeSection]

    def everything():
        return (*counts(), *(model.objects.across_brands().count() for model in models))

    first = everything()
    call_command("seed_demo", verbosity=0)
    assert everything() == first


def test_the_printed_logins_work(demo):
    client = client_for(host="kmd.localhost:8000")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "kmd-frontdesk", "password": DEMO_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    # Front desk sees patient data: the first sign-in sets up two-factor sign-in.
    first = client.get("/admin/")
    assert first.status_code == 302 and first["Location"].startswith("/admin/two-factor/set-up/")
    enrol(client)
    index = client.get("/admin/").content.decode()
    assert "Consultation requests" in index and "Articles" not in index


def test_the_demo_sites_answer_on_their_hosts(demo):
    assert "K\\MD Wellness" in client_for(host="kmd.localhost:8000").get("/").content.decode()
    assert client_for(host="127.0.0.1:8000").get("/").status_code == 200
    www = client_for(host="www.kmd.localhost:8000").get("/")
    assert www.status_code == 301 and www["Location"] == "http://kmd.localhost:8000/"


def test_the_demo_articles(demo):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from articles.models import Article, Status

    sleep = Article.objects.get(slug="can-ketamine-therapy-help-you-sleep")
    ptsd = Article.objects.get(slug="can-ketamine-infusion-therapy-help-treat-ptsd")
    assert sleep.is_live and ptsd.is_live
    assert sleep.hero_renditions and sleep.hero_alt
    for item in (sleep, ptsd):
        headings = item.body.count("<h2>")
        assert headings >= 5
        assert "Risks" in item.body and "session" in item.body.lower()
        assert item.reviewer_name and item.last_reviewed
    assert Article.objects.live().count() >= 6
    assert Article.objects.filter(status=Status.IN_REVIEW).count() == 1
    scheduled = Article.objects.get(slug="costs-and-insurance")
    assert not scheduled.is_live
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert scheduled.is_live
    assert {
        b.slug
        for b in Article.objects.get(slug="what-happens-during-a-ketamine-infusion").brands.all()
    } == {"ignite", "kmd"}
    for item in Article.objects.all():
        item.full_clean()


def test_the_demo_requests(demo):
    from appointments.models import ConsultationRequest

    for slug in ("ignite", "kmd"):
        statuses = set(
            ConsultationRequest.objects.filter(brand__slug=slug).values_list("status", flat=True)
        )
        assert {"new", "contacted", "completed"} <= statuses
    assert ConsultationRequest.objects.count() == 10
    assert not Message.objects.exists()  # demo data sends no e-mail


def test_the_shared_demo_article_has_an_image_in_its_structured_data(demo):
    import json

    from bs4 import BeautifulSoup

    for host in ("ignite.localhost", "kmd.localhost"):
        page = client_for(host=host).get("/articles/what-happens-during-a-ketamine-infusion/")
        soup = BeautifulSoup(page.content, "html.parser")
        data = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
        web_page = next(d for d in data if d.get("@type") == "MedicalWebPage")
        assert web_page["image"].startswith(f"http://{host}/media/"), host


def test_the_demo_clinics_have_a_whole_site_each(demo):
    from bs4 import BeautifulSoup

    from care.models import Clinician, Treatment
    from pages.models import FaqEntry, HomeSection, Page, Testimonial

    looks = set()
    for slug in ("ignite", "kmd"):
        brand = Brand.objects.get(slug=slug)
        assert Treatment.objects.for_brand(brand).filter(is_published=True).count() >= 3
        assert 2 <= Clinician.objects.for_brand(brand).filter(is_published=True).count() <= 4
        assert FaqEntry.objects.for_brand(brand).filter(is_published=True).count() >= 6
        assert Page.objects.for_brand(brand).filter(slug="costs", is_published=True).exists()
        assert HomeSection.objects.for_brand(brand).filter(is_published=True).count() >= 6
        assert Testimonial.objects.for_brand(brand).shown().exists()
        assert brand.logo and brand.favicon
        looks.add((brand.typeface, brand.look, brand.primary_color))
        home = client_for(host=f"{slug}.localhost").get("/")
        soup = BeautifulSoup(home.content, "html.parser")
        assert soup.select_one(".site-logo")["src"] == brand.logo.url
        assert len(soup.select(".home-section")) >= 6
    assert len({typeface for typeface, _look, _colour in looks}) == 2
    assert len({look for _typeface, look, _colour in looks}) == 2
    # Ignite's banner promises PTSD care: its PTSD topic has an explainer.
    ptsd = client_for(host="ignite.localhost").get("/articles/topic/ptsd/")
    assert ptsd.status_code == 200
    assert "/articles/can-ketamine-infusion-therapy-help-treat-ptsd/" in ptsd.content.decode()


def test_each_brands_medical_reviewer_signs_in_and_finds_the_articles_sent_to_them(demo):
    from articles import review
    from articles.models import Article, Status

    assert "ignite-reviewer" in demo
    reviewer = get_user_model().objects.get(username="ignite-reviewer")
    clinician = reviewer.clinician_profile
    assert clinician.brands.filter(slug="ignite").exists()
    draft = Article.objects.across_brands().filter(canonical_brand__slug="ignite").first()
    Article.objects.across_brands().filter(pk=draft.pk).update(status=Status.DRAFT)
    draft.refresh_from_db()
    review.send(
        draft, clinician=clinician, user=get_user_model().objects.get(username="ignite-editor")
    )
    client = client_for(reviewer, host="ignite.localhost:8000")
    index = client.get("/admin/").content.decode()
    assert "Waiting for your medical review" in index and draft.title in index
