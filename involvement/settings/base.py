"""Settings shared by every environment.

Everything that differs between a laptop, the test suite and production is read
from the environment through the typed helpers in ``involvement.env``; the
``development``, ``test`` and ``production`` modules only change defaults.
"""

from __future__ import annotations

from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from involvement.env import env_bool, env_database, env_fernet_key, env_int, env_list, env_str
from involvement.schedule import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "involvement.staticfiles.PortalStaticFilesConfig",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "csp",
    "simple_history",
    "common",
    "nhsuk_forms",
    "outbox",
    "members",
    "meetings",
    "library",
    "surveys",
    "discussions",
    "expenses",
    "involvement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "members.middleware.SessionActivityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.RequireMFAMiddleware",
    "members.middleware.ConsentReviewMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "involvement.urls"
WSGI_APPLICATION = "involvement.wsgi.application"

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
                "involvement.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, reusing one Redis client per process (see common/cache.py).
            "BACKEND": "common.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    # A file cache is shared between the web server and the worker on one
    # machine, which allauth's rate limits need to count across processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "members.User"
# Django's and allauth's backends, loading the logged-in user from the cache (members/backends.py).
AUTHENTICATION_BACKENDS = [
    "members.backends.ModelBackend",
    "members.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth)
LOGIN_URL = "account_login"
# Members land on "Your involvement" (see AccountAdapter.get_login_redirect_url); others here.
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# allauth's own defaults for every other action; failed logins are tunable here.
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"10/m/ip,{env_int('LOGIN_ATTEMPTS_LIMIT', 5, minimum=1)}"
        f"/{env_int('LOGIN_ATTEMPTS_TIMEOUT_SECONDS', 300, minimum=1)}s/key"
    ),
}
# allauth's forms with the portal's labels (sentence case, plain English).
ACCOUNT_FORMS = {
    "login": "members.forms.LoginForm",
    "signup": "members.forms.SignupForm",
    "add_email": "members.forms.AddEmailForm",
    "change_password": "members.forms.ChangePasswordForm",
    "set_password": "members.forms.SetPasswordForm",
    "reset_password": "members.forms.ResetPasswordForm",
    "reset_password_from_key": "members.forms.ResetPasswordKeyForm",
}
# Phones are often shared: a session ends when the browser closes, and after inactivity.
ACCOUNT_SESSION_REMEMBER = False
# The group's profile and signposts, for any app: common.group asks this function (see
# involvement/context_processors.py), because apps must not import `involvement`.
EMAIL_CONTEXT_FUNCTION = "involvement.context_processors.email_context"

MFA_ADAPTER = "members.adapters.EncryptingMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Perinatal Involvement Portal")
# A Fernet key (urlsafe base64, 32 bytes) that encrypts TOTP secrets at rest; checked at start-up.
# Who must use two-step authentication is decided in members/roles.py (requires_mfa).
MFA_ENCRYPTION_KEY = env_fernet_key("MFA_ENCRYPTION_KEY")

# Sessions end after a period of inactivity. Not saved on every request (a database write a
# page): members.middleware.SessionActivityMiddleware renews them at most once a minute.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Security headers that hold in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # NHS.UK frontend's CSS loads the Frutiger web fonts from the NHS asset host.
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk-frontend", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Receipts and other files only their owner and staff may download: never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest receipt a member may upload, in bytes. Default: 10 MB.
RECEIPT_MAX_BYTES = env_int("RECEIPT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Files attached to library resources (PDF, Word, images, audio).
LIBRARY_FILE_MAX_BYTES = env_int("LIBRARY_FILE_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)
# With separation of duties on, nobody approves or marks paid a claim they prepared, and only
# finance approvers approve; off, coordinators may approve too (a very small group).
EXPENSES_SEPARATION_OF_DUTIES = env_bool("EXPENSES_SEPARATION_OF_DUTIES", True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"

# Email
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Involvement group <involvement@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds each step of talking to the mail server may wait. With it, a send has a known
# longest time, after which a message still "sending" shows under "Needs checking".
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 15, minimum=1)
# Where the file-based email backend (django.core.mail.backends.filebased) writes messages.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "emails"))
# Text messages go through GOV.UK Notify when both are set; otherwise each text is recorded as
# "not sent: no text message service set up" and listed for a coordinator to phone instead.
# The template's whole body is the placeholder ((message)).
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = env_int("NOTIFY_TIMEOUT_SECONDS", 20, minimum=1)
# The outbox: tries for a message that fails for a reason that may pass, and how long what a
# message said is kept (the record that it was sent stays).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5, minimum=1)
OUTBOX_KEEP_BODIES_DAYS = env_int("OUTBOX_KEEP_BODIES_DAYS", 90, minimum=1)

# The portal's address as members reach it, for links in emails sent by background jobs
# (which have no request to build them from). No trailing slash.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background jobs (Celery). With REDIS_URL, Redis is broker and result store;
# without it, kombu's filesystem transport passes messages through folders
# under var/, so the worker and scheduler run with nothing else installed.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 3600
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery' / 'results'}"
    # Remote control (inspect, broadcast) is not needed on one machine; see docs/decisions/0001.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")

# The one schedule of periodic jobs (see involvement/schedule.py).
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE

# `manage.py seed_demo` and `demo_code` create and print published demo logins (staff with a
# known password and two-step secret). Development and test settings turn them on; anywhere
# else they refuse to run unless DEMO_TOOLS_ENABLED=true is set on purpose.
DEMO_TOOLS_ENABLED = env_bool("DEMO_TOOLS_ENABLED", False)

LOG_FORMAT = env_str("LOG_FORMAT", "json")
if LOG_FORMAT not in {"text", "json"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "celery": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
