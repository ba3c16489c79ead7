"""Uploaded images: refuse what is not a safe raster image, strip metadata, make renditions.

Uploads are checked with Pillow before anything is stored; accepted images are
re-encoded without EXIF (GPS positions, camera serials) and resized once, on save,
into a few widths in their own format and in WebP, for ``srcset``.
"""

import contextlib
import io
import os
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
RENDITION_WIDTHS = (480, 800, 1200, 1600)
EXTENSIONS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}, "GIF": {".gif"}}
# What each accepted format is re-encoded to (GIF animation is not kept for a hero).
OUTPUT = {
    "JPEG": ("JPEG", ".jpg"),
    "PNG": ("PNG", ".png"),
    "WEBP": ("WEBP", ".webp"),
    "GIF": ("PNG", ".png"),
}


def already_stored(value) -> bool:
    """Whether a file field's value is a file in storage rather than a fresh upload
    (Django marks a stored FieldFile ``_committed``; an UploadedFile never is)."""
    return bool(getattr(value, "_committed", False))


def newly_uploaded(value) -> bool:
    """Whether a file field holds an upload that is not stored yet."""
    return bool(value) and not already_stored(value)


def measured(field_file) -> tuple[int | None, int | None]:
    """The width and height of an image field's picture, a fresh upload or a stored
    file; (None, None) when it cannot be read (a missing file is not a page error)."""
    from django.core.files.images import get_image_dimensions

    if not field_file:
        return None, None
    try:
        source = field_file.file if newly_uploaded(field_file) else field_file
        width, height = get_image_dimensions(source)
    except (OSError, ValueError):
        return None, None
    return width, height


def _refuse(message, code):
    raise ValidationError(message, code=code)


def validate_image(value) -> None:
    """Refuse anything but a JPEG, PNG, WebP or GIF of sane size and dimensions."""
    if already_stored(value):
        return  # already stored (and checked) earlier
    upload = value  # an UploadedFile, or a FieldFile wrapping one: both read and seek
    if upload.size > MAX_BYTES:
        _refuse(_("The image is larger than 10 MB. Please upload a smaller file."), "too_large")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = str(image.format)
                width, height = image.size
                if image_format not in EXTENSIONS:
                    _refuse(
                        _(
                            "Upload a JPEG, PNG, WebP or GIF image "
                            "(SVG and other formats are not accepted)."
                        ),
                        "format",
                    )
                if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    _refuse(
                        _(
                            "The image is %(w)d × %(h)d pixels; at most 40 megapixels and "
                            "12,000 pixels a side are accepted."
                        )
                        % {"w": width, "h": height},
                        "dimensions",
                    )
                image.load()  # decodes every byte: truncated files fail here
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(
            _("The image has far too many pixels to process safely (at most 40 megapixels)."),
            "dimensions",
        )
    except UnidentifiedImageError:
        _refuse(_("This file is not an image we can read."), "invalid")
    except (OSError, SyntaxError, ValueError):
        _refuse(_("The image file is damaged or incomplete. Please export it again."), "damaged")
    finally:
        upload.seek(0)
    extension = os.path.splitext(value.name or "")[1].lower()
    if extension not in EXTENSIONS[image_format]:
        _refuse(
            _(
                "The file name ends in “%(ext)s” but the file is a %(format)s image. "
                "Rename it or export it again."
            )
            % {"ext": extension or "—", "format": image_format},
            "extension",
        )


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=80, method=settings.IMAGE_WEBP_EFFORT)
    else:
        image.save(buffer, image_format, optimize=True)
    return buffer.getvalue()


def _opened(upload) -> Image.Image:
    upload.seek(0)
    with Image.open(upload) as source:
        source_format = source.format
        image = ImageOps.exif_transpose(source)  # keep the orientation, drop the tags
        image.load()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    image.info = {}
    image.format = source_format
    return image


