"""Django settings, read from the environment (twelve-factor).

Defaults make `make run` work on a bare machine: an embedded SQLite database and a development
secret key. Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (PostgreSQL),
and leaves DJANGO_DEBUG unset: debug is off unless asked for.
"""

import datetime as dt
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    "casereview.accounts.admin_site.DeploymentAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    # The product, one app per part of the work that users recognise.
    "casereview.web",
    "casereview.accounts",
    "casereview.law",
    "casereview.applications",
    "casereview.apply",
    "casereview.letters",
    "casereview.reviews",
    "casereview.panels",
    "casereview.actions",
    "casereview.appeals",
    "casereview.lpbreviews",
    "casereview.repeats",
    "casereview.notifications",
    "casereview.statistics",
    "casereview.audit",
    "casereview.reports",
    "casereview.privacy",
    # The victim's own view of their review (docs/portal.md).
    "casereview.portal",
    "casereview.people",
    "casereview.interventions",
    "casereview.returns",
    "casereview.dashboards",
    # The partner API (ADR 0051): DRF, its OpenAPI document, OAuth 2.0 client credentials.
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    "casereview.api",
    "casereview.tracker",
    "casereview.referrals",
]

MIDDLEWARE = [
    # /healthz and /readyz, before the host check, sessions and sign-in (web/health.py).
    "casereview.web.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # WhiteNoise, also serving GOV.UK Frontend's fonts and images at /assets/ (web/static_files.py).
    "casereview.web.static_files.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Welsh or English on the public pages (contracts §9, web/language.py); staff pages are English.
    "casereview.web.language.PublicLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "casereview.accounts.middleware.IdleTimeoutMiddleware",
    # A sign-in's longest life, however active (ADR 0042: a leaver loses access).
    "casereview.accounts.middleware.SignInLifetimeMiddleware",
    # Second factor (ADR 0004): request.user.is_verified(); staff who have not completed it are
    # sent to the two-factor page for everything but the sign-in pages themselves.
    "django_otp.middleware.OTPMiddleware",
    "casereview.accounts.middleware.SecondFactorRequiredMiddleware",
    # Which partnership the user is working in (ADR 0041): user.partnership, .agency and .roles.
    "casereview.accounts.middleware.WorkingPartnershipMiddleware",
    # Staff searches that name people are posted and kept in the session (web/private_search.py).
    "casereview.web.private_search.PrivateSearchMiddleware",
    # Who is acting, from where: every read and change of personal data is attributable.
    "casereview.audit.middleware.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "casereview.accounts.middleware.NoStoreForStaffMiddleware",
    # An invalid local policy: a page naming the key, not a server error (web/middleware.py).
    "casereview.web.middleware.PolicyErrorMiddleware",
    # Last, so it sees failed sign-ins from every view (django-axes).
    "axes.middleware.AxesMiddleware",
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

_DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
    )
}
# The application connects as DATABASE_URL's role, which owns nothing; migrations run as the owner,
# DATABASE_OWNER_URL (by default the same: the embedded one-command set-up). `casereview migrate`
# uses this alias and grants the application's role what it needs (audit.database_roles).
if os.environ.get("DATABASE_OWNER_URL", _DATABASE_URL) != _DATABASE_URL:
    DATABASES["owner"] = dj_database_url.parse(os.environ["DATABASE_OWNER_URL"])
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
# A read replica (a PostgreSQL streaming replica of the primary) for the reads that tolerate a
# second's lag: the statistics, the report log's analytics, exports (web/replica.py, ADR 0044).
# Unset, everything reads the primary. Tests read the replica alias from the primary's database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["casereview.web.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in while an account is locked out after repeated failures (django-axes).
    "casereview.accounts.backends.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, asked only about permissions a row can name (ADR 0092).
    "casereview.accounts.backends.ModelPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:start"

LANGUAGE_CODE = "en-gb"
# The public pages in English or Welsh (contracts §9, docs/apply.md, ADR 0024): the catalogue is
# src/casereview/locale/cy/LC_MESSAGES/django.po, compiled by `make install`.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switch's choice, kept for the browser session only (no personal data in it).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
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

