"""Production settings: secure by default, and refuses to start half-configured.

SECRET_KEY, MFA_ENCRYPTION_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL
must be set; `manage.py check --deploy --fail-level WARNING` passes with them.
"""

from django.core.exceptions import ImproperlyConfigured

from involvement.env import env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import DEBUG, REDIS_URL

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL in production: rate limits and background jobs need a shared Redis.")
env_str("DATABASE_URL")  # no SQLite fallback in production
# Links in emails sent by background jobs must point at the real site, not a default.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL").rstrip("/")
if not PORTAL_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("PORTAL_BASE_URL must be the portal's https:// address in production.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Sessions are rows in PostgreSQL with Redis as a read-through cache: any web process can
# read any session, and a Redis restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
