"""Which release of the code this process runs, for the keys of cached renderings.

Cached pages, fragments and decoded data were made by one release's templates and code;
after a deployment they must not be served by the next (a changed header, a menu
missing a new part, an object pickled with an old shape). Every such key carries
``RELEASE`` (portal.generations), while the generation counters themselves stay shared:
during a rolling deployment old and new app servers keep apart what they render and
still retire it together.

``RELEASE_ID`` (e.g. the commit, set by the deployment) names the release; without it,
a fingerprint of the contents of the project's code and templates and of the Python and
Django versions, taken once at start-up (a few hundred small files: milliseconds), the
same on every app server that runs the same code.
"""

import hashlib
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", ".git", "node_modules", "var", "media", "static_root", "tests", "bench"}
SUFFIXES = (".py", ".html", ".txt", ".css", ".js", ".json")


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256(f"{sys.version}|{django.__version__}".encode())
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                path = Path(folder, name)
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}".encode()
                )
    return digest.hexdigest()[:12]


RELEASE = os.environ.get("RELEASE_ID", "").strip()[:40] or fingerprint()
