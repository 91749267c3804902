"""Pressdesk settings: one module, driven by the environment (see the table in README.md).

Production is the default: DEBUG is off unless DEBUG=true, and then SECRET_KEY is required.
`make run` sets DEBUG=true for a laptop; with no DATABASE_URL the app uses SQLite under VAR_DIR,
with no REDIS_URL Celery tasks run eagerly in-process and the cache lives in memory.
"""

import ipaddress
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from pressdesk.env import env_bool, env_int, env_list, env_str, inbox_from_url, mailers_from_url

PACKAGE_DIR = Path(__file__).resolve().parent  # templates/ and static/ ship inside it
BASE_DIR = PACKAGE_DIR.parent  # the checkout, or site-packages when installed


def _default_var_dir() -> Path:
    """The checkout's var/; for an installed wheel, a per-user directory outside site-packages."""
    if (BASE_DIR / "manage.py").is_file():
        return BASE_DIR / "var"
    return Path(env_str("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "pressdesk"


VAR_DIR = Path(env_str("PRESSDESK_VAR_DIR") or _default_var_dir())

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        msg = "SECRET_KEY is not set: production (DEBUG off) refuses to start without it."
        raise ImproperlyConfigured(msg)
    SECRET_KEY = "django-insecure-pressdesk-development-only"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # Login, second factor (TOTP, recovery codes, passkeys) and single sign-on: django-allauth
    # (enquiries/accounts/, README "Accounts").
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "enquiries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "pressdesk.middleware.PublicBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pressdesk.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pressdesk.middleware.AccountSessionMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An officer or administrator with no second factor is sent to enrol before the desk or
    # admin (enquiries.accounts.second_factor).
    "pressdesk.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "enquiries.views.errors.ServiceErrorMiddleware",
    # Last: turns a refused login (axes' flag on the request) into the 429 lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pressdesk.urls"
WSGI_APPLICATION = "pressdesk.wsgi.application"
ASGI_APPLICATION = "pressdesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "enquiries.accounts.second_factor.notice",
            ],
        },
    },
]
# Widgets through Jinja2, admin's through the template language (pressdesk/form_renderer.py).
FORM_RENDERER = "pressdesk.form_renderer.FormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'pressdesk.sqlite3'}",
        conn_max_age=env_int("PRESSDESK_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A statement that runs away must not hold a web worker (or a purge lock) for ever.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    # Parameters bound by the server, and psycopg prepares a statement the fifth time a
    # connection runs it: PostgreSQL stops planning the desk's queries on every page. Turn
    # off behind a pooler in transaction mode (PgBouncer < 1.21), which cannot keep
    # prepared statements.
    # No parallel workers for a web request: on a small server they start processes that
    # compete with the other requests, and a search branch that a one-time filter skips still
    # launched two of them (50-60 ms for nothing at 1M enquiries; issue #14).
    DATABASES["default"]["OPTIONS"]["options"] = "-c max_parallel_workers_per_gather=0"
    if env_bool("PRESSDESK_DB_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker ---------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Every Redis call (cache, sessions, the form's rate limit, publishing a task) waits at most
# this long to connect and this long for a reply: a Redis that is down or hung (SIGSTOP, a
# dead network path) costs a request a fraction of a second, never a 500 (see README,
# Operating it).
PRESSDESK_REDIS_TIMEOUT_SECONDS = env_int("PRESSDESK_REDIS_TIMEOUT_MS", 250, minimum=10) / 1000
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "pressdesk.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pressdesk",
            "OPTIONS": {
                "socket_connect_timeout": PRESSDESK_REDIS_TIMEOUT_SECONDS,
                "socket_timeout": PRESSDESK_REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # a bare laptop runs tasks in-process
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = "Europe/Oslo"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a web request must not hang when Redis is down or hung: one try with short
# socket timeouts, and a publish that fails leaves the work to the sweepers (the outbox's and
# FOI routing's rows wait in the database). The read timeout stays at one second at least:
# a worker's BRPOP waits up to a second for its reply.
CELERY_BROKER_CONNECTION_TIMEOUT = PRESSDESK_REDIS_TIMEOUT_SECONDS
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0, "interval_start": 0, "interval_step": 0}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message whose worker died waits this long before Redis hands it out again.
    "visibility_timeout": 3600,
    "socket_connect_timeout": PRESSDESK_REDIS_TIMEOUT_SECONDS,
    "socket_timeout": max(PRESSDESK_REDIS_TIMEOUT_SECONDS, 1.5),
}
# The nightly purge at 03:30 Europe/Oslo (02:30 is skipped or doubled on DST nights).
# PRESSDESK_PURGE_EVERY_SECONDS replaces it with a short interval (tests of the schedule only).
_purge_every = env_int("PRESSDESK_PURGE_EVERY_SECONDS", 0)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sweep-outbox": {
        "task": "enquiries.tasks.sweep_outbox",
        "schedule": float(env_int("PRESSDESK_OUTBOX_SWEEP_SECONDS", 60, minimum=1)),
    },
    "beat-tick": {
        "task": "enquiries.tasks.beat_tick",
        "schedule": float(env_int("PRESSDESK_HEARTBEAT_SECONDS", 60, minimum=1)),
    },
    # The press inbox, every minute (nothing to do without PRESSDESK_INBOX_URL).
    "poll-inbox": {
        "task": "enquiries.tasks.poll_inbox",
        "schedule": float(env_int("PRESSDESK_INBOX_POLL_SECONDS", 60, minimum=1)),
    },
    "purge-expired": {
        "task": "enquiries.tasks.purge_expired",
        "schedule": _purge_every or crontab(hour=3, minute=30),
    },
    "mail-monthly-summary": {
        "task": "enquiries.tasks.mail_monthly_summary",
        "schedule": crontab(day_of_month="1", hour=7, minute=0),
    },
}

