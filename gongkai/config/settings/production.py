"""Production settings: everything secret or host-specific must come from the environment."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_required

SECRET_KEY = env_required("SECRET_KEY")
DATABASES["default"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE") or 60  # noqa: F405
# A kept connection is checked before a request reuses it: after the database restarted, each
# worker's first request would otherwise fail on the connection the restart closed
# (bench/fault_load.py --quiet-restart).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
# On by default (`check --deploy` asks for both); turn off with the environment while a
# subdomain still serves plain HTTP, or to stay off the browsers' preload list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
