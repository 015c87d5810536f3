"""WSGI entry point, for serving pages from WSGI workers (docs/deploy.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zukunftsraum.settings")

application = get_wsgi_application()
