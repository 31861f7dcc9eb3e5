"""Development and demo: embedded SQLite by default, debug on unless the environment says not."""

from __future__ import annotations

from caseline.settings.base import *  # noqa: F403
from caseline.settings.env import ENV, INSECURE_DEVELOPMENT_KEY

CASELINE_ENVIRONMENT = "development"
# The synthetic-authority generator is a development tool; production leaves it out.
INSTALLED_APPS = [*INSTALLED_APPS, "caseline.apps.synthetic"]  # noqa: F405
SECRET_KEY = ENV.secret_key or INSECURE_DEVELOPMENT_KEY
DEBUG = True if ENV.debug is None else ENV.debug
ALLOWED_HOSTS = list(ENV.allowed_hosts) or ["127.0.0.1", "localhost"]

# Serve the built front end straight from frontend/dist, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
