"""Zukunftsraum settings: one module, driven by environment variables.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); the embedded
setup that `make run` starts sets DEBUG=1 and needs nothing else: SQLite, the
in-process channel layer and the console e-mail backend. See README.md for the
table of variables and docs/deploy.md for a production example.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


DEBUG = env_bool("DEBUG", False)

# Without an explicit key only a DEBUG instance may start, with a key that is
# obviously not a secret; production refuses to start rather than run insecurely.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (or DEBUG=1 for a local development instance)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Daphne first: `manage.py runserver` then serves HTTP and WebSockets.
    "daphne",
    "audit",
    "accounts",
    "community",
    "forum",
    "chat",
    "realtime",
    "moderation",
    "grants",
    "seminars",
    "pages",
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "csp",
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Oversized bodies are refused before CSRF or a form reads them.
    "pages.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pages.middleware.LanguageChoiceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Permissions-Policy; no-store for whatever a signed-in member receives.
    "pages.middleware.SecurityHeadersMiddleware",
    # Suspended members see the suspension page instead of any other page.
    "moderation.middleware.SuspensionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "zukunftsraum.urls"
WSGI_APPLICATION = "zukunftsraum.wsgi.application"
ASGI_APPLICATION = "zukunftsraum.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite file by default; PostgreSQL (or anything dj-database-url knows) when
# DATABASE_URL is set.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# ASGI processes: Django runs each request's view in a thread of its own, so a
# persistent connection (DATABASE_CONN_MAX_AGE) per thread piles up until
# PostgreSQL refuses more. A connection pool per process (psycopg_pool) hands
# every request and chat batch an open connection instead. Pooling needs
# DATABASE_CONN_MAX_AGE=0, so the pool wins when both are set.
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0)
if DATABASE_POOL_SIZE and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        "timeout": 10,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers and the one writer work at the same time; IMMEDIATE takes
    # the write lock at BEGIN so concurrent writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, cache (rate limits, presence) --------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    REDIS_MAX_CONNECTIONS = env_int("REDIS_MAX_CONNECTIONS", 1000)
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 times reads out after 5 s by default, which ends every
            # idle socket (django/channels_redis#422): allow longer blocking reads.
            # Its pools also refuse a 101st concurrent command ("Too many
            # connections"), which a connect storm of 1,000 sockets reaches.
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 15,
                        "max_connections": REDIS_MAX_CONNECTIONS,
                    }
                ],
                "prefix": "zr",
                # The layer carries a member's own events (room events travel
                # on realtime.bus). All sockets of a process share one queue
                # of `capacity` messages (100 by default); beyond it the layer
                # drops silently, which realtime.drops.LayerDrops logs.
                "capacity": 10_000,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "zr",
        }
    }
    # Every signed-in request and every socket's handshake reads its session:
    # from Redis, written through to the database, so that a Redis restart or
    # eviction logs nobody out and ending a member's sessions can find them
    # (accounts.actions).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # One server process only: the layer and the cache live in that process.
    # The cache holds the thread pages' post cards too: room for many of them.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pages:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "pages:start"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Zukunftsraum] "
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Login throttling (allauth counts in the cache: per process without Redis,
# shared by all processes with it).
# Per address, allauth asks accounts.limits.client_ip (see TRUSTED_PROXIES).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# E-mails the account pages send (confirmations, password resets, "no account
# with this address") go to addresses anyone can type: however many addresses
# ask, the whole platform sends at most this many (accounts.limits syntax).
ACCOUNT_MAILS_GLOBAL_RATE = os.environ.get("ACCOUNT_MAILS_GLOBAL_RATE", "100/h,500/d")

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks,
# comma-separated). Empty: the address of the socket peer is the client's.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files: self-hosted, served by the app (WhiteNoise) or the proxy ------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail: console by default, SMTP when configured ---------------------------
# EMAIL_URL (smtp+tls://user:password@host:587, smtps://... for implicit TLS)
# gives the defaults; single EMAIL_* variables override its parts.
_email = urlsplit(os.environ.get("EMAIL_URL", ""))
EMAIL_HOST = os.environ.get("EMAIL_HOST", _email.hostname or "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", _email.port or 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", unquote(_email.username or ""))
EMAIL_HOST_PASSWORD = os.environ.get(
    "EMAIL_HOST_PASSWORD", unquote(_email.password or "")
)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", _email.scheme == "smtp+tls")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", _email.scheme == "smtps")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Zukunftsraum <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_EMAIL = os.environ.get("STAFF_EMAIL", "")
# Absolute links in e-mails (notifications, digests, unsubscribe).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Forum ----------------------------------------------------------------------
FORUM_ATTACHMENT_MAX_BYTES = env_int("FORUM_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
FORUM_ATTACHMENTS_PER_POST = 5
# Images are decoded to check them and to strip their metadata: at most this
# many pixels (Discourse's max_image_megapixels is 40 as well).
FORUM_IMAGE_MAX_PIXELS = env_int("FORUM_IMAGE_MAX_PIXELS", 40_000_000)
# Flood limits (accounts.limits syntax: "1/5s,20/d"; empty switches one off).
# Members still under pre-moderation get the stricter *_NEWCOMER rates; staff
# none. In the spirit of Discourse's rate_limit_create_post/_topic,
# max_topics_in_first_day and max_personal_messages_per_day.
FORUM_REPLY_RATE = os.environ.get("FORUM_REPLY_RATE", "1/5s")
FORUM_REPLY_RATE_NEWCOMER = os.environ.get("FORUM_REPLY_RATE_NEWCOMER", "1/30s,10/d")
FORUM_THREAD_RATE = os.environ.get("FORUM_THREAD_RATE", "1/m,20/d")
FORUM_THREAD_RATE_NEWCOMER = os.environ.get("FORUM_THREAD_RATE_NEWCOMER", "1/5m,3/d")
# Offers and seeks expire (and their authors are reminded a week before).
FORUM_OFFER_SEEK_DAYS = env_int("FORUM_OFFER_SEEK_DAYS", 180)

# --- Request bodies ---------------------------------------------------------------
# Larger bodies are refused by their Content-Length before anything reads them
# (pages.middleware); the proxy in front must refuse them too (docs/deploy.md:
# client_max_body_size), because Daphne holds a whole body in memory before the
# application sees it. Room for a post with all its attachments.
REQUEST_MAX_BYTES = env_int(
    "REQUEST_MAX_BYTES",
    FORUM_ATTACHMENTS_PER_POST * FORUM_ATTACHMENT_MAX_BYTES + 1024 * 1024,
)
# Uploaded files above this size are streamed to a temporary file, not memory;
# form fields (no files) may take this much in all.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# --- Grants ---------------------------------------------------------------------
# Applications' attachments live outside MEDIA_ROOT and are served only by a
# permission-checked view (grants.views.files).
GRANTS_FILES_ROOT = Path(
    os.environ.get("GRANTS_FILES_ROOT", VAR_DIR / "private" / "grants")
)
GRANTS_ATTACHMENT_MAX_BYTES = env_int("GRANTS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Grant records are kept this many years after the case closes (never fewer
# than five: receipts and usage reports must be kept that long).
GRANTS_RETENTION_YEARS = env_int("GRANTS_RETENTION_YEARS", 5)

# Messages ride in the session: no extra cookie beyond the strictly necessary ones.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The German page in the site's layout, not Django's bare English one.
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_PROXY", False):
    # nginx terminates TLS and sets X-Forwarded-Proto (docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Strict CSP: everything from this origin, nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Logging: to stderr, the process manager collects it -----------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "filters": {"layer_drops": {"()": "realtime.drops.LayerDrops"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Drops of the channel layer, as warnings (realtime.drops.LayerDrops).
        "channels_redis.core": {"level": "INFO", "filters": ["layer_drops"]},
    },
}

# --- Platform -------------------------------------------------------------------
SITE_NAME = "Zukunftsraum"
# Minutes a direct message or chat mention may stay unread before it is
# e-mailed (manage.py send_missed_messages), as Zulip's missed-message e-mails.
CHAT_MISSED_MESSAGE_MINUTES = env_float("CHAT_MISSED_MESSAGE_MINUTES", 5.0)
# Days a chat message is kept before the retention command deletes it; the
# privacy notice states this figure.
CHAT_RETENTION_DAYS = env_int("CHAT_RETENTION_DAYS", 365)
# Chat sends per member: a burst of CHAT_SEND_BURST, then CHAT_SEND_RATE per
# second; CHAT_FLOOD_STRIKES refusals within a minute mute the member for
# CHAT_FLOOD_MUTE_SECONDS (realtime.ratelimit).
CHAT_SEND_RATE = env_float("CHAT_SEND_RATE", 2.0)
CHAT_SEND_BURST = env_int("CHAT_SEND_BURST", 10)
CHAT_FLOOD_STRIKES = env_int("CHAT_FLOOD_STRIKES", 20)
CHAT_FLOOD_MUTE_SECONDS = env_float("CHAT_FLOOD_MUTE_SECONDS", 300.0)
# Every other socket frame that costs a write, a broadcast or a replay has a
# bucket of its own per member, in the same mechanism (docs/protocol.md,
# "Limits"): edits and deletions, reactions (both mute after
# CHAT_FLOOD_STRIKES refusals, as sends do), subscriptions to rooms and
# watched threads (each replays up to 200 messages; refused, never muted).
CHAT_EDIT_RATE = env_float("CHAT_EDIT_RATE", 1.0)
CHAT_EDIT_BURST = env_int("CHAT_EDIT_BURST", 10)
CHAT_REACT_RATE = env_float("CHAT_REACT_RATE", 2.0)
CHAT_REACT_BURST = env_int("CHAT_REACT_BURST", 20)
REALTIME_SUBSCRIBE_RATE = env_float("REALTIME_SUBSCRIBE_RATE", 2.0)
REALTIME_SUBSCRIBE_BURST = env_int("REALTIME_SUBSCRIBE_BURST", 60)
CHAT_READ_RATE = env_float("CHAT_READ_RATE", 5.0)
CHAT_READ_BURST = env_int("CHAT_READ_BURST", 20)
# Seconds between a socket's heartbeats (docs/protocol.md): a socket silent
# for three of them is closed, presence expires after a little over two.
REALTIME_HEARTBEAT = env_float("REALTIME_HEARTBEAT", 25.0)
# Seconds between the room hub's repair rounds, which deliver stored messages
# whose broadcast was lost (realtime.hub).
REALTIME_REPAIR_INTERVAL = env_float("REALTIME_REPAIR_INTERVAL", 10.0)
# New direct conversations a member may open (flood limit, as the forum's).
CHAT_DIRECT_RATE = os.environ.get("CHAT_DIRECT_RATE", "1/10s,20/d")
CHAT_DIRECT_RATE_NEWCOMER = os.environ.get("CHAT_DIRECT_RATE_NEWCOMER", "1/m,3/d")
# Seconds after which the sockets (and presence) of a server process that
# stopped renewing its lease, because it was killed, no longer count
# (realtime.ephemeral).
REALTIME_PROCESS_LEASE = env_float("REALTIME_PROCESS_LEASE", 15.0)

# Moderation. Pre-moderation holds a new member's first posts for approval:
# while they have fewer than MODERATION_HOLD_FIRST_POSTS approved posts, or for
# MODERATION_HOLD_FIRST_DAYS days after joining (0 switches a rule off). Staff
# and space moderators are never held.
MODERATION_HOLD_FIRST_POSTS = env_int("MODERATION_HOLD_FIRST_POSTS", 1)
MODERATION_HOLD_FIRST_DAYS = env_int("MODERATION_HOLD_FIRST_DAYS", 0)
# Links a new member may put into one post or chat message.
MODERATION_NEWCOMER_MAX_LINKS = env_int("MODERATION_NEWCOMER_MAX_LINKS", 2)
# Content is hidden until a moderator decides once this many distinct members
# with a verified affiliation reported it.
MODERATION_AUTO_HIDE_REPORTS = env_int("MODERATION_AUTO_HIDE_REPORTS", 3)
# Reports one member may file per hour.
MODERATION_REPORTS_PER_HOUR = env_int("MODERATION_REPORTS_PER_HOUR", 20)

# Seminars. Registrations of events that ended more than this many days ago are
# reduced to their municipality and attendance (`manage.py
# reduce_event_registrations`); the privacy notice states this figure.
SEMINARS_REGISTRATION_RETENTION_DAYS = env_int(
    "SEMINARS_REGISTRATION_RETENTION_DAYS", 365
)
# `manage.py send_event_reminders` reminds participants of events starting
# within this many hours (run it hourly from cron).
SEMINARS_REMINDER_HOURS = env_int("SEMINARS_REMINDER_HOURS", 24)
