"""Notification e-mails: after commit, without personal details, retried until sent."""

import logging
from datetime import timedelta
from email import message_from_bytes

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from appointments import notify
from appointments.models import (
    ConsultationRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    RequestStatus,
)
from tests.appointments.conftest import submit

PERSONAL = ["Ana", "María", "O'Neil", "ana@example.org", "555-0147", "5550147", "sleeping"]


class FailingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down (ana@example.org)")


def failing(settings):
    settings.EMAIL_BACKEND = "tests.appointments.test_notifications.FailingBackend"


@pytest.fixture
def submitted(monday, location, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, response = submit(location)
    assert response.status_code == 302
    return ConsultationRequest.objects.get()


def test_the_inbox_gets_reference_place_and_link_but_no_personal_detail(submitted):
    inbox = next(m for m in mail.outbox if m.to == ["inbox@brand-a.example"])
    html = inbox.alternatives[0][0]
    for text in (inbox.subject, inbox.body, html):
        assert submitted.reference in text
        for private in PERSONAL:
            assert private not in text, private
    assert "Downtown clinic" in inbox.body
    assert (
        f"http://brand-a.localhost:8000/admin/appointments/consultationrequest/{submitted.pk}/change/"
        in inbox.body
    )
    assert inbox.from_email.startswith("Alpha Wellness <")


def test_the_patient_gets_an_acknowledgment_with_the_reference(submitted):
    ack = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert submitted.reference in ack.subject and submitted.reference in ack.body
    assert "sleeping" not in ack.body  # the message is not repeated back
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2


def test_nothing_is_sent_before_the_request_is_committed(monday, location):
    submit(location)  # on_commit callbacks not run: the transaction never committed
    assert mail.outbox == []
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 2


def test_a_mail_server_failure_loses_nothing_and_is_retried(
    monday, location, settings, django_capture_on_commit_callbacks, caplog
):
    failing(settings)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        _, response = submit(location)
    assert response.status_code == 302  # the patient is not bothered with our outage
    saved = ConsultationRequest.objects.get()
    pending = Notification.objects.filter(request=saved)
    assert {n.status for n in pending} == {NotificationStatus.PENDING}
    assert {n.attempts for n in pending} == {1}
    assert {n.last_error for n in pending} == {"ConnectionRefusedError"}
    assert "ana@example.org" not in caplog.text and "Ana" not in caplog.text
    # The server comes back; the retry sweep sends once each is due.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_notifications")
    assert mail.outbox == []  # not yet due
    monday.shift(timedelta(minutes=2))
    call_command("send_pending_notifications")
    assert len(mail.outbox) == 2
    assert {n.status for n in pending.all()} == {NotificationStatus.SENT}
    call_command("send_pending_notifications")
    assert len(mail.outbox) == 2  # never twice


def test_it_gives_up_after_the_last_attempt_and_says_so_without_personal_data(
    submitted, settings, caplog
):
    failing(settings)
    item = Notification.objects.create(request=submitted, kind=NotificationKind.INBOX)
    with caplog.at_level(logging.WARNING):
        for _ in range(notify.MAX_ATTEMPTS):
            Notification.objects.filter(pk=item.pk).update(next_attempt_at=timezone.now())
            notify.deliver(item.pk)
    item.refresh_from_db()
    assert item.status == NotificationStatus.FAILED and item.attempts == notify.MAX_ATTEMPTS
    assert f"Gave up sending inbox for request {submitted.reference}" in caplog.text
    assert "ana@example.org" not in caplog.text


def test_requests_marked_spam_before_sending_never_notify(monday, location):
    submit(location)
    saved = ConsultationRequest.objects.get()
    saved.status = RequestStatus.SPAM
    saved.save()
    notify.send_due()
    assert mail.outbox == []
    assert {n.status for n in saved.notifications.all()} == {NotificationStatus.CANCELLED}


def test_a_brand_without_an_inbox_skips_that_e_mail(
    monday, location, brand_a, django_capture_on_commit_callbacks
):
    brand_a.notification_email = ""
    brand_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(location)
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_retries_with_backoff(brand_a, settings):
    """The production backend (django-tasks-db): a failed send is queued again later."""
    from django_tasks_db.models import DBTaskResult

    from tests.factories import reference_location

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    failing(settings)
    place = reference_location(brand_a)
    request = ConsultationRequest.objects.create(
        brand=brand_a, location=place, name="P", email="p@example.org", phone="+13055550100"
    )
    notify.queue(request, NotificationKind.ACKNOWLEDGMENT)  # autocommit: enqueued at once
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    notification = request.notifications.get()
    assert notification.status == NotificationStatus.PENDING and notification.attempts == 1
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after is not None and retry.run_after > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert [m.to for m in mail.outbox] == [["p@example.org"]]


def test_the_confirmation_carries_a_calendar_invitation(submitted):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    mail.outbox.clear()
    submitted.confirmed_slot = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    submitted.save()
    notify.queue_confirmation(submitted)
    notify.send_due()
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    assert "Tuesday, November 24, 2026, 10:00 AM" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("consultation.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart").isoformat() == "2026-11-24T15:00:00+00:00"
    assert (event.decoded("dtend") - event.decoded("dtstart")) == timedelta(minutes=30)
    assert submitted.reference in str(event.get("description"))
    raw = message_from_bytes(message.message().as_bytes())
    assert raw.is_multipart()


class TestNoRequestGoesUnheard:
    def test_the_staff_alert_carries_no_health_detail(
        self, monday, location, sleep_piece, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            submit(location, topic=str(sleep_piece.topics.get().pk))
        saved = ConsultationRequest.objects.get()
        assert saved.topic.name == "Sleep"  # the patient chose a topic ...
        inbox = next(m for m in mail.outbox if m.to == ["inbox@brand-a.example"])
        for text in (inbox.subject, inbox.body, inbox.alternatives[0][0]):
            assert (
                "Sleep" not in text and "Topic" not in text
            )  # ... which staff read only in the admin

    def test_without_an_inbox_the_brand_admins_are_alerted(
        self, monday, location, brand_a, django_capture_on_commit_callbacks
    ):
        from tests.factories import Role, staff

        brand_a.notification_email = ""
        brand_a.save()
        for name, role in [("boss", Role.BRAND_ADMIN), ("deputy", Role.BRAND_ADMIN)]:
            user = staff(name, (brand_a, role))
            user.email = f"{name}@brand-a.example"
            user.save()
        staff("desk", (brand_a, Role.FRONT_DESK))
        gone = staff("former", (brand_a, Role.BRAND_ADMIN))
        gone.is_active, gone.email = False, "former@brand-a.example"
        gone.save()
        with django_capture_on_commit_callbacks(execute=True):
            submit(location)
        alert = next(m for m in mail.outbox if "New consultation request" in m.subject)
        assert sorted(alert.to) == ["boss@brand-a.example", "deputy@brand-a.example"]
        assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2

    def test_a_brand_with_nobody_to_alert_is_warned_about(self, brand_a, brand_admin_a):
        from django.core.checks.registry import registry

        from clinic.checks import brands_alert_someone
        from tests.conftest import client_for

        brand_a.notification_email = ""
        brand_a.save()
        brand_admin_a.email = ""
        brand_admin_a.save()
        page = client_for(brand_admin_a).get(f"/admin/clinic/brand/{brand_a.pk}/change/")
        assert "Nobody hears of this brand" in page.content.decode()
        assert brands_alert_someone in registry.get_checks(include_deployment_checks=True)
        assert [warning.id for warning in brands_alert_someone()] == ["clinic.W001"]
        brand_a.notification_email = "inbox@brand-a.example"
        brand_a.save()
        page = client_for(brand_admin_a).get(f"/admin/clinic/brand/{brand_a.pk}/change/")
        assert "Nobody hears of this brand" not in page.content.decode()
        assert brands_alert_someone() == []
