"""Django settings for Social Ledger: environment variables only, each in docs/configuration.md.

With nothing set, the product runs on a SQLite file under ./data with a generated secret key,
which is what `socialledger demo` needs. Production sets DATABASE_URL, SECRET_KEY and
ALLOWED_HOSTS.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from socialledger.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
# Everything the product writes itself (the SQLite file, backups, exports, the secret key) is
# readable by its own user only; evidence uploads get FILE_UPLOAD_PERMISSIONS below.
os.umask(0o077)
DATA_DIR = Path(env_str("SOCIALLEDGER_DATA_DIR", str(Path.cwd() / "data"))).resolve()

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data directory."""
    configured = env_secret("SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret-key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "template_partials",
    # django-ninja, listed so its API docs page is served with its own bundled Swagger UI files
    # (from our static files), never from a CDN.
    "ninja",
    "socialledger.audit",
    "socialledger.organisations",
    "socialledger.accounts",
    "socialledger.contracts",
    "socialledger.measures",
    "socialledger.valuation",
    "socialledger.returns",
    "socialledger.rounds",
    "socialledger.verification",
    "socialledger.quality",
    "socialledger.imports",
    "socialledger.reports",
    "socialledger.kpis",
    "socialledger.outcomes",
    "socialledger.casestudies",
    "socialledger.demo",
    "socialledger.backups",
    "socialledger.jobs",
    "django_tasks",
    "django_tasks_db",
    "socialledger.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Under /api/, an answer given outside the API's operations (no such path, wrong verb, a NUL
    # character refused below) is given the API's one error shape.
    "socialledger.apikit.ErrorShapeMiddleware",
    "socialledger.errors.RefuseNulCharacters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a lock-out into a clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialledger.urls"
WSGI_APPLICATION = "socialledger.wsgi.application"

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
                "socialledger.accounts.context_processors.navigation",
            ],
        },
    },
]


def _private_file(path: Path) -> Path:
    """The file, made readable by its owner only (SQLite gives its -wal and -shm files the same
    permissions as the database file)."""
    if path.exists():
        with contextlib.suppress(PermissionError):  # someone else's file: theirs to set
            path.chmod(0o600)
    else:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    return path


def _databases() -> dict:
    """SQLite under the data directory unless DATABASE_URL names another database."""
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _private_file(DATA_DIR / "socialledger.sqlite3"),
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(
            {
                # WAL lets readers carry on while one writer works; IMMEDIATE takes the write
                # lock at the start of a transaction, so two writers queue instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("SOCIALLEDGER_SQLITE_BUSY_TIMEOUT", 20),
            }
        )
    return {"default": config}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes must come first so a locked-out person is refused before their password is
    # even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on; it signs nobody in while SOCIALLEDGER_OIDC_CLIENT_ID is unset.
    "socialledger.accounts.sso.SingleSignOnBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: after this many failures for one user name from one address, that pair is
