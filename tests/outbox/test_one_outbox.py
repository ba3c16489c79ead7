"""One outbox for every message: consultation e-mails and texts, reminders, staff
invitations, medical-review e-mails and password resets are all rows of
``outbox.Message``, sent and retried by the one sender.

For each kind the mail server (and the text provider) is cut while the message is
written and first tried; once it is back, every message arrives exactly once.
"""

from datetime import datetime, timedelta

import pytest
import sms
from django.core import mail

from appointments import self_service, services
from appointments.models import ConsultationRequest
from articles import review
from articles.models import Status as ArticleStatus
from care.models import Clinician
from clinic.models import Role
from outbox import kinds, sending
from outbox.models import Channel, Message, Status
from staff import invitations
from staff.models import Invitation
from staff.password_reset import StaffPasswordResetForm
from tests.appointments.conftest import NY, submit
from tests.factories import article, staff

TUESDAY_11 = datetime(2026, 11, 24, 11, 0, tzinfo=NY)
WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=NY)


class TextProviderDown:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("text provider down")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def world(monday, location, brand_a, editor_a, brand_admin_a, settings):
    """Brand A on a Monday morning, with an article to review and a clinician."""
    settings.NOTIFICATIONS_SENT_FROM = "sender"  # only the sender sends: nothing else
    settings.BACK_OFFICE_URL = "http://brand-a.localhost"
    editor_a.email = "editor@alpha.example"
    editor_a.save()
    doctor_login = staff("dr_rivera", (brand_a, Role.EDITOR))
    doctor_login.email = "rivera@alpha.example"
    doctor_login.save()
    doctor = Clinician.objects.create(name="Dana Rivera", slug="dana-rivera", account=doctor_login)
    doctor.brands.set([brand_a])
    draft = article(
        brand_a,
        slug="sleep-after-an-infusion",
        status=ArticleStatus.DRAFT,
        publish_at=None,
        author=editor_a,
    )
    return {
        "clock": monday,
        "location": location,
        "brand": brand_a,
        "editor": editor_a,
        "brand_admin": brand_admin_a,
        "doctor": doctor,
        "draft": draft,
    }


def a_request(world, **fields) -> ConsultationRequest:
    submit(world["location"], slot="", contact_method="text", **fields)
    return ConsultationRequest.objects.latest("created")


def everything_sent_now():
    """The server is up: send what is waiting, so the scenario starts clean."""
    sending.send_due()
    mail.outbox.clear()
    sms.outbox.clear()


def booked(world) -> ConsultationRequest:
    item = a_request(world)
    services.confirm_time(item, TUESDAY_11, user=None)
    everything_sent_now()
    return item


def new_request(world):
    a_request(world)


def confirmation(world):
    item = a_request(world)
    everything_sent_now()
    services.confirm_time(item, TUESDAY_11, user=None)


def reschedule(world):
    services.confirm_time(booked(world), WEDNESDAY_10, user=None)


def cancellation(world):
    services.cancel(booked(world), reason="The clinic is closed.", user=None)


def patient_change(world):
    self_service.cancel(booked(world))


def reminder(world):
    booked(world)
    world["clock"].move_to(TUESDAY_11 - timedelta(hours=23))  # its reminder is due


def invitation(world):
    invitations.invite(
        Invitation(brand=world["brand"], email="new.colleague@alpha.example", role=Role.EDITOR),
        by=world["brand_admin"],
    )


def review_sent(world):
    review.send(world["draft"], user=world["editor"], clinician=world["doctor"])


def review_decided(world):
    sent = review.send(world["draft"], user=world["editor"], clinician=world["doctor"])
    everything_sent_now()
    review.decide(sent, approve=False, comment="Name the study you cite.")


def password_reset(world):
    form = StaffPasswordResetForm({"email": "editor@alpha.example"})
    assert form.is_valid()
    form.queue()


