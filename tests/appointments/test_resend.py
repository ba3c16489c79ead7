"""An answer that failed never lies, and sending the same request again never doubles it."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError
from django.utils import timezone

from appointments.models import ConsultationRequest
from tests.appointments.conftest import form_page, valid_data
from tests.conftest import HOST_A, client_for


def send(client, location, **fields):
    _, token = form_page(client)  # a fresh form each time, as after "back" and a reload
    return client.post("/consultation/", valid_data(location, token, **fields))


def test_the_same_request_sent_again_finds_the_first(monday, location):
    client = client_for(host=HOST_A)
    first = send(client, location)
    again = send(client_for(host=HOST_A), location)  # even from a new browser window
    assert first.status_code == again.status_code == 302
    assert ConsultationRequest.objects.count() == 1
    thanks = client_for(host=HOST_A)
    response = send(thanks, location)
    page = thanks.get(response["Location"]).content.decode()
    assert ConsultationRequest.objects.get().reference in page


def test_a_different_request_is_a_new_one(monday, location):
    client = client_for(host=HOST_A)
    send(client, location)
    send(client, location, message="And I forgot: mornings suit me best.")
    send(client, location, name="Another Patient", email="other@example.org")
    assert ConsultationRequest.objects.count() == 3


def test_after_the_window_the_same_request_is_new(monday, location):
    client = client_for(host=HOST_A)
    send(client, location)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        send(client, location, slot="")  # the first slot has passed by then
        send(client, location, slot="")  # ... and this one is a resend of that one
    assert ConsultationRequest.objects.count() == 2


def test_a_resend_from_another_address_is_not_matched(monday, location):
    from django.test import Client

    send(client_for(host=HOST_A), location)
    send(Client(HTTP_HOST=HOST_A, REMOTE_ADDR="10.9.8.7"), location)
    assert ConsultationRequest.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_when_the_session_cannot_be_saved_the_answer_is_still_the_thanks_page(
    monday, location, monkeypatch
):
    def broken(self, must_create=False):
        raise DatabaseError("the session store went away")

    client = client_for(host=HOST_A)
    _, token = form_page(client)
    monkeypatch.setattr(SessionStore, "save", broken)
    response = client.post("/consultation/", valid_data(location, token))
    saved = ConsultationRequest.objects.get()
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thank you, we have your request" in page and saved.reference in page
    assert "Nothing you sent was saved" not in page
    assert response["Cache-Control"].startswith("max-age=0")
    monkeypatch.undo()
    # Sending it again (as a patient unsure of it would) finds the first request.
    assert send(client, location).status_code == 302
    assert ConsultationRequest.objects.count() == 1
