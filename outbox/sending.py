"""Writing messages into the outbox, and the one way they are sent and retried.

The outbox is the queue: a row is written in the same transaction as the change it
announces, and ``deliver`` sends it. Where that runs is the only choice
(``NOTIFICATIONS_SENT_FROM``): in the web process right after the commit (development,
tests), or in the ``send_notifications`` process (production), which also takes every
retry. How often and how long a failed message is retried, and how long a claim on a
row lasts, all come from one setting, ``NOTIFICATION_RETRY_MINUTES``. Each row is sent
at least once and is one message: every attempt carries the row's Message-ID, so a
copy sent again after a crash is the same e-mail (``message_id``).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from outbox import kinds
from outbox.models import Channel, Message, Status

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


# When a written row goes, in the web process (the sender takes every row in production).
AFTER_COMMIT = "commit"
# After the response has gone, so how long an answer takes tells nothing (password
# reset: whether an address belongs to someone).
AFTER_RESPONSE = "response"


def write(
    about: models.Model,
    *kind_names: str,
    brand_id: int | None = None,
    channel: str = Channel.EMAIL,
    details: dict | None = None,
    due: datetime | None = None,
    send: str = AFTER_COMMIT,
) -> list[Message]:
    """Write one row per kind about ``about``, to be sent once the transaction commits
    (``due``: not before then; the sender sends it when it falls due)."""
    for name in kind_names:
        kinds.of(name)  # an unknown kind fails here, not when it is sent
    about_type = ContentType.objects.get_for_model(about)
    rows = Message.objects.across_brands().bulk_create(
        Message(
            brand_id=brand_id,
            about_type=about_type,
            about_id=about.pk,
            kind=name,
            channel=channel,
            details=details or {},
            next_attempt_at=due or timezone.now(),
        )
        for name in kind_names
    )
    if due is None and settings.NOTIFICATIONS_SENT_FROM == "request":
        ids = [row.pk for row in rows]
        if send == AFTER_RESPONSE:
            _after_the_response(ids)
        else:
            transaction.on_commit(lambda: _send_now(ids))
    return rows


def about(obj: models.Model):
    """The outbox rows about ``obj``."""
    return Message.objects.across_brands().filter(
        about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk
    )


def withdraw_pending(obj: models.Model, *kind_names: str) -> int:
    """Cancel the rows about ``obj`` of these kinds that have not gone yet (they say
    something no longer true)."""
    return (
        about(obj)
        .filter(kind__in=kind_names, status=Status.PENDING)
        .update(status=Status.CANCELLED)
    )


def _after_the_response(ids) -> None:
    from django.core.signals import request_finished

    def send(**_kwargs):
        request_finished.disconnect(send)
        _send_now(ids)

    request_finished.connect(send, weak=False)


def _send_now(ids) -> None:
    for message_pk in ids:
        try:
            deliver(message_pk)
        except Exception:
            # The row stays pending; the sender (send_notifications) will try again.
            logger.exception("Could not send outbox message %s", message_pk)


def _claim(message_pk) -> Message | None:
    """Take a due row for one attempt; None when it is not due or another sender has it.

    One UPDATE decides: of two senders, only one changes the row.
    """
    now = timezone.now()
    claimed = (
        Message.objects.across_brands()
        .filter(pk=message_pk, status=Status.PENDING, next_attempt_at__lte=now)
        .update(attempts=F("attempts") + 1, next_attempt_at=now + retry_policy().claim)
    )
    if not claimed:
        return None
    return Message.objects.across_brands().select_related("about_type").get(pk=message_pk)


def deliver(message_pk) -> str:
    """Try to send one row; return its status afterwards."""
    row = _claim(message_pk)
    if row is None:
        return "skipped"
    try:
        message = kinds.of(row.kind).compose(row)
    except kinds.NotSent as reason:
        return _withdrawn(row, str(reason))
    if message is None:
        return _withdrawn(row, "no recipient")
    try:
        message.send()
    except Exception as exc:  # any mail or provider failure: keep the row, try again later
        return _failed(row, exc)
    row.status = Status.SENT
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["status", "sent_at", "last_error"])
    return row.status


def _withdrawn(row: Message, reason: str) -> str:
    """Not to be sent, ever (the reason kept on the row, never an address)."""
    row.status = Status.CANCELLED
    row.last_error = reason[:200]
    row.save(update_fields=["status", "last_error"])
    return row.status


def label(row: Message) -> str:
    kind = kinds.of(row.kind)
    return kind.label(row) if kind.label else row.about_label


def _failed(row: Message, exc: Exception) -> str:
    # Only the exception's class: mail and text errors can quote the recipient.
    row.last_error = type(exc).__name__[:200]
    policy = retry_policy()
    if row.attempts >= policy.max_attempts:
        row.status = Status.FAILED
        logger.error(
            "Gave up sending %s for %s after %d attempts", row.kind, label(row), row.attempts
        )
    else:
        wait = policy.wait_after(row.attempts)
        row.next_attempt_at = timezone.now() + wait
        logger.warning(
            "Sending %s for %s failed (%s); retrying in %d min",
            row.kind,
            label(row),
            row.last_error,
            wait.total_seconds() // 60,
        )
    row.save(update_fields=["status", "last_error", "next_attempt_at"])
    return row.status


def send_due(now=None, batch: int = 100) -> int:
    """Try the pending rows that are due, oldest first; return how many."""
    now = now or timezone.now()
    due = list(
        Message.objects.across_brands()
        .filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    for message_pk in due:
        deliver(message_pk)
    return len(due)


def next_due():
    """When the next pending row is due (None: nothing is pending)."""
    return (
        Message.objects.across_brands()
        .filter(status=Status.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def message_id(row: Message) -> str:
    """The same Message-ID on every attempt of one outbox row.

    A sender killed after the mail server took a message, but before the row says so,
    sends it again once its claim runs out (no e-mail is lost). The second copy is then
    the same message, not another: mail systems and programs that see both keep one.
    The id names only the row, signed so that it is unique to this deployment.
    """
    signature = salted_hmac("notification-message-id", str(row.pk)).hexdigest()[:20]
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "localhost"
    return f"<notification.{row.pk}.{signature}@{domain}>"


def headers(row: Message) -> dict[str, str]:
    """The headers every e-mail of the outbox carries."""
    return {"Auto-Submitted": "auto-generated", "Message-ID": message_id(row)}
