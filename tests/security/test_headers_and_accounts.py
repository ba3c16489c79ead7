"""Strict headers, production settings, admin lockout, sessions and passwords."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.conftest import HOST_A, client_for, pass_second_factor
from tests.factories import TEST_PASSWORD
from tests.portal.test_settings import STRONG_KEY, run_django


@pytest.mark.parametrize("path", ["/", "/articles/", "/consultation/", "/admin/login/"])
def test_every_response_carries_the_security_headers(brand_a, path):
    response = client_for().get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_only_the_admin_allows_its_editor_import_map_and_inline_styles(brand_a, editor_a):
    public = client_for().get("/")["Content-Security-Policy"]
    admin = client_for(editor_a).get("/admin/articles/article/add/")["Content-Security-Policy"]
    assert "sha256-" not in public and "unsafe-inline" not in public
    assert "sha256-" in admin


@pytest.mark.slow  # starts Django in a process of its own
def test_production_settings_are_strict():
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        "'ssl': s.SECURE_SSL_REDIRECT, 'session_secure': s.SESSION_COOKIE_SECURE,"
        "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'csrf_httponly': s.CSRF_COOKIE_HTTPONLY, 'xfo': s.X_FRAME_OPTIONS, 'debug': s.DEBUG,"
        "'upgrade': s.CONTENT_SECURITY_POLICY['DIRECTIVES'].get('upgrade-insecure-requests'),"
        "'notifications': s.NOTIFICATIONS_SENT_FROM,"
        "'static': s.STORAGES['staticfiles']['BACKEND']}))"
    )
    result = run_django(
        "shell",
        "--no-imports",
        "-c",
        script,
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="clinic.example",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["hsts"] >= 31536000 and values["sub"] and values["ssl"]
    assert values["session_secure"] and values["session_httponly"]
    assert values["csrf_secure"] and values["csrf_httponly"]
    assert values["xfo"] == "DENY" and values["debug"] is False and values["upgrade"] is True
    assert values["notifications"] == "sender"  # never in the patient's request
    assert values["static"].endswith("CompressedManifestStaticFilesStorage")


class TestAdminLogin:
    def login(self, client, username, password):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )

    def test_five_failures_lock_the_account_from_that_address(self, brand_a, editor_a):
        client = client_for()
        for _ in range(4):
            assert self.login(client, "editor_a", "wrong-password").status_code == 200
        assert self.login(client, "editor_a", "wrong-password").status_code == 429  # fifth
        locked = self.login(client, "editor_a", TEST_PASSWORD)
        assert locked.status_code == 429
        assert "sign-in is paused for 30 minutes" in locked.content.decode()
        # Another app server (a fresh client) sees the same lock: it lives in the database.
        assert self.login(client_for(), "editor_a", TEST_PASSWORD).status_code == 429

    def test_the_lock_ends_after_the_cool_off(self, brand_a, editor_a):
        for _ in range(5):
            self.login(client_for(), "editor_a", "wrong")
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            assert self.login(client_for(), "editor_a", TEST_PASSWORD).status_code == 302

    def test_other_addresses_are_not_locked(self, brand_a, editor_a, front_desk_a):
        for _ in range(5):
            self.login(client_for(), "editor_a", "wrong")
        elsewhere = Client(HTTP_HOST=HOST_A, REMOTE_ADDR="198.51.100.7")
        assert self.login(elsewhere, "front_desk_a", TEST_PASSWORD).status_code == 302

    def test_a_correct_login_works(self, brand_a, editor_a):
        assert self.login(client_for(), "editor_a", TEST_PASSWORD).status_code == 302


def test_staff_sessions_expire_after_a_working_day(brand_a, editor_a, settings):
    client = client_for()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor_a", "password": TEST_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    pass_second_factor(client, editor_a)
    assert client.get("/admin/").status_code == 200
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    with time_machine.travel(timezone.now() + timedelta(hours=9)):
        answer = client.get("/admin/")
        assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("password", ["short", "password1234", "123456789012", "editor_a2026!"])
def test_weak_passwords_are_refused(editor_a, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=editor_a)
