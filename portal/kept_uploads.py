"""Keep a chosen file across a form that came back with errors.

A browser cannot put a file back into a file input, so an editor whose article was
refused for another field (a missing summary, a taken slug) used to lose the hero image
they had chosen. Now a valid upload on a refused form is put aside in storage under
``kept-uploads/`` and the form carries a signed token for it; sending the form again
without choosing another file uses the kept one. A token works for a day, only for the
member of staff who chose the file and only for the field it was chosen in.

Kept files nobody came back for are removed by ``remove_stale`` (called by
``manage.py purge_kept_uploads``, e.g. daily).
"""

import contextlib
import secrets
from datetime import timedelta
from pathlib import PurePosixPath

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

SALT = "portal.kept-upload"
LIFETIME = timedelta(days=1)
FOLDER = "kept-uploads"


def keep(upload, *, user_id: int, field: str) -> str:
    """Store ``upload`` aside; return the token that brings it back ("" when the
    storage refuses it: the form then asks for the file again, as without this)."""
    suffix = PurePosixPath(upload.name).suffix.lower()[:10]
    upload.seek(0)
    wanted = f"{FOLDER}/{secrets.token_hex(16)}{suffix}"  # random: nobody else's name
    try:
        name = default_storage.save(wanted, ContentFile(upload.read()))
    except OSError:
        with contextlib.suppress(OSError):
            default_storage.delete(wanted)  # a partial copy
        return ""
    return signing.dumps(
        {"n": name, "o": PurePosixPath(upload.name).name[:100], "u": user_id, "f": field},
        salt=SALT,
    )


def bring_back(token: str, *, user_id: int, field: str):
    """Return the kept file as an upload (for the form to check again), or None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LIFETIME)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user_id or data.get("f") != field:
        return None
    name, original = data.get("n"), data.get("o")
    if not (isinstance(name, str) and name.startswith(f"{FOLDER}/") and ".." not in name):
        return None
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as kept:
        content = kept.read()
    upload = SimpleUploadedFile(str(original or "image"), content)
    upload.kept_name = name  # type: ignore[attr-defined]  # removed once the form is saved
    return upload


def discard(upload) -> None:
    name = getattr(upload, "kept_name", None)
    if name:
        default_storage.delete(name)


def remove_stale(now=None) -> int:
    """Delete kept files older than their tokens' lifetime; return how many."""
    now = now or timezone.now()
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for file_name in files:
        path = f"{FOLDER}/{file_name}"
        if default_storage.get_modified_time(path) < now - LIFETIME:
            default_storage.delete(path)
            removed += 1
    return removed
