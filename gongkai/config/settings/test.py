"""Test settings: SQLite in memory unless DATABASE_URL names another database."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
if "DATABASE_URL" not in os.environ:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}  # noqa: F405
# The replica's alias mirrors the test database (gongkai.core.dbrouter); public reads go to it
# only in the tests that turn GONGKAI_REPLICA_READS on and allow the alias.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
GONGKAI_REPLICA_READS = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# The live server of the browser tests serves static files itself.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# Stored pages are made obsolete after a commit, which tests inside a transaction never reach:
# the tests of the page cache (portal/tests/test_page_cache.py) turn it on themselves.
CACHES = {
    **CACHES,  # noqa: F405
    "portal": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# Background tasks run when the transaction that queued them commits (tests capture the commit
# with django_capture_on_commit_callbacks(execute=True)).
GONGKAI_TASKS_MODE = "eager"
