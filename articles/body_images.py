"""Images inside rich text: which may stay, what staff must fix, how pages show them (pure).

An image in an article's text is a ``BodyImage`` uploaded from the editor's picker:
its address lies under the body-image folder of this site's media. The sanitiser
drops any other image address (a patient's browser must never fetch from a third
party), and the editor form says so before that happens, so nothing is lost quietly.
On the page each image becomes a ``<picture>`` with the upload's renditions.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _

UPLOAD_FOLDER = "articles/body/"

# nh3 output quotes every attribute with double quotes and escapes their values.
_IMG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


class _ImageFinder(HTMLParser):
    """Collects the attributes of every <img> in HTML as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append({name: value or "" for name, value in attrs})

    handle_startendtag = handle_starttag


def images_in(text: str) -> list[dict[str, str]]:
    finder = _ImageFinder()
    finder.feed(text or "")
    finder.close()
    return finder.images


def is_ours(src: str, prefix: str) -> bool:
    """Is ``src`` a body image of this site (``prefix``: the folder's media address)?

    Judged on the address as a browser resolves it: percent-encoded dot segments
    (``%2e%2e``), backslashes, empty segments, a query or a fragment would let a
    reader's browser request another address than the library's file.
    """
    if not src.startswith(prefix):
        return False
    parts = urlsplit(src)
    if parts.query or parts.fragment or "?" in src or "#" in src:
        return False
    decoded = unquote(parts.path)
    if any(ch in decoded for ch in "\\\x00") or any(ord(ch) < 32 for ch in decoded):
        return False
    segments = decoded[len(urlsplit(prefix).path) :].split("/")
    return all(segment not in ("", ".", "..") for segment in segments)


def problems(text: str, prefix: str) -> list[str]:
    """What staff must fix before the images in ``text`` can be saved (empty: nothing)."""
    found = images_in(text)
    messages = []
    if any(not is_ours(image.get("src", "").strip(), prefix) for image in found):
        messages.append(
            _(
                "An image in the text does not come from this site's image library. "
                "Remove it, then insert it again with “Browse…” in the image dialog, "
                "which uploads it here."
            )
        )
    if any(not image.get("alt", "").strip() for image in found):
        messages.append(
            _(
                "Describe every image in the text for people who cannot see it "
                "(the image dialog's “Alternative Text”)."
            )
        )
    return messages


def keep_attribute(tag: str, attribute: str, value: str, prefix: str) -> str | None:
    """The sanitiser's rule for image attributes: our addresses only, sizes as numbers."""
    if tag == "figure":
        return None  # the editor's layout classes: the site's own style decides
    if tag != "img":
        return value
    if attribute == "src":
        return value if is_ours(value, prefix) else None
    if attribute in ("width", "height"):
        return value if value.isdigit() and 0 < int(value) <= 12_000 else None
    if attribute == "data-file":
        return None  # the picker's own id: nothing a page needs
    return value


def responsive(text: str, pictures: dict[str, dict]) -> str:
    """Turn each known <img> of sanitised ``text`` into a <picture> with its renditions.

    ``pictures`` maps an image address to what ``portal.images.picture`` gives for it;
    an address it does not know (an image deleted since) keeps its plain <img>.
    """

    def replace(match: re.Match) -> str:
        attributes = {
            name: html.unescape(value) for name, value in _ATTRIBUTE.findall(match.group(1))
        }
        picture = pictures.get(attributes.get("src", ""))
        if picture is None:
            return match.group(0)
        alt = html.escape(attributes.get("alt", ""))
        sizes = "(min-width: 48rem) 44rem, 100vw"
        return (
            "<picture>"
            f'<source type="image/webp" srcset="{html.escape(picture["webp_srcset"])}" '
            f'sizes="{sizes}">'
            f'<img src="{html.escape(picture["src"])}" '
            f'srcset="{html.escape(picture["srcset"])}" sizes="{sizes}" '
            f'width="{int(picture["width"])}" height="{int(picture["height"])}" '
            f'alt="{alt}" loading="lazy" decoding="async">'
            "</picture>"
        )

    return _IMG.sub(replace, text or "")


def sources(text: str) -> list[str]:
    """The image addresses in sanitised ``text``, in order, without repeats."""
    seen: dict[str, None] = {}
    for image in images_in(text):
        if image.get("src"):
            seen.setdefault(image["src"], None)
    return list(seen)
