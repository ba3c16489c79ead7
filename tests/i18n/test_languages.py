"""A brand's site in each language it offers: the language in the address, hreflang
pairs both ways, a switcher, and caches that never mix two languages."""

import re

import pytest
import time_machine
from django.core import mail

from appointments.models import ConsultationRequest
from portal import languages
from tests.appointments.conftest import MONDAY_9AM, form_page, valid_data
from tests.conftest import HOST_A, HOST_B, client_for

# --- the pure rules --------------------------------------------------------------------


def test_the_prefix_names_the_language_and_the_main_language_has_none():
    assert languages.prefix_of("/es/articles/") == "es"
    assert languages.prefix_of("/es") == "es"
    assert languages.prefix_of("/articles/") is None
    assert languages.prefix_of("/en/articles/") is None  # English is never prefixed
    assert languages.prefix_of("/estate/") is None
    assert languages.without_prefix("/es/faq/") == "/faq/"
    assert languages.without_prefix("/faq/") == "/faq/"
    assert languages.path_in("/faq/", "es") == "/es/faq/"
    assert languages.path_in("/es/faq/", "en") == "/faq/"
    assert languages.path_in("/es/", "es") == "/es/"


def test_a_one_language_site_has_no_alternates_and_a_two_language_one_names_each():
    assert languages.alternates("/faq/", ("en",), "en") == []
    pairs = languages.alternates("/es/faq/", ("en", "es"), "es")
    assert [(a.code, a.name, a.path, a.current) for a in pairs] == [
        ("en", "English", "/faq/", False),
        ("es", "Español", "/es/faq/", True),
    ]


def test_stored_languages_are_read_in_the_settings_order_and_unknown_codes_dropped():
    assert languages.split_codes("es en") == ("en", "es")
    assert languages.split_codes("en fr <b>") == ("en",)


# --- the public site ---------------------------------------------------------------------


@pytest.fixture
def bilingual(brand_b):
    brand_b.languages = "en es"
    brand_b.save()
    return brand_b


