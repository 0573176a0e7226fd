"""fincoach settings: everything from the environment (django-environ), with embedded defaults that run with
no services at all (SQLite, in-memory channel layer, eager Celery, console e-mail)."""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
TESTING = env.bool("FINCOACH_TESTING", default=False)

_INSECURE_KEY = "django-insecure-fincoach-local-development-key-change-me"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Fernet keys (comma-separated, newest first) used to encrypt secrets at rest (e.g. Plaid access tokens).
# The embedded default is for local use only; production refuses it.
_DEV_ENCRYPTION_KEY = "ZmluY29hY2gtbG9jYWwtZGV2ZWxvcG1lbnQta2V5ISE="
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[_DEV_ENCRYPTION_KEY])

if not DEBUG:
    problems = []
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the host names fincoach is served on")
    if not FIELD_ENCRYPTION_KEYS or _DEV_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
        problems.append("FIELD_ENCRYPTION_KEYS must hold your own Fernet key(s)")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production mode: " + "; ".join(problems))

# Daphne's app only makes `manage.py runserver` serve ASGI (WebSockets) in development; loading it installs Twisted's
# reactor, which every other command and worker would pay for at start-up. `make run` and production run `daphne`.
_RUNSERVER = sys.argv[1:2] == ["runserver"]
INSTALLED_APPS = [
    *(["daphne"] if _RUNSERVER else []),
    # Before django.contrib.auth so its `createsuperuser` (which gives the admin a household) wins.
    "accounts",
    "fincoach.admin_apps.FincoachAdminConfig",  # django.contrib.admin, behind django-otp
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "allauth",
    "allauth.account",
    "fincoach",
    "transactions",
    "transactions.plaid",
    "budgets",
    "goals",
    "ml",
    "insights",  # after ml: its transactions_changed hook reads what the ml hook just stored
]

MIDDLEWARE = [
    "fincoach.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fincoach.middleware.HouseholdMiddleware",
]

ROOT_URLCONF = "fincoach.urls"
WSGI_APPLICATION = "fincoach.wsgi.application"
ASGI_APPLICATION = "fincoach.asgi.application"

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
                "fincoach.context_processors.ui",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'fincoach.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
else:
    # Tests close connections after each use: server threads (live ASGI server, Channels' executor, a Celery
    # worker) would otherwise keep sessions open and block dropping the test database.
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT: PostgreSQL compiles the plan of any query it estimates as costly (a large import's transfer check, a
    # year of reports) — a quarter of a second of compiling for index scans that JIT does not make faster.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery, Channels -------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

# Parallel test workers share one Redis: each gets its own key space.
_KEY_PREFIX = f"fincoach-test-{env.str('PYTEST_XDIST_WORKER', default='main')}" if TESTING else "fincoach"

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _KEY_PREFIX,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"{_KEY_PREFIX}-asgi"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# The in-process broker is named with a host: even eager calls open a kombu connection (for the serializer), and a
# bare "memory://" makes kombu log a "No hostname was supplied" warning on every task.
EMBEDDED_BROKER_URL = "memory://localhost/"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or EMBEDDED_BROKER_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
# Without a broker the tasks run in-process, so the embedded defaults need no worker.
# Tests run tasks in-process too; the real-worker test switches eagerness off for itself.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL or TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = f"{_KEY_PREFIX}-celery" if TESTING else "celery"

# --- Auth: custom user, allauth, django-otp ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[fincoach] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
OTP_TOTP_ISSUER = "fincoach"
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes in a row, wait 2^(n-1) seconds
OTP_STATIC_THROTTLE_FACTOR = 1

# --- E-mail ------------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="fincoach <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach fincoach: links in e-mails sent outside a request (notification e-mails from Celery).
FINCOACH_BASE_URL = env.str("FINCOACH_BASE_URL", default="http://127.0.0.1:8000")

# --- i18n / static ------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if TESTING:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- REST API ------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["fincoach.api.permissions.IsHouseholdMember"],
    "DEFAULT_PAGINATION_CLASS": "fincoach.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "fincoach.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Tests make many requests from one address within a minute; the throttling test sets its own rates.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="100000/minute" if TESTING else "60/minute"),
        "user": env.str("API_THROTTLE_USER", default="100000/minute" if TESTING else "1200/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "fincoach API",
    "DESCRIPTION": "Household-scoped REST API of fincoach. Authenticate with a personal API token "
    "(`Authorization: Token <token>`) or a browser session.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `kind` choice set; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "GoalKindEnum": "goals.models.Goal.Kind",
        "AccountKindEnum": "transactions.models.FinancialAccount.Kind",
        "ModelRunKindEnum": "ml.models.ModelRun.Kind",
        "InsightKindEnum": "insights.models.Insight.Kind",
    },
}

# --- Security (production) ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less meta tag; kept readable for JS clients
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes inside the private network speak plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging: JSON lines in production, readable lines locally; a request id on every line ----------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "fincoach.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "cmdstanpy": {"level": "WARNING"},
        "prophet.plot": {"level": "CRITICAL"},  # plotly is optional and not installed
        "httpx": {"level": "WARNING"},
        "openai": {"level": "WARNING"},
        "plaid": {"level": "WARNING"},  # plaid-python may log response bodies, which carry tokens
    },
}

# --- fincoach features -------------------------------------------------------------------------------------------
FINCOACH_DEFAULT_CURRENCY = env.str("FINCOACH_DEFAULT_CURRENCY", default="USD")
FINCOACH_DEMO_PASSWORD = env.str("FINCOACH_DEMO_PASSWORD", default="demo-fincoach-2026")
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=25 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=5_000)

PLAID_CLIENT_ID = env.str("PLAID_CLIENT_ID", default="")
PLAID_SECRET = env.str("PLAID_SECRET", default="")
PLAID_ENV = env.str("PLAID_ENV", default="sandbox")
PLAID_BASE_URL = env.str("PLAID_BASE_URL", default="")
PLAID_WEBHOOK_URL = env.str("PLAID_WEBHOOK_URL", default="")
PLAID_DAYS_REQUESTED = env.int("PLAID_DAYS_REQUESTED", default=730)

LLM_ENABLED = env.bool("LLM_ENABLED", default=False)
LLM_BASE_URL = env.str("LLM_BASE_URL", default="https://api.openai.com/v1")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_MODEL = env.str("LLM_MODEL", default="gpt-4o-mini")
LLM_TIMEOUT_SECONDS = env.float("LLM_TIMEOUT_SECONDS", default=20.0)
LLM_DAILY_TOKEN_BUDGET = env.int("LLM_DAILY_TOKEN_BUDGET", default=20_000)
INSIGHTS_DAILY_COACHING_CAP = env.int("INSIGHTS_DAILY_COACHING_CAP", default=2)

ML_ARTIFACT_DIR = Path(env.str("ML_ARTIFACT_DIR", default=str(VAR_DIR / "ml")))
