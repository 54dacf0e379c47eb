"""Django settings for tidtam.

Configuration comes from the environment so the same code runs the demo on
SQLite and production on PostgreSQL:

- ``DATABASE_URL``: any URL dj-database-url understands; default is a SQLite
  file in the data directory.
- ``TIDTAM_DATA_DIR``: where the SQLite file, uploads and caches live
  (default ``<project>/data``).
- ``TIDTAM_SECRET_KEY``, ``TIDTAM_DEBUG``, ``TIDTAM_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("TIDTAM_DATA_DIR", PROJECT_DIR / "data")).resolve()

DEBUG = os.environ.get("TIDTAM_DEBUG", "1") == "1"
# The demo key is only acceptable while DEBUG is on; production must set its own.
SECRET_KEY = os.environ.get("TIDTAM_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("TIDTAM_SECRET_KEY must be set when TIDTAM_DEBUG=0")
    SECRET_KEY = "tidtam-demo-key-not-for-production"
ALLOWED_HOSTS = os.environ.get("TIDTAM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "tidtam.orgs",
    "tidtam.measures",
    "tidtam.frameworks",
    "tidtam.narratives",
    "tidtam.accounts",
    "tidtam.evaluation",
    "tidtam.validation",
    "tidtam.reporting",
    "tidtam.audit",
    "tidtam.documents",
    "tidtam.ingest",
    "tidtam.analytics",
    "tidtam.inspection",
    "tidtam.plans",
    "tidtam.search",
    "tidtam.web",
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
]

ROOT_URLCONF = "tidtam.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["tidtam.thai.templatetags.thai", "tidtam.accounts.templatetags.people"],
        },
    },
]

WSGI_APPLICATION = "tidtam.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'tidtam.sqlite3'}",
        conn_max_age=int(os.environ.get("TIDTAM_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's validators, with Thai messages (tidtam/accounts/validators.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "tidtam.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "tidtam.accounts.validators.MinimumLengthValidator"},
    {"NAME": "tidtam.accounts.validators.CommonPasswordValidator"},
    {"NAME": "tidtam.accounts.validators.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves the static files straight from the apps (no collectstatic
# step), in the demo, in tests and behind a production WSGI server alike.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
    },
}

# --- Background work and notifications (issue 14) ----------------------------
# Tasks go through Django's tasks API (the django-tasks backport on Django 5.2)
# and are stored in this database (django-tasks-db): `tidtam worker` runs them,
# on as many machines as point at the same PostgreSQL. "documents" is the queue
# of batch documents, so a batch can have workers of its own.
INSTALLED_APPS += [
    "django_tasks",
    "django_tasks_db",
    "tidtam.jobs",
    "tidtam.notifications",
]
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "documents"],
    }
}

# --- accounts: lockout (django-axes), second factor (django-otp), password e-mail ----
# Ten wrong passwords in a row lock the account (by username, from any
# address) for 30 minutes; a password reset by e-mail or the office
# administrator lifts it sooner. See tidtam/accounts/README.md.
import datetime as _dt  # noqa: E402

INSTALLED_APPS += [
    "axes", "django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static",
]
_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE[_auth + 1:_auth + 1] = [
    "django_otp.middleware.OTPMiddleware",
    "tidtam.accounts.middleware.SecondFactorMiddleware",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as axes asks
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that an IP is not locked too; here that is deliberate: an area
# office's staff share one NAT address, and ten typos among them would lock
# the whole office out on deadline day.
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "axes.W006"]
AXES_COOLOFF_TIME = _dt.timedelta(minutes=int(os.environ.get("TIDTAM_LOCKOUT_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "tidtam"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # the invitation link of a new account, too
# `make run` prints e-mails on the console; production sets an SMTP server.
EMAIL_BACKEND = os.environ.get(
    "TIDTAM_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("TIDTAM_FROM_EMAIL", "tidtam <noreply@localhost>")
EMAIL_HOST = os.environ.get("TIDTAM_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TIDTAM_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TIDTAM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TIDTAM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("TIDTAM_EMAIL_TLS", "0") == "1"
# Links in e-mails need the site's address (no request in a worker).
TIDTAM_SITE_URL = os.environ.get("TIDTAM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Uploaded documents larger than this are read by a worker, not in the request.
TIDTAM_IMPORT_INLINE_BYTES = int(os.environ.get("TIDTAM_IMPORT_INLINE_BYTES", str(128 * 1024)))
