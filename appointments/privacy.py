"""Personal data handling: keyed hashes instead of IP addresses."""

import hashlib
import hmac

from django.conf import settings

from portal.clientip import client_ip


def client_hash(request) -> str:
    """Return a keyed hash of the client's address: stable for rate limits and abuse
    checks, useless for finding the person (the key never leaves the server)."""
    address = client_ip(request)
    key = hashlib.sha256(("client-hash:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def neutralise_csv_cell(value) -> str:
    """Stop spreadsheet programs from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
        return "'" + text
    return text
