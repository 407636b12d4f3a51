"""Settings for the test suite: the same as production but tasks run inline and hashing is fast."""

import os

os.environ.setdefault("KOHTAAMO_VAR_DIR", "/tmp/kohtaamo-test-var")

from kohtaamo.settings import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "kohtaamo.deployment.storage.DatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
