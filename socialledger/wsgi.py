"""WSGI entry point for production servers (e.g. gunicorn socialledger.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialledger.settings")
application = get_wsgi_application()
