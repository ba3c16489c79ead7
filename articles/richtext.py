"""The article body: what the editor offers and what the database may hold.

One extension list drives both the WYSIWYG toolbar (django-prose-editor) and the nh3
allowlist, so the editor can only produce what the sanitiser keeps. ``sanitize`` runs
when the form is cleaned and again on every save, whatever the browser (or an import,
or a script) sent.
"""

import re
from functools import cache

import nh3
from django.urls import reverse_lazy
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

from articles import body_images

EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    # Images with an optional caption; "Browse…" in the image dialog opens the clinic's
    # image library, where staff upload (with a description) or choose one.
    "Figure": {"pickerUrl": reverse_lazy("admin:articles_bodyimage_pick")},
    "Image": True,
    "Caption": True,
}

_EMPTY = re.compile(r"^\s*(<p>\s*</p>\s*)*$")


@cache
def _cleaner() -> nh3.Cleaner:
    allowed = allowlist_from_extensions(expand_extensions(EXTENSIONS))
    # Staff choose where links go, not how browsers treat them.
    allowed["attributes"]["a"] = set(allowed["attributes"]["a"]) - {"rel", "target"}
    allowed["link_rel"] = "noopener noreferrer"
    allowed["attribute_filter"] = _keep_attribute
    return nh3.Cleaner(**allowed)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    from articles.models import body_image_prefix

    return body_images.keep_attribute(tag, attribute, value, body_image_prefix())


_BARE_IMG = re.compile(r"<img(?![^>]*\bsrc=)[^>]*>")
_EMPTY_FIGURE = re.compile(r"<figure>\s*(<figcaption>.*?</figcaption>)?\s*</figure>", re.DOTALL)


def sanitize(html: str) -> str:
    """Return ``html`` reduced to the article elements; an empty editor gives ""."""
    cleaned = _cleaner().clean(html or "")
    # An image whose address was refused is gone, not an empty frame.
    cleaned = _EMPTY_FIGURE.sub("", _BARE_IMG.sub("", cleaned))
    return "" if _EMPTY.match(cleaned) else cleaned


def field(label, **options):
    """A model field holding rich text: this editor's toolbar, this sanitiser."""
    from django_prose_editor.fields import ProseEditorField

    return ProseEditorField(label, config={"extensions": EXTENSIONS}, sanitize=sanitize, **options)


def sanitize_fields(instance, *names: str) -> None:
    """Sanitise the rich text fields ``names`` of ``instance`` in place, every language of
    a translated one (portal/translated.py)."""
    from portal.translated import column_names

    for column in column_names(type(instance), *names):
        setattr(instance, column, sanitize(getattr(instance, column)))
