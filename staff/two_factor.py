"""Two-factor sign-in for staff: who needs it, and the devices that give it.

django-otp does the cryptography (RFC 6238 codes, throttling after wrong guesses); this
module says what the back office asks of whom:

- Every role whose permissions open patient data (the inbox, or the testimonials'
  consent records: today every role) and every superuser must sign in with a second
  factor. The rule is read from the role permissions, so a role that gains such a
  permission gains the requirement with it.
- Staff whose roles do not require it (a clinician who only reviews) may turn it on;
  once on, it is asked for at every sign-in.
- A second factor is an authenticator app (TOTP), with ten single-use recovery codes
  for a lost phone.
"""

import base64
import secrets
import time

from django.db import transaction
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from clinic.models import BrandMembership
from clinic.roles import ROLE_PERMISSIONS

# What a role may read that names patients: the inbox, and the testimonials' consent
# records (who consented to be quoted by a ketamine clinic).
PATIENT_DATA = ("appointments.view_consultationrequest", "pages.view_testimonial")
RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def roles_that_require_it() -> frozenset[str]:
    """Return the roles whose permissions open patient data."""
    return frozenset(
        role
        for role, names in ROLE_PERMISSIONS.items()
        if any(permission in names for permission in PATIENT_DATA)
    )


def is_required(user) -> bool:
    """Must ``user`` sign in with a second factor?"""
    if not (user.is_authenticated and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return BrandMembership.objects.filter(user=user, role__in=roles_that_require_it()).exists()


def app_device(user) -> TOTPDevice | None:
    """Return the user's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# The key being set up lives in the session that asked for it, never in the database:
# someone who once had the password cannot read the key the real person will enrol.
PENDING_KEY = "two_factor_pending"
PENDING_LIFETIME = 15 * 60  # seconds; an older key is replaced by a new one


def _pending_binding(user) -> str:
    """What a pending key is bound to: this person, their password as it is now, and
    their second factors as they are now (a reset or a new password voids the key)."""
    devices = sorted(
        [f"t{pk}" for pk in TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)]
        + [f"s{pk}" for pk in StaticDevice.objects.filter(user=user).values_list("pk", flat=True)]
    )
    return f"{user.pk}|{user.get_session_auth_hash()}|{','.join(devices)}"


def pending_app_device(request) -> TOTPDevice:
    """The authenticator this session is setting up (not saved until it is confirmed):
    a new key for each set-up, kept for PENDING_LIFETIME in this session only."""
    user = request.user
    binding = _pending_binding(user)
    stored = request.session.get(PENDING_KEY)
    fresh = (
        isinstance(stored, dict)
        and stored.get("binding") == binding
        and 0 <= time.time() - stored.get("made", 0) < PENDING_LIFETIME
        and isinstance(stored.get("key"), str)
    )
    if not fresh:
        stored = {"key": random_hex(20), "made": time.time(), "binding": binding}
        request.session[PENDING_KEY] = stored
    return TOTPDevice(user=user, name=APP_DEVICE_NAME, key=stored["key"], confirmed=False)


def pending_code_matches(device: TOTPDevice, code: str) -> bool:
    """Does ``code`` come from an app holding the pending key? (This period or the one
    either side, as django-otp allows for a confirmed app.) The period it matched is
    kept as used, so the same code cannot sign in a second time."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return False
    now = int(time.time()) // device.step
    for drift in (-1, 0, 1):
        if f"{totp(device.bin_key, step=device.step, drift=drift):06d}" == code:
            device.last_t = now + drift
            return True
    return False


def forget_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)


def readable_key(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an inline SVG QR code (made here, never fetched)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title=""
    )


@transaction.atomic
def confirm_app(device: TOTPDevice) -> list[str]:
    """Make ``device`` the user's one authenticator; return fresh recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ten new ones; return them to show once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _recovery_code() -> str:
    # Ten characters from an alphabet without look-alikes (no 0/o, 1/l/i): 50 bits.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def turn_off(user) -> None:
    """Remove every second factor of ``user`` (their own choice, or a brand admin's reset)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


class Throttled(Exception):
    """Too many wrong codes in a row: the device waits before it checks another."""


def check_code(user, code: str):
    """Return the device that accepts ``code`` (app code or recovery code), or None.

    Six digits go to the app, anything else to the recovery codes, so a wrong guess
    slows down only the kind of code it was. Raises Throttled while django-otp's
    back-off after wrong guesses is running.
    """
    code = "".join(code.split()).lower()
    if not code or len(code) > 16:
        return None
    kind = TOTPDevice if (len(code) == 6 and code.isascii() and code.isdigit()) else StaticDevice
    candidates = kind.objects.filter(user=user)
    if kind is TOTPDevice:
        candidates = candidates.filter(confirmed=True)
    throttled = False
    for candidate in candidates:
        with transaction.atomic():
            device = kind.objects.select_for_update().get(pk=candidate.pk)
            if not device.verify_is_allowed()[0]:
                throttled = True
            elif device.verify_token(code):
                return device
    if throttled:
        raise Throttled
    return None


def sign_in(request, device) -> None:
    """Mark this session as having passed the second factor (a new session key, too)."""
    request.session.cycle_key()
    otp_login(request, device)


def ask_for_it(request, user):
    """Send ``user``'s session on to its second factor, back here afterwards: the code
    page when they have an app, else the set-up page (one rule for every view)."""
    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse

    step = "staff_two_factor_verify" if is_enrolled(user) else "staff_two_factor_setup"
    return redirect_to_login(request.get_full_path(), reverse(step))


def is_verified(request) -> bool:
    """Has this session passed the second factor? (django-otp's middleware tells.)"""
    return bool(getattr(request.user, "is_verified", lambda: False)())
