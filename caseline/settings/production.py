"""Production: refuses to start on SQLite, without a real secret key, or with debug on."""

from __future__ import annotations

from caseline.settings.base import *  # noqa: F403
from caseline.settings.env import ENV, INSECURE_DEVELOPMENT_KEY
from caseline.settings.safety import check_production_environment

check_production_environment(ENV, insecure_key=INSECURE_DEVELOPMENT_KEY)

CASELINE_ENVIRONMENT = "production"
SECRET_KEY = ENV.secret_key
DEBUG = False
ALLOWED_HOSTS = list(ENV.allowed_hosts)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
