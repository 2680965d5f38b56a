"""Neighbourly settings: one env-driven module for every deployment.

With no environment variables set this is the embedded default: SQLite under
``NEIGHBOURLY_DATA_DIR`` (``./var`` of the working directory), the in-memory channel layer,
Celery tasks run eagerly, a local-memory cache, DEBUG off. ``DATABASE_URL`` and ``REDIS_URL``
switch to PostgreSQL, the Redis pub/sub channel layer, a Redis cache and Celery on Redis.
"""

from pathlib import Path
import secrets
from urllib.parse import urlsplit

from celery.schedules import crontab
from csp.constants import NONE, SELF
import environ
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent

env = environ.Env()

# Off unless explicitly on: `DEBUG=true` or `neighbourly serve --dev`.
DEBUG = env.bool("DEBUG", default=False)
DATA_DIR = Path(env.str("NEIGHBOURLY_DATA_DIR", default=str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DATABASE_URL = env.str("DATABASE_URL", default="")
REDIS_URL = env.str("REDIS_URL", default="")
SCALE_OUT = bool(DATABASE_URL or REDIS_URL)


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if SCALE_OUT and not DEBUG:
        # Several processes, often on several hosts, must share one key: a per-host file would
        # silently log people out as their requests move between hosts.
        raise ImproperlyConfigured("SECRET_KEY must be set when DATABASE_URL or REDIS_URL is (scale-out).")
    # Embedded default (one host): a random key kept beside the database, so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

# The address people use to reach this site: absolute links in e-mails, the WebSocket origin
# check, and whether HTTPS-only settings apply. `neighbourly serve` defaults it to the address it
# binds; NEIGHBOURLY_BASE_URL is the older name and still works.
SITE_URL = (env.str("SITE_URL", default="") or env.str("NEIGHBOURLY_BASE_URL", default="")
            or "http://localhost:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an http:// or https:// address, not {SITE_URL!r}.")
SITE_IS_HTTPS = _site.scheme == "https"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the hosts; '*' is refused.")
if _site.hostname not in ALLOWED_HOSTS and f"[{_site.hostname}]" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(f"[{_site.hostname}]" if ":" in _site.hostname else _site.hostname)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Reverse proxies in front of daphne. Only their X-Forwarded-For / X-Forwarded-Proto entries are
# trusted: the client address is the PROXY_COUNT-th entry from the right (what the outermost
# proxy saw), never the left-most one a client can write itself. 0: the headers are ignored.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT must be 0 or more.")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "csp",
    "ninja",  # serves Swagger UI for /api/v1/docs from its bundled static files, not a CDN
    "django_htmx",
    "template_partials",
    "axes",
    "neighbourly.core",
    "neighbourly.accounts",
    "neighbourly.communities",
    "neighbourly.notifications",
    "neighbourly.verification",
    "neighbourly.realtime",
    "neighbourly.feed",
    "neighbourly.moderation",
    "neighbourly.groups",
    "neighbourly.merchants",
    "neighbourly",  # the project shell: site pages, the demo and its command (neighbourly/apps.py)
]

MIDDLEWARE = [
    "neighbourly.core.middleware.AllowedHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "neighbourly.core.middleware.ApiErrorMiddleware",
    "neighbourly.core.middleware.RequestSizeMiddleware",
    "neighbourly.core.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "neighbourly.accounts.middleware.MemberTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so its process_exception sees a view's exception first and its 404/403 page goes
    # back out through every middleware above, as Django's own Http404 does.
    "neighbourly.core.middleware.PageErrorMiddleware",
]

ROOT_URLCONF = "neighbourly.urls"
ASGI_APPLICATION = "neighbourly.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # In the source tree the pages live in ./frontend_templates; the wheel installs the same
        # folder as neighbourly/frontend_templates (see pyproject.toml / setup.py).
        "DIRS": [next((d for d in (PACKAGE_DIR / "frontend_templates", BASE_DIR / "frontend_templates")
                       if d.is_dir()), BASE_DIR / "frontend_templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # One date and time format everywhere, in the member's zone: {{ value|when }}, |ago, |day.
            "builtins": ["neighbourly.core.templatetags.when"],
        },
    }
]