# --- Security (docs/access.md, ADR 0004). Production is recognised by DJANGO_SECRET_KEY being set
# with debug off: secure cookies, HSTS and the HTTPS redirect follow unless turned off explicitly.
PRODUCTION = not DEBUG and "DJANGO_SECRET_KEY" in os.environ

# Idle timeout: a signed-in member of staff is signed out after this many minutes without a request
# (casereview.accounts.middleware.IdleTimeoutMiddleware; each request renews it). Sessions always
# end when the browser closes; an anonymous session (the public application) lasts at most
# SESSION_COOKIE_AGE without a request.
SESSION_IDLE_MINUTES = int(os.environ.get("CASEREVIEW_IDLE_TIMEOUT_MINUTES", "30"))
# The longest one sign-in lasts, however active: then sign in again (roles re-checked at the
# organisation's identity provider, ADR 0042).
SIGN_IN_MAX_MINUTES = int(os.environ.get("CASEREVIEW_SIGN_IN_MAX_MINUTES", "600"))
SESSION_COOKIE_AGE = int(os.environ.get("CASEREVIEW_SESSION_MINUTES", "60")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: behind a proxy that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=1 (trusts
# X-Forwarded-Proto) or turn the redirect off with DJANGO_SECURE_SSL_REDIRECT=0 if the proxy redirects.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(31_536_000 if PRODUCTION else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)

# Passwords: Django's PBKDF2 (with its current iteration count) first; the validators above
# (12 characters, not common, not all digits, not like the user's name) apply wherever a password
# is set, including the admin and `changepassword`.

# Multi-factor authentication (django-otp TOTP). OTP_TOTP_ISSUER names the service in the
# authenticator app; the TOTP device throttles wrong codes itself (back-off doubling per failure).
OTP_TOTP_ISSUER = os.environ.get("CASEREVIEW_OTP_ISSUER", "ASB Case Review")
OTP_TOTP_TOLERANCE = 1

# Throttling and lockout of failed sign-ins (django-axes): five failures for one username from one
# address lock that pair out for 15 minutes; a success resets the count. The lockout is by the pair
# so that nobody can lock a colleague out from elsewhere by guessing their username.
AXES_FAILURE_LIMIT = int(os.environ.get("CASEREVIEW_SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CASEREVIEW_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casereview.accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind reverse proxies, how many of yours stand in front of the service: the client's address is
# then read from X-Forwarded-For, for the lockout and the access log alike (web/client_address.py).
CASEREVIEW_PROXY_COUNT = int(os.environ.get("CASEREVIEW_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "casereview.web.client_address.client_address"

# Content security policy (django-csp 4): nothing inline, scripts only the site's own module
# scripts, styles only the site's own stylesheets; images from the site, data: URIs (GOV.UK
# Frontend, the QR code on the two-factor set-up page) and the configured map tile server.
# The hotspot map's tile server, a URL template with {z}/{x}/{y} (e.g.
# https://tile.openstreetmap.org/{z}/{x}/{y}.png). Empty (the default): no tiles, and the map
# shows the markers on a blank background; the hotspot table is the primary view anyway.
MAP_TILE_URL = os.environ.get("CASEREVIEW_MAP_TILE_URL", "")


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}.", ""))
    host = parts.netloc
    if "{s}." in url:
        host = "*." + host
    return f"{parts.scheme}://{host}" if parts.scheme and host else ""


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_origin(MAP_TILE_URL)] if _origin(MAP_TILE_URL) else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "asb-case-review@example.gov.uk")
# SMTP, when DJANGO_EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))

# Where a partnership's own policy file is read from when its `policy_ref` is a relative path
# (accounts.Partnership.policy_path); presets are built in. Empty: relative to the working directory.
CASEREVIEW_POLICY_DIR = os.environ.get("CASEREVIEW_POLICY_DIR", "")

# The public online forms: the least time a person takes to fill a page (faster is a robot,
# docs/apply.md), how long the application's answers are kept between pages, and the appeal form's.
CASEREVIEW_APPLY_MIN_SECONDS = int(os.environ.get("CASEREVIEW_APPLY_MIN_SECONDS", "15"))
# Save and come back later on /apply/: how long a saved application is kept (docs/apply.md).
CASEREVIEW_APPLY_DRAFT_DAYS = int(os.environ.get("CASEREVIEW_APPLY_DRAFT_DAYS", "28"))
CASEREVIEW_APPLY_SESSION_SECONDS = int(os.environ.get("CASEREVIEW_APPLY_SESSION_SECONDS", "3600"))
CASEREVIEW_APPEAL_MIN_SECONDS = int(os.environ.get("CASEREVIEW_APPEAL_MIN_SECONDS", "8"))
# Before a victim may be treated as unreachable (docs/reviews.md).
CASEREVIEW_UNREACHABLE_MIN_ATTEMPTS = int(os.environ.get("CASEREVIEW_UNREACHABLE_MIN_ATTEMPTS", "3"))
CASEREVIEW_UNREACHABLE_MIN_METHODS = int(os.environ.get("CASEREVIEW_UNREACHABLE_MIN_METHODS", "2"))

# Encryption at rest of special category and criminal offence data (casereview.web.encryption):
# one or more Fernet keys, comma separated, the first used to encrypt, all tried to decrypt (key
# rotation: docs/data-protection.md). Production must set it; the default is for development only.
_DEV_FIELD_KEY = "Y2FzZXJldmlldy1kZXZlbG9wbWVudC1vbmx5LWtleSE="  # noqa: S105 - development only
CASEREVIEW_FIELD_KEYS = env_list("CASEREVIEW_FIELD_KEY", _DEV_FIELD_KEY)

# Evidence files: what may be uploaded (types are checked by content, not by name).
# The victim's own view (docs/portal.md): ClamAV's clamd as "host:port" (uploads stay held until it
# clears them: ADR 0055), and the least time a code request takes (the same for a known case or not:
# ADR 0054).
CASEREVIEW_CLAMD = os.environ.get("CASEREVIEW_CLAMD", "")
# GOV.UK One Login as a second way into the victim's own view (ADR 0056): its discovery document,
# our client id, and our private key (PEM) for private_key_jwt. Unset: not offered.
CASEREVIEW_ONE_LOGIN_DISCOVERY_URL = os.environ.get("CASEREVIEW_ONE_LOGIN_DISCOVERY_URL", "")
CASEREVIEW_ONE_LOGIN_CLIENT_ID = os.environ.get("CASEREVIEW_ONE_LOGIN_CLIENT_ID", "")
CASEREVIEW_ONE_LOGIN_PRIVATE_KEY = os.environ.get("CASEREVIEW_ONE_LOGIN_PRIVATE_KEY", "")
# The vectors of trust asked of One Login (`vtr`), any one of which will do, comma-separated; the
# ID token's `vot` must be one of them (ADR 0073). Default "Cl.Cm": a password and a second factor.
CASEREVIEW_ONE_LOGIN_VTR = os.environ.get("CASEREVIEW_ONE_LOGIN_VTR", "Cl.Cm")
CASEREVIEW_PORTAL_CODE_SECONDS = float(os.environ.get("CASEREVIEW_PORTAL_CODE_SECONDS", "2"))
CASEREVIEW_EVIDENCE_MAX_BYTES = int(os.environ.get("CASEREVIEW_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Backups (docs/operations.md): one or more Fernet keys, comma separated, the first used to encrypt an
# archive and all tried to decrypt one. The deletion log is a second copy, outside the files
# directory and the database, of every erasure and retention deletion, replayed after a restore.
CASEREVIEW_BACKUP_KEYS = env_list("CASEREVIEW_BACKUP_KEY")
CASEREVIEW_DELETION_LOG = Path(
    os.environ.get("CASEREVIEW_DELETION_LOG", PROJECT_DIR / "var" / "deletion-log.jsonl")
)

# Retention (Limitation Act 1980 s.2: six years); per-kind overrides in casereview.privacy.retention.
# The data return and the force-area view show a count below this as "fewer than N" (docs/returns.md).
CASEREVIEW_SMALL_NUMBER_THRESHOLD = int(os.environ.get("CASEREVIEW_SMALL_NUMBER_THRESHOLD", "5"))
CASEREVIEW_RETENTION_YEARS = int(os.environ.get("CASEREVIEW_RETENTION_YEARS", "6"))
# Per-kind years, JSON, e.g. {"case": 7, "asb_report": 3} (kinds: docs/data-protection.md).
try:
    CASEREVIEW_RETENTION_SCHEDULE = {
        str(kind): int(years)
        for kind, years in json.loads(os.environ.get("CASEREVIEW_RETENTION_SCHEDULE", "") or "{}").items()
    }
except (ValueError, AttributeError) as _exc:
    raise ImproperlyConfigured(
        'CASEREVIEW_RETENTION_SCHEDULE must be JSON like {"case": 7, "asb_report": 3}'
    ) from _exc

# CASEREVIEW_LOG_FORMAT=json (the production server sets it, deploy/gunicorn.conf.py): one JSON object
# a line, without the request Django attaches to its records (ADR 0021, casereview.web.logs).
LOG_FORMAT = os.environ.get("CASEREVIEW_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "casereview.web.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # WeasyPrint warns on every PDF when the system's HarfBuzz lacks the subsetting library (it
    # falls back to fontTools, and the PDF is the same); its errors (a refused fetch) still show.
    "loggers": {"weasyprint": {"level": "ERROR"}},
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
# Letters by post through Notify's precompiled letter API (standard print only; the rest go to the
# print queue): off unless set (letters.dispatch).
# The bearer token GOV.UK Notify sends with its delivery-status and returned-letter callbacks
# (/notices/notify/…): set the same value in Notify. Empty: every callback is refused (401).
CASEREVIEW_NOTIFY_CALLBACK_TOKEN = os.environ.get("CASEREVIEW_NOTIFY_CALLBACK_TOKEN", "")
CASEREVIEW_NOTIFY_POST_LETTERS = env_bool("CASEREVIEW_NOTIFY_POST_LETTERS", False)
# The outbox's retries: after attempt n fails, wait RETRY_SECONDS * 2**(n-1) (at most six hours);
# after MAX_ATTEMPTS it is on the failed messages page (/notices/failed/) for staff to resend.
CASEREVIEW_MESSAGE_MAX_ATTEMPTS = int(os.environ.get("CASEREVIEW_MESSAGE_MAX_ATTEMPTS", "10"))
CASEREVIEW_MESSAGE_RETRY_SECONDS = int(os.environ.get("CASEREVIEW_MESSAGE_RETRY_SECONDS", "60"))
# The address of this service, for links in emails (the sweep has no request to build them from).
CASEREVIEW_BASE_URL = os.environ.get("CASEREVIEW_BASE_URL", "http://127.0.0.1:8000")

# The full hotspot recompute (reports.selectors.hotspot_history) on PostgreSQL is split by location
# into this many parts, run on as many connections at once: one per core the database can give it.
REPORTS_RECOMPUTE_PARTS = int(os.environ.get("CASEREVIEW_RECOMPUTE_PARTS", "2"))

# The report log's covering indexes and unique constraint (INCLUDE columns) are a PostgreSQL
# feature; SQLite, the embedded development database, simply ignores the extra columns.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W039", "models.W040"]


# --- The partner API (ADR 0051, docs/api.md) ------------------------------------------------------
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "reports:write": "Push and correct ASB reports",
        "reports:read": "Read the agency's ASB reports",
        "cases:read": "Read cases the agency is party to",
        "requests:read": "List information requests to the agency",
        "requests:answer": "Answer information requests to the agency",
        "actions:read": "Read actions the agency owns",
        "actions:write": "Complete or delay actions the agency owns",
        "webhooks:manage": "Subscribe to webhooks and read their deliveries",
    },
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("CASEREVIEW_API_TOKEN_SECONDS", "3600")),
    # OAuth 2.0 Security BCP (RFC 9700): only the client credentials grant is used, and every
    # compliant behaviour is chosen (tokens hashed at rest, none in a query string, no implicit or
    # password grant, no plain PKCE, https redirects only, refresh replay protection).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "casereview.api.authentication.ClientScopesValidator",
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["casereview.api.authentication.ClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "casereview.api.permissions.HasScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["casereview.api.permissions.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "casereview.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "casereview partner API",
    "DESCRIPTION": "Partner systems (police, housing, health): reports, cases, information requests, "
    "actions, webhooks and the published statistics. See docs/api.md.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "casereview.api.schema.close_objects",
    ],
    "PREPROCESSING_HOOKS": ["casereview.api.schema.only_api_paths"],
    "SORT_OPERATIONS": False,
}
