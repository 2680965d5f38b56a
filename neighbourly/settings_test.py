"""Test settings: speed-ups only. The database and Redis come from the environment as in
production, so the same suite runs on the embedded default and on PostgreSQL + Redis."""

import os
import tempfile

os.environ.setdefault("NEIGHBOURLY_DATA_DIR", tempfile.mkdtemp(prefix="neighbourly-test-"))
# Scale-out (DATABASE_URL/REDIS_URL set) requires a shared key with DEBUG off; tests bring their own.
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 50)

from neighbourly.settings import *  # noqa: E402,F403
from neighbourly.settings import REDIS_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# With REDIS_URL set the Redis channel layer and cache stay on: that configuration is
# what the scale-out CI run exists to exercise.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tests create many posts, comments and claims through the services: budgets far above any test.
# Each rate-limit test sets its own low budget (tests/core/test_ratelimit.py).
NEIGHBOURLY_RATE_LIMITS = {
    action: ("100000/h", "100000/h")
    for action in ("signup", "post", "comment", "report", "conversation", "offer_claim", "business", "address_claim")
}
