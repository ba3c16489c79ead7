"""Settings come from the environment; production refuses to start insecure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_float, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x7Q9pL2mZ8vR4tW6yB1nC5" * 3


def run_django(*args, timeout=120, **env):
    """Run manage.py in a clean process with only the given configuration."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    for key in ("PORTAL_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"):
        base.pop(key, None)
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class TestEnvHelpers:
    def test_booleans_accept_the_usual_words(self, monkeypatch):
        for word, expected in [("1", True), ("YES", True), ("off", False), ("", False)]:
            monkeypatch.setenv("FLAG", word)
            assert env_bool("FLAG", default=not expected) is expected

    def test_an_unreadable_boolean_stops_start_up(self, monkeypatch):
        monkeypatch.setenv("FLAG", "maybe")
        with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
            env_bool("FLAG", default=False)

    def test_an_unreadable_number_stops_start_up(self, monkeypatch):
        monkeypatch.setenv("COUNT", "ten")
        with pytest.raises(ImproperlyConfigured, match="COUNT='ten' is not a whole number"):
            env_int("COUNT", 3)

    @pytest.mark.parametrize("raw", ["soon", "0", "-1", "inf", "nan"])
    def test_a_timeout_must_be_a_positive_number(self, monkeypatch, raw):
        monkeypatch.setenv("WAIT", raw)
        with pytest.raises(ImproperlyConfigured, match="WAIT="):
            env_float("WAIT", 0.5)

    def test_a_timeout_reads_fractions(self, monkeypatch):
        monkeypatch.setenv("WAIT", "0.25")
        assert env_float("WAIT", 0.5) == 0.25
        monkeypatch.setenv("WAIT", "")
        assert env_float("WAIT", 0.5) == 0.5

    def test_lists_drop_blanks(self, monkeypatch):
        monkeypatch.setenv("HOSTS", " a.example, ,b.example ")
        assert env_list("HOSTS", []) == ["a.example", "b.example"]

    def test_secrets_can_come_from_a_file(self, monkeypatch, tmp_path):
        secret = tmp_path / "key"
        secret.write_text("from-a-file\n")
        monkeypatch.setenv("TOKEN_FILE", str(secret))
        monkeypatch.setenv("TOKEN", "ignored")
        assert env_str("TOKEN") == "from-a-file"

    def test_a_missing_secret_file_stops_start_up(self, monkeypatch, tmp_path):
        monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "absent"))
        with pytest.raises(ImproperlyConfigured, match="cannot be read"):
            env_str("TOKEN")


@pytest.mark.slow  # starts Django in a process of its own
@pytest.mark.parametrize("secret", ["", "short", "django-insecure-" + "a" * 60, "a" * 64])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = run_django(
        "check", PORTAL_ENV="production", SECRET_KEY=secret, ALLOWED_HOSTS="clinic.example"
    )
    assert result.returncode != 0
    assert "needs SECRET_KEY" in result.stderr


@pytest.mark.slow  # starts Django in a process of its own
def test_production_refuses_debug():
    result = run_django(
        "check",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="clinic.example",
        DEBUG="1",
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


@pytest.mark.slow  # starts Django in a process of its own
def test_production_settings_pass_the_deployment_checklist():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="clinic.example,.clinic.example",
        BACK_OFFICE_URL="https://backoffice.clinic.example",
        SMS_BACKEND="sms.backends.twilio.SmsBackend",
        DEFAULT_FROM_SMS="+15035550100",
        SMS_INBOUND_SECRET="a-long-random-secret",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.slow  # starts Django in a process of its own
def test_the_checklist_asks_for_a_text_message_provider():
    result = run_django(
        "check",
        "--deploy",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="clinic.example",
    )
    output = result.stderr + result.stdout
    assert "appointments.W001" in output and "appointments.W003" in output


@pytest.mark.slow  # starts Django in a process of its own
def test_the_checklist_asks_for_the_back_office_address():
    result = run_django(
        "check",
        "--deploy",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="clinic.example",
    )
    assert "staff.W001" in result.stderr + result.stdout


@pytest.mark.slow  # starts Django in a process of its own
def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    database = tmp_path / "portal.sqlite3"
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])\n"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])\n"
    )
    result = run_django("shell", "--no-imports", "-c", script, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]