# --- Auth and sessions ----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "enquiries.accounts.passwords.GuessablePasswordValidator"},
]
# Axes first (it refuses a locked account or client before any password is checked), then
# ModelBackend, loading the press-officer permission with the user (one query a request).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "enquiries.access.DeskAuthBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/desk/"
LOGOUT_REDIRECT_URL = "/"

# The login form, the second factor and the account pages are django-allauth's: accounts
# are made by an administrator (no sign-up), log in by username, mail nothing (every mail
# goes through the outbox; passwords are reset by an administrator).
ACCOUNT_ADAPTER = "enquiries.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_EMAIL_NOTIFICATIONS = False
ACCOUNT_SESSION_REMEMBER = False  # a session ends when the browser closes
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
ACCOUNT_PREVENT_ENUMERATION = True
# Guessed passwords are throttled by axes (below); allauth's own counters still limit
# guessed second-factor codes (5 per account in 5 minutes, 10 a minute per client).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
# Single sign-on (an option): OpenID Connect, e.g. Microsoft Entra ID with server URL
# https://login.microsoftonline.com/<tenant id>/v2.0. Confidential client (the secret is
# posted), with PKCE. Users in one of PRESSDESK_OIDC_OFFICER_GROUPS (values of the groups
# claim: in Entra, the groups' object ids) become press officers, at every login
# (enquiries/accounts/single_sign_on.py); nobody else gets an account that way.
PRESSDESK_OIDC_SERVER_URL = env_str("PRESSDESK_OIDC_SERVER_URL").rstrip("/")
PRESSDESK_OIDC_GROUPS_CLAIM = env_str("PRESSDESK_OIDC_GROUPS_CLAIM", "groups")
PRESSDESK_OIDC_OFFICER_GROUPS = env_list("PRESSDESK_OIDC_OFFICER_GROUPS", [])
SOCIALACCOUNT_ADAPTER = "enquiries.accounts.single_sign_on.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never take over a local account by its e-mail
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {"openid_connect": {"APPS": []}}
if PRESSDESK_OIDC_SERVER_URL:
    if not (env_str("PRESSDESK_OIDC_CLIENT_ID") and env_str("PRESSDESK_OIDC_CLIENT_SECRET")):
        msg = "PRESSDESK_OIDC_SERVER_URL needs PRESSDESK_OIDC_CLIENT_ID and _CLIENT_SECRET."
        raise ImproperlyConfigured(msg)
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        {
            "provider_id": env_str("PRESSDESK_OIDC_PROVIDER_ID", "entra"),
            "name": env_str("PRESSDESK_OIDC_NAME", "Microsoft Entra ID"),
            "client_id": env_str("PRESSDESK_OIDC_CLIENT_ID"),
            "secret": env_str("PRESSDESK_OIDC_CLIENT_SECRET"),
            "settings": {
                "server_url": PRESSDESK_OIDC_SERVER_URL,
                "token_auth_method": "client_secret_post",
                "oauth_pkce_enabled": True,
                "scope": ["openid", "profile", "email"],
            },
        }
    ]
