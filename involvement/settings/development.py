"""Settings for `make run` on one machine: SQLite and folders under var/, no Redis needed.

Secrets get throwaway defaults here only; production refuses to start without real ones.
"""

import os

os.environ.setdefault("SECRET_KEY", "development-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
# A fixed Fernet key so a demo database keeps working across restarts. Never used in production.
os.environ.setdefault("MFA_ENCRYPTION_KEY", "ZGV2ZWxvcG1lbnQtb25seS1ub3Qtc2VjcmV0LWtleSE=")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("LOG_FORMAT", "text")
# Lets `manage.py seed_demo` create the demo group and `demo_code` print its two-step code.
os.environ.setdefault("DEMO_TOOLS_ENABLED", "true")

from .base import *  # noqa: E402,F403
from .base import VAR_DIR  # noqa: E402

# Served by whitenoise straight from the source folders, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

for folder in ("cache", "media", "emails", "celery/queue", "celery/processed", "celery/results", "celery/control"):
    (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
