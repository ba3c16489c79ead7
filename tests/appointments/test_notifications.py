"""Notification e-mails: after commit, without personal details, retried until sent.

The outbox is the queue; one sender (appointments/sender.py) sends and retries, with
every limit derived from NOTIFICATION_RETRY_MINUTES.
"""

import io
import logging
import threading
from datetime import timedelta
from email import message_from_bytes

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from appointments import notify
from appointments.models import ConsultationRequest, NotificationKind, RequestStatus
from outbox import sending
from outbox.models import Message, Status
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
    assert Message.objects.filter(status=Status.SENT).count() == 2


def test_nothing_is_sent_before_the_request_is_committed(monday, location):
    submit(location)  # on_commit callbacks not run: the transaction never committed
    assert mail.outbox == []
    assert Message.objects.filter(status=Status.PENDING).count() == 2


def test_a_mail_server_failure_loses_nothing_and_is_retried(
    monday, location, settings, django_capture_on_commit_callbacks, caplog
):
    failing(settings)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        _, response = submit(location)
    assert response.status_code == 302  # the patient is not bothered with our outage
    saved = ConsultationRequest.objects.get()
    pending = Message.objects.filter(consultation__pk=saved.pk)
    assert {n.status for n in pending} == {Status.PENDING}
    assert {n.attempts for n in pending} == {1}
    assert {n.last_error for n in pending} == {"ConnectionRefusedError"}
    assert "ana@example.org" not in caplog.text and "Ana" not in caplog.text
    # The server comes back; the retry sweep sends once each is due.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_notifications", "--once", stdout=io.StringIO())
    assert mail.outbox == []  # not yet due
    monday.shift(timedelta(minutes=2))
    call_command("send_notifications", "--once", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert {n.status for n in pending.all()} == {Status.SENT}
    call_command("send_notifications", "--once", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # never twice


def test_it_gives_up_after_the_last_attempt_and_says_so_without_personal_data(
    submitted, settings, caplog
):
    failing(settings)
    item = Message.objects.create(
        about=submitted, brand_id=submitted.brand_id, kind=NotificationKind.INBOX
    )
    with caplog.at_level(logging.WARNING):
        for _ in range(sending.retry_policy().max_attempts):
            Message.objects.filter(pk=item.pk).update(next_attempt_at=timezone.now())
            sending.deliver(item.pk)
    item.refresh_from_db()
    assert item.status == Status.FAILED and item.attempts == 9
    assert f"Gave up sending inbox for request {submitted.reference}" in caplog.text
    assert "ana@example.org" not in caplog.text


def test_requests_marked_spam_before_sending_never_notify(monday, location):
    submit(location)
    saved = ConsultationRequest.objects.get()
    saved.status = RequestStatus.SPAM
    saved.save()
    sending.send_due()
    assert mail.outbox == []
    assert {n.status for n in saved.notifications.all()} == {Status.CANCELLED}


def test_a_brand_without_an_inbox_skips_that_e_mail(
    monday, location, brand_a, django_capture_on_commit_callbacks
):
    brand_a.notification_email = ""
    brand_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(location)
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_every_limit_follows_the_one_retry_setting(submitted, settings):
    """Waits, the number of attempts and the claim all come from one list."""
    settings.NOTIFICATION_RETRY_MINUTES = [2, 10]
    failing(settings)
    item = Message.objects.create(
        about=submitted, brand_id=submitted.brand_id, kind=NotificationKind.INBOX
    )
    started = timezone.now()
    with time_machine.travel(started, tick=False):
        sending.send_due()
    item.refresh_from_db()
    assert item.next_attempt_at - started == timedelta(minutes=2)
    with time_machine.travel(started + timedelta(minutes=2), tick=False):
        # While one sender holds it, no other may take it: for the first wait.
        assert sending._claim(item.pk) is not None
        assert sending._claim(item.pk) is None
    with time_machine.travel(started + timedelta(minutes=4), tick=False):
        assert sending._claim(item.pk) is not None  # that sender died: the row is free
    Message.objects.filter(pk=item.pk).update(attempts=1, next_attempt_at=started)
    with time_machine.travel(started + timedelta(minutes=5), tick=False):
        sending.send_due()
        item.refresh_from_db()
        assert item.attempts == 2
        assert item.next_attempt_at - timezone.now() == timedelta(minutes=10)
    Message.objects.filter(pk=item.pk).update(next_attempt_at=started)
    sending.send_due()
    item.refresh_from_db()
    assert item.status == Status.FAILED and item.attempts == 3


@pytest.mark.parametrize(
    "waits",
    ["", "0", "1,x", "-5", "1;5", "١"],  # empty, zero, junk, negative, Arabic one
)
def test_a_retry_setting_that_makes_no_sense_stops_start_up(waits):
    from tests.portal.test_settings import run_django

    result = run_django("check", NOTIFICATION_RETRY_MINUTES=waits)
    assert result.returncode != 0 and "NOTIFICATION_RETRY_MINUTES" in result.stderr


def test_an_email_timeout_longer_than_a_claim_stops_start_up():
    from tests.portal.test_settings import run_django

    result = run_django("check", NOTIFICATION_RETRY_MINUTES="1", EMAIL_TIMEOUT="30")
    assert result.returncode != 0 and "EMAIL_TIMEOUT" in result.stderr


def test_in_production_the_patients_request_never_waits_for_the_mail_server(
    monday, location, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_SENT_FROM = "sender"
    with django_capture_on_commit_callbacks(execute=True):
        submit(location)
    assert mail.outbox == []
    call_command("send_notifications", "--once", stdout=io.StringIO())
    assert len(mail.outbox) == 2


# The sender drops stale connections between rounds, as a long-running process must;
# that needs real commits, not the test's own outer transaction.
@pytest.mark.django_db(transaction=True)
def test_the_sender_sends_new_rows_and_retries_when_due(monday, location, settings):
    from outbox import sender

    settings.NOTIFICATIONS_SENT_FROM = "sender"
    failing(settings)
    submit(location)
    sender.run(poll=0, rounds=1)
    assert Message.objects.filter(attempts=1, status=Status.PENDING).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sender.run(poll=0, rounds=1)
    assert mail.outbox == []  # the retry is not due yet
    monday.shift(timedelta(minutes=1))
    sender.run(poll=0, rounds=1)
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_the_sender_rides_out_a_database_outage(monkeypatch, caplog):
    """The database goes away for two rounds: the sender logs, waits and carries on."""
    from django.db import OperationalError

    from outbox import sender

    answers = iter([OperationalError("gone"), OperationalError("gone"), 0, 0])
    rounds = []

    def send_due():
        answer = next(answers)
        rounds.append(answer)
        if isinstance(answer, Exception):
            raise answer
        return answer

    pauses = []

    class Stop(threading.Event):
        def wait(self, timeout=None):
            pauses.append(timeout)
            return False

    monkeypatch.setattr(sending, "send_due", send_due)
    with caplog.at_level(logging.WARNING):
        sender.run(poll=1.0, rounds=3, stop=Stop())
    assert len(rounds) == 3
    assert pauses == [1.0, 2.0, 1.0]  # a growing pause while it is down, then normal
    assert caplog.text.count("Database unavailable (OperationalError)") == 2
    assert "sending resumed" in caplog.text


def test_the_confirmation_carries_a_calendar_invitation(submitted):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    mail.outbox.clear()
    submitted.confirmed_slot = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    submitted.save()
    notify.queue_confirmation(submitted)
    sending.send_due()
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    assert "Tuesday, November 24, 2026, 10:00 AM" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("consultation.ics", "text/calendar; method=REQUEST")
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
        assert Message.objects.filter(status=Status.SENT).count() == 2

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


def test_every_attempt_of_a_row_is_the_same_message(submitted, monday):
    """A copy sent again (the sender died after the mail server took it) is the same
    e-mail: one Message-ID per outbox row, none shared between rows, no personal data."""
    from appointments.notify import compose

    rows = list(Message.objects.filter(consultation__pk=submitted.pk))
    first = [compose(row).extra_headers["Message-ID"] for row in rows]
    again = [compose(row).extra_headers["Message-ID"] for row in rows]
    assert first == again and len(set(first)) == len(rows) == 2
    sent = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert sent == set(first)
    for value in first:
        assert value.startswith("<notification.") and value.endswith(">")
        assert submitted.reference not in value and "ana" not in value.lower()
