"""Django settings for tidtam.

Configuration comes from the environment so the same code runs the demo on
SQLite and production on PostgreSQL:

- ``DATABASE_URL``: any URL dj-database-url understands; default is a SQLite
  file in the data directory.
- ``TIDTAM_DATA_DIR``: where the SQLite file, uploads and caches live
  (default ``<project>/data``).
- ``TIDTAM_SECRET_KEY`` (or ``TIDTAM_SECRET_KEY_FILE``), ``TIDTAM_ALLOWED_HOSTS``.
- ``TIDTAM_DEBUG=1`` asks for the development mode (``make run`` and the
  tests do); without it tidtam runs as production: DEBUG off, a secret key
  required, HTTPS settings on (see the block at the end and docs/deploy.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("TIDTAM_DATA_DIR", PROJECT_DIR / "data")).resolve()

# Production is the default: the development mode has to be asked for, so a
# server started without configuration never shows tracebacks or signs
# sessions with the public demo key.
DEBUG = os.environ.get("TIDTAM_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("TIDTAM_SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("TIDTAM_SECRET_KEY_FILE"):
    # A file (a systemd credential, a secret mounted by the orchestrator) keeps
    # the key out of the process environment.
    SECRET_KEY = Path(os.environ["TIDTAM_SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ไม่ได้ตั้ง TIDTAM_SECRET_KEY: เครื่องที่ใช้งานจริงต้องตั้งกุญแจลับของตนเอง"
            " (หรือ TIDTAM_SECRET_KEY_FILE) ส่วนการทดลองในเครื่องให้ตั้ง TIDTAM_DEBUG=1"
            " เช่น make run — ดู docs/deploy.md")
    SECRET_KEY = "tidtam-demo-key-not-for-production"
# Keys that encrypt children's national IDs at rest (tidtam.children.crypto); the first
# encrypts, all decrypt. Unset: a key derived from SECRET_KEY.
TIDTAM_DATA_KEYS = [k.strip() for k in os.environ.get("TIDTAM_DATA_KEYS", "").split(",")
                    if k.strip()]
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
    "tidtam.children",
    "tidtam.incidents",
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
    # WAL lets the web server read while a command writes; it is a property of
    # the file, set again by every connection so a copied or restored file gets
    # it too. NORMAL is the durability WAL is designed for (a power cut may
    # lose the last commit, never corrupt the file); the busy timeout makes a
    # writer wait for another instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000")
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
STATIC_ROOT = Path(os.environ.get("TIDTAM_STATIC_ROOT", DATA_DIR / "static")).resolve()
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"


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

# --- Production and security (docs/deploy.md) ---------------------------------
def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value not in ("0", "1"):
        raise ImproperlyConfigured(f"{name} ต้องเป็น 0 หรือ 1 (พบ '{value}')")
    return value == "1"


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Static files: in development WhiteNoise serves them straight from the apps
# and notices edits; in production `tidtam collectstatic` copies them once
# into STATIC_ROOT under names carrying their hash, which WhiteNoise serves
# compressed and cacheable for a year.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Source maps (the API docs' bundle) are for developers' tools: not worth the
# half-minute brotli spends on them at every collectstatic.
def _skip_compress() -> list[str]:
    from whitenoise.compress import Compressor

    return [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]


WHITENOISE_SKIP_COMPRESS_EXTENSIONS = _skip_compress()
if not DEBUG:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# HTTPS. On by default in production; a site reached over plain HTTP (a
# trial inside one office) turns it off with TIDTAM_HTTPS=0, and each part
# can be set on its own. Behind a reverse proxy that ends TLS, set
# TIDTAM_PROXY_SSL_HEADER=1 so Django trusts its X-Forwarded-Proto header —
# only when the proxy always sets that header itself.
HTTPS = _env_flag("TIDTAM_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = _env_flag("TIDTAM_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = _env_flag("TIDTAM_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("TIDTAM_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("TIDTAM_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
# The preload token only matters once the domain's owner submits the domain to
# the browsers' list (which takes apex domains only), so it is on with HSTS.
SECURE_HSTS_PRELOAD = _env_flag("TIDTAM_HSTS_PRELOAD", HTTPS)
if _env_flag("TIDTAM_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = _env_flag("TIDTAM_USE_X_FORWARDED_HOST", False)
# Origins allowed to POST when the site's address differs from the Host the
# server sees, e.g. "https://tidtam.example.go.th".
CSRF_TRUSTED_ORIGINS = _env_list("TIDTAM_CSRF_TRUSTED_ORIGINS")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp): scripts, styles, fonts and requests
# only from tidtam itself — no inline script, handler or style attribute
# anywhere (tests/browser/test_csp.py loads every page and fails on any
# violation). Charts are inline SVG or data: images. The self-contained
# documents (the .html result sheet and inspection report) carry a stricter
# policy of their own: tidtam.ops.csp.DOCUMENT_POLICY.
INSTALLED_APPS += ["csp", "ninja", "tidtam.ops"]  # ninja: the API docs' own static files
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Error pages in Thai (tidtam/web/errors.py) ---------------------------------
# Django's technical 404/500 pages are English and show internals; the Thai
# pages are shown with DEBUG on as well, unless a developer asks for them back.
# Before axes, which asks to be last.
MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
                  "tidtam.web.errors.ThaiErrorPages")
CSRF_FAILURE_VIEW = "tidtam.web.errors.csrf_failure"
TIDTAM_TECHNICAL_ERRORS = os.environ.get("TIDTAM_TECHNICAL_ERRORS", "0") == "1"
