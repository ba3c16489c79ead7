"""What a member of staff's authenticator app does: read the key, show the code."""

import base64
import re
import time

from django_otp.oath import totp

KEY_PATTERN = re.compile(r'class="two-factor-key">([A-Z2-7 ]+)<')


def enrol(client, next_path: str = "/admin/") -> str:
    """Set up an app on the set-up page as a person does; return the recovery-codes page."""
    page = client.get(f"/admin/two-factor/set-up/?next={next_path}").content.decode()
    key = key_on(page)
    answer = client.post("/admin/two-factor/set-up/", {"code": code_for(key), "next": next_path})
    assert answer.status_code == 200 and "recovery-codes" in answer.content.decode()
    return answer.content.decode()


def key_on(page: str) -> bytes:
    """The secret that the set-up page shows for typing into an app."""
    readable = KEY_PATTERN.search(page)[1].replace(" ", "")
    return base64.b32decode(readable + "=" * (-len(readable) % 8))


def code_for(key: bytes, *, steps_ahead: int = 0) -> str:
    """The six digits an app shows now (or ``steps_ahead`` periods later: django-otp
    takes the next period too, and refuses a period it has already accepted)."""
    return f"{totp(key, drift=steps_ahead):06d}"


def device_code(user) -> str:
    """The code of ``user``'s confirmed app: the next period's when this one's code was
    used already (as a person waits for the app's next code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    now_step = int(time.time()) // device.step
    # django-otp looks around now + the drift it has learnt from earlier codes (within
    # its tolerance), and never at a period it has already accepted.
    return code_for(device.bin_key, steps_ahead=max(device.drift, device.last_t + 1 - now_step))
