"""Settings for the test suite.

DATABASE_URL and REDIS_URL are honoured when set, so CI runs the same suite
against PostgreSQL and Redis; without them the suite uses SQLite and the
filesystem broker, and the tests that need the real services skip.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("MFA_ENCRYPTION_KEY", "dGVzdC1vbmx5LW5vdC1zZWNyZXQta2V5LTAxMjM0NTY=")
# Files the tests write (uploads, the filesystem broker) go to a folder of their own. With
# pytest-xdist each test process makes its own (tests look at what is in it) instead of sharing
# the one its parent made; processes a test starts inherit their parent's.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("PORTAL_TEST_VAR_DIR_OF") != _worker:
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix=f"portal-test-{_worker}-")
    os.environ["PORTAL_TEST_VAR_DIR_OF"] = _worker
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="portal-test-"))
os.environ.setdefault("LOG_FORMAT", "text")

from .base import *  # noqa: E402,F403
from .base import REDIS_URL, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
DEMO_TOOLS_ENABLED = True  # tests load the demo group with seed_demo

# Each test starts with an empty cache (see conftest.py); rate-limit counters
# must not leak between tests, so the cache is per process even with Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if REDIS_URL:
    # Keep test messages away from any real queue on the same Redis.
    CELERY_BROKER_URL = REDIS_URL.rsplit("/", 1)[0] + "/15"
    CELERY_RESULT_BACKEND = CELERY_BROKER_URL

for folder in ("cache", "media", "emails", "celery/queue", "celery/processed", "celery/results", "celery/control"):
    (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