def square_icon_problem(upload) -> str:
    """Why an uploaded image cannot be a browser icon ("" if it can)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError):
        return ""  # validate_image says what is wrong with the file itself
    finally:
        upload.seek(0)
    if width != height:
        return str(
            _("An icon must be square; this image is %(w)d × %(h)d pixels.")
            % {"w": width, "h": height}
        )
    if width < 32:
        return str(_("An icon needs at least 32 × 32 pixels; this one has %(w)d.") % {"w": width})
    return ""


def without_metadata(upload) -> ContentFile:
    """Return the image re-encoded without EXIF or other metadata."""
    image = _opened(upload)
    target, extension = OUTPUT[str(image.format)]
    stem = os.path.splitext(os.path.basename(upload.name))[0][:80] or "image"
    return ContentFile(_encode(image, target), name=f"{stem}{extension}")


class NoRoomForUpload(Exception):
    """The storage refused the image (a full disk, a quota): nothing of it is kept."""

    message = _(
        "The image could not be stored: the server's storage is full. Nothing was "
        "saved. Please try again later, or ask your administrator to free space."
    )


def prepare(field_file, renditions: dict) -> dict:
    """Before a model saves: strip a fresh upload's metadata and make its renditions.

    Returns the renditions to keep: new ones for a new upload, the current ones for an
    unchanged image, none once the image is removed. When the storage refuses a write,
    every file of this upload written so far (the original, renditions, and the partial
    one) is removed and ``NoRoomForUpload`` is raised.
    """
    if not field_file:
        return {}
    if already_stored(field_file):
        return renditions
    return _stored(field_file, with_renditions=True)


def store_clean(field_file) -> None:
    """Before a model saves: store a fresh upload without its metadata (no renditions:
    an image shown at one size, such as a link preview's)."""
    if newly_uploaded(field_file):
        _stored(field_file, with_renditions=False)


def _stored(field_file, *, with_renditions: bool) -> dict:
    clean = without_metadata(field_file.file)
    written: list[str] = []
    try:
        field = field_file.field
        target = field.generate_filename(field_file.instance, clean.name)
        name = _save(field_file.storage, target, clean, written, field.max_length)
        field_file.name = name
        field_file._committed = True
        setattr(field_file.instance, field.attname, name)  # as FieldFile.save does
        return make_renditions(field_file, written) if with_renditions else {}
    except OSError as refusal:
        for leftover in written:
            with contextlib.suppress(OSError):
                field_file.storage.delete(leftover)
        raise NoRoomForUpload(str(NoRoomForUpload.message)) from refusal


def _save(storage, name: str, content, written: list[str], max_length=None) -> str:
    """Save under a free name, noting it first so that a partial file can be removed."""
    name = storage.get_available_name(name, max_length=max_length)
    written.append(name)
    saved = storage.save(name, content, max_length=max_length)
    if saved != name:
        written.append(saved)
    return saved


def make_renditions(field_file, written: list[str] | None = None) -> dict:
    """Write resized copies of a stored image next to it; return their names."""
    written = [] if written is None else written
    storage = field_file.storage
    with field_file.open("rb") as handle:
        image = _opened(handle)
    target, extension = OUTPUT[str(image.format)]
    stem = os.path.splitext(field_file.name)[0]
    widths = [w for w in RENDITION_WIDTHS if w < image.width] + [image.width]
    fallback: list[tuple[int, str]] = []
    webp: list[tuple[int, str]] = []
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = (
            image
            if width == image.width
            else image.resize((width, height), Image.Resampling.LANCZOS)
        )
        for kind, fmt, ext in (("fallback", target, extension), ("webp", "WEBP", ".webp")):
            name = _save(
                storage, f"{stem}-{width}w{ext}", ContentFile(_encode(resized, fmt)), written
            )
            (fallback if kind == "fallback" else webp).append((width, name))
    # Stored on the model as JSON: the original's size and (width, name) per format.
    return {"width": image.width, "height": image.height, "fallback": fallback, "webp": webp}


def column_rendition(renditions: dict) -> str:
    """The stored name of the rendition a page shows by default (about 800 px wide)."""
    fallback = (renditions or {}).get("fallback") or []
    if not fallback:
        return ""
    return next((name for width, name in fallback if width >= 800), fallback[-1][1])


def picture(renditions: dict, storage) -> dict | None:
    """Return what a <picture> element needs: srcsets, a fallback src, width, height."""
    if not renditions or not renditions.get("fallback"):
        return None

    def srcset(entries):
        return ", ".join(f"{storage.url(name)} {width}w" for width, name in entries)

    fallback = renditions["fallback"]
    middle = column_rendition(renditions)
    return {
        "webp_srcset": srcset(renditions["webp"]),
        "srcset": srcset(fallback),
        "src": storage.url(middle),
        "width": renditions["width"],
        "height": renditions["height"],
    }
