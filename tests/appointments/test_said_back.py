"""What the patient chose is what they read (issue 32, item 4): the thanks page and the
acknowledgment repeat the location with its own phone number, the preferred time where
the clinic is (with its zone) and how we will be in touch, and nothing about health."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from appointments.models import ConsultationRequest
from tests.appointments.conftest import submit
from tests.factories import reference_location


@pytest.fixture
def two_places(brand_a):
    brand_a.phone = "+13055550100"
    brand_a.save()
    first = reference_location(brand_a, slug="brickell", name="Brickell", phone="+13055550182")
    second = reference_location(
        brand_a, slug="lauderdale", name="Fort Lauderdale", phone="+19545550147"
    )
    return first, second


def thanks_of(client, answer):
    assert answer.status_code == 302
    page = client.get(answer["Location"])
    return BeautifulSoup(page.content, "html.parser").select_one("dl.your-request")


def test_the_thanks_page_repeats_place_phone_time_and_contact(monday, two_places):
    _brickell, lauderdale = two_places
    client, answer = submit(
        lauderdale, slot=f"{lauderdale.pk}|2026-11-24T15:00Z", contact_method="email"
    )
    said = thanks_of(client, answer).get_text(" ", strip=True)
    assert "Fort Lauderdale, 1 Main Street" in said
    assert "(954) 555-0147" in said and "(305)" not in said
    assert "Tuesday, November 24, 10 A.M. EST" in said  # 15:00 UTC, read in Florida
    assert "E-mail" in said


def test_a_described_time_or_none_is_said_as_such(monday, two_places):
    brickell, _ = two_places
    client, answer = submit(brickell, slot="", preference_note="Weekday mornings")
    said = thanks_of(client, answer).get_text(" ", strip=True)
    assert "as you described it in the form" in said and "Weekday mornings" not in said
    client, answer = submit(brickell, slot="", preference_note="")
    assert "no preference" in thanks_of(client, answer).get_text(" ", strip=True)


def test_the_acknowledgment_gives_the_chosen_location_s_number(
    monday, two_places, django_capture_on_commit_callbacks
):
    _brickell, lauderdale = two_places
    with django_capture_on_commit_callbacks(execute=True):
        submit(lauderdale, slot=f"{lauderdale.pk}|2026-11-24T15:00Z", contact_method="text")
    request = ConsultationRequest.objects.get()
    (acknowledgment,) = [m for m in mail.outbox if m.to == [request.email]]
    text = acknowledgment.body
    assert "Location: Fort Lauderdale, 1 Main Street" in text
    assert "call (954) 555-0147" in text and "(305)" not in text
    assert "Preferred time: Tuesday, November 24, 10 A.M. EST" in text
    assert "How we contact you: Text message" in text
    html = acknowledgment.alternatives[0][0]
    assert 'href="tel:+19545550147"' in html
    # Never what they wrote about their health.
    assert "sleeping" not in text and "sleeping" not in html


def test_the_talk_now_box_and_the_chosen_location_follow_the_open_one(brand_a, two_places):
    """Brickell closed for a special day, Fort Lauderdale open: the box rings Fort
    Lauderdale and the form starts on it."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from clinic.models import SpecialHours
    from tests.conftest import HOST_A, client_for

    brickell, lauderdale = two_places
    SpecialHours.objects.create(location=brickell, first_day=date(2026, 11, 24), label="Training")
    with time_machine.travel(datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("America/New_York"))):
        page = BeautifulSoup(client_for(host=HOST_A).get("/consultation/").content, "html.parser")
    box = page.select_one("aside .closing-cta").get_text(" ", strip=True)
    assert "(954) 555-0147" in box and "(305)" not in box
    assert "Fort Lauderdale: Open now" in box
    chosen = page.select_one("select[name=location] option[selected]")
    assert chosen["value"] == str(lauderdale.pk)


def test_the_time_picker_names_the_clinic_s_clock(monday, two_places, brand_b):
    from tests.conftest import HOST_A, HOST_B, client_for

    page = BeautifulSoup(client_for(host=HOST_A).get("/consultation/").content, "html.parser")
    help_text = page.select_one("#div_id_slot .form-text, #id_slot_helptext").get_text(" ")
    assert "Times are local time in Miami (EST)." in " ".join(help_text.split())
    reference_location(brand_b, slug="pdx", name="Pearl", time_zone="America/Los_Angeles")
    reference_location(brand_b, slug="mia", name="Brickell B")
    page = BeautifulSoup(client_for(host=HOST_B).get("/consultation/").content, "html.parser")
    help_text = " ".join(page.select_one("#id_slot_helptext").get_text(" ").split())
    assert "Miami (PST)" in help_text and "Miami (EST)" in help_text
