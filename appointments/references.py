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
    """Read a reference the way staff type it: any case, O for 0, spaces for dashes."""
    cleaned = re.sub(r"[\s_]+", "-", text.strip().upper())
    head, _, tail = cleaned.partition("-")
    return head + ("-" + tail.replace("O", "0").replace("I", "1").replace("L", "1") if tail else "")
