"""Notification e-mails about consultation requests, through an outbox.

The outbox is the queue: rows are written in the same transaction as the request, and
one sender sends them (``deliver``, driven by ``send_due``). Where the sender runs is
the only choice (``NOTIFICATIONS_SENT_FROM``): in the web process right after the
commit (development), or in the ``send_notifications`` process (production), which
also takes every retry. How often and how long a failed e-mail is retried, and how long
a claim on a row lasts, all come from one setting, ``NOTIFICATION_RETRY_MINUTES``.
Each row is sent at least once and is one message: every attempt carries the row's
Message-ID, so a copy sent again after a crash is the same e-mail (``message_id``).
Staff e-mails carry no name, contact detail or message, not even the topic: only the
reference, brand, location and a link to the admin.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from appointments import ics
from appointments.models import (
    ConsultationRequest,
    ContactMethod,
    Notification,
    NotificationKind,
    NotificationStatus,
    RequestStatus,
)
from clinic import links

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Everything about retrying, derived from the waits between attempts."""

    waits: tuple[timedelta, ...]

    @property
    def max_attempts(self) -> int:
        return len(self.waits) + 1

    @property
    def claim(self) -> timedelta:
        # A sender that took a row but never finished (it crashed) leaves it to others
        # once the first retry would be due anyway. A send must end well within it
        # (settings refuse an EMAIL_TIMEOUT over a sixth of it).
        return self.waits[0]

    def wait_after(self, attempts: int) -> timedelta:
        return self.waits[min(attempts, len(self.waits)) - 1]


def retry_policy() -> RetryPolicy:
    return RetryPolicy(tuple(timedelta(minutes=m) for m in settings.NOTIFICATION_RETRY_MINUTES))


def queue(request: ConsultationRequest, *kinds: str) -> list[Notification]:
    """Write notifications for ``request``; they are sent once the transaction commits."""
    if request.status == RequestStatus.SPAM:
        return []
    rows = Notification.objects.bulk_create(
        Notification(request=request, kind=kind) for kind in kinds
    )
    _send_after_commit(rows)
    return rows


def _send_after_commit(rows) -> None:
    """In development and tests, send the rows once the transaction commits; in
    production the sender takes them (NOTIFICATIONS_SENT_FROM)."""
    if settings.NOTIFICATIONS_SENT_FROM == "request":
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: _send_now(ids))


def queue_for_staff(user, kind: str) -> Notification:
    """Write an e-mail to a staff account (a password reset). In the web process it
    goes once the response has gone, so how long the answer takes never tells whether
    the address belongs to someone; in production the sender takes it."""
    row = Notification.objects.create(user=user, kind=kind)
    if settings.NOTIFICATIONS_SENT_FROM == "request":
        _after_the_response([row.pk])
    return row


def _after_the_response(ids) -> None:
    from django.core.signals import request_finished

    def send(**_kwargs):
        request_finished.disconnect(send)
        _send_now(ids)

    request_finished.connect(send, weak=False)


def _send_now(ids) -> None:
    for notification_id in ids:
        try:
            deliver(notification_id)
        except Exception:
            # The row stays pending; the sender (send_notifications) will try again.
            logger.exception("Could not send notification %s", notification_id)


def queue_for_new_request(request: ConsultationRequest) -> list[Notification]:
    rows = queue(request, NotificationKind.INBOX, NotificationKind.ACKNOWLEDGMENT)
    return rows + _queue_text(request, NotificationKind.ACKNOWLEDGMENT)


def wants_texts(request: ConsultationRequest) -> bool:
    return request.contact_method == ContactMethod.TEXT and bool(request.phone)


def _queue_text(request, kind, *, previous_slot=None, due=None) -> list[Notification]:
    """The same news as a text message, for a patient who chose texts (the e-mail still
    goes: it carries the calendar file and the whole message)."""
    if not wants_texts(request) or request.status == RequestStatus.SPAM:
        return []
    row = Notification.objects.create(
        request=request,
        kind=kind,
        channel="sms",
        previous_slot=previous_slot,
        calendar_sequence=request.calendar_sequence,
        next_attempt_at=due or timezone.now(),
    )
    if due is None:  # a reminder waits for the sender, when it falls due
        _send_after_commit([row])
    return [row]


REMINDER_BEFORE = timedelta(days=1)

# The e-mails about a confirmed time: only the newest one not yet sent is still true.
TIME_KINDS = (
    NotificationKind.CONFIRMATION,
    NotificationKind.RESCHEDULE,
    NotificationKind.CANCELLATION,
)