def alternate_links(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


@pytest.mark.parametrize("path", ["/", "/articles/", "/locations/", "/faq/", "/consultation/"])
def test_each_page_names_its_language_and_its_pair_points_back(bilingual, path):
    client = client_for(host=HOST_B)
    english = client.get(path)
    spanish = client.get(f"/es{path}")
    assert english.status_code == spanish.status_code == 200
    english_html, spanish_html = english.content.decode(), spanish.content.decode()
    assert '<html lang="en">' in english_html and '<html lang="es">' in spanish_html
    assert english["Content-Language"] == "en" and spanish["Content-Language"] == "es"
    base = f"http://{HOST_B}"
    expected = {"en": f"{base}{path}", "es": f"{base}/es{path}", "x-default": f"{base}{path}"}
    # Both pages list the same pairs: each links to the other and to itself.
    assert alternate_links(english_html) == expected
    assert alternate_links(spanish_html) == expected
    assert "Solicitar una consulta" in spanish_html and "Request a consultation" in english_html


def test_the_switcher_leads_to_the_same_page_in_the_other_language(bilingual):
    client = client_for(host=HOST_B)
    html = client.get("/articles/search/?q=sleep&utm_source=mail").content.decode()
    switcher = re.search(r'<nav class="language-switcher.*?</nav>', html, re.S).group(0)
    # The search is kept; a tracking parameter is not carried into the link.
    assert 'href="/es/articles/search/?q=sleep"' in switcher
    assert 'lang="es"' in switcher and "Español" in switcher
    assert 'aria-current="true"' in switcher and ">English<" in switcher


def test_a_one_language_brand_has_no_switcher_no_alternates_and_no_spanish_pages(brand_a):
    client = client_for(host=HOST_A)
    html = client.get("/").content.decode()
    assert "language-switcher" not in html and "hreflang" not in html
    assert client.get("/es/").status_code == 404
    assert client.get("/es/articles/").status_code == 404


def test_the_browser_language_never_changes_what_an_address_shows(bilingual, settings):
    settings.PAGE_CACHE_SECONDS = 60
    spanish_browser = client_for(host=HOST_B)
    first = spanish_browser.get("/", HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9")
    assert '<html lang="en">' in first.content.decode()
    assert "Accept-Language" not in first.get("Vary", "")
    # The Spanish page, then the English one again: the cache keeps them apart.
    assert '<html lang="es">' in client_for(host=HOST_B).get("/es/").content.decode()
    again = client_for(host=HOST_B).get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en">' in again.content.decode()


def test_the_spanish_form_is_never_stored_for_others_or_compressed(bilingual, settings):
    settings.PAGE_CACHE_SECONDS = 60
    response = client_for(host=HOST_B).get("/es/consultation/", HTTP_ACCEPT_ENCODING="gzip")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert response.get("Content-Encoding") != "gzip"
    assert "Surrogate-Key" not in response


# --- the patient's language --------------------------------------------------------------


@pytest.fixture
def bilingual_location(bilingual):
    from tests.factories import reference_location

    return reference_location(bilingual, slug="brickell", name="Brickell")


def test_the_form_asks_the_language_with_the_page_language_chosen(bilingual_location):
    client = client_for(host=HOST_B)
    html = client.get("/es/consultation/").content.decode()
    assert "¿En qué idioma prefiere que le atendamos?" in html
    assert re.search(r'value="es"[^>]*checked', html)
    english = client.get("/consultation/").content.decode()
    assert re.search(r'value="en"[^>]*checked', english)


def test_a_request_sent_in_spanish_is_answered_in_spanish(
    bilingual_location, django_capture_on_commit_callbacks
):
    client = client_for(host=HOST_B)
    _, token = form_page(client, "/es/consultation/")
    data = valid_data(bilingual_location, token, slot="", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/es/consultation/", data)
    assert response.status_code == 302 and response["Location"] == "/es/consultation/thanks/"
    saved = ConsultationRequest.objects.get()
    assert saved.language == "es"
    thanks = client.get(response["Location"]).content.decode()
    assert "Gracias, recibimos su solicitud" in thanks
    assert "<dt>Idioma</dt><dd>Español</dd>" in thanks
    patient = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert patient.subject.startswith("Recibimos su solicitud")
    assert "Gracias por comunicarse con nosotros." in patient.body
    assert "- Idioma: Español" in patient.body
    # The clinic's own announcement stays in the site's main language.
    inbox = next(m for m in mail.outbox if m.to != ["ana@example.org"])
    assert inbox.subject.startswith("New consultation request")


def test_an_english_page_may_ask_for_spanish_replies(
    bilingual_location, django_capture_on_commit_callbacks
):
    client = client_for(host=HOST_B)
    _, token = form_page(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/consultation/", valid_data(bilingual_location, token, slot="", language="es"))
    assert ConsultationRequest.objects.get().language == "es"
    patient = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert patient.subject.startswith("Recibimos su solicitud")


@pytest.mark.parametrize("value", ["fr", "<script>alert(1)</script>", "es' OR 1=1--", "ⅇs"])
def test_a_language_the_brand_does_not_offer_is_refused_and_nothing_saved(
    bilingual_location, value
):
    client = client_for(host=HOST_B)
    _, token = form_page(client)
    response = client.post(
        "/consultation/", valid_data(bilingual_location, token, slot="", language=value)
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_a_one_language_brand_does_not_ask_and_saves_its_language(brand_a):
    from tests.factories import reference_location

    place = reference_location(brand_a)
    client = client_for(host=HOST_A)
    html, token = form_page(client)
    assert "Which language should we use with you?" not in html.content.decode()
    client.post("/consultation/", valid_data(place, token, slot=""))
    assert ConsultationRequest.objects.get().language == "en"
    # Spanish sent to a one-language site is refused, not stored.
    _, token = form_page(client)
    response = client.post("/consultation/", valid_data(place, token, slot="", language="es"))
    assert response.status_code == 200 and ConsultationRequest.objects.count() == 1


@time_machine.travel(MONDAY_9AM, tick=False)  # a Monday morning: free times ahead
def test_the_calendar_file_speaks_the_patient_s_language(
    bilingual_location, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from appointments import services
    from appointments.slots import open_slots

    client = client_for(host=HOST_B)
    _, token = form_page(client, "/es/consultation/")
    client.post("/es/consultation/", valid_data(bilingual_location, token, slot="", language="es"))
    item = ConsultationRequest.objects.get()
    free = open_slots([bilingual_location], timezone.now() + timedelta(days=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_time(item, free[bilingual_location.pk][0].starts_at, user=None)
    confirmation = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    calendar = confirmation.attachments[0][1]
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "SUMMARY:Consulta · Beta Infusion Center" in calendar
    assert "Para cambiarla o cancelarla" in calendar.replace("\r\n ", "")
    assert "mañana" in calendar


def test_staff_links_get_the_language_prefix_unless_they_lead_outside_the_site():
    localize_link = languages.localize_link
    assert localize_link("/first-visit/", "es") == "/es/first-visit/"
    assert localize_link("/sitemap-guide/", "es") == "/es/sitemap-guide/"  # a page like any
    for root_only in ("/sitemap.xml", "/sitemap-site.xml", "/sitemap-articles-2.xml"):
        assert localize_link(root_only, "es") == root_only
    for outside in ("https://example.org/x/", "//cdn.example/x", "mailto:a@b.c", "/admin/"):
        assert localize_link(outside, "es") == outside
