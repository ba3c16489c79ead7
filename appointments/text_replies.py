"""Replies to our texts, posted by the SMS provider: STOP (or ALTO) stops every text to
that number, START restarts them (appointments/texts.py).

The provider signs in with HTTP basic auth, the password being SMS_INBOUND_SECRET (set in
the provider's webhook address: https://portal:SECRET@clinic.example/sms/inbound/). The
number is never logged.
"""

import base64
import binascii

import phonenumbers
from django.conf import settings
from django.http import HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from appointments import texts

EMPTY_ANSWER = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _signed_in(request) -> bool:
    secret = settings.SMS_INBOUND_SECRET
    kind, _space, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if not secret or kind.lower() != "basic":
        return False
    try:
        _user, _colon, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return constant_time_compare(password, secret)


@csrf_exempt  # the provider's server posts here; basic auth stands in for the token
@require_POST
def inbound(request):
    if not _signed_in(request):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Basic realm="sms"'
        return response
    # Twilio sends From and Body; MessageBird originator and payload.
    sender = request.POST.get("From") or request.POST.get("originator") or ""
    body = request.POST.get("Body") or request.POST.get("payload") or ""
    try:
        number = phonenumbers.parse(sender[:40], "US")
    except phonenumbers.NumberParseException:
        return HttpResponse(status=400)
    if not phonenumbers.is_valid_number(number):
        return HttpResponse(status=400)
    texts.reply(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), body)
    return HttpResponse(EMPTY_ANSWER, content_type="text/xml")
