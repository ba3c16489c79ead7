"""Notification e-mails about consultation requests, through an outbox.

Rows are written in the same transaction as the request; after commit a task tries
to send each one. A failed send is kept and retried with backoff (by the task queue
when it can defer, and by ``manage.py send_pending_notifications`` in any case), so a
mail-server outage loses nothing. Staff e-mails carry no name, contact detail or
message, not even the topic: only the reference, brand, location and a link to the admin.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from appointments import ics
from appointments.models import (
    ConsultationRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    RequestStatus,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_MINUTES = [1, 5, 15, 60, 180, 360, 720, 1440]


def queue(request: ConsultationRequest, *kinds: str) -> list[Notification]:
    """Write notifications for ``request`` and send them once the transaction commits."""
    if request.status == RequestStatus.SPAM:
        return []
    rows = Notification.objects.bulk_create(
        Notification(request=request, kind=kind) for kind in kinds
    )
    ids = [str(row.pk) for row in rows]
    transaction.on_commit(lambda: enqueue(ids))
    return rows


def queue_for_new_request(request: ConsultationRequest) -> list[Notification]:
    return queue(request, NotificationKind.INBOX, NotificationKind.ACKNOWLEDGMENT)


def queue_confirmation(request: ConsultationRequest) -> list[Notification]:
    Notification.objects.filter(
        request=request, kind=NotificationKind.CONFIRMATION, status=NotificationStatus.PENDING
    ).update(status=NotificationStatus.CANCELLED)
    return queue(request, NotificationKind.CONFIRMATION)


def enqueue(ids, run_after=None) -> None:
    from appointments.tasks import deliver_notification

    for notification_id in ids:
        try:
            task = deliver_notification
            if run_after is not None and task.get_backend().supports_defer:
                task = task.using(run_after=run_after)
            elif run_after is not None:
                continue  # no deferred tasks here: the sweep command retries it
            task.enqueue(notification_id)
        except Exception:
            # The row stays pending; send_pending_notifications will pick it up.
            logger.exception("Could not queue notification %s", notification_id)


def _claim(notification_id) -> Notification | None:
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).update(
        attempts=F("attempts") + 1,
        # Others leave a claimed row alone until the claim runs out (a crashed worker's
        # rows become due again then).
        next_attempt_at=now + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS),
    )
    if not claimed:
        return None
    return Notification.objects.select_related("request__brand", "request__location").get(
        pk=notification_id
    )


def deliver(notification_id) -> str:
    """Try to send one notification; return its status afterwards."""
    notification = _claim(notification_id)
    if notification is None:
        return "skipped"
    request = notification.request
    if request.status == RequestStatus.SPAM or request.anonymised_at:
        notification.status = NotificationStatus.CANCELLED
        notification.save(update_fields=["status"])
        return notification.status
    message = build_message(notification)
    if message is None:
        notification.status = NotificationStatus.CANCELLED
        notification.last_error = "no recipient configured"
        notification.save(update_fields=["status", "last_error"])
        return notification.status
    try:
        message.send()
    except Exception as exc:  # any mail failure: keep the row and try again later
        return _failed(notification, exc)
    notification.status = NotificationStatus.SENT
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "last_error"])
    return notification.status


def _failed(notification: Notification, exc: Exception) -> str:
    # Only the exception's class: SMTP errors can quote the recipient's address.
    notification.last_error = type(exc).__name__[:200]
    if notification.attempts >= MAX_ATTEMPTS:
        notification.status = NotificationStatus.FAILED
        logger.error(
            "Gave up sending %s for request %s after %d attempts",
            notification.kind,
            notification.request.reference,
            notification.attempts,
        )
    else:
        delay = BACKOFF_MINUTES[min(notification.attempts, len(BACKOFF_MINUTES)) - 1]
        notification.next_attempt_at = timezone.now() + timedelta(minutes=delay)
        logger.warning(
            "Sending %s for request %s failed (%s); retrying in %d min",
            notification.kind,
            notification.request.reference,
            notification.last_error,
            delay,
        )
    notification.save(update_fields=["status", "last_error", "next_attempt_at"])
    if notification.status == NotificationStatus.PENDING:
        enqueue([str(notification.pk)], run_after=notification.next_attempt_at)
    return notification.status


def send_due(now=None) -> int:
    """Try every pending notification that is due; return how many were tried."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(
            status=NotificationStatus.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    for notification_id in due:
        deliver(notification_id)
    return len(due)


# --- the messages -------------------------------------------------------------------


def site_url(brand, path: str) -> str:
    host = brand.primary_domain or "localhost"
    port = settings.PORTAL_PUBLIC_PORT
    if port and ":" not in host:
        host = f"{host}:{port}"
    return f"{settings.PORTAL_URL_SCHEME}://{host}{path}"


def _sender(brand) -> str:
    from email.utils import formataddr, parseaddr

    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    # A display name can never break out of its header, whatever the brand is called.
    return formataddr((" ".join(brand.name.split()), address))


def build_message(notification: Notification) -> EmailMultiAlternatives | None:
    request = notification.request
    brand = request.brand
    context = {
        "request": request,
        "brand": brand,
        "location": request.location,
        "admin_url": site_url(
            brand, reverse("admin:appointments_consultationrequest_change", args=[request.pk])
        ),
        "site_url": site_url(brand, "/"),
    }
    if notification.kind == NotificationKind.INBOX:
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
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"{base}_body.html", context), "text/html")
    if notification.kind == NotificationKind.CONFIRMATION and request.confirmed_slot:
        message.attach("consultation.ics", ics.consultation_event(request), "text/calendar")
    return message
