"""Text messages to patients who chose them: short, in their language, with nothing
about their health, and never to a number that answered STOP.

Each text is a row of the same outbox as the e-mails (``outbox.Message``, channel
"sms"), sent and retried by the same sender through django-sms's backend
(settings.SMS_BACKEND).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from sms import Message as TextMessage

from appointments.models import NotificationKind, TextOptOut
from appointments.templatetags.consultation import at_location
from outbox.kinds import NotSent
from outbox.models import Channel, Message, Status

KINDS = (
    NotificationKind.ACKNOWLEDGMENT,
    NotificationKind.CONFIRMATION,
    NotificationKind.RESCHEDULE,
    NotificationKind.CANCELLATION,
    NotificationKind.REMINDER,
)
# What a reply may say to stop or restart the texts (the carriers' words, and Spanish).
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ALTO", "PARAR", "BAJA"}
START_WORDS = {"START", "UNSTOP", "YES", "SUBSCRIBE", "INICIO", "ALTA"}


def opted_out(phone) -> bool:
    return TextOptOut.objects.filter(phone=phone).exists()


def _sent_today(phone) -> int:
    since = timezone.now() - timedelta(days=1)
    return (
        Message.objects.across_brands()
        .filter(
            channel=Channel.TEXT,
            status=Status.SENT,
            sent_at__gte=since,
            consultation__phone=phone,
        )
        .count()
    )


def build(kind: str, request, previous_slot, manage_url: str) -> TextMessage:
    """The text of one outbox row (raises NotSent: opted out, too many, no number)."""
    phone = request.phone
    if not phone:
        raise NotSent("no number")
    if opted_out(phone):
        raise NotSent("opted out")
    if _sent_today(phone) >= settings.SMS_PER_NUMBER_PER_DAY:
        raise NotSent("daily limit")
    with translation.override(request.language):
        sentence = _sentence(kind, request, previous_slot, manage_url)
        stop = _("Reply STOP to stop texts.")
        body = f"{request.brand.name}: {sentence} {stop}"
    return TextMessage(body, settings.DEFAULT_FROM_SMS, [phone.as_e164])


def _sentence(kind: str, request, previous_slot, manage_url: str) -> str:
    location = request.location
    if kind == NotificationKind.ACKNOWLEDGMENT:
        return _("We have your request %(ref)s and will contact you soon. Your page: %(url)s") % {
            "ref": request.reference,
            "url": manage_url,
        }
    if kind == NotificationKind.CANCELLATION:
        return _("Your consultation of %(when)s is cancelled.") % {
            "when": at_location(previous_slot, location)
        }
    values = {
        "when": at_location(request.confirmed_slot, location),
        "where": location.name if location else "",
        "url": manage_url,
    }
    if kind == NotificationKind.REMINDER:
        return (
            _("Reminder: your consultation is %(when)s at %(where)s. Change it: %(url)s") % values
        )
    if kind == NotificationKind.RESCHEDULE:
        return (
            _("Your consultation has moved to %(when)s at %(where)s. Your page: %(url)s") % values
        )
    return (
        _("Your consultation is confirmed for %(when)s at %(where)s. Your page: %(url)s") % values
    )


def reply(phone, body: str) -> str | None:
    """Act on a patient's reply: "stopped", "started" or None (nothing to do)."""
    word = (body or "").strip().upper().split(" ", 1)[0][:20]
    if word in STOP_WORDS:
        TextOptOut.objects.get_or_create(phone=phone)
        return "stopped"
    if word in START_WORDS:
        TextOptOut.objects.filter(phone=phone).delete()
        return "started"
    return None
