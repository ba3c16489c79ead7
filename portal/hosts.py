"""Hostnames in their normal form: the one spelling every cache key and lookup uses."""


def normalise_hostname(value: str) -> str:
    """Lower-case a hostname and drop a trailing dot, as browsers and DNS treat them."""
    return value.strip().lower().rstrip(".")


def bare_hostname(host: str) -> str:
    """Return a Host header's name in its normal form, without its port."""
    host = normalise_hostname(host)
    return host.rsplit(":", 1)[0] if not host.endswith("]") and ":" in host else host
