"""The demo is what a clinic would publish: pages that answer patients' real questions,
a privacy notice that says what, why, how long and whom to ask, and pictures."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command

from care.models import Clinician, Treatment
from pages.models import HomeSection
from tests.conftest import client_for


@pytest.fixture
def demo(demo, settings):
    """The module's demo (tests/conftest.py demo_world), its pages never cached."""
    settings.PAGE_CACHE_SECONDS = 0
    return demo


def text_of(brand: str, path: str) -> str:
    response = client_for(host=f"{brand}.localhost").get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser").select_one("main").get_text(" ")


@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_the_costs_page_answers_the_real_questions(demo, brand):
    text = text_of(brand, "/costs/")
    assert len(text.split()) > 300
    for subject in ["a session", "insurance", "HSA", "FSA", "superbill", "Medicare"]:
        assert subject.lower() in text.lower(), subject
    # Every treatment's price on the site is the price the costs page gives.
    for treatment in Treatment.objects.filter(brand__slug=brand):
        assert f"${treatment.price_from:,.0f}" in text, treatment.name


def test_the_spanish_costs_page_is_written_in_spanish(demo):
    text = text_of("kmd", "/es/costs/")
    assert "seguro" in text and "superbill" in text.lower() and len(text.split()) > 300


@pytest.mark.parametrize("brand", ["ignite", "kmd"])
@pytest.mark.parametrize("path", ["/first-visit/", "/about/"])
def test_the_first_visit_and_about_pages_say_enough(demo, brand, path):
    assert len(text_of(brand, path).split()) > 180


@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_the_privacy_page_says_what_why_how_long_and_whom_to_ask(demo, brand):
    text = text_of(brand, "/privacy/")
    for subject in ["What we collect", "Why", "Notice of privacy practices", "HIPAA"]:
        assert subject.lower() in text.lower(), subject
    assert f"{settings.CONSULTATION_RETENTION_DAYS} days" in text
    assert f"@{brand}.example" in text  # the privacy contact


def test_the_privacy_page_follows_the_retention_setting(demo, settings):
    settings.CONSULTATION_RETENTION_DAYS = 90
    assert "anonymised 90 days after" in text_of("ignite", "/privacy/")


def test_the_two_privacy_notices_are_each_the_brand_s_own(demo):
    ignite, kmd = text_of("ignite", "/privacy/"), text_of("kmd", "/privacy/")
    assert "Oregon" in ignite and "Florida" in kmd and ignite != kmd


def test_clinicians_have_portraits_and_home_pages_a_hero_picture(demo):
    assert all(person.photo and person.photo_alt for person in Clinician.objects.all())
    heroes = HomeSection.objects.across_brands().filter(kind="hero")
    assert heroes.count() == 2 and all(hero.image and hero.image_alt for hero in heroes)
    page = client_for(host="kmd.localhost").get("/")
    assert b"/media/home/" in page.content


def test_seeding_again_keeps_what_staff_changed(demo):
    person = Clinician.objects.get(slug="maya-okafor")
    person.photo_alt = "Dr. Okafor at her desk"
    person.save()
    call_command("seed_demo", verbosity=0)
    person.refresh_from_db()
    assert person.photo_alt == "Dr. Okafor at her desk"


def test_a_notice_s_short_first_sentences_are_its_headings():
    from clinic.templatetags.portal_tags import notice_paragraphs

    html = str(
        notice_paragraphs("Intro sentence that is long enough to stay.\n\nWhy. <b>To</b> help.\n")
    )
    assert html == (
        "<p>Intro sentence that is long enough to stay.</p>\n"
        "<p><strong>Why.</strong> &lt;b&gt;To&lt;/b&gt; help.</p>"
    )
