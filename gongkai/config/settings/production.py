"""Production settings: everything secret or host-specific must come from the environment."""

import os

from gongkai.core.logs import logging_config

from .base import *  # noqa: F403
from .base import env_bool, env_required

SECRET_KEY = env_required("SECRET_KEY")
DATABASES["default"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE") or 60  # noqa: F405
# A kept connection is checked before a request reuses it: after the database restarted, each
# worker's first request would otherwise fail on the connection the restart closed
# (bench/fault_load.py --quiet-restart).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if "replica" in DATABASES:  # noqa: F405
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]  # noqa: F405
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Cookies over HTTPS only; `make serve` on plain http://127.0.0.1 turns them off (README).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
# Static files under hashed names (app.3f2a….css): nginx serves them with a year's cache, and a
# new version is a new name. nginx compresses on the fly; whitenoise's precompressed copies made
# collectstatic five times slower for a few kB saved.
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
# On by default (`check --deploy` asks for both); turn off with the environment while a
# subdomain still serves plain HTTP, or to stay off the browsers' preload list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One JSON object a log line (gongkai.core.logs), unless GONGKAI_LOG_FORMAT says otherwise.
GONGKAI_LOG_FORMAT = os.environ.get("GONGKAI_LOG_FORMAT", "json")
LOGGING = logging_config(fmt=GONGKAI_LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "WARNING"))
