"""Every public page type passes the Nu HTML Checker (vnu-jar, run with Java).

``make test`` installs vnu-jar from the npm registry into .cache/; without Java or the
jar these tests are skipped with the reason.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Topic
from care.models import Clinician, Treatment
from clinic.models import Location
from pages.models import Page
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

pytestmark = pytest.mark.skipif(
    not (JAVA and VNU.exists()),
    reason=f"the HTML checker needs Java and {VNU.relative_to(ROOT)} (run `make test`)",
)


def page_paths(slug):
    article = Article.objects.live().filter(brands__slug=slug, language="en").first()
    topic = Topic.objects.filter(articles=article).first()
    location = Location.objects.filter(brand__slug=slug).first()
    return [
        "/",
        "/articles/",
        f"/articles/topic/{topic.slug}/",
        f"/articles/{article.slug}/",
        "/articles/search/?q=ketamine",
        "/articles/search/?q=zebra",
        "/locations/",
        f"/locations/{location.slug}/",
        "/consultation/",
        "/consultation/thanks/",
        "/privacy/",
        "/faq/",
        Page.objects.filter(brand__slug=slug, is_published=True).first().get_absolute_url(),
        "/treatments/",
        Treatment.objects.filter(brand__slug=slug).first().get_absolute_url(),
        "/clinicians/",
        Clinician.objects.filter(brands__slug=slug).first().get_absolute_url(),
        "/no-such-page/",
    ]


def test_public_pages_are_valid_html(db, tmp_path):
    call_command("seed_demo", verbosity=0)
    files = []
    for brand in ("ignite", "kmd"):
        client = client_for(host=f"{brand}.localhost:8000")
        for index, path in enumerate(page_paths(brand)):
            html = client.get(path).content
            target = tmp_path / f"{brand}-{index:02d}.html"
            target.write_bytes(html)
            files.append((target, f"{brand} {path}"))
        form = client.post("/consultation/", {"name": ""})  # the form with its errors
        target = tmp_path / f"{brand}-errors.html"
        target.write_bytes(form.content)
        files.append((target, f"{brand} /consultation/ with errors"))
    # K\MD's Spanish site: every page type, its own Spanish articles and the form's errors.
    client = client_for(host="kmd.localhost:8000")
    spanish = [f"/es{path}" for path in page_paths("kmd") if not path.startswith("/articles/")]
    spanish += ["/es/articles/", "/es/articles/search/?q=infusiones"]
    spanish += [
        a.get_absolute_url()
        for a in Article.objects.live().filter(language="es", brands__slug="kmd")
    ]
    for index, path in enumerate(spanish):
        target = tmp_path / f"kmd-es-{index:02d}.html"
        target.write_bytes(client.get(path).content)
        files.append((target, f"kmd {path}"))
    target = tmp_path / "kmd-es-errors.html"
    target.write_bytes(client.post("/es/consultation/", {"name": ""}).content)
    files.append((target, "kmd /es/consultation/ with errors"))
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *[str(f) for f, _ in files]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    names = {str(path): label for path, label in files}
    errors = [
        f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
