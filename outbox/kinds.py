"""Which app composes which kind of message.

An app registers its kinds in its ``AppConfig.ready``; the outbox knows no app. A
composer takes the row and returns the message to send (an ``EmailMessage``, or
anything else with ``send()``, such as a text message), ``None`` when there is nobody
to send it to, or raises ``NotSent`` with a reason when it is no longer to go.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Composer = Callable[[Any], Any]


class NotSent(Exception):
    """This message is not to be sent, ever (the reason is kept on the row; it never
    names an address or a number)."""


@dataclass(frozen=True)
class Kind:
    name: str
    compose: Composer
    # The line a log gives the message's subject (a reference, never a name).
    label: Callable[[Any], str] | None = None


_kinds: dict[str, Kind] = {}


def register(*names: str, compose: Composer, label: Callable[[Any], str] | None = None):
    for name in names:
        if name in _kinds and _kinds[name].compose is not compose:
            raise ValueError(f"The message kind {name!r} is registered twice.")
        _kinds[name] = Kind(name, compose, label)


def of(name: str) -> Kind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No app composes messages of kind {name!r}.") from None
