"""Text messages for patients who chose them: through the outbox and django-sms's backend,
in their language, nothing about their health, STOP honoured, a limit per number."""

import base64
from datetime import datetime, timedelta

import pytest
import sms
from django.core import mail

from appointments import services
from appointments.models import ConsultationRequest, TextOptOut
from outbox import sending
from outbox.models import Message, Status
from tests.appointments.conftest import NY, submit
from tests.conftest import HOST_A, client_for

WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=NY)
PHONE = "+13055550147"


@pytest.fixture
def texting(monday, location, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(location, slot="", contact_method="text")
    return ConsultationRequest.objects.get()


def texts_to(number=PHONE):
    return [message for message in sms.outbox if message.recipients == [number]]


def test_a_patient_who_chose_texts_gets_the_acknowledgment_by_text_too(texting):
    (text,) = texts_to()
    assert text.body.startswith("Alpha Wellness: We have your request")
    assert texting.reference in text.body and "/consultation/manage/" in text.body
    assert text.body.endswith("Reply STOP to stop texts.")
    assert "sleep" not in text.body.lower()  # what they wrote stays out
    assert any(m.to == ["ana@example.org"] for m in mail.outbox)  # the e-mail goes too


def test_a_patient_who_chose_a_call_gets_no_text(monday, location):
    submit(location, slot="")
    sending.send_due()
    assert sms.outbox == []
    assert not Message.objects.filter(channel="sms").exists()


def test_confirmation_move_and_reminder_are_texted(
    texting, monday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_time(texting, WEDNESDAY_10, user=None)
    assert (
        "confirmed for Wednesday, November 25, 10 A.M. EST at Downtown clinic"
        in texts_to()[-1].body
    )
    monday.move_to(WEDNESDAY_10 - timedelta(hours=23))
    sending.send_due()
    assert texts_to()[-1].body.startswith("Alpha Wellness: Reminder: your consultation is")


def test_stop_is_honoured_and_start_restarts(texting, settings, django_capture_on_commit_callbacks):
    settings.SMS_INBOUND_SECRET = "s3cret"
    client = client_for(host=HOST_A)
    auth = "Basic " + base64.b64encode(b"portal:s3cret").decode()
    answer = client.post(
        "/sms/inbound/", {"From": PHONE, "Body": " stop "}, HTTP_AUTHORIZATION=auth
    )
    assert answer.status_code == 200 and TextOptOut.objects.filter(phone=PHONE).exists()
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_time(texting, WEDNESDAY_10, user=None)
    assert texts_to() == []
    refused = Message.objects.filter(channel="sms", kind="confirmation").get()
    assert refused.status == Status.CANCELLED and refused.last_error == "opted out"
    assert any("confirmed" in m.subject for m in mail.outbox)  # the e-mail still goes
    client.post("/sms/inbound/", {"From": PHONE, "Body": "START"}, HTTP_AUTHORIZATION=auth)
    assert not TextOptOut.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"portal:wrong").decode()},
        {"HTTP_AUTHORIZATION": "Basic !!!"},
        {"HTTP_AUTHORIZATION": "Bearer s3cret"},
    ],
)
def test_replies_without_the_secret_are_refused(brand_a, settings, headers):
    settings.SMS_INBOUND_SECRET = "s3cret"
    response = client_for(host=HOST_A).post(
        "/sms/inbound/", {"From": PHONE, "Body": "STOP"}, **headers
    )
    assert response.status_code == 401 and not TextOptOut.objects.exists()


@pytest.mark.parametrize("sender", ["", "not a number", "<script>", "+1" + "9" * 40, "1' OR 1=1"])
def test_a_reply_from_nonsense_is_refused(brand_a, settings, sender):
    settings.SMS_INBOUND_SECRET = "s3cret"
    auth = "Basic " + base64.b64encode(b"portal:s3cret").decode()
    response = client_for(host=HOST_A).post(
        "/sms/inbound/", {"From": sender, "Body": "STOP"}, HTTP_AUTHORIZATION=auth
    )
    assert response.status_code == 400 and not TextOptOut.objects.exists()


def test_no_secret_configured_refuses_every_reply(brand_a, settings):
    settings.SMS_INBOUND_SECRET = ""
    auth = "Basic " + base64.b64encode(b"portal:").decode()
    response = client_for(host=HOST_A).post(
        "/sms/inbound/", {"From": PHONE, "Body": "STOP"}, HTTP_AUTHORIZATION=auth
    )
    assert response.status_code == 401


def test_one_number_gets_a_few_texts_a_day_whatever_is_submitted(monday, location, settings):
    settings.SMS_PER_NUMBER_PER_DAY = 2
    for _n in range(4):
        submit(location, slot="", contact_method="text")
    sending.send_due()
    assert len(texts_to()) == 2
    limited = Message.objects.filter(channel="sms", last_error="daily limit")
    assert limited.count() == 2


def test_a_failed_text_is_tried_again_through_the_outbox(texting, monday, monkeypatch):
    from sms.backends.locmem import SmsBackend

    def refuse(self, messages):
        raise ConnectionError("provider down")

    sms.outbox.clear()
    monkeypatch.setattr(SmsBackend, "send_messages", refuse)
    services.confirm_time(texting, WEDNESDAY_10, user=None)
    sending.send_due()
    row = Message.objects.get(channel="sms", kind="confirmation")
    assert row.status == Status.PENDING and row.last_error == "ConnectionError"
    monkeypatch.undo()
    monday.move_to(row.next_attempt_at)
    sending.send_due()
    row.refresh_from_db()
    assert row.status == Status.SENT and len(texts_to()) == 1


def test_a_spanish_patient_is_texted_in_spanish(
    monday, location, brand_a, django_capture_on_commit_callbacks
):
    brand_a.languages = "en es"
    brand_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(location, slot="", contact_method="text", language="es")
    (text,) = texts_to()
    assert "Tenemos su solicitud" in text.body and "/es/consultation/manage/" in text.body
    assert text.body.endswith("Responda STOP para no recibir más mensajes.")
