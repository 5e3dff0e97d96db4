"""Django settings, read from the environment (twelve-factor).

Defaults make `make run` work on a bare machine: an embedded SQLite database and a development
secret key. Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (PostgreSQL),
and leaves DJANGO_DEBUG unset: debug is off unless asked for.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
_DEV_SECRET = "insecure-development-key-change-me-for-any-real-deployment-0123456789"  # noqa: S105 - development only; production sets DJANGO_SECRET_KEY
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_forms_gds",
    # The product, one app per part of the work that users recognise.
    "casereview.web",
    "casereview.accounts",
    "casereview.applications",
    "casereview.apply",
    "casereview.letters",
    "casereview.reviews",
    "casereview.panels",
    "casereview.actions",
    "casereview.appeals",
    "casereview.repeats",
    "casereview.notifications",
    "casereview.statistics",
    "casereview.audit",
    "casereview.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "casereview.urls"
WSGI_APPLICATION = "casereview.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casereview.web.context_processors.service",
                "casereview.notifications.context_processors.notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "applications:list"
LOGOUT_REDIRECT_URL = "web:start"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or None  # collectstatic target in production
# GOV.UK Frontend, Leaflet and axe-core come from npm at install time (package.json), never
# copied into the repository; the finders serve them, so no collectstatic is needed to run.
NODE_MODULES = Path(os.environ.get("CASEREVIEW_NODE_MODULES", PROJECT_DIR / "node_modules"))
STATICFILES_DIRS = [
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("leaflet", NODE_MODULES / "leaflet" / "dist"),
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = Path(os.environ.get("CASEREVIEW_FILES_DIR", PROJECT_DIR / "var" / "files"))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and "DJANGO_SECRET_KEY" in os.environ)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "asb-case-review@example.gov.uk")

# Where the local policy presets and any council's own policy files are read from.
CASEREVIEW_POLICY_DIR = os.environ.get("CASEREVIEW_POLICY_DIR", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Notifications (docs/notifications.md) ----------------------------------------------------------
# GOV.UK Notify is used when an API key is set; otherwise email goes through EMAIL_BACKEND (SMTP).
CASEREVIEW_NOTIFY_API_KEY = os.environ.get("CASEREVIEW_NOTIFY_API_KEY", "")
CASEREVIEW_NOTIFY_BASE_URL = os.environ.get(
    "CASEREVIEW_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
)
CASEREVIEW_NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("CASEREVIEW_NOTIFY_EMAIL_TEMPLATE_ID", "")
CASEREVIEW_NOTIFY_SMS_TEMPLATE_ID = os.environ.get("CASEREVIEW_NOTIFY_SMS_TEMPLATE_ID", "")
CASEREVIEW_NOTIFY_LETTER_TEMPLATE_ID = os.environ.get("CASEREVIEW_NOTIFY_LETTER_TEMPLATE_ID", "")
# The address of this service, for links in emails (the sweep has no request to build them from).
CASEREVIEW_BASE_URL = os.environ.get("CASEREVIEW_BASE_URL", "http://127.0.0.1:8000")

# The report log's covering indexes (INCLUDE columns) are a PostgreSQL feature; SQLite, the
# embedded development database, simply ignores the extra columns.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
