"""Every public form and every staff text that reaches a public page, the feed, the
sitemap, JSON-LD, e-mails or the CSV export is tried with the hostile payloads."""

import csv
import io
import json
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from appointments import notify
from appointments.models import ConsultationRequest, NotificationKind
from articles.models import Topic
from clinic.models import SpecialHours
from outbox import sending
from portal.text import without_controls
from tests.appointments.conftest import submit
from tests.conftest import HOST_A, client_for, content_of
from tests.factories import article, reference_location
from tests.security.hostile import FORM_ONLY, PAYLOADS, assert_inert_html
from tests.sitemaps import sitemap_files

PUBLIC_PAGES = [
    "/",
    "/privacy/",
    "/locations/",
    "/locations/hostile/",
    "/articles/",
    "/articles/hostile-article/",
    "/articles/topic/hostile-topic/",
    "/articles/search/?q=hostile",
    "/consultation/",
    "/consultation/thanks/",
    "/no-such-page/",
]


def fit(value: str, field) -> str:
    return value[: field.max_length] if field.max_length else value


@pytest.fixture
def hostile_world(request, brand_a):
    """Put one payload into every staff-editable text that is shown to the public."""
    payload = request.param
    from clinic.models import Brand, Location

    for name in ("tagline", "cta_heading", "cta_text", "privacy_notice"):
        setattr(brand_a, name, fit(payload, Brand._meta.get_field(f"{name}_en")))
    brand_a.name = fit("Alpha " + payload, Brand._meta.get_field("name"))
    brand_a.save()
    place = reference_location(
        brand_a, slug="hostile", name=fit(payload, Location._meta.get_field("name"))
    )
    for name in ("street_address", "locality", "region", "postal_code"):
        setattr(place, name, fit(payload, Location._meta.get_field(name)))
    place.save()
    SpecialHours.objects.create(location=place, first_day=date(2026, 12, 25), label=payload[:80])
    topic = Topic.objects.create(
        name=payload[:80] or "t", slug="hostile-topic", description=payload[:300]
    )
    piece = article(
        brand_a,
        slug="hostile-article",
        title=payload[:200],
        summary=payload[:300],
        body=f'<h2>{payload}</h2><p>{payload}</p><p><a href="{payload}">link</a></p>',
        hero_alt=payload[:250],
        seo_title=payload[:70],
        seo_description=payload[:160],
        reviewer_name=payload[:120],
        topics=(),
    )
    piece.topics.add(topic)
    return payload


@pytest.mark.parametrize("hostile_world", PAYLOADS, indirect=True)
def test_public_pages_stay_inert(hostile_world):
    client = client_for(host=HOST_A)
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_inert_html(response.content.decode())


@pytest.mark.parametrize("hostile_world", PAYLOADS, indirect=True)
def test_payloads_are_shown_as_text(hostile_world):
    from bs4 import BeautifulSoup

    page = client_for(host=HOST_A).get("/articles/hostile-article/")
    soup = BeautifulSoup(page.content, "html.parser")
    shown = without_controls(hostile_world[:200])  # control characters are dropped on save
    assert soup.h1.get_text() == shown  # exactly the text, nothing evaluated
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["headline"] == shown
    location = BeautifulSoup(
        client_for(host=HOST_A).get("/locations/hostile/").content, "html.parser"
    )
    clinic = json.loads(location.find("script", type="application/ld+json").string)
    assert clinic["address"]["streetAddress"] == without_controls(hostile_world[:200])


@pytest.mark.parametrize("hostile_world", PAYLOADS, indirect=True)
def test_feed_and_sitemap_stay_well_formed(hostile_world):
    client = client_for(host=HOST_A)
    feed = ElementTree.fromstring(client.get("/articles/feed/").content)
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert without_controls(hostile_world[:200]) in titles
    sitemap_files(HOST_A)  # the index and every file it names parse
    assert client.get("/robots.txt").status_code == 200


FORM_FIELDS = ["name", "message", "preference_note", "email", "phone"]


@pytest.mark.parametrize("payload", PAYLOADS + FORM_ONLY)
def test_the_consultation_form_refuses_or_stores_hostile_input_safely(
    monday, location, front_desk_a, payload
):
    """Each field in turn takes the payload: either the form comes back with a message
    and nothing is saved, or the request is saved. The fields that accept it then take
    it all at once, and the patient's thanks page and the staff's change page show it
    inert (each field is rendered on its own, so one page proves them all)."""
    patient = client_for(host=HOST_A)
    accepting = {}
    for field in FORM_FIELDS:
        _, response = submit(location, client=patient, **{field: payload})
        assert response.status_code in (200, 302), field
        if response.status_code == 200:
            assert_inert_html(response.content.decode())
            assert not ConsultationRequest.objects.exists(), field  # refused, with a message
            continue
        accepting[field] = payload
        # Removed so that the next field is this client's first request again (the
        # rate limit counts saved requests).
        ConsultationRequest.objects.all().delete()
    if not accepting:
        return
    _, response = submit(location, client=patient, **accepting)
    assert response.status_code == 302, sorted(accepting)
    saved = ConsultationRequest.objects.get()
    assert_inert_html(patient.get("/consultation/thanks/").content.decode())
    staff_page = client_for(front_desk_a).get(
        reverse("admin:appointments_consultationrequest_change", args=[saved.pk])
    )
    assert staff_page.status_code == 200
    soup = assert_inert_html(staff_page.content.decode(), admin=True)
    assert soup.find("script", string=lambda s: s and "alert" in s) is None


@pytest.mark.parametrize("payload", PAYLOADS)
def test_e_mails_and_csv_export_stay_inert(monday, brand_a, location, front_desk_a, payload):
    from bs4 import BeautifulSoup

    brand_a.name = "Alpha " + payload[:100]
    brand_a.save()
    location.name = payload[:120]
    location.save()
    request = ConsultationRequest.objects.create(
        brand=brand_a,
        location=location,
        name=payload[:120],
        email="pat@example.org",
        phone="+13055550147",
        message=payload,
        preference_note=payload[:200],
        confirmed_slot=timezone.now() + timedelta(days=1),
    )
    notify.queue(
        request,
        NotificationKind.INBOX,
        NotificationKind.ACKNOWLEDGMENT,
        NotificationKind.CONFIRMATION,
    )
    sending.send_due()
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert "\n" not in message.subject
        for private in ("Quentin", "secret-marker", "5550147"):
            assert private not in message.body and private not in message.subject
        html = BeautifulSoup(message.alternatives[0][0], "html.parser")
        for element in html.find_all(True):
            assert element.name not in ("script", "iframe", "svg", "img")
            assert not [a for a in element.attrs if a.startswith("on")]
        message.message()  # headers encode cleanly
    export = client_for(front_desk_a).get(reverse("admin:appointments_consultationrequest_export"))
    for row in csv.reader(io.StringIO(content_of(export).decode())):
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_a_brand_name_with_a_line_break_cannot_inject_headers(monday, brand_a, location):
    brand_a.name = "Alpha\r\nBcc: victim@example.org"
    brand_a.save()
    request = ConsultationRequest.objects.create(
        brand=brand_a, location=location, name="P", email="pat@example.org", phone="+13055550147"
    )
    notify.queue(request, NotificationKind.ACKNOWLEDGMENT)
    sending.send_due()
    message = mail.outbox[0]
    assert message.bcc == [] and "victim" not in str(message.message()["Bcc"] or "")
    assert (
        message.from_email.startswith("Alpha Bcc: victim@example.org <")
        or "\n" not in message.from_email
    )
