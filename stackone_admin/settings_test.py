"""Settings for the test suite: the production settings plus test-only overrides.

The environment variables are set before import because settings.py refuses to start
without a SECRET_KEY, exactly as production does.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "false")
os.environ.pop("STACKONE_API_KEY", None)
# DEBUG is off, so sandbox mode must be asked for by name, as a deployment would.
os.environ["STACKONE_SANDBOX"] = "true"
# The sandbox's per-install key: one file per test run, outside the project.
os.environ.setdefault(
    "SANDBOX_KEY_FILE", os.path.join(tempfile.gettempdir(), f"stackone-admin-test-sandbox-key-{os.getpid()}")
)

from stackone_admin.settings import *  # noqa: E402,F403

# Unit tests must never reach a real host; tests that need the sandbox point this at live_server.
STACKONE_BASE_URL = "https://stackone.test"
STACKONE_ACCOUNT_ID = ""
STACKONE_BACKOFF_FACTOR = 0.0
STACKONE_RETRY_AFTER_CAP = 0.05
# Every StackOne call takes from the shared budget: the suite makes far more than StackOne's
# 1,000 a minute. Tests of the budget set their own (small) limit.
STACKONE_RATE_LIMIT = "1000000/minute"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Tests (and live_server for the browser) speak plain http; tests/test_security.py turns these on.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
# Serve static files from the finders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Bulk jobs: tests run the queued tasks themselves (the db_worker loop, in batch mode).
BULK_INPROCESS_WORKER = False
# On SQLite the test database is a file, not memory: live_server threads and bulk job threads
# then get connections of their own that wait for the write lock (timeout, WAL), as in
# production, instead of sharing one in-memory cache that fails at once when two write.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"stackone-admin-test-{os.getpid()}.sqlite3")
    }