# locked out for the cool-off time.
AXES_FAILURE_LIMIT = env_int("SOCIALLEDGER_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SOCIALLEDGER_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("SOCIALLEDGER_PROXY_COUNT", 0) or None
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Social Ledger"

# Single sign-on with OpenID Connect (Microsoft Entra ID, Google Workspace, any OIDC provider),
# through mozilla-django-oidc; on when a client ID is set (docs/deploy.md, decision 0020). A
# person is matched by verified e-mail to their account or invitation; nobody else gets in.
OIDC_RP_CLIENT_ID = env_str("SOCIALLEDGER_OIDC_CLIENT_ID")
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_secret("SOCIALLEDGER_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("SOCIALLEDGER_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("SOCIALLEDGER_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("SOCIALLEDGER_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("SOCIALLEDGER_OIDC_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("SOCIALLEDGER_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("SOCIALLEDGER_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # our backend makes accounts only for people with an invitation
OIDC_TIMEOUT = 20
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
OIDC_CALLBACK_CLASS = "socialledger.accounts.sso.SingleSignOnCallback"
# The claim that says the provider has checked the person owns their e-mail address: Google's
# email_verified; Entra ID's optional claim xms_edov (docs/deploy.md).
SSO_EMAIL_VERIFIED_CLAIM = env_str("SOCIALLEDGER_OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
# Whether signing in through the provider counts as two-factor sign-in: only when the provider
# itself always asks for a second factor for this application.
SSO_COUNTS_AS_TWO_FACTOR = env_bool("SOCIALLEDGER_OIDC_COUNTS_AS_TWO_FACTOR", False)
SSO_BUTTON_LABEL = env_str("SOCIALLEDGER_OIDC_BUTTON_LABEL", "Sign in with your organisation")
if SSO_ENABLED:
    _sso_missing = [
        name
        for name, value in {
            "SOCIALLEDGER_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
            "SOCIALLEDGER_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "SOCIALLEDGER_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "SOCIALLEDGER_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
            "SOCIALLEDGER_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
        }.items()
        if not value
    ]
    if _sso_missing:
        raise ImproperlyConfigured(
            "SOCIALLEDGER_OIDC_CLIENT_ID is set, so single sign-on also needs: "
            + ", ".join(_sso_missing)
        )

# Person keys are keyed hashes; the key must stay the same for duplicates to be found. By default
# it is derived from SECRET_KEY; set it explicitly so that rotating SECRET_KEY does not change it.
PERSON_KEY_SECRET = env_secret("SOCIALLEDGER_PERSON_KEY_SECRET") or f"person-keys:{SECRET_KEY}"

# Published reports carry the audit chain's head, signed with this key when it is set. Keep it
# outside the database (a file or a secret store), so that a head cannot be forged from it.
AUDIT_SIGNING_KEY = env_secret("SOCIALLEDGER_AUDIT_SIGNING_KEY")

# Evidence files are stored here (through Django's storage API) and only ever served through an
# access-checked view, never as plain URLs.
MEDIA_ROOT = Path(env_str("SOCIALLEDGER_MEDIA_ROOT", str(DATA_DIR / "media"))).resolve()
MEDIA_URL = "/media-not-served/"
EVIDENCE_MAX_BYTES = env_int("SOCIALLEDGER_EVIDENCE_MAX_MB", 20) * 1024 * 1024
# Imports (CSV files and workbooks, uploaded or on the command line) larger than these are refused
# with a message saying so, before they are read; a workbook is also refused when its parts would
# unpack to more than the last (a "zip bomb": a small file that inflates hugely).
IMPORT_MAX_BYTES = env_int("SOCIALLEDGER_IMPORT_MAX_MB", 50) * 1024 * 1024
WORKBOOK_MAX_UNPACKED_BYTES = env_int("SOCIALLEDGER_WORKBOOK_MAX_UNPACKED_MB", 200) * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Background jobs (uploads, summary rebuilds, reminders) are queued in the database and run by
# `socialledger worker`: no other server is needed (docs/jobs.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The person who started a job is e-mailed its result when it took longer than this.
JOB_EMAIL_AFTER_SECONDS = env_int("SOCIALLEDGER_JOB_EMAIL_AFTER_SECONDS", 60)
# The worker sends the rounds' due reminders this often (each reminder still goes once); 0: never.
REMINDERS_EVERY_MINUTES = env_int("SOCIALLEDGER_REMINDERS_EVERY_MINUTES", 60)
# `socialledger serve`: gunicorn's address, worker processes (0: two per CPU core plus one, at
# most 8), threads in each, and the seconds a request may take before its worker is restarted.
SERVE_BIND = env_str("SOCIALLEDGER_BIND", "127.0.0.1:8000")
SERVE_WORKERS = env_int("SOCIALLEDGER_WEB_WORKERS", 0)
SERVE_THREADS = env_int("SOCIALLEDGER_WEB_THREADS", 4)
SERVE_TIMEOUT = env_int("SOCIALLEDGER_WEB_TIMEOUT", 120)
INVITATION_DAYS = env_int("SOCIALLEDGER_INVITATION_DAYS", 7)
# Published reports show counts above 0 and below this as "fewer than N"; a provider may publish
# with a higher threshold, never a lower one.
SUPPRESSION_THRESHOLD = env_int("SOCIALLEDGER_SUPPRESSION_THRESHOLD", 5)
# How many reports (and their rendered pages) each server process keeps while the ledger behind
# them has not changed; 0 builds every report afresh (docs/performance.md).
REPORTS_KEPT = env_int("SOCIALLEDGER_REPORTS_KEPT", 32)
BASE_URL = env_str("SOCIALLEDGER_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Contracts worth more than this (in £) need a Procurement Act 2023 KPI register: at least three
# KPIs, each rated at least every twelve months (docs/kpis.md).
KPI_THRESHOLD = env_int("SOCIALLEDGER_KPI_THRESHOLD", 5_000_000)
# The prefix of the Open Contracting IDs given to frameworks and contracts that have none when
# they are exported as OCDS; a provider that publishes OCDS sets its registered prefix.
OCID_PREFIX = env_str("SOCIALLEDGER_OCID_PREFIX", "ocds-socialledger")
# What an OCDS package says of its publisher and terms (docs/ocds.md).
OCDS_PUBLISHER_SCHEME = env_str("SOCIALLEDGER_OCDS_PUBLISHER_SCHEME").strip()
OCDS_PUBLISHER_UID = env_str("SOCIALLEDGER_OCDS_PUBLISHER_UID").strip()
OCDS_LICENSE = env_str(
    "SOCIALLEDGER_OCDS_LICENSE",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
).strip()
OCDS_PUBLICATION_POLICY = env_str("SOCIALLEDGER_OCDS_PUBLICATION_POLICY").strip()

# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env_int("SOCIALLEDGER_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Behind HTTPS (every real deployment), cookies are only sent over HTTPS and browsers are told to
# use nothing else; `socialledger check --deploy` is clean with this on.
HTTPS = env_bool("SOCIALLEDGER_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
# Health probes come from inside the host or cluster, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("SOCIALLEDGER_BEHIND_PROXY", False):
    # The proxy in front terminates HTTPS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Only our own scripts, styles and images run; nothing may frame the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# The JSON API: each token may make this many requests per period ("120/min"; periods s, min,
# h, day); more answer 429 until the period has passed.
API_RATE = env_str("SOCIALLEDGER_API_RATE", "120/min")
if not re.fullmatch(r"\d+/\d*(s|sec|m|min|h|hour|d|day)", API_RATE):
    raise ImproperlyConfigured(
        f"SOCIALLEDGER_API_RATE={API_RATE!r}: write requests per period, e.g. 120/min or 5000/day"
    )
# API lists answer at most this many items a page (?limit=), 50 unless asked.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Social Ledger <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served by WhiteNoise straight from the package; collectstatic is optional
# and only needed to serve pre-compressed copies from SOCIALLEDGER_STATIC_ROOT.
STATIC_ROOT = env_str("SOCIALLEDGER_STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]


def _file_storage() -> dict:
    """Evidence and uploads on local disk, or in an S3-compatible bucket when one is named
    (AWS S3, MinIO, Ceph, Azure through an S3 gateway): decision 0021."""
    bucket = env_str("SOCIALLEDGER_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("SOCIALLEDGER_S3_ENDPOINT_URL") or None,
            "region_name": env_str("SOCIALLEDGER_S3_REGION") or None,
            "access_key": env_str("SOCIALLEDGER_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("SOCIALLEDGER_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("SOCIALLEDGER_S3_PREFIX").strip("/"),
            # Private objects only: files are read through the access-checked download view,
            # never by a bucket URL; a name is never overwritten.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": _file_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# One cache shared by every server process and the worker: API and password-reset rate limits
# count across all of them. The database cache needs no other service (its table is made by a
# migration, so wherever `migrate` runs); Redis when REDIS_URL is set.
REDIS_URL = env_secret("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "socialledger_cache",
        }
    )
}
# Password-reset e-mails: at most this many an hour for one address, and from one client
# address; more are refused (for a client) or quietly not sent (for an address, so the answer
# never says whether an address has an account).
PASSWORD_RESETS_PER_ADDRESS = env_int("SOCIALLEDGER_PASSWORD_RESETS_PER_ADDRESS", 3)
PASSWORD_RESETS_PER_CLIENT = env_int("SOCIALLEDGER_PASSWORD_RESETS_PER_CLIENT", 10)

LOG_FORMAT = env_str("SOCIALLEDGER_LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"SOCIALLEDGER_LOG_FORMAT={LOG_FORMAT!r}: use text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "socialledger.lib.jsonlogs.JsonLines"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Font subsetting while a PDF is drawn logs hundreds of lines at INFO: never wanted.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
