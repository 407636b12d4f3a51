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
    "kohtaamo.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path}
    raise RuntimeError(f"Unsupported KOHTAAMO_DATABASE_URL scheme: {parsed.scheme}")


DATABASES = {"default": _database_from_url(os.environ.get("KOHTAAMO_DATABASE_URL", ""))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
