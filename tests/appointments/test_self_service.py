"""The patient's own link: see the consultation, move it, cancel it or say which times
suit, through the admin's own rules; old, expired and forged links say what to do."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail, signing

from appointments import self_service, services
from appointments.models import AccessRecord, ConsultationRequest, RequestNote, RequestStatus
from tests.appointments.conftest import NY, submit
from tests.conftest import HOST_A, HOST_B, client_for

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=NY)
TUESDAY_11 = datetime(2026, 11, 24, 11, 0, tzinfo=NY)


@pytest.fixture
def sent(monday, location, django_capture_on_commit_callbacks):
    """A request sent on Monday morning, its e-mails delivered."""
    with django_capture_on_commit_callbacks(execute=True):
        submit(location, slot="")
    return ConsultationRequest.objects.get()


@pytest.fixture
def booked(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_time(sent, TUESDAY_10, user=None)
    sent.refresh_from_db()
    mail.outbox.clear()
    return sent


def link_in(message) -> str:
    return re.search(r"https?://\S+/consultation/manage/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_acknowledgment_carries_a_link_with_no_personal_data_in_it(sent):
    acknowledgment = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    url = link_in(acknowledgment)
    for secret in ("ana@example.org", "O'Neil", "5550147", sent.reference, "Ana%20Mar"):
        assert secret not in url
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert signing.TimestampSigner(salt=self_service.SALT).unsign_object(token) == {
        "r": sent.pk,
        "v": 0,
    }
    page = client_for(host=HOST_A).get(path_of(url))
    assert page.status_code == 200
    html = page.content.decode()
    assert sent.reference in html and "We have your request" in html
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-cache" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]


def test_the_confirmation_link_shows_the_time_in_the_clinic_s_zone(booked):
    page = client_for(host=HOST_A).get(self_service.link_for(booked))
    html = page.content.decode()
    assert "Tuesday, November 24, 10 A.M. EST" in html
    assert "Move it to another time" in html and "Cancel my consultation" in html


def test_a_patient_moves_the_consultation_to_a_free_time(
    booked, django_capture_on_commit_callbacks
):
    client = client_for(host=HOST_A)
    link = self_service.link_for(booked)
    form = client.get(link).content.decode()
    value = f"{booked.location.pk}|2026-11-24T16:00Z"  # 11:00 New York
    assert f'value="{value}"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"action": "move", "move-slot": value})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.confirmed_slot == TUESDAY_11 and booked.status == RequestStatus.SCHEDULED
    done = client.get(response["Location"]).content.decode()
    assert "It is moved" in done and "Tuesday, November 24, 11 A.M. EST" in done
    patient = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "has a new time" in patient.body
    clinic = next(m for m in mail.outbox if m.to != ["ana@example.org"])
    assert booked.reference in clinic.subject and "Ana" not in clinic.body
    assert RequestNote.objects.filter(request=booked, text__contains="moved").exists()
    assert AccessRecord.objects.filter(reference=booked.reference, detail="patient: moved").exists()
    # The old link is replaced by the one in the new e-mail.
    gone = client.get(link)
    assert gone.status_code == 410 and "most recent e-mail" in gone.content.decode()
    assert client.get(path_of(link_in(patient))).status_code == 200


def test_a_full_time_is_refused_and_nothing_changes(booked, location):
    location.slot_capacity = 1
    location.save()
    other = ConsultationRequest.objects.create(
        brand=booked.brand,
        location=location,
        reference="OTHER-1",
        name="B",
        email="b@example.org",
        phone="+13055550100",
    )
    services.confirm_time(other, TUESDAY_11, user=None)
    client = client_for(host=HOST_A)
    link = self_service.link_for(booked)
    value = f"{location.pk}|2026-11-24T16:00Z"
    response = client.post(link, {"action": "move", "move-slot": value})
    assert response.status_code == 400
    assert "not available any more" in response.content.decode()
    booked.refresh_from_db()
    assert booked.confirmed_slot == TUESDAY_10 and not mail.outbox


def test_cancelling_needs_the_box_then_frees_the_time_and_tells_everyone(
    booked, django_capture_on_commit_callbacks
):
    client = client_for(host=HOST_A)
    link = self_service.link_for(booked)
    unticked = client.post(link, {"action": "cancel"})
    assert unticked.status_code == 400 and "Tick the box" in unticked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"action": "cancel", "cancel-confirm": "on"})
    booked.refresh_from_db()
    assert booked.status == RequestStatus.CANCELLED and booked.cancelled_slot == TUESDAY_10
    assert not booked.slot_bookings.exists() if hasattr(booked, "slot_bookings") else True
    assert "It is cancelled" in client.get(response["Location"]).content.decode()
    assert any("is cancelled" in m.body for m in mail.outbox if m.to == ["ana@example.org"])
    # Nothing more to change: the page offers a new request instead.
    page = client.get(self_service.link_for(booked)).content.decode()
    assert "Move it to another time" not in page and "Request a consultation" in page


def test_a_patient_not_yet_booked_says_which_times_suit(sent):
    client = client_for(host=HOST_A)
    link = self_service.link_for(sent)
    empty = client.post(link, {"action": "availability"})
    assert empty.status_code == 400 and "Choose a time or tell us" in empty.content.decode()
    long = client.post(link, {"action": "availability", "availability-note": "x" * 201})
    assert long.status_code == 400 and "at most 200" in long.content.decode()
    hostile = "<script>alert(1)</script> mornings\u202e"
    response = client.post(link, {"action": "availability", "availability-note": hostile})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.preference_note == "<script>alert(1)</script> mornings"
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page
    # Moving needs a booked time: the action is refused for this request.
    assert client.post(link, {"action": "move", "move-slot": "x"}).status_code == 400


@pytest.mark.parametrize(
    "token",
    ["forged", "eyJyIjoxLCJ2IjowfQ:1abc:xyz", "<script>", "%00", "a" * 400],
)
def test_forged_links_find_nothing(sent, token):
    response = client_for(host=HOST_A).get(f"/consultation/manage/{token}/")
    assert response.status_code in (404, 410)
    if response.status_code == 410:
        assert "could not find a consultation" in response.content.decode()


def test_an_expired_link_or_another_clinic_s_host_finds_nothing(sent, brand_b):
    link = self_service.link_for(sent)
    assert client_for(host=HOST_B).get(link).status_code == 410
    with time_machine.travel(datetime.now(tz=NY) + timedelta(days=91)):
        expired = client_for(host=HOST_A).get(link)
    assert expired.status_code == 410 and "90 days" in expired.content.decode()


def test_changes_through_one_link_are_limited(sent):
    client = client_for(host=HOST_A)
    link = self_service.link_for(sent)
    for n in range(self_service.CHANGES_PER_HOUR):
        assert (
            client.post(link, {"action": "availability", "availability-note": f"n{n}"}).status_code
            == 302
        )
    refused = client.post(link, {"action": "availability", "availability-note": "again"})
    assert refused.status_code == 429 and "Please call us" in refused.content.decode()
    sent.refresh_from_db()
    assert sent.preference_note == f"n{self_service.CHANGES_PER_HOUR - 1}"


def test_a_spanish_patient_gets_a_spanish_page(monday, location, brand_a):
    brand_a.languages = "en es"
    brand_a.save()
    submit(location, slot="", language="es")
    item = ConsultationRequest.objects.get()
    link = self_service.link_for(item)
    assert link.startswith("/es/consultation/manage/")
    html = client_for(host=HOST_A).get(link).content.decode()
    assert '<html lang="es">' in html and "Su consulta" in html