MFA_ADAPTER = "enquiries.accounts.adapter.SecondFactorAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True  # a passkey (with user verification) is both factors
MFA_TOTP_ISSUER = env_str("PRESSDESK_TOTP_ISSUER", "Pressdesk")
MFA_TOTP_TOLERANCE = 1  # a phone's clock may be one 30-second step off
MFA_ALLOW_UNVERIFIED_EMAIL = True  # no e-mail verification: administrators make accounts
# Passkeys are bound to PRESSDESK_PUBLIC_URL's host (never the request's); plain http only
# under DEBUG (a laptop on http://localhost:8000; browsers refuse passkeys for an IP address).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Until this date (YYYY-MM-DD, Europe/Oslo), an officer or administrator with no second
# factor may still use the desk and admin, with a reminder on every desk page; from it on,
# they are sent to enrol first. Empty (the default): required now. The `make run` demo
# officer is exempt under DEBUG only (PRESSDESK_DEMO_OFFICER).
_second_factor_from = env_str("PRESSDESK_SECOND_FACTOR_FROM")
try:
    PRESSDESK_SECOND_FACTOR_FROM = (
        date.fromisoformat(_second_factor_from) if _second_factor_from else None
    )
except ValueError as exc:
    msg = f"PRESSDESK_SECOND_FACTOR_FROM must be a date (YYYY-MM-DD), not {_second_factor_from!r}."
    raise ImproperlyConfigured(msg) from exc
