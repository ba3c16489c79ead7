"""Who composes a brand's home page and its site menu.

The home page and the menu are made of what brand staff write in the pages app; the
clinic app serves them without importing it (the pages app stands on this one): the
pages app names its functions here in its ``AppConfig.ready``.
"""

from collections.abc import Callable
from typing import Any

_composers: dict[str, Callable[..., Any]] = {}


def blocks_from(compose: Callable[..., list]) -> None:
    """``compose(request, preview=...)`` gives the home page's blocks."""
    _composers["blocks"] = compose


def menu_from(compose: Callable[[Any], Any]) -> None:
    """``compose(brand)`` gives the brand's site menu."""
    _composers["menu"] = compose


def blocks(request, *, preview: bool = False) -> list:
    compose = _composers.get("blocks")
    return compose(request, preview=preview) if compose else []


def menu(brand):
    compose = _composers.get("menu")
    return compose(brand) if compose else None
