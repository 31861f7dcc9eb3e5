"""WSGI entry point.

Production servers set ``DJANGO_SETTINGS_MODULE=caseline.settings.production``.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseline.settings.dev")
application = get_wsgi_application()