@pytest.mark.slow  # starts Django in a process of its own
def test_redis_url_switches_the_cache_to_redis():
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run_django("shell", "--no-imports", "-c", script, REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.stdout.strip() == "portal.resilient_cache.ResilientRedisCache"


def settings_of(*names, **env):
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_django("shell", "--no-imports", "-c", script, **env)
    assert result.returncode == 0, result.stderr[-2000:]
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


PRODUCTION = {"PORTAL_ENV": "production", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "c.example"}


class TestSharedStateInProduction:
    @pytest.mark.slow  # starts Django in a process of its own
    def test_one_machine_production_shares_a_file_cache_between_workers(self, tmp_path):
        values = settings_of(
            "CACHES", "SESSION_ENGINE", **PRODUCTION, REDIS_URL="", CACHE_DIR=str(tmp_path)
        )
        assert values["CACHES"]["default"]["BACKEND"] == "portal.filecache.SharedFileCache"
        assert values["CACHES"]["default"]["LOCATION"] == str(tmp_path)
        assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"

    @pytest.mark.slow  # starts Django in a process of its own
    def test_with_redis_everything_shared_lives_there(self):
        values = settings_of(
            "CACHES", "SESSION_ENGINE", **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/3"
        )
        assert values["CACHES"]["default"]["BACKEND"].endswith("ResilientRedisCache")
        assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"

    @pytest.mark.slow  # starts Django in a process of its own
    def test_no_setting_keeps_sessions_in_one_process(self):
        values = settings_of("SESSION_ENGINE", REDIS_URL="")
        assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


class TestTrustedProxies:
    @pytest.mark.slow  # starts Django in a process of its own
    def test_they_are_off_by_default(self):
        values = settings_of("TRUSTED_PROXIES", "TRUSTED_PROXY_COUNT", **PRODUCTION)
        assert values == {"TRUSTED_PROXIES": [], "TRUSTED_PROXY_COUNT": 0}

    @pytest.mark.slow  # starts Django in a process of its own
    @pytest.mark.parametrize("value", ["10.0.0.0/33", "load-balancer", "10.0.0.1;rm -rf"])
    def test_a_proxy_that_is_not_an_address_stops_start_up(self, value):
        result = run_django("check", TRUSTED_PROXIES=value)
        assert result.returncode != 0 and "TRUSTED_PROXIES" in result.stderr

    @pytest.mark.slow  # starts Django in a process of its own
    def test_addresses_and_a_count_together_stop_start_up(self):
        result = run_django("check", TRUSTED_PROXIES="10.0.0.1", TRUSTED_PROXY_COUNT="1")
        assert result.returncode != 0 and "not both" in result.stderr


class TestMediaStorage:
    @pytest.mark.slow  # starts Django in a process of its own
    def test_one_machine_serves_uploads_itself(self):
        values = settings_of("SERVE_MEDIA", "MEDIA_URL", **PRODUCTION)
        assert values == {"SERVE_MEDIA": True, "MEDIA_URL": "/media/"}

    @pytest.mark.slow  # starts Django in a process of its own
    def test_object_storage_needs_a_bucket_and_a_public_address(self):
        result = run_django("check", **PRODUCTION, MEDIA_STORAGE="s3", S3_BUCKET="clinic-media")
        assert result.returncode != 0 and "S3_PUBLIC_URL" in result.stderr

    @pytest.mark.slow  # starts Django in a process of its own
    def test_object_storage_is_configured_from_the_environment(self):
        values = settings_of(
            "STORAGES",
            "MEDIA_URL",
            "SERVE_MEDIA",
            "CONTENT_SECURITY_POLICY",
            **PRODUCTION,
            MEDIA_STORAGE="s3",
            S3_BUCKET="clinic-media",
            S3_PUBLIC_URL="https://media.clinic.example",
            S3_ENDPOINT_URL="https://s3.eu-central-1.example",
            S3_ACCESS_KEY_ID="AKIAEXAMPLE",
            S3_SECRET_ACCESS_KEY="secret-example",
        )
        storage = values["STORAGES"]["default"]
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
        assert storage["OPTIONS"]["bucket_name"] == "clinic-media"
        assert storage["OPTIONS"]["custom_domain"] == "media.clinic.example"
        assert storage["OPTIONS"]["querystring_auth"] is False
        assert values["MEDIA_URL"] == "https://media.clinic.example/"
        assert values["SERVE_MEDIA"] is False
        img_src = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
        assert "https://media.clinic.example" in img_src

    @pytest.mark.slow  # starts Django in a process of its own
    def test_an_unknown_storage_stops_start_up(self):
        result = run_django("check", MEDIA_STORAGE="ftp")
        assert result.returncode != 0 and "MEDIA_STORAGE" in result.stderr


@pytest.mark.slow  # starts Django in a process of its own
def test_sqlite_keeps_its_connection_between_requests_and_waits_for_the_lock(tmp_path):
    """Opening a connection (and its PRAGMAs) per request cost a quarter of a page."""
    database = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    values = settings_of("DATABASES", **PRODUCTION, DATABASE_URL=database)
    default = values["DATABASES"]["default"]
    assert default["CONN_MAX_AGE"] == 60
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in default["OPTIONS"]["init_command"]
    short = settings_of("DATABASES", **PRODUCTION, DATABASE_URL=database, CONN_MAX_AGE="0")
    assert short["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


@pytest.mark.slow  # starts Django in a process of its own
def test_a_back_office_time_zone_must_exist():
    result = run_django("check", BACK_OFFICE_TIME_ZONE="Mars/Olympus_Mons")
    assert result.returncode != 0
    assert "BACK_OFFICE_TIME_ZONE='Mars/Olympus_Mons' is not an IANA time zone" in result.stderr


@pytest.mark.slow  # starts Django in a process of its own
def test_the_back_office_host_gives_the_links_their_address():
    code = "from django.conf import settings; print(settings.BACK_OFFICE_URL)"
    result = run_django("shell", "-c", code, BACK_OFFICE_HOST="office.example.org")
    assert result.stdout.strip().endswith("http://office.example.org")
