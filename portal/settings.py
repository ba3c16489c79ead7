"""Settings for the clinic portal, read from the environment.

One module for every environment. ``PORTAL_ENV`` picks the defaults: ``development``
(the default: runs with no configuration at all) or ``production`` (refuses to start
without a real secret key and turns on every transport-security setting).
See README.md for the full list of variables.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PORTAL_ENV = env_str("PORTAL_ENV", "development")
if PORTAL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"PORTAL_ENV={PORTAL_ENV!r}: use 'development' or 'production'.")
PRODUCTION = PORTAL_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when PORTAL_ENV=production.")

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "PORTAL_ENV=production needs SECRET_KEY (or SECRET_KEY_FILE): at least 50 random "
        "characters, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

# Brand hostnames are checked against BrandDomain rows by clinic.middleware; this list
# is Django's first gate (malformed or unlisted Host headers get a 400 before any query).
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else [".localhost", "localhost", "127.0.0.1", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("PORTAL_ENV=production needs ALLOWED_HOSTS (comma-separated).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Hosts that serve the default brand directly (no redirect): handy in development.
DEFAULT_BRAND_HOSTS = env_list(
    "DEFAULT_BRAND_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
# How long a host -> brand answer may be reused; saves clear it at once in this process
# and, with Redis, in every process.
BRAND_CACHE_SECONDS = env_int("BRAND_CACHE_SECONDS", 300)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.contrib.postgres",
    "phonenumber_field",
    "django_prose_editor",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "portal",
    "clinic",
    "outbox",
    "articles",
    "appointments",
    "pages",
    "care",
    "staff",
    "demo",
]

MIDDLEWARE = [
    "portal.health.HealthCheckMiddleware",
    # Stores anonymous public pages with every header the stack below adds (so that the
    # WSGI entry point, portal/wsgi.py, can answer them whole) and serves them to the
    # test client; see portal/pagecache.py for what it caches and for how long.
    "portal.pagecache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before any database work.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses public pages only where no secret shares the response (BREACH); below
    # the page cache, so a cached page is compressed once, not on every hit.
    "portal.compression.PublicCompressionMiddleware",
    "portal.csp.PortalCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "clinic.middleware.BrandMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: from its address on public pages, staff's choice in the back
    # office (portal/languages.py).
    "portal.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor, if any, this session has passed (request.user.is_verified()),
    # then: no back-office page before the second factor (staff/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.TwoFactorMiddleware",
    # Back-office times in the reader's own zone (staff/time_zones.py).
    "staff.time_zones.StaffTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns locked-out logins into a lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.brand",
            ],
        },
    },
]

# Database: SQLite file by default, anything dj-database-url reads otherwise
# (postgres://user@host:5432/name uses psycopg 3).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent use: WAL lets readers proceed during a write, IMMEDIATE takes the write
    # lock at BEGIN (no "database is locked" upgrade failures), and the timeout makes a
    # writer wait for the lock instead of failing. Connections are kept between requests
    # (CONN_MAX_AGE) as for any database: opening one and running its three PRAGMAs on
    # every request cost a quarter of an uncached page.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
    }
    # The test database as a file the edit loop keeps between runs (`make test-fast`
    # with --reuse-db): migrating a fresh in-memory one costs each test worker seconds.
    if env_str("TEST_DATABASE_FILE", ""):
        DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_FILE", "")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a deadline on every wait in gunicorn's workers
    # (portal/db_deadline.py: a server that accepts and never answers).
    DATABASES["default"]["ENGINE"] = "portal.postgresql"
    # Behind PgBouncer in transaction pooling mode (docs/deploy.md), a connection's
    # session does not outlive a transaction: no server-side cursors (the CSV export's)
    # and no prepared statements (psycopg prepares a query after five runs).
    BEHIND_TRANSACTION_POOLER = env_bool("DB_TRANSACTION_POOLER", False)
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = BEHIND_TRANSACTION_POOLER
    # A database that stops answering costs a request seconds, not a worker: libpq gives
    # up connecting after DB_CONNECT_TIMEOUT, a connection whose packets go unanswered
    # fails after DB_NETWORK_TIMEOUT (TCP user timeout while sending, keepalives while
    # waiting), and the server cancels a statement after DB_STATEMENT_TIMEOUT. Each
    # answers the branded 503 well inside gunicorn's 30 s. A long one-off command may
    # raise the statement limit for itself (DB_STATEMENT_TIMEOUT=600).
    _network_ms = round(env_float("DB_NETWORK_TIMEOUT", 6.0) * 1000)
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": max(1, round(env_float("DB_CONNECT_TIMEOUT", 3.0))),
        "tcp_user_timeout": _network_ms,
        "keepalives": 1,
        "keepalives_idle": max(1, _network_ms // 3000),
        "keepalives_interval": 1,
        "keepalives_count": max(1, _network_ms // 3000),
        "options": (
            f"-c statement_timeout={round(env_float('DB_STATEMENT_TIMEOUT', 15.0) * 1000)}"
        ),
    }
    if BEHIND_TRANSACTION_POOLER:
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
# How long a gunicorn worker waits for the database (any one query, or connecting)
# before answering 503 (portal/db_deadline.py).
DB_QUERY_DEADLINE = env_float("DB_QUERY_DEADLINE", 4.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Searches one client may run per minute (a person reads results; a flood is a script).
SEARCHES_PER_MINUTE = env_int("SEARCHES_PER_MINUTE", 30)

# Cache: every worker of every app server must see the same cache, or a logged-out
# session, an unpublished article or a retired brand lives on in the workers that did
# not hear of it. So:
# - REDIS_URL set: Redis (Django's built-in backend), shared by every app server;
# - production without REDIS_URL ("one machine"): files in CACHE_DIR, shared by every
#   worker of the machine (written atomically; no database round trip per page);
# - development and tests: local memory (one process).
REDIS_URL = env_str("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, for which an outage is a miss, not an error page.
            "BACKEND": "portal.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
            "OPTIONS": {
                # A Redis that does not answer costs a request this long, not a worker.
                "socket_connect_timeout": env_float("CACHE_CONNECT_TIMEOUT", 0.5),
                "socket_timeout": env_float("CACHE_TIMEOUT", 0.5),
            },
        }
    }
elif PRODUCTION:
    CACHES = {
        "default": {
            "BACKEND": "portal.filecache.SharedFileCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20000)},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous public pages, and the article data behind them, are cached at most this long
# (0 turns both off); PAGE_CACHE=0 turns off only the cache of whole pages.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# A shared HTTP cache in front (Varnish, a CDN) keeps public pages as long as their
# s-maxage says and is purged per brand after every save (portal/purge.py, docs/caching.md).
CDN_PURGE_BACKEND = env_str("CDN_PURGE_BACKEND", "")
CDN_PURGE_URLS = env_list("CDN_PURGE_URLS", [])
CLOUDFLARE_ZONE_ID = env_str("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = env_str("CLOUDFLARE_API_TOKEN", "")
CLOUDFLARE_API_URL = env_str("CLOUDFLARE_API_URL", "")  # tests point it at a local fake

# Sessions live in the database (with Redis, cached there too): never in a process's own
# memory, where a logged-out session would stay valid in the workers that cached it.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db")
# Staff sessions expire after a working day of inactivity.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)

# After signing in with no (or an unsafe) "next" address, staff land on the admin index.
LOGIN_REDIRECT_URL = "admin:index"
AUTHENTICATION_BACKENDS = [
    # First: refuses logins for an account and address that failed too often.
    "axes.backends.AxesStandaloneBackend",
    "clinic.auth.BrandRoleBackend",
]
# Admin login: five failures for one username from one address lock that pair out for
# 30 minutes, and five from one address across usernames lock that address (below).
# Attempts live in the database, so every app server sees the same count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Five failures from one address lock that address too, whatever usernames it tries
# (a stranger guessing across accounts); a staff member's own address is untouched.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# The client's address comes from the one place that knows about trusted proxies.
AXES_CLIENT_IP_CALLABLE = "portal.clientip.client_ip"
AXES_VERBOSE = False
# Two-factor sign-in (staff/two_factor.py): the name authenticator apps show, and
# django-otp's back-off after wrong codes (1, 2, 4 ... seconds, per device).
OTP_TOTP_ISSUER = env_str("TWO_FACTOR_ISSUER", "Clinic back office")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Times carry their zone's abbreviation (portal/formats/en/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Development and tests serve straight from the apps; production from STATIC_ROOT.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded images: on this machine's disk, served by the portal itself (one machine), or
# in S3-compatible object storage through django-storages (several app servers).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r}: use 'filesystem' or 's3'.")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# How hard the WebP encoder works on each rendition (Pillow's "method", 0-6): 4 makes
# files a little smaller for a little more time at upload. The tests use 0.
IMAGE_WEBP_EFFORT = env_int("IMAGE_WEBP_EFFORT", 4)
SERVE_MEDIA = MEDIA_STORAGE == "filesystem"
if MEDIA_STORAGE == "s3":
    _S3_BUCKET = env_str("S3_BUCKET", "")
    _S3_PUBLIC_URL = env_str("S3_PUBLIC_URL", "").rstrip("/")
    if not _S3_BUCKET or not _S3_PUBLIC_URL.startswith("https://"):
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs S3_BUCKET and S3_PUBLIC_URL (the https:// address the "
            "bucket's files are read from, e.g. https://media.clinic.example)."
        )
    _MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            # Public images at a stable address of the clinic's own: no signed URLs
            # (they would make every page unique and uncacheable).
            "custom_domain": _S3_PUBLIC_URL.removeprefix("https://"),
            "url_protocol": "https:",
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": env_str("S3_DEFAULT_ACL", "") or None,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    MEDIA_URL = f"{_S3_PUBLIC_URL}/"
else:
    _MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_URL = "/media/"
STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {
        # Fingerprinted, pre-compressed files with year-long cache headers in production.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Text messages, for patients who choose them (django-sms): printed to the console in
# development; in production a provider's backend ("sms.backends.twilio.SmsBackend" with
# TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or "sms.backends.messagebird.SmsBackend"
# with MESSAGEBIRD_ACCESS_KEY). The tests use django-sms's in-memory outbox.
SMS_BACKEND = env_str("SMS_BACKEND", "sms.backends.console.SmsBackend")
DEFAULT_FROM_SMS = env_str("DEFAULT_FROM_SMS", "")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(BASE_DIR / "sent-sms"))
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")
MESSAGEBIRD_ACCESS_KEY = env_str("MESSAGEBIRD_ACCESS_KEY", "")
# The provider posts replies ("STOP") to /sms/inbound/ with HTTP basic auth: this secret
# as the password (empty: replies are refused).
SMS_INBOUND_SECRET = env_str("SMS_INBOUND_SECRET", "")
# At most this many texts to one number a day, whatever is submitted with it.
SMS_PER_NUMBER_PER_DAY = env_int("SMS_PER_NUMBER_PER_DAY", 5)

# E-mail: printed to the console in development, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# For the file-based backend (development and tests): one file per message.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Clinic portal <no-reply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Absolute links in e-mails (admin links in notifications) use this scheme and port.
# Where staff sign in: links in staff e-mails (password reset) are built from this, never
# from a request's Host header. Development: the local server.
# One back office for a clinic group (clinic/back_office.py): with BACK_OFFICE_HOST
# (host[:port], listed in ALLOWED_HOSTS too) the admin answers there alone, each brand
# host's /admin/ leads there, and staff sign in once for all their brands. Unset, the
# admin answers on every brand host.
BACK_OFFICE_HOST = env_str("BACK_OFFICE_HOST", "")
BACK_OFFICE_TIME_ZONE = env_str("BACK_OFFICE_TIME_ZONE", TIME_ZONE)
try:
    ZoneInfo(BACK_OFFICE_TIME_ZONE)
except (ValueError, ZoneInfoNotFoundError) as exc:
    raise ImproperlyConfigured(
        f"BACK_OFFICE_TIME_ZONE={BACK_OFFICE_TIME_ZONE!r} is not an IANA time zone."
    ) from exc
BACK_OFFICE_URL = env_str(
    "BACK_OFFICE_URL",
    ("https" if PRODUCTION else "http") + f"://{BACK_OFFICE_HOST}"
    if BACK_OFFICE_HOST
    else ("" if PRODUCTION else "http://127.0.0.1:8000"),
)
# Staff password reset: e-mails per address, requests per client, per hour.
RESET_PER_ADDRESS = env_int("RESET_PER_ADDRESS", 3)
RESET_PER_CLIENT = env_int("RESET_PER_CLIENT", 10)
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60  # a reset link works for two hours (and once)
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)  # how long a staff invitation link works
PORTAL_URL_SCHEME = env_str("PORTAL_URL_SCHEME", "https" if PRODUCTION else "http")
PORTAL_PUBLIC_PORT = env_str("PORTAL_PUBLIC_PORT", "" if PRODUCTION else "8000")

# Consultation requests one client address may send per brand in ten minutes.
CONSULTATION_RATE_LIMIT = env_int("CONSULTATION_RATE_LIMIT", 5)

# How long the access record (who opened, listed, changed, exported requests) is kept:
# six years, the period HIPAA sets for security documentation (45 CFR 164.316(b)(2)).
# `purge_consultations` removes older entries; docs/security.md.
ACCESS_RECORD_RETENTION_DAYS = env_int("ACCESS_RECORD_RETENTION_DAYS", 6 * 366)
# How long a closed consultation request keeps the patient's details before
# `purge_consultations` anonymises it; every brand's privacy page states it.
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 365)

# Every e-mail and text message (outbox/sending.py). The outbox table is the queue. Who
# sends: "request" tries each e-mail in the web process right after the commit
# (development, tests); "sender" leaves everything to `manage.py send_notifications`
# (production: the patient never waits for the mail server). Retries always come from
# the sender, after these waits in minutes; their number is the number of retries, and
# the first is also how long a claim on a row lasts.
NOTIFICATIONS_SENT_FROM = env_str("NOTIFICATIONS_SENT_FROM", "sender" if PRODUCTION else "request")
if NOTIFICATIONS_SENT_FROM not in {"request", "sender"}:
    raise ImproperlyConfigured(
        f"NOTIFICATIONS_SENT_FROM={NOTIFICATIONS_SENT_FROM!r}: use 'request' or 'sender'."
    )
_RETRY_WAITS = env_list(
    "NOTIFICATION_RETRY_MINUTES", ["1", "5", "15", "60", "180", "360", "720", "1440"]
)
if not _RETRY_WAITS or not all(
    wait.isascii() and wait.isdigit() and int(wait) > 0 for wait in _RETRY_WAITS
):
    raise ImproperlyConfigured(
        "NOTIFICATION_RETRY_MINUTES: one or more whole numbers of minutes, e.g. 1,5,15,60."
    )
NOTIFICATION_RETRY_MINUTES = [int(wait) for wait in _RETRY_WAITS]
# A send (each SMTP step may take EMAIL_TIMEOUT) must end well inside a claim, or a
# second sender could take the same row while the first is still talking to the server.
if NOTIFICATION_RETRY_MINUTES[0] * 60 < EMAIL_TIMEOUT * 6:
    raise ImproperlyConfigured(
        f"EMAIL_TIMEOUT={EMAIL_TIMEOUT} s is too long for a first retry after "
        f"{NOTIFICATION_RETRY_MINUTES[0]} min: keep it under a sixth of that wait."
    )

# Security headers. Always on: they cost nothing in development.
# Django already sends nosniff and X-Frame-Options: DENY by default; stated here so that
# a change of default can never silently weaken them (tests read both).
SECURE_CONTENT_TYPE_NOSNIFF = True
# Patients' reading (which article, which clinic) is nobody else's business.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind TLS in production; HTTP-only test deployments turn this (and the CSP upgrade) off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# Content-Security-Policy (django-csp): everything from this host, no inline script.
# The admin's editor import map is allowed by its hash (portal.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MEDIA_URL.rstrip("/")] if MEDIA_STORAGE == "s3" else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"upgrade-insecure-requests": True} if PRODUCTION and SECURE_SSL_REDIRECT else {}),
    }
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
# Transport security only in production, where TLS terminates in front of the app.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
# Which proxies may tell us the client's address (X-Forwarded-For); see portal/clientip.py.
# Off by default: a direct deployment ignores the header, so nobody can forge an address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network (e.g. 10.0.0.0/8)."
        ) from exc
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0 or (TRUSTED_PROXIES and TRUSTED_PROXY_COUNT):
    raise ImproperlyConfigured(
        "Set either TRUSTED_PROXIES (the proxies' addresses) or TRUSTED_PROXY_COUNT "
        "(a whole number of proxies), not both."
    )
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that overwrites this header; otherwise clients could forge it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Disallowed Host headers are noise from scanners, not errors worth a mail.
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "WARNING"},
        # SQL with its parameters would carry patients' details: never logged, even
        # when LOG_LEVEL=DEBUG.
        "django.db.backends": {"level": "INFO"},
    },
}