# Officers leave the desk open all day: an idle session ends after 30 minutes.
SESSION_COOKIE_AGE = env_int("PRESSDESK_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# … measured from the last request, give or take this much (IdleSessionMiddleware writes the
# session at most this often instead of on every request).
PRESSDESK_SESSION_REFRESH_SECONDS = env_int("PRESSDESK_SESSION_REFRESH_SECONDS", 60)
# Sessions are read from Redis and written through to PostgreSQL: no query per page, and
# nobody is logged out when Redis restarts, stops or hangs (pressdesk.sessions falls back to
# the database after one short timeout).
SESSION_ENGINE = "pressdesk.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# … and however busy, a session ends this long after its login (AccountSessionMiddleware).
PRESSDESK_SESSION_MAX_SECONDS = env_int("PRESSDESK_SESSION_MAX_SECONDS", 12 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Throttled guessing (django-axes) on every login form, admin included: after
# PRESSDESK_LOGIN_FAILURE_LIMIT failures an account, and separately a client address, is
# refused with 429 for a cool-off that doubles while the guessing goes on (at most a day;
# enquiries/accounts/throttle.py). A locked account shows in admin under Axes, and deleting
# its access attempt unlocks it. Axes keeps no log of successful logins: the audit does.
AXES_FAILURE_LIMIT = env_int("PRESSDESK_LOGIN_FAILURE_LIMIT", 10, minimum=1)
PRESSDESK_LOGIN_COOLOFF_SECONDS = env_int("PRESSDESK_LOGIN_COOLOFF_SECONDS", 15 * 60, minimum=1)
AXES_COOLOFF_TIME = "enquiries.accounts.throttle.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True  # each attempt expires by its own (grown) cool-off
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "enquiries.accounts.throttle.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [
    BASE_DIR / "enquiries" / "locale",  # ours, from makemessages
    BASE_DIR / "enquiries" / "locale_django",  # what Django's own nb catalogue lacks (admin)
]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = env_str("PRESSDESK_PHONE_REGION", "NO")

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail (Django 6.1 MAILERS) --------------------------------------------------------------
# SMTP with OAuth 2.0 (XOAUTH2, e.g. Microsoft 365): a client-credentials token instead of a
# password, when a token URL is set (see enquiries/core/oauth.py).
_EMAIL_OAUTH = {
    "token_url": env_str("PRESSDESK_EMAIL_OAUTH_TOKEN_URL"),
    "client_id": env_str("PRESSDESK_EMAIL_OAUTH_CLIENT_ID"),
    "client_secret": env_str("PRESSDESK_EMAIL_OAUTH_CLIENT_SECRET"),
    "scope": env_str("PRESSDESK_EMAIL_OAUTH_SCOPE", "https://outlook.office365.com/.default"),
}
MAILERS = mailers_from_url(
    env_str("EMAIL_URL"),
    timeout=env_int("PRESSDESK_EMAIL_TIMEOUT", 10),
    oauth=_EMAIL_OAUTH if _EMAIL_OAUTH["token_url"] else None,
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "presse@pressdesk.invalid")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Security headers -----------------------------------------------------------------------
# No inline script or style anywhere, the admin included: every behaviour lives in a static file.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap draws form controls with data: SVGs
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRESSDESK_OIDC_SERVER_URL:
    # The single sign-on button posts to us and is redirected to the provider: a form's
    # redirect is held to form-action too.
    _idp = urlsplit(PRESSDESK_OIDC_SERVER_URL)
    SECURE_CSP["form-action"] = [CSP.SELF, f"{_idp.scheme}://{_idp.netloc}"]

# Behind a TLS-terminating proxy, trust its X-Forwarded-Proto header (and nothing else).
if env_bool("PRESSDESK_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("PRESSDESK_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("PRESSDESK_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("PRESSDESK_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("PRESSDESK_HSTS_PRELOAD", default=True)
    # The health check answers the load balancer over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Crispy forms ---------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging: URLs carry ids only and services log ids and counts, never personal data -------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # Axes tells every attempt at INFO; its warnings (failures, lockouts) are enough.
    "loggers": {"axes": {"level": "WARNING"}},
    "root": {"handlers": ["console"], "level": env_str("PRESSDESK_LOG_LEVEL", "INFO")},
}

# --- Pressdesk options ----------------------------------------------------------------------
PRESSDESK_DEMO_OFFICER = env_str("PRESSDESK_DEMO_OFFICER", "demo")
# A queued e-mail not relayed after this long (its message was lost on the way to Redis, or
# Redis was down) is relayed again by the sweeper.
PRESSDESK_OUTBOX_LOST_AFTER_SECONDS = env_int("PRESSDESK_OUTBOX_LOST_AFTER_SECONDS", 120, minimum=1)
# A row "sending" this long was left by a dead worker: the sweeper resolves it from the SMTP
# evidence (sent again if the end of DATA cannot have been sent, else "delivered,
# confirmation lost"). Longer than the SMTP timeout, so a slow send is never cut short.
PRESSDESK_OUTBOX_STUCK_SECONDS = env_int("PRESSDESK_OUTBOX_STUCK_SECONDS", 15 * 60, minimum=1)
# Mail failed this long without an officer's retry is logged at ERROR by the sweeper, every
# sweep (the line to alert on; see README, Operating it).
PRESSDESK_OUTBOX_ALERT_SECONDS = env_int("PRESSDESK_OUTBOX_ALERT_SECONDS", 3600, minimum=1)
# The key of the standing opt-outs' HMAC. Set it apart from SECRET_KEY so a key rotation
# does not silently forget every opt-out; by default it is derived from SECRET_KEY.
PRESSDESK_HASH_KEY = env_str("PRESSDESK_HASH_KEY") or SECRET_KEY
# The public enquiry form's defences (no third-party service): a minimum fill time, and
# submissions per client address per minute and per day, counted in Redis through the cache.
PRESSDESK_FORM_MIN_SECONDS = env_int("PRESSDESK_FORM_MIN_SECONDS", 2)
# A form's stamp is good for this long after the page was shown, and for one try.
PRESSDESK_FORM_MAX_AGE_SECONDS = env_int("PRESSDESK_FORM_MAX_AGE_SECONDS", 4 * 3600, minimum=60)
PRESSDESK_FORM_RATE_PER_MINUTE = env_int("PRESSDESK_FORM_RATE_PER_MINUTE", 5, minimum=1)
PRESSDESK_FORM_RATE_PER_DAY = env_int("PRESSDESK_FORM_RATE_PER_DAY", 30, minimum=1)
# The client address comes from this header only when a trusted proxy sets it (e.g.
# X-Forwarded-For, as HTTP_X_FORWARDED_FOR: its last hop is used); otherwise REMOTE_ADDR.
PRESSDESK_CLIENT_IP_HEADER = env_str("PRESSDESK_CLIENT_IP_HEADER")
# ... and only from these proxies (comma-separated addresses or networks): a reverse proxy on
# the same host by default.
PRESSDESK_TRUSTED_PROXIES = env_list("PRESSDESK_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
for _proxy in PRESSDESK_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        msg = f"PRESSDESK_TRUSTED_PROXIES: {_proxy!r} is not an address or network."
        raise ImproperlyConfigured(msg) from exc
# The base of every absolute link the app writes (mails, receipts): never the request's Host.
# Where security.txt tells researchers to write (a mailto: or https: URI); the desk's e-mail
# if unset.
PRESSDESK_SECURITY_CONTACT = env_str("PRESSDESK_SECURITY_CONTACT")
PRESSDESK_PUBLIC_URL = env_str("PRESSDESK_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
if not PRESSDESK_PUBLIC_URL.startswith(("https://", "http://")):
    msg = "PRESSDESK_PUBLIC_URL must start with https:// (or http:// on a laptop)."
    raise ImproperlyConfigured(msg)
# Mail to addresses nobody confirmed (receipts, acknowledgements, links): at most this many to
# one address a day, and this many in all an hour; the rest is held back for officers to see.
PRESSDESK_PUBLIC_MAIL_PER_RECIPIENT_PER_DAY = env_int(
    "PRESSDESK_PUBLIC_MAIL_PER_RECIPIENT_PER_DAY", 10, minimum=1
)
PRESSDESK_PUBLIC_MAIL_PER_HOUR = env_int("PRESSDESK_PUBLIC_MAIL_PER_HOUR", 200, minimum=1)
# Requests for access from the form beyond these caps wait for an officer's confirmation on
# the desk before they go to the post registry: per client an hour, per requester's address a
# day, and from the form in all an hour.
PRESSDESK_FOI_PER_CLIENT_PER_HOUR = env_int("PRESSDESK_FOI_PER_CLIENT_PER_HOUR", 3, minimum=1)
PRESSDESK_FOI_PER_ADDRESS_PER_DAY = env_int("PRESSDESK_FOI_PER_ADDRESS_PER_DAY", 3, minimum=1)
PRESSDESK_FOI_PER_HOUR = env_int("PRESSDESK_FOI_PER_HOUR", 20, minimum=1)
# No request body is bigger than this: room for an officer's pasted e-mail (100,000
# characters) with the rest of the form; a 5 MB body is refused with 400 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Public POST URLs (the form, the privacy requests) take urlencoded bodies up to this size,
# refused from their headers before anything reads them (pressdesk.middleware).
PRESSDESK_PUBLIC_MAX_BODY_BYTES = env_int(
    "PRESSDESK_PUBLIC_MAX_BODY_BYTES", 128 * 1024, minimum=1024
)
# FOI requests (rule 6) go to the post registry by e-mail (DeskSettings' address), or with
# PRESSDESK_FOI_BACKEND=webhook as signed JSON to an archive system's URL.
PRESSDESK_FOI_BACKEND = env_str("PRESSDESK_FOI_BACKEND", "email").lower()
PRESSDESK_FOI_WEBHOOK_URL = env_str("PRESSDESK_FOI_WEBHOOK_URL")
PRESSDESK_FOI_WEBHOOK_SECRET = env_str("PRESSDESK_FOI_WEBHOOK_SECRET")
if PRESSDESK_FOI_BACKEND not in {"email", "webhook"}:
    msg = f"PRESSDESK_FOI_BACKEND must be email or webhook, not {PRESSDESK_FOI_BACKEND!r}."
    raise ImproperlyConfigured(msg)
# The webhook is https only: plain http only with DEBUG or this explicit switch (a test's
# receiver on loopback), never by accident in production.
PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP = env_bool("PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP", default=False)
_webhook_schemes = (
    ("https://", "http://") if DEBUG or PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP else ("https://",)
)
if PRESSDESK_FOI_BACKEND == "webhook" and not (
    PRESSDESK_FOI_WEBHOOK_URL.startswith(_webhook_schemes) and PRESSDESK_FOI_WEBHOOK_SECRET
):
    msg = (
        "PRESSDESK_FOI_BACKEND=webhook needs PRESSDESK_FOI_WEBHOOK_URL (https://; http:// only "
        "with DEBUG or PRESSDESK_FOI_WEBHOOK_ALLOW_HTTP) and PRESSDESK_FOI_WEBHOOK_SECRET."
    )
    raise ImproperlyConfigured(msg)
# A routing keeps retrying (exponential backoff with jitter, at most an hour apart) this long
# before it is marked failed for an officer's "retry now".
PRESSDESK_FOI_RETRY_SECONDS = env_int("PRESSDESK_FOI_RETRY_SECONDS", 24 * 3600, minimum=1)
# The first retry waits up to this long; each further one up to twice as long.
PRESSDESK_RETRY_BASE_SECONDS = env_int("PRESSDESK_RETRY_BASE_SECONDS", 30, minimum=1)
# The desk raises an alert for an FOI request not forwarded this long after it was received.
PRESSDESK_FOI_ALERT_MINUTES = env_int("PRESSDESK_FOI_ALERT_MINUTES", 60, minimum=1)
# Mounts /bench/bare, the baseline `make bench` measures against; never on in production.
PRESSDESK_BENCH_BARE_VIEW = env_bool("PRESSDESK_BENCH_BARE_VIEW", default=False)
# /healthz reports "degraded" (still 200: the web works, and mail waits in the outbox) when
# beat's tick or the outbox sweeper has been silent this long: no worker, no beat, or both.
PRESSDESK_HEALTH_SILENT_SECONDS = env_int("PRESSDESK_HEALTH_SILENT_SECONDS", 300, minimum=1)

# --- The press inbox (issue #18) --------------------------------------------------------------
# Polled every PRESSDESK_INBOX_POLL_SECONDS by beat and by `manage.py poll_inbox`; a processed
# mail is moved to PRESSDESK_INBOX_DONE_FOLDER (created if missing).
PRESSDESK_INBOX = inbox_from_url(env_str("PRESSDESK_INBOX_URL"), allow_plain=DEBUG)
PRESSDESK_INBOX_DONE_FOLDER = env_str("PRESSDESK_INBOX_DONE_FOLDER", "Pressdesk-processed")
PRESSDESK_INBOX_TIMEOUT = env_int("PRESSDESK_INBOX_TIMEOUT", 30, minimum=1)
# At most this many mails a poll (the rest come with the next one, a minute later).
PRESSDESK_INBOX_BATCH = env_int("PRESSDESK_INBOX_BATCH", 500, minimum=1)
# OAuth 2.0 client credentials (Microsoft Entra ID): with a client id, the inbox is opened
# with XOAUTH2 and a token from the token URL (default: Entra ID's for the tenant), fetched
# again before it expires; the URL's password is then not used.
PRESSDESK_INBOX_OAUTH_CLIENT_ID = env_str("PRESSDESK_INBOX_OAUTH_CLIENT_ID")
PRESSDESK_INBOX_OAUTH_CLIENT_SECRET = env_str("PRESSDESK_INBOX_OAUTH_CLIENT_SECRET")
PRESSDESK_INBOX_OAUTH_TENANT = env_str("PRESSDESK_INBOX_OAUTH_TENANT")
PRESSDESK_INBOX_OAUTH_TOKEN_URL = env_str("PRESSDESK_INBOX_OAUTH_TOKEN_URL") or (
    f"https://login.microsoftonline.com/{PRESSDESK_INBOX_OAUTH_TENANT}/oauth2/v2.0/token"
    if PRESSDESK_INBOX_OAUTH_TENANT
    else ""
)
PRESSDESK_INBOX_OAUTH_SCOPE = env_str(
    "PRESSDESK_INBOX_OAUTH_SCOPE", "https://outlook.office365.com/.default"
)
if PRESSDESK_INBOX_OAUTH_CLIENT_ID and not (
    PRESSDESK_INBOX_OAUTH_CLIENT_SECRET and PRESSDESK_INBOX_OAUTH_TOKEN_URL
):
    msg = (
        "PRESSDESK_INBOX_OAUTH_CLIENT_ID needs PRESSDESK_INBOX_OAUTH_CLIENT_SECRET and "
        "PRESSDESK_INBOX_OAUTH_TENANT (or PRESSDESK_INBOX_OAUTH_TOKEN_URL)."
    )
    raise ImproperlyConfigured(msg)
# A mail larger than this is not taken whole: its headers wait in the holding pen.
PRESSDESK_INBOX_MAX_MAIL_BYTES = env_int(
    "PRESSDESK_INBOX_MAX_MAIL_BYTES", 25 * 1024 * 1024, minimum=65536
)
# Attachments of one mail are kept (in the database) up to this many bytes in all, in the
# order they come; the rest are recorded by name and size only.
PRESSDESK_INBOX_ATTACHMENTS_MAX_BYTES = env_int(
    "PRESSDESK_INBOX_ATTACHMENTS_MAX_BYTES", 10 * 1024 * 1024
)
