"""Cleaning free text that patients type."""

import re

# C0/C1 control characters (but tab and newlines) and the bidirectional controls that
# can make text display differently from what it is ("\u202egnp.exe").
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def without_controls(value: str) -> str:
    """Return ``value`` without control or direction characters (newlines included)."""
    return _CONTROL.sub("", value)


def clean_text(value: str, *, multiline: bool = False) -> str:
    value = _CONTROL.sub("", value or "")
    if not multiline:
        value = " ".join(value.split())
    return value.strip()


def clean_fields(instance, single_line=(), multiline=()) -> None:
    """Strip control and direction characters from an instance's text fields in place.

    Called from model ``save()``: text staff type reaches pages, feeds, JSON-LD and
    e-mail headers, and an invisible control character can break XML or spoof text.
    A translated field's every language is cleaned (portal/translated.py).
    """
    from portal.translated import column_names

    single_line = column_names(type(instance), *single_line)
    multiline = column_names(type(instance), *multiline)
    for name in single_line:
        value = getattr(instance, name)
        if value:
            setattr(instance, name, without_controls(value))
    for name in multiline:
        value = getattr(instance, name)
        if value:
            setattr(instance, name, clean_text(value, multiline=True))