def _queue_time_change(request, kind, previous_slot=None) -> list[Notification]:
    """Write the e-mail about the request's confirmed time; one still waiting to go
    about an earlier change says something no longer true and is dropped."""
    if request.status == RequestStatus.SPAM:
        return []
    # A reminder still waiting is about a time that no longer holds either.
    Notification.objects.filter(
        request=request,
        kind__in=(*TIME_KINDS, NotificationKind.REMINDER),
        status=NotificationStatus.PENDING,
    ).update(status=NotificationStatus.CANCELLED)
    row = Notification.objects.create(
        request=request,
        kind=kind,
        previous_slot=previous_slot,
        calendar_sequence=request.calendar_sequence,
    )
    rows = [row, *_queue_reminder(request, kind)]
    _send_after_commit([row])
    return rows + _queue_text(request, kind, previous_slot=previous_slot)


def _queue_reminder(request, kind) -> list[Notification]:
    """The reminder of a confirmed time, due the day before: a row in the outbox, so a
    restart loses nothing; the sender sends it when it falls due. Not for a time less
    than a day away (its confirmation has just gone)."""
    if kind not in (NotificationKind.CONFIRMATION, NotificationKind.RESCHEDULE):
        return []
    due = request.confirmed_slot - REMINDER_BEFORE
    if due <= timezone.now():
        return []
    reminder = Notification.objects.create(
        request=request,
        kind=NotificationKind.REMINDER,
        calendar_sequence=request.calendar_sequence,
        next_attempt_at=due,
    )
    return [reminder, *_queue_text(request, NotificationKind.REMINDER, due=due)]


def queue_confirmation(request: ConsultationRequest) -> list[Notification]:
    return _queue_time_change(request, NotificationKind.CONFIRMATION)


def queue_reschedule(request: ConsultationRequest, earlier) -> list[Notification]:
    return _queue_time_change(request, NotificationKind.RESCHEDULE, earlier)


def queue_cancellation(request: ConsultationRequest, earlier) -> list[Notification]:
    return _queue_time_change(request, NotificationKind.CANCELLATION, earlier)


def _claim(notification_id) -> Notification | None:
    """Take a due row for one attempt; None when it is not due or another sender has it.

    One UPDATE decides: of two senders, only one changes the row.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + retry_policy().claim)
    if not claimed:
        return None
    return Notification.objects.select_related("request__brand", "request__location", "user").get(
        pk=notification_id
    )


def deliver(notification_id) -> str:
    """Try to send one notification; return its status afterwards."""
    notification = _claim(notification_id)
    if notification is None:
        return "skipped"
    from appointments import texts

    request = notification.request
    if request is not None and (request.status == RequestStatus.SPAM or request.anonymised_at):
        return _withdrawn(notification)
    try:
        message = _message_of(notification)
    except texts.NotSent as reason:
        return _withdrawn(notification, str(reason))
    if message is None:
        return _withdrawn(notification, "no recipient configured")
    try:
        message.send()
    except Exception as exc:  # any mail or provider failure: keep the row, try again later
        return _failed(notification, exc)
    notification.status = NotificationStatus.SENT
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "last_error"])
    return notification.status


def _message_of(notification: Notification):
    """The e-mail or text of one row (None: nobody to send it to; raises texts.NotSent
    for a text that is not to go)."""
    from appointments import texts

    request = notification.request
    if request is None:
        return staff_message(notification)
    if notification.channel != "sms":
        return build_message(notification)
    if notification.kind == NotificationKind.REMINDER and not _still_true(notification, request):
        raise texts.NotSent("no longer true")
    return texts.build(notification, links.on_site(request.brand, _manage_path(request)))


def _withdrawn(notification: Notification, reason: str | None = None) -> str:
    """Not to be sent, ever (the reason kept on the row, never an address)."""
    notification.status = NotificationStatus.CANCELLED
    fields = ["status"]
    if reason is not None:
        notification.last_error = reason[:200]
        fields.append("last_error")
    notification.save(update_fields=fields)
    return notification.status


def _failed(notification: Notification, exc: Exception) -> str:
    # Only the exception's class: SMTP errors can quote the recipient's address.
    notification.last_error = type(exc).__name__[:200]
    policy = retry_policy()
    if notification.attempts >= policy.max_attempts:
        notification.status = NotificationStatus.FAILED
        logger.error(
            "Gave up sending %s for %s after %d attempts",
            notification.kind,
            notification.about,
            notification.attempts,
        )
    else:
        wait = policy.wait_after(notification.attempts)
        notification.next_attempt_at = timezone.now() + wait
        logger.warning(
            "Sending %s for %s failed (%s); retrying in %d min",
            notification.kind,
            notification.about,
            notification.last_error,
            wait.total_seconds() // 60,
        )
    notification.save(update_fields=["status", "last_error", "next_attempt_at"])
    return notification.status


def send_due(now=None, batch: int = 100) -> int:
    """Try the pending notifications that are due, oldest first; return how many."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    for notification_id in due:
        deliver(notification_id)
    return len(due)


