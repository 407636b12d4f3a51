"""Kohtaamo settings. Everything deployment-specific comes from the environment (see README)."""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import plotly
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KOHTAAMO_VAR_DIR", BASE_DIR / "var"))

DEBUG = os.environ.get("KOHTAAMO_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("KOHTAAMO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("KOHTAAMO_REQUIRE_SECRET") == "1":
        raise RuntimeError("KOHTAAMO_SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-development-key-set-KOHTAAMO_SECRET_KEY"  # noqa: S105
ALLOWED_HOSTS = [h for h in os.environ.get("KOHTAAMO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KOHTAAMO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Absolute address used in e-mailed links and QR codes.
KOHTAAMO_BASE_URL = os.environ.get("KOHTAAMO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from static files, not a CDN (the CSP allows only 'self')
    "kohtaamo.organisations",
    "kohtaamo.instruments",
    "kohtaamo.feedback",
    "kohtaamo.analytics",
    "kohtaamo.reports",
    "kohtaamo.assessments",
    "kohtaamo.mystery",
    "kohtaamo.journeys",
    "kohtaamo.maturity",
    "kohtaamo.development",
    "kohtaamo.followup",
    "kohtaamo.impact",
    "kohtaamo.integrations",
    "kohtaamo.textanalytics",
    "kohtaamo.stakeholders",
    "kohtaamo.staffexperience",
    "kohtaamo.widget",
    "kohtaamo.privacy",
    "kohtaamo.security",
    "kohtaamo.deployment",
    "kohtaamo.api",
]

MIDDLEWARE = [
    "kohtaamo.deployment.routing.ReadYourWritesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kohtaamo.security.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kohtaamo.security.middleware.SecondFactorAdminMiddleware",
    "kohtaamo.security.middleware.PublicRateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kohtaamo.privacy.audit.AuditMiddleware",
]

ROOT_URLCONF = "kohtaamo.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kohtaamo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kohtaamo.organisations.context_processors.current_organisation",
            ],
        },
    },
]
WSGI_APPLICATION = "kohtaamo.wsgi.application"


# The API's one-statement write as a prepared statement (parsed and planned once per connection); set
# 0 behind a pooler in transaction mode that cannot keep prepared statements (PgBouncer < 1.21).
KOHTAAMO_PREPARED_WRITES = os.environ.get("KOHTAAMO_PREPARED_WRITES", "1") == "1"


def _database_from_url(url: str) -> dict:
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "kohtaamo.sqlite3",
            # WAL lets the task worker and the web process write side by side.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parsed.path.lstrip("/"),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            # App servers keep their connection between requests (seconds; 0 = one per request).
            "CONN_MAX_AGE": int(os.environ.get("KOHTAAMO_DB_CONN_MAX_AGE", "0")),
            "CONN_HEALTH_CHECKS": True,
            # Django's cursors bind on the client and are never prepared; a threshold other than None
            # lets the API's write ask for preparation (feedback/ingest.py), nothing else reaches it.
            "OPTIONS": {"prepare_threshold": 1_000_000 if KOHTAAMO_PREPARED_WRITES else None},
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path}
    raise RuntimeError(f"Unsupported KOHTAAMO_DATABASE_URL scheme: {parsed.scheme}")


DATABASES = {"default": _database_from_url(os.environ.get("KOHTAAMO_DATABASE_URL", ""))}
# Streaming replicas (comma-separated URLs): safe requests read from them, see deployment/routing.py.
for _number, _url in enumerate(filter(None, os.environ.get("KOHTAAMO_REPLICA_URLS", "").split(",")), start=1):
    DATABASES[f"replica{_number}"] = {**_database_from_url(_url), "TEST": {"MIRROR": "default"}}
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["kohtaamo.deployment.routing.ReplicaRouter"]
# How long a browser that changed something keeps reading from the primary (longer than replica lag).
KOHTAAMO_REPLICA_PIN_SECONDS = int(os.environ.get("KOHTAAMO_REPLICA_PIN_SECONDS", "15"))
# At most this often per app process and organisation, a submit enqueues the merging of the dashboard
# rollup's appended entries (0 = off; then run `manage.py rollup_compact` from cron).
KOHTAAMO_ROLLUP_COMPACT_SECONDS = int(os.environ.get("KOHTAAMO_ROLLUP_COMPACT_SECONDS", "300")) or None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new passwords use it and older hashes are rehashed with it at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kohtaamo" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even when serving from finders
# plotly.js is served from the installed plotly package, never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "kohtaamo" / "static",
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
# Uploads live in the database by default, so app servers keep no state on local disk.
STORAGES = {
    "default": {
        "BACKEND": {
            "database": "kohtaamo.deployment.storage.DatabaseStorage",
            "filesystem": "django.core.files.storage.FileSystemStorage",
        }[os.environ.get("KOHTAAMO_MEDIA_STORAGE", "database")]
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("KOHTAAMO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("KOHTAAMO_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KOHTAAMO_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("KOHTAAMO_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KOHTAAMO_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("KOHTAAMO_SMTP_TLS", "0") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("KOHTAAMO_FROM_EMAIL", "Kohtaamo <no-reply@kohtaamo.local>")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("KOHTAAMO_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KOHTAAMO_LOG_LEVEL", "WARNING")},
}

# Security headers and cookies (see README "Security"). KOHTAAMO_HTTPS=1 when served over HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages take the token from the form or the hx-headers, never from the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("KOHTAAMO_HTTPS", "0") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("KOHTAAMO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("KOHTAAMO_HSTS_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("KOHTAAMO_HSTS_PRELOAD", "0") == "1"
    SECURE_SSL_REDIRECT = os.environ.get("KOHTAAMO_SSL_REDIRECT", "1") == "1"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and X-Forwarded-For).
if os.environ.get("KOHTAAMO_BEHIND_PROXY", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
KOHTAAMO_TRUSTED_PROXY = os.environ.get("KOHTAAMO_BEHIND_PROXY", "0") == "1"
