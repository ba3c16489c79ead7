"""Human-friendly, unguessable request references such as ``KMD-7Q4X-2M``."""

import re
import secrets

# Crockford's base32: no I, L, O or U, so a reference read over the phone is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 6  # 32**6: about a billion per brand


def prefix_for(brand_slug: str) -> str:
    letters = re.sub(r"[^A-Za-z]", "", brand_slug).upper()
    return (letters[:3] or "REQ").ljust(3, "X")


def new_reference(brand_slug: str) -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{prefix_for(brand_slug)}-{code[:4]}-{code[4:]}"


def normalise(text: str) -> str:
    """Read a reference the way staff type it: any case, O for 0, I or L for 1, with
    spaces, dots or no separators at all (``ignatzpq0`` is ``IGN-ATZP-Q0``)."""
    compact = re.sub(r"[\s_.\-]+", "", text.strip().upper())
    if len(compact) == 3 + RANDOM_LENGTH and compact.isalnum():
        head, code = compact[:3], compact[3:]
    else:
        cleaned = re.sub(r"[\s_.]+", "-", text.strip().upper())
        head, _, code = cleaned.partition("-")
        if not code:
            return head
        code = code.replace("-", "")
    code = code.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(code) == RANDOM_LENGTH:
        return f"{head}-{code[:4]}-{code[4:]}"
    return f"{head}-{code}"