def next_due():
    """When the next pending notification is due (None: nothing is pending)."""
    return (
        Notification.objects.filter(status=NotificationStatus.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


# --- the messages -------------------------------------------------------------------


def _sender(brand) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    # A display name can never break out of its header, whatever the brand is called.
    return formataddr((" ".join(brand.name.split()), address))


def _manage_path(request) -> str:
    from appointments import self_service

    return self_service.link_for(request)


def _still_true(reminder: Notification, request) -> bool:
    """Is the consultation a reminder was written for still booked at that time?"""
    return request.is_booked_ahead and request.calendar_sequence == reminder.calendar_sequence


def message_id(notification: Notification) -> str:
    """The same Message-ID on every attempt of one outbox row.

    A sender killed after the mail server took a message, but before the row says so,
    sends it again once its claim runs out (no e-mail is lost). The second copy is then
    the same message, not another: mail systems and programs that see both keep one.
    The id names only the row, signed so that it is unique to this deployment.
    """
    from django.utils.crypto import salted_hmac

    signature = salted_hmac("notification-message-id", str(notification.pk)).hexdigest()[:20]
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "localhost"
    return f"<notification.{notification.pk}.{signature}@{domain}>"


# Told to the clinic's inbox (no patient details), in the site's main language.
FOR_THE_CLINIC = (NotificationKind.INBOX, NotificationKind.PATIENT_CHANGE)


def build_message(notification: Notification) -> EmailMultiAlternatives | None:
    """The e-mail of one outbox row, composed as it is sent.

    A patient's e-mail (and its calendar file and links) is in the language they chose
    on the form; the brand's inbox announcement is in the site's main language.
    """
    request = notification.request
    assert request is not None  # a request's e-mail (staff_message sends the others)
    for_staff = notification.kind in FOR_THE_CLINIC
    with translation.override(settings.LANGUAGE_CODE if for_staff else request.language):
        return _compose(notification, request)


def _compose(notification: Notification, request) -> EmailMultiAlternatives | None:
    brand = request.brand
    context = {
        "request": request,
        "brand": brand,
        "location": request.location,
        "previous_slot": notification.previous_slot,
        "book_again_url": links.on_site(brand, reverse("appointments:form")),
        "admin_url": links.on_site(
            brand, reverse("admin:appointments_consultationrequest_change", args=[request.pk])
        ),
        "site_url": links.on_site(brand, reverse("clinic:home")),
        # The patient's own page (signed, no personal data in it): see, move or cancel.
        "manage_url": links.on_site(brand, _manage_path(request)),
    }
    if notification.kind in FOR_THE_CLINIC:
        recipients, reply_to = brand.alert_recipients(), None
    else:
        recipients, reply_to = [request.email], brand.public_email or None
    if not any(recipients):
        return None
    base = f"emails/{notification.kind}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{base}_body.txt", context),
        from_email=_sender(brand),
        to=recipients,
        reply_to=[reply_to] if reply_to else None,
        headers={"Auto-Submitted": "auto-generated", "Message-ID": message_id(notification)},
    )
    message.attach_alternative(render_to_string(f"{base}_body.html", context), "text/html")
    if notification.kind == NotificationKind.REMINDER and not _still_true(notification, request):
        return None  # moved or cancelled since (its own e-mail said so)
    if notification.kind in (NotificationKind.CONFIRMATION, NotificationKind.RESCHEDULE):
        if request.confirmed_slot is None:
            return None  # cancelled since: the cancellation says so
        message.attach(
            "consultation.ics",
            ics.consultation_event(request, sequence=notification.calendar_sequence),
            "text/calendar; method=REQUEST",
        )
    elif notification.kind == NotificationKind.CANCELLATION:
        message.attach(
            "consultation.ics",
            ics.cancelled_event(
                request, notification.previous_slot, sequence=notification.calendar_sequence
            ),
            "text/calendar; method=CANCEL",
        )
    return message


def staff_message(notification: Notification) -> EmailMultiAlternatives | None:
    """An e-mail to a staff account, composed as it is sent (None: nobody to send to)."""
    user = notification.user
    if user is None or notification.kind != NotificationKind.PASSWORD_RESET:
        return None
    from staff import password_reset

    context = password_reset.email_context(user)
    if context is None:  # no longer an active staff account with a password
        return None
    subject = " ".join(render_to_string(password_reset.SUBJECT_TEMPLATE, context).split())
    return EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(password_reset.EMAIL_TEMPLATE, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated", "Message-ID": message_id(notification)},
    )