# Database: SQLite under the data dir unless DATABASE_URL is set.
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "neighbourly.sqlite3",
            "OPTIONS": {
                # WAL lets readers and the one writer work side by side; IMMEDIATE avoids
                # "database is locked" on read-then-write transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: channel layer, cache and Celery broker when REDIS_URL is set.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer does one PUBLISH per group send (not one per member).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "neighbourly"},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "neighbourly",
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            # Bounded on purpose: a slow consumer drops at 1,000 queued, clients resync by sequence.
            "CONFIG": {"capacity": 1000, "expiry": 60},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: eager in the embedded default, Redis broker in scale-out.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message a dead worker had taken comes back after visibility_timeout: minutes, not an hour. Every
# task is idempotent and acks late; none runs anywhere near this long.
# unacked_restore_*: a live worker sweeps for such messages every CELERY_RESTORE_INTERVAL seconds.
# kombu's default scans on one call in ten of a 10 s timer, so a dead worker's task sat for up to
# 100 s beyond the visibility timeout (the whole-worker kill test waited in vain).
# max_retries/interval_*: a request publishing to a broker that is down gives up within a second (the
# outbox keeps the task, core.outbox) instead of waiting out the connect timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=30),
    "unacked_restore_throttle": 1,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE["core-outbox-drain"] = {  # work a broker outage held back (core.outbox)
    "task": "neighbourly.core.tasks.outbox_drain_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["notifications-email-unsent"] = {  # e-mails an SMTP outage held back
    "task": "neighbourly.notifications.tasks.notifications_email_unsent_task",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["notifications-daily-digest"] = {
    "task": "neighbourly.notifications.tasks.digests_send_task",
    "schedule": crontab(hour=env.int("DIGEST_HOUR", default=7), minute=0),
}
CELERY_BEAT_SCHEDULE["verification-sweep-abandoned-claims"] = {
    "task": "neighbourly.verification.tasks.claims_sweep_abandoned_task",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["moderation-lift-elapsed-suspensions"] = {
    "task": "neighbourly.moderation.tasks.suspensions_lift_elapsed_task",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["merchants-close-finished-offers"] = {
    "task": "neighbourly.merchants.tasks.offers_close_finished_task",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["merchants-flush-impressions"] = {
    "task": "neighbourly.merchants.tasks.offer_impressions_flush_task",
    "schedule": 60.0,
}

# Accounts and authentication.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "site:landing"

# Login throttling (django-axes): failures count per account and per client address, so
# guessing one account's password from rotating addresses still locks that account.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "neighbourly.accounts.views.lockout_response"
# The ASGI layer (neighbourly/core/asgi_guards.py) already put the real client address, by
# PROXY_COUNT, into REMOTE_ADDR; nothing else reads X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "neighbourly.core.middleware.client_ip"
AXES_VERBOSE = False

# Internationalisation.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Static files and media.
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # request bodies other than file uploads
NEIGHBOURLY_MAX_REQUEST_BYTES = 25 * 1024 * 1024  # anything larger is refused with 413 before it is read
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail: console by default, SMTP (or any backend) from EMAIL_URL.
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
vars().update({k: v for k, v in env.email_url_config(EMAIL_URL).items() if v is not None})
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Neighbourly <noreply@localhost>")
# A send never hangs longer than this; it must stay well under the e-mail claim lease (notifications).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
NEIGHBOURLY_EMAIL_LEASE_SECONDS = env.int("EMAIL_LEASE_SECONDS", default=300)

# Security. HTTPS-only cookies, HSTS and the redirect to HTTPS whenever SITE_URL is https://;
# on a plain-http SITE_URL (the embedded default on http://localhost) they would lock people out.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DEFAULT_EXCEPTION_REPORTER_FILTER = "neighbourly.core.reporting.UrlCredentialsFilter"
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if SITE_IS_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
else:
    # `check --deploy` on a plain-http site: HSTS (W004), the HTTPS redirect (W008) and Secure
    # cookies (W012, W016) cannot apply to http:// and would make the site unusable. Set SITE_URL
    # to the https:// address in production and all four turn on (and the checks with them).
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]

# Content-Security-Policy on every response (django-csp): no inline script or style anywhere,
# JavaScript and CSS only from our static files. htmx's indicator <style> is switched off by the
# htmx-config meta tag in base.html. connect-src names the WebSocket origin of SITE_URL besides
# 'self' (which CSP3 browsers already extend to ws:/wss: of this host).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF, ("wss://" if SITE_IS_HTTPS else "ws://") + _site.netloc],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Neighbourly.
NEIGHBOURLY_SITE_NAME = env.str("NEIGHBOURLY_SITE_NAME", default="Neighbourly")
# Absolute links in e-mails (unsubscribe, digests) point here: the same as SITE_URL.
NEIGHBOURLY_BASE_URL = SITE_URL
# Account links mailed to people: e-mail confirmation (signed, single use) and password reset
# (Django's token generator, single use). Seconds.
EMAIL_CONFIRM_TIMEOUT = env.int("EMAIL_CONFIRM_TIMEOUT", default=3 * 24 * 3600)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 3600)
