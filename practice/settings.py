"""Settings for the practice site, read from the environment (django-environ).

With no environment at all the site runs on embedded defaults: an SQLite file and a
filesystem Celery broker under ``var/``, mail printed to the terminal. Production sets
``DEBUG=off`` and then must provide a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from datetime import timedelta
from email.headerregistry import Address
from email.utils import getaddresses
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")
#: Where the embedded defaults keep their files (SQLite, the Celery broker, media, cache).
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG: bool = env.bool("DEBUG", default=True)
TESTING: bool = env.bool("TESTING", default=False)

_INSECURE_DEV_KEY = "django-insecure-dev-only-key-never-use-in-production"
SECRET_KEY: str = env.str("SECRET_KEY", default=_INSECURE_DEV_KEY if DEBUG else "")
ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _INSECURE_DEV_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DEBUG is off: set SECRET_KEY to a random string of 50+ chars.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG is off: set ALLOWED_HOSTS to the site's host names.")

SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not DEBUG and not SITE_URL:
    raise ImproperlyConfigured("DEBUG is off: set SITE_URL, the address in emailed links.")
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# --- Applications --------------------------------------------------------------------
INSTALLED_APPS = [
    "practice.core.apps.PracticeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "anymail",
    "csp",
    # The practice's floors, lowest first (docs/architecture.md): each imports only from below.
    "practice.core",
    "practice.audit",
    "practice.outbox",
    "practice.scheduling",
    "practice.accounts",
    "practice.site",
    "education",
    "exercises",
    "newsletter",
    "consults",
]

MIDDLEWARE = [
    "practice.core.health.HealthCheckMiddleware",
    # First after the health check: a cached public page skips every other middleware. Its
    # stored headers include those the security middleware added; an http:// page is never
    # stored while SECURE_SSL_REDIRECT sends http:// elsewhere (the key holds the scheme).
    "practice.core.page_cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "practice.core.redirects.RedirectFallbackMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "practice.core.request_body.RequestBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, signing out a session whose user id is not an id (no 500).
    "practice.accounts.session_user.AuthenticationMiddleware",
    "practice.core.middleware.PracticeTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "practice.core.csp.CSPMiddleware",  # django-csp's, building a nonce-free policy once
    "allauth.account.middleware.AccountMiddleware",
    "practice.accounts.middleware.StaffTwoFactorMiddleware",
    "practice.accounts.middleware.NoStoreMiddleware",
]

MESSAGE_STORAGE = "practice.core.messages.UniqueMessageStorage"

ROOT_URLCONF = "practice.urls"
WSGI_APPLICATION = "practice.wsgi.application"

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
                "csp.context_processors.nonce",
                "practice.core.context_processors.practice",
            ],
            # {% url %} without arguments reversed once per process (practice/core/url_tag.py).
            "builtins": ["practice.core.url_tag"],
        },
    },
]

# --- Data ----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check that polls the kept connection's socket rather than
    # sending SELECT 1 on every request (practice/core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "practice.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process, the worker and beat all write to the one file. WAL lets readers go on
    # while one writes (synchronous=NORMAL is safe with WAL: a power cut may lose the last
    # commits, never corrupt the file); IMMEDIATE takes the write lock when a transaction
    # starts, so one that reads then writes waits its turn (up to `timeout` seconds) instead
    # of failing at once with "database is locked", which SQLite must do to avoid deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),  # what a sqlite:// DATABASE_URL says wins
    }
#: Statements run on every request are prepared once per connection (practice/core/postgresql);
#: off behind a pooler in transaction mode that does not keep prepared statements.
DATABASE_PREPARED_STATEMENTS: bool = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL: str = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "practice.core.cache.RedisCache",  # one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "practice",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

#: Sessions are rows in the database, read in one statement with the person signed in on
#: them (practice/accounts/sessions.py): signing out, a password change (the session's auth
#: hash) and cycling the key on sign-in take effect on the next request.
SESSION_ENGINE = "practice.accounts.sessions"

# Whole-page cache of public pages for anonymous visitors (practice/core/page_cache.py).
PAGE_CACHE_ENABLED: bool = env.bool("PAGE_CACHE_ENABLED", default=True)
#: How often (seconds) each process asks the shared cache whether public content changed:
#: the longest a change takes to show in other processes.
PAGE_CACHE_CHECK_SECONDS: float = env.float("PAGE_CACHE_CHECK_SECONDS", default=1.0)
#: The oldest a stored page may get (seconds), for what changes with time alone.
PAGE_CACHE_MAX_AGE: float = env.float("PAGE_CACHE_MAX_AGE", default=300.0)
#: The most each process holds in pages and their headers (bytes).
PAGE_CACHE_MAX_BYTES: int = env.int("PAGE_CACHE_MAX_BYTES", default=32 * 1024 * 1024)

#: Networks (CIDR) a WordPress import may download images from although they are not public
#: (tests, or an old blog on the practice's own network); every other non-public address,
#: including after a redirect, is refused.
WXR_FETCH_ALLOWED_NETWORKS: list[str] = env.list("WXR_FETCH_ALLOWED_NETWORKS", default=[])

# --- Accounts ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, reading the signed-in person in one statement a request
# (practice/accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "practice.accounts.backends.ModelBackend",
    "practice.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "practice.accounts.password_validation.MaximumLengthValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "practice.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
#: allauth's account-settings forms with labels in our own words (same fields and checks).
ACCOUNT_FORMS = {
    "login": "practice.accounts.allauth_forms.LoginForm",
    "signup": "practice.accounts.allauth_forms.SignupForm",
    "reset_password": "practice.accounts.allauth_forms.ResetPasswordForm",
    "add_email": "practice.accounts.allauth_forms.AddEmailForm",
    "change_password": "practice.accounts.allauth_forms.ChangePasswordForm",
    "set_password": "practice.accounts.allauth_forms.SetPasswordForm",
    "reset_password_from_key": "practice.accounts.allauth_forms.ResetPasswordKeyForm",
    "reauthenticate": "practice.accounts.allauth_forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
#: Tell people by email when their password, email addresses or two-step sign-in change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "practice.accounts.adapters.MFAAdapter"
#: Unset: authenticator apps list the account under the practice profile's name.
MFA_TOTP_ISSUER: str = env.str("MFA_TOTP_ISSUER", default="")
INVITE_VALID_DAYS = 7

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
PRACTICE_TIME_ZONE: str = env.str("PRACTICE_TIME_ZONE", default="America/New_York")

# --- The practice (defaults for the admin-editable practice profile) -----------------
PRACTICE_NAME: str = env.str("PRACTICE_NAME", default="Strong Bones Physical Therapy")
PRACTICE_PHONE: str = env.str("PRACTICE_PHONE", default="(555) 010-0123")
PRACTICE_EMAIL: str = env.str("PRACTICE_EMAIL", default="hello@strongbones.example")
PRACTICE_ADDRESS: str = env.str(
    "PRACTICE_ADDRESS", default="120 Maple Avenue, Suite 4\nSpringfield, NY 10001"
)

# --- Static and media ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
#: Uploaded files (therapist photos) served by Django itself: fine for a one-room practice;
#: put a proxy or CDN in front of MEDIA_ROOT when traffic grows.
SERVE_MEDIA: bool = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Email ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
ANYMAIL: dict[str, str] = env.dict("ANYMAIL", default={})
if env.str("ESP_BACKEND", default=""):
    EMAIL_BACKEND = env.str("ESP_BACKEND")  # e.g. anymail.backends.postmark.EmailBackend
#: The sender set by the operator: the address the mail provider accepts for the domain
#: (SPF, DKIM). Unset, every email comes from the practice profile's name and email, as
#: edited in the admin. Addresses are built with email.headerregistry.Address, never by
#: formatting a string, so a name such as "Strong Bones PT, LLC" stays one address.
OUTBOX_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="")
if OUTBOX_FROM_EMAIL:
    _senders = getaddresses([OUTBOX_FROM_EMAIL])
    if len(_senders) != 1 or "@" not in _senders[0][1]:
        raise ImproperlyConfigured(
            f"DEFAULT_FROM_EMAIL must be one address, e.g. hello@example.com or "
            f'"Strong Bones PT, LLC" <hello@example.com> (a name holding a comma goes in '
            f"double quotes); it is {OUTBOX_FROM_EMAIL!r}."
        )
DEFAULT_FROM_EMAIL: str = OUTBOX_FROM_EMAIL or str(
    Address(display_name=PRACTICE_NAME, addr_spec=PRACTICE_EMAIL)
)
SERVER_EMAIL: str = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# --- Celery --------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    #: kombu's filesystem transport, each message written whole: practice/core/celery_filesystem.py
    CELERY_BROKER_URL = "practicefs://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
#: Retries back off exponentially up to this many seconds, well below the visibility timeout.
CELERY_RETRY_BACKOFF_MAX = 600
#: The outbox tries an email this many times, waiting OUTBOX_RETRY_BACKOFF seconds and then
#: doubling (up to the cap above), before marking it failed for staff to resend.
OUTBOX_MAX_ATTEMPTS = 10
OUTBOX_RETRY_BACKOFF = 30
#: Every OUTBOX_SWEEP_INTERVAL seconds beat's sweep re-enqueues an email whose delivery is
#: OUTBOX_SWEEP_AFTER seconds overdue (its task was lost), or whose attempt has been
#: "sending" for longer than OUTBOX_LEASE_SECONDS (its worker died). No attempt outlives the
#: task time limit, so a lease longer than that limit is never taken from a living attempt.
OUTBOX_SWEEP_INTERVAL: int = env.int("OUTBOX_SWEEP_INTERVAL", default=60)
OUTBOX_SWEEP_AFTER: int = env.int("OUTBOX_SWEEP_AFTER", default=300)
OUTBOX_LEASE_SECONDS: int = env.int("OUTBOX_LEASE_SECONDS", default=300)
if OUTBOX_SWEEP_INTERVAL < 1 or OUTBOX_SWEEP_AFTER < 0:
    raise ImproperlyConfigured(
        "OUTBOX_SWEEP_INTERVAL must be 1 second or more, OUTBOX_SWEEP_AFTER 0 or more."
    )
if OUTBOX_LEASE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"OUTBOX_LEASE_SECONDS must be longer than the task time limit "
        f"({CELERY_TASK_TIME_LIMIT} seconds), or a slow attempt could be sent twice."
    )
#: A scheduled job that failed this many times is left for staff to retry from the admin
#: (its retries back off from a minute to an hour, so about six hours of trying).
SCHEDULING_MAX_ATTEMPTS = 12
CELERY_BEAT_SCHEDULE = {
    "run-due-jobs": {"task": "scheduling.run_due_jobs", "schedule": crontab()},
    "outbox-sweep": {
        "task": "outbox.sweep",
        "schedule": timedelta(seconds=OUTBOX_SWEEP_INTERVAL),
        # A sweep still waiting when the next one is due is dropped.
        "options": {"expires": OUTBOX_SWEEP_INTERVAL},
    },
    # Expired sessions (and their signed data), daily at 08:30 UTC (night in the Americas),
    # in bounded batches (practice.accounts.sessions.sessions_clear_expired).
    "sessions-clear-expired": {
        "task": "accounts.sessions_clear_expired",
        "schedule": crontab(hour=8, minute=30),
        "options": {"expires": 12 * 60 * 60},
    },
}

#: Newsletter campaigns: no more than NEWSLETTER_RATE_PER_MINUTE campaign emails are handed
#: to the outbox in any 60 seconds (the mail provider's limit; 0 for none), in batches of at
#: most NEWSLETTER_BATCH_SIZE; beat looks for campaigns to go on with every
#: NEWSLETTER_TICK_SECONDS (newsletter/fanout.py).
NEWSLETTER_RATE_PER_MINUTE: int = env.int("NEWSLETTER_RATE_PER_MINUTE", default=600)
NEWSLETTER_BATCH_SIZE: int = env.int("NEWSLETTER_BATCH_SIZE", default=100)
NEWSLETTER_TICK_SECONDS: int = env.int("NEWSLETTER_TICK_SECONDS", default=5)
if NEWSLETTER_RATE_PER_MINUTE < 0 or NEWSLETTER_BATCH_SIZE < 1 or NEWSLETTER_TICK_SECONDS < 1:
    raise ImproperlyConfigured(
        "NEWSLETTER_RATE_PER_MINUTE must be 0 (no limit) or more, NEWSLETTER_BATCH_SIZE and "
        "NEWSLETTER_TICK_SECONDS 1 or more."
    )
CELERY_BEAT_SCHEDULE["newsletter-campaigns"] = {
    "task": "newsletter.campaigns_continue",
    "schedule": timedelta(seconds=NEWSLETTER_TICK_SECONDS),
    "options": {"expires": NEWSLETTER_TICK_SECONDS},
}

# --- API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "practice.api.authentication.PatientTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "practice.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # The browsable API's pages carry inline script and style, which the CSP refuses:
    # development only. Production answers every client, browsers too, with JSON.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    # Both rates below, counted per client address in one cache round trip.
    "DEFAULT_THROTTLE_CLASSES": ["practice.api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="60/minute"),
        "user": env.str("API_USER_RATE", default="600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "practice.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Practice site API",
    "DESCRIPTION": "Version 1 of the practice site's API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status` field with its own choices; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "education.models.Article.Status",
        "BookingStatusEnum": "consults.models.bookings.Booking.Status",
    },
}

# --- Security ------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
#: The site is reached only through TLS-terminating proxies that set X-Forwarded-Proto and
#: append to X-Forwarded-For. Only then are those headers trusted: the scheme (in production)
#: and the client address of rate limits and the audit log (practice/core/client_address.py).
BEHIND_TLS_PROXY: bool = env.bool("BEHIND_TLS_PROXY", default=False)
#: How many of those proxies each append to X-Forwarded-For (nginx alone: 1; a load balancer
#: in front of nginx: 2). The client is the entry this many places from the right.
TRUSTED_PROXY_COUNT: int = env.int("TRUSTED_PROXY_COUNT", default=1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT counts the proxies in front: 1 or more.")
if not DEBUG:
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
