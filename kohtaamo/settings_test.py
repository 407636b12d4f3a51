"""Settings for the test suite: the same as production but tasks run inline and hashing is fast."""

import os

os.environ.setdefault("KOHTAAMO_VAR_DIR", "/tmp/kohtaamo-test-var")

from kohtaamo.settings import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
KOHTAAMO_ROLLUP_COMPACT_SECONDS = None  # tests that count rollup rows compact when they mean to
STORAGES = {
    "default": {"BACKEND": "kohtaamo.deployment.storage.DatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not Django's in-memory default: an in-memory database makes the live server share one
    # connection across its request threads, so concurrent requests (an autosave racing a submit) would
    # interleave inside each other's transactions, which never happens in production. The pid keeps
    # parallel test runs apart; the environment passes the name on to subprocesses.
    os.environ.setdefault("KOHTAAMO_TEST_SQLITE", f"/tmp/kohtaamo-test-{os.getpid()}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": os.environ["KOHTAAMO_TEST_SQLITE"]}  # noqa: F405
