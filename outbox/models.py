"""The outbox: one row for every message the portal sends, whoever it is about.

A row names what it is about (a consultation request, an invitation, a medical
review, a staff account) and which kind of message it is; the app that owns the kind
composes the message when it is sent (``outbox.kinds``), so no address, name or
health detail is stored here. Rows are written in the same transaction as the change
they announce and are sent, and retried, by one sender (``outbox.sending``).
"""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.scoped import BrandScopedQuerySet


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")
    CANCELLED = "cancelled", _("Cancelled")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    TEXT = "sms", _("text message")


class Message(models.Model):
    """One message to send: what it is about, its kind, and how sending it went."""

    brand_lookup = "brand"

    # A UUID, so that the Message-ID built from it names nothing guessable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The brand the message speaks for (none: a staff account's own message).
    brand = models.ForeignKey(
        "clinic.Brand", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    about_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("about_type", "about_id")
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # What the message must say that may have changed since it was written (for a
    # consultation: the time that no longer holds, the calendar event's version).
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["about_type", "about_id"]),
        ]

    def __str__(self):
        return f"{self.kind} · {self.about_label}"

    @property
    def about_label(self) -> str:
        """What the message is about, for logs: a model's name and a row's number,
        never a name or an address."""
        return f"{self.about_type.model} {self.about_id}"
