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
    "tidtam.frameworks",
    "tidtam.accounts",
    "tidtam.evaluation",
    "tidtam.validation",
    "tidtam.reporting",
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
            "builtins": ["tidtam.thai.templatetags.thai"],
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
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

# --- Error pages in Thai (tidtam/web/errors.py) ---------------------------------
# Django's technical 404/500 pages are English and show internals; the Thai
# pages are shown with DEBUG on as well, unless a developer asks for them back.
MIDDLEWARE.append("tidtam.web.errors.ThaiErrorPages")
CSRF_FAILURE_VIEW = "tidtam.web.errors.csrf_failure"
TIDTAM_TECHNICAL_ERRORS = os.environ.get("TIDTAM_TECHNICAL_ERRORS", "0") == "1"

# /api/docs works offline: with "ninja" installed, django-ninja serves the
# Swagger UI it ships (swagger-ui-dist, Apache-2.0) from its own static files
# instead of a CDN an office network may not reach.
INSTALLED_APPS.append("ninja")