SCENARIOS = {
    new_request: {"inbox", "acknowledgment", "sms:acknowledgment"},
    confirmation: {"confirmation", "sms:confirmation"},
    reschedule: {"reschedule", "sms:reschedule"},
    cancellation: {"cancellation", "sms:cancellation"},
    patient_change: {"cancellation", "sms:cancellation", "patient_change"},
    reminder: {"reminder", "sms:reminder"},
    invitation: {"invitation"},
    review_sent: {"review_requested", "review_sent"},
    review_decided: {"review_decided", "review_recorded"},
    password_reset: {"password_reset"},
}


def due_rows() -> list[Message]:
    return list(Message.objects.filter(status=Status.PENDING, next_attempt_at__lte=_now()))


def _now():
    from django.utils import timezone

    return timezone.now()


def label(row: Message) -> str:
    return f"sms:{row.kind}" if row.channel == Channel.TEXT else row.kind


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_every_kind_arrives_once_after_the_mail_server_returns(world, scenario, settings):
    up_mail, up_texts = settings.EMAIL_BACKEND, settings.SMS_BACKEND
    scenario(world)
    written = due_rows()
    assert {label(row) for row in written} == SCENARIOS[scenario]

    settings.EMAIL_BACKEND = "tests.appointments.test_notifications.FailingBackend"
    settings.SMS_BACKEND = f"{__name__}.TextProviderDown"
    sending.send_due()
    assert mail.outbox == [] and sms.outbox == []
    for row in written:
        row.refresh_from_db()
        assert (row.status, row.attempts) == (Status.PENDING, 1), label(row)
        assert row.last_error in ("ConnectionRefusedError", "ConnectionError")

    settings.EMAIL_BACKEND, settings.SMS_BACKEND = up_mail, up_texts
    sending.send_due()
    assert mail.outbox == []  # not before its retry is due
    world["clock"].shift(sending.retry_policy().wait_after(1))
    sending.send_due()
    sending.send_due()  # a second pass sends nothing again

    for row in written:
        row.refresh_from_db()
        assert row.status == Status.SENT, label(row)
    emails = [row for row in written if row.channel == Channel.EMAIL]
    texts = [row for row in written if row.channel == Channel.TEXT]
    assert len(mail.outbox) == len(emails) and len(sms.outbox) == len(texts)
    # Each e-mail is its own row's message: one Message-ID each, nothing shared.
    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        sending.message_id(row) for row in emails
    )
    for message in mail.outbox:
        assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_staff_and_review_e_mails_carry_nothing_about_a_patient(world):
    """The new kinds are composed when sent, from what they are about: never a
    patient's name, contact or message."""
    item = a_request(world)
    invitation(world)
    review_decided(world)
    password_reset(world)
    sending.send_due()
    for message in mail.outbox:
        if message.to == [item.email]:
            continue
        text = f"{message.subject} {message.body}"
        for private in (item.name, item.email, str(item.phone), item.message):
            assert private not in text


def test_an_invitation_sent_again_while_the_first_waits_goes_once_with_the_new_date(world):
    invited = invitations.invite(
        Invitation(brand=world["brand"], email="late@alpha.example", role=Role.EDITOR),
        by=world["brand_admin"],
    )
    world["clock"].shift(timedelta(days=3))
    assert invitations.send_again(invited)
    sending.send_due()
    (message,) = mail.outbox
    invited.refresh_from_db()
    assert invited.expires_at.strftime("%B %-d, %Y") in message.body


def test_a_withdrawn_invitation_is_not_sent(world):
    invited = invitations.invite(
        Invitation(brand=world["brand"], email="gone@alpha.example", role=Role.EDITOR),
        by=world["brand_admin"],
    )
    invited.delete()  # the brand admin withdrew it: its message goes with it
    assert sending.send_due() == 0 and mail.outbox == []
    accepted = invitations.invite(
        Invitation(brand=world["brand"], email="quick@alpha.example", role=Role.EDITOR),
        by=world["brand_admin"],
    )
    invitations.accept(accepted, world["editor"])  # accepted before the e-mail went
    sending.send_due()
    assert mail.outbox == []
    assert Message.objects.get().last_error == "no longer open"


def test_a_kind_nobody_composes_is_refused_when_written(world):
    with pytest.raises(LookupError):
        sending.write(world["brand"], "postcard")
    with pytest.raises(ValueError):
        kinds.register("invitation", compose=lambda row: None)
