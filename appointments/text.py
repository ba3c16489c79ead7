"""Cleaning free text that patients type."""

import re

# C0/C1 control characters (but tab and newlines) and the bidirectional controls that
# can make text display differently from what it is ("\u202egnp.exe").
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def clean_text(value: str, *, multiline: bool = False) -> str:
    value = _CONTROL.sub("", value or "")
    if not multiline:
        value = " ".join(value.split())
    return value.strip()
