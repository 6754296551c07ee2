"""WSGI entry point of the portal benchmark's server (gunicorn portal_wsgi:application)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_settings")

from gongkai.config.wsgi import application  # noqa: E402, F401
