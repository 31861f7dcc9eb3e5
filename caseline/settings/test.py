"""The test suite: fast hashing, the database from ``DATABASE_URL`` (SQLite unless set)."""

from __future__ import annotations

from caseline.settings.base import *  # noqa: F403
from caseline.settings.env import ENV, INSECURE_DEVELOPMENT_KEY

CASELINE_ENVIRONMENT = "test"
# django-oauth-toolkit (a development requirement) is the OpenID provider the single sign-on
# tests sign in through (tests/idp.py); nothing else uses it.
INSTALLED_APPS = [*INSTALLED_APPS, "caseline.apps.synthetic", "oauth2_provider"]  # noqa: F405
SECRET_KEY = ENV.secret_key or INSECURE_DEVELOPMENT_KEY
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Real deployments hash with Argon2 only (base settings; a test checks it). The suite signs
# users in thousands of times, so it hashes with MD5 first and still verifies Argon2 hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve the built front end straight from frontend/dist, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Test data is made by factories, which write without the audit trail the indicators' result
# cache watches for changes; the cache's own tests turn it on and write through actions.
INDICATOR_RESULT_CACHE_ROWS = 0
DUE_WORK_KEPT_CHILDREN = 0
# Tests run inside transactions a second process cannot see; the counting in two processes
# has its own tests, which turn it on outside a transaction.
INDICATOR_PROCESSES = 1
