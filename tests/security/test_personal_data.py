"""Patients' details stay out of logs, URLs and staff e-mails; addresses are hashed."""

import logging

from django.core import mail
from django.forms.models import model_to_dict
from django.test import RequestFactory, override_settings

from appointments.models import ConsultationRequest
from appointments.privacy import client_hash
from appointments.views import consultation_form
from tests.appointments.conftest import submit
from tests.conftest import HOST_A

PRIVATE = ["Ana María", "O'Neil", "ana@example.org", "555-0147", "5550147", "trouble sleeping"]


def test_nothing_personal_reaches_logs_urls_or_staff_mail(
    monday, location, caplog, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.appointments.test_notifications.FailingBackend"
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        client, response = submit(location)  # the mail server is down, so warnings are logged
        thanks = client.get(response["Location"])
    assert caplog.records, "expected the failed e-mails to be logged"
    for private in PRIVATE:
        assert private not in caplog.text, private
        assert private not in response["Location"]
        assert private not in thanks.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from outbox.sending import send_due

    monday.shift(600)
    send_due()
    inbox = [m for m in mail.outbox if m.to == ["inbox@brand-a.example"]]
    assert inbox
    for private in PRIVATE:
        assert private not in inbox[0].subject + inbox[0].body + inbox[0].alternatives[0][0]


def test_the_client_address_is_stored_only_as_a_keyed_hash(monday, location, settings):
    submit(location)
    saved = ConsultationRequest.objects.get()
    assert "127.0.0.1" not in str(model_to_dict(saved))
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    assert saved.client_hash == client_hash(request)
    with override_settings(SECRET_KEY="another-key-" + "x" * 50):
        assert client_hash(request) != saved.client_hash  # keyed: useless without the key


def test_error_reports_hide_everything_a_patient_posted(brand_a):
    request = RequestFactory().post(
        "/consultation/", {"name": "Ana María", "email": "ana@example.org"}, HTTP_HOST=HOST_A
    )
    request.brand = brand_a
    request.session = {}
    consultation_form(request)
    assert request.sensitive_post_parameters == "__ALL__"
