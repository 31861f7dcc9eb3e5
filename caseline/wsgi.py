"""WSGI entry point.

Production servers run ``caseline.wsgi:application``; settings default to production.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

# Closed by default: without an explicit choice, production settings (which refuse to start
# unsafely) are used. The demo and development use `caseline serve`.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseline.settings.production")
application = get_wsgi_application()
