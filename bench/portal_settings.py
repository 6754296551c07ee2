"""Django settings for the portal benchmark's server: production settings, plus a URLconf that
adds the framework floor (see portal_urls.py). Configured from the environment like production
(SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, SECURE_SSL_REDIRECT=false for plain HTTP on loopback).
"""

from gongkai.config.settings.production import *  # noqa: F403

ROOT_URLCONF = "portal_urls"
