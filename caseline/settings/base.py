"""Settings shared by every environment. Values that differ come from :mod:`.env`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url

from caseline.settings.env import BASE_DIR, ENV

SECRET_KEY: str | None = ENV.secret_key
DEBUG = bool(ENV.debug)
ALLOWED_HOSTS: list[str] = list(ENV.allowed_hosts)
CASELINE_ENVIRONMENT = "base"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "caseline.apps.core",
    "caseline.apps.accounts",
    "caseline.apps.audit",
    "caseline.apps.people",
    "caseline.apps.frontdoor",
    "caseline.apps.assessments",
    "caseline.apps.plans",
    "caseline.apps.cin",
    "caseline.apps.recording",
    "caseline.apps.protection",
    "caseline.apps.lookedafter",
    "caseline.apps.chronology",
    "caseline.apps.genogram",
    "caseline.apps.timescales",
    "caseline.apps.mywork",
    "caseline.apps.returns",
    "caseline.apps.inspection",
    "caseline.apps.quality",
    "caseline.apps.indicators",
    "caseline.apps.retention",
    "caseline.apps.subjectaccess",
    "caseline.apps.ssd",
    "caseline.apps.education",
    # Throttles failed sign-ins by username and address (issue 19).
    "axes",
    # Second factors: authenticator-app codes and recovery codes (issue 19, ADR 0031).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "caseline.apps.privatefostering",
    "caseline.apps.lado",
    "caseline.apps.complaints",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "caseline.apps.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "caseline.apps.accounts.middleware.IdleSessionMiddleware",
    # Sends a user whose role must use two factors to set them up before anything else.
    "caseline.apps.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Audits every response that shows people's data, and every refusal (issue 19).
    "caseline.apps.people.middleware.ReadAuditMiddleware",
    # Cache-Control: no-store on signed-in pages; the Content-Security-Policy (issue 19).
    "caseline.apps.core.middleware.SecurityHeadersMiddleware",
    # A view whose database connection was lost: the 503 page, what was typed shown back.
    "caseline.apps.core.unavailable.DatabaseUnavailableMiddleware",
    # Answers a throttled sign-in (django-axes; AXES_* below). Last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "caseline.urls"
WSGI_APPLICATION = "caseline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "caseline" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "caseline.apps.core.context_processors.shell",
            ],
        },
    },
]


# psycopg's ``prepare_threshold``: a statement a PostgreSQL connection has run this many times
# is prepared on the server at its next run; later runs skip parsing and, once PostgreSQL
# settles on a generic plan, planning too.
PREPARE_AFTER_EXECUTIONS = 5


def database_from_url(url: str, *, prepared_statements: bool = True) -> dict[str, Any]:
    """The ``DATABASES['default']`` entry for a URL, tuned for SQLite or PostgreSQL.

    On PostgreSQL, ``prepared_statements`` binds parameters on the server and prepares the
    statements a connection repeats (ADR 0017). Turn it off behind a connection pooler that
    cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
    """
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.postgresql" and prepared_statements:
        # Django leaves psycopg's preparation off unless ``prepare_threshold`` is given, and
        # psycopg can only prepare a statement whose parameters are bound on the server.
        config["OPTIONS"] = {
            "server_side_binding": True,
            "prepare_threshold": PREPARE_AFTER_EXECUTIONS,
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] and config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # Connections are kept between requests (as for PostgreSQL): opening one per request
        # re-reads the schema and starts with an empty page cache, about 5 ms a page.
        config["OPTIONS"] = {
            # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write
            # lock at BEGIN so two writers queue rather than deadlock.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {
    "default": database_from_url(ENV.database_url, prepared_statements=ENV.prepared_statements)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (``Index(include=...)``) are for PostgreSQL; SQLite builds them without the
# extra columns, which is what we want, so its warning about that only adds noise to every
# command on the demo database.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
# Django's model backend, reading a user's roles and permissions in one query a request.
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a throttled username and address before the password is
    # checked.
    "axes.backends.AxesStandaloneBackend",
    "caseline.apps.accounts.backends.RoleBackend",
    # Single sign-on by OpenID Connect (mozilla-django-oidc); answers nothing unless configured.
    "caseline.apps.accounts.sso.SingleSignOnBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The authority Caseline serves, as the DfE's returns name it: its three-digit LA number (the
# CIN census header, UPN checks) and its ONS code (placement location in the SSDA903). Production
# must set both (safety.py); elsewhere they default to the synthetic authority's, which borrows
# Wirral's (344, E08000015), the area whose public documents are in shared/seeds.
CASELINE_LA_NUMBER = ENV.la_number or "344"
CASELINE_ONS_CODE = ENV.ons_code or "E08000015"
# Local authorities' published figures for the statistical-neighbour averages: a CSV in the form
# of returns/data/local_authority_figures.csv (the shipped file: the DfE's figures for 2024-25),
# or an authority's own copy named here, so a year's figures can be added without a release.
CASELINE_LOCAL_AUTHORITY_FIGURES = ""

# The Python of the virtualenv that holds the DfE returns' validators (`make validators`), which
# `caseline returns validate` runs in a separate process (returns/validation.py).
CASELINE_VALIDATORS_PYTHON = ENV.validators_python or str(
    BASE_DIR / ".venv-validators" / "bin" / "python"
)
# Background work (returns): django-tasks with its database backend, on Caseline's own database
# (ADR 0020). `caseline db_worker` runs the tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Where produced returns are kept, one folder per run. They hold children's data: never served
# as static files, only through the audited download page.
CASELINE_RETURNS_DIR = ENV.returns_dir
CASELINE_RUN_HEARTBEAT_SECONDS = ENV.run_heartbeat_seconds

# Sign-in throttling (django-axes): this many failures for one username from one address stop
# that username signing in from that address for LOCKOUT_MINUTES. An unknown username is
# throttled the same way, so the answer never says which usernames exist; throttling by the
# pair means no one can lock another person out from elsewhere. An administrator unlocks with
# `caseline axes_reset_username NAME`.
CASELINE_LOCKOUT_FAILURES = 5
CASELINE_LOCKOUT_MINUTES = 15
AXES_FAILURE_LIMIT = CASELINE_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=CASELINE_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "caseline.apps.accounts.views.locked_out_response"
AXES_VERBOSE = False

# Authenticator-app codes: the name the app shows beside Caseline's codes.
OTP_TOTP_ISSUER = "Caseline"
# Security keys and passkeys (django-otp-webauthn, ADR 0031): a second factor after the password,
# never instead of it. A key is bound to the host people reach Caseline at (the relying party);
# CASELINE_WEBAUTHN_ORIGIN names it, like https://caseline.example.gov.uk.
OTP_WEBAUTHN_RP_ID = urlsplit(ENV.webauthn_origin).hostname or "localhost"
OTP_WEBAUTHN_RP_NAME = "Caseline"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [ENV.webauthn_origin]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Single sign-on by OpenID Connect (accounts.sso, ADR 0031): on when CASELINE_OIDC_CLIENT_ID is
# set, with the provider's endpoints (Microsoft Entra ID lists them at
# https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration).
CASELINE_OIDC_ENABLED = bool(ENV.oidc.client_id)
OIDC_RP_CLIENT_ID = ENV.oidc.client_id
OIDC_RP_CLIENT_SECRET = ENV.oidc.client_secret
OIDC_RP_SIGN_ALGO = ENV.oidc.sign_algo
OIDC_OP_AUTHORIZATION_ENDPOINT = ENV.oidc.authorization_endpoint
OIDC_OP_TOKEN_ENDPOINT = ENV.oidc.token_endpoint
OIDC_OP_USER_ENDPOINT = ENV.oidc.userinfo_endpoint
OIDC_OP_JWKS_ENDPOINT = ENV.oidc.jwks_endpoint
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso-callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/sso/refused/"
# The claim matched (without regard to case) to a Caseline user's email at their first single
# sign-on; after that their subject must match too.
CASELINE_OIDC_EMAIL_CLAIM = ENV.oidc.email_claim

# Idle sessions end after this long; the page warns CASELINE_SESSION_WARNING_MINUTES before.
CASELINE_SESSION_IDLE_MINUTES = ENV.session_idle_minutes
CASELINE_SESSION_WARNING_MINUTES = 5
# However active, a session ends this many hours after signing in (issue 19, ASVS 3.3.4).
CASELINE_SESSION_ABSOLUTE_HOURS = 10
SESSION_COOKIE_AGE = ENV.session_idle_minutes * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# The GOV.UK and MOJ front end, built from npm by `make setup` (never committed).
STATICFILES_DIRS = [("dist", BASE_DIR / "frontend" / "dist")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every response's Content-Security-Policy (core.middleware): scripts, styles, images and fonts
# from Caseline itself only, no inline script, no framing, forms posted only to Caseline.
CASELINE_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

FORM_RENDERER = "caseline.apps.core.forms.GovukFormRenderer"

# Indicator results kept in each process's memory until the record changes (ADR "indicator
# results cached until the record changes"): at most this many counted rows in all (about
# 150 bytes each); 0 keeps none. Tests set 0: their factories write without the audit trail
# that tells the cache the record changed.
INDICATOR_RESULT_CACHE_ROWS = 4_000_000
# Processes that may count one set of indicators for the whole authority (ADR 0045): 2 counts
# the children's care in a second process, forked for the count; 1 counts all in the one.
INDICATOR_PROCESSES = ENV.indicator_processes
# Children's due work kept in each process's memory until their record changes (ADR 0043): at
# most this many children (for one as-at date and set of apps each); 0 keeps none. Tests set
# 0, as above.
DUE_WORK_KEPT_CHILDREN = 50_000
