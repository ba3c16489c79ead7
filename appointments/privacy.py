"""Personal data handling: keyed hashes instead of IP addresses."""

import hashlib
import hmac

from django.conf import settings

from portal.clientip import client_ip


def keyed_hash(purpose: str, value: str) -> str:
    """Return a keyed hash of ``value`` for one purpose: stable for counting and limits,
    useless for finding the person (the key never leaves the server)."""
    key = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def client_hash(request) -> str:
    """Return a keyed hash of the client's address (rate limits and abuse checks)."""
    return keyed_hash("client-hash", client_ip(request))


def neutralise_csv_cell(value) -> str:
    """Stop spreadsheet programs from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
        return "'" + text
    return text
