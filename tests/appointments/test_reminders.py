"""A reminder the day before a confirmed consultation: a row in the outbox that falls due,
withdrawn or moved with the consultation, in the patient's language, no health detail."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail

from appointments import services
from appointments.models import ConsultationRequest, NotificationKind
from outbox import sending
from outbox.models import Message, Status
from tests.appointments.conftest import NY, submit

WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=NY)
THURSDAY_11 = datetime(2026, 11, 26, 11, 0, tzinfo=NY)  # Thanksgiving is not kept here


@pytest.fixture
def request_sent(monday, location):
    submit(location, slot="", topic="")
    mail.outbox.clear()
    return ConsultationRequest.objects.get()


def reminders(item):
    return Message.objects.filter(consultation__pk=item.pk, kind=NotificationKind.REMINDER)


def test_a_confirmation_writes_a_reminder_due_the_day_before(request_sent):
    services.confirm_time(request_sent, WEDNESDAY_10, user=None)
    (reminder,) = reminders(request_sent)
    assert reminder.status == Status.PENDING
    assert reminder.next_attempt_at == WEDNESDAY_10 - timedelta(days=1)


def test_the_sender_sends_it_when_due_and_not_before(request_sent, monday):
    services.confirm_time(request_sent, WEDNESDAY_10, user=None)
    sending.send_due()
    mail.outbox.clear()  # the confirmation
    monday.move_to(WEDNESDAY_10 - timedelta(days=1, minutes=1))
    sending.send_due()
    assert mail.outbox == []
    monday.move_to(WEDNESDAY_10 - timedelta(days=1))
    sending.send_due()
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject.startswith("Reminder: your consultation on November 25")
    assert "10:00 AM" in message.body and "/consultation/manage/" in message.body
    # Nothing of what the patient wrote or asked about: no health detail.
    assert "sleeping" not in message.body.lower()
    assert reminders(request_sent).get().status == Status.SENT


def test_a_move_withdraws_the_reminder_and_writes_one_for_the_new_time(request_sent):
    services.confirm_time(request_sent, WEDNESDAY_10, user=None)
    first = reminders(request_sent).get()
    services.confirm_time(request_sent, THURSDAY_11, user=None)
    first.refresh_from_db()
    assert first.status == Status.CANCELLED
    pending = reminders(request_sent).filter(status=Status.PENDING).get()
    assert pending.next_attempt_at == THURSDAY_11 - timedelta(days=1)


def test_a_cancellation_withdraws_it(request_sent, monday):
    services.confirm_time(request_sent, WEDNESDAY_10, user=None)
    services.cancel(request_sent, reason="The clinician is ill.", user=None)
    assert reminders(request_sent).get().status == Status.CANCELLED
    monday.move_to(WEDNESDAY_10 - timedelta(hours=12))
    mail.outbox.clear()
    sending.send_due()
    assert not any(m.subject.startswith("Reminder") for m in mail.outbox)


def test_a_reminder_whose_time_changed_behind_its_back_is_not_sent(request_sent, monday):
    services.confirm_time(request_sent, WEDNESDAY_10, user=None)
    # Changed without the services (as a database edit would): the reminder checks.
    ConsultationRequest.objects.filter(pk=request_sent.pk).update(calendar_sequence=99)
    monday.move_to(WEDNESDAY_10 - timedelta(hours=20))
    mail.outbox.clear()
    sending.send_due()
    assert not any(m.subject.startswith("Reminder") for m in mail.outbox)
    assert reminders(request_sent).get().status == Status.CANCELLED


def test_no_reminder_for_a_consultation_less_than_a_day_away(request_sent):
    soon = datetime(2026, 11, 23, 15, 0, tzinfo=NY)  # this afternoon
    services.confirm_time(request_sent, soon, user=None)
    assert not reminders(request_sent).exists()


def test_the_reminder_is_in_the_patient_s_language(monday, location, brand_a):
    brand_a.languages = "en es"
    brand_a.save()
    submit(location, slot="", language="es")
    item = ConsultationRequest.objects.get()
    services.confirm_time(item, WEDNESDAY_10, user=None)
    mail.outbox.clear()
    with time_machine.travel(WEDNESDAY_10 - timedelta(hours=23), tick=False):
        sending.send_due()
    reminder = next(m for m in mail.outbox if m.subject.startswith("Recordatorio"))
    assert "miércoles 25 de noviembre" in reminder.subject
    assert (
        "Le recordamos su consulta" in reminder.body and "/es/consultation/manage/" in reminder.body
    )
